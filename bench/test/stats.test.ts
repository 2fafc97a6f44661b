import { describe, expect, it } from 'vitest';
import { median, pairedRatios, percentile, summarize } from '../src/stats.ts';

describe('percentile', () => {
  it('interpolates between closest ranks', () => {
    const values = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
    expect(percentile(values, 0)).toBe(1);
    expect(percentile(values, 100)).toBe(10);
    expect(percentile(values, 50)).toBe(5.5);
    expect(percentile(values, 95)).toBeCloseTo(9.55, 10);
    expect(percentile(values, 99)).toBeCloseTo(9.91, 10);
  });

  it('does not depend on the order of the input, and does not sort it in place', () => {
    const values = [10, 1, 7, 3];
    expect(percentile(values, 50)).toBe(5);
    expect(values).toEqual([10, 1, 7, 3]);
  });

  it('gives the value itself for a single sample', () => {
    expect(percentile([42], 0)).toBe(42);
    expect(percentile([42], 95)).toBe(42);
  });

  it('rejects an empty sample', () => {
    expect(() => percentile([], 50)).toThrow(RangeError);
    expect(() => percentile([], 50)).toThrow(/no values/);
  });

  it('rejects p outside 0..100 and non-finite values', () => {
    expect(() => percentile([1, 2], -1)).toThrow(RangeError);
    expect(() => percentile([1, 2], 101)).toThrow(RangeError);
    expect(() => percentile([1, 2], Number.NaN)).toThrow(RangeError);
    expect(() => percentile([1, Number.NaN], 50)).toThrow(/not a finite number/);
    expect(() => percentile([1, Infinity], 50)).toThrow(RangeError);
  });
});

describe('median', () => {
  it('is the middle value of an odd sample and the mean of the two middle values of an even one', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([-5, 5])).toBe(0);
  });

  it('rejects an empty sample', () => {
    expect(() => median([])).toThrow(RangeError);
  });
});

describe('summarize', () => {
  it('gives n, min, median, p95 and max', () => {
    expect(summarize([5, 1, 3])).toEqual({ n: 3, min: 1, median: 3, p95: 4.8, max: 5 });
  });

  it('rejects an empty sample', () => {
    expect(() => summarize([])).toThrow(RangeError);
  });
});

describe('pairedRatios', () => {
  it('divides element by element', () => {
    expect(pairedRatios([50, 30], [100, 60])).toEqual([0.5, 0.5]);
  });

  it('rejects lists of different lengths and a zero denominator', () => {
    expect(() => pairedRatios([1], [1, 2])).toThrow(RangeError);
    expect(() => pairedRatios([1], [0])).toThrow(/zero/);
  });
});
