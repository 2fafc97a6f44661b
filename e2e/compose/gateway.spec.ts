/**
 * compose.yaml's gateway profile, which `npm run test:compose` starts second
 * (STACK_TOPOLOGY=gateway, COMPOSE_PROFILES=gateway, TAIL_SAMPLING_PERCENT=100;
 * only this spec runs against it): the agent in the `collector` container
 * routes every span by trace ID to the gateway-1 or gateway-2 container, which
 * keeps the whole trace and exports it to Jaeger. The same checks as the
 * native gateway spec (e2e/faults/gateways.ts).
 */
import { loadStackConfig } from '@tracing-demo/stack';
import { expectTracesThroughOneGatewayEach } from '../faults/gateways.ts';
import { expect, test } from '../fixtures.ts';
import {
  composePs,
  composeServices,
  containerMemory,
  containerStates,
  fullContainerId,
  healthProblems,
  memoryProblems,
  memoryReport,
  type ContainerMemory,
} from './checks.ts';

test.describe.configure({ mode: 'serial' });

const stack = loadStackConfig();
const GATEWAYS = stack.gateways.map((gateway) => gateway.name);

test('the gateway profile runs: every service healthy, the gateways and their health checker included', async () => {
  expect(stack.topology, 'docker/compose.mjs sets STACK_TOPOLOGY=gateway for this run').toBe('gateway');
  const { all, withHealthcheck } = composeServices();
  expect(all).toEqual(expect.arrayContaining([...GATEWAYS, 'gateway-health']));
  await expect
    .poll(() => healthProblems(composePs(), all, withHealthcheck), { timeout: 30_000, intervals: [1000] })
    .toEqual([]);
});

test('30 concurrent browser actions: 30 linked traces, each through ONE gateway, both gateways used', async ({
  demo,
}, testInfo) => {
  const sent = await demo.burst(30);
  expect(new Set(sent.map((ctx) => ctx.traceId)).size).toBe(30);
  const perGateway = await expectTracesThroughOneGatewayEach(stack.jaeger.uiUrl, sent);
  testInfo.annotations.push({ type: 'traces per gateway', description: JSON.stringify(perGateway) });
  expect(Object.keys(perGateway).sort()).toEqual(GATEWAYS);
});

test('the page says traces are tail-sampled, and by which rule', async ({ demo }) => {
  await expect(demo.page.getByTestId('status-sampling')).toContainText(`${stack.tailSampling.percent} %`);
});

test('the gateways stay within their memory limits and never restarted; their memory is reported', () => {
  const rows = composePs().filter((row) => GATEWAYS.includes(row.Service));
  expect(rows.map((row) => row.Service).sort()).toEqual(GATEWAYS);
  const memory: ContainerMemory[] = rows.map((row) => containerMemory(row.Service, fullContainerId(row.ID)));
  const report = memoryReport(memory);
  test.info().annotations.push({ type: 'gateway memory after the burst', description: report });
  console.log(`Gateways: ${report}`);
  expect(memoryProblems(memory, containerStates(rows))).toEqual([]);
});
