import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/run-cli.js';
import { type RunningServer, startHttpServer } from '../helpers/servers.js';
import { makeProject, removeTempDirs } from '../helpers/temp-dir.js';

/**
 * Built-in modules a plain HTTP check has no use for: the command loads them on first use (and
 * its code cache is checked without node:crypto).
 */
const NOT_FOR_A_PLAIN_CHECK = [
  'http',
  'https',
  'tls',
  'zlib',
  'child_process',
  'dns',
  'worker_threads',
  'crypto',
];

let server: RunningServer;
beforeAll(async () => {
  server = await startHttpServer((_request, response) => response.end('ok'));
});
afterAll(() => server.close());
afterEach(removeTempDirs);

/**
 * Runs the built `checkup` in `cwd`, as runCli does, with `script` preloaded (NODE_OPTIONS
 * --require), and returns with its outcome the JSON the script wrote to `out` as the process
 * exited. The script is given the path of `out` as a JSON string.
 */
async function runWithPreload<T>(cwd: string, args: string[], script: (out: string) => string) {
  const preload = path.join(cwd, 'preload.cjs');
  const out = path.join(cwd, 'preload-out.json');
  await writeFile(preload, script(JSON.stringify(out)));
  const outcome = await runCli(args, cwd, { NODE_OPTIONS: `--require ${JSON.stringify(preload)}` });
  return { ...outcome, listed: JSON.parse(await readFile(out, 'utf8')) as T };
}

/** The built-in modules Node loaded (process.moduleLoadList), listed as the process exits. */
async function runListingModules(cwd: string, args: string[]) {
  const { code, stdout, listed } = await runWithPreload<string[]>(
    cwd,
    args,
    (out) =>
      `process.on('exit', () => require('node:fs').writeFileSync(${out}, ` +
      `JSON.stringify(process.moduleLoadList.filter((m) => m.startsWith('NativeModule ')).map((m) => m.slice(13)))));\n`,
  );
  return { code, stdout, loaded: listed };
}

describe('start-up of the built command', () => {
  it('checks a plain http endpoint without loading the built-ins only other checks use', async () => {
    const dir = await makeProject({
      checkers: [{ type: 'http', endpoint_name: 'web', endpoint_url: `${server.url}/` }],
    });
    const { code, stdout, loaded } = await runListingModules(dir, []);
    expect(stdout).toContain('Assessment: healthy');
    expect(code).toBe(0);
    expect(loaded).toContain('net');
    expect(loaded.filter((name) => NOT_FOR_A_PLAIN_CHECK.includes(name))).toEqual([]);
  });

  it('loads them when a check needs them (https through node:tls, exec through node:child_process)', async () => {
    const dir = await makeProject({
      checkers: [
        { type: 'exec', name: 'true', command: process.execPath, arguments: ['-e', '0'] },
        { type: 'http', endpoint_name: 'no tls', endpoint_url: 'https://127.0.0.1:1/', timeout: '2s' },
      ],
    });
    const { stdout, loaded } = await runListingModules(dir, []);
    expect(stdout).toMatch(/== true - [^\n]*\n(?:.*\n)*? Assessment: healthy/);
    expect(stdout).toContain('== no tls - https://127.0.0.1:1/');
    expect(stdout).toContain('connection refused');
    expect(loaded).toEqual(expect.arrayContaining(['child_process', 'tls', 'https']));
  });

  it('builds the config schemas of the types and sections the config uses only', async () => {
    const dir = await makeProject({
      checkers: [{ type: 'http', endpoint_name: 'web', endpoint_url: `${server.url}/` }],
      storage: { type: 'fs', dir: 'out' },
    });
    const { code, stdout, types } = await runListingSchemaTypes(dir, ['--store']);
    expect(stdout).toContain('Assessment: healthy');
    expect(code).toBe(0);
    expect(types).toEqual(expect.arrayContaining(['http', 'fs']));
    // Other checker, storage and notifier types are built when a config names one.
    expect(
      types.filter((type) => ['tcp', 'exec', 's3', 'dynamodb', 'slack', 'webhook'].includes(type)),
    ).toEqual([]);
  });

  it('still refuses a bad item of a type it had not built, naming its place (exit 2)', async () => {
    const dir = await makeProject({
      checkers: [
        { type: 'http', endpoint_name: 'web', endpoint_url: `${server.url}/` },
        { type: 'tcp', endpoint_name: 'db', endpoint_url: '127.0.0.1:70000' },
      ],
      notifiers: [{ type: 'slack', webhook: 'not a url' }],
    });
    const { code, stderr, types } = await runListingSchemaTypes(dir, ['--store']);
    expect(stderr).toContain('checkers[1].endpoint_url: port 70000 is out of range (1-65535)');
    expect(stderr).toContain('notifiers[0].webhook: not an http(s) URL or ssm:/path');
    expect(code).toBe(2);
    expect(types).toEqual(expect.arrayContaining(['http', 'tcp', 'slack']));
  });
});

/**
 * The `type` of each config schema zod built (through zod's global post-processor hook, which
 * sees every schema made): the literal values of its literal schemas, listed as the process exits.
 */
async function runListingSchemaTypes(cwd: string, args: string[]) {
  const { code, stdout, stderr, listed } = await runWithPreload<string[]>(
    cwd,
    args,
    (out) => `const types = new Set();
globalThis.__zod_globalConfig = { postProcessor: (schema) => {
  const def = schema._zod && schema._zod.def;
  if (def && def.type === 'literal') for (const value of def.values) types.add(value);
} };
process.on('exit', () => require('node:fs').writeFileSync(${out}, JSON.stringify([...types])));\n`,
  );
  return { code, stdout, stderr, types: listed };
}
