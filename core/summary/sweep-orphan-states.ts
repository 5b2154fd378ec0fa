import { mapLimit } from '../map-limit.js';
import { isStateName, RETIRE_AFTER_MS } from './summary-state-types.js';

/** A stored state document as listed (SummaryBackend.listStates). */
export interface ListedState {
  /** As the backend's state operations take it: `state/3-<generation>.json`. */
  name: string;
  /** When the document was last written (unix ms), by the store's clock. */
  modified: number;
}

/** What a sweep needs of a SummaryBackend (core/summary/sync-summary.ts). */
export interface SweptBackend {
  listStates?(): Promise<ListedState[]>;
  deleteState(name: string): Promise<void>;
  readonly summaryLocation?: string;
}

/** A writer sweeps when its root's `lastRun` enters another hour: one listing an hour per writer. */
export const SWEEP_EVERY_MS = 60 * 60 * 1000;

/**
 * Whether a root whose `lastRun` goes from `previous` (the root it replaces; undefined when there
 * was none, or it could not be read) to `next` should sweep.
 */
export function sweepDue(previous: number | undefined, next: number): boolean {
  return (
    previous === undefined || Math.floor(previous / SWEEP_EVERY_MS) !== Math.floor(next / SWEEP_EVERY_MS)
  );
}

/**
 * The listed state documents no root will read again: not `kept` (what the root just written
 * points to or lists as retired), and written more than RETIRE_AFTER_MS before `nowMs`, so a
 * reader or writer that read a root written since (another writer's, which ours may have
 * overwritten on a last-writer-wins store) still finds its states. Anything else in the folder
 * that is not a state document's name is left alone.
 */
export function orphanedStates(
  listed: readonly ListedState[],
  kept: ReadonlySet<string>,
  nowMs: number,
): string[] {
  return listed
    .filter(
      (state) => isStateName(state.name) && !kept.has(state.name) && nowMs - state.modified > RETIRE_AFTER_MS,
    )
    .map((state) => state.name);
}

/**
 * Deletes the state documents no root points to. On a last-writer-wins store (fs, S3) a writer
 * whose root another writer overwrote with one already holding its runs returns without any root
 * naming the states it just wrote, so nothing else would ever delete them. Best effort: a failure
 * is warned about (once, through the storages' warnOnce) and never fails a store; what is left is
 * swept an hour later. Returns the names deleted.
 */
export async function sweepOrphanStates(
  backend: SweptBackend,
  kept: Iterable<string>,
  options: { nowMs?: number; warn?: (message: string) => void } = {},
): Promise<string[]> {
  if (!backend.listStates) return [];
  const where = `beside ${backend.summaryLocation ?? 'the summary'}`;
  let orphans: string[];
  try {
    orphans = orphanedStates(await backend.listStates(), new Set(kept), options.nowMs ?? Date.now());
  } catch (error) {
    options.warn?.(
      `could not list the state documents ${where} to delete orphaned ones: ${(error as Error).message}`,
    );
    return [];
  }
  const deleted: string[] = [];
  const failures: unknown[] = [];
  // Sixteen at a time, as the writer's other deletes.
  await mapLimit(orphans, 16, (name) =>
    backend.deleteState(name).then(
      () => {
        deleted.push(name);
      },
      (error: unknown) => {
        failures.push(error);
      },
    ),
  );
  if (failures.length > 0)
    options.warn?.(
      `could not delete orphaned state documents ${where} (tried again in an hour): ${(failures[0] as Error).message}`,
    );
  return deleted;
}
