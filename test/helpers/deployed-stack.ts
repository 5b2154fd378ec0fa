import { S3Client } from '@aws-sdk/client-s3';
import { type AwsGateway, startAwsGateway } from './aws-gateway.js';
import { type DeployedFunction, type RunningLambda, startLambda } from './deployed-function.js';
import { type RunningDynalite, startDynalite } from './dynalite.js';
import type { FakeParameters } from './fake-ssm.js';
import { lambdaEnvironment } from './lambda-environment.js';
import { S3RVER_CREDENTIALS } from './s3rver.js';
import { type S3rverHandle, startS3rverWithEvents } from './s3rver-with-events.js';
import {
  DEPLOYED_ACCOUNT,
  DEPLOYED_REGION,
  type SynthesizedApp,
  type SynthesizedAppOptions,
  synthesizeApp,
} from './synthesized-app.js';
import { makeTempDir } from './temp-dir.js';

export interface DeployedStackOptions {
  /** The app's context (see SynthesizedAppOptions). */
  context: Record<string, string>;
  /** The results bucket's name, created in s3rver. */
  bucket: string;
  /** Other physical names the deployment gives (see SynthesizedAppOptions). */
  names?: SynthesizedAppOptions['names'];
  /** With storage=dynamodb: the runs table's name, created in dynalite. */
  table?: string;
  /** The SES identities the account has verified (the gateway answers SendEmail for them). */
  sesIdentities?: readonly string[];
}

/** A synthesized stack standing on this machine, its functions started one by one with `start`. */
export interface DeployedStack extends SynthesizedApp {
  /** s3rver holding the bucket, emitting S3 events. */
  s3rver: S3rverHandle;
  /** Where s3rver keeps the objects (`<dir>/<bucket>/<key>._S3rver_object`). */
  s3rverDir: string;
  dynalite?: RunningDynalite;
  /** The IAM-enforcing gateway in front of s3rver, dynalite and the SSM stand-in. */
  gateway: AwsGateway;
  /** The SSM stand-in's parameters (set the config before starting the functions that read it). */
  parameters: FakeParameters;
  /** The bucket owner's client, straight to s3rver. */
  owner: S3Client;
  /**
   * Lets `fn` through the gateway as `caller` with its role's policy and starts it as Lambda runs
   * it, its AWS calls signed with `accessKeyId`.
   */
  start(fn: DeployedFunction, accessKeyId: string, caller: string): Promise<RunningLambda>;
  /** Stops the started functions, then the gateway and the emulators. */
  close(): Promise<void>;
}

/** The app synthesized with `context`, behind the gateway, over s3rver (and dynalite, with a table). */
export async function deployedStack(options: DeployedStackOptions): Promise<DeployedStack> {
  const app = await synthesizeApp({
    context: options.context,
    names: [
      ['AWS::S3::Bucket', 'Results', options.bucket],
      ...(options.table ? [['AWS::DynamoDB::Table', 'Results', options.table] as const] : []),
      ...(options.names ?? []),
    ],
    validate: true,
  });
  const s3rverDir = await makeTempDir();
  const s3rver = await startS3rverWithEvents(s3rverDir, [options.bucket]);
  const dynalite = options.table ? await startDynalite() : undefined;
  if (options.table) await dynalite?.createTable(options.table);
  const parameters: FakeParameters = new Map();
  const gateway = await startAwsGateway({
    s3: s3rver.endpoint,
    dynamodb: dynalite?.endpoint,
    ssm: parameters,
    ...(options.sesIdentities ? { sesIdentities: options.sesIdentities } : {}),
    region: DEPLOYED_REGION,
    account: DEPLOYED_ACCOUNT,
  });
  const owner = new S3Client({
    region: DEPLOYED_REGION,
    endpoint: s3rver.endpoint,
    forcePathStyle: true,
    credentials: S3RVER_CREDENTIALS,
  });
  const started: RunningLambda[] = [];
  return {
    ...app,
    s3rver,
    s3rverDir,
    ...(dynalite ? { dynalite } : {}),
    gateway,
    parameters,
    owner,
    async start(fn, accessKeyId, caller) {
      gateway.addPrincipal(accessKeyId, caller, fn.policy);
      const running = await startLambda(fn, lambdaEnvironment(gateway.endpoint, accessKeyId));
      started.push(running);
      return running;
    },
    async close() {
      for (const running of started) await running.stop();
      owner.destroy();
      await gateway.close();
      await dynalite?.close();
      await s3rver.stop();
    },
  };
}
