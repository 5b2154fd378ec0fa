import { describe, expect, it } from 'vitest';
import { DEFAULT_ALERT_POLICY } from '../../../core/alerts/alert-policy.js';
import { type AlertState, emptyAlertState } from '../../../core/alerts/alert-state.js';
import { applyRunToAlertState } from '../../../core/alerts/apply-run-to-alert-state.js';
import type { Status } from '../../../core/result.js';
import { minute, resultAt } from '../../helpers/results.js';

/**
 * Each step is a run of one endpoint: its status, and `m` when it ran inside a maintenance
 * window. Returns the alerts of every run, as `kind@minute`, and the state at the end.
 */
function play(steps: string, policy = DEFAULT_ALERT_POLICY, start: AlertState = emptyAlertState()) {
  let state = start;
  const alerts: string[] = [];
  steps.split(' ').forEach((step, index) => {
    const status: Status = step.startsWith('d') ? 'down' : step.startsWith('g') ? 'degraded' : 'healthy';
    const extra = step.endsWith('m') ? { maintenance: 'DB upgrade' } : {};
    const applied = applyRunToAlertState(state, [resultAt(minute(index), status, 'db', extra)], {
      slack: policy,
    });
    state = applied.state;
    alerts.push(...applied.alerts.map((alert) => `${alert.kind}@${index}`));
  });
  return { alerts, state };
}

describe('alerts around a maintenance window', () => {
  it.each([
    // runs (h healthy, d down, g degraded; m: inside the window), alerts expected
    ['h hm dm dm dm h', []],
    ['h dm dm d', ['down@3']],
    ['h dm dm d d d', ['down@3']],
    // Down and announced before the window, down all through it and after: no second alert.
    ['d dm dm dm d d', ['down@0']],
    ['d dm hm hm h', ['down@0', 'recovered@4']],
    ['d dm hm hm d', ['down@0']],
    ['h gm dm h', []],
  ])('%s alerts %j', (runs, expected) => {
    expect(play(runs).alerts).toEqual(expected);
  });

  it('counts the failure threshold only outside the window', () => {
    const policy = { ...DEFAULT_ALERT_POLICY, failureThreshold: 3 };
    expect(play('h dm dm dm dm d d d', policy).alerts).toEqual(['down@7']);
  });

  it('still records the status the runs inside the window saw', () => {
    const { state } = play('h dm dm');
    expect(state.endpoints.db).toMatchObject({ status: 'down', count: 2 });
  });
});

describe('automatic incidents', () => {
  it('opens one when an endpoint goes down and resolves it on recovery', () => {
    const { state } = play('h d d h');
    expect(state.incidents).toEqual([
      {
        id: `${minute(1) / 1e6}-db-is-down`,
        title: 'db is down',
        endpoints: ['db'],
        status: 'resolved',
        source: 'auto',
        opened: minute(1) / 1e6,
        resolved: minute(3) / 1e6,
        updates: [
          { at: minute(1) / 1e6, status: 'investigating', message: 'connection refused' },
          { at: minute(3) / 1e6, status: 'resolved', message: 'Recovered after 2m0s.' },
        ],
      },
    ]);
  });

  it('opens none for a failure inside a maintenance window, or for degraded', () => {
    expect(play('h dm dm h g g h').state.incidents).toBeUndefined();
  });

  it('waits for the lowest failure threshold of the notifiers', () => {
    const policy = { ...DEFAULT_ALERT_POLICY, failureThreshold: 2 };
    expect(play('h d', policy).state.incidents).toBeUndefined();
    expect(play('h d d', policy).state.incidents?.map((incident) => incident.opened)).toEqual([
      minute(2) / 1e6,
    ]);
  });

  it('opens none while an incident written by hand covers the endpoint, and leaves that one open', () => {
    const start: AlertState = {
      ...emptyAlertState(),
      incidents: [
        {
          id: 'by-hand',
          title: 'Database migration',
          endpoints: ['db'],
          status: 'identified',
          source: 'manual',
          opened: minute(0) / 1e6,
          updates: [{ at: minute(0) / 1e6, status: 'identified', message: 'Migrating.' }],
        },
      ],
    };
    const { state } = play('d d h', DEFAULT_ALERT_POLICY, start);
    expect(state.incidents?.map((incident) => `${incident.id} ${incident.status}`)).toEqual([
      'by-hand identified',
    ]);
  });
});
