import { formatDuration } from '../core/duration.js';
import { type Result, type Status, statusOf } from '../core/result.js';
import { computeStats } from '../core/stats.js';
import { terminalText } from './terminal-text.js';

const COLOURS: Record<Status, string> = { healthy: '\x1b[32m', degraded: '\x1b[33m', down: '\x1b[31m' };

/** A result as checkup prints it: `== NAME - URL`, then the RTT figures and the assessment. */
export function formatResult(result: Result, colour: boolean): string {
  const stats = computeStats(result.times);
  const status = statusOf(result);
  const assessment = colour ? `${COLOURS[status]}${status}\x1b[0m` : status;
  const all = result.times
    .map((attempt) =>
      attempt.error
        ? `${formatDuration(attempt.rtt)} (${terminalText(attempt.error)})`
        : formatDuration(attempt.rtt),
    )
    .join(' ');
  const lines = [
    `== ${terminalText(result.title)} - ${terminalText(result.endpoint)}`,
    `  - Threshold: ${formatDuration(result.threshold ?? 0)}`,
    `  - Max: ${formatDuration(stats.max)}`,
    `  - Min: ${formatDuration(stats.min)}`,
    `  - Median: ${formatDuration(stats.median)}`,
    `  - Mean: ${formatDuration(stats.mean)}`,
    `  - All: [${all}]`,
    `  - Assessment: ${assessment}`,
  ];
  if (result.notice) lines.push(`  - Notice: ${terminalText(result.notice)}`);
  if (result.message) lines.push(`  - Message: ${terminalText(result.message)}`);
  return `${lines.join('\n')}\n`;
}
