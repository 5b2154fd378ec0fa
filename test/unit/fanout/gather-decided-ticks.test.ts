import { describe, expect, it } from 'vitest';
import { gatherDecidedTicks, type StoredRun } from '../../../core/fanout/gather-decided-ticks.js';
import type { Result, ShardId } from '../../../core/result.js';
import type { RunRef, TimeRange } from '../../../core/storage.js';

const PERIOD = 60_000;
const T = 1_796_000_000_000;

/** A shard's run file of `tick`, stored `afterMs` after it. */
function shardRun(
  tick: number,
  shard: ShardId,
  afterMs = 100 + shard.index,
  region = 'eu-west-1',
): StoredRun {
  const timestamp = (tick + afterMs) * 1e6;
  const result: Result = {
    title: `E${tick}-${shard.index}`,
    endpoint: 'https://example.com',
    timestamp,
    times: [{ rtt: 1e6 }],
    healthy: true,
    tick,
    region,
    shard,
  };
  return { name: `${timestamp}-check.json`, results: [result] };
}

/** Runs in memory, counting the reads. */
function storageOf(runs: readonly StoredRun[]) {
  const reads: string[] = [];
  return {
    reads,
    async list(range: TimeRange = {}): Promise<RunRef[]> {
      return runs
        .map((run) => ({ name: run.name, timestamp: Number(run.name.split('-')[0]) }))
        .filter((ref) => ref.timestamp >= (range.since ?? 0) && ref.timestamp <= (range.until ?? Infinity))
        .sort((a, b) => a.timestamp - b.timestamp);
    },
    async read(name: string) {
      reads.push(name);
      return runs.find((run) => run.name === name)?.results ?? [];
    },
  };
}

const of = (count: number, due?: number) =>
  Array.from({ length: count }, (_, index): ShardId => ({ index, count, ...(due ? { due } : {}) }));

describe('gatherDecidedTicks', () => {
  it('leaves a tick to its last shard: the earlier ones read nothing more', async () => {
    const runs = of(5).map((shard) => shardRun(T, shard));
    for (let stored = 1; stored < 5; stored++) {
      const storage = storageOf(runs.slice(0, stored));
      const decided = await gatherDecidedTicks(storage, runs[stored - 1] as StoredRun, {
        applied: new Set(),
        periodMs: PERIOD,
      });
      expect(decided.runs).toEqual([]);
      expect(storage.reads).toEqual([]);
    }
    const storage = storageOf(runs);
    const decided = await gatherDecidedTicks(storage, runs[4] as StoredRun, {
      applied: new Set(),
      periodMs: PERIOD,
    });
    expect(decided.runs.map((run) => run.name)).toEqual(runs.map((run) => run.name));
    expect(decided.ownTickWhole).toBe(true);
    expect(storage.reads).toHaveLength(4);
  });

  it('applies nothing of runs already applied, and a tick of a sub-minute round whole with its due shards', async () => {
    const round = of(5, 2)
      .slice(0, 2)
      .map((shard) => shardRun(T + 10_000, shard));
    const earlier = of(5).map((shard) => shardRun(T, shard));
    const storage = storageOf([...earlier, ...round]);
    const decided = await gatherDecidedTicks(storage, round[1] as StoredRun, {
      applied: new Set(earlier.map((run) => run.name)),
      periodMs: PERIOD,
    });
    expect(decided.runs.map((run) => run.name)).toEqual(round.map((run) => run.name));
    expect(decided.incomplete).toEqual([]);
  });

  it('applies a tick missing a shard with the first run a period later, saying which shards reported', async () => {
    const lossy = of(5)
      .filter((shard) => shard.index !== 3)
      .map((shard) => shardRun(T, shard));
    const next = shardRun(T + PERIOD, { index: 0, count: 5 });
    const decided = await gatherDecidedTicks(storageOf([...lossy, next]), next, {
      applied: new Set(),
      periodMs: PERIOD,
    });
    expect(decided.runs.map((run) => run.name)).toEqual(lossy.map((run) => run.name));
    expect(decided.incomplete).toEqual([
      { tick: T, region: 'eu-west-1', due: 5, reportedShards: [1, 2, 3, 5] },
    ]);
    expect(decided.ownTickWhole).toBe(false);
  });

  it('counts the shards of each region apart', async () => {
    const home = of(2).map((shard) => shardRun(T, shard));
    const away = shardRun(T, { index: 0, count: 2 }, 150, 'us-east-1');
    const decided = await gatherDecidedTicks(storageOf([...home, away]), away, {
      applied: new Set(),
      periodMs: PERIOD,
    });
    expect(decided.runs).toEqual(home);
    expect(decided.ownTickWhole).toBe(false);
  });
});
