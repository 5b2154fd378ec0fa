// Regions vote, locally: three `checkup --store --region NAME` processes (the built bin) store
// into one storage, fs and s3rver, and alert on their vote. Each region has its own config file
// only so that one region can be made to fail to reach the site (a closed port in its config).
import { readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { FsStorage } from '../../adapters/storage/fs-storage.js';
import type { Result } from '../../core/result.js';
import { type RecordingServer, startRecordingServer } from '../helpers/recording-server.js';
import { runCli, startCli } from '../helpers/run-cli.js';
import { type RunningS3rver, S3RVER_CREDENTIALS, startS3rver } from '../helpers/s3rver.js';
import { closedPort, type RunningServer, startHttpServer } from '../helpers/servers.js';
import { makeTempDir, removeTempDirs } from '../helpers/temp-dir.js';

const BUCKET = 'checkup-regions';
const T0 = Date.UTC(2026, 0, 1);
let s3rver: RunningS3rver;
let site: RunningServer;
let hook: RecordingServer;
let closed: number;

beforeAll(async () => {
  s3rver = await startS3rver([BUCKET]);
  site = await startHttpServer((_request, response) => response.end('ok'));
  closed = await closedPort();
});
afterAll(async () => {
  await Promise.all([site.close(), s3rver.close()]);
});
afterEach(async () => {
  await hook?.close();
  await removeTempDirs();
});

const storages = {
  fs: () => ({ type: 'fs', dir: 'checks' }),
  s3: () => ({
    type: 's3',
    bucket: BUCKET,
    prefix: `${Math.random().toString(36).slice(2)}/`,
    region: 'us-east-1',
    endpoint: s3rver.endpoint,
    force_path_style: true,
    access_key_id: S3RVER_CREDENTIALS.accessKeyId,
    secret_access_key: S3RVER_CREDENTIALS.secretAccessKey,
  }),
};

/**
 * Runs region `region`'s check of tick `tick` (minutes after T0), seeing the site `up` or not.
 * The config's `timestamp` fixes the run's time (a few ms apart per region, inside the minute),
 * so its tick, the time floored to the minute, is the same in every region.
 */
async function check(cwd: string, storage: unknown, region: string, tick: number, up: boolean) {
  const offset = { a: 1, b: 2, c: 3 }[region] ?? 0;
  const file = path.join(cwd, `${region}.json`);
  await writeFile(
    file,
    JSON.stringify({
      checkers: [
        {
          type: 'http',
          endpoint_name: 'Shop',
          endpoint_url: up ? site.url : `http://127.0.0.1:${closed}/`,
        },
      ],
      storage,
      notifiers: [{ type: 'webhook', url: `${hook.url}/alerts`, notify_degraded: false }],
      timestamp: new Date(T0 + tick * 60_000 + offset * 1000).toISOString(),
    }),
  );
  return runCli(['--store', '--region', region, '-c', file], cwd);
}

const kinds = () => hook.requests.map((request) => (request.json as { type: string }).type);

describe.each(Object.entries(storages))('regions vote through the CLI (%s storage)', (_, storage) => {
  it('alerts down only when a quorum of the regions that reported sees it down', async () => {
    hook = await startRecordingServer();
    const cwd = await makeTempDir();
    const where = storage();
    for (const region of ['a', 'b', 'c']) expect((await check(cwd, where, region, 0, true)).code).toBe(0);

    // Down from b alone: degraded by the vote (this notifier ignores degraded), never down.
    await check(cwd, where, 'a', 1, true);
    const alone = await check(cwd, where, 'b', 1, false);
    expect(alone.code).toBe(1);
    await check(cwd, where, 'c', 1, true);
    expect(kinds()).toEqual([]);

    // Down from a and b: down by two of three, announced once the tick is decided.
    await check(cwd, where, 'a', 2, false);
    expect(kinds()).toEqual([]);
    await check(cwd, where, 'b', 2, false);
    expect(kinds()).toEqual([]);
    await check(cwd, where, 'c', 2, true);
    expect(kinds()).toEqual(['checkup.down']);
    const alert = hook.requests[0]?.json as { text: string; alert: { notice?: string; region?: string } };
    expect(alert.text).toBe('Shop is down');
    expect(alert.alert.region).toBeUndefined();

    // c stops reporting: tick 3 is decided when tick 4 starts, by a and b only (healthy again).
    await check(cwd, where, 'a', 3, true);
    await check(cwd, where, 'b', 3, true);
    expect(kinds()).toEqual(['checkup.down']);
    await check(cwd, where, 'a', 4, true);
    expect(kinds()).toEqual(['checkup.down', 'checkup.recovered']);
  }, 120_000);
});

describe('checkup every --region', () => {
  it("stores each region's runs with the tick floored to the interval, shared by the regions", async () => {
    hook = await startRecordingServer();
    const cwd = await makeTempDir();
    await writeFile(
      path.join(cwd, 'checkup.json'),
      JSON.stringify({
        checkers: [{ type: 'http', endpoint_name: 'Shop', endpoint_url: site.url }],
        storage: { type: 'fs', dir: 'checks' },
      }),
    );
    const regions = ['a', 'b'].map((region) => startCli(['every', '2s', '--region', region], cwd));
    // Four runs each: every two-second tick between has a run from each region.
    await Promise.all(
      regions.map(
        ({ child }) =>
          new Promise<void>((resolve) => {
            let stored = 0;
            child.stderr?.on('data', (chunk: Buffer) => {
              stored += (chunk.toString().match(/ stored /g) ?? []).length;
              if (stored >= 4) resolve();
            });
          }),
      ),
    );
    for (const { child } of regions) child.kill('SIGINT');
    expect((await Promise.all(regions.map(({ outcome }) => outcome))).map((outcome) => outcome.code)).toEqual(
      [0, 0],
    );
    const names = (await readdir(path.join(cwd, 'checks'))).filter((name) => name.endsWith('-check.json'));
    const results = (
      await Promise.all(
        names.map(async (name) => JSON.parse(await readFile(path.join(cwd, 'checks', name), 'utf8'))),
      )
    ).flat() as Result[];
    expect(results.every((result) => result.tick !== undefined && result.tick % 2000 === 0)).toBe(true);
    const ticksOf = (region: string) =>
      new Set(results.filter((r) => r.region === region).map((r) => r.tick));
    const shared = [...ticksOf('a')].filter((tick) => ticksOf('b').has(tick));
    expect(shared.length).toBeGreaterThan(0);
    const summary = await new FsStorage({ dir: path.join(cwd, 'checks') }).readSummary();
    expect(summary?.endpoints[0]?.regions?.map((region) => region.name)).toEqual(['a', 'b']);
  }, 60_000);
});

describe('checkup --region', () => {
  it('refuses a region name that is not one, and --region without storing, exit 2', async () => {
    const cwd = await makeTempDir();
    await writeFile(path.join(cwd, 'checkup.json'), JSON.stringify({ checkers: [] }));
    const bad = await runCli(['--store', '--region', 'eu west'], cwd);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--region: not a region name: "eu west"');
    const unstored = await runCli(['--region', 'eu-west-1'], cwd);
    expect(unstored.code).toBe(2);
    expect(unstored.stderr).toContain('--region labels stored runs');
  });
});
