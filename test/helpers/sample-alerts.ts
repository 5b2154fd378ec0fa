import type { Alert } from '../../core/alerts/alert.js';

/** The time of the sample alerts: 2026-01-02T03:04:05Z in unix ns. */
export const SAMPLE_AT = Date.UTC(2026, 0, 2, 3, 4, 5) * 1e6;

/** "Shop" going down after a minute of failures (503, 123 ms); override what a test needs. */
export function shopDownAlert(overrides: Partial<Alert> & Pick<Alert, 'id' | 'notifierId'>): Alert {
  return {
    kind: 'down',
    title: 'Shop',
    endpoint: 'https://shop.example/health',
    status: 'down',
    previous: 'healthy',
    timestamp: SAMPLE_AT,
    failingSince: SAMPLE_AT - 60e9,
    error: 'response status 503',
    rtt: 123_456_789,
    ...overrides,
  };
}

/** "Shop" healthy again after 754 s down (45 ms); override what a test needs. */
export function shopRecoveredAlert(overrides: Partial<Alert> & Pick<Alert, 'id' | 'notifierId'>): Alert {
  return {
    kind: 'recovered',
    title: 'Shop',
    endpoint: 'https://shop.example/health',
    status: 'healthy',
    previous: 'down',
    timestamp: SAMPLE_AT + 754e9,
    failedFor: 754e9,
    rtt: 45e6,
    ...overrides,
  };
}
