import type { GithubStorageConfig } from '../../core/config/storage-schemas.js';
import { GitHubAlertStateStore } from '../alerts/github-alert-state-store.js';
import { GitHubContents } from './github-contents.js';
import { DEFAULT_COMMIT_MESSAGE_SUFFIX, GitHubStorage } from './github-storage.js';

/** The contents API client a github storage config describes. */
export function githubContents(config: GithubStorageConfig): GitHubContents {
  return new GitHubContents({
    token: config.access_token,
    owner: config.repository_owner,
    repo: config.repository_name,
    branch: config.branch,
    apiUrl: config.api_url,
  });
}

function committerOf(config: GithubStorageConfig) {
  return config.committer_name !== undefined && config.committer_email !== undefined
    ? { name: config.committer_name, email: config.committer_email }
    : undefined;
}

/** GitHub storage as checkup.json describes it. */
export function createGithubStorage(config: GithubStorageConfig): GitHubStorage {
  return new GitHubStorage({
    contents: githubContents(config),
    dir: config.dir,
    committer: committerOf(config),
    commitMessageSuffix: config.commit_message_suffix,
    checkExpiryNs: config.check_expiry,
  });
}

/** The alert state committed beside the runs: `<dir>/alert-state.json`. */
export function createGithubAlertStateStore(config: GithubStorageConfig): GitHubAlertStateStore {
  const dir = (config.dir ?? '').replace(/^\/+|\/+$/g, '');
  return new GitHubAlertStateStore({
    contents: githubContents(config),
    path: dir ? `${dir}/alert-state.json` : 'alert-state.json',
    committer: committerOf(config),
    commitMessageSuffix: config.commit_message_suffix || DEFAULT_COMMIT_MESSAGE_SUFFIX,
  });
}
