import { isIP } from 'node:net';
import { createTransport } from 'nodemailer';
import { alertPolicyOf } from '../../core/alerts/alert-policy.js';
import { DeliveryError, type Notifier } from '../../core/alerts/notifier.js';
import type { MailNotifierConfig } from '../../core/config/notifier-schemas.js';
import { mailMessage } from './mail-content.js';

export { mailMessage } from './mail-content.js';

/** A mail notifier that sends through SMTP (its `smtp` set). */
export type SmtpMailNotifierConfig = MailNotifierConfig & { smtp: NonNullable<MailNotifierConfig['smtp']> };

/** checkup's default port when `smtp.port` is left out. */
export const SMTP_DEFAULT_PORT = 25;
/** The port where TLS starts before the SMTP greeting (SMTPS); elsewhere STARTTLS when offered. */
const IMPLICIT_TLS_PORT = 465;
/** How long to wait for the connection, the greeting, and the server between commands. */
const SMTP_TIMEOUTS = { connectionTimeout: 10_000, greetingTimeout: 10_000, socketTimeout: 10_000 };
/** The most of a server's reply kept for the message. */
const MAX_REPLY = 200;

/**
 * E-mail through an SMTP server (checkup's keys: `from`, `to`, `subject`, `smtp{server, port,
 * username, password}`): one mail per alert to every `to`, a text and an HTML part. Loaded only
 * when a config has a mail notifier (create-notifiers), so nodemailer costs nothing otherwise.
 */
export function createMailNotifier(config: SmtpMailNotifierConfig, id: string): Notifier {
  const port = config.smtp.port ?? SMTP_DEFAULT_PORT;
  const { username, password } = config.smtp;
  const transport = createTransport({
    host: config.smtp.server,
    port,
    secure: port === IMPLICIT_TLS_PORT,
    ...(username ? { auth: { user: username, pass: password ?? '' } } : {}),
    tls: {
      rejectUnauthorized: config.smtp.tls_skip_verify !== true,
      // SNI takes a host name only (RFC 6066); an address is checked against the certificate as is.
      ...(isIP(config.smtp.server) ? {} : { servername: config.smtp.server }),
    },
    ...SMTP_TIMEOUTS,
  });
  return {
    id,
    type: 'mail',
    policy: alertPolicyOf(config),
    async send(alert, signal) {
      const sent = transport.sendMail(mailMessage(alert, config));
      try {
        await untilAborted(sent, signal);
      } catch (error) {
        throw toDeliveryError(error, signal, [password, username]);
      }
    },
  };
}

/** Settles with `work`, or rejects as soon as `signal` aborts (the SMTP timeouts end the socket). */
function untilAborted<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

/**
 * An SMTP failure as a DeliveryError. A 421 or 45x reply (busy, greylisted, mailbox locked) and a
 * failed or timed-out connection may pass on retry; any other reply (a 5xx, a refused login) and a
 * certificate that does not verify will not.
 */
export function toDeliveryError(
  error: unknown,
  signal: AbortSignal,
  secrets: readonly (string | undefined)[],
): DeliveryError {
  if (signal.aborted) return new DeliveryError('timed out', { retryable: true, cause: error });
  const { code, responseCode, response, message } = (error ?? {}) as {
    code?: unknown;
    responseCode?: unknown;
    response?: unknown;
    message?: unknown;
  };
  const said = String(typeof response === 'string' ? response : (message ?? error));
  let detail = said.trim().replace(/\s+/g, ' ');
  for (const secret of secrets) if (secret) detail = detail.replaceAll(secret, '***');
  detail = detail.slice(0, MAX_REPLY);
  if (typeof responseCode === 'number') {
    const retryable = responseCode === 421 || (responseCode >= 450 && responseCode <= 459);
    const reply = detail.replace(new RegExp(`^${responseCode}[ -]`), '');
    return new DeliveryError(`SMTP ${responseCode}: ${reply}`, { retryable, cause: error });
  }
  const certificate = /certificate|self[- ]signed/i.test(detail);
  const connection = ['ECONNECTION', 'ETIMEDOUT', 'ESOCKET', 'EDNS'].includes(String(code));
  return new DeliveryError(`SMTP ${typeof code === 'string' ? `${code}: ` : ''}${detail}`, {
    retryable: connection && !certificate,
    cause: error,
  });
}
