import type { Attempt } from './result.js';

/** Summary statistics over a result's attempts, in nanoseconds. */
export interface RttStats {
  total: number;
  mean: number;
  median: number;
  min: number;
  max: number;
}

/**
 * Computes checkup's statistics over the attempts' RTTs (zeros when there are none). The mean and
 * an even count's median are truncated to whole nanoseconds, as checkup's integer arithmetic does.
 */
export function computeStats(times: readonly Attempt[]): RttStats {
  if (times.length === 0) return { total: 0, mean: 0, median: 0, min: 0, max: 0 };
  const sorted = sortedRtts(times);
  const total = sorted.reduce((sum, rtt) => sum + rtt, 0);
  return {
    total,
    mean: Math.trunc(total / sorted.length),
    // Sorted already: the median of it without a second copy and sort (twice per result per store).
    median: Math.trunc(middleOf(sorted)),
    min: sorted[0] as number,
    max: sorted[sorted.length - 1] as number,
  };
}

/**
 * The attempts' RTTs in ascending order. A result has a few attempts and a store sorts them twice
 * per result, cold: an insertion sort of up to 8 numbers spares Array.prototype.sort's work array
 * (the same order: both sorts are stable), which sorts anything else (more attempts, a NaN).
 */
function sortedRtts(times: readonly Attempt[]): number[] {
  const values: number[] = [];
  let plain = times.length <= 8;
  for (let i = 0; i < times.length; i += 1) {
    const rtt = (times[i] as Attempt).rtt;
    if (typeof rtt !== 'number' || Number.isNaN(rtt)) plain = false;
    values.push(rtt);
  }
  if (!plain) return values.sort((a, b) => a - b);
  for (let i = 1; i < values.length; i += 1) {
    const value = values[i] as number;
    let j = i - 1;
    for (; j >= 0 && (values[j] as number) > value; j -= 1) values[j + 1] = values[j] as number;
    values[j + 1] = value;
  }
  return values;
}

/** The median of some numbers (the mean of the middle two for an even count); 0 for none. */
export function median(values: readonly number[]): number {
  if (values.length === 0) return 0;
  return middleOf([...values].sort((a, b) => a - b));
}

/** The median of numbers already in ascending order. */
function middleOf(sorted: readonly number[]): number {
  if (sorted.length === 0) return 0;
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[middle] as number)
    : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}
