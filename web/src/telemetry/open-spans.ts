import type { Context } from '@opentelemetry/api';
import type { ReadableSpan, Span, SpanProcessor } from '@opentelemetry/sdk-trace-web';

/** Set on a span that the page ended because it was going away. */
export const ENDED_AT_PAGEHIDE_ATTRIBUTE = 'app.ended_at_pagehide';

/**
 * Keeps the spans that have started and not ended yet, so the page can end
 * them when it goes away (`pagehide`) and flush them with the rest.
 *
 * Why: the fetch instrumentation sets a request's status and attributes when
 * the response arrives, but ends its span about 300 ms later (it waits for the
 * resource timing entry). A page closed within those 300 ms would lose the
 * span of a request that did complete, and the API's SERVER span would be
 * left without its parent. Ended here instead, the span keeps everything but
 * the network timing events, and says so in {@link ENDED_AT_PAGEHIDE_ATTRIBUTE}.
 * The instrumentation's own later `end()` is then ignored by the SDK.
 *
 * Register it BEFORE the batch processor, so that a span it ends is queued
 * for export by the batch processor's onEnd.
 */
export class OpenSpanTracker implements SpanProcessor {
  readonly #open = new Set<Span>();

  onStart(span: Span, _parentContext: Context): void {
    this.#open.add(span);
  }

  onEnd(span: ReadableSpan): void {
    // The SDK hands onEnd the same object onStart received.
    this.#open.delete(span as Span);
  }

  /** Spans started and not ended yet. */
  get openCount(): number {
    return this.#open.size;
  }

  /** Ends every open span, marking it; returns how many it ended. */
  endOpenSpans(): number {
    const open = [...this.#open];
    for (const span of open) {
      if (span.ended) {
        this.#open.delete(span);
        continue;
      }
      span.setAttribute(ENDED_AT_PAGEHIDE_ATTRIBUTE, true);
      span.end();
    }
    return open.length;
  }

  forceFlush(): Promise<void> {
    return Promise.resolve();
  }

  shutdown(): Promise<void> {
    this.#open.clear();
    return Promise.resolve();
  }
}
