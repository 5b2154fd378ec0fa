import { sleep } from '../long-timer.js';
import type { Attempt } from '../result.js';
import { attemptTurn } from './attempt-pacer.js';

/** How a checker repeats itself within one run. */
export interface AttemptPlan {
  attempts: number;
  /** Pause between attempts, in nanoseconds. */
  spacingNs: number;
  signal?: AbortSignal;
}

/**
 * Runs `attempt` the planned number of times, one after the other, pausing between them.
 * An attempt that throws is recorded as an attempt with that error, never propagated.
 */
export async function runAttempts(
  plan: AttemptPlan,
  attempt: (index: number) => Promise<Attempt>,
): Promise<Attempt[]> {
  const times: Attempt[] = [];
  for (let index = 0; index < plan.attempts; index++) {
    if (index > 0 && plan.spacingNs > 0) await sleep(plan.spacingNs / 1e6, plan.signal);
    await attemptTurn();
    if (plan.signal?.aborted) {
      times.push({ rtt: 0, error: 'cancelled' });
      break;
    }
    try {
      times.push(await attempt(index));
    } catch (error) {
      times.push({ rtt: 0, error: error instanceof Error ? error.message : String(error) });
    }
  }
  return times;
}
