// Staff sign-in and case handling against the real worker under `wrangler dev` and the real local D1:
// the create-admin command, sessions and CSRF, the accept → transfer → feedback → resolve flow with
// the reporter's public timeline, a routes × roles table of refusals that change nothing, and a race.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { startWorker, query, newKey, postJson, http, root } from './harness.mjs';
import { hashPassword } from '../scripts/create-admin.mjs';

const PASSWORD = 'correct horse battery staple';
const ACCOUNTS = [
  ['handler', 'handler', null],
  ['handler2', 'handler', null],
  ['supervisor', 'supervisor', null],
  ['police', 'liaison', 'police'],
  ['traffic', 'liaison', 'traffic'],
  ['editor', 'editor', null],
];

let w;
const sessions = {};
const ids = {};

before(async () => {
  w = await startWorker();
  // The first admin is made by the documented command, reading the password from the environment.
  execFileSync('node', [join(root, 'scripts', 'create-admin.mjs'), 'admin', '--name', '管理员', '--persist-to', w.stateDir], {
    cwd: root, env: { ...process.env, QL_PASSWORD: PASSWORD }, stdio: 'pipe',
  });
  // The others directly in SQL, hashed by the script's own function, in one wrangler call.
  const values = ACCOUNTS.map(([username, role, department]) => {
    const { hash, salt } = hashPassword(PASSWORD);
    return `('${username}', '${username}', '${role}', ${department ? `'${department}'` : 'NULL'}, '${hash}', '${salt}', 100000, 0)`;
  });
  query(w.stateDir, 'INSERT INTO staff (username, display_name, role, department, password_hash, password_salt, ' +
    `password_iterations, created_at) VALUES ${values.join(', ')}`);
  for (const row of query(w.stateDir, 'SELECT id, username FROM staff')) ids[row.username] = row.id;
  for (const username of ['admin', ...ACCOUNTS.map((a) => a[0])]) sessions[username] = await signIn(username, PASSWORD);
});
after(async () => { await w?.stop(); });

async function signIn(username, password) {
  const res = await postJson(`${w.base}/api/staff/session`, { username, password });
  assert.equal(res.status, 200, `${username}: ${res.text}`);
  const cookie = res.headers.get('set-cookie');
  return { cookie: cookie.split(';')[0], setCookie: cookie, csrf: res.body.csrf_token, body: res.body };
}

/** A staff request: JSON in and out, the session cookie, and the CSRF token unless told otherwise. */
async function staff(session, method, path, body, { csrf = session?.csrf } = {}) {
  const headers = {};
  if (session) headers.cookie = session.cookie;
  if (csrf) headers['x-csrf-token'] = csrf;
  if (body !== undefined) headers['content-type'] = 'application/json';
  const res = await http(`${w.base}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await res.text();
  let json = null;
  try { json = JSON.parse(text); } catch { /* empty */ }
  return { status: res.status, body: json, text };
}

const act = (who, id, action) => staff(sessions[who], 'POST', `/api/staff/cases/${id}/actions`, action);

async function fileReport(overrides = {}) {
  const res = await postJson(`${w.base}/api/reports`, {
    idempotency_key: newKey(),
    category: 'fraud',
    description: '有人在群里冒充客服，让大家转账解冻账户。',
    contact: { name: '李女士', phone: '13800138000' },
    ...overrides,
  });
  assert.equal(res.status, 201, res.text);
  const code = res.body.receipt_code;
  const [row] = query(w.stateDir, `SELECT id FROM reports WHERE receipt_code = '${code.replaceAll('-', '')}'`);
  return { id: row.id, code, secret: res.body.secret };
}

/** Everything a refused request must leave alone: the case rows and their event counts (one wrangler call). */
function snapshot(...caseIds) {
  return query(w.stateDir, 'SELECT r.*, (SELECT COUNT(*) FROM events e WHERE e.report_id = r.id) AS n_events ' +
    `FROM reports r WHERE r.id IN (${caseIds.join(', ')}) ORDER BY r.id`);
}

test('sign-in: wrong password and unknown user get the same 401; me and sign-out work', async () => {
  const wrong = await postJson(`${w.base}/api/staff/session`, { username: 'handler', password: 'not the password' });
  const unknown = await postJson(`${w.base}/api/staff/session`, { username: 'nobody', password: 'not the password' });
  assert.equal(wrong.status, 401);
  assert.equal(wrong.body.error, 'invalid_credentials');
  assert.equal(unknown.text, wrong.text, 'the two refusals are byte-identical');
  assert.equal(wrong.headers.get('set-cookie'), null);

  const s = await signIn('handler2', PASSWORD);
  assert.match(s.setCookie, /HttpOnly/);
  assert.match(s.setCookie, /Secure/);
  assert.match(s.setCookie, /SameSite=Strict/);
  assert.equal(s.body.staff.role, 'handler');
  const token = s.cookie.split('=')[1];
  const stored = JSON.stringify(query(w.stateDir, 'SELECT * FROM staff_sessions'));
  assert.ok(!stored.includes(token), 'only the hash of the session token is stored');

  const me = await staff(s, 'GET', '/api/staff/me');
  assert.equal(me.status, 200);
  assert.equal(me.body.staff.username, 'handler2');
  assert.equal(me.body.csrf_token, s.csrf);

  assert.equal((await staff(s, 'DELETE', '/api/staff/session', undefined, { csrf: null })).status, 403, 'sign-out needs CSRF');
  const out = await staff(s, 'DELETE', '/api/staff/session');
  assert.equal(out.status, 204);
  assert.equal((await staff(s, 'GET', '/api/staff/me')).status, 401);
  const anonymous = await staff(null, 'GET', '/api/staff/cases');
  assert.equal(anonymous.status, 401);
  assert.equal(anonymous.body.error, 'not_signed_in');
});

test('a handler accepts and transfers, the liaison reports back, the handler closes; the reporter sees only public events', async () => {
  const r = await fileReport();
  let res = await act('handler', r.id, { action: 'accept' });
  assert.equal(res.status, 200, res.text);
  assert.equal(res.body.case.status, 'accepted');
  assert.equal(res.body.case.primary_handler, ids.handler);
  assert.ok(res.body.case.due_at > Date.now());

  const detail = await staff(sessions.handler, 'GET', `/api/staff/cases/${r.id}`);
  assert.equal(detail.status, 200, detail.text);
  assert.equal(detail.body.proposed_department, 'police');
  assert.ok(detail.body.allowed_actions.includes('transfer'));
  assert.ok(!detail.body.allowed_actions.includes('accept'));
  assert.equal(detail.body.has_contact, true);
  assert.ok(!detail.text.includes('13800138000'), 'the case page does not carry the contact');
  assert.ok(detail.body.screening, 'the screening findings are shown');

  res = await act('handler', r.id, { action: 'transfer', department: 'police' });
  assert.equal(res.status, 200, res.text);
  assert.equal(res.body.case.status, 'transferred');

  const queue = await staff(sessions.police, 'GET', '/api/staff/cases');
  assert.equal(queue.status, 200, queue.text);
  assert.deepEqual(queue.body.items.map((i) => i.case.id), [r.id], 'the police liaison sees exactly this case');
  const other = await staff(sessions.traffic, 'GET', '/api/staff/cases');
  assert.deepEqual(other.body.items, [], 'another department sees none');

  res = await act('police', r.id, { action: 'feedback', text: '已立案调查，账号已封禁。' });
  assert.equal(res.status, 200, res.text);
  res = await act('handler', r.id, { action: 'note', text: '内部备注：已电话核实。' });
  assert.equal(res.status, 200, res.text);
  res = await act('handler', r.id, { action: 'resolve', reply: '经核查，涉事账号已被依法处置。感谢您的举报。' });
  assert.equal(res.status, 200, res.text);
  assert.equal(res.body.case.status, 'resolved');

  const contact = await staff(sessions.handler, 'GET', `/api/staff/cases/${r.id}/contact`);
  assert.equal(contact.status, 200, contact.text);
  assert.deepEqual(contact.body, { name: '李女士', phone: '13800138000' });

  const full = await staff(sessions.handler, 'GET', `/api/staff/cases/${r.id}`);
  assert.deepEqual(full.body.timeline.map((e) => e.kind),
    ['submitted', 'accepted', 'transferred', 'feedback', 'note', 'resolved', 'contact_viewed']);
  const viewed = full.body.timeline.at(-1);
  assert.equal(viewed.actor, `staff:${ids.handler}`);
  assert.equal(viewed.public, false);

  const track = await http(`${w.base}/api/reports/${r.code}`, { headers: { 'x-receipt-secret': r.secret } });
  const view = await track.json();
  assert.equal(view.status, 'resolved');
  assert.deepEqual(view.timeline.map((e) => e.kind), ['submitted', 'accepted', 'transferred', 'resolved']);
  assert.equal(view.timeline[2].text, '公安局', 'the reporter reads the department name');
  assert.equal(view.timeline[3].text, '经核查，涉事账号已被依法处置。感谢您的举报。');
  const text = JSON.stringify(view);
  assert.ok(!text.includes('账号已封禁') && !text.includes('内部备注') && !text.includes('staff:'), 'no staff-only text');
});

test('routes × roles: every forbidden pair gets 403 and changes nothing', async () => {
  const r = await fileReport();
  const transferred = await fileReport({ description: '冒充公检法打电话要求转账到安全账户。' });
  assert.equal((await act('handler', transferred.id, { action: 'accept' })).status, 200);
  assert.equal((await act('handler', transferred.id, { action: 'transfer', department: 'police' })).status, 200);

  // [who, method, path, body, expected error]
  const table = [
    ['editor', 'GET', '/api/staff/cases', undefined, 'forbidden'],
    ['editor', 'GET', `/api/staff/cases/${r.id}`, undefined, 'forbidden'],
    ['editor', 'GET', `/api/staff/cases/${r.id}/contact`, undefined, 'forbidden'],
    ['editor', 'POST', `/api/staff/cases/${r.id}/actions`, { action: 'accept' }, 'forbidden'],
    ['editor', 'POST', `/api/staff/cases/${r.id}/actions`, { action: 'note', text: 'x' }, 'forbidden'],
    ['supervisor', 'POST', `/api/staff/cases/${r.id}/actions`, { action: 'accept' }, 'forbidden'],
    ['supervisor', 'POST', `/api/staff/cases/${r.id}/actions`, { action: 'reject', reason: 'duplicate' }, 'forbidden'],
    ['handler', 'POST', `/api/staff/cases/${r.id}/actions`, { action: 'supervise', note: '请加快' }, 'forbidden'],
    ['handler', 'POST', `/api/staff/cases/${transferred.id}/actions`, { action: 'feedback', text: 'x' }, 'forbidden'],
    ['police', 'POST', `/api/staff/cases/${r.id}/actions`, { action: 'accept' }, 'forbidden'],
    ['police', 'POST', `/api/staff/cases/${transferred.id}/actions`, { action: 'resolve', reply: 'x' }, 'forbidden'],
    ['police', 'GET', `/api/staff/cases/${r.id}`, undefined, 'case_not_in_department'],
    ['police', 'GET', `/api/staff/cases/${transferred.id}/contact`, undefined, 'forbidden'],
    ['traffic', 'GET', `/api/staff/cases/${transferred.id}`, undefined, 'case_not_in_department'],
    ['traffic', 'POST', `/api/staff/cases/${transferred.id}/actions`, { action: 'feedback', text: 'x' }, 'case_not_in_department'],
    ['traffic', 'POST', `/api/staff/cases/${transferred.id}/actions`, { action: 'reply', text: 'x' }, 'case_not_in_department'],
  ];
  // One snapshot around the whole table: each wrangler query costs about a second, and a change by any
  // row shows up in the diff (the rows' own statuses say which request misbehaved).
  const before = snapshot(r.id, transferred.id);
  for (const [who, method, path, body, error] of table) {
    const res = await staff(sessions[who], method, path, body);
    assert.equal(res.status, 403, `${who} ${method} ${path} ${JSON.stringify(body)}: ${res.text}`);
    assert.equal(res.body.error, error, `${who} ${method} ${path}`);
  }
  assert.deepEqual(snapshot(r.id, transferred.id), before, 'no forbidden request changed a case or wrote an event');
  // The allowed side of a few pairs, so the table is not vacuous.
  assert.equal((await staff(sessions.supervisor, 'GET', `/api/staff/cases/${r.id}/contact`)).status, 200);
  assert.equal((await staff(sessions.police, 'GET', `/api/staff/cases/${transferred.id}`)).status, 200);
  assert.equal((await act('supervisor', transferred.id, { action: 'supervise', note: '限期办结' })).status, 200);
});

test('state changes without the CSRF token are refused and change nothing', async () => {
  const r = await fileReport();
  const before = snapshot(r.id);
  for (const csrf of [null, 'not-the-token', sessions.handler2?.csrf ?? 'x']) {
    const res = await staff(sessions.handler, 'POST', `/api/staff/cases/${r.id}/actions`, { action: 'accept' }, { csrf });
    assert.equal(res.status, 403, res.text);
    assert.equal(res.body.error, 'csrf_token_invalid');
  }
  assert.deepEqual(snapshot(r.id), before);
});

test('refusals from the workflow: wrong state, missing reason, unknown department, unknown field', async () => {
  const r = await fileReport();
  let res = await act('handler', r.id, { action: 'resolve', reply: '太早了' });
  assert.equal(res.status, 409);
  assert.equal(res.body.error, 'case_wrong_state');
  assert.equal((await act('handler', r.id, { action: 'accept' })).status, 200);
  res = await act('handler', r.id, { action: 'transfer', department: 'nowhere' });
  assert.equal(res.status, 400);
  assert.equal(res.body.error, 'unknown_department');
  res = await act('handler', r.id, { action: 'accept', status: 'resolved' });
  assert.equal(res.status, 400);
  assert.equal(res.body.error, 'bad_json');
  assert.equal((await act('handler', r.id, { action: 'transfer', department: 'police' })).status, 200);
  res = await act('handler', r.id, { action: 'transfer', department: 'cac' });
  assert.equal(res.status, 400);
  assert.equal(res.body.error, 'reason_required');
  assert.equal(snapshot(r.id)[0].status, 'transferred');
});

test('two concurrent actions on one case: one wins, the other gets case_wrong_state, one event is written', async () => {
  const r = await fileReport();
  const results = await Promise.all([
    act('handler', r.id, { action: 'accept' }),
    act('admin', r.id, { action: 'reject', reason: 'duplicate' }),
  ]);
  const statuses = results.map((x) => x.status).sort();
  assert.deepEqual(statuses, [200, 409], JSON.stringify(results.map((x) => x.body)));
  assert.equal(results.find((x) => x.status === 409).body.error, 'case_wrong_state');
  const kinds = query(w.stateDir, `SELECT kind FROM events WHERE report_id = ${r.id} ORDER BY id`).map((e) => e.kind);
  assert.equal(kinds.length, 2, kinds.join());
});

test('queue: filters and keyset paging', async () => {
  const a = await fileReport();
  const b = await fileReport({ description: '短信说医保卡冻结，要求点链接验证。' });
  assert.equal((await act('handler', a.id, { action: 'accept' })).status, 200);
  assert.equal((await act('handler', b.id, { action: 'accept' })).status, 200);
  const all = await staff(sessions.handler, 'GET', '/api/staff/cases?state=accepted&category=fraud&sort=due');
  assert.equal(all.status, 200, all.text);
  assert.ok(all.body.items.every((i) => i.case.status === 'accepted' && i.case.category === 'fraud'));
  const seen = [];
  let next = null;
  do {
    const page = await staff(sessions.handler, 'GET', `/api/staff/cases?state=accepted&limit=1${next ? `&after=${next}` : ''}`);
    assert.equal(page.status, 200, page.text);
    assert.ok(page.body.items.length <= 1);
    seen.push(...page.body.items.map((i) => i.case.id));
    next = page.body.next;
  } while (next);
  assert.deepEqual(seen, all.body.items.map((i) => i.case.id), 'paging walks the same order without gaps');
  const dues = all.body.items.map((i) => i.case.due_at);
  assert.deepEqual(dues, [...dues].sort((x, y) => x - y));
  const none = await staff(sessions.handler, 'GET', '/api/staff/cases?sort=priority&overdue=1');
  assert.equal(none.status, 200, none.text);
  assert.deepEqual(none.body.items, [], 'nothing is overdue yet');
  // A fixture, not a workflow step: move one deadline into the past.
  query(w.stateDir, `UPDATE reports SET due_at = 1000 WHERE id = ${a.id}`);
  const overdue = await staff(sessions.handler, 'GET', '/api/staff/cases?overdue=1');
  assert.deepEqual(overdue.body.items.map((i) => [i.case.id, i.overdue]), [[a.id, true]]);
  assert.equal((await staff(sessions.handler, 'GET', '/api/staff/cases?state=bogus')).status, 400);
});

test('sign-in attempts are rate-limited per username, and the right password is refused too while limited', async () => {
  // A username of its own, so the other tests' accounts are not locked.
  const { hash, salt } = hashPassword(PASSWORD);
  query(w.stateDir, 'INSERT INTO staff (username, display_name, role, password_hash, password_salt, password_iterations, ' +
    `created_at) VALUES ('probe', 'probe', 'handler', '${hash}', '${salt}', 100000, 0)`);
  for (let i = 0; i < 10; i++) {
    const res = await postJson(`${w.base}/api/staff/session`, { username: 'probe', password: `guess number ${i}` });
    assert.equal(res.status, 401, res.text);
  }
  const limited = await postJson(`${w.base}/api/staff/session`, { username: 'probe', password: PASSWORD });
  assert.equal(limited.status, 429, limited.text);
  assert.equal(limited.body.error, 'rate_limited');
  assert.equal(limited.headers.get('set-cookie'), null);
});

test('create-admin refuses a short password and a taken username', () => {
  const run = (args, password) => {
    try {
      execFileSync('node', [join(root, 'scripts', 'create-admin.mjs'), ...args, '--persist-to', w.stateDir], {
        cwd: root, env: { ...process.env, QL_PASSWORD: password }, stdio: 'pipe',
      });
      return { code: 0, err: '' };
    } catch (e) {
      return { code: e.status, err: e.stderr.toString() };
    }
  };
  const short = run(['newadmin'], 'short');
  assert.equal(short.code, 2);
  assert.match(short.err, /12 characters/);
  const taken = run(['admin'], PASSWORD);
  assert.equal(taken.code, 2);
  assert.match(taken.err, /taken/);
  assert.equal(query(w.stateDir, "SELECT COUNT(*) AS n FROM staff WHERE username IN ('admin', 'newadmin')")[0].n, 1);
});

test('the reporter reopens a resolved case with code and secret; it goes back to the handler', async () => {
  const r = await fileReport();
  assert.equal((await act('handler', r.id, { action: 'accept' })).status, 200);
  assert.equal((await act('handler', r.id, { action: 'resolve', reply: '已处理。' })).status, 200);
  const reopen = (secret, body) => postJson(`${w.base}/api/reports/${r.code}/reopen`, body, { 'x-receipt-secret': secret });
  const wrong = await reopen('AAAA-BBBB-CCCC', { reason: '账号还在' });
  assert.equal(wrong.status, 404);
  assert.equal(wrong.body.error, 'receipt_not_found');
  assert.equal(snapshot(r.id)[0].status, 'resolved');
  const empty = await reopen(r.secret, { reason: ' ' });
  assert.equal(empty.status, 400);
  assert.equal(empty.body.error, 'reason_required');
  const ok = await reopen(r.secret, { reason: '账号还在继续发布诈骗信息。' });
  assert.equal(ok.status, 200, ok.text);
  assert.equal(ok.body.status, 'reopened');
  assert.deepEqual(ok.body.timeline.map((e) => e.kind), ['submitted', 'accepted', 'resolved', 'reopened']);
  const [row] = snapshot(r.id);
  assert.equal(row.reopen_count, 1);
  assert.equal(row.resolved_at, null);
  assert.equal((await reopen(r.secret, { reason: '再次' })).body.error, 'case_wrong_state');
  const detail = await staff(sessions.handler, 'GET', `/api/staff/cases/${r.id}`);
  assert.ok(detail.body.allowed_actions.includes('resolve'), 'back with the handler');
});
