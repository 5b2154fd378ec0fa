import { describe, expect, it } from 'vitest';
import { type AlertPolicy, DEFAULT_ALERT_POLICY } from '../../../core/alerts/alert-policy.js';
import type { NotifierEndpointState } from '../../../core/alerts/alert-state.js';
import { freshNotifierState, stepNotifier } from '../../../core/alerts/step-notifier.js';
import type { Status } from '../../../core/result.js';
import { minute, resultAt } from '../../helpers/results.js';

const S = 'healthy';
const D = 'down';
const G = 'degraded';

/** Feeds one run per minute and returns the alert kind each run produced ('-' for none). */
function alertsFor(
  statuses: readonly Status[],
  policy: Partial<AlertPolicy> = {},
  everyMinutes = 1,
): string[] {
  const full = { ...DEFAULT_ALERT_POLICY, ...policy };
  let state: NotifierEndpointState = freshNotifierState();
  return statuses.map((status, index) => {
    const step = stepNotifier(state, resultAt(minute(index * everyMinutes), status), full, 'slack');
    state = step.state;
    return step.alert?.kind ?? '-';
  });
}

describe('stepNotifier', () => {
  it.each([
    { name: 'says nothing while healthy', runs: [S, S, S], policy: {}, expected: ['-', '-', '-'] },
    { name: 'alerts on the first failure', runs: [D], policy: {}, expected: ['down'] },
    {
      name: 'alerts once while it stays down, then recovers',
      runs: [S, D, D, D, S, S],
      policy: {},
      expected: ['-', 'down', '-', '-', 'recovered', '-'],
    },
    {
      name: 'waits for failure_threshold consecutive failures',
      runs: [D, D, S, D, D, D, D, S],
      policy: { failureThreshold: 3 },
      expected: ['-', '-', '-', '-', '-', 'down', '-', 'recovered'],
    },
    {
      name: 'counts degraded and down alike towards failure_threshold',
      runs: [G, D],
      policy: { failureThreshold: 2 },
      expected: ['-', 'down'],
    },
    {
      name: 'waits for success_threshold consecutive good runs before recovering',
      runs: [D, S, D, S, S, S],
      policy: { successThreshold: 2 },
      expected: ['down', '-', '-', '-', 'recovered', '-'],
    },
    {
      name: 'reminds at the renotify interval while down, not after recovery',
      runs: [D, D, D, D, D, D, D, S, S, S, S],
      policy: { renotifyNs: 3 * 60e9 },
      expected: ['down', '-', '-', 'reminder', '-', '-', 'reminder', 'recovered', '-', '-', '-'],
    },
    {
      name: 'alerts on degraded, on worsening to down, and on recovery',
      runs: [S, G, D, S],
      policy: {},
      expected: ['-', 'degraded', 'down', 'recovered'],
    },
    {
      name: 'treats degraded as good when degraded alerts are off',
      runs: [S, G, G, D, G, S],
      policy: { notifyDegraded: false },
      expected: ['-', '-', '-', 'down', 'recovered', '-'],
    },
    {
      name: 'reports flapping once instead of every change',
      runs: [D, S, D, S, D, S, D, S],
      policy: { flapChanges: 3, flapWindowNs: 3600e9 },
      expected: ['down', 'recovered', 'down', 'flapping', '-', '-', '-', '-'],
    },
    {
      name: 'never reports flapping when flap_changes is 0',
      runs: [D, S, D, S, D, S],
      policy: { flapChanges: 0 },
      expected: ['down', 'recovered', 'down', 'recovered', 'down', 'recovered'],
    },
  ])('$name', ({ runs, policy, expected }) => {
    expect(alertsFor(runs as Status[], policy)).toEqual(expected);
  });

  it('says flapping is over once a whole window passes with no change', () => {
    const flapping: Status[] = [D, S, D, S, D];
    const calm: Status[] = Array(8).fill(D);
    // Runs every 10 minutes, window 45 minutes: the fourth change (minute 30) starts flapping,
    // the last change is at minute 40, so the first run 45 minutes later (minute 90) ends it.
    const kinds = alertsFor([...flapping, ...calm], { flapChanges: 3, flapWindowNs: 45 * 60e9 }, 10);
    expect(kinds).toEqual([
      ...['down', 'recovered', 'down', 'flapping', '-', '-', '-', '-', '-'],
      ...['stable', '-', '-', '-'],
    ]);
  });

  it('says how long the endpoint was down when it recovers', () => {
    let state = freshNotifierState();
    const steps = [resultAt(minute(1), D), resultAt(minute(2), D), resultAt(minute(5), S)].map((result) => {
      const step = stepNotifier(state, result, DEFAULT_ALERT_POLICY, 'slack');
      state = step.state;
      return step.alert;
    });
    expect(steps[0]).toMatchObject({ kind: 'down', failingSince: minute(1), error: 'connection refused' });
    expect(steps[2]).toMatchObject({ kind: 'recovered', previous: 'down', failedFor: 4 * 60e9 });
  });

  it('dates an outage from its first failing run, not from the run that reached the threshold', () => {
    let state = freshNotifierState();
    const policy = { ...DEFAULT_ALERT_POLICY, failureThreshold: 3 };
    const alerts = [1, 2, 3].map((n) => {
      const step = stepNotifier(state, resultAt(minute(n), D), policy, 'slack');
      state = step.state;
      return step.alert;
    });
    expect(alerts[2]).toMatchObject({ kind: 'down', failingSince: minute(1), timestamp: minute(3) });
  });

  it('gives every alert an id made of notifier, endpoint, run and kind', () => {
    const step = stepNotifier(
      freshNotifierState(),
      resultAt(minute(0), D, 'API'),
      DEFAULT_ALERT_POLICY,
      'hook',
    );
    expect(step.alert?.id).toBe(`hook|API|${minute(0)}|down`);
  });
});
