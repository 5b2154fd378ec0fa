import { DEFAULT_TIMEOUT_NS } from '../core/checkers/http-checker.js';
import type { Config } from '../core/config/parse-config.js';
import { checkerIntervalMs, checkerWorstCaseNs } from '../core/fanout/checker-timing.js';
import { dueShardsByOffset } from '../core/fanout/due-shards.js';
import { planShards, type ShardPlan } from '../core/fanout/plan-shards.js';
import type { ShardMessage } from '../core/fanout/shard-message.js';
import { expectTicks, tickCoverage } from '../core/fanout/tick-coverage.js';
import { tickRounds } from '../core/fanout/tick-rounds.js';
import type { MaintenanceWindow } from '../core/maintenance/maintenance-window.js';
import type { Result } from '../core/result.js';
import type { Storage } from '../core/storage.js';
import type { StatusSummary } from '../core/summary/summary-types.js';
import type { Logger } from './log.js';
import { METRIC_NAMES } from './metric-names.js';
import type { Metrics } from './metrics.js';

/** Checker config bytes per shard message: under SQS's 256 KiB with room for the envelope. */
const SHARD_BYTES = 200 * 1024;

/** What a shard leaves of the period for start-up, the queue and storing, besides its end margin. */
const SHARD_OVERHEAD_MS = 15_000;

/**
 * Checks one invocation can run and still end inside the period when every endpoint hangs to its
 * timeout: `concurrent_checks` at a time, each taking at most attempts x (timeout + spacing).
 * 1 attempt of the default 10 s timeout at 50 at once, in a one-minute period: 50 x 4 = 200.
 */
export function safeShardSize(config: Config, periodMs: number): number {
  const worstMs = Math.max(
    1,
    ...config.checkers.map((checker) => checkerWorstCaseNs(checker, DEFAULT_TIMEOUT_NS) / 1e6),
  );
  return config.concurrent_checks * Math.max(1, Math.floor((periodMs - SHARD_OVERHEAD_MS) / worstMs));
}

/**
 * The shards of a config, or none when it fits in one invocation (no queue, no extra cost): at
 * most `shardSize` checks each, fewer when the config's timeouts could not end in time.
 */
export function shardsOf(
  config: Config,
  rawCheckers: readonly unknown[],
  shardSize: number,
  periodMs: number,
): ShardPlan[] {
  const size = Math.min(shardSize, safeShardSize(config, periodMs));
  if (rawCheckers.length <= size) return [];
  const sizes = rawCheckers.map((checker) => Buffer.byteLength(JSON.stringify(checker)));
  return planShards(sizes, { maxChecks: size, maxBytes: SHARD_BYTES });
}

export interface FanOutContext {
  /** Sends one message per shard; returns the requests made. */
  queue: { send(bodies: readonly string[]): Promise<number> };
  storage: Storage;
  log: Logger;
  metrics: Metrics;
  /** Writes the badges whose status changed (S3PagePublisher.publishBadges). */
  publishBadges: (results: Result[]) => Promise<void>;
  /**
   * With the summary kept elsewhere (a table): writes its head where the notify function reads
   * the timeline (S3PagePublisher.mirrorSummary, which leaves the endpoints out). None: the
   * storage's own summary is that document.
   */
  mirrorSummary?: (summary: StatusSummary) => Promise<void>;
}

/**
 * The planner's part of a fanned-out run: queues one message per shard (the checking is done by
 * the shard function, one invocation each), then looks at the run before this one: shards that
 * did not report are logged and counted (`ShardsMissing`, `EndpointsNotChecked`), their endpoints
 * unknown, never healthy; and the summary takes in every shard's run file.
 */
export async function fanOut(
  plan: {
    shards: ShardPlan[];
    config: Config;
    rawCheckers: unknown[];
    start: number;
    periodMs: number;
    /** The maintenance windows in force (config and stored), for the shards to mark results. */
    windows?: MaintenanceWindow[];
  },
  context: FanOutContext,
): Promise<{ shards: number; requests: number; previous?: { missingShards: number; notChecked: number } }> {
  const { shards, config, rawCheckers, start, periodMs, windows } = plan;
  const dueShards = dueShardsByOffset(shards, tickRounds(config.checkers.map(checkerIntervalMs), periodMs));
  const bodies = shards.map((shard) =>
    JSON.stringify({
      version: 1,
      start,
      periodMs,
      shard: { index: shard.index, count: shard.count },
      concurrentChecks: config.concurrent_checks,
      ...(Object.keys(dueShards).length > 0 ? { dueShards } : {}),
      checkers: rawCheckers.slice(shard.start, shard.end),
      ...(windows && windows.length > 0 ? { maintenance: windows } : {}),
    } satisfies ShardMessage),
  );
  const requests = await context.queue.send(bodies);
  context.log.info('tick fanned out', {
    tick: start,
    shards: shards.length,
    checks: rawCheckers.length,
    requests,
  });

  const previous = await reportPreviousRun(plan, context).catch((error: unknown) => {
    context.log.warn('the previous tick could not be looked at', { error });
    return undefined;
  });
  // The shards store with summaries off (they would all race for one document): this run's
  // planner brings the summary up to date with the previous run's shards, a period later. This
  // run's own shards store while it syncs: those not there when it starts are left to the next
  // planner, or each one landing would start another round rewriting every block (docs/scale.md).
  const summary = await context.storage.updateSummary({ onlyRunsAtStart: true });
  await context
    .publishBadges(
      summary.endpoints.map((endpoint) => ({
        title: endpoint.title,
        endpoint: endpoint.endpoint,
        timestamp: endpoint.lastCheck * 1e6,
        times: [],
        [endpoint.status]: true,
      })),
    )
    .catch((error: unknown) => context.log.warn('badges not written', { error }));
  await context
    .mirrorSummary?.(summary)
    .catch((error: unknown) => context.log.warn('summary not mirrored', { error }));
  return { shards: shards.length, requests, ...(previous ? { previous } : {}) };
}

// The scheduled time of the last run this container fanned out: the run the next one looks at.
let lastPlanned: number | undefined;

async function reportPreviousRun(
  plan: { shards: ShardPlan[]; config: Config; start: number; periodMs: number },
  context: FanOutContext,
): Promise<{ missingShards: number; notChecked: number } | undefined> {
  // Only the run just before this one: a container idle since an older run compares nothing old.
  const known =
    lastPlanned !== undefined && lastPlanned >= plan.start - 1.5 * plan.periodMs ? lastPlanned : undefined;
  lastPlanned = plan.start;
  // A warm container knows when it planned last; a new one takes the earliest tick stored about
  // one period back (every shard's first round carries the run's own tick).
  const since = known ?? plan.start - 1.5 * plan.periodMs;
  const stored: Result[] = [];
  for (const run of await context.storage.list({ since: since * 1e6 })) {
    for (const result of await context.storage.read(run.name))
      if (result.tick !== undefined && result.tick >= since && result.tick < plan.start) stored.push(result);
  }
  const from =
    known ??
    Math.min(
      ...stored
        .map((result) => result.tick as number)
        .filter((tick) => tick < plan.start - plan.periodMs / 2),
    );
  // No run before this one that this container knows of, or none stored: nothing to compare.
  if (!Number.isFinite(from)) return undefined;
  // A different shard count means the config changed since: that run's plan is not this one.
  if (stored.some((result) => result.shard && result.shard.count !== plan.shards.length)) return undefined;
  const rounds = tickRounds(plan.config.checkers.map(checkerIntervalMs), plan.periodMs);
  const titles = plan.config.checkers.map((checker) => checker.endpoint_name);
  let missingShards = 0;
  let notChecked = 0;
  for (const tick of expectTicks(from, plan.shards, rounds, titles)) {
    // Rounds of the previous run that would start after this one are none of its business.
    if (tick.tick >= plan.start) continue;
    const coverage = tickCoverage(tick, stored);
    missingShards += coverage.missingShards.length;
    notChecked += coverage.counts.unknown;
    if (coverage.missingShards.length === 0) continue;
    const unknown = [...coverage.statuses].filter(([, entry]) => entry.status === 'unknown');
    context.log.warn('tick missing shards: their endpoints were not checked', {
      tick: tick.tick,
      missingShards: coverage.missingShards.map((index) => index + 1),
      expectedShards: coverage.expectedShards,
      counts: coverage.counts,
      notChecked: unknown.slice(0, 20).map(([title, entry]) => ({ title, reason: entry.reason })),
    });
  }
  context.metrics.put(
    [
      { name: METRIC_NAMES.shardsMissing, value: missingShards, unit: 'Count' },
      { name: METRIC_NAMES.endpointsNotChecked, value: notChecked, unit: 'Count' },
    ],
    {},
    from,
  );
  return { missingShards, notChecked };
}
