import type { Result } from '../core/result.js';
import type { RunRef, Storage } from '../core/storage.js';

/** A run the queue stored: its name and results, and whether it had waited for the storage. */
export interface StoredRun {
  ref: RunRef;
  results: readonly Result[];
  waited: boolean;
}

/** What one `add` did: the runs stored (oldest first) and, when the storage failed, why. */
export interface StoreOutcome {
  stored: StoredRun[];
  error?: unknown;
}

/**
 * Stores a loop's runs one at a time, oldest first. A run the storage refuses (a full or
 * read-only disk, a bucket out of reach) waits in memory and is stored with the next one, so a
 * storage outage costs no run unless it outlasts `limit` runs (then the oldest are dropped).
 */
export class StoreQueue {
  readonly #storage: Pick<Storage, 'store'>;
  readonly #limit: number;
  readonly #waiting: { results: readonly Result[]; failed: boolean }[] = [];
  #turn: Promise<unknown> = Promise.resolve();
  /** Runs dropped because more than `limit` were waiting. */
  dropped = 0;

  constructor(storage: Pick<Storage, 'store'>, limit = 100) {
    this.#storage = storage;
    this.#limit = limit;
  }

  /** Runs not stored yet. */
  get waiting(): number {
    return this.#waiting.length;
  }

  /** Queues a run, then stores every waiting run until the storage fails. */
  add(results: readonly Result[]): Promise<StoreOutcome> {
    this.#waiting.push({ results, failed: false });
    while (this.#waiting.length > this.#limit) {
      this.#waiting.shift();
      this.dropped += 1;
    }
    const outcome = this.#turn.then(() => this.#drain());
    this.#turn = outcome;
    return outcome;
  }

  async #drain(): Promise<StoreOutcome> {
    const stored: StoredRun[] = [];
    for (let next = this.#waiting[0]; next; next = this.#waiting[0]) {
      try {
        const ref = await this.#storage.store(next.results);
        stored.push({ ref, results: next.results, waited: next.failed });
        this.#waiting.shift();
      } catch (error) {
        for (const run of this.#waiting) run.failed = true;
        return { stored, error };
      }
    }
    return { stored };
  }
}
