import type { Context, Span } from '@opentelemetry/api';
import { context, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import type { ApiFetch } from './api/api';
import { apiFetch } from './api/api';
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
}

/** The action threw; `cause` is what it threw, `traceId` its trace (already recorded as an error). */
export class UserActionError extends Error {
  override name = 'UserActionError';
  readonly traceId: string;

  constructor(action: string, traceId: string, cause: unknown) {
    super(`User action "${action}" failed`, { cause });
    this.traceId = traceId;
  }
}

function bindFetch(ctx: Context): ApiFetch {
  // context.with() makes ctx active while apiFetch runs synchronously, which is
  // where it calls fetch(): the instrumentation reads context.active() there.
  return (path, options) => context.with(ctx, () => apiFetch(path, options));
}

/**
 * Runs one user action (a click, a form submit) as the span
 * `user_action <name>`, the root of the trace its API calls join.
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
  // not matter: the span below is a root, and fn gets its context explicitly.
  await tracingReady;
  // root: a user action starts its own trace (one click, one trace), whatever
  // context zone.js happens to have left active.
  const span = tracer.startSpan(`user_action ${name}`, {
    kind: SpanKind.INTERNAL,
    root: true,
    attributes: { 'app.user_action': name },
  });
  const ctx = trace.setSpan(context.active(), span);
  const { traceId } = span.spanContext();
  try {
    // The synchronous part of fn also runs in the action's context (spans
    // started there are children too); everything after an await relies on
    // the bound fetch above.
    const result = await context.with(ctx, () => fn({ fetch: bindFetch(ctx), span }));
    return { result, traceId };
  } catch (error) {
    span.recordException(error instanceof Error ? error : String(error));
    span.setStatus({
      code: SpanStatusCode.ERROR,
      message: error instanceof Error ? error.message : String(error),
    });
    throw new UserActionError(name, traceId, error);
  } finally {
    span.end();
  }
}
