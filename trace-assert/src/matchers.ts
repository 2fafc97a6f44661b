/**
 * Custom `expect` matchers for traces. Register them with
 * `expect.extend(traceMatchers)`, or use the ready-made typed `expect` from
 * `./expect.ts`.
 *
 * Every failure message carries the selector(s) as text, the closest spans
 * with what differs, and the full waterfall with the Jaeger link: a red CI run
 * must be debuggable from the log alone.
 */
import { Trace } from './model.ts';
import type { TraceSpan } from './model.ts';
import { describeSelector, describeSpan, findSpans, formatCandidates, matchesSelector } from './selector.ts';
import type { SpanSelector } from './selector.ts';
import { renderWaterfall } from './waterfall.ts';

/** What the matchers accept: a Trace, or anything carrying one (e.g. a `waitForTrace` result). */
export type TraceLike = Trace | { trace: Trace };

/**
 * The part of the matcher context we use. Kept minimal so the matchers run
 * under Playwright's expect and under other Jest-compatible expects (vitest).
 */
export interface TraceMatcherState {
  isNot: boolean;
}

export interface TraceMatcherResult {
  pass: boolean;
  message: () => string;
  name: string;
  expected?: unknown;
  actual?: unknown;
}

function isTrace(value: unknown): value is Trace {
  if (value instanceof Trace) return true;
  // Duck-typed too, in case two copies of this module got loaded.
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as Trace).traceId === 'string' &&
    Array.isArray((value as Trace).spans) &&
    typeof (value as Trace).roots === 'function' &&
    typeof (value as Trace).children === 'function'
  );
}

/** Unwraps the received value. A wrong type is a bug in the test, so it throws even under `.not`. */
function toTrace(received: unknown, matcher: string): Trace {
  if (isTrace(received)) return received;
  if (typeof received === 'object' && received !== null && 'trace' in received && isTrace(received.trace)) {
    return received.trace;
  }
  throw new Error(
    `${matcher}: expected a Trace or { trace: Trace } (e.g. a waitForTrace result), got ${String(received)}`,
  );
}

function listSpans(spans: readonly TraceSpan[], describe = describeSpan): string {
  return spans.length === 0 ? '  (none)' : spans.map((s) => `  - ${describe(s)}`).join('\n');
}

/** Assembles a message: call line, explanation, then the waterfall (with Jaeger link when known). */
function report(state: TraceMatcherState, matcher: string, args: string, body: string, trace: Trace): string {
  const call = `expect(trace)${state.isNot ? '.not' : ''}.${matcher}(${args})`;
  return `${call}\n\n${body}\n\n${renderWaterfall(trace)}`;
}

function spanParentText(trace: Trace, span: TraceSpan): string {
  if (span.parentSpanId === undefined) return 'no parent (it is a root)';
  const parent = trace.span(span.parentSpanId);
  return parent ? `parent ${describeSpan(parent)}` : `parent ${span.parentSpanId} (not in the trace)`;
}

/**
 * `toHaveSpan(selector, { times? })`: some span matches `selector`; with
 * `times`, exactly that many spans match.
 */
function toHaveSpan(
  this: TraceMatcherState,
  received: TraceLike,
  selector: SpanSelector,
  options: { times?: number } = {},
): TraceMatcherResult {
  const trace = toTrace(received, 'toHaveSpan');
  const { times } = options;
  const desc = describeSelector(selector);
  const matches = findSpans(trace, selector);
  const pass = times === undefined ? matches.length > 0 : matches.length === times;
  const args = times === undefined ? desc : `${desc}, { times: ${times} }`;
  const message = (): string => {
    let body: string;
    if (this.isNot) {
      const what = times === undefined ? 'no span' : `not exactly ${times} span(s)`;
      body = `Expected ${what} matching ${desc} in trace ${trace.traceId}, found ${matches.length}:\n${listSpans(matches)}`;
    } else if (matches.length === 0) {
      const what = times === undefined ? 'a span' : `exactly ${times} span(s)`;
      body =
        `Expected ${what} matching ${desc} in trace ${trace.traceId}, found none.\n` +
        `Closest spans:\n${formatCandidates(trace.spans, selector)}`;
    } else {
      body =
        `Expected exactly ${String(times)} span(s) matching ${desc} in trace ${trace.traceId}, ` +
        `found ${matches.length}:\n${listSpans(matches)}`;
    }
    return report(this, 'toHaveSpan', args, body, trace);
  };
  return { pass, message, name: 'toHaveSpan', expected: times ?? 'at least 1', actual: matches.length };
}

/**
 * `toHaveChildSpan(parentSelector, childSelector)`: a span matching
 * `childSelector` whose DIRECT parent matches `parentSelector`
 * (child.parentSpanId === parent.spanId; a grandchild does not count).
 */
function toHaveChildSpan(
  this: TraceMatcherState,
  received: TraceLike,
  parentSelector: SpanSelector,
  childSelector: SpanSelector,
): TraceMatcherResult {
  const trace = toTrace(received, 'toHaveChildSpan');
  const parentDesc = describeSelector(parentSelector);
  const childDesc = describeSelector(childSelector);
  const parents = findSpans(trace, parentSelector);
  const pairs = parents.flatMap((parent) =>
    trace
      .children(parent.spanId)
      .filter((child) => matchesSelector(child, childSelector))
      .map((child) => ({ parent, child })),
  );
  const pass = pairs.length > 0;
  const message = (): string => {
    const lines: string[] = [];
    if (this.isNot) {
      lines.push(
        `Expected no direct child matching ${childDesc} under a span matching ${parentDesc}, found:`,
      );
      for (const { parent, child } of pairs)
        lines.push(`  - ${describeSpan(parent)} -> ${describeSpan(child)}`);
    } else if (parents.length === 0) {
      lines.push(
        `Expected a direct child matching ${childDesc} under a span matching ${parentDesc}, ` +
          'but no span matches the parent selector.',
        `Closest spans to the parent selector:\n${formatCandidates(trace.spans, parentSelector)}`,
      );
    } else {
      lines.push(
        `Expected a direct child matching ${childDesc} under a span matching ${parentDesc}, found none.`,
      );
      lines.push(`Spans matching the parent selector:\n${listSpans(parents)}`);
      const children = findSpans(trace, childSelector);
      if (children.length > 0) {
        lines.push('Spans matching the child selector, and where they hang:');
        for (const child of children) {
          const ancestorParent = trace.ancestors(child).find((a) => parents.includes(a));
          const where = ancestorParent
            ? `a descendant of ${describeSpan(ancestorParent)} but not its direct child; its ${spanParentText(trace, child)}`
            : `its ${spanParentText(trace, child)}`;
          lines.push(`  - ${describeSpan(child)}: ${where}`);
        }
      } else {
        lines.push('No span matches the child selector.');
      }
      const direct = parents.flatMap((p) => trace.children(p.spanId));
      lines.push(
        direct.length === 0
          ? 'The parent span(s) have no children.'
          : `Direct children of the parent span(s), closest first:\n${formatCandidates(direct, childSelector)}`,
      );
    }
    return report(this, 'toHaveChildSpan', `${parentDesc}, ${childDesc}`, lines.join('\n'), trace);
  };
  return {
    pass,
    message,
    name: 'toHaveChildSpan',
    expected: `${parentDesc} -> ${childDesc}`,
    actual: pairs.map(({ parent, child }) => `${describeSpan(parent)} -> ${describeSpan(child)}`),
  };
}

/**
 * `toHaveSpanWithParent(selector, parentSpanId)`: a span matching `selector`
 * whose parent span id is exactly `parentSpanId`, e.g. the api SERVER span
 * under the browser span id read from `traceparent`.
 */
function toHaveSpanWithParent(
  this: TraceMatcherState,
  received: TraceLike,
  selector: SpanSelector,
  parentSpanId: string,
): TraceMatcherResult {
  const trace = toTrace(received, 'toHaveSpanWithParent');
  const id = String(parentSpanId).toLowerCase();
  if (!/^[0-9a-f]{16}$/.test(id)) {
    throw new Error(
      `toHaveSpanWithParent: parentSpanId must be 16 hex digits, got ${JSON.stringify(parentSpanId)}`,
    );
  }
  const desc = describeSelector(selector);
  const matches = findSpans(trace, selector);
  const hits = matches.filter((s) => s.parentSpanId === id);
  const pass = hits.length > 0;
  const message = (): string => {
    const lines: string[] = [];
    if (this.isNot) {
      lines.push(`Expected no span matching ${desc} with parent ${id}, found:\n${listSpans(hits)}`);
    } else if (matches.length === 0) {
      lines.push(
        `Expected a span matching ${desc} with parent ${id}, but no span matches the selector.`,
        `Closest spans:\n${formatCandidates(trace.spans, selector)}`,
      );
    } else {
      lines.push(
        `Expected a span matching ${desc} with parent ${id}, but the matching spans have other parents:`,
      );
      for (const span of matches) lines.push(`  - ${describeSpan(span)}: ${spanParentText(trace, span)}`);
    }
    const parent = trace.span(id);
    lines.push(
      parent
        ? `Span ${id} is in the trace: ${describeSpan(parent)}`
        : `Span ${id} is not in the trace (not exported yet, or the id belongs to another trace).`,
    );
    return report(this, 'toHaveSpanWithParent', `${desc}, ${JSON.stringify(id)}`, lines.join('\n'), trace);
  };
  return {
    pass,
    message,
    name: 'toHaveSpanWithParent',
    expected: id,
    actual: matches.map((s) => s.parentSpanId ?? null),
  };
}

/**
 * `toBeConnectedTrace()`: exactly one root span, no orphans (spans whose
 * parent is missing), and every span reachable from the root.
 */
function toBeConnectedTrace(this: TraceMatcherState, received: TraceLike): TraceMatcherResult {
  const trace = toTrace(received, 'toBeConnectedTrace');
  const roots = trace.roots();
  const orphans = trace.orphans();
  const root = roots.length === 1 ? roots[0] : undefined;
  // Catches what roots/orphans alone cannot: descendants of orphans and parent cycles.
  const detached = trace.detached();
  const pass = trace.isConnected();
  const message = (): string => {
    const lines: string[] = [];
    if (this.isNot) {
      lines.push(
        `Expected trace ${trace.traceId} not to be connected, but it has one root ` +
          `(${root ? describeSpan(root) : '?'}) and every span hangs below it.`,
      );
    } else {
      lines.push(
        `Expected trace ${trace.traceId} to be connected (exactly one root, no orphans), ` +
          `but it has ${roots.length} root(s) and ${orphans.length} orphan(s).`,
        `Roots:\n${listSpans(roots)}`,
      );
      if (orphans.length > 0) {
        lines.push(
          `Orphans (parent not in trace):\n${listSpans(orphans, (s) => `${describeSpan(s)}, parent ${String(s.parentSpanId)}`)}`,
          'An orphan means its parent span never reached Jaeger (not flushed yet, dropped, or unsampled) ' +
            'or the context came from another trace.',
        );
      }
      const others = detached.filter((s) => !orphans.includes(s) && !roots.includes(s));
      if (root !== undefined && others.length > 0) {
        lines.push(`Other spans not below the root:\n${listSpans(others)}`);
      }
    }
    return report(this, 'toBeConnectedTrace', '', lines.join('\n'), trace);
  };
  return {
    pass,
    message,
    name: 'toBeConnectedTrace',
    expected: { roots: 1, orphans: 0 },
    actual: { roots: roots.length, orphans: orphans.length },
  };
}

function exceptionSummary(span: TraceSpan): string {
  const exception = span.events.find((e) => e.name === 'exception');
  const status = `status ${span.status.code}${span.status.message ? ` (${span.status.message})` : ''}`;
  if (!exception) {
    const names = span.events.map((e) => e.name);
    return `${status}, no exception event (events: ${names.length === 0 ? 'none' : names.join(', ')})`;
  }
  const type = exception.attributes['exception.type'];
  const msg = exception.attributes['exception.message'];
  return `${status}, exception ${String(type ?? '?')}: ${String(msg ?? '')}`;
}

/**
 * `toHaveErrorSpan(selector)`: a span matching `selector` with status ERROR
 * and an `exception` event (what `span.recordException` + `setStatus(ERROR)` leave).
 */
function toHaveErrorSpan(
  this: TraceMatcherState,
  received: TraceLike,
  selector: SpanSelector,
): TraceMatcherResult {
  const trace = toTrace(received, 'toHaveErrorSpan');
  const desc = describeSelector(selector);
  const matches = findSpans(trace, selector);
  const hits = matches.filter(
    (s) => s.status.code === 'ERROR' && s.events.some((e) => e.name === 'exception'),
  );
  const pass = hits.length > 0;
  const message = (): string => {
    let body: string;
    if (this.isNot) {
      body = `Expected no error span matching ${desc}, found:\n${listSpans(hits, (s) => `${describeSpan(s)}: ${exceptionSummary(s)}`)}`;
    } else if (matches.length === 0) {
      body =
        `Expected an error span (status ERROR + exception event) matching ${desc}, but no span matches the selector.\n` +
        `Closest spans:\n${formatCandidates(trace.spans, selector)}`;
    } else {
      body =
        `Expected an error span (status ERROR + exception event) matching ${desc}, but the matching spans are:\n` +
        listSpans(matches, (s) => `${describeSpan(s)}: ${exceptionSummary(s)}`);
    }
    return report(this, 'toHaveErrorSpan', desc, body, trace);
  };
  return {
    pass,
    message,
    name: 'toHaveErrorSpan',
    expected: 'status ERROR with an exception event',
    actual: matches.map(exceptionSummary),
  };
}

/**
 * `toHaveSpanDuration(selector, { minMs?, maxMs? })`: at least one span
 * matches `selector`, and EVERY matching span lasts within [minMs, maxMs]
 * (bounds inclusive). At least one bound is required.
 */
function toHaveSpanDuration(
  this: TraceMatcherState,
  received: TraceLike,
  selector: SpanSelector,
  bounds: { minMs?: number; maxMs?: number },
): TraceMatcherResult {
  const trace = toTrace(received, 'toHaveSpanDuration');
  const { minMs, maxMs } = bounds;
  if (minMs === undefined && maxMs === undefined) {
    throw new Error('toHaveSpanDuration: give minMs and/or maxMs');
  }
  const desc = describeSelector(selector);
  const range = `[${minMs ?? 0} ms, ${maxMs ?? '∞'} ms]`;
  const matches = findSpans(trace, selector);
  const outside = matches.filter(
    (s) => (minMs !== undefined && s.durationMs < minMs) || (maxMs !== undefined && s.durationMs > maxMs),
  );
  const pass = matches.length > 0 && outside.length === 0;
  const withDuration = (s: TraceSpan): string => `${describeSpan(s)}: ${s.durationMs.toFixed(3)} ms`;
  const message = (): string => {
    let body: string;
    if (this.isNot) {
      body = `Expected some span matching ${desc} to last outside ${range}, but all do:\n${listSpans(matches, withDuration)}`;
    } else if (matches.length === 0) {
      body =
        `Expected spans matching ${desc} to last within ${range}, but no span matches the selector.\n` +
        `Closest spans:\n${formatCandidates(trace.spans, selector)}`;
    } else {
      body = `Expected every span matching ${desc} to last within ${range}; outside:\n${listSpans(outside, withDuration)}`;
    }
    return report(this, 'toHaveSpanDuration', `${desc}, ${JSON.stringify(bounds)}`, body, trace);
  };
  return {
    pass,
    message,
    name: 'toHaveSpanDuration',
    expected: { minMs, maxMs },
    actual: matches.map((s) => s.durationMs),
  };
}

/** The trace matchers, for `expect.extend(traceMatchers)`. */
export const traceMatchers = {
  toHaveSpan,
  toHaveChildSpan,
  toHaveSpanWithParent,
  toBeConnectedTrace,
  toHaveErrorSpan,
  toHaveSpanDuration,
};
