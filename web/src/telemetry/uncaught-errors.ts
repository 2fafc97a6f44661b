/**
 * Uncaught exceptions and unhandled rejections of the page, as span events
 * per the exception semantic conventions. @opentelemetry/instrumentation-web-exception
 * records them as log records only, which Jaeger does not store; this hook
 * puts them where the trace is: on the user action span in flight, else on a
 * span `exception` of its own. Pure (tracing-sdk.ts listens to the window):
 * unit-tested in test/telemetry/uncaught-errors.test.ts.
 */
import type { Attributes, Context, Span as ApiSpan, Tracer } from '@opentelemetry/api';
import { SpanStatusCode } from '@opentelemetry/api';
import type { ReadableSpan, Span, SpanProcessor } from '@opentelemetry/sdk-trace-web';
import {
  ATTR_EXCEPTION_MESSAGE,
  ATTR_EXCEPTION_STACKTRACE,
  ATTR_EXCEPTION_TYPE,
} from '@opentelemetry/semantic-conventions';

/** The attribute runUserAction sets on a user action span (user-action.ts). */
export const USER_ACTION_ATTRIBUTE = 'app.user_action';
/** Which browser event reported the exception: `error` or `unhandledrejection`. */
export const ATTR_EXCEPTION_SOURCE = 'app.exception.source';
/** The name of the span an exception gets when no single user action is in flight. */
export const EXCEPTION_SPAN_NAME = 'exception';

export type ExceptionSource = 'error' | 'unhandledrejection';

/**
 * exception.type, exception.message and exception.stacktrace of what was
 * thrown or rejected; `fallbackMessage` (an ErrorEvent's message) when that is
 * not an Error (a cross-origin script's error has none).
 */
export function exceptionAttributes(
  thrown: unknown,
  source: ExceptionSource,
  fallbackMessage = '',
): Attributes {
  const attributes: Attributes = { [ATTR_EXCEPTION_SOURCE]: source };
  if (thrown instanceof Error || (typeof thrown === 'object' && thrown !== null && 'message' in thrown)) {
    const error = thrown as Partial<Error>;
    attributes[ATTR_EXCEPTION_TYPE] =
      typeof error.name === 'string' && error.name !== '' ? error.name : 'Error';
    attributes[ATTR_EXCEPTION_MESSAGE] = String(error.message);
    if (typeof error.stack === 'string') attributes[ATTR_EXCEPTION_STACKTRACE] = error.stack;
  } else if (thrown === undefined || thrown === null) {
    attributes[ATTR_EXCEPTION_MESSAGE] = fallbackMessage || String(thrown);
  } else {
    attributes[ATTR_EXCEPTION_TYPE] = typeof thrown;
    attributes[ATTR_EXCEPTION_MESSAGE] = String(thrown);
  }
  return attributes;
}

/** Keeps the user action spans started and not ended yet. */
export class UserActionSpans implements SpanProcessor {
  readonly #open = new Set<Span>();

  onStart(span: Span, _parentContext: Context): void {
    if (span.attributes[USER_ACTION_ATTRIBUTE] !== undefined) this.#open.add(span);
  }

  onEnd(span: ReadableSpan): void {
    this.#open.delete(span as Span);
  }

  /** The one user action in flight; undefined when none is, or several are (which one threw is unknown). */
  only(): Span | undefined {
    return this.#open.size === 1 ? [...this.#open][0] : undefined;
  }

  forceFlush(): Promise<void> {
    return Promise.resolve();
  }

  shutdown(): Promise<void> {
    this.#open.clear();
    return Promise.resolve();
  }
}

/** What recordUncaught needs: the actions in flight, a tracer and the parent of a span of its own. */
export interface UncaughtErrorRecorder {
  actions: Pick<UserActionSpans, 'only'>;
  tracer: Tracer;
  parent: () => Context;
}

/**
 * Records one exception: an `exception` event on the user action in flight
 * (its status set to ERROR, so tail sampling keeps the trace), else on a span
 * `exception` of its own. Returns the span it recorded on.
 */
export function recordUncaught(recorder: UncaughtErrorRecorder, attributes: Attributes): ApiSpan {
  const message = String(attributes[ATTR_EXCEPTION_MESSAGE] ?? '');
  const action = recorder.actions.only();
  const span = action ?? recorder.tracer.startSpan(EXCEPTION_SPAN_NAME, { attributes }, recorder.parent());
  span.addEvent('exception', attributes);
  span.setStatus({ code: SpanStatusCode.ERROR, message });
  if (action === undefined) span.end();
  return span;
}
