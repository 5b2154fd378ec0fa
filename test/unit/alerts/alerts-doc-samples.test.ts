import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { discordMessage } from '../../../adapters/notifiers/discord-notifier.js';
import { mailMessage } from '../../../adapters/notifiers/mail-notifier.js';
import { mailgunForm } from '../../../adapters/notifiers/mailgun-notifier.js';
import { ntfyMessage } from '../../../adapters/notifiers/ntfy-notifier.js';
import { opsgenieRequest } from '../../../adapters/notifiers/opsgenie-notifier.js';
import { pagerdutyEvent } from '../../../adapters/notifiers/pagerduty-notifier.js';
import { pushoverForm } from '../../../adapters/notifiers/pushover-notifier.js';
import { slackMessage } from '../../../adapters/notifiers/slack-notifier.js';
import { teamsMessage } from '../../../adapters/notifiers/teams-notifier.js';
import { telegramMessage } from '../../../adapters/notifiers/telegram-notifier.js';
import type { Alert } from '../../../core/alerts/alert.js';
import { shopDownAlert, shopRecoveredAlert } from '../../helpers/sample-alerts.js';

const status_page_url = 'https://status.example/';
const down = shopDownAlert({ id: 'x|Shop|1|down', notifierId: 'x' });
const recovered = shopRecoveredAlert({ id: 'x|Shop|1|down', notifierId: 'x' });

const json = (value: unknown) => value;
const form = (fields: URLSearchParams) => [...fields].map(([name, value]) => `${name}=${value}`).join('\n');
const ntfy = (alert: Alert) => {
  const message = ntfyMessage(alert, { status_page_url });
  const headers = Object.entries(message.headers).map(([name, value]) => `${name}: ${value}`);
  return [...headers, '', message.body].join('\n');
};

/**
 * Each sample in the doc, by its marker: exactly what the notifier sends for `down` (or `recovered`):
 * a JSON body (compared parsed, as the doc's formatter lays JSON out its own way) or the text.
 */
const SAMPLES: Record<string, () => unknown> = {
  slack: () => json(slackMessage(down, { status_page_url })),
  discord: () => json(discordMessage(down, { status_page_url })),
  teams: () => json(teamsMessage(down, { status_page_url })),
  'pagerduty-down': () => json(pagerdutyEvent(down, { routing_key: 'R0UTING…', status_page_url })),
  'pagerduty-recovered': () => json(pagerdutyEvent(recovered, { routing_key: 'R0UTING…', status_page_url })),
  'opsgenie-down': () => json(opsgenieRequest(down, { status_page_url })),
  'opsgenie-recovered': () => json(opsgenieRequest(recovered, { status_page_url })),
  telegram: () => json(telegramMessage(down, { chat_id: '@ops_alerts', status_page_url })),
  ntfy: () => ntfy(down),
  mailgun: () =>
    form(
      mailgunForm(down, {
        from: 'Checkup <checkup@mg.example.com>',
        to: ['ops@example.com'],
        subject: '[checkup]',
        status_page_url,
      }),
    ),
  mail: () => {
    const mail = mailMessage(down, {
      from: 'Checkup <checkup@example.com>',
      to: ['ops@example.com', 'oncall@example.com'],
      subject: '[checkup]',
      status_page_url,
    });
    return [
      `From: ${mail.from}`,
      `To: ${mail.to.join(', ')}`,
      `Subject: ${mail.subject}`,
      '',
      mail.text,
      '',
      `(text/html) ${mail.html}`,
    ].join('\n');
  },
  pushover: () => form(pushoverForm(down, { token: 'APP…', recipient: 'USER…', status_page_url })),
};

describe('the message samples in docs/alerts.md', () => {
  it('are exactly what each notifier sends', async () => {
    const doc = await readFile(new URL('../../../docs/alerts.md', import.meta.url), 'utf8');
    const found = Object.fromEntries(
      [...doc.matchAll(/<!-- sample: ([\w-]+) -->\n(`{3,})(\w*)\n([\s\S]*?)\n\2\n/g)].map((match) => [
        match[1],
        match[3] === 'json' ? JSON.parse(match[4] as string) : match[4],
      ]),
    );
    const expected = Object.fromEntries(Object.entries(SAMPLES).map(([name, render]) => [name, render()]));
    expect(found).toEqual(expected);
  });
});
