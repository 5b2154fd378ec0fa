// The tls, dns, exec and http checkers against the bare operation they time, on loopback: the
// median RTT a checker reports over the median of the same operation done with nothing around it
// (a ratio near 1 means the checker adds little of its own), and how the http phases add up.
import { spawn } from 'node:child_process';
import dgram from 'node:dgram';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import tls from 'node:tls';
import { createChecker } from '../core/checkers/create-checker.js';
import { monotonicNs } from '../core/clock.js';
import { validateConfig } from '../core/config/parse-config.js';
import type { Attempt } from '../core/result.js';
import { median } from '../core/stats.js';
import { makeCa, makeLeaf } from '../test/helpers/certificates.js';
import { startDnsServer } from '../test/helpers/dns-server.js';
import { startTlsServer } from '../test/helpers/tls-server.js';

const ATTEMPTS = 100;

async function checkerTimes(fields: Record<string, unknown>): Promise<Attempt[]> {
  const naming = fields.type === 'exec' ? { name: 'bench' } : { endpoint_name: 'bench' };
  const config = validateConfig({ checkers: [{ ...naming, attempts: ATTEMPTS, ...fields }] });
  const result = await createChecker(config.checkers[0] as never, { allowExec: true }).check({
    timestamp: 0,
  });
  const failed = result.times.find((t) => t.error);
  if (failed) throw new Error(`bench checker failed: ${failed.error}`);
  return result.times;
}

async function bare(operation: () => Promise<void>): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < ATTEMPTS; i++) {
    const start = monotonicNs();
    await operation();
    times.push(monotonicNs() - start);
  }
  return times;
}

/** Runs the checker and the bare operation twice each, in turn, and reports the second pair (warm). */
async function compare(name: string, fields: Record<string, unknown>, operation: () => Promise<void>) {
  await checkerTimes(fields);
  await bare(operation);
  report(name, await checkerTimes(fields), await bare(operation));
}

function report(name: string, checker: Attempt[], baseline: number[]): void {
  const ours = median(checker.map((t) => t.rtt));
  const floor = median(baseline);
  console.log(
    `${name.padEnd(5)} checker median ${(ours / 1e6).toFixed(3)} ms, bare ${(floor / 1e6).toFixed(3)} ms, ratio ${(ours / floor).toFixed(2)}`,
  );
}

/** A DNS query for www.example.test, type A, as bytes: the bare baseline sends it itself. */
function rawQuery(): Buffer {
  const header = Buffer.from([0x12, 0x34, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0]);
  const name = Buffer.concat([
    ...['www', 'example', 'test'].map((label) =>
      Buffer.concat([Buffer.from([label.length]), Buffer.from(label)]),
    ),
    Buffer.from([0, 0, 1, 0, 1]),
  ]);
  return Buffer.concat([header, name]);
}

export default async function run(): Promise<void> {
  const dns = await startDnsServer({ zone: { 'www.example.test': { A: ['192.0.2.1'] } } });
  const dnsSocket = dgram.createSocket('udp4');
  const query = rawQuery();
  await compare(
    'dns',
    { type: 'dns', endpoint_url: dns.address, hostname_fqdn: 'www.example.test' },
    () =>
      new Promise((resolve) => {
        dnsSocket.once('message', () => resolve());
        dnsSocket.send(query, dns.port, '127.0.0.1');
      }),
  );
  dnsSocket.close();
  await dns.close();

  const root = await makeCa('Bench Root');
  const leaf = await makeLeaf(root, ['127.0.0.1']);
  const tlsServer = await startTlsServer(leaf);
  await compare(
    'tls',
    { type: 'tls', endpoint_url: tlsServer.address, tls_skip_verify: true },
    () =>
      new Promise((resolve) => {
        const socket = tls.connect(
          { host: '127.0.0.1', port: tlsServer.port, rejectUnauthorized: false },
          () => {
            socket.destroy();
            resolve();
          },
        );
      }),
  );
  await tlsServer.close();

  await compare(
    'exec',
    { type: 'exec', command: '/bin/true' },
    () => new Promise((resolve) => spawn('/bin/true').on('close', () => resolve())),
  );

  const HOLD_MS = 20;
  const server = http.createServer((_, response) => setTimeout(() => response.end('ok'), HOLD_MS));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const times = await checkerTimes({
    type: 'http',
    endpoint_url: `http://localhost:${port}/`,
    must_contain: 'ok',
  });
  const phase = (name: string) => median(times.map((t) => t.phases?.[name] ?? 0));
  // Per attempt, how much of the RTT the phases account for (1.00: nothing unaccounted).
  const covered = median(
    times.map((t) => ((t.phases?.dns ?? 0) + (t.phases?.connect ?? 0) + (t.phases?.firstByte ?? 0)) / t.rtt),
  );
  console.log(
    `http  phases (median ms): dns ${(phase('dns') / 1e6).toFixed(3)}, connect ${(phase('connect') / 1e6).toFixed(3)}, ` +
      `firstByte ${(phase('firstByte') / 1e6).toFixed(3)} (server holds ${HOLD_MS} ms: ratio ${(phase('firstByte') / (HOLD_MS * 1e6)).toFixed(2)}), ` +
      `total ${(phase('total') / 1e6).toFixed(3)}; dns+connect+firstByte over rtt ${covered.toFixed(2)}`,
  );
  server.close();
}
