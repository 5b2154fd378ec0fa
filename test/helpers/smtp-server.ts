import type { AddressInfo } from 'node:net';
import { SMTPServer, type SMTPServerOptions } from 'smtp-server';

/** One mail the server accepted: its envelope, how it came, and the raw message. */
export interface ReceivedMail {
  from: string;
  to: string[];
  raw: string;
  /** Who logged in (AUTH), if anyone. */
  user: string | undefined;
  /** Whether the session was encrypted (STARTTLS or implicit TLS). */
  tls: boolean;
}

export interface RunningSmtpServer {
  port: number;
  received: ReceivedMail[];
  /** SMTP replies to give instead of accepting the next messages, in order (e.g. 421, 550). */
  failNext: number[];
  close(): Promise<void>;
}

export interface SmtpServerOptions {
  /** A certificate to offer STARTTLS with (or implicit TLS with `secure`); none: no STARTTLS. */
  tls?: { certPem: string; keyPem: string };
  /** TLS from the first byte (port 465 style). */
  secure?: boolean;
  /** Users that may log in; given: AUTH is required. */
  users?: Record<string, string>;
}

/** A real SMTP server on 127.0.0.1, port 0, that records what it receives. */
export async function startSmtpServer(options: SmtpServerOptions = {}): Promise<RunningSmtpServer> {
  const received: ReceivedMail[] = [];
  const failNext: number[] = [];
  const users = options.users;
  const config: SMTPServerOptions = {
    secure: options.secure ?? false,
    ...(options.tls ? { key: options.tls.keyPem, cert: options.tls.certPem } : {}),
    disabledCommands: options.tls ? [] : ['STARTTLS'],
    authOptional: users === undefined,
    allowInsecureAuth: true,
    logger: false,
    onAuth(auth, _session, callback) {
      if (users && auth.username !== undefined && users[auth.username] === auth.password)
        callback(null, { user: auth.username });
      else callback(Object.assign(new Error('Invalid username or password'), { responseCode: 535 }));
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        const code = failNext.shift();
        if (code !== undefined) {
          const reply = code === 421 ? 'Try again later' : 'Mailbox unavailable';
          callback(Object.assign(new Error(reply), { responseCode: code }));
          return;
        }
        received.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          to: session.envelope.rcptTo.map((rcpt) => rcpt.address),
          raw: Buffer.concat(chunks).toString('utf8'),
          user: typeof session.user === 'string' ? session.user : undefined,
          tls: session.secure,
        });
        callback();
      });
    },
  };
  const server = new SMTPServer(config);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  server.on('error', () => {});
  const port = (server.server.address() as AddressInfo).port;
  return {
    port,
    received,
    failNext,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
