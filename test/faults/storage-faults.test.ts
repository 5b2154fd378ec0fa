import { existsSync } from 'node:fs';
import { mkdir, readdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { bindReadOnly, mountProblem, mountTmpfs, remountWritable, unmount } from '../helpers/mounts.js';
import { startCli } from '../helpers/run-cli.js';
import { type RunningServer, startHttpServer } from '../helpers/servers.js';
import { startServe } from '../helpers/start-serve.js';
import { makeProject, makeTempDir, removeTempDirs } from '../helpers/temp-dir.js';

let server: RunningServer;
const mounted: string[] = [];
beforeEach(async () => {
  server = await startHttpServer((_, res) => res.end('ok'));
});
afterEach(async () => {
  for (const dir of mounted.splice(0).reverse()) unmount(dir);
  await server.close();
  await removeTempDirs();
});

const site = () => ({ type: 'http', endpoint_name: 'Home', endpoint_url: server.url });

/** Starts `checkup every 1s` in `cwd`; `stderr()` is what it has said so far. */
function startEvery(cwd: string, args: readonly string[] = ['every', '1s']) {
  const { child, outcome } = startCli(args, cwd);
  let stderr = '';
  child.stderr?.on('data', (chunk) => {
    stderr += chunk;
  });
  return { child, outcome, stderr: () => stderr };
}

async function waitFor(what: string, condition: () => boolean | Promise<boolean>, ms = 20_000) {
  const deadline = Date.now() + ms;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

const count = (text: string, word: string) => text.split(word).length - 1;
const runFiles = async (dir: string) =>
  existsSync(dir) ? (await readdir(dir)).filter((name) => name.endsWith('-check.json')) : [];
const temporaries = async (dir: string) =>
  existsSync(dir) ? (await readdir(dir)).filter((name) => name.includes('.tmp-')) : [];

describe('checkup every when the storage fails', () => {
  it('reports a file where the storage folder should be, keeps checking, and stores again once it is a folder', async () => {
    const cwd = await makeProject({ checkers: [site()], storage: { type: 'fs', dir: 'checks' } });
    const checks = path.join(cwd, 'checks');
    await writeFile(checks, 'not a folder');
    const every = startEvery(cwd);
    await waitFor('two failed stores', () => count(every.stderr(), 'could not store') >= 2);
    await rm(checks);
    await waitFor('a store after recovery', () => every.stderr().includes('(kept while storing failed)'));
    every.child.kill('SIGINT');
    const { code, stderr } = await every.outcome;

    expect(code).toBe(0);
    expect(stderr).toMatch(
      /could not store the run: \/\S+\/checks: .*\((EEXIST|ENOTDIR)\); 1\/1 healthy; \d runs? kept/,
    );
    expect(stderr).not.toMatch(/\n\s+at /);
    // Every run checked while the folder was a file is stored once it is a folder again.
    expect((await runFiles(checks)).length).toBe(count(stderr, ' stored 1'));
    expect(count(stderr, ' stored 1')).toBeGreaterThanOrEqual(3);
  }, 60_000);
});

const problem = mountProblem();
describe.skipIf(problem !== undefined)(`real storage faults (${problem ?? 'root, mount permitted'})`, () => {
  it('keeps checking on a read-only disk, saying where and why, and stores the kept runs when it is writable again', async () => {
    const cwd = await makeProject({ checkers: [site()], storage: { type: 'fs', dir: 'checks' } });
    const checks = path.join(cwd, 'checks');
    await mkdir(checks);
    bindReadOnly(checks);
    mounted.push(checks);
    const every = startEvery(cwd);
    await waitFor('two failed stores', () => count(every.stderr(), 'could not store') >= 2);
    expect(every.child.exitCode).toBe(null);
    remountWritable(checks);
    await waitFor('the kept runs stored', () => every.stderr().includes('(kept while storing failed)'));
    every.child.kill('SIGINT');
    const { code, stderr } = await every.outcome;

    expect(code).toBe(0);
    expect(stderr).toContain(`could not store the run: ${checks}/.tmp-`);
    expect(stderr).toContain(
      'read-only file system (EROFS); 1/1 healthy; 1 run kept, stored at the next tick',
    );
    expect(stderr).toMatch(/stored \d+-check\.json: 1\/1 healthy \(kept while storing failed\)/);
    expect(stderr).not.toMatch(/\n\s+at /);
    expect((await runFiles(checks)).length).toBe(count(stderr, ' stored 1'));
  }, 60_000);

  it('keeps checking on a full disk, leaves no temporary file, and stores again once there is room', async () => {
    const cwd = await makeProject({ checkers: [site()], storage: { type: 'fs', dir: 'checks' } });
    const checks = path.join(cwd, 'checks');
    await mkdir(checks);
    mountTmpfs(checks, '64k');
    mounted.push(checks);
    const filler = path.join(checks, 'filler');
    await writeFile(filler, Buffer.alloc(1 << 20)).catch(() => {});
    const every = startEvery(cwd);
    await waitFor('two failed stores', () => count(every.stderr(), 'could not store') >= 2);
    expect(await temporaries(checks)).toEqual([]);
    await rm(filler);
    await waitFor('the kept runs stored', () => every.stderr().includes('(kept while storing failed)'));
    every.child.kill('SIGINT');
    const { code, stderr } = await every.outcome;

    expect(code).toBe(0);
    expect(stderr).toMatch(
      /could not store (in|the run:) \S+checks.*: no space left on device \(ENOSPC\); 1\/1 healthy/,
    );
    expect(stderr).not.toMatch(/\n\s+at /);
    expect(await temporaries(checks)).toEqual([]);
    expect((await runFiles(checks)).length).toBe(count(stderr, ' stored 1'));
  }, 60_000);

  it('exits 1 saying how many runs were lost when stopped while the disk is still read-only', async () => {
    const cwd = await makeProject({ checkers: [site()], storage: { type: 'fs', dir: 'checks' } });
    const checks = path.join(cwd, 'checks');
    await mkdir(checks);
    bindReadOnly(checks);
    mounted.push(checks);
    const every = startEvery(cwd);
    await waitFor('a failed store', () => every.stderr().includes('could not store'));
    every.child.kill('SIGINT');
    const { code, stderr } = await every.outcome;
    expect(code).toBe(1);
    expect(stderr).toMatch(/checkup: \d runs? (was|were) not stored/);
  }, 60_000);

  it('serve --every keeps serving the page while its storage is read-only', async () => {
    const dir = await makeTempDir();
    await mkdir(path.join(dir, 'checks'));
    bindReadOnly(path.join(dir, 'checks'));
    mounted.push(path.join(dir, 'checks'));
    const serve = await startServe(dir, { checkers: [site()] }, ['--every', '1s']);
    try {
      await new Promise((resolve) => setTimeout(resolve, 2500));
      const page = await fetch(`${serve.url}/`);
      expect(page.status).toBe(200);
      expect((await fetch(`${serve.url}/data/page.json`)).status).toBe(200);
    } finally {
      await serve.stop();
    }
  }, 60_000);
});
