import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { runListingSchemaTypes, runWithPreload } from '../helpers/run-with-preload.js';
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
