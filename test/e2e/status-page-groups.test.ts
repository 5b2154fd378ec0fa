import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { StatusSummary } from '../../core/summary/summary-types.js';
import { launchChromium } from '../helpers/chromium.js';
import { generateSummary } from '../helpers/generate-summary.js';
import { type RunningServe, startServe } from '../helpers/start-serve.js';
import { makeTempDir, removeTempDirs } from '../helpers/temp-dir.js';

// Groups (the checkers' `group` key) and the compact view, in Debian's Chromium against the real
// `checkup serve`.

let browser: Browser;
const serves: RunningServe[] = [];
const contexts: BrowserContext[] = [];

beforeAll(async () => {
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
});
afterEach(async () => {
  await Promise.all(contexts.splice(0).map((context) => context.close()));
  await Promise.all(serves.splice(0).map((serve) => serve.stop()));
  await removeTempDirs();
});

async function serveSummary(summary: StatusSummary, config: Record<string, unknown> = {}) {
  const serve = await startServe(await makeTempDir(), config);
  serves.push(serve);
  await writeFile(path.join(serve.dataDir, 'summary.json'), JSON.stringify(summary));
  return serve;
}

/** A summary whose endpoints are in `groups` in turn, the last `ungrouped` of them in none. */
function grouped(endpoints: number, groups: string[], ungrouped = 0, now = Date.now()): StatusSummary {
  const summary = generateSummary({ now, endpoints, days: 7, groups });
  for (const endpoint of summary.endpoints.slice(endpoints - ungrouped)) delete endpoint.group;
  return summary;
}

async function newContext(options: { width?: number; colorScheme?: 'light' | 'dark' } = {}) {
  const context = await browser.newContext({
    colorScheme: options.colorScheme ?? 'light',
    viewport: { width: options.width ?? 1100, height: 900 },
  });
  contexts.push(context);
  return context;
}

/** Opens the page (in `context`, so a choice stored there is kept) and waits for the first drawn history. */
async function openPage(url: string, context?: BrowserContext) {
  const page = await (context ?? (await newContext())).newPage();
  const errors: string[] = [];
  const requests: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  page.on('request', (request) => requests.push(new URL(request.url()).pathname));
  await page.goto(url);
  await page.waitForSelector('html[data-state="ready"]', { timeout: 30_000 });
  if ((await page.locator('.endpoint').count()) > 0)
    await page.waitForSelector('.endpoint[data-history="loaded"]', { timeout: 30_000 });
  return { page, errors, requests };
}

/** Each group's header as shown: name, status word, counts, and whether it is open. */
const groupHeads = (page: Page) =>
  page.locator('details.group').evaluateAll((nodes) =>
    nodes.map((node) => ({
      name: node.querySelector('.group-name')?.textContent,
      status: node.querySelector('summary .status')?.textContent,
      counts: node.querySelector('.group-counts')?.textContent,
      open: (node as HTMLDetailsElement).open,
      drawn: node.querySelectorAll('.endpoint').length,
    })),
  );

describe('status page: groups and the compact view', () => {
  it('shows each group as a section with its worst status and counts, problem groups open, the ungrouped last as Other', async () => {
    // Endpoint 0 (down) is in Data, 1 (degraded) in Web, the rest healthy.
    const summary = grouped(20, ['Data', 'Web', 'Edge'], 2);
    const serve = await serveSummary(summary);
    const { page, errors } = await openPage(serve.url);
    expect(errors).toEqual([]);
    expect(await groupHeads(page)).toEqual([
      { name: 'Data', status: 'Down', counts: '6 endpoints, 1 down', open: true, drawn: 6 },
      { name: 'Web', status: 'Degraded', counts: '6 endpoints, 1 degraded', open: true, drawn: 6 },
      // Closed groups are not drawn until opened.
      { name: 'Edge', status: 'Operational', counts: '6 endpoints', open: false, drawn: 0 },
      { name: 'Other', status: 'Operational', counts: '2 endpoints', open: false, drawn: 0 },
    ]);
    // Problems first within a group; each row says its status in words, not only in colour.
    const data = page.locator('details.group').first();
    expect(await data.locator('.endpoint h3').first().textContent()).toBe('Service 01 API');
    expect(await data.locator('.endpoint .status').allTextContents()).toEqual([
      'Down',
      ...Array(5).fill('Operational'),
    ]);
    expect(await data.locator('.endpoint').first().textContent()).toContain('connect ECONNREFUSED');

    // Searching (every word: "service" and "1") looks in every group, closed ones too, and opens
    // those with a match; a group's status stays that of all its endpoints.
    await page.locator('#search').fill('service 1');
    await page.waitForFunction(
      () => document.getElementById('search-count')?.textContent === '11 of 20 endpoints match',
    );
    expect(await groupHeads(page)).toEqual([
      { name: 'Data', status: 'Down', counts: '4 of 6 match, 1 down', open: true, drawn: 4 },
      { name: 'Web', status: 'Degraded', counts: '3 of 6 match, 1 degraded', open: true, drawn: 3 },
      { name: 'Edge', status: 'Operational', counts: '3 of 6 match', open: true, drawn: 3 },
      { name: 'Other', status: 'Operational', counts: '1 of 2 match', open: true, drawn: 1 },
    ]);
    expect(await page.locator('.endpoint h3').allTextContents()).toEqual(
      [0, 9, 12, 15, 10, 13, 16, 11, 14, 17, 18].map((n) => summary.endpoints[n]?.title),
    );
  }, 60_000);

  it('opens and closes a group from the keyboard, draws it when opened, and keeps it so across a refresh', async () => {
    const serve = await serveSummary(grouped(20, ['Data', 'Web', 'Edge']), {
      status_page: { refresh_interval: '1s' },
    });
    const { page, errors, requests } = await openPage(serve.url);
    const edge = page.locator('details.group', { has: page.locator('.group-name', { hasText: 'Edge' }) });
    const summary = edge.locator('summary');
    expect(await edge.evaluate((node) => (node as HTMLDetailsElement).open)).toBe(false);
    await page.locator('#search').focus();
    // Tab from the search box reaches the first group header.
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toContain('Data');
    await summary.focus();
    await page.keyboard.press('Enter');
    expect(await edge.evaluate((node) => (node as HTMLDetailsElement).open)).toBe(true);
    expect(await edge.locator('.endpoint').count()).toBe(6);
    await edge.locator('.endpoint[data-history="loaded"]').first().waitFor({ timeout: 30_000 });

    // The page reloads the overview every second: the reader's choice and focus survive it.
    const loads = () => requests.filter((pathname) => pathname === '/data/overview.json').length;
    const before = loads();
    await expect.poll(loads, { timeout: 30_000 }).toBeGreaterThanOrEqual(before + 2);
    expect(await edge.evaluate((node) => (node as HTMLDetailsElement).open)).toBe(true);
    expect(await page.evaluate(() => document.activeElement?.closest('details')?.dataset.group)).toBe('Edge');

    await page.keyboard.press('Space');
    expect(await edge.evaluate((node) => (node as HTMLDetailsElement).open)).toBe(false);
    // A problem group can be closed too, and stays closed.
    const data = page.locator('details.group').first();
    await data.locator('summary').focus();
    await page.keyboard.press('Enter');
    expect(await data.evaluate((node) => (node as HTMLDetailsElement).open)).toBe(false);
    expect(errors).toEqual([]);
  }, 60_000);

  it('starts compact above 15 endpoints and with cards up to 15, and remembers the reader’s choice', async () => {
    const few = await serveSummary(generateSummary({ now: Date.now(), endpoints: 15, days: 7 }));
    const many = await serveSummary(generateSummary({ now: Date.now(), endpoints: 16, days: 7 }));
    const cards = await openPage(few.url);
    expect(await cards.page.locator('.endpoint--row').count()).toBe(0);
    expect(await cards.page.locator('.endpoint .uptime').count()).toBe(15);
    expect(await cards.page.locator('#view input[value="cards"]').isChecked()).toBe(true);
    expect(await cards.page.locator('#range').isVisible()).toBe(true);
    // No group anywhere: one plain list, no sections.
    expect(await cards.page.locator('details.group').count()).toBe(0);

    const context = await newContext();
    const compact = await openPage(many.url, context);
    const { page } = compact;
    expect(await page.locator('.endpoint--row').count()).toBe(16);
    expect(await page.locator('.endpoint--row .days').first().getAttribute('data-days')).toBe('90');
    expect(await page.locator('#view input[value="compact"]').isChecked()).toBe(true);
    // The latency range is for cards: hidden with rows.
    expect(await page.locator('#range').isVisible()).toBe(false);

    // Keyboard: the view is a radio group; the arrow key picks Cards.
    await page.locator('#view input[value="compact"]').focus();
    await page.keyboard.press('ArrowRight');
    await page.waitForSelector('.endpoint .uptime');
    expect(await page.locator('.endpoint--row').count()).toBe(0);
    expect(new URL(page.url()).hash).toBe('#view=cards');
    expect(await page.evaluate(() => document.activeElement?.getAttribute('value'))).toBe('cards');

    // A new visit in the same browser, without the hash, keeps cards.
    const again = await openPage(many.url, context);
    expect(await again.page.locator('.endpoint--row').count()).toBe(0);
    expect(await again.page.locator('.endpoint .uptime').count()).toBe(16);
    // A shared link with the hash wins over what is stored.
    const linked = await openPage(`${many.url}/#view=compact`, context);
    expect(await linked.page.locator('.endpoint--row').count()).toBe(16);
    expect([cards.errors, compact.errors, again.errors, linked.errors].flat()).toEqual([]);
  }, 60_000);

  it('shows hostile group and endpoint names as text and executes nothing', async () => {
    const payload =
      '<script>window.__pwned = 1</script><img src=x onerror="window.__pwned = 2">"><svg onload=window.__pwned=3>';
    const summary = grouped(18, [`Group ${payload}`, 'Plain']);
    const [first] = summary.endpoints;
    if (!first) throw new Error('no endpoint');
    first.title = `Evil ${payload}`;
    first.error = `boom ${payload}`;
    const serve = await serveSummary(summary);
    const { page, errors } = await openPage(serve.url);
    const found = await page.evaluate(() => ({
      pwned: (window as unknown as { __pwned?: number }).__pwned,
      scripts: document.querySelectorAll('script').length,
      injected: document.querySelectorAll('img, iframe, object, embed, main svg:not(.chart)').length,
      handlers: [...document.querySelectorAll('*')].flatMap((node) =>
        [...node.attributes].filter((attribute) => /^on/i.test(attribute.name)).map((a) => a.name),
      ),
      group: document.querySelector('.group-name')?.textContent,
      groupAttribute: document.querySelector('details.group')?.getAttribute('data-group'),
      heading: document.querySelector('.endpoint--row h3')?.textContent,
      note: document.querySelector('.endpoint--row .note')?.textContent,
    }));
    expect(found).toEqual({
      pwned: undefined,
      scripts: 1,
      injected: 0,
      handlers: [],
      group: `Group ${payload}`,
      groupAttribute: `Group ${payload}`,
      heading: `Evil ${payload}`,
      note: `boom ${payload}`,
    });
    // A hostile group can be closed and found again by its endpoints.
    await page.locator('details.group summary').first().click();
    await page.locator('#search').fill('evil');
    await page.waitForFunction(() => document.querySelectorAll('.endpoint').length === 1);
    expect(await page.locator('.group-name').allTextContents()).toEqual([`Group ${payload}`]);
    expect(errors).toEqual([]);
  }, 60_000);

  it('draws only what is near the screen when monitoring is not reporting and every group is open', async () => {
    // 400 endpoints in 40 groups, three hours without a run: every endpoint unknown, so every
    // group has a problem and is open.
    const groups = Array.from({ length: 40 }, (_, i) => `Group ${String(i + 1).padStart(2, '0')}`);
    const serve = await serveSummary(grouped(400, groups, 0, Date.now() - 3 * 3_600_000));
    const { page, errors } = await openPage(serve.url);
    const heads = await groupHeads(page);
    expect(heads).toHaveLength(40);
    expect(heads.every((head) => head.open && head.status === 'Unknown')).toBe(true);
    const drawn = heads.filter((head) => head.drawn > 0).length;
    expect(drawn).toBeGreaterThanOrEqual(2);
    expect(drawn).toBeLessThan(20);
    // Scrolling to the last group draws it.
    await page.locator('details.group').last().scrollIntoViewIfNeeded();
    await page.waitForFunction(
      () => document.querySelector('details.group:last-of-type')?.querySelectorAll('.endpoint').length === 10,
      null,
      { timeout: 30_000 },
    );
    expect(errors).toEqual([]);
  }, 60_000);

  it('stays responsive with 10,000 endpoints in 100 groups: a bounded first draw, search, and a group opened by keyboard', async () => {
    const groups = Array.from({ length: 100 }, (_, i) => `Team ${String(i + 1).padStart(3, '0')}`);
    const summary = grouped(10_000, groups);
    const serve = await serveSummary(summary);
    // serve parses the summary once, on the first request: not the page's time to measure.
    expect((await fetch(`${serve.url}/data/overview.json`)).status).toBe(200);
    const { page, errors, requests } = await openPage(serve.url);
    expect(await page.locator('details.group').count()).toBe(100);
    // Two groups have a problem (endpoints 0 and 1) and are open; the first draws 50 rows and
    // "50 more…", the second, below the screen, waits until it comes near.
    const open = page.locator('details.group[open]');
    expect(await open.count()).toBe(2);
    expect(await page.locator('.endpoint--row').count()).toBe(50);
    expect(await page.locator('.more').allTextContents()).toEqual(['50 more…']);
    expect(await page.evaluate(() => document.querySelectorAll('*').length)).toBeLessThan(2_500);
    await open.nth(1).scrollIntoViewIfNeeded();
    await open.nth(1).locator('.endpoint--row').nth(49).waitFor({ timeout: 30_000 });
    const firstRender = requests
      .filter((pathname) => pathname.startsWith('/data/') && pathname !== '/data/notices.json')
      .sort();
    expect(firstRender[0]).toBe('/data/history/0.json');
    expect(firstRender).toContain('/data/overview.json');

    // The search input still answers: one endpoint of 10,000, in its group.
    await page.locator('#search').fill('service 9999');
    await page.waitForFunction(
      () => document.getElementById('search-count')?.textContent === '1 of 10000 endpoints match',
      null,
      { timeout: 30_000 },
    );
    expect(await page.locator('.endpoint h3').allTextContents()).toEqual([summary.endpoints[9998]?.title]);
    expect(await page.locator('.group-name').allTextContents()).toEqual([summary.endpoints[9998]?.group]);

    // Opening a closed group from the keyboard draws its first 50.
    await page.locator('#search').fill('');
    const team = page.locator('details.group', { has: page.locator('.group-name', { hasText: 'Team 050' }) });
    await team.locator('summary').focus();
    await page.keyboard.press('Enter');
    expect(await team.locator('.endpoint--row').count()).toBe(50);
    expect(await team.locator('.more').textContent()).toBe('50 more…');
    // In a group the rest is a button, not drawn on scrolling (that would keep the next groups away).
    await team.locator('.more button').focus();
    await page.keyboard.press('Enter');
    await team.locator('.endpoint--row').nth(99).waitFor({ timeout: 30_000 });
    expect(await team.locator('.more').count()).toBe(0);
    // The button is gone: the focus is on the first new endpoint's bar (Team 050's 51st: 5050th).
    expect(
      await page.evaluate(() => document.activeElement?.closest<HTMLElement>('li.endpoint')?.dataset.title),
    ).toBe(summary.endpoints[5049]?.title);
    expect(errors).toEqual([]);
  }, 180_000);

  it('keeps the compact rows and group headers readable (WCAG AA) in light and dark, and fits a phone', async () => {
    const serve = await serveSummary(grouped(20, ['Data', 'Web']));
    for (const colorScheme of ['light', 'dark'] as const) {
      const { page } = await openPage(serve.url, await newContext({ colorScheme }));
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
            if (color !== 'transparent' && rgb(color)[3] !== 0) return color;
          }
          return 'rgb(255, 255, 255)';
        };
        return [
          '.group-name',
          '.group-head .status--down',
          '.group-counts',
          '.endpoint--row h3',
          '.endpoint--row .status--healthy',
          '.row-uptime',
          '.row-uptime span',
          '.endpoint--row .note',
        ].map((selector) => {
          const node = document.querySelector(selector);
          if (!node) return { selector, ratio: 0 };
          const [high, low] = [luminance(getComputedStyle(node).color), luminance(background(node))].sort(
            (a, b) => b - a,
          );
          return { selector, ratio: Math.round((((high ?? 0) + 0.05) / ((low ?? 0) + 0.05)) * 100) / 100 };
        });
      });
      for (const { selector, ratio } of ratios)
        expect(ratio, `${colorScheme} ${selector}`).toBeGreaterThanOrEqual(4.5);
    }
    const phone = await openPage(serve.url, await newContext({ width: 360 }));
    expect(await phone.page.locator('.endpoint--row').count()).toBeGreaterThan(0);
    expect(await phone.page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
  }, 60_000);
});
