import type { Context, Span } from '@opentelemetry/api';
import { context, isSpanContextValid, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import type { ApiFetch, ApiResponse } from './api/api';
import { ApiNetworkError, apiFetch } from './api/api';
import type { KnownSpan } from './telemetry/known-span';
import { pageParentContext } from './telemetry/page-trace-context';
import { tracer, tracingReady } from './tracing';

/*
 * Why explicit context passing?
 *
 * The browser has no AsyncLocalStorage. ZoneContextManager follows the active
 * span through zone.js, which patches callbacks, timers, events and the
 * Promise global, but cannot see native `async`/`await`: after the first
 * `await` in a handler the continuation runs in the root zone, where no span is
 * active (opentelemetry-js #1502, #3773, #5104). So in
 *
 *   await context.with(trace.setSpan(context.active(), span), async () => {
 *     await something();
 *     await fetch(url); // NOT a child of `span`: a new trace starts here
 *   });
 *
 * the second request starts a new, disconnected trace. Instead of relying on
 * the ambient context, runUserAction hands the action a `fetch` that re-enters
 * the action's context for every call, so every request of the action, before
 * or after any number of awaits, is a child of the action's span, and its
 * `traceparent` carries the action's trace id to the API.
 *
 * All of this needs the SDK: until tracing-sdk.ts has loaded (after the page,
 * see tracing.ts) the API's context.with() keeps no context and fetch() is not
 * instrumented. So runUserAction first awaits `tracingReady`.
 */

/** What an action receives: the API fetch bound to the action's span. */
export interface UserActionContext {
  /** apiFetch, run in the action's context: the request is a child span of the action. */
  fetch: ApiFetch;
  /** The action's span, to add `app.*` attributes or an error status. */
  span: Span;
}

export interface UserActionResult<T> {
  result: T;
  /** Trace id of the action: one trace from the click to the API and back. */
  traceId: string;
  /** The action's span first, then each request's fetch span and the API's SERVER span. */
  knownSpans: KnownSpan[];
}

/** The action threw; `cause` is what it threw, `traceId` its trace (already recorded as an error). */
export class UserActionError extends Error {
  override name = 'UserActionError';
  readonly traceId: string;
  readonly knownSpans: KnownSpan[];

  constructor(action: string, traceId: string, knownSpans: KnownSpan[], cause: unknown) {
    super(`User action "${action}" failed`, { cause });
    this.traceId = traceId;
    this.knownSpans = knownSpans;
  }
}

/**
 * apiFetch in the action's context, noting the spans each request is known
 * to have made: the fetch span (the parent id of the traceparent it sent) and,
 * when the API answered in this trace, the SERVER span of its Server-Timing.
 */
function bindFetch(ctx: Context, known: KnownSpan[]): ApiFetch {
  const traceId = trace.getSpanContext(ctx)?.traceId;
  const note = (spanId: string | undefined, what: string) => {
    if (spanId !== undefined) known.push({ spanId, what });
  };
  return async (path, options) => {
    let response: ApiResponse;
    try {
      // context.with() makes ctx active while apiFetch runs synchronously, which is
      // where it calls fetch(): the instrumentation reads context.active() there.
      response = await context.with(ctx, () => apiFetch(path, options));
    } catch (error) {
      if (error instanceof ApiNetworkError) note(error.fetchSpanId, `the fetch span of GET ${path}`);
      throw error;
    }
    note(response.fetchSpanId, `the fetch span of GET ${path}`);
    if (response.serverTraceId === traceId) {
      note(response.serverSpanId, `the API's SERVER span of GET ${path} (its Server-Timing)`);
    }
    return response;
  };
}

/**
 * Runs one user action (a click, a form submit) as the span
 * `user_action <name>`, the root of the trace its API calls join (or, when
 * the page carries a `<meta name="traceparent">`, a child of that context:
 * see telemetry/page-trace-context.ts).
 * Waits for the tracing SDK first (`tracingReady`), so `fn` starts once it is
 * loaded. Ends the span when `fn` settles; if `fn` throws, records the
 * exception, marks the span as an error and throws a UserActionError carrying
 * the trace id.
 */
export async function runUserAction<T>(
  name: string,
  fn: (ctx: UserActionContext) => Promise<T>,
): Promise<UserActionResult<T>> {
  // The SDK is loaded after the page (tracing.ts): a click that comes first
  // waits for it here, a few milliseconds, instead of making a no-op span and
  // untraced requests. Resolved for good after that, or if tracing failed to
  // load (then the action runs untraced). The context this await loses does
  // not matter: the span below gets its parent explicitly, and fn its context.
  await tracingReady;
  // A user action starts its own trace (one click, one trace), whatever
  // context zone.js happens to have left active: its parent is the root
  // context, or the trace the page was handed in its traceparent meta (a test
  // run, a server-rendered page; telemetry/page-trace-context.ts says why).
  const parent = pageParentContext(document);
  const span = tracer.startSpan(
    `user_action ${name}`,
    { kind: SpanKind.INTERNAL, attributes: { 'app.user_action': name } },
    parent,
  );
  const ctx = trace.setSpan(context.active(), span);
  const { traceId } = span.spanContext();
  // Without the SDK the span is a no-op with all-zero ids: nothing is known then.
  const knownSpans: KnownSpan[] = isSpanContextValid(span.spanContext())
    ? [{ spanId: span.spanContext().spanId, what: `the user action span "user_action ${name}"` }]
    : [];
  try {
    // The synchronous part of fn also runs in the action's context (spans
    // started there are children too); everything after an await relies on
    // the bound fetch above.
    const result = await context.with(ctx, () => fn({ fetch: bindFetch(ctx, knownSpans), span }));
    return { result, traceId, knownSpans };
  } catch (error) {
    span.recordException(error instanceof Error ? error : String(error));
    span.setStatus({
      code: SpanStatusCode.ERROR,
      message: error instanceof Error ? error.message : String(error),
    });
    throw new UserActionError(name, traceId, knownSpans, error);
  } finally {
    span.end();
  }
}
