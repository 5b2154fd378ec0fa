import type { Alert } from './alert.js';

/** The alert `checkup notify test` sends through a notifier: it changes no state. */
export function testAlert(notifierId: string, timestamp: number): Alert {
  return {
    id: `${notifierId}|test|${timestamp}|test`,
    notifierId,
    kind: 'test',
    title: 'checkup',
    endpoint: '',
    status: 'healthy',
    timestamp,
  };
}
