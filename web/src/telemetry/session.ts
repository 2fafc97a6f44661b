/**
 * The page's session: `session.id` on every span, from the official session
 * manager and span processor of @opentelemetry/web-common, kept in the tab's
 * sessionStorage (so it lasts across reloads and ends with the tab), plus the
 * two things that package leaves to us: `session.previous_id` on the spans of
 * a session that replaced another, and the inactivity timeout across reloads
 * (the manager only times inactivity while a page is open).
 * The store is pure (storage and clock passed in): unit-tested in
 * test/telemetry/session.test.ts.
 */
import type { Context } from '@opentelemetry/api';
import type { ReadableSpan, Span, SpanProcessor } from '@opentelemetry/sdk-trace-web';
import type { Session, SessionStore } from '@opentelemetry/web-common';
import { SESSION_INACTIVITY_SECONDS } from './session-id';

export { SESSION_INACTIVITY_SECONDS };

/** Semantic conventions (session.*, development): the id of the session this one replaced. */
export const ATTR_SESSION_PREVIOUS_ID = 'session.previous_id';
/** Where the tab keeps its session. */
export const SESSION_STORAGE_KEY = 'tracing-demo.session';
/** And after this long in any case. */
export const SESSION_MAX_DURATION_SECONDS = 4 * 60 * 60;
/** The last-activity time is written at most this often (and at pagehide). */
const TOUCH_INTERVAL_MS = 5_000;

/** What the tab's storage holds: the session, when it was last active, the one it replaced. */
export interface StoredSession extends Session {
  lastActiveTimestamp: number;
  previousId?: string;
}

const SESSION_ID = /^[0-9a-f]{32}$/;

/**
 * The stored session in `text`, or undefined when there is none, it is not one
 * this page wrote (any other shape), or it has been inactive or alive too long.
 */
export function parseStoredSession(
  text: string | null,
  now: number,
  limits = {
    inactivityMs: SESSION_INACTIVITY_SECONDS * 1000,
    maxDurationMs: SESSION_MAX_DURATION_SECONDS * 1000,
  },
): StoredSession | undefined {
  if (text === null) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null) return undefined;
  const { id, startTimestamp, lastActiveTimestamp, previousId } = value as Record<string, unknown>;
  if (typeof id !== 'string' || !SESSION_ID.test(id)) return undefined;
  if (typeof startTimestamp !== 'number' || typeof lastActiveTimestamp !== 'number') return undefined;
  if (previousId !== undefined && (typeof previousId !== 'string' || !SESSION_ID.test(previousId)))
    return undefined;
  if (now - lastActiveTimestamp > limits.inactivityMs || now - startTimestamp > limits.maxDurationMs)
    return undefined;
  return { id, startTimestamp, lastActiveTimestamp, ...(previousId === undefined ? {} : { previousId }) };
}

/**
 * A SessionStore on the tab's sessionStorage (web-common ships a localStorage
 * one, which every tab would share). A session saved over another records that
 * one as `previousId`, whether it rolled over in the page or at a reload.
 */
export class TabSessionStore implements SessionStore {
  readonly #storage: Pick<Storage, 'getItem' | 'setItem'>;
  readonly #now: () => number;
  #current: StoredSession | undefined;
  #lastTouch = 0;

  constructor(storage: Pick<Storage, 'getItem' | 'setItem'>, now: () => number = Date.now) {
    this.#storage = storage;
    this.#now = now;
  }

  /** The session the store holds, if still valid. */
  read(): StoredSession | undefined {
    return parseStoredSession(this.#storage.getItem(SESSION_STORAGE_KEY), this.#now());
  }

  get(): Promise<Session | null> {
    this.#current = this.read();
    return Promise.resolve(this.#current ?? null);
  }

  save(session: Session): Promise<void> {
    // Expired or not, what the tab held last is the session this one replaces.
    const replaced = this.#raw();
    const previousId =
      replaced !== undefined && replaced.id !== session.id ? replaced.id : this.#current?.previousId;
    this.#write({
      ...session,
      lastActiveTimestamp: this.#now(),
      ...(previousId === undefined ? {} : { previousId }),
    });
    return Promise.resolve();
  }

  /** The replaced session's id, when `sessionId` is the session this store holds. */
  previousIdOf(sessionId: string): string | undefined {
    return this.#current?.id === sessionId ? this.#current.previousId : undefined;
  }

  /** Notes activity now; writes at most every few seconds unless `force` (pagehide). */
  touch(force = false): void {
    const now = this.#now();
    if (this.#current === undefined || (!force && now - this.#lastTouch < TOUCH_INTERVAL_MS)) return;
    this.#write({ ...this.#current, lastActiveTimestamp: now });
  }

  #raw(): StoredSession | undefined {
    return parseStoredSession(this.#storage.getItem(SESSION_STORAGE_KEY), 0, {
      inactivityMs: Infinity,
      maxDurationMs: Infinity,
    });
  }

  #write(session: StoredSession): void {
    this.#current = session;
    this.#lastTouch = session.lastActiveTimestamp;
    try {
      this.#storage.setItem(SESSION_STORAGE_KEY, JSON.stringify(session));
    } catch {
      // Storage full or refused (private mode): the session then lasts as long as the page.
    }
  }
}

/**
 * Adds `session.previous_id` to the spans of a session that replaced another,
 * and counts every span as activity. Runs after web-common's session span
 * processor, which sets `session.id`.
 */
export class SessionActivityProcessor implements SpanProcessor {
  readonly #store: TabSessionStore;
  readonly #sessionId: () => string | null;

  constructor(store: TabSessionStore, sessionId: () => string | null) {
    this.#store = store;
    this.#sessionId = sessionId;
  }

  onStart(span: Span, _parentContext: Context): void {
    const sessionId = this.#sessionId();
    const previousId = sessionId === null ? undefined : this.#store.previousIdOf(sessionId);
    if (previousId !== undefined) span.setAttribute(ATTR_SESSION_PREVIOUS_ID, previousId);
    this.#store.touch();
  }

  onEnd(_span: ReadableSpan): void {}

  forceFlush(): Promise<void> {
    return Promise.resolve();
  }

  shutdown(): Promise<void> {
    return Promise.resolve();
  }
}
