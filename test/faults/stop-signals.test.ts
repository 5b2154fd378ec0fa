import { existsSync, watch } from 'node:fs';
import { mkdir, readdir, readFile, utimes, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli, startCli } from '../helpers/run-cli.js';
import { type RunningServer, startHttpServer } from '../helpers/servers.js';
import { makeProject, removeTempDirs } from '../helpers/temp-dir.js';

let server: RunningServer;
let requests = 0;
beforeEach(async () => {
  requests = 0;
  server = await startHttpServer((req, res) => {
    requests += 1;
    if (req.url !== '/slow') return void res.end('ok');
    const timer = setTimeout(() => res.end('slow but fine'), 1500);
    res.on('close', () => clearTimeout(timer));
  });
});
afterEach(async () => {
  await server.close();
  await removeTempDirs();
});

const site = (name: string, urlPath = '/') => ({
  type: 'http',
  endpoint_name: name,
  endpoint_url: `${server.url}${urlPath}`,
});

async function waitFor(what: string, condition: () => boolean, ms = 20_000) {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

const listing = async (dir: string) => (existsSync(dir) ? await readdir(dir) : []);
const runFiles = async (dir: string) => (await listing(dir)).filter((name) => name.endsWith('-check.json'));
const temporaries = async (dir: string) => (await listing(dir)).filter((name) => name.includes('.tmp-'));

describe('checkup every stopped by a signal while a check is under way', () => {
  it.each(['SIGINT', 'SIGTERM'] as const)(
    'on %s finishes the run under way, stores it and exits 0',
    async (signal) => {
      const cwd = await makeProject({ checkers: [site('Fast'), site('Slow', '/slow')] });
      const { child, outcome } = startCli(['every', '1h'], cwd);
      await waitFor('the slow check to be under way', () => requests >= 2);
      child.kill(signal);
      const { code, stderr } = await outcome;

      expect(code).toBe(0);
      expect(stderr).toContain('stopping after the run under way is stored');
      const runs = await runFiles(path.join(cwd, 'checks'));
      expect(runs).toHaveLength(1);
      const results = JSON.parse(await readFile(path.join(cwd, 'checks', runs[0] as string), 'utf8'));
      expect(
        results.map((result: { title: string; healthy?: boolean }) => [result.title, result.healthy]),
      ).toEqual([
        ['Fast', true],
        ['Slow', true],
      ]);
      expect(stderr).toMatch(/stored \d+-check\.json: 2\/2 healthy/);
    },
    30_000,
  );

  it('on a second Ctrl-C quits at once, exits 130 and stores nothing', async () => {
    const cwd = await makeProject({ checkers: [site('Slow', '/slow')] });
    const { child, outcome } = startCli(['every', '1h'], cwd);
    await waitFor('the slow check to be under way', () => requests >= 1);
    child.kill('SIGINT');
    await new Promise((resolve) => setTimeout(resolve, 100));
    child.kill('SIGINT');
    const { code } = await outcome;
    expect(code).toBe(130);
    expect(await runFiles(path.join(cwd, 'checks'))).toEqual([]);
    expect(await temporaries(path.join(cwd, 'checks'))).toEqual([]);
  }, 30_000);
});

describe('temporary files', () => {
  it('checkup --store stopped while a temporary file exists leaves none behind', async () => {
    // Many endpoints make a large run and summary: their temporary files live long enough to be seen.
    const checkers = Array.from({ length: 3000 }, (_, index) => site(`Endpoint ${index}`));
    const cwd = await makeProject({ checkers, concurrent_checks: 50 });
    const checks = path.join(cwd, 'checks');
    await mkdir(checks);
    let seen = 0;
    for (const signal of ['SIGINT', 'SIGTERM'] as const) {
      const { child, outcome } = startCli(['--store'], cwd);
      const watcher = watch(checks, (_, name) => {
        if (!name?.includes('.tmp-') || child.exitCode !== null) return;
        seen += 1;
        child.kill(signal);
        watcher.close();
      });
      const { code } = await outcome;
      watcher.close();
      expect(code).not.toBe(0);
      expect(await temporaries(checks)).toEqual([]);
    }
    expect(seen).toBe(2);
  }, 60_000);

  it('a store removes temporary files a killed writer left minutes ago, and leaves fresh ones', async () => {
    const cwd = await makeProject({ checkers: [site('Fast')] });
    const checks = path.join(cwd, 'checks');
    await mkdir(checks);
    const old = ['.tmp-4242-0123456789ab', 'alert-state.json.tmp-4242-ba9876543210'];
    for (const name of [...old, '.tmp-4243-aaaaaaaaaaaa', 'notes.tmp'])
      await writeFile(path.join(checks, name), '{');
    const tenMinutesAgo = new Date(Date.now() - 10 * 60_000);
    for (const name of [...old, 'notes.tmp'])
      await utimes(path.join(checks, name), tenMinutesAgo, tenMinutesAgo);

    const { code } = await runCli(['--store'], cwd);
    expect(code).toBe(0);
    const left = await listing(checks);
    for (const name of old) expect(left).not.toContain(name);
    expect(left).toContain('.tmp-4243-aaaaaaaaaaaa');
    expect(left).toContain('notes.tmp');
  });
});
