// depends_on, failure_rate and the delivery audit end to end with the built `checkup --store`.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startRecordingServer } from '../../helpers/recording-server.js';
import { runCli } from '../../helpers/run-cli.js';
import { startHttpServer } from '../../helpers/servers.js';
import { makeProject, removeTempDirs } from '../../helpers/temp-dir.js';

afterEach(removeTempDirs);

/** A server whose status per path is set by the test: `up.set('/db', false)`. */
async function switchableSite() {
  const up = new Map<string, boolean>();
  const server = await startHttpServer((request, response) => {
    response.writeHead(up.get(request.url ?? '') === false ? 503 : 200);
    response.end();
  });
  return { up, server };
}

describe('checkup --store: fewer, truer alerts', () => {
  it('rolls the dependents of a down endpoint into its alert, and alerts those still down when it recovers', async () => {
    const { up, server } = await switchableSite();
    const hook = await startRecordingServer();
    try {
      const cwd = await makeProject({
        checkers: [
          { type: 'http', endpoint_name: 'Database', endpoint_url: `${server.url}/db` },
          { type: 'http', endpoint_name: 'API', endpoint_url: `${server.url}/api`, depends_on: 'Database' },
          { type: 'http', endpoint_name: 'Shop', endpoint_url: `${server.url}/shop`, depends_on: 'API' },
        ],
        storage: { type: 'fs', dir: 'checks' },
        notifiers: [{ type: 'webhook', url: `${hook.url}/alerts` }],
      });
      for (const part of ['/db', '/api', '/shop']) up.set(part, false);
      const down = await runCli(['--store'], cwd);
      expect(down.stderr).toMatch(/alerted webhook: down Database\n$/);
      up.set('/db', true);
      up.set('/shop', true);
      await runCli(['--store'], cwd);

      const texts = hook.requests.map((request) => (request.json as { text: string }).text);
      expect(texts).toEqual([
        'Database is down; 2 dependent endpoints affected',
        expect.stringMatching(/^Database recovered after/),
        'API is down',
      ]);
    } finally {
      await server.close();
      await hook.close();
    }
  });

  it('alerts when 2 of the last 3 runs failed, though never twice in a row', async () => {
    const { up, server } = await switchableSite();
    const hook = await startRecordingServer();
    try {
      const cwd = await makeProject({
        checkers: [{ type: 'http', endpoint_name: 'Flaky', endpoint_url: `${server.url}/flaky` }],
        storage: { type: 'fs', dir: 'checks' },
        notifiers: [
          {
            type: 'webhook',
            url: `${hook.url}/alerts`,
            failure_threshold: 3,
            failure_rate: { failures: 2, runs: 3 },
          },
        ],
      });
      for (const ok of [false, true, false]) {
        up.set('/flaky', ok);
        await runCli(['--store'], cwd);
      }
      const texts = hook.requests.map((request) => (request.json as { text: string }).text);
      expect(texts).toEqual(['Flaky is down; 2 of the last 3 runs failed']);
    } finally {
      await server.close();
      await hook.close();
    }
  });

  it('keeps every delivery in the alert state and raises an alarm line when a notifier keeps failing', async () => {
    const { up, server } = await switchableSite();
    const hook = await startRecordingServer();
    hook.answer(
      { status: 403, body: 'revoked' },
      { status: 403, body: 'revoked' },
      { status: 403, body: 'revoked' },
    );
    try {
      const cwd = await makeProject({
        checkers: [{ type: 'http', endpoint_name: 'Shop', endpoint_url: `${server.url}/shop` }],
        storage: { type: 'fs', dir: 'checks' },
        notifiers: [{ type: 'webhook', id: 'ops-hook', url: `${hook.url}/alerts` }],
      });
      up.set('/shop', false);
      const runs = [];
      for (let n = 0; n < 4; n++) runs.push(await runCli(['--store'], cwd));
      expect(runs[0]?.stderr).toContain('not alerted ops-hook: down Shop: ops-hook: HTTP 403: revoked');
      expect(runs[1]?.stderr).not.toContain('ALARM');
      expect(runs[2]?.stderr).toMatch(
        /checkup: ALARM: notifier "ops-hook" keeps failing: 3 deliveries in a row since \S+Z; last error: ops-hook: HTTP 403: revoked\n/,
      );
      // The fourth run delivers the queued alert: the row of failures ends.
      expect(runs[3]?.stderr).toMatch(/alerted ops-hook: down Shop\n/);
      expect(runs[3]?.stderr).not.toContain('ALARM');

      const { state } = JSON.parse(await readFile(path.join(cwd, 'checks', 'alert-state.json'), 'utf8'));
      expect(
        state.deliveries.map((entry: { ok: boolean; kind: string }) => `${entry.kind} ${entry.ok}`),
      ).toEqual(['down false', 'down false', 'down false', 'down true']);
      expect(state.notifierHealth['ops-hook']).toMatchObject({ failures: 0 });
    } finally {
      await server.close();
      await hook.close();
    }
  });
});
