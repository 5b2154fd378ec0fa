import { monotonicNs } from '../clock.js';

let pollStamp = 0;

function reset(): void {
  pollStamp = 0;
}

/**
 * The monotonic time at which the event loop began handling the I/O now being handled.
 *
 * Everything the loop reads in one pass was already waiting in the kernel when that pass began,
 * so its first moment is a truer arrival time for each response than the moment its own handler
 * runs: in a burst of 200 responses the last handler runs milliseconds after the first, and that
 * queueing is ours, not the endpoint's. The stamp is cleared once the pass is over (setImmediate
 * runs right after the loop's poll phase).
 */
export function arrivalNs(): number {
  if (pollStamp === 0) {
    pollStamp = monotonicNs();
    setImmediate(reset);
  }
  return pollStamp;
}

let passOver: Promise<void> | undefined;

/**
 * Resolves once the event loop has handled all the I/O of its current pass (a setImmediate
 * shared by every caller in the pass: one per attempt was a noticeable share of its CPU).
 */
export function afterPass(): Promise<void> {
  passOver ??= new Promise((resolve) =>
    setImmediate(() => {
      passOver = undefined;
      resolve();
    }),
  );
  return passOver;
}
