// The check function with storage=dynamodb: runs go to the table (dynalite) for history queries,
// and the run file and the summary are mirrored into the bucket (s3rver) for the page and notify.
import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { GetParameterCommand, GetParametersByPathCommand, SSMClient } from '@aws-sdk/client-ssm';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamodbStorage } from '../../adapters/storage/dynamodb-storage.js';
import { type RunningDynalite, startDynalite } from '../helpers/dynalite.js';
import { type S3rverHandle, startS3rverWithEvents } from '../helpers/s3rver-with-events.js';
import { type RunningServer, startHttpServer } from '../helpers/servers.js';
import { makeTempDir, removeTempDirs } from '../helpers/temp-dir.js';
import { captureStdout, lambdaContext, scheduledEvent } from './lambda-context.js';

const BUCKET = 'checkup-results';
const ssm = mockClient(SSMClient);
let s3rver: S3rverHandle;
let dynalite: RunningDynalite;
let site: RunningServer;
let stdout: ReturnType<typeof captureStdout>;

beforeAll(async () => {
  s3rver = await startS3rverWithEvents(await makeTempDir(), [BUCKET]);
  dynalite = await startDynalite();
  await dynalite.createTable('runs');
  site = await startHttpServer((_request, response) => response.end('ok'));
  Object.assign(process.env, {
    AWS_REGION: 'eu-west-1',
    AWS_ACCESS_KEY_ID: 'S3RVER',
    AWS_SECRET_ACCESS_KEY: 'S3RVER',
    CHECKUP_STORAGE: 'dynamodb',
    CHECKUP_TABLE: 'runs',
    CHECKUP_DYNAMODB_ENDPOINT: dynalite.endpoint,
    CHECKUP_BUCKET: BUCKET,
    CHECKUP_BUCKET_REGION: 'us-east-1',
    CHECKUP_S3_ENDPOINT: s3rver.endpoint,
    CHECKUP_RUN_PREFIX: 'checks/',
    CHECKUP_SUMMARY_KEY: 'summaries/summary.json',
    CHECKUP_LAST_VALID_CONFIG_KEY: 'config/last-valid.json',
    CHECKUP_CONFIG_PARAMETER: '/checkup/config',
    CHECKUP_CONFIG_REGION: 'eu-west-1',
  });
  ssm.on(GetParameterCommand).resolves({
    Parameter: {
      Value: JSON.stringify({ checkers: [{ type: 'http', endpoint_name: 'Site', endpoint_url: site.url }] }),
    },
  });
  ssm.on(GetParametersByPathCommand).resolves({ Parameters: [] });
  stdout = captureStdout();
}, 60_000);

afterAll(async () => {
  stdout?.restore();
  await site?.close();
  await dynalite?.close();
  await s3rver?.stop();
  await removeTempDirs();
  ssm.restore();
});

describe('check function with DynamoDB storage', () => {
  it('stores the run in the table and mirrors the run file and the summary into the bucket', async () => {
    const { handler } = await import('../../functions/check-handler.js');
    const outcome = await handler(scheduledEvent(), lambdaContext('check'));

    const table = new DynamodbStorage({ client: dynalite.client(), table: 'runs' });
    expect((await table.list()).map((run) => run.name)).toEqual([outcome.run]);
    expect((await table.history('Site')).map((result) => result.region)).toEqual(['eu-west-1']);

    const s3 = new S3Client({ region: 'us-east-1', endpoint: s3rver.endpoint, forcePathStyle: true });
    const read = async (key: string) =>
      JSON.parse(
        (await (
          await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: key }))
        ).Body?.transformToString()) ?? '',
      );
    expect((await read(`checks/${outcome.run}`))[0]).toMatchObject({ title: 'Site', healthy: true });
    expect((await read('summaries/summary.json')).recentRuns).toEqual([outcome.run]);
    // The mirrored run file is what fires the notify function.
    await s3rver.waitForEvent((event) => event.Records[0]?.s3.object.key === `checks/${outcome.run}`);
  });
});
