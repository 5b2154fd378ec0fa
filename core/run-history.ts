import type { Result } from './result.js';
import type { Storage, TimeRange } from './storage.js';

/**
 * The results of endpoint `title` in the range, oldest first, read from the run files in the
 * range only (`concurrency` at a time). For storages that keep runs as files (fs, s3).
 */
export async function historyFromRuns(
  storage: Pick<Storage, 'list' | 'read'>,
  title: string,
  range: TimeRange = {},
  concurrency = 16,
): Promise<Result[]> {
  const runs = await storage.list(range);
  const found: Result[] = [];
  for (let start = 0; start < runs.length; start += concurrency) {
    const batch = await Promise.all(
      runs.slice(start, start + concurrency).map((run) => storage.read(run.name)),
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
