import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { BIN, runCli } from './run-cli.js';

/**
 * Runs the built `checkup` in `cwd`, as runCli does, with `script` preloaded (NODE_OPTIONS
 * --require), and returns with its outcome the JSON the script wrote to `out` as the process
 * exited. The script is given the path of `out` as a JSON string. `bin`: another copy of the
 * command.
 */
export async function runWithPreload<T>(
  cwd: string,
  args: string[],
  script: (out: string) => string,
  env: Record<string, string> = {},
  bin = BIN,
) {
  const preload = path.join(cwd, 'preload.cjs');
  const out = path.join(cwd, 'preload-out.json');
  await writeFile(preload, script(JSON.stringify(out)));
  const outcome = await runCli(
    args,
    cwd,
    { ...env, NODE_OPTIONS: `--require ${JSON.stringify(preload)}` },
    bin,
  );
  return { ...outcome, listed: JSON.parse(await readFile(out, 'utf8')) as T };
}

/**
 * The `type` of each config schema zod built (through zod's global post-processor hook, which
 * sees every schema made): the literal values of its literal schemas, listed as the process exits.
 */
export async function runListingSchemaTypes(
  cwd: string,
  args: string[],
  env: Record<string, string> = {},
  bin = BIN,
) {
  const { code, stdout, stderr, listed } = await runWithPreload<string[]>(
    cwd,
    args,
    (out) => `const types = new Set();
globalThis.__zod_globalConfig = { postProcessor: (schema) => {
  const def = schema._zod && schema._zod.def;
  if (def && def.type === 'literal') for (const value of def.values) types.add(value);
} };
process.on('exit', () => require('node:fs').writeFileSync(${out}, JSON.stringify([...types])));\n`,
    env,
    bin,
  );
  return { code, stdout, stderr, types: listed };
}
