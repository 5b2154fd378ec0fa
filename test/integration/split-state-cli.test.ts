import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { GetObjectCommand } from '@aws-sdk/client-s3';
import { describe, expect, it } from 'vitest';
import type { OverviewPart, StatusOverview } from '../../core/summary/page-document-types.js';
import type { SummaryRoot } from '../../core/summary/summary-state-types.js';
import { racingStores } from '../helpers/racing-stores.js';

// 560 endpoints: 12 blocks of 50 in 2 segments of 10 blocks, above the 4 blocks a writer loads
// whole, so each store reads and writes segment states and the overview is split into parts.
const ENDPOINTS = 560;
const PROCESSES = 5;

const stores = racingStores(ENDPOINTS);

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
  expect(endpoints.map((endpoint) => endpoint.title).sort()).toEqual(
    stores.checkers().map((c) => c.endpoint_name),
  );
  for (const endpoint of endpoints) {
    expect(endpoint.status).toBe('healthy');
    expect(endpoint.days.reduce((sum, day) => sum + day.checks, 0)).toBe(PROCESSES);
  }
}

describe('checkup --store with the writer state split by block, as processes', () => {
  it('loses no run when several processes store into one folder at once', async () => {
    const project = await stores.folderProject();
    await stores.storeAll(project, PROCESSES);
    await expectEveryRun((name) => readFile(path.join(project, 'checks', name), 'utf8'));
  }, 120_000);

  it('loses no run when several processes store into one bucket at once', async () => {
    const bucket = 'split-state';
    const project = await stores.bucketProject(bucket);
    await stores.storeAll(project, PROCESSES);
    await expectEveryRun(async (name) => {
      const object = await stores.client.send(
        new GetObjectCommand({ Bucket: bucket, Key: `summaries/${name}` }),
      );
      return (await object.Body?.transformToString('utf8')) ?? '';
    });
  }, 120_000);
});
