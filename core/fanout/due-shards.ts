import type { ShardPlan } from './plan-shards.js';
import type { Round } from './tick-rounds.js';

/**
 * How many shards have checkers due in each round that not every shard takes part in, by the
 * round's offset (ms): a sub-minute round's tick is whole once that many shards reported, not
 * all of them. Rounds every shard takes part in (always the first) are left out.
 */
export function dueShardsByOffset(
  shards: readonly ShardPlan[],
  rounds: readonly Round[],
): Record<string, number> {
  const due: Record<string, number> = {};
  for (const round of rounds) {
    const count = shards.filter((shard) =>
      round.due.some((index) => index >= shard.start && index < shard.end),
    ).length;
    if (count < shards.length) due[String(round.offsetMs)] = count;
  }
  return due;
}
