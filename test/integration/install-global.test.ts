import { execFile, spawn } from 'node:child_process';
import { readdir, readFile, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningServer, startHttpServer } from '../helpers/servers.js';
import { makeTempDir, removeTempDirs } from '../helpers/temp-dir.js';

const run = promisify(execFile);
const ROOT = fileURLToPath(new URL('../..', import.meta.url));

// npm run by `npm test` hands its children npm_config_* settings (its prefix among them):
// the npm started here must see only what it is told, as a user's shell would.
const env = Object.fromEntries(
  Object.entries(process.env).filter(([key]) => !/^npm_(config|package|lifecycle)_/i.test(key)),
);

let prefix: string;
let checkup: string;
let site: RunningServer;

// The packed tarball, installed globally into a temporary prefix, offline: what a user gets
// from `npm pack` + `npm install -g checkup-<version>.tgz`. dist/ is built by `npm test`'s build
// step, so the pack skips the prepare script (a rebuild here would race the other CLI tests).
beforeAll(async () => {
  const work = await makeTempDir();
  const packed = await run('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', work], {
    cwd: ROOT,
    env,
  });
  const [{ filename }] = JSON.parse(packed.stdout) as [{ filename: string }];
  prefix = path.join(work, 'prefix');
  await run(
    'npm',
    [
      'install',
      '--global',
      '--prefix',
      prefix,
      '--offline',
      '--no-audit',
      '--no-fund',
      path.join(work, filename),
    ],
    { cwd: work, env },
  );
  checkup = path.join(prefix, 'bin', 'checkup');
  site = await startHttpServer((_request, response) => response.end('ok'));
}, 60_000);
afterAll(async () => {
  await site?.close();
  await removeTempDirs();
});

async function project(): Promise<string> {
  const dir = await makeTempDir();
  const config = { checkers: [{ type: 'http', endpoint_name: 'Site', endpoint_url: `${site.url}/` }] };
  await writeFile(path.join(dir, 'checkup.json'), JSON.stringify(config));
  return dir;
}

describe('checkup installed with npm install -g from the packed tarball', () => {
  it('is a command on PATH that knows its version, with no dependency to fetch', async () => {
    const { version } = JSON.parse(await readFile(path.join(ROOT, 'package.json'), 'utf8')) as {
      version: string;
    };
    const { stdout } = await run(checkup, ['--version'], { env });
    expect(stdout).toBe(`checkup ${version}\n`);
    const installed = path.join(prefix, 'lib', 'node_modules', 'checkup');
    expect((await readdir(installed)).sort()).toEqual(['README.md', 'bin', 'dist', 'package.json', 'schema']);
    expect(await readdir(path.join(installed, 'dist', 'statuspage'))).toEqual(
      expect.arrayContaining(['index.html', 'app.js', 'app-style.css']),
    );
  });

  it('checks a loopback server and prints the result', async () => {
    const { stdout } = await run(checkup, [], { cwd: await project(), env: { ...env, NO_COLOR: '1' } });
    expect(stdout).toContain(`== Site - ${site.url}/\n  Threshold: 0s\n`);
    expect(stdout).toContain(' Assessment: healthy\n');
  });

  it('stores in SQLite once better-sqlite3 is installed beside it, and says how before', async () => {
    const dir = await project();
    const config = JSON.parse(await readFile(path.join(dir, 'checkup.json'), 'utf8')) as object;
    const file = path.join(dir, 'checkup.db');
    await writeFile(
      path.join(dir, 'checkup.json'),
      JSON.stringify({ ...config, storage: { type: 'sqlite3', dsn: file, create: true } }),
    );
    const without = await run(checkup, ['--store'], { cwd: dir, env }).catch(
      (error: { code: number; stderr: string }) => error,
    );
    expect(without).toMatchObject({ code: 1 });
    expect((without as { stderr: string }).stderr).toContain(
      '"npm install -g better-sqlite3@12" next to a global checkup',
    );
    // Where `npm install -g better-sqlite3@12` puts it: a sibling of the global checkup.
    await symlink(
      path.join(ROOT, 'node_modules', 'better-sqlite3'),
      path.join(prefix, 'lib', 'node_modules', 'better-sqlite3'),
    );
    await run(checkup, ['--store'], { cwd: dir, env });
    const db = new Database(file, { readonly: true });
    try {
      expect(db.prepare('SELECT name FROM checks').all()).toHaveLength(1);
    } finally {
      db.close();
    }
  });

  it('serves the built status page', async () => {
    const child = spawn(checkup, ['serve', '--listen', '127.0.0.1:0'], { cwd: await project(), env });
    try {
      const url = await new Promise<string>((resolve, reject) => {
        let stderr = '';
        child.stderr.on('data', (chunk) => {
          stderr += chunk;
          const match = /serving the status page at (http:\/\/127\.0\.0\.1:\d+\/)/.exec(stderr);
          if (match) resolve(match[1] as string);
        });
        child.once('exit', () => reject(new Error(`checkup serve exited: ${stderr}`)));
      });
      const page = await fetch(url);
      expect(page.status).toBe(200);
      expect(await page.text()).toContain('<script type="module" src="app.js"');
    } finally {
      const exited = new Promise((resolve) => child.once('close', resolve));
      child.kill('SIGTERM');
      await exited;
    }
  });
});
