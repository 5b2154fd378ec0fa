import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { htmlRenderings, textRenderings } from '../../helpers/alert-renderings.js';
import { shopDownAlert } from '../../helpers/sample-alerts.js';

const doc = () => readFile(new URL('../../../docs/alerts.md', import.meta.url), 'utf8');

describe('the rendered alerts in docs/alerts.md', () => {
  it('show the text media exactly as the notifiers write them now (npx tsx scripts/alert-renderings.ts)', async () => {
    const section = /<!-- rendered: start [^>]*-->\n\n([\s\S]*?)\n\n<!-- rendered: end -->/.exec(
      await doc(),
    )?.[1];
    expect(section).toBe(textRenderings());
  });

  it('show an image of every HTML and card medium', async () => {
    const text = await doc();
    for (const name of Object.keys(htmlRenderings())) {
      expect(text).toContain(`(screenshots/alert-${name}.png)`);
      expect(existsSync(new URL(`../../../docs/screenshots/alert-${name}.png`, import.meta.url))).toBe(true);
    }
  });

  it('escape what a result says in every HTML rendering, as each medium does', () => {
    const hostile = shopDownAlert({
      id: 'x|Shop|1|down',
      notifierId: 'x',
      title: 'Shop <img src=x onerror=alert(1)>',
      error: '<script>alert(2)</script>',
    });
    for (const [name, html] of Object.entries(htmlRenderings(hostile))) {
      expect(html, name).not.toMatch(/<img src=x|<script>/);
      expect(html, name).toContain('Shop &lt;img src=x');
    }
  });
});
