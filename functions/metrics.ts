import type { LineWriter } from './log.js';

/** A CloudWatch unit, as EMF names it. */
export type MetricUnit = 'None' | 'Count' | 'Milliseconds';

export interface MetricValue {
  name: string;
  value: number;
  unit: MetricUnit;
}

/**
 * Writes metrics in CloudWatch Embedded Metric Format: one JSON line per call, which CloudWatch
 * turns into metrics with no API call (and so no added latency or permission).
 * @see https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/CloudWatch_Embedded_Metric_Format_Specification.html
 */
export class Metrics {
  readonly namespace: string;
  readonly #write: LineWriter;

  constructor(namespace: string, write: LineWriter = (line) => process.stdout.write(`${line}\n`)) {
    this.namespace = namespace;
    this.#write = write;
  }

  /** Emits `values` under `dimensions` (e.g. `{ Endpoint: 'API' }`; `{}` for none) at `timestampMs`. */
  put(
    values: readonly MetricValue[],
    dimensions: Record<string, string> = {},
    timestampMs = Date.now(),
  ): void {
    if (values.length === 0) return;
    const document: Record<string, unknown> = {
      _aws: {
        Timestamp: Math.round(timestampMs),
        CloudWatchMetrics: [
          {
            Namespace: this.namespace,
            Dimensions: [Object.keys(dimensions)],
            Metrics: values.map(({ name, unit }) => ({ Name: name, Unit: unit })),
          },
        ],
      },
      ...dimensions,
    };
    for (const { name, value } of values) document[name] = value;
    this.#write(JSON.stringify(document));
  }
}
