import { formatDuration } from '../core/duration.js';
import { type Attempt, type Result, type Status, statusOf } from '../core/result.js';
import { computeStats } from '../core/stats.js';
import { terminalText } from './terminal-text.js';

const COLOURS: Record<Status, string> = { healthy: '\x1b[32m', degraded: '\x1b[33m', down: '\x1b[31m' };

/** Width of checkup's labels, right-aligned to the colon (` Assessment` is the longest). */
const LABEL_WIDTH = ' Assessment'.length;

/**
 * A result laid out as checkup prints it: `== NAME - URL`, then its labels right-aligned to
 * the colon, `All:` as Go prints the attempts (`[{9.3ms } {7.1ms connection refused}]`) and
 * the assessment line, coloured when `colour`. Notice and message, which checkup did not
 * print, follow in the same alignment. Ends with a newline.
 */
export function formatResult(result: Result, colour: boolean): string {
  const stats = computeStats(result.times);
  const status = statusOf(result);
  const line = (label: string, value: string) => `${label.padStart(LABEL_WIDTH)}: ${value}`;
  const assessment = line('Assessment', status);
  const lines = [
    `== ${terminalText(result.title)} - ${terminalText(result.endpoint)}`,
    line('Threshold', formatDuration(result.threshold ?? 0)),
    line('Max', formatDuration(stats.max)),
    line('Min', formatDuration(stats.min)),
    line('Median', formatDuration(stats.median)),
    line('Mean', formatDuration(stats.mean)),
    line('All', `[${result.times.map(formatAttempt).join(' ')}]`),
    colour ? `${COLOURS[status]}${assessment}\x1b[0m` : assessment,
  ];
  if (result.notice) lines.push(line('Notice', terminalText(result.notice)));
  if (result.message) lines.push(line('Message', terminalText(result.message)));
  return `${lines.join('\n')}\n`;
}

/** One attempt as Go's `%v` prints checkup's Attempt struct: `{RTT ERROR}`. */
function formatAttempt(attempt: Attempt): string {
  return `{${formatDuration(attempt.rtt)} ${terminalText(attempt.error ?? '')}}`;
}
