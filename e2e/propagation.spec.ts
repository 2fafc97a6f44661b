/**
 * Propagation edge cases, sent by a raw HTTP client (Node's fetch, no OTel)
 * straight to the API: malformed traceparents, an unsampled one,
 * tracestate/baggage passing through, and the W3C Level 2 rules on the way to
 * the inventory (what it received, read from the API's GET /propagation).
 */
import { checked, PropagationSchema } from '@tracing-demo/contracts';
import { fetchTrace, parseTraceparent, formatTraceparent } from '@tracing-demo/trace-assert';
import { randomBytes } from 'node:crypto';
import { expect, stack, test } from './fixtures.ts';
import { malformedTraceparents } from './malformed-traceparents.ts';
import { apiServer, apiServerFor } from './selectors.ts';

const newTraceId = () => randomBytes(16).toString('hex');
const newSpanId = () => randomBytes(8).toString('hex');

/** The trace context the API reports in Server-Timing (`trace;desc="00-…"`). */
function serverTiming(response: Response) {
  const header = response.headers.get('server-timing') ?? '';
  const match = /trace;desc="?([^",]+)"?/.exec(header);
  expect(match, `Server-Timing of ${response.url}: ${header}`).not.toBeNull();
  return parseTraceparent(match![1]!);
}

test.describe('malformed traceparent', () => {
  const values = malformedTraceparents();

  test('the fuzz set is really malformed (the strict parser rejects every value)', () => {
    expect(values.length).toBeGreaterThanOrEqual(300);
    for (const { value, flaw } of values) expect(() => parseTraceparent(value), flaw).toThrow();
  });

  test(`${values.length} malformed values: never a 5xx, always a new trace`, async () => {
    const url = `${stack.api.url}/items/1?q=fuzz`;
    // A few at a time: enough to be quick, not a load test.
    for (let start = 0; start < values.length; start += 10) {
      await Promise.all(
        values.slice(start, start + 10).map(async ({ value, flaw, embeddedTraceId }) => {
          const response = await fetch(url, { headers: { traceparent: value } });
          const context = `${flaw}: ${JSON.stringify(value.slice(0, 80))}`;
          expect(response.status, context).toBeLessThan(500);
          await response.arrayBuffer();
          if (response.status === 200) {
            const started = serverTiming(response);
            expect(started.traceId, context).not.toBe(embeddedTraceId);
          }
        }),
      );
    }
  });
});

test('an unsampled traceparent is respected: the request succeeds and no API span is stored', async ({
  traces,
}) => {
  const unsampled = newTraceId();
  const response = await fetch(`${stack.api.url}/items/2`, {
    headers: {
      traceparent: formatTraceparent({ traceId: unsampled, parentSpanId: newSpanId(), sampled: false }),
    },
  });
  expect(response.status).toBe(200);
  expect(await response.json()).toMatchObject({ item_id: 2, q: null });
  const reported = serverTiming(response);
  expect(reported.traceId).toBe(unsampled);
  expect(reported.sampled).toBe(false);

  // Barrier: a sampled request sent afterwards goes through the same exporter
  // queue; once it is in Jaeger, spans of the unsampled one would be too.
  const marker = newTraceId();
  const markerResponse = await fetch(`${stack.api.url}/`, {
    headers: {
      traceparent: formatTraceparent({ traceId: marker, parentSpanId: newSpanId(), sampled: true }),
    },
  });
  expect(markerResponse.status).toBe(200);
  await traces.waitFor(marker, [apiServerFor('/')]);
  expect(await fetchTrace(stack.jaeger.uiUrl, unsampled)).toBeUndefined();
});

test('a sampled traceparent from a raw client is continued: the SERVER span has that parent', async ({
  traces,
}) => {
  const traceId = newTraceId();
  const parentSpanId = newSpanId();
  const response = await fetch(`${stack.api.url}/items/3?q=raw`, {
    headers: { traceparent: formatTraceparent({ traceId, parentSpanId, sampled: true }) },
  });
  expect(response.status).toBe(200);
  expect(serverTiming(response).traceId).toBe(traceId);
  const { trace } = await traces.waitFor(traceId, [apiServer]);
  expect(trace).toHaveSpanWithParent(apiServerFor('/items/:id'), parentSpanId);
});

test('tracestate and baggage reach the API unchanged', async () => {
  const traceId = newTraceId();
  const tracestate = 'vendor1=opaque-value,congo=t61rcWkgMzE';
  const response = await fetch(`${stack.api.url}/propagation`, {
    headers: {
      traceparent: formatTraceparent({ traceId, parentSpanId: newSpanId(), sampled: true }),
      tracestate,
      baggage: 'user.id=alice,tier=gold%20plus',
    },
  });
  expect(response.status).toBe(200);
  expect(checked(PropagationSchema, await response.json(), 'GET /propagation')).toMatchObject({
    traceId,
    sampled: true,
    tracestate,
    baggage: { 'user.id': 'alice', tier: 'gold plus' },
  });
});

test.describe('W3C Trace Context Level 2, across two hops (API, then the inventory)', () => {
  /** `count` valid members, half with keys only Level 2 allows (a trailing "@": core drops those). */
  const members = (count: number) =>
    Array.from({ length: count }, (_, i) => (i % 2 === 0 ? `k${i}=v${i}` : `k${i}@=v${i}`));

  async function propagationFor(traceparent: string, tracestate: string) {
    const response = await fetch(`${stack.api.url}/propagation`, { headers: { traceparent, tracestate } });
    expect(response.status).toBe(200);
    return checked(PropagationSchema, await response.json(), 'GET /propagation');
  }

  test('sampled and random (03): the inventory gets -03; a 33-member tracestate goes nowhere', async () => {
    const traceId = newTraceId();
    const parentSpanId = newSpanId();
    const seen = await propagationFor(`00-${traceId}-${parentSpanId}-03`, members(33).join(','));
    expect(seen).toMatchObject({ traceId, sampled: true, tracestate: '' });
    expect(seen.spanId).not.toBe(parentSpanId);
    // The API continued the trace and passed the random flag on, with no tracestate.
    expect(seen.inventory?.traceparent).toMatch(new RegExp(`^00-${traceId}-[0-9a-f]{16}-03$`));
    expect(seen.inventory?.traceparent).not.toContain(seen.spanId);
    expect(seen.inventory?.tracestate).toBeNull();
  });

  test('32 valid members, Level 2 keys included, reach the inventory unchanged', async () => {
    const traceId = newTraceId();
    const tracestate = members(32).join(',');
    const seen = await propagationFor(`00-${traceId}-${newSpanId()}-01`, tracestate);
    expect(seen).toMatchObject({ traceId, tracestate });
    expect(seen.inventory).toEqual({
      traceparent: expect.stringMatching(new RegExp(`^00-${traceId}-[0-9a-f]{16}-01$`)),
      tracestate,
    });
  });

  test('one invalid member drops the whole tracestate on both hops', async () => {
    const seen = await propagationFor(`00-${newTraceId()}-${newSpanId()}-01`, 'good=1,Bad=2');
    expect(seen.tracestate).toBe('');
    expect(seen.inventory?.tracestate).toBeNull();
  });
});
