/** The host a socket is given for a URL: its hostname, an IPv6 literal without its brackets ([::1] is ::1). */
export function socketHost(url: URL): string {
  const host = url.hostname;
  return host.startsWith('[') ? host.slice(1, -1) : host;
}
