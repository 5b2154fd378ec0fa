// The yardstick of the engine benchmark: an HTTP/1.1 server on 127.0.0.1 that answers every
// request exactly HOLD_MS after the request arrived, then closes the connection.
//
// It runs apart from the bench and from checkup: a primary process forks one worker per core,
// and every worker accepts from the one listening socket. Each worker is a bare server on
// node:net (read to the end of the head, answer a fixed 200), because node:http's own cost per
// connection made the server, not checkup, the largest part of the measured RTT error.
// Run: node --import tsx bench/hold-server.ts <hold-ms>; prints the port once all listen.
import cluster from 'node:cluster';
import net from 'node:net';
import { availableParallelism } from 'node:os';

const HOLD_MS = Number(process.argv[2] ?? 200);
const RESPONSE = Buffer.from('HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok');

if (cluster.isPrimary) {
  // Every worker accepts for itself; the primary does not hand connections round.
  cluster.schedulingPolicy = cluster.SCHED_NONE;
  const workers = availableParallelism();
  let listening = 0;
  for (let i = 0; i < workers; i++) {
    cluster.fork().on('listening', (address) => {
      if (++listening === workers) process.stdout.write(`${address.port}\n`);
    });
  }
  process.on('SIGTERM', () => {
    for (const worker of Object.values(cluster.workers ?? {})) worker?.kill();
    process.exit(0);
  });
} else {
  serveHeld();
}

function serveHeld(): void {
  const server = net.createServer((socket) => {
    socket.on('error', () => {});
    let head: string | undefined = '';
    socket.on('data', (chunk) => {
      if (head === undefined) return;
      // The request arrived when the loop began this pass, not when its turn in the pass came.
      const arrived = passStartNs();
      head += chunk.toString('latin1');
      if (!head.includes('\r\n\r\n')) return;
      head = undefined;
      const due = arrived + HOLD_MS * 1e6;
      setTimeout(() => socket.end(RESPONSE), Math.max(0, Math.round((due - nowNs()) / 1e6)));
    });
  });
  server.listen({ port: 0, host: '127.0.0.1', backlog: 4096 });
}

let passStart = 0;

function passStartNs(): number {
  if (passStart === 0) {
    passStart = nowNs();
    setImmediate(() => {
      passStart = 0;
    });
  }
  return passStart;
}

function nowNs(): number {
  return Number(process.hrtime.bigint());
}
