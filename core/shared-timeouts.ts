import { type LongTimer, MAX_TIMER_MS, setLongTimeout } from './long-timer.js';

/** A callback due at a time, or cleared (no callback) before it. */
interface Due {
  at: number;
  callback: (() => void) | undefined;
}

/** Every pending timeout of one delay: due in the order they were set, behind one timer. */
interface Lane {
  queue: Due[];
  /** Where the queue's first pending entry is (those before it have fired or were cleared). */
  head: number;
  live: number;
  timer: NodeJS.Timeout | undefined;
  /** Set while its due callbacks are being called: the timer is set once they are done. */
  firing: boolean;
}

const lanes = new Map<number, Lane>();

/**
 * setLongTimeout for the many timeouts of one delay that are almost always cleared, such as
 * every attempt's `timeout`: they share one timer per delay instead of arming and clearing one
 * each (a node timer set and cleared per attempt was a noticeable share of an attempt's CPU).
 * Timeouts of the same delay fall due in the order they were set, so the lane is a queue whose
 * head is the next due; a cleared one is only marked. Once none is pending the lane's timer is
 * cleared, so that it never keeps the process alive.
 */
export function setSharedTimeout(callback: () => void, ms: number): LongTimer {
  if (!(ms >= 1 && ms <= MAX_TIMER_MS)) return setLongTimeout(callback, ms);
  let lane = lanes.get(ms);
  if (!lane) {
    lane = { queue: [], head: 0, live: 0, timer: undefined, firing: false };
    lanes.set(ms, lane);
  }
  const due: Due = { at: performance.now() + ms, callback };
  lane.queue.push(due);
  lane.live += 1;
  const owner = lane;
  if (!owner.timer && !owner.firing) owner.timer = setTimeout(() => fire(owner), ms);
  return {
    clear: () => {
      if (!due.callback) return;
      due.callback = undefined;
      owner.live -= 1;
      if (owner.live === 0) reset(owner);
    },
  };
}

/** Calls every callback now due, and sets the timer for the next one. */
function fire(lane: Lane): void {
  lane.timer = undefined;
  const now = performance.now();
  lane.firing = true;
  try {
    callDue(lane, now);
  } finally {
    lane.firing = false;
  }
  if (lane.live === 0) {
    reset(lane);
    return;
  }
  // The queue keeps what is still pending, once what went before is the larger part of it.
  if (lane.head > 1024 && lane.head * 2 > lane.queue.length) {
    lane.queue = lane.queue.slice(lane.head);
    lane.head = 0;
  }
  // callDue stopped at the first callback not yet due.
  const next = lane.queue[lane.head] as Due;
  lane.timer = setTimeout(() => fire(lane), Math.max(1, Math.ceil(next.at - now)));
}

function callDue(lane: Lane, now: number): void {
  while (lane.head < lane.queue.length) {
    const due = lane.queue[lane.head] as Due;
    if (due.callback && due.at > now) break;
    lane.head += 1;
    const callback = due.callback;
    if (!callback) continue;
    due.callback = undefined;
    lane.live -= 1;
    callback();
  }
}

function reset(lane: Lane): void {
  if (lane.timer) clearTimeout(lane.timer);
  lane.timer = undefined;
  lane.queue = [];
  lane.head = 0;
}
