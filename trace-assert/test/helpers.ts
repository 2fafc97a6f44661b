/** Shared test helpers: recorded Jaeger responses from test/fixtures. */
import { readFileSync } from 'node:fs';
import { parseOtlpTrace } from '../src/otlp-json.ts';
import { Trace } from '../src/model.ts';

export type FixtureName = 'items-ok' | 'items-500' | 'items-500-protojson';

/** A fresh deep copy of a recorded response, safe to mutate in a test. */
export function loadJson(name: FixtureName): Record<string, unknown> {
  return JSON.parse(readFileSync(new URL(`./fixtures/${name}.json`, import.meta.url), 'utf8')) as Record<
    string,
    unknown
  >;
}

/** A recorded trace, with `link` as its link when given. */
export function loadTrace(name: FixtureName, link?: string): Trace {
  const trace = parseOtlpTrace(loadJson(name));
  return link === undefined ? trace : new Trace(trace.traceId, trace.spans, { link });
}

/** Loose view of an OTLP span, for editing fixtures in tests. */
export interface RawSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  [key: string]: unknown;
}

interface RawDoc {
  result: { resourceSpans: { scopeSpans: { spans: RawSpan[] }[] }[] };
}

/** Every raw span of a `{result: …}` fixture, for in-place edits. */
export function rawSpans(doc: Record<string, unknown>): RawSpan[] {
  return (doc as unknown as RawDoc).result.resourceSpans.flatMap((rs) =>
    rs.scopeSpans.flatMap((ss) => ss.spans),
  );
}

/** A copy without the spans matching `predicate` (e.g. to simulate a not-yet-flushed browser span). */
export function withoutSpans(
  doc: Record<string, unknown>,
  predicate: (span: RawSpan) => boolean,
): Record<string, unknown> {
  const copy = structuredClone(doc) as unknown as RawDoc;
  for (const rs of copy.result.resourceSpans) {
    for (const ss of rs.scopeSpans) ss.spans = ss.spans.filter((s) => !predicate(s));
  }
  return copy as unknown as Record<string, unknown>;
}

export const OK_TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
export const ERR_TRACE_ID = '0af7651916cd43dd8448eb211c80319c';
export const WEB_SPAN_ID = '00f067aa0ba902b7';
export const SERVER_SPAN_ID = 'b7ad6b7169203331';
export const REQUEST_SPAN_ID = '5fb397be34d26b51';
export const HANDLER_SPAN_ID = '3f2b1c8d9e0a4b7c';
