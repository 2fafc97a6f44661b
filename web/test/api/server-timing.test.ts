import { describe, expect, it } from 'vitest';
import { traceIdFromServerTiming } from '../../src/api/server-timing';

const id = '0af7651916cd43dd8448eb211c80319c';

describe('traceIdFromServerTiming', () => {
  it('reads the trace id of the draft form, quoted or not, among other metrics', () => {
    expect(traceIdFromServerTiming(`trace;desc="00-${id}-b7ad6b7169203331-01"`)).toBe(id);
    expect(traceIdFromServerTiming(`trace;desc=00-${id}-b7ad6b7169203331-00`)).toBe(id);
    expect(traceIdFromServerTiming(`db;dur=53, trace;desc="00-${id}-b7ad6b7169203331-01"`)).toBe(id);
  });

  it.each([
    null,
    '',
    'db;dur=53',
    `traceparent;desc="00-${id}-b7ad6b7169203331-01"`,
    `trace;desc="01-${id}-b7ad6b7169203331-01"`,
    `trace;desc="00-${'0'.repeat(32)}-b7ad6b7169203331-01"`,
    `trace;desc="00-${id.toUpperCase()}-b7ad6b7169203331-01"`,
    `trace;desc="00-${id}-b7ad6b71692033-01"`,
    `trace;dur=1`,
  ])('finds no trace id in %j', (header) => {
    expect(traceIdFromServerTiming(header)).toBeUndefined();
  });
});
