import { type ChildProcessByStdio, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import type { Readable } from 'node:stream';
import type { CheckContext, Checker } from '../checker.js';
import { monotonicNs } from '../clock.js';
import type { ExecCheckerConfig } from '../config/checker-schemas.js';
import { formatDuration } from '../duration.js';
import { excerpt } from '../excerpt.js';
import { setLongTimeout } from '../long-timer.js';
import type { Attempt } from '../result.js';
import { checkByAttempts } from './check-by-attempts.js';
import { describeNetworkError } from './describe-network-error.js';
import { DEFAULT_TIMEOUT_NS } from './http-checker.js';
import { EXEC_MARK_VARIABLE, killCommandTree } from './kill-command-tree.js';
import { asLocalResourceError } from './local-resource-error.js';

/** The most output (stdout and stderr together) kept for `must_contain`; the rest is read and dropped. */
export const MAX_OUTPUT_BYTES = 1024 * 1024;
/** How much of the output's end an error message quotes. */
const QUOTED_TAIL = 200;
/** How much of the output's end is kept for that quote, whatever its length. */
const TAIL_BYTES = 4096;
/** How long output is still read after the command exits, when something else holds it open. */
const OUTPUT_GRACE_MS = 200;

/**
 * The exec checker (command line only): runs `command` with `arguments`, no shell. An exit status
 * other than 0, a signal, the timeout or a failed `must_contain`/`must_not_contain` on the output
 * is an error; with `raise: "warn"` errors make the endpoint degraded instead of down, as
 * checkup. When the command exits or times out, whatever it started is killed with it.
 */
export function createExecChecker(config: ExecCheckerConfig): Checker {
  const timeoutNs = config.timeout ?? DEFAULT_TIMEOUT_NS;
  const args = config.arguments ?? [];
  const endpoint = [config.command, ...args].join(' ');
  const warnOnly = config.raise === 'warn' || config.raise === 'warning';

  function attempt(signal?: AbortSignal): Promise<Attempt> {
    return new Promise((resolve, reject) => {
      const start = monotonicNs();
      const mark = randomUUID();
      let settled = false;
      const output = new OutputKeeper();
      // Its own process group, and a mark in its environment, so that what it started is found
      // and killed with it.
      const child = spawn(config.command, args, {
        detached: true,
        stdio: ['ignore', 'pipe', 'pipe'],
        env: { ...process.env, [EXEC_MARK_VARIABLE]: mark },
      });
      const collect = (chunk: Buffer) => output.add(chunk);
      child.stdout.on('data', collect);
      child.stderr.on('data', collect);
      const timer = setLongTimeout(
        () => stop(`timed out after ${formatDuration(timeoutNs)}`),
        timeoutNs / 1e6,
      );
      const onAbort = () => stop('cancelled');
      signal?.addEventListener('abort', onAbort, { once: true });

      function finish(error?: string) {
        if (settled) return;
        settled = true;
        const rtt = monotonicNs() - start;
        timer.clear();
        signal?.removeEventListener('abort', onAbort);
        resolve(error === undefined ? { rtt } : { rtt, error });
      }
      function release() {
        // A descendant beyond reach may hold the pipes open: do not wait for it.
        child.stdout.destroy();
        child.stderr.destroy();
      }
      function stop(reason: string) {
        finish(reason);
        void killCommandTree(child.pid, mark).finally(release);
      }

      child.once('error', (error) => {
        // Out of descriptors or processes here is no fault of the check: runAttempts tries again.
        const local = asLocalResourceError(error);
        if (local && !settled) {
          settled = true;
          timer.clear();
          signal?.removeEventListener('abort', onAbort);
          return reject(local);
        }
        finish(`cannot run ${config.command}: ${describeNetworkError(error)}`);
      });
      // The verdict follows the command's exit, not the end of its output: a background process
      // it left holding stdout must not turn a finished command into a timeout. What it left
      // running is killed, then the output it wrote is read to its end (or for a moment, when
      // something beyond reach still holds it).
      child.once('exit', (code, exitSignal) => {
        if (settled) return;
        void killCommandTree(child.pid, mark)
          .then(() => outputClosed(child, OUTPUT_GRACE_MS))
          .then(() => {
            release();
            const text = output.head();
            const tail = quote(output.tail());
            if (exitSignal) return finish(`killed by ${exitSignal}${tail}`);
            if (code !== 0) return finish(`exited with status ${code}${tail}`);
            finish(checkOutput(text, output.truncated));
          });
      });
    });
  }

  function checkOutput(output: string, truncated: boolean): string | undefined {
    const scope = truncated ? ` in the first ${MAX_OUTPUT_BYTES} bytes` : '';
    if (config.must_contain !== undefined && !output.includes(config.must_contain)) {
      return `output does not contain ${excerpt(config.must_contain)}${scope}`;
    }
    if (config.must_not_contain !== undefined && output.includes(config.must_not_contain)) {
      return `output contains ${excerpt(config.must_not_contain)}`;
    }
    return undefined;
  }

  return {
    type: 'exec',
    title: config.name,
    endpoint,
    check(context: CheckContext) {
      return checkByAttempts({
        title: config.name,
        endpoint,
        config,
        context,
        attempt,
        conclude: (attempts) => {
          const firstError = attempts.find((a) => a.error !== undefined)?.error;
          // checkup's `raise: warn`: a failure is reported in the notice and only degrades.
          if (!warnOnly || firstError === undefined) return {};
          return { times: attempts.map(({ rtt }) => ({ rtt })), atLeast: 'degraded', notice: firstError };
        },
      });
    },
  };
}

/** Resolves when stdout and stderr have both closed, or after `graceMs`, whichever is first. */
function outputClosed(child: ChildProcessByStdio<null, Readable, Readable>, graceMs: number): Promise<void> {
  const closed = (stream: Readable) =>
    stream.closed ? Promise.resolve() : new Promise<void>((resolve) => stream.once('close', resolve));
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, graceMs);
    void Promise.all([closed(child.stdout), closed(child.stderr)]).then(() => {
      clearTimeout(timer);
      resolve();
    });
  });
}

/**
 * The output of one attempt: its first MAX_OUTPUT_BYTES for `must_contain`, and its last
 * TAIL_BYTES (a ring, however long the output) for the message, which quotes the true end.
 */
class OutputKeeper {
  private readonly chunks: Buffer[] = [];
  private kept = 0;
  private last: Buffer = Buffer.alloc(0);
  truncated = false;

  add(chunk: Buffer): void {
    const room = MAX_OUTPUT_BYTES - this.kept;
    if (chunk.length > room) this.truncated = true;
    if (room > 0) {
      this.chunks.push(room < chunk.length ? chunk.subarray(0, room) : chunk);
      this.kept += Math.min(room, chunk.length);
    }
    const joined = Buffer.concat([this.last, chunk.subarray(-TAIL_BYTES)]);
    this.last = joined.length > TAIL_BYTES ? Buffer.from(joined.subarray(-TAIL_BYTES)) : joined;
  }

  head(): string {
    return Buffer.concat(this.chunks).toString('utf8');
  }

  /** The end of the output; a character cut in two at the ring's start is dropped. */
  tail(): string {
    return this.last.toString('utf8').replace(/^\uFFFD+/, '');
  }
}

/** `: <the end of the output>`, on one line, or nothing when there was no output. */
function quote(output: string): string {
  const text = output.trim().replace(/\s+/g, ' ');
  if (!text) return '';
  return `: ${text.length > QUOTED_TAIL ? `…${text.slice(-QUOTED_TAIL)}` : text}`;
}
