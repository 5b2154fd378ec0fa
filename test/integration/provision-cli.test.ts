import { readdir, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { CreateTableCommand, DescribeTableCommand } from '@aws-sdk/client-dynamodb';
import { HeadBucketCommand } from '@aws-sdk/client-s3';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { DYNALITE_CREDENTIALS, type RunningDynalite, startDynalite } from '../helpers/dynalite.js';
import { type RecordingProxy, startRecordingProxy } from '../helpers/recording-proxy.js';
import { runCli } from '../helpers/run-cli.js';
import { type RunningS3rver, S3RVER_CREDENTIALS, startS3rver } from '../helpers/s3rver.js';
import { makeProject, removeTempDirs } from '../helpers/temp-dir.js';

let s3rver: RunningS3rver;
let s3Proxy: RecordingProxy;
let dynalite: RunningDynalite;
let dynamoProxy: RecordingProxy;
const savedEnv = { id: process.env.AWS_ACCESS_KEY_ID, secret: process.env.AWS_SECRET_ACCESS_KEY };

beforeAll(async () => {
  [s3rver, dynalite] = await Promise.all([startS3rver([]), startDynalite()]);
  [s3Proxy, dynamoProxy] = await Promise.all([
    startRecordingProxy(s3rver.endpoint),
    startRecordingProxy(dynalite.endpoint),
  ]);
  // The CLI finds DynamoDB credentials in the environment, as in AWS.
  process.env.AWS_ACCESS_KEY_ID = DYNALITE_CREDENTIALS.accessKeyId;
  process.env.AWS_SECRET_ACCESS_KEY = DYNALITE_CREDENTIALS.secretAccessKey;
});
afterAll(async () => {
  for (const [key, value] of [
    ['AWS_ACCESS_KEY_ID', savedEnv.id],
    ['AWS_SECRET_ACCESS_KEY', savedEnv.secret],
  ] as const) {
    if (value === undefined) delete process.env[key];
    else process.env[key] = value;
  }
  await Promise.all([s3Proxy.close(), dynamoProxy.close()]);
  await Promise.all([s3rver.close(), dynalite.close()]);
});
afterEach(removeTempDirs);

describe('checkup provision', () => {
  it('creates the fs folder, and says it already exists the second time', async () => {
    const cwd = await makeProject({ checkers: [], storage: { type: 'fs', dir: 'data/runs' } });
    const first = await runCli(['provision'], cwd);
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    expect(first.stdout).toContain('created the folder data/runs');
    expect((await stat(path.join(cwd, 'data/runs'))).isDirectory()).toBe(true);
    const second = await runCli(['provision'], cwd);
    expect(second.code).toBe(0);
    expect(second.stdout).toContain('the folder data/runs already exists');
    expect(await readdir(path.join(cwd, 'data/runs'))).toEqual([]);
  });

  it('provisions ./checks when the config names no storage', async () => {
    const cwd = await makeProject({ checkers: [] });
    const { code, stdout } = await runCli(['provision'], cwd);
    expect(code).toBe(0);
    expect(stdout).toContain('created the folder checks');
  });

  it('fails (exit 1) naming the path when the fs dir is a file', async () => {
    const cwd = await makeProject({ checkers: [], storage: { type: 'fs', dir: 'taken' } });
    await writeFile(path.join(cwd, 'taken'), 'not a folder');
    const { code, stderr } = await runCli(['provision'], cwd);
    expect(code).toBe(1);
    expect(stderr).toContain('storage.dir: taken exists and is not a folder');
  });

  it('creates a private S3 bucket (public access blocked, SSL-only policy) once', async () => {
    const bucket = 'checkup-provisioned';
    const cwd = await makeProject({
      checkers: [],
      storage: {
        type: 's3',
        bucket,
        region: 'us-east-1',
        endpoint: s3Proxy.url,
        force_path_style: true,
        access_key_id: S3RVER_CREDENTIALS.accessKeyId,
        secret_access_key: S3RVER_CREDENTIALS.secretAccessKey,
      },
    });
    s3Proxy.requests.length = 0;
    const first = await runCli(['provision'], cwd);
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    expect(first.stdout).toContain(`created the bucket ${bucket}`);
    await s3rver.client().send(new HeadBucketCommand({ Bucket: bucket }));
    // s3rver implements neither call; the requests were made, and the user is told.
    const block = s3Proxy.requests.find((r) => r.method === 'PUT' && r.url.includes('publicAccessBlock'));
    expect(block?.body).toMatch(/<BlockPublicAcls>true<\/BlockPublicAcls>/);
    for (const setting of ['IgnorePublicAcls', 'BlockPublicPolicy', 'RestrictPublicBuckets'])
      expect(block?.body).toContain(`<${setting}>true</${setting}>`);
    const policy = s3Proxy.requests.find((r) => r.method === 'PUT' && r.url.includes('policy'));
    expect(JSON.parse(policy?.body ?? '{}')).toMatchObject({
      Statement: [
        {
          Effect: 'Deny',
          Principal: '*',
          Resource: [`arn:aws:s3:::${bucket}`, `arn:aws:s3:::${bucket}/*`],
          Condition: { Bool: { 'aws:SecureTransport': 'false' } },
        },
      ],
    });
    expect(first.stdout).toContain('notice: this S3 endpoint does not implement PutPublicAccessBlock');
    expect(first.stdout).toContain('notice: this S3 endpoint does not implement PutBucketPolicy');
    expect(first.stdout).toMatch(/status page reads it through "checkup serve"/);

    const second = await runCli(['provision'], cwd);
    expect(second.code).toBe(0);
    expect(second.stdout).toContain(`the bucket ${bucket} already exists`);
    expect(second.stdout).not.toContain('created');
  });

  it('creates the DynamoDB table with checkup keys and asks for TTL on expires, once', async () => {
    const table = 'checkup-provisioned';
    const cwd = await makeProject({
      checkers: [],
      storage: { type: 'dynamodb', table, region: 'us-east-1', endpoint: dynamoProxy.url },
    });
    dynamoProxy.requests.length = 0;
    const first = await runCli(['provision'], cwd);
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    expect(first.stdout).toContain(`created the table ${table}`);
    const described = await dynalite.client().send(new DescribeTableCommand({ TableName: table }));
    expect(described.Table?.KeySchema).toEqual([
      { AttributeName: 'pk', KeyType: 'HASH' },
      { AttributeName: 'sk', KeyType: 'RANGE' },
    ]);
    expect(described.Table?.BillingModeSummary?.BillingMode).toBe('PAY_PER_REQUEST');
    // dynalite has no TTL API: the request was made, refused, and the user is told.
    const ttl = dynamoProxy.requests.find((r) => r.target === 'DynamoDB_20120810.UpdateTimeToLive');
    expect(JSON.parse(ttl?.body ?? '{}')).toEqual({
      TableName: table,
      TimeToLiveSpecification: { AttributeName: 'expires', Enabled: true },
    });
    expect(ttl?.status).toBe(400);
    expect(first.stdout).toContain('notice: this DynamoDB endpoint has no TTL API');

    const second = await runCli(['provision'], cwd);
    expect(second.code).toBe(0);
    expect(second.stdout).toContain(`the table ${table} already exists`);
    expect(second.stdout).not.toContain('created');
  });

  it("refuses a table whose keys are not checkup's, naming them (exit 1)", async () => {
    const table = 'checkup-other-keys';
    await dynalite.client().send(
      new CreateTableCommand({
        TableName: table,
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
        KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
      }),
    );
    const cwd = await makeProject({
      checkers: [],
      storage: { type: 'dynamodb', table, region: 'us-east-1', endpoint: dynalite.endpoint },
    });
    const { code, stderr } = await runCli(['provision'], cwd);
    expect(code).toBe(1);
    expect(stderr).toContain(
      `the table ${table} exists with keys id:HASH:S; checkup needs pk:HASH:S, sk:RANGE:S`,
    );
  });

  it('treats arguments as a usage error (exit 2)', async () => {
    const cwd = await makeProject({ checkers: [] });
    const { code, stderr } = await runCli(['provision', 's3'], cwd);
    expect(code).toBe(2);
    expect(stderr).toContain('provision takes no arguments');
  });
});
