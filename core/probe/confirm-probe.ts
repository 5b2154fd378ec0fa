import type { Checker } from '../checker.js';
import { type Result, statusOf } from '../result.js';
import { manyDown, probeVerdict } from './probe-verdict.js';

/**
 * Checks the probe's own connectivity before a run that declares many endpoints down is stored:
 * the canary (when configured) is tried only then. When the probe is offline (see probeVerdict),
 * each down result is marked `probeOffline` with the reason as its notice, so it alerts nothing
 * and the page shows it as unknown; the other results stand.
 */
export async function confirmProbe(
  results: Result[],
  options: { canary?: Checker; timestamp: number; signal?: AbortSignal },
): Promise<Result[]> {
  if (!manyDown(results)) return results;
  const canary = options.canary
    ? await options.canary.check({ timestamp: options.timestamp, signal: options.signal }).catch(
        (error: unknown): Result => ({
          title: 'canary',
          endpoint: options.canary?.endpoint ?? '',
          timestamp: options.timestamp,
          times: [{ rtt: 0, error: error instanceof Error ? error.message : String(error) }],
          down: true,
        }),
      )
    : undefined;
  const verdict = probeVerdict(results, canary);
  if (!verdict.offline) return results;
  return results.map((result) =>
    statusOf(result) === 'down'
      ? {
          ...result,
          probeOffline: true,
          notice: [verdict.reason, result.notice].filter(Boolean).join('; '),
        }
      : result,
  );
}
