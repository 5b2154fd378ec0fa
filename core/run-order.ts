import { parseRunFileName } from './storage.js';

/** Orders decimal digit strings (a run's unix-ns time) as numbers. */
export function compareDigits(a: string, b: string): number {
  return a.length - b.length || (a < b ? -1 : a > b ? 1 : 0);
}

/** Orders run file names by their time. */
export function compareNames(a: string, b: string): number {
  return compareDigits(parseRunFileName(a)?.digits ?? a, parseRunFileName(b)?.digits ?? b);
}
