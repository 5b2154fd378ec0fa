import {
  type HistoryBlock,
  historyName,
  type OpenHours,
  openHoursName,
  RECENT_SLOTS,
  type RecentBlock,
  recentName,
} from '../core/summary/page-document-types.js';
import { segmentOf } from '../core/summary/summary-state-types.js';
import type { DaySummary, RecentBucket } from '../core/summary/summary-types.js';
import { checkHistoryBlock, checkOpenHours, checkRecentBlock } from './check-summary.js';
import { DataLoadError, loadJson } from './load-json.js';

const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;

/**
 * The history the page fetches when it is shown: a block's closed days when one of its cards is
 * on screen, a block's recent hours and its segment's open hours when its 24-hour chart is. Each document is fetched once and
 * kept; `refresh` drops what a newer run can have changed.
 */
export class HistoryStore {
  readonly #days = new Map<number, Map<string, DaySummary[]>>();
  readonly #daysLoading = new Map<number, Promise<void>>();
  /** By block, then hour start: the hour's buckets by title. */
  readonly #hours = new Map<number, Map<number, Map<string, RecentBucket[]>>>();
  readonly #hoursLoading = new Map<number, Promise<void>>();
  /** By segment: the open hours' buckets by title (`recent/open-<segment>.json`). */
  readonly #open = new Map<number, Map<string, RecentBucket[]>>();
  readonly #openLoading = new Map<number, Promise<void>>();
  /** The newest run when the days were fetched: a new UTC day means new closed days. */
  #daysOf = '';

  /** The closed days of a block's endpoints by title, once fetched. */
  days(block: number): Map<string, DaySummary[]> | undefined {
    return this.#days.get(block);
  }

  /** Fetches a block's closed days, once; a failure is forgotten so a later call tries again. */
  loadDays(block: number): Promise<void> {
    let loading = this.#daysLoading.get(block);
    if (!loading) {
      loading = loadJson(`/data/${historyName(block)}`, checkHistoryBlock)
        .catch((error: unknown) => {
          if (error instanceof DataLoadError && error.kind === 'missing') return undefined;
          this.#daysLoading.delete(block);
          throw error;
        })
        .then((doc: HistoryBlock | undefined) => {
          this.#days.set(block, new Map((doc?.endpoints ?? []).map((entry) => [entry.title, entry.days])));
        });
      this.#daysLoading.set(block, loading);
    }
    return loading;
  }

  /**
   * A block's five-minute buckets of the 24 hours up to `lastRun`, by title, once fetched: its
   * closed hours with its segment's open hours laid over them (a bucket in both, written as an
   * hour closed between the two fetches, is the open one's).
   */
  recent(block: number, lastRun: number): Map<string, RecentBucket[]> | undefined {
    const hours = this.#hours.get(block);
    if (!hours) return undefined;
    const byTitle = new Map<string, Map<number, RecentBucket>>();
    const add = (title: string, buckets: readonly RecentBucket[]) => {
      const byTime = byTitle.get(title) ?? new Map<number, RecentBucket>();
      for (const bucket of buckets) byTime.set(bucket.t, bucket);
      byTitle.set(title, byTime);
    };
    for (const [hour, entries] of [...hours].sort((a, b) => a[0] - b[0])) {
      if (hour + HOUR_MS <= lastRun - DAY_MS || hour > lastRun) continue;
      for (const [title, buckets] of entries) add(title, buckets);
    }
    for (const [title, buckets] of this.#open.get(segmentOf(block)) ?? []) add(title, buckets);
    return new Map(
      [...byTitle].map(([title, byTime]) => [title, [...byTime.values()].sort((a, b) => a.t - b.t)]),
    );
  }

  /**
   * Fetches the 25 recent hours of a block (each slot of the ring), once, and with `openHours`
   * (the overview says it has `openHoursFrom`) its segment's open hours, once per segment.
   */
  loadRecent(block: number, lastRun: number, openHours = false): Promise<void> {
    let loading = this.#hoursLoading.get(block);
    if (!loading) {
      const newest = Math.floor(lastRun / HOUR_MS);
      const hours = Array.from({ length: RECENT_SLOTS }, (_, i) => (newest - i) * HOUR_MS);
      const open = openHours ? this.#loadOpen(segmentOf(block)) : Promise.resolve();
      loading = Promise.all([...hours.map((hour) => this.#fetchHour(block, hour)), open]).then(
        (docs) => {
          const byHour = this.#hours.get(block) ?? new Map<number, Map<string, RecentBucket[]>>();
          for (const doc of docs)
            if (doc && 'hour' in doc)
              byHour.set(doc.hour, new Map(doc.endpoints.map((entry) => [entry.title, entry.recent])));
          this.#hours.set(block, byHour);
        },
        (error: unknown) => {
          this.#hoursLoading.delete(block);
          throw error;
        },
      );
      this.#hoursLoading.set(block, loading);
    }
    return loading;
  }

  /** Fetches a segment's open hours, once; a failure is forgotten so a later call tries again. */
  #loadOpen(segment: number): Promise<void> {
    let loading = this.#openLoading.get(segment);
    if (!loading) {
      loading = loadJson(`/data/${openHoursName(segment)}`, checkOpenHours)
        .catch((error: unknown) => {
          // None yet: no check since its hours closed.
          if (error instanceof DataLoadError && error.kind === 'missing') return undefined;
          this.#openLoading.delete(segment);
          throw error;
        })
        .then((doc: OpenHours | undefined) => {
          this.#open.set(
            segment,
            new Map((doc?.endpoints ?? []).map((entry) => [entry.title, entry.recent])),
          );
        });
      this.#openLoading.set(segment, loading);
    }
    return loading;
  }

  async #fetchHour(block: number, hour: number): Promise<RecentBlock | undefined> {
    try {
      const doc = await loadJson(`/data/${recentName(block, hour)}`, checkRecentBlock);
      // A slot still holding the hour of a day ago: not this hour.
      return doc.hour === hour ? doc : undefined;
    } catch (error) {
      if (error instanceof DataLoadError && error.kind === 'missing') return undefined;
      throw error;
    }
  }

  /**
   * After the overview is read again: the recent hours of every block are fetched anew when next
   * shown (only the current hours change, and unchanged ones answer 304), and the closed days
   * when the newest run is on a new UTC day.
   */
  refresh(lastRun: number): void {
    this.#hoursLoading.clear();
    this.#openLoading.clear();
    const day = new Date(lastRun).toISOString().slice(0, 10);
    if (day !== this.#daysOf) {
      if (this.#daysOf !== '') {
        this.#days.clear();
        this.#daysLoading.clear();
      }
      this.#daysOf = day;
    }
  }
}
