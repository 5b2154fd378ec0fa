/**
 * Every CloudWatch metric Checkup's functions write (EMF), named once: the functions emit them and
 * the alarms in infra/ watch them, so a rename cannot leave an alarm watching nothing.
 */
export const METRICS_NAMESPACE = 'Checkup';

export const METRIC_NAMES = {
  /** The config in SSM did not validate; the run used the last valid one. No dimension. */
  configInvalid: 'ConfigInvalid',
  /** A function's first invocation in a new execution environment. Dimensions: service, function_name. */
  coldStart: 'ColdStart',
  /** Per endpoint: 1 unless down. Dimension: Endpoint. */
  up: 'Up',
  /** Per endpoint: median RTT in ms. Dimension: Endpoint. */
  latency: 'Latency',
  /** Alerts delivered. Dimensions: none, and NotifierType. */
  alertsSent: 'AlertsSent',
  /** Alerts not delivered after retries (they stay queued). Dimensions: none, and NotifierType. */
  alertsFailed: 'AlertsFailed',
  /** Shards of a fanned-out tick that did not report (their endpoints were not checked). No dimension. */
  shardsMissing: 'ShardsMissing',
  /** Endpoints of a fanned-out tick left unknown because their shard did not report. No dimension. */
  endpointsNotChecked: 'EndpointsNotChecked',
} as const;

export const METRIC_DIMENSIONS = {
  endpoint: 'Endpoint',
  notifierType: 'NotifierType',
  service: 'service',
  functionName: 'function_name',
} as const;
