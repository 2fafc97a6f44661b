/**
 * Span selectors: a small declarative way to say "the api SERVER span for
 * GET /items/:id", plus the text helpers that make failures readable.
 */
import type { AttributeValue, SpanKind, StatusCode, Trace, TraceSpan } from './model.ts';

/** A predicate on one attribute; `undefined` means the span does not have the attribute. */
export type AttributePredicate = (value: AttributeValue | undefined) => boolean;

/** What one span must look like. Every given field must match; omitted fields match anything. */
export interface SpanSelector {
  /** The span's id, exact: a span known by id, such as the parent in a captured `traceparent`. */
  spanId?: string;
  /** Resource attribute `service.name`, exact. */
  service?: string;
  /** Span name: exact string, or a RegExp tested against it. */
  name?: string | RegExp;
  kind?: SpanKind;
  /**
   * Span attributes (not resource attributes). A value must be deeply equal
   * (type included: `200` is not `'200'`); a RegExp is tested against the
   * string form of a string/number/boolean value; a function decides itself.
   */
  attributes?: Record<string, AttributeValue | RegExp | AttributePredicate>;
  status?: StatusCode;
}

/** Tests a RegExp without the statefulness of /g and /y (lastIndex would make results alternate). */
function regexTest(re: RegExp, text: string): boolean {
  return new RegExp(re.source, re.flags.replace(/[gy]/g, '')).test(text);
}

function deepEqual(a: AttributeValue | undefined, b: AttributeValue | undefined): boolean {
  if (a === b) return true;
  if (typeof a === 'number' && typeof b === 'number') return Number.isNaN(a) && Number.isNaN(b);
  if (Array.isArray(a) || Array.isArray(b)) {
    return (
      Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((x, i) => deepEqual(x, b[i]))
    );
  }
  if (typeof a === 'object' && a !== null && typeof b === 'object' && b !== null) {
    const ka = Object.keys(a);
    const kb = Object.keys(b);
    return ka.length === kb.length && ka.every((k) => Object.hasOwn(b, k) && deepEqual(a[k], b[k]));
  }
  return false;
}

function attributeMatches(
  expected: AttributeValue | RegExp | AttributePredicate,
  actual: AttributeValue | undefined,
): boolean {
  if (typeof expected === 'function') return expected(actual);
  if (expected instanceof RegExp) {
    return (
      (typeof actual === 'string' || typeof actual === 'number' || typeof actual === 'boolean') &&
      regexTest(expected, String(actual))
    );
  }
  return deepEqual(expected, actual);
}

function nameMatches(expected: string | RegExp, actual: string): boolean {
  return typeof expected === 'string' ? expected === actual : regexTest(expected, actual);
}

/** Reads an own attribute only, so a key like `constructor` cannot hit Object.prototype. */
function attributeOf(span: TraceSpan, key: string): AttributeValue | undefined {
  return Object.hasOwn(span.attributes, key) ? span.attributes[key] : undefined;
}

/** True when `span` satisfies every field given in `sel`. */
export function matchesSelector(span: TraceSpan, sel: SpanSelector): boolean {
  return explainMismatch(span, sel).length === 0;
}

/** All spans of `trace` matching `sel`, in start-time order. */
export function findSpans(trace: Trace, sel: SpanSelector): TraceSpan[] {
  return trace.spans.filter((span) => matchesSelector(span, sel));
}

/** Formats an attribute value compactly: strings bare, everything else as JSON. */
export function formatValue(value: AttributeValue | undefined): string {
  if (value === undefined) return '(missing)';
  if (typeof value === 'string') return value;
  return JSON.stringify(value);
}

/** Formats a value with its type, for "expected X, got Y" where `200` vs `"200"` matters. */
function formatTyped(value: AttributeValue | undefined): string {
  if (value === undefined) return '(missing)';
  if (value === null) return 'null (empty value)';
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'object') return JSON.stringify(value);
  return `${String(value)} (${typeof value})`;
}

function formatExpectedAttribute(expected: AttributeValue | RegExp | AttributePredicate): string {
  if (typeof expected === 'function') return `a value satisfying ${expected.name || 'the predicate'}`;
  if (expected instanceof RegExp) return `a value matching ${String(expected)}`;
  return formatTyped(expected);
}

/**
 * A readable one-liner for a selector, e.g.
 * `api SERVER "GET /items/:id" {http.route=/items/:id} status=ERROR`.
 */
export function describeSelector(sel: SpanSelector): string {
  const parts: string[] = [];
  if (sel.spanId !== undefined) parts.push(`span ${sel.spanId}`);
  if (sel.service !== undefined) parts.push(sel.service);
  if (sel.kind !== undefined) parts.push(sel.kind);
  if (sel.name !== undefined)
    parts.push(typeof sel.name === 'string' ? JSON.stringify(sel.name) : String(sel.name));
  const attrs = Object.entries(sel.attributes ?? {}).map(([key, expected]) => {
    if (typeof expected === 'function') return `${key} satisfies ${expected.name || 'predicate'}`;
    if (expected instanceof RegExp) return `${key}~${String(expected)}`;
    return `${key}=${formatValue(expected)}`;
  });
  if (attrs.length > 0) parts.push(`{${attrs.join(', ')}}`);
  if (sel.status !== undefined) parts.push(`status=${sel.status}`);
  return parts.length === 0 ? 'any span' : parts.join(' ');
}

/** A one-liner for a span: `api SERVER "GET /items/:id" (span 00f067aa0ba902b7)`. */
export function describeSpan(span: TraceSpan): string {
  return `${span.service} ${span.kind} ${JSON.stringify(span.name)} (span ${span.spanId})`;
}

/**
 * Lists every field of `span` that differs from `sel`, one readable string
 * each (e.g. `kind: expected SERVER, got CLIENT`). Empty when the span matches.
 */
export function explainMismatch(span: TraceSpan, sel: SpanSelector): string[] {
  const out: string[] = [];
  if (sel.spanId !== undefined && sel.spanId !== span.spanId) {
    out.push(`spanId: expected ${sel.spanId}, got ${span.spanId}`);
  }
  if (sel.service !== undefined && sel.service !== span.service) {
    out.push(`service: expected ${JSON.stringify(sel.service)}, got ${JSON.stringify(span.service)}`);
  }
  if (sel.kind !== undefined && sel.kind !== span.kind) {
    out.push(`kind: expected ${sel.kind}, got ${span.kind}`);
  }
  if (sel.name !== undefined && !nameMatches(sel.name, span.name)) {
    const expected = typeof sel.name === 'string' ? JSON.stringify(sel.name) : `to match ${String(sel.name)}`;
    out.push(`name: expected ${expected}, got ${JSON.stringify(span.name)}`);
  }
  for (const [key, expected] of Object.entries(sel.attributes ?? {})) {
    const actual = attributeOf(span, key);
    if (!attributeMatches(expected, actual)) {
      out.push(`attribute ${key}: expected ${formatExpectedAttribute(expected)}, got ${formatTyped(actual)}`);
    }
  }
  if (sel.status !== undefined && sel.status !== span.status.code) {
    out.push(`status: expected ${sel.status}, got ${span.status.code}`);
  }
  return out;
}

/** A span and why it does not match. */
export interface Candidate {
  span: TraceSpan;
  mismatches: string[];
}

/**
 * The spans that come closest to matching `sel` (fewest differing fields
 * first), for "did you mean" lines in failure messages.
 */
export function closestCandidates(spans: readonly TraceSpan[], sel: SpanSelector, limit = 3): Candidate[] {
  return spans
    .map((span) => ({ span, mismatches: explainMismatch(span, sel) }))
    .filter((c) => c.mismatches.length > 0)
    .sort((a, b) => a.mismatches.length - b.mismatches.length)
    .slice(0, limit);
}

/** Formats {@link closestCandidates} as indented lines, or a note when the trace has no spans. */
export function formatCandidates(spans: readonly TraceSpan[], sel: SpanSelector, limit = 3): string {
  const candidates = closestCandidates(spans, sel, limit);
  if (candidates.length === 0) return '  (no other spans to compare)';
  return candidates
    .map((c) => `  - ${describeSpan(c.span)}\n${c.mismatches.map((m) => `      ${m}`).join('\n')}`)
    .join('\n');
}
