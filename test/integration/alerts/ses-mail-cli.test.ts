import { afterEach, describe, expect, it } from 'vitest';
import { validateConfig } from '../../../core/config/parse-config.js';
import { awsCliEnv } from '../../helpers/aws-cli-env.js';
import { runCli } from '../../helpers/run-cli.js';
import { startHttpServer } from '../../helpers/servers.js';
import { startSesServer } from '../../helpers/ses-server.js';
import { makeProject, removeTempDirs } from '../../helpers/temp-dir.js';

afterEach(removeTempDirs);

const mail = (extra: Record<string, unknown>) => ({
  type: 'mail',
  from: 'Checkup <alerts@example.com>',
  to: ['ops@example.com', 'oncall@example.com'],
  subject: '[checkup]',
  ...extra,
});

describe('mail through Amazon SES', () => {
  it('mails a down alert and a recovery from the built checkup through the SES API', async () => {
    let up = false;
    const site = await startHttpServer((_request, response) => {
      response.writeHead(up ? 200 : 503);
      response.end();
    });
    const ses = await startSesServer(['example.com']);
    try {
      const cwd = await makeProject({
        checkers: [{ type: 'http', endpoint_name: 'Shop', endpoint_url: site.url }],
        storage: { type: 'fs', dir: 'checks' },
        notifiers: [mail({ ses: {} })],
      });
      const env = awsCliEnv({ AWS_ENDPOINT_URL_SESV2: ses.url });
      const down = await runCli(['--store'], cwd, env);
      expect(down.stderr).toMatch(/ alerted mail: down Shop\n/);
      up = true;
      const recovered = await runCli(['--store'], cwd, env);
      expect(recovered.stderr).toMatch(/ alerted mail: recovered Shop\n/);
      expect(ses.sent.map((sent) => [sent.from, sent.to, sent.subject])).toEqual([
        ['Checkup <alerts@example.com>', ['ops@example.com', 'oncall@example.com'], '[checkup] Shop is down'],
        [
          'Checkup <alerts@example.com>',
          ['ops@example.com', 'oncall@example.com'],
          expect.stringMatching(/^\[checkup\] Shop recovered after /),
        ],
      ]);
      expect(ses.sent[0]?.text).toContain('Shop is down');
      expect(ses.sent[0]?.html).toContain('<h2>Shop is down</h2>');
    } finally {
      await site.close();
      await ses.close();
    }
  });

  it('reports a sender SES has not verified, without retrying it', async () => {
    const ses = await startSesServer(['example.org']);
    try {
      const cwd = await makeProject({
        checkers: [{ type: 'http', endpoint_name: 'Shop', endpoint_url: 'http://127.0.0.1:1' }],
        notifiers: [mail({ ses: { region: 'eu-central-1' } })],
      });
      const outcome = await runCli(['notify', 'test'], cwd, awsCliEnv({ AWS_ENDPOINT_URL_SESV2: ses.url }));
      expect(outcome.code).not.toBe(0);
      expect(outcome.stdout + outcome.stderr).toContain(
        'SES MessageRejected (HTTP 400): Email address is not verified',
      );
      expect(ses.sent).toEqual([]);
    } finally {
      await ses.close();
    }
  });

  it.each([
    [{}, 'notifiers[0].smtp: required (or ses, to send through Amazon SES)'],
    [
      { ses: {}, smtp: { server: 'mail.example.com' } },
      'notifiers[0].ses: choose one way to send: smtp or ses, not both',
    ],
    [{ ses: { region: 'Frankfurt' } }, 'notifiers[0].ses.region: not an AWS region'],
  ])('refuses %j, naming the key', (extra, message) => {
    expect(() => validateConfig({ checkers: [], notifiers: [mail(extra)] })).toThrow(message);
  });
});
