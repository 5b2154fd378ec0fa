import type { AlertState, DeliveryRecord, NotifierHealth } from './alert-state.js';
import type { DeliveryOutcome } from './deliver-alerts.js';

/** The deliveries the alert state keeps, newest last. */
export const MAX_DELIVERY_RECORDS = 100;
/** Failed deliveries in a row after which a notifier counts as failing (its own alarm). */
export const NOTIFIER_FAILING_AFTER = 3;

/** A notifier that keeps failing, for the alarm. */
export interface FailingNotifier {
  notifierId: string;
  failures: number;
  failingSince: number;
  lastError: string;
}

/**
 * Adds `outcomes` to the state's delivery log (the newest MAX_DELIVERY_RECORDS) and to each
 * notifier's health. Returns the new state, and the notifiers this leaves failing
 * (NOTIFIER_FAILING_AFTER failures in a row or more) among those that had a delivery now. Pure.
 */
export function recordDeliveries(
  state: AlertState,
  outcomes: readonly DeliveryOutcome[],
  at: number,
): { state: AlertState; failing: FailingNotifier[] } {
  const records: DeliveryRecord[] = outcomes.map(({ alert, ...outcome }) => ({
    at,
    notifierId: alert.notifierId,
    alertId: alert.id,
    kind: alert.kind,
    title: alert.title,
    ok: outcome.ok,
    tries: outcome.tries,
    ...(outcome.ok ? {} : { error: outcome.error }),
  }));
  const health: Record<string, NotifierHealth> = { ...state.notifierHealth };
  for (const record of records) {
    if (record.tries === 0) continue;
    const before = health[record.notifierId] ?? { failures: 0 };
    health[record.notifierId] = record.ok
      ? { failures: 0, lastSent: at }
      : {
          ...before,
          failures: before.failures + 1,
          failingSince: before.failingSince ?? at,
          lastError: record.error ?? 'failed',
        };
  }
  const touched = new Set(records.map((record) => record.notifierId));
  const failing = [...touched].flatMap((notifierId): FailingNotifier[] => {
    const entry = health[notifierId];
    return entry && entry.failures >= NOTIFIER_FAILING_AFTER
      ? [
          {
            notifierId,
            failures: entry.failures,
            failingSince: entry.failingSince ?? at,
            lastError: entry.lastError ?? '',
          },
        ]
      : [];
  });
  const deliveries = [...(state.deliveries ?? []), ...records].slice(-MAX_DELIVERY_RECORDS);
  return { state: { ...state, deliveries, notifierHealth: health }, failing };
}
