import { el, svg } from './dom.js';
import { formatMs } from './format.js';
import { CHART_HEIGHT, CHART_WIDTH, latencyPaths } from './latency-paths.js';
import { type LatencySeries, RANGE_LABELS, type Range } from './latency-series.js';

/**
 * An inline SVG line of the median RTT with the threshold as a dashed line, each point at its
 * time within the window (statuspage/latency-paths.ts); a point alone is a dot, a zero-length
 * stroke with round caps that stays round however the chart is stretched. The numbers a reader
 * needs (latest, highest, threshold) are also given as text, for screen readers and for anyone
 * who does not want to read a chart.
 */
export function renderLatencyChart(series: LatencySeries, range: Range, thresholdMs?: number): HTMLElement {
  const { points } = series;
  const values = points.flatMap((point) => (point.ms === null ? [] : [point.ms]));
  const highest = values.length > 0 ? Math.max(...values) : 0;
  const latest = [...points].reverse().find((point) => point.ms !== null)?.ms ?? undefined;
  const top = Math.max(highest, thresholdMs ?? 0, 1) * 1.1;
  const { line, dots, y } = latencyPaths(series, top);

  const summary =
    values.length === 0
      ? `No checks in the last ${RANGE_LABELS[range]}`
      : `Median response time, last ${RANGE_LABELS[range]}: latest ${formatMs(latest ?? 0)}, highest ${formatMs(highest)}${
          thresholdMs !== undefined ? `, threshold ${formatMs(thresholdMs)}` : ''
        }`;
  const chart = svg(
    'svg',
    {
      class: 'chart',
      viewBox: `0 0 ${CHART_WIDTH} ${CHART_HEIGHT}`,
      preserveAspectRatio: 'none',
      role: 'img',
      'aria-label': summary,
    },
    thresholdMs !== undefined
      ? svg('line', {
          class: 'chart-threshold',
          x1: '0',
          x2: String(CHART_WIDTH),
          y1: y(thresholdMs),
          y2: y(thresholdMs),
        })
      : null,
    line ? svg('path', { class: 'chart-line', d: line }) : null,
    dots ? svg('path', { class: 'chart-dots', d: dots }) : null,
  );
  return el('figure', { class: 'latency' }, chart, el('figcaption', null, summary));
}
