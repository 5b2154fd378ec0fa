import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { type Result, timestampDigits } from '../../core/result.js';
import { parseResult, parseResults, streamResults, stringifyResults } from '../../core/result-json.js';

const GO_DIR = new URL('../fixtures/checkup-go-fs/', import.meta.url);
const goRuns = readdirSync(GO_DIR)
  .filter((name) => name.endsWith('-check.json'))
  .map((name) => ({ name, text: readFileSync(new URL(name, GO_DIR), 'utf8') }));

/** Every `"key":<integer>` literal of a JSON text, in order, as written. */
function literals(text: string, key: string): string[] {
  return [...text.matchAll(new RegExp(`"${key}"\\s*:\\s*(-?\\d+)`, 'g'))].map((match) => match[1] as string);
}

describe('a run written in pieces', () => {
  it.each(goRuns)('joins to the same text as the whole run for $name', ({ text }) => {
    const results = parseResults(text);
    expect([...streamResults(results)].join('')).toBe(stringifyResults(results));
  });

  it.each([0, 1, 255, 256, 257, 600])(
    'joins to the same text for %i results, in pieces of a few hundred',
    (count) => {
      // Timestamps past 2^53 that no double holds, and a long rtt: their digits must survive every piece.
      const text = `[${Array.from(
        { length: count },
        (_, i) =>
          `{"title":"endpoint ${i}","endpoint":"http://127.0.0.1/e${i}","timestamp":${1796005626515467123n + BigInt(i)},` +
          `"times":[{"rtt":${200_000_000 + i}},{"rtt":${2n ** 60n + 1n},"error":"slow \\"quoted\\""}],"healthy":true}`,
      ).join(',')}]`;
      const results = parseResults(text);
      const pieces = [...streamResults(results)];
      expect(pieces.join('')).toBe(stringifyResults(results));
      expect(pieces.length).toBe(Math.max(1, Math.ceil(count / 256)));
    },
  );
});

describe('result JSON keeps int64 fields digit-exact', () => {
  it.each(goRuns)('writes back the run file $name that checkup wrote byte for byte', ({ text }) => {
    const results = parseResults(text);
    expect(stringifyResults(results)).toBe(text.trimEnd());
    for (const key of ['timestamp', 'rtt', 'threshold'])
      expect(literals(stringifyResults(results, 2), key)).toEqual(literals(text, key));
  });

  it("gives each result's timestamp as the digits checkup wrote, not those of the nearest double", () => {
    const first = goRuns[0] as { text: string };
    const results = parseResults(first.text);
    expect(results.map(timestampDigits)).toEqual(literals(first.text, 'timestamp'));
    // The number is the nearest double, for arithmetic.
    expect(
      Math.abs(Number(BigInt(timestampDigits(results[0] as Result))) - (results[0] as Result).timestamp),
    ).toBe(0);
  });

  const cases: Array<{ name: string; text: string; timestamp: string; rtt: string; threshold?: string }> = [
    {
      name: 'compact, as Go writes it',
      text: '[{"title":"A","timestamp":1796005626515467123,"times":[{"rtt":1234567}]}]',
      timestamp: '1796005626515467123',
      rtt: '1234567',
    },
    {
      name: 'indented, with spaces around the colon',
      text: '[\n {\n  "title": "A",\n  "timestamp" : 1796005626515467123,\n  "times": [{"rtt": 5}]\n }\n]',
      timestamp: '1796005626515467123',
      rtt: '5',
    },
    {
      name: 'an rtt and a threshold past 2^53 (the general way)',
      text: '[{"title":"A","timestamp":1796005626515467123,"times":[{"rtt":9007199254740993}],"threshold":9223372036854775807}]',
      timestamp: '1796005626515467123',
      rtt: '9007199254740993',
      threshold: '9223372036854775807',
    },
    {
      name: 'another object with a timestamp key before the result (the general way)',
      text: '[{"title":"A","extra":{"timestamp":1},"timestamp":1796005626515467123,"times":[{"rtt":7}]}]',
      timestamp: '1796005626515467123',
      rtt: '7',
    },
    {
      name: 'the key and long digits inside a string, left alone',
      text: '[{"title":"\\"timestamp\\":1796005626515467999","timestamp":1796005626515467123,"times":[{"rtt":7}]}]',
      timestamp: '1796005626515467123',
      rtt: '7',
    },
  ];
  it.each(cases)('reads and writes back $name', ({ text, timestamp, rtt, threshold }) => {
    const results = parseResults(text);
    const result = results[0] as Result;
    expect(timestampDigits(result)).toBe(timestamp);
    const written = stringifyResults(results);
    expect(literals(written, 'timestamp').at(-1)).toBe(timestamp);
    expect(literals(written, 'rtt')).toEqual([rtt]);
    if (threshold) expect(literals(written, 'threshold')).toEqual([threshold]);
    expect(parseResults(written)).toEqual(results);
    expect(JSON.parse(written)).toEqual(JSON.parse(text));
  });

  it('writes a number it made itself with the exact digits of that number', () => {
    // 1796005626515467008 is a double; JSON.stringify prints it as ...467000.
    const result: Result = { title: 'A', endpoint: 'x', timestamp: Number(1796005626515467008n), times: [] };
    expect(JSON.stringify(result)).toContain('1796005626515467000');
    expect(stringifyResults([result])).toContain('"timestamp":1796005626515467008');
    expect(stringifyResults(result)).toBe(
      '{"title":"A","endpoint":"x","timestamp":1796005626515467008,"times":[]}',
    );
  });

  it('falls back to the number when code changed the timestamp after reading', () => {
    const [read] = parseResults('[{"title":"A","timestamp":1796005626515467123,"times":[]}]');
    const moved = { ...(read as Result), timestamp: Number(1796005626515467008n) + 4096 };
    expect(stringifyResults(moved)).toContain('"timestamp":1796005626515471104');
  });

  it('keeps the digits of an integer too long for int64 as well', () => {
    const text = '[{"timestamp":1000000000000000019894624838656,"times":[]}]';
    expect(stringifyResults(parseResults(text))).toBe(text);
  });

  it('reads one result (a DynamoDB item) the same way', () => {
    expect(timestampDigits(parseResult('{"title":"A","timestamp":1796005626515467123,"times":[]}'))).toBe(
      '1796005626515467123',
    );
  });

  it('writes what JSON.stringify writes when no integer is past 2^53', () => {
    const results: Result[] = [
      {
        title: 'A "quoted"',
        endpoint: 'x',
        timestamp: 1_700_000_000_000,
        times: [{ rtt: 12.5 }],
        healthy: true,
      },
    ];
    expect(stringifyResults(results)).toBe(JSON.stringify(results));
    expect(stringifyResults(results, 2)).toBe(JSON.stringify(results, null, 2));
  });

  it('still rejects text that is not JSON', () => {
    expect(() => parseResults('[{"timestamp":1796005626515467123')).toThrow(SyntaxError);
  });
});
