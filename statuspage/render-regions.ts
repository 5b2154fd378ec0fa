import type { RegionStatus } from '../core/summary/page-document-types.js';
import { el } from './dom.js';
import { formatMs, formatTime } from './format.js';

const REGION_WORDS: Record<RegionStatus['status'], string> = {
  healthy: 'up',
  degraded: 'degraded',
  down: 'down',
  unknown: 'not reporting',
};

/**
 * Each region's view of an endpoint, one item each: "eu-west-1 up 42 ms", "ap-southeast-2 down",
 * "us-east-1 not reporting since 2026-11-24 12:03 UTC". Text only (names come from the data).
 */
export function renderRegions(regions: readonly RegionStatus[]): HTMLElement {
  return el(
    'ul',
    { class: 'regions', 'aria-label': 'Regions' },
    ...regions.map((region) =>
      el(
        'li',
        { class: `region region--${region.status}` },
        el('span', { class: 'region-name' }, region.name),
        ' ',
        el('span', { class: `status status--${region.status}` }, REGION_WORDS[region.status]),
        region.status === 'unknown'
          ? ` since ${formatTime(region.lastCheck)}`
          : // A down region's time is how long it took to fail: no latency.
            region.rttMs !== undefined && region.status !== 'down'
            ? ` ${formatMs(region.rttMs)}`
            : '',
      ),
    ),
  );
}
