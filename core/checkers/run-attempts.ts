import { sleep } from '../long-timer.js';
import type { Attempt } from '../result.js';
import { attemptTurn } from './attempt-pacer.js';
import { asLocalResourceError } from './local-resource-error.js';

/** How an attempt waits for local resources (descriptors, memory) before giving up. */
export const LOCAL_RETRY = { firstDelayMs: 50, maxDelayMs: 1000, giveUpAfterMs: 5 * 60_000 };

/** How a checker repeats itself within one run. */
export interface AttemptPlan {
  attempts: number;
  /** Pause between attempts, in nanoseconds. */
  spacingNs: number;
  signal?: AbortSignal;
}

/**
 * Runs `attempt` the planned number of times, one after the other, pausing between them.
 * An attempt that throws is recorded as an attempt with that error, never propagated; one that
 * could not be made for want of a local resource (EMFILE and the like) is made again once there
 * is room, since that is no fault of the endpoint.
 */
export async function runAttempts(
  plan: AttemptPlan,
  attempt: (index: number) => Promise<Attempt>,
): Promise<Attempt[]> {
  const times: Attempt[] = [];
  for (let index = 0; index < plan.attempts; index++) {
    if (index > 0 && plan.spacingNs > 0) await sleep(plan.spacingNs / 1e6, plan.signal);
    const outcome = await attemptWithRoom(index, plan.signal, attempt);
    times.push(outcome ?? { rtt: 0, error: 'cancelled' });
    if (!outcome) break;
  }
  return times;
}

/** One attempt, made again while it fails for want of local room; undefined once cancelled. */
async function attemptWithRoom(
  index: number,
  signal: AbortSignal | undefined,
  attempt: (index: number) => Promise<Attempt>,
): Promise<Attempt | undefined> {
  const began = Date.now();
  for (let delay = LOCAL_RETRY.firstDelayMs; ; delay = Math.min(LOCAL_RETRY.maxDelayMs, delay * 2)) {
    await attemptTurn();
    if (signal?.aborted) return undefined;
    try {
      return await attempt(index);
    } catch (error) {
      const local = asLocalResourceError(error);
      if (!local) return { rtt: 0, error: error instanceof Error ? error.message : String(error) };
      if (Date.now() - began > LOCAL_RETRY.giveUpAfterMs) {
        return {
          rtt: 0,
          error: `not checked: ${local.message} for ${LOCAL_RETRY.giveUpAfterMs / 60_000} minutes`,
        };
      }
      // Other checks finishing give their descriptors back; a short, growing wait finds them.
      await sleep(delay * (0.5 + Math.random() / 2), signal);
    }
  }
}
