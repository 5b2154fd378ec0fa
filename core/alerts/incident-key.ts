import { createHash } from 'node:crypto';
import type { Alert } from './alert.js';

/**
 * The key an incident tool (PagerDuty's dedup_key, Opsgenie's alias) files an endpoint's alerts
 * under: the same for every alert about one endpoint, so a reminder joins the open incident and
 * a recovery resolves it. Made of the endpoint's name and URL, so two configs with an endpoint
 * of the same name (staging and production) never close each other's incidents; readable at
 * the start, and safe in a URL path (Opsgenie closes by alias there). A test alert has its own.
 */
export function incidentKey(alert: Pick<Alert, 'kind' | 'title' | 'endpoint' | 'notifierId'>): string {
  if (alert.kind === 'test') return `checkup-test-${slug(alert.notifierId)}`;
  const hash = createHash('sha256').update(`${alert.title}\n${alert.endpoint}`).digest('hex').slice(0, 16);
  return `checkup-${slug(alert.title)}-${hash}`;
}

function slug(text: string): string {
  return (
    text
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-|-$/g, '')
      .slice(0, 40) || 'endpoint'
  );
}
