import type { LatencySeries } from './latency-series.js';

/** The chart's drawing box (SVG user units; the chart stretches it to its width). */
export const CHART_WIDTH = 600;
export const CHART_HEIGHT = 80;

/** SVG path data of a latency series: the lines, the lone points, and how to place a value. */
export interface LatencyPaths {
  /** Runs of neighbouring points, as lines. */
  line: string;
  /** Points with no neighbour, each a zero-length stroke (drawn as a dot by round caps). */
  dots: string;
  /** The y of a value in ms, for the threshold line. */
  y(ms: number): string;
}

/**
 * Places each point at its time within the series' window (x) and its value under `topMs` (y):
 * a point with checks on both sides joins them in a line, a point alone is a dot, and nothing is
 * drawn where nothing was checked.
 */
export function latencyPaths(series: LatencySeries, topMs: number): LatencyPaths {
  const { points, start, end } = series;
  const x = (t: number) => (((t - start) / Math.max(1, end - start)) * CHART_WIDTH).toFixed(1);
  const y = (ms: number) => (CHART_HEIGHT - (ms / topMs) * CHART_HEIGHT).toFixed(1);
  let line = '';
  let dots = '';
  points.forEach((point, i) => {
    if (point.ms === null) return;
    const joinsPrevious = (points[i - 1]?.ms ?? null) !== null;
    const joinsNext = (points[i + 1]?.ms ?? null) !== null;
    if (!joinsPrevious && !joinsNext) dots += `M${x(point.t)} ${y(point.ms)}h0`;
    else line += `${joinsPrevious ? 'L' : 'M'}${x(point.t)} ${y(point.ms)}`;
  });
  return { line, dots, y };
}
