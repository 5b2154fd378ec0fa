// The fan-out as deployed, on this machine: the app synthesized with a shard size, the planner
// (check function) and a pool of shard-function environments run from their bundled assets as
// Lambda runs them, behind the IAM-enforcing gateway, against s3rver. A tick is what AWS does
// each minute: EventBridge invokes the planner; the SQS event source hands each queued message,
// as a one-record SQS event, to a free shard environment, at most `environments` at once.
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { GetObjectCommand, ListObjectsV2Command, type S3Client } from '@aws-sdk/client-s3';
import { App } from 'aws-cdk-lib';
import type { SQSEvent } from 'aws-lambda';
import { splitConfig } from '../../adapters/config/ssm-config.js';
import { addCheckupStacks, readCheckupContext } from '../../infra/checkup-app.js';
import { type AwsGateway, type SqsMessage, startAwsGateway } from './aws-gateway.js';
import {
  type DeployedFunction,
  deployedFunction,
  type RunningLambda,
  startLambda,
} from './deployed-function.js';
import type { FakeParameters } from './fake-ssm.js';
import { type RunningS3rver, startS3rver } from './s3rver.js';
import { makeTempDir } from './temp-dir.js';
import { type TemplateJson, TemplateResolver } from './template-resolver.js';

const REGION = 'eu-west-1';
const ACCOUNT = '123456789012';
const BUCKET = 'checkup-results-fanout';

export interface FanoutHarnessOptions {
  /** Checks per shard (the app's `shardSize` context). */
  shardSize: number;
  /** Shard environments at once (the event source's maximum concurrency). */
  environments: number;
  /** The config the planner reads from SSM. */
  config: { checkers: unknown[]; concurrent_checks?: number; maintenance?: unknown[] };
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

export interface FanoutHarness {
  gateway: AwsGateway;
  owner: S3Client;
  planner: RunningLambda;
  plannerFunction: DeployedFunction;
  shardFunction: DeployedFunction;
  /** Runs one tick scheduled at `tick` (default now); shards whose index is in `drop` are lost. */
  tick(options?: { tick?: number; drop?: number[] }): Promise<TickReport>;
  /** Puts another config in SSM and starts a fresh planner with `environment` over the template's. */
  reconfigure(config: FanoutHarnessOptions['config'], environment?: Record<string, string>): Promise<void>;
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
  const pageDir = await makeTempDir();
  await writeFile(path.join(pageDir, 'index.html'), '<!doctype html><title>status</title>');
  const app = new App({
    outdir: await makeTempDir(),
    context: { storage: 's3', regions: REGION, pageDir, shardSize: String(options.shardSize) },
  });
  addCheckupStacks(app, readCheckupContext(app));
  const assembly = app.synth({ validateOnSynthesis: false });
  const template = assembly.getStackByName('Checkup').template as TemplateJson;
  const bucketId = Object.keys(template.Resources).find(
    (id) => template.Resources[id]?.Type === 'AWS::S3::Bucket' && id.includes('Results'),
  ) as string;
  const resolver = new TemplateResolver(template, {
    region: REGION,
    account: ACCOUNT,
    names: { [bucketId]: BUCKET },
  });
  const plannerFunction = deployedFunction(template, resolver, assembly.directory, 'ChecksCheckFunction');
  const shardFunction = deployedFunction(template, resolver, assembly.directory, 'ShardsShardFunction');

  const s3rver: RunningS3rver = await startS3rver([BUCKET]);
  const parameters: FakeParameters = new Map();
  const putConfig = (config: FanoutHarnessOptions['config']) => {
    parameters.clear();
    for (const parameter of splitConfig(
      JSON.stringify(config),
      plannerFunction.environment.CHECKUP_CONFIG_PARAMETER as string,
    ))
      parameters.set(parameter.name, { value: parameter.value, tier: parameter.tier });
  };
  putConfig(options.config);
  const gateway = await startAwsGateway({
    s3: s3rver.endpoint,
    ssm: parameters,
    region: REGION,
    account: ACCOUNT,
  });
  gateway.addPrincipal('AKIDPLANNER', 'the check function (planner)', plannerFunction.policy);
  gateway.addPrincipal('AKIDSHARD', 'the shard function', shardFunction.policy);
  const runtime = (keyId: string) => ({
    AWS_REGION: REGION,
    AWS_DEFAULT_REGION: REGION,
    AWS_ACCESS_KEY_ID: keyId,
    AWS_SECRET_ACCESS_KEY: 'not-a-secret',
    AWS_SESSION_TOKEN: 'session',
    AWS_ENDPOINT_URL_S3: gateway.endpoint,
    AWS_ENDPOINT_URL_SSM: gateway.endpoint,
    AWS_ENDPOINT_URL_SQS: gateway.endpoint,
  });
  // The SQS client sends to the host of the queue URL (as it does in AWS): here, the gateway's.
  const queueUrl = new URL(plannerFunction.environment.CHECKUP_SHARD_QUEUE_URL as string);
  const startPlanner = (environment: Record<string, string> = {}) =>
    startLambda(plannerFunction, {
      ...runtime('AKIDPLANNER'),
      CHECKUP_SHARD_QUEUE_URL: `${gateway.endpoint}${queueUrl.pathname}`,
      ...environment,
    });
  let planner = await startPlanner();
  const pool = await Promise.all(
    Array.from({ length: options.environments }, () => startLambda(shardFunction, runtime('AKIDSHARD'))),
  );
  const owner = s3rver.client();

  return {
    gateway,
    owner,
    get planner() {
      return planner;
    },
    plannerFunction,
    shardFunction,
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
      putConfig(config);
      await planner.stop();
      planner = await startPlanner(environment);
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
      await Promise.all(pool.map((environment) => environment.stop()));
      await gateway.close();
      await s3rver.close();
    },
  };
}
