import { parseWindowTime } from '../core/config/maintenance-schema.js';
import type { Config } from '../core/config/parse-config.js';
import { suggest } from '../core/config/suggest.js';
import { isTimeZone } from '../core/maintenance/zoned-time.js';
import { UsageError } from './usage-error.js';

/**
 * `--endpoints a,b` as a list of the config's endpoint names (undefined when not given); an
 * unknown name is a UsageError naming it, with a suggestion. With `groups`, a checker group
 * name is taken too (a maintenance window covers the endpoints in it when each is checked).
 */
export function endpointsOption(
  value: unknown,
  config: Config,
  where: string,
  { groups = false }: { groups?: boolean } = {},
): string[] | undefined {
  if (typeof value !== 'string') return undefined;
  const names = config.checkers.map((checker) => checker.endpoint_name);
  const known = groups ? [...new Set([...names, ...config.checkers.flatMap((c) => c.group ?? [])])] : names;
  const list = value
    .split(',')
    .map((name) => name.trim())
    .filter(Boolean);
  if (list.length === 0) throw new UsageError(`${where} --endpoints: give names separated by commas`);
  for (const name of list) {
    if (known.includes(name)) continue;
    const hint = suggest(name, known);
    const problem = groups
      ? `"${name}" is neither a checker name nor a group`
      : `no endpoint named "${name}"`;
    throw new UsageError(`${where} --endpoints: ${problem}${hint ? `; did you mean "${hint}"?` : ''}`);
  }
  return list;
}

/** A time option (`--at`, `--until`) as unix ms: RFC 3339, or a wall-clock time in `timezone`. */
export function timeOption(value: unknown, timezone: string, where: string): number | undefined {
  if (typeof value !== 'string') return undefined;
  const ms = parseWindowTime(value, timezone);
  if (ms === undefined)
    throw new UsageError(`${where}: not a time: "${value}" (use "2026-12-06T02:00" or RFC 3339)`);
  return ms;
}

/** `--timezone`, default UTC; an unknown zone is a UsageError. */
export function timezoneOption(value: unknown): string {
  if (typeof value !== 'string') return 'UTC';
  if (!isTimeZone(value))
    throw new UsageError(
      `--timezone: unknown time zone "${value}" (use an IANA name such as "Europe/Berlin")`,
    );
  return value;
}
