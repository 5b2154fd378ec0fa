import http from 'node:http';
import type { AddressInfo } from 'node:net';
import net from 'node:net';

export interface RunningServer {
  port: number;
  url: string;
  close(): Promise<void>;
}

/** A real HTTP server on 127.0.0.1, port 0. Every socket is destroyed on close, hung ones too. */
export async function startHttpServer(handler: http.RequestListener): Promise<RunningServer> {
  const server = http.createServer(handler);
  return listenOnLoopback(server, 'http');
}

/** A raw TCP server on 127.0.0.1, port 0, that accepts and holds connections. */
export async function startTcpServer(
  onConnection: (socket: net.Socket) => void = () => {},
): Promise<RunningServer> {
  return listenOnLoopback(net.createServer(onConnection), 'tcp');
}

/** A port on 127.0.0.1 that nothing listens on (it was bound, then released). */
export async function closedPort(): Promise<number> {
  const server = await startTcpServer();
  await server.close();
  return server.port;
}

/**
 * Starts `server` on 127.0.0.1, port 0, and tracks its sockets so that close() ends hung ones
 * too. The url is `<scheme>://127.0.0.1:PORT`, or `127.0.0.1:PORT` for tcp.
 */
export async function listenOnLoopback(
  server: net.Server,
  scheme: 'http' | 'https' | 'tcp',
): Promise<RunningServer> {
  const sockets = new Set<net.Socket>();
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    port,
    url: scheme === 'tcp' ? `127.0.0.1:${port}` : `${scheme}://127.0.0.1:${port}`,
    close: () =>
      new Promise((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
