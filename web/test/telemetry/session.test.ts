import { describe, expect, it } from 'vitest';
import {
  parseStoredSession,
  SESSION_INACTIVITY_SECONDS,
  SESSION_MAX_DURATION_SECONDS,
  SESSION_STORAGE_KEY,
  TabSessionStore,
} from '../../src/telemetry/session';

const A = 'a'.repeat(32);
const B = 'b'.repeat(32);
const MINUTE = 60_000;

/** sessionStorage as a Map, with a clock the test moves. */
function tab(start = 1_000_000) {
  const items = new Map<string, string>();
  const clock = { now: start };
  const storage = {
    getItem: (key: string) => items.get(key) ?? null,
    setItem: (key: string, value: string) => void items.set(key, value),
  };
  return { items, clock, store: () => new TabSessionStore(storage, () => clock.now) };
}

describe('parseStoredSession', () => {
  const stored = { id: A, startTimestamp: 0, lastActiveTimestamp: 0 };

  it('reads a session this page wrote', () => {
    expect(parseStoredSession(JSON.stringify(stored), MINUTE)).toEqual(stored);
    expect(parseStoredSession(JSON.stringify({ ...stored, previousId: B }), MINUTE)).toEqual({
      ...stored,
      previousId: B,
    });
  });

  it.each([
    ['nothing', null],
    ['not JSON', '{'],
    ['not an object', '"x"'],
    ['an id that is not 32 hex digits', JSON.stringify({ ...stored, id: 'abc' })],
    ['no timestamps', JSON.stringify({ id: A })],
    ['a malformed previous id', JSON.stringify({ ...stored, previousId: 42 })],
  ])('rejects %s', (_what, text) => {
    expect(parseStoredSession(text, MINUTE)).toBeUndefined();
  });

  it('rejects a session inactive for longer than the timeout', () => {
    const text = JSON.stringify(stored);
    expect(parseStoredSession(text, SESSION_INACTIVITY_SECONDS * 1000)).toEqual(stored);
    expect(parseStoredSession(text, SESSION_INACTIVITY_SECONDS * 1000 + 1)).toBeUndefined();
  });

  it('rejects a session older than the maximum duration, however active', () => {
    const old = { ...stored, lastActiveTimestamp: SESSION_MAX_DURATION_SECONDS * 1000 };
    expect(parseStoredSession(JSON.stringify(old), SESSION_MAX_DURATION_SECONDS * 1000 + 1)).toBeUndefined();
  });
});

describe('TabSessionStore', () => {
  it('gives a reload the session it saved, with no previous id', async () => {
    const { store } = tab();
    const first = store();
    expect(await first.get()).toBeNull();
    await first.save({ id: A, startTimestamp: 1 });
    const reloaded = store();
    expect(await reloaded.get()).toMatchObject({ id: A });
    expect(reloaded.previousIdOf(A)).toBeUndefined();
  });

  it('records the session a new one replaced, in the page or after an inactive reload', async () => {
    const { store, clock } = tab();
    const page = store();
    await page.get();
    await page.save({ id: A, startTimestamp: clock.now });
    clock.now += SESSION_INACTIVITY_SECONDS * 1000 + MINUTE;
    const reloaded = store();
    expect(await reloaded.get()).toBeNull();
    await reloaded.save({ id: B, startTimestamp: clock.now });
    expect(reloaded.previousIdOf(B)).toBe(A);
    // Another id than the one it holds has no previous id here.
    expect(reloaded.previousIdOf(A)).toBeUndefined();
    expect(await store().get()).toMatchObject({ id: B, previousId: A });
  });

  it('keeps a session active across reloads while it is touched', async () => {
    const { store, clock } = tab();
    const page = store();
    await page.save({ id: A, startTimestamp: clock.now });
    clock.now += SESSION_INACTIVITY_SECONDS * 1000 - MINUTE;
    page.touch(true);
    clock.now += 2 * MINUTE;
    expect(await store().get()).toMatchObject({ id: A });
  });

  it('writes a touch at most every few seconds unless forced', async () => {
    const { store, clock, items } = tab();
    const page = store();
    await page.save({ id: A, startTimestamp: clock.now });
    const saved = items.get(SESSION_STORAGE_KEY);
    clock.now += 1000;
    page.touch();
    expect(items.get(SESSION_STORAGE_KEY)).toBe(saved);
    page.touch(true);
    expect(items.get(SESSION_STORAGE_KEY)).not.toBe(saved);
  });
});
