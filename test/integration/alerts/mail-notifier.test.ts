import { afterEach, describe, expect, it } from 'vitest';
import { createNotifiers } from '../../../adapters/notifiers/create-notifiers.js';
import { deliverAlerts } from '../../../core/alerts/deliver-alerts.js';
import { DeliveryError, type Notifier } from '../../../core/alerts/notifier.js';
import { validateConfig } from '../../../core/config/parse-config.js';
import { makeLeaf } from '../../helpers/certificates.js';
import { shopDownAlert, shopRecoveredAlert } from '../../helpers/sample-alerts.js';
import {
  type RunningSmtpServer,
  type SmtpServerOptions,
  startSmtpServer,
} from '../../helpers/smtp-server.js';

const site = { type: 'http', endpoint_name: 'Shop', endpoint_url: 'https://shop.example/health' };
const FAST_RETRY = { attempts: 3, timeoutMs: 5_000, baseDelayMs: 1, maxDelayMs: 2, maxRetryAfterMs: 10 };

const down = shopDownAlert({
  id: 'mail|Shop|1|down',
  notifierId: 'mail',
  error: 'HTTP 503: <b>Service & "Unavailable"</b>',
});
const recovered = shopRecoveredAlert({ id: 'mail|Shop|2|recovered', notifierId: 'mail' });

let server: RunningSmtpServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function start(options: SmtpServerOptions = {}): Promise<RunningSmtpServer> {
  server = await startSmtpServer(options);
  return server;
}

async function mailNotifier(smtp: Record<string, unknown>): Promise<Notifier> {
  const config = validateConfig({
    checkers: [site],
    notifiers: [
      {
        type: 'mail',
        from: 'Checkup <checkup@example.com>',
        to: ['ops@example.com', 'oncall@example.com'],
        subject: '[checkup]',
        smtp: { server: '127.0.0.1', ...smtp },
      },
    ],
  });
  const [notifier] = await createNotifiers(config.notifiers);
  return notifier as Notifier;
}

/** A header's value from a raw message (unfolded). */
function header(raw: string, name: string): string | undefined {
  const head = (raw.split(/\r?\n\r?\n/)[0] ?? '').replace(/\r?\n[ \t]+/g, ' ');
  return head.match(new RegExp(`^${name}: (.*)$`, 'im'))?.[1];
}

/** The message with quoted-printable soft breaks and `=3D` undone: enough to find the parts' text. */
function body(raw: string): string {
  return raw
    .replace(/=\r?\n/g, '')
    .replaceAll('=3D', '=')
    .replace(/\r\n/g, '\n');
}

describe('the mail notifier (SMTP)', () => {
  it('sends a down alert and a recovery, one mail each to every recipient, as text and escaped HTML', async () => {
    const smtp = await start();
    const notifier = await mailNotifier({ port: smtp.port });
    const outcomes = await deliverAlerts([down, recovered], [notifier], { retry: FAST_RETRY });
    expect(outcomes.map((outcome) => outcome.ok)).toEqual([true, true]);
    expect(smtp.received).toHaveLength(2);
    const [first, second] = smtp.received as [(typeof smtp.received)[0], (typeof smtp.received)[0]];
    expect(first.from).toBe('checkup@example.com');
    expect(first.to).toEqual(['ops@example.com', 'oncall@example.com']);
    expect(header(first.raw, 'From')).toBe('Checkup <checkup@example.com>');
    expect(header(first.raw, 'To')).toBe('ops@example.com, oncall@example.com');
    expect(header(first.raw, 'Subject')).toBe('[checkup] Shop is down');
    expect(body(first.raw)).toContain('Content-Type: text/plain');
    expect(body(first.raw)).toContain('Status: down\nEndpoint: https://shop.example/health\n');
    expect(body(first.raw)).toContain('&lt;b&gt;Service &amp; &quot;Unavailable&quot;&lt;/b&gt;');
    expect(body(first.raw).split('Content-Type: text/html')[1]).not.toContain('<b>Service');
    expect(header(second.raw, 'Subject')).toBe('[checkup] Shop recovered after 12m34s down');
    expect(body(second.raw)).toContain('Status: healthy\n');
    expect(first.user).toBeUndefined();
  });

  it('logs in with username and password', async () => {
    const smtp = await start({ users: { alerts: 's3cret' } });
    const notifier = await mailNotifier({ port: smtp.port, username: 'alerts', password: 's3cret' });
    await notifier.send(down, AbortSignal.timeout(5_000));
    expect(smtp.received.map((mail) => mail.user)).toEqual(['alerts']);
  });

  it('says a refused login is final, without the password', async () => {
    const smtp = await start({ users: { alerts: 's3cret' } });
    const notifier = await mailNotifier({ port: smtp.port, username: 'alerts', password: 'wr0ng-pass' });
    const error = await notifier.send(down, AbortSignal.timeout(5_000)).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(DeliveryError);
    expect(error).toMatchObject({ retryable: false, message: expect.stringMatching(/^SMTP 535/) });
    expect((error as Error).message).not.toContain('wr0ng-pass');
  });

  it('uses STARTTLS when offered, trusting a self-signed certificate only when told to', async () => {
    const certificate = await makeLeaf(undefined, ['127.0.0.1']);
    const smtp = await start({ tls: certificate });
    const strict = await mailNotifier({ port: smtp.port });
    const refused = await strict.send(down, AbortSignal.timeout(5_000)).catch((caught: unknown) => caught);
    expect(refused).toMatchObject({ retryable: false, message: expect.stringMatching(/certificate/i) });
    expect(smtp.received).toEqual([]);

    const trusting = await mailNotifier({ port: smtp.port, tls_skip_verify: true });
    await trusting.send(down, AbortSignal.timeout(5_000));
    expect(smtp.received.map((mail) => mail.tls)).toEqual([true]);
  });

  it('retries a 421 and then delivers once', async () => {
    const smtp = await start();
    smtp.failNext.push(421);
    const notifier = await mailNotifier({ port: smtp.port });
    const [outcome] = await deliverAlerts([down], [notifier], { retry: FAST_RETRY });
    expect(outcome).toMatchObject({ ok: true, tries: 2 });
    expect(smtp.received).toHaveLength(1);
  });

  it('gives up at once on a 550', async () => {
    const smtp = await start();
    smtp.failNext.push(550);
    const notifier = await mailNotifier({ port: smtp.port });
    const [outcome] = await deliverAlerts([down], [notifier], { retry: FAST_RETRY });
    expect(outcome).toMatchObject({ ok: false, tries: 1, error: 'mail: SMTP 550: Mailbox unavailable' });
    expect(smtp.received).toEqual([]);
  });

  it('says a closed port may be retried', async () => {
    const smtp = await start();
    const port = smtp.port;
    await smtp.close();
    server = undefined;
    const notifier = await mailNotifier({ port });
    await expect(notifier.send(down, AbortSignal.timeout(5_000))).rejects.toMatchObject({ retryable: true });
  });
});
