/**
 * The gateway topology with every trace kept (TAIL_SAMPLING_PERCENT=100), on
 * a private stack: the agent Collector load-balances by trace ID to two
 * gateway Collectors, which tail-sample and export to Jaeger. A trace's spans
 * must all meet on one gateway, and both gateways must be used.
 */
import { findSpans, waitForTrace, type TraceSpan } from '@tracing-demo/trace-assert';
import { expect } from '../fixtures.ts';
import { apiClient, apiServerFor, inventoryServer } from '../selectors.ts';
import {
  expectTracesThroughOneGatewayEach,
  gatewayProblems,
  gatewaysOf,
  GATEWAY_ATTRIBUTE,
} from './gateways.ts';
import { ownStackTest, record, type OwnStack } from './own-stack.ts';
import { sampledTraceparent } from './wire.ts';

const test = ownStackTest(['jaeger', 'gateway-1', 'gateway-2', 'collector', 'inventory', 'api', 'web'], {
  env: { STACK_TOPOLOGY: 'gateway', TAIL_SAMPLING_PERCENT: '100', TAIL_SAMPLING_DECISION_WAIT_MS: '2000' },
});

test.describe.configure({ mode: 'default' });

function span(service: string, gateway?: string): TraceSpan {
  return { service, name: 'x', resource: gateway ? { [GATEWAY_ATTRIBUTE]: gateway } : {} } as TraceSpan;
}

/** Spans the gateways have received so far (their otelcol_receiver_accepted_spans counters). */
async function gatewaysAccepted(own: OwnStack): Promise<number> {
  let total = 0;
  for (const gateway of own.config.gateways) {
    const text = await (await fetch(`http://127.0.0.1:${gateway.metricsPort}/metrics`)).text();
    for (const line of text.split('\n')) {
      const match = /^otelcol_receiver_accepted_spans(?:_total)?(?:\{[^}]*\})?\s+(\S+)$/.exec(line);
      if (match) total += Number(match[1]);
    }
  }
  return total;
}

test('the one-gateway check rejects a trace split over two gateways, or with an unmarked span', () => {
  expect(gatewayProblems({ spans: [span('web', 'gateway-1'), span('api', 'gateway-1')] })).toEqual([]);
  expect(gatewayProblems({ spans: [span('web', 'gateway-1'), span('api', 'gateway-2')] })).toEqual([
    'spans passed 2 gateways: gateway-1, gateway-2',
  ]);
  expect(gatewayProblems({ spans: [span('web', 'gateway-1'), span('api')] })).toEqual([
    `1 span(s) without ${GATEWAY_ATTRIBUTE}: api x`,
  ]);
});

test('30 concurrent browser actions: 30 linked traces, each through ONE gateway, both gateways used', async ({
  own,
  ownDemo,
}, testInfo) => {
  const sent = await ownDemo.burst(30);
  expect(new Set(sent.map((ctx) => ctx.traceId)).size).toBe(30);
  const perGateway = await expectTracesThroughOneGatewayEach(own.config.jaeger.uiUrl, sent);
  record(testInfo, 'traces per gateway', JSON.stringify(perGateway));
  expect(Object.keys(perGateway).sort()).toEqual(['gateway-1', 'gateway-2']);
});

test('the page says traces are tail-sampled, and by which rule', async ({ ownDemo }) => {
  await expect(ownDemo.page.getByTestId('status-sampling')).toContainText('100 %');
});

test('a gateway killed (kill -9): what it held undecided is lost; what the agent sends it meanwhile is retried and arrives', async ({
  own,
}, testInfo) => {
  test.setTimeout(120_000);
  const jaegerUrl = own.config.jaeger.uiUrl;
  const send = async (q: string) => {
    const { traceId, traceparent } = sampledTraceparent();
    const response = await fetch(`${own.config.api.url}/items/5?q=${q}`, { headers: { traceparent } });
    expect(response.status).toBe(200);
    return traceId;
  };
  // Sent just before the kill: once the gateways have them, they hold them for the decision wait (2 s).
  const acceptedBefore = await gatewaysAccepted(own);
  const held: string[] = [];
  for (let i = 0; i < 20; i++) held.push(await send('held'));
  // Each held trace has 4 spans (the API's SERVER and CLIENT spans, the
  // inventory's SERVER and SQLite spans): wait until the gateways have them all.
  await expect
    .poll(async () => (await gatewaysAccepted(own)) - acceptedBefore)
    .toBeGreaterThanOrEqual(4 * held.length);
  own.kill('gateway-1');
  // Sent while it is down or restarting: the agent keeps gateway-1's share and retries it.
  const during: string[] = [];
  for (let i = 0; i < 20; i++) during.push(await send('during'));
  await own.waitHealthy('gateway-1', 60_000);

  for (const traceId of during) {
    const { trace } = await waitForTrace({
      jaegerUrl,
      traceId,
      expect: [apiServerFor('/items/:id'), apiClient, inventoryServer],
      timeoutMs: 60_000,
    });
    expect(gatewayProblems(trace)).toEqual([]);
  }
  // The held ones routed to gateway-2 arrive; those gateway-1 held are gone.
  // A complete trace of the same shape tells "decided and exported" apart.
  const arrived = (
    await Promise.all(
      held.map((traceId) =>
        waitForTrace({ jaegerUrl, traceId, expect: [apiServerFor('/items/:id')], timeoutMs: 5000 }).then(
          ({ trace }) => {
            expect(findSpans(trace, { service: 'inventory' }).length).toBeGreaterThan(0);
            return gatewaysOf(trace);
          },
          // Lost with gateway-1's memory.
          () => undefined,
        ),
      ),
    )
  ).filter((gateways) => gateways !== undefined);
  record(testInfo, 'traces sent during the outage, all arrived', during.length);
  record(testInfo, 'traces held undecided at the kill: arrived / sent', `${arrived.length} / ${held.length}`);
  expect(arrived.every((gateways) => gateways.length === 1 && gateways[0] === 'gateway-2')).toBe(true);
  expect(arrived.length, 'the traces gateway-1 held undecided were lost').toBeLessThan(held.length);
});
