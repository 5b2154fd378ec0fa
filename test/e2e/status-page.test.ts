import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { StatusSummary } from '../../core/summary/summary-types.js';
import { launchChromium } from '../helpers/chromium.js';
import { generateSummary } from '../helpers/generate-summary.js';
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
async function openPage(url: string, options: { colorScheme?: 'light' | 'dark'; width?: number } = {}) {
  const context = await browser.newContext({
    colorScheme: options.colorScheme ?? 'light',
    viewport: { width: options.width ?? 1100, height: 900 },
  });
  const page = await context.newPage();
  const requests: string[] = [];
  const errors: string[] = [];
  page.on('request', (request) => requests.push(new URL(request.url()).pathname));
  page.on('pageerror', (error) => errors.push(error.message));
  await page.goto(url);
  await page.waitForSelector('html[data-state="ready"], html[data-state="failed"]', { timeout: 30_000 });
  return { page, requests, errors, close: () => context.close() };
}

const text = (page: Page, selector: string) => page.locator(selector).first().textContent();

describe('status page', () => {
  it('renders 50 endpoints with 90 days each, the banner and the figures, from at most 3 data requests', async () => {
    const summary = generateSummary({ now: Date.now() });
    const serve = await serveSummary(summary);
    const { page, requests, errors, close } = await openPage(serve.url);
    try {
      expect(errors).toEqual([]);
      expect(await text(page, '#banner')).toBe('Service Disruption');
      expect(await page.locator('.endpoint').count()).toBe(50);
      expect(await page.locator('.endpoint').nth(10).locator('.day').count()).toBe(90);
      expect(await page.locator('.day').count()).toBe(50 * 90);
      const first = page.locator('.endpoint').first();
      expect(await first.locator('h3').textContent()).toBe('Service 01 API');
      expect(await first.locator('.status').textContent()).toBe('Down');
      expect(await first.textContent()).toContain('connect ECONNREFUSED 203.0.113.9:443');
      expect(await page.locator('.endpoint').nth(1).locator('.status').textContent()).toBe('Degraded');
      expect(await page.locator('.endpoint').nth(2).locator('.status').textContent()).toBe('Operational');
      const dataRequests = requests.filter((pathname) => pathname.startsWith('/data/'));
      expect(dataRequests.length).toBeLessThanOrEqual(3);
      expect(dataRequests).toContain('/data/summary.json');
      expect(dataRequests.some((pathname) => pathname.startsWith('/data/runs/'))).toBe(false);
    } finally {
      await close();
    }
  });
});
