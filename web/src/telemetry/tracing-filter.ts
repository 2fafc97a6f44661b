import type { Context } from '@opentelemetry/api';
import type { ReadableSpan, Span, SpanProcessor } from '@opentelemetry/sdk-trace-web';
import { ATTR_URL_FULL } from '@opentelemetry/semantic-conventions';

/**
 * Passes every span on to `next` except those whose `url.full` matches one of
 * `untraced`, which are dropped (never exported).
 *
 * Why: the fetch instrumentation ignores those URLs itself (`ignoreUrls`), but
 * the document-load instrumentation has no such option. When it records the
 * page's load it turns EVERY resource timing entry the browser holds into a
 * `resourceFetch` span, and that includes a `GET /status` the page made while
 * loading. Dropped here, an untraced URL makes no span in any trace.
 */
export class UntracedUrlFilter implements SpanProcessor {
  readonly #next: SpanProcessor;
  readonly #untraced: readonly RegExp[];

  constructor(next: SpanProcessor, untraced: readonly RegExp[]) {
    this.#next = next;
    this.#untraced = untraced;
  }

  onStart(span: Span, parentContext: Context): void {
    this.#next.onStart(span, parentContext);
  }

  onEnd(span: ReadableSpan): void {
    const url = span.attributes[ATTR_URL_FULL];
    if (typeof url === 'string' && this.#untraced.some((re) => re.test(url))) return;
    this.#next.onEnd(span);
  }

  forceFlush(): Promise<void> {
    return this.#next.forceFlush();
  }

  shutdown(): Promise<void> {
    return this.#next.shutdown();
  }
}
