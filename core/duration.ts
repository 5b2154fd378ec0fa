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

/**
 * Formats nanoseconds exactly as Go's time.Duration String() does: `0s`, `100ns`, `850µs`,
 * `9.302433ms`, `1.5s`, `1m30s`, `1h0m0s`, `1h2m3.000000005s`. Integer arithmetic throughout,
 * so no digit is lost to floating point (a fractional input is rounded to whole nanoseconds).
 */
export function formatDuration(ns: number): string {
  const rounded = Math.round(ns);
  // Under a second (round trips, nearly always) doubles are exact: no BigInt, which made printing
  // a large run's results several times slower.
  if (rounded > -1e9 && rounded < 1e9) return formatUnderASecond(rounded);
  const whole = BigInt(rounded);
  if (whole === 0n) return '0s';
  const sign = whole < 0n ? '-' : '';
  const abs = whole < 0n ? -whole : whole;
  if (abs < 1_000n) return `${sign}${abs}ns`;
  if (abs < 1_000_000n) return `${sign}${decimal(abs, 3)}µs`;
  if (abs < 1_000_000_000n) return `${sign}${decimal(abs, 6)}ms`;
  const seconds = decimal(abs % 60_000_000_000n, 9);
  const totalMinutes = abs / 60_000_000_000n;
  if (totalMinutes === 0n) return `${sign}${seconds}s`;
  const hours = totalMinutes / 60n;
  const minutes = `${totalMinutes % 60n}m${seconds}s`;
  return hours === 0n ? `${sign}${minutes}` : `${sign}${hours}h${minutes}`;
}

function formatUnderASecond(ns: number): string {
  if (ns === 0) return '0s';
  const sign = ns < 0 ? '-' : '';
  const abs = Math.abs(ns);
  if (abs < 1_000) return `${sign}${abs}ns`;
  if (abs < 1_000_000) return `${sign}${smallDecimal(abs, 1_000, 3)}µs`;
  return `${sign}${smallDecimal(abs, 1_000_000, 6)}ms`;
}

/** decimal() for a whole number under 2^53, in doubles (each step exact). */
function smallDecimal(value: number, scale: number, digits: number): string {
  const remainder = value % scale;
  const units = (value - remainder) / scale;
  const fraction = String(remainder).padStart(digits, '0').replace(/0+$/, '');
  return fraction ? `${units}.${fraction}` : `${units}`;
}

/** `value` divided by 10^digits, written with the fraction's trailing zeros (and a bare point) dropped. */
function decimal(value: bigint, digits: number): string {
  const scale = 10n ** BigInt(digits);
  const fraction = (value % scale).toString().padStart(digits, '0').replace(/0+$/, '');
  return fraction ? `${value / scale}.${fraction}` : `${value / scale}`;
}
