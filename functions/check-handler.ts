// The check function: fired by the EventBridge schedule, runs every checker of the config in
// SSM and stores the run (S3 run file, or DynamoDB items) with the summary the page reads. A thin
// composition root: clients, storage and config loader are built once per container and reused.
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { SSMClient } from '@aws-sdk/client-ssm';
import type { Context, ScheduledEvent } from 'aws-lambda';
import { readSsmConfig } from '../adapters/config/ssm-config.js';
import { dynamodbSdk } from '../adapters/storage/dynamodb-sdk.js';
import { S3Storage } from '../adapters/storage/s3-storage.js';
import { unixNs } from '../core/clock.js';
import type { Result, Status } from '../core/result.js';
import { statusOf } from '../core/result.js';
import { stringifyResults } from '../core/result-json.js';
import { runChecks } from '../core/run-checks.js';
import { computeStats } from '../core/stats.js';
import { pageSettings } from '../core/summary/page-settings.js';
import { renderBadge } from '../core/summary/render-badge.js';
import { createConfigLoader } from './config-loader.js';
import { MissingEnvironmentError, readEnv } from './env.js';
import { Logger } from './log.js';
import { Metrics } from './metrics.js';
import { s3LastValidConfig } from './s3-last-valid-config.js';

const env = readEnv(
  [
    'CHECKUP_BUCKET',
    'CHECKUP_BUCKET_REGION',
    'CHECKUP_RUN_PREFIX',
    'CHECKUP_SUMMARY_KEY',
    'CHECKUP_LAST_VALID_CONFIG_KEY',
    'CHECKUP_CONFIG_PARAMETER',
    'CHECKUP_CONFIG_REGION',
  ],
  [
    'AWS_REGION',
    'CHECKUP_STORAGE',
    'CHECKUP_TABLE',
    'CHECKUP_S3_ENDPOINT',
    'CHECKUP_DYNAMODB_ENDPOINT',
    'CHECKUP_METRICS_NAMESPACE',
    'CHECKUP_CONFIG_CACHE_MS',
    'CHECKUP_ENDPOINT_METRICS',
    'CHECKUP_PAGE_KEY',
    'CHECKUP_BADGE_PREFIX',
    'CHECKUP_INTERVAL_MS',
  ],
);

const region = env.AWS_REGION ?? 'local';
const log = new Logger({ service: 'checkup-check', region });
const metrics = new Metrics(env.CHECKUP_METRICS_NAMESPACE ?? 'Checkup');
const s3 = new S3Client({
  region: env.CHECKUP_BUCKET_REGION,
  ...(env.CHECKUP_S3_ENDPOINT ? { endpoint: env.CHECKUP_S3_ENDPOINT, forcePathStyle: true } : {}),
});
const ssm = new SSMClient({ region: env.CHECKUP_CONFIG_REGION });
const loadConfig = createConfigLoader({
  read: () => readSsmConfig(ssm, env.CHECKUP_CONFIG_PARAMETER),
  sourceName: `ssm:${env.CHECKUP_CONFIG_PARAMETER}`,
  lastValid: s3LastValidConfig(s3, env.CHECKUP_BUCKET, env.CHECKUP_LAST_VALID_CONFIG_KEY),
  cacheMs: Number(env.CHECKUP_CONFIG_CACHE_MS ?? 20_000),
  metrics,
});
// Expiry is left to the bucket's lifecycle rule and the table's TTL: no delete permission needed.
const storage =
  env.CHECKUP_STORAGE === 'dynamodb'
    ? await tableStorage()
    : new S3Storage({
        client: s3,
        bucket: env.CHECKUP_BUCKET,
        prefix: env.CHECKUP_RUN_PREFIX,
        summaryKey: env.CHECKUP_SUMMARY_KEY,
      });
const endpointMetrics = env.CHECKUP_ENDPOINT_METRICS !== 'off';
const checkIntervalMs = env.CHECKUP_INTERVAL_MS ? Number(env.CHECKUP_INTERVAL_MS) : undefined;
/** The page settings this container last wrote, so they are written only when they change. */
let publishedPage: string | undefined;
/** The badge status this container last wrote per endpoint, for the same reason. */
const publishedBadges = new Map<string, Status>();

/** DynamoDB storage, its client loaded only when it is the configured storage (a cold start saves ~25 ms). */
async function tableStorage() {
  const [{ DynamoDBClient }, { DynamodbStorage }] = await Promise.all([
    dynamodbSdk(),
    import('../adapters/storage/dynamodb-storage.js'),
  ]);
  return new DynamodbStorage({
    client: new DynamoDBClient({
      region: env.CHECKUP_BUCKET_REGION,
      ...(env.CHECKUP_DYNAMODB_ENDPOINT ? { endpoint: env.CHECKUP_DYNAMODB_ENDPOINT } : {}),
    }),
    table: requireTable(env.CHECKUP_TABLE),
  });
}

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
  const requestLog = log.with({ requestId: context.awsRequestId });
  const { config, checkers, source } = await loadConfig(requestLog);
  const timestamp = unixNs();
  const results = (await runChecks(checkers, { concurrency: config.concurrent_checks, timestamp })).map(
    (result): Result => ({ ...result, region }),
  );
  const run = await storage.store(results);
  if (env.CHECKUP_STORAGE === 'dynamodb') await mirrorToBucket(run.name, results);
  // The run is stored: failing the invocation now would only make EventBridge run it again.
  await Promise.all([publishPageSettings(config.status_page), publishBadges(results)]).catch(
    (error: unknown) => requestLog.warn('page settings or badges not written', { error }),
  );
  if (endpointMetrics) for (const result of results) putEndpointMetrics(result);
  const outcome: CheckOutcome = {
    run: run.name,
    results: results.length,
    down: results.filter((result) => result.down).length,
    degraded: results.filter((result) => result.degraded).length,
    config: source,
  };
  requestLog.info('run stored', { ...outcome, scheduledAt: event.time });
  return outcome;
}

/**
 * With DynamoDB storage the table answers history queries, but the status page and the notify
 * function read the bucket: the run file and the summary are written there too (2 PUTs a run).
 */
async function mirrorToBucket(name: string, results: readonly Result[]): Promise<void> {
  const json = 'application/json';
  await putObject(
    `${env.CHECKUP_RUN_PREFIX}${name}`,
    stringifyResults(results),
    json,
    'public, max-age=31536000, immutable',
  );
  const summary = await storage.readSummary();
  if (summary) await putObject(env.CHECKUP_SUMMARY_KEY, JSON.stringify(summary), json, 'no-cache');
}

/**
 * The page's settings (the config's `status_page`: title, banners, refresh, and a stale rule from
 * the schedule) as `/data/page.json`. Written when they differ from what this container wrote
 * last: once per cold start, and again after a config edit changes them.
 */
async function publishPageSettings(statusPage: Parameters<typeof pageSettings>[0]): Promise<void> {
  if (!env.CHECKUP_PAGE_KEY) return;
  const body = JSON.stringify(pageSettings(statusPage, checkIntervalMs));
  if (body === publishedPage) return;
  await putObject(env.CHECKUP_PAGE_KEY, body, 'application/json', 'no-cache');
  publishedPage = body;
}

/**
 * Each endpoint's status badge, `/data/badge/<endpoint name>.svg`, written when its status differs
 * from the one this container wrote last (every badge once per cold start, then on changes).
 * With several regions each writes what it saw, so a badge shows the latest change anywhere.
 */
async function publishBadges(results: readonly Result[]): Promise<void> {
  const prefix = env.CHECKUP_BADGE_PREFIX;
  if (!prefix) return;
  await Promise.all(
    results.map(async (result) => {
      const status = statusOf(result);
      if (publishedBadges.get(result.title) === status) return;
      await putObject(
        `${prefix}${result.title}.svg`,
        renderBadge(result.title, status),
        'image/svg+xml',
        'max-age=60',
      );
      publishedBadges.set(result.title, status);
    }),
  );
}

/** Writes one object of the results bucket that the status page serves. */
async function putObject(
  key: string,
  body: string,
  contentType: string,
  cacheControl: string,
): Promise<void> {
  await s3.send(
    new PutObjectCommand({
      Bucket: env.CHECKUP_BUCKET,
      Key: key,
      Body: body,
      ContentType: contentType,
      CacheControl: cacheControl,
    }),
  );
}

function requireTable(table: string | undefined): string {
  if (!table)
    throw new MissingEnvironmentError(
      'missing environment variable: CHECKUP_TABLE (CHECKUP_STORAGE is dynamodb)',
    );
  return table;
}

/** Per endpoint: `Up` (1 unless down) and `Latency` (median RTT, ms), dimension `Endpoint`. */
function putEndpointMetrics(result: Result): void {
  const answered = result.times.filter((attempt) => !attempt.error);
  metrics.put(
    [
      { name: 'Up', value: statusOf(result) === 'down' ? 0 : 1, unit: 'None' },
      ...(answered.length > 0
        ? [{ name: 'Latency', value: computeStats(answered).median / 1e6, unit: 'Milliseconds' as const }]
        : []),
    ],
    { Endpoint: result.title },
    result.timestamp / 1e6,
  );
}
