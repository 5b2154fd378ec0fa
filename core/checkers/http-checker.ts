import http from 'node:http';
import https from 'node:https';
import type tls from 'node:tls';
import type { CheckContext, Checker } from '../checker.js';
import { monotonicNs } from '../clock.js';
import type { HttpCheckerConfig } from '../config/checker-schemas.js';
import { formatDuration } from '../duration.js';
import { setLongTimeout } from '../long-timer.js';
import type { Attempt } from '../result.js';
import { arrivalNs } from './arrival-clock.js';
import { bodyTests, MAX_BODY_BYTES } from './body-tests.js';
import {
  type CertificateVerdict,
  certificateChain,
  certificateOutcome,
  judgeCertificateChain,
} from './certificate-chain.js';
import { checkByAttempts } from './check-by-attempts.js';
import { describeNetworkError } from './describe-network-error.js';
import { asLocalResourceError } from './local-resource-error.js';
import { ownConnection } from './own-connection.js';
import { accumulatePhases, type ExchangeStamps } from './phase-timing.js';
import { type HttpRequestPlan, redirectStep } from './redirect-rule.js';
import { statusMatcher, type UpStatus } from './status-matcher.js';

/** Per-attempt timeout when `timeout` is not set. */
export const DEFAULT_TIMEOUT_NS = 10e9;
export { MAX_BODY_BYTES } from './body-tests.js';
export { MAX_REDIRECTS } from './redirect-rule.js';

/** The request of an attempt that is under way, for stopping it. */
interface Flight {
  request?: http.ClientRequest;
}

/** What one request/response exchange gave. */
interface Exchange {
  response: http.IncomingMessage;
  /** Its socket's events, for the phases and the round trip. */
  stamps: ExchangeStamps;
  /** The certificate chain's verdict, on https. */
  cert?: CertificateVerdict;
}

/** How every request of a checker is sent. */
interface SendOptions {
  tlsSkipVerify: boolean;
  certThresholdNs: number;
}

/**
 * The HTTP checker: checkup's semantics (RTT to the response headers, status, body text) plus
 * method/body, redirects, status ranges, regular expression and JSON tests, the certificate
 * dates on https, and per-attempt phase timings.
 */
export function createHttpChecker(config: HttpCheckerConfig): Checker {
  const firstRequest: HttpRequestPlan = {
    url: new URL(config.endpoint_url),
    method: (config.method ?? 'GET').toUpperCase(),
    headers: flattenHeaders(config.headers),
    ...(config.body !== undefined ? { body: config.body } : {}),
  };
  const timeoutNs = config.timeout ?? DEFAULT_TIMEOUT_NS;
  const upStatus = statusMatcher(withStatusRange(config.up_status, config.up_status_range));
  const testBody = bodyTests(config);
  const sendOptions: SendOptions = {
    tlsSkipVerify: config.tls_skip_verify === true,
    certThresholdNs: config.cert_expiry_threshold ?? 0,
  };

  async function attempt(signal: AbortSignal | undefined, verdicts: CertificateVerdict[]): Promise<Attempt> {
    // The round trip runs from the first packet to the endpoint; until the first exchange says
    // when that was, from the start of the attempt.
    let start = monotonicNs();
    let phases: Record<string, number> = {};
    // Stopping destroys the request under way; no AbortSignal is handed to node:http, whose
    // signal support builds a stack-traced error for every request that closes.
    const flight: Flight = {};
    let stopped: string | undefined;
    // Stops a body test under way on its worker thread; made only for a checker with body tests
    // (an AbortController per attempt is a noticeable share of an attempt's CPU).
    const stopper = testBody ? new AbortController() : undefined;
    const stop = (reason: string) => {
      stopped ??= reason;
      flight.request?.destroy(new Error(reason));
      stopper?.abort(stopped);
    };
    const timer = setLongTimeout(() => stop(`timed out after ${formatDuration(timeoutNs)}`), timeoutNs / 1e6);
    const onAbort = () => stop('cancelled');
    signal?.addEventListener('abort', onAbort, { once: true });
    let rtt = 0;
    const done = (error?: string): Attempt => {
      if (rtt === 0) rtt = monotonicNs() - start;
      phases.total = monotonicNs() - start;
      return error === undefined ? { rtt, phases } : { rtt, phases, error };
    };
    let current: http.IncomingMessage | undefined;
    try {
      let request = firstRequest;
      for (let hop = 0; ; hop++) {
        if (stopped !== undefined) throw new Error(stopped);
        const exchange = await send(request, flight, sendOptions);
        current = exchange.response;
        const timed = accumulatePhases(phases, exchange.stamps);
        phases = timed.phases;
        if (hop === 0) start = timed.began;
        const status = current.statusCode ?? 0;
        const step = config.follow_redirects
          ? redirectStep(status, current.headers.location, request, hop)
          : undefined;
        if (step) {
          current.destroy();
          if ('error' in step) return done(step.error);
          request = step.next;
          continue;
        }
        rtt = exchange.stamps.firstByte - start;
        if (exchange.cert) verdicts.push(exchange.cert);
        if (exchange.cert?.error) return done(exchange.cert.error);
        if (!upStatus.matches(status)) {
          return done(
            `response status ${status} ${current.statusMessage ?? ''}`.trim() +
              ` (want ${upStatus.expected})`,
          );
        }
        if (!testBody || !stopper) return done();
        return done(await testBody(await readBounded(current, MAX_BODY_BYTES), stopper.signal));
      }
    } catch (error) {
      // Out of descriptors here is no fault of the endpoint: runAttempts makes the attempt again.
      if (stopped === undefined && asLocalResourceError(error)) throw error;
      return done(stopped ?? describeNetworkError(error));
    } finally {
      timer.clear();
      signal?.removeEventListener('abort', onAbort);
      // Closing the socket and starting the next attempt wait until the event loop has read
      // every response that is ready, so their arrival times stay accurate.
      await new Promise((resolve) => setImmediate(resolve));
      if (current) discard(current);
    }
  }

  return {
    type: 'http',
    title: config.endpoint_name,
    endpoint: config.endpoint_url,
    check(context: CheckContext) {
      const verdicts: CertificateVerdict[] = [];
      return checkByAttempts({
        title: config.endpoint_name,
        endpoint: config.endpoint_url,
        config,
        context,
        attempt: (signal) => attempt(signal, verdicts),
        conclude: () => certificateOutcome(verdicts),
      });
    },
  };
}

/** Makes one request on a connection of its own, stamping its socket's events for the phases. */
function send(
  { url, method, headers, body }: HttpRequestPlan,
  flight: Flight,
  options: SendOptions,
): Promise<Exchange> {
  return new Promise((resolve, reject) => {
    const client = url.protocol === 'https:' ? https : http;
    const sent = monotonicNs();
    const marks: Omit<ExchangeStamps, 'sent' | 'firstByte'> = {};
    // When the bytes that completed the headers arrived, stamped before Node parses them, so a
    // burst of responses handled one after another does not inflate the later ones' RTT.
    let receivedAt = 0;
    const stamp = () => {
      receivedAt = arrivalNs();
    };
    let cert: CertificateVerdict | undefined;
    const request = client.request({
      ...requestTarget(url),
      method,
      headers:
        body === undefined ? headers : { ...headers, 'content-length': String(Buffer.byteLength(body)) },
      ...ownConnection(url, headers, () => {
        marks.attempt ??= monotonicNs();
      }),
      ...(url.protocol === 'https:' ? { rejectUnauthorized: !options.tlsSkipVerify } : {}),
    });
    flight.request = request;
    request.on('socket', (socket) => {
      socket.prependListener('data', stamp);
      socket.once('lookup', () => {
        marks.lookup = monotonicNs();
      });
      socket.once('connect', () => {
        marks.connect = monotonicNs();
      });
      socket.once('secureConnect', () => {
        marks.secure = monotonicNs();
        const chain = certificateChain((socket as tls.TLSSocket).getPeerCertificate(true));
        cert = judgeCertificateChain(chain, options.certThresholdNs, Date.now());
      });
    });
    request.on('error', reject);
    request.on('response', (response) => {
      request.socket?.removeListener('data', stamp);
      const stamps: ExchangeStamps = { ...marks, sent, firstByte: receivedAt || monotonicNs() };
      response.on('error', () => {});
      resolve({ response, stamps, ...(cert ? { cert } : {}) });
    });
    request.end(body);
  });
}

/** Where a URL's request goes, as node:http's options. */
interface RequestTarget {
  protocol: string;
  hostname: string;
  port?: string;
  path: string;
  auth?: string;
}

const targets = new WeakMap<URL, RequestTarget>();

/**
 * The request options a URL stands for, worked out once per URL: node:http converting the same
 * URL object again for every attempt (its href and parts) was a tenth of an attempt's CPU.
 */
function requestTarget(url: URL): RequestTarget {
  let target = targets.get(url);
  if (!target) {
    target = {
      protocol: url.protocol,
      // [::1] is given to the socket without its brackets.
      hostname: url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname,
      path: `${url.pathname || '/'}${url.search}`,
      ...(url.port ? { port: url.port } : {}),
      ...(url.username || url.password
        ? { auth: `${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}` }
        : {}),
    };
    targets.set(url, target);
  }
  return target;
}

/**
 * Lets go of a response and its connection. A response that is complete is drained from memory
 * and its socket closed; destroying it instead would count as an abort, which node:http answers
 * with a stack-traced error per request.
 */
function discard(response: http.IncomingMessage): void {
  if (!response.complete) {
    response.destroy();
    return;
  }
  response.resume();
  response.socket?.destroy();
}

function readBounded(
  response: http.IncomingMessage,
  limit: number,
): Promise<{ text: string; truncated: boolean }> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let finished = false;
    const finish = (truncated: boolean) => {
      if (finished) return;
      finished = true;
      response.removeAllListeners('data');
      resolve({ text: Buffer.concat(chunks).toString('utf8'), truncated });
    };
    response.on('data', (chunk: Buffer) => {
      const room = limit - size;
      chunks.push(chunk.length > room ? chunk.subarray(0, room) : chunk);
      size += Math.min(chunk.length, room);
      if (size >= limit) finish(true);
    });
    response.on('end', () => finish(false));
    response.on('error', reject);
    response.on('close', () => {
      if (!response.complete) reject(new Error('connection closed before the body ended'));
    });
  });
}

function flattenHeaders(headers: HttpCheckerConfig['headers']): Record<string, string> {
  const flat: Record<string, string> = { 'user-agent': 'checkup' };
  for (const [name, value] of Object.entries(headers ?? {})) {
    flat[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
  }
  return flat;
}

/**
 * checkup's `up_status_range` ({min, max}, either optional) joins `up_status` as one more
 * accepted range, clamped to real statuses.
 */
function withStatusRange(
  upStatus: UpStatus | undefined,
  range: { min?: number; max?: number } | undefined,
): UpStatus | undefined {
  if (!range || (range.min === undefined && range.max === undefined)) return upStatus;
  const low = Math.max(100, range.min ?? 100);
  const high = Math.min(599, range.max ?? 599);
  const pattern = `${low}-${high}`;
  if (upStatus === undefined) return pattern;
  return [...(Array.isArray(upStatus) ? upStatus : [upStatus as number | string]), pattern];
}
