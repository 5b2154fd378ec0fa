import { afterEach, describe, expect, it } from 'vitest';
import { startRecordingServer } from '../../helpers/recording-server.js';
import { runCli } from '../../helpers/run-cli.js';
import { startHttpServer } from '../../helpers/servers.js';
import { makeProject, removeTempDirs } from '../../helpers/temp-dir.js';

afterEach(removeTempDirs);

describe('checkup --store with notifiers', () => {
  it('posts one alert when an endpoint goes down and one recovery when it comes back', async () => {
    let up = false;
    const site = await startHttpServer((_request, response) => {
      response.writeHead(up ? 200 : 503);
      response.end();
    });
    const hook = await startRecordingServer();
    try {
      const cwd = await makeProject({
        checkers: [{ type: 'http', endpoint_name: 'Shop', endpoint_url: site.url }],
        storage: { type: 'fs', dir: 'checks' },
        notifiers: [{ type: 'webhook', url: `${hook.url}/alerts` }],
      });

      const down = await runCli(['--store'], cwd);
      expect(down.code).toBe(1);
      const again = await runCli(['--store'], cwd);
      expect(again.code).toBe(1);
      up = true;
      const recovered = await runCli(['--store'], cwd);
      expect(recovered.stderr).toMatch(/^\S+Z alerted webhook: recovered Shop\n$/);
      expect(recovered.code).toBe(0);

      const alerts = hook.requests.map((request) => request.json as { type: string; text: string });
      expect(hook.requests.every((request) => request.path === '/alerts')).toBe(true);
      expect(alerts.map((alert) => alert.type)).toEqual(['checkup.down', 'checkup.recovered']);
      expect(alerts[0]?.text).toBe('Shop is down');
      expect(alerts[1]?.text).toMatch(/^Shop recovered after \S+ down$/);
    } finally {
      await site.close();
      await hook.close();
    }
  });

  it('exits 1 and says what failed when the alert cannot be delivered', async () => {
    const site = await startHttpServer((_request, response) => {
      response.writeHead(503);
      response.end();
    });
    const hook = await startRecordingServer();
    hook.answer({ status: 403, body: 'no_service' });
    try {
      const cwd = await makeProject({
        checkers: [{ type: 'http', endpoint_name: 'Shop', endpoint_url: site.url }],
        notifiers: [{ type: 'slack', webhook: `${hook.url}/services/secret-path` }],
      });
      const outcome = await runCli(['--store'], cwd);
      expect(outcome.code).toBe(1);
      expect(outcome.stderr).toContain('slack: HTTP 403: no_service');
      expect(outcome.stderr).not.toContain('secret-path');
    } finally {
      await site.close();
      await hook.close();
    }
  });
});
