import type net from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { describeNetworkError } from '../../core/checkers/describe-network-error.js';
import { createHttpChecker } from '../../core/checkers/http-checker.js';
import type { Exchange, Flight } from '../../core/checkers/http-exchange.js';
import { leanRequest, sendLean } from '../../core/checkers/lean-http-exchange.js';
import { sendWithNodeHttp } from '../../core/checkers/node-http-exchange.js';
import type { HttpRequestPlan } from '../../core/checkers/redirect-rule.js';
import { type RunningServer, startTcpServer } from '../helpers/servers.js';

const servers: RunningServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

/**
 * A raw TCP server that reads a request's head and answers with `pieces`, each written as a
 * packet of its own (a pause between them), then ends the connection unless `hold` is set.
 */
async function rawServer(pieces: Array<string | Buffer>, hold = false): Promise<RunningServer> {
  const server = await startTcpServer((socket: net.Socket) => {
    let head = '';
    socket.on('error', () => {});
    socket.on('data', async (bytes) => {
      if (head.includes('\r\n\r\n')) return;
      head += bytes.toString('latin1');
      if (!head.includes('\r\n\r\n')) return;
      for (const piece of pieces) {
        if (socket.destroyed) return;
        socket.write(piece);
        await sleep(5);
      }
      if (!hold) socket.end();
    });
  });
  servers.push(server);
  return server;
}

type Send = (plan: HttpRequestPlan, flight: Flight) => Promise<Exchange>;

const throughLean: Send = (plan, flight) => sendLean(plan, leanRequest(plan) as string, flight);
const throughNodeHttp: Send = (plan, flight) =>
  sendWithNodeHttp(plan, flight, { tlsSkipVerify: false, certThresholdNs: 0 });

/** Everything a checker learns from one exchange: the head, the body (or why not), or the error. */
interface Outcome {
  status?: number;
  statusMessage?: string;
  location?: string | undefined;
  body?: { text: string; truncated: boolean };
  bodyError?: string;
  error?: string;
}

async function outcome(
  send: Send,
  url: string,
  method = 'GET',
  limit = 1024 * 1024,
  stopAfterMs = 2000,
): Promise<Outcome> {
  const plan: HttpRequestPlan = { url: new URL(url), method, headers: { 'user-agent': 'checkup' } };
  const flight: Flight = {};
  let stopped = false;
  const timer = setTimeout(() => {
    stopped = true;
    flight.stop?.(new Error('stopped'));
  }, stopAfterMs);
  try {
    const { response } = await send(plan, flight);
    const head = {
      status: response.status,
      statusMessage: response.statusMessage,
      location: response.location,
    };
    try {
      const body = await response.readBody(limit);
      return { ...head, body };
    } catch (error) {
      return { ...head, bodyError: stopped ? 'stopped' : describeNetworkError(error) };
    } finally {
      response.discard();
    }
  } catch (error) {
    return { error: stopped ? 'stopped' : describeNetworkError(error) };
  } finally {
    clearTimeout(timer);
  }
}

/** The lean client's outcome, after checking that node:http's is the same. */
async function sameAsNodeHttp(
  pieces: Array<string | Buffer>,
  options: { method?: string; limit?: number; hold?: boolean } = {},
) {
  const server = await rawServer(pieces, options.hold);
  const url = `http://${server.url}/`;
  const stopAfter = options.hold ? 300 : 2000;
  const lean = await outcome(throughLean, url, options.method, options.limit, stopAfter);
  const node = await outcome(throughNodeHttp, url, options.method, options.limit, stopAfter);
  expect(lean).toEqual(node);
  return lean;
}

const big = 'x'.repeat(20 * 1024);

describe('the lean HTTP client, against node:http on the same hostile servers', () => {
  it('reads a response whose head and body are split across packets', async () => {
    const got = await sameAsNodeHttp(['HTTP/1.1 20', '0 Fine\r\nContent-Le', 'ngth: 5\r\n\r', '\nhel', 'lo']);
    expect(got).toMatchObject({
      status: 200,
      statusMessage: 'Fine',
      body: { text: 'hello', truncated: false },
    });
  });

  it('decodes a chunked body with chunk extensions and trailers, a byte per packet', async () => {
    const body = '5;name=value\r\nhello\r\n6;a="b c"\r\n world\r\n0\r\nX-Trailer: t\r\n\r\n';
    const got = await sameAsNodeHttp([
      'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n',
      ...body.split(''),
    ]);
    expect(got).toMatchObject({ body: { text: 'hello world' } });
  });

  it('reads a body that runs to the end of the connection', async () => {
    const got = await sameAsNodeHttp(['HTTP/1.0 200 OK\r\n\r\n', 'all ', 'of it']);
    expect(got).toMatchObject({ body: { text: 'all of it', truncated: false } });
  });

  it('cuts a body at the limit', async () => {
    const got = await sameAsNodeHttp([`HTTP/1.1 200 OK\r\nContent-Length: ${big.length}\r\n\r\n`, big], {
      limit: 1000,
    });
    expect(got).toMatchObject({ body: { text: 'x'.repeat(1000), truncated: true } });
  });

  it('skips an informational response before the real one', async () => {
    const got = await sameAsNodeHttp([
      'HTTP/1.1 100 Continue\r\n\r\n',
      'HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n',
    ]);
    expect(got).toMatchObject({ status: 404, statusMessage: 'Not Found' });
  });

  it('reads no body after HEAD, 204 or 304', async () => {
    await sameAsNodeHttp(['HTTP/1.1 200 OK\r\nContent-Length: 50\r\n\r\n'], { method: 'HEAD' });
    await sameAsNodeHttp(['HTTP/1.1 204 No Content\r\n\r\n'], { hold: true });
    await sameAsNodeHttp(['HTTP/1.1 304 Not Modified\r\nContent-Length: 7\r\n\r\n'], { hold: true });
  });

  it('gives the first Location', async () => {
    const got = await sameAsNodeHttp([
      'HTTP/1.1 302 Found\r\nLocation: /a\r\nLocation: /b\r\nContent-Length: 0\r\n\r\n',
    ]);
    expect(got).toMatchObject({ status: 302, location: '/a' });
  });

  it('refuses a bad status line', async () => {
    for (const line of ['HTTP/1.1 OK', 'ICY 200 OK', 'HTTP/1.1 2000 OK', 'this is not HTTP']) {
      const got = await sameAsNodeHttp([`${line}\r\nContent-Length: 0\r\n\r\n`]);
      expect(got.error).toMatch(/^malformed HTTP response \(HPE_/);
    }
  });

  it('refuses headers over 16 KiB, and bad header names and values', async () => {
    const cases = [
      `HTTP/1.1 200 OK\r\nX-Big: ${big}\r\n\r\n`,
      'HTTP/1.1 200 OK\r\nBad Name: x\r\n\r\n',
      'HTTP/1.1 200 OK\r\nX-Bad: a\x01b\r\n\r\n',
      'HTTP/1.1 200 OK\r\nContent-Length: 1x\r\n\r\n',
      'HTTP/1.1 200 OK\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n',
      'HTTP/1.1 200 OK\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n',
    ];
    for (const response of cases) {
      const got = await sameAsNodeHttp([response]);
      expect(got.error).toMatch(/^malformed HTTP response \(HPE_/);
    }
  });

  it('gives up on a bad chunk size as on a body cut short', async () => {
    const got = await sameAsNodeHttp([
      'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n',
      'zz\r\nhello\r\n0\r\n\r\n',
    ]);
    // node:http reports any body cut short as a reset, the lean client too.
    expect(got.bodyError).toBe('connection reset by peer (ECONNRESET)');
  });

  it('reports a connection closed before the head ends, and before the body ends', async () => {
    const early = await sameAsNodeHttp(['HTTP/1.1 200 OK\r\nContent-']);
    expect(early.error).toBe('connection reset by peer (ECONNRESET)');
    const short = await sameAsNodeHttp(['HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n', 'abc']);
    expect(short).toMatchObject({ status: 200 });
    expect(short.bodyError).toBeDefined();
  });

  it('is stopped by the attempt while a head or a body trickles in', async () => {
    const slowHead = await sameAsNodeHttp(['HTTP/1.1 200 OK\r\n', 'X-A: 1\r\n', 'X-B: 2\r\n'], {
      hold: true,
    });
    expect(slowHead.error).toBe('stopped');
    const slowBody = await sameAsNodeHttp(['HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n', 'a', 'b', 'c'], {
      hold: true,
    });
    expect(slowBody.bodyError).toBe('stopped');
  });
  it('agrees with node:http on the edges of the protocol', async () => {
    const responses = [
      'HTTP/1.1 200 OK\nContent-Length: 2\n\nok',
      'HTTP/1.1 200 OK\r\nX-A: 1\r\n  folded\r\nContent-Length: 2\r\n\r\nok',
      'HTTP/1.1 200 Ça va\r\nContent-Length: 2\r\n\r\nok',
      'HTTP/1.1 503 Bad\x1b]0;title\x07\x9b31m\r\nContent-Length: 0\r\n\r\n',
      'HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nokEXTRA',
      'HTTP/2.0 200 OK\r\nContent-Length: 0\r\n\r\n',
      'HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip\r\n\r\nabc',
      'HTTP/1.1 200 OK\r\nContent-Length: 2\r\nX:\r\n\r\nok',
      'HTTP/1.1 200 OK\r\nContent-Length : 2\r\n\r\nok',
      'HTTP/1.1 101 Switching\r\n\r\n',
      'HTTP/1.1 200\r\nContent-Length: 0\r\n\r\n',
      'HTTP/1.1 200 \r\nContent-Length: 0\r\n\r\n',
      'HTTP/1.1 200 OK\r\nContent-Length: 99999999999999999999\r\n\r\nok',
      'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nfffffffffffffffff\r\nok\r\n',
      'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\nok\r\n0\r\n\r\n',
    ];
    for (const response of responses) await sameAsNodeHttp([response]);
  });
});

describe('the http checker through the lean client', () => {
  it('sends the request node:http would send: headers in order, then Host and Connection: close', () => {
    const plan: HttpRequestPlan = {
      url: new URL('http://127.0.0.1:8080/e1?x=1'),
      method: 'GET',
      headers: { 'user-agent': 'checkup', 'x-a': 'b' },
    };
    expect(leanRequest(plan)).toBe(
      'GET /e1?x=1 HTTP/1.1\r\nuser-agent: checkup\r\nx-a: b\r\nHost: 127.0.0.1:8080\r\nConnection: close\r\n\r\n',
    );
    const named = {
      ...plan,
      url: new URL('http://[::1]/'),
      method: 'HEAD',
      headers: { host: 'example.com' },
    };
    expect(leanRequest(named)).toBe('HEAD / HTTP/1.1\r\nhost: example.com\r\nConnection: close\r\n\r\n');
  });

  it('leaves https, bodies, other methods, credentials and unchecked header text to node:http', () => {
    const plan = (url: string, more: Partial<HttpRequestPlan> = {}): HttpRequestPlan => ({
      url: new URL(url),
      method: 'GET',
      headers: {},
      ...more,
    });
    expect(leanRequest(plan('https://127.0.0.1/'))).toBeUndefined();
    expect(leanRequest(plan('http://127.0.0.1/', { method: 'POST', body: 'x' }))).toBeUndefined();
    expect(leanRequest(plan('http://127.0.0.1/', { method: 'DELETE' }))).toBeUndefined();
    expect(leanRequest(plan('http://user:pw@127.0.0.1/'))).toBeUndefined();
    expect(leanRequest(plan('http://127.0.0.1/', { headers: { 'x-a': 'b\r\nx-evil: 1' } }))).toBeUndefined();
  });

  it('judges a hostile response as before: a body test over a chunked body split into bytes', async () => {
    const body = '4\r\nneed\r\n2;x=y\r\nle\r\n0\r\n\r\n';
    const server = await rawServer([
      'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n',
      ...body.split(''),
    ]);
    const result = await createHttpChecker({
      type: 'http',
      endpoint_name: 'raw',
      endpoint_url: `http://${server.url}/`,
      must_contain: 'needle',
    }).check({ timestamp: 1 });
    expect(result.healthy).toBe(true);
    expect(result.times[0]?.phases?.connect).toBeGreaterThanOrEqual(0);
  });
});
