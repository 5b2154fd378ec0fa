import type { Result } from '../core/result.js';
import { statusOf } from '../core/result.js';
import { el } from './dom.js';
import { formatMs, formatTime } from './format.js';

/** How many of the newest runs the "recent checks" detail reads. */
export const DETAIL_RUNS = 10;

/**
 * "Recent checks": a disclosure that fetches the newest raw run files only when opened, and
 * lists this endpoint's results in them (time, status, median RTT, error).
 */
export function renderRunDetail(title: string, runs: readonly string[]): HTMLElement {
  const body = el('div', { class: 'runs-body' });
  const details = el(
    'details',
    { class: 'runs', 'data-title': title },
    el('summary', null, 'Recent checks'),
    body,
  );
  let loaded = false;
  details.addEventListener('toggle', () => {
    if (!details.open || loaded) return;
    loaded = true;
    body.replaceChildren(el('p', null, 'Loading…'));
    void loadRuns(title, runs.slice(0, DETAIL_RUNS)).then(
      (rows) => body.replaceChildren(rows),
      (error: unknown) => {
        loaded = false;
        body.replaceChildren(el('p', { class: 'error' }, `Could not load recent checks: ${String(error)}`));
      },
    );
  });
  return details;
}

async function loadRuns(title: string, names: readonly string[]): Promise<HTMLElement> {
  const runs = await Promise.all(
    names.map(async (name) => {
      if (!/^\d+-check\.json$/.test(name)) return [];
      const response = await fetch(`/data/runs/${name}`);
      if (!response.ok) {
        await response.body?.cancel();
        return [];
      }
      const results = (await response.json()) as unknown;
      return Array.isArray(results) ? (results as Result[]).filter((result) => result?.title === title) : [];
    }),
  );
  const results = runs.flat().sort((a, b) => b.timestamp - a.timestamp);
  if (results.length === 0) return el('p', null, 'No recent raw results for this endpoint.');
  return el(
    'table',
    null,
    el(
      'thead',
      null,
      el(
        'tr',
        null,
        el('th', { scope: 'col' }, 'Time'),
        el('th', { scope: 'col' }, 'Status'),
        el('th', { scope: 'col' }, 'RTT'),
        el('th', { scope: 'col' }, 'Detail'),
      ),
    ),
    el(
      'tbody',
      null,
      ...results.map((result) => {
        const rtts = (result.times ?? []).map((time) => time.rtt / 1e6).sort((a, b) => a - b);
        const median = rtts.length > 0 ? (rtts[Math.floor((rtts.length - 1) / 2)] ?? 0) : undefined;
        const error = result.times?.find((time) => time.error)?.error;
        const status = statusOf(result);
        return el(
          'tr',
          null,
          el('td', null, formatTime(result.timestamp / 1e6)),
          el('td', null, el('span', { class: `status status--${status}` }, status)),
          el('td', null, median === undefined ? '–' : formatMs(median)),
          el('td', null, String(error ?? result.message ?? result.notice ?? '')),
        );
      }),
    ),
  );
}
