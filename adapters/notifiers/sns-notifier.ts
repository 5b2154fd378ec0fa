import type { SNSClient } from '@aws-sdk/client-sns';
import type { Alert } from '../../core/alerts/alert.js';
import { alertPolicyOf } from '../../core/alerts/alert-policy.js';
import { describeAlert } from '../../core/alerts/describe-alert.js';
import { DeliveryError, type Notifier } from '../../core/alerts/notifier.js';
import type { SnsNotifierConfig } from '../../core/config/notifier-schemas.js';
import { awsSdk } from '../aws/aws-sdk.js';

/** Builds the SNS client for a topic's region (and endpoint override). */
export type SnsClientFactory = (options: { region: string; endpoint?: string | undefined }) => SNSClient;

/** SNS: publishes each alert to a topic, for email and SMS subscribers. */
export async function createSnsNotifier(
  config: SnsNotifierConfig,
  id: string,
  clientFactory?: SnsClientFactory,
): Promise<Notifier> {
  const { PublishCommand, SNSClient } = await awsSdk.sns();
  const region = config.region ?? (config.topic_arn.split(':')[3] as string);
  // The SDK does not retry (maxAttempts 1): the shared sender does, the same way for every notifier.
  const client =
    clientFactory?.({ region, endpoint: config.endpoint }) ??
    new SNSClient({ region, maxAttempts: 1, ...(config.endpoint ? { endpoint: config.endpoint } : {}) });
  return {
    id,
    type: 'sns',
    policy: alertPolicyOf(config),
    async send(alert, signal) {
      try {
        await client.send(new PublishCommand({ TopicArn: config.topic_arn, ...snsMessage(alert, config) }), {
          abortSignal: signal,
        });
      } catch (error) {
        throw toDeliveryError(error, signal);
      }
    },
  };
}

/** The subject (ASCII, under 100 characters, as SNS requires for email) and the text. */
export function snsMessage(
  alert: Alert,
  config: Pick<SnsNotifierConfig, 'status_page_url'>,
): { Subject: string; Message: string } {
  const text = describeAlert(alert);
  const lines = [text.headline, '', ...text.fields.map((field) => `${field.label}: ${field.value}`)];
  if (config.status_page_url) lines.push('', `Status page: ${config.status_page_url}`);
  return { Subject: asciiSubject(text.headline), Message: lines.join('\n') };
}

function asciiSubject(text: string): string {
  // Emoji, accents and line breaks are not allowed in an SNS subject.
  const ascii = text.replace(/[^\x20-\x7e]/g, '').trim() || 'checkup alert';
  return ascii.slice(0, 99);
}

function toDeliveryError(error: unknown, signal: AbortSignal): DeliveryError {
  if (signal.aborted) return new DeliveryError('timed out', { retryable: true, cause: error });
  const name = error instanceof Error ? error.name : 'Error';
  const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
  const throttled = /Throttl|TooManyRequests/i.test(name) || status === 429;
  const retryable = throttled || status === undefined || status >= 500;
  const message = error instanceof Error ? error.message : String(error);
  return new DeliveryError(`SNS ${name}${status ? ` (HTTP ${status})` : ''}: ${message}`, {
    retryable,
    cause: error,
  });
}
