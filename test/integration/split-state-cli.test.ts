import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { CreateBucketCommand, GetObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { OverviewPart, StatusOverview } from '../../core/summary/page-document-types.js';
import type { SummaryRoot } from '../../core/summary/summary-state-types.js';
import { runCli } from '../helpers/run-cli.js';
import { type RunningS3rver, startS3rver } from '../helpers/s3rver.js';
import { type RunningServer, startHttpServer } from '../helpers/servers.js';
import { makeProject, removeTempDirs } from '../helpers/temp-dir.js';

// 560 endpoints: 12 blocks of 50 in 2 segments of 10 blocks, above the 4 blocks a writer loads
// whole, so each store reads and writes segment states and the overview is split into parts.
const ENDPOINTS = 560;
const PROCESSES = 5;

let server: RunningServer;
let s3: RunningS3rver;
let client: S3Client;

beforeAll(async () => {
  server = await startHttpServer((_request, response) => response.end('ok'));
  s3 = await startS3rver([]);
  client = s3.client();
});
afterAll(async () => {
  await server?.close();
  await s3?.close();
});
afterEach(removeTempDirs);

function checkers() {
  return Array.from({ length: ENDPOINTS }, (_, i) => ({
    type: 'http',
    endpoint_name: `Service ${String(i).padStart(3, '0')}`,
    endpoint_url: `${server.url}/health/${i}`,
  }));
}

/** Every run of every process is in the page documents: each endpoint counted once per run. */
async function expectEveryRun(read: (name: string) => Promise<string>): Promise<void> {
  const root = JSON.parse(await read('summary.json')) as SummaryRoot;
  expect(root.version).toBe(2);
  expect(root.writer.applied).toHaveLength(PROCESSES);
  expect(root.blocks.map((block) => block.titles.length)).toEqual([...Array(11).fill(50), 10]);
  const overview = JSON.parse(await read('overview.json')) as StatusOverview;
  expect(overview.recentRuns.slice().sort()).toEqual(root.writer.applied.slice().sort());
  expect(overview.parts).toEqual([0, 1]);
  const endpoints = [];
  for (const segment of overview.parts ?? [])
    endpoints.push(...(JSON.parse(await read(`overview/${segment}.json`)) as OverviewPart).endpoints);
  expect(endpoints.map((endpoint) => endpoint.title).sort()).toEqual(checkers().map((c) => c.endpoint_name));
  for (const endpoint of endpoints) {
    expect(endpoint.status).toBe('healthy');
    expect(endpoint.days.reduce((sum, day) => sum + day.checks, 0)).toBe(PROCESSES);
  }
}

describe('checkup --store with the writer state split by block, as processes', () => {
  it('loses no run when several processes store into one folder at once', async () => {
    const project = await makeProject({ checkers: checkers(), storage: { type: 'fs', dir: 'checks' } });
    const outcomes = await Promise.all(Array.from({ length: PROCESSES }, () => runCli(['--store'], project)));
    expect(outcomes.map((outcome) => (outcome.code === 0 ? 0 : outcome.stderr))).toEqual(
      Array(PROCESSES).fill(0),
    );
    await expectEveryRun((name) => readFile(path.join(project, 'checks', name), 'utf8'));
  }, 120_000);

  it('loses no run when several processes store into one bucket at once', async () => {
    const bucket = 'split-state';
    await client.send(new CreateBucketCommand({ Bucket: bucket }));
    const project = await makeProject({
      checkers: checkers(),
      storage: {
        type: 's3',
        bucket,
        region: 'us-east-1',
        endpoint: s3.endpoint,
        force_path_style: true,
        access_key_id: 'S3RVER',
        secret_access_key: 'S3RVER',
      },
    });
    const outcomes = await Promise.all(Array.from({ length: PROCESSES }, () => runCli(['--store'], project)));
    expect(outcomes.map((outcome) => (outcome.code === 0 ? 0 : outcome.stderr))).toEqual(
      Array(PROCESSES).fill(0),
    );
    await expectEveryRun(async (name) => {
      const object = await client.send(new GetObjectCommand({ Bucket: bucket, Key: `summaries/${name}` }));
      return (await object.Body?.transformToString('utf8')) ?? '';
    });
  }, 120_000);
});
