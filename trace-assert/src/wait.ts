/**
 * `waitForTrace`: the assertions' wait for a trace in a {@link TraceSource}
 * (every expected span there, the span count settled), on top of the one
 * poller ({@link pollTrace}); at its deadline a {@link TraceTimeoutError} says
 * what was expected, what was found and what went wrong.
 */
import { errorText, sourceOf } from './jaeger.ts';
import type { SourceOption } from './jaeger.ts';
import type { Trace } from './model.ts';
import { pollTrace } from './poll.ts';
import type { FetchTraceResult, TraceSource } from './source.ts';
import { describeSelector, findSpans, formatCandidates } from './selector.ts';
import type { SpanSelector } from './selector.ts';
import { renderWaterfall } from './waterfall.ts';

/** A selector that must match at least once, or at least `times` times. */
export type ExpectedSpan = SpanSelector | { selector: SpanSelector; times: number };

/** How {@link waitForTrace} waits (the fixture's `traces.waitFor` takes these too). */
export interface WaitSettings {
  /** The trace must have at least this many spans. */
  minSpans?: number;
  /** Give up after this long. Default 10000. */
  timeoutMs?: number;
  /** Pause between polls. Default 100. */
  intervalMs?: number;
  /** This many consecutive polls must see the same span count. Default 2 (1 disables the check). */
  stablePolls?: number;
  /** Aborts the wait (the abort reason is thrown). */
  signal?: AbortSignal;
}

/**
 * The trace, what it must contain, and where to read it: `source` (any
 * {@link TraceSource}), or `jaegerUrl` (Jaeger's UI/query base URL, e.g.
 * `http://127.0.0.1:16686`) as shorthand for `jaegerSource(jaegerUrl)`.
 */
export type WaitForTraceOptions = WaitSettings &
  SourceOption & {
    traceId: string;
    /** Every entry must be matched (at least once, or at least `times` times) before the trace counts as complete. */
    expect: readonly ExpectedSpan[];
  };

export interface WaitForTraceResult {
  trace: Trace;
  raw: unknown;
  /** Number of requests made to the source. */
  polls: number;
  waitedMs: number;
  /**
   * Epoch ms of the first poll that already saw the final trace (every
   * expected span, the final span count): when the trace became complete, as
   * opposed to when its stability was confirmed one or more polls later.
   */
  completedAt: number;
}

/** Normalises an {@link ExpectedSpan} entry. */
export function expectedEntry(entry: ExpectedSpan): { selector: SpanSelector; times: number } {
  return 'selector' in entry ? entry : { selector: entry, times: 1 };
}

/** Thrown by {@link waitForTrace} at its deadline; the message says what was expected and what was found. */
export class TraceTimeoutError extends Error {
  readonly traceId: string;
  readonly polls: number;
  readonly waitedMs: number;
  /** Described selectors that were still unmatched (or matched too few times). */
  readonly missing: string[];
  /** The last trace seen, if any, and its raw JSON. */
  readonly trace: Trace | undefined;
  readonly raw: unknown;
  readonly lastError: unknown;

  constructor(details: {
    message: string;
    traceId: string;
    polls: number;
    waitedMs: number;
    missing: string[];
    last: FetchTraceResult | undefined;
    lastError: unknown;
  }) {
    super(details.message);
    this.name = 'TraceTimeoutError';
    this.traceId = details.traceId;
    this.polls = details.polls;
    this.waitedMs = details.waitedMs;
    this.missing = details.missing;
    this.trace = details.last?.trace;
    this.raw = details.last?.raw;
    this.lastError = details.lastError;
  }
}

/**
 * Polls the source until trace `traceId` is complete: every `expect` selector is
 * matched (at least `times` times), the trace has at least `minSpans` spans,
 * and its span count was the same for `stablePolls` consecutive polls.
 *
 * Errors while polling (the backend not up yet, a 500…) are remembered and polling
 * goes on. A poll that starts just before the deadline may take up to one more
 * second to answer before it is abandoned. At the deadline it throws
 * {@link TraceTimeoutError} with the trace id, the expected selectors (marking
 * the missing ones), the waterfall of what was found (or "no trace yet"), the
 * number of polls, the time waited and the last error. Aborting `signal`
 * rejects with the signal's reason.
 */
export async function waitForTrace(options: WaitForTraceOptions): Promise<WaitForTraceResult> {
  const { traceId } = options;
  const source: TraceSource = sourceOf(options);
  const timeoutMs = options.timeoutMs ?? 10_000;
  const stablePolls = Math.max(1, options.stablePolls ?? 2);
  const minSpans = options.minSpans ?? 0;
  const expected = options.expect.map(expectedEntry);
  const found = (trace: Trace | undefined) =>
    expected.map((e) => (trace ? findSpans(trace, e.selector).length : 0));

  const result = await pollTrace({
    source,
    traceId,
    timeoutMs,
    intervalMs: options.intervalMs ?? 100,
    stablePolls,
    signal: options.signal,
    isComplete: (trace) =>
      trace.spans.length >= minSpans && found(trace).every((n, i) => n >= (expected[i]?.times ?? 1)),
  });
  const { last, polls, waitedMs, lastError } = result;
  if (result.complete && last && result.completedAt !== undefined) {
    return { trace: last.trace, raw: last.raw, polls, waitedMs, completedAt: result.completedAt };
  }

  // Report against the last trace seen, even if the final poll failed.
  const shownCounts = found(last?.trace);
  const missing = expected
    .filter((e, i) => (shownCounts[i] ?? 0) < e.times)
    .map((e) => describeSelector(e.selector));
  const lines: string[] = [
    `Trace ${traceId} was not complete after ${waitedMs} ms (${polls} poll${polls === 1 ? '' : 's'} of ${source.name}, timeout ${timeoutMs} ms).`,
    `Expected (each selector at least once, span count unchanged for ${stablePolls} consecutive polls${minSpans > 0 ? `, at least ${minSpans} spans` : ''}):`,
  ];
  const states = expected.map((e, i) => {
    const n = shownCounts[i] ?? 0;
    const need = e.times === 1 ? '' : ` (need ${e.times})`;
    return n >= e.times ? `found ${n}x` : `MISSING (found ${n}x${need})`;
  });
  const stateWidth = Math.max(0, ...states.map((state) => state.length));
  expected.forEach((e, i) => {
    const n = shownCounts[i] ?? 0;
    lines.push(`  ${(states[i] ?? '').padEnd(stateWidth)}  ${describeSelector(e.selector)}`);
    if (n < e.times && last) {
      lines.push(
        '    closest spans:',
        formatCandidates(last.trace.spans, e.selector, 2).replace(/^/gm, '    '),
      );
    }
  });
  if (expected.length === 0) lines.push('  (no selectors)');
  if (missing.length > 0) lines.push(`Missing: ${missing.join('; ')}`);
  if (last && last.trace.spans.length < minSpans) {
    lines.push(`Span count: ${last.trace.spans.length}, expected at least ${minSpans}.`);
  } else if (last && missing.length === 0) {
    lines.push(
      result.sameCountPolls === 0
        ? `Span count not confirmed stable: the last poll failed.`
        : `Span count still changing: ${result.lastCount} spans seen by only ${result.sameCountPolls} consecutive poll(s).`,
    );
  }
  lines.push('Found:');
  lines.push(
    last
      ? renderWaterfall(last.trace, { link: source.traceLink?.(traceId) })
      : `  no trace yet (${source.name} does not have it)`,
  );
  if (lastError !== undefined)
    lines.push(`Last error (poll ${result.lastErrorPoll}): ${errorText(lastError)}`);
  throw new TraceTimeoutError({
    message: lines.join('\n'),
    traceId,
    polls,
    waitedMs,
    missing,
    last,
    lastError,
  });
}
