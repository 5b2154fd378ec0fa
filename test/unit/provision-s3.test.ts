import {
  CreateBucketCommand,
  GetBucketPolicyCommand,
  GetPublicAccessBlockCommand,
  HeadBucketCommand,
  PutBucketPolicyCommand,
  PutPublicAccessBlockCommand,
  S3Client,
  S3ServiceException,
} from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { provisionS3, sslOnlyPolicy } from '../../adapters/storage/provision-s3.js';

// S3's answers that no emulator here gives (s3rver implements neither the public access block
// nor bucket policies): a mock of the client, for the branches of an existing bucket.
const s3 = mockClient(S3Client);
afterEach(() => s3.reset());

const config = {
  type: 's3' as const,
  bucket: 'results',
  region: 'eu-west-1',
  access_key_id: 'AKIDEXAMPLE',
  secret_access_key: 'secret',
};

function awsError(name: string, status: number): S3ServiceException {
  return new S3ServiceException({
    name,
    $fault: 'client',
    $metadata: { httpStatusCode: status },
    message: name,
  });
}

describe('provisionS3 against S3 answers', () => {
  it('creates the bucket in the configured region, then blocks public access and sets the SSL-only policy', async () => {
    s3.on(HeadBucketCommand).rejects(awsError('NotFound', 404));
    const report = await provisionS3(config);
    expect(s3.commandCalls(CreateBucketCommand)[0]?.args[0].input).toEqual({
      Bucket: 'results',
      CreateBucketConfiguration: { LocationConstraint: 'eu-west-1' },
    });
    expect(s3.commandCalls(PutPublicAccessBlockCommand)).toHaveLength(1);
    expect(s3.commandCalls(PutBucketPolicyCommand)[0]?.args[0].input.Policy).toBe(sslOnlyPolicy('results'));
    expect(report.done).toEqual([
      'created the bucket results',
      'blocked all public access to results',
      'set a bucket policy refusing requests without SSL on results',
    ]);
    expect(report.notices).toEqual([]);
  });

  it('sends no location constraint in us-east-1, which refuses one', async () => {
    s3.on(HeadBucketCommand).rejects(awsError('NotFound', 404));
    await provisionS3({ ...config, region: 'us-east-1' });
    expect(s3.commandCalls(CreateBucketCommand)[0]?.args[0].input).toEqual({ Bucket: 'results' });
  });

  it('leaves an existing private, SSL-only bucket as it is', async () => {
    s3.on(GetPublicAccessBlockCommand).resolves({
      PublicAccessBlockConfiguration: {
        BlockPublicAcls: true,
        IgnorePublicAcls: true,
        BlockPublicPolicy: true,
        RestrictPublicBuckets: true,
      },
    });
    s3.on(GetBucketPolicyCommand).resolves({ Policy: sslOnlyPolicy('results') });
    const report = await provisionS3(config);
    expect(report.done).toEqual([
      'the bucket results already exists',
      'results already blocks all public access',
      'results already refuses requests without SSL',
    ]);
    expect(s3.commandCalls(CreateBucketCommand)).toEqual([]);
    expect(s3.commandCalls(PutPublicAccessBlockCommand)).toEqual([]);
    expect(s3.commandCalls(PutBucketPolicyCommand)).toEqual([]);
  });

  it('adds only what an existing bucket lacks, and reports a weaker setting instead of changing it', async () => {
    s3.on(GetPublicAccessBlockCommand).resolves({
      PublicAccessBlockConfiguration: { BlockPublicAcls: true, IgnorePublicAcls: false },
    });
    s3.on(GetBucketPolicyCommand).rejects(awsError('NoSuchBucketPolicy', 404));
    const report = await provisionS3(config);
    expect(s3.commandCalls(PutPublicAccessBlockCommand)).toEqual([]);
    expect(s3.commandCalls(PutBucketPolicyCommand)).toHaveLength(1);
    expect(report.notices).toEqual([
      'results does not block all public access; left as it is (the page needs none)',
    ]);
  });

  it('reports an existing policy without an SSL rule, and keeps it', async () => {
    s3.on(GetPublicAccessBlockCommand).rejects(awsError('NoSuchPublicAccessBlockConfiguration', 404));
    s3.on(GetBucketPolicyCommand).resolves({ Policy: '{"Statement":[]}' });
    const report = await provisionS3(config);
    expect(s3.commandCalls(PutPublicAccessBlockCommand)).toHaveLength(1);
    expect(s3.commandCalls(PutBucketPolicyCommand)).toEqual([]);
    expect(report.notices).toEqual([
      'results has a bucket policy of its own without an SSL-only rule; left as it is',
    ]);
  });

  it.each([
    [awsError('Forbidden', 403), undefined, 'exists but these credentials cannot use it (403)'],
    [awsError('NotFound', 404), awsError('BucketAlreadyExists', 409), 'the bucket name results is taken'],
  ])('explains a bucket that belongs to someone else (%s)', async (head, create, message) => {
    s3.on(HeadBucketCommand).rejects(head);
    if (create) s3.on(CreateBucketCommand).rejects(create);
    await expect(provisionS3(config)).rejects.toThrow(message);
  });
});
