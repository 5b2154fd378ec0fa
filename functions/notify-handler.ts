// The notify function: fired by S3 ObjectCreated on the run prefix. For each new run it applies
// the alert policy (alert on state change only, never twice for one run) and delivers alerts.
// A thin composition root: clients are built once per container and reused.
import { SNSClient } from '@aws-sdk/client-sns';
import { SSMClient } from '@aws-sdk/client-ssm';
import type { Context, S3Event } from 'aws-lambda';
import { createDynamodbAlertStateStore } from '../adapters/alerts/alert-state-store-from-config.js';
import { S3AlertStateStore } from '../adapters/alerts/s3-alert-state-store.js';
import { s3TickClaims } from '../adapters/alerts/s3-tick-claims.js';
import { createNotifiers } from '../adapters/notifiers/create-notifiers.js';
import { SnsSubscribersTopic } from '../adapters/notifiers/sns-subscribers-topic.js';
import { ssmSecretReader } from '../adapters/notifiers/ssm-secret-reader.js';
import { S3NoticesPublisher } from '../adapters/storage/s3-notices-publisher.js';
import { S3Storage } from '../adapters/storage/s3-storage.js';
import {
  AlertDeliveryError,
  type ProcessRunOptions,
  type ProcessRunOutcome,
  processRun,
} from '../core/alerts/process-run.js';
import { dependencyMap } from '../core/config/checker-dependencies.js';
import { gatherDecidedTicks, type StoredRun, shardRunOf } from '../core/fanout/gather-decided-ticks.js';
import { quorumsOf, voteStoredRun } from '../core/regions/vote-stored-run.js';
import type { Result } from '../core/result.js';
import { RESULTS_LAYOUT } from '../core/results-layout.js';
import { parseRunFileName, type TimeRange } from '../core/storage.js';
import { announceToSubscribers } from '../core/subscriptions/announce-to-subscribers.js';
import { DEFAULT_ANNOUNCE_HORIZON_MS } from '../core/subscriptions/subscriber-announcements.js';
import { pageSettings } from '../core/summary/page-settings.js';
import { withAlertMetrics } from './alert-metrics.js';
import { deployedConfigLoader } from './deployed-config-loader.js';
import { Logger } from './log.js';
import { Metrics, startInvocation } from './metrics.js';
import { readNotifyEnv } from './notify-env.js';
import { resultsBucketClient } from './results-bucket-client.js';
import { objectsOf } from './s3-event.js';

const env = readNotifyEnv();
const log = new Logger({ service: 'checkup-notify' });
const metrics = new Metrics({ service: 'checkup-notify', log });
const s3 = resultsBucketClient(env.AWS_REGION, env.CHECKUP_S3_ENDPOINT);
const ssm = new SSMClient({ region: env.CHECKUP_CONFIG_REGION });
const readSecret = ssmSecretReader({ client: ssm });
// Reads only: S3Storage reads a run again while it looks half-written (s3rver writes in place).
const runs = new S3Storage({ client: s3, bucket: env.CHECKUP_BUCKET, prefix: env.CHECKUP_RUN_PREFIX });
const intervalMs = env.CHECKUP_INTERVAL_MS ? Number(env.CHECKUP_INTERVAL_MS) : undefined;
const periodMs = intervalMs ?? 60_000;
const stateKey = `${env.CHECKUP_STATE_PREFIX}${RESULTS_LAYOUT.alertStateName}`;
// With runs in a table the alert state is the table's item, where `checkup maintenance|incident`
// with the deployment's storage config writes windows and incidents; else the bucket's object.
const stateStore = env.CHECKUP_STATE_TABLE
  ? await createDynamodbAlertStateStore({
      type: 'dynamodb',
      table: env.CHECKUP_STATE_TABLE,
      region: env.AWS_REGION,
      endpoint: env.CHECKUP_DYNAMODB_ENDPOINT,
    })
  : new S3AlertStateStore({ client: s3, bucket: env.CHECKUP_BUCKET, key: stateKey });
const tickClaims = s3TickClaims({
  client: s3,
  bucket: env.CHECKUP_BUCKET,
  prefix: `${env.CHECKUP_STATE_PREFIX}${RESULTS_LAYOUT.tickClaimPrefix.slice(RESULTS_LAYOUT.statePrefix.length)}`,
});
const notices =
  env.CHECKUP_NOTICES_KEY && env.CHECKUP_FEED_KEY && env.CHECKUP_SUMMARY_KEY
    ? new S3NoticesPublisher({
        client: s3,
        bucket: env.CHECKUP_BUCKET,
        noticesKey: env.CHECKUP_NOTICES_KEY,
        feedKey: env.CHECKUP_FEED_KEY,
        summaryKey: env.CHECKUP_SUMMARY_KEY,
      })
    : undefined;
// The page's e-mail subscribers (deployed with -c subscriptions=true): told of incidents and
// maintenance once each. An event older than three check intervals (an hour at least) is stale news.
const subscribers = env.CHECKUP_SUBSCRIBERS_TOPIC_ARN
  ? new SnsSubscribersTopic({
      client: new SNSClient({ region: env.AWS_REGION }),
      topicArn: env.CHECKUP_SUBSCRIBERS_TOPIC_ARN,
    })
  : undefined;
const announceHorizonMs = Math.max(DEFAULT_ANNOUNCE_HORIZON_MS, 3 * (intervalMs ?? 0));
// The check function keeps the last valid config; this one falls back to it.
const loadConfig = deployedConfigLoader(
  env,
  { s3, ssm },
  {
    keepLastValid: false,
    invalid: { level: 'warn', message: 'config is invalid; alerting with the last valid config' },
    metrics,
  },
);

/** Some runs of the event could not be processed; Lambda retries the event, then dead-letters it. */
export class NotifyError extends Error {
  override readonly name = 'NotifyError';
}

/** What one invocation did. */
export interface NotifyOutcome {
  processed: string[];
  skipped: string[];
  /** Shards' run files left to the invocation that applies their tick (not whole yet, or claimed by another). */
  waiting: string[];
  alerts: number;
}

/** One line per delivery (the audit the alert state also keeps), and one per notifier that keeps failing. */
function logDeliveries(requestLog: Logger, run: string, done: ProcessRunOutcome): void {
  for (const delivery of done.deliveries) {
    const fields = {
      run,
      notifier: delivery.alert.notifierId,
      kind: delivery.alert.kind,
      endpoint: delivery.alert.title,
      alertId: delivery.alert.id,
      tries: delivery.tries,
    };
    if (delivery.ok) requestLog.info('alert sent', fields);
    else requestLog.warn('alert not sent', { ...fields, reason: delivery.error });
  }
  for (const failing of done.failingNotifiers)
    requestLog.error('notifier keeps failing', {
      notifier: failing.notifierId,
      failures: failing.failures,
      failingSince: new Date(failing.failingSince).toISOString(),
      lastError: failing.lastError,
    });
}

/**
 * What a stored run alerts on. A run of one invocation: itself. A shard's run (a fanned-out
 * tick): nothing until its tick is whole, then every shard's run of it at once, in one state
 * write, recorded as applied so a second invocation that sees the tick whole applies nothing
 * (see gatherDecidedTicks). The runs read here are not read again for the regions' vote.
 */
async function decideTick(
  run: StoredRun,
  requestLog: Logger,
): Promise<
  | 'applied'
  | 'waiting'
  | {
      results: Result[];
      storage: Pick<S3Storage, 'list' | 'read'>;
      options: Pick<ProcessRunOptions, 'appliedRuns' | 'loaded'>;
    }
> {
  const key = shardRunOf(run.results);
  if (!key) return { results: run.results, storage: runs, options: {} };
  const loaded = await stateStore.load();
  if (loaded.state.appliedRuns?.includes(run.name)) {
    // A retried event still sends what an earlier try queued and could not deliver.
    const queued = loaded.state.outbox.some((entry) => entry.leaseUntil <= Date.now());
    if (queued) return { results: [], storage: runs, options: { loaded } };
    requestLog.info('run already applied with its tick', { run: run.name, tick: key.tick });
    return 'applied';
  }
  const known = new Map<string, Result[]>([[run.name, run.results]]);
  const storage = {
    list: (range?: TimeRange) => runs.list(range),
    read: async (name: string) => known.get(name) ?? runs.read(name),
  };
  const decided = await gatherDecidedTicks(storage, run, {
    applied: new Set(loaded.state.appliedRuns ?? []),
    periodMs,
  });
  if (decided.runs.length === 0) {
    requestLog.info('tick not whole yet: the shard that completes it alerts', {
      run: run.name,
      tick: key.tick,
      shard: `${key.shard.index + 1}/${key.shard.count}`,
    });
    return 'waiting';
  }
  // Of the invocations that see the tick whole at once, one applies it; the rest stop here. A
  // claimer that then fails leaves the runs unapplied: the next tick's invocation applies them.
  if (decided.ownTickWhole && !(await tickClaims.claim(key.tick, key.region, run.name))) {
    requestLog.info('tick applied by another invocation', { run: run.name, tick: key.tick });
    return 'waiting';
  }
  for (const tick of decided.incomplete)
    requestLog.warn('tick alerted without all its shards: the endpoints of the others were not checked', {
      tick: tick.tick,
      region: tick.region,
      due: tick.due,
      reportedShards: tick.reportedShards,
    });
  for (const stored of decided.runs) known.set(stored.name, stored.results);
  return {
    results: decided.runs.flatMap((stored) => stored.results),
    storage,
    options: {
      loaded,
      appliedRuns: {
        names: decided.runs.map((stored) => stored.name),
        keepSinceNs: (key.tick - 3 * periodMs) * 1e6,
      },
    },
  };
}

export async function handler(event: S3Event, context: Context): Promise<NotifyOutcome> {
  const requestLog = startInvocation(context, { log, metrics });
  const outcome: NotifyOutcome = { processed: [], skipped: [], waiting: [], alerts: 0 };
  const failures: string[] = [];
  for (const { bucket, key } of objectsOf(event)) {
    const name = key.startsWith(env.CHECKUP_RUN_PREFIX) ? key.slice(env.CHECKUP_RUN_PREFIX.length) : '';
    if (bucket !== env.CHECKUP_BUCKET || !parseRunFileName(name)) {
      requestLog.warn('not a run file; skipped', { bucket, key });
      outcome.skipped.push(key);
      continue;
    }
    try {
      const results = await runs.read(name);
      const tick = await decideTick({ name, results }, requestLog);
      if (tick === 'applied' || tick === 'waiting') {
        (tick === 'applied' ? outcome.skipped : outcome.waiting).push(name);
        continue;
      }
      const { config } = await loadConfig(requestLog);
      const notifiers = await createNotifiers(config.notifiers, { readSecret });
      const dependsOn = dependencyMap(config.checkers);
      const checked = config.checkers.map((checker) => checker.endpoint_name);
      // With several regions, what alerts is their vote on each tick the stored runs decide.
      const voted = await voteStoredRun(tick.storage, tick.results, {
        quorumFor: quorumsOf(config),
        intervalMs,
      });
      const done = await withAlertMetrics(
        metrics,
        notifiers,
        processRun(voted, { stateStore, notifiers, dependsOn, checked, ...tick.options }).catch(
          (error: unknown) => {
            if (error instanceof AlertDeliveryError) logDeliveries(requestLog, name, error.outcome);
            throw error;
          },
        ),
      );
      logDeliveries(requestLog, name, done);
      outcome.processed.push(name);
      outcome.alerts += done.deliveries.length;
      const alerts = done.deliveries.map(({ alert }) => ({ notifier: alert.notifierId, kind: alert.kind }));
      requestLog.info('run processed', { run: name, alerts, dropped: done.dropped.length });
    } catch (error) {
      requestLog.error('run not processed', { run: name, error });
      failures.push(`${name}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  // Incidents the runs opened or resolved, and maintenance, for the page and the feed. The alerts
  // are sent: a failure here is logged, and the next run publishes again.
  if (notices && outcome.processed.length > 0) {
    try {
      const { config } = await loadConfig(requestLog);
      const { state } = await stateStore.load();
      await notices.publish(pageSettings(config.status_page).title, config.maintenance, state, Date.now());
    } catch (error) {
      requestLog.warn('notices and feed not written', { error });
    }
  }
  if (subscribers && outcome.processed.length > 0) {
    try {
      const { config } = await loadConfig(requestLog);
      const told = await announceToSubscribers({
        store: stateStore,
        channel: subscribers,
        windows: config.maintenance,
        title: pageSettings(config.status_page).title,
        ...(env.CHECKUP_PAGE_URL ? { pageUrl: env.CHECKUP_PAGE_URL } : {}),
        nowMs: Date.now(),
        horizonMs: announceHorizonMs,
      });
      if (told.sent.length > 0)
        requestLog.info('subscribers told', { events: told.sent.map((announcement) => announcement.key) });
      for (const { announcement, error } of told.failed)
        requestLog.warn('subscribers not told; the next run tries again', { event: announcement.key, error });
    } catch (error) {
      requestLog.warn('subscribers not told', { error });
    }
  }
  if (failures.length > 0)
    throw new NotifyError(`${failures.length} run(s) not processed: ${failures.join('; ')}`);
  return outcome;
}
