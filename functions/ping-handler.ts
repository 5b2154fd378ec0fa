// The ping function, behind a Lambda function URL: a job's `GET|POST /ping/<token>[/fail]` is
// matched against the config's heartbeat tokens and its ping written into the results bucket,
// where the check function's heartbeat checker reads it at the next run. A thin composition root.
import { SSMClient } from '@aws-sdk/client-ssm';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { S3HeartbeatStore } from '../adapters/heartbeat/s3-heartbeat-store.js';
import { MAX_PING_BODY } from '../core/heartbeat/parse-ping.js';
import { PingRateLimiter } from '../core/heartbeat/ping-rate-limiter.js';
import { heartbeatsOf, receivePing } from '../core/heartbeat/receive-ping.js';
import { deployedConfigLoader } from './deployed-config-loader.js';
import { Logger } from './log.js';
import { Metrics, startInvocation } from './metrics.js';
import { readPingEnv } from './ping-env.js';
import { resultsBucketClient } from './results-bucket-client.js';

const env = readPingEnv();
const log = new Logger({ service: 'checkup-ping' });
const metrics = new Metrics({ service: 'checkup-ping', log });
const s3 = resultsBucketClient(env.AWS_REGION, env.CHECKUP_S3_ENDPOINT);
const ssm = new SSMClient({ region: env.CHECKUP_CONFIG_REGION });
const store = new S3HeartbeatStore({
  client: s3,
  bucket: env.CHECKUP_BUCKET,
  prefix: env.CHECKUP_HEARTBEAT_PREFIX,
});
// Per warm environment: with the function's concurrency bounded, pings per token are too.
const limiter = new PingRateLimiter();
// The check function keeps the last valid config; this one only falls back to it.
const loadConfig = deployedConfigLoader(
  env,
  { s3, ssm },
  {
    keepLastValid: false,
    invalid: { level: 'warn', message: 'config is invalid; taking pings with the last valid config' },
    metrics,
  },
);

const HEADERS = { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' };

/** Answers one ping. The log line names the heartbeat, never the path (it holds the token). */
export async function handler(
  event: APIGatewayProxyEventV2,
  context: Context,
): Promise<APIGatewayProxyStructuredResultV2> {
  const requestLog = startInvocation(context, { log, metrics });
  const body =
    event.body === undefined
      ? ''
      : Buffer.from(event.body, event.isBase64Encoded ? 'base64' : 'utf8').toString('utf8');
  if (Buffer.byteLength(body) > MAX_PING_BODY) {
    requestLog.warn('ping refused', { status: 413 });
    return { statusCode: 413, headers: HEADERS, body: `a ping body is at most ${MAX_PING_BODY} bytes\n` };
  }
  const { config } = await loadConfig(requestLog);
  const answer = await receivePing(
    {
      method: event.requestContext.http.method,
      path: event.rawPath,
      query: event.queryStringParameters?.msg,
      body,
    },
    { heartbeats: heartbeatsOf(config.checkers), store, limiter },
  );
  const fields = { status: answer.status, ...(answer.heartbeat ? { heartbeat: answer.heartbeat } : {}) };
  if (answer.status === 200) requestLog.info('ping recorded', fields);
  else requestLog.warn('ping refused', fields);
  return { statusCode: answer.status, headers: HEADERS, body: answer.body };
}
