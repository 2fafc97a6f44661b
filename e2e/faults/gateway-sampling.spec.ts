/**
 * The gateway topology with its default tail-sampling policy, on a private
 * stack: every trace with an error is kept, and about TAIL_SAMPLING_PERCENT
 * (10) % of the others.
 */
import { fetchTrace, waitForTrace } from '@tracing-demo/trace-assert';
import { expect } from '../fixtures.ts';
import { apiServerFor } from '../selectors.ts';
import { gatewayProblems } from './gateways.ts';
import { ownStackTest, record } from './own-stack.ts';
import { sampledTraceparent } from './wire.ts';

const test = ownStackTest(['jaeger', 'gateway-1', 'gateway-2', 'collector', 'inventory', 'api'], {
  env: { STACK_TOPOLOGY: 'gateway', TAIL_SAMPLING_DECISION_WAIT_MS: '2000' },
});

test('every /boom and inventory-failure trace is kept; of 100 plain GET / between 0 and 30 are', async ({
  own,
}, testInfo) => {
  test.setTimeout(120_000);
  const api = own.config.api.url;
  const jaegerUrl = own.config.jaeger.uiUrl;
  const send = async (path: string, status: number) => {
    const { traceId, traceparent } = sampledTraceparent();
    const response = await fetch(`${api}${path}`, { headers: { traceparent } });
    await response.arrayBuffer();
    expect(response.status, path).toBe(status);
    return traceId;
  };
  // Plain ones first: once the later error traces are decided, so are they.
  const plain: string[] = [];
  for (let i = 0; i < 100; i++) plain.push(await send('/', 200));
  const booms: string[] = [];
  for (let i = 0; i < 20; i++) booms.push(await send('/boom', 500));
  const failures: string[] = [];
  for (let i = 0; i < 5; i++) failures.push(await send('/items/5?inventory_fail=true', 502));

  for (const traceId of booms) {
    const { trace } = await waitForTrace({
      jaegerUrl,
      traceId,
      expect: [apiServerFor('/boom')],
      timeoutMs: 30_000,
    });
    expect(gatewayProblems(trace)).toEqual([]);
  }
  for (const traceId of failures) {
    await waitForTrace({
      jaegerUrl,
      traceId,
      expect: [apiServerFor('/items/:id'), { service: 'inventory', kind: 'SERVER' }],
      timeoutMs: 30_000,
    });
  }
  let kept = 0;
  for (const traceId of plain) if (await fetchTrace(jaegerUrl, traceId)) kept += 1;
  record(
    testInfo,
    `plain GET / traces kept of 100 (TAIL_SAMPLING_PERCENT=${own.config.tailSampling.percent})`,
    kept,
  );
  expect(kept).toBeGreaterThanOrEqual(0);
  expect(kept).toBeLessThanOrEqual(30);
});
