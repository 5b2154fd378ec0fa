import type http from 'node:http';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createChecker } from '../../core/checkers/create-checker.js';
import { validateConfig } from '../../core/config/parse-config.js';
import { statusOf } from '../../core/result.js';
import { makeCa, makeLeaf, type TestCertificate } from '../helpers/certificates.js';
import { startHttpsServer } from '../helpers/https-server.js';
import { type RunningServer, startHttpServer } from '../helpers/servers.js';

let server: RunningServer;
let other: RunningServer;
const tlsServers: RunningServer[] = [];

function route(request: http.IncomingMessage, response: http.ServerResponse) {
  const url = new URL(request.url ?? '/', 'http://x');
  const chunks: Buffer[] = [];
  request.on('data', (chunk: Buffer) => chunks.push(chunk));
  request.on('end', () => {
    const body = Buffer.concat(chunks).toString('utf8');
    const status = /^\/status\/(\d+)$/.exec(url.pathname);
    if (status) return response.writeHead(Number(status[1])).end();
    switch (url.pathname) {
      case '/ok':
        return response.end('hello world, version 2.4.1');
      case '/echo':
        response.setHeader('content-type', 'application/json');
        return response.end(JSON.stringify({ method: request.method, body, headers: request.headers }));
      case '/health':
        response.setHeader('content-type', 'application/json');
        return response.end(JSON.stringify({ status: 'ok', checks: [{ name: 'db', latency_ms: 12 }] }));
      case '/redirect':
        return response.writeHead(302, { location: '/ok' }).end();
      case '/see-other':
        return response.writeHead(303, { location: '/echo' }).end();
      case '/temporary':
        return response.writeHead(307, { location: '/echo' }).end();
      case '/loop':
        return response.writeHead(302, { location: '/loop' }).end();
      case '/elsewhere':
        return response.writeHead(302, { location: `${other.url}/echo` }).end();
      case '/flood': {
        // Endless body: only the client hanging up ends it.
        const chunk = Buffer.alloc(64 * 1024, 'x');
        const pump = () => {
          while (!response.destroyed && response.write(chunk)) {}
          if (!response.destroyed) response.once('drain', pump);
        };
        response.on('close', () => response.removeAllListeners('drain'));
        return pump();
      }
      case '/hang':
        return; // never answers
      default:
        return response.writeHead(404).end('not found');
    }
  });
}

beforeAll(async () => {
  server = await startHttpServer(route);
  other = await startHttpServer(route);
});

afterAll(async () => {
  await Promise.all([server, other, ...tlsServers].map((s) => s.close()));
});

async function check(fields: Record<string, unknown>) {
  const config = validateConfig({ checkers: [{ type: 'http', endpoint_name: 'web', ...fields }] });
  return createChecker(config.checkers[0] as never, { allowExec: false }).check({ timestamp: 1 });
}

describe('http checker', () => {
  it('reports healthy with phase timings for every attempt', async () => {
    const result = await check({ endpoint_url: `${server.url}/ok`, attempts: 2 });
    expect(statusOf(result)).toBe('healthy');
    for (const attempt of result.times) {
      expect(attempt.error).toBeUndefined();
      expect(Object.keys(attempt.phases ?? {}).sort()).toEqual(['connect', 'dns', 'firstByte', 'total']);
      expect(attempt.phases?.connect).toBeGreaterThan(0);
      expect(attempt.phases?.firstByte).toBeGreaterThan(0);
      expect(attempt.phases?.total).toBeGreaterThanOrEqual(attempt.rtt);
    }
  });

  it('times the name lookup when the URL names a host', async () => {
    const result = await check({ endpoint_url: `http://localhost:${server.port}/ok` });
    expect(result.times[0]?.error).toBeUndefined();
    expect(result.times[0]?.phases?.dns).toBeGreaterThan(0);
  });

  it.each([
    { up_status: 418, path: '/status/418', healthy: true },
    { up_status: '2xx', path: '/status/250', healthy: true },
    { up_status: '2xx', path: '/status/301', healthy: false },
    { up_status: '400-404', path: '/status/404', healthy: true },
    { up_status: [200, '5xx'], path: '/status/503', healthy: true },
    { up_status: [200, '5xx'], path: '/status/404', healthy: false },
  ])('with up_status $up_status judges $path healthy: $healthy', async ({ up_status, path, healthy }) => {
    const result = await check({ endpoint_url: `${server.url}${path}`, up_status });
    expect(statusOf(result)).toBe(healthy ? 'healthy' : 'down');
  });

  it('says which statuses it wanted when the status is wrong', async () => {
    const result = await check({ endpoint_url: `${server.url}/status/404`, up_status: ['2xx', 301] });
    expect(result.times[0]?.error).toBe('response status 404 Not Found (want 2xx or 301)');
  });

  it('sends the configured method, body and headers', async () => {
    const result = await check({
      endpoint_url: `${server.url}/echo`,
      method: 'post',
      body: '{"ping":1}',
      headers: { 'Content-Type': 'application/json' },
      json: [
        { path: 'method', equals: 'POST' },
        { path: 'body', equals: '{"ping":1}' },
        { path: 'headers["content-type"]', equals: 'application/json' },
        { path: 'headers["content-length"]', equals: '10' },
      ],
    });
    expect(result.times[0]?.error).toBeUndefined();
    expect(statusOf(result)).toBe('healthy');
  });

  it('sends the path with its query, and credentials in the URL as basic auth, to every attempt', async () => {
    const url = new URL(`${server.url}/echo?x=1&y=%20`);
    url.username = 'ops';
    url.password = 'p@ss word';
    const result = await check({
      endpoint_url: url.href,
      attempts: 2,
      json: [
        { path: 'headers.authorization', equals: `Basic ${Buffer.from('ops:p@ss word').toString('base64')}` },
      ],
    });
    expect(result.times.map((attempt) => attempt.error)).toEqual([undefined, undefined]);
  });

  it('reaches an IPv6 literal given in brackets', async () => {
    const v6 = createServer(route);
    await new Promise<void>((resolve) => v6.listen(0, '::1', resolve));
    try {
      const { port } = v6.address() as AddressInfo;
      const result = await check({ endpoint_url: `http://[::1]:${port}/ok`, must_contain: 'hello' });
      expect(result.times[0]?.error).toBeUndefined();
    } finally {
      v6.closeAllConnections();
      await new Promise((resolve) => v6.close(resolve));
    }
  });

  it('does not follow redirects by default, as checkup', async () => {
    const result = await check({ endpoint_url: `${server.url}/redirect` });
    expect(result.times[0]?.error).toBe('response status 302 Found (want 200-204)');
  });

  it('follows redirects with follow_redirects and judges the final response', async () => {
    const result = await check({
      endpoint_url: `${server.url}/redirect`,
      follow_redirects: true,
      must_contain: 'hello',
    });
    expect(statusOf(result)).toBe('healthy');
  });

  it('turns a POST into a GET on 303 and keeps it on 307', async () => {
    const seeOther = await check({
      endpoint_url: `${server.url}/see-other`,
      method: 'POST',
      body: 'x',
      follow_redirects: true,
      json: [{ path: 'method', equals: 'GET' }],
    });
    expect(seeOther.times[0]?.error).toBeUndefined();
    const temporary = await check({
      endpoint_url: `${server.url}/temporary`,
      method: 'POST',
      body: 'x',
      follow_redirects: true,
      json: [
        { path: 'method', equals: 'POST' },
        { path: 'body', equals: 'x' },
      ],
    });
    expect(temporary.times[0]?.error).toBeUndefined();
  });

  it('sends the GET after a 303 without the POST body or its Content-* headers', async () => {
    const result = await check({
      endpoint_url: `${server.url}/see-other`,
      method: 'POST',
      body: '{"a":1}',
      headers: { 'Content-Type': 'application/json', 'X-Trace': 'kept' },
      follow_redirects: true,
      json: [
        { path: 'method', equals: 'GET' },
        { path: 'body', equals: '' },
        { path: 'headers["content-type"]', exists: false },
        { path: 'headers["content-length"]', exists: false },
        { path: 'headers["x-trace"]', equals: 'kept' },
      ],
    });
    expect(result.times[0]?.error).toBeUndefined();
  });

  it('drops credentials when a redirect leaves the origin', async () => {
    const result = await check({
      endpoint_url: `${server.url}/elsewhere`,
      follow_redirects: true,
      headers: { Authorization: 'Bearer secret', 'X-Trace': 'kept' },
      json: [
        { path: 'headers.authorization', exists: false },
        { path: 'headers["x-trace"]', equals: 'kept' },
      ],
    });
    expect(result.times[0]?.error).toBeUndefined();
  });

  it('reports down after too many redirects', async () => {
    const result = await check({ endpoint_url: `${server.url}/loop`, follow_redirects: true });
    expect(result.times[0]?.error).toBe('more than 10 redirects');
  });

  it('checks must_match as a regular expression', async () => {
    const ok = await check({ endpoint_url: `${server.url}/ok`, must_match: 'version 2\\.\\d+' });
    expect(statusOf(ok)).toBe('healthy');
    const bad = await check({ endpoint_url: `${server.url}/ok`, must_match: '^version' });
    expect(bad.times[0]?.error).toBe('response does not match /^version/');
  });

  it('reports the first failing json assertion', async () => {
    const result = await check({
      endpoint_url: `${server.url}/health`,
      json: [
        { path: 'status', equals: 'ok' },
        { path: 'checks[0].latency_ms', lt: 10 },
      ],
    });
    expect(statusOf(result)).toBe('down');
    expect(result.times[0]?.error).toBe('json checks[0].latency_ms is 12, want < 10');
  });

  it('reports down when json assertions meet a body that is not JSON', async () => {
    const result = await check({
      endpoint_url: `${server.url}/ok`,
      json: [{ path: 'status', equals: 'ok' }],
    });
    expect(result.times[0]?.error).toMatch(/^response is not JSON: /);
  });

  it('reads at most 1 MiB of an endless body and still finishes', async () => {
    const result = await check({ endpoint_url: `${server.url}/flood`, must_contain: 'END', timeout: '5s' });
    expect(result.times[0]?.error).toBe('response does not contain "END" in the first 1048576 bytes');
  });

  it('reports down at the timeout when the server never answers', async () => {
    const result = await check({ endpoint_url: `${server.url}/hang`, timeout: '300ms' });
    expect(statusOf(result)).toBe('down');
    expect(result.times[0]?.error).toBe('timed out after 300ms');
  });

  it('refuses bad up_status, must_match and json entries in the config, naming each place', () => {
    let message = '';
    try {
      validateConfig({
        checkers: [
          {
            type: 'http',
            endpoint_name: 'w',
            endpoint_url: 'http://example.test',
            up_status: [200, '2xy'],
            must_match: '(unclosed',
            json: [{ path: 'a..b', equals: 1 }, { path: 'a' }, { path: 'a', lt: 1, gt: 0 }],
          },
        ],
      });
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toContain('checkers[0].up_status');
    expect(message).toContain('not a status: "2xy"');
    expect(message).toMatch(/checkers\[0\]\.must_match: not a regular expression/);
    expect(message).toContain('checkers[0].json[0].path: not a JSON path at "..b"');
    expect(message).toContain('checkers[0].json[1]: give exactly one of equals,');
    expect(message).toContain(
      'checkers[0].json[2]: give exactly one of equals, not_equals, gt, gte, lt, lte, matches, exists (got gt, lt)',
    );
  });
});

describe('http checker on https', () => {
  let root: TestCertificate;

  beforeAll(async () => {
    root = await makeCa('Checkup HTTPS Root', { toDays: 3650 });
  });

  async function serveTls(leaf: TestCertificate): Promise<string> {
    const tlsServer = await startHttpsServer(leaf, route);
    tlsServers.push(tlsServer);
    return tlsServer.url;
  }

  it('reports down for an untrusted certificate and healthy with tls_skip_verify, timing the handshake', async () => {
    const url = `${await serveTls(await makeLeaf(root, ['127.0.0.1'], { toDays: 90 }))}/ok`;
    const strict = await check({ endpoint_url: url });
    expect(statusOf(strict)).toBe('down');
    expect(strict.times[0]?.error).toBe(
      'unable to verify the certificate chain (UNABLE_TO_VERIFY_LEAF_SIGNATURE)',
    );
    const relaxed = await check({ endpoint_url: url, tls_skip_verify: true });
    expect(statusOf(relaxed)).toBe('healthy');
    expect(relaxed.times[0]?.phases?.tls).toBeGreaterThan(0);
    expect(relaxed.cert).toMatchObject({ subject: 'CN=127.0.0.1', issuer: 'CN=Checkup HTTPS Root' });
  });

  it('reports degraded when the certificate expires within cert_expiry_threshold', async () => {
    const url = `${await serveTls(await makeLeaf(root, ['127.0.0.1'], { toDays: 3 }))}/ok`;
    const plain = await check({ endpoint_url: url, tls_skip_verify: true });
    expect(statusOf(plain)).toBe('healthy');
    const watched = await check({ endpoint_url: url, tls_skip_verify: true, cert_expiry_threshold: '14d' });
    expect(statusOf(watched)).toBe('degraded');
    expect(watched.notice).toMatch(/^certificate "CN=127\.0\.0\.1" expires in 3 days/);
  });

  it('reports down for an expired certificate, with or without verification', async () => {
    const url = `${await serveTls(await makeLeaf(root, ['127.0.0.1'], { fromDays: -10, toDays: -1 }))}/ok`;
    const relaxed = await check({ endpoint_url: url, tls_skip_verify: true });
    expect(statusOf(relaxed)).toBe('down');
    expect(relaxed.times[0]?.error).toMatch(/^certificate "CN=127\.0\.0\.1" expired 1 day ago/);
    const strict = await check({ endpoint_url: url });
    expect(statusOf(strict)).toBe('down');
  });
});
