import { readEnv } from './env.js';

/** The subscribe function's environment (set by infra/constructs/page-subscriptions.ts), read once at cold start. */
export function readSubscribeEnv(source: NodeJS.ProcessEnv = process.env) {
  return readEnv(
    // The page's origins, comma-separated: a browser request from any other is refused.
    ['CHECKUP_SUBSCRIBERS_TOPIC_ARN', 'CHECKUP_PAGE_ORIGINS'],
    ['AWS_REGION'],
    source,
  );
}
