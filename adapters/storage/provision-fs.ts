import { mkdir, stat } from 'node:fs/promises';
import type { FsStorageConfig } from '../../core/config/storage-schemas.js';
import type { ProvisionReport } from './provision-report.js';

/** The folder fs storage writes its runs to: made (with its parents) unless it exists. */
export async function provisionFs(config: FsStorageConfig): Promise<ProvisionReport> {
  const found = await stat(config.dir).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return undefined;
    throw error;
  });
  if (found && !found.isDirectory()) throw new Error(`storage.dir: ${config.dir} exists and is not a folder`);
  if (!found) await mkdir(config.dir, { recursive: true });
  return {
    done: [found ? `the folder ${config.dir} already exists` : `created the folder ${config.dir}`],
    notices: [],
    next: ['Store runs with "checkup --store" or "checkup every 1m"; "checkup serve" shows the page.'],
  };
}
