import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { loadTracing, type TracingSdk } from '../../src/telemetry/tracing-load';

/** A promise and the functions that settle it, to play the chunk's request. */
function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (reason: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

/** Whether `promise` has settled, and how, once pending microtasks ran. */
async function state(promise: Promise<unknown>): Promise<'pending' | 'resolved' | 'rejected'> {
  let result: 'pending' | 'resolved' | 'rejected' = 'pending';
  promise.then(
    () => (result = 'resolved'),
    () => (result = 'rejected'),
  );
  await vi.advanceTimersByTimeAsync(0);
  return result;
}

describe('loadTracing', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('resolves only once the module arrived AND started', async () => {
    const chunk = deferred<TracingSdk>();
    const startTracing = vi.fn();
    const warn = vi.fn();
    const ready = loadTracing(() => chunk.promise, { timeoutMs: 5000, warn });

    expect(await state(ready)).toBe('pending');
    expect(startTracing).not.toHaveBeenCalled();

    chunk.resolve({ startTracing });
    expect(await state(ready)).toBe('resolved');
    expect(startTracing).toHaveBeenCalledOnce();
    expect(warn).not.toHaveBeenCalled();
  });

  it('starts loading at once, not when someone awaits', () => {
    const load = vi.fn(() => new Promise<TracingSdk>(() => {}));
    void loadTracing(load, { timeoutMs: 5000, warn: vi.fn() });
    expect(load).toHaveBeenCalledOnce();
  });

  it('resolves (never rejects) when the chunk fails to load, and warns once', async () => {
    const warn = vi.fn();
    const failure = new TypeError('Failed to fetch dynamically imported module');
    const ready = loadTracing(() => Promise.reject(failure), { timeoutMs: 5000, warn });

    expect(await state(ready)).toBe('resolved');
    expect(warn).toHaveBeenCalledOnce();
    expect(warn).toHaveBeenCalledWith(expect.stringMatching(/^Tracing is off/), failure);
    // No late timeout warning once it settled.
    await vi.advanceTimersByTimeAsync(10_000);
    expect(warn).toHaveBeenCalledOnce();
  });

  it('resolves when the loader throws synchronously', async () => {
    const warn = vi.fn();
    const ready = loadTracing(
      () => {
        throw new Error('no import()');
      },
      { timeoutMs: 5000, warn },
    );
    expect(await state(ready)).toBe('resolved');
    expect(warn).toHaveBeenCalledOnce();
  });

  it('resolves when starting the SDK throws', async () => {
    const warn = vi.fn();
    const error = new Error('zone.js already loaded');
    const ready = loadTracing(
      () =>
        Promise.resolve({
          startTracing: () => {
            throw error;
          },
        }),
      { timeoutMs: 5000, warn },
    );
    expect(await state(ready)).toBe('resolved');
    expect(warn).toHaveBeenCalledWith(expect.stringMatching(/^Tracing is off/), error);
  });

  it('resolves after the timeout when the chunk stalls, and still starts tracing when it arrives', async () => {
    const chunk = deferred<TracingSdk>();
    const startTracing = vi.fn();
    const warn = vi.fn();
    const ready = loadTracing(() => chunk.promise, { timeoutMs: 5000, warn });

    await vi.advanceTimersByTimeAsync(4999);
    expect(await state(ready)).toBe('pending');
    await vi.advanceTimersByTimeAsync(1);
    expect(await state(ready)).toBe('resolved');
    expect(warn).toHaveBeenCalledOnce();
    expect(warn).toHaveBeenCalledWith(expect.stringMatching(/not loaded after 5000 ms/));

    chunk.resolve({ startTracing });
    await vi.advanceTimersByTimeAsync(0);
    expect(startTracing).toHaveBeenCalledOnce();
    expect(warn).toHaveBeenCalledOnce();
  });

  it('leaves no timer behind once tracing started', async () => {
    const ready = loadTracing(() => Promise.resolve({ startTracing: () => {} }), {
      timeoutMs: 5000,
      warn: vi.fn(),
    });
    await ready;
    expect(vi.getTimerCount()).toBe(0);
  });
});
