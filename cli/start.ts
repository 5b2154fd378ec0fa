import { homedir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { runCachedScript } from './cached-script.js';

/**
 * What bin/checkup.js runs: the command's bundle (dist/cli.cjs, beside this file once built),
 * compiled through the code cache, and its exit status.
 */
export async function start(argv: readonly string[]): Promise<number> {
  const bundle = fileURLToPath(new URL('./cli.cjs', import.meta.url));
  const cli = runCachedScript(bundle, codeCacheDir()) as { main(argv: readonly string[]): Promise<number> };
  return cli.main(argv);
}

/**
 * Where the code cache lives: CHECKUP_CACHE_DIR (empty: no cache), else the user's cache dir
 * ($XDG_CACHE_HOME or ~/.cache) under checkup/. Not beside the bundle: a global install's
 * folder is often not the user's to write.
 */
function codeCacheDir(): string | undefined {
  const chosen = process.env.CHECKUP_CACHE_DIR;
  if (chosen !== undefined) return chosen === '' ? undefined : path.resolve(chosen);
  const base = process.env.XDG_CACHE_HOME || path.join(homedir(), '.cache');
  return path.join(base, 'checkup');
}
