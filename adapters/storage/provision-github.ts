import { ConfigError } from '../../core/config/config-error.js';
import type { GithubStorageConfig } from '../../core/config/storage-schemas.js';
import { GitHubError } from './github-contents.js';
import { githubContents } from './github-storage-from-config.js';
import type { ProvisionReport } from './provision-report.js';

/**
 * A GitHub repository cannot be made for the user: checks that it exists, that the access_token
 * may push to it, and that the branch exists, so a wrong key fails here and not at the first run.
 * Each problem is a ConfigError naming the key to fix.
 */
export async function provisionGithub(config: GithubStorageConfig): Promise<ProvisionReport> {
  const contents = githubContents(config);
  const name = `${config.repository_owner}/${config.repository_name}`;
  let repository: Awaited<ReturnType<typeof contents.repository>>;
  try {
    repository = await contents.repository();
  } catch (error) {
    if (error instanceof GitHubError && error.status === 401)
      throw new ConfigError([
        { path: 'storage.access_token', message: `GitHub refused the token (HTTP 401): ${error.message}` },
      ]);
    throw error;
  }
  if (!repository)
    throw new ConfigError([
      {
        path: 'storage.repository_name',
        message: `${name} was not found at ${contents.apiUrl} (or the access_token may not see it)`,
      },
    ]);
  const notices: string[] = [];
  if (repository.permissions?.push === false)
    throw new ConfigError([
      {
        path: 'storage.access_token',
        message: `the token may read ${name} but not push to it (give it the Contents: write permission)`,
      },
    ]);
  if (repository.permissions === undefined)
    notices.push(`GitHub did not say whether the token may push to ${name}; the first store will tell`);
  const branch = config.branch || repository.default_branch;
  if (branch && !(await contents.hasBranch(branch)))
    throw new ConfigError([
      {
        path: 'storage.branch',
        message: `${name} has no branch "${branch}" (push one first: git push origin HEAD:${branch})`,
      },
    ]);
  const dir = config.dir ? `${config.dir.replace(/\/+$/, '')}/` : '';
  return {
    done: [
      `the repository ${name} exists and the token may push to it`,
      `runs are committed to ${dir}<unix-ns>-check.json on ${branch ? `the branch ${branch}` : 'the default branch'}`,
    ],
    notices,
    next: ['Store runs with "checkup --store" or "checkup every 1m"; "checkup serve" shows the page.'],
  };
}
