// API integration tests: the real worker under `wrangler dev`, the real local D1, over HTTP.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startWorker, query, newKey, postJson, http } from './harness.mjs';

let w;
before(async () => { w = await startWorker(); });
after(async () => { if (process.env.QL_DUMP_LOG) (await import('node:fs')).writeFileSync(process.env.QL_DUMP_LOG, w?.log() ?? ''); await w?.stop(); });

const CODE = /^[2-9A-HJKMNP-Z]{3}-[2-9A-HJKMNP-Z]{3}-[2-9A-HJKMNP-Z]{3}$/;
const SECRET = /^[2-9A-HJKMNP-Z]{4}-[2-9A-HJKMNP-Z]{4}-[2-9A-HJKMNP-Z]{4}$/;

function report(overrides = {}) {
  return {
    idempotency_key: newKey(),
    category: 'rumor',
    description: '群里说明天全市停水三天，配了假通知。',
    links: ['https://weibo.com/123/abc'],
    platform: '微博',
    ...overrides,
  };
}
const countReports = () => query(w.stateDir, 'SELECT COUNT(*) AS n FROM reports')[0].n;
const track = (code, secret, headers = {}) =>
  http(`${w.base}/api/reports/${encodeURIComponent(code)}`, { headers: secret === undefined ? headers : { 'x-receipt-secret': secret, ...headers } });

test('health answers ok', async () => {
  const res = await http(`${w.base}/api/health`);
  assert.equal(res.status, 200);
  assert.equal((await res.json()).status, 'ok');
});

test('categories list the default taxonomy with three languages', async () => {
  const body = await (await http(`${w.base}/api/categories`)).json();
  assert.equal(body.categories.filter((c) => !c.parent).length, 20);
  assert.equal(body.categories.find((c) => c.code === 'rumor_food').parent, 'rumor');
  const rumor = body.categories.find((c) => c.code === 'rumor');
  assert.deepEqual([rumor.name_zh_hans, rumor.name_zh_hant, rumor.name_en], ['谣言', '謠言', 'Rumour']);
  assert.equal(rumor.requires_link, true);
  assert.ok(body.districts.some((d) => d.code === 'nanshan'));
});

test('a report is stored once, with contact apart and the secret only hashed', async () => {
  const before = countReports();
  const input = report({ contact: { name: '王先生', phone: '+86 138-0013-8000' } });
  const res = await postJson(`${w.base}/api/reports`, input);
  assert.equal(res.status, 201, res.text);
  assert.match(res.body.receipt_code, CODE);
  assert.match(res.body.secret, SECRET);
  assert.equal(countReports(), before + 1);
  const code = res.body.receipt_code.replaceAll('-', '');
  const [row] = query(w.stateDir, `SELECT * FROM reports WHERE receipt_code = '${code}'`);
  assert.equal(row.status, 'submitted');
  assert.equal(row.description, input.description);
  assert.deepEqual(JSON.parse(row.links), input.links);
  const stored = JSON.stringify(row);
  assert.ok(!stored.includes(res.body.secret.replaceAll('-', '')), 'the secret is not stored in the clear');
  assert.ok(!stored.includes('13800138000') && !stored.includes('王先生'), 'contact is not in the report row');
  const [contact] = query(w.stateDir, `SELECT name, phone FROM report_contacts WHERE report_id = ${row.id}`);
  assert.deepEqual(contact, { name: '王先生', phone: '13800138000' });
  const events = query(w.stateDir, `SELECT kind, is_public FROM events WHERE report_id = ${row.id}`);
  assert.deepEqual(events, [{ kind: 'submitted', is_public: 1 }]);
});

test('a retry with the same idempotency key returns the same receipt and stores nothing', async () => {
  const input = report();
  const first = await postJson(`${w.base}/api/reports`, input);
  assert.equal(first.status, 201);
  const n = countReports();
  const again = await postJson(`${w.base}/api/reports`, input);
  assert.equal(again.status, 200);
  assert.deepEqual(again.body, first.body);
  assert.equal(countReports(), n);
});

test('concurrent sends of one report store it exactly once', async () => {
  const input = report();
  const n = countReports();
  const answers = await Promise.all(Array.from({ length: 8 }, () => postJson(`${w.base}/api/reports`, input)));
  for (const a of answers) assert.ok([200, 201].includes(a.status), a.text);
  assert.equal(answers.filter((a) => a.status === 201).length, 1);
  assert.equal(new Set(answers.map((a) => a.body.receipt_code)).size, 1);
  assert.equal(new Set(answers.map((a) => a.body.secret)).size, 1);
  assert.equal(countReports(), n + 1);
});

test('the same key with a different report is refused and changes nothing', async () => {
  const input = report();
  assert.equal((await postJson(`${w.base}/api/reports`, input)).status, 201);
  const n = countReports();
  const res = await postJson(`${w.base}/api/reports`, { ...input, description: '完全不同的另一件事情' });
  assert.equal(res.status, 409);
  assert.equal(res.body.error, 'idempotency_conflict');
  assert.equal(countReports(), n);
});

test('malformed bodies get a JSON error and store nothing', async () => {
  const n = countReports();
  const cases = [
    ['{"idempotency_key": ', 400, 'bad_json'],
    ['[]', 400, 'bad_json'],
    [JSON.stringify({ ...report(), status: 'resolved' }), 400, 'bad_json'],
    [JSON.stringify({ ...report(), description: 42 }), 400, 'bad_json'],
    [JSON.stringify({ ...report(), links: 'https://a.cn' }), 400, 'bad_json'],
    // Issue 17: a long paste is read and answered with its field; only a body past 256 KB is cut off.
    [JSON.stringify({ ...report(), description: '谣'.repeat(40_000) }), 400, 'description_too_long'],
    [JSON.stringify({ ...report(), description: '谣'.repeat(100_000) }), 413, 'body_too_large'],
  ];
  for (const [body, status, code] of cases) {
    const res = await postJson(`${w.base}/api/reports`, body);
    assert.equal(res.status, status, body.slice(0, 80));
    assert.equal(res.body.error, code);
    assert.ok(res.body.message.length > 0);
  }
  const plain = await http(`${w.base}/api/reports`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: JSON.stringify(report()) });
  assert.equal(plain.status, 415);
  assert.equal((await plain.json()).error, 'unsupported_media_type');
  assert.equal(countReports(), n);
});

test('validation refusals name the field and speak the asked language', async () => {
  const n = countReports();
  const cases = [
    [{ category: 'nope' }, 'unknown_category', 'category'],
    [{ description: '   ' }, 'description_empty', 'description'],
    [{ links: ['javascript:alert(1)'] }, 'link_scheme', 'links.0'],
    [{ links: [] }, 'link_required', 'links'],
    [{ category: 'red_light', links: [] }, 'location_required', 'district'],
    [{ category: 'red_light', district: 'atlantis' }, 'unknown_district', 'district'],
    [{ contact: { phone: '12345' } }, 'phone_invalid', 'contact.phone'],
    [{ idempotency_key: 'short' }, 'invalid_idempotency_key', 'idempotency_key'],
  ];
  for (const [override, code, field] of cases) {
    const res = await postJson(`${w.base}/api/reports`, report(override));
    assert.equal(res.status, 400, JSON.stringify(override));
    assert.equal(res.body.error, code);
    assert.equal(res.body.field, field);
  }
  const en = await postJson(`${w.base}/api/reports`, report({ description: '' }), { 'accept-language': 'en-GB,en;q=0.8' });
  assert.equal(en.body.message, 'Describe what you saw.');
  const hant = await postJson(`${w.base}/api/reports`, report({ description: '' }), { 'accept-language': 'zh-TW' });
  assert.equal(hant.body.message, '請描述您看到的情況。');
  assert.equal(countReports(), n);
});

test('tracking shows status and timeline only to the holder of the secret', async () => {
  const created = (await postJson(`${w.base}/api/reports`, report())).body;
  const ok = await track(created.receipt_code, created.secret.toLowerCase().replaceAll('-', ' '));
  assert.equal(ok.status, 200);
  const view = await ok.json();
  assert.equal(view.status, 'submitted');
  assert.equal(view.receipt_code, created.receipt_code);
  assert.deepEqual(view.timeline.map((e) => e.kind), ['submitted']);
  assert.equal(JSON.stringify(view).includes('contact'), false);

  const wrong = await track(created.receipt_code, 'ABCD-EFGH-JKMN');
  const garbage = await track(created.receipt_code, 'not a secret at all');
  // A valid code that was never issued: flip the body and recompute nothing — use another report's layout.
  const unknownCode = await track('222-222-222', created.secret);
  for (const res of [wrong, garbage, unknownCode]) {
    assert.equal(res.status, 404);
    assert.deepEqual(await res.json(), { error: 'receipt_not_found', message: '回执编号或查询密码不正确。' });
  }
  const typo = await track(created.receipt_code.slice(0, -1) + (created.receipt_code.endsWith('2') ? '3' : '2'), created.secret);
  assert.equal(typo.status, 400);
  assert.equal((await typo.json()).error, 'receipt_code_invalid');
  const missing = await track(created.receipt_code, undefined);
  assert.equal(missing.status, 400);
  assert.equal((await missing.json()).error, 'secret_missing');
});

test('public figures agree with the database', async () => {
  const stats = await (await http(`${w.base}/api/stats`)).json();
  assert.equal(stats.received, countReports());
  assert.equal(stats.received, stats.pending + stats.in_progress + stats.closed + stats.rejected + stats.merged);
});

test('unknown routes and methods answer in JSON; every answer carries security headers', async () => {
  const missing = await http(`${w.base}/api/nothing-here`);
  assert.equal(missing.status, 404);
  assert.equal((await missing.json()).error, 'not_found');
  const method = await http(`${w.base}/api/reports`, { method: 'DELETE' });
  assert.equal(method.status, 405);
  assert.equal((await method.json()).error, 'method_not_allowed');
  for (const res of [missing, method]) {
    assert.equal(res.headers.get('x-content-type-options'), 'nosniff');
    assert.equal(res.headers.get('referrer-policy'), 'no-referrer');
  }
});

test('deep links load their bundle\'s page, readable before the WASM runs', async () => {
  // app/src/bundle.rs: citizen pages from index.html, reading pages and the console from the worker.
  for (const [path, bundle, title] of [
    ['/', 'citizen', '清朗举报'], ['/report?c=bus-12', 'citizen', '清朗举报'], ['/track', 'reader', '清朗'],
    ['/no-such-page', 'citizen', '清朗举报'],
    ['/refutations', 'reader', '清朗'], ['/refutations/', 'reader', '清朗'], ['/stats', 'reader', '清朗'],
    ['/admin', 'console', '清朗 · 工作台'], ['/admin/cases/12', 'console', '清朗 · 工作台'],
  ]) {
    const res = await http(`${w.base}${path}`);
    // A path no page owns is a real 404 (issue 17), with the citizen app's not-found page.
    assert.equal(res.status, path === '/no-such-page' ? 404 : 200, path);
    assert.match(res.headers.get('content-type') ?? '', /text\/html/, path);
    const html = await res.text();
    assert.match(html, new RegExp(`<title>${title}`), path);
    assert.match(html, new RegExp(`data-bundle="${bundle}"`), path);
    if (bundle !== 'console') assert.match(html, /12377/, 'the fallback names the hotline');
    assert.match(html, /src="\/boot.js"/);
    const csp = res.headers.get('content-security-policy') ?? '';
    assert.match(csp, /script-src 'self' 'wasm-unsafe-eval'/, path);
    assert.match(csp, /frame-ancestors 'none'/);
    assert.equal(res.headers.get('x-content-type-options'), 'nosniff', path);
  }
  for (const dir of ['pkg', 'pkg-reader', 'pkg-console']) {
    const wasm = await http(`${w.base}/${dir}/qinglang_app_bg.wasm`);
    assert.equal(wasm.status, 200, dir);
    assert.equal(wasm.headers.get('content-type'), 'application/wasm');
  }
});

test('the worker re-screens every report and stores its own findings', async () => {
  const input = report({
    category: 'fraud',
    description: '有人在评论区招募刷 单 返 利，让加他手机 13912345678，说不想活了的人也能赚钱',
    links: ['https://t.cn/AbCd12'],
  });
  const res = await postJson(`${w.base}/api/reports`, input);
  assert.equal(res.status, 201, res.text);
  const code = res.body.receipt_code.replaceAll('-', '');
  const [row] = query(w.stateDir, `SELECT r.priority, s.* FROM reports r JOIN report_screenings s ON s.report_id = r.id WHERE r.receipt_code = '${code}'`);
  const findings = JSON.parse(row.findings);
  assert.ok(findings.matches.some((m) => m.term === '刷单返利' && m.category === 'fraud'), JSON.stringify(findings.matches));
  // Offsets point into the original text, separators included.
  const hit = findings.matches.find((m) => m.term === '刷单返利');
  assert.equal([...input.description].slice(hit.start, hit.end).join(''), '刷 单 返 利');
  assert.deepEqual(findings.pii.map((p) => [p.kind, p.masked]), [['mobile', '139****5678']]);
  assert.ok(findings.links.some((l) => l.shortener), 't.cn is a link shortener');
  assert.equal(row.priority, 'urgent', 'a self-harm cue puts the report first');
  assert.match(row.engine_version, /^qinglang-engine\//);
  assert.match(row.fingerprint, /^[0-9a-f]{16}$/);
});
