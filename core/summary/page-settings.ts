/** The banner texts checkup's page showed, used when the config does not set its own. */
export const DEFAULT_BANNERS = {
  healthy: 'Situation Normal',
  degraded: 'Degraded Service',
  down: 'Service Disruption',
} as const;

/** How often the page reloads its data when `refresh_interval` is not set (ms). */
export const DEFAULT_REFRESH_MS = 60_000;

/**
 * What the page reads from `/data/page.json`: the config's `status_page` section with defaults
 * filled in and durations in milliseconds (the page works in ms). Kept free of zod so the page
 * bundle can import it.
 */
export interface PageSettings {
  title: string;
  description?: string;
  banners: { healthy: string; degraded: string; down: string };
  /** 0 turns auto-refresh off. */
  refreshMs: number;
  staleAfterMs?: number;
  /**
   * Where the page's subscribe form posts (the subscribe function's URL, written by the check
   * function of a stack deployed with subscriptions); absent: no form.
   */
  subscribeUrl?: string;
}

/** The `status_page` keys as validated (durations in ns). */
export interface StatusPageKeys {
  title?: string;
  description?: string;
  banner_healthy?: string;
  banner_degraded?: string;
  banner_down?: string;
  refresh_interval?: number;
  stale_after?: number;
}

/**
 * The page settings for a validated status_page section (or none). When the checks run every
 * `checkIntervalMs`, data older than two intervals and a minute is stale, unless `stale_after`
 * says otherwise.
 */
export function pageSettings(config: StatusPageKeys = {}, checkIntervalMs?: number): PageSettings {
  if (config.stale_after === undefined && checkIntervalMs !== undefined)
    return pageSettings({ ...config, stale_after: (2 * checkIntervalMs + 60_000) * 1e6 });
  return {
    title: config.title ?? 'Status',
    ...(config.description !== undefined ? { description: config.description } : {}),
    banners: {
      healthy: config.banner_healthy ?? DEFAULT_BANNERS.healthy,
      degraded: config.banner_degraded ?? DEFAULT_BANNERS.degraded,
      down: config.banner_down ?? DEFAULT_BANNERS.down,
    },
    refreshMs:
      config.refresh_interval === undefined ? DEFAULT_REFRESH_MS : Math.round(config.refresh_interval / 1e6),
    ...(config.stale_after !== undefined ? { staleAfterMs: Math.round(config.stale_after / 1e6) } : {}),
  };
}
