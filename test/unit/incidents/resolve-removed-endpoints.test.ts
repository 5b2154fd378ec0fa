import { describe, expect, it } from 'vitest';
import {
  changeIncident,
  resolveIncidentsOfRemovedEndpoints,
} from '../../../core/incidents/change-incident.js';
import type { Incident } from '../../../core/incidents/incident.js';

function opened(title: string, endpoints: string[], source: 'auto' | 'manual', incidents: Incident[] = []) {
  return changeIncident(incidents, { kind: 'open', at: 1_000, title, message: 'm', endpoints, source })
    .incidents;
}

describe('resolveIncidentsOfRemovedEndpoints', () => {
  it.each<[string, string[], 'auto' | 'manual', string]>([
    ['an automatic one of a removed endpoint', ['db'], 'auto', 'resolved'],
    ['an automatic one of an endpoint still checked', ['api'], 'auto', 'investigating'],
    ['one of several endpoints, one still checked', ['db', 'api'], 'auto', 'investigating'],
    ['one written by hand, left to its author', ['db'], 'manual', 'investigating'],
  ])('%s', (_, endpoints, source, status) => {
    const [incident] = resolveIncidentsOfRemovedEndpoints(opened('t', endpoints, source), ['api'], 2_000);
    expect(incident?.status).toBe(status);
  });

  it('returns the same list when nothing changes, so the state is not rewritten', () => {
    const incidents = opened('t', ['api'], 'auto');
    expect(resolveIncidentsOfRemovedEndpoints(incidents, ['api'], 2_000)).toBe(incidents);
  });
});
