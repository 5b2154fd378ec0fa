import type { EndpointStatus } from '../core/summary/page-document-types.js';
import { el } from './dom.js';
import type { PageSection } from './page-sections.js';
import { STATUS_LABELS } from './render-endpoint.js';

const PROBLEMS: ReadonlyArray<[EndpointStatus, string]> = [
  ['down', 'down'],
  ['degraded', 'degraded'],
  ['unknown', 'unknown'],
];

/**
 * A group as a collapsible section (native `<details>`: Enter and Space open and close it): the
 * header says its name, its worst status in words and how many endpoints have a problem, so a
 * closed group still tells its state. The list of its endpoints is empty: the page fills it when
 * the group is open and near the screen.
 */
export function renderGroup(section: PageSection, open: boolean, searching: boolean): HTMLDetailsElement {
  const counts = [
    searching ? `${section.found.length} of ${section.total} match` : `${section.total} endpoints`,
    ...PROBLEMS.filter(([status]) => section.counts[status] > 0).map(
      ([status, word]) => `${section.counts[status]} ${word}`,
    ),
  ];
  return el(
    'details',
    {
      class: `group group--${section.status}`,
      'data-group': section.name,
      open: open ? '' : undefined,
    },
    el(
      'summary',
      { class: 'group-head' },
      el('span', { class: 'group-name' }, section.name ?? 'Other'),
      ' ',
      el('span', { class: `status status--${section.status}` }, STATUS_LABELS[section.status]),
      ' ',
      el('span', { class: 'group-counts' }, counts.join(', ')),
    ),
    el('ul', { class: 'endpoints' }),
  );
}
