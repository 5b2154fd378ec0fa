import type {
  HistoryBlock,
  OpenHours,
  OverviewPart,
  RecentBlock,
  StatusOverview,
} from '../core/summary/page-document-types.js';
import type { PageSettings } from '../core/summary/page-settings.js';

/** The data the page was given is not what it expects; the message says where. */
export class MalformedDataError extends Error {
  override name = 'MalformedDataError';
}

const STATUSES = new Set(['healthy', 'degraded', 'down', 'unknown']);

/**
 * Checks that a parsed overview.json has the shape the page relies on, so a broken file gives a
 * clear message instead of a half-drawn page. Checks the structure, not every number.
 */
export function checkOverview(value: unknown): StatusOverview {
  const doc = object(value, 'overview');
  if (doc.version !== 2)
    throw new MalformedDataError(`overview.version: expected 2, got ${String(doc.version)}`);
  number(doc.updated, 'overview.updated');
  number(doc.lastRun, 'overview.lastRun');
  if (doc.intervalMs !== undefined) number(doc.intervalMs, 'overview.intervalMs');
  if (doc.openHoursFrom !== undefined) number(doc.openHoursFrom, 'overview.openHoursFrom');
  checkEndpoints(doc.endpoints, 'overview.endpoints');
  if (doc.parts !== undefined)
    for (const [i, block] of array(doc.parts, 'overview.parts').entries())
      number(block, `overview.parts[${i}]`);
  array(doc.timeline, 'overview.timeline').forEach((e, i) => {
    const event = object(e, `overview.timeline[${i}]`);
    number(event.t, `overview.timeline[${i}].t`);
    string(event.title, `overview.timeline[${i}].title`);
    if (event.text !== undefined) string(event.text, `overview.timeline[${i}].text`);
  });
  for (const [i, run] of array(doc.recentRuns, 'overview.recentRuns').entries())
    string(run, `overview.recentRuns[${i}]`);
  return doc as unknown as StatusOverview;
}

/** Checks one part of a split overview (`/data/overview/<segment>.json`; one block's before segments). */
export function checkOverviewPart(value: unknown): OverviewPart {
  const doc = object(value, 'overview part');
  number(doc.segment ?? doc.block, 'overview part.segment');
  checkEndpoints(doc.endpoints, 'overview part.endpoints');
  return doc as unknown as OverviewPart;
}

/** Checks an overview's (or a part's) endpoints. */
function checkEndpoints(value: unknown, where: string): void {
  array(value, where).forEach((item, i) => {
    const at = `${where}[${i}]`;
    const endpoint = object(item, at);
    string(endpoint.title, `${at}.title`);
    string(endpoint.endpoint, `${at}.endpoint`);
    if (!STATUSES.has(endpoint.status as string)) throw new MalformedDataError(`${at}.status: not a status`);
    number(endpoint.since, `${at}.since`);
    number(endpoint.lastCheck, `${at}.lastCheck`);
    number(endpoint.block, `${at}.block`);
    for (const key of ['error', 'notice', 'message', 'reason', 'group'] as const)
      if (endpoint[key] !== undefined) string(endpoint[key], `${at}.${key}`);
    if (endpoint.reason !== undefined) string(endpoint.reason, `${at}.reason`);
    // Each region's view; summaries written before regions voted hold plain names (not shown).
    if (endpoint.regions !== undefined)
      for (const [j, item] of array(endpoint.regions, `${at}.regions`).entries()) {
        if (typeof item === 'string') continue;
        const region = object(item, `${at}.regions[${j}]`);
        string(region.name, `${at}.regions[${j}].name`);
        if (!STATUSES.has(region.status as string))
          throw new MalformedDataError(`${at}.regions[${j}].status: not a status`);
        number(region.lastCheck, `${at}.regions[${j}].lastCheck`);
        if (region.rttMs !== undefined) number(region.rttMs, `${at}.regions[${j}].rttMs`);
      }
    if (endpoint.cert !== undefined)
      number(object(endpoint.cert, `${at}.cert`).expires, `${at}.cert.expires`);
    const uptime = object(endpoint.uptime, `${at}.uptime`);
    for (const key of ['h24', 'd7', 'd30', 'd90'])
      if (uptime[key] !== undefined) number(uptime[key], `${at}.uptime.${key}`);
    checkDays(endpoint.days, `${at}.days`);
    if (endpoint.recent !== undefined) checkBuckets(endpoint.recent, `${at}.recent`);
  });
}

/** Checks a history block (`/data/history/<block>.json`). */
export function checkHistoryBlock(value: unknown): HistoryBlock {
  const doc = object(value, 'history');
  string(doc.through, 'history.through');
  array(doc.endpoints, 'history.endpoints').forEach((item, i) => {
    const entry = object(item, `history.endpoints[${i}]`);
    string(entry.title, `history.endpoints[${i}].title`);
    checkDays(entry.days, `history.endpoints[${i}].days`);
  });
  return doc as unknown as HistoryBlock;
}

/** Checks a recent hour of a block (`/data/recent/<block>-<slot>.json`). */
export function checkRecentBlock(value: unknown): RecentBlock {
  const doc = object(value, 'recent');
  number(doc.hour, 'recent.hour');
  array(doc.endpoints, 'recent.endpoints').forEach((item, i) => {
    const at = `recent.endpoints[${i}]`;
    const entry = object(item, at);
    string(entry.title, `${at}.title`);
    checkBuckets(entry.recent, `${at}.recent`);
  });
  return doc as unknown as RecentBlock;
}

/** Checks a segment's open hours (`/data/recent/open-<segment>.json`). */
export function checkOpenHours(value: unknown): OpenHours {
  const doc = object(value, 'open hours');
  number(doc.from, 'open hours.from');
  array(doc.endpoints, 'open hours.endpoints').forEach((item, i) => {
    const at = `open hours.endpoints[${i}]`;
    const entry = object(item, at);
    string(entry.title, `${at}.title`);
    checkBuckets(entry.recent, `${at}.recent`);
  });
  return doc as unknown as OpenHours;
}

function checkBuckets(value: unknown, at: string): void {
  array(value, at).forEach((b, j) => {
    const bucket = object(b, `${at}[${j}]`);
    number(bucket.t, `${at}[${j}].t`);
    number(bucket.checks, `${at}[${j}].checks`);
    number(bucket.p50, `${at}[${j}].p50`);
    if (bucket.down !== undefined) number(bucket.down, `${at}[${j}].down`);
  });
}

function checkDays(value: unknown, at: string): void {
  array(value, at).forEach((d, j) => {
    const day = object(d, `${at}[${j}]`);
    string(day.day, `${at}[${j}].day`);
    for (const key of ['checks', 'healthy', 'degraded', 'down', 'p50'])
      number(day[key], `${at}[${j}].${key}`);
  });
}

/** Page settings from /data/page.json, each field checked; anything missing or wrong keeps its default. */
export function checkSettings(value: unknown, defaults: PageSettings): PageSettings {
  if (typeof value !== 'object' || value === null) return defaults;
  const raw = value as Record<string, unknown>;
  const banners = (typeof raw.banners === 'object' && raw.banners !== null ? raw.banners : {}) as Record<
    string,
    unknown
  >;
  const text = (v: unknown, fallback: string) => (typeof v === 'string' && v !== '' ? v : fallback);
  const settings: PageSettings = {
    title: text(raw.title, defaults.title),
    banners: {
      healthy: text(banners.healthy, defaults.banners.healthy),
      degraded: text(banners.degraded, defaults.banners.degraded),
      down: text(banners.down, defaults.banners.down),
    },
    refreshMs: typeof raw.refreshMs === 'number' && raw.refreshMs >= 0 ? raw.refreshMs : defaults.refreshMs,
  };
  if (typeof raw.description === 'string') settings.description = raw.description;
  if (typeof raw.staleAfterMs === 'number' && raw.staleAfterMs > 0) settings.staleAfterMs = raw.staleAfterMs;
  // Only an https URL (or http on loopback, for local tests): the form posts nowhere else.
  if (
    typeof raw.subscribeUrl === 'string' &&
    /^(https:\/\/|http:\/\/127\.0\.0\.1[:/])/.test(raw.subscribeUrl)
  )
    settings.subscribeUrl = raw.subscribeUrl;
  return settings;
}

function object(value: unknown, at: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new MalformedDataError(`${at}: expected an object`);
  return value as Record<string, unknown>;
}

function array(value: unknown, at: string): unknown[] {
  if (!Array.isArray(value)) throw new MalformedDataError(`${at}: expected a list`);
  return value;
}

function string(value: unknown, at: string): void {
  if (typeof value !== 'string') throw new MalformedDataError(`${at}: expected text`);
}

function number(value: unknown, at: string): void {
  if (typeof value !== 'number' || !Number.isFinite(value))
    throw new MalformedDataError(`${at}: expected a number`);
}
