/**
 * Where "Open in Jaeger" goes. Jaeger's UI where it serves one (the official
 * image), the page's own trace list where it serves its placeholder page (a
 * binary built without the UI assets, as on the native path) or where that
 * is not known yet: a link must never lead to "This is not the Jaeger UI you
 * are looking for". What Jaeger serves is read by the API (`jaegerUi` of
 * `GET /status`), never guessed from how the stack was started. Pure:
 * unit-tested in test/trace-list/trace-link.test.ts.
 */
import type { JaegerUiKind } from '@tracing-demo/contracts';
import { jaegerTraceUrl } from '@tracing-demo/stack';
import { traceListHref } from './route';

export interface TraceLinkTarget {
  href: string;
  /** Jaeger's UI, opened in a new tab; otherwise the page's trace list, in place. */
  inJaeger: boolean;
}

export function traceLinkTarget(
  traceId: string,
  jaegerUrl: string,
  jaegerUi: JaegerUiKind | undefined,
): TraceLinkTarget {
  return jaegerUi === 'real'
    ? { href: jaegerTraceUrl(jaegerUrl, traceId), inJaeger: true }
    : { href: traceListHref(traceId), inJaeger: false };
}
