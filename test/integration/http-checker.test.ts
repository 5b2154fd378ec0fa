import type http from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { createHttpChecker, MAX_BODY_BYTES } from '../../core/checkers/http-checker.js';
import type { HttpCheckerConfig } from '../../core/config/checker-schemas.js';
import { closedPort, type RunningServer, startHttpServer } from '../helpers/servers.js';

const servers: RunningServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

async function serve(handler: http.RequestListener): Promise<RunningServer> {
  const server = await startHttpServer(handler);
  servers.push(server);
  return server;
}

function check(config: Partial<HttpCheckerConfig> & { endpoint_url: string }) {
  return createHttpChecker({ type: 'http', endpoint_name: 'Site', ...config }).check({ timestamp: 42 });
}

describe('http checker', () => {
  it('reports healthy with the RTT of each attempt, in checkup format', async () => {
    const server = await serve((_, res) => res.end('ok'));
    const result = await check({ endpoint_url: server.url, attempts: 3 });
    expect(result).toMatchObject({ title: 'Site', endpoint: server.url, timestamp: 42, healthy: true });
    expect(result.times).toHaveLength(3);
    for (const attempt of result.times) {
      expect(attempt.error).toBeUndefined();
      expect(attempt.rtt).toBeGreaterThan(0);
    }
  });

  it('reports degraded when the median RTT is over the threshold', async () => {
    const server = await serve((_, res) => setTimeout(() => res.end('slow'), 60));
    const result = await check({ endpoint_url: server.url, threshold_rtt: 20e6 });
    expect(result).toMatchObject({ degraded: true, threshold: 20e6 });
    expect(result.times[0]?.rtt).toBeGreaterThanOrEqual(60e6);
  });

  it('reports down on a status outside 200-204 when up_status is unset', async () => {
    const server = await serve((_, res) => {
      res.statusCode = 503;
      res.end();
    });
    const result = await check({ endpoint_url: server.url });
    expect(result.down).toBe(true);
    expect(result.times[0]?.error).toBe('response status 503 Service Unavailable (want 200-204)');
  });

  it('accepts exactly the configured up_status', async () => {
    const server = await serve((_, res) => {
      res.statusCode = 302;
      res.setHeader('location', '/elsewhere');
      res.end();
    });
    expect((await check({ endpoint_url: server.url, up_status: 302 })).healthy).toBe(true);
    expect((await check({ endpoint_url: server.url, up_status: 200 })).down).toBe(true);
  });

  it('checks must_contain and must_not_contain against the body', async () => {
    const server = await serve((_, res) => res.end('<h1>All systems go</h1>'));
    expect((await check({ endpoint_url: server.url, must_contain: 'systems go' })).healthy).toBe(true);
    const missing = await check({ endpoint_url: server.url, must_contain: 'maintenance' });
    expect(missing.times[0]?.error).toBe('response does not contain "maintenance"');
    const forbidden = await check({ endpoint_url: server.url, must_not_contain: 'go<' });
    expect(forbidden.times[0]?.error).toBe('response contains "go<"');
  });

  it('sends the configured headers, Host included', async () => {
    const seen: http.IncomingHttpHeaders[] = [];
    const server = await serve((req, res) => {
      seen.push(req.headers);
      res.end();
    });
    await check({
      endpoint_url: server.url,
      headers: { Host: ['status.example.com'], 'X-Token': 'abc', Accept: ['text/html', 'application/json'] },
    });
    expect(seen[0]).toMatchObject({
      host: 'status.example.com',
      'x-token': 'abc',
      accept: 'text/html, application/json',
    });
  });

  it('spaces attempts by attempt_spacing', async () => {
    const arrivals: number[] = [];
    const server = await serve((_, res) => {
      arrivals.push(performance.now());
      res.end();
    });
    await check({ endpoint_url: server.url, attempts: 3, attempt_spacing: 50e6 });
    expect(arrivals).toHaveLength(3);
    expect((arrivals[1] as number) - (arrivals[0] as number)).toBeGreaterThanOrEqual(49);
    expect((arrivals[2] as number) - (arrivals[1] as number)).toBeGreaterThanOrEqual(49);
  });

  it('reports a refused connection as down with a clear message', async () => {
    const result = await check({ endpoint_url: `http://127.0.0.1:${await closedPort()}/` });
    expect(result.down).toBe(true);
    expect(result.times[0]?.error).toBe('connection refused (ECONNREFUSED)');
  });

  it('gives up on a server that never answers at the timeout, and not later', async () => {
    const server = await serve(() => {});
    const started = performance.now();
    const result = await check({ endpoint_url: server.url, timeout: 300e6, attempts: 2 });
    const elapsed = performance.now() - started;
    expect(result.down).toBe(true);
    expect(result.times.map((t) => t.error)).toEqual(['timed out after 300ms', 'timed out after 300ms']);
    expect(elapsed).toBeLessThan(2 * 300 + 1500);
  });

  it('times out a body that never ends while looking for text', async () => {
    const server = await serve((_, res) => {
      res.write('still going ');
      const timer = setInterval(() => res.write('.'), 20);
      res.on('close', () => clearInterval(timer));
    });
    const result = await check({ endpoint_url: server.url, timeout: 400e6, must_contain: 'done' });
    expect(result.times[0]?.error).toBe('timed out after 400ms');
  });

  it('reads at most 1 MiB of a huge body when matching, and nothing of it otherwise', async () => {
    let sent = 0;
    const chunk = Buffer.alloc(64 * 1024, 'a');
    const server = await serve((_, res) => {
      const pump = () => {
        while (sent < 200 * 1024 * 1024) {
          sent += chunk.length;
          if (!res.write(chunk)) return void res.once('drain', pump);
        }
        res.end();
      };
      res.on('close', () => {
        sent = Number.POSITIVE_INFINITY;
      });
      pump();
    });
    const matched = await check({ endpoint_url: server.url, must_contain: 'needle', timeout: 20e9 });
    expect(matched.times[0]?.error).toBe(
      `response does not contain "needle" in the first ${MAX_BODY_BYTES} bytes`,
    );
    const plain = await check({ endpoint_url: server.url, timeout: 20e9 });
    expect(plain.healthy).toBe(true);
  });

  it('reports a malformed response as down', async () => {
    const { startTcpServer } = await import('../helpers/servers.js');
    const server = await startTcpServer((socket) => socket.end('this is not HTTP\r\n\r\n'));
    servers.push(server);
    const result = await check({ endpoint_url: `http://${server.url}/` });
    expect(result.down).toBe(true);
    expect(result.times[0]?.error).toMatch(/HTTP|parse|malformed/i);
  });
});

describe("http checker with checkup's up_status_range", () => {
  it('accepts statuses inside the range and refuses those outside', async () => {
    let status = 404;
    const server = await serve((_, res) => {
      res.statusCode = status;
      res.end();
    });
    const range = { up_status_range: { min: 400, max: 499 } };
    expect((await check({ endpoint_url: server.url, ...range })).healthy).toBe(true);
    status = 200;
    const outside = await check({ endpoint_url: server.url, ...range });
    expect(outside.times[0]?.error).toBe('response status 200 OK (want 400-499)');
    expect((await check({ endpoint_url: server.url, ...range, up_status: 200 })).healthy).toBe(true);
  });
});
