import { describe, expect, it } from 'vitest';
import { type HttpRequestPlan, MAX_REDIRECTS, redirectStep } from '../../core/checkers/redirect-rule.js';

const post: HttpRequestPlan = {
  url: new URL('http://a.test/form'),
  method: 'POST',
  headers: {
    'user-agent': 'checkup',
    'content-type': 'application/json',
    authorization: 'Bearer secret',
    'x-trace': 'kept',
  },
  body: '{"a":1}',
};
const everyHeader = Object.keys(post.headers);
const withoutContent = everyHeader.filter((name) => name !== 'content-type');

describe('redirectStep', () => {
  it.each([
    { status: 200, location: '/x' },
    { status: 304, location: '/x' },
    { status: 302, location: undefined },
    { status: 302, location: '' },
  ])('leaves a $status response with Location $location to be judged', ({ status, location }) => {
    expect(redirectStep(status, location, post, 0)).toBeUndefined();
  });

  it.each([
    {
      status: 301,
      method: 'POST',
      url: 'http://a.test/next',
      next: 'GET',
      headers: withoutContent,
      body: undefined,
    },
    {
      status: 302,
      method: 'POST',
      url: 'http://a.test/next',
      next: 'GET',
      headers: withoutContent,
      body: undefined,
    },
    {
      status: 303,
      method: 'POST',
      url: 'http://a.test/next',
      next: 'GET',
      headers: withoutContent,
      body: undefined,
    },
    {
      status: 303,
      method: 'PUT',
      url: 'http://a.test/next',
      next: 'GET',
      headers: withoutContent,
      body: undefined,
    },
    {
      status: 303,
      method: 'HEAD',
      url: 'http://a.test/next',
      next: 'HEAD',
      headers: withoutContent,
      body: undefined,
    },
    {
      status: 301,
      method: 'PUT',
      url: 'http://a.test/next',
      next: 'PUT',
      headers: everyHeader,
      body: '{"a":1}',
    },
    {
      status: 307,
      method: 'POST',
      url: 'http://a.test/next',
      next: 'POST',
      headers: everyHeader,
      body: '{"a":1}',
    },
    {
      status: 308,
      method: 'POST',
      url: 'http://a.test/next',
      next: 'POST',
      headers: everyHeader,
      body: '{"a":1}',
    },
    {
      status: 307,
      method: 'POST',
      url: 'https://b.test/next',
      next: 'POST',
      headers: ['user-agent', 'content-type', 'x-trace'],
      body: '{"a":1}',
    },
    {
      status: 303,
      method: 'POST',
      url: 'https://b.test/next',
      next: 'GET',
      headers: ['user-agent', 'x-trace'],
      body: undefined,
    },
  ])(
    'follows a $status after a $method to $url as $next with $headers',
    ({ status, method, url, next, headers, body }) => {
      const step = redirectStep(status, url.replace('http://a.test', ''), { ...post, method }, 0);
      if (!step || !('next' in step)) throw new Error(`no next request: ${JSON.stringify(step)}`);
      expect(step.next.url.href).toBe(url);
      expect(step.next.method).toBe(next);
      expect(Object.keys(step.next.headers)).toEqual(headers);
      expect(step.next.body).toBe(body);
    },
  );

  it.each([
    { location: '/x', hop: MAX_REDIRECTS, error: `more than ${MAX_REDIRECTS} redirects` },
    { location: 'ftp://a.test/file', hop: 0, error: 'redirect to ftp: is not followed' },
    { location: 'javascript:alert(1)', hop: 0, error: 'redirect to javascript: is not followed' },
  ])('refuses a redirect to $location at hop $hop', ({ location, hop, error }) => {
    expect(redirectStep(302, location, post, hop)).toEqual({ error });
  });

  it('follows the last redirect allowed', () => {
    expect(redirectStep(302, '/x', post, MAX_REDIRECTS - 1)).toHaveProperty('next');
  });
});
