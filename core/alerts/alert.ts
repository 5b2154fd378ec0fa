import type { Status } from '../result.js';

/**
 * What an alert says: an endpoint became `down` or `degraded`, `recovered`, is still failing
 * (`reminder`), is `flapping`, is `stable` again after flapping; `test` comes from
 * `checkup notify test`.
 */
export type AlertKind = 'down' | 'degraded' | 'recovered' | 'reminder' | 'flapping' | 'stable' | 'test';

/** One message for one notifier about one endpoint. Times are unix ns, durations ns. */
export interface Alert {
  /** Unique and deterministic (notifier, endpoint, run, kind): the same run never makes two. */
  id: string;
  notifierId: string;
  kind: AlertKind;
  /** The endpoint's name and URL. */
  title: string;
  endpoint: string;
  /** The status the run saw. */
  status: Status;
  /** The status this notifier was last told of, before this alert. */
  previous?: Status;
  /** The time of the run that caused the alert. */
  timestamp: number;
  /** Since when it has been failing (down, degraded, reminder, stable while failing). */
  failingSince?: number;
  /** How long it was failing (recovered). */
  failedFor?: number;
  /** For flapping: the changes seen in the window, and the window. */
  changes?: number;
  windowNs?: number;
  /** When a failure_rate (not consecutive failures) confirmed it: how many of how many runs failed. */
  failureRate?: { failures: number; runs: number };
  /** The endpoints depending on this one whose own alerts are held while it is down. */
  affected?: string[];
  /** From the result: its first error, notice, message, median RTT and region. */
  error?: string;
  notice?: string;
  message?: string;
  rtt?: number;
  region?: string;
}
