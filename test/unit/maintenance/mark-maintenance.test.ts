import { describe, expect, it } from 'vitest';
import type { MaintenanceWindow } from '../../../core/maintenance/maintenance-window.js';
import { markMaintenance } from '../../../core/maintenance/mark-maintenance.js';
import { result } from '../../helpers/make-runs.js';

const HOUR = 3_600_000;
const at = (iso: string) => Date.parse(iso);

describe('markMaintenance', () => {
  const windows: MaintenanceWindow[] = [
    { name: 'First', endpoints: ['db'], start: at('2026-06-01T02:00Z'), durationMs: HOUR, timezone: 'UTC' },
    {
      name: 'Second',
      endpoints: ['Storage'],
      start: at('2026-06-01T02:30Z'),
      durationMs: HOUR,
      timezone: 'UTC',
    },
  ];

  it.each([
    ['2026-06-01T02:15Z', 'First'],
    // Overlapping: the first in the list names it while both are on.
    ['2026-06-01T02:45Z', 'First'],
    // The first ended: the second still covers it, by its group.
    ['2026-06-01T03:15Z', 'Second'],
    ['2026-06-01T03:30Z', undefined],
  ])('marks db (group Storage) checked at %s with %s', (when, name) => {
    const [marked] = markMaintenance(
      [result('db', at(when) * 1e6, 'down', 100, { group: 'Storage' })],
      windows,
    );
    expect(marked?.maintenance).toBe(name);
  });

  it('clears a mark a result carried in from elsewhere when no window covers it', () => {
    const [marked] = markMaintenance(
      [result('db', at('2026-06-01T05:00Z') * 1e6, 'down', 100, { maintenance: 'Old' })],
      windows,
    );
    expect(marked).not.toHaveProperty('maintenance');
  });
});
