import {
  type Incident,
  type IncidentStatus,
  type IncidentUpdate,
  incidentId,
  openIncidentOf,
  pruneIncidents,
} from './incident.js';

/** A change to the incident list, from a failure, a recovery or `checkup incident`. */
export type IncidentChange =
  | {
      kind: 'open';
      at: number;
      title: string;
      message: string;
      endpoints: string[];
      status?: IncidentStatus;
      source: 'auto' | 'manual';
    }
  | {
      kind: 'update';
      at: number;
      id: string;
      message: string;
      status?: IncidentStatus;
      title?: string;
      endpoints?: string[];
    }
  | { kind: 'resolve'; at: number; id: string; message: string };

/** The change cannot be applied (no such incident, already resolved); the message says which. */
export class IncidentChangeError extends Error {
  override readonly name = 'IncidentChangeError';
}

/**
 * The incident list with one change applied, and the incident it made or changed. Pure: the
 * input is not changed. Resolved incidents older than 90 days are dropped on the way.
 */
export function changeIncident(
  incidents: readonly Incident[],
  change: IncidentChange,
): { incidents: Incident[]; incident: Incident } {
  const list = pruneIncidents(incidents, change.at);
  if (change.kind === 'open') {
    let id = incidentId(change.at, change.title);
    for (let n = 2; list.some((incident) => incident.id === id); n++)
      id = `${incidentId(change.at, change.title)}-${n}`;
    const status = change.status ?? 'investigating';
    const incident: Incident = {
      id,
      title: change.title,
      endpoints: change.endpoints,
      status,
      source: change.source,
      opened: change.at,
      ...(status === 'resolved' ? { resolved: change.at } : {}),
      updates: [{ at: change.at, status, message: change.message }],
    };
    return { incidents: [...list, incident], incident };
  }
  const index = list.findIndex((incident) => incident.id === change.id);
  const before = list[index];
  if (!before) throw new IncidentChangeError(`no incident with id ${JSON.stringify(change.id)}`);
  if (before.status === 'resolved')
    throw new IncidentChangeError(`incident ${before.id} is already resolved`);
  const status: IncidentStatus = change.kind === 'resolve' ? 'resolved' : (change.status ?? before.status);
  const update: IncidentUpdate = { at: change.at, status, message: change.message };
  const incident: Incident = {
    ...before,
    ...(change.kind === 'update' && change.title ? { title: change.title } : {}),
    ...(change.kind === 'update' && change.endpoints ? { endpoints: change.endpoints } : {}),
    status,
    ...(status === 'resolved' ? { resolved: change.at } : {}),
    updates: [...before.updates, update],
  };
  return { incidents: list.map((item, i) => (i === index ? incident : item)), incident };
}

/**
 * What a confirmed failure or recovery of `endpoint` does to the incidents: a failure opens an
 * automatic incident unless one (automatic or by hand) is open for it already; a recovery
 * resolves the automatic one (an incident written by hand is resolved by hand).
 */
export function incidentOnAlert(
  incidents: readonly Incident[],
  endpoint: string,
  kind: 'down' | 'recovered',
  at: number,
  detail: string,
): readonly Incident[] {
  const open = openIncidentOf(incidents, endpoint);
  if (kind === 'down') {
    if (open) return incidents;
    return changeIncident(incidents, {
      kind: 'open',
      at,
      title: `${endpoint} is down`,
      message: detail,
      endpoints: [endpoint],
      source: 'auto',
    }).incidents;
  }
  if (open?.source !== 'auto') return incidents;
  return changeIncident(incidents, { kind: 'resolve', at, id: open.id, message: detail }).incidents;
}

/**
 * The incidents with each open automatic one resolved whose endpoints the config no longer checks
 * (renamed or removed): no run will ever recover it, so it would stay open on the page. One
 * written by hand stays for its author to resolve. The same list when nothing changes.
 */
export function resolveIncidentsOfRemovedEndpoints(
  incidents: readonly Incident[],
  checked: readonly string[],
  at: number,
): readonly Incident[] {
  let list = incidents;
  for (const incident of incidents) {
    const gone = incident.endpoints.filter((endpoint) => !checked.includes(endpoint));
    if (
      incident.source !== 'auto' ||
      incident.status === 'resolved' ||
      gone.length < incident.endpoints.length
    )
      continue;
    const message = `No longer checked: ${gone.join(', ')} ${gone.length === 1 ? 'is' : 'are'} not in the config.`;
    list = changeIncident(list, { kind: 'resolve', at, id: incident.id, message }).incidents;
  }
  return list;
}
