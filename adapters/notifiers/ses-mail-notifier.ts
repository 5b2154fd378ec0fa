import type { SESv2Client } from '@aws-sdk/client-sesv2';
import { alertPolicyOf } from '../../core/alerts/alert-policy.js';
import { DeliveryError, type Notifier } from '../../core/alerts/notifier.js';
import type { MailNotifierConfig } from '../../core/config/notifier-schemas.js';
import { awsSdk } from '../aws/aws-sdk.js';
import { mailMessage } from './mail-content.js';

/** Builds the SES client for a region (and endpoint override). */
export type SesClientFactory = (options: {
  region?: string | undefined;
  endpoint?: string | undefined;
}) => SESv2Client;

/** A mail notifier that sends through SES (its `ses` set). */
export type SesMailNotifierConfig = MailNotifierConfig & { ses: NonNullable<MailNotifierConfig['ses']> };

/**
 * `mail` through the Amazon SES API (SendEmail, v2) instead of SMTP: the same mail (from, to,
 * subject, text and HTML parts) signed with the caller's AWS credentials, so a Lambda needs no
 * SMTP password and no port 25, only `ses:SendEmail` on the sending identity.
 */
export async function createSesMailNotifier(
  config: SesMailNotifierConfig,
  id: string,
  clientFactory?: SesClientFactory,
): Promise<Notifier> {
  const { SendEmailCommand, SESv2Client } = await awsSdk.sesv2();
  const { region, endpoint } = config.ses;
  // The SDK does not retry (maxAttempts 1): the shared sender does, the same way for every notifier.
  const client =
    clientFactory?.({ region, endpoint }) ??
    new SESv2Client({ maxAttempts: 1, ...(region ? { region } : {}), ...(endpoint ? { endpoint } : {}) });
  return {
    id,
    type: 'mail',
    policy: alertPolicyOf(config),
    async send(alert, signal) {
      const mail = mailMessage(alert, config);
      try {
        await client.send(
          new SendEmailCommand({
            FromEmailAddress: mail.from,
            Destination: { ToAddresses: mail.to },
            Content: {
              Simple: {
                Subject: { Data: mail.subject, Charset: 'UTF-8' },
                Body: {
                  Text: { Data: mail.text, Charset: 'UTF-8' },
                  Html: { Data: mail.html, Charset: 'UTF-8' },
                },
              },
            },
          }),
          { abortSignal: signal },
        );
      } catch (error) {
        throw toDeliveryError(error, signal);
      }
    },
  };
}

/**
 * An SES failure as a DeliveryError: throttling, a 5xx and a failed connection may pass on retry;
 * a rejected message, an unverified sender, a paused account or a denied call will not.
 */
function toDeliveryError(error: unknown, signal: AbortSignal): DeliveryError {
  if (signal.aborted) return new DeliveryError('timed out', { retryable: true, cause: error });
  const name = error instanceof Error ? error.name : 'Error';
  const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
  const throttled = /TooManyRequests|Throttl/i.test(name) || status === 429;
  const retryable = throttled || status === undefined || status >= 500;
  const message = (error instanceof Error ? error.message : String(error)).slice(0, 200);
  return new DeliveryError(`SES ${name}${status ? ` (HTTP ${status})` : ''}: ${message}`, {
    retryable,
    cause: error,
  });
}
