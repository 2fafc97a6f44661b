/**
 * The tracing session's id for the page's UI (the status strip, the trace
 * list's "this session" filter). Tiny and dependency-free: it is in the main
 * chunk, while the SDK (tracing-sdk.ts) that sets it loads later.
 */
/** A session ends after this long without a span (in the page or across its reloads). */
export const SESSION_INACTIVITY_SECONDS = 15 * 60;

let current: string | undefined;
const listeners = new Set<() => void>();

/** The session id, once the SDK has started one. */
export function getSessionId(): string | undefined {
  return current;
}

/** Called by the SDK when a session starts (at load, or when one rolls over). */
export function publishSessionId(id: string): void {
  if (id === current) return;
  current = id;
  for (const listener of listeners) listener();
}

/** For useSyncExternalStore: calls `listener` on every change; returns the unsubscribe. */
export function subscribeSessionId(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}
