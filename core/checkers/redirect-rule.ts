/** Redirects followed (with `follow_redirects`) before giving up. */
export const MAX_REDIRECTS = 10;

const REDIRECTS = new Set([301, 302, 303, 307, 308]);
/** Headers that must not travel to another origin on a redirect. */
const ORIGIN_BOUND_HEADERS = ['authorization', 'cookie', 'proxy-authorization', 'host'];

/** One request of an attempt: where it goes and what it carries. Header names are lower case. */
export interface HttpRequestPlan {
  url: URL;
  method: string;
  headers: Record<string, string>;
  body?: string;
}

/** What a response asks of the next hop: nothing (judge it), another request, or a refusal. */
export type RedirectStep = { next: HttpRequestPlan } | { error: string } | undefined;

/**
 * The redirect rule: given a response's status and Location, the request that got it and how
 * many hops came before, the request to make next. Credentials stay with their origin, and a
 * 303 (or a 301/302 after a POST) becomes a GET without the body or the `Content-*` headers
 * that described it, as browsers and HTTP clients do.
 */
export function redirectStep(
  status: number,
  location: string | undefined,
  request: HttpRequestPlan,
  hop: number,
): RedirectStep {
  if (!REDIRECTS.has(status) || !location) return undefined;
  if (hop >= MAX_REDIRECTS) return { error: `more than ${MAX_REDIRECTS} redirects` };
  const url = new URL(location, request.url);
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    return { error: `redirect to ${url.protocol} is not followed` };
  }
  let headers = request.headers;
  if (url.origin !== request.url.origin)
    headers = withoutHeaders(headers, (name) => ORIGIN_BOUND_HEADERS.includes(name));
  if (status === 303 || ((status === 301 || status === 302) && request.method === 'POST')) {
    const method = request.method === 'HEAD' ? 'HEAD' : 'GET';
    return { next: { url, method, headers: withoutHeaders(headers, (name) => name.startsWith('content-')) } };
  }
  return { next: { ...request, url, headers } };
}

function withoutHeaders(
  headers: Record<string, string>,
  drop: (name: string) => boolean,
): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).filter(([name]) => !drop(name)));
}
