import { describe, expect, it } from 'vitest';
import { groupEndpoints, startsCompact } from '../../core/summary/group-endpoints.js';
import type { EndpointStatus } from '../../core/summary/page-document-types.js';

const endpoint = (title: string, status: EndpointStatus, group?: string) => ({
  title,
  status,
  ...(group === undefined ? {} : { group }),
});

describe('groupEndpoints', () => {
  it('keeps the config order of groups, the ungrouped first, each with its worst status', () => {
    const sections = groupEndpoints([
      endpoint('DB', 'healthy', 'Data'),
      endpoint('Site', 'healthy'),
      endpoint('API', 'degraded', 'Backend'),
      endpoint('Cache', 'down', 'Data'),
      endpoint('Queue', 'unknown', 'Backend'),
    ]);
    expect(
      sections.map((section) => [section.name, section.status, section.endpoints.map((e) => e.title)]),
    ).toEqual([
      [undefined, 'healthy', ['Site']],
      ['Data', 'down', ['DB', 'Cache']],
      ['Backend', 'degraded', ['API', 'Queue']],
    ]);
  });

  it.each<[EndpointStatus[], EndpointStatus]>([
    [['healthy', 'healthy'], 'healthy'],
    [['healthy', 'unknown'], 'unknown'],
    [['unknown', 'degraded'], 'degraded'],
    [['down', 'degraded', 'unknown'], 'down'],
  ])('a group of %j is %s', (statuses, worst) => {
    const [section] = groupEndpoints(statuses.map((status, index) => endpoint(`E${index}`, status, 'G')));
    expect(section?.status).toBe(worst);
  });

  it('makes no ungrouped section when every endpoint has a group', () => {
    expect(groupEndpoints([endpoint('A', 'healthy', 'G')]).map((section) => section.name)).toEqual(['G']);
  });
});

describe('startsCompact', () => {
  it('starts compact above 15 endpoints unless the reader chose otherwise', () => {
    expect(startsCompact(15)).toBe(false);
    expect(startsCompact(16)).toBe(true);
    expect(startsCompact(16, false)).toBe(false);
    expect(startsCompact(3, true)).toBe(true);
  });
});
