import type { Alert } from '../../core/alerts/alert.js';
import { alertPolicyOf } from '../../core/alerts/alert-policy.js';
import { describeAlert } from '../../core/alerts/describe-alert.js';
import { incidentAction } from '../../core/alerts/incident-action.js';
import { incidentKey } from '../../core/alerts/incident-key.js';
import type { Notifier } from '../../core/alerts/notifier.js';
import type { PagerdutyNotifierConfig } from '../../core/config/notifier-schemas.js';
import { clipText } from './clip-text.js';
import { postHttp } from './post-http.js';

export const PAGERDUTY_API_URL = 'https://events.pagerduty.com';

/**
 * PagerDuty's Events API v2: a failure triggers an incident, a recovery resolves it, both under
 * one dedup_key per endpoint (see incidentKey), so reminders join the open incident.
 */
export function createPagerdutyNotifier(config: PagerdutyNotifierConfig, id: string): Notifier {
  const url = `${(config.api_url ?? PAGERDUTY_API_URL).replace(/\/+$/, '')}/v2/enqueue`;
  return {
    id,
    type: 'pagerduty',
    policy: alertPolicyOf(config),
    send: (alert, signal) =>
      postHttp(
        { url, body: JSON.stringify(pagerdutyEvent(alert, config)), secrets: [config.routing_key] },
        signal,
      ),
  };
}

/** The event: `trigger` with a summary, severity and the facts, or `resolve` with the same dedup_key. */
export function pagerdutyEvent(
  alert: Alert,
  config: Pick<PagerdutyNotifierConfig, 'routing_key' | 'status_page_url'>,
): Record<string, unknown> {
  const { action, severity } = incidentAction(alert);
  const base = { routing_key: config.routing_key, dedup_key: incidentKey(alert) };
  if (action === 'resolve') return { ...base, event_action: 'resolve' };
  const text = describeAlert(alert);
  return {
    ...base,
    event_action: 'trigger',
    payload: {
      summary: clipText(text.headline, 1024),
      source: clipText(alert.endpoint || 'checkup', 255),
      severity,
      timestamp: new Date(alert.timestamp / 1e6).toISOString(),
      component: clipText(alert.title, 255),
      class: alert.kind,
      custom_details: Object.fromEntries(text.fields.map((field) => [field.label, field.value])),
    },
    client: 'checkup',
    ...(config.status_page_url ? { client_url: config.status_page_url } : {}),
  };
}
