// The floor of a Node engine for the engine bench: the least a single-threaded Node process can do
// with a checkup.json of plain HTTP checkers. Each attempt is a connection of its own (as checkup's),
// a request written, the first bytes of the answer, and a close; at most `concurrent_checks` checkers
// at once, their attempts one after the other, one attempt begun per turn of the event loop (as
// checkup's pacer). No config validation, no response parsing, no results, no output. What
// `checkup` takes beyond this is this project's own cost; what this takes beyond checkup (Go) is
// Node's. Usage: node bench/bare-http-client.mjs checkup.json
import { readFileSync } from 'node:fs';
import net from 'node:net';

const config = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const checkers = config.checkers.map((checker) => ({
  url: new URL(checker.endpoint_url),
  attempts: checker.attempts ?? 1,
}));

const waiting = [];
let turnScheduled = false;
function nextTurn() {
  turnScheduled = false;
  waiting.shift()?.();
  if (waiting.length > 0) scheduleTurn();
}
function scheduleTurn() {
  if (turnScheduled) return;
  turnScheduled = true;
  setImmediate(nextTurn);
}
function attemptTurn() {
  return new Promise((resolve) => {
    waiting.push(resolve);
    scheduleTurn();
  });
}

function attempt(url) {
  return new Promise((resolve) => {
    const socket = net.connect({ host: url.hostname, port: Number(url.port || 80) });
    socket.once('data', () => {
      setImmediate(() => socket.destroy());
      resolve();
    });
    socket.once('error', () => resolve());
    socket.write(`GET ${url.pathname} HTTP/1.1\r\nHost: ${url.host}\r\nConnection: close\r\n\r\n`, 'latin1');
  });
}

let next = 0;
async function worker() {
  while (next < checkers.length) {
    const checker = checkers[next++];
    for (let index = 0; index < checker.attempts; index++) {
      await attemptTurn();
      await attempt(checker.url);
    }
  }
}
await Promise.all(Array.from({ length: Math.min(config.concurrent_checks ?? 5, checkers.length) }, worker));
