import { createAlertStateStore } from '../../adapters/alerts/create-alert-state-store.js';
import { updateAlertState } from '../../core/alerts/process-run.js';
import { parseDuration } from '../../core/duration.js';
import { addStoredWindow, endStoredWindows } from '../../core/maintenance/change-stored-windows.js';
import { MAX_WINDOW_MS, periodsBetween } from '../../core/maintenance/maintenance-window.js';
import type { Command, CommandInput } from '../command.js';
import { endpointsOption, timeOption, timezoneOption } from '../notice-options.js';
import { terminalText } from '../terminal-text.js';
import { UsageError } from '../usage-error.js';

const DAY_MS = 86_400_000;

/**
 * `checkup maintenance start|end|list`: windows started by hand, stored beside the runs (a file
 * in fs storage, an object in the S3 bucket, an item in the table), so the checks, alerts and page
 * follow them at the next run with no redeploy.
 */
export const maintenanceCommand: Command = {
  name: 'maintenance',
  usage: 'maintenance start NAME --for 30m [--endpoints a,b] [--at TIME] | end NAME | list',
  summary: 'start, end or list maintenance windows (alerts held, uptime not counted)',
  details:
    'start stores a window from now (or --at TIME) for --for DURATION (or --until TIME), for --endpoints (default: all).\n' +
    'end cuts short the stored windows of that name or id under way, and drops those not begun.\n' +
    'list prints the windows under way and those starting in the next 7 days, from the config and the store.\n' +
    'TIME is RFC 3339, or "2026-12-06T02:00" in --timezone (default UTC).',
  options: {
    for: { type: 'string', value: 'DURATION', description: 'how long the window lasts (maintenance start)' },
    until: { type: 'string', value: 'TIME', description: 'when the window ends (maintenance start)' },
    at: { type: 'string', value: 'TIME', description: 'when the window starts (default now)' },
    endpoints: {
      type: 'string',
      value: 'a,b',
      description: 'the endpoint names or checker groups affected (default all)',
    },
    timezone: { type: 'string', value: 'ZONE', description: 'the zone of wall-clock TIMEs (default UTC)' },
  },
  async run({ args, options, loadConfig }) {
    const [action, name, ...extra] = args;
    if (action === 'list') return list(loadConfig);
    if (action !== 'start' && action !== 'end')
      throw new UsageError('maintenance takes start NAME, end NAME or list');
    if (!name || extra.length > 0) throw new UsageError(`maintenance ${action} takes one NAME (quote it)`);
    const config = await loadConfig({ alerts: false });
    const store = createAlertStateStore(config.storage);
    const now = Date.now();
    if (action === 'end') {
      const { value: ended } = await updateAlertState(store, (state) => {
        const changed = endStoredWindows(state.maintenance ?? [], name, now);
        return {
          state: changed.ended.length > 0 ? { ...state, maintenance: changed.windows } : state,
          value: changed.ended,
        };
      });
      if (ended.length === 0)
        throw new UsageError(
          `maintenance end: no stored window named "${name}" is under way or to come (windows in the config end by editing it)`,
        );
      for (const window of ended)
        process.stdout.write(`ended ${terminalText(`${window.name} (${window.id})`)}\n`);
      return 0;
    }
    const timezone = timezoneOption(options.timezone);
    const start = timeOption(options.at, timezone, 'maintenance start --at') ?? now;
    const until = timeOption(options.until, timezone, 'maintenance start --until');
    const forNs = typeof options.for === 'string' ? parseDuration(options.for) : undefined;
    if (typeof options.for === 'string' && forNs === undefined)
      throw new UsageError(`maintenance start --for: not a duration: "${options.for}" (try 30m, 2h)`);
    if ((until === undefined) === (forNs === undefined))
      throw new UsageError('maintenance start needs --for DURATION or --until TIME (one of them)');
    const durationMs = until !== undefined ? until - start : Math.round((forNs as number) / 1e6);
    if (durationMs <= 0)
      throw new UsageError(
        until !== undefined
          ? 'maintenance start: --until is not after the start'
          : 'maintenance start --for: must be longer than 0',
      );
    // Checked before anything is stored: a stored window every later command would trip over.
    if (durationMs > MAX_WINDOW_MS)
      throw new UsageError(
        `maintenance start: a window lasts at most 366 days (this one ${until !== undefined ? 'ends after' : 'lasts'} ${terminalText(String(options.until ?? options.for))})`,
      );
    if (start + durationMs <= now)
      throw new UsageError(
        `maintenance start: the window would end at ${iso(start + durationMs)}, before now (check --at and --until)`,
      );
    const endpoints = endpointsOption(options.endpoints, config, 'maintenance start', { groups: true });
    const { value: added } = await updateAlertState(store, (state) => {
      const changed = addStoredWindow(
        state.maintenance ?? [],
        { name, ...(endpoints ? { endpoints } : {}), start, durationMs, timezone },
        now,
      );
      return { state: { ...state, maintenance: changed.windows }, value: changed.added };
    });
    process.stdout.write(
      `maintenance ${terminalText(`${added.name} (${added.id})`)}: ${iso(start)} to ${iso(start + durationMs)}, ${terminalText(endpoints?.join(', ') ?? 'all endpoints')}\n`,
    );
    return 0;
  },
};

async function list(loadConfig: CommandInput['loadConfig']): Promise<number> {
  const config = await loadConfig({ alerts: false });
  const stored = (await createAlertStateStore(config.storage).load()).state.maintenance ?? [];
  const now = Date.now();
  const periods = periodsBetween([...config.maintenance, ...stored], now, now + 7 * DAY_MS);
  if (periods.length === 0) process.stdout.write('no maintenance under way or in the next 7 days\n');
  for (const period of periods) {
    const when = period.start <= now ? 'now ' : 'next';
    const what = `${period.name}: ${period.endpoints?.join(', ') ?? 'all endpoints'}`;
    process.stdout.write(`${when} ${iso(period.start)} to ${iso(period.end)} ${terminalText(what)}\n`);
  }
  return 0;
}

function iso(ms: number): string {
  return new Date(ms).toISOString().replace(/:\d\d\.\d{3}Z$/, 'Z');
}
