import { UnreadableRunError } from '../parse-run.js';
import type { Result, ShardId } from '../result.js';
import type { RunRef, Storage } from '../storage.js';

/** A run file as read: its name and results. */
export interface StoredRun {
  name: string;
  results: Result[];
}

/** Where a fanned-out run file belongs: its tick, the region that checked it, and its shard. */
export interface ShardRunKey {
  tick: number;
  region?: string;
  shard: ShardId;
}

/** A tick decided without all its shards: the endpoints of the missing ones were not checked. */
export interface IncompleteTick {
  tick: number;
  region?: string;
  /** Shards due in the tick, and the 1-based shards that reported. */
  due: number;
  reportedShards: number[];
}

/** What to alert on for a fanned-out run file just stored. */
export interface DecidedTicks {
  /** Run files of decided ticks not applied yet, oldest first: applied together, in one state write. */
  runs: StoredRun[];
  /** Decided ticks that lack shards (a period has passed since them: the missing ones are not coming). */
  incomplete: IncompleteTick[];
  /** Run files read here (the one of the event not counted). */
  read: number;
  /** Whether the run's own tick is among those decided, with all its shards. */
  ownTickWhole: boolean;
}

/** The tick, region and shard of a run file from a fanned-out tick, or undefined for any other run. */
export function shardRunOf(results: readonly Result[]): ShardRunKey | undefined {
  const first = results[0];
  if (!first?.shard || typeof first.tick !== 'number') return undefined;
  return { tick: first.tick, ...(first.region ? { region: first.region } : {}), shard: first.shard };
}

/**
 * Which fanned-out runs to alert on once `run` (a shard's run file) is stored, so a tick of many
 * shards alerts once, not once per shard. A tick is decided when all its due shards reported
 * (the invocation that sees the last one applies them all), or once a period has passed since it
 * (its missing shards are over: their endpoints were not checked, and nothing is said of them).
 * The run files of the two periods before and the period from the tick are listed (one LIST);
 * those in `applied` are done. The tick's others are read only when there are enough of them to
 * make it whole, so the shards that come before the last one read nothing more; older ones not
 * applied (a tick left incomplete, a sub-minute round not whole yet) are read to decide them.
 */
export async function gatherDecidedTicks(
  storage: Pick<Storage, 'list' | 'read'>,
  run: StoredRun,
  options: { applied: ReadonlySet<string>; periodMs: number },
): Promise<DecidedTicks> {
  const key = shardRunOf(run.results);
  if (!key) return { runs: [run], incomplete: [], read: 0, ownTickWhole: false };
  const { periodMs } = options;
  const listed = await storage.list({
    since: (key.tick - 2 * periodMs) * 1e6,
    until: (key.tick + periodMs) * 1e6,
  });
  const pending = listed.filter((ref) => ref.name !== run.name && !options.applied.has(ref.name));
  const tickStartNs = key.tick * 1e6;
  const older = pending.filter((ref) => ref.timestamp < tickStartNs);
  const current = pending.filter((ref) => ref.timestamp >= tickStartNs);
  const due = key.shard.due ?? key.shard.count;
  const mayBeWhole = current.length + 1 >= due;
  const toRead: RunRef[] = [...older, ...(mayBeWhole ? current : [])];
  const read = await Promise.all(
    toRead.map(async (ref): Promise<StoredRun> => {
      try {
        return { name: ref.name, results: await storage.read(ref.name) };
      } catch (error) {
        // A run cut off mid-write takes no part; the storage reports it where it is read for the page.
        if (error instanceof UnreadableRunError) return { name: ref.name, results: [] };
        throw error;
      }
    }),
  );

  const groups = new Map<
    string,
    { tick: number; region?: string; due: number; runs: StoredRun[]; shards: Set<number> }
  >();
  for (const stored of [...read, run]) {
    const of = shardRunOf(stored.results);
    if (!of) continue;
    const id = `${of.tick} ${of.region ?? ''}`;
    const group = groups.get(id) ?? {
      tick: of.tick,
      ...(of.region ? { region: of.region } : {}),
      due: of.shard.due ?? of.shard.count,
      runs: [],
      shards: new Set<number>(),
    };
    groups.set(id, group);
    group.runs.push(stored);
    group.shards.add(of.shard.index);
  }
  const runs: StoredRun[] = [];
  const incomplete: IncompleteTick[] = [];
  let ownTickWhole = false;
  for (const group of [...groups.values()].sort((a, b) => a.tick - b.tick)) {
    const whole = group.shards.size >= group.due;
    if (!whole && group.tick > key.tick - periodMs) continue;
    runs.push(...group.runs);
    if (whole && group.runs.includes(run)) ownTickWhole = true;
    if (!whole)
      incomplete.push({
        tick: group.tick,
        ...(group.region ? { region: group.region } : {}),
        due: group.due,
        reportedShards: [...group.shards].sort((a, b) => a - b).map((index) => index + 1),
      });
  }
  runs.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return { runs, incomplete, read: read.length, ownTickWhole };
}
