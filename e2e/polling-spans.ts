/**
 * What "a trace made by health or status polling" looks like in Jaeger: a
 * span whose URL path is a health or helper path of the stack (`/healthz`,
 * the API's untraced `/status`, `/traces` and `/traces/…`), or whose full URL
 * starts with one of the URLs the API's status route asks (the Collector's
 * and Jaeger's health, Jaeger's UI root).
 */
import type { TraceSpan } from '@tracing-demo/trace-assert';

const POLLED_PATH = /^\/(healthz|status|traces)$|^\/traces\//;
const URL_ATTRIBUTES = ['url.path', 'http.target', 'http.route', 'url.full', 'http.url'];

function pathOf(value: string): string {
  try {
    return new URL(value, 'http://x').pathname;
  } catch {
    return value;
  }
}

/** The spans of `spans` that a health or status poll made; `healthUrls` are the stack's health endpoints. */
export function pollingSpans(spans: readonly TraceSpan[], healthUrls: readonly string[]): TraceSpan[] {
  return spans.filter((span) => {
    const values = URL_ATTRIBUTES.map((key) => span.attributes[key]).filter(
      (value): value is string => typeof value === 'string',
    );
    if (values.some((value) => POLLED_PATH.test(pathOf(value)))) return true;
    if (values.some((value) => healthUrls.some((url) => value.startsWith(url)))) return true;
    // The span name of an HTTP span is "GET /route"; a hand-made one could name the path.
    return /\s\/(healthz|status|traces)\b/.test(span.name);
  });
}
