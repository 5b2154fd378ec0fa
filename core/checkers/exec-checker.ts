import { spawn } from 'node:child_process';
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

/** The most output (stdout and stderr together) kept for `must_contain`; the rest is read and dropped. */
export const MAX_OUTPUT_BYTES = 1024 * 1024;
/** How much of the output's end an error message quotes. */
const QUOTED_TAIL = 200;

/**
 * The exec checker (command line only): runs `command` with `arguments`, no shell. An exit status
 * other than 0, a signal, the timeout (which kills the whole process group) or a failed
 * `must_contain`/`must_not_contain` on the output is an error; with `raise: "warn"` errors make
 * the endpoint degraded instead of down, as checkup.
 */
export function createExecChecker(config: ExecCheckerConfig): Checker {
  const timeoutNs = config.timeout ?? DEFAULT_TIMEOUT_NS;
  const args = config.arguments ?? [];
  const endpoint = [config.command, ...args].join(' ');
  const warnOnly = config.raise === 'warn' || config.raise === 'warning';

  function attempt(signal?: AbortSignal): Promise<Attempt> {
    return new Promise((resolve) => {
      const start = monotonicNs();
      let settled = false;
      const chunks: Buffer[] = [];
      let kept = 0;
      let truncated = false;
      // Its own process group, so a timeout kills what it started too.
      const child = spawn(config.command, args, { detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
      const collect = (chunk: Buffer) => {
        const room = MAX_OUTPUT_BYTES - kept;
        if (chunk.length > room) truncated = true;
        if (room > 0) {
          chunks.push(room < chunk.length ? chunk.subarray(0, room) : chunk);
          kept += Math.min(room, chunk.length);
        }
      };
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
      function stop(reason: string) {
        killGroup(child.pid);
        // A descendant that left the group may hold the pipes open: do not wait for them.
        child.stdout.destroy();
        child.stderr.destroy();
        finish(reason);
      }

      child.once('error', (error) => finish(`cannot run ${config.command}: ${describeNetworkError(error)}`));
      child.once('close', (code, exitSignal) => {
        const output = Buffer.concat(chunks).toString('utf8');
        if (exitSignal) return finish(`killed by ${exitSignal}${quote(output)}`);
        if (code !== 0) return finish(`exited with status ${code}${quote(output)}`);
        finish(checkOutput(output, truncated));
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

function killGroup(pid: number | undefined): void {
  if (pid === undefined) return;
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    // Already gone.
  }
}

/** `: <the end of the output>`, on one line, or nothing when there was no output. */
function quote(output: string): string {
  const text = output.trim().replace(/\s+/g, ' ');
  if (!text) return '';
  return `: ${text.length > QUOTED_TAIL ? `…${text.slice(-QUOTED_TAIL)}` : text}`;
}
