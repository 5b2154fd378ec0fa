import tls from 'node:tls';
import type { TestCertificate } from './certificates.js';
import { listenOnLoopback } from './servers.js';

export interface RunningTlsServer {
  port: number;
  /** `127.0.0.1:PORT`. */
  address: string;
  close(): Promise<void>;
}

/**
 * A real TLS server on 127.0.0.1, port 0, presenting `leaf` followed by `chain` (intermediates).
 * It completes the handshake and then closes each connection.
 */
export async function startTlsServer(
  leaf: TestCertificate,
  chain: readonly TestCertificate[] = [],
): Promise<RunningTlsServer> {
  const server = tls.createServer(
    { key: leaf.keyPem, cert: [leaf.certPem, ...chain.map((c) => c.certPem)].join('\n') },
    (socket) => socket.end(),
  );
  // A client that rejects our certificate aborts the handshake; that is expected here.
  server.on('tlsClientError', () => {});
  const { port, url, close } = await listenOnLoopback(server, 'tcp');
  return { port, address: url, close };
}
