// The Lambda bundles as deployed (esbuild with the options the CDK function construct uses): each bundle's
// size, and its module init time (a fresh node importing it, as a cold start does), as ratios
// against baselines measured in the same run: importing an empty module, and importing only the
// AWS SDK clients the functions use (Lambda's runtime provides them; the bundle leaves them out).
// Goals: the check function under 250 KB and under 60 ms to import.
import { spawn } from 'node:child_process';
import { mkdir, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { FUNCTION_BUNDLING, FUNCTION_ENTRIES } from '../infra/function-bundling.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
// Inside the repository, so the external AWS SDK resolves from node_modules as Lambda's runtime copy would.
const OUT = path.join(ROOT, 'dist', 'bench-functions');
const SAMPLES = 7;
const GOAL_BYTES = 250 * 1024;
const GOAL_INIT_MS = 60;

// What the handlers read at module scope; nothing is called at import time.
const LAMBDA_ENV = {
  AWS_REGION: 'eu-west-1',
  AWS_ACCESS_KEY_ID: 'bench',
  AWS_SECRET_ACCESS_KEY: 'bench',
  CHECKUP_BUCKET: 'bench',
  CHECKUP_BUCKET_REGION: 'eu-west-1',
  CHECKUP_RUN_PREFIX: 'checks/',
  CHECKUP_SUMMARY_PREFIX: 'summaries/',
  CHECKUP_STATE_PREFIX: 'state/',
  CHECKUP_LAST_VALID_CONFIG_KEY: 'config/last-valid.json',
  CHECKUP_CONFIG_PARAMETER: '/checkup/config',
  CHECKUP_CONFIG_REGION: 'eu-west-1',
};

/** Bundles a handler as NodejsFunction does with FUNCTION_BUNDLING: `<outDir>/index.mjs`. */
async function bundleFunction(entry: string, outDir: string): Promise<string> {
  const outfile = path.join(outDir, 'index.mjs');
  await build({
    entryPoints: [path.join(ROOT, entry)],
    outfile,
    bundle: true,
    platform: 'node',
    format: FUNCTION_BUNDLING.format,
    target: FUNCTION_BUNDLING.target,
    minify: FUNCTION_BUNDLING.minify,
    sourcemap: FUNCTION_BUNDLING.sourcemap,
    sourcesContent: false,
    mainFields: [...FUNCTION_BUNDLING.mainFields],
    external: [...FUNCTION_BUNDLING.external],
    banner: { js: FUNCTION_BUNDLING.banner },
    logLevel: 'warning',
  });
  return outfile;
}

/** Milliseconds a fresh node takes to import `file` (measured inside the child, start-up excluded). */
function importMs(file: string): Promise<number> {
  const script = `const t = performance.now(); await import(${JSON.stringify(`file://${file}`)}); process.stdout.write(String(performance.now() - t));`;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--no-warnings', '--input-type=module', '-e', script], {
      cwd: ROOT,
      env: { ...process.env, ...LAMBDA_ENV },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.on('data', (chunk) => {
      out += chunk;
    });
    child.on('close', (code) =>
      code === 0 ? resolve(Number(out)) : reject(new Error(`import of ${file} failed`)),
    );
  });
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2
    ? (sorted[middle] as number)
    : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}

export default async function functionsBench(): Promise<void> {
  await rm(OUT, { recursive: true, force: true });
  await mkdir(OUT, { recursive: true });
  const empty = path.join(OUT, 'empty.mjs');
  await writeFile(empty, 'export {};\n');
  const sdk = path.join(OUT, 'sdk-only.mjs');
  await writeFile(sdk, "import '@aws-sdk/client-s3';\nimport '@aws-sdk/client-ssm';\n");
  const bundles: Array<{ name: string; file: string }> = [];
  for (const [name, entry] of Object.entries(FUNCTION_ENTRIES)) {
    bundles.push({ name, file: await bundleFunction(entry, path.join(OUT, name)) });
  }
  // Interleaved, so load on the machine weighs on the baselines and the bundles alike.
  const times: Record<string, number[]> = {};
  for (let sample = 0; sample < SAMPLES; sample++) {
    for (const [name, file] of [['empty', empty], ['sdk', sdk], ...bundles.map((b) => [b.name, b.file])]) {
      const samples = times[name as string] ?? [];
      samples.push(await importMs(file as string));
      times[name as string] = samples;
    }
  }
  const empties = median(times.empty ?? []);
  const sdkMs = median(times.sdk ?? []);
  console.log(
    `baselines (median of ${SAMPLES}, node ${process.versions.node}): empty module ${empties.toFixed(1)} ms; ` +
      `the AWS SDK clients alone (S3 + SSM) ${sdkMs.toFixed(1)} ms = ${(sdkMs / empties).toFixed(1)}x empty`,
  );
  console.log(
    'function  bundle     / 250 KB goal  init ms  / empty  own code (init - SDK) ms  own / 60 ms goal',
  );
  for (const { name, file } of bundles) {
    const bytes = (await stat(file)).size;
    const init = median(times[name] ?? []);
    const own = Math.max(0, init - sdkMs);
    console.log(
      [
        name.padEnd(9),
        `${(bytes / 1024).toFixed(1)} KB`.padEnd(10),
        `${(bytes / GOAL_BYTES).toFixed(2)}x`.padEnd(14),
        init.toFixed(1).padEnd(8),
        `${(init / empties).toFixed(1)}x`.padEnd(7),
        own.toFixed(1).padEnd(25),
        `${(own / GOAL_INIT_MS).toFixed(2)}x`,
      ].join(' '),
    );
  }
}
