import { clip, excerpt, patternExcerpt } from '../excerpt.js';

/**
 * One `json` assertion of the http checker: a path into the response's JSON and exactly one test.
 * `{"path": "status", "equals": "ok"}`, `{"path": "checks[0].latency_ms", "lt": 200}`,
 * `{"path": "items.length", "gte": 1}`, `{"path": "version", "matches": "^2\\."}`,
 * `{"path": "error", "exists": false}`.
 */
export interface JsonAssertion {
  path: string;
  equals?: unknown;
  not_equals?: unknown;
  gt?: number;
  gte?: number;
  lt?: number;
  lte?: number;
  matches?: string;
  exists?: boolean;
}

/** The tests an assertion may make; exactly one per assertion. */
export const JSON_OPERATORS = [
  'equals',
  'not_equals',
  'gt',
  'gte',
  'lt',
  'lte',
  'matches',
  'exists',
] as const;

const COMPARISONS = { gt: '>', gte: '>=', lt: '<', lte: '<=' } as const;

/**
 * Splits a path such as `$.data.items[0]["odd.key"].name` into its keys and indexes. The leading
 * `$` or `$.` is optional. Returns a sentence saying what is wrong when it does not parse.
 */
export function parseJsonPath(path: string): Array<string | number> | string {
  const segments: Array<string | number> = [];
  let rest = path.trim().replace(/^\$\.?/, '');
  if (rest === '' && path.trim().startsWith('$')) return segments;
  let first = true;
  while (rest.length > 0) {
    const match =
      (first ? /^([A-Za-z_$][\w$-]*)/.exec(rest) : /^\.([A-Za-z_$][\w$-]*)/.exec(rest)) ??
      /^\[(\d+)\]/.exec(rest) ??
      /^\["((?:[^"\\]|\\.)*)"\]/.exec(rest);
    if (!match) return `not a JSON path at ${excerpt(rest)} (use a.b[0]["c d"])`;
    const [whole, key] = match as unknown as [string, string];
    if (whole.startsWith('[') && !whole.startsWith('["')) segments.push(Number(key));
    else if (whole.startsWith('["')) segments.push(JSON.parse(`"${key}"`) as string);
    else segments.push(key);
    rest = rest.slice(whole.length);
    first = false;
  }
  if (segments.length === 0) return 'empty JSON path (use $ for the whole document)';
  return segments;
}

/** Whether `text` matches the regular expression `source`. */
export type RegexMatch = (source: string, text: string) => Promise<boolean>;

const matchHere: RegexMatch = async (source, text) => new RegExp(source).test(text);

/**
 * What an assertion finds wrong with a document, or undefined when it holds. `match` tests a
 * `matches` pattern (the http checker runs it on a worker thread, where it can be stopped).
 */
export async function evaluateJsonAssertion(
  document: unknown,
  assertion: JsonAssertion,
  match: RegexMatch = matchHere,
): Promise<string | undefined> {
  const segments = parseJsonPath(assertion.path);
  if (typeof segments === 'string') return segments;
  const found = lookup(document, segments);
  const where = `json ${clip(assertion.path)}`;
  if (assertion.exists !== undefined) {
    if (found.present === assertion.exists) return undefined;
    return assertion.exists ? `${where}: not found` : `${where}: present (${show(found.value)}), want absent`;
  }
  if (!found.present) return `${where}: not found`;
  const value = found.value;
  if ('equals' in assertion) {
    return deepEqual(value, assertion.equals)
      ? undefined
      : `${where} is ${show(value)}, want ${show(assertion.equals)}`;
  }
  if ('not_equals' in assertion) {
    return deepEqual(value, assertion.not_equals)
      ? `${where} is ${show(value)}, want anything else`
      : undefined;
  }
  if (assertion.matches !== undefined) {
    if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean') {
      return `${where} is ${show(value)}, not text to match`;
    }
    return (await match(assertion.matches, String(value)))
      ? undefined
      : `${where} is ${show(value)}, want a match for ${patternExcerpt(assertion.matches)}`;
  }
  for (const key of Object.keys(COMPARISONS) as Array<keyof typeof COMPARISONS>) {
    const limit = assertion[key];
    if (limit === undefined) continue;
    if (typeof value !== 'number') return `${where} is ${show(value)}, not a number`;
    const holds = { gt: value > limit, gte: value >= limit, lt: value < limit, lte: value <= limit }[key];
    return holds ? undefined : `${where} is ${value}, want ${COMPARISONS[key]} ${limit}`;
  }
  return `${where}: no test given (use one of ${JSON_OPERATORS.join(', ')})`;
}

function lookup(
  document: unknown,
  segments: ReadonlyArray<string | number>,
): { present: boolean; value?: unknown } {
  let value = document;
  for (const segment of segments) {
    if (typeof segment === 'number') {
      if (!Array.isArray(value) || segment >= value.length) return { present: false };
      value = value[segment];
    } else if (value !== null && typeof value === 'object' && Object.hasOwn(value, segment)) {
      value = (value as Record<string, unknown>)[segment];
    } else if (segment === 'length' && (Array.isArray(value) || typeof value === 'string')) {
      value = value.length;
    } else {
      return { present: false };
    }
  }
  return { present: true, value };
}

function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const keysA = Object.keys(a);
  const keysB = Object.keys(b);
  if (keysA.length !== keysB.length) return false;
  return keysA.every(
    (key) =>
      Object.hasOwn(b, key) &&
      deepEqual((a as Record<string, unknown>)[key], (b as Record<string, unknown>)[key]),
  );
}

/** A value in an error message: JSON, cut short when long. */
function show(value: unknown): string {
  return clip(JSON.stringify(value) ?? String(value));
}
