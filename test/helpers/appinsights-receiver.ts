import { type RunningServer, startHttpServer } from './servers.js';

/** One item the receiver took, as posted. */
export type TelemetryItem = Record<string, unknown> & {
  data: { baseType: string; baseData: Record<string, unknown> };
};

export interface AppInsightsReceiver extends RunningServer {
  /** Items that passed the shape check, in order. */
  accepted: TelemetryItem[];
  /** Why each refused item was refused. */
  refused: string[];
  requests: number;
  /** The next `count` requests answer `status` (a 206 refuses each item with `status` 500). */
  failNext(status: number, count?: number): void;
}

const GUID = /^[0-9a-f]{8}-([0-9a-f]{4}-){3}[0-9a-f]{12}$/i;
const TIME_SPAN = /^\d+\.\d\d:[0-5]\d:[0-5]\d\.\d{7}$/;

/**
 * A loopback stand-in for Application Insights' ingestion endpoint (`POST /v2/track`, a JSON
 * array of envelopes). It checks each envelope against the Availability schema the endpoint
 * enforces and answers as it does: 200 with counts, 206 naming each refused item, 400 when none
 * could be taken.
 */
export async function startAppInsightsReceiver(): Promise<AppInsightsReceiver> {
  const accepted: TelemetryItem[] = [];
  const refused: string[] = [];
  const failures: Array<{ status: number; count: number }> = [];
  let requests = 0;
  const server = await startHttpServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      requests += 1;
      const answer = (status: number, json: object) => {
        response.writeHead(status, { 'content-type': 'application/json' });
        response.end(JSON.stringify(json));
      };
      if (request.method !== 'POST' || request.url !== '/v2/track')
        return answer(404, { error: 'not found' });
      let items: unknown;
      try {
        items = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      } catch {
        return answer(400, { itemsReceived: 0, itemsAccepted: 0, errors: [] });
      }
      const list = Array.isArray(items) ? items : [items];
      const failure = failures.find((f) => f.count > 0);
      if (failure) {
        failure.count -= 1;
        if (failure.status !== 206) return answer(failure.status, { error: 'try later' });
        return answer(206, {
          itemsReceived: list.length,
          itemsAccepted: 0,
          errors: list.map((_item, index) => ({ index, statusCode: 500, message: 'Internal' })),
        });
      }
      const errors: Array<{ index: number; statusCode: number; message: string }> = [];
      list.forEach((item, index) => {
        const why = problemOf(item);
        if (why) {
          refused.push(why);
          errors.push({ index, statusCode: 400, message: why });
        } else accepted.push(item as TelemetryItem);
      });
      const counts = { itemsReceived: list.length, itemsAccepted: list.length - errors.length, errors };
      answer(errors.length === 0 ? 200 : errors.length === list.length ? 400 : 206, counts);
    });
  });
  return {
    ...server,
    accepted,
    refused,
    get requests() {
      return requests;
    },
    failNext(status, count = 1) {
      failures.push({ status, count });
    },
  };
}

function problemOf(item: unknown): string | undefined {
  const envelope = item as Record<string, unknown>;
  if (typeof envelope !== 'object' || envelope === null) return 'not an object';
  const key = envelope.iKey;
  if (typeof key !== 'string' || !GUID.test(key)) return 'iKey: not a GUID';
  if (envelope.name !== `Microsoft.ApplicationInsights.${key.replaceAll('-', '')}.Availability`)
    return `name: ${String(envelope.name)}`;
  if (typeof envelope.time !== 'string' || Number.isNaN(Date.parse(envelope.time))) return 'time: not a date';
  const data = envelope.data as { baseType?: unknown; baseData?: Record<string, unknown> } | undefined;
  if (data?.baseType !== 'AvailabilityData' || !data.baseData) return 'data.baseType: not AvailabilityData';
  const base = data.baseData;
  if (base.ver !== 2) return 'baseData.ver: not 2';
  for (const field of ['id', 'name', 'runLocation'] as const)
    if (typeof base[field] !== 'string' || base[field] === '') return `baseData.${field}: required`;
  if (typeof base.duration !== 'string' || !TIME_SPAN.test(base.duration))
    return 'baseData.duration: not a TimeSpan';
  if (typeof base.success !== 'boolean') return 'baseData.success: not a boolean';
  for (const [bag, type] of [
    ['properties', 'string'],
    ['measurements', 'number'],
  ] as const) {
    const values = base[bag];
    if (values === undefined) continue;
    if (typeof values !== 'object' || values === null) return `baseData.${bag}: not an object`;
    for (const [name, value] of Object.entries(values))
      if (typeof value !== type) return `baseData.${bag}.${name}: not a ${type}`;
  }
  return undefined;
}
