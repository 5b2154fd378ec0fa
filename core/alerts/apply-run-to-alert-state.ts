import { copyRecord } from '../copy-record.js';
import { formatDuration } from '../duration.js';
import { incidentOnAlert } from '../incidents/change-incident.js';
import type { Incident } from '../incidents/incident.js';
import type { Result } from '../result.js';
import { statusOf } from '../result.js';
import type { Alert } from './alert.js';
import { type AlertPolicy, incidentPolicyOf } from './alert-policy.js';
import type { AlertState, EndpointAlertState } from './alert-state.js';
import { type DependencyMap, holdDependentAlerts } from './hold-dependent-alerts.js';
import { freshNotifierState, stepNotifier } from './step-notifier.js';

/** An endpoint absent from every run for this long (30 days) leaves the alert state. */
export const FORGET_AFTER_NS = 30 * 86_400e9;

/**
 * Applies one run's results to the alert state, for every notifier's policy (by notifier id).
 * Returns the new state and the alerts to send, in order. Pure and idempotent: a result at or
 * before the newest run already applied for its endpoint changes nothing, so a run delivered
 * twice, or late behind a newer one, never alerts and never overrides a newer state. A result of
 * a probe found offline says nothing of its endpoint: it changes nothing either.
 * `dependsOn` (child title -> parent title) holds a dependent's alerts while its parent is down
 * (see holdDependentAlerts).
 */
export function applyRunToAlertState(
  state: AlertState,
  results: readonly Result[],
  policies: Readonly<Record<string, AlertPolicy>>,
  dependsOn: DependencyMap = {},
): { state: AlertState; alerts: Alert[] } {
  let endpoints = copyRecord(state.endpoints);
  let alerts: Alert[] = [];
  const incidentsBefore = state.incidents ?? [];
  let incidents: readonly Incident[] = incidentsBefore;
  const incidentPolicy = incidentPolicyOf(Object.values(policies));
  for (const result of [...results].sort((a, b) => a.timestamp - b.timestamp)) {
    const before = endpoints[result.title];
    if (result.probeOffline || (before && result.timestamp <= before.lastRun)) continue;
    const status = statusOf(result);
    const continues = before?.status === status;
    const next: EndpointAlertState = {
      status,
      since: continues ? before.since : result.timestamp,
      count: continues ? before.count + 1 : 1,
      lastRun: result.timestamp,
      notifiers: { ...before?.notifiers },
    };
    // In maintenance nothing is announced: what each notifier was told stays as it was, so when
    // the window ends an endpoint still failing alerts once, and one already announced down
    // before the window does not alert again.
    for (const [id, policy] of result.maintenance ? [] : Object.entries(policies)) {
      const step = stepNotifier(next.notifiers[id] ?? freshNotifierState(), result, policy, id);
      next.notifiers[id] = step.state;
      if (step.alert) alerts.push(step.alert);
    }
    if (!result.maintenance) {
      const step = stepNotifier(
        before?.incident ?? freshNotifierState(),
        result,
        incidentPolicy,
        'incidents',
      );
      next.incident = step.state;
      const kind = step.alert?.kind;
      if (kind === 'down' || kind === 'recovered') {
        const detail =
          kind === 'down'
            ? (step.alert?.error ?? 'Checks of this endpoint are failing.')
            : `Recovered${step.alert?.failedFor ? ` after ${formatDuration(step.alert.failedFor)}` : ''}.`;
        incidents = incidentOnAlert(
          incidents,
          result.title,
          kind,
          Math.floor(result.timestamp / 1e6),
          detail,
        );
      }
    } else if (before?.incident) next.incident = before.incident;
    endpoints[result.title] = next;
  }
  ({ endpoints, alerts } = holdDependentAlerts(endpoints, alerts, dependsOn));
  // Endpoints no run has mentioned for a long time (renamed, removed) are forgotten.
  const titles = Object.keys(endpoints);
  let newest = -Infinity;
  for (let i = 0; i < titles.length; i += 1)
    newest = Math.max(newest, (endpoints[titles[i] as string] as EndpointAlertState).lastRun);
  for (let i = 0; i < titles.length; i += 1) {
    const title = titles[i] as string;
    if ((endpoints[title] as EndpointAlertState).lastRun < newest - FORGET_AFTER_NS) delete endpoints[title];
  }
  const changed = incidents !== incidentsBefore;
  return { state: { ...state, endpoints, ...(changed ? { incidents: [...incidents] } : {}) }, alerts };
}
