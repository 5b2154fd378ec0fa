import net from 'node:net';
import { monotonicNs } from '../clock.js';
import { arrivalNs } from './arrival-clock.js';
import type { ReadBody } from './body-tests.js';
import type { Exchange, Flight, HttpResponse } from './http-exchange.js';
import { HttpResponseParser, type ResponseHead } from './http-response-parser.js';
import type { ExchangeStamps } from './phase-timing.js';
import type { HttpRequestPlan } from './redirect-rule.js';
import { socketHost } from './socket-host.js';

/** A header name or value that could not end a line early or smuggle another header. */
const SAFE_HEADER_TEXT = /^[\t\x20-\x7e]*$/;

/** The request bytes of a plan the lean client takes, or undefined when it does not take it. */
const requests = new WeakMap<HttpRequestPlan, string | null>();

/**
 * The request a plan stands for, as node:http would write it (the same headers in the same
 * order, then Host and `Connection: close`), when the lean client can send it: plain http, GET
 * or HEAD, no body, no credentials in the URL, header text that needs no checking. Worked out
 * once per plan. Anything else goes through node:http.
 */
export function leanRequest(plan: HttpRequestPlan): string | undefined {
  let text = requests.get(plan);
  if (text === undefined) {
    text = writeRequest(plan);
    requests.set(plan, text);
  }
  return text ?? undefined;
}

function writeRequest({ url, method, headers, body }: HttpRequestPlan): string | null {
  if (url.protocol !== 'http:' || (method !== 'GET' && method !== 'HEAD') || body !== undefined) return null;
  if (url.username || url.password) return null;
  let text = `${method} ${url.pathname || '/'}${url.search} HTTP/1.1\r\n`;
  for (const [name, value] of Object.entries(headers)) {
    if (!/^[!#$%&'*+\-.^_`|~0-9a-z]+$/.test(name) || !SAFE_HEADER_TEXT.test(value)) return null;
    text += `${name}: ${value}\r\n`;
  }
  if (headers.host === undefined) text += `Host: ${url.host}\r\n`;
  return `${text}Connection: close\r\n\r\n`;
}

/** Whether a plan's host is an IP address, which is connected to without a lookup. */
const addresses = new WeakMap<HttpRequestPlan, boolean>();

function isAddress(plan: HttpRequestPlan): boolean {
  let known = addresses.get(plan);
  if (known === undefined) {
    known = net.isIP(socketHost(plan.url)) !== 0;
    addresses.set(plan, known);
  }
  return known;
}

/** Where the bytes of every lean connection are read into: each is handled before the next read. */
let readBuffer: Buffer | undefined;

/**
 * Makes one plain-HTTP request written by leanRequest on a connection of its own, reading the
 * response with HttpResponseParser straight from the socket's reads (no node:http request,
 * parser, response stream or stream buffering), and stamping the same moments as node:http's
 * client does for the phases and the round trip. Checkup's own client makes one connection per
 * request too; node:http's machinery for that one request was most of an attempt's CPU.
 */
export function sendLean(plan: HttpRequestPlan, request: string, flight: Flight): Promise<Exchange> {
  return new Promise((resolve, reject) => {
    const { url, method } = plan;
    const sent = monotonicNs();
    const marks: Omit<ExchangeStamps, 'sent' | 'firstByte'> = {};
    let response: LeanResponse | undefined;
    const parser = new HttpResponseParser(
      method,
      (bytes) => response?.take(bytes),
      (head) => {
        response = new LeanResponse(head, socket, parser);
        const stamps: ExchangeStamps = { sent, firstByte: arrivalNs() };
        if (marks.attempt !== undefined) stamps.attempt = marks.attempt;
        if (marks.lookup !== undefined) stamps.lookup = marks.lookup;
        if (marks.connect !== undefined) stamps.connect = marks.connect;
        resolve({ response, stamps });
      },
    );
    readBuffer ??= Buffer.allocUnsafe(64 * 1024);
    const socket = net.connect({
      host: socketHost(url),
      port: Number(url.port || 80),
      onread: {
        buffer: readBuffer,
        callback: (size, buffer) => {
          try {
            parser.feed((buffer as Buffer).subarray(0, size));
          } catch (error) {
            socket.destroy(error as Error);
            return false;
          }
          return response ? response.progress() : true;
        },
      },
    });
    flight.stop = (reason) => socket.destroy(reason);
    // Each of these comes once a connection (`on`: a `once` wrapper per socket costs more); an
    // IP address is not looked up.
    socket.on('connectionAttempt', () => {
      marks.attempt ??= monotonicNs();
    });
    if (!isAddress(plan)) {
      socket.once('lookup', () => {
        marks.lookup = monotonicNs();
      });
    }
    socket.on('connect', () => {
      marks.connect = monotonicNs();
    });
    socket.on('end', () => {
      parser.end();
      if (response) response.progress(true);
      // As node:http says of a connection that ends before a response: a reset.
      else socket.destroy(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }));
    });
    socket.on('error', (error) => {
      if (response) response.fail(aborted());
      else reject(error);
    });
    socket.on('close', () => response?.progress(true));
    socket.write(request, 'latin1');
  });
}

/** Body bytes kept before anyone asks for the body; past them the socket stops reading. */
const HELD_BEFORE_READ = 64 * 1024;

/** A response read by sendLean: its head, and its body as far as anyone asks for it. */
class LeanResponse implements HttpResponse {
  readonly status: number;
  readonly statusMessage: string;
  readonly location: string | undefined;
  private chunks: Buffer[] = [];
  private size = 0;
  private limit = Number.POSITIVE_INFINITY;
  private reader: { resolve(body: ReadBody): void; reject(error: Error): void } | undefined;
  private failure: Error | undefined;

  constructor(
    head: ResponseHead,
    private readonly socket: net.Socket,
    private readonly parser: HttpResponseParser,
  ) {
    this.status = head.status;
    this.statusMessage = head.statusMessage;
    this.location = head.location;
  }

  readBody(limit: number): Promise<ReadBody> {
    return new Promise((resolve, reject) => {
      this.reader = { resolve, reject };
      this.limit = limit;
      if (this.failure) this.fail(this.failure);
      else if (this.progress(this.socket.destroyed)) this.socket.resume();
    });
  }

  /** Body bytes from the parser; copied, as the socket reads into a buffer that is reused. */
  take(bytes: Buffer): void {
    if (this.size >= this.limit) return;
    const kept = bytes.subarray(0, this.limit - this.size);
    this.chunks.push(Buffer.from(kept));
    this.size += kept.length;
  }

  /**
   * Settles a body being read once it is whole, cut at its limit, or the connection is gone.
   * Says whether the socket should go on reading: not past HELD_BEFORE_READ with no reader.
   */
  progress(closed = false): boolean {
    const reader = this.reader;
    if (!reader) return this.size < HELD_BEFORE_READ;
    const truncated = this.size >= this.limit;
    if (truncated || this.parser.complete) {
      this.reader = undefined;
      const text = Buffer.concat(this.chunks).subarray(0, this.limit).toString('utf8');
      reader.resolve({ text, truncated });
      return false;
    }
    if (closed) this.fail(aborted());
    return true;
  }

  fail(error: Error): void {
    const reader = this.reader;
    this.reader = undefined;
    if (reader) reader.reject(error);
    else this.failure ??= error;
  }

  discard(): void {
    this.socket.destroy();
  }
}

/**
 * How node:http reports a body cut short, whether the connection closed or the body broke the
 * protocol: the lean client says the same, so that a checker's results do not depend on which
 * client read the response.
 */
function aborted(): Error {
  return Object.assign(new Error('aborted'), { code: 'ECONNRESET' });
}
