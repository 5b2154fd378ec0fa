import type { Alert } from './alert.js';

/** What an alert does to an incident in a paging tool, and how severe the incident is. */
export interface IncidentAction {
  /** `open` opens one (or joins the open one: a reminder); `resolve` closes it. */
  action: 'open' | 'resolve';
  severity: 'critical' | 'warning' | 'info';
}

/**
 * The incident an alert opens or resolves: a failure opens (down is critical; degraded and
 * flapping are warnings), a recovery resolves, and so does the end of flapping when the
 * endpoint ended good (no `failingSince`). A test opens an `info` one of its own. Pure.
 */
export function incidentAction(alert: Pick<Alert, 'kind' | 'status' | 'failingSince'>): IncidentAction {
  switch (alert.kind) {
    case 'recovered':
      return { action: 'resolve', severity: 'info' };
    case 'stable':
      if (alert.failingSince === undefined) return { action: 'resolve', severity: 'info' };
      return { action: 'open', severity: alert.status === 'down' ? 'critical' : 'warning' };
    case 'test':
      return { action: 'open', severity: 'info' };
    case 'flapping':
    case 'degraded':
      return { action: 'open', severity: 'warning' };
    case 'down':
      return { action: 'open', severity: 'critical' };
    case 'reminder':
      return { action: 'open', severity: alert.status === 'down' ? 'critical' : 'warning' };
  }
}
