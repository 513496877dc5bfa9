// Works on a bad network, once (issue 7): a report written with the network cut waits on the phone
// (IndexedDB outbox, public/outbox.js) as 待发送, survives a reload served by the service worker
// (public/sw.js), and is stored exactly once when the network returns — checked in D1. The network
// is really cut: the browser goes offline and the worker itself is killed, then started again on the
// same address and database. Chromium at 390×844, the real worker and D1.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { startWorker, query, root, launchChromium } from './harness.mjs';

const artifacts = join(root, 'tests', 'artifacts');
mkdirSync(artifacts, { recursive: true });

let w;
let stateDir;
let browser;
before(async () => {
  w = await startWorker();
  stateDir = w.stateDir;
  browser = await launchChromium();
});
after(async () => {
  await browser?.close();
  // The worker was restarted on the same state: that one keeps the directory, removed here.
  await w?.stop({ keepState: true });
  rmSync(stateDir, { recursive: true, force: true });
});

async function phone(options = {}) {
  const context = await browser.newContext({
    viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true, locale: 'zh-CN', ...options,
  });
  await context.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => console.error(`CSP violation: ${e.violatedDirective} ${e.blockedURI}`));
  });
  const page = await context.newPage();
  // A loaded machine (several workers and browsers on two cores) can take long to load a page.
  page.setDefaultNavigationTimeout(90_000);
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  return { context, page, errors };
}

const shot = (page, name) => page.screenshot({ path: join(artifacts, `${name}.png`) });
const count = (description) => query(stateDir, `SELECT COUNT(*) AS n FROM reports WHERE description = '${description}'`)[0].n;
// What a cut network logs in the console (failed loads), as opposed to real faults.
const networkNoise = (e) => /ERR_INTERNET_DISCONNECTED|ERR_CONNECTION_REFUSED|ERR_FAILED|Failed to fetch|net::|Failed to load resource/.test(e);

/** Fills the report flow up to the review step (an offline category: district, no link). */
async function fillReport(page, description) {
  await page.getByRole('radio', { name: '闯红灯' }).click();
  await page.getByLabel('您看到了什么？').fill(description);
  await page.getByLabel('发生在哪个区').selectOption({ label: '南山区' });
  await page.getByRole('button', { name: '下一步' }).click();
  await page.getByRole('heading', { name: '照片和截图' }).waitFor();
  await page.getByRole('button', { name: '下一步' }).click();
  await page.getByRole('heading', { name: '联系方式' }).waitFor();
  await page.getByRole('button', { name: '下一步' }).click();
  await page.getByRole('button', { name: '提交举报' }).waitFor();
}

test('with the network cut a report waits on the phone, survives a reload and a poster scan, and is stored once when the network returns', async () => {
  const { context, page, errors } = await phone();
  await page.goto(`${w.base}/`);
  await page.getByRole('link', { name: '我要举报' }).waitFor();
  // The service worker installs after the app started and takes the page over (public/sw.js).
  await page.waitForFunction(() => navigator.serviceWorker && navigator.serviceWorker.controller !== null, null, { timeout: 30_000 });
  const manifest = await page.evaluate(async () => (await fetch('/manifest.webmanifest')).json());
  assert.equal(manifest.start_url, '/');
  assert.ok(manifest.icons.some((i) => i.sizes === '512x512'), 'an installable icon');

  await page.goto(`${w.base}/report`);
  const description = '离线时看到电动车连续闯红灯';
  await fillReport(page, description);
  // The network goes: the phone is offline and the server is gone.
  await context.setOffline(true);
  await w.crash();
  await page.getByRole('button', { name: '提交举报' }).click();
  const outbox = page.getByTestId('outbox');
  await outbox.getByText('待发送', { exact: true }).waitFor();
  await outbox.getByText(description).waitFor();
  await page.getByRole('button', { name: '再次举报' }).waitFor();
  await shot(page, 'offline-01-waiting');
  assert.equal(count(description), 0);

  // Still offline: the service worker serves the page, the outbox still has the report.
  await page.reload();
  await page.getByTestId('outbox').getByText(description).waitFor();
  await page.getByTestId('outbox').getByText('待发送', { exact: true }).waitFor();
  await page.getByRole('radio', { name: '闯红灯' }).waitFor(); // the form works offline (categories cached)
  await shot(page, 'offline-02-reloaded');

  // A poster scanned with no network opens the report form from the cache too.
  await page.goto(`${w.base}/report?c=bus-stop-9`);
  await page.getByText('来自宣传点：bus-stop-9').waitFor();
  await page.getByRole('radio', { name: '闯红灯' }).waitFor();
  await page.getByTestId('outbox').getByText(description).waitFor();
  await shot(page, 'offline-03-poster-scan');
  assert.equal(count(description), 0);

  // The network returns: the same worker and database on the same address.
  w = await startWorker({ stateDir, port: w.port });
  await context.setOffline(false);
  await page.getByTestId('outbox-code').waitFor({ timeout: 60_000 });
  await page.getByTestId('outbox-item').waitFor({ state: 'detached' });
  await shot(page, 'offline-04-delivered');
  assert.equal(count(description), 1);
  const code = (await page.getByTestId('outbox-code').textContent()).replaceAll('-', '');
  assert.equal(query(stateDir, `SELECT description FROM reports WHERE receipt_code = '${code}'`)[0].description, description);
  // Its receipt is kept for the track page, and nothing is sent again.
  await page.goto(`${w.base}/track`);
  await page.getByText('本机提交过的举报').waitFor();
  await page.goto(`${w.base}/`);
  await page.getByRole('link', { name: '我要举报' }).waitFor();
  await page.waitForTimeout(1000);
  assert.equal(await page.getByTestId('outbox-item').count(), 0);
  assert.equal(count(description), 1, 'no second copy after the page was left and reloaded');
  assert.deepEqual(errors.filter((e) => !networkNoise(e)), []);
  await context.close();
});

test('a send whose answer is lost and that then fails with 503 several times stores one report', async () => {
  // No service worker here, as in iOS WeChat: the page's outbox alone does the retrying.
  const { context, page, errors } = await phone({ serviceWorkers: 'block' });
  const keys = new Set();
  let posts = 0;
  await page.route('**/api/reports', async (route) => {
    if (route.request().method() !== 'POST') return route.continue();
    posts += 1;
    keys.add(route.request().postDataJSON().idempotency_key);
    if (posts === 1) {
      // The server stores the report, but the answer never reaches the phone.
      await route.fetch();
      return route.abort('connectionreset');
    }
    if (posts <= 3) return route.fulfill({ status: 503, contentType: 'text/html', body: '<h1>503 Service Unavailable</h1>' });
    return route.continue();
  });
  await page.goto(`${w.base}/report`);
  const description = '公交站旁有人随地吐痰还骂人';
  await fillReport(page, description);
  await page.getByRole('button', { name: '提交举报' }).dblclick();
  await page.getByTestId('outbox').getByText('待发送', { exact: true }).waitFor();
  assert.equal(count(description), 1, 'the first send arrived though its answer was lost');
  // The outbox retries by itself (2 s, 4 s, 8 s); when it gets through, the receipt is shown.
  await page.getByTestId('outbox-code').waitFor({ timeout: 60_000 });
  await shot(page, 'offline-05-sent-after-retries');
  assert.ok(posts >= 4, `sent ${posts} times`);
  assert.equal(keys.size, 1, 'every attempt carried the same idempotency key');
  assert.equal(count(description), 1);
  // A reload sends nothing more.
  const before = posts;
  await page.reload();
  await page.getByRole('radio', { name: '闯红灯' }).waitFor();
  await page.waitForTimeout(1000);
  assert.equal(posts, before);
  assert.equal(count(description), 1);
  assert.deepEqual(errors.filter((e) => !networkNoise(e) && !/503/.test(e)), []);
  await context.close();
});
