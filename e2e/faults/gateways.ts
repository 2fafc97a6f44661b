/**
 * The gateway topology (STACK_TOPOLOGY=gateway) as the specs check it: every
 * span of a trace passed ONE gateway, which marked it with the resource
 * attribute `collector.gateway`. Used natively (gateway.spec.ts, a private
 * stack) and in containers (e2e/compose/gateway.spec.ts, compose's profile).
 */
import { expect, waitForTrace, type CapturedTraceContext, type Trace } from '@tracing-demo/trace-assert';
import { apiClient, apiServer, browserFetch, inventoryServer, userAction } from '../selectors.ts';

export const GATEWAY_ATTRIBUTE = 'collector.gateway';

/** The gateways a trace's spans passed (their `collector.gateway` values). */
export function gatewaysOf(trace: Pick<Trace, 'spans'>): string[] {
  return [
    ...new Set(trace.spans.map((span) => span.resource[GATEWAY_ATTRIBUTE]).filter((v) => v !== undefined)),
  ].map(String);
}

/** What is wrong with a trace that should have passed exactly one gateway; empty when nothing is. */
export function gatewayProblems(trace: Pick<Trace, 'spans'>): string[] {
  const problems: string[] = [];
  const unmarked = trace.spans.filter((span) => span.resource[GATEWAY_ATTRIBUTE] === undefined);
  if (unmarked.length > 0)
    problems.push(
      `${unmarked.length} span(s) without ${GATEWAY_ATTRIBUTE}: ${unmarked.map((s) => `${s.service} ${s.name}`).join(', ')}`,
    );
  const gateways = gatewaysOf(trace);
  if (gateways.length > 1) problems.push(`spans passed ${gateways.length} gateways: ${gateways.join(', ')}`);
  return problems;
}

/**
 * With every trace kept (TAIL_SAMPLING_PERCENT=100): the trace of each
 * browser action `sent` (e.g. the page's burst) is complete and linked in
 * Jaeger, and passed ONE gateway. Returns how many traces each gateway handled.
 */
export async function expectTracesThroughOneGatewayEach(
  jaegerUrl: string,
  sent: readonly CapturedTraceContext[],
): Promise<Record<string, number>> {
  const traces = await Promise.all(
    sent.map(async (ctx) => {
      const { trace } = await waitForTrace({
        jaegerUrl,
        traceId: ctx.traceId,
        expect: [userAction, browserFetch, apiServer, apiClient, inventoryServer],
        timeoutMs: 30_000,
      });
      expect(trace).toBeConnectedTrace();
      expect(trace).toHaveSpanWithParent(apiServer, ctx.parentSpanId);
      expect(gatewayProblems(trace), ctx.traceId).toEqual([]);
      return trace;
    }),
  );
  const perGateway: Record<string, number> = {};
  for (const trace of traces) for (const g of gatewaysOf(trace)) perGateway[g] = (perGateway[g] ?? 0) + 1;
  return perGateway;
}
