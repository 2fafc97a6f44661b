/**
 * Loading the page's OpenTelemetry SDK (tracing-sdk.ts) after the page
 * starts, as a promise that always settles and never rejects. Pure (the
 * loader is passed in), so the unit tests run it without a browser.
 */

/** What the lazily imported SDK module offers. */
export interface TracingSdk {
  /** Registers the provider, the context manager and the instrumentations (after restoring the session). */
  startTracing(): void | Promise<void>;
}

export interface LoadTracingOptions {
  /**
   * Resolve anyway after this long, with the SDK still loading: a stalled
   * request must not hold user actions back for good. Tracing still starts if
   * the module arrives later; actions run before that are not traced.
   */
  timeoutMs: number;
  /** Called at most once per cause (failure, timeout): the page says why it is untraced, once. */
  warn: (message: string, cause?: unknown) => void;
}

/**
 * Loads the SDK with `load` (a dynamic `import()`) and starts it. The promise
 * resolves once tracing has started, or when loading or starting failed (the
 * app then works untraced: the OpenTelemetry API is a no-op without an SDK),
 * or after `timeoutMs`, whichever comes first. It never rejects.
 */
export function loadTracing(load: () => Promise<TracingSdk>, options: LoadTracingOptions): Promise<void> {
  const { timeoutMs, warn } = options;
  const started = (async () => {
    try {
      const sdk = await load();
      await sdk.startTracing();
    } catch (error) {
      warn(
        'Tracing is off: the OpenTelemetry module failed to load or start. The page works untraced.',
        error,
      );
    }
  })();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timedOut = new Promise<void>((resolve) => {
    timer = setTimeout(() => {
      warn(`Tracing is not loaded after ${timeoutMs} ms: user actions run untraced until it is.`);
      resolve();
    }, timeoutMs);
  });
  return Promise.race([started, timedOut]).finally(() => clearTimeout(timer));
}
