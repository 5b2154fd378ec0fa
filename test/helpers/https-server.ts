import type http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import type { TestCertificate } from './certificates.js';
import type { RunningServer } from './servers.js';

/** A real HTTPS server on 127.0.0.1, port 0, presenting `leaf` and then `chain`. */
export async function startHttpsServer(
  leaf: TestCertificate,
  handler: http.RequestListener,
  chain: readonly TestCertificate[] = [],
): Promise<RunningServer> {
  const server = https.createServer(
    { key: leaf.keyPem, cert: [leaf.certPem, ...chain.map((c) => c.certPem)].join('\n') },
    handler,
  );
  const sockets = new Set<Duplex>();
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  server.on('tlsClientError', () => {});
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    port,
    url: `https://127.0.0.1:${port}`,
    close: () =>
      new Promise((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
