import { type LongTimer, setLongTimeout } from '../core/long-timer.js';

/** Something that repeats a task on a fixed schedule until stopped. */
export interface Schedule {
  /** Stops starting new runs and resolves when the runs under way have finished. */
  stop(): Promise<void>;
}

/**
 * Starts `task` now and then at every multiple of `intervalMs` from now. A slow run does not
 * delay the next: runs may overlap. A tick that comes late (the process was busy or asleep)
 * still runs, and `onLate` hears of it; no tick is silently dropped.
 */
export function runEvery(
  intervalMs: number,
  task: (tick: number) => Promise<void>,
  onLate?: (tick: number, lateMs: number) => void,
): Schedule {
  const startedAt = Date.now();
  const running = new Set<Promise<void>>();
  let tick = 0;
  let timer: LongTimer | undefined;
  let stopped = false;

  function fire(): void {
    if (stopped) return;
    const lateMs = Date.now() - (startedAt + tick * intervalMs);
    if (lateMs > Math.max(1000, intervalMs / 2)) onLate?.(tick, lateMs);
    const run = task(tick).finally(() => running.delete(run));
    running.add(run);
    tick += 1;
    timer = setLongTimeout(fire, Math.max(0, startedAt + tick * intervalMs - Date.now()));
  }

  fire();
  return {
    async stop() {
      stopped = true;
      timer?.clear();
      await Promise.allSettled([...running]);
    },
  };
}
