import type { HeartbeatCheckerConfig } from '../config/checker-schemas.js';
import { type HeartbeatStore, heartbeatKey } from './heartbeat-store.js';
import { matchToken } from './match-token.js';
import { type PingRequest, parsePing } from './parse-ping.js';
import type { PingRateLimiter } from './ping-rate-limiter.js';

/** What the pinging job is answered. The body never repeats the token. */
export interface PingAnswer {
  status: 200 | 400 | 404 | 405 | 429;
  body: string;
  /** The heartbeat pinged (its endpoint name), for the host's log line. */
  heartbeat?: string;
}

export interface ReceivePingOptions {
  /** The config's heartbeat checkers: only their tokens are accepted. */
  heartbeats: readonly Pick<HeartbeatCheckerConfig, 'endpoint_name' | 'token'>[];
  store: HeartbeatStore;
  limiter: PingRateLimiter;
  /** Unix ms; Date.now by default. */
  now?: () => number;
}

/**
 * Handles one ping, for every host (`checkup serve`, the ping function): reads it, finds its
 * heartbeat by token in constant time, counts it against the rate limit, and records it where
 * the next run's check reads it. An unknown token is a 404 and writes nothing.
 */
export async function receivePing(request: PingRequest, options: ReceivePingOptions): Promise<PingAnswer> {
  const parsed = parsePing(request);
  if (!parsed.ok) return { status: parsed.status, body: `${parsed.reason}\n` };
  const index = matchToken(
    parsed.token,
    options.heartbeats.map((heartbeat) => heartbeat.token),
  );
  const heartbeat = index === undefined ? undefined : options.heartbeats[index];
  if (!heartbeat) return { status: 404, body: 'no such heartbeat\n' };
  const key = heartbeatKey(heartbeat.token);
  const at = (options.now ?? Date.now)();
  if (!options.limiter.admit(key, at))
    return { status: 429, body: 'too many pings: slow down\n', heartbeat: heartbeat.endpoint_name };
  await options.store.record(key, { at, ...parsed.ping });
  return { status: 200, body: 'ok\n', heartbeat: heartbeat.endpoint_name };
}

/** The heartbeat checkers of a config's checkers. */
export function heartbeatsOf<T extends { type: string }>(
  checkers: readonly T[],
): Extract<T, { type: 'heartbeat' }>[] {
  return checkers.filter(
    (checker): checker is Extract<T, { type: 'heartbeat' }> => checker.type === 'heartbeat',
  );
}
