import { readEnv } from './env.js';

/** The notify function's environment (set by infra/constructs/notify-pipeline.ts), read once at cold start. */
export function readNotifyEnv(source: NodeJS.ProcessEnv = process.env) {
  return readEnv(
    [
      'CHECKUP_BUCKET',
      'CHECKUP_RUN_PREFIX',
      'CHECKUP_STATE_PREFIX',
      'CHECKUP_CONFIG_PARAMETER',
      'CHECKUP_CONFIG_REGION',
      'CHECKUP_LAST_VALID_CONFIG_KEY',
    ],
    [
      'AWS_REGION',
      'CHECKUP_S3_ENDPOINT',
      'CHECKUP_CONFIG_CACHE_MS',
      'CHECKUP_ALERT_TOPIC_ARNS',
      // Where the notices and feed are written, and the summary whose timeline the feed reads;
      // without them nothing is published.
      'CHECKUP_NOTICES_KEY',
      'CHECKUP_FEED_KEY',
      'CHECKUP_SUMMARY_KEY',
      'CHECKUP_INTERVAL_MS',
      // With DynamoDB storage: the table whose ALERTS item is the alert state (and its endpoint, for tests).
      'CHECKUP_STATE_TABLE',
      'CHECKUP_DYNAMODB_ENDPOINT',
      // The subscribers' topic and the page their messages link to (with -c subscriptions=true).
      'CHECKUP_SUBSCRIBERS_TOPIC_ARN',
      'CHECKUP_PAGE_URL',
    ],
    source,
  );
}
