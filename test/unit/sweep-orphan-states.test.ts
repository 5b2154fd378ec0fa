import { describe, expect, it } from 'vitest';
import { RETIRE_AFTER_MS } from '../../core/summary/summary-state-types.js';
import {
  type ListedState,
  orphanedStates,
  type SweptBackend,
  sweepDue,
  sweepOrphanStates,
} from '../../core/summary/sweep-orphan-states.js';

const NOW = Date.parse('2026-11-30T12:00:00Z');
const OLD = NOW - RETIRE_AFTER_MS - 1;
const YOUNG = NOW - RETIRE_AFTER_MS + 60_000;

/** A store holding only state documents, listed with the times given. */
function stateStore(listed: ListedState[], failing: { list?: Error; delete?: Error } = {}) {
  const stored = new Map(listed.map((state) => [state.name, state.modified]));
  const backend = {
    summaryLocation: '/tmp/checks/summary.json',
    listStates: async () => {
      if (failing.list) throw failing.list;
      return [...stored].map(([name, modified]) => ({ name, modified }));
    },
    deleteState: async (name: string) => {
      if (failing.delete) throw failing.delete;
      stored.delete(name);
    },
  } satisfies SweptBackend as SweptBackend;
  return { backend, stored };
}

describe('orphanedStates', () => {
  it.each([
    ['referenced by the root just written, however old', 'state/0-aaaa.json', OLD, false],
    ['retired by the root just written, however old', 'state/1-bbbb.json', OLD, false],
    ['named by no root but written inside the retire time', 'state/2-cccc.json', YOUNG, false],
    [
      'named by no root and written exactly the retire time ago',
      'state/2-cccd.json',
      NOW - RETIRE_AFTER_MS,
      false,
    ],
    ['named by no root and written longer ago than the retire time', 'state/2-dddd.json', OLD, true],
    [
      'not a state document name (the alert state beside a root-level summary)',
      'state/alert-state.json',
      OLD,
      false,
    ],
    ['not a state document name (a tick claim)', 'state/ticks/1-eu.json', OLD, false],
    ['not a state document name (a temporary file)', 'state/.tmp-2-eeee.json', OLD, false],
  ])('%s: deleted %s', (_why, name, modified, deleted) => {
    const kept = new Set(['state/0-aaaa.json', 'state/1-bbbb.json']);
    expect(orphanedStates([{ name, modified }], kept, NOW)).toEqual(deleted ? [name] : []);
  });
});

describe('sweepDue', () => {
  const hour = Date.parse('2026-11-30T12:00:00Z');
  it.each([
    ['no root before', undefined, hour + 5 * 60_000, true],
    ['the same hour', hour + 60_000, hour + 59 * 60_000, false],
    ['the next hour', hour - 60_000, hour, true],
    ['hours later', hour - 5 * 3_600_000, hour, true],
    ['a root whose lastRun went back (a rebuild) into another hour', hour, hour - 1, true],
  ])('%s: %s', (_why, previous, next, due) => {
    expect(sweepDue(previous, next)).toBe(due);
  });
});

describe('sweepOrphanStates', () => {
  it('deletes only the old documents no root names, and says which', async () => {
    const { backend, stored } = stateStore([
      { name: 'state/0-aaaa.json', modified: OLD },
      { name: 'state/1-bbbb.json', modified: OLD },
      { name: 'state/2-cccc.json', modified: YOUNG },
      ...Array.from({ length: 40 }, (_, i) => ({ name: `state/3-${i}ff.json`, modified: OLD - i })),
      { name: 'state/alert-state.json', modified: OLD },
    ]);
    const deleted = await sweepOrphanStates(backend, ['state/0-aaaa.json', 'state/1-bbbb.json'], {
      nowMs: NOW,
    });
    expect(deleted).toHaveLength(40);
    expect([...stored.keys()].sort()).toEqual([
      'state/0-aaaa.json',
      'state/1-bbbb.json',
      'state/2-cccc.json',
      'state/alert-state.json',
    ]);
  });

  it('warns and deletes nothing when the listing fails', async () => {
    const warnings: string[] = [];
    const { backend, stored } = stateStore([{ name: 'state/2-dddd.json', modified: OLD }], {
      list: new Error('Access Denied'),
    });
    expect(await sweepOrphanStates(backend, [], { nowMs: NOW, warn: (m) => warnings.push(m) })).toEqual([]);
    expect(stored.size).toBe(1);
    expect(warnings).toEqual([
      'could not list the state documents beside /tmp/checks/summary.json to delete orphaned ones: Access Denied',
    ]);
  });

  it('warns once per sweep when deletes fail, and never throws', async () => {
    const warnings: string[] = [];
    const { backend } = stateStore(
      [
        { name: 'state/2-dddd.json', modified: OLD },
        { name: 'state/3-dddd.json', modified: OLD },
      ],
      { delete: new Error('EACCES') },
    );
    expect(await sweepOrphanStates(backend, [], { nowMs: NOW, warn: (m) => warnings.push(m) })).toEqual([]);
    expect(warnings).toEqual([
      'could not delete orphaned state documents beside /tmp/checks/summary.json (tried again in an hour): EACCES',
    ]);
  });

  it('does nothing on a store that cannot list its states', async () => {
    const { backend } = stateStore([{ name: 'state/2-dddd.json', modified: OLD }]);
    delete backend.listStates;
    expect(await sweepOrphanStates(backend, [], { nowMs: NOW })).toEqual([]);
  });
});
