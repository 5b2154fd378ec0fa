import type { CheckContext, Checker } from '../checker.js';
import type { HeartbeatCheckerConfig } from '../config/checker-schemas.js';
import { type HeartbeatStore, heartbeatKey } from '../heartbeat/heartbeat-store.js';
import { heartbeatVerdict } from '../heartbeat/heartbeat-verdict.js';
import type { Result } from '../result.js';

/** The grace a heartbeat gets when its config sets none. */
export const DEFAULT_HEARTBEAT_GRACE_NS = 5 * 60e9;

/**
 * The heartbeat (push) checker: a job pings `/ping/<token>`, and each run reads its newest ping
 * from `store` and judges it (heartbeatVerdict). The token goes nowhere but into the key's hash.
 */
export function createHeartbeatChecker(config: HeartbeatCheckerConfig, store: HeartbeatStore): Checker {
  const key = heartbeatKey(config.token);
  const schedule = { periodNs: config.period, graceNs: config.grace ?? DEFAULT_HEARTBEAT_GRACE_NS };
  const endpoint = config.endpoint_url ?? 'heartbeat';
  return {
    type: 'heartbeat',
    title: config.endpoint_name,
    endpoint,
    async check(context: CheckContext): Promise<Result> {
      const verdict = heartbeatVerdict(
        schedule,
        await store.latest(key),
        Math.floor(context.timestamp / 1e6),
      );
      return {
        title: config.endpoint_name,
        endpoint,
        timestamp: context.timestamp,
        times: [{ rtt: 0, ...(verdict.error ? { error: verdict.error } : {}) }],
        [verdict.status]: true,
        ...(verdict.notice ? { notice: verdict.notice } : {}),
        ...(verdict.message ? { message: verdict.message } : {}),
      };
    },
  };
}
