import http from 'node:http';
import https from 'node:https';
import type tls from 'node:tls';
import type { CheckContext, Checker } from '../checker.js';
import { monotonicNs } from '../clock.js';
import type { HttpCheckerConfig } from '../config/checker-schemas.js';
import { formatDuration } from '../duration.js';
import { clip, excerpt, patternExcerpt } from '../excerpt.js';
import { setLongTimeout } from '../long-timer.js';
import type { Attempt } from '../result.js';
import { arrivalNs } from './arrival-clock.js';
import {
  type CertificateVerdict,
  certificateChain,
  certificateOutcome,
  judgeCertificateChain,
} from './certificate-chain.js';
import { checkByAttempts } from './check-by-attempts.js';
import { describeNetworkError } from './describe-network-error.js';
import { evaluateJsonAssertion } from './json-assertion.js';
import { asLocalResourceError } from './local-resource-error.js';
import { MatchStoppedError, matchInWorker } from './match-in-worker.js';
import { ownConnection } from './own-connection.js';
import { statusMatcher, type UpStatus } from './status-matcher.js';

/** Per-attempt timeout when `timeout` is not set. */
export const DEFAULT_TIMEOUT_NS = 10e9;
/** The most of a body read for the body tests; the rest is discarded. */
export const MAX_BODY_BYTES = 1024 * 1024;
/** Redirects followed (with `follow_redirects`) before giving up. */
export const MAX_REDIRECTS = 10;

const REDIRECTS = new Set([301, 302, 303, 307, 308]);
/** Headers that must not travel to another origin on a redirect. */
const ORIGIN_BOUND_HEADERS = ['authorization', 'cookie', 'proxy-authorization', 'host'];

/** The request of an attempt that is under way, for stopping it. */
interface Flight {
  request?: http.ClientRequest;
}

/** What one request/response exchange gave. */
interface Exchange {
  response: http.IncomingMessage;
  /** When its first packet left (monotonic ns). */
  began: number;
  /** When the bytes that completed the response headers arrived (monotonic ns). */
  receivedAt: number;
  /** The certificate chain's verdict, on https. */
  cert?: CertificateVerdict;
}

/**
 * The HTTP checker: checkup's semantics (RTT to the response headers, status, body text) plus
 * method/body, redirects, status ranges, regular expression and JSON tests, the certificate
 * dates on https, and per-attempt phase timings.
 */
export function createHttpChecker(config: HttpCheckerConfig): Checker {
  const startUrl = new URL(config.endpoint_url);
  const timeoutNs = config.timeout ?? DEFAULT_TIMEOUT_NS;
  const upStatus = statusMatcher(withStatusRange(config.up_status, config.up_status_range));
  const baseHeaders = flattenHeaders(config.headers);
  const mustMatch = config.must_match;
  const needsBody =
    config.must_contain !== undefined ||
    config.must_not_contain !== undefined ||
    mustMatch !== undefined ||
    (config.json?.length ?? 0) > 0;
  const certThresholdNs = config.cert_expiry_threshold ?? 0;

  async function attempt(signal: AbortSignal | undefined, verdicts: CertificateVerdict[]): Promise<Attempt> {
    // The round trip runs from the first packet to the endpoint; until the first exchange says
    // when that was, from the start of the attempt.
    let start = monotonicNs();
    const phases: Record<string, number> = {};
    // Stopping destroys the request under way; no AbortSignal is handed to node:http, whose
    // signal support builds a stack-traced error for every request that closes.
    const flight: Flight = {};
    let stopped: string | undefined;
    // Stops a body test under way on its worker thread.
    const stopper = new AbortController();
    const stop = (reason: string) => {
      stopped ??= reason;
      flight.request?.destroy(new Error(reason));
      stopper.abort(stopped);
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
      let url = startUrl;
      let method = (config.method ?? 'GET').toUpperCase();
      let body = config.body;
      let headers = baseHeaders;
      for (let hop = 0; ; hop++) {
        if (stopped !== undefined) throw new Error(stopped);
        const exchange = await send(url, method, headers, body, flight, phases);
        current = exchange.response;
        if (hop === 0) start = exchange.began;
        const status = current.statusCode ?? 0;
        const location = current.headers.location;
        if (config.follow_redirects && REDIRECTS.has(status) && location) {
          current.destroy();
          if (hop >= MAX_REDIRECTS) return done(`more than ${MAX_REDIRECTS} redirects`);
          const next = new URL(location, url);
          if (next.protocol !== 'http:' && next.protocol !== 'https:') {
            return done(`redirect to ${next.protocol} is not followed`);
          }
          if (next.origin !== url.origin) headers = withoutOriginBound(headers);
          if (status === 303 || ((status === 301 || status === 302) && method === 'POST')) {
            method = method === 'HEAD' ? 'HEAD' : 'GET';
            body = undefined;
          }
          url = next;
          continue;
        }
        rtt = exchange.receivedAt - start;
        if (exchange.cert) verdicts.push(exchange.cert);
        if (exchange.cert?.error) return done(exchange.cert.error);
        if (!upStatus.matches(status)) {
          return done(
            `response status ${status} ${current.statusMessage ?? ''}`.trim() +
              ` (want ${upStatus.expected})`,
          );
        }
        if (!needsBody) return done();
        const { text, truncated } = await readBounded(current, MAX_BODY_BYTES);
        return done(await checkBody(text, truncated, stopper.signal));
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

  function send(
    url: URL,
    method: string,
    headers: Record<string, string>,
    body: string | undefined,
    flight: Flight,
    phases: Record<string, number>,
  ): Promise<Exchange> {
    return new Promise((resolve, reject) => {
      const client = url.protocol === 'https:' ? https : http;
      const sent = monotonicNs();
      const marks: { lookup?: number; attempt?: number; connect?: number; secure?: number } = {};
      // When the bytes that completed the headers arrived, stamped before Node parses them, so a
      // burst of responses handled one after another does not inflate the later ones' RTT.
      let receivedAt = 0;
      const stamp = () => {
        receivedAt = arrivalNs();
      };
      let cert: CertificateVerdict | undefined;
      const request = client.request(url, {
        method,
        headers:
          body === undefined ? headers : { ...headers, 'content-length': String(Buffer.byteLength(body)) },
        ...ownConnection(url, headers, () => {
          marks.attempt ??= monotonicNs();
        }),
        ...(url.protocol === 'https:' ? { rejectUnauthorized: !config.tls_skip_verify } : {}),
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
          cert = judgeCertificateChain(chain, certThresholdNs, Date.now());
        });
      });
      request.on('error', reject);
      request.on('response', (response) => {
        request.socket?.removeListener('data', stamp);
        const now = receivedAt || monotonicNs();
        // The exchange began with its first packet: the DNS query, which leaves as the request
        // is made, or else the TCP connection attempt.
        const began = marks.lookup === undefined ? (marks.attempt ?? sent) : sent;
        // Durations of each phase, added up over redirects: where the time went.
        const connected = marks.connect ?? began;
        add(phases, 'dns', marks.lookup !== undefined ? marks.lookup - sent : 0);
        add(phases, 'connect', marks.connect !== undefined ? marks.connect - (marks.lookup ?? began) : 0);
        if (marks.secure !== undefined) add(phases, 'tls', marks.secure - connected);
        add(phases, 'firstByte', Math.max(0, now - (marks.secure ?? connected)));
        response.on('error', () => {});
        resolve({ response, began, receivedAt: now, ...(cert ? { cert } : {}) });
      });
      request.end(body);
    });
  }

  /**
   * What the body tests find wrong, or undefined. Regular expressions run on a worker thread,
   * stopped with the attempt, so a pattern that backtracks without end is a timeout, not a hang.
   */
  async function checkBody(
    body: string,
    truncated: boolean,
    signal: AbortSignal,
  ): Promise<string | undefined> {
    const scope = truncated ? ` in the first ${MAX_BODY_BYTES} bytes` : '';
    if (config.must_contain !== undefined && !body.includes(config.must_contain)) {
      return `response does not contain ${excerpt(config.must_contain)}${scope}`;
    }
    if (config.must_not_contain !== undefined && body.includes(config.must_not_contain)) {
      return `response contains ${excerpt(config.must_not_contain)}`;
    }
    const match = (source: string, text: string) => matchInWorker(source, '', text, signal);
    if (mustMatch !== undefined) {
      try {
        if (!(await match(mustMatch, body)))
          return `response does not match ${patternExcerpt(mustMatch)}${scope}`;
      } catch (error) {
        if (error instanceof MatchStoppedError) {
          return `${error.message} matching the body against ${patternExcerpt(mustMatch)}`;
        }
        throw error;
      }
    }
    if (config.json?.length) {
      if (truncated) return `response is over ${MAX_BODY_BYTES} bytes, too large for the json tests`;
      let document: unknown;
      try {
        document = JSON.parse(body);
      } catch (error) {
        return `response is not JSON: ${(error as Error).message}`;
      }
      for (const assertion of config.json) {
        try {
          const failure = await evaluateJsonAssertion(document, assertion, match);
          if (failure) return failure;
        } catch (error) {
          if (error instanceof MatchStoppedError)
            return `${error.message} testing json ${clip(assertion.path)}`;
          throw error;
        }
      }
    }
    return undefined;
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

function add(phases: Record<string, number>, name: string, ns: number): void {
  phases[name] = (phases[name] ?? 0) + ns;
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

function withoutOriginBound(headers: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).filter(([name]) => !ORIGIN_BOUND_HEADERS.includes(name)));
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
