import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  DYNAMODB_ALERT_STATE_KEY,
  S3_ALERT_STATE_KEY,
} from '../../../adapters/alerts/alert-state-store-from-config.js';
import { DynamoDbAlertStateStore } from '../../../adapters/alerts/dynamodb-alert-state-store.js';
import { S3AlertStateStore } from '../../../adapters/alerts/s3-alert-state-store.js';
import type { AlertStateStore } from '../../../core/alerts/alert-state-store.js';
import { type RunningDynalite, startDynalite } from '../../helpers/dynalite.js';
import { type RecordingServer, startRecordingServer } from '../../helpers/recording-server.js';
import { runCli } from '../../helpers/run-cli.js';
import { startS3ConditionalProxy } from '../../helpers/s3-conditional-proxy.js';
import { type RunningS3rver, S3RVER_CREDENTIALS, startS3rver } from '../../helpers/s3rver.js';
import { type RunningServer, startHttpServer } from '../../helpers/servers.js';
import { makeProject, removeTempDirs } from '../../helpers/temp-dir.js';

const BUCKET = 'checkup-alerts-cli';
let s3rver: RunningS3rver;
let proxy: RunningServer;
let dynalite: RunningDynalite;
let site: RunningServer;
let hook: RecordingServer;
let up = false;

beforeAll(async () => {
  s3rver = await startS3rver([BUCKET]);
  proxy = await startS3ConditionalProxy(s3rver.endpoint);
  dynalite = await startDynalite();
  site = await startHttpServer((_request, response) => {
    response.writeHead(up ? 200 : 503);
    response.end();
  });
  // The CLI finds DynamoDB credentials in the environment, as in AWS.
  process.env.AWS_ACCESS_KEY_ID = 'dynalite';
  process.env.AWS_SECRET_ACCESS_KEY = 'dynalite';
});
afterAll(async () => {
  await Promise.all([proxy.close(), site.close()]);
  await Promise.all([s3rver.close(), dynalite.close()]);
});
afterEach(async () => {
  await hook.close();
  await removeTempDirs();
});

describe('checkup --store with notifiers, state kept in AWS storage', () => {
  it.each([
    {
      type: 's3',
      storage: () => ({
        type: 's3',
        bucket: BUCKET,
        region: 'us-east-1',
        endpoint: proxy.url,
        force_path_style: true,
        access_key_id: S3RVER_CREDENTIALS.accessKeyId,
        secret_access_key: S3RVER_CREDENTIALS.secretAccessKey,
      }),
      store: (): AlertStateStore =>
        new S3AlertStateStore({
          client: s3rver.client({ endpoint: proxy.url }),
          bucket: BUCKET,
          key: S3_ALERT_STATE_KEY,
        }),
    },
    {
      type: 'dynamodb',
      storage: () => ({
        type: 'dynamodb',
        table: 'checkup-cli',
        region: 'us-east-1',
        endpoint: dynalite.endpoint,
      }),
      store: (): AlertStateStore =>
        new DynamoDbAlertStateStore({
          client: dynalite.client(),
          table: 'checkup-cli',
          key: DYNAMODB_ALERT_STATE_KEY,
        }),
    },
  ])('alerts once on down and once on recovery with $type storage', async ({ type, storage, store }) => {
    if (type === 'dynamodb') await dynalite.createTable('checkup-cli');
    hook = await startRecordingServer();
    up = false;
    const cwd = await makeProject({
      checkers: [{ type: 'http', endpoint_name: 'Shop', endpoint_url: site.url }],
      storage: storage(),
      notifiers: [{ type: 'webhook', url: hook.url }],
    });
    expect((await runCli(['--store'], cwd)).code).toBe(1);
    expect((await runCli(['--store'], cwd)).code).toBe(1);
    up = true;
    const recovered = await runCli(['--store'], cwd);
    expect(recovered.code).toBe(0);
    expect(hook.requests.map((request) => (request.json as { type: string }).type)).toEqual([
      'checkup.down',
      'checkup.recovered',
    ]);
    const { state } = await store().load();
    expect(state.endpoints.Shop).toMatchObject({ status: 'healthy', count: 1 });
    expect(state.outbox).toEqual([]);
  });
});
