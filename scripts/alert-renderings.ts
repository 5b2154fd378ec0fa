// Renders each notifier's message as it reads in its medium, from the real notifier code
// (test/helpers/alert-renderings.ts): the HTML media photographed by headless Chromium into
// docs/screenshots/alert-*.png, the text media written into docs/alerts.md between its
// "rendered" markers. Run: npx tsx scripts/alert-renderings.ts
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { htmlRenderings, textRenderings } from '../test/helpers/alert-renderings.js';
import { launchChromium } from '../test/helpers/chromium.js';

const OUT = 'docs/screenshots';
const DOC = 'docs/alerts.md';
const START = '<!-- rendered: start (npx tsx scripts/alert-renderings.ts) -->';
const END = '<!-- rendered: end -->';

const doc = await readFile(DOC, 'utf8');
const from = doc.indexOf(START);
const to = doc.indexOf(END);
if (from < 0 || to < from) throw new Error(`${DOC}: the "${START}" and "${END}" markers are missing`);
await writeFile(DOC, `${doc.slice(0, from + START.length)}\n\n${textRenderings()}\n\n${doc.slice(to)}`);
console.log(DOC);

const browser = await launchChromium();
try {
  const page = await browser.newPage({ viewport: { width: 632, height: 200 }, deviceScaleFactor: 1 });
  for (const [name, html] of Object.entries(htmlRenderings())) {
    await page.setContent(html);
    const file = path.join(OUT, `alert-${name}.png`);
    await page.locator('body').screenshot({ path: file });
    console.log(file);
  }
} finally {
  await browser.close();
}
