// Per-client rate limits at the deployment's real thresholds (wrangler.toml `[[ratelimits]]`, scale
// 1): report submission, receipt lookups (tracking and reopen share one counter), evidence uploads and staff sign-in
// each answer 429 with Retry-After and a translated body once a client is past its limit, store
// nothing when they do, and leave other clients alone. The other suites run their workers with a
// large RATE_LIMIT_SCALE so that filing many reports from 127.0.0.1 is not limited.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startWorker, query, newKey, postJson, http, root, launchChromium } from './harness.mjs';

// The thresholds in wrangler.toml; a change there must change these (and README's table).
const REPORTS_PER_MINUTE = 20;
const LOOKUPS_PER_MINUTE = 60;
const SIGN_INS_PER_MINUTE = 10;
const UPLOADS_PER_MINUTE = 60;
// The address-wide counters of the two per-device limits (carrier NAT: many phones, one address).
const REPORTS_PER_ADDRESS_MINUTE = 300;

let w;
before(async () => { w = await startWorker({ rateLimitScale: 1 }); });
after(async () => { await w?.stop(); });

/**
 * The binding counts in fixed windows of `period` seconds (the local emulation aligns them to the
 * clock, as `Math.floor(now / period)`): a burst that straddles a boundary starts counting afresh
 * halfway. Waits for a new window when fewer than `seconds` remain in this one.
 */
async function freshWindow(seconds = 20, period = 60) {
  const left = period - ((Date.now() / 1000) % period);
  if (left < seconds) await new Promise((r) => setTimeout(r, left * 1000 + 250));
}

const report = () => ({ idempotency_key: newKey(), category: 'fraud', description: '冒充客服让人转账解冻账户。' });

function assertLimited(res, lang, sentence) {
  assert.equal(res.status, 429, res.text);
  assert.equal(res.body.error, 'rate_limited');
  assert.equal(res.body.message, sentence, `message in ${lang}`);
  const retryAfter = Number(res.headers.get('retry-after'));
  assert.ok(Number.isInteger(retryAfter) && retryAfter > 0 && retryAfter <= 900, `Retry-After ${retryAfter}`);
}

test('report submission: the limit-th report is stored, the next is refused in the client\'s language and not stored', async () => {
  const receipts = [];
  await freshWindow();
  for (let i = 0; i < REPORTS_PER_MINUTE; i += 1) {
    const res = await postJson(`${w.base}/api/reports`, report());
    assert.equal(res.status, 201, `report ${i + 1}: ${res.text}`);
    receipts.push(res.body);
  }
  const over = report();
  const limited = await postJson(`${w.base}/api/reports`, over, { 'accept-language': 'en' });
  assertLimited(limited, 'en', 'Too many attempts. Try again later.');
  const zh = await postJson(`${w.base}/api/reports`, report(), { 'accept-language': 'zh-TW' });
  assertLimited(zh, 'zh-Hant', '操作太頻繁了，請稍後再試。');
  // Another client (wrangler dev passes a client's CF-Connecting-IP through; Cloudflare sets it) has
  // its own counter.
  const neighbour = await postJson(`${w.base}/api/reports`, report(), { 'cf-connecting-ip': '203.0.113.9' });
  assert.equal(neighbour.status, 201, neighbour.text);
  const [{ n }] = query(w.stateDir, 'SELECT COUNT(*) AS n FROM reports');
  assert.equal(n, REPORTS_PER_MINUTE + 1, 'refused reports are not stored');
  const [{ m }] = query(w.stateDir, `SELECT COUNT(*) AS m FROM reports WHERE idempotency_key = '${over.idempotency_key}'`);
  assert.equal(m, 0);
  // The other routes have their own counters: the figures still answer.
  assert.equal((await http(`${w.base}/api/stats`)).status, 200);
  lookupTarget = receipts[0];
});

let lookupTarget;

test('receipt lookups: tracking and reopen share one counter; past it, even the right secret gets 429', async () => {
  assert.ok(lookupTarget, 'the submission test ran first');
  const { receipt_code: code, secret } = lookupTarget;
  const headers = { 'x-receipt-secret': secret };
  await freshWindow();
  // Half the budget on tracking, the rest on guesses and reopen attempts (a reopen of an unresolved
  // case is refused with 409, but it counts: each one tries a code and secret).
  for (let i = 0; i < LOOKUPS_PER_MINUTE; i += 1) {
    let res;
    if (i % 3 === 0) {
      res = await http(`${w.base}/api/reports/${code}`, { headers });
      assert.equal(res.status, 200, `lookup ${i + 1}`);
    } else if (i % 3 === 1) {
      res = await http(`${w.base}/api/reports/${code}`, { headers: { 'x-receipt-secret': 'AAAA-BBBB-CCCC' } });
      assert.equal(res.status, 404, `guess ${i + 1}`);
    } else {
      res = await postJson(`${w.base}/api/reports/${code}/reopen`, { reason: '没有解决' }, headers);
      assert.equal(res.status, 409, `reopen ${i + 1}: ${res.text}`);
    }
    await res.arrayBuffer?.();
  }
  const res = await http(`${w.base}/api/reports/${code}`, { headers: { ...headers, 'accept-language': 'zh-CN' } });
  const text = await res.text();
  assertLimited({ status: res.status, body: JSON.parse(text), text, headers: res.headers }, 'zh-Hans', '操作太频繁了，请稍后再试。');
  const reopen = await postJson(`${w.base}/api/reports/${code}/reopen`, { reason: '没有解决' }, headers);
  assert.equal(reopen.status, 429);
  // Filing a report is a different counter, and already used up above; figures are never limited.
  assert.equal((await http(`${w.base}/api/categories`)).status, 200);
});

test('staff sign-in: past the per-address limit even new usernames get 429 before any password work', async () => {
  // Distinct usernames, so the per-username failure count (10 in 15 minutes) is never what answers.
  await freshWindow();
  for (let i = 0; i < SIGN_INS_PER_MINUTE; i += 1) {
    const res = await postJson(`${w.base}/api/staff/session`, { username: `nobody${i}`, password: 'wrong password' });
    assert.equal(res.status, 401, `attempt ${i + 1}: ${res.text}`);
  }
  const limited = await postJson(`${w.base}/api/staff/session`, { username: 'someone-else', password: 'x' },
    { 'accept-language': 'en' });
  assertLimited(limited, 'en', 'Too many attempts. Try again later.');
  const [{ n }] = query(w.stateDir, "SELECT COUNT(*) AS n FROM staff_signin_failures WHERE username = 'someone-else'");
  assert.equal(n, 0, 'a limited attempt is not even counted as a failure');
});

test('evidence uploads: the limit-th picture is stored, the next is refused before its bytes are read', async () => {
  const png = readFileSync(join(root, 'tests', 'fixtures', 'plain.png'));
  const upload = (key, slot, headers = {}) => http(`${w.base}/api/uploads?key=${key}&slot=${slot}`, {
    method: 'POST', headers: { 'content-type': 'image/png', ...headers }, body: png,
  });
  await freshWindow(40);
  const drafts = Array.from({ length: UPLOADS_PER_MINUTE / 6 }, () => newKey());
  for (const key of drafts) {
    for (let slot = 0; slot < 6; slot += 1) {
      const res = await upload(key, slot);
      assert.equal(res.status, 201, `${key}/${slot}: ${await res.text()}`);
    }
  }
  const over = newKey();
  const res = await upload(over, 0, { 'accept-language': 'zh-CN' });
  const text = await res.text();
  assertLimited({ status: res.status, body: JSON.parse(text), headers: res.headers, text }, 'zh-Hans', '操作太频繁了，请稍后再试。');
  const neighbour = await upload(newKey(), 0, { 'cf-connecting-ip': '203.0.113.10' });
  assert.equal(neighbour.status, 201, await neighbour.text());
  const [{ n }] = query(w.stateDir, 'SELECT COUNT(*) AS n FROM uploads');
  assert.equal(n, UPLOADS_PER_MINUTE + 1, 'the refused picture is not stored');
  const [{ m }] = query(w.stateDir, `SELECT COUNT(*) AS m FROM uploads WHERE idempotency_key = '${over}'`);
  assert.equal(m, 0);
});

// Issue 17: phones behind one carrier-NAT address must not lock each other out. Reports are counted
// per device (address + the phone's token) and, much higher, per address.
test('phones sharing one address each get their own report limit; the address as a whole has a ceiling', async () => {
  const address = { 'cf-connecting-ip': '198.51.100.7' };
  const device = (n) => ({ ...address, 'x-qinglang-device': `device-token-${String(n).padStart(8, '0')}` });
  await freshWindow(40);
  for (let i = 0; i < REPORTS_PER_MINUTE; i += 1) {
    const res = await postJson(`${w.base}/api/reports`, report(), device(1));
    assert.equal(res.status, 201, `device 1, report ${i + 1}: ${res.text}`);
  }
  assertLimited(await postJson(`${w.base}/api/reports`, report(), { ...device(1), 'accept-language': 'en' }), 'en', 'Too many attempts. Try again later.');
  // The neighbour on the same address is not locked out.
  const neighbour = await postJson(`${w.base}/api/reports`, report(), device(2));
  assert.equal(neighbour.status, 201, neighbour.text);
  // A malformed token counts as "no token": one shared device of the address.
  const bad = await postJson(`${w.base}/api/reports`, report(), { ...address, 'x-qinglang-device': 'short' });
  assert.equal(bad.status, 201, bad.text);
  // A script inventing a token per request meets the address ceiling.
  let stored = REPORTS_PER_MINUTE + 2;
  let limited = null;
  for (let i = 0; i < REPORTS_PER_ADDRESS_MINUTE && !limited; i += 1) {
    const res = await postJson(`${w.base}/api/reports`, report(), device(1000 + i));
    if (res.status === 201) stored += 1; else limited = res;
  }
  assert.ok(limited, 'the address ceiling answered');
  assertLimited(limited, 'zh-Hans', '操作太频繁了，请稍后再试。');
  // The address's own counter counts every attempt, the refused one of device 1 too.
  assert.ok(stored >= REPORTS_PER_ADDRESS_MINUTE - 5 && stored < REPORTS_PER_ADDRESS_MINUTE, `${stored} stored before the ceiling`);
});

// Issue 17: after a 429 the form said "网络不畅" and the outbox retried every few seconds.
test('browser: a rate-limited report is kept and the citizen is told the truth and when it will go', async () => {
  const token = 'browser-device-token-0001';
  await freshWindow(40);
  for (let i = 0; i < REPORTS_PER_MINUTE; i += 1) {
    // From the same address as the browser below (no CF-Connecting-IP of our own), with its token.
    const res = await postJson(`${w.base}/api/reports`, report(), { 'x-qinglang-device': token });
    assert.equal(res.status, 201, res.text);
  }
  const browser = await launchChromium();
  try {
    const context = await browser.newContext({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true, locale: 'zh-CN' });
    await context.addInitScript((t) => localStorage.setItem('ql.device', t), token);
    const page = await context.newPage();
    const posts = [];
    page.on('request', (r) => { if (r.method() === 'POST' && r.url().endsWith('/api/reports')) posts.push(Date.now()); });
    await page.goto(`${w.base}/report`);
    await page.getByRole('radio', { name: '诈骗' }).click();
    await page.getByLabel('您看到了什么？').fill('有人冒充客服让人转账解冻账户，已经骗了好几个人。');
    for (let i = 0; i < 3; i += 1) await page.getByRole('button', { name: '下一步' }).click();
    await page.getByRole('button', { name: '提交举报' }).click();
    const intro = page.getByTestId('outbox-intro');
    await intro.waitFor();
    assert.equal(await intro.textContent(), '提交太频繁，将在 1 分钟后自动发送，不会重复提交。举报已保存在本机。');
    assert.equal(await page.getByText('网络不畅', { exact: false }).count(), 0, 'not called a network failure');
    await page.getByTestId('outbox-item').waitFor();
    await page.screenshot({ path: join(root, 'tests', 'artifacts', 'limits-429-outbox.png') });
    // The outbox honours Retry-After: no second send within the next 10 s (it used to retry after 2 s).
    await page.waitForTimeout(10_000);
    assert.equal(posts.length, 1, `one send, not a retry every few seconds: ${posts.length}`);
    assert.equal(query(w.stateDir, "SELECT COUNT(*) AS n FROM reports WHERE description LIKE '%已经骗了好几个人%'")[0].n, 0);
    await context.close();
  } finally {
    await browser.close();
  }
});
