import { copyRecord } from '../copy-record.js';
import type { Alert } from './alert.js';
import type { EndpointAlertState } from './alert-state.js';

/** Each endpoint's parent, by title: `depends_on` of the checkers' config. */
export type DependencyMap = Readonly<Record<string, string>>;

/**
 * Applies `depends_on` to the alerts one run made, after every result of the run is in
 * `endpoints`. Pure.
 *
 * - While an ancestor (parent, its parent, ...) is down, a dependent's down or degraded alert is
 *   held in its notifier state instead of sent, and its reminders and flapping notices dropped.
 * - The ancestor's own down alert and reminders name the dependents held for that notifier
 *   (`affected`): "Database is down; 12 dependent endpoints affected".
 * - When no ancestor is down any more, a dependent still failing sends its held alert (at the
 *   newest run); one that recovered meanwhile sends nothing, neither the alert nor its recovery.
 */
export function holdDependentAlerts(
  endpoints: Readonly<Record<string, EndpointAlertState>>,
  alerts: readonly Alert[],
  dependsOn: DependencyMap,
): { endpoints: Record<string, EndpointAlertState>; alerts: Alert[] } {
  const next: Record<string, EndpointAlertState> = copyRecord(endpoints);
  const notifierState = (title: string, id: string) => next[title]?.notifiers[id];
  const setHeld = (title: string, id: string, held: Alert | undefined) => {
    const endpoint = next[title];
    const state = endpoint?.notifiers[id];
    if (!endpoint || !state) return;
    const { held: _previous, ...rest } = state;
    next[title] = {
      ...endpoint,
      notifiers: { ...endpoint.notifiers, [id]: held ? { ...rest, held } : rest },
    };
  };
  const downAncestor = (title: string): string | undefined => {
    const seen = new Set([title]);
    for (
      let parent = dependsOn[title];
      parent !== undefined && !seen.has(parent);
      parent = dependsOn[parent]
    ) {
      if (next[parent]?.status === 'down') return parent;
      seen.add(parent);
    }
    return undefined;
  };

  const kept: Alert[] = [];
  for (const alert of alerts) {
    const held = notifierState(alert.title, alert.notifierId)?.held;
    if (held && (alert.kind === 'recovered' || alert.kind === 'stable')) {
      // Its failure was never told: neither is its end.
      setHeld(alert.title, alert.notifierId, undefined);
      continue;
    }
    const announces = alert.kind === 'down' || alert.kind === 'degraded';
    if (downAncestor(alert.title) !== undefined) {
      if (announces) setHeld(alert.title, alert.notifierId, alert);
      if (alert.kind !== 'recovered' && alert.kind !== 'stable') continue;
    } else if (held && announces) {
      // Told now by its own alert: nothing left to release.
      setHeld(alert.title, alert.notifierId, undefined);
    }
    kept.push(alert);
  }

  // Dependents whose ancestors are all up again: still failing, they are told now.
  for (const [title, endpoint] of Object.entries(next)) {
    for (const [id, state] of Object.entries(endpoint.notifiers)) {
      if (!state.held || downAncestor(title) !== undefined) continue;
      const held = state.held;
      setHeld(title, id, undefined);
      if (state.announced === 'healthy') continue;
      const { affected: _affected, ...alert } = held;
      kept.push({
        ...alert,
        id: `${id}|${title}|${endpoint.lastRun}|${state.announced}`,
        kind: state.announced,
        status: endpoint.status,
        timestamp: endpoint.lastRun,
        ...(state.failingSince !== undefined ? { failingSince: state.failingSince } : {}),
      });
    }
  }

  const children = new Map<string, string[]>();
  for (const [child, parent] of Object.entries(dependsOn))
    children.set(parent, [...(children.get(parent) ?? []), child]);
  const heldBelow = (title: string, id: string): string[] => {
    const found: string[] = [];
    const seen = new Set([title]);
    const queue = [...(children.get(title) ?? [])];
    for (let child = queue.shift(); child !== undefined; child = queue.shift()) {
      if (seen.has(child)) continue;
      seen.add(child);
      if (notifierState(child, id)?.held) found.push(child);
      queue.push(...(children.get(child) ?? []));
    }
    return found.sort();
  };
  return {
    endpoints: next,
    alerts: kept.map((alert) => {
      if (alert.kind !== 'down' && alert.kind !== 'reminder') return alert;
      const affected = heldBelow(alert.title, alert.notifierId);
      return affected.length > 0 ? { ...alert, affected } : alert;
    }),
  };
}
