import type { AlertState } from './alert-state.js';

/** The alert state and the version it was read at (undefined: nothing stored yet). */
export interface VersionedAlertState {
  state: AlertState;
  version: string | undefined;
}

/**
 * Where the alert state lives (a file beside fs runs, an S3 object, a DynamoDB item). Writers
 * never overwrite each other: `save` succeeds only when the stored version is still the one read,
 * so a caller that loses a race re-reads, re-applies and tries again.
 */
export interface AlertStateStore {
  load(): Promise<VersionedAlertState>;
  /**
   * Saves `state` when the stored version is still `expectedVersion` (undefined: when nothing is
   * stored yet), resolving to the new version. Rejects with AlertStateConflictError otherwise.
   */
  save(state: AlertState, expectedVersion: string | undefined): Promise<string>;
}

/** Someone else saved the alert state since it was read. */
export class AlertStateConflictError extends Error {
  override readonly name = 'AlertStateConflictError';
}
