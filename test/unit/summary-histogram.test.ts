import { describe, expect, it } from 'vitest';
import { addValue, bucketOf, type Histogram, percentile, percentiles } from '../../core/summary/histogram.js';

function histogramOf(values: number[]): Histogram {
  return values.reduce<Histogram>((histogram, value) => addValue(histogram, value), {});
}

describe('latency histogram', () => {
  it.each([
    { values: [100], p: 0.5, exact: 100 },
    { values: [10, 20, 30, 40, 50], p: 0.5, exact: 30 },
    { values: Array.from({ length: 100 }, (_, i) => i + 1), p: 0.95, exact: 95 },
    { values: Array.from({ length: 100 }, (_, i) => i + 1), p: 0.99, exact: 99 },
    { values: [0.05, 0.05, 2500, 60_000], p: 0.99, exact: 60_000 },
    { values: [1, 1, 1, 1, 1000], p: 0.5, exact: 1 },
  ])('gives the $p percentile of $values.length values within 1% of $exact', ({ values, p, exact }) => {
    const value = percentile(histogramOf(values), p);
    expect(Math.abs(value - exact) / exact).toBeLessThanOrEqual(0.0101 + 0.05 / exact);
  });

  it('gives 0 for no values', () => {
    expect(percentile({}, 0.5)).toBe(0);
  });

  it('puts everything at or under 0.1 ms in the first bucket', () => {
    expect([0, 0.01, 0.1].map(bucketOf)).toEqual([0, 0, 0]);
    expect(bucketOf(0.11)).toBeGreaterThan(0);
  });

  it('does not depend on the order values arrive in', () => {
    const values = [5, 900, 12.5, 40, 40, 3000, 0.2];
    expect(histogramOf(values)).toEqual(histogramOf([...values].reverse()));
  });

  it('reads histograms written with bare bucket indexes as keys, alone or mixed with new ones', () => {
    const values = [10, 20, 30, 40, 50, 60, 70, 80, 90, 100];
    const current = histogramOf(values);
    const bare = Object.fromEntries(Object.entries(current).map(([key, count]) => [key.slice(1), count]));
    expect(percentiles(bare, [0.5, 0.9])).toEqual(percentiles(current, [0.5, 0.9]));
    const mixed = histogramOf(values.slice(0, 5));
    for (const [key, count] of Object.entries(histogramOf(values.slice(5)))) mixed[key.slice(1)] = count;
    expect(percentiles(mixed, [0.5, 0.9])).toEqual(percentiles(current, [0.5, 0.9]));
  });

  it('gives several percentiles at once, the same as one at a time', () => {
    const histogram = histogramOf(Array.from({ length: 100 }, (_, i) => i + 1));
    expect(percentiles(histogram, [0.5, 0.95, 0.99])).toEqual(
      [0.5, 0.95, 0.99].map((p) => percentile(histogram, p)),
    );
  });
});
