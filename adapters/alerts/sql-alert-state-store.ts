import type { AlertState } from '../../core/alerts/alert-state.js';
import { emptyAlertState } from '../../core/alerts/alert-state.js';
import {
  AlertStateConflictError,
  type AlertStateStore,
  type VersionedAlertState,
} from '../../core/alerts/alert-state-store.js';
import { parseAlertState } from '../../core/alerts/parse-alert-state.js';
import { RESULTS_LAYOUT } from '../../core/results-layout.js';
import type { SqlDocuments } from '../sql/sql-documents.js';

/** The alert state's name in the documents table: the name it has beside fs and S3 runs. */
export const SQL_ALERT_STATE_DOCUMENT = RESULTS_LAYOUT.alertStateName;

/**
 * The alert state as one row of the documents table, saved by compare-and-swap on its version,
 * so two `checkup every` loops storing into one database never lose each other's changes.
 */
export class SqlAlertStateStore implements AlertStateStore {
  readonly #documents: SqlDocuments;

  constructor(documents: SqlDocuments) {
    this.#documents = documents;
  }

  async load(): Promise<VersionedAlertState> {
    const stored = await this.#documents.read(SQL_ALERT_STATE_DOCUMENT);
    if (!stored) return { state: emptyAlertState(), version: undefined };
    return {
      state: parseAlertState(stored.body, this.#documents.where(SQL_ALERT_STATE_DOCUMENT)),
      version: stored.version,
    };
  }

  async save(state: AlertState, expectedVersion: string | undefined): Promise<string> {
    const version = await this.#documents.write(
      SQL_ALERT_STATE_DOCUMENT,
      JSON.stringify(state),
      expectedVersion,
    );
    if (version === undefined)
      throw new AlertStateConflictError(`alert state changed since version ${expectedVersion ?? 'none'}`);
    return version;
  }
}
