import { describe, expect, it } from 'vitest';
import { parseStatusPattern, statusMatcher, type UpStatus } from '../../core/checkers/status-matcher.js';

describe('statusMatcher', () => {
  it.each<{ upStatus: UpStatus | undefined; up: number[]; notUp: number[]; expected: string }>([
    { upStatus: undefined, up: [200, 201, 204], notUp: [199, 205, 301, 500], expected: '200-204' },
    { upStatus: 200, up: [200], notUp: [201, 204], expected: '200' },
    { upStatus: '2xx', up: [200, 250, 299], notUp: [199, 300], expected: '2xx' },
    { upStatus: '200-299', up: [200, 299], notUp: [300, 199], expected: '200-299' },
    { upStatus: '3XX', up: [301, 399], notUp: [200], expected: '3XX' },
    { upStatus: [200, '3xx', '418'], up: [200, 302, 418], notUp: [201, 404], expected: '200 or 3xx or 418' },
    { upStatus: '401 - 403', up: [401, 402, 403], notUp: [400, 404], expected: '401 - 403' },
  ])('with up_status $upStatus accepts $up and refuses $notUp', ({ upStatus, up, notUp, expected }) => {
    const matcher = statusMatcher(upStatus);
    for (const status of up) expect(matcher.matches(status), String(status)).toBe(true);
    for (const status of notUp) expect(matcher.matches(status), String(status)).toBe(false);
    expect(matcher.expected).toBe(expected);
  });
});

describe('parseStatusPattern', () => {
  it.each([
    { entry: '2xx', result: [200, 299] },
    { entry: 404, result: [404, 404] },
    { entry: '6xx', result: 'not a status: "6xx" (use 200, "2xx" or "200-299")' },
    { entry: 'ok', result: 'not a status: "ok" (use 200, "2xx" or "200-299")' },
    { entry: '299-200', result: '"299-200" is an empty range' },
    { entry: '000-200', result: '"000-200" is outside 100-599' },
    { entry: 700, result: '700 is outside 100-599' },
  ])('reads $entry as $result', ({ entry, result }) => {
    expect(parseStatusPattern(entry)).toEqual(result);
  });
});
