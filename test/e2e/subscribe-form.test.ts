// The page's subscribe form in headless Chromium: shown only when the page settings name where it
// posts (a deployment with subscriptions), labelled, usable from the keyboard, and never showing
// the address back. The page is served by the built `checkup serve`, whose settings carry no
// subscribe URL (no SNS locally): the test hands the page settings of a deployment instead, and a
// loopback server stands in for the function URL with its CORS (the subscribe function itself is
// tested in test/functions/deployed-subscriptions.test.ts). checkup serve's CSP allows only its own
// origin, as it should locally; CloudFront's names function URLs (asserted on the template), so
// the CSP is bypassed here.
import type http from 'node:http';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pageSettings } from '../../core/summary/page-settings.js';
import { launchChromium } from '../helpers/chromium.js';
import { type RunningServer, startHttpServer } from '../helpers/servers.js';
import { type RunningServe, startServe } from '../helpers/start-serve.js';
import { makeTempDir, removeTempDirs } from '../helpers/temp-dir.js';

let browser: Browser;
let serve: RunningServe;
let functionUrl: RunningServer;
const posted: Array<{ origin: string | undefined; type: string | undefined; body: string }> = [];
let answers: Array<{ status: number; headers?: Record<string, string> }> = [];

beforeAll(async () => {
  browser = await launchChromium();
  serve = await startServe(await makeTempDir(), { status_page: { title: 'Local status' } });
  // As a function URL with CORS for the page's origin: the CORS headers on every answer, and
  // preflights answered without calling the function.
  functionUrl = await startHttpServer((request: http.IncomingMessage, response: http.ServerResponse) => {
    const cors = {
      'access-control-allow-origin':
        request.headers.origin === serve.url ? serve.url : 'https://page.example',
      'access-control-expose-headers': 'retry-after',
    };
    if (request.method === 'OPTIONS') {
      response.writeHead(204, { ...cors, 'access-control-allow-methods': 'POST' });
      return void response.end();
    }
    let body = '';
    request.on('data', (chunk) => {
      body += chunk;
    });
    request.on('end', () => {
      posted.push({ origin: request.headers.origin, type: request.headers['content-type'], body });
      const answer = answers.shift() ?? { status: 202 };
      response.writeHead(answer.status, { ...cors, 'content-type': 'text/plain', ...answer.headers });
      response.end('answer text the page does not show\n');
    });
  });
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await serve?.stop();
  await functionUrl?.close();
  await removeTempDirs();
});

async function openPage(subscribeUrl: string | undefined): Promise<Page> {
  const context = await browser.newContext({ bypassCSP: true });
  const page = await context.newPage();
  if (subscribeUrl)
    await page.route('**/data/page.json', (route) =>
      route.fulfill({
        status: 200,
        contentType: 'application/json',
        body: JSON.stringify({ ...pageSettings({ title: 'Acme status' }), subscribeUrl }),
      }),
    );
  await page.goto(serve.url);
  await page.waitForSelector('html[data-state="ready"], html[data-state="failed"]');
  // The settings are drawn once they are in (the title says which were): only then is the form there or not.
  const title = subscribeUrl ? 'Acme status' : 'Local status';
  await page.waitForFunction((expected) => document.getElementById('title')?.textContent === expected, title);
  return page;
}

describe('the subscribe form', () => {
  it('is absent when the page settings name no subscribe URL (checkup serve), while the Atom feed is linked', async () => {
    const page = await openPage(undefined);
    expect(await page.locator('form').count()).toBe(0);
    expect(await page.locator('#subscribe').innerHTML()).toBe('');
    expect(await page.locator('a[href="/data/feed.atom"]').count()).toBe(1);
    expect(
      await page.locator('link[rel="alternate"][type="application/atom+xml"]').getAttribute('href'),
    ).toBe('/data/feed.atom');
    await page.context().close();
  });

  it('subscribes from the keyboard, posts the address form-encoded, and shows only the outcome', async () => {
    const page = await openPage(`${functionUrl.url}/`);
    const field = page.getByLabel('E-mail address');
    await field.waitFor();
    expect(await page.getByRole('heading', { name: 'Get updates by e-mail' }).count()).toBe(1);
    await field.focus();
    await page.keyboard.type('reader@example.com');
    await page.keyboard.press('Enter');
    const status = page.getByRole('status').filter({ hasText: 'inbox' });
    await status.waitFor();
    expect(posted.at(-1)).toEqual({
      origin: serve.url,
      type: 'application/x-www-form-urlencoded',
      body: 'email=reader%40example.com',
    });
    expect(await field.inputValue()).toBe('');
    const text = await page.evaluate(() => document.body.textContent + document.body.innerHTML);
    expect(text).not.toContain('reader@example.com');
    expect(text).not.toContain('answer text');
    await page.context().close();
  });

  it('says how long to wait after a 429, and that it failed when the function is unreachable', async () => {
    const page = await openPage(`${functionUrl.url}/`);
    const field = page.getByLabel('E-mail address');
    await field.waitFor();
    answers = [{ status: 429, headers: { 'retry-after': '1800' } }];
    await field.fill('reader@example.com');
    await page.getByRole('button', { name: 'Subscribe' }).click();
    await page.getByText('Too many requests. Try again in 30 minutes.').waitFor();
    answers = [{ status: 400 }];
    await page.getByRole('button', { name: 'Subscribe' }).click();
    await page.getByText('That does not look like an e-mail address.').waitFor();
    await page.context().close();

    const closed = await openPage('http://127.0.0.1:9/');
    const closedField = closed.getByLabel('E-mail address');
    await closedField.waitFor();
    await closedField.fill('reader@example.com');
    await closed.getByRole('button', { name: 'Subscribe' }).click();
    await closed.getByText('Subscribing failed. Try again later.').waitFor();
    await closed.context().close();
  });
});
