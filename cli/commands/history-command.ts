import { createStorage } from '../../adapters/storage/create-storage.js';
import { suggest } from '../../core/config/suggest.js';
import { formatDuration, parseDuration } from '../../core/duration.js';
import { statusOf } from '../../core/result.js';
import { stringifyResults } from '../../core/result-json.js';
import { computeStats } from '../../core/stats.js';
import type { Command } from '../command.js';
import { terminalText } from '../terminal-text.js';
import { UsageError } from '../usage-error.js';

/** `checkup history NAME --since 24h [--json]`: one endpoint's stored results, oldest first. */
export const historyCommand: Command = {
  name: 'history',
  usage: 'history NAME [--since 24h] [--json]',
  summary: "print one endpoint's stored results (reads only the runs in range)",
  options: {
    since: { type: 'string', value: 'DURATION', description: 'how far back (default 24h)' },
    json: { type: 'boolean', description: 'print JSON (an array of results)' },
  },
  async run({ args, options, loadConfig }) {
    if (args.length !== 1) throw new UsageError('history takes one endpoint name (quote it)');
    const name = args[0] as string;
    const sinceText = typeof options.since === 'string' ? options.since : '24h';
    const back = parseDuration(sinceText);
    if (back === undefined)
      throw new UsageError(`history --since: not a duration: "${sinceText}" (try 1h, 24h, 7d)`);
    const config = await loadConfig({ alerts: false, reads: true });
    const results = await createStorage(config.storage).history(name, { since: Date.now() * 1e6 - back });

    if (results.length === 0) {
      const names = config.checkers.map((checker) => checker.endpoint_name);
      if (!names.includes(name)) {
        const hint = suggest(name, names);
        throw new UsageError(
          `history: no endpoint named "${name}"${hint ? `; did you mean "${hint}"?` : ''}`,
        );
      }
    }
    if (options.json) {
      process.stdout.write(`${stringifyResults(results, 2)}\n`);
      return 0;
    }
    for (const result of results) {
      const when = new Date(Math.floor(result.timestamp / 1e6)).toISOString();
      const median = formatDuration(computeStats(result.times).median);
      const error = result.times.find((attempt) => attempt.error)?.error;
      const notes = [error, result.notice, result.message].filter(Boolean).join('; ');
      process.stdout.write(
        `${when}  ${statusOf(result).padEnd(8)}  ${median.padStart(9)}${notes ? `  ${terminalText(notes)}` : ''}\n`,
      );
    }
    if (results.length === 0)
      process.stdout.write(`${terminalText(`no results for "${name}" in the last ${sinceText}`)}\n`);
    return 0;
  },
};
