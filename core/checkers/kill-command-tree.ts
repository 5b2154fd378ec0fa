import { readdir, readFile } from 'node:fs/promises';

/**
 * The environment variable every exec check's command is started with, set to an id of its own.
 * Its descendants inherit it, so they can be found after they leave the process group
 * (`setsid`) or lose their parent: the way CI servers find what a build left behind.
 */
export const EXEC_MARK_VARIABLE = 'CHECKUP_EXEC_ID';

/**
 * Kills (SIGKILL) what a check's command started: its process group (the command was spawned
 * detached, so the group is its pid), and on Linux every process of this user whose environment
 * carries `mark`. A process that cleared its environment and left the group is beyond reach.
 */
export async function killCommandTree(pid: number | undefined, mark: string): Promise<void> {
  if (pid !== undefined) signal(-pid);
  if (process.platform !== 'linux') return;
  const needle = `\0${EXEC_MARK_VARIABLE}=${mark}\0`;
  let entries: string[];
  try {
    entries = await readdir('/proc');
  } catch {
    return;
  }
  await Promise.all(
    entries
      .filter((name) => /^\d+$/.test(name) && Number(name) !== process.pid)
      .map(async (name) => {
        // Another user's process, or one gone already, cannot be read: it is not ours to kill.
        const environ = await readFile(`/proc/${name}/environ`, 'latin1').catch(() => '');
        if (`\0${environ}`.includes(needle)) signal(Number(name));
      }),
  );
}

function signal(pid: number): void {
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    // Already gone.
  }
}
