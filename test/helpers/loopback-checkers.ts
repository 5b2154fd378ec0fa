/**
 * `count` HTTP checkers, `E0` on, of the loopback site's paths `/e/<index>`, one attempt each,
 * with `extra` (a timeout) over each.
 */
export function loopbackCheckers(siteUrl: string, count: number, extra: Record<string, unknown> = {}) {
  return Array.from({ length: count }, (_, index) => ({
    type: 'http',
    endpoint_name: `E${index}`,
    endpoint_url: `${siteUrl}/e/${index}`,
    attempts: 1,
    ...extra,
  }));
}
