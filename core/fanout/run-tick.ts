import type { Checker } from '../checker.js';
import { unixNs } from '../clock.js';
import type { Result } from '../result.js';
import { runChecks } from '../run-checks.js';
import type { Round } from './tick-rounds.js';

export interface RunTickOptions {
  /** Unix ms of the scheduled time of the run (the first round's tick). */
  start: number;
  rounds: readonly Round[];
  concurrency: number;
  /** Unix ms by which the last round must have ended (the invocation's timeout, less a margin). */
  deadline: number;
  /** Stores one round's results; every result already carries its `tick`. */
  store: (results: Result[], tick: number) => Promise<void>;
  /** Adds what the host knows (region, shard) to each result. */
  decorate?: (result: Result) => Result;
  /** A round left out: it started too late to end before the deadline. */
  onSkipped?: (tick: number, reason: string) => void;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
  /** The unix-ns time results get (their run file's name); default the clock at each round's start. */
  timestamp?: () => number;
}

/** What a tick did: the rounds checked and stored, and the ones left out. */
export interface TickOutcome {
  stored: Array<{ tick: number; results: Result[] }>;
  skipped: number[];
}

/**
 * Runs the rounds of one scheduled run inside one invocation: each round waits for its time
 * (`start + offsetMs`), checks the checkers due and stores them as one run marked with the
 * round's tick. A round that would not end before `deadline` (judged by the longest round so
 * far) is left out and reported, so the invocation never outlives its timeout; the next
 * scheduled run starts the rounds again.
 */
export async function runTick(checkers: readonly Checker[], options: RunTickOptions): Promise<TickOutcome> {
  const now = options.now ?? Date.now;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const outcome: TickOutcome = { stored: [], skipped: [] };
  let longest = 0;
  for (const round of options.rounds) {
    const tick = options.start + round.offsetMs;
    const wait = tick - now();
    if (wait > 0) await sleep(wait);
    const began = now();
    if (outcome.stored.length > 0 && began + longest > options.deadline) {
      outcome.skipped.push(tick);
      options.onSkipped?.(tick, `would end after the deadline (rounds take up to ${longest} ms)`);
      continue;
    }
    const due = round.due.flatMap((index) => (checkers[index] ? [checkers[index]] : []));
    const timestamp = options.timestamp?.() ?? unixNs();
    const checked = await runChecks(due, { concurrency: options.concurrency, timestamp });
    const results = checked.map((result) => {
      const marked: Result = { ...result, tick };
      return options.decorate ? options.decorate(marked) : marked;
    });
    await options.store(results, tick);
    outcome.stored.push({ tick, results });
    longest = Math.max(longest, now() - began);
  }
  return outcome;
}
