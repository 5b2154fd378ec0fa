import { el, svg } from './dom.js';
import { formatMs } from './format.js';
import { type LatencyPoint, RANGE_LABELS, type Range } from './latency-series.js';

const WIDTH = 600;
const HEIGHT = 80;

/**
 * An inline SVG line of the median RTT with the threshold as a dashed line. The numbers a
 * reader needs (latest, highest, threshold) are also given as text, for screen readers and
 * for anyone who does not want to read a chart.
 */
export function renderLatencyChart(
  points: readonly LatencyPoint[],
  range: Range,
  thresholdMs?: number,
): HTMLElement {
  const values = points.flatMap((point) => (point.ms === null ? [] : [point.ms]));
  const highest = values.length > 0 ? Math.max(...values) : 0;
  const latest = [...points].reverse().find((point) => point.ms !== null)?.ms ?? undefined;
  const top = Math.max(highest, thresholdMs ?? 0, 1) * 1.1;
  const x = (i: number) => (points.length <= 1 ? WIDTH : (i / (points.length - 1)) * WIDTH);
  const y = (ms: number) => HEIGHT - (ms / top) * HEIGHT;

  let path = '';
  let drawing = false;
  points.forEach((point, i) => {
    if (point.ms === null) {
      drawing = false;
      return;
    }
    path += `${drawing ? 'L' : 'M'}${x(i).toFixed(1)} ${y(point.ms).toFixed(1)}`;
    drawing = true;
  });

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
      viewBox: `0 0 ${WIDTH} ${HEIGHT}`,
      preserveAspectRatio: 'none',
      role: 'img',
      'aria-label': summary,
    },
    thresholdMs !== undefined
      ? svg('line', {
          class: 'chart-threshold',
          x1: '0',
          x2: String(WIDTH),
          y1: y(thresholdMs).toFixed(1),
          y2: y(thresholdMs).toFixed(1),
        })
      : null,
    path ? svg('path', { class: 'chart-line', d: path }) : null,
  );
  return el('figure', { class: 'latency' }, chart, el('figcaption', null, summary));
}
