import { type ChildProcess, fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { S3Event } from 'aws-lambda';

/** A running s3rver on 127.0.0.1 and the S3 events it has emitted so far. */
export interface S3rverHandle {
  endpoint: string;
  /** Every ObjectCreated/ObjectRemoved event s3rver emitted, oldest first. */
  events: S3Event[];
  /** Resolves with the first event (emitted from now on, or already) that `match` accepts. */
  waitForEvent(match: (event: S3Event) => boolean, timeoutMs?: number): Promise<S3Event>;
  stop(): Promise<void>;
}

const CHILD = fileURLToPath(new URL('./s3rver-with-events-child.mjs', import.meta.url));

/** Starts s3rver in a child process with the given buckets, storing into `directory`. */
export async function startS3rverWithEvents(
  directory: string,
  buckets: readonly string[],
): Promise<S3rverHandle> {
  const child: ChildProcess = fork(CHILD, [JSON.stringify({ directory, buckets })], {
    execArgv: ['--openssl-legacy-provider'],
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  const events: S3Event[] = [];
  const waiters = new Set<() => void>();
  const port = await new Promise<number>((resolve, reject) => {
    child.on('message', (message: { type: string; port?: number; event?: S3Event }) => {
      if (message.type === 'ready') resolve(message.port as number);
      if (message.type === 'event') {
        events.push(message.event as S3Event);
        for (const wake of waiters) wake();
      }
    });
    child.once('exit', (code) => reject(new Error(`s3rver exited with ${code}`)));
  });
  return {
    endpoint: `http://127.0.0.1:${port}`,
    events,
    waitForEvent(match, timeoutMs = 10_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const found = events.find(match);
          if (!found) return;
          waiters.delete(check);
          clearTimeout(timer);
          resolve(found);
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error('no matching S3 event from s3rver'));
        }, timeoutMs);
        waiters.add(check);
        check();
      });
    },
    stop() {
      return new Promise((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.disconnect();
      });
    },
  };
}
