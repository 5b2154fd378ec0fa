import { formatDuration } from '../duration.js';
import type { Alert } from './alert.js';

/** An alert in words, for every notifier to lay out its own way. Plain text, never markup. */
export interface AlertText {
  /** One line: what happened, e.g. `Example is down`. */
  headline: string;
  /** An emoji for chat notifiers. */
  icon: string;
  /** A colour for chat notifiers (0xRRGGBB). */
  color: number;
  /** Labelled facts, in order: Status, Endpoint, Error, Notice, Message, RTT, Region, Since. */
  fields: Array<{ label: string; value: string }>;
}

/** Says what an alert means, in plain text. Pure. */
export function describeAlert(alert: Alert): AlertText {
  const fields: AlertText['fields'] = [{ label: 'Status', value: alert.status }];
  if (alert.kind !== 'test') fields.push({ label: 'Endpoint', value: alert.endpoint });
  if (alert.error) fields.push({ label: 'Error', value: alert.error });
  if (alert.notice) fields.push({ label: 'Notice', value: alert.notice });
  if (alert.message) fields.push({ label: 'Message', value: alert.message });
  if (alert.rtt !== undefined && alert.kind !== 'test')
    fields.push({ label: 'RTT', value: formatDuration(roundRtt(alert.rtt)) });
  if (alert.region) fields.push({ label: 'Region', value: alert.region });
  if (alert.failingSince !== undefined && alert.kind !== 'recovered')
    fields.push({ label: 'Failing since', value: new Date(alert.failingSince / 1e6).toISOString() });
  fields.push({ label: 'Checked at', value: new Date(alert.timestamp / 1e6).toISOString() });
  if (alert.affected?.length)
    fields.push({ label: 'Affected', value: listNames(alert.affected, MAX_AFFECTED_NAMES) });

  const name = alert.title;
  // "3 of the last 10 runs failed", "12 dependent endpoints affected": why it is told now.
  const why = [
    ...(alert.failureRate
      ? [`${alert.failureRate.failures} of the last ${alert.failureRate.runs} runs failed`]
      : []),
    ...(alert.affected?.length
      ? [`${alert.affected.length} dependent endpoint${alert.affected.length === 1 ? '' : 's'} affected`]
      : []),
  ]
    .map((part) => `; ${part}`)
    .join('');
  switch (alert.kind) {
    case 'down':
      return { headline: `${name} is down${why}`, icon: '🔴', color: 0xd93025, fields };
    case 'degraded':
      return { headline: `${name} is degraded${why}`, icon: '🟡', color: 0xf2a600, fields };
    case 'recovered':
      return {
        headline:
          alert.failedFor === undefined
            ? `${name} recovered: ${alert.status}`
            : `${name} recovered after ${humanDuration(alert.failedFor)} ${alert.previous === 'degraded' ? 'degraded' : 'down'}`,
        icon: '🟢',
        color: 0x1e8e3e,
        fields,
      };
    case 'reminder':
      return {
        headline: `${name} is still ${alert.status}${alert.failingSince === undefined ? '' : `, for ${humanDuration(alert.timestamp - alert.failingSince)}`}${why}`,
        icon: alert.status === 'down' ? '🔴' : '🟡',
        color: alert.status === 'down' ? 0xd93025 : 0xf2a600,
        fields,
      };
    case 'flapping':
      return {
        headline: `${name} is flapping: ${alert.changes ?? 'many'} changes in ${humanDuration(alert.windowNs ?? 0)}; alerts pause until it is stable for as long`,
        icon: '🟠',
        color: 0xe8710a,
        fields,
      };
    case 'stable':
      return {
        headline: `${name} stopped flapping and is ${alert.status}`,
        icon: alert.status === 'healthy' ? '🟢' : '🔵',
        color: 0x1a73e8,
        fields,
      };
    case 'test':
      return {
        headline: `Test alert from checkup: notifier "${alert.notifierId}" works`,
        icon: '🧪',
        color: 0x1a73e8,
        fields,
      };
  }
}

/** Names shown in an alert's Affected field; the rest are counted. */
const MAX_AFFECTED_NAMES = 10;

function listNames(names: readonly string[], max: number): string {
  const shown = names.slice(0, max).join(', ');
  return names.length > max ? `${shown} and ${names.length - max} more` : shown;
}

/** A duration for people: whole seconds (`1h2m3s`), or ms under a second. */
export function humanDuration(ns: number): string {
  return formatDuration(ns >= 1e9 ? Math.round(ns / 1e9) * 1e9 : Math.round(ns / 1e6) * 1e6);
}

function roundRtt(ns: number): number {
  return ns >= 1e9 ? Math.round(ns / 1e7) * 1e7 : Math.round(ns / 1e5) * 1e5;
}
