import {
  type MaintenancePeriod,
  type MaintenanceWindow,
  periodsBetween,
} from '../maintenance/maintenance-window.js';
import { type Incident, pruneIncidents } from './incident.js';

/**
 * What the page and the feed tell users, beside the status: the item types of the overview's
 * `maintenance` and `incidents` lists (core/summary/page-document-types.ts), also served alone
 * as `/data/notices.json`.
 */
export interface PublicNotices {
  /** Maintenance under way and starting within 7 days, by start. */
  maintenance: MaintenancePeriod[];
  /** Open incidents first (newest first), then those resolved in the last 90 days (newest first). */
  incidents: Incident[];
}

/** How far ahead upcoming maintenance is announced. */
export const UPCOMING_MS = 7 * 86_400_000;

/** The notices at `nowMs` from every window (config and stored) and the stored incidents. Pure. */
export function publicNotices(
  windows: readonly MaintenanceWindow[],
  incidents: readonly Incident[],
  nowMs: number,
): PublicNotices {
  const open = (incident: Incident) => (incident.status === 'resolved' ? 1 : 0);
  return {
    maintenance: periodsBetween(windows, nowMs, nowMs + UPCOMING_MS),
    incidents: pruneIncidents(incidents, nowMs).sort((a, b) => open(a) - open(b) || b.opened - a.opened),
  };
}
