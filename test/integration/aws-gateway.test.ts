// The gateway the deployed-function tests run behind: it must refuse what a policy does not allow
// and answer as S3 does where s3rver does not, or those tests would prove nothing.
import {
  BatchWriteItemCommand,
  CreateTableCommand,
  DynamoDBClient,
  ListTablesCommand,
} from '@aws-sdk/client-dynamodb';
import { GetObjectCommand, HeadObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { GetParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { S3AlertStateStore } from '../../adapters/alerts/s3-alert-state-store.js';
import { s3LastValidConfig } from '../../adapters/config/s3-last-valid-config.js';
import { S3Storage } from '../../adapters/storage/s3-storage.js';
import { type AwsGateway, startAwsGateway } from '../helpers/aws-gateway.js';
import { type RunningDynalite, startDynalite } from '../helpers/dynalite.js';
import { IamPolicy } from '../helpers/iam-policy.js';
import { type RunningS3rver, startS3rver } from '../helpers/s3rver.js';

const BUCKET = 'gateway-bucket';
const BUCKET_ARN = `arn:aws:s3:::${BUCKET}`;
let s3rver: RunningS3rver;
let dynalite: RunningDynalite;
let gateway: AwsGateway;
const clients: Array<{ destroy(): void }> = [];

/** An S3 client signing as `keyId`, through the gateway. */
function s3As(keyId: string): S3Client {
  const client = new S3Client({
    endpoint: gateway.endpoint,
    forcePathStyle: true,
    region: 'eu-west-1',
    credentials: { accessKeyId: keyId, secretAccessKey: 'not-a-secret' },
    maxAttempts: 1,
  });
  clients.push(client);
  return client;
}

async function status(promise: Promise<unknown>): Promise<{ status?: number; name?: string }> {
  try {
    await promise;
    return { status: 200 };
  } catch (error) {
    return {
      status: (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode,
      name: (error as Error).name,
    };
  }
}

beforeAll(async () => {
  s3rver = await startS3rver([BUCKET]);
  dynalite = await startDynalite();
  gateway = await startAwsGateway({
    s3: s3rver.endpoint,
    dynamodb: dynalite.endpoint,
    ssm: new Map([['/app/config', { value: '{"checkers":[]}', tier: 'Standard' }]]),
    region: 'eu-west-1',
    account: '123456789012',
  });
  const readWrite = {
    Effect: 'Allow' as const,
    Action: ['s3:GetObject', 's3:PutObject'],
    Resource: `${BUCKET_ARN}/*`,
  };
  gateway.addPrincipal('READER', 'reader', new IamPolicy([readWrite]));
  gateway.addPrincipal(
    'PREFIX_LISTER',
    'prefix lister',
    new IamPolicy([
      readWrite,
      {
        Effect: 'Allow',
        Action: 's3:ListBucket',
        Resource: BUCKET_ARN,
        Condition: { StringLike: { 's3:prefix': ['checks/*'] } },
      },
    ]),
  );
  gateway.addPrincipal(
    'LISTER',
    'lister',
    new IamPolicy([
      readWrite,
      { Effect: 'Allow', Action: 's3:ListBucket', Resource: BUCKET_ARN },
      {
        Effect: 'Allow',
        Action: 'ssm:GetParameter',
        Resource: 'arn:aws:ssm:eu-west-1:123456789012:parameter/app/*',
      },
    ]),
  );
});

afterAll(async () => {
  for (const client of clients) client.destroy();
  await gateway?.close();
  await dynalite?.close();
  await s3rver?.close();
});

describe('the AWS gateway', () => {
  it('answers 403 AccessDenied to an action the policy does not allow, and records it by action and resource', async () => {
    gateway.denied.length = 0;
    const denied = await status(
      s3As('READER').send(new GetObjectCommand({ Bucket: 'other-bucket', Key: 'a' })),
    );
    expect(denied).toEqual({ status: 403, name: 'AccessDenied' });
    expect(gateway.denied).toEqual([
      'reader: s3:GetObject on arn:aws:s3:::other-bucket/a (GetObject) is not allowed',
    ]);
    gateway.denied.length = 0;
  });

  it('answers a DynamoDB or SSM request the policy does not allow with AccessDeniedException', async () => {
    const dynamodb = new DynamoDBClient({
      endpoint: gateway.endpoint,
      region: 'eu-west-1',
      credentials: { accessKeyId: 'READER', secretAccessKey: 'x' },
      maxAttempts: 1,
    });
    const ssm = new SSMClient({
      endpoint: gateway.endpoint,
      region: 'eu-west-1',
      credentials: { accessKeyId: 'READER', secretAccessKey: 'x' },
      maxAttempts: 1,
    });
    clients.push(dynamodb, ssm);
    expect((await status(dynamodb.send(new ListTablesCommand({})))).name).toBe('AccessDeniedException');
    expect(
      (
        await status(
          dynamodb.send(new CreateTableCommand({ TableName: 't', AttributeDefinitions: [], KeySchema: [] })),
        )
      ).name,
    ).toBe('AccessDeniedException');
    expect((await status(ssm.send(new GetParameterCommand({ Name: '/app/config' })))).name).toBe(
      'AccessDeniedException',
    );
    expect(gateway.denied).toEqual([
      'reader: dynamodb:ListTables on arn:aws:dynamodb:eu-west-1:123456789012:table/ (ListTables) is not allowed',
      'reader: dynamodb:CreateTable on arn:aws:dynamodb:eu-west-1:123456789012:table/t (CreateTable) is not allowed',
      'reader: ssm:GetParameter on arn:aws:ssm:eu-west-1:123456789012:parameter/app/config (GetParameter) is not allowed',
    ]);
    gateway.denied.length = 0;
    const allowed = new SSMClient({
      endpoint: gateway.endpoint,
      region: 'eu-west-1',
      credentials: { accessKeyId: 'LISTER', secretAccessKey: 'x' },
    });
    clients.push(allowed);
    const answer = await allowed.send(new GetParameterCommand({ Name: '/app/config' }));
    expect(answer.Parameter?.Value).toBe('{"checkers":[]}');
  });

  it("evaluates a batch write's dynamodb:LeadingKeys over every item, as IAM does", async () => {
    await dynalite.createTable('batch-table');
    gateway.addPrincipal(
      'BATCHER',
      'batcher',
      new IamPolicy([
        {
          Effect: 'Allow',
          Action: 'dynamodb:BatchWriteItem',
          Resource: 'arn:aws:dynamodb:eu-west-1:123456789012:table/batch-table',
          Condition: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['EP#*'] } },
        },
      ]),
    );
    const dynamodb = new DynamoDBClient({
      endpoint: gateway.endpoint,
      region: 'eu-west-1',
      credentials: { accessKeyId: 'BATCHER', secretAccessKey: 'x' },
      maxAttempts: 1,
    });
    clients.push(dynamodb);
    const put = (pk: string) => ({ PutRequest: { Item: { pk: { S: pk }, sk: { S: '1' } } } });
    const write = (pks: string[]) =>
      status(dynamodb.send(new BatchWriteItemCommand({ RequestItems: { 'batch-table': pks.map(put) } })));
    gateway.denied.length = 0;
    expect(await write(['EP#a', 'EP#b'])).toEqual({ status: 200 });
    expect((await write(['EP#a', 'SUMMARY'])).name).toBe('AccessDeniedException');
    expect(gateway.denied).toHaveLength(1);
    gateway.denied.length = 0;
  });

  it('answers a missing key with 403 to a caller without s3:ListBucket (or with one conditioned on a prefix), 404 with it', async () => {
    const missing = { Bucket: BUCKET, Key: 'summaries/summary.json' };
    expect(await status(s3As('READER').send(new GetObjectCommand(missing)))).toEqual({
      status: 403,
      name: 'AccessDenied',
    });
    expect(await status(s3As('PREFIX_LISTER').send(new GetObjectCommand(missing)))).toEqual({
      status: 403,
      name: 'AccessDenied',
    });
    expect((await status(s3As('READER').send(new HeadObjectCommand(missing)))).status).toBe(403);
    expect(await status(s3As('LISTER').send(new GetObjectCommand(missing)))).toEqual({
      status: 404,
      name: 'NoSuchKey',
    });
    expect((await status(s3As('LISTER').send(new HeadObjectCommand(missing)))).status).toBe(404);
    expect(gateway.denied).toEqual([]);
  });

  it('refuses If-None-Match: * on an existing key with 412, and If-Match on a deleted one with 404 NoSuchKey', async () => {
    const client = s3As('LISTER');
    const put = (key: string, condition: { IfNoneMatch?: string; IfMatch?: string }) =>
      status(client.send(new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: 'x', ...condition })));
    expect(await put('state/a.json', { IfNoneMatch: '*' })).toEqual({ status: 200 });
    expect(await put('state/a.json', { IfNoneMatch: '*' })).toEqual({
      status: 412,
      name: 'PreconditionFailed',
    });
    expect(await put('state/a.json', { IfMatch: '"not-the-etag"' })).toEqual({
      status: 412,
      name: 'PreconditionFailed',
    });
    expect(await put('state/gone.json', { IfMatch: '"any"' })).toEqual({ status: 404, name: 'NoSuchKey' });
  });

  it('lets no adapter take a 403 for "absent": the summary, the alert state and the last valid config', async () => {
    const client = s3As('READER');
    await expect(new S3Storage({ client, bucket: BUCKET }).readSummary()).rejects.toMatchObject({
      name: 'AccessDenied',
    });
    await expect(
      new S3AlertStateStore({ client, bucket: BUCKET, key: 'state/none.json' }).load(),
    ).rejects.toMatchObject({
      name: 'AccessDenied',
    });
    await expect(s3LastValidConfig(client, BUCKET, 'config/last-valid.json').load()).rejects.toMatchObject({
      name: 'AccessDenied',
    });
    const lister = s3As('LISTER');
    expect(await new S3Storage({ client: lister, bucket: BUCKET }).readSummary()).toBeUndefined();
    expect(await s3LastValidConfig(lister, BUCKET, 'config/last-valid.json').load()).toBeUndefined();
  });
});
