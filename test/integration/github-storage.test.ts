import { readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { GitHubAlertStateStore } from '../../adapters/alerts/github-alert-state-store.js';
import { GitHubContents } from '../../adapters/storage/github-contents.js';
import { GitHubStorage, type GitHubStorageOptions } from '../../adapters/storage/github-storage.js';
import { provisionGithub } from '../../adapters/storage/provision-github.js';
import { emptyAlertState } from '../../core/alerts/alert-state.js';
import { AlertStateConflictError } from '../../core/alerts/alert-state-store.js';
import { ConfigError } from '../../core/config/config-error.js';
import { type GitHubStandIn, startGitHubStandIn } from '../helpers/github-contents-server.js';
import { minute, resultAt } from '../helpers/results.js';
import { runCli } from '../helpers/run-cli.js';
import { makeTempDir, removeTempDirs } from '../helpers/temp-dir.js';

const TOKEN = 'ghp_S3cr3tT0kenThatMustNeverBePrinted0001';
const FIXTURES = fileURLToPath(new URL('../fixtures/checkup-go-fs/', import.meta.url));

let servers: GitHubStandIn[] = [];
afterEach(async () => {
  await Promise.all(servers.map((server) => server.close()));
  servers = [];
  await removeTempDirs();
});

async function standIn(options: Partial<Parameters<typeof startGitHubStandIn>[0]> = {}) {
  const server = await startGitHubStandIn({ token: TOKEN, ...options });
  servers.push(server);
  return server;
}

function storageOn(server: GitHubStandIn, options: Partial<GitHubStorageOptions> & { branch?: string } = {}) {
  const { branch, ...rest } = options;
  return new GitHubStorage({
    contents: new GitHubContents({
      token: TOKEN,
      owner: 'octo',
      repo: 'status',
      branch: branch ?? 'main',
      apiUrl: server.apiUrl,
      backoffMs: () => 1,
    }),
    dir: 'checks',
    committer: { name: 'Status Bot', email: 'bot@example.com' },
    warn: () => {},
    ...rest,
  });
}

describe('github storage', () => {
  it('commits a run file and index.json as checkup does, and reads them back', async () => {
    const server = await standIn({ branches: ['main', 'status'] });
    const storage = storageOn(server, { branch: 'status' });
    const ref = await storage.store([resultAt(minute(1), 'healthy'), resultAt(minute(1), 'down', 'API')]);

    expect(ref.name).toBe(`${BigInt(minute(1))}-check.json`);
    const files = server.files('status');
    expect(JSON.parse(files.get(`checks/${ref.name}`) ?? '')).toHaveLength(2);
    expect(files.get('checks/index.json')).toBe(`{"${ref.name}":${BigInt(minute(1))}}`);
    expect(server.files('main').size).toBe(0);
    expect(server.commits.slice(0, 2)).toEqual([
      {
        message: `[checkup] store checks/${ref.name} [ci skip]`,
        committer: { name: 'Status Bot', email: 'bot@example.com' },
        branch: 'status',
        path: `checks/${ref.name}`,
      },
      expect.objectContaining({ message: '[checkup] store checks/index.json [ci skip]', branch: 'status' }),
    ]);
    for (const call of server.calls) expect(call.authorization).toBe(`Bearer ${TOKEN}`);
    expect(
      server.calls.filter((call) => call.method === 'GET').every((call) => call.query.ref === 'status'),
    ).toBe(true);

    expect(await storage.list()).toEqual([{ name: ref.name, timestamp: minute(1) }]);
    expect((await storage.read(ref.name)).map((result) => result.title)).toEqual(['Site', 'API']);
    expect((await storage.history('API')).map((result) => result.down)).toEqual([true]);
    const summary = await storage.readSummary();
    expect(summary?.endpoints.map((endpoint) => endpoint.title).sort()).toEqual(['API', 'Site']);
    expect(files.has('checks/summary.json')).toBe(true);
  });

  it('uses commit_message_suffix and the repository root when dir is empty', async () => {
    const server = await standIn();
    const storage = storageOn(server, { dir: '', commitMessageSuffix: '[skip actions]', summaries: false });
    const ref = await storage.store([resultAt(minute(2), 'healthy')]);
    expect([...server.files().keys()].sort()).toEqual([ref.name, 'index.json']);
    expect(server.commits.map((commit) => commit.message)).toEqual([
      `[checkup] store ${ref.name} [skip actions]`,
      '[checkup] store index.json [skip actions]',
    ]);
  });

  it('makes twelve requests and six commits for a store no one races (docs/storage.md)', async () => {
    const server = await standIn();
    const storage = storageOn(server);
    await storage.store([resultAt(minute(1), 'healthy')]);
    const before = server.calls.length;
    await storage.store([resultAt(minute(2), 'healthy')]);
    // The run; the index (read, committed); the summary (root) read; the index read for the runs
    // to apply; the segment state read; the overview and the segment's open hours read for their
    // sha, then committed; the segment's new state committed; the root. The current hour's
    // buckets are in the open hours: no recent hour is committed until the hour closes.
    expect(server.calls.slice(before).map((call) => call.method)).toEqual([
      'PUT',
      'GET',
      'PUT',
      'GET',
      'GET',
      'GET',
      'GET',
      'GET',
      'PUT',
      'PUT',
      'PUT',
      'PUT',
    ]);
  });

  it('reads the index and run files checkup itself wrote, and keeps its entries when adding', async () => {
    const server = await standIn();
    for (const name of await readdir(FIXTURES))
      server.put(`checks/${name}`, await readFile(path.join(FIXTURES, name), 'utf8'));
    const storage = storageOn(server);
    const runs = await storage.list();
    expect(runs.map((run) => run.name)).toEqual([
      '1796011988992071555-check.json',
      '1796011990423503353-check.json',
    ]);
    expect((await storage.read(runs[0]?.name as string))[0]).toMatchObject({
      title: 'Website',
      healthy: true,
    });

    const ref = await storage.store([resultAt(1796011999000000000, 'healthy')]);
    const index = server.files().get('checks/index.json') ?? '';
    expect(index).toContain('"1796011988992071555-check.json":1796011988992071555');
    expect(index).toContain(`"${ref.name}":1796011999000000000`);
    expect((await storage.list()).length).toBe(3);
  });

  it('loses no run when writers race: a stale sha is answered 409 and merged again', async () => {
    const server = await standIn();
    const writers = Array.from({ length: 6 }, () => storageOn(server));
    await Promise.all(
      writers.map(async (writer, w) => {
        for (let i = 0; i < 3; i += 1) await writer.store([resultAt(minute(10 + i * 10 + w), 'healthy')]);
      }),
    );
    const index = JSON.parse(server.files().get('checks/index.json') ?? '{}') as Record<string, number>;
    expect(Object.keys(index)).toHaveLength(18);
    const runFiles = [...server.files().keys()].filter((key) => key.endsWith('-check.json'));
    expect(runFiles).toHaveLength(18);
    // The race happened: stale shas were refused and retried.
    expect(server.calls.filter((call) => call.status === 409).length).toBeGreaterThan(0);
    const summary = await storageOn(server).readSummary();
    expect([...(summary?.recentRuns ?? [])].sort()).toEqual(
      runFiles.map((key) => key.slice('checks/'.length)).sort(),
    );
  });

  it('gives a run a name of its own when another run took its nanosecond', async () => {
    const server = await standIn();
    const [a, b] = await Promise.all([
      storageOn(server, { summaries: false }).store([resultAt(minute(3), 'healthy')]),
      storageOn(server, { summaries: false }).store([resultAt(minute(3), 'down')]),
    ]);
    expect(new Set([a?.name, b?.name]).size).toBe(2);
    expect(Object.keys(JSON.parse(server.files().get('checks/index.json') ?? '{}'))).toHaveLength(2);
  });

  it('tries a write again when GitHub answers 409 because the branch moved or 502', async () => {
    const server = await standIn();
    server.failNext('PUT', 409, '{"message":"is at abc but expected def"}');
    server.failNext('GET', 502, 'bad gateway');
    const ref = await storageOn(server, { summaries: false }).store([resultAt(minute(4), 'healthy')]);
    expect(server.files().has(`checks/${ref.name}`)).toBe(true);
    expect(server.files().get('checks/index.json')).toContain(ref.name);
  });

  it('stores a run once when a commit went through but its answer was lost (a 502 after the write)', async () => {
    const server = await standIn();
    server.failAfter('PUT', 502, '{"message":"Server Error"}');
    const ref = await storageOn(server, { summaries: false }).store([resultAt(minute(6), 'healthy')]);
    expect(ref.name).toBe(`${BigInt(minute(6))}-check.json`);
    expect([...server.files().keys()].filter((key) => key.endsWith('-check.json'))).toEqual([
      `checks/${ref.name}`,
    ]);
  });

  it('deletes runs past check_expiry from the repository and the index', async () => {
    const server = await standIn();
    let now = minute(0);
    const storage = storageOn(server, { checkExpiryNs: 30 * 60e9, now: () => now, summaries: false });
    for (const at of [1, 2, 40]) {
      now = minute(at);
      await storage.store([resultAt(minute(at), 'healthy')]);
    }
    expect((await storage.list()).map((run) => run.timestamp)).toEqual([minute(40)]);
    expect([...server.files().keys()].filter((key) => key.endsWith('-check.json'))).toEqual([
      `checks/${BigInt(minute(40))}-check.json`,
    ]);
    expect(server.commits.filter((commit) => commit.message.startsWith('[checkup] delete '))).toHaveLength(2);
  });

  it('reads an index past the contents API inline limit through the blob API', async () => {
    const server = await standIn({ inlineLimit: 200 });
    const storage = storageOn(server, { summaries: false });
    for (let at = 0; at < 6; at += 1) await storage.store([resultAt(minute(at), 'healthy')]);
    expect((await storage.list()).length).toBe(6);
    expect(server.calls.some((call) => call.path.includes('/git/blobs/'))).toBe(true);
  });

  it('talks to GitHub Enterprise Server under /api/v3', async () => {
    const server = await standIn({ basePath: '/api/v3' });
    expect(server.apiUrl).toMatch(/\/api\/v3$/);
    await storageOn(server, { summaries: false }).store([resultAt(minute(5), 'healthy')]);
    expect(
      server.calls.every((call) => (call.status >= 200 && call.status < 300) || call.status === 404),
    ).toBe(true);
    expect(server.files().get('checks/index.json')).toContain('-check.json');
  });

  it('never puts the token in an error, even when GitHub quotes it back', async () => {
    const server = await standIn();
    server.failNext('GET', 500, JSON.stringify({ message: `broken for ${TOKEN}` }), 4);
    const error = await storageOn(server)
      .list()
      .catch((caught: Error) => caught);
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).toContain('HTTP 500');
    expect((error as Error).message).not.toContain(TOKEN);
    expect((error as Error).message).toContain('***');

    const wrong = new GitHubStorage({
      contents: new GitHubContents({ token: 'wrong', owner: 'octo', repo: 'status', apiUrl: server.apiUrl }),
    });
    await expect(wrong.list()).rejects.toThrow(/HTTP 401, the access_token was refused: Bad credentials/);
  });

  it('keeps the alert state beside the runs, refusing a save over a newer one', async () => {
    const server = await standIn();
    const contents = new GitHubContents({
      token: TOKEN,
      owner: 'octo',
      repo: 'status',
      apiUrl: server.apiUrl,
    });
    const store = new GitHubAlertStateStore({
      contents,
      path: 'checks/alert-state.json',
      commitMessageSuffix: '[ci skip]',
    });
    const first = await store.load();
    expect(first.version).toBeUndefined();
    const version = await store.save(emptyAlertState(), undefined);
    await expect(store.save(emptyAlertState(), undefined)).rejects.toBeInstanceOf(AlertStateConflictError);
    expect((await store.load()).version).toBe(version);
  });
});

describe('github provision', () => {
  const config = (server: GitHubStandIn, extra: Record<string, unknown> = {}) => ({
    type: 'github' as const,
    access_token: TOKEN,
    repository_owner: 'octo',
    repository_name: 'status',
    api_url: server.apiUrl,
    ...extra,
  });

  it('checks the repository, the push permission and the branch', async () => {
    const server = await standIn({ branches: ['main', 'status'] });
    const report = await provisionGithub(config(server, { branch: 'status', dir: 'checks' }));
    expect(report.done.join('\n')).toContain('octo/status exists and the token may push to it');
    expect(report.done.join('\n')).toContain('checks/<unix-ns>-check.json on the branch status');
  });

  it.each([
    [{ branch: 'gh-pages' }, {}, 'storage.branch', 'no branch "gh-pages"'],
    [{ repository_name: 'other' }, {}, 'storage.repository_name', 'octo/other was not found'],
    [{ access_token: 'wrong' }, {}, 'storage.access_token', 'refused the token'],
    [{}, { readOnly: true }, 'storage.access_token', 'may read octo/status but not push'],
  ])('refuses %j (%j) naming %s', async (extra, serverOptions, place, words) => {
    const server = await standIn(serverOptions);
    const error = await provisionGithub(config(server, extra)).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).issues[0]).toMatchObject({
      path: place,
      message: expect.stringContaining(words),
    });
    expect((error as ConfigError).message).not.toContain(TOKEN);
  });
});

describe('github storage through the built checkup', () => {
  it('stores, reads history and provisions, never printing the token', async () => {
    const server = await standIn({ branches: ['main', 'status'] });
    const dir = await makeTempDir();
    const site = await import('../helpers/servers.js').then(({ startHttpServer }) =>
      startHttpServer((_request, response) => response.end('ok')),
    );
    try {
      const storage = {
        type: 'github',
        access_token: TOKEN,
        repository_owner: 'octo',
        repository_name: 'status',
        committer_name: 'Status Bot',
        committer_email: 'bot@example.com',
        branch: 'status',
        dir: 'updates',
        api_url: server.apiUrl,
      };
      await writeFile(
        path.join(dir, 'checkup.json'),
        JSON.stringify({
          checkers: [{ type: 'http', endpoint_name: 'Site', endpoint_url: site.url }],
          storage,
        }),
      );
      const provision = await runCli(['provision'], dir);
      expect(provision.code).toBe(0);
      expect(provision.stdout).toContain('octo/status exists');

      const stored = await runCli(['--store'], dir);
      expect(stored.code).toBe(0);
      const keys = [...server.files('status').keys()].sort();
      expect(keys).toEqual([
        expect.stringMatching(/^updates\/\d{19}-check\.json$/),
        // Kept with no notifier too: automatic incidents follow it (alerts.md).
        'updates/alert-state.json',
        'updates/history/0.json',
        'updates/index.json',
        'updates/overview.json',
        'updates/recent/open-0.json',
        expect.stringMatching(/^updates\/state\/0-[0-9a-f]+\.json$/),
        'updates/summary.json',
      ]);

      const history = await runCli(['history', 'Site'], dir);
      expect(history.code).toBe(0);
      expect(history.stdout).toMatch(/healthy/);

      await writeFile(
        path.join(dir, 'checkup.json'),
        JSON.stringify({
          checkers: [{ type: 'http', endpoint_name: 'Site', endpoint_url: site.url }],
          storage: { ...storage, branch: 'nope' },
        }),
      );
      const refused = await runCli(['provision'], dir);
      expect(refused.code).toBe(2);
      expect(refused.stderr).toContain('storage.branch');
      for (const outcome of [provision, stored, history, refused]) {
        expect(outcome.stdout + outcome.stderr).not.toContain(TOKEN);
      }
      expect(server.files('status').get('updates/summary.json')).not.toContain(TOKEN);
    } finally {
      await site.close();
    }
  });
});
