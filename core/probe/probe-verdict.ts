import { type Result, statusOf } from '../result.js';

/** Whether the probe itself seems offline for a run, and why. */
export interface ProbeVerdict {
  offline: boolean;
  /** Shown with each doubted result: "probe offline: canary example.net:443 is down too". */
  reason?: string;
}

/** Fewer distinct hosts than this cannot show that unrelated endpoints all failed. */
export const MIN_UNRELATED_HOSTS = 3;

/**
 * Whether a run says that many endpoints are down at once (at least two, and more than half):
 * the case in which the probe's own connectivity is doubted before anyone is alerted.
 */
export function manyDown(results: readonly Result[]): boolean {
  const down = results.filter((result) => statusOf(result) === 'down').length;
  return down >= 2 && down * 2 > results.length;
}

/** The host an endpoint is on (a URL's host, `host:port`'s host, else the endpoint itself). */
export function hostOf(endpoint: string): string {
  try {
    const url = new URL(endpoint);
    if (url.hostname) return url.hostname.toLowerCase();
  } catch {
    // Not a URL: host:port, a bare host name, or a command.
  }
  const hostPort = /^\[?([^\]\s]+?)\]?:\d+$/.exec(endpoint);
  return (hostPort?.[1] ?? endpoint).toLowerCase();
}

/**
 * Decides whether the probe is offline for a run. Nothing is doubted unless many endpoints are
 * down at once. Then, with a canary checked, the canary decides: down means the probe cannot reach
 * the network. Without one, the probe is offline when endpoints on several unrelated hosts (at
 * least three hosts) failed, a majority of the hosts entirely: one server failing takes down its
 * own endpoints, not everyone's. Pure.
 */
export function probeVerdict(results: readonly Result[], canary?: Result): ProbeVerdict {
  if (!manyDown(results)) return { offline: false };
  if (canary) {
    if (statusOf(canary) !== 'down') return { offline: false };
    return { offline: true, reason: `probe offline: canary ${canary.endpoint} is down too` };
  }
  const hosts = new Map<string, boolean>();
  for (const result of results) {
    const host = hostOf(result.endpoint);
    hosts.set(host, (hosts.get(host) ?? true) && statusOf(result) === 'down');
  }
  const downHosts = [...hosts.values()].filter(Boolean).length;
  if (hosts.size >= MIN_UNRELATED_HOSTS && downHosts * 2 > hosts.size)
    return {
      offline: true,
      reason: `probe offline: ${downHosts} of ${hosts.size} unrelated hosts unreachable at once`,
    };
  return { offline: false };
}
