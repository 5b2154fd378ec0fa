import { existsSync } from 'node:fs';
import { cp, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { FsStorage } from '../../adapters/storage/fs-storage.js';
import type { Status } from '../../core/result.js';
import { runFileName } from '../../core/storage.js';
import { rebuildSummary } from '../../core/summary/apply-run-to-summary.js';
import type { StatusSummary } from '../../core/summary/summary-types.js';
import { launchChromium } from '../helpers/chromium.js';
import { generateSummary } from '../helpers/generate-summary.js';
import { result } from '../helpers/make-runs.js';
import { startHttpServer } from '../helpers/servers.js';
import { type RunningServe, startServe } from '../helpers/start-serve.js';
import { makeTempDir, removeTempDirs } from '../helpers/temp-dir.js';

let browser: Browser;
const serves: RunningServe[] = [];

beforeAll(async () => {
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
});
afterEach(async () => {
  await Promise.all(serves.splice(0).map((serve) => serve.stop()));
  await removeTempDirs();
});

async function serveSummary(
  summary: StatusSummary | string | undefined,
  config: Record<string, unknown> = {},
) {
  const serve = await startServe(await makeTempDir(), config);
  serves.push(serve);
  if (summary !== undefined)
    await writeFile(
      path.join(serve.dataDir, 'summary.json'),
      typeof summary === 'string' ? summary : JSON.stringify(summary),
    );
  return serve;
}

/** Opens the page and waits until it has drawn the data or given up on it. */
async function openPage(
  url: string,
  options: {
    colorScheme?: 'light' | 'dark';
    width?: number;
    summaryBody?: string;
    /** Answer the page documents with the files a writer stored in this folder (404 when absent). */
    documentsDir?: string;
  } = {},
) {
  const context = await browser.newContext({
    colorScheme: options.colorScheme ?? 'light',
    viewport: { width: options.width ?? 1100, height: 900 },
  });
  const page = await context.newPage();
  const requests: string[] = [];
  const errors: string[] = [];
  /** Bytes of each /data/* response as sent (gzipped when served so), by path. */
  const dataBytes: Array<Promise<[string, number]>> = [];
  page.on('request', (request) => requests.push(new URL(request.url()).pathname));
  page.on('requestfinished', (request) => {
    const pathname = new URL(request.url()).pathname;
    if (pathname.startsWith('/data/'))
      dataBytes.push(
        request.sizes().then(
          (sizes) => [pathname, sizes.responseBodySize] as [string, number],
          // A refresh can finish as the test closes the page: its size is then unknown, not an error.
          (): [string, number] => [pathname, 0],
        ),
      );
  });
  page.on('pageerror', (error) => errors.push(error.message));
  const { summaryBody } = options;
  // A broken file as a CDN would hand it over, byte for byte (checkup serve parses it first).
  if (summaryBody !== undefined)
    await page.route('**/data/overview.json', (route) =>
      route.fulfill({ status: 200, contentType: 'application/json', body: summaryBody }),
    );
  const { documentsDir } = options;
  if (documentsDir !== undefined)
    await page.route(/\/data\/(overview|history|recent)[/.]/, async (route) => {
      const name = new URL(route.request().url()).pathname.slice('/data/'.length);
      const body = await readFile(path.join(documentsDir, name), 'utf8').catch(() => undefined);
      await route.fulfill(
        body === undefined ? { status: 404 } : { status: 200, contentType: 'application/json', body },
      );
    });
  await page.goto(url);
  await page.waitForSelector('html[data-state="ready"], html[data-state="failed"]', { timeout: 30_000 });
  // The first card's history comes next, fetched because it is on screen.
  if (
    (await page.locator('html').getAttribute('data-state')) === 'ready' &&
    (await page.locator('.endpoint').count()) > 0
  )
    await page.waitForSelector('.endpoint[data-history="loaded"]', { timeout: 30_000 });
  const bytes = async () => (await Promise.all(dataBytes)).reduce((sum, [, size]) => sum + size, 0);
  return { page, requests, errors, bytes, close: () => context.close() };
}

const text = (page: Page, selector: string) => page.locator(selector).first().textContent();

/** Picks the 24-hour chart and waits for the recent hours it reads. */
async function showDay(page: Page) {
  await page.getByRole('radio', { name: '24 h' }).check();
  await page.waitForSelector('.endpoint[data-recent="loaded"]', { timeout: 30_000 });
}

describe('status page', () => {
  it('renders 50 endpoints with 90 days each, the banner and the figures, from at most 3 data requests', async () => {
    const summary = generateSummary({ now: Date.now() });
    const serve = await serveSummary(summary);
    const { page, requests, errors, bytes, close } = await openPage(serve.url);
    try {
      expect(errors).toEqual([]);
      expect(await text(page, '#banner')).toBe('Service Disruption');
      expect(await page.locator('.endpoint').count()).toBe(50);
      // The issue's budget for the first render: under 150 KB of data, gzipped as served.
      expect(await bytes()).toBeGreaterThan(10_000);
      expect(await bytes()).toBeLessThan(150_000);
      const bars = await page
        .locator('.days')
        .evaluateAll((nodes) =>
          nodes.map((node) => [node.getAttribute('data-days'), getComputedStyle(node).backgroundImage]),
        );
      expect(bars).toHaveLength(50);
      for (const [days, background] of bars) {
        expect(days).toBe('90');
        expect(background).toMatch(/^linear-gradient\(to right, rgb\(/);
      }
      const first = page.locator('.endpoint').first();
      expect(await first.locator('h3').textContent()).toBe('Service 01 API');
      expect(await first.locator('.status').textContent()).toBe('Down');
      expect(await first.textContent()).toContain('connect ECONNREFUSED 203.0.113.9:443');
      expect(await page.locator('.endpoint').nth(1).locator('.status').textContent()).toBe('Degraded');
      expect(await page.locator('.endpoint').nth(2).locator('.status').textContent()).toBe('Operational');
      // The announcements (maintenance, incidents) are fetched once the overview is in, beside
      // the first render, not for it: the page draws every status without them.
      const dataRequests = requests.filter(
        (pathname) => pathname.startsWith('/data/') && pathname !== '/data/notices.json',
      );
      expect(dataRequests.length).toBeLessThanOrEqual(3);
      expect(dataRequests.sort()).toEqual(['/data/history/0.json', '/data/overview.json', '/data/page.json']);
      expect(dataRequests.some((pathname) => pathname.startsWith('/data/runs/'))).toBe(false);
    } finally {
      await close();
    }
  });

  it('draws 10,000 endpoints problems first, 50 at a time, from the overview in 20 parts, and finds one by name', async () => {
    const summary = generateSummary({ now: Date.now(), endpoints: 10_000, days: 7 });
    const serve = await serveSummary(summary);
    // serve parses the 180 MB summary once, on the first request: not the page's time to measure.
    expect((await fetch(`${serve.url}/data/overview.json`)).status).toBe(200);
    const { page, requests, errors, close } = await openPage(serve.url);
    try {
      expect(errors).toEqual([]);
      expect(await page.locator('.endpoint').count()).toBe(50);
      expect(await text(page, '#search-count')).toBe('10000 endpoints');
      expect(await text(page, '.more')).toBe('9950 more…');
      expect(await page.locator('.endpoint .status').first().textContent()).toBe('Down');
      expect(await page.locator('.endpoint .status').nth(1).textContent()).toBe('Degraded');
      const firstRender = requests
        .filter((pathname) => pathname.startsWith('/data/') && pathname !== '/data/notices.json')
        .sort();
      // Above 200 endpoints the overview is an index and one part per segment of 500, so a
      // store rewrites only the parts of the segments its run touched.
      const parts = firstRender.filter((pathname) => pathname.startsWith('/data/overview/'));
      expect(parts).toHaveLength(20);
      expect(firstRender.filter((pathname) => !parts.includes(pathname))).toEqual([
        '/data/history/0.json',
        '/data/overview.json',
        '/data/page.json',
      ]);

      await page.locator('#search').fill('service 9999');
      const wanted = summary.endpoints[9998]?.title ?? '';
      expect(wanted).toMatch(/^Service 9999 /);
      await page.waitForSelector(`.endpoint[data-title="${wanted}"][data-history="loaded"]`, {
        timeout: 30_000,
      });
      expect(await text(page, '#search-count')).toBe('1 of 10000 endpoints match');
      expect(await page.locator('.endpoint').count()).toBe(1);
      expect(await page.locator('.endpoint .days').getAttribute('data-days')).toBe('90');
      expect(requests).toContain('/data/history/199.json');
      // Scrolling to the end of the list draws the next 50.
      await page.locator('#search').fill('');
      await page.locator('.more').scrollIntoViewIfNeeded();
      await page.waitForFunction(() => document.querySelectorAll('.endpoint').length === 100, null, {
        timeout: 30_000,
      });
    } finally {
      await close();
    }
  }, 120_000);

  it('shows hostile titles and messages as text and executes nothing', async () => {
    const payload =
      '<script>window.__pwned = 1</script><img src=x onerror="window.__pwned = 2">"><svg onload=window.__pwned=3>';
    const summary = generateSummary({ now: Date.now(), endpoints: 3 });
    const hostile = summary.endpoints[0];
    if (!hostile) throw new Error('no endpoint');
    hostile.title = `Evil ${payload}`;
    hostile.error = `boom ${payload}`;
    hostile.message = `see javascript:alert(1) and <a href="javascript:window.__pwned=4">x</a> ${payload}`;
    summary.timeline.unshift(
      {
        t: Date.now() - 1000,
        title: hostile.title,
        kind: 'message',
        text: `${payload} https://example.com/a?b=<c>`,
      },
      { t: Date.now() - 2000, title: hostile.title, kind: 'status', status: 'down', previous: 'healthy' },
    );
    const serve = await serveSummary(summary, { status_page: { title: `Title ${payload}` } });
    const { page, errors, close } = await openPage(serve.url);
    let dialogs = 0;
    page.on('dialog', (dialog) => {
      dialogs += 1;
      void dialog.dismiss();
    });
    try {
      await page
        .locator('.endpoint')
        .first()
        .locator('.days')
        .hover({ position: { x: 5, y: 5 } });
      expect(errors).toEqual([]);
      const found = await page.evaluate(() => ({
        pwned: (window as unknown as { __pwned?: number }).__pwned,
        scripts: document.querySelectorAll('script').length,
        injected: document.querySelectorAll('img, iframe, object, embed, main svg:not(.chart)').length,
        handlers: [...document.querySelectorAll('*')].flatMap((node) =>
          [...node.attributes].filter((attribute) => /^on/i.test(attribute.name)).map((a) => a.name),
        ),
        badLinks: [...document.querySelectorAll('a')].filter(
          (a) => !/^(https?:|\/|#)/.test(a.getAttribute('href') ?? ''),
        ).length,
        heading: document.querySelector('.endpoint h3')?.textContent,
        title: document.getElementById('title')?.textContent,
      }));
      expect(found).toEqual({
        pwned: undefined,
        scripts: 1,
        injected: 0,
        handlers: [],
        badLinks: 0,
        heading: `Evil ${payload}`,
        title: `Title ${payload}`,
      });
      expect(await page.locator('#timeline').textContent()).toContain(payload);
      expect(await page.locator('#timeline a').first().getAttribute('href')).toBe('https://example.com/a?b=');
      expect(dialogs).toBe(0);
    } finally {
      await close();
    }
  });

  it('says clearly that there is no data yet when summary.json is missing', async () => {
    const serve = await serveSummary(undefined);
    const { page, errors, close } = await openPage(serve.url);
    try {
      expect(errors).toEqual([]);
      expect(await page.locator('html').getAttribute('data-state')).toBe('failed');
      expect(await text(page, '#banner')).toBe('Status unknown');
      expect(await text(page, '[role="alert"]')).toContain(
        'No status data yet: /data/overview.json was not found',
      );
    } finally {
      await close();
    }
  });

  it('says the data cannot be read when summary.json is not JSON or not a summary', async () => {
    const serve = await serveSummary(generateSummary({ now: Date.now(), endpoints: 2 }));
    for (const [body, expected] of [
      ['{"version": 2, "endpoints": [', '/data/overview.json is not valid JSON'],
      ['{"version": 2, "updated": "yesterday"}', 'overview.updated: expected a number'],
      [
        '{"version":2,"updated":1,"lastRun":1,"endpoints":[{"title":"x"}],"timeline":[],"recentRuns":[]}',
        'overview.endpoints[0].endpoint: expected text',
      ],
    ] as const) {
      const { page, errors, close } = await openPage(serve.url, { summaryBody: body });
      try {
        expect(errors).toEqual([]);
        expect(await text(page, '#banner')).toBe('Status unknown');
        const alert = await text(page, '[role="alert"]');
        expect(alert).toContain('The status data could not be read');
        expect(alert).toContain(expected);
      } finally {
        await close();
      }
    }
  });

  it('says the data could not be loaded when the stored summary.json is corrupt', async () => {
    const serve = await serveSummary('{"version": 1, "endpoints": [');
    const { page, errors, close } = await openPage(serve.url);
    try {
      expect(errors).toEqual([]);
      expect(await text(page, '#banner')).toBe('Status unknown');
      expect(await text(page, '[role="alert"]')).toContain(
        'The status data could not be loaded: /data/overview.json answered 500',
      );
    } finally {
      await close();
    }
  });

  it('shows what checkup serve --every checked and summarised a moment ago', async () => {
    const target = await startHttpServer((_request, response) => response.end('ok'));
    try {
      const serve = await startServe(
        await makeTempDir(),
        { checkers: [{ type: 'http', endpoint_name: 'Loopback <b>site</b>', endpoint_url: target.url }] },
        ['--every', '1s'],
      );
      serves.push(serve);
      for (let i = 0; i < 150 && !existsSync(path.join(serve.dataDir, 'summary.json')); i += 1)
        await new Promise((resolve) => setTimeout(resolve, 200));
      const { page, errors, close } = await openPage(serve.url);
      try {
        expect(errors).toEqual([]);
        expect(await page.locator('html').getAttribute('data-state')).toBe('ready');
        expect(await text(page, '#banner')).toBe('Situation Normal');
        expect(await text(page, '.endpoint h3')).toBe('Loopback <b>site</b>');
        expect(await text(page, '.endpoint .status')).toBe('Operational');
        expect(await text(page, '.endpoint .uptime')).toContain('100%');
        expect(await page.locator('.notice--stale').count()).toBe(0);
      } finally {
        await close();
      }
    } finally {
      await target.close();
    }
  });

  it('says monitoring is not reporting since HH:MM after two intervals with no run, every status unknown and grey, never up', async () => {
    const lastRun = Date.now() - 3 * 3_600_000;
    const stale = await serveSummary(generateSummary({ now: lastRun + 60_000, endpoints: 5 }));
    const old = await openPage(stale.url);
    try {
      const clock = new Date(lastRun).toISOString().slice(11, 16);
      expect(await text(old.page, '.notice--stale')).toContain(
        `Monitoring is not reporting since ${clock} UTC.`,
      );
      expect(await text(old.page, '#banner')).toBe('Status unknown');
      const statuses = await old.page.locator('.endpoint .state .status').allTextContents();
      expect(statuses).toEqual(['Unknown', 'Unknown', 'Unknown', 'Unknown', 'Unknown']);
      expect(await old.page.locator('.endpoint--healthy, .endpoint--down, .endpoint--degraded').count()).toBe(
        0,
      );
      const grey = await old.page
        .locator('.endpoint .state .status')
        .first()
        .evaluate((node) => getComputedStyle(node).color);
      expect(grey).toBe('rgb(87, 96, 106)');
      expect(await text(old.page, '.endpoint .note')).toBe(`monitoring is not reporting since ${clock} UTC`);
    } finally {
      await old.close();
    }
    const fresh = await serveSummary(generateSummary({ now: Date.now() }));
    const current = await openPage(fresh.url);
    try {
      expect(await current.page.locator('.notice--stale').count()).toBe(0);
      expect(await current.page.locator('.endpoint .state .status', { hasText: 'Unknown' }).count()).toBe(0);
    } finally {
      await current.close();
    }
  });

  it("shows each region's status and latency, the vote, and a region not reporting", async () => {
    const tick = Math.floor(Date.now() / 60_000) * 60_000 - 120_000;
    const regional = (region: string, n: number, status: Status, rttMs: number) => {
      const at =
        (tick + n * 60_000 + 1000 + ['eu-west-1', 'us-east-1', 'ap-southeast-2'].indexOf(region)) * 1e6;
      return {
        name: runFileName(at),
        results: [result('Shop <i>', at, status, rttMs, { region, tick: tick + n * 60_000 })],
      };
    };
    const summary = rebuildSummary(
      [
        regional('eu-west-1', 0, 'healthy', 40),
        regional('us-east-1', 0, 'healthy', 90),
        regional('ap-southeast-2', 0, 'healthy', 200),
        regional('eu-west-1', 1, 'healthy', 42),
        regional('ap-southeast-2', 1, 'down', 0),
        regional('eu-west-1', 2, 'healthy', 41),
      ],
      { nowMs: Date.now() },
    );
    const serve = await serveSummary({ ...summary, intervalMs: 60_000 });
    const { page, errors, close } = await openPage(serve.url);
    try {
      expect(errors).toEqual([]);
      expect(await text(page, '.endpoint .state .status')).toBe('Degraded');
      expect(await page.locator('.endpoint .note').allTextContents()).toContain('down from ap-southeast-2');
      const regions = await page.locator('.endpoint .regions li').allTextContents();
      expect(regions[0]).toBe('ap-southeast-2 down');
      expect(regions[1]).toBe('eu-west-1 up 41 ms');
      expect(regions[2]).toMatch(/^us-east-1 not reporting since \d{4}-\d\d-\d\d \d\d:\d\d UTC$/);
    } finally {
      await close();
    }
  });

  it('refreshes on its own and shows configured banner texts', async () => {
    const summary = generateSummary({ now: Date.now(), endpoints: 5 });
    const serve = await serveSummary(summary, {
      status_page: { refresh_interval: '1s', banner_healthy: 'All good', banner_down: 'On fire' },
    });
    const { page, requests, close } = await openPage(serve.url);
    try {
      expect(await text(page, '#banner')).toBe('On fire');
      for (const endpoint of summary.endpoints) endpoint.status = 'healthy';
      await writeFile(path.join(serve.dataDir, 'summary.json'), JSON.stringify(summary));
      await page.waitForFunction(() => document.getElementById('banner')?.textContent === 'All good', null, {
        timeout: 20_000,
      });
      expect(requests.filter((pathname) => pathname === '/data/page.json')).toHaveLength(1);
      expect(requests.filter((pathname) => pathname === '/data/overview.json').length).toBeGreaterThan(1);
    } finally {
      await close();
    }
  });

  it("shows a day's uptime and incidents on hover and with the arrow keys", async () => {
    const summary = generateSummary({ now: Date.now(), endpoints: 3 });
    const serve = await serveSummary(summary);
    const { page, close } = await openPage(serve.url);
    try {
      const first = page.locator('.endpoint').first();
      const days = summary.endpoints[0]?.days ?? [];
      const today = days.at(-1);
      const bar = first.locator('.days');
      const box = await bar.boundingBox();
      if (!box) throw new Error('the day bar is not shown');
      await page.mouse.move(box.x + box.width - 1, box.y + box.height / 2);
      const detail = first.locator('.day-detail');
      expect(await detail.textContent()).toContain(`${today?.day}: `);
      expect(await detail.textContent()).toContain(`${today?.down} down`);
      // Not necessarily the first incident: the generated message (two hours ago) may come first.
      expect(await detail.textContent()).toMatch(/Incidents \(UTC\): (.+; )?\d\d:\d\d down/);
      await first.locator('.days').focus();
      await page.keyboard.press('End');
      await page.keyboard.press('ArrowLeft');
      expect(await detail.textContent()).toContain(`${days.at(-2)?.day}: `);
      await page.keyboard.press('Home');
      expect(await detail.textContent()).toContain(`${days.at(0)?.day}: `);
    } finally {
      await close();
    }
  });

  it('keeps keyboard focus and the chosen day when it refreshes', async () => {
    const summary = generateSummary({ now: Date.now(), endpoints: 3 });
    const serve = await serveSummary(summary, { status_page: { refresh_interval: '1s' } });
    const { page, requests, close } = await openPage(serve.url);
    try {
      const second = page.locator('.endpoint').nth(1);
      await second.locator('.days').focus();
      await page.keyboard.press('ArrowLeft');
      await page.keyboard.press('ArrowLeft');
      const chosen = summary.endpoints[1]?.days.at(-3)?.day;
      expect(await second.locator('.day-detail').textContent()).toContain(`${chosen}: `);
      const loads = requests.filter((pathname) => pathname === '/data/overview.json').length;
      await page.waitForFunction(
        (count) =>
          performance
            .getEntriesByType('resource')
            .filter((entry) => entry.name.endsWith('/data/overview.json')).length > count,
        loads,
        { timeout: 20_000 },
      );
      await page.waitForTimeout(200);
      expect(await page.evaluate(() => document.activeElement?.matches('.endpoint:nth-child(2) .days'))).toBe(
        true,
      );
      expect(await second.locator('.day-detail').textContent()).toContain(`${chosen}: `);
      await page.keyboard.press('ArrowLeft');
      expect(await second.locator('.day-detail').textContent()).toContain(
        `${summary.endpoints[1]?.days.at(-4)?.day}: `,
      );
    } finally {
      await close();
    }
  });

  /** Stores runs of one endpoint (statuses at unix-ns times) the way checkup --store does, and serves them. */
  async function serveRuns(runs: Array<[number, Status]>) {
    const dir = await makeTempDir();
    const lastRun = Math.max(...runs.map(([t]) => t));
    const storage = new FsStorage({ dir: path.join(dir, 'checks'), now: () => lastRun });
    for (const [t, status] of runs) await storage.store([result('First Site', t, status)]);
    const serve = await startServe(dir, {
      checkers: [{ type: 'http', endpoint_name: 'First Site', endpoint_url: 'http://127.0.0.1:1/' }],
    });
    serves.push(serve);
    return serve;
  }

  it('reads the same uptime over 24 h, 7, 30 and 90 days after a 12 s outage', async () => {
    // Checks every 3 s for 39 s; the four checks of seconds 15 to 24 find the site down.
    const start = (Date.now() - 60_000) * 1e6;
    const runs = Array.from({ length: 13 }, (_, i): [number, Status] => [
      start + i * 3e9,
      i >= 5 && i <= 8 ? 'down' : 'healthy',
    ]);
    const serve = await serveRuns(runs);
    const { page, errors, close } = await openPage(serve.url);
    try {
      expect(errors).toEqual([]);
      const figures = await page
        .locator('.endpoint .uptime div')
        .evaluateAll((nodes) =>
          nodes.map((node) => [node.querySelector('dt')?.textContent, node.querySelector('dd')?.textContent]),
        );
      expect(figures).toEqual([
        ['Uptime 24 h', '69.23%'],
        ['Uptime 7 d', '69.23%'],
        ['Uptime 30 d', '69.23%'],
        ['Uptime 90 d', '69.23%'],
      ]);
    } finally {
      await close();
    }
  });

  it('draws a first check as a dot where it is, and a few as a short line at their times', async () => {
    const BUCKET_MS = 5 * 60_000;
    const now = Date.now();
    /** Whether Chromium painted the chart's `part` at time `t` (ms) and value `ms` (of 110 ms top). */
    const paintedAt = (page: Page, part: string, t: number, start: number, end: number) =>
      page.evaluate(
        ([part, fraction]) => {
          const chart = document.querySelector('.endpoint .chart') as SVGSVGElement;
          const box = chart.getBoundingClientRect();
          // result() answers in 100 ms and there is no threshold: the chart's top is 110 ms.
          const hit = document.elementFromPoint(
            box.left + (fraction as number) * box.width,
            box.top + (1 - 100 / 110) * box.height,
          );
          return hit?.getAttribute('class') === part;
        },
        [part, (t - start) / (end - start)] as const,
      );

    const one = await serveRuns([[(now - 60_000) * 1e6, 'healthy']]);
    const first = await openPage(one.url);
    try {
      await showDay(first.page);
      const last = Math.floor((now - 60_000) / BUCKET_MS) * BUCKET_MS;
      const start = last - 287 * BUCKET_MS;
      expect(await first.page.locator('.endpoint .chart-line').count()).toBe(0);
      expect(await paintedAt(first.page, 'chart-dots', last + BUCKET_MS / 2, start, last + BUCKET_MS)).toBe(
        true,
      );
      await first.page.getByRole('radio', { name: '7 d' }).check();
      const today = Date.parse(`${new Date(now - 60_000).toISOString().slice(0, 10)}T00:00:00Z`);
      expect(
        await paintedAt(
          first.page,
          'chart-dots',
          today + 43_200_000,
          today - 6 * 86_400_000,
          today + 86_400_000,
        ),
      ).toBe(true);
    } finally {
      await first.close();
    }

    const three = await serveRuns([
      [(now - 12 * 60_000) * 1e6, 'healthy'],
      [(now - 7 * 60_000) * 1e6, 'healthy'],
      [(now - 2 * 60_000) * 1e6, 'healthy'],
    ]);
    const few = await openPage(three.url);
    try {
      await showDay(few.page);
      const line = await few.page.locator('.endpoint .chart-line').boundingBox();
      const chart = await few.page.locator('.endpoint .chart').boundingBox();
      if (!line || !chart) throw new Error('no chart line');
      // Three five-minute buckets of 288: about 1 % of the width, at the right edge.
      expect(line.width).toBeLessThan(chart.width * 0.02);
      expect(line.x).toBeGreaterThan(chart.x + chart.width * 0.97);
    } finally {
      await few.close();
    }
  });

  it('draws the 24-hour chart from the closed hours and the open hours as stored, and from an older overview', async () => {
    const now = Date.now();
    const times = [now - 3 * 3_600_000, now - 2 * 3_600_000, now - 2 * 60_000].map((t) => t * 1e6);
    const serve = await serveRuns(times.map((t) => [t, 'healthy']));
    // As the writer stored them: the two closed hours in their recent documents (written once,
    // when they closed), the open hour's bucket in the segment's open hours, not the overview.
    const documentsDir = serve.dataDir;
    const overview = JSON.parse(await readFile(path.join(documentsDir, 'overview.json'), 'utf8'));
    const open = JSON.parse(await readFile(path.join(documentsDir, 'recent/open-0.json'), 'utf8'));
    const bucketMs = 5 * 60_000;
    const openBucket = Math.floor((now - 2 * 60_000) / bucketMs) * bucketMs;
    expect(overview.endpoints[0].recent).toBeUndefined();
    expect(overview.openHoursFrom).toBe(open.from);
    expect(open.endpoints[0].recent.map((bucket: { t: number }) => bucket.t)).toEqual([openBucket]);
    const { page, requests, errors, close } = await openPage(serve.url, { documentsDir });
    try {
      // The first render does not read the open hours: only the 24-hour chart does.
      expect(requests).not.toContain('/data/recent/open-0.json');
      await showDay(page);
      expect(errors).toEqual([]);
      expect(requests.filter((pathname) => pathname.startsWith('/data/recent/0-'))).toHaveLength(25);
      expect(requests.filter((pathname) => pathname === '/data/recent/open-0.json')).toHaveLength(1);
      // Three checks hours apart: three lone points, two from the recent hours, one from the open hours.
      const dots = await page.locator('.endpoint .chart-dots').getAttribute('d');
      expect(dots?.match(/h0/g)).toHaveLength(3);
      expect(await page.locator('.endpoint .chart-line').count()).toBe(0);
    } finally {
      await close();
    }

    // As the previous version stored them: the open bucket in the overview's entry, no open hours.
    const olderDir = await makeTempDir();
    await cp(documentsDir, olderDir, { recursive: true });
    await rm(path.join(olderDir, 'recent/open-0.json'));
    const { openHoursFrom: _from, ...older } = overview;
    older.endpoints[0].recent = open.endpoints[0].recent;
    await writeFile(path.join(olderDir, 'overview.json'), JSON.stringify(older));
    const previous = await openPage(serve.url, { documentsDir: olderDir });
    try {
      await showDay(previous.page);
      expect(previous.errors).toEqual([]);
      expect(previous.requests).not.toContain('/data/recent/open-0.json');
      const dots = await previous.page.locator('.endpoint .chart-dots').getAttribute('d');
      expect(dots?.match(/h0/g)).toHaveLength(3);
    } finally {
      await previous.close();
    }
  });

  it('zooms the latency chart from 7 days to 24 hours, fetching the recent hours then, and to 90 days', async () => {
    const serve = await serveSummary(generateSummary({ now: Date.now(), endpoints: 2 }));
    const { page, requests, close } = await openPage(serve.url);
    try {
      const caption = page.locator('.endpoint').first().locator('figcaption');
      expect(await caption.textContent()).toContain('last 7 days');
      expect(requests.some((pathname) => pathname.startsWith('/data/recent/'))).toBe(false);
      await showDay(page);
      expect(await caption.textContent()).toContain('last 24 h');
      expect(await page.locator('.endpoint').first().locator('.chart-line').count()).toBe(1);
      expect(requests.filter((pathname) => pathname.startsWith('/data/recent/0-'))).toHaveLength(25);
      // checkup serve draws the open hours from the summary, as it draws the other documents.
      expect(requests).toContain('/data/recent/open-0.json');
      const open = await fetch(`${serve.url}/data/recent/open-0.json`);
      expect(open.status).toBe(200);
      expect((await open.json()).endpoints.map((entry: { title: string }) => entry.title)).toHaveLength(2);
      expect((await fetch(`${serve.url}/data/recent/open-1.json`)).status).toBe(404);
      expect(await page.locator('.endpoint').first().locator('.chart-threshold').count()).toBe(1);
      await page.getByRole('radio', { name: '90 d' }).check();
      expect(await caption.textContent()).toContain('last 90 days');
    } finally {
      await close();
    }
  });

  it('fetches raw runs only when a reader opens recent checks', async () => {
    const summary = generateSummary({ now: Date.now(), endpoints: 2 });
    const serve = await serveSummary(summary);
    for (const [i, name] of summary.recentRuns.slice(0, 3).entries()) {
      const timestamp = Number(name.split('-')[0]);
      await writeFile(
        path.join(serve.dataDir, name),
        JSON.stringify([
          {
            title: 'Service 01 API',
            endpoint: 'https://svc1.example.com/health',
            timestamp,
            times: [{ rtt: 1e6, error: `refused ${i}` }],
            down: true,
          },
          {
            title: 'Service 02 Website',
            endpoint: 'https://svc2.example.com/health',
            timestamp,
            times: [{ rtt: 2e6 }],
            healthy: true,
          },
        ]),
      );
    }
    const { page, requests, close } = await openPage(serve.url);
    try {
      expect(requests.some((pathname) => pathname.startsWith('/data/runs/'))).toBe(false);
      await page.locator('.endpoint').first().getByText('Recent checks').click();
      const rows = page.locator('.endpoint').first().locator('.runs tbody tr');
      await rows.first().waitFor();
      expect(await rows.count()).toBe(3);
      expect(await rows.first().textContent()).toContain('refused 0');
      const runRequests = requests.filter((pathname) => pathname.startsWith('/data/runs/'));
      expect(runRequests.length).toBeGreaterThan(0);
      expect(runRequests.length).toBeLessThanOrEqual(10);
    } finally {
      await close();
    }
  });

  it('fits a phone screen and follows the dark colour scheme', async () => {
    const serve = await serveSummary(generateSummary({ now: Date.now(), endpoints: 5 }));
    const phone = await openPage(serve.url, { width: 360 });
    const dark = await openPage(serve.url, { colorScheme: 'dark' });
    try {
      expect(await phone.page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
      const background = (page: Page) => page.evaluate(() => getComputedStyle(document.body).backgroundColor);
      expect(await background(phone.page)).toBe('rgb(247, 248, 250)');
      expect(await background(dark.page)).toBe('rgb(13, 17, 23)');
    } finally {
      await phone.close();
      await dark.close();
    }
  });

  it('keeps text contrast at WCAG AA (4.5:1) in light and dark', async () => {
    // A current page shows the verdicts; one not reporting shows its notice and unknown statuses.
    const current = await serveSummary(generateSummary({ now: Date.now(), endpoints: 5 }));
    const stale = await serveSummary(generateSummary({ now: Date.now() - 3 * 3_600_000, endpoints: 3 }));
    for (const [colorScheme, serve] of [
      ['light', current],
      ['dark', current],
      ['light', stale],
      ['dark', stale],
    ] as const) {
      const { page, close } = await openPage(serve.url, { colorScheme });
      try {
        const ratios = await page.evaluate(() => {
          const rgb = (color: string) => (color.match(/[\d.]+/g) ?? []).map(Number);
          const luminance = (color: string) => {
            const [r = 0, g = 0, b = 0] = rgb(color).map((v) => {
              const c = v / 255;
              return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
            });
            return 0.2126 * r + 0.7152 * g + 0.0722 * b;
          };
          const background = (node: Element | null): string => {
            for (let at = node; at; at = at.parentElement) {
              const color = getComputedStyle(at).backgroundColor;
              const alpha = rgb(color)[3];
              if (color !== 'transparent' && alpha !== 0) return color;
            }
            return 'rgb(255, 255, 255)';
          };
          const selectors = [
            '#banner',
            '#title',
            '.updated',
            ...(document.querySelector('.notice--stale')
              ? ['.notice--stale', '.status--unknown']
              : ['.status--down', '.status--degraded', '.status--healthy', '.regions li']),
            '.endpoint h3',
            '.endpoint-url',
            '.uptime dt',
            '.uptime dd',
            '.day-detail',
            'figcaption',
            '.facts',
            '.event time',
            '.event',
            '.range legend',
            'a',
          ];
          return selectors.map((selector) => {
            const node = document.querySelector(selector);
            if (!node) return { selector, ratio: 0 };
            const [light, dark] = [luminance(getComputedStyle(node).color), luminance(background(node))].sort(
              (a, b) => b - a,
            );
            return {
              selector,
              ratio: Math.round((((light ?? 0) + 0.05) / ((dark ?? 0) + 0.05)) * 100) / 100,
            };
          });
        });
        for (const { selector, ratio } of ratios)
          expect(ratio, `${colorScheme} ${selector}`).toBeGreaterThanOrEqual(4.5);
      } finally {
        await close();
      }
    }
  });
});

describe('status page: maintenance and incidents', () => {
  it('shows maintenance under way and scheduled, open incidents first with their updates, and past ones linked from a day', async () => {
    const now = Date.now();
    const summary = generateSummary({ now, endpoints: 2 });
    const [first] = summary.endpoints;
    const yesterdayDay = new Date(now - 86_400_000).toISOString().slice(0, 10);
    const yesterday = first?.days.find((day) => day.day === yesterdayDay);
    expect(yesterday).toBeDefined();
    if (yesterday)
      Object.assign(yesterday, { checks: 0, healthy: 0, degraded: 0, down: 0, maintenance: 288 });
    const hostile = '<img src=x onerror="document.title=\'owned\'"> DB';
    const serve = await serveSummary(summary);
    const state = {
      version: 1,
      endpoints: {},
      outbox: [],
      maintenance: [
        {
          id: 'm1',
          name: hostile,
          endpoints: [first?.title],
          start: now - 600_000,
          durationMs: 3_600_000,
          timezone: 'UTC',
        },
        {
          id: 'm2',
          name: 'Network switch swap',
          start: now + 2 * 86_400_000,
          durationMs: 1_800_000,
          timezone: 'UTC',
        },
        { id: 'm3', name: 'Far away', start: now + 9 * 86_400_000, durationMs: 1_800_000, timezone: 'UTC' },
      ],
      incidents: [
        {
          id: 'i-old',
          title: 'Old outage',
          endpoints: [],
          status: 'resolved',
          source: 'manual',
          opened: now - 3 * 86_400_000,
          resolved: now - 3 * 86_400_000 + 600_000,
          updates: [
            { at: now - 3 * 86_400_000, status: 'investigating', message: 'Looking.' },
            { at: now - 3 * 86_400_000 + 600_000, status: 'resolved', message: 'Fixed.' },
          ],
        },
        {
          id: 'i-open',
          title: hostile,
          endpoints: [first?.title],
          status: 'identified',
          source: 'manual',
          opened: now - 1_200_000,
          updates: [
            {
              at: now - 1_200_000,
              status: 'investigating',
              message: 'Slow answers, see https://example.com/s',
            },
            { at: now - 600_000, status: 'identified', message: 'A bad deploy.' },
          ],
        },
      ],
    };
    await writeFile(path.join(serve.dataDir, 'alert-state.json'), JSON.stringify({ version: 1, state }));
    const { page, errors, close } = await openPage(serve.url);
    try {
      await page.waitForSelector('#announcements .incidents');
      expect(errors).toEqual([]);
      expect(await page.title()).not.toBe('owned');
      expect(await page.locator('#announcements img').count()).toBe(0);
      const maintenance = await page.locator('.maintenance li').allTextContents();
      expect(maintenance).toHaveLength(2);
      expect(maintenance[0]).toContain(`Under way: ${hostile} (${first?.title})`);
      expect(maintenance[1]).toContain('Scheduled: Network switch swap (all endpoints)');
      // Open incidents come first, newest update first; the past ones are folded away.
      expect(await text(page, '.incidents > .incident h3')).toBe(`${hostile} identified`);
      const updates = await page.locator('.incidents > .incident li').allTextContents();
      expect(updates.map((update) => update.replace(/^.*? (investigating|identified)/, '$1'))).toEqual([
        'identified: A bad deploy.',
        'investigating: Slow answers, see https://example.com/s',
      ]);
      expect(await page.locator('.incidents > .incident a').getAttribute('href')).toBe(
        'https://example.com/s',
      );
      expect(await page.locator('#past-incidents').getAttribute('open')).toBeNull();
      expect(await text(page, '#past-incidents summary')).toBe('Past incidents (1, last 90 days)');

      // The day in maintenance has its own colour and says so; its detail links to the history.
      const bar = page.locator('.days').first();
      expect(await bar.evaluate((node) => (node as HTMLElement).style.backgroundImage)).toContain(
        '--maintenance-bar',
      );
      await bar.focus();
      await page.keyboard.press('End');
      await page.keyboard.press('ArrowLeft');
      expect(await text(page, '.day-detail')).toContain('288 checks in maintenance');
      await page.locator('.day-detail a').click();
      expect(new URL(page.url()).hash).toBe('#past-incidents');
    } finally {
      await close();
    }
  });
});
