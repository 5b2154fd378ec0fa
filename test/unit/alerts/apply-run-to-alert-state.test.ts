import { describe, expect, it } from 'vitest';
import { DEFAULT_ALERT_POLICY, notifierIds } from '../../../core/alerts/alert-policy.js';
import { emptyAlertState } from '../../../core/alerts/alert-state.js';
import { applyRunToAlertState } from '../../../core/alerts/apply-run-to-alert-state.js';
import { minute, resultAt } from '../../helpers/results.js';

const policies = { slack: DEFAULT_ALERT_POLICY };

describe('applyRunToAlertState', () => {
  it('alerts each endpoint on its own change, for every notifier', () => {
    const run = [resultAt(minute(1), 'down', 'API'), resultAt(minute(1), 'healthy', 'Web')];
    const { alerts } = applyRunToAlertState(emptyAlertState(), run, {
      slack: DEFAULT_ALERT_POLICY,
      hook: DEFAULT_ALERT_POLICY,
    });
    expect(alerts.map((alert) => `${alert.notifierId} ${alert.kind} ${alert.title}`)).toEqual([
      'slack down API',
      'hook down API',
    ]);
  });

  it('changes nothing and alerts nothing when the same run arrives twice', () => {
    const run = [resultAt(minute(1), 'down')];
    const first = applyRunToAlertState(emptyAlertState(), run, policies);
    const again = applyRunToAlertState(first.state, run, policies);
    expect(first.alerts).toHaveLength(1);
    expect(again.alerts).toEqual([]);
    expect(again.state).toEqual(first.state);
  });

  it('ignores a run older than the newest applied, so a late run never overrides a newer state', () => {
    let state = emptyAlertState();
    const kinds = [
      [resultAt(minute(1), 'down')],
      [resultAt(minute(3), 'healthy')],
      [resultAt(minute(2), 'down')], // delivered late
      [resultAt(minute(4), 'healthy')],
    ].map((run) => {
      const step = applyRunToAlertState(state, run, policies);
      state = step.state;
      return step.alerts.map((alert) => alert.kind).join(',') || '-';
    });
    expect(kinds).toEqual(['down', 'recovered', '-', '-']);
    expect(state.endpoints.Site).toMatchObject({
      status: 'healthy',
      lastRun: minute(4),
      since: minute(3),
      count: 2,
    });
  });

  it('starts a notifier added later from healthy, so it hears of an endpoint already down', () => {
    const first = applyRunToAlertState(emptyAlertState(), [resultAt(minute(1), 'down')], policies);
    const second = applyRunToAlertState(first.state, [resultAt(minute(2), 'down')], {
      ...policies,
      hook: DEFAULT_ALERT_POLICY,
    });
    expect(second.alerts.map((alert) => `${alert.notifierId} ${alert.kind}`)).toEqual(['hook down']);
  });
});

describe('notifierIds', () => {
  it('names notifiers by id, else by type, else type#n when a type repeats', () => {
    expect(
      notifierIds([
        { type: 'slack' },
        { type: 'webhook' },
        { type: 'webhook', id: 'pager' },
        { type: 'webhook' },
        { type: 'sns' },
      ]),
    ).toEqual(['slack', 'webhook#1', 'pager', 'webhook#2', 'sns']);
  });
});

describe('applyRunToAlertState forgetting', () => {
  it('forgets an endpoint no run has mentioned for 30 days, and keeps the others', () => {
    const old = applyRunToAlertState(
      emptyAlertState(),
      [resultAt(minute(0), 'down', 'Gone'), resultAt(minute(0), 'healthy', 'Kept')],
      policies,
    );
    const month = 30 * 24 * 60;
    const later = applyRunToAlertState(old.state, [resultAt(minute(month - 1), 'healthy', 'Kept')], policies);
    expect(Object.keys(later.state.endpoints)).toEqual(['Gone', 'Kept']);
    const after = applyRunToAlertState(
      later.state,
      [resultAt(minute(month + 1), 'healthy', 'Kept')],
      policies,
    );
    expect(Object.keys(after.state.endpoints)).toEqual(['Kept']);
  });
});
