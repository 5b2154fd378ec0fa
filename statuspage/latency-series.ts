import { type EndpointSummary, RECENT_BUCKET_MS } from '../core/summary/summary-types.js';
import { dayWindow } from './uptime.js';

/** The spans the latency chart can show. */
export const RANGES = ['24h', '7d', '30d', '90d'] as const;
export type Range = (typeof RANGES)[number];

export const RANGE_LABELS: Record<Range, string> = {
  '24h': '24 h',
  '7d': '7 days',
  '30d': '30 days',
  '90d': '90 days',
};

const DAY_MS = 86_400_000;
const DAY_COUNTS: Record<Exclude<Range, '24h'>, number> = { '7d': 7, '30d': 30, '90d': 90 };

/** One point of the chart: the middle of its bucket or day, and the median RTT then or null. */
export interface LatencyPoint {
  t: number;
  ms: number | null;
}

/** What the chart draws: its time window (unix ms, left and right edge) and the points in it. */
export interface LatencySeries {
  start: number;
  end: number;
  /** Every five-minute bucket or day of the window, oldest first; null where nothing was checked. */
  points: LatencyPoint[];
}

/**
 * The median RTTs to draw for a range: the five-minute buckets of the 24 hours up to the newest
 * run, or the daily medians of the days up to `today`. Every bucket or day of the window is a
 * point, null where nothing was checked, so each value sits at its own time and the line breaks
 * at gaps instead of lying: three buckets of checks are three points at the right edge, not a
 * line across the chart.
 */
export function latencySeries(
  endpoint: Pick<EndpointSummary, 'days' | 'recent'>,
  range: Range,
  at: { today: string; lastRun: number },
): LatencySeries {
  if (range === '24h') {
    const count = DAY_MS / RECENT_BUCKET_MS;
    const first = (Math.floor(at.lastRun / RECENT_BUCKET_MS) - (count - 1)) * RECENT_BUCKET_MS;
    const buckets = new Map(endpoint.recent.map((bucket) => [bucket.t, bucket]));
    const points = Array.from({ length: count }, (_, i) => {
      const t = first + i * RECENT_BUCKET_MS;
      const bucket = buckets.get(t);
      return { t: t + RECENT_BUCKET_MS / 2, ms: bucket && bucket.checks > 0 ? bucket.p50 : null };
    });
    return { start: first, end: first + count * RECENT_BUCKET_MS, points };
  }
  const days = dayWindow(endpoint.days, at.today, DAY_COUNTS[range]);
  const start = Date.parse(`${days[0]?.day ?? at.today}T00:00:00Z`);
  return {
    start,
    end: start + days.length * DAY_MS,
    points: days.map(({ day, summary }) => ({
      t: Date.parse(`${day}T00:00:00Z`) + DAY_MS / 2,
      ms: summary && summary.checks > 0 ? summary.p50 : null,
    })),
  };
}
