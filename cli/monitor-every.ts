import { createStorage, DEFAULT_STORAGE } from '../adapters/storage/create-storage.js';
import type { Config } from '../core/config/parse-config.js';
import { type Result, statusOf } from '../core/result.js';
import { createRunAlerter } from './alert-on-run.js';
import { describeError } from './describe-error.js';
import { describeStorage } from './describe-storage.js';
import { prepareChecks } from './prepare-checks.js';
import { runEvery } from './run-every.js';
import { onStopSignal } from './stop-signals.js';
import { StoreQueue } from './store-queue.js';
import { maintenanceSource } from './stored-notices.js';
import { terminalText } from './terminal-text.js';

/**
 * The monitoring loop of `checkup every` and `checkup serve --every`, given the config its command
 * loaded (once, so its notices and warnings print once): check and store on every tick until
 * Ctrl-C, a line per run on stderr. Nothing the storage does stops the loop: a run that cannot be
 * stored is reported and kept for the next tick. With `region`, runs are labelled with it and their
 * tick, and alerts follow the regions' vote. Ctrl-C lets the run under way finish and be
 * stored; a second Ctrl-C quits at once. Resolves to the exit status: 1 when runs were not stored.
 */
export async function monitorEvery(config: Config, intervalMs: number, region?: string): Promise<number> {
  const checkRun = prepareChecks(config, { region, intervalMs, windows: maintenanceSource(config) });
  const where = describeStorage(config.storage ?? DEFAULT_STORAGE);
  const storage = createStorage(config.storage);
  const queue = new StoreQueue(storage);
  const alerter = await createRunAlerter(config, storage, intervalMs);
  // Titles and errors come from the config and from servers: escaped, as all terminal output.
  const say = (line: string) => process.stderr.write(`${new Date().toISOString()} ${terminalText(line)}\n`);

  const schedule = runEvery(
    intervalMs,
    async () => {
      try {
        const results = await checkRun();
        const { stored, error } = await queue.add(results);
        for (const run of stored)
          say(
            `stored ${run.ref.name}: ${health(run.results)}${run.waited ? ' (kept while storing failed)' : ''}`,
          );
        if (error !== undefined)
          say(
            `checkup: could not store ${hasPath(error) ? 'the run' : `in ${where}`}: ${describeError(error)}; ` +
              `${health(results)}; ` +
              `${queue.waiting} run${queue.waiting === 1 ? '' : 's'} kept, stored at the next tick`,
          );
        // Alerts follow stored runs (their state lives beside them): the newest stored one.
        const newest = stored.at(-1);
        // A failure to alert must not stop the loop: it is reported, and queued alerts go next run.
        if (newest)
          await alerter.alert(newest.results).catch((failure: unknown) => {
            say(`checkup: alerting failed: ${describeError(failure)}`);
          });
      } catch (failure) {
        say(`checkup: run failed: ${describeError(failure)}`);
      }
    },
    (tick, lateMs) => say(`checkup: run ${tick} started ${Math.round(lateMs)} ms late`),
  );

  await new Promise<void>((resolve) => {
    onStopSignal(() => {
      process.stderr.write(
        'checkup: stopping after the run under way is stored (Ctrl-C again to quit without it)\n',
      );
      void schedule.stop().then(resolve);
    });
  });
  const lost = queue.waiting + queue.dropped;
  if (lost === 0) return 0;
  process.stderr.write(`checkup: ${lost} run${lost === 1 ? ' was' : 's were'} not stored\n`);
  return 1;
}

/** `2/3 healthy; api down`: the run at a glance. */
function health(results: readonly Result[]): string {
  const unhealthy = results.filter((result) => statusOf(result) !== 'healthy');
  const detail = unhealthy.map((result) => `; ${result.title} ${statusOf(result)}`).join('');
  return `${results.length - unhealthy.length}/${results.length} healthy${detail}`;
}

/** Whether a failure names its file (then the message says where, and the folder is not repeated). */
function hasPath(error: unknown): boolean {
  return typeof (error as NodeJS.ErrnoException | undefined)?.path === 'string';
}
