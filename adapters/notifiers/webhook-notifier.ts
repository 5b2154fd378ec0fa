import { createHmac } from 'node:crypto';
import type { Alert } from '../../core/alerts/alert.js';
import { alertPolicyOf } from '../../core/alerts/alert-policy.js';
import { describeAlert } from '../../core/alerts/describe-alert.js';
import type { Notifier } from '../../core/alerts/notifier.js';
import type { WebhookNotifierConfig } from '../../core/config/notifier-schemas.js';
import { postHttp } from './post-http.js';

/** The header carrying `sha256=<hex HMAC-SHA256 of the raw body>` when a `secret` is set. */
export const SIGNATURE_HEADER = 'x-checkup-signature';
/** The header carrying the alert's id: the same alert always has the same id, for deduplication. */
export const ALERT_ID_HEADER = 'x-checkup-alert-id';

/** A generic webhook: the alert as JSON, signed with HMAC-SHA256 when a secret is configured. */
export function createWebhookNotifier(config: WebhookNotifierConfig, id: string): Notifier {
  return {
    id,
    type: 'webhook',
    policy: alertPolicyOf(config),
    async send(alert, signal) {
      // A kind it did not ask for counts as told, so its state moves on as everyone else's does.
      if (config.events && alert.kind !== 'test' && !config.events.some((kind) => kind === alert.kind))
        return;
      const body = JSON.stringify(webhookBody(alert, config));
      const headers: Record<string, string> = { ...config.headers, [ALERT_ID_HEADER]: alert.id };
      if (config.secret) headers[SIGNATURE_HEADER] = signBody(body, config.secret);
      return postHttp({ url: config.url, body, headers, secrets: [config.secret] }, signal);
    },
  };
}

/** The JSON a webhook receives: `{type, text, alert, status_page_url?}`. */
export function webhookBody(
  alert: Alert,
  config: Pick<WebhookNotifierConfig, 'status_page_url'>,
): Record<string, unknown> {
  return {
    type: `checkup.${alert.kind}`,
    text: describeAlert(alert).headline,
    alert,
    ...(config.status_page_url ? { status_page_url: config.status_page_url } : {}),
  };
}

/** `sha256=` and the hex HMAC-SHA256 of the body under the secret. */
export function signBody(body: string, secret: string): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}
