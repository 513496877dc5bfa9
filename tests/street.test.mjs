// From the street poster to the phone (issue 7): evidence pictures and QR channels, against the real
// worker under `wrangler dev` (local D1 and R2) and, for the citizen's side, headless Chromium on a
// phone viewport. Fixtures: tests/fixtures/*.{jpg,png,webp}, made by tests/fixtures/make-images.py.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startWorker, query, newKey, postJson, http, root, launchChromium } from './harness.mjs';
import { hashPassword } from '../scripts/create-admin.mjs';

const fixture = (name) => readFileSync(join(root, 'tests', 'fixtures', name));
const artifacts = join(root, 'tests', 'artifacts');
mkdirSync(artifacts, { recursive: true });
const PASSWORD = 'correct horse battery staple';

let w;
let browser;
const sessions = {};

before(async () => {
  w = await startWorker();
  execFileSync('node', [join(root, 'scripts', 'create-admin.mjs'), 'admin', '--name', '管理员', '--persist-to', w.stateDir], {
    cwd: root, env: { ...process.env, QL_PASSWORD: PASSWORD }, stdio: 'pipe',
  });
  const values = [['handler', 'handler', null], ['police', 'liaison', 'police'], ['editor', 'editor', null]].map(([u, role, dept]) => {
    const { hash, salt } = hashPassword(PASSWORD);
    return `('${u}', '${u}', '${role}', ${dept ? `'${dept}'` : 'NULL'}, '${hash}', '${salt}', 100000, 0)`;
  });
  query(w.stateDir, 'INSERT INTO staff (username, display_name, role, department, password_hash, password_salt, ' +
    `password_iterations, created_at) VALUES ${values.join(', ')}`);
  for (const u of ['admin', 'handler', 'police', 'editor']) {
    const res = await postJson(`${w.base}/api/staff/session`, { username: u, password: PASSWORD });
    assert.equal(res.status, 200, res.text);
    sessions[u] = { cookie: res.headers.get('set-cookie').split(';')[0], csrf: res.body.csrf_token };
  }
  browser = await launchChromium();
});
after(async () => {
  await browser?.close();
  await w?.stop();
});

/** A staff request with the session cookie and CSRF token; returns { status, body, bytes, headers }. */
async function staff(who, method, path, body) {
  const headers = {};
  if (who) { headers.cookie = sessions[who].cookie; headers['x-csrf-token'] = sessions[who].csrf; }
  if (body !== undefined) headers['content-type'] = 'application/json';
  const res = await http(`${w.base}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const bytes = Buffer.from(await res.arrayBuffer());
  let json = null;
  try { json = JSON.parse(bytes.toString()); } catch { /* not JSON */ }
  return { status: res.status, body: json, bytes, headers: res.headers };
}

async function upload(key, slot, bytes, type = 'image/jpeg', headers = {}) {
  const res = await http(`${w.base}/api/uploads?key=${key}&slot=${slot}`, {
    method: 'POST', headers: { 'content-type': type, 'accept-language': 'en', ...headers }, body: bytes,
  });
  const text = await res.text();
  let body = null;
  try { body = JSON.parse(text); } catch { /* not JSON */ }
  return { status: res.status, body };
}

const report = (key, extra = {}) => ({
  idempotency_key: key, category: 'rumor', description: '群里流传停水三天的假通知', links: ['https://weibo.com/1'], ...extra,
});

/** Walks a JPEG's segments: { width, height, app1: number of APP1 segments, exif: whether "Exif" occurs }. */
function jpegFacts(buf) {
  assert.equal(buf.readUInt16BE(0), 0xffd8, 'starts with SOI');
  assert.equal(buf.readUInt16BE(buf.length - 2), 0xffd9, 'ends with EOI');
  let at = 2; let width = 0; let height = 0; let app1 = 0;
  while (at < buf.length) {
    const marker = buf.readUInt16BE(at);
    if (marker === 0xffda) break;
    const len = buf.readUInt16BE(at + 2);
    if (marker === 0xffe1) app1 += 1;
    if ([0xffc0, 0xffc1, 0xffc2].includes(marker)) { height = buf.readUInt16BE(at + 5); width = buf.readUInt16BE(at + 7); }
    at += 2 + len;
  }
  return { width, height, app1, exif: buf.includes(Buffer.from('Exif')), gps: buf.includes(Buffer.from('QinglangTest')) };
}

test('uploads: real pictures are stored once per slot; caps, wrong bytes and metadata are refused', async () => {
  const key = newKey();
  const first = await upload(key, 0, fixture('plain.jpg'));
  assert.equal(first.status, 201);
  assert.match(first.body.id, /^[0-9a-f]{32}$/);
  assert.deepEqual([first.body.format, first.body.width, first.body.height], ['jpeg', 40, 24]);
  // A retry of the same slot with the same bytes is the same upload; other bytes in it are a conflict.
  const again = await upload(key, 0, fixture('plain.jpg'));
  assert.deepEqual([again.status, again.body.id], [200, first.body.id]);
  assert.equal((await upload(key, 0, fixture('plain.png'), 'image/png')).body.error, 'idempotency_conflict');
  assert.equal((await upload(key, 1, fixture('plain.png'), 'image/png')).status, 201);
  assert.equal((await upload(key, 2, fixture('lossless.webp'), 'image/webp')).status, 201);

  const refusals = [
    ['not-an-image.jpg', 'image/jpeg', 400, 'image_invalid'],
    ['gps.jpg', 'image/jpeg', 400, 'image_metadata'],
    ['exif.png', 'image/png', 400, 'image_metadata'],
    ['exif.webp', 'image/webp', 400, 'image_metadata'],
    ['too-wide.png', 'image/png', 413, 'image_too_large'],
    ['plain.jpg', 'text/plain', 415, 'unsupported_media_type'],
  ];
  for (const [name, type, status, error] of refusals) {
    const res = await upload(key, 3, fixture(name), type);
    assert.deepEqual([res.status, res.body?.error], [status, error], name);
  }
  // Over the per-file cap (3 MB): refused before the bytes are read.
  const big = Buffer.concat([fixture('plain.jpg'), Buffer.alloc(3 * 1024 * 1024)]);
  assert.deepEqual([(await upload(key, 3, big)).status], [413]);
  assert.equal((await upload(key, 32, fixture('plain.jpg'))).body.error, 'too_many_images');
  assert.equal((await upload('short', 3, fixture('plain.jpg'))).body.error, 'invalid_idempotency_key');
  // A refusal is translated.
  const zh = await upload(key, 3, fixture('not-an-image.jpg'), 'image/jpeg', { 'accept-language': 'zh-CN' });
  assert.equal(zh.body.message, '这不是可以识别的图片，请选择照片或截图（JPEG、PNG、WebP）。');
  assert.equal(query(w.stateDir, `SELECT COUNT(*) AS n FROM uploads WHERE idempotency_key = '${key}'`)[0].n, 3);
});

test('a report attaches its own uploads atomically and refuses missing or foreign ones', async () => {
  const key = newKey();
  const other = newKey();
  const mine = (await upload(key, 0, fixture('plain.jpg'))).body.id;
  const theirs = (await upload(other, 0, fixture('plain.jpg'))).body.id;
  const foreign = await postJson(`${w.base}/api/reports`, report(key, { evidence: [mine, theirs] }));
  assert.deepEqual([foreign.status, foreign.body.error, foreign.body.field], [400, 'evidence_missing', 'evidence.1']);
  const missing = await postJson(`${w.base}/api/reports`, report(key, { evidence: ['0'.repeat(32)] }));
  assert.equal(missing.body.error, 'evidence_missing');
  const seven = await postJson(`${w.base}/api/reports`, report(key, { evidence: Array.from({ length: 7 }, (_, i) => `${i}`.padStart(32, '0')) }));
  assert.equal(seven.body.error, 'too_many_images');
  assert.equal(query(w.stateDir, `SELECT COUNT(*) AS n FROM reports WHERE idempotency_key = '${key}'`)[0].n, 0, 'nothing stored');

  const ok = await postJson(`${w.base}/api/reports`, report(key, { evidence: [mine] }));
  assert.equal(ok.status, 201, ok.text);
  const rows = query(w.stateDir, `SELECT u.position, r.receipt_code FROM uploads u JOIN reports r ON r.id = u.report_id WHERE u.id = '${mine}'`);
  assert.equal(rows.length, 1);
  // Once the report is filed, its draft key takes no more pictures.
  assert.equal((await upload(key, 1, fixture('plain.png'), 'image/png')).body.error, 'idempotency_conflict');
});

test('evidence is served only to staff who may see the case, and each reading is logged', async () => {
  const key = newKey();
  const id = (await upload(key, 0, fixture('plain.png'), 'image/png')).body.id;
  assert.equal((await postJson(`${w.base}/api/reports`, report(key, { evidence: [id] }))).status, 201);
  const caseId = query(w.stateDir, `SELECT id FROM reports WHERE idempotency_key = '${key}'`)[0].id;
  const path = `/api/staff/cases/${caseId}/evidence/0`;

  const detail = await staff('handler', 'GET', `/api/staff/cases/${caseId}`);
  assert.deepEqual(detail.body.evidence, [{ index: 0, media_type: 'image/png', width: 40, height: 24, bytes: fixture('plain.png').length }]);
  const got = await staff('handler', 'GET', path);
  assert.equal(got.status, 200);
  assert.equal(got.headers.get('content-type'), 'image/png');
  assert.match(got.headers.get('cache-control'), /no-store/);
  assert.ok(got.bytes.equals(fixture('plain.png')), 'the stored bytes come back unchanged');
  assert.equal((await staff(null, 'GET', path)).status, 401);
  assert.equal((await staff('editor', 'GET', path)).status, 403);
  assert.equal((await staff('police', 'GET', path)).status, 403, 'a liaison sees only cases with their department');
  assert.equal((await staff('handler', 'GET', `/api/staff/cases/${caseId}/evidence/1`)).status, 404);
  const logged = query(w.stateDir, `SELECT actor FROM events WHERE report_id = ${caseId} AND kind = 'evidence_viewed'`);
  assert.equal(logged.length, 1);
});

test('channels: admin-only management, public pre-fill, scan → started → submitted funnel, poster QR decodes', async () => {
  const district = query(w.stateDir, 'SELECT code FROM districts ORDER BY position LIMIT 1')[0].code;
  const body = { code: 'Bus-12', place: '人民广场公交站', district, kind: 'bus_stop' };
  for (const who of [null, 'handler', 'editor']) {
    assert.ok([401, 403].includes((await staff(who, 'POST', '/api/admin/channels', body)).status), `${who}`);
    assert.ok([401, 403].includes((await staff(who, 'GET', '/api/admin/channels')).status), `${who}`);
    assert.ok([401, 403].includes((await staff(who, 'GET', '/api/admin/channels/bus-12/poster.svg')).status), `${who}`);
  }
  const created = await staff('admin', 'POST', '/api/admin/channels', body);
  assert.equal(created.status, 201, JSON.stringify(created.body));
  assert.deepEqual([created.body.code, created.body.short_path, created.body.funnel], ['bus-12', '/q/bus-12', { scans: 0, started: 0, submitted: 0 }]);
  assert.equal((await staff('admin', 'POST', '/api/admin/channels', body)).body.error, 'channel_exists');
  assert.equal((await staff('admin', 'POST', '/api/admin/channels', { ...body, code: 'x', district: 'atlantis' })).body.field, 'district');

  // Scans: counted, then sent to the report flow with the channel; unknown codes still reach the flow.
  for (let i = 0; i < 2; i++) {
    const res = await http(`${w.base}/q/bus-12`, { redirect: 'manual' });
    assert.equal(res.status, 302);
    assert.equal(new URL(res.headers.get('location')).pathname + new URL(res.headers.get('location')).search, '/report?c=bus-12');
  }
  const unknown = await http(`${w.base}/q/nope`, { redirect: 'manual' });
  assert.equal(new URL(unknown.headers.get('location')).pathname + new URL(unknown.headers.get('location')).search, '/report');
  const pub = await http(`${w.base}/api/channels/bus-12`);
  assert.deepEqual(await pub.json(), { district, place: '人民广场公交站' });

  const key = newKey();
  for (let i = 0; i < 3; i++) {
    const res = await postJson(`${w.base}/api/channels/bus-12/started`, { idempotency_key: key });
    assert.equal(res.status, 204);
  }
  assert.equal((await postJson(`${w.base}/api/reports`, report(key, { channel: 'bus-12' }))).status, 201);
  const funnel = (await staff('admin', 'GET', '/api/admin/channels/bus-12')).body.funnel;
  assert.deepEqual(funnel, { scans: 2, started: 1, submitted: 1 });

  // A retired poster's QR still leads to the report flow, without the channel, and counts nothing.
  assert.equal((await staff('admin', 'PATCH', '/api/admin/channels/bus-12', { active: false })).body.active, false);
  const retired = await http(`${w.base}/q/bus-12`, { redirect: 'manual' });
  assert.equal(new URL(retired.headers.get('location')).search, '');
  assert.equal((await staff('admin', 'GET', '/api/admin/channels')).body.items[0].funnel.scans, 2);
  assert.equal((await staff('admin', 'PATCH', '/api/admin/channels/bus-12', { active: true })).status, 200);

  // The poster: an A4 SVG with the title, the place and the office, and a PNG whose QR decodes to the short URL.
  const svg = await staff('admin', 'GET', '/api/admin/channels/bus-12/poster.svg');
  assert.equal(svg.status, 200);
  const text = svg.bytes.toString();
  for (const part of ['width="210mm"', 'height="297mm"', '清朗举报', '人民广场公交站', '清朗市委网信办', `${w.base}/q/bus-12`]) {
    assert.ok(text.includes(part), part);
  }
  const png = await staff('admin', 'GET', '/api/admin/channels/bus-12/poster.png');
  assert.equal(png.headers.get('content-type'), 'image/png');
  console.log(`poster sizes: SVG ${svg.bytes.length} bytes, PNG ${png.bytes.length} bytes`);
  const page = await browser.newPage();
  try {
    // Decode both renderings in Chromium (it rasterises the SVG) and read the QR there with jsQR.
    await page.addScriptTag({ path: join(root, 'node_modules', 'jsqr', 'dist', 'jsQR.js') });
    for (const [bytes, type] of [[png.bytes, 'image/png'], [svg.bytes, 'image/svg+xml']]) {
      const data = await page.evaluate(async ({ b64, type }) => {
        const img = new Image();
        img.src = `data:${type};base64,${b64}`;
        await img.decode();
        const canvas = document.createElement('canvas');
        canvas.width = img.naturalWidth; canvas.height = img.naturalHeight;
        const ctx = canvas.getContext('2d');
        ctx.fillStyle = '#fff'; ctx.fillRect(0, 0, canvas.width, canvas.height);
        ctx.drawImage(img, 0, 0, canvas.width, canvas.height);
        const pixels = ctx.getImageData(0, 0, canvas.width, canvas.height);
        return window.jsQR(pixels.data, pixels.width, pixels.height)?.data ?? null;
      }, { b64: bytes.toString('base64'), type });
      assert.equal(data, `${w.base}/q/bus-12`, type);
    }
  } finally {
    await page.close();
  }
});

test('browser: a poster scan pre-fills the district, a GPS-tagged photo is sent upright without metadata, a fake one is refused', async () => {
  const district = query(w.stateDir, 'SELECT code, name_zh_hans FROM districts ORDER BY position LIMIT 1')[0];
  await staff('admin', 'POST', '/api/admin/channels', { code: 'poster-7', place: '社区中心', district: district.code, kind: 'poster' });
  const context = await browser.newContext({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true, locale: 'zh-CN' });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  try {
    await page.goto(`${w.base}/q/poster-7`);
    await page.waitForURL(/\/report\?c=poster-7$/);
    await page.getByText('来自宣传点：poster-7').waitFor();
    await page.getByRole('radio', { name: '随地吐痰' }).click();
    await page.getByLabel('您看到了什么？').fill('公交站台有人随地吐痰，多次劝阻无效。');
    // The district came from the poster's channel.
    await page.waitForFunction((code) => document.querySelector('#f-district')?.value === code, district.code);
    await page.getByRole('button', { name: '下一步' }).click();

    // Evidence: a text file renamed .jpg is refused with a translated sentence; the GPS photo is taken.
    const input = page.locator('input[type=file]');
    assert.equal(await input.getAttribute('accept'), 'image/*');
    await input.setInputFiles({ name: 'fake.jpg', mimeType: 'image/jpeg', buffer: fixture('not-an-image.jpg') });
    await page.getByText('这不是可以识别的图片，请选择照片或截图（JPEG、PNG、WebP）。').waitFor();
    await input.setInputFiles({ name: 'IMG_0001.jpg', mimeType: 'image/jpeg', buffer: fixture('gps.jpg') });
    await page.getByRole('img', { name: '照片 1' }).waitFor();
    await page.screenshot({ path: join(artifacts, 'street-01-evidence.png') });
    // The picture survives a reload (IndexedDB).
    await page.reload();
    await page.getByRole('img', { name: '照片 1' }).waitFor();
    await page.getByRole('button', { name: '下一步' }).click();
    await page.getByRole('button', { name: '下一步' }).click();
    // The review shows the picture that will be sent, with a way back to the evidence step.
    await page.getByTestId('review-thumbs').getByRole('img', { name: '照片 1' }).waitFor();
    await page.screenshot({ path: join(artifacts, 'street-015-review.png') });
    await page.getByRole('button', { name: '提交举报' }).click();
    await page.getByTestId('receipt-code').waitFor();
    await page.getByTestId('receipt-thumbs').getByRole('img', { name: '照片 1' }).waitFor();
    await page.screenshot({ path: join(artifacts, 'street-02-receipt.png') });
  } finally {
    await context.close();
  }
  assert.deepEqual(errors, []);

  const row = query(w.stateDir, "SELECT id, channel, district FROM reports WHERE channel = 'poster-7'")[0];
  assert.deepEqual([row.channel, row.district], ['poster-7', district.code]);
  const got = await staff('handler', 'GET', `/api/staff/cases/${row.id}/evidence/0`);
  assert.equal(got.status, 200);
  const facts = jpegFacts(got.bytes);
  assert.deepEqual([facts.app1, facts.exif, facts.gps], [0, false, false], 'no EXIF, GPS or camera make left');
  // Orientation 6 was applied on the phone: the 40×24 stored pixels became an upright 24×40 picture.
  assert.deepEqual([facts.width, facts.height], [24, 40]);
  assert.ok(Math.max(facts.width, facts.height) <= 2048);
  const funnel = (await staff('admin', 'GET', '/api/admin/channels/poster-7')).body.funnel;
  assert.deepEqual(funnel, { scans: 1, started: 1, submitted: 1 });
});
