import { afterEach, describe, expect, it } from 'vitest';
import { startRecordingServer } from '../../helpers/recording-server.js';
import { runCli, startCli } from '../../helpers/run-cli.js';
import { startHttpServer } from '../../helpers/servers.js';
import { makeProject, removeTempDirs } from '../../helpers/temp-dir.js';

afterEach(removeTempDirs);

describe('checkup notify test', () => {
  it('sends a test message through every notifier and says how each went', async () => {
    const good = await startRecordingServer();
    const bad = await startRecordingServer();
    bad.answer({ status: 404, body: 'no_such_hook' });
    try {
      const cwd = await makeProject({
        checkers: [],
        notifiers: [
          { type: 'slack', webhook: `${good.url}/slack`, channel: '#ops' },
          { type: 'discord', webhook: `${good.url}/discord` },
          { type: 'webhook', url: `${bad.url}/hook` },
        ],
      });
      const outcome = await runCli(['notify', 'test'], cwd);
      expect(outcome.stdout).toBe(
        'slack: sent\ndiscord: sent\nwebhook: FAILED: webhook: HTTP 404: no_such_hook\n',
      );
      expect(outcome.code).toBe(1);
      expect(good.requests.map((request) => request.path).sort()).toEqual(['/discord', '/slack']);
      const slack = good.requests.find((request) => request.path === '/slack')?.json;
      expect(slack).toMatchObject({
        text: '🧪 Test alert from checkup: notifier "slack" works',
        channel: '#ops',
      });
    } finally {
      await good.close();
      await bad.close();
    }
  });

  it('accepts checkup’s old single notifier with name, and exits 0 when it is delivered', async () => {
    const hook = await startRecordingServer();
    try {
      const cwd = await makeProject({ checkers: [], notifier: { name: 'slack', webhook: hook.url } });
      const outcome = await runCli(['notify', 'test'], cwd);
      expect(outcome).toMatchObject({ code: 0, stdout: 'slack: sent\n' });
      expect(hook.requests).toHaveLength(1);
    } finally {
      await hook.close();
    }
  });

  it('exits 2 naming the place when no notifier is configured, or a notifier key is wrong', async () => {
    const none = await runCli(['notify', 'test'], await makeProject({ checkers: [] }));
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('checkup.json: notifiers: none configured');

    const wrong = await runCli(
      ['notify', 'test'],
      await makeProject({ checkers: [], notifiers: [{ type: 'slack', webhok: 'https://hooks.example' }] }),
    );
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toContain('checkup.json: notifiers[0].webhok: unknown key; did you mean "webhook"?');
    expect(wrong.stderr).toContain('checkup.json: notifiers[0].webhook: required');
  });

  it('exits 2 when notify is not followed by test', async () => {
    const outcome = await runCli(['notify'], await makeProject({ checkers: [] }));
    expect(outcome.code).toBe(2);
    expect(outcome.stderr).toContain('notify takes one word: "checkup notify test"');
  });
});

describe('checkup every with notifiers', () => {
  it('alerts once when an endpoint goes down and once when it recovers, however many runs pass', async () => {
    let up = false;
    const site = await startHttpServer((_request, response) => {
      response.writeHead(up ? 200 : 500);
      response.end();
    });
    const hook = await startRecordingServer();
    const cwd = await makeProject({
      checkers: [{ type: 'http', endpoint_name: 'Shop', endpoint_url: site.url }],
      notifiers: [{ type: 'webhook', url: hook.url }],
    });
    const { child, outcome } = startCli(['every', '1s'], cwd);
    try {
      await hook.waitFor(1);
      // Let a few more failing runs pass: none of them may alert again.
      await new Promise((resolve) => setTimeout(resolve, 2500));
      up = true;
      await hook.waitFor(2);
      await new Promise((resolve) => setTimeout(resolve, 2500));
    } finally {
      child.kill('SIGINT');
      await outcome;
      await site.close();
      await hook.close();
    }
    expect(hook.requests.map((request) => (request.json as { type: string }).type)).toEqual([
      'checkup.down',
      'checkup.recovered',
    ]);
  }, 60_000);
});
