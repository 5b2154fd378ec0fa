/** Where an incident stands, as status pages say it. */
export const INCIDENT_STATUSES = ['investigating', 'identified', 'monitoring', 'resolved'] as const;
export type IncidentStatus = (typeof INCIDENT_STATUSES)[number];

/** One update of an incident: its time (unix ms), the status it set and what it said (plain text). */
export interface IncidentUpdate {
  at: number;
  status: IncidentStatus;
  message: string;
}

/**
 * An incident shown on the page and in the feed. `auto` ones open when an endpoint goes down
 * (past the alert thresholds) and resolve when it recovers; `manual` ones are written with
 * `checkup incident` and resolved by hand.
 */
export interface Incident {
  /** Stable and unique: `<opened unix ms>-<slug of the title>`. */
  id: string;
  title: string;
  /** The endpoint names it affects. */
  endpoints: string[];
  status: IncidentStatus;
  source: 'auto' | 'manual';
  /** Unix ms it opened and, once resolved, when. */
  opened: number;
  resolved?: number;
  /** Oldest first; the first is the opening message. */
  updates: IncidentUpdate[];
}

/** Resolved incidents are kept this long (the page's 90 days of history). */
export const INCIDENT_HISTORY_MS = 90 * 86_400_000;

/** An incident id from its opening time and title. */
export function incidentId(opened: number, title: string): string {
  const slug = title
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 40);
  return `${opened}-${slug || 'incident'}`;
}

/** The open incident affecting `endpoint`, the newest when several are. */
export function openIncidentOf(incidents: readonly Incident[], endpoint: string): Incident | undefined {
  return incidents
    .filter((incident) => incident.status !== 'resolved' && incident.endpoints.includes(endpoint))
    .sort((a, b) => b.opened - a.opened)[0];
}

/** Incidents without those resolved more than 90 days before `nowMs`. */
export function pruneIncidents(incidents: readonly Incident[], nowMs: number): Incident[] {
  return incidents.filter(
    (incident) => incident.resolved === undefined || incident.resolved > nowMs - INCIDENT_HISTORY_MS,
  );
}
