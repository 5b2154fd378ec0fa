import { describe, expect, it } from 'vitest';
import { quorumOf, voteStatus } from '../../../core/regions/vote-status.js';
import type { Status } from '../../../core/result.js';

const ballots = (statuses: Record<string, Status>) =>
  Object.entries(statuses).map(([region, status]) => ({ region, status }));

describe('quorumOf', () => {
  it.each([
    [1, undefined, 1],
    [2, undefined, 2],
    [3, undefined, 2],
    [4, undefined, 3],
    [5, undefined, 3],
    [3, 1, 1],
    [3, 3, 3],
    // Never more than reported: the regions left can still call an outage.
    [2, 3, 2],
    [1, 2, 1],
  ])('of %i reporting with quorum %s is %i', (reporting, configured, expected) => {
    expect(quorumOf(reporting, configured)).toBe(expected);
  });
});

describe('voteStatus', () => {
  it.each<[string, Record<string, Status>, number | undefined, Status, string | undefined]>([
    ['all healthy', { a: 'healthy', b: 'healthy', c: 'healthy' }, undefined, 'healthy', undefined],
    ['down in one of three', { a: 'healthy', b: 'down', c: 'healthy' }, undefined, 'degraded', 'down from b'],
    ['down in two of three', { a: 'down', b: 'down', c: 'healthy' }, undefined, 'down', undefined],
    ['down in all', { a: 'down', b: 'down', c: 'down' }, undefined, 'down', undefined],
    [
      'down in one of two (majority is two)',
      { a: 'down', b: 'healthy' },
      undefined,
      'degraded',
      'down from a',
    ],
    ['down in one of two, quorum 1', { a: 'down', b: 'healthy' }, 1, 'down', undefined],
    [
      'down in two of three, quorum 3',
      { a: 'down', b: 'down', c: 'healthy' },
      3,
      'degraded',
      'down from a, b',
    ],
    ['one region, down', { a: 'down' }, undefined, 'down', undefined],
    ['one region reporting, quorum 2', { a: 'down' }, 2, 'down', undefined],
    ['slow in a majority', { a: 'degraded', b: 'degraded', c: 'healthy' }, undefined, 'degraded', undefined],
    [
      'slow in one of three',
      { a: 'healthy', b: 'healthy', c: 'degraded' },
      undefined,
      'healthy',
      'degraded from c',
    ],
    [
      'down in one, slow in one',
      { a: 'down', b: 'degraded', c: 'healthy' },
      undefined,
      'degraded',
      'down from a',
    ],
    [
      'names every minority region, sorted',
      {
        'us-east-1': 'healthy',
        'ap-southeast-2': 'down',
        'eu-west-1': 'down',
        'sa-east-1': 'healthy',
        x: 'healthy',
      },
      undefined,
      'degraded',
      'down from ap-southeast-2, eu-west-1',
    ],
  ])('%s', (_, statuses, quorum, status, notice) => {
    const vote = voteStatus(ballots(statuses), quorum);
    expect(vote.status).toBe(status);
    expect(vote.notice).toBe(notice);
  });
});
