import net from 'node:net';
import tls from 'node:tls';
import type { CheckContext, Checker } from '../checker.js';
import { monotonicNs } from '../clock.js';
import type { TcpCheckerConfig } from '../config/checker-schemas.js';
import { formatDuration } from '../duration.js';
import { setLongTimeout } from '../long-timer.js';
import type { Attempt } from '../result.js';
import { checkByAttempts } from './check-by-attempts.js';
import { describeNetworkError } from './describe-network-error.js';
import { DEFAULT_TIMEOUT_NS } from './http-checker.js';
import { asLocalResourceError } from './local-resource-error.js';
import { readSmallFile } from './read-small-file.js';

/** Splits `host:port` (with `[::1]:port` for IPv6). */
export function splitHostPort(endpoint: string): { host: string; port: number } {
  const colon = endpoint.lastIndexOf(':');
  const host = endpoint.slice(0, colon).replace(/^\[(.*)\]$/, '$1');
  return { host, port: Number(endpoint.slice(colon + 1)) };
}

/** The TCP checker: RTT is the time to connect (and finish the TLS handshake when `tls` is set). */
export function createTcpChecker(config: TcpCheckerConfig): Checker {
  const { host, port } = splitHostPort(config.endpoint_url);
  const timeoutNs = config.timeout ?? DEFAULT_TIMEOUT_NS;
  const ca = config.tls_ca_file ? readSmallFile(config.tls_ca_file, 'tls_ca_file') : undefined;

  function attempt(signal?: AbortSignal): Promise<Attempt> {
    return new Promise((resolve, reject) => {
      const start = monotonicNs();
      let settled = false;
      const socket = config.tls
        ? tls.connect({
            host,
            port,
            servername: net.isIP(host) ? undefined : host,
            rejectUnauthorized: !config.tls_skip_verify,
            ...(ca ? { ca } : {}),
          })
        : net.connect({ host, port });
      const timer = setLongTimeout(
        () => finish(`timed out after ${formatDuration(timeoutNs)}`),
        timeoutNs / 1e6,
      );
      const onAbort = () => finish('cancelled');
      signal?.addEventListener('abort', onAbort, { once: true });

      function finish(error?: string, local?: Error) {
        if (settled) return;
        settled = true;
        const rtt = monotonicNs() - start;
        timer.clear();
        signal?.removeEventListener('abort', onAbort);
        socket.destroy();
        // Out of descriptors here is no fault of the endpoint: runAttempts makes the attempt again.
        if (local) reject(local);
        else resolve(error === undefined ? { rtt } : { rtt, error });
      }
      socket.once(config.tls ? 'secureConnect' : 'connect', () => finish());
      socket.once('error', (error) => finish(describeNetworkError(error), asLocalResourceError(error)));
    });
  }

  return {
    type: 'tcp',
    title: config.endpoint_name,
    endpoint: config.endpoint_url,
    check(context: CheckContext) {
      return checkByAttempts({
        title: config.endpoint_name,
        endpoint: config.endpoint_url,
        config,
        context,
        attempt,
      });
    },
  };
}
