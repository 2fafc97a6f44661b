import { context, diag, ROOT_CONTEXT, type Context, type ContextManager } from '@opentelemetry/api';
import { ExportResultCode, isTracingSuppressed, type ExportResult } from '@opentelemetry/core';
import type { ReadableSpan, SpanExporter } from '@opentelemetry/sdk-trace-base';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { alreadyReported, quietErrorHandler, ResilientExporter } from '../src/resilient-exporter.ts';
import type { RetryBufferLimits } from '../src/retry-buffer.ts';

/** What a scripted export answers: a result, or never an answer. */
type Script = ExportResult | 'hang';

const ok: ExportResult = { code: ExportResultCode.SUCCESS };
const failed = (message = '14 UNAVAILABLE: No connection established'): ExportResult => ({
  code: ExportResultCode.FAILED,
  error: Object.assign(new Error(message), { code: 14 }),
});
const refused = (message = '3 INVALID_ARGUMENT: bad span'): ExportResult => ({
  code: ExportResultCode.FAILED,
  error: Object.assign(new Error(message), { code: 3 }),
});

/** Every delegate the exporter made answers from one shared script (success when it runs out) and logs what it got. */
class Delegates {
  readonly script: Script[] = [];
  /** Span names of every export attempt, in order, with the delegate's number. */
  readonly attempts: { delegate: number; names: string[]; result: Script; suppressed: boolean }[] = [];
  readonly made: (SpanExporter & { shutdown: ReturnType<typeof vi.fn> })[] = [];
  /** Delegates whose shutdown never ends (waiting for a call that never ends). */
  shutdownHangs = false;

  create = (): SpanExporter => {
    const number = this.made.length;
    const delegate = {
      export: (spans: ReadableSpan[], done: (result: ExportResult) => void) => {
        const result = this.script.shift() ?? ok;
        const suppressed = isTracingSuppressed(context.active());
        this.attempts.push({ delegate: number, names: spans.map((span) => span.name), result, suppressed });
        if (result !== 'hang') done(result);
      },
      shutdown: vi.fn(() => (this.shutdownHangs ? new Promise<void>(() => {}) : Promise.resolve())),
      forceFlush: vi.fn(() => Promise.resolve()),
    };
    this.made.push(delegate);
    return delegate;
  };

  /** Span names that reached the Collector, in order. */
  get delivered(): string[] {
    return this.attempts
      .filter((a) => a.result !== 'hang' && a.result.code === ExportResultCode.SUCCESS)
      .flatMap((a) => a.names);
  }
}

/** Just enough of a context manager for `context.with` around synchronous calls. */
class SyncContextManager implements ContextManager {
  #active: Context = ROOT_CONTEXT;
  active(): Context {
    return this.#active;
  }
  with<A extends unknown[], F extends (...args: A) => ReturnType<F>>(
    ctx: Context,
    fn: F,
    thisArg?: ThisParameterType<F>,
    ...args: A
  ): ReturnType<F> {
    const previous = this.#active;
    this.#active = ctx;
    try {
      return fn.call(thisArg, ...args);
    } finally {
      this.#active = previous;
    }
  }
  bind<T>(_context: Context, target: T): T {
    return target;
  }
  enable(): this {
    return this;
  }
  disable(): this {
    this.#active = ROOT_CONTEXT;
    return this;
  }
}

const spans = (...names: string[]) => names.map((name) => ({ name }) as ReadableSpan);

function setup(limits: Partial<RetryBufferLimits> = {}, options: { shutdownFlushMs?: number } = {}) {
  const delegates = new Delegates();
  const lines: string[] = [];
  const clock = { now: 0 };
  const exporter = new ResilientExporter(delegates.create, {
    endpoint: 'http://127.0.0.1:4317',
    limits: { maxSpans: 100, maxAgeMs: 60_000, ...limits },
    warn: (line) => lines.push(line),
    retryInitialMs: 250,
    retryMaxMs: 1000,
    now: () => clock.now,
    ...options,
  });
  const results: ExportResult[] = [];
  /** Exports one batch per argument; each answer is scripted in `delegates.script` beforehand. */
  const send = async (...batches: string[][]) => {
    for (const names of batches) exporter.export(spans(...names), (result) => results.push(result));
    await settle();
  };
  return { delegates, exporter, lines, results, send, clock };
}

/** Lets the promise callbacks run (the fake exporters answer at once). */
const settle = () => new Promise<void>((resolve) => setImmediate(resolve));

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
});

afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
});

describe('ResilientExporter: one line per outage', () => {
  it('warns once, in one line naming the endpoint and the error, saying spans are kept and resent', async () => {
    const { exporter, lines, send, delegates } = setup();
    delegates.script.push(ok, failed());
    await send(['a'], ['b']);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain('http://127.0.0.1:4317');
    expect(lines[0]).toContain('14 UNAVAILABLE: No connection established');
    expect(lines[0]).toMatch(/kept .* resent when it works again/);
    expect(lines[0]).not.toMatch(/dropped/);
    expect(lines[0]).not.toContain('\n');
    expect(exporter.failing).toBe(true);
  });

  it('stays silent while resends keep failing', async () => {
    const { lines, send, delegates } = setup();
    delegates.script.push(failed(), failed(), failed('another'), failed(), failed());
    await send(['a']);
    // Retries after 250, 750, 1750 and 2750 ms.
    await vi.advanceTimersByTimeAsync(2750);
    expect(delegates.attempts).toHaveLength(5);
    expect(lines).toHaveLength(1);
  });

  it('logs one line when exports work again, saying the kept spans are sent, none for later successes', async () => {
    const { exporter, lines, send, delegates } = setup();
    delegates.script.push(failed());
    await send(['a', 'b']);
    await vi.advanceTimersByTimeAsync(250);
    await send(['c'], ['d']);
    expect(lines).toHaveLength(2);
    expect(lines[1]).toBe(
      'Trace export to http://127.0.0.1:4317 works again; sending the 2 spans kept during the outage.',
    );
    expect(exporter.failing).toBe(false);
  });

  it('warns again at a second outage', async () => {
    const { lines, send, delegates } = setup();
    delegates.script.push(failed('first'));
    await send(['a']);
    await vi.advanceTimersByTimeAsync(250);
    delegates.script.push(failed('second'));
    await send(['b']);
    await vi.advanceTimersByTimeAsync(250);
    expect(lines).toHaveLength(4);
    expect(lines[0]).toContain('first');
    expect(lines[1]).toMatch(/works again/);
    expect(lines[2]).toContain('second');
    expect(lines[3]).toMatch(/works again/);
  });

  it('says nothing while exports succeed', async () => {
    const { lines, send, results } = setup();
    await send(['a'], ['b'], ['c']);
    expect(lines).toEqual([]);
    expect(results).toEqual([ok, ok, ok]);
  });
});

describe('ResilientExporter: kept spans are resent', () => {
  it('answers SUCCESS for a batch it keeps: delivering it is its job now, and the processor must still call shutdown()', async () => {
    const { send, results, delegates, exporter } = setup();
    delegates.script.push(failed());
    await send(['a']);
    await send(['b']);
    expect(results.map((result) => result.code)).toEqual([
      ExportResultCode.SUCCESS,
      ExportResultCode.SUCCESS,
    ]);
    expect(exporter.keptSpans).toBe(2);
  });

  it('resends every kept span once the Collector answers, in export order, none twice', async () => {
    const { send, delegates, exporter } = setup();
    delegates.script.push(ok, failed());
    await send(['a'], ['b']);
    // During the outage new batches wait behind the kept one; nothing else asks the Collector.
    await send(['c'], ['d']);
    expect(delegates.attempts).toHaveLength(2);
    delegates.script.push(failed(), failed());
    await vi.advanceTimersByTimeAsync(250 + 500);
    expect(delegates.attempts.map((a) => a.names)).toEqual([['a'], ['b'], ['b'], ['b']]);
    await vi.advanceTimersByTimeAsync(1000);
    expect(delegates.delivered).toEqual(['a', 'b', 'c', 'd']);
    expect(exporter.keptSpans).toBe(0);
    // Later batches go straight out again.
    await send(['e']);
    expect(delegates.delivered).toEqual(['a', 'b', 'c', 'd', 'e']);
    expect(new Set(delegates.delivered).size).toBe(delegates.delivered.length);
  });

  it('retries after 250 ms, then doubling up to 1 s, and from 250 ms again after a success', async () => {
    const { send, delegates } = setup();
    delegates.script.push(failed(), failed(), failed(), failed(), failed());
    await send(['a']);
    const at = (ms: number) => vi.advanceTimersByTimeAsync(ms).then(() => delegates.attempts.length);
    expect(await at(249)).toBe(1);
    expect(await at(1)).toBe(2);
    expect(await at(499)).toBe(2);
    expect(await at(1)).toBe(3);
    expect(await at(999)).toBe(3);
    expect(await at(1)).toBe(4);
    // Capped at 1 s.
    expect(await at(999)).toBe(4);
    expect(await at(1)).toBe(5);
    expect(await at(1000)).toBe(6); // success
    delegates.script.push(failed());
    await send(['b']);
    expect(await at(249)).toBe(7);
    expect(await at(1)).toBe(8);
  });

  it('sends the kept spans right after a successful export, without waiting for the timer', async () => {
    const { send, delegates } = setup();
    // Two exports on their way at once (the processor's flush does that); one fails.
    delegates.script.push(failed(), ok);
    await send(['a'], ['b']);
    expect(delegates.delivered).toEqual(['b', 'a']);
  });

  it('makes a new delegate for the export after a failure and shuts the old one down (a fresh gRPC channel connects at once)', async () => {
    const { send, delegates } = setup();
    delegates.script.push(failed());
    await send(['a']);
    expect(delegates.made).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(250);
    expect(delegates.made).toHaveLength(2);
    expect(delegates.made[0]!.shutdown).toHaveBeenCalledOnce();
    expect(delegates.attempts.map((a) => a.delegate)).toEqual([0, 1]);
    // No new one while exports succeed.
    await send(['b'], ['c']);
    expect(delegates.made).toHaveLength(2);
  });

  it('exports with tracing suppressed, the retries too, like the batch processor', async () => {
    context.setGlobalContextManager(new SyncContextManager());
    try {
      const { send, delegates } = setup();
      delegates.script.push(failed());
      await send(['a']);
      await vi.advanceTimersByTimeAsync(250);
      expect(delegates.attempts.map((a) => a.suppressed)).toEqual([true, true]);
    } finally {
      context.disable();
    }
  });
});

describe('ResilientExporter: bounded, with one line for what it drops', () => {
  it('drops the oldest spans past maxSpans and says how many and why in one line when exports work again', async () => {
    const { send, delegates, lines } = setup({ maxSpans: 3 });
    delegates.script.push(failed());
    await send(['a1', 'a2']);
    await send(['b1', 'b2'], ['c1', 'c2']);
    await vi.advanceTimersByTimeAsync(250);
    expect(delegates.delivered).toEqual(['b2', 'c1', 'c2']);
    expect(lines).toHaveLength(3);
    expect(lines[1]).toMatch(/works again; sending the 3 spans kept/);
    expect(lines[2]).toBe(
      'Trace export to http://127.0.0.1:4317: 3 spans were dropped: 3 because at most 3 are kept ' +
        '(OTEL_EXPORTER_OTLP_TRACES_RETRY_BUFFER_SIZE).',
    );
  });

  it('drops spans that waited longer than maxAgeMs', async () => {
    const { send, delegates, lines, clock } = setup({ maxAgeMs: 10_000 });
    delegates.script.push(failed(), failed());
    await send(['old']);
    clock.now = 6000;
    await send(['young']);
    await vi.advanceTimersByTimeAsync(250);
    clock.now = 10_001;
    await vi.advanceTimersByTimeAsync(500);
    expect(delegates.delivered).toEqual(['young']);
    expect(lines.at(-1)).toBe(
      'Trace export to http://127.0.0.1:4317: 1 spans were dropped: 1 because they waited longer than ' +
        '10000 ms (OTEL_EXPORTER_OTLP_TRACES_RETRY_MAX_AGE).',
    );
  });

  it('reports the drops of an outage in one line, however many batches were dropped', async () => {
    const { send, delegates, lines } = setup({ maxSpans: 1 });
    delegates.script.push(failed());
    await send(['s0']);
    await send(...Array.from({ length: 49 }, (_, i) => [`s${i + 1}`]));
    await vi.advanceTimersByTimeAsync(250);
    expect(lines.filter((line) => /dropped/.test(line))).toEqual([
      expect.stringMatching(/: 49 spans were dropped: 49 because at most 1 are kept/),
    ]);
  });

  it('drops a batch the Collector refuses for good, with one line, and goes on with the next ones', async () => {
    const { send, delegates, lines, results } = setup();
    delegates.script.push(refused(), refused());
    await send(['bad'], ['bad2'], ['good']);
    expect(delegates.delivered).toEqual(['good']);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(
      /the Collector refused 1 spans: 3 INVALID_ARGUMENT: bad span\. Refused spans are dropped/,
    );
    // Not resent.
    await vi.advanceTimersByTimeAsync(5000);
    expect(delegates.attempts).toHaveLength(3);
    expect(results.map((result) => result.code)).toEqual([
      ExportResultCode.FAILED,
      ExportResultCode.FAILED,
      ExportResultCode.SUCCESS,
    ]);
  });

  it('marks the refusals it reported, so the global error handler drops them; other errors reach diag', async () => {
    const { send, delegates, results } = setup();
    delegates.script.push(refused(), {
      code: ExportResultCode.FAILED,
      error: Object.assign(new Error('x'), { code: 16 }),
    });
    await send(['a'], ['b']);
    const logged = vi.spyOn(diag, 'error').mockImplementation(() => {});
    for (const result of results) {
      expect(alreadyReported(result.error)).toBe(true);
      quietErrorHandler(result.error);
    }
    expect(logged).not.toHaveBeenCalled();
    quietErrorHandler(new Error('something else'));
    expect(logged).toHaveBeenCalledTimes(1);
    expect(logged.mock.calls[0]?.[0]).toContain('something else');
    expect(alreadyReported(new Error('never seen'))).toBe(false);
  });
});

describe('ResilientExporter: shutdown', () => {
  it('sends what is kept once more, then shuts the delegate down', async () => {
    const { send, delegates, exporter, lines } = setup();
    delegates.script.push(failed());
    await send(['a']);
    await send(['b']);
    await exporter.shutdown();
    expect(delegates.delivered).toEqual(['a', 'b']);
    expect(delegates.made.at(-1)!.shutdown).toHaveBeenCalledOnce();
    expect(lines.at(-1)).toMatch(/works again/);
  });

  it('when the Collector still fails, tries once, then reports what it drops in one line', async () => {
    const { send, delegates, exporter, lines } = setup();
    delegates.script.push(failed(), failed(), failed());
    await send(['a', 'b']);
    await send(['c']);
    await exporter.shutdown();
    expect(delegates.attempts).toHaveLength(2);
    expect(lines).toHaveLength(2);
    expect(lines[1]).toBe(
      'Trace export to http://127.0.0.1:4317: 3 spans were dropped: 3 because the service stopped before ' +
        'http://127.0.0.1:4317 took them.',
    );
    // No timer left behind, and nothing more is tried.
    await vi.advanceTimersByTimeAsync(10_000);
    expect(delegates.attempts).toHaveLength(2);
  });

  it('does not wait longer than shutdownFlushMs for a Collector that never answers', async () => {
    vi.useRealTimers();
    const { send, delegates, exporter, lines } = setup({}, { shutdownFlushMs: 50 });
    delegates.script.push(failed(), 'hang');
    await send(['a']);
    delegates.shutdownHangs = true;
    await exporter.shutdown();
    expect(delegates.attempts).toHaveLength(2);
    expect(lines.at(-1)).toMatch(/1 spans were dropped: 1 because the service stopped/);
  });

  it('is idempotent, and refuses exports afterwards', async () => {
    const { exporter, delegates } = setup();
    await Promise.all([exporter.shutdown(), exporter.shutdown()]);
    await exporter.shutdown();
    expect(delegates.made[0]!.shutdown).toHaveBeenCalledOnce();
    const result = await new Promise<ExportResult>((resolve) => exporter.export(spans('late'), resolve));
    expect(result.code).toBe(ExportResultCode.FAILED);
  });

  it('forceFlush sends what is kept now and flushes the delegate', async () => {
    const { send, delegates, exporter } = setup();
    delegates.script.push(failed());
    await send(['a']);
    await exporter.forceFlush();
    expect(delegates.delivered).toEqual(['a']);
    expect(delegates.made.at(-1)!.forceFlush).toHaveBeenCalledOnce();
  });
});
