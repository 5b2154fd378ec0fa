// The shard function: fired by SQS with one shard of a fanned-out run (functions/fan-out.ts).
// Checks the shard's checkers in every round of the run and stores each round as its own run
// file (or run item, with a table), marked with its tick and shard: lock-free beside the other
// shards, as regions are.
// Badges are the planner's (from the summary): a shard lands in any environment, whose memory
// of the badges it wrote would not be of this shard's endpoints. A thin composition root: clients and storage are built once per container and reused.

import type { Context, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { checkConcurrency } from '../adapters/host/descriptor-budget.js';
import { lazyDynamodbStorage } from '../adapters/storage/lazy-dynamodb-storage.js';
import { S3PagePublisher } from '../adapters/storage/s3-page-publisher.js';
import { S3Storage } from '../adapters/storage/s3-storage.js';
import { createCheckers } from '../core/checkers/create-checker.js';
import { DEFAULT_CONCURRENT_CHECKS, validateConfig } from '../core/config/parse-config.js';
import { checkerIntervalMs } from '../core/fanout/checker-timing.js';
import { runTick } from '../core/fanout/run-tick.js';
import { parseShardMessage, type ShardMessage } from '../core/fanout/shard-message.js';
import { tickRounds } from '../core/fanout/tick-rounds.js';
import { markMaintenance } from '../core/maintenance/mark-maintenance.js';
import type { Result } from '../core/result.js';
import type { Storage } from '../core/storage.js';
import { putEndpointMetrics } from './endpoint-metrics.js';
import { Logger } from './log.js';
import { METRIC_NAMES } from './metric-names.js';
import { Metrics, startInvocation } from './metrics.js';
import { resultsBucketClient } from './results-bucket-client.js';
import { readShardEnv } from './shard-env.js';

const env = readShardEnv();
const region = env.AWS_REGION ?? 'local';
const log = new Logger({ service: 'checkup-shard', region });
const metrics = new Metrics({ service: 'checkup-shard', log });
const s3 = resultsBucketClient(env.CHECKUP_BUCKET_REGION, env.CHECKUP_S3_ENDPOINT);
// Summaries off: every shard of a tick stores at once, and the planner of the next tick brings
// the summary up to date from all of them (one writer, no race). With a table, the run goes to
// the table as the check function stores it, and its run file to the bucket, where the notify
// function is fired by it (as the check function mirrors its own).
const onTable = env.CHECKUP_STORAGE === 'dynamodb';
const storage: Pick<Storage, 'store'> = onTable
  ? await lazyDynamodbStorage({
      table: env.CHECKUP_TABLE as string,
      region: env.CHECKUP_BUCKET_REGION,
      endpoint: env.CHECKUP_DYNAMODB_ENDPOINT,
      checkExpiryNs: Number(env.CHECKUP_CHECK_EXPIRY_MS ?? 0) * 1e6,
      summaries: false,
    })
  : new S3Storage({
      client: s3,
      bucket: env.CHECKUP_BUCKET,
      prefix: env.CHECKUP_RUN_PREFIX,
      summaries: false,
    });
const mirror = onTable
  ? new S3PagePublisher({ client: s3, bucket: env.CHECKUP_BUCKET, prefix: env.CHECKUP_RUN_PREFIX })
  : undefined;
// Every shard must be done before the next scheduled run starts its own.
const END_MARGIN_MS = 5_000;

/** What one invocation did, per shard message. */
export interface ShardOutcome {
  shards: Array<{ shard: string; runs: string[]; results: number; down: number }>;
  stale: number;
  batchItemFailures: SQSBatchResponse['batchItemFailures'];
}

export async function handler(event: SQSEvent, context: Context): Promise<ShardOutcome> {
  const requestLog = startInvocation(context, { log, metrics });
  const outcome: ShardOutcome = { shards: [], stale: 0, batchItemFailures: [] };
  for (const record of event.Records ?? []) {
    try {
      const message = parseShardMessage(record.body);
      const shardLog = requestLog.with({
        tick: message.start,
        shard: `${message.shard.index + 1}/${message.shard.count}`,
      });
      const deadline = Math.min(
        Date.now() + context.getRemainingTimeInMillis() - 1_000,
        message.start + message.periodMs - END_MARGIN_MS,
      );
      if (Date.now() >= deadline) {
        // Checked this late, results would stand for a run that is over: the next run checks again.
        shardLog.warn('shard dropped: its run is over', { messageId: record.messageId });
        outcome.stale += 1;
        continue;
      }
      outcome.shards.push(await checkShard(message, deadline, shardLog));
    } catch (error) {
      requestLog.error('shard not checked', { messageId: record.messageId, error });
      outcome.batchItemFailures.push({ itemIdentifier: record.messageId });
    }
  }
  return outcome;
}

async function checkShard(message: ShardMessage, deadline: number, shardLog: Logger) {
  const config = validateConfig(
    { checkers: message.checkers, concurrent_checks: message.concurrentChecks },
    { checks: true, stores: false, alerts: false },
  );
  const checkers = createCheckers(config.checkers, { allowExec: false });
  const { concurrency, lowered } = checkConcurrency(message.concurrentChecks ?? DEFAULT_CONCURRENT_CHECKS);
  if (lowered) shardLog.warn(lowered);
  const shard = { index: message.shard.index, count: message.shard.count };
  const runs: string[] = [];
  let results = 0;
  let down = 0;
  await runTick(checkers, {
    start: message.start,
    rounds: tickRounds(config.checkers.map(checkerIntervalMs), message.periodMs),
    concurrency,
    deadline,
    decorate: (result): Result => {
      // A sub-minute round only some shards take part in is whole with fewer than all of them.
      const due = message.dueShards?.[String((result.tick ?? message.start) - message.start)];
      return { ...result, region, shard: due === undefined ? shard : { ...shard, due } };
    },
    onSkipped: (tick, reason) => shardLog.warn('round skipped', { round: tick, reason }),
    store: async (round) => {
      const marked = markMaintenance(round, message.maintenance ?? []);
      const run = await storage.store(marked);
      await mirror?.mirrorRun(run.name, marked);
      runs.push(run.name);
      // The heartbeat the not-reporting alarm watches: a fanned-out tick is stored by its shards.
      metrics.put([{ name: METRIC_NAMES.runStored, value: 1, unit: 'Count' }]);
      results += round.length;
      down += round.filter((result) => result.down).length;
      if (env.CHECKUP_ENDPOINT_METRICS !== 'off') putEndpointMetrics(metrics, round);
    },
  });
  const done = { shard: `${shard.index + 1}/${shard.count}`, runs, results, down };
  shardLog.info('shard stored', done);
  return done;
}
