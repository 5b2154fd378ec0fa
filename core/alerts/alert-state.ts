import type { Incident } from '../incidents/incident.js';
import type { MaintenanceWindow } from '../maintenance/maintenance-window.js';
import type { Status } from '../result.js';
import type { AnnouncedEvents } from '../subscriptions/subscriber-announcements.js';
import type { Alert, AlertKind } from './alert.js';

/** What one notifier has been told about one endpoint. Times are the unix ns of runs. */
export interface NotifierEndpointState {
  /** The status last announced (degraded reads as healthy when the notifier ignores degraded). */
  announced: Status;
  /** The first failing run of the failure announced, while one is. */
  failingSince?: number;
  /** Consecutive runs that disagree with `announced`: good (healthy) or failing, from `since`. */
  streak?: { good: boolean; count: number; since: number };
  /** The run of the last alert sent, for `renotify`. */
  lastNotified?: number;
  /** Runs at which the announced status changed, inside the flap window. */
  changes: number[];
  /** Told it is flapping: changes are not announced until it has been stable for a window. */
  flapping?: boolean;
  /**
   * With a `failure_rate`: the last runs as this notifier counts them, oldest first, `x` failing
   * and `.` good, at most `runs` long.
   */
  recent?: string;
  /**
   * The down or degraded alert held back while an endpoint this one depends on is down: sent when
   * that parent recovers and this one is still failing, dropped (with its recovery) otherwise.
   */
  held?: Alert;
}

/** What is known of one endpoint: what the newest run saw and what each notifier was told. */
export interface EndpointAlertState {
  status: Status;
  /** The first run of the current status streak, and how many runs it has lasted. */
  since: number;
  count: number;
  /** The newest run applied: a run at or before it changes nothing. */
  lastRun: number;
  notifiers: Record<string, NotifierEndpointState>;
  /** What the incident list has been told, stepped like a notifier (see incidentPolicyOf). */
  incident?: NotifierEndpointState;
}

/** An alert waiting to be delivered, leased by whoever is sending it. */
export interface OutboxEntry {
  alert: Alert;
  /** Unix ms: until then the sender that leased it owns it; 0 means free. */
  leaseUntil: number;
  /** Unix ms when it was queued, and failed deliveries so far. */
  queuedAt: number;
  attempts: number;
  lastError?: string;
}

/** One delivery tried (or held back), as the alert state keeps it. Times are unix ms. */
export interface DeliveryRecord {
  at: number;
  notifierId: string;
  alertId: string;
  kind: AlertKind;
  title: string;
  ok: boolean;
  /** 0: not tried, because an earlier alert to the same notifier failed. */
  tries: number;
  error?: string;
}

/** How one notifier's deliveries have gone lately. Times are unix ms. */
export interface NotifierHealth {
  /** Failed deliveries in a row (tried ones only); 0 after a success. */
  failures: number;
  /** The first failure of the current row. */
  failingSince?: number;
  lastError?: string;
  lastSent?: number;
}

/** The whole alert state, kept in the storage beside the runs. Keys are endpoint titles. */
export interface AlertState {
  version: 1;
  endpoints: Record<string, EndpointAlertState>;
  outbox: OutboxEntry[];
  /**
   * Maintenance windows started with `checkup maintenance start` (each with an id), kept here so
   * every host reads them with no redeploy; ended ones stay for the page's history.
   */
  maintenance?: MaintenanceWindow[];
  /** Incidents opened by a failure or by hand, open ones and those resolved in the last 90 days. */
  incidents?: Incident[];
  /** The latest deliveries, sent or failed, newest last (bounded: MAX_DELIVERY_RECORDS in record-deliveries.ts). */
  deliveries?: DeliveryRecord[];
  /** Each notifier's recent delivery health, by notifier id. */
  notifierHealth?: Record<string, NotifierHealth>;
  /** The incident updates and maintenance starts and ends told to the page's subscribers (recent ones). */
  subscribers?: { announced: AnnouncedEvents };
}

/** The state before any run. */
export function emptyAlertState(): AlertState {
  return { version: 1, endpoints: {}, outbox: [] };
}
