import { spawn } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { BIN } from '../helpers/run-cli.js';
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
 * Runs the built `checkup` in `cwd` with a preloaded script that writes, as the process exits,
 * the built-in modules Node loaded (process.moduleLoadList) to loaded.json.
 */
async function runListingModules(cwd: string, args: string[]) {
  const preload = path.join(cwd, 'list-modules.cjs');
  await writeFile(
    preload,
    `process.on('exit', () => require('node:fs').writeFileSync(${JSON.stringify(path.join(cwd, 'loaded.json'))}, ` +
      `JSON.stringify(process.moduleLoadList.filter((m) => m.startsWith('NativeModule ')).map((m) => m.slice(13)))));\n`,
  );
  const child = spawn(process.execPath, ['--require', preload, BIN, ...args], {
    cwd,
    env: { ...process.env, NO_COLOR: '1' },
  });
  let stdout = '';
  child.stdout.on('data', (chunk) => {
    stdout += chunk;
  });
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  const loaded = JSON.parse(await readFile(path.join(cwd, 'loaded.json'), 'utf8')) as string[];
  return { code, stdout, loaded };
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
 * Runs the built `checkup` in `cwd` with a preloaded script that lists, as the process exits,
 * the `type` of each config schema zod built (through zod's global post-processor hook, which
 * sees every schema made): the literal values of its literal schemas, in types.json.
 */
async function runListingSchemaTypes(cwd: string, args: string[]) {
  const preload = path.join(cwd, 'list-types.cjs');
  await writeFile(
    preload,
    `const types = new Set();
globalThis.__zod_globalConfig = { postProcessor: (schema) => {
  const def = schema._zod && schema._zod.def;
  if (def && def.type === 'literal') for (const value of def.values) types.add(value);
} };
process.on('exit', () => require('node:fs').writeFileSync(${JSON.stringify(path.join(cwd, 'types.json'))}, JSON.stringify([...types])));\n`,
  );
  const child = spawn(process.execPath, ['--require', preload, BIN, ...args], {
    cwd,
    env: { ...process.env, NO_COLOR: '1' },
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk) => {
    stdout += chunk;
  });
  child.stderr.on('data', (chunk) => {
    stderr += chunk;
  });
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  const types = JSON.parse(await readFile(path.join(cwd, 'types.json'), 'utf8')) as string[];
  return { code, stdout, stderr, types };
}
