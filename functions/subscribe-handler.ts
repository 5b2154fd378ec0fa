// The subscribe function, behind a Lambda function URL: the status page's form POSTs an address,
// which is handed to the subscribers' SNS topic (SNS mails the confirmation link). No address is
// stored, answered or logged: the log line carries a hash salted per environment. A thin
// composition root.
import { randomBytes } from 'node:crypto';
import { SNSClient } from '@aws-sdk/client-sns';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { SnsSubscribersTopic } from '../adapters/notifiers/sns-subscribers-topic.js';
import { MAX_SUBSCRIBE_BODY } from '../core/subscriptions/parse-subscribe-request.js';
import { SubscriptionReceiver } from '../core/subscriptions/receive-subscription.js';
import { Logger } from './log.js';
import { Metrics, startInvocation } from './metrics.js';
import { readSubscribeEnv } from './subscribe-env.js';

const env = readSubscribeEnv();
const log = new Logger({ service: 'checkup-subscribe' });
const metrics = new Metrics({ service: 'checkup-subscribe', log });
const topic = new SnsSubscribersTopic({
  client: new SNSClient({ region: env.AWS_REGION, maxAttempts: 2 }),
  topicArn: env.CHECKUP_SUBSCRIBERS_TOPIC_ARN,
});
// The limits count in this environment's memory: with the function's reserved concurrency N, at
// most N environments count side by side, so the real bound is N times each limit.
const receiver = new SubscriptionReceiver({
  topic,
  allowedOrigins: env.CHECKUP_PAGE_ORIGINS.split(',').map((origin) => origin.trim()),
  salt: randomBytes(16).toString('hex'),
});

const HEADERS = { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' };

export async function handler(
  event: APIGatewayProxyEventV2,
  context: Context,
): Promise<APIGatewayProxyStructuredResultV2> {
  const requestLog = startInvocation(context, { log, metrics });
  const raw =
    event.body === undefined
      ? Buffer.alloc(0)
      : Buffer.from(event.body, event.isBase64Encoded ? 'base64' : 'utf8');
  // Cut before decoding: a megabyte body is refused on its length, never parsed.
  const body = raw.length > MAX_SUBSCRIBE_BODY ? raw.subarray(0, MAX_SUBSCRIBE_BODY + 1) : raw;
  const answer = await receiver.receive(
    {
      method: event.requestContext.http.method,
      contentType: event.headers?.['content-type'],
      body: body.toString('utf8'),
      sourceIp: event.requestContext.http.sourceIp,
      origin: event.headers?.origin,
    },
    Date.now(),
  );
  const fields = {
    status: answer.status,
    ...(answer.addressHash ? { addressHash: answer.addressHash } : {}),
    ...(answer.limit ? { limit: answer.limit } : {}),
    ...(answer.failure ? { error: answer.failure } : {}),
  };
  if (answer.status === 202 && !answer.limit) requestLog.info('subscription requested', fields);
  else if (answer.status === 502) requestLog.error('subscription not made', fields);
  else requestLog.warn('subscription refused', fields);
  return {
    statusCode: answer.status,
    headers: {
      ...HEADERS,
      ...(answer.retryAfterSeconds ? { 'retry-after': String(answer.retryAfterSeconds) } : {}),
    },
    body: answer.body,
  };
}
