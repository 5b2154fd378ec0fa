import type http from 'node:http';
import net from 'node:net';
import tls from 'node:tls';

/**
 * Request options that give one node:http request a connection of its own, as checkup does
 * (keep-alive off): no agent, whose set-up per request would cost a third of the request's CPU.
 * `onAttempt` is called as the TCP connection attempt begins, the moment the first packet to an
 * endpoint given by IP address leaves; the request itself was made earlier, when the event loop
 * had other requests to start.
 */
export function ownConnection(
  url: URL,
  headers: Record<string, string>,
  onAttempt: () => void,
): Pick<http.RequestOptions, 'createConnection' | 'defaultPort'> {
  const secure = url.protocol === 'https:';
  const servername = secure ? serverName(url, headers.host) : '';
  return {
    defaultPort: secure ? 443 : 80,
    createConnection(options) {
      const socket = secure
        ? tls.connect({ ...(options as tls.ConnectionOptions), ...(servername ? { servername } : {}) })
        : net.createConnection(options as net.NetConnectOpts);
      socket.once('connectionAttempt', onAttempt);
      return socket;
    },
  };
}

/** The name sent for SNI and checked against the certificate: the Host header's, else the URL's; none for an IP address. */
function serverName(url: URL, hostHeader: string | undefined): string {
  const host = hostHeader ? hostHeader.replace(/:\d+$/, '') : url.hostname;
  const bare = host.replace(/^\[(.*)\]$/, '$1');
  return net.isIP(bare) ? '' : bare;
}
