// The CloudFront Function that maps the page's /data/* URLs onto bucket keys, run as code.
import { describe, expect, it } from 'vitest';
import { dataPathsFunctionCode } from '../../infra/constructs/status-site.js';

type Request = { uri: string; method: string };
const handler = new Function(`${dataPathsFunctionCode()}; return handler;`)() as (event: {
  request: Request;
}) => Request | { statusCode: number };

const viewerRequest = (uri: string) => handler({ request: { uri, method: 'GET' } });

describe('the /data/* CloudFront Function', () => {
  it.each([
    ['/data/summary.json', '/summaries/summary.json'],
    ['/data/overview.json', '/summaries/overview.json'],
    ['/data/history/3.json', '/summaries/history/3.json'],
    ['/data/overview/3.json', '/summaries/overview/3.json'],
    ['/data/recent/3-24.json', '/summaries/recent/3-24.json'],
    ['/data/runs/1732485600000000000-check.json', '/checks/1732485600000000000-check.json'],
    ['/data/badge/Public%20API.svg', '/summaries/badges/Public%20API.svg'],
    ['/data/notices.json', '/summaries/notices.json'],
    ['/data/feed.atom', '/summaries/feed.atom'],
  ])('maps %s to the bucket key %s', (uri, key) => {
    expect(viewerRequest(uri)).toMatchObject({ uri: key });
  });

  it.each([
    '/data/../config/last-valid.json',
    '/data/config/last-valid.json',
    '/data/state/alert-state.json',
    '/data/runs/index.json',
    '/data/runs/../../state/alert-state.json',
    '/data/runs/12-check.json/extra',
    '/data/%2e%2e/config/last-valid.json',
    '/data/',
    '/data/badge/nested/name.svg',
    '/data/badge/.svg',
    '/data/badge/name.png',
    '/data/feed.atom/../../state/alert-state.json',
    '/data/other.atom',
    '/data/history/../state.json',
    '/data/state/0-0123abcd.json',
    '/data/history/x.json',
    '/data/recent/3.json',
    '/data/badges/x/y.json',
  ])('answers 404 for %s, so no other key of the bucket can be read', (uri) => {
    expect(viewerRequest(uri)).toEqual({ statusCode: 404, statusDescription: 'Not Found' });
  });
});
