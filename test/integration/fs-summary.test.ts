import { readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { FsStorage, SUMMARY_FILE } from '../../adapters/storage/fs-storage.js';
import type { StatusSummary } from '../../core/summary/summary-types.js';
import { ns, result } from '../helpers/make-runs.js';
import { runCli } from '../helpers/run-cli.js';
import { startHttpServer } from '../helpers/servers.js';
import { makeProject, makeTempDir, removeTempDirs } from '../helpers/temp-dir.js';

afterEach(removeTempDirs);

const T0 = ns('2026-11-24T10:00:00Z');
const MINUTE = 60e9;

/** The whole summary: the root summary.json and the block states it points to. */
async function summaryFile(dir: string): Promise<StatusSummary> {
  return (await new FsStorage({ dir }).readSummary()) as StatusSummary;
}

function checksOf(summary: StatusSummary | undefined, title: string): number {
  const endpoint = summary?.endpoints.find((candidate) => candidate.title === title);
  return endpoint?.days.reduce((sum, day) => sum + day.checks, 0) ?? 0;
}

describe('fs storage summaries', () => {
  it('writes summary.json beside the runs on every store', async () => {
    const dir = await makeTempDir();
    const storage = new FsStorage({ dir, now: () => T0 + 2 * MINUTE });
    const first = await storage.store([result('API', T0, 'healthy', 40)]);
    const second = await storage.store([result('API', T0 + MINUTE, 'down', 40)]);
    const summary = await summaryFile(dir);
    expect(summary.recentRuns).toEqual([second.name, first.name]);
    expect(summary.endpoints[0]).toMatchObject({ title: 'API', status: 'down', since: (T0 + MINUTE) / 1e6 });
    expect(await storage.readSummary()).toEqual(summary);
  });

  it('loses no run when many writers keep storing into one folder at once', async () => {
    const dir = await makeTempDir();
    const names: string[] = [];
    await Promise.all(
      Array.from({ length: 12 }, async (_, writer) => {
        const storage = new FsStorage({ dir, now: () => T0 });
        for (let i = 0; i < 6; i += 1) {
          const at = T0 + (writer * 6 + i) * 1e6;
          names.push((await storage.store([result('API', at), result('Web', at)])).name);
        }
      }),
    );
    const summary = await summaryFile(dir);
    expect(summary.writer?.applied.slice().sort()).toEqual(names.slice().sort());
    expect(checksOf(summary, 'API')).toBe(72);
    expect(checksOf(summary, 'Web')).toBe(72);
  });

  it('loses no run when several checkup processes store into one folder at once', async () => {
    const server = await startHttpServer((_request, response) => response.end('ok'));
    try {
      const project = await makeProject({
        checkers: [{ type: 'http', endpoint_name: 'Local', endpoint_url: server.url }],
        storage: { type: 'fs', dir: 'checks' },
      });
      const outcomes = await Promise.all(Array.from({ length: 6 }, () => runCli(['--store'], project)));
      expect(outcomes.map((outcome) => outcome.code)).toEqual([0, 0, 0, 0, 0, 0]);
      const summary = await summaryFile(path.join(project, 'checks'));
      expect(summary.recentRuns).toHaveLength(6);
      expect(checksOf(summary, 'Local')).toBe(6);
      expect(summary.endpoints[0]?.status).toBe('healthy');
    } finally {
      await server.close();
    }
  });

  it('rebuilds summary.json from the runs to what storing them made', async () => {
    const dir = await makeTempDir();
    const storage = new FsStorage({ dir, now: () => T0 });
    for (let i = 0; i < 5; i += 1)
      await storage.store([result('API', T0 + i * MINUTE, i === 2 ? 'down' : 'healthy', 30 + i)]);
    const stored = await summaryFile(dir);
    await rm(path.join(dir, SUMMARY_FILE));
    const rebuilt = await storage.rebuildSummary();
    expect(rebuilt.endpoints).toEqual(stored.endpoints);
    expect(rebuilt.timeline).toEqual(stored.timeline);
    expect(await summaryFile(dir)).toEqual(rebuilt);
  });

  it('rebuilds a summary.json that is not JSON from the runs on the next store', async () => {
    const dir = await makeTempDir();
    const storage = new FsStorage({ dir, now: () => T0 });
    await storage.store([result('API', T0)]);
    await writeFile(path.join(dir, SUMMARY_FILE), '{"version":1,"endpo');
    await storage.store([result('API', T0 + MINUTE)]);
    expect(checksOf(await summaryFile(dir), 'API')).toBe(2);
  });

  it.each([
    ['another shape', () => ({ version: 1 })],
    ['no writer bookkeeping', (summary: StatusSummary) => ({ ...summary, writer: undefined })],
  ])('rebuilds a summary.json of %s instead of counting runs twice', async (_, change) => {
    const dir = await makeTempDir();
    const storage = new FsStorage({ dir, now: () => T0 });
    await storage.store([result('API', T0)]);
    await writeFile(path.join(dir, SUMMARY_FILE), JSON.stringify(change(await summaryFile(dir))));
    await storage.store([result('API', T0 + MINUTE)]);
    expect(checksOf(await summaryFile(dir), 'API')).toBe(2);
  });

  it('leaves summary.json alone when summaries are off', async () => {
    const dir = await makeTempDir();
    await new FsStorage({ dir, summaries: false }).store([result('API', T0)]);
    await expect(readFile(path.join(dir, SUMMARY_FILE))).rejects.toThrow(/ENOENT/);
  });

  it('gives the history of one endpoint from the runs in range only', async () => {
    const dir = await makeTempDir();
    const storage = new FsStorage({ dir, summaries: false });
    for (let i = 0; i < 5; i += 1)
      await storage.store([result('API', T0 + i * MINUTE), result('Web', T0 + i * MINUTE)]);
    const history = await storage.history('API', { since: T0 + MINUTE, until: T0 + 3 * MINUTE });
    expect(history.map((item) => [item.title, item.timestamp])).toEqual([
      ['API', T0 + MINUTE],
      ['API', T0 + 2 * MINUTE],
      ['API', T0 + 3 * MINUTE],
    ]);
  });

  it('stores two runs of the same nanosecond under two names', async () => {
    const dir = await makeTempDir();
    const storage = new FsStorage({ dir });
    const [a, b] = await Promise.all([
      storage.store([result('API', T0)]),
      storage.store([result('API', T0)]),
    ]);
    expect(a?.name).not.toBe(b?.name);
    expect(checksOf(await storage.readSummary(), 'API')).toBe(2);
  });
});
