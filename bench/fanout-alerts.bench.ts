// Alerting on a fanned-out tick, on this machine: 2,000 loopback endpoints in 20 shards of 100,
// checked through the bundled planner and shard functions (test/helpers/fanout-harness.ts), then
// every shard's S3 event handed to the bundled notify function behind the IAM gateway against
// s3rver: all 20 at once (the worst case: every invocation may see its tick whole), and one after
// another (as the run files land). Prints, per tick, the alert-state reads and writes (a write
// that lost its conditional race counts), the run files read, the tick claims and the alerts
// sent: counts, not times, so they do not depend on the machine's load.
import type { FanoutHarness } from '../test/helpers/fanout-harness.js';
import { startFanoutHarness } from '../test/helpers/fanout-harness.js';
import { type RecordingServer, startRecordingServer } from '../test/helpers/recording-server.js';
import { type RunningServer, startHttpServer } from '../test/helpers/servers.js';
import { removeTempDirs } from '../test/helpers/temp-dir.js';

const ENDPOINTS = 2_000;
const SHARD_SIZE = 100;
const TICKS = 3;
const STATE_KEY = 'state/alert-state.json';

interface NotifyCounts {
  stateReads: number;
  stateWrites: number;
  runReads: number;
  claims: number;
  alerts: number;
}

async function tickAndNotify(
  harness: FanoutHarness,
  hook: RecordingServer,
  order: 'at once' | 'one after another',
): Promise<NotifyCounts> {
  const report = await harness.tick();
  const keys = report.shards.flatMap((outcome) =>
    outcome.shards.flatMap((shard) => shard.runs.map((run) => `checks/${run}`)),
  );
  const before = harness.gateway.requests.length;
  const posted = hook.requests.length;
  if (order === 'at once') await harness.notify(keys);
  else for (const key of keys) await harness.notify([key]);
  const made = harness.gateway.requests.slice(before).filter((call) => call.caller === 'the notify function');
  const on = (operation: string, test: (resource: string) => boolean) =>
    made.filter((call) => call.operation === operation && call.resources.some(test)).length;
  return {
    stateReads: on('GetObject', (resource) => resource.endsWith(STATE_KEY)),
    stateWrites: on('PutObject', (resource) => resource.endsWith(STATE_KEY)),
    runReads: on('GetObject', (resource) => resource.includes('/checks/')),
    claims: on('PutObject', (resource) => resource.includes('/state/ticks/')),
    alerts: hook.requests.length - posted,
  };
}

export default async function fanoutAlertsBench(): Promise<void> {
  let down = true;
  const site: RunningServer = await startHttpServer((request, response) =>
    response.writeHead(request.url?.endsWith('/e/7') && down ? 503 : 200).end('ok'),
  );
  const hook = await startRecordingServer();
  const harness = await startFanoutHarness({
    shardSize: SHARD_SIZE,
    environments: 10,
    notify: { environments: 10 },
    config: {
      checkers: Array.from({ length: ENDPOINTS }, (_, index) => ({
        type: 'http',
        endpoint_name: `E${index}`,
        endpoint_url: `${site.url}/e/${index}`,
        attempts: 1,
      })),
      notifiers: [{ type: 'webhook', id: 'ops', url: `${hook.url}/hook` }],
    },
  });
  try {
    console.log(
      `${ENDPOINTS} endpoints, ${ENDPOINTS / SHARD_SIZE} shards a tick; E7 down at tick 1, up at tick 2, down at tick 3`,
    );
    console.log(
      '| events | tick | alert-state reads | alert-state writes | run files read | claims | alerts |',
    );
    console.log('| --- | --- | --- | --- | --- | --- | --- |');
    for (const order of ['at once', 'one after another'] as const) {
      for (let tick = 1; tick <= TICKS; tick++) {
        down = tick !== 2;
        const counts = await tickAndNotify(harness, hook, order);
        console.log(
          `| ${order} | ${tick} | ${counts.stateReads} | ${counts.stateWrites} | ${counts.runReads} | ${counts.claims} | ${counts.alerts} |`,
        );
        // The schedule's pace: the next tick a second later at least (ticks are whole seconds).
        await new Promise((resolve) => setTimeout(resolve, 1_000));
      }
    }
    if (harness.gateway.denied.length > 0)
      console.log(`denied: ${harness.gateway.denied.slice(0, 5).join('; ')}`);
  } finally {
    await harness.close();
    await site.close();
    await hook.close();
    await removeTempDirs();
  }
}
