import type { Alert } from '../../core/alerts/alert.js';
import { alertPolicyOf } from '../../core/alerts/alert-policy.js';
import { describeAlert } from '../../core/alerts/describe-alert.js';
import type { Notifier } from '../../core/alerts/notifier.js';
import type { TelegramNotifierConfig } from '../../core/config/notifier-schemas.js';
import { clipText } from './clip-text.js';
import { escapeHtml } from './mail-content.js';
import { postHttp } from './post-http.js';

export const TELEGRAM_API_URL = 'https://api.telegram.org';

/** Telegram, through a bot's sendMessage (the token is in the URL path: never shown). */
export function createTelegramNotifier(config: TelegramNotifierConfig, id: string): Notifier {
  const url = `${(config.api_url ?? TELEGRAM_API_URL).replace(/\/+$/, '')}/bot${config.token}/sendMessage`;
  return {
    id,
    type: 'telegram',
    policy: alertPolicyOf(config),
    send: (alert, signal) =>
      postHttp(
        {
          url,
          body: JSON.stringify(telegramMessage(alert, config)),
          secrets: [config.token],
          retryAfterFromBody: telegramRetryAfter,
        },
        signal,
      ),
  };
}

/**
 * The sendMessage body: HTML parse mode, where only &, < and > need escaping, so a result's
 * text shows as written; no link preview. Telegram takes 4096 characters.
 */
export function telegramMessage(
  alert: Alert,
  config: Pick<TelegramNotifierConfig, 'chat_id' | 'status_page_url'>,
): Record<string, unknown> {
  const text = describeAlert(alert);
  const lines = [
    `${text.icon} <b>${escapeHtml(clipText(text.headline, 500))}</b>`,
    '',
    ...text.fields.map((field) =>
      ['Error', 'Notice', 'Message'].includes(field.label)
        ? `<b>${field.label}:</b> <code>${escapeHtml(clipText(field.value, 1000))}</code>`
        : `<b>${field.label}:</b> ${escapeHtml(clipText(field.value, 500))}`,
    ),
  ];
  if (config.status_page_url)
    lines.push('', `<a href="${escapeHtml(config.status_page_url)}">Status page</a>`);
  return {
    chat_id: config.chat_id,
    text: lines.join('\n'),
    parse_mode: 'HTML',
    link_preview_options: { is_disabled: true },
  };
}

/** Telegram says how long to wait in its 429 body: `{"parameters": {"retry_after": 5}}`. */
export function telegramRetryAfter(text: string): number | undefined {
  try {
    const seconds = (JSON.parse(text) as { parameters?: { retry_after?: unknown } }).parameters?.retry_after;
    return typeof seconds === 'number' && seconds >= 0 ? seconds * 1000 : undefined;
  } catch {
    return undefined;
  }
}
