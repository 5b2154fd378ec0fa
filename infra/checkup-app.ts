import { type App, Aws, Duration, Stack, type StackProps, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { Construct } from 'constructs';
import { parseDuration } from '../core/duration.js';
import { Checkup, type CheckupProps } from './constructs/checkup.js';
import { CheckupRegionalChecks } from './constructs/checkup-regional-checks.js';
import type { StorageKind } from './constructs/results-store.js';

/** Checks a shard may take with storage=dynamodb: a 500-check run item is ~140 KB (docs/scale.md). */
const MAX_TABLE_SHARD_SIZE = 1_000;

/** The options `cdk.json` / `-c key=value` can set. */
export interface CheckupAppOptions {
  stackName: string;
  schedule: Duration;
  storage: StorageKind;
  checkExpiry: Duration;
  /** The first is the home region (bucket, config, page); the others only check. Empty: the CLI's region. */
  regions: string[];
  configParameterName: string;
  domainName?: string;
  certificateArn?: string;
  alarmEmail?: string;
  pageDir?: string;
  /** Per-endpoint CloudWatch metrics (context `endpointMetrics=false` turns them off). */
  endpointMetrics: boolean;
  /** SNS topics `sns` notifiers publish to (context `alertTopicArns`, comma list). */
  alertTopicArns: string[];
  /**
   * SES identities (domains, addresses or identity ARNs) `mail` notifiers with `ses` send as
   * (context `sesIdentities`, comma list).
   */
  sesIdentities: string[];
  /** The KMS key of the notifier secrets, when not aws/ssm (context `secretsKeyArn`). */
  secretsKeyArn?: string;
  /** Checks per invocation before a run is fanned out (context `shardSize`). */
  shardSize?: number;
  /** Shard invocations at once (context `shardConcurrency`, 2 to 1000 as SQS event sources allow). */
  shardConcurrency?: number;
  /** Concurrent heartbeat pings at most (context `pingConcurrency`); unset reserves none. */
  pingConcurrency?: number;
  /** E-mail subscriptions on the status page (context `subscriptions=true`). */
  subscriptions: boolean;
  /** The subscribe function's reserved concurrency (context `subscribeConcurrency`, 1 to 100). */
  subscribeConcurrency?: number;
}

/** A context value that cannot be used; the message names the key. */
export class ContextError extends Error {
  override readonly name = 'ContextError';
}

/** Reads and checks the app's context (`-c schedule=5m`, `-c regions=eu-west-1,us-east-1`, ...). */
export function readCheckupContext(app: Construct): CheckupAppOptions {
  const text = (key: string): string | undefined => {
    const value: unknown = app.node.tryGetContext(key);
    if (value === undefined || value === null || value === '') return undefined;
    if (typeof value !== 'string') throw new ContextError(`context ${key}: must be a string`);
    return value.trim();
  };
  const duration = (key: string, fallback: string): Duration => {
    const raw = text(key) ?? fallback;
    const ns = parseDuration(raw);
    if (ns === undefined || ns <= 0)
      throw new ContextError(`context ${key}: "${raw}" is not a duration (e.g. 5m, 1h, 30d)`);
    return Duration.millis(ns / 1e6);
  };
  const flag = (key: string, fallback: boolean): boolean => {
    const value: unknown = app.node.tryGetContext(key);
    if (value === undefined || value === null || value === '') return fallback;
    if (value === true || value === 'true') return true;
    if (value === false || value === 'false') return false;
    throw new ContextError(`context ${key}: must be true or false`);
  };
  const integer = (key: string, min: number, max: number): number | undefined => {
    const value: unknown = app.node.tryGetContext(key);
    if (value === undefined || value === null || value === '') return undefined;
    const number = typeof value === 'number' ? value : Number(String(value).trim());
    if (!Number.isInteger(number) || number < min || number > max)
      throw new ContextError(
        `context ${key}: "${String(value)}" is not a whole number from ${min} to ${max}`,
      );
    return number;
  };
  const schedule = duration('schedule', '1m');
  if (!Number.isInteger(schedule.toMilliseconds() / 60_000)) {
    throw new ContextError(`context schedule: "${text('schedule')}" must be whole minutes (e.g. 1m, 5m, 1h)`);
  }
  const storage = text('storage') ?? 's3';
  if (storage !== 's3' && storage !== 'dynamodb') {
    throw new ContextError(`context storage: "${storage}" is not s3 or dynamodb`);
  }
  const rawRegions: unknown = app.node.tryGetContext('regions');
  const regions = (Array.isArray(rawRegions) ? rawRegions.map(String) : (text('regions') ?? '').split(','))
    .map((region) => region.trim())
    .filter(Boolean);
  for (const region of regions) {
    if (!/^[a-z]{2}(-[a-z]+)+-\d$/.test(region))
      throw new ContextError(`context regions: "${region}" is not a region name`);
  }
  const shardSize = integer('shardSize', 1, 10_000);
  // A shard's run is one table item, and DynamoDB's items stop at 400 KB (~280 bytes a result).
  if (storage === 'dynamodb' && shardSize !== undefined && shardSize > MAX_TABLE_SHARD_SIZE) {
    throw new ContextError(
      `context shardSize: ${shardSize} is over ${MAX_TABLE_SHARD_SIZE}, the most one run item holds with storage=dynamodb (DynamoDB items stop at 400 KB)`,
    );
  }
  const stackName = text('stackName') ?? 'Checkup';
  if (!/^[A-Za-z][A-Za-z0-9-]{0,40}$/.test(stackName)) {
    throw new ContextError(
      `context stackName: "${stackName}" must be letters, digits and -, starting with a letter`,
    );
  }
  return {
    stackName,
    schedule,
    storage,
    checkExpiry: duration('checkExpiry', '90d'),
    regions: [...new Set(regions)],
    configParameterName: text('configParameterName') ?? '/checkup/config',
    domainName: text('domainName'),
    certificateArn: text('certificateArn'),
    alarmEmail: text('alarmEmail'),
    pageDir: text('pageDir'),
    endpointMetrics: flag('endpointMetrics', true),
    alertTopicArns: topicArns(text('alertTopicArns')),
    sesIdentities: sesIdentities(text('sesIdentities')),
    secretsKeyArn: keyArn(text('secretsKeyArn')),
    shardSize,
    shardConcurrency: integer('shardConcurrency', 2, 1000),
    pingConcurrency: concurrency(text('pingConcurrency')),
    subscriptions: flag('subscriptions', false),
    subscribeConcurrency: integer('subscribeConcurrency', 1, 100),
  };
}

function concurrency(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 1000)
    throw new ContextError(`context pingConcurrency: "${value}" must be a whole number from 1 to 1000`);
  return n;
}

function keyArn(arn: string | undefined): string | undefined {
  if (arn !== undefined && !/^arn:aws[\w-]*:kms:[\w-]+:\d{12}:key\/[\w-]+$/.test(arn)) {
    throw new ContextError(
      `context secretsKeyArn: "${arn}" is not a KMS key ARN (arn:aws:kms:REGION:ACCOUNT:key/ID)`,
    );
  }
  return arn;
}

function sesIdentities(list: string | undefined): string[] {
  const identities = (list ?? '')
    .split(',')
    .map((identity) => identity.trim())
    .filter(Boolean);
  for (const identity of identities) {
    const arn = /^arn:aws[\w-]*:ses:[\w-]+:\d{12}:identity\/[^\s*/]+$/.test(identity);
    const name = /^([^\s@*,/]+@)?[a-z0-9-]+(\.[a-z0-9-]+)+$/i.test(identity);
    if (!arn && !name)
      throw new ContextError(
        `context sesIdentities: "${identity}" is not an SES identity (a domain, an address or an identity ARN)`,
      );
  }
  return identities;
}

function topicArns(list: string | undefined): string[] {
  const arns = (list ?? '')
    .split(',')
    .map((arn) => arn.trim())
    .filter(Boolean);
  for (const arn of arns) {
    if (!/^arn:aws[\w-]*:sns:[\w-]+:\d{12}:[\w-]+$/.test(arn)) {
      throw new ContextError(`context alertTopicArns: "${arn}" is not an SNS topic ARN`);
    }
  }
  return arns;
}

/**
 * Adds Checkup's stacks to `app`: the home stack (`<stackName>`) and, for every further region,
 * a check stack (`<stackName>-<region>`) writing into the home bucket. cdk-nag's AwsSolutions
 * pack validates every stack at synth.
 */
export function addCheckupStacks(app: App, options: CheckupAppOptions): Stack[] {
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  const [home, ...others] = options.regions;
  if (others.length > 0 && options.storage === 'dynamodb') {
    throw new ContextError(
      'context regions: checks from several regions need storage=s3 (runs are files in one bucket)',
    );
  }
  const env = (region: string | undefined): StackProps['env'] => (region ? { region } : undefined);
  const homeStack = new Stack(app, options.stackName, {
    env: env(home),
    description: 'Checkup: health checks, results, alerts and status page',
  });
  // Other regions must know the bucket before it exists: name it from the account and region.
  const bucketName =
    others.length > 0 ? `${options.stackName.toLowerCase()}-results-${Aws.ACCOUNT_ID}-${home}` : undefined;
  const props: CheckupProps = {
    schedule: options.schedule,
    storage: options.storage,
    checkExpiry: options.checkExpiry,
    configParameterName: options.configParameterName,
    domainName: options.domainName,
    certificateArn: options.certificateArn,
    alarmEmail: options.alarmEmail,
    pageDir: options.pageDir,
    resultsBucketName: bucketName,
    endpointMetrics: options.endpointMetrics,
    alertTopicArns: options.alertTopicArns,
    sesIdentities: options.sesIdentities,
    secretsKeyArn: options.secretsKeyArn,
    shardSize: options.shardSize,
    shardConcurrency: options.shardConcurrency,
    pingConcurrency: options.pingConcurrency,
    subscriptions: options.subscriptions,
    subscribeConcurrency: options.subscribeConcurrency,
  };
  new Checkup(homeStack, 'Checkup', props);
  const stacks = [homeStack];
  for (const region of others) {
    const stack = new Stack(app, `${options.stackName}-${region}`, {
      env: { region },
      description: `Checkup: checks from ${region}, stored in ${home}`,
    });
    new CheckupRegionalChecks(stack, 'Checkup', {
      homeRegion: home as string,
      resultsBucketName: bucketName as string,
      configParameterName: options.configParameterName,
      schedule: options.schedule,
      alarmEmail: options.alarmEmail,
      endpointMetrics: options.endpointMetrics,
      shardSize: options.shardSize,
      shardConcurrency: options.shardConcurrency,
      // The home stack's check function writes the page settings (with the subscribe URL).
      publishPageSettings: false,
    });
    stacks.push(stack);
  }
  return stacks;
}
