// E-mail subscriptions as `cdk deploy -c subscriptions=true` ships them: the app is synthesized
// (cdk-nag included), and the bundled subscribe and notify functions run as Lambda runs them, with
// the template's environment, their SNS calls going through the IAM gateway (which enforces each
// role's policy) to a loopback SNS stand-in that records Subscribe and Publish.
import { GetObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { Match, Template } from 'aws-cdk-lib/assertions';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AwsGateway } from '../helpers/aws-gateway.js';
import type { DeployedFunction, RunningLambda } from '../helpers/deployed-function.js';
import { type DeployedStack, deployedStack } from '../helpers/deployed-stack.js';
import type { S3rverHandle } from '../helpers/s3rver-with-events.js';
import { closedPort } from '../helpers/servers.js';
import { storeApiRun } from '../helpers/store-api-run.js';
import { removeTempDirs } from '../helpers/temp-dir.js';
import type { TemplateJson } from '../helpers/template-resolver.js';
import { allowedActions, flatten, logicalId, roleStatements } from '../infra/template-queries.js';
import { scheduledEvent } from './lambda-context.js';

const REGION = 'eu-west-1';
const ACCOUNT = '123456789012';
const BUCKET = 'checkup-results-subs';
const DISTRIBUTION = 'd111abcdef8.cloudfront.net';
const TOPIC_NAME = 'checkup-subscribers';
const TOPIC_ARN = `arn:aws:sns:${REGION}:${ACCOUNT}:${TOPIC_NAME}`;
const PAGE = 'https://status.example.com';

let template: TemplateJson;
let home: Template;
let remote: Template;
let s3rver: S3rverHandle;
let gateway: AwsGateway;
let subscribeFunction: DeployedFunction;
let notifyFunction: DeployedFunction;
let checkFunction: DeployedFunction;
let subscribe: RunningLambda;
let notify: RunningLambda;
let check: RunningLambda;
let owner: S3Client;
let stack: DeployedStack;
/** Every address any test sent: none may appear in a log line. */
const sentAddresses = new Set<string>();

beforeAll(async () => {
  // cdk-nag's AwsSolutions pack runs as a validation plugin: a finding makes synth throw.
  stack = await deployedStack({
    context: {
      subscriptions: 'true',
      regions: `${REGION},us-east-1`,
      domainName: 'status.example.com',
      certificateArn: 'arn:aws:acm:us-east-1:123456789012:certificate/0a1b2c3d',
    },
    bucket: BUCKET,
    names: [
      ['AWS::CloudFront::Distribution', 'Distribution', DISTRIBUTION],
      ['AWS::SNS::Topic', 'Subscriptions', TOPIC_NAME],
    ],
  });
  ({ template, s3rver, gateway, owner } = stack);
  home = Template.fromJSON(template);
  remote = Template.fromJSON(stack.assembly.getStackByName('Checkup-us-east-1').template);
  subscribeFunction = stack.functionNamed('SubscriptionsSubscribeFunction');
  notifyFunction = stack.functionNamed('NotifyFunction');
  checkFunction = stack.functionNamed('ChecksCheckFunction');
  stack.parameters.set(notifyFunction.environment.CHECKUP_CONFIG_PARAMETER as string, {
    tier: 'Standard',
    value: JSON.stringify({
      checkers: [
        {
          type: 'http',
          endpoint_name: 'API',
          endpoint_url: `http://127.0.0.1:${await closedPort()}`,
          attempts: 1,
        },
      ],
      status_page: { title: 'Acme status' },
    }),
  });
  subscribe = await stack.start(subscribeFunction, 'AKIDSUBSCRIBE', 'the subscribe function');
  notify = await stack.start(notifyFunction, 'AKIDNOTIFY', 'the notify function');
  check = await stack.start(checkFunction, 'AKIDCHECK', 'the check function');
}, 300_000);

afterAll(async () => {
  await stack?.close();
  await removeTempDirs();
});

/** A function URL request (payload 2.0), as Lambda hands it to the handler. */
function urlEvent(options: {
  body?: string;
  contentType?: string;
  method?: string;
  sourceIp?: string;
  origin?: string | null;
}): APIGatewayProxyEventV2 {
  const headers: Record<string, string> = { 'user-agent': 'test' };
  if (options.contentType) headers['content-type'] = options.contentType;
  if (options.origin !== null) headers.origin = options.origin ?? PAGE;
  return {
    version: '2.0',
    routeKey: '$default',
    rawPath: '/',
    rawQueryString: '',
    headers,
    requestContext: {
      accountId: 'anonymous',
      apiId: 'url',
      domainName: 'url.lambda-url.eu-west-1.on.aws',
      domainPrefix: 'url',
      http: {
        method: options.method ?? 'POST',
        path: '/',
        protocol: 'HTTP/1.1',
        sourceIp: options.sourceIp ?? '198.51.100.7',
        userAgent: 'test',
      },
      requestId: `r-${Math.random()}`,
      routeKey: '$default',
      stage: '$default',
      time: '30/Nov/2026:10:00:00 +0000',
      timeEpoch: Date.now(),
    },
    ...(options.body !== undefined ? { body: options.body } : {}),
    isBase64Encoded: false,
  };
}

let nextIp = 1;
/** Posts `email` as the page's form does (a fresh source IP each time unless given). */
function post(
  email: string,
  options: { json?: boolean; sourceIp?: string; origin?: string | null } = {},
): Promise<APIGatewayProxyStructuredResultV2> {
  sentAddresses.add(email);
  const body = options.json ? JSON.stringify({ email }) : new URLSearchParams({ email }).toString();
  return subscribe.invoke(
    urlEvent({
      body,
      contentType: options.json ? 'application/json' : 'application/x-www-form-urlencoded',
      sourceIp: options.sourceIp ?? `203.0.113.${nextIp++}`,
      ...(options.origin !== undefined ? { origin: options.origin } : {}),
    }),
  );
}

describe('the synthesized stack with -c subscriptions=true', () => {
  it('keeps the subscribers in an encrypted, TLS-only topic', () => {
    home.resourceCountIs('AWS::SNS::Topic', 1);
    const topic = Object.values(home.findResources('AWS::SNS::Topic'))[0];
    expect(flatten(topic?.Properties.KmsMasterKeyId)).toMatch(/:alias\/aws\/sns$/);
    home.hasResourceProperties('AWS::SNS::TopicPolicy', {
      PolicyDocument: Match.objectLike({
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
        ]),
      }),
    });
  });

  it("serves the subscribe function on a public function URL whose CORS allows the page's origins, POST only", () => {
    const url = Object.values(home.findResources('AWS::Lambda::Url'))
      .map((resource) => resource.Properties)
      .find((properties) => flatten(properties.TargetFunctionArn).includes('SubscriptionsSubscribe'));
    expect(url?.AuthType).toBe('NONE');
    expect(url?.Cors.AllowMethods).toEqual(['POST']);
    expect(url?.Cors.AllowHeaders).toEqual(['content-type']);
    expect(url?.Cors.AllowCredentials).toBeUndefined();
    expect(url?.Cors.AllowOrigins.map(flatten)).toEqual([
      `https://<${stack.idOf('AWS::CloudFront::Distribution', 'Distribution')}.DomainName>`,
      PAGE,
    ]);
    expect(subscribeFunction.environment.CHECKUP_PAGE_ORIGINS).toBe(`https://${DISTRIBUTION},${PAGE}`);
    // Its rate limits count per warm environment: at most two of them.
    home.hasResourceProperties('AWS::Lambda::Function', {
      Description: Match.stringLikeRegexp('subscribes addresses'),
      ReservedConcurrentExecutions: 2,
    });
  });

  it('lets the subscribe function only subscribe e-mail addresses to that topic, and the notify function publish to it', () => {
    const role = logicalId(home, 'AWS::IAM::Role', 'SubscriptionsSubscribeRole');
    const logs = `<${logicalId(home, 'AWS::Logs::LogGroup', 'SubscriptionsSubscribeLogs')}.Arn>`;
    const topic = `<${stack.idOf('AWS::SNS::Topic', 'Subscriptions')}>`;
    expect(allowedActions(roleStatements(home, role))).toEqual({
      'logs:CreateLogStream': [logs],
      'logs:PutLogEvents': [logs],
      'sns:Subscribe': [topic],
    });
    const policy = subscribeFunction.policy;
    const subscribeTo = (protocol: string) => ({
      action: 'sns:Subscribe',
      resource: TOPIC_ARN,
      context: { 'sns:Protocol': protocol, 'sns:Endpoint': 'x' },
    });
    expect(policy.allows(subscribeTo('email'))).toBe(true);
    expect(policy.allows(subscribeTo('https'))).toBe(false);
    expect(policy.allows(subscribeTo('lambda'))).toBe(false);
    expect(policy.allows({ action: 'sns:Publish', resource: TOPIC_ARN })).toBe(false);
    expect(notifyFunction.policy.allows({ action: 'sns:Publish', resource: TOPIC_ARN })).toBe(true);
    expect(notifyFunction.policy.allows({ action: 'sns:Subscribe', resource: TOPIC_ARN })).toBe(false);
    expect(notifyFunction.environment.CHECKUP_SUBSCRIBERS_TOPIC_ARN).toBe(TOPIC_ARN);
    expect(notifyFunction.environment.CHECKUP_PAGE_URL).toBe(`${PAGE}/`);
  });

  it("writes the subscribe URL into the page settings from the home region's check function only, and lets the page connect to it", () => {
    const checkId = logicalId(home, 'AWS::Lambda::Function', 'ChecksCheckFunction');
    const variables = template.Resources[checkId]?.Properties?.Environment as {
      Variables: Record<string, unknown>;
    };
    expect(flatten(variables.Variables.CHECKUP_SUBSCRIBE_URL)).toBe(
      `<${logicalId(home, 'AWS::Lambda::Url', 'SubscriptionsSubscribe')}.FunctionUrl>`,
    );
    expect(variables.Variables.CHECKUP_PAGE_KEY).toBe('summaries/page.json');
    // Checks from another region would write settings without it, taking turns with the home's.
    const remoteCheck = Object.values(remote.findResources('AWS::Lambda::Function')).find((fn) =>
      String(fn.Properties.Description).startsWith('Checkup: runs every checker'),
    );
    expect(remoteCheck?.Properties.Environment.Variables.CHECKUP_PAGE_KEY).toBeUndefined();
    const remoteRole = logicalId(remote, 'AWS::IAM::Role', 'ChecksCheckRole');
    expect(allowedActions(roleStatements(remote, remoteRole))['s3:PutObject']).not.toContainEqual(
      expect.stringContaining('page.json'),
    );
    const policy = Object.values(home.findResources('AWS::CloudFront::ResponseHeadersPolicy'))[0];
    const csp = flatten(
      policy?.Properties.ResponseHeadersPolicyConfig.SecurityHeadersConfig.ContentSecurityPolicy
        .ContentSecurityPolicy,
    );
    expect(csp).toContain("connect-src 'self' https://*.lambda-url.<AWS::Region>.on.aws;");
    expect(csp).toContain("form-action 'none'");
  });
});

describe('the deployed subscribe function', () => {
  it('subscribes an address with the email protocol, and answers the same whether it was new or not', async () => {
    const first = await post('Reader@Example.com');
    expect(gateway.denied).toEqual([]);
    expect(first.statusCode).toBe(202);
    expect(first.headers?.['content-type']).toBe('text/plain; charset=utf-8');
    expect(gateway.subscribed).toEqual([
      expect.objectContaining({
        Action: 'Subscribe',
        TopicArn: TOPIC_ARN,
        Protocol: 'email',
        Endpoint: 'Reader@Example.com',
      }),
    ]);
    const again = await post('Reader@Example.com', { json: true });
    expect(again.statusCode).toBe(202);
    expect(again.body).toBe(first.body);
    expect(first.body).not.toMatch(/reader/i);
    expect(gateway.subscribed).toHaveLength(2);
  });

  it.each([
    [
      'a body over 1 KB',
      { body: `email=${'a'.repeat(2000)}%40example.com`, contentType: 'application/x-www-form-urlencoded' },
      413,
    ],
    [
      'a 10 KB address',
      {
        body: JSON.stringify({ email: `${'a'.repeat(10_240)}@example.com` }),
        contentType: 'application/json',
      },
      413,
    ],
    [
      'an address over 254 characters',
      {
        body: JSON.stringify({
          email: `${'a'.repeat(64)}@${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(63)}.com`,
        }),
        contentType: 'application/json',
      },
      400,
    ],
    ['text/plain', { body: 'email=reader@example.com', contentType: 'text/plain' }, 415],
    ['no content type', { body: 'email=reader@example.com' }, 415],
    ['bad JSON', { body: '{"email": "reader@example.com"', contentType: 'application/json' }, 400],
    ['a JSON list', { body: '["reader@example.com"]', contentType: 'application/json' }, 400],
    [
      'a header injection',
      {
        body: new URLSearchParams({ email: 'reader@example.com\r\nBcc: all@example.net' }).toString(),
        contentType: 'application/x-www-form-urlencoded',
      },
      400,
    ],
    [
      'a line feed',
      { body: JSON.stringify({ email: 'reader@example.com\nx' }), contentType: 'application/json' },
      400,
    ],
    [
      'a display name',
      { body: JSON.stringify({ email: 'Reader <reader@example.com>' }), contentType: 'application/json' },
      400,
    ],
    [
      'two addresses',
      {
        body: 'email=a%40example.com&email=b%40example.com',
        contentType: 'application/x-www-form-urlencoded',
      },
      400,
    ],
    [
      'a comma list',
      { body: JSON.stringify({ email: 'a@example.com,b@example.com' }), contentType: 'application/json' },
      400,
    ],
    ['no address', { body: '{}', contentType: 'application/json' }, 400],
    ['a number', { body: '{"email": 5}', contentType: 'application/json' }, 400],
    [
      'a GET',
      { method: 'GET', contentType: 'application/json', body: '{"email":"reader@example.com"}' },
      405,
    ],
    [
      'another site’s form',
      {
        origin: 'https://evil.example',
        body: 'email=victim%40example.com',
        contentType: 'application/x-www-form-urlencoded',
      },
      403,
    ],
  ] as const)(
    'refuses %s with a clear answer that never repeats the input, and subscribes no one',
    async (_name, request, status) => {
      const before = gateway.subscribed.length;
      for (const email of ['reader@example.com', 'all@example.net', 'victim@example.com', 'b@example.com'])
        sentAddresses.add(email);
      const answer = await subscribe.invoke<APIGatewayProxyStructuredResultV2>(
        urlEvent({ ...request, sourceIp: `192.0.2.${nextIp++}` }),
      );
      expect(answer.statusCode).toBe(status);
      expect(String(answer.body).length).toBeGreaterThan(5);
      expect(answer.body).not.toContain('example');
      expect(gateway.subscribed).toHaveLength(before);
      expect(gateway.denied).toEqual([]);
    },
  );

  it('answers 429 with Retry-After past five requests an hour from one source IP', async () => {
    const answers = [];
    for (let n = 0; n < 6; n++)
      answers.push(await post(`flood${n}@example.org`, { sourceIp: '198.51.100.99' }));
    expect(answers.slice(0, 5).map((answer) => answer.statusCode)).toEqual([202, 202, 202, 202, 202]);
    expect(answers[5]?.statusCode).toBe(429);
    const wait = Number(answers[5]?.headers?.['retry-after']);
    expect(wait).toBeGreaterThan(3000);
    expect(wait).toBeLessThanOrEqual(3600);
    // Another source is still served.
    expect((await post('other@example.org')).statusCode).toBe(202);
  });

  it('asks SNS to mail one address at most three times a day, telling the sender nothing of it', async () => {
    const before = gateway.subscribed.length;
    const answers = [];
    for (let n = 0; n < 4; n++) answers.push(await post('target@example.net'));
    expect(new Set(answers.map((answer) => `${answer.statusCode} ${answer.body}`)).size).toBe(1);
    expect(gateway.subscribed.slice(before).map((call) => call.Endpoint)).toEqual([
      'target@example.net',
      'target@example.net',
      'target@example.net',
    ]);
  });

  it('answers 502 when SNS fails, logging its error name only', async () => {
    gateway.failNextSns(2);
    const answer = await post('unlucky@example.com');
    expect(answer.statusCode).toBe(502);
    expect(subscribe.logs()).toContainEqual(
      expect.objectContaining({ level: 'error', message: 'subscription not made', error: 'Throttling' }),
    );
  });

  it('answers 429 past sixty requests a minute in all (the environment-wide limit)', async () => {
    const statuses: number[] = [];
    for (let n = 0; n < 70; n++) statuses.push(Number((await post(`many${n}@example.com`)).statusCode));
    expect(statuses).toContain(429);
    expect(statuses.slice(statuses.indexOf(429)).every((status) => status === 429)).toBe(true);
  });

  it('never writes an address to its log, only a salted hash', () => {
    const logs = subscribe.logs();
    expect(logs.filter((line) => line.message === 'subscription requested').length).toBeGreaterThan(5);
    const everything = (JSON.stringify(logs) + subscribe.stderr()).toLowerCase();
    for (const address of sentAddresses) expect(everything).not.toContain(address.toLowerCase());
    expect(logs.find((line) => line.message === 'subscription requested')).toMatchObject({
      addressHash: expect.stringMatching(/^[0-9a-f]{16}$/),
    });
  });
});

describe('the deployed notify function, with subscribers', () => {
  let clock = Date.now() * 1e6 - 600e9;

  function storeRun(status: 'healthy' | 'down') {
    clock += 60e9;
    return storeApiRun({ client: owner, bucket: BUCKET, s3rver }, clock, status);
  }

  it('tells the subscribers once when an incident opens, even when the event is delivered twice', async () => {
    const event = await storeRun('down');
    await notify.invoke(event);
    await notify.invoke(event);
    expect(gateway.denied).toEqual([]);
    expect(gateway.published).toEqual([
      expect.objectContaining({
        Action: 'Publish',
        TopicArn: TOPIC_ARN,
        Subject: 'Acme status: New incident: API is down',
        Message: expect.stringContaining(`Status page: ${PAGE}/`),
      }),
    ]);
    expect(gateway.published[0]?.Message).toContain('Status: investigating');
  });

  it('tells them once when it resolves', async () => {
    await notify.invoke(await storeRun('healthy'));
    await notify.invoke(await storeRun('healthy'));
    expect(gateway.denied).toEqual([]);
    expect(gateway.published.map((message) => message.Subject)).toEqual([
      'Acme status: New incident: API is down',
      'Acme status: Resolved: API is down',
    ]);
  });

  it('tells them once when a maintenance window starts and once when it ends', async () => {
    const answer = await owner.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'state/alert-state.json' }));
    const state = JSON.parse((await answer.Body?.transformToString()) ?? '{}') as Record<string, unknown>;
    const now = Date.now();
    const windows = [
      { name: 'Database upgrade', start: now - 120_000, durationMs: 60_000, timezone: 'UTC', id: 'w1' },
      { name: 'Network work', start: now - 30_000, durationMs: 3_600_000, timezone: 'UTC', id: 'w2' },
    ];
    await owner.send(
      new PutObjectCommand({
        Bucket: BUCKET,
        Key: 'state/alert-state.json',
        Body: JSON.stringify({ ...state, maintenance: windows }),
      }),
    );
    await notify.invoke(await storeRun('healthy'));
    await notify.invoke(await storeRun('healthy'));
    expect(gateway.denied).toEqual([]);
    expect(gateway.published.slice(2).map((message) => message.Subject)).toEqual([
      'Acme status: Maintenance started: Database upgrade',
      'Acme status: Maintenance ended: Database upgrade',
      'Acme status: Maintenance started: Network work',
    ]);
    expect(notify.logs()).toContainEqual(
      expect.objectContaining({ message: 'subscribers told', events: expect.any(Array) }),
    );
  });
});

describe('the deployed check function, with subscriptions', () => {
  it('writes the subscribe URL into the page settings, where the page finds its form', async () => {
    await check.invoke(scheduledEvent());
    expect(gateway.denied).toEqual([]);
    const answer = await owner.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'summaries/page.json' }));
    const settings = JSON.parse((await answer.Body?.transformToString()) ?? '{}') as Record<string, unknown>;
    expect(settings).toMatchObject({ title: 'Acme status' });
    expect(settings.subscribeUrl).toBe(checkFunction.environment.CHECKUP_SUBSCRIBE_URL);
    expect(settings.subscribeUrl).toMatch(/FunctionUrl/);
  });
});
