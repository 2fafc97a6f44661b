import { describe, expect, it } from 'vitest';
import { countLabel, formatStartTime } from '../../src/trace-list/trace-list-format';
import { NOT_A_VALUE } from '../../src/waterfall/format';

describe('formatStartTime', () => {
  const now = new Date(2026, 10, 30, 15, 0, 0);

  it('gives the local time of a trace that started today', () => {
    expect(formatStartTime(new Date(2026, 10, 30, 9, 5, 7, 250).getTime(), now)).toBe('09:05:07');
  });

  it('adds the date for another day', () => {
    expect(formatStartTime(new Date(2026, 10, 29, 23, 59, 59).getTime(), now)).toBe('2026-11-29 23:59:59');
    expect(formatStartTime(new Date(2025, 10, 30, 15, 0, 0).getTime(), now)).toBe('2025-11-30 15:00:00');
  });

  it.each([Number.NaN, Infinity, '12', null, 8.64e15 + 1])('rejects %s', (value) => {
    expect(formatStartTime(value, now)).toBe(NOT_A_VALUE);
  });
});

describe('countLabel', () => {
  it('says one thing, or several', () => {
    expect(countLabel(1, 'span')).toBe('1 span');
    expect(countLabel(0, 'error')).toBe('0 errors');
    expect(countLabel(10, 'span')).toBe('10 spans');
  });
});
