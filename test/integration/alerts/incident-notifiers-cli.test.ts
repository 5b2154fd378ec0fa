import { afterEach, describe, expect, it } from 'vitest';
import { awsCliEnv } from '../../helpers/aws-cli-env.js';
import { startSsmServer } from '../../helpers/fake-ssm.js';
import { startRecordingServer } from '../../helpers/recording-server.js';
import { runCli } from '../../helpers/run-cli.js';
import { startHttpServer } from '../../helpers/servers.js';
import { makeProject, removeTempDirs } from '../../helpers/temp-dir.js';

afterEach(removeTempDirs);

const ROUTING_KEY = 'R0UTING-KEY-0123456789abcdef0123';
const SIG = 'sig-0123456789abcdef';

describe('the built checkup with PagerDuty and Teams', () => {
  it('opens a PagerDuty incident when an endpoint goes down and resolves that incident when it recovers, with Teams told both', async () => {
    let up = false;
    const site = await startHttpServer((_request, response) => {
      response.writeHead(up ? 200 : 503);
      response.end();
    });
    const receiver = await startRecordingServer();
    const ssm = await startSsmServer();
    ssm.parameters.set('/checkup/pagerduty', { value: ROUTING_KEY, tier: 'Standard' });
    try {
      const cwd = await makeProject({
        checkers: [{ type: 'http', endpoint_name: 'Shop', endpoint_url: site.url }],
        storage: { type: 'fs', dir: 'checks' },
        notifiers: [
          { type: 'pagerduty', routing_key: 'ssm:/checkup/pagerduty', api_url: receiver.url },
          { type: 'teams', webhook: `${receiver.url}/workflows/w1/invoke?sig=${SIG}` },
        ],
      });
      const env = awsCliEnv({ AWS_ENDPOINT_URL_SSM: ssm.url });

      const down = await runCli(['--store'], cwd, env);
      expect(down.code).toBe(1);
      expect(down.stderr).toMatch(/ alerted pagerduty: down Shop\n/);
      expect(down.stderr).toMatch(/ alerted teams: down Shop\n/);
      const again = await runCli(['--store'], cwd, env);
      expect(again.code).toBe(1);
      up = true;
      const recovered = await runCli(['--store'], cwd, env);
      expect(recovered.code).toBe(0);
      expect(recovered.stderr).toMatch(/ alerted pagerduty: recovered Shop\n/);

      const events = receiver.requests
        .filter((request) => request.path === '/v2/enqueue')
        .map((request) => request.json as { routing_key: string; event_action: string; dedup_key: string });
      expect(events.map((event) => event.event_action)).toEqual(['trigger', 'resolve']);
      expect(events.every((event) => event.routing_key === ROUTING_KEY)).toBe(true);
      expect(events[0]?.dedup_key).toMatch(/^checkup-shop-[0-9a-f]{16}$/);
      expect(events[1]?.dedup_key).toBe(events[0]?.dedup_key);

      const cards = receiver.requests
        .filter((request) => request.path.startsWith('/workflows/w1/invoke'))
        .map((request) => (request.json as { summary: string }).summary);
      expect(cards).toEqual(['Shop is down', expect.stringMatching(/^Shop recovered after \S+ down$/)]);

      for (const outcome of [down, again, recovered])
        for (const secret of [ROUTING_KEY, SIG])
          expect(outcome.stdout + outcome.stderr).not.toContain(secret);
    } finally {
      await Promise.all([site.close(), receiver.close(), ssm.close()]);
    }
  }, 60_000);

  it('notify test sends through both and says which failed, without showing a secret', async () => {
    const receiver = await startRecordingServer();
    const ssm = await startSsmServer();
    ssm.parameters.set('/checkup/pagerduty', { value: ROUTING_KEY, tier: 'Standard' });
    // PagerDuty answers the test, Teams refuses it quoting its URL back.
    receiver.answer(
      { status: 202, body: '{"status":"success"}' },
      { status: 400, body: `bad workflow ?sig=${SIG}` },
    );
    try {
      const cwd = await makeProject({
        checkers: [],
        notifiers: [
          { type: 'pagerduty', routing_key: 'ssm:/checkup/pagerduty', api_url: receiver.url },
          { type: 'teams', webhook: `${receiver.url}/workflows/w1/invoke?sig=${SIG}` },
        ],
      });
      const outcome = await runCli(['notify', 'test'], cwd, awsCliEnv({ AWS_ENDPOINT_URL_SSM: ssm.url }));
      expect(outcome.stdout).toBe('pagerduty: sent\nteams: FAILED: teams: HTTP 400: bad workflow ?sig=***\n');
      expect(outcome.code).toBe(1);
      const [event, card] = receiver.requests;
      expect(event?.json).toMatchObject({
        routing_key: ROUTING_KEY,
        event_action: 'trigger',
        dedup_key: 'checkup-test-pagerduty',
        payload: { severity: 'info', summary: 'Test alert from checkup: notifier "pagerduty" works' },
      });
      expect(card?.json).toMatchObject({
        type: 'message',
        attachments: [{ contentType: 'application/vnd.microsoft.card.adaptive' }],
      });
      expect(outcome.stdout + outcome.stderr).not.toContain(ROUTING_KEY);
    } finally {
      await Promise.all([receiver.close(), ssm.close()]);
    }
  });
});
