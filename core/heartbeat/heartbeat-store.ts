import { createHash } from 'node:crypto';

/** One ping a job sent. */
export interface HeartbeatPing {
  /** When it arrived, unix ms. */
  at: number;
  /** false when the job said it failed (`/fail`). */
  ok: boolean;
  /** What the job said, cleaned and clipped (MAX_PING_MESSAGE). */
  message?: string;
}

/**
 * Where pings wait for the next run's heartbeat check: a file beside fs runs, an object in the
 * results bucket. Keyed by heartbeatKey(token), so the token itself is never stored.
 */
export interface HeartbeatStore {
  record(key: string, ping: HeartbeatPing): Promise<void>;
  /** The newest ping recorded under `key`, or undefined when none was. */
  latest(key: string): Promise<HeartbeatPing | undefined>;
}

/** The name a heartbeat's pings are stored under: the SHA-256 of its token, in hex. */
export function heartbeatKey(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/** A stored ping read back, or undefined when the text is not one (a wrong-shaped file counts as none). */
export function parseHeartbeatPing(text: string): HeartbeatPing | undefined {
  try {
    const value = JSON.parse(text) as Partial<HeartbeatPing> | null;
    if (typeof value?.at !== 'number' || !Number.isFinite(value.at) || typeof value.ok !== 'boolean')
      return undefined;
    return {
      at: value.at,
      ok: value.ok,
      ...(typeof value.message === 'string' ? { message: value.message } : {}),
    };
  } catch {
    return undefined;
  }
}
