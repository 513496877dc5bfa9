// Reaching phones in China (issue 7): the citizen flow inside WeChat's in-app browser (its user
// agent, and no clipboard, share, service worker or location APIs; copy and location fall back), the elder-friendly mode
// (适老化), axe-core on every citizen page with zero serious or critical violations, and
// screenshots of each language and the elder mode at 390×844 in tests/artifacts/.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startWorker, query, http, root, launchChromium } from './harness.mjs';

const artifacts = join(root, 'tests', 'artifacts');
mkdirSync(artifacts, { recursive: true });
const axeSource = readFileSync(join(root, 'node_modules', 'axe-core', 'axe.min.js'), 'utf8');
const WECHAT_UA = 'Mozilla/5.0 (Linux; Android 10; V1990A Build/QP1A.190711.020; wv) AppleWebKit/537.36 (KHTML, like Gecko) '
  + 'Version/4.0 Chrome/78.0.3904.62 XWEB/2693 MMWEBSDK/201001 Mobile Safari/537.36 MMWEBID/4508 '
  + 'MicroMessenger/8.0.1.1841(0x2800015D) Process/toolsmp WeChat/arm64 NetType/WIFI Language/zh_CN ABI/arm64';

let w;
let browser;
before(async () => {
  w = await startWorker();
  browser = await launchChromium();
});
after(async () => {
  await browser?.close();
  await w?.stop();
});

async function phone({ locale = 'zh-CN', ...options } = {}) {
  const context = await browser.newContext({
    viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true, locale, ...options,
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

/** Runs axe-core on the page; returns the serious and critical violations, readably. */
async function axe(page, where) {
  // page.evaluate is not subject to the page's CSP (a <script> tag would be).
  if (!(await page.evaluate(() => typeof window.axe === 'object'))) await page.evaluate(axeSource);
  const violations = await page.evaluate(async () => (await window.axe.run(document, { resultTypes: ['violations'] })).violations);
  return violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${where}: ${v.id} (${v.impact}) ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

test('inside WeChat without clipboard, share, service worker or location, a citizen still reports, copies and shares', async () => {
  const { context, page, errors } = await phone({ userAgent: WECHAT_UA });
  await context.addInitScript(() => {
    for (const name of ['clipboard', 'share', 'canShare', 'serviceWorker', 'geolocation']) {
      delete Navigator.prototype[name];
      delete navigator[name];
    }
    window.__commands = [];
    const exec = Document.prototype.execCommand;
    Document.prototype.execCommand = function (command, ...rest) {
      window.__commands.push(command);
      return exec.call(this, command, ...rest);
    };
  });
  await page.goto(`${w.base}/`);
  assert.match(await page.evaluate(() => navigator.userAgent), /MicroMessenger\/8\.0/);
  assert.equal(await page.evaluate(() => 'clipboard' in navigator || 'share' in navigator || 'serviceWorker' in navigator || 'geolocation' in navigator), false);

  await page.getByRole('link', { name: '我要举报' }).click();
  await page.getByRole('radio', { name: '随地吐痰' }).click();
  await page.getByLabel('您看到了什么？').fill('微信群里说地铁三号线站台有人随地吐痰');
  // No location service: the tap says so and the district picker is the way.
  await page.getByRole('button', { name: '添加我的大致位置（选填）' }).click();
  await page.getByText('未能获取位置，请在上面选择所在的区。').waitFor();
  await page.getByLabel('发生在哪个区').selectOption({ label: '南山区' });
  await page.getByRole('button', { name: '下一步' }).click();
  await page.getByRole('heading', { name: '照片和截图' }).waitFor();
  await page.getByRole('button', { name: '下一步' }).click();
  await page.getByRole('button', { name: '下一步' }).click();
  await page.getByRole('button', { name: '提交举报' }).click();
  const code = await page.getByTestId('receipt-code').textContent();
  await page.evaluate(() => { window.__commands = []; });
  await page.getByRole('button', { name: '复制 回执编号' }).click();
  await page.getByText(/已复制|请长按文字复制/).first().waitFor();
  assert.deepEqual(await page.evaluate(() => window.__commands), ['copy'], 'copied through the textarea fallback');
  await page.getByText(code).first().waitFor(); // the text itself stays on screen for a long-press
  await shot(page, 'wechat-receipt');
  assert.equal(query(w.stateDir, "SELECT COUNT(*) AS n FROM reports WHERE description LIKE '微信群里说地铁三号线%' AND district = 'nanshan'")[0].n, 1);
  assert.deepEqual(errors, []);
  await context.close();
});

test('the elder-friendly mode enlarges text, uses plain words and stays on after a reload', async () => {
  const { context, page, errors } = await phone();
  await page.goto(`${w.base}/`);
  const intro = page.getByText('发现网上有害信息', { exact: false });
  await intro.waitFor();
  // The home page's figures come lazily from public/figures.js (/api/stats), in the page's language.
  await page.locator('#home-figures dt', { hasText: '收到举报' }).waitFor();
  const size = () => page.evaluate(() => parseFloat(getComputedStyle(document.querySelector('.hero p')).fontSize));
  const before = await size();
  const toggle = page.getByRole('button', { name: /长辈模式/ });
  assert.equal(await toggle.getAttribute('aria-pressed'), 'false');
  await toggle.click();
  await page.getByText('点下面按钮告诉我们', { exact: false }).waitFor();
  const after = await size();
  assert.ok(after >= before * 1.2, `text grew from ${before}px to ${after}px`);
  const buttonHeight = await page.getByRole('link', { name: '我要举报' }).evaluate((el) => el.getBoundingClientRect().height);
  assert.ok(buttonHeight >= 56, `tap target ${buttonHeight}px`);

  await page.reload();
  await page.getByText('点下面按钮告诉我们', { exact: false }).waitFor();
  assert.equal(await page.getByRole('button', { name: /长辈模式/ }).getAttribute('aria-pressed'), 'true');
  assert.equal(await size(), after);
  await page.getByRole('button', { name: /长辈模式/ }).click();
  await intro.waitFor();
  assert.equal(await size(), before);
  assert.deepEqual(errors, []);
  await context.close();
});

/** Walks every citizen page (and each step of the report flow), calling `visit(name)` on each. */
async function everyPage(page, visit) {
  await page.goto(`${w.base}/`);
  await page.getByRole('link', { name: /我要举报|我要檢舉|Make a report/ }).waitFor();
  await visit('home');
  await page.goto(`${w.base}/report`);
  await page.getByRole('radio').first().waitFor();
  await visit('report-1-category');
  await page.getByRole('radio', { name: /^(谣言|謠言|Rumour)$/ }).click();
  await page.locator('#f-description').waitFor();
  await page.locator('#f-description').fill('群里说明天全市停水，是假消息');
  await page.locator('.link-row input').first().fill('https://weibo.com/1/abc');
  await visit('report-2-details');
  await page.locator('.actions .btn-primary').click();
  await page.locator('#evidence-root input[type=file]').waitFor({ state: 'attached' });
  await visit('report-3-evidence');
  await page.locator('.actions .btn-primary').click();
  await page.locator('#f-anonymous, input[type=checkbox]').first().waitFor();
  await visit('report-4-contact');
  await page.locator('.actions .btn-primary').click();
  await page.locator('.review').waitFor();
  await visit('report-5-review');
  // An offline category's details: the district picker and the location button (public/outbox.js).
  await page.evaluate(() => { localStorage.removeItem('ql.draft'); });
  await page.reload();
  await page.getByRole('radio', { name: /^(随地吐痰|隨地吐痰|Spitting)$/ }).click();
  await page.locator('#position-root button').waitFor();
  await visit('report-6-offline-details');
  await page.goto(`${w.base}/track`);
  await page.locator('#t-code').waitFor();
  await visit('track');
  await page.goto(`${w.base}/refutations`);
  await page.locator('main .card').first().waitFor();
  await page.waitForFunction(() => !document.getElementById('boot'));
  await visit('refutations');
  await page.goto(`${w.base}/stats`);
  await page.locator('.figures').waitFor();
  await visit('stats');
}

test('axe-core finds no serious or critical violation on any citizen page, normal and elder mode', async () => {
  const found = [];
  for (const elder of [false, true]) {
    const { context, page, errors } = await phone();
    if (elder) await context.addInitScript(() => localStorage.setItem('ql.elder', 'true'));
    await everyPage(page, async (name) => {
      found.push(...(await axe(page, `${elder ? 'elder' : 'zh-Hans'} ${name}`)));
      if (elder) await shot(page, `reach-elder-${name}`);
    });
    assert.deepEqual(errors, []);
    await context.close();
  }
  assert.deepEqual(found, []);
});

test('each language renders the home page and the report flow (screenshots)', async () => {
  for (const locale of ['zh-CN', 'zh-TW', 'en-US']) {
    const { context, page, errors } = await phone({ locale });
    await everyPage(page, async (name) => {
      if (['home', 'report-1-category', 'report-2-details', 'track'].includes(name)) await shot(page, `reach-${locale}-${name}`);
    });
    assert.deepEqual(errors, []);
    await context.close();
  }
});

test('the device position is asked for on a tap, kept coarse (~1 km) and seen only by staff', async () => {
  const { context, page, errors } = await phone({ geolocation: { latitude: 22.543096, longitude: 113.934311 }, permissions: ['geolocation'] });
  await page.goto(`${w.base}/report`);
  await page.getByRole('radio', { name: '随地吐痰' }).click();
  await page.getByLabel('您看到了什么？').fill('地铁口有人随地吐痰');
  await page.getByLabel('发生在哪个区').selectOption({ label: '南山区' });
  await page.getByRole('button', { name: '添加我的大致位置（选填）' }).click();
  await page.getByText('已添加大致位置（约1公里范围）').waitFor();
  await shot(page, 'reach-position-added');
  await page.getByRole('button', { name: '下一步' }).click();
  await page.getByRole('heading', { name: '照片和截图' }).waitFor();
  await page.getByRole('button', { name: '下一步' }).click();
  await page.getByRole('button', { name: '下一步' }).click();
  // The review says the position goes with the report, and who sees it; no pictures, no row.
  await page.getByText('已添加（约1公里范围），仅工作人员可见').waitFor();
  assert.equal(await page.getByTestId('review-thumbs').count(), 0);
  await shot(page, 'reach-position-review');
  await page.getByRole('button', { name: '提交举报' }).click();
  const code = (await page.getByTestId('receipt-code').textContent()).replaceAll('-', '');
  const secret = await page.getByTestId('receipt-secret').textContent();
  const rows = query(w.stateDir, `SELECT e.detail, e.is_public FROM events e JOIN reports r ON r.id = e.report_id WHERE r.receipt_code = '${code}' AND e.kind = 'device_position'`);
  assert.deepEqual(rows, [{ detail: '22.54,113.93', is_public: 0 }]);
  // The reporter's own view (and so anything public) does not carry it.
  const view = await (await http(`${w.base}/api/reports/${code}`, { headers: { 'x-receipt-secret': secret } })).text();
  assert.ok(!view.includes('22.54') && !view.includes('device_position'), view);

  // The worker validates: out of range, or finer than a hundredth of a degree, is refused.
  const send = (position) => http(`${w.base}/api/reports`, {
    method: 'POST', headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ idempotency_key: crypto.randomUUID(), category: 'spitting', description: '有人随地吐痰', district: 'nanshan', position }),
  });
  const out = await send({ lat: 9001, lon: 0 });
  assert.equal(out.status, 400);
  assert.deepEqual(await out.json(), { error: 'position_invalid', message: '位置信息有误，请移除位置后重试。', field: 'position' });
  assert.equal((await send({ lat: 22.5431, lon: 113.9343 })).status, 400);
  assert.equal((await send({ lat: 2254, lon: 11393 })).status, 201);
  assert.deepEqual(errors, []);
  await context.close();
});
