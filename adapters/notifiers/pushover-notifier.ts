import type { Alert } from '../../core/alerts/alert.js';
import { alertPolicyOf } from '../../core/alerts/alert-policy.js';
import { describeAlert } from '../../core/alerts/describe-alert.js';
import type { Notifier } from '../../core/alerts/notifier.js';
import type { PushoverNotifierConfig } from '../../core/config/notifier-schemas.js';
import { clipText } from './clip-text.js';
import { postHttp } from './post-http.js';

export const PUSHOVER_API_URL = 'https://api.pushover.net';

/** Pushover's messages API (checkup's keys: `token`, `recipient`, `subject`). */
export function createPushoverNotifier(config: PushoverNotifierConfig, id: string): Notifier {
  const base = (config.api_url ?? PUSHOVER_API_URL).replace(/\/+$/, '');
  return {
    id,
    type: 'pushover',
    policy: alertPolicyOf(config),
    send: (alert, signal) =>
      postHttp(
        {
          url: `${base}/1/messages.json`,
          body: pushoverForm(alert, config).toString(),
          contentType: 'application/x-www-form-urlencoded',
          secrets: [config.token, config.recipient],
        },
        signal,
      ),
  };
}

/** The form Pushover receives: a title, the facts as plain text, the run's time, a link. */
export function pushoverForm(
  alert: Alert,
  config: Pick<PushoverNotifierConfig, 'token' | 'recipient' | 'subject' | 'status_page_url'>,
): URLSearchParams {
  const text = describeAlert(alert);
  const form = new URLSearchParams();
  form.append('token', config.token);
  form.append('user', config.recipient);
  const title = config.subject?.trim() ? `${config.subject.trim()} ${text.headline}` : text.headline;
  // Pushover's limits: a title of 250 characters, a message of 1024, a URL of 512.
  form.append('title', clipText(`${text.icon} ${title}`, 250));
  form.append(
    'message',
    clipText(text.fields.map((field) => `${field.label}: ${field.value}`).join('\n'), 1024),
  );
  form.append('timestamp', String(Math.floor(alert.timestamp / 1e9)));
  if (config.status_page_url && config.status_page_url.length <= 512) {
    form.append('url', config.status_page_url);
    form.append('url_title', 'Status page');
  }
  return form;
}
