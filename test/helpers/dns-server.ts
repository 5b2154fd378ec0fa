import dgram from 'node:dgram';
import net from 'node:net';

/** The record types the test server answers, with their DNS type numbers. */
const TYPES = { A: 1, NS: 2, CNAME: 5, MX: 15, TXT: 16, AAAA: 28 } as const;
export type RecordType = keyof typeof TYPES;

/** Records by name (lower case, no trailing dot), then by type. MX values are `"10 mail.example.test"`. */
export type Zone = Record<string, Partial<Record<RecordType, string[]>>>;

export interface DnsServerOptions {
  zone?: Zone;
  /** Names answered with SERVFAIL. */
  servfail?: string[];
  /** Names answered with REFUSED. */
  refused?: string[];
  /** Never answer anything (a server that has gone silent). */
  silent?: boolean;
}

export interface RunningDnsServer {
  port: number;
  /** `127.0.0.1:PORT`. */
  address: string;
  /** How many queries arrived. */
  readonly queries: number;
  close(): Promise<void>;
}

const RCODE = { NOERROR: 0, SERVFAIL: 2, NXDOMAIN: 3, REFUSED: 5 } as const;

/**
 * A small authoritative DNS server on UDP 127.0.0.1, port 0, speaking the real wire format:
 * answers from `zone`, NXDOMAIN for names it does not hold, NOERROR with no answers for a type
 * a name lacks, SERVFAIL or REFUSED for the names listed.
 */
export async function startDnsServer(options: DnsServerOptions = {}): Promise<RunningDnsServer> {
  const socket = dgram.createSocket('udp4');
  let queries = 0;
  socket.on('message', (message, peer) => {
    queries += 1;
    if (options.silent) return;
    const reply = answer(message, options);
    if (reply) socket.send(reply, peer.port, peer.address);
  });
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  const { port } = socket.address();
  return {
    port,
    address: `127.0.0.1:${port}`,
    get queries() {
      return queries;
    },
    close: () => new Promise((resolve) => socket.close(() => resolve())),
  };
}

function answer(query: Buffer, options: DnsServerOptions): Buffer | undefined {
  if (query.length < 12) return undefined;
  const id = query.readUInt16BE(0);
  const recursionDesired = query.readUInt16BE(2) & 0x0100;
  const { name, end } = readName(query, 12);
  const type = query.readUInt16BE(end);
  const question = query.subarray(12, end + 4);
  const key = name.toLowerCase();

  let rcode: number = RCODE.NOERROR;
  let records: Buffer[] = [];
  if (options.servfail?.includes(key)) rcode = RCODE.SERVFAIL;
  else if (options.refused?.includes(key)) rcode = RCODE.REFUSED;
  else if (!options.zone?.[key]) rcode = RCODE.NXDOMAIN;
  else {
    const typeName = (Object.keys(TYPES) as RecordType[]).find((t) => TYPES[t] === type);
    const values = typeName ? (options.zone[key]?.[typeName] ?? []) : [];
    records = values.map((value) => record(type, encodeData(typeName as RecordType, value)));
  }

  const header = Buffer.alloc(12);
  header.writeUInt16BE(id, 0);
  header.writeUInt16BE(0x8000 | 0x0400 | recursionDesired | 0x0080 | rcode, 2); // QR, AA, RD, RA
  header.writeUInt16BE(1, 4);
  header.writeUInt16BE(records.length, 6);
  return Buffer.concat([header, question, ...records]);
}

/** One answer: the name as a pointer to the question (offset 12), class IN, TTL 60. */
function record(type: number, data: Buffer): Buffer {
  const head = Buffer.alloc(12);
  head.writeUInt16BE(0xc00c, 0);
  head.writeUInt16BE(type, 2);
  head.writeUInt16BE(1, 4);
  head.writeUInt32BE(60, 6);
  head.writeUInt16BE(data.length, 10);
  return Buffer.concat([head, data]);
}

function encodeData(type: RecordType, value: string): Buffer {
  switch (type) {
    case 'A':
      return Buffer.from(value.split('.').map(Number));
    case 'AAAA':
      return ipv6Bytes(value);
    case 'CNAME':
    case 'NS':
      return encodeName(value);
    case 'MX': {
      const [preference, exchange] = value.split(' ');
      const head = Buffer.alloc(2);
      head.writeUInt16BE(Number(preference), 0);
      return Buffer.concat([head, encodeName(exchange ?? '')]);
    }
    case 'TXT': {
      // Long text goes out as several character-strings of at most 255 bytes, as the format requires.
      const bytes = Buffer.from(value, 'utf8');
      const parts: Buffer[] = [];
      for (let at = 0; at < bytes.length || at === 0; at += 255) {
        const chunk = bytes.subarray(at, at + 255);
        parts.push(Buffer.from([chunk.length]), chunk);
        if (bytes.length === 0) break;
      }
      return Buffer.concat(parts);
    }
  }
}

function encodeName(name: string): Buffer {
  const labels = name.replace(/\.$/, '').split('.').filter(Boolean);
  return Buffer.concat([
    ...labels.map((label) => Buffer.concat([Buffer.from([label.length]), Buffer.from(label, 'ascii')])),
    Buffer.from([0]),
  ]);
}

function readName(message: Buffer, offset: number): { name: string; end: number } {
  const labels: string[] = [];
  let at = offset;
  while (at < message.length) {
    const length = message[at] ?? 0;
    if (length === 0) return { name: labels.join('.'), end: at + 1 };
    labels.push(message.toString('ascii', at + 1, at + 1 + length));
    at += 1 + length;
  }
  return { name: labels.join('.'), end: at };
}

function ipv6Bytes(address: string): Buffer {
  if (!net.isIPv6(address)) throw new Error(`not an IPv6 address: ${address}`);
  const [head = '', tail = ''] = address.split('::');
  const left = head ? head.split(':') : [];
  const right = address.includes('::') && tail ? tail.split(':') : [];
  const groups = address.includes('::')
    ? [...left, ...Array(8 - left.length - right.length).fill('0'), ...right]
    : left;
  const bytes = Buffer.alloc(16);
  for (const [index, group] of groups.entries()) bytes.writeUInt16BE(Number.parseInt(group, 16), index * 2);
  return bytes;
}
