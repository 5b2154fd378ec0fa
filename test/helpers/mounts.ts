import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

/**
 * Why real storage faults (a full tmpfs, a read-only bind mount) cannot be made here, or
 * undefined when they can: they need root and a kernel that lets this process mount.
 */
export function mountProblem(): string | undefined {
  if (process.getuid?.() !== 0) return 'not root: mounting a tmpfs or a read-only bind mount needs root';
  const dir = mkdtempSync(path.join(tmpdir(), 'checkup-mount-probe-'));
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=16k', 'tmpfs', dir], { stdio: 'pipe' });
    execFileSync('umount', [dir], { stdio: 'pipe' });
    return undefined;
  } catch (error) {
    return `mount is not permitted here: ${(error as Error).message.split('\n')[0]}`;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Mounts a tmpfs of `size` (such as "64k") on `dir`: a disk that fills up. */
export function mountTmpfs(dir: string, size: string): void {
  execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${size}`, 'tmpfs', dir], { stdio: 'pipe' });
}

/** Binds `dir` onto itself read-only (root ignores chmod; it cannot write through this). */
export function bindReadOnly(dir: string): void {
  execFileSync('mount', ['--bind', dir, dir], { stdio: 'pipe' });
  execFileSync('mount', ['-o', 'remount,ro,bind', dir], { stdio: 'pipe' });
}

/** Makes a read-only bind mount writable again: the disk "recovers". */
export function remountWritable(dir: string): void {
  execFileSync('mount', ['-o', 'remount,rw,bind', dir], { stdio: 'pipe' });
}

/** Unmounts `dir`; a folder that is not a mount point is left alone. */
export function unmount(dir: string): void {
  try {
    execFileSync('umount', [dir], { stdio: 'pipe' });
  } catch {
    // Not mounted (the test failed before mounting it).
  }
}
