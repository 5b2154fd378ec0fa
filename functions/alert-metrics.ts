import type { DeliveryOutcome } from '../core/alerts/deliver-alerts.js';
import type { Notifier } from '../core/alerts/notifier.js';
import { AlertDeliveryError, type ProcessRunOutcome } from '../core/alerts/process-run.js';
import { METRIC_DIMENSIONS, METRIC_NAMES } from './metric-names.js';
import type { Metrics } from './metrics.js';

/**
 * `AlertsSent` and `AlertsFailed` per notifier type (`slack`, `webhook`, ...) and in total, for
 * the deliveries of one processed run, whether it succeeded or failed (AlertDeliveryError carries
 * its outcome). Resolves or rejects as `processing` does.
 */
export async function withAlertMetrics(
  metrics: Metrics,
  notifiers: readonly Notifier[],
  processing: Promise<ProcessRunOutcome>,
): Promise<ProcessRunOutcome> {
  try {
    const outcome = await processing;
    putAlertMetrics(metrics, notifiers, outcome.deliveries);
    putNotifierHealth(metrics, outcome);
    return outcome;
  } catch (error) {
    if (error instanceof AlertDeliveryError) {
      putAlertMetrics(metrics, notifiers, error.outcome.deliveries);
      putNotifierHealth(metrics, error.outcome);
    }
    throw error;
  }
}

/**
 * `NotifierFailing` for each notifier that had a delivery: 1 when it keeps failing, else 0 (so
 * its alarm clears once a delivery goes through), by notifier id and in all.
 */
export function putNotifierHealth(metrics: Metrics, outcome: ProcessRunOutcome): void {
  const failing = new Set(outcome.failingNotifiers.map((entry) => entry.notifierId));
  const tried = new Set(outcome.deliveries.map((delivery) => delivery.alert.notifierId));
  for (const id of tried)
    metrics.put(
      [{ name: METRIC_NAMES.notifierFailing, value: failing.has(id) ? 1 : 0, unit: 'Count' }],
      { [METRIC_DIMENSIONS.notifier]: id },
      undefined,
      [[]],
    );
}

/** Writes the counts of `deliveries`, one EMF line per notifier type that had any. */
export function putAlertMetrics(
  metrics: Metrics,
  notifiers: readonly Notifier[],
  deliveries: readonly DeliveryOutcome[],
): void {
  const typeOf = new Map(notifiers.map((notifier) => [notifier.id, notifier.type]));
  const counts = new Map<string, { sent: number; failed: number }>();
  for (const delivery of deliveries) {
    const type = typeOf.get(delivery.alert.notifierId) ?? 'unknown';
    const count = counts.get(type) ?? { sent: 0, failed: 0 };
    if (delivery.ok) count.sent += 1;
    else count.failed += 1;
    counts.set(type, count);
  }
  for (const [type, count] of counts) {
    metrics.put(
      [
        { name: METRIC_NAMES.alertsSent, value: count.sent, unit: 'Count' },
        { name: METRIC_NAMES.alertsFailed, value: count.failed, unit: 'Count' },
      ],
      { [METRIC_DIMENSIONS.notifierType]: type },
      undefined,
      [[]],
    );
  }
}
