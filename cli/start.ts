import { homedir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { runCachedScript } from './cached-script.js';

/**
 * What bin/checkup.js runs: the command's bundle (dist/cli.cjs, beside this file once built),
 * compiled through the code cache, and its exit status. The bundle keeps its validated configs
 * in the same dir, for its own build only.
 */
export async function start(argv: readonly string[]): Promise<number> {
  const bundle = fileURLToPath(new URL('./cli.cjs', import.meta.url));
  const dir = cacheDir();
  const { exports, identity } = runCachedScript(bundle, dir);
  const cli = exports as typeof import('./main.js');
  return cli.main(argv, dir && identity ? { dir, build: identity } : undefined);
}

/**
 * Where the caches live: CHECKUP_CACHE_DIR (empty: none), else the user's cache dir
 * ($XDG_CACHE_HOME or ~/.cache) under checkup/. Not beside the bundle: a global install's
 * folder is often not the user's to write.
 */
function cacheDir(): string | undefined {
  const chosen = process.env.CHECKUP_CACHE_DIR;
  if (chosen !== undefined) return chosen === '' ? undefined : path.resolve(chosen);
  const base = process.env.XDG_CACHE_HOME || path.join(homedir(), '.cache');
  return path.join(base, 'checkup');
}
