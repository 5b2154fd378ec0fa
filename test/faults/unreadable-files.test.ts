import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { CreateBucketCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FsStorage } from '../../adapters/storage/fs-storage.js';
import { S3Storage } from '../../adapters/storage/s3-storage.js';
import { runFileName } from '../../core/storage.js';
import { result } from '../helpers/make-runs.js';
import { runCli } from '../helpers/run-cli.js';
import { startS3rver } from '../helpers/s3rver.js';
import { type RunningServer, startHttpServer } from '../helpers/servers.js';
import { makeProject, removeTempDirs } from '../helpers/temp-dir.js';

let server: RunningServer;
beforeEach(async () => {
  server = await startHttpServer((_, res) => res.end('ok'));
});
afterEach(async () => {
  await server.close();
  await removeTempDirs();
});

const site = () => ({ type: 'http', endpoint_name: 'Home', endpoint_url: server.url });
const project = () => makeProject({ checkers: [site()], storage: { type: 'fs', dir: 'checks' } });
/** A run name a minute ago: inside the window a store still applies to the summary. */
const recentRun = (minutesAgo: number) => runFileName(BigInt(Date.now() - minutesAgo * 60_000) * 1_000_000n);
const NO_STACK = /\n\s+at |TypeError/;

describe('an unreadable run file', () => {
  it.each([
    ['cut off mid-write', '[{"title":"Home","endpoint":"http://x","timestamp":1'],
    ['valid JSON of the wrong shape', '[null]'],
  ])('(%s) is skipped with a warning naming it; stores, rebuilds and history go on', async (_, body) => {
    const cwd = await project();
    const checks = path.join(cwd, 'checks');
    await mkdir(checks);
    const bad = recentRun(2);
    await writeFile(path.join(checks, bad), body);

    const store = await runCli(['--store'], cwd);
    expect(store.stderr).not.toMatch(NO_STACK);
    expect(store.code).toBe(0);
    expect(store.stderr).toContain(
      `checkup: warning: skipped ${path.join(checks, bad)}: not a readable run (`,
    );
    expect(store.stderr).toContain('restore it from a backup or delete it');
    const again = await runCli(['--store'], cwd);
    expect(again.code).toBe(0);

    const rebuild = await runCli(['summaries', 'rebuild'], cwd);
    expect(rebuild.stderr).not.toMatch(NO_STACK);
    expect(rebuild.code).toBe(0);
    expect(rebuild.stdout).toContain('rebuilt the summary: 1 endpoints, 2 results');
    expect(rebuild.stderr).toContain(`skipped ${path.join(checks, bad)}`);

    const history = await runCli(['history', 'Home', '--json'], cwd);
    expect(history.stderr).not.toMatch(NO_STACK);
    expect(history.code).toBe(0);
    expect(JSON.parse(history.stdout)).toHaveLength(2);
    expect(history.stderr).toContain(`skipped ${path.join(checks, bad)}`);
  });
});

describe('a stored summary or alert state of the wrong shape', () => {
  it('rebuilds a summary.json whose blocks hold null, and says so', async () => {
    const cwd = await project();
    expect((await runCli(['--store'], cwd)).code).toBe(0);
    const file = path.join(cwd, 'checks', 'summary.json');
    const summary = JSON.parse(await readFile(file, 'utf8'));
    await writeFile(file, JSON.stringify({ ...summary, blocks: [null] }));

    const { code, stderr } = await runCli(['--store'], cwd);
    expect(stderr).not.toMatch(NO_STACK);
    expect(code).toBe(0);
    expect(stderr).toContain(`${file} is not a summary this version writes: rebuilt it from the runs`);
    const rebuilt = await new FsStorage({ dir: path.join(cwd, 'checks') }).readSummary();
    expect(rebuilt?.endpoints).toHaveLength(1);
    expect(rebuilt?.endpoints[0]?.days[0]?.checks).toBe(2);
  });

  it('rebuilds a block state whose endpoints hold null, and says so', async () => {
    const cwd = await project();
    expect((await runCli(['--store'], cwd)).code).toBe(0);
    const dir = path.join(cwd, 'checks');
    const state = JSON.parse(await readFile(path.join(dir, 'summary.json'), 'utf8')).blocks[0].state;
    await writeFile(
      path.join(dir, state),
      JSON.stringify({ version: 2, block: 0, endpoints: [null], open: {} }),
    );

    const { code, stderr } = await runCli(['--store'], cwd);
    expect(stderr).not.toMatch(NO_STACK);
    expect(code).toBe(0);
    expect(stderr).toContain(
      `${state} is not a state this version writes: rebuilt the summary from the runs`,
    );
    const rebuilt = await new FsStorage({ dir }).readSummary();
    expect(rebuilt?.endpoints[0]?.days[0]?.checks).toBe(2);
  });

  it.each([
    ['{"version":1,"state":null}', 'not an alert state (the state is not an object)'],
    ['{"version":1,"state":{"version":1,"endpoints":{"Home":null},"outbox":[]}}', 'endpoint "Home"'],
    ['{"version":1,"state":{"version":1,"endpoints":{},"outbox":[null]}}', '"outbox"'],
  ])('reports an alert-state.json holding %s with the file and the fix', async (stateText, problem) => {
    const hook = await startHttpServer((_, res) => res.end('ok'));
    try {
      const cwd = await makeProject({
        checkers: [site()],
        storage: { type: 'fs', dir: 'checks' },
        notifiers: [{ type: 'webhook', url: `${hook.url}/alerts` }],
      });
      await mkdir(path.join(cwd, 'checks'));
      const file = path.join(cwd, 'checks', 'alert-state.json');
      await writeFile(file, stateText);
      const { code, stderr } = await runCli(['--store'], cwd);
      expect(stderr).not.toMatch(NO_STACK);
      expect(code).toBe(1);
      expect(stderr).toContain(`checks/alert-state.json: `);
      expect(stderr).toContain(problem);
      expect(stderr).toContain('delete it to start the alert state afresh');
    } finally {
      await hook.close();
    }
  });
});

describe('an unreadable run object in S3 (s3rver)', () => {
  it('is skipped with a warning naming it; the store, the rebuild and history go on', async () => {
    const s3 = await startS3rver([]);
    try {
      const client = s3.client();
      await client.send(new CreateBucketCommand({ Bucket: 'unreadable' }));
      const bad = recentRun(2);
      await client.send(
        new PutObjectCommand({ Bucket: 'unreadable', Key: `checks/${bad}`, Body: '[{"title":"Ho' }),
      );
      const warnings: string[] = [];
      const storage = new S3Storage({
        client,
        bucket: 'unreadable',
        warn: (message) => warnings.push(message),
      });
      const now = Date.now() * 1e6;
      await storage.store([result('Home', now, 'healthy')]);
      expect((await storage.rebuildSummary()).endpoints.map((endpoint) => endpoint.title)).toEqual(['Home']);
      expect(await storage.history('Home', { since: now - 3_600e9 })).toHaveLength(1);
      expect(warnings).toEqual([
        `skipped s3://unreadable/checks/${bad}: not a readable run (Unterminated string in JSON at position 13); restore it from a backup or delete it`,
      ]);
    } finally {
      await s3.close();
    }
  });
});
