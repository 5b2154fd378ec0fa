import type { EndpointStatus } from './page-document-types.js';

/** Above this many endpoints the page starts in its compact view (one row per endpoint). */
export const COMPACT_VIEW_ABOVE = 15;

/** How bad each status is for a group's headline: the worst of its endpoints wins. */
const SEVERITY: Record<EndpointStatus, number> = { healthy: 0, unknown: 1, degraded: 2, down: 3 };

/** One section of the page: a group (or the ungrouped endpoints, `name` undefined). */
export interface EndpointGroup<T> {
  name: string | undefined;
  /** The worst status among its endpoints. */
  status: EndpointStatus;
  endpoints: T[];
}

/**
 * The endpoints in sections by their `group`, in the order each group first appears (the
 * config's order), the ungrouped ones first; each with its worst status.
 */
export function groupEndpoints<T extends { group?: string; status: EndpointStatus }>(
  endpoints: readonly T[],
): EndpointGroup<T>[] {
  const sections = new Map<string | undefined, EndpointGroup<T>>();
  if (endpoints.some((endpoint) => endpoint.group === undefined))
    sections.set(undefined, { name: undefined, status: 'healthy', endpoints: [] });
  for (const endpoint of endpoints) {
    let section = sections.get(endpoint.group);
    if (!section) {
      section = { name: endpoint.group, status: 'healthy', endpoints: [] };
      sections.set(endpoint.group, section);
    }
    section.endpoints.push(endpoint);
    if (SEVERITY[endpoint.status] > SEVERITY[section.status]) section.status = endpoint.status;
  }
  return [...sections.values()];
}

/** Whether the page starts compact: above COMPACT_VIEW_ABOVE endpoints, unless the reader chose. */
export function startsCompact(endpointCount: number, readerChoice?: boolean): boolean {
  return readerChoice ?? endpointCount > COMPACT_VIEW_ABOVE;
}
