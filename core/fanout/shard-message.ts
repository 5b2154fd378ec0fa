import type { MaintenanceWindow } from '../maintenance/maintenance-window.js';
import type { ShardId } from '../result.js';

/**
 * What the planner sends each shard (one SQS message): its part of the config's checkers, as
 * written (the shard validates them again), and the tick they belong to. Carrying the checkers,
 * not an index into the config, keeps a shard to the config the planner planned with, and spares
 * it reading the config at all.
 */
export interface ShardMessage {
  version: 1;
  /** Unix ms of the scheduled time of the run. */
  start: number;
  /** The schedule's period (ms): the shard's rounds fit in it, and a message older is stale. */
  periodMs: number;
  shard: ShardId;
  concurrentChecks?: number;
  /**
   * Shards due in each sub-minute round that not every shard has checkers in, by the round's
   * offset (ms after `start`): the shard stamps it on its results (ShardId.due).
   */
  dueShards?: Record<string, number>;
  checkers: unknown[];
  /**
   * The maintenance windows the planner found (the config's and those stored beside the runs),
   * so the shard marks its results as a single check function would, reading no state itself.
   */
  maintenance?: MaintenanceWindow[];
}

/** A message that is not a shard of a tick (sent by something else, or cut). */
export class ShardMessageError extends Error {
  override readonly name = 'ShardMessageError';
}

/** Reads a shard message, or throws ShardMessageError saying what is wrong. */
export function parseShardMessage(body: string): ShardMessage {
  let value: Partial<ShardMessage>;
  try {
    value = JSON.parse(body) as Partial<ShardMessage>;
  } catch (error) {
    throw new ShardMessageError('not JSON', { cause: error });
  }
  const shard = value?.shard;
  const ok =
    value?.version === 1 &&
    Number.isFinite(value.start) &&
    Number.isFinite(value.periodMs) &&
    Number.isInteger(shard?.index) &&
    Number.isInteger(shard?.count) &&
    Array.isArray(value.checkers) &&
    (value.maintenance === undefined || Array.isArray(value.maintenance));
  if (!ok) throw new ShardMessageError('not a version 1 shard message (start, periodMs, shard, checkers)');
  return value as ShardMessage;
}
