// How each notifier's message reads where it lands, drawn from what the real notifier code sends
// (the payload builders in adapters/notifiers). HTML media (mail, Slack blocks, Discord embeds,
// Teams Adaptive Cards, Telegram HTML) become a page for headless Chromium to photograph; text
// media (SNS e-mail, Pushover, ntfy, PagerDuty, Opsgenie) become the text the reader sees.
// The chat clients' own renderers are not available offline: their layout is approximated (fields
// in a grid, a coloured bar), but every word, its weight and its link come from the payload.
import { discordMessage } from '../../adapters/notifiers/discord-notifier.js';
import { escapeHtml, mailMessage } from '../../adapters/notifiers/mail-content.js';
import { ntfyMessage } from '../../adapters/notifiers/ntfy-notifier.js';
import { opsgenieRequest } from '../../adapters/notifiers/opsgenie-notifier.js';
import { pagerdutyEvent } from '../../adapters/notifiers/pagerduty-notifier.js';
import { pushoverForm } from '../../adapters/notifiers/pushover-notifier.js';
import { slackMessage } from '../../adapters/notifiers/slack-notifier.js';
import { snsMessage } from '../../adapters/notifiers/sns-notifier.js';
import { teamsMessage } from '../../adapters/notifiers/teams-notifier.js';
import { telegramMessage } from '../../adapters/notifiers/telegram-notifier.js';
import type { Alert } from '../../core/alerts/alert.js';
import { shopDownAlert } from './sample-alerts.js';

const status_page_url = 'https://status.example/';

/** The alert every rendering shows: Shop down, with a status page link. */
export const RENDERED_ALERT: Alert = shopDownAlert({ id: 'x|Shop|1|down', notifierId: 'x' });

/** Pages for Chromium, by the image name they are saved under (docs/screenshots/alert-NAME.png). */
export function htmlRenderings(alert: Alert = RENDERED_ALERT): Record<string, string> {
  return {
    mail: page(mailHtml(alert)),
    slack: page(slackHtml(alert)),
    discord: page(discordHtml(alert)),
    teams: page(teamsHtml(alert)),
    telegram: page(telegramHtml(alert)),
  };
}

/** What a reader of each text medium sees, as one Markdown section for docs/alerts.md. */
export function textRenderings(alert: Alert = RENDERED_ALERT): string {
  const sns = snsMessage(alert, { status_page_url });
  const pushover = pushoverForm(alert, { token: 'APP', recipient: 'USER', status_page_url });
  const ntfy = ntfyMessage(alert, { status_page_url });
  const pagerduty = pagerdutyEvent(alert, { routing_key: 'R', status_page_url }) as {
    payload: { summary: string; severity: string; custom_details: Record<string, string> };
  };
  const opsgenie = opsgenieRequest(alert, { status_page_url }) as unknown as {
    body: { message: string; priority: string; description: string };
  };
  const block = (title: string, lines: string[]) => [`**${title}**`, '', '```text', ...lines, '```', ''];
  return [
    ...block('SNS (an e-mail subscription)', [`Subject: ${sns.Subject}`, '', sns.Message]),
    ...block('Pushover (the notification)', [
      String(pushover.get('title')),
      String(pushover.get('message')),
      `[${pushover.get('url_title')}]`,
    ]),
    ...block('ntfy (the notification)', [
      `${ntfy.headers.title} (priority ${ntfy.headers.priority})`,
      ntfy.body,
    ]),
    ...block('PagerDuty (the incident)', [
      `${pagerduty.payload.summary} [${pagerduty.payload.severity}]`,
      ...Object.entries(pagerduty.payload.custom_details).map(([key, value]) => `  ${key}: ${value}`),
    ]),
    ...block('Opsgenie (the alert)', [
      `${opsgenie.body.message} [${opsgenie.body.priority}]`,
      opsgenie.body.description,
    ]),
  ]
    .join('\n')
    .trimEnd();
}

function page(body: string): string {
  return `<!doctype html><meta charset="utf-8"><style>
  body { margin: 0; padding: 16px; font: 15px/1.45 system-ui, sans-serif; background: #f3f3f3; width: 600px; }
  .frame { background: #fff; border-radius: 8px; padding: 16px; box-shadow: 0 1px 3px #0002; }
  .label { font: 12px system-ui, sans-serif; color: #666; margin-bottom: 8px; }
  code { font: 13px ui-monospace, monospace; background: #f1f1f1; padding: 1px 4px; border-radius: 3px; }
  a { color: #1264a3; }
</style><body>${body}</body>`;
}

function mailHtml(alert: Alert): string {
  const mail = mailMessage(alert, {
    from: 'Checkup <checkup@example.com>',
    to: ['ops@example.com'],
    subject: '[checkup]',
    status_page_url,
  });
  return `<div class="label">E-mail (mail, mailgun, SES): the HTML part</div><div class="frame">
  <div style="border-bottom:1px solid #ddd;padding-bottom:8px;margin-bottom:8px;font-size:13px">
  <b>${escapeHtml(mail.subject)}</b><br>From: ${escapeHtml(mail.from)} · To: ${escapeHtml(mail.to.join(', '))}</div>
  ${mail.html}</div>`;
}

/** Slack's mrkdwn (already escaped by the notifier: &amp; &lt; &gt;) as HTML. */
function mrkdwn(text: string): string {
  return text
    .replace(/```([\s\S]*?)```/g, '<code>$1</code>')
    .replace(/<(https?:[^|>]+)\|([^>]+)>/g, '<a href="$1">$2</a>')
    .replace(/\*([^*\n]+)\*/g, '<b>$1</b>')
    .replaceAll('\n', '<br>');
}

function slackHtml(alert: Alert): string {
  const message = slackMessage(alert, { status_page_url }) as {
    blocks: Array<{
      type: string;
      text?: { text: string };
      fields?: Array<{ text: string }>;
      elements?: Array<{ text: string }>;
    }>;
  };
  const blocks = message.blocks.map((block) => {
    if (block.type === 'context')
      return `<div style="font-size:12px;color:#616061">${(block.elements ?? []).map((e) => mrkdwn(e.text)).join(' ')}</div>`;
    const fields = block.fields
      ? `<div style="display:grid;grid-template-columns:1fr 1fr;gap:8px">${block.fields.map((f) => `<div>${mrkdwn(f.text)}</div>`).join('')}</div>`
      : '';
    return `<div style="margin-bottom:8px">${block.text ? mrkdwn(block.text.text) : ''}${fields}</div>`;
  });
  return `<div class="label">Slack (Block Kit)</div><div class="frame" style="display:flex;gap:10px">
  <div style="width:36px;height:36px;border-radius:6px;background:#2eb67d;flex:none"></div>
  <div><b>checkup</b> <span style="font-size:12px;color:#616061">APP</span>${blocks.join('')}</div></div>`;
}

function discordHtml(alert: Alert): string {
  const message = discordMessage(alert, { status_page_url }) as {
    content: string;
    embeds: Array<{
      title: string;
      url?: string;
      color: number;
      timestamp: string;
      fields: Array<{ name: string; value: string; inline: boolean }>;
    }>;
  };
  const embed = message.embeds[0];
  if (!embed) return '';
  const color = `#${embed.color.toString(16).padStart(6, '0')}`;
  const fields = embed.fields
    .map(
      (field) =>
        `<div style="grid-column:${field.inline ? 'span 1' : '1 / -1'}"><b>${escapeHtml(field.name)}</b><br>${escapeHtml(field.value)}</div>`,
    )
    .join('');
  return `<div class="label">Discord (an embed)</div><div class="frame" style="background:#313338;color:#dbdee1">
  <div style="margin-bottom:6px"><b style="color:#fff">checkup</b> <span style="background:#5865f2;color:#fff;font-size:10px;padding:1px 4px;border-radius:3px">APP</span><br>${escapeHtml(message.content)}</div>
  <div style="background:#2b2d31;border-left:4px solid ${color};border-radius:4px;padding:10px 14px">
  <a style="color:#00a8fc;font-weight:600" href="${escapeHtml(embed.url ?? '')}">${escapeHtml(embed.title)}</a>
  <div style="display:grid;grid-template-columns:repeat(3,1fr);gap:8px;margin-top:8px;font-size:14px">${fields}</div>
  <div style="font-size:12px;color:#949ba4;margin-top:8px">${escapeHtml(embed.timestamp)}</div></div></div>`;
}

const TEAMS_COLORS: Record<string, string> = {
  Attention: '#c4314b',
  Warning: '#c19c00',
  Good: '#237b4b',
  Accent: '#5b5fc7',
};

function teamsHtml(alert: Alert): string {
  const message = teamsMessage(alert, { status_page_url }) as {
    attachments: Array<{
      content: { body: Array<Record<string, unknown>>; actions?: Array<{ title: string; url: string }> };
    }>;
  };
  const card = message.attachments[0]?.content;
  if (!card) return '';
  const run = (inline: Record<string, unknown>) => {
    const style = [
      inline.weight === 'Bolder' ? 'font-weight:700' : '',
      inline.size === 'Large' ? 'font-size:20px' : '',
      typeof inline.color === 'string' ? `color:${TEAMS_COLORS[inline.color] ?? 'inherit'}` : '',
      inline.fontType === 'Monospace' ? 'font-family:ui-monospace,monospace' : '',
    ].join(';');
    return `<span style="${style}">${escapeHtml(String(inline.text))}</span>`;
  };
  const body = card.body
    .map((element) =>
      element.type === 'RichTextBlock'
        ? `<div style="margin-top:${element.spacing === 'Small' ? 4 : 10}px">${(element.inlines as Array<Record<string, unknown>>).map(run).join('')}</div>`
        : element.type === 'ActionSet'
          ? (element.actions as Array<{ title: string }>).map((action) => button(action.title)).join('')
          : '',
    )
    .join('');
  const actions = (card.actions ?? []).map((action) => button(action.title)).join('');
  return `<div class="label">Microsoft Teams (an Adaptive Card)</div><div class="frame" style="border-top:4px solid #5b5fc7">${body}${actions}</div>`;
}

function button(title: string): string {
  return `<div style="margin-top:12px;display:inline-block;border:1px solid #ccc;border-radius:4px;padding:4px 12px;font-weight:600">${escapeHtml(title)}</div>`;
}

/** Telegram's HTML parse mode knows b, code and a: the text is shown as Telegram formats it. */
function telegramHtml(alert: Alert): string {
  const message = telegramMessage(alert, { chat_id: '@ops_alerts', status_page_url }) as { text: string };
  return `<div class="label">Telegram (HTML parse mode)</div><div class="frame" style="background:#7ea07b33">
  <div style="background:#fff;border-radius:12px;padding:8px 12px;max-width:440px;white-space:pre-wrap">${message.text}</div></div>`;
}
