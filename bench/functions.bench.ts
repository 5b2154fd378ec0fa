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
import { median } from '../core/stats.js';
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
  CHECKUP_SUMMARY_KEY: 'summaries/summary.json',
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

/**
 * Milliseconds a fresh node takes to import `file`, measured inside the child (process start-up
 * excluded). With `preloadSdk`, the AWS SDK clients are imported first, untimed, so only the
 * file's own code is measured (in Lambda the SDK comes with the runtime, yet still loads cold).
 */
function importMs(file: string, preloadSdk: boolean): Promise<number> {
  const preload = preloadSdk
    ? "await import('@aws-sdk/client-s3'); await import('@aws-sdk/client-ssm');"
    : '';
  const script = `${preload} const t = performance.now(); await import(${JSON.stringify(`file://${file}`)}); process.stdout.write(String(performance.now() - t));`;
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

/**
 * One scheduled check run of `endpoints` HTTP endpoints that answer after `holdMs` (a loopback
 * server standing in for the internet), stored in s3rver behind a counting proxy, SSM mocked:
 * the handler's wall time and the S3 and SSM requests it makes (the inputs of the README's
 * cost estimate). The first invocation is cold (module init), the next ones warm.
 */
async function measureCheckRuns(endpoints: number, holdMs: number) {
  const { startS3rverWithEvents } = await import('../test/helpers/s3rver-with-events.js');
  const { startHttpServer } = await import('../test/helpers/servers.js');
  const { lambdaContext, scheduledEvent } = await import('../test/functions/lambda-context.js');
  const { mockClient } = await import('aws-sdk-client-mock');
  const ssmModule = await import('@aws-sdk/client-ssm');
  const { mkdtemp } = await import('node:fs/promises');
  const { tmpdir } = await import('node:os');
  const http = await import('node:http');

  const s3rver = await startS3rverWithEvents(await mkdtemp(path.join(tmpdir(), 'checkup-bench-')), ['bench']);
  const s3Requests: string[] = [];
  const target = new URL(s3rver.endpoint);
  const proxy = http.createServer((request, response) => {
    s3Requests.push(`${request.method} ${(request.url ?? '').split('?')[0]?.split('/')[2] ?? ''}`);
    const upstream = http.request(
      {
        host: target.hostname,
        port: target.port,
        path: request.url,
        method: request.method,
        headers: request.headers,
      },
      (answer) => {
        response.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(response);
      },
    );
    request.pipe(upstream);
  });
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  const site = await startHttpServer((_request, response) => {
    setTimeout(() => response.end('ok'), holdMs);
  });
  const ssm = mockClient(ssmModule.SSMClient);
  ssm.on(ssmModule.GetParameterCommand).resolves({
    Parameter: {
      Value: JSON.stringify({
        checkers: Array.from({ length: endpoints }, (_, i) => ({
          type: 'http',
          endpoint_name: `Endpoint ${i}`,
          endpoint_url: `${site.url}/e${i}`,
        })),
      }),
    },
  });
  ssm.on(ssmModule.GetParametersByPathCommand).resolves({ Parameters: [] });
  Object.assign(process.env, LAMBDA_ENV, {
    AWS_ACCESS_KEY_ID: 'S3RVER',
    AWS_SECRET_ACCESS_KEY: 'S3RVER',
    CHECKUP_BUCKET: 'bench',
    CHECKUP_BUCKET_REGION: 'us-east-1',
    CHECKUP_S3_ENDPOINT: `http://127.0.0.1:${(proxy.address() as { port: number }).port}`,
    CHECKUP_CONFIG_CACHE_MS: '0',
    CHECKUP_ENDPOINT_METRICS: 'off',
  });
  const started = performance.now();
  const { handler } = await import('../functions/check-handler.js');
  const initMs = performance.now() - started;
  const runs: Array<{ ms: number; s3: string[]; ssm: number }> = [];
  for (let run = 0; run < 4; run++) {
    s3Requests.length = 0;
    ssm.resetHistory();
    const at = performance.now();
    await handler(scheduledEvent(), lambdaContext('bench-check'));
    runs.push({ ms: performance.now() - at, s3: [...s3Requests], ssm: ssm.calls().length });
  }
  ssm.restore();
  await site.close();
  await new Promise((resolve) => proxy.close(resolve));
  await s3rver.stop();
  return { initMs, runs };
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
  const cases: Array<[string, string, boolean]> = [
    ['empty', empty, true],
    ['sdk cold', sdk, false],
    ...bundles.flatMap(
      ({ name, file }): Array<[string, string, boolean]> => [
        [name, file, true],
        [`${name} cold`, file, false],
      ],
    ),
  ];
  const times: Record<string, number[]> = {};
  for (let sample = 0; sample < SAMPLES; sample++) {
    for (const [name, file, preload] of cases) {
      const samples = times[name] ?? [];
      samples.push(await importMs(file, preload));
      times[name] = samples;
    }
  }
  const at = (name: string) => median(times[name] ?? []);
  const empties = at('empty');
  console.log(
    `baselines (median of ${SAMPLES}, node ${process.versions.node}): an empty module imports in ${empties.toFixed(1)} ms; ` +
      `the AWS SDK S3 + SSM clients, cold, in ${at('sdk cold').toFixed(1)} ms (${(at('sdk cold') / empties).toFixed(1)}x)`,
  );
  console.log('function  bundle     / 250 KB goal  own init ms  / empty  / 60 ms goal  cold with SDK ms');
  for (const { name, file } of bundles) {
    const bytes = (await stat(file)).size;
    const own = at(name);
    console.log(
      [
        name.padEnd(9),
        `${(bytes / 1024).toFixed(1)} KB`.padEnd(10),
        `${(bytes / GOAL_BYTES).toFixed(2)}x`.padEnd(14),
        own.toFixed(1).padEnd(12),
        `${(own / empties).toFixed(1)}x`.padEnd(7),
        `${(own / GOAL_INIT_MS).toFixed(2)}x`.padEnd(12),
        at(`${name} cold`).toFixed(1),
      ].join(' '),
    );
  }

  const endpoints = 50;
  const holdMs = 300;
  const { initMs, runs } = await measureCheckRuns(endpoints, holdMs);
  const warm = runs.slice(1).map((run) => run.ms);
  console.log(
    `check handler, ${endpoints} endpoints answering in ${holdMs} ms: first import ${initMs.toFixed(0)} ms (TypeScript source through tsx, not the bundle); ` +
      `runs ${runs.map((run) => run.ms.toFixed(0)).join(', ')} ms (first includes the first S3 connection); ` +
      `warm median ${median(warm).toFixed(0)} ms = ${(median(warm) / holdMs).toFixed(2)}x the endpoints' answer time`,
  );
  const last = runs[runs.length - 1];
  console.log(`requests per warm run: S3 ${last?.s3.length} (${last?.s3.join(', ')}), SSM ${last?.ssm}`);
}
