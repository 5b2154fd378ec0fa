import type { Attempt, Status } from './result.js';
import { computeStats } from './stats.js';

/**
 * checkup's verdict: any attempt with an error means down; otherwise a median RTT over the
 * threshold (when one is set) means degraded; else healthy.
 */
export function judge(times: readonly Attempt[], thresholdNs?: number): Status {
  if (times.length === 0 || times.some((t) => t.error !== undefined)) return 'down';
  if (thresholdNs !== undefined && thresholdNs > 0 && computeStats(times).median > thresholdNs)
    return 'degraded';
  return 'healthy';
}
