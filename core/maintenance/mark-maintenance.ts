import type { Result } from '../result.js';
import { activePeriods, type MaintenanceWindow } from './maintenance-window.js';

/**
 * The results with `maintenance` set to the name of the window each endpoint was in at its
 * check time (the first, when several overlap), and cleared on the others. A window naming a
 * group covers the results that carry that group (their checker's `group` when checked). Pure.
 */
export function markMaintenance(results: readonly Result[], windows: readonly MaintenanceWindow[]): Result[] {
  return results.map((result) => {
    const [period] = activePeriods(windows, result, Math.floor(result.timestamp / 1e6));
    const { maintenance: _, ...rest } = result;
    return period ? { ...rest, maintenance: period.name } : rest;
  });
}
