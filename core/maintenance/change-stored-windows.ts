import { incidentId } from '../incidents/incident.js';
import type { MaintenanceWindow } from './maintenance-window.js';

/** Stored windows ended this long ago are dropped (the page shows 90 days of history). */
const KEEP_MS = 90 * 86_400_000;

/** The stored windows with one started by hand added (an id given), old ones dropped. Pure. */
export function addStoredWindow(
  windows: readonly MaintenanceWindow[],
  window: Omit<MaintenanceWindow, 'id'> & { start: number },
  nowMs: number,
): { windows: MaintenanceWindow[]; added: MaintenanceWindow } {
  const kept = windows.filter((stored) => (stored.start ?? 0) + stored.durationMs > nowMs - KEEP_MS);
  let id = incidentId(window.start, window.name);
  for (let n = 2; kept.some((stored) => stored.id === id); n++)
    id = `${incidentId(window.start, window.name)}-${n}`;
  const added = { ...window, id };
  return { windows: [...kept, added], added };
}

/**
 * The stored windows with those named `nameOrId` ended at `nowMs`: one under way is cut short,
 * one not begun is removed. `ended` lists what changed (empty: nothing current or upcoming matched).
 */
export function endStoredWindows(
  windows: readonly MaintenanceWindow[],
  nameOrId: string,
  nowMs: number,
): { windows: MaintenanceWindow[]; ended: MaintenanceWindow[] } {
  const ended: MaintenanceWindow[] = [];
  const next = windows.flatMap((window) => {
    const start = window.start ?? 0;
    const matches = window.id === nameOrId || window.name === nameOrId;
    if (!matches || start + window.durationMs <= nowMs) return [window];
    ended.push(window);
    return start >= nowMs ? [] : [{ ...window, durationMs: nowMs - start }];
  });
  return { windows: next, ended };
}
