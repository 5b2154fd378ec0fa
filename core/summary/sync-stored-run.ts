import type { NamedRun } from './apply-run-to-summary.js';
import type { StatusSummary } from './summary-types.js';
import { type SummaryBackend, type SyncOptions, syncSummary } from './sync-summary.js';

/**
 * A store's last step: brings the summary up to date with every stored run, the one just stored
 * included, and returns what the writer worked on (syncSummary's answer). That run is in hand, so
 * it is applied as it is, never read back: its body (megabytes at 10,000 endpoints) is not
 * fetched again, and a read that does not see the write yet cannot make it count as gone.
 */
export function syncStoredRun(
  backend: SummaryBackend,
  run: NamedRun,
  options: Omit<SyncOptions, 'known'> = {},
): Promise<StatusSummary> {
  return syncSummary(backend, { ...options, known: new Map([[run.name, run.results]]) });
}
