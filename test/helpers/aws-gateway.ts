import { createHash } from 'node:crypto';
import http from 'node:http';
import { type AwsCall, type AwsHttpRequest, awsCallOf, UnmappedRequestError } from './aws-iam-requests.js';
import { type FakeParameters, ssmJsonAnswer } from './fake-ssm.js';
import type { IamPolicy } from './iam-policy.js';
import { createS3Rules, s3Error } from './s3-conditional-proxy.js';
import { listenOnLoopback, type RunningServer } from './servers.js';
import { type SentMail, sesAnswer } from './ses-server.js';

export interface AwsGatewayOptions {
  /** s3rver's endpoint. */
  s3: string;
  /** dynalite's endpoint, when DynamoDB is used. */
  dynamodb?: string;
  /** The SSM stand-in's parameters, when SSM is used. */
  ssm?: FakeParameters;
  /** The SES identities (domains, addresses) verified for sending. */
  sesIdentities?: readonly string[];
  /** The region and account the ARNs of requests are built with. */
  region: string;
  account: string;
}

/** A message sent to a queue through the gateway. */
export interface SqsMessage {
  queueArn: string;
  messageId: string;
  body: string;
  md5OfBody: string;
}

export interface AwsGateway {
  /** Point every SDK client here (`AWS_ENDPOINT_URL_S3`, `_DYNAMODB`, `_SSM`, `_SNS`, `_SESV2`). */
  endpoint: string;
  /** Requests signed with `accessKeyId` are evaluated against `policy`, as the role `name`. */
  addPrincipal(accessKeyId: string, name: string, policy: IamPolicy): void;
  /** Every request refused by a policy or not understood, naming the caller, action and resource. */
  denied: string[];
  /** The parameters of every SNS Publish that was allowed. */
  published: Array<Record<string, string>>;
  /** The parameters of every SNS Subscribe that was allowed (SNS would mail a confirmation). */
  subscribed: Array<Record<string, string>>;
  /** Makes the next SNS calls fail as SNS does when throttling (`n` of them). */
  failNextSns(n: number): void;
  /** Every mail an allowed SES SendEmail sent. */
  mailed: SentMail[];
  /**
   * Every SQS message sent and allowed, in order, not yet taken: `take` hands them out as a
   * Lambda event source mapping would (the caller invokes the function with them).
   */
  queued: SqsMessage[];
  /** Allowed calls so far, by operation (`PutObject`, `SendMessageBatch`, ...): what AWS would bill. */
  calls: Map<string, number>;
  /**
   * Every allowed call, in order: who made it (the principal's name), what, on which resources
   * (and partitions), and the bytes of its request body (what a PutObject wrote).
   */
  requests: Array<{
    caller: string;
    operation: string;
    resources: string[];
    bytes: number;
    /** A DynamoDB request's partition keys (`dynamodb:LeadingKeys`), when IAM is told them. */
    partitions?: string[];
  }>;
  close(): Promise<void>;
}

/**
 * A loopback stand-in for AWS's front door: each S3, DynamoDB, SSM and SNS request is mapped to
 * the IAM action and resource it needs and evaluated against the caller's identity policy (the
 * caller is the access key that signed it), then served by s3rver under S3's rules (conditional
 * writes, 403 for a missing key without ListBucket), by dynalite, by the SSM stand-in or by
 * recording an SNS publish or subscribe. A denied request answers as AWS does (403 AccessDenied, or the JSON
 * protocols' AccessDeniedException) and is recorded in `denied`.
 */
export async function startAwsGateway(options: AwsGatewayOptions): Promise<AwsGateway> {
  const principals = new Map<string, { name: string; policy: IamPolicy }>();
  const denied: string[] = [];
  const published: Array<Record<string, string>> = [];
  const subscribed: Array<Record<string, string>> = [];
  let snsFailures = 0;
  const mailed: SentMail[] = [];
  const queued: SqsMessage[] = [];
  const calls = new Map<string, number>();
  const requests: AwsGateway['requests'] = [];
  const s3 = createS3Rules(options.s3);
  const server: RunningServer = await listenOnLoopback(
    keepingSockets((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        const body = Buffer.concat(chunks);
        serve(request, body, response).catch((error: unknown) => {
          denied.push(`gateway error on ${request.method} ${request.url}: ${String(error)}`);
          if (!response.headersSent) response.writeHead(500);
          response.end();
        });
      });
    }),
    'http',
  );

  async function serve(request: http.IncomingMessage, body: Buffer, response: http.ServerResponse) {
    const message: AwsHttpRequest = {
      method: request.method ?? 'GET',
      url: request.url ?? '/',
      headers: request.headers,
      body,
    };
    const keyId = /Credential=([^/]+)\//.exec(String(request.headers.authorization ?? ''))?.[1] ?? '';
    const caller = principals.get(keyId);
    let call: AwsCall;
    try {
      call = awsCallOf(message, options);
    } catch (error) {
      if (!(error instanceof UnmappedRequestError)) throw error;
      denied.push(`${caller?.name ?? keyId}: ${error.message}`);
      return s3Error(response, 501, 'NotImplemented', error.message);
    }
    const refused = caller ? call.requests.filter((asked) => !caller.policy.allows(asked)) : call.requests;
    if (refused.length > 0) {
      for (const asked of refused)
        denied.push(
          `${caller?.name ?? `unknown access key "${keyId}"`}: ${asked.action} on ${asked.resource} (${call.operation}) is not allowed`,
        );
      return deny(call, refused[0]?.action ?? '', refused[0]?.resource ?? '', response);
    }
    calls.set(call.operation, (calls.get(call.operation) ?? 0) + 1);
    const partitions = call.requests.flatMap((asked) => asked.context?.['dynamodb:LeadingKeys'] ?? []);
    requests.push({
      caller: caller?.name ?? keyId,
      operation: call.operation,
      resources: call.requests.map((asked) => asked.resource),
      bytes: body.length,
      ...(partitions.length > 0 ? { partitions } : {}),
    });
    switch (call.service) {
      case 's3': {
        const bucket = `arn:aws:s3:::${new URL(message.url, 'http://gateway').pathname.split('/')[1]}`;
        const mayList = caller?.policy.allows({ action: 's3:ListBucket', resource: bucket }) ?? false;
        return s3(request, body, response, { mayList, anonymous: true });
      }
      case 'dynamodb':
        if (!options.dynamodb) throw new Error('no DynamoDB behind this gateway');
        return forward(options.dynamodb, message, response);
      case 'ssm': {
        const answer = ssmJsonAnswer(options.ssm ?? new Map(), call.operation, body.toString());
        response.writeHead(answer.status, { 'content-type': 'application/x-amz-json-1.1' });
        return void response.end(JSON.stringify(answer.json));
      }
      case 'sqs': {
        const sent = JSON.parse(body.toString()) as {
          Entries?: Array<{ Id: string; MessageBody: string }>;
          MessageBody?: string;
        };
        const entries = sent.Entries ?? [{ Id: 'single', MessageBody: sent.MessageBody ?? '' }];
        const successful = entries.map((entry) => {
          const message = {
            queueArn: call.requests[0]?.resource ?? '',
            messageId: `m-${queued.length + 1}-${Date.now()}`,
            body: entry.MessageBody,
            md5OfBody: createHash('md5').update(entry.MessageBody).digest('hex'),
          };
          queued.push(message);
          return { Id: entry.Id, MessageId: message.messageId, MD5OfMessageBody: message.md5OfBody };
        });
        response.writeHead(200, { 'content-type': 'application/x-amz-json-1.0' });
        return void response.end(
          JSON.stringify(
            sent.Entries
              ? { Successful: successful, Failed: [] }
              : { MessageId: successful[0]?.MessageId, MD5OfMessageBody: successful[0]?.MD5OfMessageBody },
          ),
        );
      }
      case 'sns': {
        const params = Object.fromEntries(new URLSearchParams(body.toString()));
        if (snsFailures > 0) {
          snsFailures -= 1;
          response.writeHead(400, { 'content-type': 'text/xml' });
          return void response.end(
            '<ErrorResponse><Error><Type>Sender</Type><Code>Throttling</Code><Message>Rate exceeded</Message></Error><RequestId>r</RequestId></ErrorResponse>',
          );
        }
        if (call.operation === 'Subscribe') {
          subscribed.push(params);
          response.writeHead(200, { 'content-type': 'text/xml' });
          return void response.end(
            '<SubscribeResponse xmlns="http://sns.amazonaws.com/doc/2010-03-31/"><SubscribeResult><SubscriptionArn>pending confirmation</SubscriptionArn></SubscribeResult><ResponseMetadata><RequestId>r</RequestId></ResponseMetadata></SubscribeResponse>',
          );
        }
        published.push(params);
        response.writeHead(200, { 'content-type': 'text/xml' });
        return void response.end(
          `<PublishResponse xmlns="http://sns.amazonaws.com/doc/2010-03-31/"><PublishResult><MessageId>m-${published.length}</MessageId></PublishResult><ResponseMetadata><RequestId>r</RequestId></ResponseMetadata></PublishResponse>`,
        );
      }
      case 'ses': {
        const path = new URL(message.url, 'http://gateway').pathname;
        const answer = sesAnswer(
          message.method,
          path,
          body.toString(),
          new Set(options.sesIdentities),
          mailed,
        );
        response.writeHead(answer.status, {
          'content-type': 'application/json',
          ...(answer.errorType ? { 'x-amzn-errortype': answer.errorType } : {}),
        });
        return void response.end(JSON.stringify(answer.json));
      }
    }
  }

  return {
    endpoint: server.url,
    addPrincipal(accessKeyId, name, policy) {
      principals.set(accessKeyId, { name, policy });
    },
    denied,
    published,
    subscribed,
    failNextSns(n) {
      snsFailures = n;
    },
    mailed,
    queued,
    calls,
    requests,
    close: () => server.close(),
  };
}

/** The denial each protocol gives: S3's and SNS's XML 403, the JSON protocols' 400 AccessDeniedException. */
function deny(call: AwsCall, action: string, resource: string, response: http.ServerResponse): void {
  const message = `not authorized to perform: ${action} on resource: ${resource}`;
  if (call.service === 's3') {
    s3Error(response, 403, 'AccessDenied', message);
  } else if (call.service === 'ses') {
    response.writeHead(403, {
      'content-type': 'application/json',
      'x-amzn-errortype': 'AccessDeniedException',
    });
    response.end(JSON.stringify({ message }));
  } else if (call.service === 'sns') {
    response.writeHead(403, { 'content-type': 'text/xml' });
    response.end(
      `<ErrorResponse><Error><Type>Sender</Type><Code>AuthorizationError</Code><Message>${message}</Message></Error><RequestId>r</RequestId></ErrorResponse>`,
    );
  } else {
    response.writeHead(400, { 'content-type': 'application/x-amz-json-1.0' });
    response.end(JSON.stringify({ __type: 'com.amazon.coral.service#AccessDeniedException', message }));
  }
}

/**
 * An HTTP server whose idle keep-alive sockets outlive the SDK's reuse of them: with Node's 5 s
 * default, a client reusing a socket the server is just closing gets ECONNRESET under load,
 * which AWS's endpoints (idle timeouts of a minute and more) do not do.
 */
function keepingSockets(handler: http.RequestListener): http.Server {
  const server = http.createServer(handler);
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;
  return server;
}

function forward(target: string, request: AwsHttpRequest, response: http.ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    const out = http.request(
      new URL(request.url, target),
      { method: request.method, headers: request.headers },
      (answer) => {
        response.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(response);
        answer.on('end', resolve);
      },
    );
    out.on('error', () => {
      response.writeHead(502);
      response.end();
      resolve();
    });
    out.end(request.body);
  });
}
