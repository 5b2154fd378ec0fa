import { createHash } from 'node:crypto';
import {
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  statSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import vm from 'node:vm';

/** Cache files of other scripts (older builds) written this long ago are removed when one is written. */
const UNUSED_CACHE_MS = 7 * 24 * 3600_000;
/** A cache file starts with the SHA-256 of the rest: V8 checks its data's length, not its bytes. */
const DIGEST_BYTES = 32;

/**
 * Runs a CommonJS script file (a bundle) and returns its exports, compiled through a V8 code
 * cache kept in `cacheDir`: a run after the first skips parsing and compiling the script, the
 * part of start-up that grows with its size. Node 20 has no compile cache of its own for this
 * (module.enableCompileCache is 22.1+).
 *
 * The cache is only ever a shortcut. Its file is named by the digest of the script's text (and
 * of Node's options) and by Node's version and architecture, so a changed script never meets
 * the code of the old one (V8 itself compares only the source's length); a file whose bytes do
 * not match their digest, or whose data V8 rejects (another V8), is not used and is written anew; a dir that cannot
 * be made or written is silently done without. With no `cacheDir` the script is compiled as is.
 * A new cache is written as the process exits, so that it holds the functions the run compiled.
 */
export function runCachedScript(file: string, cacheDir: string | undefined): unknown {
  const source = readFileSync(file, 'utf8');
  const cacheFile = cacheDir ? path.join(cacheDir, cacheFileName(source)) : undefined;
  const cachedData = cacheFile ? readCache(cacheFile) : undefined;
  // The wrapper stays on the script's first line: line numbers in stack traces stay the bundle's.
  const script = new vm.Script(`(function (exports, require, module, __filename, __dirname) {${source}\n})`, {
    filename: file,
    ...(cachedData ? { cachedData } : {}),
  });
  const module = { exports: {} as unknown };
  const run = script.runInThisContext() as (...args: unknown[]) => void;
  run(module.exports, createRequire(file), module, file, path.dirname(file));
  if (cacheDir && cacheFile && (!cachedData || script.cachedDataRejected)) {
    process.once('exit', () => writeCache(cacheDir, cacheFile, script));
  }
  return module.exports;
}

/**
 * The script's digest, with the options Node was started with: V8 rejects code made under other
 * flags, and runs with and without (say) --max-old-space-size would otherwise keep replacing
 * each other's cache.
 */
function cacheFileName(source: string): string {
  const digest = createHash('sha256')
    .update(source)
    .update(`\0${process.execArgv.join(' ')}\0${process.env.NODE_OPTIONS ?? ''}`)
    .digest('hex')
    .slice(0, 32);
  return `${digest}-${process.version}-${process.arch}.v8cache`;
}

function readCache(file: string): Buffer | undefined {
  try {
    const bytes = readFileSync(file);
    const data = bytes.subarray(DIGEST_BYTES);
    const digest = createHash('sha256').update(data).digest();
    return data.length > 0 && digest.equals(bytes.subarray(0, DIGEST_BYTES)) ? data : undefined;
  } catch {
    return undefined;
  }
}

/** Writes the cache whole (a temporary file renamed into place); any failure leaves none. */
function writeCache(dir: string, file: string, script: vm.Script): void {
  const temporary = `${file}.tmp-${process.pid}`;
  try {
    const data = script.createCachedData();
    mkdirSync(dir, { recursive: true });
    writeFileSync(temporary, Buffer.concat([createHash('sha256').update(data).digest(), data]));
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

/** Removes cache files of other scripts written over a week ago (old builds; one in use is written again). */
function removeUnused(dir: string, kept: string): void {
  const now = Date.now();
  for (const name of readdirSync(dir)) {
    const file = path.join(dir, name);
    if (file === kept || !name.includes('.v8cache')) continue;
    try {
      if (now - statSync(file).mtimeMs > UNUSED_CACHE_MS) unlinkSync(file);
    } catch {
      // Removed by another process meanwhile.
    }
  }
}
