import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { formatResult } from '../../cli/format-result.js';
import type { Result } from '../../core/result.js';

// results.json is a run file in checkup's format; printed.txt is what checkup's own Go engine
// printed for it (types.Result String() through fmt.Println, colour off), built from the
// sourcegraph/checkup snapshot with /work/shared/peers/build-checkup-go.sh's toolchain.
const fixture = (name: string) =>
  readFileSync(new URL(`../fixtures/checkup-go/${name}`, import.meta.url), 'utf8');
const results = JSON.parse(fixture('results.json')) as Result[];

const base: Result = {
  title: 'user-service',
  endpoint: 'http://localhost:8000',
  timestamp: 1_764_460_800_000_000_000,
  times: [{ rtt: 10_260_678 }, { rtt: 9_302_433 }, { rtt: 6_777_536 }],
  healthy: true,
};

describe('formatResult', () => {
  it('prints what checkup itself printed for the same results, character for character', () => {
    expect(results.map((result) => `${formatResult(result, false)}\n`).join('')).toBe(fixture('printed.txt'));
  });

  it('right-aligns the labels to the colon, with no list marks', () => {
    expect(formatResult(base, false)).toBe(
      [
        '== user-service - http://localhost:8000',
        '  Threshold: 0s',
        '        Max: 10.260678ms',
        '        Min: 6.777536ms',
        '     Median: 9.302433ms',
        '       Mean: 8.780215ms',
        '        All: [{10.260678ms } {9.302433ms } {6.777536ms }]',
        ' Assessment: healthy',
        '',
      ].join('\n'),
    );
  });

  it('shows an attempt error inside its braces, as Go prints the attempt', () => {
    const down: Result = {
      ...base,
      times: [{ rtt: 7_100_000, error: 'connection refused' }],
      healthy: undefined,
      down: true,
    };
    expect(formatResult(down, false)).toContain(
      '        All: [{7.1ms connection refused}]\n Assessment: down\n',
    );
  });

  it('adds the notice and the message after the assessment, in the same alignment', () => {
    const text = formatResult(
      { ...base, notice: 'median round trip time exceeded threshold (5ms)', message: 'moving racks' },
      false,
    );
    expect(text).toMatch(
      / Assessment: healthy\n {5}Notice: median round trip time exceeded threshold \(5ms\)\n {4}Message: moving racks\n$/,
    );
  });

  it('colours the assessment line only when asked', () => {
    expect(formatResult(base, true)).toContain('\x1b[32m Assessment: healthy\x1b[0m\n');
    const degraded = formatResult({ ...base, healthy: undefined, degraded: true }, true);
    expect(degraded).toContain('\x1b[33m Assessment: degraded\x1b[0m');
    expect(formatResult(base, false)).not.toContain('\x1b');
  });

  it('prints no attempts as []', () => {
    expect(formatResult({ ...base, times: [] }, false)).toContain('        All: []\n');
  });

  it('shows control characters from a server or a config as escapes, never raw', () => {
    const hostile: Result = {
      ...base,
      title: 'evil\x1b]0;pwned\x07',
      times: [{ rtt: 1000, error: 'response status 500 \x1b[2J\u202eoops' }],
      healthy: undefined,
      down: true,
      message: 'line\nbreak',
    };
    const text = formatResult(hostile, false);
    const raw = [...text].filter((char) => (char < ' ' && char !== '\n') || char === '\u202e');
    expect(raw).toEqual([]);
    expect(text).toContain('== evil\\x1b]0;pwned\\x07 - ');
    expect(text).toContain('{1µs response status 500 \\x1b[2J\\u202eoops}');
    expect(text).toContain('    Message: line\\x0abreak\n');
  });
});
