import type { Alert } from '../../core/alerts/alert.js';
import { alertPolicyOf } from '../../core/alerts/alert-policy.js';
import { describeAlert } from '../../core/alerts/describe-alert.js';
import type { Notifier } from '../../core/alerts/notifier.js';
import type { MailgunNotifierConfig } from '../../core/config/notifier-schemas.js';
import { clipText } from './clip-text.js';
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
  const text = describeAlert(alert);
  const form = new URLSearchParams();
  form.append('from', config.from);
  for (const to of config.to) form.append('to', to);
  const subject = config.subject?.trim() ? `${config.subject.trim()} ${text.headline}` : text.headline;
  // A line break in a subject would start a new mail header.
  form.append('subject', clipText(subject.replace(/[\r\n]+/g, ' '), 250));
  const lines = [text.headline, '', ...text.fields.map((field) => `${field.label}: ${field.value}`)];
  if (config.status_page_url) lines.push('', `Status page: ${config.status_page_url}`);
  form.append('text', lines.join('\n'));
  const rows = text.fields
    .map(
      (field) =>
        `<tr><th align="left">${escapeHtml(field.label)}</th><td>${escapeHtml(field.value)}</td></tr>`,
    )
    .join('');
  const link = config.status_page_url
    ? `<p><a href="${escapeHtml(config.status_page_url)}">Status page</a></p>`
    : '';
  form.append('html', `<h2>${escapeHtml(text.headline)}</h2><table>${rows}</table>${link}`);
  return form;
}

/** Text as HTML shows it, markup and all: a result's text cannot add links or tags to the mail. */
export function escapeHtml(text: string): string {
  return text
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&#39;');
}
