import type { Result, Status } from '../result.js';
import { statusOf } from '../result.js';
import { computeStats } from '../stats.js';
import type { Alert, AlertKind } from './alert.js';
import type { AlertPolicy } from './alert-policy.js';
import type { NotifierEndpointState } from './alert-state.js';

/** A notifier that has never heard of an endpoint assumes it healthy. */
export function freshNotifierState(): NotifierEndpointState {
  return { announced: 'healthy', changes: [] };
}

/**
 * Applies one result (a newer run than any applied before) to what one notifier has been told,
 * under its policy. Returns the new state and the alert to send, if any. Pure.
 */
export function stepNotifier(
  previous: NotifierEndpointState,
  result: Result,
  policy: AlertPolicy,
  notifierId: string,
): { state: NotifierEndpointState; alert?: Alert } {
  const ts = result.timestamp;
  const effective = effectiveStatus(statusOf(result), policy);
  const good = effective === 'healthy';
  const state: NotifierEndpointState = {
    ...previous,
    changes: previous.changes.filter((at) => at > ts - policy.flapWindowNs),
  };
  const rate = policy.failureRate;
  if (rate) state.recent = `${previous.recent ?? ''}${good ? '.' : 'x'}`.slice(-rate.runs);
  else delete state.recent;
  const recentFailures = [...(state.recent ?? '')].filter((run) => run === 'x').length;
  const rateReached = rate !== undefined && recentFailures >= rate.failures;
  const make = (kind: AlertKind, extra: Partial<Alert> = {}): Alert =>
    makeAlert(kind, result, notifierId, previous.announced, extra);

  if (effective === state.announced) {
    delete state.streak;
    if (state.flapping) return endStableFlapping(state, result, make);
    if (!good && policy.renotifyNs > 0 && ts - (state.lastNotified ?? ts) >= policy.renotifyNs) {
      state.lastNotified = ts;
      return { state, alert: make('reminder', { failingSince: state.failingSince }) };
    }
    return { state };
  }

  const streak =
    state.streak && state.streak.good === good
      ? { ...state.streak, count: state.streak.count + 1 }
      : { good, count: 1, since: ts };
  const confirmed = good
    ? // A failure rate still reached holds the recovery back, or every good run between
      // intermittent failures would recover and the next failure alert again.
      streak.count >= policy.successThreshold && !rateReached
    : streak.count >= policy.failureThreshold || rateReached;
  if (!confirmed) {
    state.streak = streak;
    return { state };
  }
  const byRate =
    !good && streak.count < policy.failureThreshold
      ? { failureRate: { failures: recentFailures, runs: state.recent?.length ?? 0 } }
      : {};

  // The change is confirmed: announce it (or count it, while flapping).
  delete state.streak;
  const failingSince = state.failingSince;
  state.announced = effective;
  state.changes = [...state.changes, ts];
  if (good) delete state.failingSince;
  else if (state.failingSince === undefined) state.failingSince = streak.since;
  if (state.flapping) return { state };
  state.lastNotified = ts;
  if (policy.flapChanges > 0 && state.changes.length > policy.flapChanges) {
    state.flapping = true;
    return {
      state,
      alert: make('flapping', { changes: state.changes.length, windowNs: policy.flapWindowNs }),
    };
  }
  if (good) {
    return {
      state,
      alert: make('recovered', failingSince === undefined ? {} : { failedFor: streak.since - failingSince }),
    };
  }
  return {
    state,
    alert: make(effective as 'down' | 'degraded', { failingSince: state.failingSince, ...byRate }),
  };
}

/** The status as this notifier counts it: degraded is good when it ignores degraded. */
export function effectiveStatus(status: Status, policy: AlertPolicy): Status {
  return status === 'degraded' && !policy.notifyDegraded ? 'healthy' : status;
}

/** While flapping, a window with no announced change ends it, with one "stable" alert. */
function endStableFlapping(
  state: NotifierEndpointState,
  result: Result,
  make: (kind: AlertKind, extra?: Partial<Alert>) => Alert,
): { state: NotifierEndpointState; alert?: Alert } {
  if (state.changes.length > 0) return { state };
  delete state.flapping;
  state.lastNotified = result.timestamp;
  return { state, alert: make('stable', { failingSince: state.failingSince }) };
}

function makeAlert(
  kind: AlertKind,
  result: Result,
  notifierId: string,
  previous: Status,
  extra: Partial<Alert>,
): Alert {
  const firstError = result.times.find((attempt) => attempt.error)?.error;
  const alert: Alert = {
    id: `${notifierId}|${result.title}|${result.timestamp}|${kind}`,
    notifierId,
    kind,
    title: result.title,
    endpoint: result.endpoint,
    status: statusOf(result),
    previous,
    timestamp: result.timestamp,
    ...(result.times.length > 0 ? { rtt: computeStats(result.times).median } : {}),
    ...(firstError !== undefined ? { error: firstError } : {}),
    ...(result.notice !== undefined ? { notice: result.notice } : {}),
    ...(result.message !== undefined ? { message: result.message } : {}),
    ...(result.region !== undefined ? { region: result.region } : {}),
  };
  for (const [key, value] of Object.entries(extra)) {
    if (value !== undefined) (alert as unknown as Record<string, unknown>)[key] = value;
  }
  return alert;
}
