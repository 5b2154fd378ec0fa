import type { Result } from '../core/result.js';
import { formatResult } from './format-result.js';

/**
 * Prints results as checkup does (each followed by a blank line), in colour only on a
 * terminal without NO_COLOR.
 */
export function printResults(results: readonly Result[]): void {
  const colour = process.stdout.isTTY === true && !process.env.NO_COLOR;
  process.stdout.write(results.map((result) => `${formatResult(result, colour)}\n`).join(''));
}
