import type net from 'node:net';
import type { AddressInfo } from 'node:net';
import tls from 'node:tls';
import type { TestCertificate } from './certificates.js';

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
  const sockets = new Set<net.Socket>();
  const server = tls.createServer(
    { key: leaf.keyPem, cert: [leaf.certPem, ...chain.map((c) => c.certPem)].join('\n') },
    (socket) => socket.end(),
  );
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  // A client that rejects our certificate aborts the handshake; that is expected here.
  server.on('tlsClientError', () => {});
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    port,
    address: `127.0.0.1:${port}`,
    close: () =>
      new Promise((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
