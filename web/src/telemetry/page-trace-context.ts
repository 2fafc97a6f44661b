/**
 * The trace a page may be part of: `<meta name="traceparent" content="00-…">`.
 *
 * Whoever serves or drives the page can put it in the document to say "this
 * page belongs to my trace": the OpenTelemetry document-load instrumentation
 * already reads this very meta to parent the page's load spans, and
 * runUserAction (user-action.ts) reads it to parent its user action spans. The
 * Playwright fixture of trace-assert (`testTracing`) inserts it before the
 * app's scripts run, so the user actions of a test become children of the
 * test's span.
 *
 * Why this is safe in production: a page without the meta (this app's, as
 * served) gets the root context, so every user action starts its own trace,
 * as it always did. A malformed meta is ignored the same way. A server-rendered
 * page could set the meta to join the trace of the request that rendered it.
 * The meta is only ever a PARENT: it never touches the `traceparent` header
 * the fetch instrumentation sends, which still carries the id of the browser's
 * own fetch span, so the API's SERVER span stays its direct child.
 */
import type { Context } from '@opentelemetry/api';
import { propagation, ROOT_CONTEXT, trace } from '@opentelemetry/api';

/** The meta's name, the W3C header's name (as document-load looks it up). */
export const TRACEPARENT_META = 'traceparent';

/** What this module needs of `document`, so the unit tests run without a DOM. */
export interface MetaSource {
  querySelector(selector: string): { getAttribute(name: string): string | null } | null;
}

/**
 * The context a user action's span starts in: the page's trace when the
 * document carries a valid `<meta name="traceparent">`, else the root context
 * (a new trace). Parsed by the registered propagator, as document-load does,
 * so both read the meta alike; a value it rejects (malformed, all-zero ids)
 * gives the root context. Without the SDK (no propagator registered) it is
 * the root context too.
 */
export function pageParentContext(doc: MetaSource | undefined): Context {
  const content = doc?.querySelector(`meta[name="${TRACEPARENT_META}"]`)?.getAttribute('content');
  if (!content) return ROOT_CONTEXT;
  const extracted = propagation.extract(ROOT_CONTEXT, { traceparent: content });
  return trace.getSpanContext(extracted) === undefined ? ROOT_CONTEXT : extracted;
}

/**
 * The id of the meta's span when the page's trace is `traceId`: the span the
 * page's user actions of that trace hang below, which Jaeger may not have
 * (a test exports its span when it ends). Undefined otherwise.
 */
export function pageParentSpanId(doc: MetaSource | undefined, traceId: string): string | undefined {
  const parent = trace.getSpanContext(pageParentContext(doc));
  return parent?.traceId === traceId ? parent.spanId : undefined;
}
