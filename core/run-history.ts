import { UnreadableRunError } from './parse-run.js';
import type { Result } from './result.js';
import type { Storage, TimeRange } from './storage.js';

/**
 * The results of endpoint `title` in the range, oldest first, read from the run files in the
 * range only (`concurrency` at a time). For storages that keep runs as files (fs, s3). A run that
 * cannot be read is skipped and passed to `onUnreadable`: one bad file hides only its own results.
 */
export async function historyFromRuns(
  storage: Pick<Storage, 'list' | 'read'>,
  title: string,
  range: TimeRange = {},
  onUnreadable: (error: UnreadableRunError) => void = () => {},
  concurrency = 16,
): Promise<Result[]> {
  const readOrSkip = (name: string) =>
    storage.read(name).catch((error: unknown) => {
      if (!(error instanceof UnreadableRunError)) throw error;
      onUnreadable(error);
      return [];
    });
  const runs = await storage.list(range);
  const found: Result[] = [];
  for (let start = 0; start < runs.length; start += concurrency) {
    const batch = await Promise.all(
      runs.slice(start, start + concurrency).map((run) => readOrSkip(run.name)),
    );
    for (const results of batch) found.push(...results.filter((result) => result.title === title));
  }
  return found
    .filter(
      (result) =>
        (range.since ?? -Infinity) <= result.timestamp && result.timestamp <= (range.until ?? Infinity),
    )
    .sort((a, b) => a.timestamp - b.timestamp);
}
