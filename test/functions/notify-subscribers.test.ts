import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lambdaContext } from './lambda-context.js';
import { type NotifyOnS3rver, startNotifyOnS3rver } from './notify-on-s3rver.js';

let notify: NotifyOnS3rver;
let receiver: NotifyOnS3rver['receiver'];
let handler: NotifyOnS3rver['handler'];

const storeRun = (status: 'healthy' | 'down') => notify.storeRun(status);

beforeAll(async () => {
  notify = await startNotifyOnS3rver((url) => ({
    checkers: [{ type: 'http', endpoint_name: 'API', endpoint_url: 'https://api.example.com' }],
    notifiers: [{ type: 'webhook', url: `${url}/team` }],
    subscribers: { webhooks: [{ url: `${url}/subscriber`, events: ['down', 'recovered'] }] },
  }));
  ({ receiver, handler } = notify);
}, 60_000);

afterAll(async () => {
  await notify?.close();
});

describe('notify function with subscribers', () => {
  it('tells the subscriber webhook of each status change once, beside the team’s notifier', async () => {
    await handler(await storeRun('healthy'), lambdaContext('notify'));
    const down = await storeRun('down');
    await handler(down, lambdaContext('notify'));
    // S3 delivers at least once: the same event again tells nobody twice.
    await handler(down, lambdaContext('notify'));
    await handler(await storeRun('healthy'), lambdaContext('notify'));
    const told = (path: string) =>
      receiver.requests
        .filter((request) => request.path === path)
        .map((request) => (request.json as { type: string }).type);
    expect(told('/subscriber')).toEqual(['checkup.down', 'checkup.recovered']);
    expect(told('/team')).toEqual(['checkup.down', 'checkup.recovered']);
  });
});
