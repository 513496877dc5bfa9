// What outside clients found (issue 17), pinned against the real worker under `wrangler dev`:
// invisible-only text is refused and stray bidi controls never stored; a long paste is answered
// with its field; every answer carries security headers; robots.txt, security.txt and real 404s.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startWorker, query, newKey, postJson, http } from './harness.mjs';

let w;
before(async () => { w = await startWorker(); });
after(async () => { await w?.stop(); });

const report = (overrides = {}) => ({
  idempotency_key: newKey(),
  category: 'fraud',
  description: '冒充客服让人转账解冻账户。',
  ...overrides,
});
const countReports = () => query(w.stateDir, 'SELECT COUNT(*) AS n FROM reports')[0].n;

test('a description of invisible characters only is refused with its field, in the reader\'s language, and stores nothing', async () => {
  const before = countReports();
  for (const description of [
    '\u200b\u200b\u200b\u200b\u200b', // zero-width spaces
    '\ufeff\ufeff\ufeff\ufeff\ufeff', // byte-order marks
    '\u202e\u202e\u202e\u202e\u202e', // right-to-left overrides
    '\u2066\u2067\u2069\u200e\u200f', // isolates and marks
    '\u3164\u3164\u115f\uffa0\u2800', // Hangul fillers, Braille blank
    '\u0301\u0301\u0301\u0301\u20dd', // combining marks without a base
    '\ufe0f\ufe0f\u{e0041}\u{e0042}\u00ad', // variation selectors, tags, soft hyphen
  ]) {
    const res = await postJson(`${w.base}/api/reports`, report({ description }), { 'accept-language': 'en' });
    assert.equal(res.status, 400, `${JSON.stringify(description)}: ${res.text}`);
    assert.equal(res.body.error, 'text_invisible');
    assert.equal(res.body.field, 'description');
    assert.equal(res.body.message, 'This holds only invisible characters. Write it in words.');
  }
  const zh = await postJson(`${w.base}/api/reports`, report({ description: '\u200b'.repeat(8) }));
  assert.equal(zh.body.message, '这里只有看不见的字符，请用文字填写。');
  // Three visible characters padded with invisible ones are still too short.
  const short = await postJson(`${w.base}/api/reports`, report({ description: '假\u200b\u200b的\u200b话' }));
  assert.equal(short.body.error, 'description_too_short');
  const account = await postJson(`${w.base}/api/reports`, report({ category: 'rumor', links: ['https://weibo.com/1'], account: '\u200b\u200c' }));
  assert.equal(account.status, 400);
  assert.deepEqual([account.body.error, account.body.field], ['text_invisible', 'account']);
  assert.equal(countReports(), before, 'nothing was stored');
});

test('stray bidi controls are stripped before a report is stored, so staff never see reordered text', async () => {
  const input = report({ description: '冒充客服\u202e账转人让\u202c，还说\u2067要先交保证金\u2069。' });
  const res = await postJson(`${w.base}/api/reports`, input);
  assert.equal(res.status, 201, res.text);
  const [row] = query(w.stateDir, `SELECT description FROM reports WHERE idempotency_key = '${input.idempotency_key}'`);
  assert.equal(row.description, '冒充客服账转人让，还说要先交保证金。');
  // The retry with the same body is the same report.
  const again = await postJson(`${w.base}/api/reports`, input);
  assert.equal(again.status, 200, again.text);
});

test('a 20,000-character paste is answered description_too_long with its field, not body_too_large', async () => {
  const before = countReports();
  const res = await postJson(`${w.base}/api/reports`, report({ description: '谣'.repeat(20_000) }), { 'accept-language': 'en' });
  assert.equal(res.status, 400, res.text);
  assert.equal(res.body.error, 'description_too_long');
  assert.equal(res.body.field, 'description');
  // Something far beyond any report is still cut off before it is parsed.
  const huge = await postJson(`${w.base}/api/reports`, report({ description: '谣'.repeat(200_000) }));
  assert.equal(huge.status, 413);
  assert.equal(huge.body.error, 'body_too_large');
  assert.equal(countReports(), before);
});

test('API answers carry a policy that loads and frames nothing, and the other security headers', async () => {
  for (const [method, path] of [['GET', '/api/stats'], ['GET', '/api/health'], ['GET', '/api/categories'], ['GET', '/api/nope'], ['POST', '/api/reports']]) {
    const res = await http(`${w.base}${path}`, { method, headers: { 'content-type': 'application/json' }, body: method === 'POST' ? '{' : undefined });
    const h = res.headers;
    assert.equal(h.get('content-security-policy'), "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'", path);
    assert.equal(h.get('x-content-type-options'), 'nosniff', path);
    assert.equal(h.get('x-frame-options'), 'DENY', path);
    assert.equal(h.get('referrer-policy'), 'no-referrer', path);
    assert.match(h.get('strict-transport-security'), /max-age=\d{7,}/, path);
  }
  // Pages keep their own policy (public/_headers), which lets the app run.
  const page = await http(`${w.base}/stats`);
  assert.match(page.headers.get('content-security-policy'), /script-src 'self' 'wasm-unsafe-eval'/);
});

test('robots.txt and security.txt are real files; paths no page owns are real 404s with the app\'s page', async () => {
  const robots = await http(`${w.base}/robots.txt`);
  assert.equal(robots.status, 200);
  assert.match(robots.headers.get('content-type'), /^text\/plain/);
  const text = await robots.text();
  assert.match(text, /^User-agent: \*$/m);
  assert.match(text, /^Disallow: \/admin$/m);
  assert.match(text, new RegExp(`^Sitemap: ${w.base}/sitemap.xml$`, 'm'));

  const security = await http(`${w.base}/.well-known/security.txt`);
  assert.equal(security.status, 200);
  const fields = Object.fromEntries((await security.text()).trim().split('\n').map((l) => l.split(/: (.*)/s).slice(0, 2)));
  assert.match(fields.Contact, /^(mailto:|https:\/\/)/);
  const expires = Date.parse(fields.Expires);
  assert.ok(expires > Date.now() && expires < Date.now() + 366 * 86_400_000, `Expires ${fields.Expires} is within a year (RFC 9116)`);
  assert.equal(fields.Canonical, `${w.base}/.well-known/security.txt`);

  for (const path of ['/no/such/page', '/track/zzz', '/stats/2026', '/report/x', '/favicon.ico', '/.env']) {
    const res = await http(`${w.base}${path}`);
    assert.equal(res.status, 404, path);
    assert.match(res.headers.get('content-type'), /^text\/html/, path);
    const html = await res.text();
    assert.match(html, /<meta name="robots" content="noindex">/, path);
    assert.match(html, /<script type="module" src="\/boot\.js"><\/script>/, `${path}: the app starts and shows its not-found page`);
    assert.match(res.headers.get('content-security-policy'), /script-src 'self'/, path);
  }
  for (const path of ['/', '/report', '/report?c=bus-12', '/track', '/stats', '/refutations', '/admin']) {
    const res = await http(`${w.base}${path}`);
    assert.equal(res.status, 200, path);
    assert.match(res.headers.get('content-type'), /^text\/html/, path);
  }
  // Unknown API paths stay JSON.
  const api = await http(`${w.base}/api/no/such`);
  assert.equal(api.status, 404);
  assert.equal((await api.json()).error, 'not_found');
});
