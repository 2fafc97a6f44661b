import { describe, expect, it } from 'vitest';
import { formatTraceparent, parseTraceparent } from '../src/traceparent.ts';

const TRACE = '4bf92f3577b34da6a3ce929d0e0e4736';
const PARENT = '00f067aa0ba902b7';

describe('parseTraceparent', () => {
  it('parses a sampled version-00 header', () => {
    expect(parseTraceparent(`00-${TRACE}-${PARENT}-01`)).toEqual({
      version: '00',
      traceId: TRACE,
      parentSpanId: PARENT,
      sampled: true,
      flags: 1,
    });
  });

  it('reads the sampled bit from the flags only', () => {
    expect(parseTraceparent(`00-${TRACE}-${PARENT}-00`).sampled).toBe(false);
    expect(parseTraceparent(`00-${TRACE}-${PARENT}-03`)).toMatchObject({ sampled: true, flags: 3 });
    expect(parseTraceparent(`00-${TRACE}-${PARENT}-02`)).toMatchObject({ sampled: false, flags: 2 });
  });

  it('ignores surrounding whitespace', () => {
    expect(parseTraceparent(`  00-${TRACE}-${PARENT}-01 `).traceId).toBe(TRACE);
  });

  it('accepts extra fields only for future versions', () => {
    expect(parseTraceparent(`cc-${TRACE}-${PARENT}-01-what-the-future-will-be-like`).version).toBe('cc');
    expect(() => parseTraceparent(`00-${TRACE}-${PARENT}-01-extra`)).toThrow(
      'version 00 must have exactly 4 fields, got 5',
    );
  });

  const invalid: [string, string, string][] = [
    ['version ff', `ff-${TRACE}-${PARENT}-01`, 'version ff is forbidden'],
    ['all-zero trace id', `00-${'0'.repeat(32)}-${PARENT}-01`, 'trace-id must not be all zeros'],
    ['all-zero parent id', `00-${TRACE}-${'0'.repeat(16)}-01`, 'parent-id must not be all zeros'],
    ['short trace id', `00-${TRACE.slice(1)}-${PARENT}-01`, 'trace-id must be 32 hex digits, got 31'],
    ['long trace id', `00-${TRACE}0-${PARENT}-01`, 'trace-id must be 32 hex digits, got 33'],
    ['short parent id', `00-${TRACE}-${PARENT.slice(2)}-01`, 'parent-id must be 16 hex digits, got 14'],
    ['long parent id', `00-${TRACE}-${PARENT}ab-01`, 'parent-id must be 16 hex digits, got 18'],
    ['uppercase trace id', `00-${TRACE.toUpperCase()}-${PARENT}-01`, 'trace-id must be lowercase hex'],
    ['uppercase parent id', `00-${TRACE}-00F067AA0BA902B7-01`, 'parent-id must be lowercase hex'],
    ['uppercase flags', `00-${TRACE}-${PARENT}-0A`, 'trace-flags must be lowercase hex'],
    ['non-hex flags', `00-${TRACE}-${PARENT}-0x`, 'trace-flags must contain only hex digits'],
    ['one-digit flags', `00-${TRACE}-${PARENT}-1`, 'trace-flags must be 2 hex digits, got 1'],
    ['three-digit version', `000-${TRACE}-${PARENT}-01`, 'version must be 2 hex digits, got 3'],
    ['non-hex version', `0g-${TRACE}-${PARENT}-01`, 'version must contain only hex digits'],
    ['non-hex trace id', `00-${TRACE.slice(0, 31)}z-${PARENT}-01`, 'trace-id must contain only hex digits'],
    ['missing field', `00-${TRACE}-${PARENT}`, 'expected 4 fields'],
    ['empty', '', 'expected 4 fields'],
    ['wrong separator', `00_${TRACE}_${PARENT}_01`, 'expected 4 fields'],
  ];

  it.each(invalid)('rejects %s', (_label, header, problem) => {
    expect(() => parseTraceparent(header)).toThrow(problem);
    expect(() => parseTraceparent(header)).toThrow(`invalid traceparent ${JSON.stringify(header)}`);
  });
});

describe('formatTraceparent', () => {
  it('formats and round-trips', () => {
    const header = formatTraceparent({ traceId: TRACE, parentSpanId: PARENT });
    expect(header).toBe(`00-${TRACE}-${PARENT}-01`);
    expect(parseTraceparent(header)).toMatchObject({ traceId: TRACE, parentSpanId: PARENT, sampled: true });
    expect(formatTraceparent({ traceId: TRACE, parentSpanId: PARENT, sampled: false })).toBe(
      `00-${TRACE}-${PARENT}-00`,
    );
    expect(formatTraceparent({ traceId: TRACE, parentSpanId: PARENT, flags: 0x0a })).toBe(
      `00-${TRACE}-${PARENT}-0a`,
    );
  });

  it('refuses to build an invalid header', () => {
    expect(() => formatTraceparent({ traceId: TRACE.toUpperCase(), parentSpanId: PARENT })).toThrow(
      'trace-id must be lowercase hex',
    );
    expect(() => formatTraceparent({ traceId: TRACE, parentSpanId: '0'.repeat(16) })).toThrow('all zeros');
    expect(() => formatTraceparent({ traceId: TRACE, parentSpanId: PARENT, flags: 256 })).toThrow('0..255');
    expect(() => formatTraceparent({ traceId: TRACE, parentSpanId: PARENT, version: 'ff' })).toThrow('ff');
  });
});
