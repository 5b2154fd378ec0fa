import { spawn } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { BIN } from '../helpers/run-cli.js';
import { type RunningServer, startHttpServer } from '../helpers/servers.js';
import { makeProject, removeTempDirs } from '../helpers/temp-dir.js';

/** Built-in modules a plain HTTP check has no use for: the command loads them on first use. */
const NOT_FOR_A_PLAIN_CHECK = ['http', 'https', 'tls', 'zlib', 'child_process', 'dns', 'worker_threads'];

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
});
