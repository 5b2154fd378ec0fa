import type { Result } from '../result.js';
import { statusOf } from '../result.js';
import type { Alert } from './alert.js';
import type { AlertPolicy } from './alert-policy.js';
import type { AlertState, EndpointAlertState } from './alert-state.js';
import { type DependencyMap, holdDependentAlerts } from './hold-dependent-alerts.js';
import { freshNotifierState, stepNotifier } from './step-notifier.js';

/** An endpoint absent from every run for this long (30 days) leaves the alert state. */
export const FORGET_AFTER_NS = 30 * 86_400e9;

/**
 * Applies one run's results to the alert state, for every notifier's policy (by notifier id).
 * Returns the new state and the alerts to send, in order. Pure and idempotent: a result at or
 * before the newest run already applied for its endpoint changes nothing, so a run delivered
 * twice, or late behind a newer one, never alerts and never overrides a newer state.
 * `dependsOn` (child title -> parent title) holds a dependent's alerts while its parent is down
 * (see holdDependentAlerts).
 */
export function applyRunToAlertState(
  state: AlertState,
  results: readonly Result[],
  policies: Readonly<Record<string, AlertPolicy>>,
  dependsOn: DependencyMap = {},
): { state: AlertState; alerts: Alert[] } {
  let endpoints = { ...state.endpoints };
  let alerts: Alert[] = [];
  for (const result of [...results].sort((a, b) => a.timestamp - b.timestamp)) {
    const before = endpoints[result.title];
    if (before && result.timestamp <= before.lastRun) continue;
    const status = statusOf(result);
    const continues = before?.status === status;
    const next: EndpointAlertState = {
      status,
      since: continues ? before.since : result.timestamp,
      count: continues ? before.count + 1 : 1,
      lastRun: result.timestamp,
      notifiers: { ...before?.notifiers },
    };
    for (const [id, policy] of Object.entries(policies)) {
      const step = stepNotifier(next.notifiers[id] ?? freshNotifierState(), result, policy, id);
      next.notifiers[id] = step.state;
      if (step.alert) alerts.push(step.alert);
    }
    endpoints[result.title] = next;
  }
  ({ endpoints, alerts } = holdDependentAlerts(endpoints, alerts, dependsOn));
  // Endpoints no run has mentioned for a long time (renamed, removed) are forgotten.
  const newest = Math.max(...Object.values(endpoints).map((endpoint) => endpoint.lastRun));
  for (const [title, endpoint] of Object.entries(endpoints)) {
    if (endpoint.lastRun < newest - FORGET_AFTER_NS) delete endpoints[title];
  }
  return { state: { ...state, endpoints }, alerts };
}
