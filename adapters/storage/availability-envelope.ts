import { formatDuration } from '../../core/duration.js';
import { type Result, statusOf } from '../../core/result.js';
import { computeStats } from '../../core/stats.js';

/** One Application Insights telemetry item of type AvailabilityData, as the ingestion endpoint takes it. */
export interface AvailabilityEnvelope {
  ver: 1;
  name: string;
  time: string;
  iKey: string;
  sampleRate: 100;
  tags: Record<string, string>;
  data: {
    baseType: 'AvailabilityData';
    baseData: {
      ver: 2;
      id: string;
      name: string;
      duration: string;
      success: boolean;
      runLocation: string;
      message: string;
      properties: Record<string, string>;
      measurements: Record<string, number>;
    };
  };
}

export interface AvailabilityOptions {
  instrumentationKey: string;
  runLocation: string;
  /** checkup's `tags`: a property of every item (customDimensions). */
  tags?: Readonly<Record<string, string>> | undefined;
}

/**
 * A result as checkup sent it (trackAvailability): named by its title, successful when healthy,
 * lasting its mean round trip, its status (and notice) as the message, each attempt's RTT (ns) as
 * a measurement named by its index, its threshold as the property ThresholdRTT, and its time in
 * unix ns as the id.
 */
export function availabilityEnvelope(result: Result, options: AvailabilityOptions): AvailabilityEnvelope {
  const status = statusOf(result);
  const stats = computeStats(result.times);
  const measurements: Record<string, number> = {};
  result.times.forEach((attempt, index) => {
    measurements[String(index)] = attempt.rtt;
  });
  return {
    ver: 1,
    name: `Microsoft.ApplicationInsights.${options.instrumentationKey.replaceAll('-', '')}.Availability`,
    time: new Date(Math.floor(result.timestamp / 1e6)).toISOString(),
    iKey: options.instrumentationKey,
    sampleRate: 100,
    tags: { 'ai.internal.sdkVersion': 'checkup:1' },
    data: {
      baseType: 'AvailabilityData',
      baseData: {
        ver: 2,
        id: BigInt(Math.round(result.timestamp)).toString(),
        name: result.title,
        duration: timeSpan(stats.mean),
        success: status === 'healthy',
        runLocation: options.runLocation,
        message: result.notice ? `${status} - ${result.notice}` : status,
        properties: {
          ...options.tags,
          ThresholdRTT: formatDuration(result.threshold ?? 0),
          endpoint: result.endpoint,
        },
        measurements,
      },
    },
  };
}

/** Nanoseconds as a .NET TimeSpan, `d.hh:mm:ss.fffffff`, the duration format of the schema. */
export function timeSpan(ns: number): string {
  const ticks = BigInt(Math.trunc(ns / 100));
  const days = ticks / 864_000_000_000n;
  const hours = (ticks / 36_000_000_000n) % 24n;
  const minutes = (ticks / 600_000_000n) % 60n;
  const seconds = (ticks / 10_000_000n) % 60n;
  const fraction = ticks % 10_000_000n;
  const two = (value: bigint) => value.toString().padStart(2, '0');
  return `${days}.${two(hours)}:${two(minutes)}:${two(seconds)}.${fraction.toString().padStart(7, '0')}`;
}
