import { createAlertStateStore } from '../../adapters/alerts/create-alert-state-store.js';
import { createStorage } from '../../adapters/storage/create-storage.js';
import { updateAlertState } from '../../core/alerts/process-run.js';
import { suggest } from '../../core/config/suggest.js';
import { changeIncident } from '../../core/incidents/change-incident.js';
import { openIncidentOf } from '../../core/incidents/incident.js';
import type { Command } from '../command.js';
import { prepareChecks } from '../prepare-checks.js';
import { printResults } from '../print-results.js';
import { maintenanceSource } from '../stored-notices.js';
import { terminalText } from '../terminal-text.js';
import { UsageError } from '../usage-error.js';

/** `checkup message --about NAME "text"`: checks NAME and stores its result with the text as message. */
export const messageCommand: Command = {
  name: 'message',
  usage: 'message --about NAME TEXT',
  summary: 'store a run whose result for NAME carries TEXT as its message',
  details: 'The text is also added as an update to the open incident of NAME, if there is one.',
  options: {
    about: { type: 'string', value: 'NAME', description: 'the endpoint_name the message is about' },
  },
  async run({ args, options, verbose, loadConfig }) {
    const about = options.about;
    if (typeof about !== 'string')
      throw new UsageError('message needs --about NAME, the endpoint_name it is about');
    if (args.length !== 1) throw new UsageError('message takes one text argument (quote it)');
    const config = await loadConfig({ checks: true, alerts: false });
    const names = config.checkers.map((checker) => checker.endpoint_name);
    if (!names.includes(about)) {
      const hint = suggest(about, names);
      throw new UsageError(
        `message --about: no endpoint named "${about}"${hint ? `; did you mean "${hint}"?` : ''}`,
      );
    }
    const only = {
      ...config,
      checkers: config.checkers.filter((checker) => checker.endpoint_name === about),
    };
    const results = (await prepareChecks(only, { windows: maintenanceSource(config) })()).map((result) => ({
      ...result,
      message: args[0] as string,
    }));
    printResults(results);
    const run = await createStorage(config.storage).store(results);
    if (verbose) process.stderr.write(`stored ${run.name}\n`);
    const text = args[0] as string;
    const { value: updated } = await updateAlertState(createAlertStateStore(config.storage), (state) => {
      const open = openIncidentOf(state.incidents ?? [], about);
      if (!open) return { state, value: undefined };
      const changed = changeIncident(state.incidents ?? [], {
        kind: 'update',
        at: Date.now(),
        id: open.id,
        message: text,
      });
      return { state: { ...state, incidents: changed.incidents }, value: changed.incident };
    });
    if (updated) process.stderr.write(`updated incident ${terminalText(updated.id)}\n`);
    return 0;
  },
};
