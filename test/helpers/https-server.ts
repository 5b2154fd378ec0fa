import type http from 'node:http';
import https from 'node:https';
import type { TestCertificate } from './certificates.js';
import { listenOnLoopback, type RunningServer } from './servers.js';

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
  server.on('tlsClientError', () => {});
  return listenOnLoopback(server, 'https');
}
