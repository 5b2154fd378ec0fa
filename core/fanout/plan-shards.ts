/** One shard of a fanned-out tick: the checkers `start` to `end` (exclusive) of the config. */
export interface ShardPlan {
  index: number;
  count: number;
  start: number;
  end: number;
}

export interface ShardLimits {
  /** Checks one invocation runs (the measured shard size). */
  maxChecks: number;
  /** Bytes of checker config one message may carry (SQS takes 256 KiB a message). */
  maxBytes: number;
}

/**
 * Splits checkers (given by the size of each one's config, in bytes) into contiguous shards of
 * at most `maxChecks` checks and `maxBytes` bytes, as even as the limits allow: 1,050 checks at
 * 500 a shard make 3 shards of 350, not 500 + 500 + 50, so no shard sets the tick's pace alone.
 * The same sizes always give the same plan, so a later invocation can tell what a tick expected.
 */
export function planShards(sizes: readonly number[], limits: ShardLimits): ShardPlan[] {
  const maxChecks = Math.max(1, Math.floor(limits.maxChecks));
  const target = Math.ceil(sizes.length / Math.max(1, Math.ceil(sizes.length / maxChecks)));
  const ranges: Array<{ start: number; end: number }> = [];
  let start = 0;
  let bytes = 0;
  sizes.forEach((size, index) => {
    const full = index - start >= target || (index > start && bytes + size > limits.maxBytes);
    if (full) {
      ranges.push({ start, end: index });
      start = index;
      bytes = 0;
    }
    bytes += size;
  });
  if (sizes.length > start) ranges.push({ start, end: sizes.length });
  return ranges.map((range, index) => ({ ...range, index, count: ranges.length }));
}
