import { readEnv } from './env.js';

/** The shard function's environment (set by infra/constructs/check-shards.ts), read once at cold start. */
export function readShardEnv(source: NodeJS.ProcessEnv = process.env) {
  return readEnv(
    ['CHECKUP_BUCKET', 'CHECKUP_BUCKET_REGION', 'CHECKUP_RUN_PREFIX'],
    ['AWS_REGION', 'CHECKUP_S3_ENDPOINT', 'CHECKUP_ENDPOINT_METRICS'],
    source,
  );
}
