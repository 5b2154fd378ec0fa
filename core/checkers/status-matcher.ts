/** Decides whether an HTTP status is an "up" status. */
export interface StatusMatcher {
  matches(status: number): boolean;
  /** What was expected, for the error message (`200`, `200-204`, `2xx or 301`). */
  readonly expected: string;
}

/** `up_status` as written: a status, a pattern string (`"2xx"`, `"200-299"`, `"204"`), or a list of them. */
export type UpStatus = number | string | ReadonlyArray<number | string>;

type Range = readonly [low: number, high: number];

/**
 * Reads one `up_status` entry: `200`, `"200"`, `"2xx"` or `"200-299"`. Returns the inclusive
 * range, or a sentence saying what is wrong.
 */
export function parseStatusPattern(entry: number | string): Range | string {
  const text = String(entry).trim();
  let range: Range | undefined;
  const family = /^([1-5])xx$/i.exec(text);
  const span = /^(\d{3})\s*-\s*(\d{3})$/.exec(text);
  if (family) range = [Number(family[1]) * 100, Number(family[1]) * 100 + 99];
  else if (span) range = [Number(span[1]), Number(span[2])];
  else if (/^\d{3}$/.test(text)) range = [Number(text), Number(text)];
  if (!range) return `not a status: ${JSON.stringify(entry)} (use 200, "2xx" or "200-299")`;
  if (range[0] < 100 || range[1] > 599) return `${JSON.stringify(entry)} is outside 100-599`;
  if (range[0] > range[1]) return `${JSON.stringify(entry)} is an empty range`;
  return range;
}

/**
 * checkup's rule with this project's forms: a set `up_status` (a status, `"2xx"`, `"200-299"`, or a
 * list of these) must match; unset accepts 200-204. Throws on an entry that does not parse (the
 * config schema has refused those already).
 */
export function statusMatcher(upStatus: UpStatus | undefined): StatusMatcher {
  if (upStatus === undefined) return { matches: (s) => s >= 200 && s <= 204, expected: '200-204' };
  const entries = Array.isArray(upStatus) ? upStatus : [upStatus as number | string];
  const ranges = entries.map((entry) => {
    const range = parseStatusPattern(entry);
    if (typeof range === 'string') throw new Error(range);
    return range;
  });
  return {
    matches: (s) => ranges.some(([low, high]) => s >= low && s <= high),
    expected: entries.map((entry) => String(entry).trim()).join(' or '),
  };
}
