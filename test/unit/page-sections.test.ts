import { describe, expect, it } from 'vitest';
import type { EndpointStatus, OverviewEndpoint } from '../../core/summary/page-document-types.js';
import { pageSections } from '../../statuspage/page-sections.js';

const endpoint = (title: string, status: EndpointStatus, group?: string): OverviewEndpoint => ({
  title,
  endpoint: `https://${title}.test/`,
  status,
  since: 0,
  lastCheck: 0,
  uptime: {},
  block: 0,
  days: [],
  ...(group === undefined ? {} : { group }),
});

/** Each section as [name, status, titles found]. */
const shape = (endpoints: OverviewEndpoint[], query = '') =>
  pageSections(endpoints, query).map((section) => [
    section.name,
    section.status,
    section.found.map((found) => found.title),
  ]);

describe('pageSections', () => {
  it('makes one section of a page without groups, problems first', () => {
    expect(shape([endpoint('a', 'healthy'), endpoint('b', 'down'), endpoint('c', 'unknown')])).toEqual([
      [undefined, 'down', ['b', 'c', 'a']],
    ]);
  });

  it('puts groups with problems first, the others in config order, the ungrouped last among equals', () => {
    expect(
      shape([
        endpoint('site', 'healthy'),
        endpoint('db', 'healthy', 'Data'),
        endpoint('cdn', 'healthy', 'Edge'),
        endpoint('api', 'degraded', 'Backend'),
        endpoint('cache', 'down', 'Data'),
      ]),
    ).toEqual([
      ['Data', 'down', ['cache', 'db']],
      ['Backend', 'degraded', ['api']],
      ['Edge', 'healthy', ['cdn']],
      [undefined, 'healthy', ['site']],
    ]);
  });

  it('searches every group by every word, leaves out groups without a match, and keeps whole-group figures', () => {
    const endpoints = [
      endpoint('Main DB', 'down', 'Data'),
      endpoint('Replica DB', 'healthy', 'Data'),
      endpoint('Main site', 'healthy', 'Web'),
      endpoint('Docs', 'healthy', 'Web'),
    ];
    expect(shape(endpoints, 'replica')).toEqual([['Data', 'down', ['Replica DB']]]);
    expect(shape(endpoints, ' MAIN  ')).toEqual([
      ['Data', 'down', ['Main DB']],
      ['Web', 'healthy', ['Main site']],
    ]);
    const [data] = pageSections(endpoints, 'replica');
    expect([data?.total, data?.counts]).toEqual([2, { healthy: 1, degraded: 0, down: 1, unknown: 0 }]);
    expect(pageSections(endpoints, 'nothing')).toEqual([]);
  });
});
