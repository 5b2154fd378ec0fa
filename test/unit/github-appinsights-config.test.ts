import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../core/config/config-error.js';
import { validateConfig } from '../../core/config/parse-config.js';

const github = {
  type: 'github',
  access_token: 'ghp_x',
  repository_owner: 'octo',
  repository_name: 'status',
};
const KEY = '00000000-0000-4000-8000-000000000000';

function problems(storage: unknown, use = {}): string[] {
  try {
    validateConfig({ checkers: [], storage }, use);
    return [];
  } catch (error) {
    if (error instanceof ConfigError) return error.issues.map((issue) => `${issue.path}: ${issue.message}`);
    throw error;
  }
}

describe('github and appinsights storage config', () => {
  it.each([
    [{ ...github, access_token: undefined }, 'storage.access_token: '],
    [{ ...github, repository_owner: 'octo cat' }, 'storage.repository_owner: not a GitHub account name'],
    [
      { ...github, committer_name: 'Bot' },
      'storage.committer_email: required when the other key of the pair is set',
    ],
    [{ ...github, dir: 'a/../../etc' }, 'storage.dir: must stay inside the repository'],
    [{ ...github, api_url: 'ftp://ghe.example' }, 'storage.api_url: not an http(s) URL'],
    [{ type: 'appinsights' }, 'storage.instrumentation_key: required (or connection_string)'],
    [
      { type: 'appinsights', instrumentation_key: 'abc' },
      'storage.instrumentation_key: not an instrumentation key (a GUID)',
    ],
    [
      { type: 'appinsights', connection_string: 'IngestionEndpoint=https://x/' },
      'storage.connection_string: has no InstrumentationKey=',
    ],
    [{ type: 'appinsights', instrumentation_key: KEY, max_retries: -1 }, 'storage.max_retries: '],
  ])('refuses %j, naming the key', (storage, message) => {
    expect(problems(storage).join('\n')).toContain(message);
  });

  it('accepts both, and refuses appinsights only to a command that reads runs back', () => {
    expect(
      problems({ ...github, branch: 'status', dir: 'updates', api_url: 'https://ghe.example/api/v3' }),
    ).toEqual([]);
    const sink = { type: 'appinsights', instrumentation_key: KEY };
    expect(problems(sink)).toEqual([]);
    expect(problems(sink, { reads: true })).toEqual([
      expect.stringMatching(
        /^storage\.type: "appinsights" storage only sends each run on .* use a storage that keeps runs \(fs, s3, dynamodb, github/,
      ),
    ]);
    expect(problems(github, { reads: true })).toEqual([]);
  });
});
