import { createStorage } from '../../adapters/storage/create-storage.js';
import { statusOf } from '../../core/result.js';
import { createRunAlerter } from '../alert-on-run.js';
import type { Command } from '../command.js';
import { prepareChecks } from '../prepare-checks.js';
import { printResults } from '../print-results.js';
import { REGION_OPTION, regionOption } from '../region-option.js';
import { exitOnStopSignal } from '../stop-signals.js';
import { maintenanceSource } from '../stored-notices.js';
import { UsageError } from '../usage-error.js';

/** `checkup [--store]`: check once, print, exit 0 when all are healthy and 1 otherwise. */
export const checkCommand: Command = {
  name: '',
  usage: '[--store]',
  summary: 'check every endpoint once and print the results',
  details:
    'With --store, also store the run (default storage: fs in ./checks) and alert on changes.\n' +
    'Exit status: 0 all healthy, 1 any endpoint degraded or down (or a failure), 2 a config or usage error.',
  options: {
    store: { type: 'boolean', description: 'store the results (default storage: fs in ./checks)' },
    ...REGION_OPTION,
  },
  async run({ options, verbose, loadConfig }) {
    const store = options.store === true;
    const region = regionOption(options);
    if (region !== undefined && !store)
      throw new UsageError('--region labels stored runs: use it with --store, every or serve --every');
    const config = await loadConfig({ checks: true, stores: store, alerts: store });
    // A stored run is marked with the windows stored beside it too; a check alone reads no store.
    const checkRun = prepareChecks(config, {
      region,
      windows: store ? maintenanceSource(config) : undefined,
    });
    const storage = store ? createStorage(config.storage) : undefined;
    // Stopped mid-store, the storage leaves no temporary file behind.
    if (storage) exitOnStopSignal();
    const results = await checkRun();
    printResults(results);
    let alerted = true;
    if (storage) {
      const run = await storage.store(results);
      if (verbose) process.stderr.write(`stored ${run.name}\n`);
      // Alerts follow stored runs only: their state lives beside the runs.
      const alerter = await createRunAlerter(config, storage);
      alerted = await alerter.alert(results);
    }
    return alerted && results.every((result) => statusOf(result) === 'healthy') ? 0 : 1;
  },
};
