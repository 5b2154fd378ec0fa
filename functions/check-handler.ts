// The check function: fired by the EventBridge schedule, runs every checker of the config in
// SSM and stores the run (S3 run file, or DynamoDB items) with the summary the page reads. A thin
// composition root: clients, storage and config loader are built once per container and reused.
import { SSMClient } from '@aws-sdk/client-ssm';
import type { Context, ScheduledEvent } from 'aws-lambda';
import { S3HeartbeatStore } from '../adapters/heartbeat/s3-heartbeat-store.js';
import { checkConcurrency } from '../adapters/host/descriptor-budget.js';
import { lazyDynamodbStorage } from '../adapters/storage/lazy-dynamodb-storage.js';
import { S3PagePublisher } from '../adapters/storage/s3-page-publisher.js';
import { S3Storage } from '../adapters/storage/s3-storage.js';
import { unixNs } from '../core/clock.js';
import type { Result } from '../core/result.js';
import { runChecks } from '../core/run-checks.js';
import { readCheckEnv } from './check-env.js';
import { deployedConfigLoader } from './deployed-config-loader.js';
import { putEndpointMetrics } from './endpoint-metrics.js';
import { Logger } from './log.js';
import { Metrics, startInvocation } from './metrics.js';
import { resultsBucketClient } from './results-bucket-client.js';

const env = readCheckEnv();
const region = env.AWS_REGION ?? 'local';
const log = new Logger({ service: 'checkup-check', region });
const metrics = new Metrics({ service: 'checkup-check', log });
const s3 = resultsBucketClient(env.CHECKUP_BUCKET_REGION, env.CHECKUP_S3_ENDPOINT);
const ssm = new SSMClient({ region: env.CHECKUP_CONFIG_REGION });
// Heartbeat pings live in the results bucket whatever the storage: the ping function writes them there.
const heartbeats = new S3HeartbeatStore({ client: s3, bucket: env.CHECKUP_BUCKET });
const loadConfig = deployedConfigLoader(env, { s3, ssm }, { metrics, heartbeats });
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
  checkIntervalMs: env.CHECKUP_INTERVAL_MS ? Number(env.CHECKUP_INTERVAL_MS) : undefined,
});
// The bucket's lifecycle rule expires run files (no delete permission needed); a table's rows
// expire by TTL, from the `expires` the storage sets with the stack's check expiry. With a table,
// the page documents still go to the bucket, where CloudFront serves them.
const storage = onTable
  ? await lazyDynamodbStorage({
      table: env.CHECKUP_TABLE as string,
      region: env.CHECKUP_BUCKET_REGION,
      endpoint: env.CHECKUP_DYNAMODB_ENDPOINT,
      checkExpiryNs: Number(env.CHECKUP_CHECK_EXPIRY_MS ?? 0) * 1e6,
      writeDocument: (name, body) => publisher.putDocument(name, body),
    })
  : new S3Storage(layout);

/** What one invocation did (also its log line). */
export interface CheckOutcome {
  run: string;
  results: number;
  down: number;
  degraded: number;
  config: 'current' | 'last-valid';
}

/** Runs every checker once and stores the run; each result records the region that checked. */
export async function handler(event: ScheduledEvent, context: Context): Promise<CheckOutcome> {
  const requestLog = startInvocation(context, { log, metrics });
  const { config, checkers, source } = await loadConfig(requestLog);
  // Lambda allows 1024 open files: more checks at once would fail healthy endpoints with EMFILE.
  const { concurrency, lowered } = checkConcurrency(config.concurrent_checks);
  if (lowered) requestLog.warn(lowered);
  const options = { concurrency, timestamp: unixNs() };
  const results = (await runChecks(checkers, options)).map((result): Result => ({ ...result, region }));
  const run = await storage.store(results);
  // With a table, the page and the notify function still read the run file and summary in the bucket.
  if (onTable) await publisher.mirrorRun(run.name, results, await storage.readSummary());
  // The run is stored: failing the invocation now would only make EventBridge run it again.
  await publisher
    .publish(config.status_page, results)
    .catch((error: unknown) => requestLog.warn('page settings or badges not written', { error }));
  if (env.CHECKUP_ENDPOINT_METRICS !== 'off') putEndpointMetrics(metrics, results);
  const down = results.filter((result) => result.down).length;
  const degraded = results.filter((result) => result.degraded).length;
  const outcome: CheckOutcome = { run: run.name, results: results.length, down, degraded, config: source };
  requestLog.info('run stored', { ...outcome, scheduledAt: event.time });
  return outcome;
}
