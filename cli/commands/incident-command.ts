import { createAlertStateStore } from '../../adapters/alerts/create-alert-state-store.js';
import { updateAlertState } from '../../core/alerts/process-run.js';
import {
  changeIncident,
  type IncidentChange,
  IncidentChangeError,
} from '../../core/incidents/change-incident.js';
import { INCIDENT_STATUSES, type Incident, type IncidentStatus } from '../../core/incidents/incident.js';
import type { Command } from '../command.js';
import { endpointsOption } from '../notice-options.js';
import { terminalText } from '../terminal-text.js';
import { UsageError } from '../usage-error.js';

/**
 * `checkup incident open|update|resolve|list`: incidents written by hand, stored beside the runs
 * with the automatic ones, for the page and the feed.
 */
export const incidentCommand: Command = {
  name: 'incident',
  usage:
    'incident open TITLE --message TEXT [--endpoints a,b] [--status S] | update ID --message TEXT [--status S] | resolve ID [--message TEXT] | list',
  summary: 'open, update, resolve or list incidents shown on the status page',
  details: `Statuses: ${INCIDENT_STATUSES.join(', ')}. An incident opens as investigating unless --status says otherwise.`,
  options: {
    message: {
      type: 'string',
      value: 'TEXT',
      description: 'what to tell users (incident open, update, resolve)',
    },
    status: {
      type: 'string',
      value: 'S',
      description: `the incident's status (${INCIDENT_STATUSES.join(', ')})`,
    },
  },
  async run({ args, options, loadConfig }) {
    const [action, subject, ...extra] = args;
    const config = await loadConfig({ alerts: false });
    const store = createAlertStateStore(config.storage);
    if (action === 'list') {
      const incidents = (await store.load()).state.incidents ?? [];
      if (incidents.length === 0) process.stdout.write('no incidents in the last 90 days\n');
      for (const incident of [...incidents].sort((a, b) => b.opened - a.opened))
        process.stdout.write(`${line(incident)}\n`);
      return 0;
    }
    if (action !== 'open' && action !== 'update' && action !== 'resolve')
      throw new UsageError('incident takes open TITLE, update ID, resolve ID or list');
    if (!subject || extra.length > 0)
      throw new UsageError(`incident ${action} takes one ${action === 'open' ? 'TITLE' : 'ID'} (quote it)`);
    const message = typeof options.message === 'string' ? options.message : undefined;
    if (message === undefined && action !== 'resolve')
      throw new UsageError(`incident ${action} needs --message TEXT, what to tell users`);
    const status = statusOption(options.status);
    const at = Date.now();
    const change: IncidentChange =
      action === 'open'
        ? {
            kind: 'open',
            at,
            title: subject,
            message: message as string,
            endpoints: endpointsOption(options.endpoints, config, 'incident open') ?? [],
            source: 'manual',
            ...(status ? { status } : {}),
          }
        : action === 'update'
          ? { kind: 'update', at, id: subject, message: message as string, ...(status ? { status } : {}) }
          : { kind: 'resolve', at, id: subject, message: message ?? 'Resolved.' };
    try {
      const { value } = await updateAlertState(store, (state) => {
        const changed = changeIncident(state.incidents ?? [], change);
        return { state: { ...state, incidents: changed.incidents }, value: changed.incident };
      });
      process.stdout.write(`${line(value)}\n`);
      return 0;
    } catch (error) {
      if (error instanceof IncidentChangeError) throw new UsageError(`incident ${action}: ${error.message}`);
      throw error;
    }
  },
};

function statusOption(value: unknown): IncidentStatus | undefined {
  if (value === undefined) return undefined;
  if (typeof value === 'string' && (INCIDENT_STATUSES as readonly string[]).includes(value))
    return value as IncidentStatus;
  throw new UsageError(
    `--status: not an incident status: "${String(value)}" (${INCIDENT_STATUSES.join(', ')})`,
  );
}

function line(incident: Incident): string {
  const affected = incident.endpoints.length > 0 ? ` [${incident.endpoints.join(', ')}]` : '';
  return terminalText(`${incident.id} ${incident.status}: ${incident.title}${affected}`);
}
