// The probe confirms its own connectivity before declaring many endpoints down: the built bin
// against real loopback servers, with a canary that is or is not reachable.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Result } from '../../core/result.js';
import { type RecordingServer, startRecordingServer } from '../helpers/recording-server.js';
import { runCli } from '../helpers/run-cli.js';
import { closedPort, startHttpServer } from '../helpers/servers.js';
import { makeProject, removeTempDirs } from '../helpers/temp-dir.js';

let hook: RecordingServer;
afterEach(async () => {
  await hook?.close();
  await removeTempDirs();
});

async function project(canaryUrl: string) {
  const [shop, api] = [await closedPort(), await closedPort()];
  return makeProject({
    checkers: [
      { type: 'http', endpoint_name: 'Shop', endpoint_url: `http://127.0.0.1:${shop}/` },
      { type: 'tcp', endpoint_name: 'API', endpoint_url: `127.0.0.1:${api}` },
    ],
    canary: { type: 'http', endpoint_url: canaryUrl },
    storage: { type: 'fs', dir: 'checks' },
    notifiers: [{ type: 'webhook', url: `${hook.url}/alerts` }],
  });
}

async function storedResults(cwd: string): Promise<Result[]> {
  const index = JSON.parse(await readFile(path.join(cwd, 'checks', 'index.json'), 'utf8'));
  const [name] = Object.keys(index);
  return JSON.parse(await readFile(path.join(cwd, 'checks', name as string), 'utf8')) as Result[];
}

describe('checkup --store when every endpoint is unreachable', () => {
  it('records the run as probe offline and alerts nothing when the canary is unreachable too', async () => {
    hook = await startRecordingServer();
    const cwd = await project(`http://127.0.0.1:${await closedPort()}/`);
    const outcome = await runCli(['--store'], cwd);
    expect(outcome.code).toBe(1);
    expect(hook.requests).toEqual([]);
    const results = await storedResults(cwd);
    expect(results.map((result) => [result.title, result.probeOffline, result.down])).toEqual([
      ['Shop', true, true],
      ['API', true, true],
    ]);
    expect(results[0]?.notice).toMatch(/^probe offline: canary http:\/\/127\.0\.0\.1:\d+\/ is down too/);
  });

  it('alerts as usual when the canary answers: the outage is real', async () => {
    hook = await startRecordingServer();
    const canary = await startHttpServer((_request, response) => response.end('ok'));
    try {
      const cwd = await project(canary.url);
      await runCli(['--store'], cwd);
      expect(hook.requests.map((request) => (request.json as { type: string }).type).sort()).toEqual([
        'checkup.down',
        'checkup.down',
      ]);
      expect((await storedResults(cwd)).every((result) => result.probeOffline === undefined)).toBe(true);
    } finally {
      await canary.close();
    }
  });

  it('names the canary in a config error, exit 2', async () => {
    hook = await startRecordingServer();
    const cwd = await makeProject({ checkers: [], canary: { type: 'http', endpoint_url: 'ftp://x' } });
    const outcome = await runCli([], cwd);
    expect(outcome.code).toBe(2);
    expect(outcome.stderr).toContain('canary.endpoint_url: not an http(s) URL');
  });
});
