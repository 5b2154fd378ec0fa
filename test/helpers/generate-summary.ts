import type { Status } from '../../core/result.js';
import {
  type DaySummary,
  type EndpointSummary,
  RECENT_BUCKET_MS,
  type RecentBucket,
  type StatusSummary,
  SUMMARY_DAYS,
  type TimelineEvent,
} from '../../core/summary/summary-types.js';

export interface GenerateOptions {
  /** Endpoints (default 50). */
  endpoints?: number;
  /** Days of history (default 90). */
  days?: number;
  /** "Now" (unix ms); the newest run is one minute before. Default 2026-11-24T12:00Z. */
  now?: number;
  /** PRNG seed: the same seed gives the same document. */
  seed?: number;
  /** The check interval (ms, default one minute): sets checks per day and the run names. */
  intervalMs?: number;
  /** Group names given in turn to the endpoints (endpoint i gets groups[i % length]); none by default. */
  groups?: readonly string[];
}

/** 2026-11-24T12:00:00Z, a fixed "now" so that generated documents are identical run to run. */
export const GENERATED_NOW = Date.UTC(2026, 10, 24, 12, 0, 0);

const DAY_MS = 86_400_000;

/**
 * A deterministic StatusSummary such as the storage writes it after `days` of checks every
 * minute: mostly healthy endpoints with a few incidents, slow days, messages with links, TLS
 * certificates and regions. Endpoint 0 is down, endpoint 1 degraded, the rest healthy.
 */
export function generateSummary(options: GenerateOptions = {}): StatusSummary {
  const count = options.endpoints ?? 50;
  const dayCount = Math.min(options.days ?? SUMMARY_DAYS, SUMMARY_DAYS);
  const now = options.now ?? GENERATED_NOW;
  const intervalMs = options.intervalMs ?? 60_000;
  const random = mulberry32(options.seed ?? 7);
  const lastRun = now - intervalMs;
  const timeline: TimelineEvent[] = [];

  const endpoints = Array.from({ length: count }, (_, index): EndpointSummary => {
    const title = `Service ${String(index + 1).padStart(2, '0')} ${SERVICE_WORDS[index % SERVICE_WORDS.length]}`;
    const status: Status = index === 0 ? 'down' : index === 1 ? 'degraded' : 'healthy';
    const base = 30 + Math.round(random() * 300);
    const thresholdMs = index % 2 === 0 ? base * 3 : undefined;
    const days = makeDays(dayCount, lastRun, intervalMs, base, random);
    const today = days.at(-1);
    if (today && status !== 'healthy') {
      // The last hour (since `since`) had this status: count it in today's figures too.
      const hour = Math.min(today.healthy, Math.round(3_600_000 / intervalMs));
      today.healthy -= hour;
      today[status] += hour;
    }
    const recent = makeRecent(lastRun, intervalMs, base, status, random);
    const since = status === 'healthy' ? now - DAY_MS * (1 + Math.floor(random() * 20)) : now - 3_600_000;
    for (const day of days) {
      if (day.down === 0) continue;
      const start = Date.parse(`${day.day}T00:00:00Z`) + Math.floor(random() * 20) * 3_600_000;
      timeline.push({ t: start, title, kind: 'status', status: 'down', previous: 'healthy' });
      timeline.push({
        t: start + day.down * intervalMs,
        title,
        kind: 'status',
        status: 'healthy',
        previous: 'down',
      });
    }
    if (status !== 'healthy') timeline.push({ t: since, title, kind: 'status', status, previous: 'healthy' });
    const endpoint: EndpointSummary = {
      title,
      endpoint: `https://svc${index + 1}.example.com/health`,
      status,
      since,
      lastCheck: lastRun,
      ...(thresholdMs !== undefined ? { thresholdMs } : {}),
      ...(status === 'down' ? { error: 'connect ECONNREFUSED 203.0.113.9:443' } : {}),
      ...(status === 'degraded' ? { notice: `median RTT over threshold` } : {}),
      ...(options.groups?.length ? { group: options.groups[index % options.groups.length] } : {}),
      ...(index % 3 === 0
        ? {
            cert: {
              expires: now + DAY_MS * (10 + ((index * 7) % 80)),
              issuer: 'CN=Example CA',
              subject: `CN=svc${index + 1}.example.com`,
            },
          }
        : {}),
      ...(index % 10 === 4
        ? {
            regions: [
              { name: 'eu-west-1', status: 'healthy' as const, rttMs: 41.5, lastCheck: lastRun },
              {
                name: 'us-east-1',
                status: status === 'healthy' ? ('healthy' as const) : ('down' as const),
                lastCheck: lastRun,
              },
            ],
          }
        : {}),
      days,
      recent,
    };
    return endpoint;
  });

  timeline.push({
    t: now - 2 * 3_600_000,
    title: endpoints[0]?.title ?? 'Service',
    kind: 'message',
    text: 'Investigating connection failures; updates at https://status.example.com/incidents/42 and in #ops.',
  });
  timeline.sort((a, b) => b.t - a.t);

  const lastRunNs = BigInt(lastRun) * 1_000_000n;
  const recentRuns = Array.from(
    { length: 100 },
    (_, i) => `${lastRunNs - BigInt(i) * BigInt(intervalMs) * 1_000_000n}-check.json`,
  );
  return {
    version: 1,
    updated: lastRun + 2_000,
    lastRun,
    intervalMs,
    endpoints,
    timeline: timeline.slice(0, 200),
    recentRuns,
  };
}

const SERVICE_WORDS = [
  'API',
  'Website',
  'Login',
  'Search',
  'Payments',
  'CDN',
  'Mail',
  'Docs',
  'Status',
  'Git',
];

function makeDays(
  dayCount: number,
  lastRun: number,
  intervalMs: number,
  base: number,
  random: () => number,
): DaySummary[] {
  const today = Math.floor(lastRun / DAY_MS) * DAY_MS;
  return Array.from({ length: dayCount }, (_, i) => {
    const start = today - (dayCount - 1 - i) * DAY_MS;
    const checks = Math.max(1, Math.floor((Math.min(lastRun + 1, start + DAY_MS) - start) / intervalMs));
    const roll = random();
    const down = roll < 0.04 ? 1 + Math.floor(random() * 30) : 0;
    const degraded = roll > 0.93 ? 1 + Math.floor(random() * 60) : 0;
    const p50 = round1(base * (0.8 + random() * 0.4) * (degraded > 0 ? 1.5 : 1));
    return {
      day: new Date(start).toISOString().slice(0, 10),
      checks,
      healthy: checks - down - degraded,
      degraded,
      down,
      p50,
      p95: round1(p50 * (1.4 + random() * 0.4)),
      p99: round1(p50 * (2 + random())),
    };
  });
}

function makeRecent(
  lastRun: number,
  intervalMs: number,
  base: number,
  status: Status,
  random: () => number,
): RecentBucket[] {
  const newest = Math.floor(lastRun / RECENT_BUCKET_MS) * RECENT_BUCKET_MS;
  return Array.from({ length: 288 }, (_, i) => {
    const t = newest - (287 - i) * RECENT_BUCKET_MS;
    const tail = i >= 276;
    const worst: Status = tail && status !== 'healthy' ? status : random() < 0.01 ? 'degraded' : 'healthy';
    const wave = 1 + 0.25 * Math.sin((i / 288) * Math.PI * 2);
    const checks = Math.max(1, Math.round(RECENT_BUCKET_MS / intervalMs));
    return {
      t,
      checks,
      ...(worst === 'down' ? { down: checks } : {}),
      p50: round1(base * wave * (0.85 + random() * 0.3) * (worst === 'degraded' ? 3.5 : 1)),
      worst,
    };
  });
}

function round1(value: number): number {
  return Math.round(value * 10) / 10;
}

/** A small, fast, seeded PRNG: the same seed gives the same sequence. */
function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}
