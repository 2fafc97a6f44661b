/**
 * The statistics every figure of the benchmark goes through. Pure functions,
 * unit-tested in test/stats.test.ts.
 */

function finiteSorted(values: readonly number[], what: string): number[] {
  if (values.length === 0) throw new RangeError(`${what}: no values (an empty sample has no ${what})`);
  for (const value of values) {
    if (!Number.isFinite(value)) throw new RangeError(`${what}: not a finite number: ${value}`);
  }
  return [...values].sort((a, b) => a - b);
}

/**
 * The p-th percentile (0 ≤ p ≤ 100) by linear interpolation between closest
 * ranks (the method of numpy's default and of Excel's PERCENTILE.INC):
 * p0 is the minimum, p100 the maximum, p50 the median.
 * Throws a RangeError on an empty sample, a non-finite value or p out of range.
 */
export function percentile(values: readonly number[], p: number): number {
  if (!(p >= 0 && p <= 100)) throw new RangeError(`percentile: p must be between 0 and 100, got ${p}`);
  const sorted = finiteSorted(values, `p${p}`);
  const rank = (p / 100) * (sorted.length - 1);
  const low = Math.floor(rank);
  const high = Math.ceil(rank);
  const lowValue = sorted[low]!;
  return lowValue + (sorted[high]! - lowValue) * (rank - low);
}

/** The median: the middle value, or the mean of the two middle values. */
export function median(values: readonly number[]): number {
  return percentile(values, 50);
}

/** What every figure reports: its spread over rounds (or over samples). */
export interface Summary {
  n: number;
  min: number;
  median: number;
  p95: number;
  max: number;
}

export function summarize(values: readonly number[]): Summary {
  const sorted = finiteSorted(values, 'summary');
  return {
    n: sorted.length,
    min: sorted[0]!,
    median: percentile(sorted, 50),
    p95: percentile(sorted, 95),
    max: sorted[sorted.length - 1]!,
  };
}

/**
 * Element-wise ratios `numerators[i] / denominators[i]` (e.g. ON/OFF of the
 * same round, so a slow moment of the machine hits both sides of a ratio).
 */
export function pairedRatios(numerators: readonly number[], denominators: readonly number[]): number[] {
  if (numerators.length !== denominators.length) {
    throw new RangeError(
      `pairedRatios: ${numerators.length} numerators for ${denominators.length} denominators`,
    );
  }
  return numerators.map((value, i) => {
    const denominator = denominators[i]!;
    if (denominator === 0) throw new RangeError(`pairedRatios: denominator ${i} is zero`);
    return value / denominator;
  });
}
