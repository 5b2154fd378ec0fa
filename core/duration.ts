/** Nanoseconds per unit, as Go's time.ParseDuration knows them, plus days and weeks. */
const NS_PER_UNIT: Record<string, number> = {
  ns: 1,
  us: 1e3,
  µs: 1e3,
  ms: 1e6,
  s: 1e9,
  m: 60e9,
  h: 3600e9,
  d: 86_400e9,
  w: 604_800e9,
};

const PART = /(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h|d|w)/y;

/**
 * Parses a duration as checkup wrote it (integer nanoseconds) or as a string such as
 * `"500ms"`, `"1m30s"` or `"14d"`. Returns nanoseconds, or undefined when it is not a duration.
 */
export function parseDuration(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) && value >= 0 ? Math.round(value) : undefined;
  if (typeof value !== 'string') return undefined;
  const text = value.trim();
  if (text === '0') return 0;
  if (text === '') return undefined;
  let total = 0;
  PART.lastIndex = 0;
  while (PART.lastIndex < text.length) {
    const match = PART.exec(text);
    if (!match) return undefined;
    total += Number(match[1]) * (NS_PER_UNIT[match[2] as string] as number);
  }
  return Math.round(total);
}

/** Formats nanoseconds the way Go prints a time.Duration (`1.5s`, `203.4ms`, `0s`). */
export function formatDuration(ns: number): string {
  if (ns === 0) return '0s';
  const sign = ns < 0 ? '-' : '';
  const abs = Math.abs(ns);
  if (abs < 1e3) return `${sign}${abs}ns`;
  if (abs < 1e6) return `${sign}${trim(abs / 1e3)}µs`;
  if (abs < 1e9) return `${sign}${trim(abs / 1e6)}ms`;
  let rest = abs / 1e9;
  const hours = Math.floor(rest / 3600);
  rest -= hours * 3600;
  const minutes = Math.floor(rest / 60);
  rest -= minutes * 60;
  let out = '';
  if (hours > 0) out += `${hours}h`;
  if (hours > 0 || minutes > 0) out += `${minutes}m`;
  return `${sign}${out}${trim(rest)}s`;
}

function trim(value: number): string {
  return String(Number(value.toFixed(6)));
}
