/** Builders of TraceView data for the unit tests. */
import type { TraceSpanView } from '@tracing-demo/contracts';

/** Epoch ms of the test traces' first span. */
export const T0 = 1_760_000_000_000;

export function span(
  spanId: string,
  parentSpanId: string | null,
  overrides: Partial<TraceSpanView> = {},
): TraceSpanView {
  return {
    spanId,
    parentSpanId,
    service: 'api',
    name: `span ${spanId}`,
    kind: 'internal',
    startUnixMs: T0,
    durationMs: 10,
    status: { code: 'unset' },
    attributes: {},
    events: [],
    ...overrides,
  };
}

/** Five spans of one click on GET /items/{id}: the browser's two and the API's first three (53.3 ms). */
export function clickTrace(): TraceSpanView[] {
  return [
    span('a1', null, {
      service: 'web',
      name: 'user_action GET /items/{id}',
      startUnixMs: T0,
      durationMs: 53.3,
    }),
    span('b2', 'a1', { service: 'web', kind: 'client', name: 'GET', startUnixMs: T0 + 2, durationMs: 51 }),
    span('c3', 'b2', { kind: 'server', name: 'GET /items/:id', startUnixMs: T0 + 16, durationMs: 14.25 }),
    span('d4', 'c3', { name: 'request', startUnixMs: T0 + 16, durationMs: 12.83 }),
    span('e5', 'd4', { name: 'handler - itemRoutes', startUnixMs: T0 + 19, durationMs: 1.16 }),
  ];
}
