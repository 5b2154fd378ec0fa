import type { Alert } from '../../core/alerts/alert.js';
import { describeAlert } from '../../core/alerts/describe-alert.js';
import { clipText } from './clip-text.js';

/** One alert as an e-mail: a subject line, a plain-text part and an HTML part. */
export interface MailContent {
  subject: string;
  text: string;
  html: string;
}

/**
 * The mail every e-mail notifier (mailgun, mail) sends for an alert. `subject` goes before the
 * headline (`[checkup] Shop is down`): one fixed subject would also title the recovery mail.
 */
export function mailContent(
  alert: Alert,
  config: { subject?: string; status_page_url?: string },
): MailContent {
  const text = describeAlert(alert);
  const prefix = config.subject?.trim();
  const subject = prefix ? `${prefix} ${text.headline}` : text.headline;
  const lines = [text.headline, '', ...text.fields.map((field) => `${field.label}: ${field.value}`)];
  if (config.status_page_url) lines.push('', `Status page: ${config.status_page_url}`);
  const rows = text.fields
    .map(
      (field) =>
        `<tr><th align="left">${escapeHtml(field.label)}</th><td>${escapeHtml(field.value)}</td></tr>`,
    )
    .join('');
  const link = config.status_page_url
    ? `<p><a href="${escapeHtml(config.status_page_url)}">Status page</a></p>`
    : '';
  return {
    // A line break in a subject would start a new mail header.
    subject: clipText(subject.replace(/[\r\n]+/g, ' '), 250),
    text: lines.join('\n'),
    html: `<h2>${escapeHtml(text.headline)}</h2><table>${rows}</table>${link}`,
  };
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

/** The mail for one alert, as nodemailer and SES take it: one message from `from` to every `to`. */
export function mailMessage(
  alert: Alert,
  config: { from: string; to: readonly string[]; subject?: string; status_page_url?: string },
): { from: string; to: string[] } & MailContent {
  return { from: config.from, to: [...config.to], ...mailContent(alert, config) };
}
