import { MissingEnvironmentError, readEnv } from './env.js';

/** The check function's environment (set by infra/constructs/check-schedule.ts), read once at cold start. */
export function readCheckEnv(source: NodeJS.ProcessEnv = process.env) {
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
      'CHECKUP_CHECK_EXPIRY_MS',
      'CHECKUP_S3_ENDPOINT',
      'CHECKUP_DYNAMODB_ENDPOINT',
      'CHECKUP_CONFIG_CACHE_MS',
      'CHECKUP_ENDPOINT_METRICS',
      'CHECKUP_PAGE_KEY',
      'CHECKUP_BADGE_PREFIX',
      'CHECKUP_INTERVAL_MS',
      'CHECKUP_ALERT_TOPIC_ARNS',
      'CHECKUP_STATE_KEY',
      'CHECKUP_SHARD_QUEUE_URL',
      'CHECKUP_SHARD_SIZE',
      'CHECKUP_SUBSCRIBE_URL',
    ],
    source,
  );
  if (env.CHECKUP_STORAGE === 'dynamodb' && !env.CHECKUP_TABLE)
    throw new MissingEnvironmentError(
      'missing environment variable: CHECKUP_TABLE (CHECKUP_STORAGE is dynamodb)',
    );
  return env;
}
