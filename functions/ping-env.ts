import { readEnv } from './env.js';

/** The ping function's environment (set by infra/constructs/heartbeat-pings.ts), read once at cold start. */
export function readPingEnv(source: NodeJS.ProcessEnv = process.env) {
  return readEnv(
    [
      'CHECKUP_BUCKET',
      'CHECKUP_HEARTBEAT_PREFIX',
      'CHECKUP_CONFIG_PARAMETER',
      'CHECKUP_CONFIG_REGION',
      'CHECKUP_LAST_VALID_CONFIG_KEY',
    ],
    ['AWS_REGION', 'CHECKUP_S3_ENDPOINT', 'CHECKUP_CONFIG_CACHE_MS', 'CHECKUP_ALERT_TOPIC_ARNS'],
    source,
  );
}
