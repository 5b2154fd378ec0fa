import {
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  statSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import path from 'node:path';
import { checksum } from './checksum.js';

/** A cache file starts with a checksum of the rest: a damaged one is never used. */
const CHECKSUM_BYTES = 16;
/** Cache files not written this long ago are removed when another is written (old builds, old configs). */
const UNUSED_CACHE_MS = 7 * 24 * 3600_000;
/** What this command keeps in its cache dir: V8's code cache and validated configs. */
const CACHE_SUFFIXES = ['.v8cache', '.config'];

/**
 * The data of a cache file written by writeCacheFile, or undefined when there is none, it cannot
 * be read, or its bytes do not match their checksum.
 */
export function readCacheFile(file: string): Buffer | undefined {
  try {
    const bytes = readFileSync(file);
    const data = bytes.subarray(CHECKSUM_BYTES);
    return data.length > 0 && checksum(data).equals(bytes.subarray(0, CHECKSUM_BYTES)) ? data : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Writes a cache file whole (a temporary file renamed into place), readable by its owner only (a
 * validated config holds its secrets), and removes the dir's unused cache files. Any failure
 * leaves none: a cache is only ever a shortcut.
 */
export function writeCacheFile(dir: string, file: string, data: Uint8Array): void {
  const temporary = `${file}.tmp-${process.pid}`;
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    writeFileSync(temporary, Buffer.concat([checksum(data), data]), { mode: 0o600 });
    renameSync(temporary, file);
    removeUnused(dir, file);
  } catch {
    try {
      unlinkSync(temporary);
    } catch {
      // Never made: nothing to remove.
    }
  }
}

/** Removes the dir's other cache files written over a week ago (one still in use is written again). */
function removeUnused(dir: string, kept: string): void {
  const now = Date.now();
  for (const name of readdirSync(dir)) {
    const file = path.join(dir, name);
    if (file === kept || !CACHE_SUFFIXES.some((suffix) => name.includes(suffix))) continue;
    try {
      if (now - statSync(file).mtimeMs > UNUSED_CACHE_MS) unlinkSync(file);
    } catch {
      // Removed by another process meanwhile.
    }
  }
}
