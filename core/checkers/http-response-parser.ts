/** The most bytes of a response head (status line and headers) read, as node:http's default. */
export const MAX_HEAD_BYTES = 16 * 1024;
/** The longest chunk-size line of a chunked body (size and extensions) accepted. */
const MAX_CHUNK_LINE_BYTES = 4 * 1024;
/** The largest Content-Length llhttp takes (64 bits). */
const MAX_CONTENT_LENGTH = 2n ** 64n - 1n;

/** llhttp takes any byte but CR and LF in the reason phrase, escape sequences included. */
const STATUS_LINE = /^HTTP\/(\d)\.(\d) (\d{3})(?: (.*))?$/;
const HEADER_NAME = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
/** A header value: no controls other than tab, no DEL. */
const HEADER_VALUE = /^[\t\x20-\x7e\x80-\xff]*$/;
const CHUNK_SIZE = /^([0-9A-Fa-f]{1,15})[ \t]*(?:;.*)?$/;

/** A response that breaks HTTP/1.1, with node:http's (llhttp's) code for the same fault. */
export class HttpParseError extends Error {
  override name = 'HttpParseError';
  constructor(
    readonly code: string,
    reason: string,
  ) {
    super(`Parse Error: ${reason}`);
  }
}

/** The status and headers of a response, as far as a checker needs them. */
export interface ResponseHead {
  status: number;
  statusMessage: string;
  /** The first Location header. */
  location: string | undefined;
}

type BodyState =
  | { kind: 'none' }
  | { kind: 'length'; left: number }
  | { kind: 'close' }
  | { kind: 'chunked'; step: 'size' | 'data' | 'data-end' | 'trailers'; left: number; line: string };

/**
 * An incremental parser of one HTTP/1.1 response on a connection of its own: the head (informational
 * 1xx responses skipped), then the body framed by Content-Length, chunked transfer coding, or the
 * end of the connection. Faults throw HttpParseError with llhttp's code, so that a checker reports
 * them as it does through node:http.
 */
export class HttpResponseParser {
  /** The head, once it has been read whole. */
  head: ResponseHead | undefined;
  /** Whether the body has been read to its end. */
  complete = false;
  private pending: Buffer | undefined;
  private body: BodyState = { kind: 'none' };

  /**
   * @param method the request's method: a response to HEAD has no body.
   * @param onBody is given the body's bytes (chunked coding removed) as they arrive; they may be
   *   a view of a buffer that is reused after the call.
   * @param onHead is given the head as soon as it is read, before any of the body.
   */
  constructor(
    private readonly method: string,
    private readonly onBody: (bytes: Buffer) => void = () => {},
    private readonly onHead: (head: ResponseHead) => void = () => {},
  ) {}

  /** Reads the next bytes of the connection. */
  feed(chunk: Buffer): void {
    let rest = chunk;
    while (this.head === undefined) {
      const bytes = this.pending ? Buffer.concat([this.pending, rest]) : rest;
      // The head is looked for in text: a string search costs a fraction of Buffer.indexOf's
      // crossings into C++, which were most of reading a small response. Only the longest head
      // is turned into text, unless there is no head in it: then the rest is looked through
      // too, only to say which fault the response has.
      let text = bytes.toString('latin1', 0, Math.min(bytes.length, MAX_HEAD_BYTES + 4));
      let end = text.indexOf('\r\n\r\n');
      if (end < 0 && bytes.length > text.length) {
        text = bytes.toString('latin1');
        end = text.indexOf('\r\n\r\n');
      }
      if (hasBareLineFeed(text, end < 0 ? text.length : end)) {
        throw new HttpParseError('HPE_CR_EXPECTED', 'Missing expected CR after header value');
      }
      if (end < 0) {
        if (bytes.length > MAX_HEAD_BYTES) throw new HttpParseError('HPE_HEADER_OVERFLOW', 'Header overflow');
        // Kept as a copy: the caller's buffer may be reused.
        this.pending = Buffer.from(bytes);
        return;
      }
      if (end + 4 > MAX_HEAD_BYTES) throw new HttpParseError('HPE_HEADER_OVERFLOW', 'Header overflow');
      this.pending = undefined;
      rest = bytes.subarray(end + 4);
      this.readHead(text.slice(0, end));
      if (rest.length === 0) return;
    }
    if (!this.complete) this.readBody(rest);
  }

  /** The connection has ended: the end of a body that runs to it; any other end is early. */
  end(): void {
    if (this.body.kind === 'close') this.complete = true;
  }

  private readHead(text: string): void {
    // Lines are taken by index, not split: a head is read for every attempt.
    let lineEnd = text.indexOf('\r\n');
    if (lineEnd < 0) lineEnd = text.length;
    const statusLine = text.slice(0, lineEnd);
    const status = STATUS_LINE.exec(statusLine);
    if (!status) throw statusLineError(statusLine);
    const code = Number(status[3]);
    let location: string | undefined;
    let length: string | undefined;
    let chunked = false;
    let coded = false;
    for (let start = lineEnd + 2; start <= text.length; start = lineEnd + 2) {
      lineEnd = text.indexOf('\r\n', start);
      if (lineEnd < 0) lineEnd = text.length;
      const colon = text.indexOf(':', start);
      const name = colon > start && colon < lineEnd ? text.slice(start, colon) : '';
      if (!HEADER_NAME.test(name))
        throw new HttpParseError('HPE_INVALID_HEADER_TOKEN', 'Invalid header token');
      const value = trimBlanks(text, colon + 1, lineEnd);
      if (!HEADER_VALUE.test(value)) {
        throw new HttpParseError('HPE_INVALID_HEADER_TOKEN', 'Invalid header value char');
      }
      // Only three names matter; their lengths differ, so most names need no lower-casing.
      const lower = name.length === 8 || name.length === 14 || name.length === 17 ? name.toLowerCase() : '';
      if (lower === 'location') location ??= value;
      else if (lower === 'content-length') {
        if (!/^\d+$/.test(value) || (value.length > 15 && BigInt(value) > MAX_CONTENT_LENGTH))
          throw new HttpParseError('HPE_INVALID_CONTENT_LENGTH', 'Invalid character in Content-Length');
        if (length !== undefined)
          throw new HttpParseError('HPE_UNEXPECTED_CONTENT_LENGTH', 'Duplicate Content-Length');
        length = value;
      } else if (lower === 'transfer-encoding') {
        coded = true;
        chunked = /(?:^|,)[ \t]*chunked[ \t]*$/i.test(value);
      }
    }
    // An informational response comes before the real one, on the same connection.
    if (code >= 100 && code < 200 && code !== 101) return;
    if (coded && length !== undefined) {
      throw new HttpParseError(
        'HPE_INVALID_TRANSFER_ENCODING',
        "Transfer-Encoding can't be present with Content-Length",
      );
    }
    this.head = { status: code, statusMessage: status[4] ?? '', location };
    if (this.method === 'HEAD' || code === 204 || code === 304 || code === 101) this.body = { kind: 'none' };
    else if (chunked) this.body = { kind: 'chunked', step: 'size', left: 0, line: '' };
    else if (coded) this.body = { kind: 'close' };
    else if (length !== undefined) this.body = { kind: 'length', left: Number(length) };
    else this.body = { kind: 'close' };
    this.complete = this.body.kind === 'none' || (this.body.kind === 'length' && this.body.left === 0);
    this.onHead(this.head);
  }

  private readBody(bytes: Buffer): void {
    const body = this.body;
    if (body.kind === 'close') this.onBody(bytes);
    else if (body.kind === 'length') {
      const taken = bytes.length > body.left ? bytes.subarray(0, body.left) : bytes;
      body.left -= taken.length;
      if (body.left === 0) this.complete = true;
      if (taken.length > 0) this.onBody(taken);
    } else if (body.kind === 'chunked') this.readChunked(body, bytes);
  }

  private readChunked(body: Extract<BodyState, { kind: 'chunked' }>, bytes: Buffer): void {
    let at = 0;
    while (at < bytes.length && !this.complete) {
      if (body.step === 'data') {
        const taken = bytes.subarray(at, at + body.left);
        at += taken.length;
        body.left -= taken.length;
        if (body.left === 0) body.step = 'data-end';
        this.onBody(taken);
        continue;
      }
      // The size line, the line ending a chunk's data, and the trailers are read line by line.
      const newline = bytes.indexOf(10, at);
      const piece = bytes.toString('latin1', at, newline < 0 ? bytes.length : newline + 1);
      at += piece.length;
      body.line += piece;
      if (body.line.length > MAX_CHUNK_LINE_BYTES) {
        throw new HttpParseError('HPE_INVALID_CHUNK_SIZE', 'Chunk line too long');
      }
      if (newline < 0) continue;
      if (!body.line.endsWith('\r\n'))
        throw new HttpParseError('HPE_LF_EXPECTED', 'Missing expected CR before LF');
      const line = body.line.slice(0, -2);
      body.line = '';
      if (body.step === 'data-end') {
        if (line !== '') throw new HttpParseError('HPE_STRICT', 'Expected LF after chunk data');
        body.step = 'size';
      } else if (body.step === 'size') {
        const size = CHUNK_SIZE.exec(line);
        if (!size) throw new HttpParseError('HPE_INVALID_CHUNK_SIZE', 'Invalid character in chunk size');
        body.left = Number.parseInt(size[1] as string, 16);
        body.step = body.left === 0 ? 'trailers' : 'data';
      } else if (line === '') this.complete = true;
    }
  }
}

/** What llhttp calls a bad status line: no HTTP/ at all, a bad version, or a bad status. */
function statusLineError(line: string): HttpParseError {
  if (!line.startsWith('HTTP/')) return new HttpParseError('HPE_INVALID_CONSTANT', 'Expected HTTP/');
  if (!/^HTTP\/\d\.\d /.test(line)) return new HttpParseError('HPE_INVALID_VERSION', 'Invalid HTTP version');
  return new HttpParseError('HPE_INVALID_STATUS', 'Invalid status code');
}

/** Whether a line of the head (the text before `end`) ends in LF alone, which llhttp refuses. */
function hasBareLineFeed(text: string, end: number): boolean {
  for (let at = text.indexOf('\n'); at >= 0 && at < end; at = text.indexOf('\n', at + 1)) {
    if (at === 0 || text.charCodeAt(at - 1) !== 13) return true;
  }
  return false;
}

/** The text of `line` from `from` to `to`, without the spaces and tabs around it (and no other blanks). */
function trimBlanks(line: string, from: number, to = line.length): string {
  let start = from;
  let end = to;
  while (start < end && (line.charCodeAt(start) === 32 || line.charCodeAt(start) === 9)) start++;
  while (end > start && (line.charCodeAt(end - 1) === 32 || line.charCodeAt(end - 1) === 9)) end--;
  return line.slice(start, end);
}
