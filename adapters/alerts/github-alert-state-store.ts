import { type AlertState, emptyAlertState } from '../../core/alerts/alert-state.js';
import {
  AlertStateConflictError,
  type AlertStateStore,
  type VersionedAlertState,
} from '../../core/alerts/alert-state-store.js';
import { parseAlertState } from '../../core/alerts/parse-alert-state.js';
import type { Committer, GitHubContents } from '../storage/github-contents.js';

export interface GitHubAlertStateStoreOptions {
  contents: GitHubContents;
  /** The file's path in the repository (`<dir>/alert-state.json`, beside the runs). */
  path: string;
  committer?: Committer | undefined;
  commitMessageSuffix: string;
}

/**
 * The alert state as one file committed beside the runs. Its blob sha is the version: a save names
 * it, so GitHub refuses (409) a save over a state someone else saved since it was read.
 */
export class GitHubAlertStateStore implements AlertStateStore {
  readonly #options: GitHubAlertStateStoreOptions;

  constructor(options: GitHubAlertStateStoreOptions) {
    this.#options = options;
  }

  async load(): Promise<VersionedAlertState> {
    const { contents, path } = this.#options;
    const file = await contents.readFile(path);
    if (!file) return { state: emptyAlertState(), version: undefined };
    return {
      state: parseAlertState(file.text, `github:${contents.owner}/${contents.repo}/${path}`),
      version: file.sha,
    };
  }

  async save(state: AlertState, expectedVersion: string | undefined): Promise<string> {
    const { contents, path, committer, commitMessageSuffix } = this.#options;
    const sha = await contents.writeFile(
      path,
      JSON.stringify(state),
      expectedVersion,
      `[checkup] store ${path} ${commitMessageSuffix}`,
      committer,
    );
    if (sha === 'conflict')
      throw new AlertStateConflictError(`alert state changed since version ${expectedVersion ?? 'none'}`);
    return sha;
  }
}
