import type { CheckContext } from '../checker.js';
import type { Attempt, Result } from '../result.js';
import { buildResult, type Observation } from './build-result.js';
import { runAttempts } from './run-attempts.js';

/** One check of one endpoint: what every checker does around its own attempt. */
export interface AttemptedCheck {
  title: string;
  endpoint: string;
  /** The checker keys every type shares (durations in ns). */
  config: { attempts?: number; attempt_spacing?: number; threshold_rtt?: number };
  context: CheckContext;
  attempt: (signal?: AbortSignal) => Promise<Attempt>;
  /** What the checker adds once its attempts are in (certificate verdicts, `raise: warn`). */
  conclude?: (times: Attempt[]) => Partial<Pick<Observation, 'times' | 'atLeast' | 'notice' | 'extra'>>;
}

/** Runs the configured attempts, spaced, and turns them into checkup's result. */
export async function checkByAttempts(check: AttemptedCheck): Promise<Result> {
  const { config, context } = check;
  const times = await runAttempts(
    { attempts: config.attempts ?? 1, spacingNs: config.attempt_spacing ?? 0, signal: context.signal },
    () => check.attempt(context.signal),
  );
  return buildResult({
    title: check.title,
    endpoint: check.endpoint,
    timestamp: context.timestamp,
    times,
    thresholdNs: config.threshold_rtt,
    ...check.conclude?.(times),
  });
}
