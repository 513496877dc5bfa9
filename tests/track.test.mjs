// The reporter's side in a real browser (issue 4): a case driven to resolved through the staff API,
// tracked on a 390×844 phone from the receipt link, rated 基本满意 with a comment (checked in D1),
// and the /stats page's figures and inline SVG charts checked against the API's numbers.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { startWorker, query, root, http, launchChromium } from './harness.mjs';
import { setUpStaff } from './staff-fixture.mjs';

const artifacts = join(root, 'tests', 'artifacts');
mkdirSync(artifacts, { recursive: true });

let w;
let s;
let browser;
before(async () => {
  w = await startWorker();
  s = await setUpStaff(w);
  browser = await launchChromium();
});
after(async () => {
  await browser?.close();
  await w?.stop();
});

async function phone() {
  const context = await browser.newContext({
    viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true, locale: 'zh-CN',
  });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  return { context, page, errors };
}

const shot = (page, name) => page.screenshot({ path: join(artifacts, `${name}.png`), fullPage: true });
const ok = async (who, id, action) => {
  const res = await s.act(who, id, action);
  assert.equal(res.status, 200, res.text);
};

test('the reporter sees the department and reply, rates 基本满意 with a comment, and D1 has the rating', async () => {
  const r = await s.fileReport();
  await ok('handler', r.id, { action: 'accept' });
  await ok('handler', r.id, { action: 'transfer', department: 'police' });
  await ok('police', r.id, { action: 'reply', text: '已受理，正在调查。' });
  await ok('handler', r.id, { action: 'resolve', reply: '涉事账号已封禁。' });

  const { context, page, errors } = await phone();
  await page.goto(`${w.base}/track#code=${encodeURIComponent(r.code)}&secret=${encodeURIComponent(r.secret)}`);
  const timeline = page.locator('ol.timeline');
  await timeline.getByText('公安局').waitFor();
  await timeline.getByText('已受理，正在调查。').waitFor();
  await timeline.getByText('涉事账号已封禁。').waitFor();
  await page.getByTestId('reopen-form').waitFor();
  await shot(page, 'track-01-resolved');

  // Sending without a choice says so, without calling the server.
  const form = page.getByTestId('rating-form');
  await form.getByRole('button', { name: '提交评价' }).click();
  await form.getByRole('alert').getByText('请选择一项评价。').waitFor();

  await form.getByRole('radio', { name: '基本满意' }).check();
  await form.getByLabel('补充说明').fill('处理及时，但希望回复更详细。');
  await form.getByRole('button', { name: '提交评价' }).click();
  const rated = timeline.locator('li').filter({ hasText: '您评价了办理结果' });
  await rated.waitFor();
  assert.equal(await rated.getByTestId('rating').textContent(), '基本满意');
  await rated.getByText('处理及时，但希望回复更详细。').waitFor();
  assert.equal(await page.getByTestId('rating-form').count(), 0, 'rated once per resolution: the form is gone');
  await shot(page, 'track-02-rated');

  const rows = query(w.stateDir, `SELECT body, detail, is_public FROM events WHERE report_id = ${r.id} AND kind = 'rated'`);
  assert.deepEqual(rows, [{ body: 'basically_satisfied', detail: '处理及时，但希望回复更详细。', is_public: 1 }]);

  // "Not resolved": an empty reason is refused with a translated error; a reason reopens the case.
  const reopen = page.getByTestId('reopen-form');
  await reopen.getByRole('button', { name: '申请重新办理' }).click();
  await reopen.getByRole('alert').waitFor();
  const refusal = await reopen.getByRole('alert').textContent();
  assert.ok(/[\u4e00-\u9fff]/.test(refusal) && !/_/.test(refusal), `translated refusal: ${refusal}`);
  await reopen.getByLabel('没有解决的原因').fill('账号换了个名字又出现了。');
  await reopen.getByRole('button', { name: '申请重新办理' }).click();
  await timeline.locator('li').filter({ hasText: '重新办理' }).getByText('账号换了个名字又出现了。').waitFor();
  assert.equal(await page.getByTestId('status').textContent(), '重新办理');
  assert.equal(query(w.stateDir, `SELECT status FROM reports WHERE id = ${r.id}`)[0].status, 'reopened');
  await shot(page, 'track-03-reopened');

  // The one expected failed request: the empty reason's 400, which Chromium logs as a console error.
  assert.deepEqual(errors, ['Failed to load resource: the server responded with a status of 400 (Bad Request)']);
  await context.close();
});

test('/stats shows the totals, rates and SVG charts with the numbers of /api/stats', async () => {
  // One more closed case in another category, and one left waiting.
  const t = await s.fileReport({ category: 'spitting', district: 'nanshan', location: '南山地铁站' });
  await ok('handler', t.id, { action: 'accept' });
  await ok('handler', t.id, { action: 'resolve', reply: '已核实并辟谣。' });
  await s.fileReport({ category: 'spitting', district: 'nanshan', location: '南山地铁站' });
  const stats = await (await http(`${w.base}/api/stats`)).json();
  assert.ok(stats.by_category.length >= 2 && stats.by_month.length >= 1, JSON.stringify(stats));

  const { context, page, errors } = await phone();
  await page.goto(`${w.base}/stats`);
  const byCategory = page.getByTestId('chart-category');
  await byCategory.waitFor();
  assert.equal(await byCategory.getAttribute('role'), 'img');
  assert.equal(await byCategory.getAttribute('aria-label'), '各类别收到的举报');
  assert.equal(await byCategory.evaluate((e) => e.namespaceURI), 'http://www.w3.org/2000/svg');
  const bars = await byCategory.locator('g.bar').evaluateAll((gs) => gs.map((g) => ({
    label: g.querySelector('.chart-label').textContent,
    value: Number(g.querySelector('.chart-value').textContent),
    width: Number(g.querySelector('rect').getAttribute('width')),
  })));
  assert.deepEqual(bars.map((b) => b.value), stats.by_category.map((c) => c.figures.received));
  assert.ok(bars.some((b) => b.label === '随地吐痰'), `category names, not codes: ${JSON.stringify(bars)}`);
  // Bar lengths are proportional to the counts.
  const most = bars.reduce((a, b) => (b.value > a.value ? b : a));
  for (const b of bars) assert.ok(Math.abs(b.width / most.width - b.value / most.value) < 0.02, JSON.stringify(bars));

  const byMonth = page.getByTestId('chart-month');
  const months = await byMonth.locator('g.bar').evaluateAll((gs) => gs.map((g) => [g.querySelector('.chart-label').textContent, Number(g.querySelector('.chart-value').textContent)]));
  assert.deepEqual(months, stats.by_month.map((m) => [m.month, m.figures.received]));

  const figures = page.getByTestId('figures');
  await figures.getByText(String(stats.received), { exact: true }).first().waitFor();
  assert.equal(await page.getByTestId('on-time').textContent(), `${Math.round(stats.on_time_rate * 100)}%`);
  assert.equal(await page.getByTestId('median').textContent(), `${stats.median_days_to_close.toFixed(1)} 天`);
  await shot(page, 'stats-01-charts');
  assert.deepEqual(errors, []);
  await context.close();
});
