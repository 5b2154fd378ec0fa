// The notify function: fired by S3 ObjectCreated on the run prefix. For each new run it applies
// the alert policy (alert on state change only, never twice for one run) and delivers alerts.
// A thin composition root: clients are built once per container and reused.
import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { SSMClient } from '@aws-sdk/client-ssm';
import type { Context, S3Event } from 'aws-lambda';
import { S3AlertStateStore } from '../adapters/alerts/s3-alert-state-store.js';
import { readSsmConfig } from '../adapters/config/ssm-config.js';
import { createNotifiers } from '../adapters/notifiers/create-notifiers.js';
import { ssmSecretReader } from '../adapters/notifiers/ssm-secret-reader.js';
import { processRun } from '../core/alerts/process-run.js';
import { ConfigError } from '../core/config/config-error.js';
import { type Config, validateConfig } from '../core/config/parse-config.js';
import type { Result } from '../core/result.js';
import { parseResults } from '../core/result-json.js';
import { parseRunFileName } from '../core/storage.js';
import { withAlertMetrics } from './alert-metrics.js';
import { deploymentLimits } from './deployment-limits.js';
import { readEnv } from './env.js';
import { Logger } from './log.js';
import { Metrics, startInvocation } from './metrics.js';
import { objectsOf } from './s3-event.js';
import { s3LastValidConfig } from './s3-last-valid-config.js';

const env = readEnv(
  [
    'CHECKUP_BUCKET',
    'CHECKUP_RUN_PREFIX',
    'CHECKUP_STATE_PREFIX',
    'CHECKUP_CONFIG_PARAMETER',
    'CHECKUP_CONFIG_REGION',
    'CHECKUP_LAST_VALID_CONFIG_KEY',
  ],
  ['AWS_REGION', 'CHECKUP_S3_ENDPOINT', 'CHECKUP_CONFIG_CACHE_MS', 'CHECKUP_ALERT_TOPIC_ARNS'],
);

const log = new Logger({ service: 'checkup-notify' });
const metrics = new Metrics({ service: 'checkup-notify', log });
const s3 = new S3Client({
  ...(env.AWS_REGION ? { region: env.AWS_REGION } : {}),
  ...(env.CHECKUP_S3_ENDPOINT ? { endpoint: env.CHECKUP_S3_ENDPOINT, forcePathStyle: true } : {}),
});
const ssm = new SSMClient({ region: env.CHECKUP_CONFIG_REGION });
const readSecret = ssmSecretReader({ client: ssm });
const stateStore = new S3AlertStateStore({
  client: s3,
  bucket: env.CHECKUP_BUCKET,
  key: `${env.CHECKUP_STATE_PREFIX}alert-state.json`,
});
const lastValid = s3LastValidConfig(s3, env.CHECKUP_BUCKET, env.CHECKUP_LAST_VALID_CONFIG_KEY);
const cacheMs = Number(env.CHECKUP_CONFIG_CACHE_MS ?? 20_000);
const limits = deploymentLimits(env.CHECKUP_ALERT_TOPIC_ARNS);
let cachedConfig: { at: number; config: Config } | undefined;

/** Some runs of the event could not be processed; Lambda retries the event, then dead-letters it. */
export class NotifyError extends Error {
  override readonly name = 'NotifyError';
}

/** What one invocation did. */
export interface NotifyOutcome {
  processed: string[];
  skipped: string[];
  alerts: number;
}

export async function handler(event: S3Event, context: Context): Promise<NotifyOutcome> {
  const requestLog = startInvocation(context, { log, metrics });
  const outcome: NotifyOutcome = { processed: [], skipped: [], alerts: 0 };
  const failures: string[] = [];
  for (const object of objectsOf(event)) {
    const name = object.key.startsWith(env.CHECKUP_RUN_PREFIX)
      ? object.key.slice(env.CHECKUP_RUN_PREFIX.length)
      : undefined;
    if (object.bucket !== env.CHECKUP_BUCKET || !name || !parseRunFileName(name)) {
      requestLog.warn('not a run file; skipped', { bucket: object.bucket, key: object.key });
      outcome.skipped.push(object.key);
      continue;
    }
    try {
      const results = await readRun(object.key);
      const config = await loadConfig(requestLog);
      const notifiers = await createNotifiers(config.notifiers, { readSecret });
      const done = await withAlertMetrics(metrics, notifiers, processRun(results, { stateStore, notifiers }));
      outcome.processed.push(name);
      outcome.alerts += done.deliveries.length;
      requestLog.info('run processed', {
        run: name,
        alerts: done.deliveries.map((delivery) => ({
          notifier: delivery.alert.notifierId,
          kind: delivery.alert.kind,
        })),
        dropped: done.dropped.length,
      });
    } catch (error) {
      requestLog.error('run not processed', { run: name, error });
      failures.push(`${name}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  if (failures.length > 0)
    throw new NotifyError(`${failures.length} run(s) not processed: ${failures.join('; ')}`);
  return outcome;
}

/**
 * Reads a run file. S3 notifies only once an object is whole, but S3-compatible stores that
 * write in place (s3rver) can show a cut-off body for a moment: read it again then.
 */
async function readRun(key: string): Promise<Result[]> {
  for (let attempt = 1; ; attempt++) {
    const answer = await s3.send(new GetObjectCommand({ Bucket: env.CHECKUP_BUCKET, Key: key }));
    try {
      return parseResults((await answer.Body?.transformToString('utf8')) ?? '');
    } catch (error) {
      if (!(error instanceof SyntaxError) || attempt >= 5) throw error;
      await new Promise((resolve) => setTimeout(resolve, 50 * attempt));
    }
  }
}

/** The config's notifiers: SSM's config when valid, else the last valid one (the check function keeps it). */
async function loadConfig(requestLog: Logger): Promise<Config> {
  if (cachedConfig && Date.now() - cachedConfig.at < cacheMs) return cachedConfig.config;
  let config: Config;
  try {
    config = validateConfig(await readSsmConfig(ssm, env.CHECKUP_CONFIG_PARAMETER), {}, limits);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    const text = await lastValid.load();
    if (text === undefined) throw error;
    requestLog.warn('config is invalid; alerting with the last valid config', { issues: error.issues });
    config = validateConfig(JSON.parse(text));
  }
  cachedConfig = { at: Date.now(), config };
  return config;
}
