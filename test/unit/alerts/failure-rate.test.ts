import { describe, expect, it } from 'vitest';
import { type AlertPolicy, alertPolicyOf, DEFAULT_ALERT_POLICY } from '../../../core/alerts/alert-policy.js';
import type { NotifierEndpointState } from '../../../core/alerts/alert-state.js';
import { describeAlert } from '../../../core/alerts/describe-alert.js';
import { freshNotifierState, stepNotifier } from '../../../core/alerts/step-notifier.js';
import type { Status } from '../../../core/result.js';
import { minute, resultAt } from '../../helpers/results.js';

const S = 'healthy';
const D = 'down';
const G = 'degraded';

function alertsFor(statuses: readonly Status[], policy: Partial<AlertPolicy>): string[] {
  const full = { ...DEFAULT_ALERT_POLICY, flapChanges: 0, ...policy };
  let state: NotifierEndpointState = freshNotifierState();
  return statuses.map((status, index) => {
    const step = stepNotifier(state, resultAt(minute(index), status), full, 'slack');
    state = step.state;
    return step.alert?.kind ?? '-';
  });
}

const threeOfFive = { failureThreshold: 5, failureRate: { failures: 3, runs: 5 } };

describe('failure_rate: x of the last y runs', () => {
  it.each([
    {
      name: 'alerts at the failure that makes 3 of the last 5, though none were consecutive',
      runs: [D, S, D, S, D],
      policy: threeOfFive,
      expected: ['-', '-', '-', '-', 'down'],
    },
    {
      name: 'says nothing while failures stay below the rate',
      runs: [D, S, S, S, D, S, S, S, D, S],
      policy: threeOfFive,
      expected: ['-', '-', '-', '-', '-', '-', '-', '-', '-', '-'],
    },
    {
      name: 'recovers only once fewer than 3 of the last 5 failed, not at the first good run',
      runs: [D, D, S, D, S, S, S],
      policy: threeOfFive,
      expected: ['-', '-', '-', 'down', '-', 'recovered', '-'],
    },
    {
      name: 'still alerts on the consecutive threshold, whichever comes first',
      runs: [D, D, S],
      policy: { failureThreshold: 2, failureRate: { failures: 3, runs: 10 } },
      expected: ['-', 'down', 'recovered'],
    },
    {
      name: 'counts degraded runs as failing',
      runs: [G, S, G, S, G],
      policy: threeOfFive,
      expected: ['-', '-', '-', '-', 'degraded'],
    },
    {
      name: 'counts degraded as good when degraded alerts are off',
      runs: [G, S, G, S, G, D],
      policy: { ...threeOfFive, notifyDegraded: false },
      expected: ['-', '-', '-', '-', '-', '-'],
    },
    {
      name: 'forgets failures older than the window',
      runs: [D, D, S, S, S, S, S, D],
      policy: threeOfFive,
      expected: ['-', '-', '-', '-', '-', '-', '-', '-'],
    },
    {
      name: 'is off without failure_rate: a lone failure under the threshold never alerts',
      runs: [D, S, D, S, D, S],
      policy: { failureThreshold: 2 },
      expected: ['-', '-', '-', '-', '-', '-'],
    },
  ])('$name', ({ runs, policy, expected }) => {
    expect(alertsFor(runs as Status[], policy)).toEqual(expected);
  });

  it('keeps the window in the notifier state, no longer than `runs`', () => {
    let state = freshNotifierState();
    const policy = { ...DEFAULT_ALERT_POLICY, failureThreshold: 9, failureRate: { failures: 3, runs: 4 } };
    for (const [n, status] of ([S, D, S, S, D, S] as Status[]).entries())
      state = stepNotifier(state, resultAt(minute(n), status), policy, 'slack').state;
    // The newest 4 of S D S S D S.
    expect(state.recent).toBe('..x.');
  });

  it('says in the alert how many of how many runs failed', () => {
    let state = freshNotifierState();
    const policy = { ...DEFAULT_ALERT_POLICY, ...threeOfFive };
    const alerts = ([D, S, D, S, D] as Status[]).map((status, n) => {
      const step = stepNotifier(state, resultAt(minute(n), status, 'API'), policy, 'slack');
      state = step.state;
      return step.alert;
    });
    expect(alerts[4]).toMatchObject({ kind: 'down', failureRate: { failures: 3, runs: 5 } });
    expect(describeAlert(alerts[4] as never).headline).toBe('API is down; 3 of the last 5 runs failed');
  });

  it('reads failure_rate from the notifier config', () => {
    expect(alertPolicyOf({ failure_rate: { failures: 2, runs: 6 } }).failureRate).toEqual({
      failures: 2,
      runs: 6,
    });
    expect(alertPolicyOf({}).failureRate).toBeUndefined();
  });
});
