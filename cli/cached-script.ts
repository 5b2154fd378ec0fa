import { type BigIntStats, closeSync, fstatSync, openSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import vm from 'node:vm';
import { readCacheFile, writeCacheFile } from './cache-file.js';
import { checksum } from './checksum.js';

/**
 * How long after a script is written its file's times are trusted to change with any further
 * write: more than a file system's timestamp step (Linux's clock tick, NTFS's 15.6 ms), and 3 s
 * where the times are whole seconds (FAT's 2 s steps, HFS+, ext3).
 */
const SETTLED_NS = 20_000_000n;
const SETTLED_COARSE_NS = 3_000_000_000n;

/** A script's exports, and the identity of the file they came from. */
export interface CachedScript {
  exports: unknown;
  /**
   * The script file's device, inode, size and times, as read with its text: another text has
   * another identity. Unset when the file was written too recently for its times to tell.
   */
  identity?: string;
}

/**
 * Runs a CommonJS script file (a bundle) and returns its exports, compiled through a V8 code
 * cache kept in `cacheDir`: a run after the first skips parsing and compiling the script, the
 * part of start-up that grows with its size. Node 20 has no compile cache of its own for this
 * (module.enableCompileCache is 22.1+).
 *
 * The cache is only ever a shortcut. Its file is named by the script file's identity (device,
 * inode, size, modification and change times, read with the script) and Node's options, version
 * and architecture, so a changed script never meets the code of the old one (V8 itself compares
 * only the source's length): any write changes the change time, which no program can set back.
 * A write within the same timestamp step could keep it, so a script written less than a step
 * ago (SETTLED_NS) is run without a cache, and a cache is written only if the file is still the
 * one read. Naming by content instead cost a SHA-256 of the script and loading node:crypto, 3-6
 * ms of every start. A cache file whose bytes do not match their checksum, or whose data V8
 * rejects (another V8), is not used and is written anew; a dir that cannot be made or written is
 * silently done without (cli/cache-file.ts). With no `cacheDir` the script is compiled as is. A new cache is written
 * as the process exits, so that it holds the functions the run compiled.
 */
export function runCachedScript(file: string, cacheDir: string | undefined): CachedScript {
  const descriptor = openSync(file, 'r');
  let read: BigIntStats;
  let source: string;
  let readWhole: boolean;
  try {
    read = fstatSync(descriptor, { bigint: true });
    source = readFileSync(descriptor, 'utf8');
    // Settled and the same after reading: no write came between, so the text is the identity's.
    readWhole = settled(read) && identity(fstatSync(descriptor, { bigint: true })) === identity(read);
  } finally {
    closeSync(descriptor);
  }
  const cacheFile = cacheDir && readWhole ? path.join(cacheDir, cacheFileName(read)) : undefined;
  const cachedData = cacheFile ? readCacheFile(cacheFile) : undefined;
  // The wrapper stays on the script's first line: line numbers in stack traces stay the bundle's.
  const script = new vm.Script(`(function (exports, require, module, __filename, __dirname) {${source}\n})`, {
    filename: file,
    ...(cachedData ? { cachedData } : {}),
  });
  const module = { exports: {} as unknown };
  const run = script.runInThisContext() as (...args: unknown[]) => void;
  run(module.exports, createRequire(file), module, file, path.dirname(file));
  if (cacheDir && cacheFile && (!cachedData || script.cachedDataRejected)) {
    process.once('exit', () => {
      if (unchanged(file, read)) writeCacheFile(cacheDir, cacheFile, script.createCachedData());
    });
  }
  return { exports: module.exports, ...(readWhole ? { identity: identity(read) } : {}) };
}

/**
 * Whether the script was written long enough ago that a further write must change its change
 * time (set by every write, or change of its times, to the clock's time).
 */
function settled(stats: BigIntStats): boolean {
  const now = BigInt(Date.now()) * 1_000_000n;
  const coarse = stats.mtimeNs % 1_000_000_000n === 0n && stats.ctimeNs % 1_000_000_000n === 0n;
  return now - stats.ctimeNs > (coarse ? SETTLED_COARSE_NS : SETTLED_NS);
}

function identity(stats: BigIntStats): string {
  return `${stats.dev}:${stats.ino}:${stats.size}:${stats.mtimeNs}:${stats.ctimeNs}`;
}

/** Whether `file` is still the one read (a run that saw it change writes no cache for it). */
function unchanged(file: string, read: BigIntStats): boolean {
  try {
    return identity(statSync(file, { bigint: true })) === identity(read);
  } catch {
    return false;
  }
}

/**
 * The script file's identity, with the options Node was started with: V8 rejects code made
 * under other flags, and runs with and without (say) --max-old-space-size would otherwise keep
 * replacing each other's cache.
 */
function cacheFileName(stats: BigIntStats): string {
  const key = `${identity(stats)}\0${process.execArgv.join(' ')}\0${process.env.NODE_OPTIONS ?? ''}`;
  return `${checksum(Buffer.from(key)).toString('hex')}-${process.version}-${process.arch}.v8cache`;
}
