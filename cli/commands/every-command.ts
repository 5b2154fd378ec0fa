import { createStorage } from '../../adapters/storage/create-storage.js';
import { statusOf } from '../../core/result.js';
import { createRunAlerter } from '../alert-on-run.js';
import type { Command } from '../command.js';
import { loadConfigFile } from '../load-config-file.js';
import { parseInterval } from '../parse-interval.js';
import { prepareChecks } from '../prepare-checks.js';
import { runEvery } from '../run-every.js';
import { UsageError } from '../usage-error.js';

/** `checkup every <interval>`: check and store on every tick until Ctrl-C. */
export const everyCommand: Command = {
  name: 'every',
  usage: 'every <interval>',
  summary: 'check and store at an interval',
  details:
    'The interval: 3s, 1m, 1h30m, or second, minute, hour, day, week. A slow run does not delay the next tick; Ctrl-C stops after the run under way is stored.',
  async run({ args, configFile, verbose }) {
    if (args.length !== 1) throw new UsageError('every takes one interval, such as "1m" or "hour"');
    const intervalMs = parseInterval(args[0] as string);
    if (intervalMs === undefined)
      throw new UsageError(`every: not an interval: "${args[0]}" (try 30s, 1m, hour)`);
    const config = await loadConfigFile(configFile);
    const checkRun = prepareChecks(config);
    const storage = createStorage(config.storage);
    const alerter = await createRunAlerter(config, verbose);
    const controller = new AbortController();

    const schedule = runEvery(
      intervalMs,
      async () => {
        const results = await checkRun(controller.signal);
        if (controller.signal.aborted) return;
        const run = await storage.store(results);
        const unhealthy = results.filter((result) => statusOf(result) !== 'healthy');
        if (verbose || unhealthy.length > 0) {
          const detail = unhealthy.map((result) => `; ${result.title} ${statusOf(result)}`).join('');
          const healthy = results.length - unhealthy.length;
          process.stderr.write(
            `${new Date().toISOString()} stored ${run.name}: ${healthy}/${results.length} healthy${detail}\n`,
          );
        }
        // A failure to alert must not stop the loop: it is reported, and queued alerts go next run.
        await alerter?.alert(results).catch((error: unknown) => {
          process.stderr.write(
            `checkup: alerting failed: ${error instanceof Error ? error.message : error}\n`,
          );
        });
      },
      (tick, lateMs) => process.stderr.write(`checkup: run ${tick} started ${Math.round(lateMs)} ms late\n`),
    );

    await new Promise<void>((resolve) => {
      const stop = () => {
        process.stderr.write('checkup: stopping; finishing what is being stored\n');
        process.once('SIGINT', () => process.exit(130));
        controller.abort();
        void schedule.stop().then(resolve);
      };
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    });
    return 0;
  },
};
