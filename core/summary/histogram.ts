/**
 * A sparse log-scale histogram of latencies in milliseconds: bucket `i` holds values in
 * (FLOOR_MS * GROWTH^(i-1), FLOOR_MS * GROWTH^i], bucket 0 everything up to FLOOR_MS. Adding is
 * commutative, so runs applied in any order give the same percentiles, and a percentile is
 * within 1% of the exact one. Keys are bucket indexes, values are counts.
 */
export type Histogram = Record<string, number>;

const FLOOR_MS = 0.1;
const GROWTH = 1.02;
const LOG_GROWTH = Math.log(GROWTH);

/** The bucket a latency (ms) falls in. */
export function bucketOf(ms: number): number {
  if (!(ms > FLOOR_MS)) return 0;
  return Math.ceil(Math.log(ms / FLOOR_MS) / LOG_GROWTH - 1e-9);
}

/** The value a bucket stands for: the geometric middle of its bounds, rounded to 0.1 ms. */
export function bucketValue(index: number): number {
  if (index <= 0) return FLOOR_MS;
  return Math.round(FLOOR_MS * GROWTH ** (index - 0.5) * 10) / 10;
}

/** A copy of `histogram` with one more value. */
export function addValue(histogram: Histogram, ms: number): Histogram {
  const key = String(bucketOf(ms));
  return { ...histogram, [key]: (histogram[key] ?? 0) + 1 };
}

/** How many values the histogram holds. */
export function countOf(histogram: Histogram): number {
  return Object.values(histogram).reduce((sum, count) => sum + count, 0);
}

/** The nearest-rank percentile (`p` in 0..1) in ms, or 0 for an empty histogram. */
export function percentile(histogram: Histogram, p: number): number {
  const total = countOf(histogram);
  if (total === 0) return 0;
  const rank = Math.max(1, Math.ceil(p * total));
  const indexes = Object.keys(histogram)
    .map(Number)
    .sort((a, b) => a - b);
  let seen = 0;
  for (const index of indexes) {
    seen += histogram[String(index)] ?? 0;
    if (seen >= rank) return bucketValue(index);
  }
  return bucketValue(indexes[indexes.length - 1] ?? 0);
}
