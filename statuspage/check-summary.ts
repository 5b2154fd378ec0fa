import type { PageSettings } from '../core/summary/page-settings.js';
import type { StatusSummary } from '../core/summary/summary-types.js';

/** The data the page was given is not what it expects; the message says where. */
export class MalformedDataError extends Error {
  override name = 'MalformedDataError';
}

const STATUSES = new Set(['healthy', 'degraded', 'down', 'unknown']);

/**
 * Checks that a parsed summary.json has the shape the page relies on, so a broken file gives a
 * clear message instead of a half-drawn page. Checks the structure, not every number.
 */
export function checkSummary(value: unknown): StatusSummary {
  const doc = object(value, 'summary');
  if (doc.version !== 1)
    throw new MalformedDataError(`summary.version: expected 1, got ${String(doc.version)}`);
  number(doc.updated, 'summary.updated');
  number(doc.lastRun, 'summary.lastRun');
  if (doc.intervalMs !== undefined) number(doc.intervalMs, 'summary.intervalMs');
  array(doc.endpoints, 'summary.endpoints').forEach((item, i) => {
    const at = `summary.endpoints[${i}]`;
    const endpoint = object(item, at);
    string(endpoint.title, `${at}.title`);
    string(endpoint.endpoint, `${at}.endpoint`);
    if (!STATUSES.has(endpoint.status as string)) throw new MalformedDataError(`${at}.status: not a status`);
    number(endpoint.since, `${at}.since`);
    number(endpoint.lastCheck, `${at}.lastCheck`);
    for (const key of ['error', 'notice', 'message'] as const)
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
    array(endpoint.days, `${at}.days`).forEach((d, j) => {
      const day = object(d, `${at}.days[${j}]`);
      string(day.day, `${at}.days[${j}].day`);
      for (const key of ['checks', 'healthy', 'degraded', 'down', 'p50'])
        number(day[key], `${at}.days[${j}].${key}`);
    });
    array(endpoint.recent, `${at}.recent`).forEach((b, j) => {
      const bucket = object(b, `${at}.recent[${j}]`);
      number(bucket.t, `${at}.recent[${j}].t`);
      number(bucket.checks, `${at}.recent[${j}].checks`);
      number(bucket.p50, `${at}.recent[${j}].p50`);
      if (bucket.down !== undefined) number(bucket.down, `${at}.recent[${j}].down`);
    });
  });
  array(doc.timeline, 'summary.timeline').forEach((e, i) => {
    const event = object(e, `summary.timeline[${i}]`);
    number(event.t, `summary.timeline[${i}].t`);
    string(event.title, `summary.timeline[${i}].title`);
    if (event.text !== undefined) string(event.text, `summary.timeline[${i}].text`);
  });
  for (const [i, run] of array(doc.recentRuns, 'summary.recentRuns').entries())
    string(run, `summary.recentRuns[${i}]`);
  return doc as unknown as StatusSummary;
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
