import { createStorage } from '../../adapters/storage/create-storage.js';
import type { Command } from '../command.js';
import { UsageError } from '../usage-error.js';

/** `checkup summaries rebuild`: recomputes the summary document from the stored runs. */
export const summariesCommand: Command = {
  name: 'summaries',
  usage: 'summaries rebuild',
  summary: 'recompute the summary the status page reads from every stored run',
  async run({ args, loadConfig }) {
    if (args.length !== 1 || args[0] !== 'rebuild') throw new UsageError('summaries takes one word: rebuild');
    const config = await loadConfig({ alerts: false, reads: true });
    const summary = await createStorage(config.storage).rebuildSummary();
    const checks = summary.endpoints.reduce(
      (sum, endpoint) => sum + endpoint.days.reduce((days, day) => days + day.checks, 0),
      0,
    );
    const days = Math.max(0, ...summary.endpoints.map((endpoint) => endpoint.days.length));
    process.stdout.write(
      `rebuilt the summary: ${summary.endpoints.length} endpoints, ${checks} results over ${days} days\n`,
    );
    return 0;
  },
};
