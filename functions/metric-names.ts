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
  /**
   * 1 for every run the check function stored. No dimension (each region's function writes its
   * own region's metric): its alarm treats missing data as breaching, so a monitor that stopped
   * (no schedule, no function, a failing store) is heard of.
   */
  runStored: 'RunStored',
  /** Alerts delivered. Dimensions: none, and NotifierType. */
  alertsSent: 'AlertsSent',
  /** Alerts not delivered after retries (they stay queued). Dimensions: none, and NotifierType. */
  alertsFailed: 'AlertsFailed',
  /** Shards of a fanned-out tick that did not report (their endpoints were not checked). No dimension. */
  shardsMissing: 'ShardsMissing',
  /** Endpoints of a fanned-out tick left unknown because their shard did not report. No dimension. */
  endpointsNotChecked: 'EndpointsNotChecked',
  /**
   * Per notifier that had a delivery: 1 when it keeps failing (NOTIFIER_FAILING_AFTER failed
   * deliveries in a row), else 0. Dimensions: Notifier (its id), and none (what the alarm watches).
   */
  notifierFailing: 'NotifierFailing',
} as const;

export const METRIC_DIMENSIONS = {
  endpoint: 'Endpoint',
  notifierType: 'NotifierType',
  notifier: 'Notifier',
  service: 'service',
  functionName: 'function_name',
} as const;
