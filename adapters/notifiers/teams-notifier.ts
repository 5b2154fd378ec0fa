import type { Alert } from '../../core/alerts/alert.js';
import { alertPolicyOf } from '../../core/alerts/alert-policy.js';
import { describeAlert } from '../../core/alerts/describe-alert.js';
import type { Notifier } from '../../core/alerts/notifier.js';
import type { TeamsNotifierConfig } from '../../core/config/notifier-schemas.js';
import { clipText } from './clip-text.js';
import { postHttp } from './post-http.js';

/** Microsoft Teams, through a Power Automate workflow ("When a Teams webhook request is received"). */
export function createTeamsNotifier(config: TeamsNotifierConfig, id: string): Notifier {
  return {
    id,
    type: 'teams',
    policy: alertPolicyOf(config),
    send: (alert, signal) =>
      postHttp({ url: config.webhook, body: JSON.stringify(teamsMessage(alert, config)) }, signal),
  };
}

const COLORS: Record<string, string> = { '🔴': 'Attention', '🟡': 'Warning', '🟠': 'Warning', '🟢': 'Good' };

/**
 * The message a Teams workflow posts: an Adaptive Card in a message attachment. Every text is a
 * TextRun in a RichTextBlock, which Teams shows as it is (a TextBlock would read Markdown, so a
 * result's text could add links or formatting).
 */
export function teamsMessage(
  alert: Alert,
  config: Pick<TeamsNotifierConfig, 'status_page_url'>,
): Record<string, unknown> {
  const text = describeAlert(alert);
  const run = (value: string, style: Record<string, unknown> = {}) => ({
    type: 'TextRun',
    text: value,
    ...style,
  });
  const body: Record<string, unknown>[] = [
    {
      type: 'RichTextBlock',
      inlines: [
        run(`${text.icon} ${clipText(text.headline, 500)}`, {
          size: 'Large',
          weight: 'Bolder',
          color: COLORS[text.icon] ?? 'Accent',
        }),
      ],
    },
    ...text.fields.map((field) => ({
      type: 'RichTextBlock',
      spacing: 'Small',
      inlines: [
        run(`${field.label}: `, { weight: 'Bolder' }),
        run(
          clipText(field.value, 2000),
          ['Error', 'Notice', 'Message'].includes(field.label) ? { fontType: 'Monospace' } : {},
        ),
      ],
    })),
  ];
  const card: Record<string, unknown> = {
    $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
    type: 'AdaptiveCard',
    version: '1.4',
    msteams: { width: 'Full' },
    body,
    ...(config.status_page_url
      ? { actions: [{ type: 'Action.OpenUrl', title: 'Status page', url: config.status_page_url }] }
      : {}),
  };
  return {
    type: 'message',
    summary: clipText(text.headline, 200),
    attachments: [
      { contentType: 'application/vnd.microsoft.card.adaptive', contentUrl: null, content: card },
    ],
  };
}
