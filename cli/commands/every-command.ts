import type { Command } from '../command.js';
import { monitorEvery } from '../monitor-every.js';
import { parseInterval } from '../parse-interval.js';
import { REGION_OPTION, regionOption } from '../region-option.js';
import { UsageError } from '../usage-error.js';

/**
 * `checkup every <interval>`: check and store on every tick until Ctrl-C (cli/monitor-every.ts).
 * It prints a line per run, healthy or not, so the screen never shows an old failure as the
 * latest news.
 */
export const everyCommand: Command = {
  name: 'every',
  usage: 'every <interval>',
  summary: 'check and store at an interval',
  details:
    'The interval: 3s, 1m, 1h30m, or second, minute, hour, day, week. A slow run does not delay the next tick; a run that cannot be stored is reported and kept for the next tick. Ctrl-C stops after the run under way is stored (a second Ctrl-C quits at once).',
  options: REGION_OPTION,
  async run({ args, options, loadConfig }) {
    if (args.length !== 1) throw new UsageError('every takes one interval, such as "1m" or "hour"');
    const intervalMs = parseInterval(args[0] as string, 'every');
    const region = regionOption(options);
    const config = await loadConfig({ checks: true });
    return monitorEvery(config, intervalMs, region);
  },
};
