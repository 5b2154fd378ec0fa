// Takes the README's screenshots of the status page (light, dark, phone width) from a
// generated 50 x 90 days history served by the real `checkup serve`. Run: npx tsx scripts/screenshots.ts
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { launchChromium } from '../test/helpers/chromium.js';
import { generateSummary } from '../test/helpers/generate-summary.js';
import { startServe } from '../test/helpers/start-serve.js';
import { makeTempDir, removeTempDirs } from '../test/helpers/temp-dir.js';

const OUT = 'docs/screenshots';
const SHOTS = [
  { name: 'light', colorScheme: 'light', width: 1100, height: 1400 },
  { name: 'dark', colorScheme: 'dark', width: 1100, height: 1400 },
  { name: 'phone', colorScheme: 'light', width: 390, height: 1400 },
] as const;

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
    JSON.stringify(generateSummary({ now: Date.now() })),
  );
  for (const shot of SHOTS) {
    const context = await browser.newContext({
      colorScheme: shot.colorScheme,
      viewport: { width: shot.width, height: shot.height },
    });
    const page = await context.newPage();
    page.on('pageerror', (error) => console.error('page error:', error.message));
    await page.goto(serve.url);
    await page.waitForSelector('html[data-state="ready"]');
    // Show the day detail of the second endpoint, as a pointer would.
    const bar = page.locator('.days').nth(1);
    const box = await bar.boundingBox();
    if (box) await page.mouse.move(box.x + box.width * 0.6, box.y + box.height / 2);
    await page.screenshot({ path: path.join(OUT, `${shot.name}.png`) });
    await context.close();
    console.log(`${OUT}/${shot.name}.png`);
  }
} finally {
  await browser.close();
  await serve.stop();
  await removeTempDirs();
}
