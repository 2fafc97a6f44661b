/**
 * Checks of what the page's own spans carry beyond fetches: the session
 * (session.id on every span of service `web`). Pure: the specs that use them
 * also feed them the spans they must reject.
 */
import type { TraceSpan } from '@tracing-demo/trace-assert';

/** A session id as @opentelemetry/web-common makes them: 32 lowercase hex digits. */
const SESSION_ID = /^[0-9a-f]{32}$/;

/** The `web` spans of `spans` whose `session.id` is missing, malformed, or not `expected` (when given). */
export function webSpansOutsideSession(spans: readonly TraceSpan[], expected?: string): TraceSpan[] {
  return spans.filter((span) => {
    if (span.service !== 'web') return false;
    const id = span.attributes['session.id'];
    return typeof id !== 'string' || !SESSION_ID.test(id) || (expected !== undefined && id !== expected);
  });
}

/** One line per span, to print what a check flagged. */
export function describeSpans(spans: readonly TraceSpan[]): string {
  return spans
    .map(
      (span) =>
        `${span.service} ${span.kind} "${span.name}" session.id=${String(span.attributes['session.id'])}`,
    )
    .join('\n');
}

/**
 * The `exception` event of `span` that follows the exception semantic
 * conventions (exception.type `type`, a message and a stack trace), if any.
 */
export function exceptionEventOf(span: TraceSpan, type: string): TraceSpan['events'][number] | undefined {
  return span.events.find(
    (event) =>
      event.name === 'exception' &&
      event.attributes['exception.type'] === type &&
      typeof event.attributes['exception.message'] === 'string' &&
      event.attributes['exception.message'] !== '' &&
      typeof event.attributes['exception.stacktrace'] === 'string' &&
      event.attributes['exception.stacktrace'] !== '',
  );
}

/** The route change spans of `spans` made in session `sessionId`, oldest first. */
export function routeChangesOf(spans: readonly TraceSpan[], sessionId: string): TraceSpan[] {
  return spans
    .filter(
      (span) =>
        span.service === 'web' &&
        span.name.startsWith('route_change ') &&
        span.attributes['session.id'] === sessionId &&
        typeof span.attributes['app.route.from'] === 'string' &&
        typeof span.attributes['app.route.to'] === 'string',
    )
    .sort((a, b) => a.startMs - b.startMs);
}
