import type { NotifierConfig } from '../config/notifier-schemas.js';

/** When a notifier is told about an endpoint. Durations in nanoseconds. */
export interface AlertPolicy {
  /** Consecutive failing runs before an alert. */
  failureThreshold: number;
  /** Consecutive good runs before a recovery notice. */
  successThreshold: number;
  /** Remind at this interval while an endpoint stays failing; 0 never reminds. */
  renotifyNs: number;
  /** Whether degraded counts as failing; when false, degraded counts as good for this notifier. */
  notifyDegraded: boolean;
  /** More announced changes than this inside `flapWindowNs` is one "flapping" alert; 0 is off. */
  flapChanges: number;
  flapWindowNs: number;
  /**
   * Also alert when `failures` of the last `runs` runs failed, consecutive or not; the recovery
   * then also waits until fewer than `failures` of the last `runs` failed. Undefined is off.
   */
  failureRate?: { failures: number; runs: number };
}

/** The policy of a notifier whose config sets nothing. */
export const DEFAULT_ALERT_POLICY: AlertPolicy = {
  failureThreshold: 1,
  successThreshold: 1,
  renotifyNs: 0,
  notifyDegraded: true,
  flapChanges: 5,
  flapWindowNs: 3600e9,
};

/** The alert policy a validated notifier config describes, defaults filled in. */
export function alertPolicyOf(config: Partial<NotifierConfig>): AlertPolicy {
  return {
    failureThreshold: config.failure_threshold ?? DEFAULT_ALERT_POLICY.failureThreshold,
    successThreshold: config.success_threshold ?? DEFAULT_ALERT_POLICY.successThreshold,
    renotifyNs: config.renotify ?? DEFAULT_ALERT_POLICY.renotifyNs,
    notifyDegraded: config.notify_degraded ?? DEFAULT_ALERT_POLICY.notifyDegraded,
    flapChanges: config.flap_changes ?? DEFAULT_ALERT_POLICY.flapChanges,
    flapWindowNs: config.flap_window ?? DEFAULT_ALERT_POLICY.flapWindowNs,
    ...(config.failure_rate ? { failureRate: config.failure_rate } : {}),
  };
}

/**
 * The key each notifier's alert state is kept under: its `id`, else its type, else `type#n`
 * when several share a type (n counts from 1 in config order). Stable while the config keeps
 * its notifiers in order, and independent of secrets.
 */
export function notifierIds(configs: readonly Pick<NotifierConfig, 'type' | 'id'>[]): string[] {
  const perType = new Map<string, number>();
  for (const config of configs) perType.set(config.type, (perType.get(config.type) ?? 0) + 1);
  const seen = new Map<string, number>();
  return configs.map((config) => {
    if (config.id) return config.id;
    const n = (seen.get(config.type) ?? 0) + 1;
    seen.set(config.type, n);
    return (perType.get(config.type) ?? 0) > 1 ? `${config.type}#${n}` : config.type;
  });
}
