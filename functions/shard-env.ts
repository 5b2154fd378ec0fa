import { MissingEnvironmentError, readEnv } from './env.js';

/** The shard function's environment (set by infra/constructs/check-shards.ts), read once at cold start. */
export function readShardEnv(source: NodeJS.ProcessEnv = process.env) {
  const env = readEnv(
    ['CHECKUP_BUCKET', 'CHECKUP_BUCKET_REGION', 'CHECKUP_RUN_PREFIX'],
    [
      'AWS_REGION',
      'CHECKUP_S3_ENDPOINT',
      'CHECKUP_ENDPOINT_METRICS',
      'CHECKUP_STORAGE',
      'CHECKUP_TABLE',
      'CHECKUP_CHECK_EXPIRY_MS',
      'CHECKUP_DYNAMODB_ENDPOINT',
    ],
    source,
  );
  if (env.CHECKUP_STORAGE === 'dynamodb' && !env.CHECKUP_TABLE)
    throw new MissingEnvironmentError(
      'missing environment variable: CHECKUP_TABLE (CHECKUP_STORAGE is dynamodb)',
    );
  return env;
}
