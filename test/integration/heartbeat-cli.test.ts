// Heartbeats end to end with the built `checkup`: `checkup serve` receives pings as a job sends
// them (curl-like requests), and the next `checkup --store` judges them and alerts.
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startRecordingServer } from '../helpers/recording-server.js';
import { runCli } from '../helpers/run-cli.js';
import { startServe } from '../helpers/start-serve.js';
import { makeProject, makeTempDir, removeTempDirs } from '../helpers/temp-dir.js';

afterEach(removeTempDirs);

const TOKEN = 'nightly-Backup_0123456789abcdef';

describe('heartbeat checks with checkup serve', () => {
  it('is down until a ping comes, up after one, down after /fail; the token is never shown', async () => {
    const hook = await startRecordingServer();
    const dir = await makeTempDir();
    const config = {
      checkers: [
        { type: 'heartbeat', endpoint_name: 'Nightly backup', token: TOKEN, period: '1h', grace: '10m' },
      ],
      notifiers: [{ type: 'webhook', url: `${hook.url}/alerts` }],
    };
    const serve = await startServe(dir, config);
    try {
      const first = await runCli(['--store'], dir);
      expect(first.code).toBe(1);
      expect(first.stdout).toContain('no ping received yet (expected every 1h0m0s, grace 10m0s)');

      const ping = await fetch(`${serve.url}/ping/${TOKEN}`, {
        method: 'POST',
        body: 'copied 12 files \u001b]0;owned\u0007 in 3s',
      });
      expect([ping.status, await ping.text()]).toEqual([200, 'ok\n']);
      const up = await runCli(['--store'], dir);
      expect(up.code).toBe(0);
      expect(up.stdout).toContain('Message: copied 12 files ]0;owned in 3s');
      expect(up.stdout).not.toContain('\u001b');

      expect((await fetch(`${serve.url}/ping/${TOKEN}/fail?msg=disk%20full`)).status).toBe(200);
      const failed = await runCli(['--store'], dir);
      expect(failed.code).toBe(1);
      expect(failed.stdout).toContain('the job reported a failure');
      expect(failed.stdout).toContain('disk full');

      const alerts = hook.requests.map((request) => (request.json as { text: string }).text);
      expect(alerts).toEqual([
        'Nightly backup is down',
        expect.stringMatching(/^Nightly backup recovered after/),
        'Nightly backup is down',
      ]);

      // Not on the page's data, not in serve's log, not in the stored files' names or contents.
      const summary = await (await fetch(`${serve.url}/data/summary.json`)).text();
      expect(summary).toContain('Nightly backup');
      expect(summary).not.toContain(TOKEN);
      expect(serve.stderr()).toContain('ping Nightly backup: ok');
      expect(serve.stderr()).toContain('ping Nightly backup: fail');
      expect(serve.stderr()).not.toContain(TOKEN);
      const stored = await readdir(path.join(serve.dataDir, 'heartbeats'));
      for (const name of stored) {
        expect(name).not.toContain(TOKEN);
        expect(await readFile(path.join(serve.dataDir, 'heartbeats', name), 'utf8')).not.toContain(TOKEN);
      }
    } finally {
      await serve.stop();
      await hook.close();
    }
  });

  it('refuses unknown tokens, oversized bodies and floods, and writes nothing for them', async () => {
    const dir = await makeTempDir();
    const serve = await startServe(dir, {
      checkers: [{ type: 'heartbeat', endpoint_name: 'Cron', token: TOKEN, period: '5m' }],
    });
    try {
      const unknown = await fetch(`${serve.url}/ping/${TOKEN.replace('0', '1')}`);
      expect([unknown.status, await unknown.text()]).toEqual([404, 'no such heartbeat\n']);
      await expect(readdir(path.join(serve.dataDir, 'heartbeats'))).rejects.toThrow(/ENOENT/);

      const large = await fetch(`${serve.url}/ping/${TOKEN}`, { method: 'POST', body: 'x'.repeat(5000) });
      expect(large.status).toBe(413);

      const statuses: number[] = [];
      for (let n = 0; n < 12; n++) statuses.push((await fetch(`${serve.url}/ping/${TOKEN}`)).status);
      expect(statuses.slice(0, 10)).toEqual(Array(10).fill(200));
      expect(statuses.slice(10)).toEqual([429, 429]);
      expect((await fetch(`${serve.url}/ping/${TOKEN}`, { method: 'DELETE' })).status).toBe(405);
    } finally {
      await serve.stop();
    }
  });

  it('says which key of which checker is wrong, and exits 2', async () => {
    const cwd = await makeProject({
      checkers: [
        { type: 'heartbeat', endpoint_name: 'Cron', token: 'short', period: '5m' },
        { type: 'heartbeat', endpoint_name: 'Other', token: TOKEN, period: 'often', depends_on: 'Nope' },
      ],
    });
    const outcome = await runCli([], cwd);
    expect(outcome.code).toBe(2);
    expect(outcome.stderr).toContain('checkers[0].token: 16 to 128 letters');
    expect(outcome.stderr).toContain('checkers[1].period: not a duration');
    expect(outcome.stderr).toContain('checkers[1].depends_on: no checker is named "Nope"');
  });
});
