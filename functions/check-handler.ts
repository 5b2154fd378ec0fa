// The check function: fired by the EventBridge schedule, runs every checker of the config in
// SSM and stores the run (S3 run file, or DynamoDB items) with the summary the page reads. Above
// the shard size it plans instead: the checkers go out in shards over SQS, each checked by one
// invocation of the shard function (functions/fan-out.ts, docs/scale.md). A thin composition
// root: clients, storage and config loader are built once per container and reused.

import { SSMClient } from '@aws-sdk/client-ssm';
import type { Context, ScheduledEvent } from 'aws-lambda';
import { createDynamodbAlertStateStore } from '../adapters/alerts/alert-state-store-from-config.js';
import { S3AlertStateStore } from '../adapters/alerts/s3-alert-state-store.js';
import { S3HeartbeatStore } from '../adapters/heartbeat/s3-heartbeat-store.js';
import { checkConcurrency } from '../adapters/host/descriptor-budget.js';
import { shardQueue } from '../adapters/queue/send-shard-messages.js';
import { lazyDynamodbStorage } from '../adapters/storage/lazy-dynamodb-storage.js';
import { S3PagePublisher } from '../adapters/storage/s3-page-publisher.js';
import { S3Storage } from '../adapters/storage/s3-storage.js';
import type { Checker } from '../core/checker.js';
import { createChecker, createCheckers } from '../core/checkers/create-checker.js';
import { unixNs } from '../core/clock.js';
import type { CheckerConfig } from '../core/config/checker-schemas.js';
import { checkerIntervalMs } from '../core/fanout/checker-timing.js';
import { runTick } from '../core/fanout/run-tick.js';
import { tickRounds } from '../core/fanout/tick-rounds.js';
import type { MaintenanceWindow } from '../core/maintenance/maintenance-window.js';
import { markMaintenance } from '../core/maintenance/mark-maintenance.js';
import { confirmProbe } from '../core/probe/confirm-probe.js';
import { quorumsOf } from '../core/regions/vote-stored-run.js';
import type { Result } from '../core/result.js';
import type { Storage } from '../core/storage.js';
import { readCheckEnv } from './check-env.js';
import { deployedConfigLoader } from './deployed-config-loader.js';
import { putEndpointMetrics } from './endpoint-metrics.js';
import { fanOut, shardsOf } from './fan-out.js';
import { Logger } from './log.js';
import { METRIC_NAMES } from './metric-names.js';
import { Metrics, startInvocation } from './metrics.js';
import { resultsBucketClient } from './results-bucket-client.js';

const env = readCheckEnv();
const region = env.AWS_REGION ?? 'local';
const log = new Logger({ service: 'checkup-check', region });
const metrics = new Metrics({ service: 'checkup-check', log });
const s3 = resultsBucketClient(env.CHECKUP_BUCKET_REGION, env.CHECKUP_S3_ENDPOINT);
const ssm = new SSMClient({ region: env.CHECKUP_CONFIG_REGION });
const periodMs = Number(env.CHECKUP_INTERVAL_MS ?? 60_000);
// Checks one invocation runs before the run is fanned out (measured: docs/scale.md).
const shardSize = Number(env.CHECKUP_SHARD_SIZE ?? 500);
const queue = env.CHECKUP_SHARD_QUEUE_URL
  ? shardQueue(env.CHECKUP_SHARD_QUEUE_URL, env.AWS_REGION)
  : undefined;
// Heartbeat pings live in the results bucket whatever the storage: the ping function writes them there.
const heartbeats = new S3HeartbeatStore({ client: s3, bucket: env.CHECKUP_BUCKET });
// A Lambda runs no local commands: exec checkers are refused.
const loadConfig = deployedConfigLoader(
  env,
  { s3, ssm },
  { metrics, buildCheckers: (checkers) => createCheckers(checkers, { allowExec: false, heartbeats }) },
);
const layout = {
  client: s3,
  bucket: env.CHECKUP_BUCKET,
  prefix: env.CHECKUP_RUN_PREFIX,
  summaryKey: env.CHECKUP_SUMMARY_KEY,
};
const onTable = env.CHECKUP_STORAGE === 'dynamodb';
const publisher = new S3PagePublisher({
  ...layout,
  pageKey: env.CHECKUP_PAGE_KEY,
  badgePrefix: env.CHECKUP_BADGE_PREFIX,
  subscribeUrl: env.CHECKUP_SUBSCRIBE_URL,
  checkIntervalMs: env.CHECKUP_INTERVAL_MS ? Number(env.CHECKUP_INTERVAL_MS) : undefined,
});
// The bucket's lifecycle rule expires run files (no delete permission needed); a table's rows
// expire by TTL, from the `expires` the storage sets with the stack's check expiry. With a table,
// the page documents still go to the bucket, where CloudFront serves them.
const storage: Storage = onTable
  ? await lazyDynamodbStorage({
      table: env.CHECKUP_TABLE as string,
      region: env.CHECKUP_BUCKET_REGION,
      endpoint: env.CHECKUP_DYNAMODB_ENDPOINT,
      checkExpiryNs: Number(env.CHECKUP_CHECK_EXPIRY_MS ?? 0) * 1e6,
      writeDocument: (name, body) => publisher.putDocument(name, body),
    })
  : new S3Storage(layout);

// Read only, for the maintenance windows `checkup maintenance start` stored with the alert state:
// the table's item with a table (where `checkup` with the deployment's storage config keeps it,
// and the notify function too), else the bucket's object.
const stateStore = onTable
  ? await createDynamodbAlertStateStore({
      type: 'dynamodb',
      table: env.CHECKUP_TABLE as string,
      region: env.CHECKUP_BUCKET_REGION,
      endpoint: env.CHECKUP_DYNAMODB_ENDPOINT,
    })
  : env.CHECKUP_STATE_KEY
    ? new S3AlertStateStore({ client: s3, bucket: env.CHECKUP_BUCKET, key: env.CHECKUP_STATE_KEY })
    : undefined;

/** The windows stored beside the runs; none (and a warning) when they cannot be read. */
async function storedWindows(requestLog: Logger): Promise<MaintenanceWindow[]> {
  try {
    return (await stateStore?.load())?.state.maintenance ?? [];
  } catch (error) {
    requestLog.warn('stored maintenance windows not read; the config’s apply', { error });
    return [];
  }
}

/** What one invocation did (also its log line). */
export interface CheckOutcome {
  /** The first round's run file ('' when the run was fanned out to shards). */
  run: string;
  /** Every round's run file, when checkers have an `interval` shorter than the schedule. */
  runs: string[];
  results: number;
  down: number;
  degraded: number;
  config: 'current' | 'last-valid';
  /** When fanned out: the shards queued. */
  shards?: number;
}

/**
 * Runs every checker once (and again every `interval` inside the period) and stores each round
 * as a run marked with its tick (the schedule's time, the same in every region and shard), so
 * regions' runs are voted; each result records the region that checked. A config above the
 * shard size is fanned out to the shard function instead.
 */
export async function handler(event: ScheduledEvent, context: Context): Promise<CheckOutcome> {
  const requestLog = startInvocation(context, { log, metrics });
  const { config, checkers, source, raw } = await loadConfig(requestLog);
  // The scheduled time (EventBridge gives it to the second): every shard and region of this run
  // marks its results with it, so a run is found whole whoever checked it.
  const start = Math.min(Date.parse(event.time) || Date.now(), Date.now());
  const rawCheckers = (raw as { checkers: unknown[] }).checkers;
  const shards = queue ? shardsOf(config, rawCheckers, shardSize, periodMs) : [];
  if (queue && shards.length > 0) {
    const fanned = await fanOut(
      {
        shards,
        config,
        rawCheckers,
        start,
        periodMs,
        windows: [...config.maintenance, ...(await storedWindows(requestLog))],
      },
      {
        queue,
        storage,
        log: requestLog,
        metrics,
        publishBadges: (results) => publisher.publishBadges(results),
        ...(onTable ? { mirrorSummary: (summary) => publisher.mirrorSummary(summary) } : {}),
      },
    );
    await publisher
      .publishPageSettings(config.status_page)
      .catch((error: unknown) => requestLog.warn('page settings not written', { error }));
    return { run: '', runs: [], results: 0, down: 0, degraded: 0, config: source, shards: fanned.shards };
  }
  // Lambda allows 1024 open files: more checks at once would fail healthy endpoints with EMFILE.
  const { concurrency, lowered } = checkConcurrency(config.concurrent_checks);
  if (lowered) requestLog.warn(lowered);
  const canary = canaryOf(config, requestLog);
  const quorumFor = quorumsOf(config);
  const runs: string[] = [];
  const all: Result[] = [];
  await runTick(checkers, {
    start,
    rounds: tickRounds(config.checkers.map(checkerIntervalMs), periodMs),
    concurrency,
    deadline: Date.now() + context.getRemainingTimeInMillis() - 3_000,
    decorate: (result): Result => {
      const quorum = quorumFor(result.title);
      return { ...result, region, ...(quorum !== undefined ? { quorum } : {}) };
    },
    onSkipped: (tick, reason) => requestLog.warn('round skipped', { tick, reason }),
    store: async (ticked) => {
      // Many down at once: the probe confirms its own connectivity before the run says so.
      const results = markMaintenance(await confirmProbe(ticked, { canary, timestamp: unixNs() }), [
        ...config.maintenance,
        ...(await storedWindows(requestLog)),
      ]);
      const run = await storage.store(results);
      runs.push(run.name);
      all.push(...results);
      // The heartbeat: its alarm fires when runs stop being stored.
      metrics.put([{ name: METRIC_NAMES.runStored, value: 1, unit: 'Count' }]);
      // The summary holds the regions' vote: badges show it. The store hands back what it worked
      // on (this run's endpoints), so the whole summary (every endpoint's history at 10,000) is
      // not read again. With a table its head is mirrored to the bucket, where the notify
      // function reads the timeline (the page reads the documents the store wrote there).
      const summary =
        run.summary ??
        (await storage.readSummary().catch((error: unknown) => {
          if (onTable) throw error;
          requestLog.warn('summary not read back: badges show this run', { error });
          return undefined;
        }));
      if (onTable) await publisher.mirrorRun(run.name, results, summary);
      // The run is stored: failing the invocation now would only make EventBridge run it again.
      await publisher
        .publish(config.status_page, results, summary)
        .catch((error: unknown) => requestLog.warn('page settings or badges not written', { error }));
      if (env.CHECKUP_ENDPOINT_METRICS !== 'off') putEndpointMetrics(metrics, results);
    },
  });
  const down = all.filter((result) => result.down).length;
  const degraded = all.filter((result) => result.degraded).length;
  const outcome: CheckOutcome = {
    run: runs[0] ?? '',
    runs,
    results: all.length,
    down,
    degraded,
    config: source,
  };
  requestLog.info('run stored', { ...outcome, scheduledAt: event.time });
  return outcome;
}

/** The config's canary checker; one this host cannot build (an exec canary) is logged and left out. */
function canaryOf(config: { canary?: CheckerConfig }, requestLog: Logger): Checker | undefined {
  if (!config.canary) return undefined;
  try {
    return createChecker(config.canary, { allowExec: false });
  } catch (error) {
    requestLog.warn('canary not checked', { error });
    return undefined;
  }
}
