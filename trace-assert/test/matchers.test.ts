import { describe, expect, it } from 'vitest';
import { expect as traceExpect } from '../src/expect.ts';
import { traceMatchers } from '../src/matchers.ts';
import { parseOtlpTrace } from '../src/otlp-json.ts';
import type { Trace } from '../src/model.ts';
import type { SpanSelector } from '../src/selector.ts';
import {
  ERR_TRACE_ID,
  HANDLER_SPAN_ID,
  OK_TRACE_ID,
  REQUEST_SPAN_ID,
  SERVER_SPAN_ID,
  WEB_SPAN_ID,
  loadJson,
  loadTrace,
  rawSpans,
  withoutSpans,
} from './helpers.ts';

const JAEGER = 'http://127.0.0.1:16686';
const ok = loadTrace('items-ok', `${JAEGER}/trace/${OK_TRACE_ID}`);
const failed = loadTrace('items-500', `${JAEGER}/trace/${ERR_TRACE_ID}`);

const WEB: SpanSelector = { service: 'web', kind: 'CLIENT', name: 'GET' };
const SERVER: SpanSelector = {
  service: 'api',
  kind: 'SERVER',
  name: 'GET /items/:id',
  attributes: { 'http.route': '/items/:id' },
};
const REQUEST: SpanSelector = { service: 'api', kind: 'INTERNAL', name: 'request' };
const HANDLER: SpanSelector = { service: 'api', name: /^handler - / };

/** The failure message of a Playwright assertion that must fail. */
function failure(assertion: () => void): string {
  try {
    assertion();
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error('expected the assertion to fail, it passed');
}

/** Every failure message ends with the waterfall and the trace's link. */
function expectWaterfall(message: string, traceId = OK_TRACE_ID): void {
  expect(message).toContain(`Trace ${traceId}: 4 spans`);
  expect(message).toContain(`Open: ${JAEGER}/trace/${traceId}`);
}

describe('toHaveSpan', () => {
  it('passes when a span matches, and with the exact count', () => {
    traceExpect(ok).toHaveSpan(SERVER);
    traceExpect(ok).toHaveSpan({ service: 'api' }, { times: 3 });
    traceExpect({ trace: ok }).toHaveSpan(WEB, { times: 1 });
  });

  it('fails on a missing span, showing the closest candidates', () => {
    const message = failure(() => traceExpect(ok).toHaveSpan({ ...SERVER, name: 'GET /users/:id' }));
    expect(message).toContain(
      'expect(trace).toHaveSpan(api SERVER "GET /users/:id" {http.route=/items/:id})',
    );
    expect(message).toContain('found none');
    expect(message).toContain(`- api SERVER "GET /items/:id" (span ${SERVER_SPAN_ID})`);
    expect(message).toContain('name: expected "GET /users/:id", got "GET /items/:id"');
    expectWaterfall(message);
  });

  it('fails on a wrong attribute value', () => {
    const message = failure(() =>
      traceExpect(ok).toHaveSpan({ ...SERVER, attributes: { 'http.response.status_code': 500 } }),
    );
    expect(message).toContain('attribute http.response.status_code: expected 500 (number), got 200 (number)');
  });

  it('fails on a wrong count', () => {
    const message = failure(() => traceExpect(ok).toHaveSpan({ service: 'api' }, { times: 2 }));
    expect(message).toContain('Expected exactly 2 span(s) matching api in trace');
    expect(message).toContain('found 3');
    expect(message).toContain(`(span ${HANDLER_SPAN_ID})`);
    expect(failure(() => traceExpect(ok).toHaveSpan({ service: 'db' }, { times: 1 }))).toContain(
      'Expected exactly 1 span(s) matching db',
    );
  });

  it('supports .not', () => {
    traceExpect(ok).not.toHaveSpan({ service: 'db' });
    traceExpect(ok).not.toHaveSpan({ service: 'api' }, { times: 2 });
    const message = failure(() => traceExpect(ok).not.toHaveSpan(SERVER));
    expect(message).toContain('expect(trace).not.toHaveSpan(');
    expect(message).toContain('Expected no span matching api SERVER "GET /items/:id"');
    expect(message).toContain(`found 1:\n  - api SERVER "GET /items/:id" (span ${SERVER_SPAN_ID})`);
  });

  it('returns name, expected and actual', () => {
    const result = traceMatchers.toHaveSpan.call({ isNot: false }, ok, { service: 'api' }, { times: 2 });
    expect(result).toMatchObject({ pass: false, name: 'toHaveSpan', expected: 2, actual: 3 });
  });

  it('throws on something that is not a trace, even under .not', () => {
    expect(() => traceExpect({ spans: [] } as unknown as Trace).not.toHaveSpan(SERVER)).toThrow(
      'expected a Trace or { trace: Trace }',
    );
  });
});

describe('toHaveChildSpan', () => {
  it('passes for a direct parent -> child relation', () => {
    traceExpect(ok).toHaveChildSpan(WEB, SERVER);
    traceExpect(ok).toHaveChildSpan(SERVER, REQUEST);
    traceExpect(ok).toHaveChildSpan(REQUEST, HANDLER);
  });

  it('fails for a descendant that is not a direct child', () => {
    const message = failure(() => traceExpect(ok).toHaveChildSpan(SERVER, HANDLER));
    expect(message).toContain(
      'Expected a direct child matching api /^handler - / under a span matching api SERVER "GET /items/:id"',
    );
    expect(message).toContain(
      `a descendant of api SERVER "GET /items/:id" (span ${SERVER_SPAN_ID}) but not its direct child; ` +
        `its parent api INTERNAL "request" (span ${REQUEST_SPAN_ID})`,
    );
    expect(message).toContain('Direct children of the parent span(s), closest first:');
    expectWaterfall(message);
  });

  it('fails when the parent selector matches nothing', () => {
    const message = failure(() => traceExpect(ok).toHaveChildSpan({ service: 'gateway' }, SERVER));
    expect(message).toContain('no span matches the parent selector');
    expect(message).toContain('service: expected "gateway"');
  });

  it('fails when the parent has no children', () => {
    const message = failure(() => traceExpect(ok).toHaveChildSpan(HANDLER, { name: 'db.query' }));
    expect(message).toContain('No span matches the child selector.');
    expect(message).toContain('The parent span(s) have no children.');
  });

  it('supports .not', () => {
    traceExpect(ok).not.toHaveChildSpan(SERVER, HANDLER);
    const message = failure(() => traceExpect(ok).not.toHaveChildSpan(WEB, SERVER));
    expect(message).toContain(`web CLIENT "GET" (span ${WEB_SPAN_ID}) -> api SERVER "GET /items/:id"`);
  });
});

describe('toHaveSpanWithParent', () => {
  it('passes when the matching span has exactly that parent id', () => {
    traceExpect(ok).toHaveSpanWithParent(SERVER, WEB_SPAN_ID);
    traceExpect(ok).toHaveSpanWithParent(SERVER, WEB_SPAN_ID.toUpperCase());
  });

  it('fails for another parent, naming the actual one', () => {
    const message = failure(() => traceExpect(ok).toHaveSpanWithParent(HANDLER, SERVER_SPAN_ID));
    expect(message).toContain(`with parent ${SERVER_SPAN_ID}, but the matching spans have other parents:`);
    expect(message).toContain(`parent api INTERNAL "request" (span ${REQUEST_SPAN_ID})`);
    expect(message).toContain(`Span ${SERVER_SPAN_ID} is in the trace: api SERVER`);
  });

  it('fails for a parent id that is not in the trace', () => {
    const message = failure(() => traceExpect(ok).toHaveSpanWithParent(SERVER, '1111111111111111'));
    expect(message).toContain('Span 1111111111111111 is not in the trace');
    expect(message).toContain(`parent web CLIENT "GET" (span ${WEB_SPAN_ID})`);
  });

  it('fails when no span matches the selector, and for a root span', () => {
    expect(failure(() => traceExpect(ok).toHaveSpanWithParent({ service: 'db' }, WEB_SPAN_ID))).toContain(
      'no span matches the selector',
    );
    expect(failure(() => traceExpect(ok).toHaveSpanWithParent(WEB, WEB_SPAN_ID))).toContain(
      'no parent (it is a root)',
    );
  });

  it('rejects a malformed parent id outright', () => {
    expect(() => traceExpect(ok).toHaveSpanWithParent(SERVER, 'not-an-id')).toThrow('must be 16 hex digits');
  });

  it('supports .not', () => {
    traceExpect(ok).not.toHaveSpanWithParent(SERVER, SERVER_SPAN_ID);
    expect(failure(() => traceExpect(ok).not.toHaveSpanWithParent(SERVER, WEB_SPAN_ID))).toContain(
      `Expected no span matching api SERVER "GET /items/:id" {http.route=/items/:id} with parent ${WEB_SPAN_ID}`,
    );
  });
});

describe('toBeConnectedTrace', () => {
  it('passes for one root and no orphans', () => {
    traceExpect(ok).toBeConnectedTrace();
    traceExpect(failed).toBeConnectedTrace();
  });

  it('fails on an orphan span (browser span not in the trace)', () => {
    const partial = parseOtlpTrace(withoutSpans(loadJson('items-ok'), (s) => s.spanId === WEB_SPAN_ID));
    const message = failure(() => traceExpect(partial).toBeConnectedTrace());
    expect(message).toContain('but it has 0 root(s) and 1 orphan(s)');
    expect(message).toContain(`api SERVER "GET /items/:id" (span ${SERVER_SPAN_ID}), parent ${WEB_SPAN_ID}`);
    expect(message).toContain('orphans (parent not in trace):');
  });

  it('fails on two roots', () => {
    const doc = loadJson('items-ok');
    const server = rawSpans(doc).find((s) => s.spanId === SERVER_SPAN_ID)!;
    server.parentSpanId = '';
    const message = failure(() => traceExpect(parseOtlpTrace(doc)).toBeConnectedTrace());
    expect(message).toContain('but it has 2 root(s) and 0 orphan(s)');
    expect(message).toContain(`Roots:\n  - web CLIENT "GET" (span ${WEB_SPAN_ID})\n  - api SERVER`);
  });

  it('fails on spans caught in a parent cycle', () => {
    const doc = loadJson('items-ok');
    const spans = rawSpans(doc);
    spans.find((s) => s.spanId === REQUEST_SPAN_ID)!.parentSpanId = HANDLER_SPAN_ID;
    const message = failure(() => traceExpect(parseOtlpTrace(doc)).toBeConnectedTrace());
    expect(message).toContain('Other spans not below the root:');
  });

  it('supports .not', () => {
    const partial = parseOtlpTrace(withoutSpans(loadJson('items-ok'), (s) => s.spanId === WEB_SPAN_ID));
    traceExpect(partial).not.toBeConnectedTrace();
    expect(failure(() => traceExpect(ok).not.toBeConnectedTrace())).toContain('not to be connected');
  });
});

describe('toHaveErrorSpan', () => {
  it('passes for a span with status ERROR and an exception event', () => {
    traceExpect(failed).toHaveErrorSpan(HANDLER);
    traceExpect(failed).toHaveErrorSpan({ service: 'api' });
  });

  it('fails when the ERROR span has no exception event', () => {
    const message = failure(() => traceExpect(failed).toHaveErrorSpan({ service: 'api', kind: 'SERVER' }));
    expect(message).toContain('status ERROR, no exception event (events: none)');
    expectWaterfall(message, failed.traceId);
  });

  it('fails when the span is not in error', () => {
    const message = failure(() => traceExpect(ok).toHaveErrorSpan(HANDLER));
    expect(message).toContain('status UNSET, no exception event');
    expect(failure(() => traceExpect(ok).toHaveErrorSpan({ service: 'db' }))).toContain(
      'no span matches the selector',
    );
  });

  it('supports .not', () => {
    traceExpect(ok).not.toHaveErrorSpan({ service: 'api' });
    const message = failure(() => traceExpect(failed).not.toHaveErrorSpan(HANDLER));
    expect(message).toContain('exception Error: item store unavailable');
  });
});

describe('toHaveSpanDuration', () => {
  it('passes when every matching span is within bounds', () => {
    traceExpect(ok).toHaveSpanDuration(SERVER, { minMs: 18, maxMs: 19 });
    traceExpect(ok).toHaveSpanDuration({ service: 'api' }, { maxMs: 20 });
    traceExpect(ok).toHaveSpanDuration(SERVER, { minMs: 18.7, maxMs: 18.7 });
  });

  it('fails when a span is out of bounds', () => {
    const message = failure(() => traceExpect(ok).toHaveSpanDuration(SERVER, { maxMs: 5 }));
    expect(message).toContain('to last within [0 ms, 5 ms]; outside:');
    expect(message).toContain(`(span ${SERVER_SPAN_ID}): 18.700 ms`);
    expect(failure(() => traceExpect(ok).toHaveSpanDuration({ service: 'api' }, { minMs: 17 }))).toContain(
      `(span ${HANDLER_SPAN_ID}): 16.700 ms`,
    );
  });

  it('fails when nothing matches, and needs a bound', () => {
    expect(failure(() => traceExpect(ok).toHaveSpanDuration({ service: 'db' }, { maxMs: 5 }))).toContain(
      'no span matches the selector',
    );
    expect(() => traceExpect(ok).toHaveSpanDuration(SERVER, {})).toThrow('give minMs and/or maxMs');
  });

  it('supports .not', () => {
    traceExpect(ok).not.toHaveSpanDuration(SERVER, { maxMs: 5 });
    expect(failure(() => traceExpect(ok).not.toHaveSpanDuration(SERVER, { maxMs: 50 }))).toContain(
      'to last outside [0 ms, 50 ms], but all do',
    );
  });
});

describe('traceMatchers with another Jest-compatible expect (vitest)', () => {
  expect.extend(traceMatchers);

  it('works the same way', () => {
    const vexpect = expect as unknown as (value: unknown) => {
      toHaveSpan: (sel: SpanSelector) => void;
      not: { toHaveSpan: (sel: SpanSelector) => void };
    };
    vexpect(ok).toHaveSpan(SERVER);
    vexpect(ok).not.toHaveSpan({ service: 'db' });
    expect(() => vexpect(ok).toHaveSpan({ service: 'db' })).toThrow('found none');
  });
});
