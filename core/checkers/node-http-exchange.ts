import http from 'node:http';
import https from 'node:https';
import type tls from 'node:tls';
import { monotonicNs } from '../clock.js';
import { arrivalNs } from './arrival-clock.js';
import type { ReadBody } from './body-tests.js';
import { type CertificateVerdict, certificateChain, judgeCertificateChain } from './certificate-chain.js';
import type { Exchange, Flight, HttpResponse, SendOptions } from './http-exchange.js';
import { ownConnection } from './own-connection.js';
import type { ExchangeStamps } from './phase-timing.js';
import type { HttpRequestPlan } from './redirect-rule.js';
import { socketHost } from './socket-host.js';

/**
 * Makes one request through node:http on a connection of its own, stamping its socket's events
 * for the phases: every request the lean client (lean-http-exchange.ts) does not take, https
 * and requests with a body or credentials among them.
 */
export function sendWithNodeHttp(
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
    // Stopping destroys the request under way; no AbortSignal is handed to node:http, whose
    // signal support builds a stack-traced error for every request that closes.
    flight.stop = (reason) => request.destroy(reason);
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
      resolve({ response: asHttpResponse(response), stamps, ...(cert ? { cert } : {}) });
    });
    request.end(body);
  });
}

function asHttpResponse(response: http.IncomingMessage): HttpResponse {
  const location = response.headers.location;
  return {
    status: response.statusCode ?? 0,
    statusMessage: response.statusMessage ?? '',
    location,
    readBody: (limit) => readBounded(response, limit),
    discard: () => discard(response),
  };
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
      hostname: socketHost(url),
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

function readBounded(response: http.IncomingMessage, limit: number): Promise<ReadBody> {
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
