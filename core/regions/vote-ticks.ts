import { type Result, type Status, statusOf, withStatus } from '../result.js';
import { computeStats } from '../stats.js';
import { voteStatus } from './vote-status.js';

/** One region's part in a voted result: what it saw, or `unknown` when it did not report. */
export interface RegionReport {
  name: string;
  status: Status | 'unknown';
  /** Its median RTT (ms), when it reported. */
  rttMs?: number;
  /** Its newest result's time (unix ms): for a region not reporting, since when. */
  lastCheck: number;
}

/** An endpoint's result for one tick as its regions voted it, with each region's part. */
export interface VotedResult extends Result {
  tick: number;
  regions: RegionReport[];
}

/** A regional result that takes part in a vote: it says which region and which tick. */
export function votes(result: Result): result is Result & { region: string; tick: number } {
  return typeof result.region === 'string' && typeof result.tick === 'number' && !result.probeOffline;
}

/** Whether a run's results are regional ones to vote on (else they stand as they are). */
export function needsVote(results: readonly Result[]): boolean {
  return results.some((result) => typeof result.region === 'string' && typeof result.tick === 'number');
}

/**
 * Votes every tick of some regional results (the runs of a few recent ticks, from every region)
 * that can be decided, and returns the voted results, oldest tick first. Pure.
 *
 * A tick is decided once every region expected has reported for it, or once a newer tick has
 * results (the regions still missing then did not report, and do not vote). The regions expected
 * at a tick are those that reported for the endpoint at an earlier tick among `results`: so a
 * region that stopped reporting delays one decision, and then is no longer waited for.
 *
 * The voted result's timestamp is its tick (in ns), the same whichever region reported last, so
 * deciding a tick again (a run delivered twice) gives the same result and alerts nothing twice.
 * Results without a region or tick, and those of a probe found offline, do not vote.
 */
export function voteTicks(
  results: readonly Result[],
  quorumFor: (title: string) => number | undefined = () => undefined,
): VotedResult[] {
  const byTitle = new Map<string, Map<number, Map<string, Result>>>();
  for (const result of results) {
    if (!votes(result)) continue;
    const ticks = byTitle.get(result.title) ?? new Map<number, Map<string, Result>>();
    byTitle.set(result.title, ticks);
    const regions = ticks.get(result.tick) ?? new Map<string, Result>();
    ticks.set(result.tick, regions);
    const earlier = regions.get(result.region);
    // A region stores one run per tick; should it store two, its newest result counts.
    if (!earlier || earlier.timestamp < result.timestamp) regions.set(result.region, result);
  }
  const voted: VotedResult[] = [];
  for (const [title, ticks] of byTitle) {
    const order = [...ticks.keys()].sort((a, b) => a - b);
    const seen = new Map<string, number>();
    order.forEach((tick, index) => {
      const reported = ticks.get(tick) as Map<string, Result>;
      const missing = [...seen.keys()].filter((region) => !reported.has(region));
      const newerTick = index < order.length - 1;
      if (missing.length === 0 || newerTick)
        voted.push(voteTick(tick, [...reported.values()], missing, seen, quorumFor(title)));
      for (const [region, result] of reported) seen.set(region, Math.floor(result.timestamp / 1e6));
    });
  }
  return voted.sort((a, b) => a.tick - b.tick || a.title.localeCompare(b.title));
}

function voteTick(
  tick: number,
  reported: Result[],
  missing: string[],
  lastSeen: ReadonlyMap<string, number>,
  quorum: number | undefined,
): VotedResult {
  const ballots = reported.map((result) => ({ region: result.region as string, status: statusOf(result) }));
  const vote = voteStatus(ballots, quorum ?? reported.find((result) => result.quorum)?.quorum);
  // The regions that agree with the vote come first: their error and attempts speak for it.
  const ordered = [...reported].sort(
    (a, b) =>
      Number(statusOf(b) === vote.status) - Number(statusOf(a) === vote.status) ||
      (a.region as string).localeCompare(b.region as string),
  );
  const first = ordered[0] as Result;
  const regions: RegionReport[] = [
    ...reported.map(
      (result): RegionReport => ({
        name: result.region as string,
        status: statusOf(result),
        ...(result.times.length > 0
          ? { rttMs: Math.round(computeStats(result.times).median / 1e5) / 10 }
          : {}),
        lastCheck: Math.floor(result.timestamp / 1e6),
      }),
    ),
    ...missing.map((name): RegionReport => ({ name, status: 'unknown', lastCheck: lastSeen.get(name) ?? 0 })),
  ].sort((a, b) => a.name.localeCompare(b.name));
  const notices = [vote.notice, ...ordered.map((result) => result.notice)].filter(Boolean);
  // A tick only one region reported keeps its region: alerts can still say where it was seen.
  const { region, healthy: _h, degraded: _d, down: _w, ...base } = first;
  return {
    ...withStatus(
      {
        ...base,
        timestamp: tick * 1e6,
        times: ordered.flatMap((result) => result.times),
        ...(notices.length > 0 ? { notice: [...new Set(notices)].join('; ') } : {}),
        ...(reported.length === 1 ? { region } : {}),
      },
      vote.status,
    ),
    tick,
    regions,
  } as VotedResult;
}
