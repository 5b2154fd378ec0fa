import type { Result } from './result.js';
import { parseResults } from './result-json.js';

/** A stored run that cannot be read (cut off mid-write, edited by hand, not a run at all). */
export class UnreadableRunError extends Error {
  override readonly name = 'UnreadableRunError';
  /** Where the run is: a file path, an s3:// URL, a table and key. */
  readonly location: string;

  constructor(location: string, reason: string, options?: { cause?: unknown }) {
    super(
      `skipped ${location}: not a readable run (${reason}); restore it from a backup or delete it`,
      options,
    );
    this.location = location;
  }
}

/**
 * Parses a stored run: a JSON array of results, each an object with a title and its attempt
 * times. Anything else is an UnreadableRunError naming `location`, never a TypeError later on.
 */
export function parseRun(text: string, location: string): Result[] {
  let value: unknown;
  try {
    // parseResults: JSON.parse that keeps the int64 timestamps digit-exact.
    value = parseResults(text);
  } catch (error) {
    throw new UnreadableRunError(location, (error as Error).message, { cause: error });
  }
  if (!Array.isArray(value)) throw new UnreadableRunError(location, 'not a JSON array of results');
  const bad = value.findIndex(
    (result: Partial<Result> | null) =>
      typeof result !== 'object' ||
      result === null ||
      typeof result.title !== 'string' ||
      typeof result.timestamp !== 'number' ||
      !Array.isArray(result.times),
  );
  if (bad >= 0)
    throw new UnreadableRunError(location, `result ${bad} is not a result with title, timestamp and times`);
  return value as Result[];
}
