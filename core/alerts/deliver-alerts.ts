import type { Alert } from './alert.js';
import { DeliveryError, type Notifier } from './notifier.js';
import { DEFAULT_RETRY_POLICY, type RetryPolicy, retryDelay } from './retry-delay.js';

/** What became of one alert. `error` never holds a secret: notifiers keep URLs out of messages. */
export type DeliveryOutcome =
  | { alert: Alert; ok: true; tries: number }
  | { alert: Alert; ok: false; tries: number; error: string };

export interface DeliverOptions {
  retry?: RetryPolicy;
  /** For the backoff jitter; Math.random by default. */
  random?: () => number;
}

/**
 * The one sender every notifier goes through: each try has a timeout, a failure that may pass
 * is retried with backoff (or after the receiver's Retry-After), and a notifier that fails does
 * not stop the others. Alerts for one notifier go in order, one at a time, and once one fails
 * the later ones wait (they are reported failed untried), so no notifier hears "recovered"
 * before "down". Never rejects: every alert gets an outcome.
 */
export async function deliverAlerts(
  alerts: readonly Alert[],
  notifiers: readonly Notifier[],
  options: DeliverOptions = {},
): Promise<DeliveryOutcome[]> {
  const policy = options.retry ?? DEFAULT_RETRY_POLICY;
  const random = options.random ?? Math.random;
  const byId = new Map(notifiers.map((notifier) => [notifier.id, notifier]));
  const queues = new Map<string, Alert[]>();
  for (const alert of alerts) queues.set(alert.notifierId, [...(queues.get(alert.notifierId) ?? []), alert]);

  const outcomes = new Map<Alert, DeliveryOutcome>();
  await Promise.all(
    [...queues].map(async ([id, queue]) => {
      const notifier = byId.get(id);
      let blocked: string | undefined = notifier ? undefined : `no notifier "${id}" is configured`;
      for (const alert of queue) {
        if (blocked !== undefined || !notifier) {
          outcomes.set(alert, { alert, ok: false, tries: 0, error: blocked ?? 'not sent' });
          continue;
        }
        const outcome = await deliverOne(alert, notifier, policy, random);
        outcomes.set(alert, outcome);
        if (!outcome.ok) blocked = `not sent: an earlier alert to ${id} failed`;
      }
    }),
  );
  return alerts.map((alert) => outcomes.get(alert) as DeliveryOutcome);
}

async function deliverOne(
  alert: Alert,
  notifier: Notifier,
  policy: RetryPolicy,
  random: () => number,
): Promise<DeliveryOutcome> {
  for (let tries = 1; ; tries++) {
    let failure: DeliveryError;
    try {
      await notifier.send(alert, AbortSignal.timeout(policy.timeoutMs));
      return { alert, ok: true, tries };
    } catch (error) {
      failure =
        error instanceof DeliveryError
          ? error
          : // An unexpected error's message may quote a URL, so only its kind is told.
            new DeliveryError(`unexpected ${error instanceof Error ? error.name : typeof error}`, {
              retryable: true,
              cause: error,
            });
    }
    const wait = retryDelay(tries, failure, policy, random());
    if (wait === undefined) {
      return { alert, ok: false, tries, error: `${notifier.id}: ${failure.message}` };
    }
    await new Promise((resolve) => setTimeout(resolve, wait));
  }
}
