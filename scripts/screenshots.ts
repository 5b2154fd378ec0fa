// Takes the docs' screenshots of the status page (light, dark, phone width, the cards view, and the
// top of the page with maintenance and an incident) from a generated 50 x 90 days history in five
// groups served by the real `checkup serve`. Run: npx tsx scripts/screenshots.ts
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { launchChromium } from '../test/helpers/chromium.js';
import { generateSummary } from '../test/helpers/generate-summary.js';
import { startServe } from '../test/helpers/start-serve.js';
import { makeTempDir, removeTempDirs } from '../test/helpers/temp-dir.js';

const OUT = 'docs/screenshots';
const SHOTS = [
  { name: 'light', colorScheme: 'light', width: 1100, height: 2000, hash: '' },
  { name: 'dark', colorScheme: 'dark', width: 1100, height: 2000, hash: '' },
  { name: 'phone', colorScheme: 'light', width: 390, height: 1400, hash: '' },
  { name: 'cards', colorScheme: 'light', width: 1100, height: 1400, hash: '#view=cards' },
] as const;
const GROUPS = ['Storefront', 'Payments', 'Accounts', 'Platform', 'Internal tools'];

const serve = await startServe(await makeTempDir(), {
  status_page: {
    title: 'Example Status',
    description: 'Health of the example services. Incidents: https://example.com/incidents',
  },
});
const browser = await launchChromium();
try {
  await writeFile(
    path.join(serve.dataDir, 'summary.json'),
    JSON.stringify(generateSummary({ now: Date.now(), groups: GROUPS })),
  );
  for (const shot of SHOTS) {
    const context = await browser.newContext({
      colorScheme: shot.colorScheme,
      viewport: { width: shot.width, height: shot.height },
    });
    const page = await context.newPage();
    page.on('pageerror', (error) => console.error('page error:', error.message));
    await page.goto(`${serve.url}/${shot.hash}`);
    await page.waitForSelector('html[data-state="ready"]');
    await page.waitForSelector('.endpoint[data-history="loaded"]');
    // Show the day detail of the second endpoint, as a pointer would.
    const bar = page.locator('.days').nth(1);
    const box = await bar.boundingBox();
    if (box) await page.mouse.move(box.x + box.width * 0.6, box.y + box.height / 2);
    await page.screenshot({ path: path.join(OUT, `${shot.name}.png`) });
    await context.close();
    console.log(`${OUT}/${shot.name}.png`);
  }
  await shootNotices();
} finally {
  await browser.close();
  await serve.stop();
  await removeTempDirs();
}

/** Maintenance under way and scheduled, an open incident and a past one, as the top of the page shows them. */
async function shootNotices(): Promise<void> {
  const now = Date.now();
  const hour = 3_600_000;
  const state = {
    version: 1,
    endpoints: {},
    outbox: [],
    maintenance: [
      {
        id: 'm1',
        name: 'Database upgrade',
        endpoints: ['Service 01 API'],
        start: now - hour / 4,
        durationMs: hour,
        timezone: 'UTC',
      },
      {
        id: 'm2',
        name: 'Network switch swap',
        start: now + 50 * hour,
        durationMs: hour / 2,
        timezone: 'UTC',
      },
    ],
    incidents: [
      {
        id: 'i1',
        title: 'Checkout errors',
        endpoints: ['Service 01 API'],
        status: 'identified',
        source: 'manual',
        opened: now - hour / 2,
        updates: [
          {
            at: now - hour / 2,
            status: 'investigating',
            message: 'Some payments fail; we are looking into it.',
          },
          {
            at: now - hour / 6,
            status: 'identified',
            message: 'A bad deploy; rolling back. Details: https://example.com/incidents/42',
          },
        ],
      },
      {
        id: 'i0',
        title: 'Slow search',
        endpoints: ['Service 02 Website'],
        status: 'resolved',
        source: 'auto',
        opened: now - 30 * hour,
        resolved: now - 29 * hour,
        updates: [
          { at: now - 30 * hour, status: 'investigating', message: 'timeout after 10s' },
          { at: now - 29 * hour, status: 'resolved', message: 'Recovered after 58m0s.' },
        ],
      },
    ],
  };
  await writeFile(path.join(serve.dataDir, 'alert-state.json'), JSON.stringify({ version: 1, state }));
  for (const name of ['maintenance', 'incident'] as const) {
    const context = await browser.newContext({
      colorScheme: 'light',
      viewport: { width: 1100, height: 900 },
    });
    const page = await context.newPage();
    await page.goto(serve.url);
    await page.waitForSelector('#announcements .incidents');
    if (name === 'incident') {
      await page.locator('#past-incidents summary').click();
      await page.locator('#incidents').scrollIntoViewIfNeeded();
    }
    await page.screenshot({ path: path.join(OUT, `${name}.png`) });
    await context.close();
    console.log(`${OUT}/${name}.png`);
  }
}
