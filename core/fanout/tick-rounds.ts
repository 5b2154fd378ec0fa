/** One round of a tick: when it starts (ms after the scheduled time) and which checkers are due. */
export interface Round {
  offsetMs: number;
  /** Indexes of the checkers due in this round. */
  due: number[];
}

/**
 * The rounds of one scheduled run of `periodMs`: a checker with an `interval` (ms) is due at
 * 0, interval, 2 x interval, ... inside the period; one without (or with one as long as the
 * period or longer) only at 0. So `interval: "10s"` under a one-minute schedule checks six times
 * a run, at the same offsets in every shard and every region.
 */
export function tickRounds(intervalsMs: readonly (number | undefined)[], periodMs: number): Round[] {
  const byOffset = new Map<number, number[]>();
  intervalsMs.forEach((interval, index) => {
    const every = interval && interval < periodMs ? interval : periodMs;
    for (let offset = 0; offset < periodMs; offset += every) {
      const due = byOffset.get(offset) ?? [];
      due.push(index);
      byOffset.set(offset, due);
    }
  });
  return [...byOffset.entries()].sort(([a], [b]) => a - b).map(([offsetMs, due]) => ({ offsetMs, due }));
}
