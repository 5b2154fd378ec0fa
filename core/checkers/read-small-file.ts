import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs';
import { CheckerSetupError } from './checker-setup-error.js';

/** The most a file named in config (a CA bundle) may hold: real bundles are a few hundred KiB. */
export const MAX_CONFIG_FILE_BYTES = 1024 * 1024;

/**
 * Reads a file named by config key `key`, refusing what is not a regular file (a FIFO would
 * block forever, /dev/zero never ends) or what is over MAX_CONFIG_FILE_BYTES, with a
 * CheckerSetupError naming the key. Opened without blocking, then judged by the open file
 * itself, so the file cannot be swapped between the look and the read.
 */
export function readSmallFile(file: string, key: string): Buffer {
  let fd: number;
  try {
    fd = openSync(file, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
  } catch (error) {
    throw new CheckerSetupError(`cannot read ${file}: ${(error as Error).message}`, { key, cause: error });
  }
  try {
    const stats = fstatSync(fd);
    if (!stats.isFile()) throw new CheckerSetupError(`${file} is not a regular file`, { key });
    if (stats.size > MAX_CONFIG_FILE_BYTES) {
      throw new CheckerSetupError(`${file} is ${stats.size} bytes, over the limit of 1 MiB`, { key });
    }
    // One byte more than the limit shows a file that grew since fstat.
    const buffer = Buffer.alloc(MAX_CONFIG_FILE_BYTES + 1);
    let length = 0;
    for (;;) {
      const read = readSync(fd, buffer, length, buffer.length - length, null);
      if (read === 0) break;
      length += read;
      if (length > MAX_CONFIG_FILE_BYTES) {
        throw new CheckerSetupError(`${file} is over the limit of 1 MiB`, { key });
      }
    }
    return buffer.subarray(0, length);
  } catch (error) {
    if (error instanceof CheckerSetupError) throw error;
    throw new CheckerSetupError(`cannot read ${file}: ${(error as Error).message}`, { key, cause: error });
  } finally {
    closeSync(fd);
  }
}
