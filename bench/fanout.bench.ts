// Fan-out on AWS, on this machine: 10,000 loopback endpoints (the hold server answers each
// request after HOLD_MS) checked through the bundled planner and shard functions, run as Lambda
// runs them behind the IAM gateway against s3rver (test/helpers/fanout-harness.ts), a pool of
// ENVIRONMENTS shard environments taking the queued shards as the SQS event source would.
// Prints, per shard size: the tick's wall time against one invocation checking everything (the
// baseline, measured in the same run), the slowest shard, requests per tick by service, and the
// cost per 1,000 checks and per month at 1,000 and 10,000 endpoints (bench/aws-prices.ts).
import { spawn, spawnSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { type FanoutHarness, startFanoutHarness, type TickReport } from '../test/helpers/fanout-harness.js';
import { removeTempDirs } from '../test/helpers/temp-dir.js';
import { AWS_PRICES, TICKS_PER_MONTH } from './aws-prices.js';

const HOLD_MS = 200;
const CONCURRENT_CHECKS = 100;
const ENVIRONMENTS = 10;
const SHARD_SIZES = [500, 1000, 2000];
const LAMBDA_GB = 0.25;
/** Not run here: the notify function per run file (read run, read and write alert state), taken as this long. */
const NOTIFY_ASSUMED_MS = 300;
/** The SQS event source's idle long polls: about 5 pollers, one 20 s poll each (AWS Lambda docs). */
const IDLE_POLLS_PER_MINUTE = 15;

/** The planner keeps the config it read for the whole bench (its default is 20 s). */
const CACHE = { CHECKUP_CONFIG_CACHE_MS: '3600000' };

const config = (endpoints: number, port: number) => ({
  concurrent_checks: CONCURRENT_CHECKS,
  checkers: Array.from({ length: endpoints }, (_, index) => ({
    type: 'http',
    endpoint_name: `E${index}`,
    endpoint_url: `http://127.0.0.1:${port}/${index}`,
    timeout: '2s',
  })),
});

async function startHoldServer(): Promise<{ port: number; stop: () => Promise<void> }> {
  const dir = await mkdtemp(path.join(tmpdir(), 'checkup-fanout-hold-'));
  const binary = path.join(dir, 'hold-server');
  const source = fileURLToPath(new URL('./hold-server.c', import.meta.url));
  const compiled = spawnSync('cc', ['-O2', '-o', binary, source], { stdio: 'ignore' }).status === 0;
  const child = compiled
    ? spawn(binary, [String(HOLD_MS)], { stdio: ['ignore', 'pipe', 'inherit'] })
    : spawn(
        process.execPath,
        ['--import', 'tsx', fileURLToPath(new URL('./hold-server.ts', import.meta.url)), String(HOLD_MS)],
        { stdio: ['ignore', 'pipe', 'inherit'] },
      );
  const port = await new Promise<number>((resolve) =>
    child.stdout?.once('data', (line) => resolve(Number(String(line)))),
  );
  return {
    port,
    stop: async () => {
      child.kill();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** Dollars one tick costs, from what it measured (requests counted at the gateway, durations timed). */
function tickCost(report: TickReport) {
  const shards = report.shardMs.length;
  const invocationsMs =
    report.plannerMs + report.shardMs.reduce((sum, ms) => sum + ms, 0) + shards * NOTIFY_ASSUMED_MS;
  const lambda =
    (1 + 2 * shards) * AWS_PRICES.lambdaRequest +
    (invocationsMs / 1000) * LAMBDA_GB * AWS_PRICES.lambdaGbSecond;
  // Send and receive are billed per 64 KiB of payload; delete per message; plus the idle polls.
  const chunks = report.messages.reduce(
    (sum, message) => sum + Math.ceil(Buffer.byteLength(message.body) / AWS_PRICES.sqsChunkBytes),
    0,
  );
  const sqsRequests = shards > 0 ? 2 * chunks + shards + IDLE_POLLS_PER_MINUTE : 0;
  const puts = (report.calls.PutObject ?? 0) + (report.calls.ListObjects ?? 0) + shards; // + notify's state write
  const gets = (report.calls.GetObject ?? 0) + (report.calls.HeadObject ?? 0) + 2 * shards; // + notify's run and state reads
  const s3 = puts * AWS_PRICES.s3Put + gets * AWS_PRICES.s3Get;
  return {
    lambda,
    sqs: sqsRequests * AWS_PRICES.sqsRequest,
    s3,
    total: lambda + sqsRequests * AWS_PRICES.sqsRequest + s3,
    sqsRequests,
    puts,
    gets,
  };
}

const ms = (value: number) => `${(value / 1000).toFixed(1)} s`;
const dollars = (value: number) => (value < 0.01 ? `$${value.toFixed(5)}` : `$${value.toFixed(2)}`);

async function measureTick(harness: FanoutHarness, label: string, endpoints: number, baselineMs?: number) {
  // Warm: the planner's cold start and its read of the config from SSM (10 checkers a call:
  // 1,001 calls at 10,000), which its cache then spares the measured tick.
  const warm = await harness.tick();
  const report = await harness.tick();
  const checked =
    report.shards.reduce((sum, outcome) => sum + (outcome.shards[0]?.results ?? 0), 0) ||
    report.planner.results;
  const cost = tickCost(report);
  const slowest = Math.max(0, ...report.shardMs);
  console.log(
    `${label.padEnd(22)} ${String(endpoints).padStart(6)} endpoints, ${String(report.shardMs.length || 1).padStart(2)} invocation(s): ` +
      `tick ${ms(report.wallMs)}${baselineMs ? ` (${(report.wallMs / baselineMs).toFixed(2)}x one invocation)` : ''}, ` +
      `planner ${ms(report.plannerMs)} (${ms(warm.plannerMs)} with the SSM read), slowest shard ${ms(slowest)}, ${checked} checked\n` +
      `${''.padEnd(24)}requests/tick: Lambda ${1 + 2 * report.shardMs.length}, SQS ${cost.sqsRequests}, S3 PUT+LIST ${cost.puts}, GET ${cost.gets}, ` +
      `SSM ${(report.calls.GetParameter ?? 0) + (report.calls.GetParametersByPath ?? 0)}\n` +
      `${''.padEnd(24)}cost: ${dollars((cost.total / endpoints) * 1000)} per 1,000 checks, ${dollars(cost.total * TICKS_PER_MONTH)} a month ` +
      `(Lambda ${dollars(cost.lambda * TICKS_PER_MONTH)}, SQS ${dollars(cost.sqs * TICKS_PER_MONTH)}, S3 ${dollars(cost.s3 * TICKS_PER_MONTH)})`,
  );
  return { report, cost, checked };
}

export default async function fanoutBench(): Promise<void> {
  const server = await startHoldServer();
  const harness = await startFanoutHarness({
    shardSize: 500,
    environments: ENVIRONMENTS,
    config: config(10_000, server.port),
  });
  console.log(
    `hold ${HOLD_MS} ms, concurrent_checks ${CONCURRENT_CHECKS}, ${ENVIRONMENTS} shard environments at once, ` +
      `Lambda priced at ${LAMBDA_GB * 1024} MB arm64 (${AWS_PRICES.source}); notify taken as ${NOTIFY_ASSUMED_MS} ms a run file`,
  );
  try {
    for (const endpoints of [1000, 10_000]) {
      // At 1,000 the shard sizes from 1,000 up would be one invocation anyway.
      // The baseline: everything in one invocation, as a stack without the queue would run it.
      await harness.reconfigure(config(endpoints, server.port), { CHECKUP_SHARD_QUEUE_URL: '', ...CACHE });
      const one = await measureTick(harness, 'one invocation', endpoints);
      for (const size of SHARD_SIZES) {
        if (size >= endpoints) continue;
        await harness.reconfigure(config(endpoints, server.port), {
          CHECKUP_SHARD_SIZE: String(size),
          ...CACHE,
        });
        const fanned = await measureTick(harness, `shards of ${size}`, endpoints, one.report.wallMs);
        if (fanned.checked !== endpoints) console.log(`  !! ${fanned.checked} of ${endpoints} checked`);
        if (fanned.report.wallMs > 55_000) console.log('  !! the tick did not finish inside its minute');
      }
    }
    if (harness.gateway.denied.length > 0)
      console.log(`denied: ${harness.gateway.denied.slice(0, 5).join('; ')}`);
  } finally {
    await harness.close();
    await server.stop();
    await removeTempDirs();
  }
}
