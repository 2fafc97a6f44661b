import type { Attributes, Context, Span as ApiSpan, SpanOptions, Tracer } from '@opentelemetry/api';
import { ROOT_CONTEXT, SpanStatusCode } from '@opentelemetry/api';
import type { Span } from '@opentelemetry/sdk-trace-web';
import { describe, expect, it } from 'vitest';
import {
  ATTR_EXCEPTION_SOURCE,
  EXCEPTION_SPAN_NAME,
  exceptionAttributes,
  recordUncaught,
  UserActionSpans,
} from '../../src/telemetry/uncaught-errors';

/** A span that notes what was recorded on it. */
function fakeSpan(name: string, attributes: Attributes = {}) {
  const recorded = {
    name,
    attributes,
    events: [] as { name: string; attributes?: Attributes }[],
    status: undefined as unknown,
    ended: false,
  };
  const span = {
    attributes,
    addEvent: (eventName: string, eventAttributes?: Attributes) => {
      recorded.events.push({ name: eventName, attributes: eventAttributes });
      return span;
    },
    setStatus: (status: unknown) => {
      recorded.status = status;
      return span;
    },
    end: () => {
      recorded.ended = true;
    },
  };
  return { span: span as unknown as ApiSpan & Span, recorded };
}

function fakeTracer() {
  const started: ReturnType<typeof fakeSpan>['recorded'][] = [];
  const tracer = {
    startSpan: (name: string, options?: SpanOptions) => {
      const { span, recorded } = fakeSpan(name, options?.attributes);
      started.push(recorded);
      return span;
    },
  } as unknown as Tracer;
  return { tracer, started };
}

describe('exceptionAttributes', () => {
  it('takes type, message and stack trace from an Error', () => {
    const error = new TypeError('no answer');
    expect(exceptionAttributes(error, 'error')).toEqual({
      'exception.type': 'TypeError',
      'exception.message': 'no answer',
      'exception.stacktrace': error.stack,
      [ATTR_EXCEPTION_SOURCE]: 'error',
    });
  });

  it('describes a rejection with something that is not an Error by its type', () => {
    expect(exceptionAttributes('nope', 'unhandledrejection')).toEqual({
      'exception.type': 'string',
      'exception.message': 'nope',
      [ATTR_EXCEPTION_SOURCE]: 'unhandledrejection',
    });
  });

  it("falls back to the event's message when nothing was thrown with it (a cross-origin script)", () => {
    expect(exceptionAttributes(null, 'error', 'Script error.')).toEqual({
      'exception.message': 'Script error.',
      [ATTR_EXCEPTION_SOURCE]: 'error',
    });
  });
});

describe('UserActionSpans', () => {
  it('knows the one user action in flight, and none when several are or none is', () => {
    const actions = new UserActionSpans();
    const one = fakeSpan('user_action a', { 'app.user_action': 'a' }).span;
    const two = fakeSpan('user_action b', { 'app.user_action': 'b' }).span;
    const fetchSpan = fakeSpan('HTTP GET').span;
    actions.onStart(fetchSpan, ROOT_CONTEXT);
    expect(actions.only()).toBeUndefined();
    actions.onStart(one, ROOT_CONTEXT);
    expect(actions.only()).toBe(one);
    actions.onStart(two, ROOT_CONTEXT);
    expect(actions.only()).toBeUndefined();
    actions.onEnd(one);
    expect(actions.only()).toBe(two);
  });
});

describe('recordUncaught', () => {
  const attributes = exceptionAttributes(new Error('boom'), 'error');
  const parent = (): Context => ROOT_CONTEXT;

  it('records on the user action in flight, marks it an error, and leaves it open', () => {
    const action = fakeSpan('user_action a', { 'app.user_action': 'a' });
    const { tracer, started } = fakeTracer();
    recordUncaught({ actions: { only: () => action.span }, tracer, parent }, attributes);
    expect(started).toEqual([]);
    expect(action.recorded.events).toEqual([{ name: 'exception', attributes }]);
    expect(action.recorded.status).toEqual({ code: SpanStatusCode.ERROR, message: 'boom' });
    expect(action.recorded.ended).toBe(false);
  });

  it('records on a span of its own, ended, when no single action is in flight', () => {
    const { tracer, started } = fakeTracer();
    recordUncaught({ actions: { only: () => undefined }, tracer, parent }, attributes);
    expect(started).toHaveLength(1);
    expect(started[0]).toMatchObject({
      name: EXCEPTION_SPAN_NAME,
      events: [{ name: 'exception', attributes }],
      status: { code: SpanStatusCode.ERROR, message: 'boom' },
      ended: true,
    });
  });
});
