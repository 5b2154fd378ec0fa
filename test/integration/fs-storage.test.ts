import { readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { FsStorage } from '../../adapters/storage/fs-storage.js';
import type { Result } from '../../core/result.js';
import { stringifyResults } from '../../core/result-json.js';
import { makeTempDir, removeTempDirs } from '../helpers/temp-dir.js';

afterEach(removeTempDirs);

const result = (timestamp: number, title = 'Site'): Result => ({
  title,
  endpoint: 'https://example.com',
  timestamp,
  times: [{ rtt: 1234567 }],
  healthy: true,
});

describe('fs storage', () => {
  it("writes each run as <unix-ns>-check.json and keeps checkup's index.json", async () => {
    const dir = await makeTempDir();
    const storage = new FsStorage({ dir });
    const ts = 1_764_000_000_123_456_000;
    const run = await storage.store([result(ts)]);
    expect(run.name).toBe('1764000000123456000-check.json');
    expect(JSON.parse(await readFile(path.join(dir, run.name), 'utf8'))).toEqual([result(ts)]);
    expect(await readFile(path.join(dir, 'index.json'), 'utf8')).toBe(
      '{"1764000000123456000-check.json":1764000000123456000}',
    );
    expect(await storage.read(run.name)).toEqual([result(ts)]);
  });

  it('writes a run of thousands of results, in pieces, as the one JSON array checkup reads', async () => {
    const dir = await makeTempDir();
    const storage = new FsStorage({ dir, summaries: false });
    const ts = 1_764_000_000_123_456_000;
    const results = Array.from({ length: 1000 }, (_, i) => result(ts, `Site ${i}`));
    const run = await storage.store(results);
    const text = await readFile(path.join(dir, run.name), 'utf8');
    expect(text).toBe(stringifyResults(results));
    expect(await storage.read(run.name)).toEqual(results);
    expect((await readdir(dir)).sort()).toEqual([run.name, 'index.json']);
  });

  it('reads a folder written by the Go checkup and keeps its entries in the index', async () => {
    const dir = await makeTempDir();
    const goRun =
      '[{"title":"Go","endpoint":"https://go.dev","timestamp":1500000000000000001,"times":[{"rtt":2000000}],"healthy":true}]';
    await writeFile(path.join(dir, '1500000000000000001-check.json'), goRun);
    await writeFile(path.join(dir, 'index.json'), '{"1500000000000000001-check.json":1500000000000000001}');
    const storage = new FsStorage({ dir });
    await storage.store([result(1_600_000_000_000_000_000)]);
    const index = await readFile(path.join(dir, 'index.json'), 'utf8');
    expect(index).toContain('"1500000000000000001-check.json":1500000000000000001');
    expect(index).toContain('"1600000000000000000-check.json":1600000000000000000');
    expect((await storage.list()).map((run) => run.name)).toEqual([
      '1500000000000000001-check.json',
      '1600000000000000000-check.json',
    ]);
    expect((await storage.read('1500000000000000001-check.json'))[0]?.title).toBe('Go');
  });

  it('never overwrites a run stored at the same instant', async () => {
    const dir = await makeTempDir();
    const storage = new FsStorage({ dir });
    const ts = 1_700_000_000_000_000_000;
    const first = await storage.store([result(ts, 'first')]);
    const second = await storage.store([result(ts, 'second')]);
    expect(first.name).not.toBe(second.name);
    expect((await storage.read(first.name))[0]?.title).toBe('first');
    expect((await storage.read(second.name))[0]?.title).toBe('second');
  });

  it('loses no index entry when many stores race, and leaves no temporary file', async () => {
    const dir = await makeTempDir();
    const writers = Array.from({ length: 8 }, () => new FsStorage({ dir }));
    const base = 1_700_000_000_000_000_000;
    const runs = await Promise.all(
      Array.from({ length: 64 }, (_, i) => (writers[i % 8] as FsStorage).store([result(base + i * 1e9)])),
    );
    const index = JSON.parse(await readFile(path.join(dir, 'index.json'), 'utf8')) as Record<string, number>;
    expect(Object.keys(index).sort()).toEqual(runs.map((run) => run.name).sort());
    expect((await readdir(dir)).filter((name) => name.startsWith('.tmp'))).toEqual([]);
  });

  it('expires runs older than check_expiry on every store, and only run files', async () => {
    const dir = await makeTempDir();
    const day = 86_400e9;
    const now = 1_800_000_000_000_000_000;
    await writeFile(path.join(dir, 'notes.txt'), 'keep me');
    const old = new FsStorage({ dir });
    await old.store([result(now - 20 * day)]);
    await old.store([result(now - 10 * day)]);
    const storage = new FsStorage({ dir, checkExpiryNs: 14 * day, now: () => now });
    await storage.store([result(now)]);
    const names = (await storage.list()).map((run) => run.timestamp);
    expect(names).toEqual([now - 10 * day, now]);
    expect(Object.values(JSON.parse(await readFile(path.join(dir, 'index.json'), 'utf8')))).toHaveLength(2);
    expect(await readFile(path.join(dir, 'notes.txt'), 'utf8')).toBe('keep me');
  });

  it('lists only the runs in a time range', async () => {
    const dir = await makeTempDir();
    const storage = new FsStorage({ dir });
    for (const ts of [1e18, 2e18, 3e18]) await storage.store([result(ts)]);
    expect((await storage.list({ since: 1.5e18, until: 2.5e18 })).map((run) => run.timestamp)).toEqual([
      2e18,
    ]);
  });
});
