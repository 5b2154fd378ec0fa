import { describe, expect, it } from 'vitest';
import type { Alert } from '../../../core/alerts/alert.js';
import { emptyAlertState } from '../../../core/alerts/alert-state.js';
import type { DeliveryOutcome } from '../../../core/alerts/deliver-alerts.js';
import {
  MAX_DELIVERY_RECORDS,
  NOTIFIER_FAILING_AFTER,
  recordDeliveries,
} from '../../../core/alerts/record-deliveries.js';

const alert = (n: number, notifierId = 'slack'): Alert => ({
  id: `${notifierId}|API|${n}|down`,
  notifierId,
  kind: 'down',
  title: 'API',
  endpoint: 'https://api.example',
  status: 'down',
  timestamp: n,
});
const sent = (n: number, id?: string): DeliveryOutcome => ({ alert: alert(n, id), ok: true, tries: 1 });
const failed = (n: number, id?: string, tries = 4): DeliveryOutcome => ({
  alert: alert(n, id),
  ok: false,
  tries,
  error: `${id ?? 'slack'}: answered 500`,
});

/** Records each batch in turn; returns the failing notifier ids after each. */
function failingAfter(batches: DeliveryOutcome[][]): string[][] {
  let state = emptyAlertState();
  return batches.map((batch, n) => {
    const step = recordDeliveries(state, batch, 1000 * n);
    state = step.state;
    return step.failing.map((entry) => `${entry.notifierId}:${entry.failures}`);
  });
}

describe('recordDeliveries', () => {
  it.each([
    {
      name: 'a notifier that delivers is never failing',
      batches: [[sent(1)], [sent(2)]],
      expected: [[], []],
    },
    {
      name: `a notifier is failing after ${NOTIFIER_FAILING_AFTER} failed deliveries in a row`,
      batches: [[failed(1)], [failed(2)], [failed(3)], [failed(4)]],
      expected: [[], [], ['slack:3'], ['slack:4']],
    },
    {
      name: 'one delivery that goes through clears it',
      batches: [[failed(1), failed(2), failed(3)], [sent(4)], [failed(5)]],
      expected: [['slack:3'], [], []],
    },
    {
      name: 'alerts not tried (held behind an earlier failure) do not count',
      batches: [[failed(1), failed(2, 'slack', 0), failed(3, 'slack', 0)]],
      expected: [[]],
    },
    {
      name: 'each notifier is counted on its own',
      batches: [[failed(1, 'hook'), sent(1)], [failed(2, 'hook'), sent(2)], [failed(3, 'hook')]],
      expected: [[], [], ['hook:3']],
    },
  ])('$name', ({ batches, expected }) => {
    expect(failingAfter(batches)).toEqual(expected);
  });

  it('keeps every delivery in the state, sent or failed, with the error, newest last', () => {
    const { state } = recordDeliveries(emptyAlertState(), [sent(1), failed(2)], 5000);
    expect(state.deliveries).toEqual([
      {
        at: 5000,
        notifierId: 'slack',
        alertId: 'slack|API|1|down',
        kind: 'down',
        title: 'API',
        ok: true,
        tries: 1,
      },
      {
        at: 5000,
        notifierId: 'slack',
        alertId: 'slack|API|2|down',
        kind: 'down',
        title: 'API',
        ok: false,
        tries: 4,
        error: 'slack: answered 500',
      },
    ]);
    expect(state.notifierHealth).toEqual({
      slack: { failures: 1, failingSince: 5000, lastError: 'slack: answered 500', lastSent: 5000 },
    });
  });

  it(`keeps only the newest ${MAX_DELIVERY_RECORDS} deliveries`, () => {
    let state = emptyAlertState();
    for (let n = 0; n < MAX_DELIVERY_RECORDS + 7; n++) state = recordDeliveries(state, [sent(n)], n).state;
    expect(state.deliveries).toHaveLength(MAX_DELIVERY_RECORDS);
    expect(state.deliveries?.[0]?.alertId).toBe('slack|API|7|down');
  });
});
