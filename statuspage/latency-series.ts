import type { EndpointSummary } from '../core/summary/summary-types.js';
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

/** One point of the chart: a time and the median RTT then, or null where nothing was checked. */
export interface LatencyPoint {
  t: number;
  ms: number | null;
}

/**
 * The median RTTs to draw for a range: the five-minute buckets for 24 h, the daily medians
 * for longer spans. Gaps (no checks) are null, so the line breaks instead of lying.
 */
export function latencySeries(endpoint: EndpointSummary, range: Range, today: string): LatencyPoint[] {
  if (range === '24h')
    return endpoint.recent.map((bucket) => ({ t: bucket.t, ms: bucket.checks > 0 ? bucket.p50 : null }));
  const count = range === '7d' ? 7 : range === '30d' ? 30 : 90;
  return dayWindow(endpoint.days, today, count).map(({ day, summary }) => ({
    t: Date.parse(`${day}T00:00:00Z`),
    ms: summary && summary.checks > 0 ? summary.p50 : null,
  }));
}
