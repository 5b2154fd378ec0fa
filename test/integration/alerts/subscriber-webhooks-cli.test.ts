import { createHmac } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { startRecordingServer } from '../../helpers/recording-server.js';
import { runCli } from '../../helpers/run-cli.js';
import { startHttpServer } from '../../helpers/servers.js';
import { makeProject, removeTempDirs } from '../../helpers/temp-dir.js';

afterEach(removeTempDirs);

describe('checkup --store with subscriber webhooks', () => {
  it('tells each subscriber of the status changes it asked for, retrying a failed delivery', async () => {
    let up = false;
    const site = await startHttpServer((_request, response) => {
      response.writeHead(up ? 200 : 503);
      response.end();
    });
    const hook = await startRecordingServer();
    // The first delivery fails once: the shared sender tries again.
    hook.answer({ status: 503 });
    try {
      const cwd = await makeProject({
        checkers: [{ type: 'http', endpoint_name: 'Shop', endpoint_url: site.url }],
        storage: { type: 'fs', dir: 'checks' },
        subscribers: {
          webhooks: [
            { url: `${hook.url}/all`, secret: 'shh' },
            { url: `${hook.url}/recoveries`, events: ['recovered'] },
          ],
        },
      });

      const down = await runCli(['--store'], cwd);
      expect(down.code).toBe(1);
      up = true;
      const recovered = await runCli(['--store'], cwd);
      expect(recovered.code).toBe(0);

      const delivered = (path: string) =>
        hook.requests
          .filter((request) => request.path === path)
          .map((request) => (request.json as { type: string }).type);
      // The down alert twice: answered 503, then sent again.
      expect(delivered('/all')).toEqual(['checkup.down', 'checkup.down', 'checkup.recovered']);
      expect(delivered('/recoveries')).toEqual(['checkup.recovered']);
      const signed = hook.requests.find((request) => request.path === '/all');
      const expected = `sha256=${createHmac('sha256', 'shh')
        .update(signed?.body ?? '')
        .digest('hex')}`;
      expect(signed?.headers['x-checkup-signature']).toBe(expected);
    } finally {
      await site.close();
      await hook.close();
    }
  });

  it('refuses a subscriber webhook that is not a URL, naming its place, with exit 2', async () => {
    const cwd = await makeProject({
      checkers: [{ type: 'http', endpoint_name: 'Shop', endpoint_url: 'http://127.0.0.1:9/' }],
      subscribers: { webhooks: [{ url: 'mailto:someone' }, { url: 'https://x.test', events: ['sunny'] }] },
    });
    const outcome = await runCli(['--store'], cwd);
    expect(outcome.code).toBe(2);
    expect(outcome.stderr).toContain('subscribers.webhooks[0].url: not an http(s) URL');
    expect(outcome.stderr).toContain('subscribers.webhooks[1].events[0]:');
  });
});
