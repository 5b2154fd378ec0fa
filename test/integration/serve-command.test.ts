import { mkdir, readdir, writeFile } from 'node:fs/promises';
import http from 'node:http';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { generateSummary } from '../helpers/generate-summary.js';
import { result } from '../helpers/make-runs.js';
import { runCli, startCli } from '../helpers/run-cli.js';
import { S3RVER_CREDENTIALS, startS3rver } from '../helpers/s3rver.js';
import { startHttpServer } from '../helpers/servers.js';
import { type RunningServe, startServe } from '../helpers/start-serve.js';
import { makeProject, makeTempDir, removeTempDirs } from '../helpers/temp-dir.js';

const running: RunningServe[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((serve) => serve.stop()));
  await removeTempDirs();
});

async function serveWithData(config: Record<string, unknown> = {}, args: readonly string[] = []) {
  const serve = await startServe(await makeTempDir(), config, args);
  running.push(serve);
  const summary = generateSummary({ endpoints: 3 });
  await writeFile(path.join(serve.dataDir, 'summary.json'), JSON.stringify(summary));
  const run = summary.recentRuns[0] as string;
  await writeFile(path.join(serve.dataDir, run), JSON.stringify([result('x', Number(run.split('-')[0]))]));
  return { serve, summary };
}

/** A raw GET, path sent exactly as given (fetch would normalise `..` away). */
function rawGet(url: string, pathname: string, headers: http.OutgoingHttpHeaders = {}, method = 'GET') {
  const { hostname, port } = new URL(url);
  return new Promise<{ status: number; headers: http.IncomingHttpHeaders; body: Buffer }>(
    (resolve, reject) => {
      const request = http.request({ hostname, port, path: pathname, method, headers }, (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () =>
          resolve({
            status: response.statusCode ?? 0,
            headers: response.headers,
            body: Buffer.concat(chunks),
          }),
        );
      });
      request.on('error', reject);
      request.end();
    },
  );
}

describe('checkup serve', () => {
  it('serves the page and /data with content types and cache headers that fit each', async () => {
    const { serve, summary } = await serveWithData({
      status_page: { title: 'Ours', refresh_interval: '30s' },
    });
    const cases = [
      ['/', 'text/html; charset=utf-8', 'no-cache'],
      ['/app.js', 'text/javascript; charset=utf-8', 'no-cache'],
      ['/app-style.css', 'text/css; charset=utf-8', 'no-cache'],
      ['/data/summary.json', 'application/json; charset=utf-8', 'no-cache'],
      ['/data/page.json', 'application/json; charset=utf-8', 'no-cache'],
      [
        `/data/runs/${summary.recentRuns[0]}`,
        'application/json; charset=utf-8',
        'public, max-age=31536000, immutable',
      ],
    ] as const;
    for (const [pathname, type, cache] of cases) {
      const response = await rawGet(serve.url, pathname);
      expect({
        pathname,
        status: response.status,
        type: response.headers['content-type'],
        cache: response.headers['cache-control'],
      }).toEqual({ pathname, status: 200, type, cache });
      expect(response.headers['content-security-policy']).toContain("script-src 'self'");
      expect(response.headers['x-content-type-options']).toBe('nosniff');
    }
    const page = JSON.parse((await rawGet(serve.url, '/data/page.json')).body.toString()) as Record<
      string,
      unknown
    >;
    expect(page).toMatchObject({
      title: 'Ours',
      refreshMs: 30_000,
      banners: { healthy: 'Situation Normal' },
    });
  });

  it('compresses the summary for clients that accept gzip and answers 304 to a matching ETag', async () => {
    const { serve, summary } = await serveWithData();
    const zipped = await rawGet(serve.url, '/data/summary.json', { 'accept-encoding': 'gzip, br' });
    expect(zipped.headers['content-encoding']).toBe('gzip');
    expect(JSON.parse(gunzipSync(zipped.body).toString())).toEqual(summary);
    const again = await rawGet(serve.url, '/data/summary.json', {
      'if-none-match': zipped.headers.etag as string,
    });
    expect(again.status).toBe(304);
    expect(again.body.length).toBe(0);
  });

  it('reaches no file outside the page and the run files, whatever the path', async () => {
    const { serve } = await serveWithData();
    await writeFile(path.join(serve.dataDir, 'secret.json'), '{"secret": "hunter2"}');
    const attempts = [
      '/../checkup.json',
      '/%2e%2e/checkup.json',
      '/..%2fcheckup.json',
      '/data/../checkup.json',
      '/data/runs/../../checkup.json',
      '/data/runs/..%2F..%2Fcheckup.json',
      '/data/runs/..%2Fsecret.json',
      '/data/secret.json',
      '/data/runs/secret.json',
      '/data/runs/1-check.json%00.json',
      '/data/badge/..%2F..%2Fcheckup.svg',
      '/checks/secret.json',
      '/%5c..%5ccheckup.json',
      '/index.html/../../checkup.json',
    ];
    for (const attempt of attempts) {
      const response = await rawGet(serve.url, attempt);
      expect([400, 404], attempt).toContain(response.status);
      expect(response.body.toString(), attempt).not.toMatch(/hunter2|checkers/);
    }
  });

  it('answers 404 to a run name too long to be a time, as to any run that is not there', async () => {
    const { serve } = await serveWithData();
    for (const digits of ['9'.repeat(300), '1'.repeat(21), '0'.repeat(5000)]) {
      const response = await rawGet(serve.url, `/data/runs/${digits}-check.json`);
      expect(response.status, digits.slice(0, 30)).toBe(404);
    }
  });

  it('refuses methods other than GET and HEAD', async () => {
    const { serve } = await serveWithData();
    const response = await rawGet(serve.url, '/data/summary.json', {}, 'POST');
    expect(response.status).toBe(405);
    expect(response.headers.allow).toBe('GET, HEAD');
  });

  it('draws an SVG status badge per endpoint and answers 404 for unknown names', async () => {
    const { serve } = await serveWithData();
    const down = await rawGet(serve.url, `/data/badge/${encodeURIComponent('Service 01 API')}.svg`);
    expect(down.status).toBe(200);
    expect(down.headers['content-type']).toBe('image/svg+xml; charset=utf-8');
    expect(down.body.toString()).toContain('>down</text>');
    expect(down.body.toString()).toContain('Service 01 API');
    const healthy = await rawGet(serve.url, `/data/badge/${encodeURIComponent('Service 03 Login')}.svg`);
    expect(healthy.body.toString()).toContain('>up</text>');
    expect((await rawGet(serve.url, '/data/badge/nobody.svg')).status).toBe(404);
  });

  it('checks and stores at the --every interval while serving, and serves the new runs', async () => {
    const target = await startHttpServer((_request, response) => response.end('ok'));
    try {
      const serve = await startServe(
        await makeTempDir(),
        { checkers: [{ type: 'http', endpoint_name: 'Local', endpoint_url: target.url }] },
        ['--every', '1s'],
      );
      running.push(serve);
      let runs: string[] = [];
      for (let i = 0; i < 100 && runs.length < 2; i += 1) {
        await new Promise((resolve) => setTimeout(resolve, 200));
        runs = (await readdir(serve.dataDir)).filter((name) => name.endsWith('-check.json'));
      }
      expect(runs.length).toBeGreaterThanOrEqual(2);
      const run = await rawGet(serve.url, `/data/runs/${runs[0]}`);
      expect(run.status).toBe(200);
      expect(JSON.parse(run.body.toString())[0]).toMatchObject({ title: 'Local', healthy: true });
    } finally {
      await target.close();
    }
  });

  it('loads the config once with --every, so its notices print once', async () => {
    const dir = await makeTempDir();
    await mkdir(path.join(dir, 'checks'));
    // `url` has no effect on fs storage: loading the config prints one notice.
    const storage = { type: 'fs', dir: 'checks', url: 'https://status.example.com/' };
    const target = await startHttpServer((_request, response) => response.end('ok'));
    const checkers = [{ type: 'http', endpoint_name: 'Local', endpoint_url: target.url }];
    await writeFile(path.join(dir, 'checkup.json'), JSON.stringify({ checkers, storage }));
    const { child, outcome } = startCli(['serve', '--listen', '127.0.0.1:0', '--every', '1s'], dir);
    let stderr = '';
    await new Promise<void>((resolve) => {
      child.stderr?.on('data', (chunk) => {
        stderr += chunk;
        if (/ stored \d+-check\.json/.test(stderr)) resolve();
      });
      child.once('exit', () => resolve());
    });
    child.kill('SIGINT');
    const { stderr: all } = await outcome;
    await target.close();
    expect(all).toMatch(/ stored \d+-check\.json/);
    expect(all.match(/^checkup: notice: .*storage\.url/gm)).toHaveLength(1);
  });

  it("leaves the writers' bookkeeping out of /data/summary.json", async () => {
    const { serve, summary } = await serveWithData();
    const withWriter = {
      ...summary,
      writer: { appliedSince: '1', applied: [], open: { a: { 'd:2026-11-24': { '10': 3 } } } },
    };
    await writeFile(path.join(serve.dataDir, 'summary.json'), JSON.stringify(withWriter));
    const served = JSON.parse((await rawGet(serve.url, '/data/summary.json')).body.toString()) as Record<
      string,
      unknown
    >;
    expect(served).toEqual(summary);
    expect(served).not.toHaveProperty('writer');
  });

  // The whole summary from S3 is the root, the states and each block's closed days and hours.
  it('serves /data from S3 storage as well (s3rver), with 404 for a run that is not there', {
    timeout: 60_000,
  }, async () => {
    const s3 = await startS3rver(['status']);
    const target = await startHttpServer((_request, response) => response.end('ok'));
    try {
      const storage = {
        type: 's3',
        bucket: 'status',
        region: 'us-east-1',
        endpoint: s3.endpoint,
        force_path_style: true,
        access_key_id: S3RVER_CREDENTIALS.accessKeyId,
        secret_access_key: S3RVER_CREDENTIALS.secretAccessKey,
      };
      const serve = await startServe(
        await makeTempDir(),
        { storage, checkers: [{ type: 'http', endpoint_name: 'Local', endpoint_url: target.url }] },
        ['--every', '1s'],
      );
      running.push(serve);
      let summary: { endpoints?: Array<{ title: string; status: string }>; recentRuns?: string[] } = {};
      for (let i = 0; i < 100 && !summary.recentRuns?.length; i += 1) {
        await new Promise((resolve) => setTimeout(resolve, 200));
        const response = await rawGet(serve.url, '/data/summary.json');
        if (response.status === 200) summary = JSON.parse(response.body.toString());
      }
      expect(summary.endpoints).toEqual([expect.objectContaining({ title: 'Local', status: 'healthy' })]);
      const run = await rawGet(serve.url, `/data/runs/${summary.recentRuns?.[0]}`);
      expect(run.status).toBe(200);
      expect(JSON.parse(run.body.toString())[0]).toMatchObject({ title: 'Local', healthy: true });
      expect((await rawGet(serve.url, '/data/runs/1-check.json')).status).toBe(404);
    } finally {
      await target.close();
      await s3.close();
    }
  });

  it('tells the page the check interval it runs with --every, for the stale notice', async () => {
    const target = await startHttpServer((_request, response) => response.end('ok'));
    try {
      const serve = await startServe(
        await makeTempDir(),
        { checkers: [{ type: 'http', endpoint_name: 'Local', endpoint_url: target.url }] },
        ['--every', '30s'],
      );
      running.push(serve);
      const page = JSON.parse((await rawGet(serve.url, '/data/page.json')).body.toString()) as Record<
        string,
        unknown
      >;
      expect(page.staleAfterMs).toBe(120_000);
    } finally {
      await target.close();
    }
  });

  it('rejects an address or interval it cannot use with exit status 2', async () => {
    const dir = await makeProject({ checkers: [] });
    const outcome = await runCli(['serve', '--listen', 'nowhere'], dir);
    expect(outcome.code).toBe(2);
    expect(outcome.stderr).toContain('serve --listen: not an address: "nowhere"');
    const every = await runCli(['serve', '--every', 'sometimes'], dir);
    expect(every.code).toBe(2);
    expect(every.stderr).toContain('serve --every: not an interval: "sometimes"');
  });
});
