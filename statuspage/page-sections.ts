import { groupEndpoints } from '../core/summary/group-endpoints.js';
import type { EndpointStatus, OverviewEndpoint } from '../core/summary/page-document-types.js';
import { problemsFirst } from './page-endpoint.js';

/** One section of the endpoint list: a group, or the ungrouped endpoints (`name` undefined). */
export interface PageSection {
  /** The group's name; undefined for the endpoints without one ("Other", or the whole list). */
  name: string | undefined;
  /** The worst status of all its endpoints, whatever the search. */
  status: EndpointStatus;
  /** How many of its endpoints have each status, whatever the search. */
  counts: Record<EndpointStatus, number>;
  /** All its endpoints, whatever the search. */
  total: number;
  /** Its endpoints matching the search, problems first. */
  found: OverviewEndpoint[];
}

/**
 * The overview's endpoints as the page lists them: in sections by `group` (one section when no
 * endpoint has a group), sections with problems first and otherwise in the config's order, the
 * ungrouped ones ("Other") last; within each, the endpoints whose name has every word of `query`,
 * problems first. Sections with no match are left out while searching. This is the one place the
 * page reads an endpoint's group.
 */
export function pageSections(endpoints: readonly OverviewEndpoint[], query: string): PageSection[] {
  const words = query.toLowerCase().split(/\s+/).filter(Boolean);
  const matches = (endpoint: OverviewEndpoint) => {
    const name = endpoint.title.toLowerCase();
    return words.every((word) => name.includes(word));
  };
  const groups = groupEndpoints(endpoints);
  // The ungrouped endpoints are "Other" beside named groups: after them at equal status.
  const ungrouped = groups.findIndex((group) => group.name === undefined);
  if (ungrouped >= 0 && groups.length > 1) groups.push(...groups.splice(ungrouped, 1));
  const sections = groups.map((group): PageSection => {
    const counts: Record<EndpointStatus, number> = { healthy: 0, degraded: 0, down: 0, unknown: 0 };
    for (const endpoint of group.endpoints) counts[endpoint.status] += 1;
    return {
      name: group.name,
      status: group.status,
      counts,
      total: group.endpoints.length,
      found: problemsFirst(words.length > 0 ? group.endpoints.filter(matches) : group.endpoints),
    };
  });
  return problemsFirst(words.length > 0 ? sections.filter((section) => section.found.length > 0) : sections);
}
