import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

/** Descriptors one check may hold at once: a socket, or an exec command's two pipes. */
const DESCRIPTORS_PER_CHECK = 2;
/** Descriptors kept back for everything else: storing the run, the page server, alerts. */
const RESERVED_DESCRIPTORS = 32;

/** How many checks may run at once, and why fewer than asked, when so. */
export interface CheckConcurrency {
  concurrency: number;
  /** Set when `concurrent_checks` was lowered: a sentence to tell the user once. */
  lowered?: string;
}

/**
 * `concurrent_checks`, lowered to what the process's open-file limit can hold. Without this, a
 * run of 2000 checks under `ulimit -n 1024` fails hundreds of healthy endpoints with EMFILE.
 * Node has no getrlimit: the limit comes from /proc/self/limits on Linux, `ulimit -n` elsewhere.
 */
export function checkConcurrency(wanted: number, limit = openFileLimit()): CheckConcurrency {
  if (limit === undefined) return { concurrency: wanted };
  const room = Math.max(
    1,
    Math.floor((limit - openDescriptors() - RESERVED_DESCRIPTORS) / DESCRIPTORS_PER_CHECK),
  );
  if (wanted <= room) return { concurrency: wanted };
  return {
    concurrency: room,
    lowered: `concurrent_checks ${wanted} lowered to ${room}: this process may open only ${limit} files (ulimit -n)`,
  };
}

/** The soft limit on open files, or undefined when unknown or unlimited. */
export function openFileLimit(): number | undefined {
  if (process.platform === 'linux') {
    try {
      const line = /^Max open files\s+(\S+)/m.exec(readFileSync('/proc/self/limits', 'utf8'));
      return finite(line?.[1]);
    } catch {
      return undefined;
    }
  }
  if (process.platform === 'win32') return undefined;
  // A shell started from here inherits this process's limit.
  const shell = spawnSync('/bin/sh', ['-c', 'ulimit -n'], { encoding: 'utf8', timeout: 2000 });
  return shell.status === 0 ? finite(shell.stdout.trim()) : undefined;
}

function finite(text: string | undefined): number | undefined {
  const value = Number(text);
  return Number.isSafeInteger(value) && value > 0 ? value : undefined;
}

/** Descriptors open now (stdio, the event loop's own); an estimate where /proc is missing. */
function openDescriptors(): number {
  try {
    return readdirSync('/proc/self/fd').length;
  } catch {
    return 32;
  }
}
