import type { Alert } from '../../core/alerts/alert.js';
import { alertPolicyOf } from '../../core/alerts/alert-policy.js';
import { describeAlert } from '../../core/alerts/describe-alert.js';
import { incidentAction } from '../../core/alerts/incident-action.js';
import { incidentKey } from '../../core/alerts/incident-key.js';
import type { Notifier } from '../../core/alerts/notifier.js';
import type { OpsgenieNotifierConfig } from '../../core/config/notifier-schemas.js';
import { clipText } from './clip-text.js';
import { postHttp } from './post-http.js';

export const OPSGENIE_API_URL = 'https://api.opsgenie.com';

const PRIORITIES = { critical: 'P1', warning: 'P3', info: 'P5' } as const;

/**
 * Opsgenie's Alert API: a failure creates an alert under one alias per endpoint (a reminder
 * joins it: Opsgenie counts it as a duplicate), a recovery closes the alert with that alias.
 */
export function createOpsgenieNotifier(config: OpsgenieNotifierConfig, id: string): Notifier {
  const base = `${(config.api_url ?? OPSGENIE_API_URL).replace(/\/+$/, '')}/v2/alerts`;
  return {
    id,
    type: 'opsgenie',
    policy: alertPolicyOf(config),
    send(alert, signal) {
      const request = opsgenieRequest(alert, config);
      return postHttp(
        {
          url: `${base}${request.path}`,
          body: JSON.stringify(request.body),
          headers: { authorization: `GenieKey ${config.api_key}` },
          secrets: [config.api_key],
        },
        signal,
      );
    },
  };
}

/** The path under /v2/alerts and the body: create an alert, or close it by alias. */
export function opsgenieRequest(
  alert: Alert,
  config: Pick<OpsgenieNotifierConfig, 'status_page_url'>,
): { path: string; body: Record<string, unknown> } {
  const { action, severity } = incidentAction(alert);
  const alias = incidentKey(alert);
  const text = describeAlert(alert);
  if (action === 'resolve') {
    return {
      path: `/${encodeURIComponent(alias)}/close?identifierType=alias`,
      body: { source: 'checkup', note: clipText(text.headline, 25_000) },
    };
  }
  const lines = text.fields.map((field) => `${field.label}: ${field.value}`);
  if (config.status_page_url) lines.push(`Status page: ${config.status_page_url}`);
  return {
    path: '',
    body: {
      message: clipText(text.headline, 130),
      alias,
      description: clipText(lines.join('\n'), 15_000),
      priority: PRIORITIES[severity],
      entity: clipText(alert.title, 512),
      source: 'checkup',
      tags: ['checkup', alert.kind],
      details: Object.fromEntries(text.fields.map((field) => [field.label, clipText(field.value, 8000)])),
    },
  };
}
