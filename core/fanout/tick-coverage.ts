import type { Result } from '../result.js';
import { statusOf } from '../result.js';
import type { EndpointStatus, OverviewEndpoint } from '../summary/page-document-types.js';
import type { ShardPlan } from './plan-shards.js';
import type { Round } from './tick-rounds.js';

/** What one tick expects: each shard due in it, with the endpoints it was to check. */
export interface TickExpectation {
  /** Unix ms of the tick's scheduled time. */
  tick: number;
  shards: Array<{ index: number; titles: string[] }>;
}

/**
 * The ticks of one scheduled run that starts at `start` (unix ms): one per round, each expecting
 * the shards that have a checker due in that round. `titles` are the checkers' titles in config order.
 */
export function expectTicks(
  start: number,
  shards: readonly ShardPlan[],
  rounds: readonly Round[],
  titles: readonly string[],
): TickExpectation[] {
  return rounds.map((round) => {
    const due = new Set(round.due);
    return {
      tick: start + round.offsetMs,
      shards: shards.flatMap((shard) => {
        const shardTitles = titles.slice(shard.start, shard.end).filter((_t, i) => due.has(shard.start + i));
        return shardTitles.length > 0 ? [{ index: shard.index, titles: shardTitles }] : [];
      }),
    };
  });
}

/**
 * An endpoint's status in a tick: unknown when no result came for it (its shard did not report);
 * the page's overview status (core/summary/page-document-types.ts).
 */
export type TickStatus = EndpointStatus;

/** How complete a tick is, from the results that carry its `tick`. */
export interface TickCoverage {
  tick: number;
  expectedShards: number;
  reportedShards: number[];
  missingShards: number[];
  /** Each endpoint's status in the tick; never healthy without a result. */
  statuses: Map<string, { status: TickStatus; reason?: string }>;
  counts: Record<TickStatus, number>;
}

/**
 * Compares what a tick expected with the results that arrived for it. An endpoint whose shard
 * did not report is `unknown` (not checked), with the reason, and never counts as healthy.
 */
export function tickCoverage(expected: TickExpectation, results: readonly Result[]): TickCoverage {
  const ofTick = results.filter((result) => result.tick === expected.tick);
  const reported = new Set(ofTick.flatMap((result) => (result.shard ? [result.shard.index] : [])));
  const latest = new Map<string, Result>();
  for (const result of ofTick) {
    const before = latest.get(result.title);
    if (!before || before.timestamp <= result.timestamp) latest.set(result.title, result);
  }
  const count = expected.shards.length;
  const statuses: TickCoverage['statuses'] = new Map();
  const counts: Record<TickStatus, number> = { healthy: 0, degraded: 0, down: 0, unknown: 0 };
  for (const shard of expected.shards) {
    for (const title of shard.titles) {
      const result = latest.get(title);
      const entry = result
        ? { status: statusOf(result) as TickStatus }
        : {
            status: 'unknown' as const,
            reason: reported.has(shard.index)
              ? `not in the results of shard ${shard.index + 1} of ${count}`
              : `not checked: shard ${shard.index + 1} of ${count} did not report for tick ${new Date(expected.tick).toISOString()}`,
          };
      statuses.set(title, entry);
      counts[entry.status] += 1;
    }
  }
  return {
    tick: expected.tick,
    expectedShards: count,
    reportedShards: [...reported].sort((a, b) => a - b),
    missingShards: expected.shards.map((shard) => shard.index).filter((index) => !reported.has(index)),
    statuses,
    counts,
  };
}

/**
 * The overview's endpoints with those the tick left unchecked marked `unknown`, with the reason
 * (`not checked: shard 4 of 5 did not report ...`): what a writer of the overview applies after
 * a fanned-out tick, so a shard that did not report never reads as healthy.
 */
export function markNotChecked(
  endpoints: readonly OverviewEndpoint[],
  coverage: TickCoverage,
): OverviewEndpoint[] {
  return endpoints.map((endpoint) => {
    const entry = coverage.statuses.get(endpoint.title);
    if (entry?.status !== 'unknown') return endpoint;
    return {
      ...endpoint,
      status: 'unknown',
      reason: entry.reason,
      ...(endpoint.status === 'unknown' ? {} : { since: coverage.tick }),
    };
  });
}
