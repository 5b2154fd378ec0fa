import {
  CreateBucketCommand,
  type CreateBucketCommandInput,
  GetBucketPolicyCommand,
  GetPublicAccessBlockCommand,
  HeadBucketCommand,
  PutBucketPolicyCommand,
  PutPublicAccessBlockCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import type { S3StorageConfig } from '../../core/config/storage-schemas.js';
import type { ProvisionReport } from './provision-report.js';
import { s3ClientConfig } from './s3-client-config.js';

/** The bucket policy that refuses any request not made over TLS, as the CDK stack's enforceSSL. */
export function sslOnlyPolicy(bucket: string): string {
  return JSON.stringify({
    Version: '2012-10-17',
    Statement: [
      {
        Sid: 'DenyInsecureTransport',
        Effect: 'Deny',
        Principal: '*',
        Action: 's3:*',
        Resource: [`arn:aws:s3:::${bucket}`, `arn:aws:s3:::${bucket}/*`],
        Condition: { Bool: { 'aws:SecureTransport': 'false' } },
      },
    ],
  });
}

const BLOCK_ALL = {
  BlockPublicAcls: true,
  IgnorePublicAcls: true,
  BlockPublicPolicy: true,
  RestrictPublicBuckets: true,
};

/**
 * The results bucket, private: created if missing, with every public access blocked and an
 * SSL-only policy. A bucket that exists keeps its settings; only a missing public access block
 * or a missing policy is added, and anything weaker is reported rather than changed.
 */
export async function provisionS3(config: S3StorageConfig): Promise<ProvisionReport> {
  const client = new S3Client(s3ClientConfig(config));
  const report: ProvisionReport = { done: [], notices: [], next: [] };
  const Bucket = config.bucket;
  try {
    const existed = await bucketExists(client, Bucket);
    if (existed) report.done.push(`the bucket ${Bucket} already exists`);
    else {
      await createBucket(client, Bucket, await client.config.region());
      report.done.push(`created the bucket ${Bucket}`);
    }

    const block = existed ? await readPublicAccessBlock(client, Bucket, report) : 'missing';
    if (block === 'missing') {
      await tolerate(report, 'PutPublicAccessBlock', async () => {
        await client.send(
          new PutPublicAccessBlockCommand({ Bucket, PublicAccessBlockConfiguration: BLOCK_ALL }),
        );
        report.done.push(`blocked all public access to ${Bucket}`);
      });
    } else if (block === 'all') report.done.push(`${Bucket} already blocks all public access`);
    else if (block === 'partial')
      report.notices.push(`${Bucket} does not block all public access; left as it is (the page needs none)`);

    const policy = existed ? await readPolicy(client, Bucket, report) : { state: 'missing' as const };
    if (policy.state === 'missing') {
      await tolerate(report, 'PutBucketPolicy', async () => {
        await client.send(new PutBucketPolicyCommand({ Bucket, Policy: sslOnlyPolicy(Bucket) }));
        report.done.push(`set a bucket policy refusing requests without SSL on ${Bucket}`);
      });
    } else if (policy.state === 'found' && policy.text.includes('aws:SecureTransport'))
      report.done.push(`${Bucket} already refuses requests without SSL`);
    else if (policy.state === 'found')
      report.notices.push(`${Bucket} has a bucket policy of its own without an SSL-only rule; left as it is`);
  } finally {
    client.destroy();
  }
  report.next.push(
    `The bucket stays private: the status page reads it through "checkup serve" (run where AWS credentials can read ${Bucket}) or through CloudFront from the CDK deployment (docs/deploy-aws.md).`,
  );
  return report;
}

async function bucketExists(client: S3Client, Bucket: string): Promise<boolean> {
  try {
    await client.send(new HeadBucketCommand({ Bucket }));
    return true;
  } catch (error) {
    const status = httpStatus(error);
    if (status === 404) return false;
    if (status === 403)
      throw new Error(
        `the bucket ${Bucket} exists but these credentials cannot use it (403): another account's?`,
        {
          cause: error,
        },
      );
    throw error;
  }
}

async function createBucket(client: S3Client, Bucket: string, region: string | undefined): Promise<void> {
  const input: CreateBucketCommandInput = { Bucket };
  // us-east-1 is the one region that refuses a location constraint naming it.
  if (region && region !== 'us-east-1')
    input.CreateBucketConfiguration = { LocationConstraint: region as never };
  try {
    await client.send(new CreateBucketCommand(input));
  } catch (error) {
    if (errorName(error) === 'BucketAlreadyExists')
      throw new Error(`the bucket name ${Bucket} is taken (bucket names are global): choose another`, {
        cause: error,
      });
    if (errorName(error) !== 'BucketAlreadyOwnedByYou') throw error;
  }
}

async function readPublicAccessBlock(
  client: S3Client,
  Bucket: string,
  report: ProvisionReport,
): Promise<'all' | 'partial' | 'missing' | 'unknown'> {
  try {
    const answer = await client.send(new GetPublicAccessBlockCommand({ Bucket }));
    const settings = answer.PublicAccessBlockConfiguration ?? {};
    return Object.keys(BLOCK_ALL).every((key) => settings[key as keyof typeof BLOCK_ALL] === true)
      ? 'all'
      : 'partial';
  } catch (error) {
    if (errorName(error) === 'NoSuchPublicAccessBlockConfiguration') return 'missing';
    if (!unsupported(error)) throw error;
    report.notices.push(unsupportedNotice('GetPublicAccessBlock'));
    return 'unknown';
  }
}

type PolicyState = { state: 'missing' | 'unknown' } | { state: 'found'; text: string };

/** The bucket's policy document, or that it has none, or that the endpoint cannot say. */
async function readPolicy(client: S3Client, Bucket: string, report: ProvisionReport): Promise<PolicyState> {
  try {
    return { state: 'found', text: (await client.send(new GetBucketPolicyCommand({ Bucket }))).Policy ?? '' };
  } catch (error) {
    if (errorName(error) === 'NoSuchBucketPolicy') return { state: 'missing' };
    if (!unsupported(error)) throw error;
    report.notices.push(unsupportedNotice('GetBucketPolicy'));
    return { state: 'unknown' };
  }
}

/** Runs `step`; an S3-compatible store or emulator lacking the API gets a notice, not a failure. */
async function tolerate(
  report: ProvisionReport,
  operation: string,
  step: () => Promise<void>,
): Promise<void> {
  try {
    await step();
  } catch (error) {
    if (!unsupported(error)) throw error;
    report.notices.push(unsupportedNotice(operation));
  }
}

function unsupportedNotice(operation: string): string {
  return `this S3 endpoint does not implement ${operation} (an emulator or S3-compatible store?): set it up there by hand if it can be`;
}

/** Not implemented (501) or not allowed (405): the endpoint lacks the API, as s3rver does. */
function unsupported(error: unknown): boolean {
  const status = httpStatus(error);
  return status === 501 || status === 405 || errorName(error) === 'NotImplemented';
}

function errorName(error: unknown): string | undefined {
  return error instanceof Error ? error.name : undefined;
}

function httpStatus(error: unknown): number | undefined {
  return (error as { $metadata?: { httpStatusCode?: number } } | undefined)?.$metadata?.httpStatusCode;
}
