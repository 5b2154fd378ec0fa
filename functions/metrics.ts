import type { Context } from 'aws-lambda';
import type { LineWriter, Logger } from './log.js';
import { METRIC_DIMENSIONS, METRIC_NAMES, METRICS_NAMESPACE } from './metric-names.js';

/** A CloudWatch unit, as EMF names it. */
export type MetricUnit = 'None' | 'Count' | 'Milliseconds';

export interface MetricValue {
  name: string;
  value: number;
  unit: MetricUnit;
}

/** CloudWatch drops EMF data points more than 14 days in the past or 2 hours in the future. */
export const EMF_MAX_PAST_MS = 14 * 24 * 3600_000;
export const EMF_MAX_FUTURE_MS = 2 * 3600_000;

export interface MetricsOptions {
  /** @default METRICS_NAMESPACE */
  namespace?: string;
  /** The function's service name (the ColdStart metric's `service` dimension). */
  service?: string;
  /** Told about data points not written (a timestamp CloudWatch would reject). */
  log?: Logger;
  write?: LineWriter;
  now?: () => number;
}

/**
 * Writes metrics in CloudWatch Embedded Metric Format: one JSON line per call, which CloudWatch
 * turns into metrics with no API call (and so no added latency or permission).
 * @see https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/CloudWatch_Embedded_Metric_Format_Specification.html
 */
export class Metrics {
  readonly namespace: string;
  readonly #service: string | undefined;
  readonly #log: Logger | undefined;
  readonly #write: LineWriter;
  readonly #now: () => number;

  constructor(options: MetricsOptions = {}) {
    this.namespace = options.namespace ?? METRICS_NAMESPACE;
    this.#service = options.service;
    this.#log = options.log;
    this.#write = options.write ?? ((line) => process.stdout.write(`${line}\n`));
    this.#now = options.now ?? Date.now;
  }

  /**
   * Emits `values` under `dimensions` (e.g. `{ Endpoint: 'API' }`; `{}` for none) at `timestampMs`,
   * also aggregated over the dimension sets in `alsoBy` (`[[]]`: the total without dimensions).
   * A timestamp outside what CloudWatch accepts is not written (it would be dropped silently):
   * the logger is told instead.
   */
  put(
    values: readonly MetricValue[],
    dimensions: Record<string, string> = {},
    timestampMs = this.#now(),
    alsoBy: readonly (readonly string[])[] = [],
  ): void {
    if (values.length === 0) return;
    const now = this.#now();
    if (!(timestampMs >= now - EMF_MAX_PAST_MS && timestampMs <= now + EMF_MAX_FUTURE_MS)) {
      this.#log?.warn('metrics not written: CloudWatch takes no data point this old or this far ahead', {
        metrics: values.map((value) => value.name),
        dimensions,
        metricTime: Number.isFinite(timestampMs) ? new Date(timestampMs).toISOString() : String(timestampMs),
      });
      return;
    }
    const document: Record<string, unknown> = {
      _aws: {
        Timestamp: Math.round(timestampMs),
        CloudWatchMetrics: [
          {
            Namespace: this.namespace,
            Dimensions: [Object.keys(dimensions), ...alsoBy.map((set) => [...set])],
            Metrics: values.map(({ name, unit }) => ({ Name: name, Unit: unit })),
          },
        ],
      },
      ...dimensions,
    };
    for (const { name, value } of values) document[name] = value;
    this.#write(JSON.stringify(document));
  }

  /** `ColdStart` = 1 for the function, by service and function name (as Powertools names them). */
  putColdStart(functionName: string): void {
    this.put([{ name: METRIC_NAMES.coldStart, value: 1, unit: 'Count' }], {
      ...(this.#service ? { [METRIC_DIMENSIONS.service]: this.#service } : {}),
      [METRIC_DIMENSIONS.functionName]: functionName,
    });
  }
}

let invocations = 0;

/**
 * Starts an invocation's telemetry: the logger bound to the request id, the function name and
 * `cold_start` (true only for the first invocation of an execution environment, whose module
 * init it paid for), and on a cold start the `ColdStart` metric.
 */
export function startInvocation(context: Context, telemetry: { log: Logger; metrics: Metrics }): Logger {
  invocations += 1;
  const coldStart = invocations === 1;
  if (coldStart) telemetry.metrics.putColdStart(context.functionName);
  return telemetry.log.with({
    requestId: context.awsRequestId,
    function_name: context.functionName,
    cold_start: coldStart,
  });
}
