import { describe, expect, it } from 'vitest';
import { traceContextFromServerTiming, traceIdFromServerTiming } from '../../src/api/server-timing';

const id = '0af7651916cd43dd8448eb211c80319c';
const spanId = 'b7ad6b7169203331';

describe('traceContextFromServerTiming', () => {
  it('reads the trace and span id of the draft form, quoted or not, among other metrics', () => {
    expect(traceContextFromServerTiming(`trace;desc="00-${id}-${spanId}-01"`)).toEqual({
      traceId: id,
      spanId,
    });
    expect(traceContextFromServerTiming(`trace;desc=00-${id}-${spanId}-00`)).toEqual({ traceId: id, spanId });
    expect(traceIdFromServerTiming(`db;dur=53, trace;desc="00-${id}-${spanId}-01"`)).toBe(id);
  });

  it.each([
    null,
    '',
    'db;dur=53',
    `traceparent;desc="00-${id}-${spanId}-01"`,
    `trace;desc="01-${id}-${spanId}-01"`,
    `trace;desc="00-${'0'.repeat(32)}-${spanId}-01"`,
    `trace;desc="00-${id}-${'0'.repeat(16)}-01"`,
    `trace;desc="00-${id.toUpperCase()}-${spanId}-01"`,
    `trace;desc="00-${id}-b7ad6b71692033-01"`,
    `trace;dur=1`,
  ])('finds no trace context in %j', (header) => {
    expect(traceContextFromServerTiming(header)).toBeUndefined();
    expect(traceIdFromServerTiming(header)).toBeUndefined();
  });
});
