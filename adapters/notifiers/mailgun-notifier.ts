import type { Alert } from '../../core/alerts/alert.js';
import { alertPolicyOf } from '../../core/alerts/alert-policy.js';
import type { Notifier } from '../../core/alerts/notifier.js';
import type { MailgunNotifierConfig } from '../../core/config/notifier-schemas.js';
import { mailContent } from './mail-content.js';
import { postHttp } from './post-http.js';

export const MAILGUN_API_URL = 'https://api.mailgun.net';

/** E-mail through Mailgun's messages API (checkup's keys: `apikey`, `domain`, `from`, `to`, `subject`). */
export function createMailgunNotifier(config: MailgunNotifierConfig, id: string): Notifier {
  const base = (config.api_url ?? MAILGUN_API_URL).replace(/\/+$/, '');
  return {
    id,
    type: 'mailgun',
    policy: alertPolicyOf(config),
    send: (alert, signal) =>
      postHttp(
        {
          url: `${base}/v3/${encodeURIComponent(config.domain)}/messages`,
          body: mailgunForm(alert, config).toString(),
          contentType: 'application/x-www-form-urlencoded',
          headers: { authorization: `Basic ${Buffer.from(`api:${config.apikey}`).toString('base64')}` },
          secrets: [config.apikey],
        },
        signal,
      ),
  };
}

/** The form Mailgun receives: from, each `to`, a subject, and the alert as text and as HTML. */
export function mailgunForm(
  alert: Alert,
  config: Pick<MailgunNotifierConfig, 'from' | 'to' | 'subject' | 'status_page_url'>,
): URLSearchParams {
  const mail = mailContent(alert, config);
  const form = new URLSearchParams();
  form.append('from', config.from);
  for (const to of config.to) form.append('to', to);
  form.append('subject', mail.subject);
  form.append('text', mail.text);
  form.append('html', mail.html);
  return form;
}
