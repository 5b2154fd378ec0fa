import { existsSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { createHeartbeatStore } from '../../adapters/heartbeat/create-heartbeat-store.js';
import { createStorage, DEFAULT_STORAGE } from '../../adapters/storage/create-storage.js';
import type { Config } from '../../core/config/parse-config.js';
import { PingRateLimiter } from '../../core/heartbeat/ping-rate-limiter.js';
import { heartbeatsOf, receivePing } from '../../core/heartbeat/receive-ping.js';
import { pageSettings } from '../../core/summary/page-settings.js';
import type { Command } from '../command.js';
import { describeStorage } from '../describe-storage.js';
import { monitorEvery } from '../monitor-every.js';
import { parseInterval } from '../parse-interval.js';
import { parseListen } from '../parse-listen.js';
import { REGION_OPTION, regionOption } from '../region-option.js';
import { createStatusServer, type StatusServerOptions, storageStatusData } from '../status-server.js';
import { noticesSource } from '../stored-notices.js';
import { terminalText } from '../terminal-text.js';
import { UsageError } from '../usage-error.js';

/** checkup's default address for `serve`. */
export const DEFAULT_LISTEN = ':2015';

/**
 * `checkup serve [--listen :2015] [--every 1m]`: serves the status page and `/data/*` from the
 * configured storage; with `--every`, also checks and stores at that interval (what
 * `npm start` runs), so one process keeps the page fed.
 */
export const serveCommand: Command = {
  name: 'serve',
  usage: 'serve [--listen :2015] [--every 1m]',
  summary: 'serve the status page and /data from the storage',
  details:
    'With --every, also check and store at that interval (what npm start runs), so one process keeps the page fed.',
  options: {
    listen: {
      type: 'string',
      value: 'ADDRESS',
      description: `the address to listen on (default ${DEFAULT_LISTEN})`,
    },
    every: { type: 'string', value: 'INTERVAL', description: 'also check and store at this interval' },
    ...REGION_OPTION,
  },
  async run({ args, options, loadConfig }) {
    if (args.length > 0) throw new UsageError(`serve takes no arguments (got "${args.join(' ')}")`);
    const listenText = typeof options.listen === 'string' ? options.listen : DEFAULT_LISTEN;
    const listen = parseListen(listenText);
    if (!listen)
      throw new UsageError(`serve --listen: not an address: "${listenText}" (try :2015 or 127.0.0.1:8080)`);
    const everyMs =
      typeof options.every === 'string' ? parseInterval(options.every, 'serve --every') : undefined;
    const checks = typeof options.every === 'string';
    const region = regionOption(options);
    if (region !== undefined && !checks)
      throw new UsageError('--region labels the runs of serve --every: use it with --every');
    const config = await loadConfig({ checks, alerts: checks, reads: true });
    const storageConfig = config.storage ?? DEFAULT_STORAGE;

    const server = await createStatusServer({
      siteDir: findSiteDir(),
      data: storageStatusData(createStorage(storageConfig)),
      // Checking here too: the page can tell stale data from the interval it knows.
      settings: pageSettings(config.status_page, everyMs),
      notices: noticesSource(config),
      ...pingReceiver(config),
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', (error: NodeJS.ErrnoException) => reject(listenError(error, listenText)));
      server.listen(listen.port, listen.host, resolve);
    });
    const { port } = server.address() as AddressInfo;
    const host =
      listen.host === undefined ? 'localhost' : listen.host.includes(':') ? `[${listen.host}]` : listen.host;
    process.stderr.write(
      `checkup: serving the status page at http://${host}:${port}/ (data from ${describeStorage(storageConfig)})\n`,
    );

    try {
      // The loop, not the command: the config is loaded once, so its notices print once.
      if (everyMs !== undefined) return await monitorEvery(config, everyMs, region);
      await new Promise<void>((resolve) => {
        process.once('SIGINT', resolve);
        process.once('SIGTERM', resolve);
      });
      return 0;
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  },
};

/**
 * Receives the pings of the config's heartbeat checkers, stored where the next run's check reads
 * them; nothing when it has none. Each ping gets a log line naming its heartbeat (never its token).
 */
function pingReceiver(config: Config): Pick<StatusServerOptions, 'pings'> {
  const heartbeats = heartbeatsOf(config.checkers);
  const store = createHeartbeatStore(config.storage);
  if (heartbeats.length === 0 || !store) return {};
  const limiter = new PingRateLimiter();
  return {
    async pings(request) {
      const answer = await receivePing(request, { heartbeats, store, limiter });
      if (answer.heartbeat)
        process.stderr.write(
          `${new Date().toISOString()} ${terminalText(`ping ${answer.heartbeat}: ${answer.status === 200 ? (request.path.endsWith('/fail') ? 'fail' : 'ok') : answer.body.trim()}`)}\n`,
        );
      return answer;
    },
  };
}

/**
 * The built page: beside the bundle (dist/statuspage; one level up should the command land in a
 * split chunk), or dist/statuspage when run from source.
 */
function findSiteDir(): string {
  for (const candidate of ['./statuspage/', '../statuspage/', '../../dist/statuspage/']) {
    const dir = fileURLToPath(new URL(candidate, import.meta.url));
    if (existsSync(`${dir}index.html`)) return dir;
  }
  throw new Error('the status page is not built: run "npm run build"');
}

/** Why serve cannot listen, in words that say what to do (a busy port is the usual cause). */
function listenError(error: NodeJS.ErrnoException, listenText: string): Error {
  if (error.code === 'EADDRINUSE')
    return new UsageError(
      `serve: ${listenText} is already in use (another checkup serve?); pick another address with --listen, such as --listen :8080`,
      { cause: error },
    );
  if (error.code === 'EACCES')
    return new UsageError(
      `serve: not allowed to listen on ${listenText}; ports below 1024 need privileges (try --listen :8080)`,
      {
        cause: error,
      },
    );
  if (error.code === 'EADDRNOTAVAIL')
    return new UsageError(
      `serve: ${listenText} is not an address of this machine (try --listen 127.0.0.1:8080)`,
      {
        cause: error,
      },
    );
  return error;
}
