import type { Alert } from '../../core/alerts/alert.js';
import { alertPolicyOf } from '../../core/alerts/alert-policy.js';
import { describeAlert } from '../../core/alerts/describe-alert.js';
import type { Notifier } from '../../core/alerts/notifier.js';
import type { SlackNotifierConfig } from '../../core/config/notifier-schemas.js';
import { postHttp } from './post-http.js';

/** Slack, through an incoming webhook (checkup's keys: `webhook`, `channel`, `username`). */
export function createSlackNotifier(config: SlackNotifierConfig, id: string): Notifier {
  return {
    id,
    type: 'slack',
    policy: alertPolicyOf(config),
    send: (alert, signal) =>
      postHttp({ url: config.webhook, body: JSON.stringify(slackMessage(alert, config)) }, signal),
  };
}

/** The Block Kit message for an alert: headline, the facts as fields, a link to the status page. */
export function slackMessage(
  alert: Alert,
  config: Pick<SlackNotifierConfig, 'channel' | 'username' | 'status_page_url'>,
): Record<string, unknown> {
  const text = describeAlert(alert);
  const headline = `${text.icon} ${text.headline}`;
  const short = text.fields.filter((field) => !['Error', 'Notice', 'Message'].includes(field.label));
  const long = text.fields.filter((field) => ['Error', 'Notice', 'Message'].includes(field.label));
  const blocks: Record<string, unknown>[] = [
    { type: 'section', text: { type: 'mrkdwn', text: `*${escapeMrkdwn(headline)}*` } },
    {
      type: 'section',
      fields: short.map((field) => ({
        type: 'mrkdwn',
        text: `*${field.label}*\n${escapeMrkdwn(clip(field.value, 1900))}`,
      })),
    },
    ...long.map((field) => ({
      type: 'section',
      text: {
        type: 'mrkdwn',
        text: `*${field.label}*\n\`\`\`${escapeMrkdwn(clip(field.value, 2800))}\`\`\``,
      },
    })),
  ];
  if (config.status_page_url) {
    blocks.push({
      type: 'context',
      elements: [{ type: 'mrkdwn', text: `<${escapeMrkdwn(config.status_page_url)}|Status page>` }],
    });
  }
  return {
    text: headline,
    blocks,
    ...(config.channel ? { channel: config.channel } : {}),
    ...(config.username ? { username: config.username } : {}),
  };
}

/** Slack's mrkdwn treats &, < and > as markup: escaped, a result's text cannot ping or link. */
export function escapeMrkdwn(text: string): string {
  return text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');
}

function clip(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}
