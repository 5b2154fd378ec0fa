// What ships is what is tested: the app is synthesized (infra/checkup-app.ts), and each function's
// bundled asset runs as Lambda runs it, with the environment the template gives it, against an
// empty bucket, through a gateway that allows only what the function's role allows and answers
// as S3 does (403 for a missing key without s3:ListBucket, conditional writes).
import { utimes } from 'node:fs/promises';
import path from 'node:path';
import { GetItemCommand, ScanCommand } from '@aws-sdk/client-dynamodb';
import { GetObjectCommand, ListObjectsV2Command, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type { S3Event } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { atomEntries, atomProblems } from '../helpers/atom-rfc4287.js';
import { awsCliEnv } from '../helpers/aws-cli-env.js';
import type { AwsGateway } from '../helpers/aws-gateway.js';
import type { DeployedFunction, RunningLambda } from '../helpers/deployed-function.js';
import { type DeployedStack, deployedStack } from '../helpers/deployed-stack.js';
import type { RunningDynalite } from '../helpers/dynalite.js';
import { type RecordingServer, startRecordingServer } from '../helpers/recording-server.js';
import { runCli } from '../helpers/run-cli.js';
import { S3RVER_CREDENTIALS } from '../helpers/s3rver.js';
import type { S3rverHandle } from '../helpers/s3rver-with-events.js';
import { closedPort, type RunningServer, startHttpServer } from '../helpers/servers.js';
import { makeProject, removeTempDirs } from '../helpers/temp-dir.js';
import type { TemplateJson } from '../helpers/template-resolver.js';
import { scheduledEvent } from './lambda-context.js';

const REGION = 'eu-west-1';
const ACCOUNT = '123456789012';
const BUCKET = 'checkup-results-test';
const TABLE = 'checkup-runs-test';

/** Whether the bucket's notification configuration in the template sends `key` to the notify function. */
function notifies(template: TemplateJson, key: string): boolean {
  const config = Object.values(template.Resources).find((r) => r.Type === 'Custom::S3BucketNotifications')
    ?.Properties?.NotificationConfiguration as {
    LambdaFunctionConfigurations: Array<{
      Filter: { Key: { FilterRules: Array<{ Name: string; Value: string }> } };
    }>;
  };
  return config.LambdaFunctionConfigurations.some(({ Filter }) =>
    Filter.Key.FilterRules.every((rule) =>
      rule.Name === 'prefix' ? key.startsWith(rule.Value) : key.endsWith(rule.Value),
    ),
  );
}

describe.each(['s3', 'dynamodb'] as const)(
  'the deployed functions, %s storage, on a fresh stack',
  (storage) => {
    let s3rver: S3rverHandle;
    let s3rverDir: string;
    let dynalite: RunningDynalite | undefined;
    let gateway: AwsGateway;
    let site: RunningServer;
    let webhook: RecordingServer;
    let check: RunningLambda;
    let notify: RunningLambda;
    let template: TemplateJson;
    let owner: S3Client;
    let checkFunction: DeployedFunction;
    let notifyFunction: DeployedFunction;
    let stack: DeployedStack;
    let siteDown = false;

    beforeAll(async () => {
      // The app as `cdk deploy -c storage=<storage>` synthesizes it, cdk-nag included.
      stack = await deployedStack({
        context: { storage, regions: REGION, checkExpiry: '30d', sesIdentities: 'example.com' },
        bucket: BUCKET,
        ...(storage === 'dynamodb' ? { table: TABLE } : {}),
        sesIdentities: ['example.com', 'other.example'],
      });
      ({ template, s3rver, s3rverDir, dynalite, gateway, owner } = stack);
      checkFunction = stack.functionNamed('ChecksCheckFunction');
      notifyFunction = stack.functionNamed('NotifyFunction');
      site = await startHttpServer((_request, response) => {
        response.statusCode = siteDown ? 500 : 200;
        response.end(siteDown ? 'down' : 'ok');
      });
      webhook = await startRecordingServer();
      stack.parameters.set(checkFunction.environment.CHECKUP_CONFIG_PARAMETER as string, {
        tier: 'Standard',
        value: JSON.stringify({
          checkers: [
            { type: 'http', endpoint_name: 'Site', endpoint_url: site.url },
            {
              type: 'tcp',
              endpoint_name: 'Gone',
              endpoint_url: `127.0.0.1:${await closedPort()}`,
              attempts: 1,
            },
          ],
          notifiers: [
            { type: 'webhook', url: `${webhook.url}/hook` },
            { type: 'mail', from: 'Checkup <alerts@example.com>', to: ['ops@example.com'], ses: {} },
          ],
          status_page: { title: 'Fresh stack' },
        }),
      });
      check = await stack.start(checkFunction, 'AKIDCHECK', 'the check function');
      notify = await stack.start(notifyFunction, 'AKIDNOTIFY', 'the notify function');
    }, 300_000);

    afterAll(async () => {
      await stack?.close();
      await site?.close();
      await webhook?.close();
      await removeTempDirs();
    });

    async function keys(): Promise<string[]> {
      const answer = await owner.send(new ListObjectsV2Command({ Bucket: BUCKET }));
      return (answer.Contents ?? []).map((object) => object.Key ?? '').sort();
    }

    async function readJson<T>(key: string): Promise<T> {
      const answer = await owner.send(new GetObjectCommand({ Bucket: BUCKET, Key: key }));
      return JSON.parse((await answer.Body?.transformToString()) ?? '') as T;
    }

    it('stores the first run with its summary, page settings, badges and last valid config', async () => {
      // A writer state no root names, written two hours ago (a racing writer's that lost): the
      // first store sweeps it, listing and deleting under the function's own grants.
      if (storage === 's3') {
        await owner.send(
          new PutObjectCommand({ Bucket: BUCKET, Key: 'summaries/state/0-0rphan.json', Body: '{}' }),
        );
        const then = new Date(Date.now() - 2 * 3_600_000);
        await utimes(
          path.join(s3rverDir, BUCKET, 'summaries/state/0-0rphan.json._S3rver_object'),
          then,
          then,
        );
      }
      const outcome = await check.invoke<{ run: string; results: number; down: number }>(scheduledEvent());
      expect(gateway.denied).toEqual([]);
      expect(outcome).toMatchObject({ results: 2, down: 1 });
      expect(await keys()).toEqual([
        `checks/${outcome.run}`,
        'config/last-valid.json',
        'summaries/badges/Gone.svg',
        'summaries/badges/Site.svg',
        // The statuses the badges show, for the next container.
        'summaries/badges/shown.json',
        'summaries/history/0.json',
        'summaries/overview.json',
        'summaries/page.json',
        // No recent hour yet: this run's hour is still open, its buckets are in the open hours.
        'summaries/recent/open-0.json',
        // The writers' state of block 0 (docs/scale.md), beside its root summary.json (with a
        // table: an item of the table).
        ...(storage === 's3' ? [expect.stringMatching(/^summaries\/state\/0-[0-9a-f]+\.json$/)] : []),
        'summaries/summary.json',
      ]);
      // What the page reads first, written by the function under its own grants.
      expect(await readJson<{ endpoints: unknown[] }>('summaries/overview.json')).toMatchObject({
        version: 2,
        endpoints: expect.arrayContaining([
          expect.objectContaining({ title: 'Site' }),
          expect.objectContaining({ title: 'Gone' }),
        ]),
      });
      expect(await readJson<{ title: string }>('summaries/page.json')).toMatchObject({
        title: 'Fresh stack',
      });
      expect(JSON.stringify(await readJson('summaries/summary.json'))).toContain(
        outcome.run.replace('-check.json', ''),
      );
      // Lambda's application log level (INFO from the template's LoggingConfig) is the logger's.
      expect(checkFunction.environment.AWS_LAMBDA_LOG_LEVEL).toBe('INFO');
      const logs = check.logs();
      expect(logs).toContainEqual(
        expect.objectContaining({
          level: 'info',
          message: 'run stored',
          cold_start: true,
          function_name: checkFunction.logicalId,
          timestamp: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
        }),
      );
      expect(logs.filter((line) => line.ColdStart === 1)).toEqual([
        expect.objectContaining({ service: 'checkup-check', function_name: checkFunction.logicalId }),
      ]);
    });

    it('adds the second run to the summary', async () => {
      if (storage === 's3') {
        // As after days without runs: the state's closed days end long ago, so the store reads
        // the block's history document back (the split by time) under the function's grants.
        const root = await readJson<{ blocks: Array<{ state: string }> }>('summaries/summary.json');
        const key = `summaries/${root.blocks[0]?.state}`;
        const state = await readJson<{ blocks: Array<{ closed?: { through?: string } }> }>(key);
        for (const block of state.blocks) if (block.closed) block.closed.through = '2026-10-01';
        await owner.send(new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: JSON.stringify(state) }));
      }
      const from = gateway.requests.length;
      const outcome = await check.invoke<{ run: string }>(scheduledEvent());
      expect(gateway.denied).toEqual([]);
      // The badges take the summary the store worked on: the state is read once, by the store,
      // never again whole after it.
      const reads = gateway.requests
        .slice(from)
        .filter((request) => request.operation === 'GetObject')
        .flatMap((request) => request.resources.map((resource) => resource.replace(/^.*?:::[^/]+\//, '')));
      if (storage === 's3') {
        expect(reads.filter((key) => key.startsWith('summaries/state/'))).toHaveLength(1);
        expect(reads.filter((key) => key === 'summaries/summary.json')).toHaveLength(1);
        expect(reads).toContain('summaries/history/0.json');
      }
      // A warm invocation: no second ColdStart.
      expect(check.logs().filter((line) => line.ColdStart === 1)).toHaveLength(1);
      expect(
        check
          .logs()
          .filter((line) => line.message === 'run stored')
          .at(-1),
      ).toMatchObject({
        cold_start: false,
      });
      expect((await keys()).filter((key) => key.startsWith('checks/'))).toHaveLength(2);
      expect(JSON.stringify(await readJson('summaries/summary.json'))).toContain(
        outcome.run.replace('-check.json', ''),
      );
    });

    it('alerts from the ObjectCreated event the bucket emits for a run, and keeps the alert state', async () => {
      const runs = (await keys()).filter((key) => key.startsWith('checks/'));
      const event = await s3rver.waitForEvent((e) => e.Records[0]?.s3.object.key === runs[0]);
      expect(notifies(template, runs[0] as string)).toBe(true);
      const outcome = await notify.invoke<{ processed: string[]; alerts: number }>(event satisfies S3Event);
      expect(gateway.denied).toEqual([]);
      expect(outcome.processed).toEqual([(runs[0] as string).slice('checks/'.length)]);
      expect(webhook.requests.map((request) => (request.json as { type: string }).type)).toEqual([
        'checkup.down',
      ]);
      // Where `checkup` with the deployment's storage config keeps it too: the bucket's object, or
      // the table's ALERTS item (and then nothing under state/ in the bucket).
      if (storage === 's3') expect(await keys()).toContain('state/alert-state.json');
      else {
        const item = await dynalite
          ?.client()
          .send(new GetItemCommand({ TableName: TABLE, Key: { pk: { S: 'ALERTS' }, sk: { S: 'state' } } }));
        expect(item?.Item?.state_version?.N).toMatch(/^[1-9]\d*$/);
        expect((await keys()).filter((key) => key.startsWith('state/'))).toEqual([]);
      }
      // The incident the failure opened, for the page and in the feed CloudFront serves.
      const notices = await readJson<{ incidents: Array<{ title: string; status: string }> }>(
        'summaries/notices.json',
      );
      expect(notices.incidents.map((incident) => `${incident.title} ${incident.status}`)).toEqual([
        'Gone is down investigating',
      ]);
      const feed = await owner.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'summaries/feed.atom' }));
      expect(feed.ContentType).toBe('application/atom+xml; charset=utf-8');
      const xml = (await feed.Body?.transformToString()) ?? '';
      expect(atomProblems(xml)).toEqual([]);
      expect(atomEntries(xml).map((entry) => entry.title)).toEqual([
        'Incident (investigating): Gone is down',
      ]);
      // The mail went through SES (no SMTP from Lambda), as the identity the stack granted.
      expect(gateway.mailed).toEqual([
        expect.objectContaining({
          from: 'Checkup <alerts@example.com>',
          to: ['ops@example.com'],
          subject: expect.stringContaining('Gone'),
          html: expect.stringContaining('<table>'),
        }),
      ]);

      const second = await s3rver.waitForEvent((e) => e.Records[0]?.s3.object.key === runs[1]);
      expect(await notify.invoke<{ alerts: number }>(second)).toMatchObject({ alerts: 0 });
      expect(gateway.denied).toEqual([]);
    });

    it('may send mail as the granted SES identity only', () => {
      const policy = notifyFunction.policy;
      const identity = (name: string) => `arn:aws:ses:${REGION}:${ACCOUNT}:identity/${name}`;
      expect(policy.allows({ action: 'ses:SendEmail', resource: identity('example.com') })).toBe(true);
      expect(policy.allows({ action: 'ses:SendEmail', resource: identity('other.example') })).toBe(false);
      expect(policy.allows({ action: 'ses:SendRawEmail', resource: identity('example.com') })).toBe(false);
    });

    it('lets the functions reach the alert state where it is kept, and nothing more of it', () => {
      const table = `arn:aws:dynamodb:${REGION}:${ACCOUNT}:table/${TABLE}`;
      const stateObject = `arn:aws:s3:::${BUCKET}/state/alert-state.json`;
      const onItem = (action: string, pk: string) => ({
        action: `dynamodb:${action}`,
        resource: table,
        context: { 'dynamodb:LeadingKeys': pk },
      });
      const notifyPolicy = notifyFunction.policy;
      if (storage === 'dynamodb') {
        expect(notifyPolicy.allows(onItem('GetItem', 'ALERTS'))).toBe(true);
        expect(notifyPolicy.allows(onItem('PutItem', 'ALERTS'))).toBe(true);
        // Never a run or the summary, nor a query or scan over them.
        for (const pk of ['RUN', 'SUMMARY', 'LATEST'])
          for (const action of ['GetItem', 'PutItem', 'Query'])
            expect(notifyPolicy.allows(onItem(action, pk)), `${action} ${pk}`).toBe(false);
        expect(notifyPolicy.allows({ action: 'dynamodb:Scan', resource: table })).toBe(false);
        // The bucket's state object is not where the state is: neither function may touch it.
        for (const policy of [notifyPolicy, checkFunction.policy])
          for (const action of ['s3:GetObject', 's3:PutObject'])
            expect(policy.allows({ action, resource: stateObject })).toBe(false);
        expect(checkFunction.policy.allows(onItem('GetItem', 'ALERTS'))).toBe(true);
      } else {
        expect(notifyPolicy.allows({ action: 's3:PutObject', resource: stateObject })).toBe(true);
        expect(checkFunction.policy.allows({ action: 's3:GetObject', resource: stateObject })).toBe(true);
        expect(checkFunction.policy.allows({ action: 's3:PutObject', resource: stateObject })).toBe(false);
      }
    });

    if (storage === 'dynamodb')
      it('gives every stored run the TTL of the stack check expiry (30 days)', async () => {
        const items = await dynalite?.client().send(new ScanCommand({ TableName: TABLE }));
        const runs = (items?.Items ?? []).filter((item) => item.pk?.S === 'RUN');
        // One item per run the check function stored, each mirrored as a run file in the bucket.
        expect(runs).toHaveLength((await keys()).filter((key) => key.startsWith('checks/')).length);
        expect(runs.length).toBeGreaterThanOrEqual(2);
        for (const item of runs) {
          const expires = Number(item.expires?.N);
          const stored = Number(BigInt(item.sk?.S ?? '0') / 1_000_000_000n);
          expect(expires - stored).toBe(30 * 24 * 3600);
        }
      });

    it('holds alerts in a window `checkup maintenance start` stored, shows it and a hand-made incident, and alerts once it ends', async () => {
      // The user's own `checkup`, with the deployment's storage in its config, as the docs say.
      const cliStorage =
        storage === 'dynamodb'
          ? { type: 'dynamodb', table: TABLE, region: REGION, endpoint: dynalite?.endpoint }
          : {
              type: 's3',
              bucket: BUCKET,
              region: REGION,
              endpoint: s3rver.endpoint,
              force_path_style: true,
              access_key_id: S3RVER_CREDENTIALS.accessKeyId,
              secret_access_key: S3RVER_CREDENTIALS.secretAccessKey,
            };
      const project = await makeProject({
        checkers: [
          { type: 'http', endpoint_name: 'Site', endpoint_url: site.url },
          { type: 'tcp', endpoint_name: 'Gone', endpoint_url: '127.0.0.1:1' },
        ],
        storage: cliStorage,
      });
      const cli = (args: string[]) => runCli(args, project, awsCliEnv({ AWS_REGION: REGION }));
      const started = await cli(['maintenance', 'start', 'Site work', '--for', '30m', '--endpoints', 'Site']);
      expect(started.stderr).toBe('');
      expect(started.code).toBe(0);
      const opened = await cli(['incident', 'open', 'Payments slow', '--message', 'Looking into it']);
      expect(opened.code).toBe(0);

      const alertsBefore = webhook.requests.length;
      siteDown = true;
      const checkAndNotify = async () => {
        const outcome = await check.invoke<{ run: string }>(scheduledEvent());
        const event = await s3rver.waitForEvent(
          (e) => e.Records[0]?.s3.object.key === `checks/${outcome.run}`,
        );
        const notified = await notify.invoke<{ processed: string[]; alerts: number }>(event);
        expect(gateway.denied).toEqual([]);
        expect(notified.processed).toEqual([outcome.run]);
        return outcome.run;
      };
      try {
        const during = await checkAndNotify();
        const results = await readJson<Array<{ title: string; down?: boolean; maintenance?: string }>>(
          `checks/${during}`,
        );
        expect(results.map((result) => [result.title, result.down, result.maintenance])).toEqual([
          ['Site', true, 'Site work'],
          ['Gone', true, undefined],
        ]);
        expect(webhook.requests.length).toBe(alertsBefore);
        const notices = await readJson<{
          maintenance: Array<{ name: string }>;
          incidents: Array<{ title: string }>;
        }>('summaries/notices.json');
        expect(notices.maintenance.map((period) => period.name)).toEqual(['Site work']);
        expect(notices.incidents.map((incident) => incident.title)).toEqual([
          'Payments slow',
          'Gone is down',
        ]);

        expect((await cli(['maintenance', 'end', 'Site work'])).code).toBe(0);
        // The window ends at the CLI's clock; the next run must be stamped after it (the function's
        // process keeps its own clock, a few ms apart under load), as a scheduled run a minute on is.
        await new Promise((resolve) => setTimeout(resolve, 1_100));
        await checkAndNotify();
        expect(
          webhook.requests
            .slice(alertsBefore)
            .map((request) => (request.json as { type: string; endpoint?: { title?: string } }).type),
        ).toEqual(['checkup.down']);
        expect(JSON.stringify(webhook.requests.at(-1)?.json)).toContain('Site');
      } finally {
        siteDown = false;
      }
    });
  },
);
