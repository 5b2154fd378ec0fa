import { describe, expect, it } from 'vitest';
import { DEFAULT_ALERT_POLICY } from '../../../core/alerts/alert-policy.js';
import { type AlertState, emptyAlertState } from '../../../core/alerts/alert-state.js';
import { applyRunToAlertState } from '../../../core/alerts/apply-run-to-alert-state.js';
import { describeAlert } from '../../../core/alerts/describe-alert.js';
import type { Status } from '../../../core/result.js';
import { minute, resultAt } from '../../helpers/results.js';

const S = 'healthy';
const D = 'down';
const G = 'degraded';

/** API and Web depend on Database; Login depends on API (so on Database through it). */
const DEPENDS_ON = { API: 'Database', Web: 'Database', Login: 'API' };
const TITLES = ['Database', 'API', 'Web', 'Login'] as const;

/**
 * Feeds one run per row (the statuses of Database, API, Web, Login) and returns each run's
 * alerts as `kind title` (with `+n` for the dependents rolled in).
 */
function alertsFor(rows: readonly (readonly Status[])[], policy = DEFAULT_ALERT_POLICY): string[][] {
  let state: AlertState = emptyAlertState();
  return rows.map((row, n) => {
    const run = row.map((status, index) => resultAt(minute(n), status, TITLES[index]));
    const step = applyRunToAlertState(state, run, { slack: policy }, DEPENDS_ON);
    state = step.state;
    return step.alerts.map(
      (alert) => `${alert.kind} ${alert.title}${alert.affected ? ` +${alert.affected.length}` : ''}`,
    );
  });
}

describe('depends_on: dependents of a down endpoint', () => {
  it.each([
    {
      name: 'hold their alerts and are counted in the parent’s (transitively)',
      rows: [
        [D, D, D, D],
        [D, D, D, D],
      ],
      expected: [['down Database +3'], []],
    },
    {
      name: 'alert when the parent recovers and they are still down',
      rows: [
        [D, D, D, S],
        [S, D, S, S],
      ],
      expected: [['down Database +2'], ['recovered Database', 'down API']],
    },
    {
      name: 'say nothing, neither down nor recovered, when they recover with or before the parent',
      rows: [
        [D, D, D, S],
        [D, S, D, S],
        [S, S, S, S],
      ],
      expected: [['down Database +2'], [], ['recovered Database']],
    },
    {
      name: 'alert as usual while the parent is up',
      rows: [
        [S, D, S, S],
        [S, S, S, S],
      ],
      expected: [['down API'], ['recovered API']],
    },
    {
      name: 'are not held by a parent that is only degraded',
      rows: [[G, D, S, S]],
      expected: [['degraded Database', 'down API']],
    },
    {
      name: 'are released down the chain: Login waits for API as long as API is down',
      rows: [
        [D, D, S, D],
        [S, D, S, D],
        [S, S, S, D],
      ],
      expected: [
        ['down Database +2'],
        ['recovered Database', 'down API +1'],
        ['recovered API', 'down Login'],
      ],
    },
    {
      name: 'keep an alert already told, and still get their recovery',
      rows: [
        [S, D, S, S],
        [D, D, S, S],
        [D, S, S, S],
      ],
      expected: [['down API'], ['down Database'], ['recovered API']],
    },
  ])('$name', ({ rows, expected }) => {
    expect(alertsFor(rows as Status[][])).toEqual(expected);
  });

  it('waits with its count for a parent confirmed by failure_threshold', () => {
    const policy = { ...DEFAULT_ALERT_POLICY, failureThreshold: 2 };
    expect(
      alertsFor(
        [
          [D, D, D, S],
          [D, D, D, S],
        ],
        policy,
      ),
    ).toEqual([[], ['down Database +2']]);
  });

  it('says in the parent’s alert how many dependents are affected, and which', () => {
    let state = emptyAlertState();
    const run = TITLES.map((title) => resultAt(minute(0), D, title));
    const step = applyRunToAlertState(state, run, { slack: DEFAULT_ALERT_POLICY }, DEPENDS_ON);
    state = step.state;
    const text = describeAlert(step.alerts[0] as never);
    expect(text.headline).toBe('Database is down; 3 dependent endpoints affected');
    expect(text.fields).toContainEqual({ label: 'Affected', value: 'API, Login, Web' });
  });

  it('gives a released alert its own id, at the run that released it', () => {
    let state = emptyAlertState();
    const alerts = [
      [resultAt(minute(0), D, 'Database'), resultAt(minute(0), D, 'API')],
      [resultAt(minute(1), S, 'Database'), resultAt(minute(1), D, 'API')],
    ].flatMap((run) => {
      const step = applyRunToAlertState(state, run, { slack: DEFAULT_ALERT_POLICY }, DEPENDS_ON);
      state = step.state;
      return step.alerts;
    });
    expect(alerts.at(-1)).toMatchObject({
      id: `slack|API|${minute(1)}|down`,
      kind: 'down',
      failingSince: minute(0),
      error: 'connection refused',
    });
    expect(state.endpoints.API?.notifiers.slack?.held).toBeUndefined();
  });

  it('releases a held alert once, though the releasing run arrives twice', () => {
    let state = emptyAlertState();
    const runs = [
      [resultAt(minute(0), D, 'Database'), resultAt(minute(0), D, 'API')],
      [resultAt(minute(1), S, 'Database'), resultAt(minute(1), D, 'API')],
      [resultAt(minute(1), S, 'Database'), resultAt(minute(1), D, 'API')],
    ];
    const kinds = runs.map((run) => {
      const step = applyRunToAlertState(state, run, { slack: DEFAULT_ALERT_POLICY }, DEPENDS_ON);
      state = step.state;
      return step.alerts.map((alert) => `${alert.kind} ${alert.title}`);
    });
    expect(kinds).toEqual([['down Database'], ['recovered Database', 'down API'], []]);
  });
});
