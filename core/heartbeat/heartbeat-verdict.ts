import { humanDuration } from '../alerts/describe-alert.js';
import type { Status } from '../result.js';
import type { HeartbeatPing } from './heartbeat-store.js';

/** What a heartbeat check concludes at one run. */
export interface HeartbeatVerdict {
  status: Extract<Status, 'healthy' | 'down'>;
  /** Why it is down. */
  error?: string;
  /** A late ping still inside the grace. */
  notice?: string;
  /** The job's own message, from its last ping. */
  message?: string;
}

/**
 * A heartbeat's status at `nowMs`, from its newest ping: down when no ping came within `period`
 * plus `grace` (or none ever came), or when the last ping said the job failed; healthy
 * otherwise, with a notice while a ping is late but inside the grace. Durations in ns. Pure.
 */
export function heartbeatVerdict(
  schedule: { periodNs: number; graceNs: number },
  ping: HeartbeatPing | undefined,
  nowMs: number,
): HeartbeatVerdict {
  const expected = `expected every ${humanDuration(schedule.periodNs)}, grace ${humanDuration(schedule.graceNs)}`;
  if (!ping) return { status: 'down', error: `no ping received yet (${expected})` };
  const message = ping.message ? { message: ping.message } : {};
  const ageNs = Math.max(0, nowMs - ping.at) * 1e6;
  if (ageNs > schedule.periodNs + schedule.graceNs)
    return { status: 'down', error: `no ping for ${humanDuration(ageNs)} (${expected})`, ...message };
  if (!ping.ok)
    return {
      status: 'down',
      error: `the job reported a failure ${humanDuration(ageNs)} ago`,
      ...message,
    };
  if (ageNs > schedule.periodNs)
    return {
      status: 'healthy',
      notice: `late: last ping ${humanDuration(ageNs)} ago, inside the grace of ${humanDuration(schedule.graceNs)}`,
      ...message,
    };
  return { status: 'healthy', ...message };
}
