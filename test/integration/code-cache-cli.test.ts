import { spawn } from 'node:child_process';
import { cp, mkdir, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { checksum } from '../../cli/checksum.js';
import { BIN } from '../helpers/run-cli.js';
import { type RunningServer, startHttpServer } from '../helpers/servers.js';
import { makeProject, makeTempDir, removeTempDirs } from '../helpers/temp-dir.js';

const PACKAGE = path.dirname(path.dirname(BIN));

let server: RunningServer;
beforeAll(async () => {
  server = await startHttpServer((_request, response) => response.end('ok'));
});
afterAll(() => server.close());
afterEach(removeTempDirs);

/** A copy of the built command (bin/ and dist/), to change or remove parts of. */
async function copyOfPackage(): Promise<string> {
  const dir = await makeTempDir();
  await cp(path.join(PACKAGE, 'bin'), path.join(dir, 'bin'), { recursive: true });
  await cp(path.join(PACKAGE, 'dist'), path.join(dir, 'dist'), {
    recursive: true,
    filter: (source) => !source.endsWith('.map'),
  });
  return dir;
}

/** Runs `checkup` from `pkg` with the code cache in `cache` (unset: the default place). */
function run(pkg: string, args: string[], cwd: string, env: Record<string, string | undefined>) {
  const { CHECKUP_CACHE_DIR: _unset, ...inherited } = process.env;
  const child = spawn(process.execPath, [path.join(pkg, 'bin', 'checkup.js'), ...args], {
    cwd,
    env: { ...inherited, NO_COLOR: '1', ...env },
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk) => {
    stdout += chunk;
  });
  child.stderr.on('data', (chunk) => {
    stderr += chunk;
  });
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) =>
    child.on('close', (code) => resolve({ code, stdout, stderr })),
  );
}

async function cacheFiles(dir: string): Promise<string[]> {
  return (await readdir(dir).catch(() => [])).filter((name) => name.endsWith('.v8cache')).sort();
}

/** What a run said, its round trips aside. */
function healthyWeb(outcome: { code: number | null; stdout: string; stderr: string }) {
  expect(outcome.stderr).toBe('');
  expect(outcome.stdout).toContain('== web - http://127.0.0.1:');
  expect(outcome.stdout).toContain('Assessment: healthy');
  expect(outcome.code).toBe(0);
}

function project() {
  return makeProject({ checkers: [{ type: 'http', endpoint_name: 'web', endpoint_url: server.url }] });
}

describe('the code cache of the built checkup', () => {
  it('keeps the compiled command in the cache dir and uses it, unchanged, on the next run', async () => {
    const [cwd, cache] = [await project(), await makeTempDir()];
    healthyWeb(await run(PACKAGE, [], cwd, { CHECKUP_CACHE_DIR: cache }));
    const [file] = await cacheFiles(cache);
    expect(file).toMatch(new RegExp(`^[0-9a-f]{32}-${process.version}-${process.arch}\\.v8cache$`));
    const written = await stat(path.join(cache, file as string), { bigint: true });

    healthyWeb(await run(PACKAGE, [], cwd, { CHECKUP_CACHE_DIR: cache }));
    // Accepted as it was: a cache V8 refused would have been written again.
    expect(await cacheFiles(cache)).toEqual([file]);
    expect((await stat(path.join(cache, file as string), { bigint: true })).mtimeNs).toBe(written.mtimeNs);
  });

  it("starts as CommonJS, without loading Node's ES module loader", async () => {
    // Node's ESM loader (module jobs, translators, a facade per built-in module) cost more
    // than a tenth of start-up; bin/ and dist/start.cjs are CommonJS so that it never loads.
    const [cwd, cache] = [await project(), await makeTempDir()];
    const probe = path.join(cache, 'probe.cjs');
    await writeFile(
      probe,
      "process.on('exit', () => process.stderr.write(process.moduleLoadList.filter((m) => m.includes('esm/translators') || m.includes('esm/module_job')).join(',')));",
    );
    const outcome = await run(PACKAGE, [], cwd, {
      CHECKUP_CACHE_DIR: cache,
      NODE_OPTIONS: `--require ${probe}`,
    });
    healthyWeb(outcome);
  });

  it('goes to $XDG_CACHE_HOME/checkup when no dir is named', async () => {
    const [cwd, home] = [await project(), await makeTempDir()];
    healthyWeb(await run(PACKAGE, [], cwd, { XDG_CACHE_HOME: home }));
    expect(await cacheFiles(path.join(home, 'checkup'))).toHaveLength(1);
  });

  it('runs as without a cache when its file is damaged or from another V8, and writes it anew', async () => {
    const [cwd, cache] = [await project(), await makeTempDir()];
    healthyWeb(await run(PACKAGE, [], cwd, { CHECKUP_CACHE_DIR: cache }));
    const file = path.join(cache, (await cacheFiles(cache))[0] as string);
    const good = await readFile(file);

    // Garbage of the same length; one byte of V8's data changed; then data whose checksum
    // matches but whose V8 version is another.
    const garbage = Buffer.alloc(good.length, 0x5a);
    const flipped = Buffer.from(good);
    flipped[good.length - 100] = (flipped[good.length - 100] as number) ^ 1;
    const otherV8 = Buffer.from(good.subarray(16));
    otherV8.writeUInt32LE(otherV8.readUInt32LE(4) ^ 0xffff, 4);
    const stale = Buffer.concat([checksum(otherV8), otherV8]);
    for (const damaged of [garbage, flipped, stale]) {
      await writeFile(file, damaged);
      healthyWeb(await run(PACKAGE, [], cwd, { CHECKUP_CACHE_DIR: cache }));
      const rewritten = await readFile(file);
      expect(rewritten.equals(damaged)).toBe(false);
      expect(checksum(rewritten.subarray(16))).toEqual(rewritten.subarray(0, 16));
    }
  });

  it('runs without a cache, and says nothing of it, where the cache dir cannot be made', async () => {
    const cwd = await project();
    const blocker = path.join(await makeTempDir(), 'a-file');
    await writeFile(blocker, '');
    healthyWeb(await run(PACKAGE, [], cwd, { CHECKUP_CACHE_DIR: path.join(blocker, 'cache') }));
  });

  it('never runs the code of another build: a changed bundle of the same length gets a cache of its own', async () => {
    const [pkg, cwd, cache] = [await copyOfPackage(), await project(), await makeTempDir()];
    const before = await run(pkg, ['--version'], cwd, { CHECKUP_CACHE_DIR: cache });
    const version = /^checkup (\S+)\n$/.exec(before.stdout)?.[1] as string;
    expect(version).toBeDefined();
    const bundle = path.join(pkg, 'dist', 'cli.cjs');
    const other = version.replace(/\d/g, (digit) => String((Number(digit) + 1) % 10));
    const text = await readFile(bundle, 'utf8');
    expect(text).toContain(`checkup ${version}`);
    await writeFile(bundle, text.replaceAll(`checkup ${version}`, `checkup ${other}`));

    const after = await run(pkg, ['--version'], cwd, { CHECKUP_CACHE_DIR: cache });
    expect(after.stdout).toBe(`checkup ${other}\n`);
    expect(await cacheFiles(cache)).toHaveLength(2);
  });

  it('checks with dist/vendor removed: the AWS SDK and nodemailer load only for a config that needs them', async () => {
    const [pkg, cwd] = [await copyOfPackage(), await project()];
    await rm(path.join(pkg, 'dist', 'vendor'), { recursive: true });
    await mkdir(path.join(cwd, 'out'));
    const outcome = await run(pkg, ['--store'], cwd, { CHECKUP_CACHE_DIR: '' });
    expect(outcome.stderr).toBe('');
    expect(outcome.code).toBe(0);
  });
});
