import type { SQSClient } from '@aws-sdk/client-sqs';
import { awsSdk } from '../aws/aws-sdk.js';

/** SQS takes at most 10 messages and 256 KiB (all bodies together) in one SendMessageBatch. */
export const SQS_BATCH_MESSAGES = 10;
export const SQS_BATCH_BYTES = 256 * 1024;

/** Some shards could not be queued: their part of the tick will not be checked. */
export class ShardQueueError extends Error {
  override readonly name = 'ShardQueueError';
}

/**
 * Queues one message per shard, in as few SendMessageBatch requests as SQS allows (10 messages,
 * 256 KiB a request). Entries SQS reports failed (throttled, say) are sent once more; what fails
 * again is an error naming how many shards were lost. Returns the requests made.
 */
export async function sendShardMessages(
  client: SQSClient,
  queueUrl: string,
  bodies: readonly string[],
): Promise<number> {
  const { SendMessageBatchCommand } = await awsSdk.sqs();
  let requests = 0;
  const lost: string[] = [];
  for (const batch of batchesOf(bodies.map((body, index) => ({ Id: `shard-${index}`, MessageBody: body })))) {
    let entries = batch;
    for (let attempt = 1; entries.length > 0; attempt++) {
      requests += 1;
      const answer = await client.send(new SendMessageBatchCommand({ QueueUrl: queueUrl, Entries: entries }));
      const failed = new Set((answer.Failed ?? []).map((entry) => entry.Id));
      const retry = entries.filter((entry) => failed.has(entry.Id));
      if (attempt >= 2) {
        lost.push(
          ...(answer.Failed ?? []).map(
            (entry) => `${entry.Id}: ${entry.Code ?? 'failed'} ${entry.Message ?? ''}`,
          ),
        );
        break;
      }
      entries = retry;
    }
  }
  if (lost.length > 0)
    throw new ShardQueueError(`${lost.length} shard(s) not queued: ${lost.join('; ').trim()}`);
  return requests;
}

function batchesOf<T extends { MessageBody: string }>(entries: readonly T[]): T[][] {
  const batches: T[][] = [];
  let current: T[] = [];
  let bytes = 0;
  for (const entry of entries) {
    const size = Buffer.byteLength(entry.MessageBody);
    if (current.length === SQS_BATCH_MESSAGES || (current.length > 0 && bytes + size > SQS_BATCH_BYTES)) {
      batches.push(current);
      current = [];
      bytes = 0;
    }
    current.push(entry);
    bytes += size;
  }
  if (current.length > 0) batches.push(current);
  return batches;
}

/**
 * The planner's queue: its SQS client is loaded and built on the first fan-out only, so a
 * check function whose config fits one invocation never loads the SQS SDK at its cold start.
 */
export function shardQueue(queueUrl: string, region: string | undefined) {
  let client: Promise<SQSClient> | undefined;
  return {
    async send(bodies: readonly string[]): Promise<number> {
      client ??= awsSdk.sqs().then(({ SQSClient }) => new SQSClient(region ? { region } : {}));
      return sendShardMessages(await client, queueUrl, bodies);
    },
  };
}
