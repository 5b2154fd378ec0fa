import type { Context, ScheduledEvent } from 'aws-lambda';

/** A Lambda context as the runtime passes it (the fields the handlers read, and the rest). */
export function lambdaContext(functionName: string): Context {
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:eu-west-1:123456789012:function:${functionName}`,
    memoryLimitInMB: '256',
    awsRequestId: `req-${Math.random().toString(16).slice(2)}`,
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: '2026/11/24/[$LATEST]0123456789abcdef',
    getRemainingTimeInMillis: () => 50_000,
    done: () => {},
    fail: () => {},
    succeed: () => {},
  };
}

/** The event an EventBridge schedule rule delivers (at `at`, default now: a tick is its time). */
export function scheduledEvent(at: Date = new Date()): ScheduledEvent {
  return {
    version: '0',
    id: '53dc4d37-cffa-4f76-80c9-8b7d4a4d2eaa',
    'detail-type': 'Scheduled Event',
    source: 'aws.events',
    account: '123456789012',
    time: at.toISOString().replace(/\.\d+Z$/, 'Z'),
    region: 'eu-west-1',
    resources: ['arn:aws:events:eu-west-1:123456789012:rule/Checkup-ChecksRule'],
    detail: {},
  };
}

/** Collects what the code under test writes to stdout (JSON log and EMF lines), parsed. */
export function captureStdout(): { lines: () => Array<Record<string, unknown>>; restore: () => void } {
  const original = process.stdout.write.bind(process.stdout);
  const written: string[] = [];
  process.stdout.write = ((chunk: string | Uint8Array, ...rest: unknown[]) => {
    const text = typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
    if (text.startsWith('{')) {
      written.push(...text.split('\n').filter(Boolean));
      return true;
    }
    return (original as (chunk: unknown, ...args: unknown[]) => boolean)(chunk, ...rest);
  }) as typeof process.stdout.write;
  return {
    lines: () => written.map((line) => JSON.parse(line) as Record<string, unknown>),
    restore: () => {
      process.stdout.write = original;
    },
  };
}
