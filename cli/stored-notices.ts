import { createAlertStateStore } from '../adapters/alerts/create-alert-state-store.js';
import type { Config } from '../core/config/parse-config.js';
import { type PublicNotices, publicNotices } from '../core/incidents/public-notices.js';
import type { MaintenanceWindow } from '../core/maintenance/maintenance-window.js';
import { describeError } from './describe-error.js';
import { terminalText } from './terminal-text.js';

/**
 * Every maintenance window in force for the config: its own list and those `checkup maintenance
 * start` stored beside the runs (read afresh each call, so a window started elsewhere counts at
 * the next run). A store that cannot be read leaves the config's windows and a line on stderr:
 * the checks still run and are stored.
 */
export function maintenanceSource(config: Config): () => Promise<MaintenanceWindow[]> {
  const store = createAlertStateStore(config.storage);
  return async () => {
    try {
      return [...config.maintenance, ...((await store.load()).state.maintenance ?? [])];
    } catch (error) {
      process.stderr.write(
        `checkup: ${terminalText(`maintenance windows not read from the store: ${describeError(error)}`)}\n`,
      );
      return config.maintenance;
    }
  };
}

/** The maintenance and incidents to tell users now, from the config and the store beside the runs. */
export function noticesSource(config: Config): () => Promise<PublicNotices> {
  const store = createAlertStateStore(config.storage);
  return async () => {
    const { state } = await store.load();
    return publicNotices(
      [...config.maintenance, ...(state.maintenance ?? [])],
      state.incidents ?? [],
      Date.now(),
    );
  };
}
