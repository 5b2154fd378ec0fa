/**
 * Where a result or attempt read from JSON keeps the exact decimal digits of an integer field that
 * a JS number cannot hold (past 2^53, as every unix-ns timestamp is), by field name. Written by
 * core/result-json.ts's reader, used by its writer, so a file checkup wrote keeps its digits.
 * A symbol key: spreads keep it, JSON.stringify and structuredClone leave it out.
 */
export const exactDigits: unique symbol = Symbol('checkup.exactDigits');

/** A holder of int64 fields whose exact digits may be kept under `exactDigits`. */
export interface ExactDigits {
  [exactDigits]?: Readonly<Record<string, string>>;
}

/** One attempt at an endpoint: its round-trip time in nanoseconds and the error, if any. */
export interface Attempt extends ExactDigits {
  rtt: number;
  error?: string;
  /** Per-phase timings in nanoseconds (an addition to checkup's format; absent where unknown). */
  phases?: Record<string, number>;
}

/** Which part of a fanned-out tick a result came from. */
export interface ShardId {
  index: number;
  count: number;
  /**
   * The shards with checkers due at this result's tick, when fewer than `count` (a sub-minute
   * round that only some shards have checkers in): what makes that tick whole. Absent: `count`.
   */
  due?: number;
}

/** The three verdicts an endpoint can get. Exactly one is set on a result. */
export type Status = 'healthy' | 'degraded' | 'down';

/**
 * A check result in checkup's JSON format. New optional fields may be added (region, cert);
 * checkup's own fields keep their names and meaning.
 */
export interface Result extends ExactDigits {
  title: string;
  endpoint: string;
  /** Unix time in nanoseconds. */
  timestamp: number;
  times: Attempt[];
  /** Threshold RTT in nanoseconds, when one was set. */
  threshold?: number;
  healthy?: boolean;
  degraded?: boolean;
  down?: boolean;
  notice?: string;
  message?: string;
  region?: string;
  /**
   * The maintenance window the endpoint was in when checked (its name): alerts about it are
   * held and uptime leaves it out.
   */
  maintenance?: string;
  /**
   * The tick the result belongs to: unix ms of the scheduled time of its run (a region's, or a
   * shard's). Results of one tick from several regions or shards are one run of the config.
   */
  tick?: number;
  /** The shard that checked it when a tick is fanned out: `index` of `count` (0-based). */
  shard?: ShardId;
  /** With `region`: the endpoint's configured quorum (absent: a majority), so every reader votes alike. */
  quorum?: number;
  /**
   * Set when the probe itself was found offline for this run (its canary, or most endpoints, out of
   * reach): the verdict says nothing about the endpoint, so it alerts nothing and shows as unknown.
   */
  probeOffline?: true;
  /** The checker's `group`, when the config gives one: the status page's section for it. */
  group?: string;
  /** The TLS certificate seen, where the checker saw one. */
  cert?: { expires: number; issuer: string; subject: string };
}

/** The verdict a result carries. */
export function statusOf(result: Result): Status {
  if (result.down) return 'down';
  if (result.degraded) return 'degraded';
  return 'healthy';
}

/** Returns the result with exactly one of healthy/degraded/down set to `status`. */
export function withStatus(result: Result, status: Status): Result {
  const { healthy: _h, degraded: _d, down: _w, ...rest } = result;
  return { ...rest, [status]: true };
}

/**
 * The exact decimal digits of the integer in `holder[key]`: the digits it was read with when the
 * number still matches them, else the number's own value (a double past 2^53 is an integer, and
 * BigInt gives its exact digits where JSON.stringify would print rounded ones).
 */
export function integerDigits<T extends ExactDigits>(holder: T, key: keyof T & string): string {
  const value = holder[key] as unknown as number;
  const kept = holder[exactDigits]?.[key];
  if (kept !== undefined && Number(kept) === value) return kept;
  return BigInt(Math.round(value)).toString();
}

/** The result's unix-ns timestamp as exact digits, as run file names and sort keys spell it. */
export function timestampDigits(result: Result): string {
  return integerDigits(result, 'timestamp');
}
