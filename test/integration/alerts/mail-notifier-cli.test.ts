import { readFile } from 'node:fs/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { awsCliEnv } from '../../helpers/aws-cli-env.js';
import { startSsmServer } from '../../helpers/fake-ssm.js';
import { BIN, runCli } from '../../helpers/run-cli.js';
import { startHttpServer } from '../../helpers/servers.js';
import { startSmtpServer } from '../../helpers/smtp-server.js';
import { makeProject, removeTempDirs } from '../../helpers/temp-dir.js';

afterEach(removeTempDirs);

const PASSWORD = 'smtp-Pa55word-0123456789';

describe('the built checkup with a mail notifier', () => {
  it('mails a down alert and a recovery from --store runs, logging in with a password from SSM', async () => {
    let up = false;
    const site = await startHttpServer((_request, response) => {
      response.writeHead(up ? 200 : 503);
      response.end();
    });
    const smtp = await startSmtpServer({ users: { checkup: PASSWORD } });
    const ssm = await startSsmServer();
    ssm.parameters.set('/checkup/smtp', { value: PASSWORD, tier: 'Standard' });
    try {
      const cwd = await makeProject({
        checkers: [{ type: 'http', endpoint_name: 'Shop', endpoint_url: site.url }],
        storage: { type: 'fs', dir: 'checks' },
        notifiers: [
          {
            type: 'mail',
            from: 'checkup@example.com',
            to: ['ops@example.com'],
            subject: '[checkup]',
            smtp: {
              server: '127.0.0.1',
              port: smtp.port,
              username: 'checkup',
              password: 'ssm:/checkup/smtp',
            },
          },
        ],
      });
      const env = awsCliEnv({ AWS_ENDPOINT_URL_SSM: ssm.url });
      const down = await runCli(['--store'], cwd, env);
      expect(down.code).toBe(1);
      expect(down.stderr).toMatch(/ alerted mail: down Shop\n/);
      up = true;
      const recovered = await runCli(['--store'], cwd, env);
      expect(recovered.code).toBe(0);
      expect(recovered.stderr).toMatch(/ alerted mail: recovered Shop\n/);

      expect(smtp.received.map((mail) => [mail.user, mail.to])).toEqual([
        ['checkup', ['ops@example.com']],
        ['checkup', ['ops@example.com']],
      ]);
      expect(smtp.received[0]?.raw).toMatch(/^Subject: \[checkup\] Shop is down\r?$/m);
      expect(smtp.received[1]?.raw).toMatch(/^Subject: \[checkup\] Shop recovered after \S+ down\r?$/m);
      for (const outcome of [down, recovered])
        expect(outcome.stdout + outcome.stderr).not.toContain(PASSWORD);
    } finally {
      await Promise.all([site.close(), smtp.close(), ssm.close()]);
    }
  }, 60_000);

  it('notify test sends a test mail, and says why when the server refuses it', async () => {
    const smtp = await startSmtpServer();
    try {
      const cwd = await makeProject({
        checkers: [],
        notifiers: [
          {
            type: 'mail',
            from: 'checkup@example.com',
            to: ['ops@example.com', 'dev@example.com'],
            smtp: { server: '127.0.0.1', port: smtp.port },
          },
        ],
      });
      const sent = await runCli(['notify', 'test'], cwd);
      expect(sent.stdout).toBe('mail: sent\n');
      expect(sent.code).toBe(0);
      expect(smtp.received).toHaveLength(1);
      expect(smtp.received[0]?.to).toEqual(['ops@example.com', 'dev@example.com']);
      // The quotes make the subject an encoded word; the text part says it as is.
      expect(smtp.received[0]?.raw).toMatch(/^Subject: =\?UTF-8\?Q\?Test_alert_from_checkup/m);
      expect(smtp.received[0]?.raw).toContain('\nTest alert from checkup: notifier "mail" works\r\n');

      smtp.failNext.push(550);
      const refused = await runCli(['notify', 'test'], cwd);
      expect(refused.stdout).toBe('mail: FAILED: mail: SMTP 550: Mailbox unavailable\n');
      expect(refused.code).toBe(1);
    } finally {
      await smtp.close();
    }
  }, 60_000);

  it('loads nodemailer only for a config with a mail notifier: it sits in a bundle of its own', async () => {
    const dist = new URL('../dist/', `file://${BIN}`);
    const main = await readFile(new URL('cli.cjs', dist), 'utf8');
    const vendor = await readFile(new URL('vendor/nodemailer.cjs', dist), 'utf8');
    // Words of nodemailer's own SMTP client, which nothing else in checkup says.
    for (const word of ['EHLO', 'AUTH PLAIN']) {
      expect(vendor).toContain(word);
      expect(main).not.toContain(word);
    }
    // Required where the mail notifier is made (test/integration/code-cache-cli.test.ts runs
    // the command without dist/vendor/).
    expect(main).toContain('require("./vendor/nodemailer.cjs")');
  });
});
