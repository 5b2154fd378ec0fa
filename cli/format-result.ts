import { formatDuration } from '../core/duration.js';
import { type Attempt, type Result, type Status, statusOf } from '../core/result.js';
import { computeStats } from '../core/stats.js';
import { terminalText } from './terminal-text.js';

const COLOURS: Record<Status, string> = { healthy: '\x1b[32m', degraded: '\x1b[33m', down: '\x1b[31m' };

/** Width of checkup's labels, right-aligned to the colon (` Assessment` is the longest). */
const LABEL_WIDTH = ' Assessment'.length;

/** Each label padded and followed by its colon, made once: a run prints thousands of them. */
const LABEL = Object.fromEntries(
  ['Threshold', 'Max', 'Min', 'Median', 'Mean', 'All', 'Assessment', 'Notice', 'Message'].map((label) => [
    label,
    `${label.padStart(LABEL_WIDTH)}: `,
  ]),
) as Record<
  'Threshold' | 'Max' | 'Min' | 'Median' | 'Mean' | 'All' | 'Assessment' | 'Notice' | 'Message',
  string
>;

/**
 * A result laid out as checkup prints it: `== NAME - URL`, then its labels right-aligned to
 * the colon, `All:` as Go prints the attempts (`[{9.3ms } {7.1ms connection refused}]`) and
 * the assessment line, coloured when `colour`. Notice and message, which checkup did not
 * print, follow in the same alignment. Ends with a newline.
 */
export function formatResult(result: Result, colour: boolean): string {
  const stats = computeStats(result.times);
  const status = statusOf(result);
  const assessment = `${LABEL.Assessment}${status}`;
  let attempts = '';
  for (let i = 0; i < result.times.length; i += 1)
    attempts += `${i > 0 ? ' ' : ''}${formatAttempt(result.times[i] as Attempt)}`;
  let text =
    `== ${terminalText(result.title)} - ${terminalText(result.endpoint)}\n` +
    `${LABEL.Threshold}${formatDuration(result.threshold ?? 0)}\n` +
    `${LABEL.Max}${formatDuration(stats.max)}\n` +
    `${LABEL.Min}${formatDuration(stats.min)}\n` +
    `${LABEL.Median}${formatDuration(stats.median)}\n` +
    `${LABEL.Mean}${formatDuration(stats.mean)}\n` +
    `${LABEL.All}[${attempts}]\n` +
    (colour ? `${COLOURS[status]}${assessment}\x1b[0m` : assessment);
  if (result.notice) text += `\n${LABEL.Notice}${terminalText(result.notice)}`;
  if (result.message) text += `\n${LABEL.Message}${terminalText(result.message)}`;
  return `${text}\n`;
}

/** One attempt as Go's `%v` prints checkup's Attempt struct: `{RTT ERROR}`. */
function formatAttempt(attempt: Attempt): string {
  return `{${formatDuration(attempt.rtt)} ${terminalText(attempt.error ?? '')}}`;
}
