import { describe, expect, it } from 'vitest';
import type { Alert } from '../../../core/alerts/alert.js';
import { incidentAction } from '../../../core/alerts/incident-action.js';
import { incidentKey } from '../../../core/alerts/incident-key.js';

describe('incidentAction', () => {
  it.each([
    {
      alert: { kind: 'down', status: 'down', failingSince: 1 },
      expected: { action: 'open', severity: 'critical' },
    },
    {
      alert: { kind: 'degraded', status: 'degraded', failingSince: 1 },
      expected: { action: 'open', severity: 'warning' },
    },
    {
      alert: { kind: 'reminder', status: 'down', failingSince: 1 },
      expected: { action: 'open', severity: 'critical' },
    },
    {
      alert: { kind: 'reminder', status: 'degraded', failingSince: 1 },
      expected: { action: 'open', severity: 'warning' },
    },
    { alert: { kind: 'flapping', status: 'healthy' }, expected: { action: 'open', severity: 'warning' } },
    { alert: { kind: 'recovered', status: 'healthy' }, expected: { action: 'resolve', severity: 'info' } },
    // Stable and good (degraded counts as good for a notifier that ignores it: no failingSince).
    { alert: { kind: 'stable', status: 'degraded' }, expected: { action: 'resolve', severity: 'info' } },
    {
      alert: { kind: 'stable', status: 'down', failingSince: 1 },
      expected: { action: 'open', severity: 'critical' },
    },
    { alert: { kind: 'test', status: 'healthy' }, expected: { action: 'open', severity: 'info' } },
  ] as Array<{ alert: Pick<Alert, 'kind' | 'status' | 'failingSince'>; expected: unknown }>)(
    '$alert.kind ($alert.status) → $expected.action $expected.severity',
    ({ alert, expected }) => {
      expect(incidentAction(alert)).toEqual(expected);
    },
  );
});

describe('incidentKey', () => {
  const shop = {
    kind: 'down',
    title: 'Shop',
    endpoint: 'https://shop.example/health',
    notifierId: 'pagerduty',
  } as const;

  it('is the same for every alert about one endpoint, whichever notifier sends it', () => {
    const key = incidentKey(shop);
    expect(key).toMatch(/^checkup-shop-[0-9a-f]{16}$/);
    expect(incidentKey({ ...shop, kind: 'recovered', notifierId: 'opsgenie' })).toBe(key);
  });

  it('differs for an endpoint of the same name at another URL (staging and production)', () => {
    expect(incidentKey({ ...shop, endpoint: 'https://staging.shop.example/health' })).not.toBe(
      incidentKey(shop),
    );
  });

  it('is safe in a URL path and short, whatever the name', () => {
    const key = incidentKey({ ...shop, title: `Ünïcode / ${'x'.repeat(300)} ?#` });
    expect(key).toMatch(/^checkup-[a-z0-9-]{1,40}-[0-9a-f]{16}$/);
    expect(incidentKey({ ...shop, title: '日本' })).toMatch(/^checkup-endpoint-[0-9a-f]{16}$/);
  });

  it('gives a test alert a key of its own', () => {
    expect(incidentKey({ ...shop, kind: 'test', title: 'checkup', endpoint: '' })).toBe(
      'checkup-test-pagerduty',
    );
  });
});
