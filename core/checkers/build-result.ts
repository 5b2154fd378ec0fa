import { formatDuration } from '../duration.js';
import type { Attempt, Result, Status } from '../result.js';
import { judge } from '../verdict.js';

/** What a checker knows after its attempts. */
export interface Observation {
  title: string;
  endpoint: string;
  timestamp: number;
  times: Attempt[];
  thresholdNs?: number;
  /** A verdict the checker imposes on top of the RTT rules (a certificate about to expire). */
  atLeast?: Status;
  notice?: string;
  extra?: Partial<Pick<Result, 'cert' | 'region'>>;
}

const SEVERITY: Record<Status, number> = { healthy: 0, degraded: 1, down: 2 };

/** Turns an observation into checkup's result, with exactly one of healthy/degraded/down set. */
export function buildResult(observation: Observation): Result {
  let status = judge(observation.times, observation.thresholdNs);
  // checkup's own words for a slow endpoint, unless the checker has something more specific.
  const notice =
    observation.notice ??
    (status === 'degraded' && observation.thresholdNs
      ? `median round trip time exceeded threshold (${formatDuration(observation.thresholdNs)})`
      : undefined);
  if (observation.atLeast && SEVERITY[observation.atLeast] > SEVERITY[status]) status = observation.atLeast;
  const result: Result = {
    title: observation.title,
    endpoint: observation.endpoint,
    timestamp: observation.timestamp,
    times: observation.times,
    ...(observation.thresholdNs ? { threshold: observation.thresholdNs } : {}),
    [status]: true,
    ...(notice ? { notice } : {}),
    ...observation.extra,
  };
  return result;
}
