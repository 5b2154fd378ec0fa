import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import http from 'node:http';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { CACHE_RULES } from '../core/cache-rules.js';
import { MAX_PING_BODY, type PingRequest } from '../core/heartbeat/parse-ping.js';
import type { PingAnswer } from '../core/heartbeat/receive-ping.js';
import { buildAtomFeed } from '../core/incidents/atom-feed.js';
import type { PublicNotices } from '../core/incidents/public-notices.js';
import { stringifyResults } from '../core/result-json.js';
import { parseRunFileName, type Storage } from '../core/storage.js';
import {
  type EndpointStatus,
  isPageDocumentName,
  OVERVIEW_NAME,
  type OverviewEndpoint,
  overviewPartName,
  type StatusOverview,
} from '../core/summary/page-document-types.js';
import { pageDocument } from '../core/summary/page-documents.js';
import type { PageSettings } from '../core/summary/page-settings.js';
import { renderBadge } from '../core/summary/render-badge.js';
import type { StatusSummary, TimelineEvent } from '../core/summary/summary-types.js';
import { terminalText } from './terminal-text.js';

/** Where `checkup serve` gets `/data/*` from: the summary document and the raw run files. */
export interface StatusData {
  /** The summary as readers may see it (no writer bookkeeping), or undefined when there is none yet. */
  summary(): Promise<StatusSummary | undefined>;
  /**
   * A token that changes with the summary, cheaper than `summary()`; undefined when it cannot be
   * told (then the summary is read again at most once every SUMMARY_RECHECK_MS).
   */
  summaryVersion?(): Promise<string | undefined>;
  /**
   * The page documents as the storage keeps them, read by name (undefined: not written), when it
   * keeps them current; undefined when they are drawn from `summary()` (a store that keeps none,
   * or an old summary).
   */
  pageDocuments?(): Promise<((name: string) => Promise<string | undefined>) | undefined>;
  /** A run file's bytes (the name is already checked to be `<digits>-check.json`), or undefined. */
  run(name: string): Promise<Buffer | undefined>;
}

export interface StatusServerOptions {
  /** The built page: a folder holding index.html, app.js and app-style.css. */
  siteDir: string;
  data: StatusData;
  settings: PageSettings;
  /**
   * Maintenance and incidents now, for `/data/notices.json` and `/data/feed.atom` (with the
   * summary's timeline); without it both are 404.
   */
  notices?: () => Promise<PublicNotices>;
  /** Receives heartbeat pings at `/ping/<token>[/fail]` (GET or POST); without it they are 404. */
  pings?: (request: PingRequest) => Promise<PingAnswer>;
}

interface Asset {
  body: Buffer;
  gzipped?: Buffer;
  etag: string;
  type: string;
  cache: string;
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml; charset=utf-8',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
};

/** Revalidate every time (cheap with ETag): the page and summary change in place. */
const REVALIDATE = CACHE_RULES.revalidate;
/** How long a summary whose version cannot be told is served before it is read again. */
export const SUMMARY_RECHECK_MS = 1000;

const IMMUTABLE = CACHE_RULES.run;

const SECURITY_HEADERS = {
  'content-security-policy':
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
};

/**
 * The HTTP server behind `checkup serve`: the built status page at `/`, and the same `/data/*`
 * paths CloudFront serves in AWS. Paths are never joined onto the file system from the request:
 * page files come from a list read at start, run names must match `<digits>-check.json`, so a
 * request cannot reach any other file.
 */
export async function createStatusServer(options: StatusServerOptions): Promise<http.Server> {
  const site = await loadSite(options.siteDir);
  const pageJson = asset(Buffer.from(JSON.stringify(options.settings)), TYPES['.json'] as string, REVALIDATE);
  // What is served from the summary, per change of its version: the page documents, passed
  // through as the storage keeps them (badges and the feed read the stored overview), or, from a
  // store that keeps none, drawn from the whole summary, which is read and parsed on first need
  // (and for summary.json). Each is made on first request and kept until the version changes, so
  // the page, badges and feed never read the whole summary (~5,200 reads at 10,000 endpoints)
  // from a store that keeps its documents.
  interface SummaryEntry {
    version: string | undefined;
    readAt: number;
    summary?: Promise<StatusSummary | undefined>;
    /** The stored page documents' reader (or undefined: drawn), asked once per version. */
    stored?: Promise<((name: string) => Promise<string | undefined>) | undefined>;
    asset?: Asset;
    statuses?: Promise<Map<string, EndpointStatus>>;
    /** The page documents served for this version so far, by name. */
    documents?: Map<string, Promise<Asset | undefined>>;
  }
  let current: SummaryEntry | undefined;
  // One version check at a time: a burst of requests shares it.
  let checking: Promise<SummaryEntry> | undefined;

  async function checkVersion(): Promise<SummaryEntry> {
    const version = await options.data.summaryVersion?.();
    const known = current;
    if (known && version !== undefined && version === known.version) return known;
    if (known && version === undefined && Date.now() - known.readAt < SUMMARY_RECHECK_MS) return known;
    current = { version, readAt: Date.now() };
    return current;
  }

  async function currentEntry(): Promise<SummaryEntry> {
    checking ??= checkVersion().finally(() => {
      checking = undefined;
    });
    return checking;
  }

  /** `entry[key]`, made once by `make`; a failure is not kept, so the next request tries again. */
  function once<K extends 'summary' | 'stored' | 'statuses'>(
    entry: SummaryEntry,
    key: K,
    make: () => NonNullable<SummaryEntry[K]>,
  ): NonNullable<SummaryEntry[K]> {
    const made = entry[key] ?? make();
    if (entry[key] !== made) {
      entry[key] = made;
      made.catch(() => {
        if (entry[key] === made) delete entry[key];
      });
    }
    return made as NonNullable<SummaryEntry[K]>;
  }

  async function currentSummary(): Promise<{ entry: SummaryEntry; summary: StatusSummary | undefined }> {
    const entry = await currentEntry();
    return { entry, summary: await once(entry, 'summary', () => options.data.summary()) };
  }

  async function summaryAsset(): Promise<Asset | undefined> {
    const { entry, summary } = await currentSummary();
    if (!summary) return undefined;
    entry.asset ??= asset(Buffer.from(JSON.stringify(summary)), TYPES['.json'] as string, REVALIDATE);
    return entry.asset;
  }

  /**
   * A page document (overview, history block, recent hour): as the storage keeps it, which is
   * what the writers drew from the summary; from a store that keeps none, drawn the same way
   * from the whole summary, so `serve` serves any storage. Each is made once per summary change.
   */
  async function documentAsset(name: string): Promise<Asset | undefined> {
    const entry = await currentEntry();
    entry.documents ??= new Map();
    const documents = entry.documents;
    let made = documents.get(name);
    if (!made) {
      made = makeDocument(entry, name);
      documents.set(name, made);
      const kept = made;
      made.catch(() => {
        if (documents.get(name) === kept) documents.delete(name);
      });
    }
    return made;
  }

  function storedDocuments(entry: SummaryEntry): NonNullable<SummaryEntry['stored']> {
    return once(entry, 'stored', () => options.data.pageDocuments?.() ?? Promise.resolve(undefined));
  }

  async function makeDocument(entry: SummaryEntry, name: string): Promise<Asset | undefined> {
    const stored = await storedDocuments(entry);
    if (stored) {
      const text = await stored(name);
      return text === undefined ? undefined : asset(Buffer.from(text), TYPES['.json'] as string, REVALIDATE);
    }
    const summary = await once(entry, 'summary', () => options.data.summary());
    const document = summary && pageDocument(summary, name);
    return document && asset(Buffer.from(JSON.stringify(document)), TYPES['.json'] as string, REVALIDATE);
  }

  /**
   * From a store that keeps its page documents, the stored overview (index and parts) parsed:
   * what the feed's timeline and the badges' statuses are read from there; undefined otherwise.
   */
  async function storedOverview(): Promise<Array<Partial<StatusOverview>> | undefined> {
    if (!(await storedDocuments(await currentEntry()))) return undefined;
    const parse = async (name: string) => {
      const found = await documentAsset(name);
      return found && (JSON.parse(found.body.toString('utf8')) as Partial<StatusOverview>);
    };
    const index = await parse(OVERVIEW_NAME);
    if (!index) return [];
    const parts = Array.isArray(index.parts) ? index.parts : [];
    const documents = await Promise.all(parts.map((segment) => parse(overviewPartName(segment))));
    return [index, ...documents.filter((document) => document !== undefined)];
  }

  /** The status timeline, for the feed: the stored overview's (the summary's own), else the whole summary's. */
  async function currentTimeline(): Promise<TimelineEvent[]> {
    const overview = await storedOverview();
    if (overview) return Array.isArray(overview[0]?.timeline) ? overview[0].timeline : [];
    return (await currentSummary()).summary?.timeline ?? [];
  }

  /** Each endpoint's status by title, for badges: from the stored overview, else the whole summary. */
  async function currentStatuses(): Promise<Map<string, EndpointStatus>> {
    const entry = await currentEntry();
    return once(entry, 'statuses', async () => {
      const overview = await storedOverview();
      if (overview) return endpointStatuses(overview.flatMap((document) => document.endpoints ?? []));
      const { summary } = await currentSummary();
      return endpointStatuses(summary?.endpoints ?? []);
    });
  }

  async function route(pathname: string): Promise<Asset | undefined> {
    if (pathname === '/') return site.get('index.html');
    if (!pathname.startsWith('/data/')) return site.get(pathname.slice(1));
    const rest = pathname.slice('/data/'.length);
    if (rest === 'summary.json') return summaryAsset();
    if (rest === 'page.json') return pageJson;
    if ((rest === 'notices.json' || rest === 'feed.atom') && options.notices) {
      const notices = await options.notices();
      if (rest === 'notices.json')
        return asset(Buffer.from(JSON.stringify(notices)), TYPES['.json'] as string, REVALIDATE);
      const timeline = await currentTimeline();
      const feed = buildAtomFeed({ title: options.settings.title, notices, timeline, nowMs: Date.now() });
      return asset(Buffer.from(feed), 'application/atom+xml; charset=utf-8', REVALIDATE);
    }
    if (isPageDocumentName(rest)) return documentAsset(rest);
    if (rest.startsWith('runs/')) {
      const name = rest.slice('runs/'.length);
      if (!parseRunFileName(name)) return undefined;
      const body = await options.data.run(name);
      return body ? asset(body, TYPES['.json'] as string, IMMUTABLE) : undefined;
    }
    if (rest.startsWith('badge/') && rest.endsWith('.svg')) {
      const title = rest.slice('badge/'.length, -'.svg'.length);
      const status = (await currentStatuses()).get(title);
      if (!status) return undefined;
      return asset(Buffer.from(renderBadge(title, status)), TYPES['.svg'] as string, CACHE_RULES.badge);
    }
    return undefined;
  }

  return http.createServer((request, response) => {
    const send = (status: number, body: string, extra: Record<string, string> = {}) => {
      response.writeHead(status, {
        ...SECURITY_HEADERS,
        'content-type': 'text/plain; charset=utf-8',
        ...extra,
      });
      response.end(request.method === 'HEAD' ? undefined : body);
    };
    if (options.pings && /^\/ping(\/|$)/.test(request.url ?? '')) {
      receivePingRequest(request, options.pings).then(
        (answer) => send(answer.status, answer.body, { 'cache-control': 'no-store' }),
        (error: unknown) => {
          // The path holds the token: the line names neither.
          process.stderr.write(
            `${terminalText(`checkup serve: a ping was not stored: ${error instanceof Error ? error.message : String(error)}`)}\n`,
          );
          send(500, 'internal error\n', { 'cache-control': 'no-store' });
        },
      );
      return;
    }
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      send(405, 'method not allowed\n', { allow: 'GET, HEAD' });
      return;
    }
    let pathname: string;
    try {
      pathname = decodeURIComponent(new URL(request.url ?? '/', 'http://localhost').pathname);
    } catch {
      send(400, 'bad request\n');
      return;
    }
    route(pathname).then(
      (found) => {
        if (!found) {
          send(404, 'not found\n', { 'cache-control': REVALIDATE });
          return;
        }
        const headers: Record<string, string> = {
          ...SECURITY_HEADERS,
          'content-type': found.type,
          'cache-control': found.cache,
          etag: found.etag,
          vary: 'Accept-Encoding',
        };
        if (request.headers['if-none-match'] === found.etag) {
          response.writeHead(304, headers);
          response.end();
          return;
        }
        const gzip = found.gzipped && /\bgzip\b/.test(String(request.headers['accept-encoding'] ?? ''));
        const body = gzip ? (found.gzipped as Buffer) : found.body;
        if (gzip) headers['content-encoding'] = 'gzip';
        headers['content-length'] = String(body.length);
        response.writeHead(200, headers);
        response.end(request.method === 'HEAD' ? undefined : body);
      },
      (error: unknown) => {
        process.stderr.write(
          `${terminalText(`checkup serve: ${pathname}: ${error instanceof Error ? error.message : String(error)}`)}\n`,
        );
        send(500, 'internal error\n');
      },
    );
  });
}

/**
 * Reads a ping request (its body up to MAX_PING_BODY bytes; a larger one is answered 413 unread)
 * and hands it to `pings`.
 */
async function receivePingRequest(
  request: http.IncomingMessage,
  pings: (request: PingRequest) => Promise<PingAnswer>,
): Promise<PingAnswer | { status: 413; body: string }> {
  const url = new URL(request.url ?? '/', 'http://localhost');
  const tooLarge = { status: 413 as const, body: `a ping body is at most ${MAX_PING_BODY} bytes\n` };
  if (Number(request.headers['content-length'] ?? 0) > MAX_PING_BODY) {
    request.resume();
    return tooLarge;
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_PING_BODY) {
      request.resume();
      return tooLarge;
    }
    chunks.push(chunk);
  }
  return pings({
    method: request.method ?? 'GET',
    path: url.pathname,
    query: url.searchParams.get('msg') ?? undefined,
    body: Buffer.concat(chunks).toString('utf8'),
  });
}

/**
 * `/data/*` from any Storage: the summary through `readSummary()`, the page documents as it keeps
 * them (`pageDocuments()`), run files through `read()`.
 * A run that is not there is a 404; any other failure is a 500, reported on stderr.
 */
export function storageStatusData(
  storage: Pick<Storage, 'readSummary' | 'read' | 'summaryVersion' | 'pageDocuments'>,
): StatusData {
  return {
    summaryVersion: () => storage.summaryVersion?.() ?? Promise.resolve(undefined),
    pageDocuments: () => storage.pageDocuments?.() ?? Promise.resolve(undefined),
    async summary() {
      const summary = await storage.readSummary();
      if (!summary) return undefined;
      // The writers' bookkeeping (open histograms) is of no use to a reader: leave it out.
      const { writer: _writer, ...forReaders } = summary;
      return forReaders;
    },
    async run(name) {
      try {
        return Buffer.from(stringifyResults(await storage.read(name)));
      } catch (error) {
        if (isNotFound(error)) return undefined;
        throw error;
      }
    },
  };
}

/** fs says ENOENT; the S3 and DynamoDB storages say "no such run: ..." (their read() contract). */
function isNotFound(error: unknown): boolean {
  const { code, message } = error as { code?: string; message?: string };
  return code === 'ENOENT' || (typeof message === 'string' && message.startsWith('no such run'));
}

async function loadSite(dir: string): Promise<Map<string, Asset>> {
  const site = new Map<string, Asset>();
  for (const name of await readdir(dir)) {
    const type = TYPES[path.extname(name)];
    if (!type || name.startsWith('.')) continue;
    site.set(name, asset(await readFile(path.join(dir, name)), type, REVALIDATE));
  }
  if (!site.has('index.html'))
    throw new Error(`${dir} has no index.html: build the page with "npm run build"`);
  return site;
}

function asset(body: Buffer, type: string, cache: string): Asset {
  const compressible = !type.startsWith('image/png') && body.length > 1024;
  const etag = `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`;
  return { body, etag, type, cache, ...(compressible ? { gzipped: gzipSync(body) } : {}) };
}

/** Each endpoint's status by title, for badges; a malformed document's odd entries have none. */
function endpointStatuses(endpoints: unknown): Map<string, EndpointStatus> {
  const statuses = new Map<string, EndpointStatus>();
  for (const endpoint of (Array.isArray(endpoints) ? endpoints : []) as Array<Partial<OverviewEndpoint>>) {
    const { title, status } = endpoint ?? {};
    if (typeof title === 'string' && status && ['healthy', 'degraded', 'down', 'unknown'].includes(status))
      statuses.set(title, status);
  }
  return statuses;
}
