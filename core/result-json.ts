import { type Attempt, type ExactDigits, exactDigits, integerDigits, type Result } from './result.js';

/**
 * JSON of results that keeps checkup's int64 fields (`timestamp`, `threshold`, `rtt`: Go's int64
 * and time.Duration) digit-exact. JSON.parse rounds a number past 2^53 to the nearest double and
 * JSON.stringify prints that double with rounded digits: a run named
 * `1796005626515467008-check.json` would say `"timestamp":1796005626515467000`, and a file the Go
 * checkup wrote would lose its last digits when copied. Node 20's JSON.parse gives no access to a
 * number's source text, so:
 *
 * - the common case (past 2^53 only the results' own timestamps) runs JSON.parse/JSON.stringify
 *   as they are and then pairs each result with its `"timestamp":` literal in the text, in order,
 *   checking that the digits and the number agree;
 * - anything else (a long rtt or threshold, a text that does not pair up) goes the general way:
 *   the reader quotes the long literals of these fields before JSON.parse, the writer writes them
 *   as quoted marked strings and unquotes them after JSON.stringify.
 */

/** Integer fields of a result and of an attempt that may exceed 2^53. */
const RESULT_INTEGERS = ['timestamp', 'threshold'] as const;
const LONG_FIELDS = new Set<string>([...RESULT_INTEGERS, 'rtt']);
/** Prefix of a quoted integer: a NUL, which no stored value of these fields starts with. */
const MARK = '\u0000';
/** A long integer literal of one of those fields, where no fraction or exponent follows. */
const LONG_LITERAL = /"(timestamp|threshold|rtt)"(\s*:\s*)(-?[1-9]\d{15,})(?![\d.eE])/g;
/** Its replacement: the literal as a marked string (the mark spelled as a JSON escape). */
const QUOTED = '"$1"$2"\\u0000$3"';
/** A marked string as JSON.stringify writes it (with or without indentation). */
const MARKED = /"(timestamp|threshold|rtt)":( ?)"\\u0000(-?\d+)"/g;
/** A timestamp literal, for pairing with the parsed or written results. */
const TIMESTAMP_LITERAL = /"timestamp"\s*:\s*(-?\d+)/g;

/** Results as JSON text, int64 fields digit-exact; `space` indents as JSON.stringify does. */
export function stringifyResults(value: Result | readonly Result[], space?: number): string {
  const results: readonly Result[] = Array.isArray(value) ? value : [value as Result];
  if (results.every(onlyTimestampIsLong)) {
    const exact = withExactTimestamps(JSON.stringify(value, null, space), results);
    if (exact !== undefined) return exact;
  }
  const marked = Array.isArray(value) ? value.map(markLongIntegers) : markLongIntegers(value as Result);
  return JSON.stringify(marked, null, space).replace(MARKED, '"$1":$2$3');
}

/** Results per piece of `streamResults`: big enough that writing a piece costs more than asking for it. */
const RESULTS_PER_PIECE = 256;

/**
 * A run's JSON text, the same as stringifyResults(results) gives, in pieces of a few hundred
 * results each, made as they are asked for: a run of 10,000 endpoints is written without ever
 * being one string of megabytes.
 */
export function* streamResults(results: readonly Result[]): Generator<string> {
  if (results.length === 0) {
    yield '[]';
    return;
  }
  for (let start = 0; start < results.length; start += RESULTS_PER_PIECE) {
    // A piece's array as one JSON text, its brackets cut: the same text as its results' joined by
    // commas, for one JSON.stringify per piece rather than one per result.
    const piece = stringifyResults(results.slice(start, start + RESULTS_PER_PIECE)).slice(1, -1);
    yield `${start === 0 ? '[' : ','}${piece}${start + RESULTS_PER_PIECE >= results.length ? ']' : ''}`;
  }
}

/** Parses a run (an array of results), keeping the exact digits of its int64 fields. */
export function parseResults(text: string): Result[] {
  return parseExact(text) as Result[];
}

/** Parses one result, keeping the exact digits of its int64 fields. */
export function parseResult(text: string): Result {
  return parseExact(text) as Result;
}

function parseExact(text: string): unknown {
  const value: unknown = JSON.parse(text);
  const results = (Array.isArray(value) ? value : [value]) as Result[];
  if (results.every(onlyTimestampIsLong) && keepTimestampDigits(text, results)) return value;
  const quoted: unknown = JSON.parse(text.replace(LONG_LITERAL, QUOTED));
  unmarkAll(quoted);
  return quoted;
}

/** Whether no int64 field but the result's own timestamp is past 2^53 (always so in practice). */
function onlyTimestampIsLong(result: Result): boolean {
  if (typeof result !== 'object' || result === null) return true;
  if (isLong(result.threshold)) return false;
  return !Array.isArray(result.times) || !result.times.some((attempt) => isLong(attempt?.rtt));
}

function isLong(value: unknown): boolean {
  return Number.isInteger(value) && !Number.isSafeInteger(value);
}

function hasTimestamp(result: Result): boolean {
  return typeof result === 'object' && result !== null && typeof result.timestamp === 'number';
}

/**
 * Pairs each parsed result with the next timestamp literal of the text and keeps the digits of
 * those past 2^53. False when they do not pair up (another object's `timestamp` key in between):
 * the caller then takes the general way.
 */
function keepTimestampDigits(text: string, results: readonly Result[]): boolean {
  const literals = new RegExp(TIMESTAMP_LITERAL);
  const kept: Array<[Result, string]> = [];
  // The results of one run mostly share one timestamp: convert each distinct literal once.
  let last = { digits: '', number: Number.NaN, exact: true };
  for (const result of results) {
    if (!hasTimestamp(result)) continue;
    const digits = literals.exec(text)?.[1];
    if (digits === undefined) return false;
    if (digits !== last.digits) {
      const number = Number(digits);
      last = { digits, number, exact: isExactly(number, digits) };
    }
    if (last.number !== result.timestamp) return false;
    if (!last.exact) kept.push([result, digits]);
  }
  if (literals.exec(text) !== null) return false;
  for (const [result, digits] of kept) result[exactDigits] = { ...result[exactDigits], timestamp: digits };
  return true;
}

/**
 * `text` (JSON.stringify of `results`) with each result's timestamp literal replaced by its exact
 * digits, or undefined when the literals do not pair up with the results.
 */
function withExactTimestamps(text: string, results: readonly Result[]): string | undefined {
  const literals = new RegExp(TIMESTAMP_LITERAL);
  let exact = '';
  let copied = 0;
  // As in keepTimestampDigits: one conversion per distinct timestamp (and kept digits).
  let last: { timestamp: number; kept: string | undefined; printed: string; digits: string } | undefined;
  for (const result of results) {
    if (!hasTimestamp(result)) continue;
    const printed = literals.exec(text)?.[1];
    if (printed === undefined) return undefined;
    const { timestamp } = result;
    const kept = result[exactDigits]?.timestamp;
    if (last?.timestamp !== timestamp || last.kept !== kept || last.printed !== printed) {
      if (Number(printed) !== timestamp) return undefined;
      last = { timestamp, kept, printed, digits: integerDigits(result, 'timestamp') };
    }
    if (Number.isSafeInteger(timestamp)) continue;
    const end = literals.lastIndex;
    exact += text.slice(copied, end - printed.length) + last.digits;
    copied = end;
  }
  if (literals.exec(text) !== null) return undefined;
  return exact + text.slice(copied);
}

/** A shallow copy whose long integers are marked strings of their exact digits. */
function markLongIntegers(result: Result): Result {
  if (typeof result !== 'object' || result === null) return result;
  let copy: Result | undefined;
  for (const key of RESULT_INTEGERS) {
    if (!isLong(result[key])) continue;
    copy ??= { ...result };
    (copy as unknown as Record<string, string>)[key] = MARK + integerDigits(result, key);
  }
  if (Array.isArray(result.times) && result.times.some((attempt) => isLong(attempt?.rtt))) {
    copy ??= { ...result };
    copy.times = result.times.map((attempt) =>
      isLong(attempt.rtt)
        ? ({ ...attempt, rtt: MARK + integerDigits(attempt, 'rtt') } as unknown as Attempt)
        : attempt,
    );
  }
  return copy ?? result;
}

/**
 * Turns the reader's marked strings back into numbers, keeping the digits a number cannot hold.
 * Walks the whole value: the reader quoted these fields wherever they were.
 */
function unmarkAll(value: unknown): void {
  if (typeof value !== 'object' || value === null) return;
  if (Array.isArray(value)) {
    for (const item of value) unmarkAll(item);
    return;
  }
  const holder = value as Record<string, unknown> & ExactDigits;
  for (const [key, field] of Object.entries(holder)) {
    if (typeof field === 'object') unmarkAll(field);
    if (typeof field !== 'string' || field.charCodeAt(0) !== 0 || !LONG_FIELDS.has(key)) continue;
    const digits = field.slice(1);
    const number = Number(digits);
    holder[key] = number;
    if (!isExactly(number, digits)) holder[exactDigits] = { ...holder[exactDigits], [key]: digits };
  }
}

/**
 * Whether the double `number` (read from `digits`) is exactly that integer, so its digits need not
 * be kept. Below 2^63 a double is off by at most 512 from the digits it was read from, so the two
 * are equal when their last ten digits are (`%` on doubles is exact).
 */
function isExactly(number: number, digits: string): boolean {
  if (Number.isSafeInteger(number)) return true;
  return number > 0 && number < 2 ** 63 && number % 1e10 === Number(digits.slice(-10));
}
