import { resolveIncidentsOfRemovedEndpoints } from '../incidents/change-incident.js';
import type { Result } from '../result.js';
import { parseRunFileName } from '../storage.js';
import type { Alert } from './alert.js';
import type { AlertPolicy } from './alert-policy.js';
import type { AlertState, OutboxEntry } from './alert-state.js';
import { emptyAlertState } from './alert-state.js';
import {
  AlertStateConflictError,
  type AlertStateStore,
  type VersionedAlertState,
} from './alert-state-store.js';
import { applyRunToAlertState } from './apply-run-to-alert-state.js';
import { type DeliverOptions, type DeliveryOutcome, deliverAlerts } from './deliver-alerts.js';
import type { DependencyMap } from './hold-dependent-alerts.js';
import type { Notifier } from './notifier.js';
import { type FailingNotifier, recordDeliveries } from './record-deliveries.js';

export interface ProcessRunOptions extends DeliverOptions {
  stateStore: AlertStateStore;
  notifiers: readonly Notifier[];
  /** Wall clock in unix ms (leases and outbox age); Date.now by default. */
  now?: () => number;
  /**
   * How long a sender owns the alerts it queued or picked up; after that another run may send
   * them (it must exceed the time the sender can take with its retries). Default 5 minutes.
   */
  leaseMs?: number;
  /** Alerts still undelivered after this long are dropped (default 24 hours). */
  maxAgeMs?: number;
  /** Each endpoint's `depends_on` parent, by title (see holdDependentAlerts). */
  dependsOn?: DependencyMap;
  /**
   * The run files `results` come from, recorded in the state as applied (fanned-out ticks): when
   * all of them already are (another invocation decided the same tick), nothing is applied.
   * Names older than `keepSinceNs` are dropped from the record.
   */
  appliedRuns?: { names: readonly string[]; keepSinceNs: number };
  /** The state as the caller just loaded it: the first attempt saves against it, sparing a read. */
  loaded?: VersionedAlertState;
  /**
   * Every endpoint name the config checks (runs may hold only some: shards, regions). An open
   * automatic incident of endpoints not among them is resolved. Absent: none is.
   */
  checked?: readonly string[];
}

/** What one processRun did. */
export interface ProcessRunOutcome {
  /** Every delivery tried, in order (new alerts and older undelivered ones picked up). */
  deliveries: DeliveryOutcome[];
  /** Undelivered alerts dropped for age or because their notifier is gone. */
  dropped: Alert[];
  /** Notifiers that had a delivery now and keep failing (their own alarm). */
  failingNotifiers: FailingNotifier[];
}

/** Some alerts could not be delivered; they stay queued in the state and go with a later run. */
export class AlertDeliveryError extends Error {
  override readonly name = 'AlertDeliveryError';
  readonly failures: readonly Extract<DeliveryOutcome, { ok: false }>[];
  readonly outcome: ProcessRunOutcome;

  constructor(failures: readonly Extract<DeliveryOutcome, { ok: false }>[], outcome: ProcessRunOutcome) {
    super(
      `${failures.length} alert(s) not delivered: ${failures.map((failure) => failure.error).join('; ')}`,
    );
    this.failures = failures;
    this.outcome = outcome;
  }
}

const DEFAULT_LEASE_MS = 5 * 60_000;
const DEFAULT_MAX_AGE_MS = 24 * 3600_000;
const MAX_CONFLICTS = 20;

/**
 * The alerting entry point for every host (the notify Lambda, `checkup --store`, `checkup
 * every`): applies one stored run to the alert state and delivers what changed.
 *
 * 1. Applies the run (see applyRunToAlertState: a run already applied, or older than the newest, does
 *    nothing) and queues its alerts in the state's outbox under a lease, together with any
 *    queued alerts whose lease ran out (a sender that crashed or failed). The state is saved
 *    with a conditional write; on a conflict it is re-read and re-applied.
 * 2. Delivers the leased alerts through the shared sender (timeouts, retries, Retry-After).
 * 3. Removes the delivered ones from the outbox; failed ones are released for the next run.
 *
 * So a run delivered twice or out of order never alerts twice, and an alert is lost only after
 * `maxAgeMs` of failures. Rejects with AlertDeliveryError when any alert was not delivered (a
 * Lambda should then fail, so its retry and dead-letter queue keep the event), after saving.
 *
 * The lease (default 5 minutes) must outlast the caller's own time limit (a Lambda's timeout).
 *
 * @example
 * // In the notify Lambda (clients built once at module scope):
 * const notifiers = await createNotifiers(config.notifiers, { readSecret: ssmSecretReader({ client: ssm }) });
 * const stateStore = new S3AlertStateStore({ client: s3, bucket, key: 'alert-state.json' });
 * await processRun(results, { stateStore, notifiers }); // AlertDeliveryError: fail the invocation
 */
export async function processRun(
  results: readonly Result[],
  options: ProcessRunOptions,
): Promise<ProcessRunOutcome> {
  // With no notifier the state is still kept: automatic incidents follow it.
  const now = options.now ?? Date.now;
  const leaseMs = options.leaseMs ?? DEFAULT_LEASE_MS;
  const maxAgeMs = options.maxAgeMs ?? DEFAULT_MAX_AGE_MS;
  const policies: Record<string, AlertPolicy> = {};
  for (const notifier of options.notifiers) policies[notifier.id] = notifier.policy;
  const known = new Set(Object.keys(policies));

  const record = options.appliedRuns;
  const { value: claim } = await updateAlertState(
    options.stateStore,
    (state) => {
      const at = now();
      const done = record?.names.every((name) => state.appliedRuns?.includes(name)) === true;
      const applied = applyRunToAlertState(state, done ? [] : results, policies, options.dependsOn);
      if (record && !done) applied.state.appliedRuns = recordApplied(state.appliedRuns ?? [], record);
      const incidents = applied.state.incidents;
      if (incidents && options.checked) {
        const kept = resolveIncidentsOfRemovedEndpoints(incidents, options.checked, at);
        if (kept !== incidents) applied.state = { ...applied.state, incidents: [...kept] };
      }
      const dropped: Alert[] = [];
      const outbox: OutboxEntry[] = [];
      const leased: Alert[] = [];
      // A notifier whose earlier alerts another sender is still sending gets nothing from us
      // now: its new alerts wait in the outbox, so it never hears "recovered" before "down".
      const busy = new Set<string>();
      for (const entry of applied.state.outbox) {
        if (!known.has(entry.alert.notifierId) || at - entry.queuedAt > maxAgeMs) {
          dropped.push(entry.alert);
        } else if (entry.leaseUntil <= at && !busy.has(entry.alert.notifierId)) {
          outbox.push({ ...entry, leaseUntil: at + leaseMs });
          leased.push(entry.alert);
        } else {
          busy.add(entry.alert.notifierId);
          outbox.push(entry);
        }
      }
      for (const alert of applied.alerts) {
        const mine = !busy.has(alert.notifierId);
        outbox.push({ alert, leaseUntil: mine ? at + leaseMs : 0, queuedAt: at, attempts: 0 });
        if (mine) leased.push(alert);
      }
      return { state: { ...applied.state, outbox }, value: { leased, dropped } };
    },
    options.loaded,
  );

  const deliveries = await deliverAlerts(claim.leased, options.notifiers, options);
  let failingNotifiers: FailingNotifier[] = [];
  if (deliveries.length > 0) {
    const byId = new Map(deliveries.map((delivery) => [delivery.alert.id, delivery]));
    const at = now();
    // Every delivery, sent or failed, is kept in the state: the audit of what was told.
    ({ value: failingNotifiers } = await updateAlertState(options.stateStore, (state) => {
      const recorded = recordDeliveries(state, deliveries, at);
      return {
        state: {
          ...recorded.state,
          outbox: state.outbox.flatMap((entry): OutboxEntry[] => {
            const delivery = byId.get(entry.alert.id);
            if (!delivery) return [entry];
            if (delivery.ok) return [];
            return [{ ...entry, leaseUntil: 0, attempts: entry.attempts + 1, lastError: delivery.error }];
          }),
        },
        value: recorded.failing,
      };
    }));
  }

  const outcome = { deliveries, dropped: claim.dropped, failingNotifiers };
  const failures = deliveries.filter((delivery) => !delivery.ok);
  if (failures.length > 0) throw new AlertDeliveryError(failures, outcome);
  return outcome;
}

/**
 * Reads the state, lets `change` compute the next one, and saves it conditionally, starting
 * over on a conflict. Saves nothing when the state did not change.
 */
export async function updateAlertState<T>(
  store: AlertStateStore,
  change: (state: AlertState) => { state: AlertState; value: T },
  first?: VersionedAlertState,
): Promise<{ state: AlertState; value: T }> {
  for (let conflicts = 0; ; conflicts++) {
    const loaded = conflicts === 0 && first ? first : await store.load();
    const state = loaded.version === undefined ? emptyAlertState() : loaded.state;
    const next = change(state);
    if (JSON.stringify(next.state) === JSON.stringify(state)) return next;
    try {
      await store.save(next.state, loaded.version);
      return next;
    } catch (error) {
      if (!(error instanceof AlertStateConflictError) || conflicts >= MAX_CONFLICTS) throw error;
    }
  }
}

/** The applied run names with `record`'s added, those older than its horizon dropped. */
function recordApplied(
  before: readonly string[],
  record: NonNullable<ProcessRunOptions['appliedRuns']>,
): string[] {
  const kept = before.filter((name) => (parseRunFileName(name)?.timestamp ?? 0) >= record.keepSinceNs);
  return [...new Set([...kept, ...record.names])].sort();
}
