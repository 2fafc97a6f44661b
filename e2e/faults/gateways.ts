/**
 * The gateway topology (STACK_TOPOLOGY=gateway) as the specs check it: every
 * span of a trace passed ONE gateway, which marked it with the resource
 * attribute `collector.gateway`.
 */
import type { Trace } from '@tracing-demo/trace-assert';

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
