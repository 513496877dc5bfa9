// Refutations in the browser (issue 5): Debian's Chromium, headless, driving the real built bundles
// served by the real worker. An editor writes, previews and publishes a refutation in the console
// (/admin/refutations; the paging filler goes through the API); a stale save is refused with a clear
// message; a reader on a 390×844 phone finds it by a Chinese search, opens it and copies its link in a
// browser without navigator.clipboard; a citizen typing the rumour in the report flow is shown
// the refutation before sending. Every page fails the test on a console error or a CSP violation.
// Screenshots go to tests/artifacts/refutations-*.png.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { startWorker, query, http, postJson, root, launchChromium } from './harness.mjs';
import { hashPassword } from '../scripts/create-admin.mjs';

const artifacts = join(root, 'tests', 'artifacts');
mkdirSync(artifacts, { recursive: true });

const PASSWORD = 'correct horse battery staple';
const CLAIM = '紧急通知：明天起全市全面封城，所有小区只进不出，超市全部关门，大家赶紧囤货！';
const TITLE = '网传“明天起全市封城”系谣言';

let w;
let browser;
let articleId;

before(async () => {
  w = await startWorker();
  const { hash, salt } = hashPassword(PASSWORD);
  query(w.stateDir, 'INSERT INTO staff (username, display_name, role, department, password_hash, password_salt, ' +
    `password_iterations, created_at) VALUES ('editor', '编辑小王', 'editor', NULL, '${hash}', '${salt}', 100000, 0)`);
  browser = await launchChromium();
});
after(async () => {
  await browser?.close();
  await w?.stop();
});

/** A browser context whose console errors and CSP violations are collected. */
async function open({ viewport, isMobile, init }) {
  const context = await browser.newContext({ viewport, deviceScaleFactor: isMobile ? 2 : 1, isMobile, hasTouch: isMobile, locale: 'zh-CN' });
  await context.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => console.error(`CSP violation: ${e.violatedDirective} ${e.blockedURI}`));
  });
  if (init) await context.addInitScript(init);
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  return { context, page, errors };
}
const phone = (init) => open({ viewport: { width: 390, height: 844 }, isMobile: true, init });
const shot = (page, name) => page.screenshot({ path: join(artifacts, `refutations-${name}.png`), fullPage: true });

/** Publishes a refutation through the API (for the paging test's filler). */
async function publishByApi(session, n) {
  const headers = { cookie: session.cookie, 'x-csrf-token': session.csrf };
  const body = {
    title: `第${n}号辟谣：网传“某路段永久封闭”不实`, claim: `网传第${n}号路段将永久封闭，车辆无法通行。`, verdict: 'false',
    body: [{ type: 'paragraph', text: '经核实，该路段仅夜间施工，白天正常通行。' }], sources: [], authority: '市交通运输局',
    region: 'dongcheng', tags: ['交通'], case_ids: [],
  };
  const created = await postJson(`${w.base}/api/staff/refutations`, body, headers);
  assert.equal(created.status, 201, created.text);
  const r = created.body.refutation;
  const published = await postJson(`${w.base}/api/staff/refutations/${r.id}/publish`, { revision: r.revision }, headers);
  assert.equal(published.status, 200, published.text);
}

test('an editor publishes refutations', async () => {
  // Twenty-one older refutations first, so the reader's list has a second page.
  const signIn = await postJson(`${w.base}/api/staff/session`, { username: 'editor', password: PASSWORD });
  assert.equal(signIn.status, 200, signIn.text);
  const session = { cookie: signIn.headers.get('set-cookie').split(';')[0], csrf: signIn.body.csrf_token };
  for (let n = 1; n <= 21; n++) await publishByApi(session, n);
  const headers = { cookie: session.cookie, 'x-csrf-token': session.csrf };

  // The one the reader will find: written and published in the console, in a desktop browser.
  const { context, page, errors } = await open({ viewport: { width: 1280, height: 800 }, isMobile: false });
  await page.goto(`${w.base}/admin`);
  await page.getByLabel('用户名', { exact: true }).fill('editor');
  await page.getByLabel('密码', { exact: true }).fill(PASSWORD);
  await page.getByRole('button', { name: '登录', exact: true }).click();
  const nav = page.getByRole('navigation', { name: '工作台导航' });
  await nav.getByRole('link', { name: '辟谣管理' }).click();
  await page.getByRole('heading', { name: '辟谣管理' }).waitFor();
  await page.getByText('第21号辟谣').waitFor();
  await page.getByRole('button', { name: '新建辟谣' }).click();
  await page.getByLabel('标题', { exact: true }).fill(TITLE);
  await page.getByLabel('网传说法', { exact: true }).fill(CLAIM);
  await page.getByLabel('结论', { exact: true }).selectOption('rumour');
  await page.getByLabel('真相（每段一行）', { exact: true }).fill('经核实，该消息系谣言。本市没有任何封城安排。\n各大超市正常营业，物资供应充足，请勿囤货。');
  await page.getByLabel('来源（每行：标题 网址）', { exact: true }).fill('市疫情防控指挥部通报 https://www.example.gov.cn/notice/42');
  await page.getByLabel('发布单位', { exact: true }).fill('南山区公安分局');
  await page.getByLabel('地区', { exact: true }).selectOption('nanshan');
  await page.getByLabel('话题（空格分隔）', { exact: true }).fill('疫情 封城');
  await page.getByRole('button', { name: '保存草稿' }).click();
  await page.waitForURL(/\/admin\/refutations\/\d+$/);
  articleId = Number(page.url().split('/').pop());
  await page.locator('.badge.status-draft').waitFor();
  const [draft] = query(w.stateDir, `SELECT status, title FROM refutations WHERE id = ${articleId}`);
  assert.deepEqual(draft, { status: 'draft', title: TITLE });
  // The preview is the reader's article component, before anything is public.
  await page.getByRole('button', { name: '预览' }).click();
  const preview = page.locator('.preview-page');
  await preview.getByText('本市没有任何封城安排').waitFor();
  await preview.getByText('南山区公安分局').waitFor();
  await shot(page, 'editor-edit-desktop');
  await page.setViewportSize({ width: 390, height: 844 });
  await shot(page, 'editor-edit-phone');
  await page.setViewportSize({ width: 1280, height: 800 });
  assert.equal((await http(`${w.base}/api/refutations/${articleId}`)).status, 404, 'a draft is not public');
  await page.getByRole('button', { name: '发布', exact: true }).click();
  await page.locator('.badge.status-published').waitFor();
  await page.getByRole('link', { name: '查看公开页面' }).waitFor();
  const [published] = query(w.stateDir, `SELECT status FROM refutations WHERE id = ${articleId}`);
  assert.equal(published.status, 'published');

  // Someone else updates it meanwhile: this page's save names the conflict and offers their version.
  const current = await (await http(`${w.base}/api/staff/refutations/${articleId}`, { headers })).json();
  const other = { ...current.refutation.content, claim_url: 'https://weibo.example.cn/post/1' };
  const put = await http(`${w.base}/api/staff/refutations/${articleId}`, {
    method: 'PUT', headers: { ...headers, 'content-type': 'application/json' },
    body: JSON.stringify({ revision: current.refutation.revision, content: other, note: '补充网传出处' }),
  });
  assert.equal(put.status, 200, await put.text());
  await page.getByLabel('更新说明（读者可见）', { exact: true }).fill('补充说明');
  await page.getByRole('button', { name: '保存更新' }).click();
  await page.getByTestId('stale').getByText('这条辟谣刚被其他人修改过，请刷新后再改。').waitFor();
  await page.getByRole('button', { name: /载入最新版本/ }).click();
  await page.getByText('已载入最新版本').waitFor();
  assert.equal(await page.getByLabel('网传出处链接（选填）', { exact: true }).inputValue(), 'https://weibo.example.cn/post/1');

  // Partner sites: none registered yet (the API tests cover registering and deliveries).
  await nav.getByRole('link', { name: '合作网站' }).click();
  await page.getByText('还没有合作网站。').waitFor();

  // The list, on both screens.
  await nav.getByRole('link', { name: '辟谣管理' }).click();
  await page.getByRole('link', { name: TITLE }).waitFor();
  await shot(page, 'editor-list-desktop');
  await page.setViewportSize({ width: 390, height: 844 });
  await shot(page, 'editor-list-phone');
  // Expected failed loads only: the console asking who is signed in before the sign-in (401) and
  // the stale save (409, when the browser reports it).
  assert.deepEqual(errors.filter((e) => !/status of (401|409)/.test(e)), []);
  await context.close();
  const verdicts = await (await http(`${w.base}/api/refutations/verdicts`)).json();
  assert.deepEqual(verdicts.verdicts.map((v) => v.code), ['rumour', 'false', 'misleading', 'one_sided', 'true']);
});

test('a reader on a phone finds the refutation by a Chinese search and copies its link', async () => {
  assert.ok(articleId, 'the editor test published one');
  // A browser without the async clipboard API (as in WeChat): copying falls back to execCommand.
  const { context, page, errors } = await phone(() => {
    Object.defineProperty(Navigator.prototype, 'clipboard', { get: () => undefined, configurable: true });
  });
  await page.goto(`${w.base}/refutations`);
  await page.getByRole('link', { name: new RegExp(TITLE) }).waitFor();
  assert.equal(await page.locator('.ref-item').count(), 20, 'a first page of twenty');
  await shot(page, '04-reader-list');
  await page.getByRole('button', { name: '加载更多' }).click();
  await page.waitForFunction(() => document.querySelectorAll('.ref-item').length === 22);

  // Search by a Chinese substring from the middle of the claim.
  await page.getByRole('searchbox', { name: '搜索辟谣信息' }).fill('囤货');
  await page.getByRole('button', { name: '搜索' }).click();
  await page.waitForFunction(() => new URL(location.href).searchParams.get('q') === '囤货');
  await page.waitForFunction(() => document.querySelectorAll('.ref-item').length === 1);
  await page.getByRole('link', { name: new RegExp(TITLE) }).waitFor();
  await shot(page, '05-reader-search');

  // Filters: a tag chip, then a region with nothing in it.
  await page.goto(`${w.base}/refutations`);
  await page.getByRole('link', { name: '#交通' }).click();
  await page.waitForFunction(() => document.querySelectorAll('.ref-item').length === 20);
  await page.getByRole('combobox').last().selectOption({ label: '北湖区' });
  await page.getByText('没有找到相关的辟谣信息。').waitFor();
  await shot(page, '06-reader-empty');

  // Open it from the search.
  await page.goto(`${w.base}/refutations?q=${encodeURIComponent('封城')}`);
  await page.getByRole('link', { name: new RegExp(TITLE) }).click();
  const article = page.getByTestId('article');
  await article.getByRole('heading', { name: TITLE }).waitFor();
  assert.equal(new URL(page.url()).pathname, `/refutations/${articleId}`);
  assert.equal((await article.getByTestId('verdict').textContent()).trim(), '谣言');
  assert.equal((await article.getByTestId('authority').textContent()).trim(), '南山区公安分局');
  await article.getByText('南山区', { exact: true }).waitFor();
  const source = article.getByRole('link', { name: '市疫情防控指挥部通报' });
  assert.equal(await source.getAttribute('rel'), 'noopener noreferrer');
  assert.equal(await page.getByTestId('qr').count(), 1);
  await page.getByRole('button', { name: '复制链接' }).click();
  await page.getByRole('button', { name: '链接已复制' }).waitFor();
  await shot(page, '07-reader-article');

  // Loaded directly, the worker's static article is replaced by the app's, not shown twice.
  await page.goto(`${w.base}/refutations/${articleId}`);
  await page.getByTestId('article').waitFor();
  assert.equal(await page.locator('.refutation-static').count(), 0);
  assert.equal(await page.getByRole('heading', { name: TITLE }).count(), 1);
  await page.goto(`${w.base}/refutations/999999`);
  await page.getByText('没有找到这条辟谣信息', { exact: false }).first().waitFor();
  assert.deepEqual(errors.filter((e) => !e.includes('404')), []);
  await context.close();
});

test('the home page lists the latest refutations and the report flow says the rumour is refuted', async () => {
  assert.ok(articleId, 'the editor test published one');
  const { context, page, errors } = await phone();
  await page.goto(`${w.base}/`);
  const latest = page.getByRole('heading', { name: '最新辟谣' }).locator('..');
  await latest.getByRole('link', { name: new RegExp(TITLE) }).waitFor();
  assert.equal(await latest.locator('ul li').count(), 3);
  await shot(page, '08-home-latest');

  await page.goto(`${w.base}/report`);
  await page.getByRole('radio', { name: '谣言' }).click();
  // The rumour as it circulates in a chat group, with a forwarding prefix.
  await page.getByLabel('您看到了什么？').fill(`【转发】${CLAIM}`);
  const hint = page.getByTestId('refuted');
  await hint.getByText('此说法已被辟谣').waitFor();
  const link = hint.getByRole('link', { name: new RegExp(TITLE) });
  assert.equal(await link.getAttribute('href'), `/refutations/${articleId}`);
  await shot(page, '09-report-refuted');
  // Unrelated text shows no hint; the citizen can go on either way.
  await page.getByLabel('您看到了什么？').fill('有人在群里发布虚假招聘信息，骗取求职者的押金和培训费用。');
  await hint.waitFor({ state: 'hidden' });
  await page.getByLabel('您看到了什么？').fill(CLAIM);
  await hint.waitFor();
  await page.getByLabel('有害信息链接 1').fill('https://weibo.com/123/abc');
  await page.getByRole('button', { name: '下一步' }).click();
  await page.getByText('第 3 步', { exact: false }).waitFor();
  assert.deepEqual(errors, []);
  await context.close();
});

test('the article link works for a crawler without JavaScript', async () => {
  assert.ok(articleId);
  const res = await http(`${w.base}/refutations/${articleId}`);
  const html = await res.text();
  assert.equal(res.status, 200);
  assert.match(html, /<link rel="stylesheet" href="\/reader.css">/);
  assert.match(html, /refutation-static/);
});

test('the console list pages through every refutation with "加载更多"', async () => {
  const signIn = await postJson(`${w.base}/api/staff/session`, { username: 'editor', password: PASSWORD });
  const session = { cookie: signIn.headers.get('set-cookie').split(';')[0], csrf: signIn.body.csrf_token };
  // Enough to pass one page (50) whatever the earlier tests left.
  const [{ before }] = query(w.stateDir, 'SELECT COUNT(*) AS before FROM refutations');
  for (let n = 100; n < 100 + Math.max(0, 55 - before); n++) await publishByApi(session, n);
  const [{ total }] = query(w.stateDir, 'SELECT COUNT(*) AS total FROM refutations');
  assert.ok(total > 50, `${total} refutations`);
  const { context, page, errors } = await open({ viewport: { width: 1280, height: 800 }, isMobile: false });
  try {
    await page.goto(`${w.base}/admin/refutations`);
    await page.getByLabel('用户名', { exact: true }).fill('editor');
    await page.getByLabel('密码', { exact: true }).fill(PASSWORD);
    await page.getByRole('button', { name: '登录', exact: true }).click();
    await page.getByRole('heading', { name: '辟谣管理' }).waitFor();
    const rows = page.locator('table.c-table tbody tr');
    await page.getByTestId('refutations-more').waitFor();
    assert.equal(await rows.count(), 50);
    await page.getByTestId('refutations-more').click();
    await page.waitForFunction((n) => document.querySelectorAll('table.c-table tbody tr').length === n, total);
    assert.equal(await page.getByTestId('refutations-more').count(), total > 100 ? 1 : 0);
    const links = await rows.locator('td:first-child a').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
    assert.equal(new Set(links).size, total, 'every refutation once, none twice');
    // The one expected failed load: asking who is signed in before signing in.
    assert.deepEqual(errors.filter((e) => !e.includes('status of 401')), []);
  } finally {
    await context.close();
  }
});
