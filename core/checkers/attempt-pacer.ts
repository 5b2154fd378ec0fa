/**
 * How many attempts may begin in one turn of the event loop. Measured with `npm run bench`: 1
 * gave the smallest RTT error (2 to 8 gave more) at the same wall time.
 */
export const ATTEMPTS_PER_TURN = 1;

let begunThisTurn = 0;
let turnScheduled = false;
const waiting: Array<() => void> = [];

/**
 * Resolves when an attempt may begin: at most ATTEMPTS_PER_TURN begin in one turn of the event
 * loop, the rest wait for the next turns, in order.
 *
 * Beginning an attempt (a socket, a connect) costs the one thread a tenth of a millisecond or
 * more. Were 200 to begin at once, every connection, request and response that completed in the
 * meantime would wait tens of milliseconds to be seen, and that wait would be counted in their
 * round trips. Between turns the loop reads whatever I/O is ready, so the wait stays short.
 */
export function attemptTurn(): Promise<void> {
  if (begunThisTurn < ATTEMPTS_PER_TURN && waiting.length === 0) {
    begunThisTurn++;
    scheduleTurn();
    return Promise.resolve();
  }
  return new Promise((resolve) => {
    waiting.push(resolve);
    scheduleTurn();
  });
}

function scheduleTurn(): void {
  if (turnScheduled) return;
  turnScheduled = true;
  setImmediate(nextTurn);
}

function nextTurn(): void {
  turnScheduled = false;
  begunThisTurn = 0;
  while (begunThisTurn < ATTEMPTS_PER_TURN && waiting.length > 0) {
    begunThisTurn++;
    (waiting.shift() as () => void)();
  }
  if (waiting.length > 0 || begunThisTurn > 0) scheduleTurn();
}
