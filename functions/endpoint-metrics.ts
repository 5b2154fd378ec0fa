import type { Result } from '../core/result.js';
import { statusOf } from '../core/result.js';
import { computeStats } from '../core/stats.js';
import { METRIC_DIMENSIONS, METRIC_NAMES } from './metric-names.js';
import type { Metrics } from './metrics.js';

/** Per endpoint of a run: `Up` (1 unless down) and `Latency` (median RTT, ms), dimension `Endpoint`. */
export function putEndpointMetrics(metrics: Metrics, results: readonly Result[]): void {
  for (const result of results) putResultMetrics(metrics, result);
}

function putResultMetrics(metrics: Metrics, result: Result): void {
  const answered = result.times.filter((attempt) => !attempt.error);
  metrics.put(
    [
      { name: METRIC_NAMES.up, value: statusOf(result) === 'down' ? 0 : 1, unit: 'None' },
      ...(answered.length > 0
        ? [
            {
              name: METRIC_NAMES.latency,
              value: computeStats(answered).median / 1e6,
              unit: 'Milliseconds' as const,
            },
          ]
        : []),
    ],
    { [METRIC_DIMENSIONS.endpoint]: result.title },
    result.timestamp / 1e6,
  );
}
