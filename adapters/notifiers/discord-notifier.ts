import type { Alert } from '../../core/alerts/alert.js';
import { alertPolicyOf } from '../../core/alerts/alert-policy.js';
import { describeAlert } from '../../core/alerts/describe-alert.js';
import type { Notifier } from '../../core/alerts/notifier.js';
import type { DiscordNotifierConfig } from '../../core/config/notifier-schemas.js';
import { postHttp } from './post-http.js';

/** Discord, through a channel webhook. */
export function createDiscordNotifier(config: DiscordNotifierConfig, id: string): Notifier {
  return {
    id,
    type: 'discord',
    policy: alertPolicyOf(config),
    send: (alert, signal) =>
      postHttp({ url: config.webhook, body: JSON.stringify(discordMessage(alert, config)) }, signal),
  };
}

/** The Discord message for an alert: one embed with the facts; mentions in it never ping. */
export function discordMessage(
  alert: Alert,
  config: Pick<DiscordNotifierConfig, 'username' | 'status_page_url'>,
): Record<string, unknown> {
  const text = describeAlert(alert);
  return {
    content: clip(`${text.icon} ${text.headline}`, 2000),
    ...(config.username ? { username: config.username } : {}),
    // A result's error text could hold "@everyone": Discord must not act on it.
    allowed_mentions: { parse: [] },
    embeds: [
      {
        title: clip(text.headline, 256),
        color: text.color,
        ...(config.status_page_url ? { url: config.status_page_url } : {}),
        timestamp: new Date(alert.timestamp / 1e6).toISOString(),
        fields: text.fields.slice(0, 25).map((field) => ({
          name: field.label,
          value: clip(field.value, 1024),
          inline: !['Error', 'Notice', 'Message', 'Endpoint'].includes(field.label),
        })),
      },
    ],
  };
}

function clip(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}
