import type { Alert } from '../../core/alerts/alert.js';
import { alertPolicyOf } from '../../core/alerts/alert-policy.js';
import { describeAlert } from '../../core/alerts/describe-alert.js';
import { incidentAction } from '../../core/alerts/incident-action.js';
import type { Notifier } from '../../core/alerts/notifier.js';
import type { NtfyNotifierConfig } from '../../core/config/notifier-schemas.js';
import { clipText } from './clip-text.js';
import { postHttp } from './post-http.js';

/** ntfy: publishes to a topic URL (ntfy.sh or your own server). */
export function createNtfyNotifier(config: NtfyNotifierConfig, id: string): Notifier {
  return {
    id,
    type: 'ntfy',
    policy: alertPolicyOf(config),
    send(alert, signal) {
      const message = ntfyMessage(alert, config);
      return postHttp(
        {
          url: config.url,
          body: message.body,
          contentType: 'text/plain; charset=utf-8',
          headers: {
            ...message.headers,
            ...(config.token ? { authorization: `Bearer ${config.token}` } : {}),
          },
          secrets: [config.token],
        },
        signal,
      );
    },
  };
}

const TAGS: Record<string, string> = {
  '🔴': 'red_circle',
  '🟡': 'yellow_circle',
  '🟢': 'green_circle',
  '🟠': 'orange_circle',
  '🔵': 'large_blue_circle',
  '🧪': 'test_tube',
};

/**
 * The body (the facts, plain text: ntfy reads Markdown only when asked) and the headers: Title,
 * Priority (5 down, 4 degraded or flapping, 3 a recovery, 2 a test), Tags (an emoji), Click.
 */
export function ntfyMessage(
  alert: Alert,
  config: Pick<NtfyNotifierConfig, 'status_page_url'>,
): { body: string; headers: Record<string, string> } {
  const text = describeAlert(alert);
  const { action, severity } = incidentAction(alert);
  const priority = alert.kind === 'test' ? 2 : action === 'resolve' ? 3 : severity === 'critical' ? 5 : 4;
  return {
    body: text.fields.map((field) => `${field.label}: ${clipText(field.value, 1000)}`).join('\n'),
    headers: {
      title: headerText(clipText(text.headline, 250)),
      priority: String(priority),
      tags: TAGS[text.icon] ?? 'bell',
      ...(config.status_page_url ? { click: config.status_page_url } : {}),
    },
  };
}

/** A header value: ASCII as it is, anything else as an RFC 2047 word, which ntfy decodes. */
function headerText(text: string): string {
  const oneLine = text.replace(/[\r\n]+/g, ' ');
  return /^[\x20-\x7e]*$/.test(oneLine) ? oneLine : `=?UTF-8?B?${Buffer.from(oneLine).toString('base64')}?=`;
}
