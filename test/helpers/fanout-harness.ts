// The fan-out as deployed, on this machine: the app synthesized with a shard size, the planner
// (check function) and a pool of shard-function environments run from their bundled assets as
// Lambda runs them, behind the IAM-enforcing gateway, against s3rver (and dynalite, with
// `storage: 'dynamodb'`). A tick is what AWS does
// each minute: EventBridge invokes the planner; the SQS event source hands each queued message,
// as a one-record SQS event, to a free shard environment, at most `environments` at once.
import { GetObjectCommand, ListObjectsV2Command, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type { SSMClient } from '@aws-sdk/client-ssm';
import type { S3Event, SQSEvent } from 'aws-lambda';
import { writeSsmConfig } from '../../adapters/config/ssm-config.js';
import { RESULTS_LAYOUT } from '../../core/results-layout.js';
import {
  type OverviewPart,
  overviewPartName,
  type StatusOverview,
} from '../../core/summary/page-document-types.js';
import type { NotifyOutcome } from '../../functions/notify-handler.js';
import { type AwsGateway, type SqsMessage, startAwsGateway } from './aws-gateway.js';
import { type DeployedFunction, type RunningLambda, startLambda } from './deployed-function.js';
import { type RunningDynalite, startDynalite } from './dynalite.js';
import { type FakeParameters, ssmJsonAnswer } from './fake-ssm.js';
import { lambdaEnvironment } from './lambda-environment.js';
import { type RunningS3rver, startS3rver } from './s3rver.js';
import { DEPLOYED_ACCOUNT, DEPLOYED_REGION, synthesizeApp } from './synthesized-app.js';

const REGION = DEPLOYED_REGION;
const ACCOUNT = DEPLOYED_ACCOUNT;
const BUCKET = 'checkup-results-fanout';
const TABLE = 'checkup-runs-fanout';

export interface FanoutHarnessOptions {
  /** Checks per shard (the app's `shardSize` context). */
  shardSize: number;
  /** The app's `storage` context. @default 's3' */
  storage?: 's3' | 'dynamodb';
  /** Shard environments at once (the event source's maximum concurrency). */
  environments: number;
  /** The config the planner reads from SSM (a large one through its config object in S3). */
  config: { checkers: unknown[]; concurrent_checks?: number; notifiers?: unknown[]; maintenance?: unknown[] };
  /**
   * Notify-function environments to start (none by default), and the check interval they are
   * told (the template's by default): `notify` hands them the shards' S3 events.
   */
  notify?: { environments: number; intervalMs?: number };
}

/** What one tick took. */
export interface TickReport {
  /** Unix ms of the scheduled time. */
  tick: number;
  plannerMs: number;
  /** Each shard's invocation, in ms, in message order. */
  shardMs: number[];
  /** From the planner's invocation to the last shard's end. */
  wallMs: number;
  messages: SqsMessage[];
  planner: { shards?: number; results: number };
  /** The AWS calls the tick made (allowed ones), by operation. */
  calls: Record<string, number>;
  shards: Array<{ shards: Array<{ shard: string; runs: string[]; results: number }>; stale: number }>;
}

/** What a paced tick and the notify invocations after it did. */
export interface PacedTick {
  report: TickReport;
  /** The run files the shards stored (`checks/<name>`). */
  keys: string[];
  outcomes: NotifyOutcome[];
  /** The AWS calls the notify functions made (allowed or denied). */
  notifyCalls: AwsGateway['requests'];
}

export interface FanoutHarness {
  gateway: AwsGateway;
  owner: S3Client;
  /** With `storage: 'dynamodb'`: the emulator holding the table `table`. */
  dynalite?: RunningDynalite;
  table: string;
  planner: RunningLambda;
  plannerFunction: DeployedFunction;
  shardFunction: DeployedFunction;
  notifyFunction: DeployedFunction;
  /** The notify environments (when started). */
  notifiers: RunningLambda[];
  /**
   * Hands the S3 event of each run file (`checks/<name>`) to its own notify environment, all at
   * once, as S3 does when the shards of a tick store; resolves to each invocation's outcome.
   */
  notify(keys: readonly string[]): Promise<NotifyOutcome[]>;
  /** Runs one tick scheduled at `tick` (default now); shards whose index is in `drop` are lost. */
  tick(options?: { tick?: number; drop?: number[] }): Promise<TickReport>;
  /**
   * Puts another config in SSM (unless undefined: the one there stays) and starts a fresh planner
   * with `environment` over the template's.
   */
  reconfigure(
    config: FanoutHarnessOptions['config'] | undefined,
    environment?: Record<string, string>,
  ): Promise<void>;
  /**
   * A tick `intervalMs` after the last paced one (waiting for it: the schedule's pace, a planner
   * never runs ahead of its time), then every shard's run file handed to notify at once, as S3
   * does; with the calls the notify functions made.
   */
  pacedTick(intervalMs: number, drop?: number[]): Promise<PacedTick>;
  /** The page's overview and every endpoint of its parts. */
  readOverview(): Promise<{ overview: StatusOverview; endpoints: OverviewPart['endpoints'] }>;
  /** Every key under a prefix of the results bucket. */
  keys(prefix: string): Promise<string[]>;
  readJson<T>(key: string): Promise<T>;
  close(): Promise<void>;
}

/** The event an EventBridge schedule delivers at `tick`. */
function scheduledAt(tick: number) {
  return {
    version: '0',
    id: `tick-${tick}`,
    'detail-type': 'Scheduled Event',
    source: 'aws.events',
    account: ACCOUNT,
    time: new Date(tick).toISOString().replace(/\.\d+Z$/, 'Z'),
    region: REGION,
    resources: [`arn:aws:events:${REGION}:${ACCOUNT}:rule/Checkup-ChecksRule`],
    detail: {},
  };
}

/** The event the SQS event source mapping invokes a function with for one message. */
export function sqsEventOf(messages: readonly SqsMessage[]): SQSEvent {
  return {
    Records: messages.map((message) => {
      const [, , , region = '', account = '', name = ''] = message.queueArn.split(':');
      return {
        messageId: message.messageId,
        receiptHandle: `handle-${message.messageId}`,
        body: message.body,
        attributes: {
          ApproximateReceiveCount: '1',
          SentTimestamp: String(Date.now()),
          SenderId: 'AROAPLANNER',
          ApproximateFirstReceiveTimestamp: String(Date.now()),
        },
        messageAttributes: {},
        md5OfBody: message.md5OfBody,
        eventSource: 'aws:sqs',
        eventSourceARN: `arn:aws:sqs:${region}:${account}:${name}`,
        awsRegion: region,
      };
    }),
  };
}

export async function startFanoutHarness(options: FanoutHarnessOptions): Promise<FanoutHarness> {
  const onTable = options.storage === 'dynamodb';
  const app = await synthesizeApp({
    context: { storage: options.storage ?? 's3', regions: REGION, shardSize: String(options.shardSize) },
    names: [
      ['AWS::S3::Bucket', 'Results', BUCKET],
      ...(onTable ? [['AWS::DynamoDB::Table', 'Results', TABLE] as const] : []),
    ],
    validate: false,
  });
  const plannerFunction = app.functionNamed('ChecksCheckFunction');
  const shardFunction = app.functionNamed('ShardsShardFunction');
  const notifyFunction = app.functionNamed('NotifyFunction');

  const s3rver: RunningS3rver = await startS3rver([BUCKET]);
  const dynalite = onTable ? await startDynalite() : undefined;
  await dynalite?.createTable(TABLE);
  const parameters: FakeParameters = new Map();
  const owner = s3rver.client();
  const configParameter = plannerFunction.environment.CHECKUP_CONFIG_PARAMETER as string;
  // As `checkup config push` leaves it: a config over one parameter in the stack's config
  // object, the parameter pointing to it with its sha-256.
  const putConfig = async (config: FanoutHarnessOptions['config']) => {
    parameters.clear();
    const text = JSON.stringify(config);
    const url = `s3://${BUCKET}/${RESULTS_LAYOUT.configObjectKey}`;
    await writeSsmConfig(ssmOf(parameters), configParameter, text, {
      url,
      put: async (body) => {
        await owner.send(
          new PutObjectCommand({ Bucket: BUCKET, Key: RESULTS_LAYOUT.configObjectKey, Body: body }),
        );
      },
    });
  };
  await putConfig(options.config);
  const gateway = await startAwsGateway({
    s3: s3rver.endpoint,
    ...(dynalite ? { dynamodb: dynalite.endpoint } : {}),
    ssm: parameters,
    region: REGION,
    account: ACCOUNT,
  });
  gateway.addPrincipal('AKIDPLANNER', 'the check function (planner)', plannerFunction.policy);
  gateway.addPrincipal('AKIDSHARD', 'the shard function', shardFunction.policy);
  const runtime = (keyId: string) => lambdaEnvironment(gateway.endpoint, keyId);
  // The SQS client sends to the host of the queue URL (as it does in AWS): here, the gateway's.
  const queueUrl = new URL(plannerFunction.environment.CHECKUP_SHARD_QUEUE_URL as string);
  const startPlanner = (environment: Record<string, string> = {}) =>
    startLambda(plannerFunction, {
      ...runtime('AKIDPLANNER'),
      CHECKUP_SHARD_QUEUE_URL: `${gateway.endpoint}${queueUrl.pathname}`,
      ...environment,
    });
  let planner = await startPlanner();
  let lastPaced = 0;
  const pool = await Promise.all(
    Array.from({ length: options.environments }, () => startLambda(shardFunction, runtime('AKIDSHARD'))),
  );
  gateway.addPrincipal('AKIDNOTIFY', 'the notify function', notifyFunction.policy);
  const notifiers = await Promise.all(
    Array.from({ length: options.notify?.environments ?? 0 }, () =>
      startLambda(notifyFunction, {
        ...runtime('AKIDNOTIFY'),
        ...(options.notify?.intervalMs ? { CHECKUP_INTERVAL_MS: String(options.notify.intervalMs) } : {}),
      }),
    ),
  );

  const harness: FanoutHarness = {
    gateway,
    owner,
    ...(dynalite ? { dynalite } : {}),
    table: TABLE,
    get planner() {
      return planner;
    },
    plannerFunction,
    shardFunction,
    notifyFunction,
    notifiers,
    notify(keys) {
      return Promise.all(
        keys.map((key, index) => {
          const environment = notifiers[index % notifiers.length];
          if (!environment) throw new Error('no notify environment started (options.notify)');
          return environment.invoke<NotifyOutcome>(s3EventOf(BUCKET, key));
        }),
      );
    },
    async tick({ tick: asked = Date.now(), drop = [] } = {}) {
      // EventBridge gives the scheduled time to the second.
      const tick = Math.floor(asked / 1000) * 1000;
      const callsBefore = new Map(gateway.calls);
      const began = performance.now();
      const queuedBefore = gateway.queued.length;
      let plannerMs = 0;
      let plannerDone = false;
      const planning = planner.invoke<TickReport['planner']>(scheduledAt(tick)).finally(() => {
        plannerMs = performance.now() - began;
        plannerDone = true;
      });
      const shardMs: number[] = [];
      const shards: TickReport['shards'] = [];
      const messages: SqsMessage[] = [];
      let taken = queuedBefore;
      // Each environment takes the next message as soon as it is queued and it is free, as the
      // event source does: shards run while the planner is still updating the summary.
      const nextMessage = async (): Promise<SqsMessage | undefined> => {
        for (;;) {
          if (taken < gateway.queued.length) {
            const message = gateway.queued[taken++] as SqsMessage;
            messages.push(message);
            const index = (JSON.parse(message.body) as { shard: { index: number } }).shard.index;
            if (!drop.includes(index)) return message;
            continue;
          }
          if (plannerDone) return undefined;
          await new Promise((resolve) => setTimeout(resolve, 5));
        }
      };
      const [planned] = await Promise.all([
        planning,
        ...pool.map(async (environment) => {
          for (let message = await nextMessage(); message; message = await nextMessage()) {
            const started = performance.now();
            const outcome = await environment.invoke<TickReport['shards'][number]>(sqsEventOf([message]));
            const index = (JSON.parse(message.body) as { shard: { index: number } }).shard.index;
            shards[index] = outcome;
            shardMs[index] = performance.now() - started;
          }
        }),
      ]);
      const calls: Record<string, number> = {};
      for (const [operation, count] of gateway.calls) {
        const made = count - (callsBefore.get(operation) ?? 0);
        if (made > 0) calls[operation] = made;
      }
      return {
        tick,
        plannerMs,
        shardMs: shardMs.filter((ms) => ms !== undefined),
        wallMs: performance.now() - began,
        messages,
        planner: planned,
        shards: shards.filter((outcome) => outcome !== undefined),
        calls,
      };
    },
    async reconfigure(config, environment) {
      if (config) await putConfig(config);
      await planner.stop();
      planner = await startPlanner(environment);
    },
    async pacedTick(intervalMs, drop = []) {
      const wait = lastPaced + intervalMs - Date.now();
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
      const report = await harness.tick({ tick: Date.now(), drop });
      lastPaced = report.tick;
      const keys = report.shards.flatMap((outcome) =>
        outcome.shards.flatMap((shard) => shard.runs.map((run) => `checks/${run}`)),
      );
      const before = gateway.requests.length;
      const outcomes = await harness.notify(keys);
      const notifyCalls = gateway.requests
        .slice(before)
        .filter((call) => call.caller === 'the notify function');
      return { report, keys, outcomes, notifyCalls };
    },
    async readOverview() {
      const overview = await harness.readJson<StatusOverview>('summaries/overview.json');
      const parts = await Promise.all(
        (overview.parts ?? []).map((segment) =>
          harness.readJson<OverviewPart>(`summaries/${overviewPartName(segment)}`),
        ),
      );
      return { overview, endpoints: parts.flatMap((part) => part.endpoints) };
    },
    async keys(prefix) {
      const keys: string[] = [];
      let token: string | undefined;
      do {
        const page = await owner.send(
          new ListObjectsV2Command({ Bucket: BUCKET, Prefix: prefix, ContinuationToken: token }),
        );
        keys.push(...(page.Contents ?? []).map((object) => object.Key ?? ''));
        token = page.IsTruncated ? page.NextContinuationToken : undefined;
      } while (token);
      return keys.sort();
    },
    async readJson<T>(key: string) {
      const answer = await owner.send(new GetObjectCommand({ Bucket: BUCKET, Key: key }));
      return JSON.parse((await answer.Body?.transformToString()) ?? '') as T;
    },
    async close() {
      await planner.stop();
      await Promise.all([...pool, ...notifiers].map((environment) => environment.stop()));
      await gateway.close();
      await dynalite?.close();
      await s3rver.close();
    },
  };
  return harness;
}

/** The event S3 delivers to the notify function when `key` is created. */
export function s3EventOf(bucket: string, key: string): S3Event {
  return {
    Records: [
      {
        eventVersion: '2.1',
        eventSource: 'aws:s3',
        awsRegion: REGION,
        eventTime: new Date().toISOString(),
        eventName: 'ObjectCreated:Put',
        userIdentity: { principalId: 'AWS:AROASHARD' },
        requestParameters: { sourceIPAddress: '127.0.0.1' },
        responseElements: { 'x-amz-request-id': 'r', 'x-amz-id-2': 'i' },
        s3: {
          s3SchemaVersion: '1.0',
          configurationId: 'notify',
          bucket: { name: bucket, ownerIdentity: { principalId: 'owner' }, arn: `arn:aws:s3:::${bucket}` },
          object: { key: encodeURIComponent(key).replace(/%2F/g, '/'), size: 1, eTag: 'e', sequencer: '0' },
        },
      },
    ],
  };
}

/** An SSM client answered by the stand-in's parameters in process (the harness's own writes). */
function ssmOf(parameters: FakeParameters): SSMClient {
  return {
    send: async (command: { constructor: { name: string }; input: unknown }) => {
      const operation = command.constructor.name.replace(/Command$/, '');
      const answer = ssmJsonAnswer(parameters, operation, JSON.stringify(command.input));
      if (answer.status !== 200)
        throw Object.assign(new Error(String(answer.json)), {
          name: (answer.json as { __type: string }).__type,
        });
      return answer.json;
    },
  } as unknown as SSMClient;
}
