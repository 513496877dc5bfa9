// The staff directory (GET /api/staff/directory) and staff names on the case page, against the real
// worker under `wrangler dev` and its local D1: what it lists (active accounts only, no sign-in name,
// no password material), who may read it, how a bad query is refused in three languages; that a case
// carries the names of the people it names, for a liaison too; and that only handlers and admins can
// be assigned a case.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startWorker, query, http } from './harness.mjs';
import { setUpStaff, ACCOUNTS } from './staff-fixture.mjs';

let w;
let s;
before(async () => {
  w = await startWorker();
  s = await setUpStaff(w);
  // One disabled handler: never in the directory.
  query(w.stateDir, "INSERT INTO staff (username, display_name, role, password_hash, password_salt, password_iterations, active, created_at) " +
    "VALUES ('gone', '已离职', 'handler', 'x', 'y', 1, 0, 0)");
  for (const row of query(w.stateDir, "SELECT id FROM staff WHERE username = 'gone'")) s.ids.gone = row.id;
});
after(async () => { await w?.stop(); });

const directory = (who, search = '') => s.staff(s.sessions[who], 'GET', `/api/staff/directory${search}`);

test('the directory lists every active account by name, with role and department and nothing else', async () => {
  const res = await directory('handler');
  assert.equal(res.status, 200, res.text);
  const expected = ACCOUNTS.map(([username, role, department]) => ({
    id: s.ids[username], display_name: `${username} 名`, role, department, active: true,
  })).sort((a, b) => (a.display_name < b.display_name ? -1 : a.display_name > b.display_name ? 1 : a.id - b.id));
  assert.deepEqual(res.body.items, expected);
  for (const item of res.body.items) assert.deepEqual(Object.keys(item).sort(), ['active', 'department', 'display_name', 'id', 'role']);
  assert.ok(!res.body.items.some((i) => i.id === s.ids.gone), 'a disabled account is not listed');
  // No sign-in name, no password material anywhere in the answer.
  for (const secret of ['password', 'salt', 'hash', 'username', 'iterations']) assert.ok(!res.text.includes(secret), secret);
  const [row] = query(w.stateDir, `SELECT password_hash, password_salt, username FROM staff WHERE id = ${s.ids.handler2}`);
  assert.ok(!res.text.includes(row.password_hash) && !res.text.includes(row.password_salt));
  // (Most of the fixture's usernames are also role or department codes; this one is not.)
  assert.equal(row.username, 'handler2');
  assert.ok(!res.text.includes('"handler2"'), 'the sign-in name is not a value either');

  const handlers = await directory('supervisor', '?role=handler');
  assert.equal(handlers.status, 200, handlers.text);
  assert.deepEqual(handlers.body.items.map((i) => i.id).sort((a, b) => a - b), [s.ids.handler, s.ids.handler2].sort((a, b) => a - b));
  const liaisons = await directory('admin', '?role=liaison');
  assert.deepEqual(liaisons.body.items.map((i) => [i.department, i.role]).sort(), [['police', 'liaison'], ['traffic', 'liaison']]);
});

test('liaisons and editors are refused with 403, signed out with 401, before the query is read', async () => {
  for (const who of ['police', 'editor']) {
    for (const search of ['', '?role=handler', '?role=nonsense']) {
      const res = await directory(who, search);
      assert.equal(res.status, 403, `${who} ${search}: ${res.text}`);
      assert.equal(res.body.error, 'forbidden');
    }
  }
  const out = await s.staff(null, 'GET', '/api/staff/directory');
  assert.equal(out.status, 401);
  assert.equal(out.body.error, 'not_signed_in');
  const post = await s.staff(s.sessions.admin, 'POST', '/api/staff/directory', {});
  assert.equal(post.status, 405);
});

test('a bad query is a 400 naming the parameter, in the language asked for', async () => {
  for (const [search, field] of [['?role=root', 'role'], ['?role=', 'role'], ['?role=Handler', 'role'],
    ['?role=handler&role=admin', 'role'], ['?username=admin', 'username'], ['?role=handler&limit=5', 'limit']]) {
    const res = await directory('admin', search);
    assert.equal(res.status, 400, `${search}: ${res.text}`);
    assert.equal(res.body.error, 'bad_json');
    assert.equal(res.body.field, field, search);
  }
  const messages = {};
  for (const lang of ['zh-Hans', 'zh-Hant', 'en']) {
    const res = await http(`${w.base}/api/staff/directory?role=root`, { headers: { cookie: s.sessions.handler.cookie, 'accept-language': lang } });
    assert.equal(res.status, 400);
    messages[lang] = (await res.json()).message;
  }
  assert.match(messages['zh-Hans'], /格式有误/);
  assert.match(messages['zh-Hant'], /格式有誤/);
  assert.match(messages.en, /malformed/);
});

test('a case names its people for everyone who may see it, a liaison included', async () => {
  const r = await s.fileReport({ description: '冒充客服要求转账，已经有人被骗。' });
  assert.equal((await s.act('handler', r.id, { action: 'accept' })).status, 200);
  const assigned = await s.act('handler', r.id, { action: 'assign', primary: s.ids.handler, backup: s.ids.handler2 });
  assert.equal(assigned.status, 200, assigned.text);
  assert.equal((await s.act('admin', r.id, { action: 'transfer', department: 'police' })).status, 200);
  assert.equal((await s.act('police', r.id, { action: 'note', text: '已接收' })).status, 200);

  const names = (body) => Object.fromEntries(body.staff.map((n) => [n.id, n.display_name]));
  const expected = {
    [s.ids.handler]: 'handler 名', [s.ids.handler2]: 'handler2 名', [s.ids.admin]: 'admin 名', [s.ids.police]: 'police 名',
  };
  for (const who of ['handler', 'supervisor', 'police']) {
    const res = await s.staff(s.sessions[who], 'GET', `/api/staff/cases/${r.id}`);
    assert.equal(res.status, 200, `${who}: ${res.text}`);
    assert.deepEqual(names(res.body), expected, who);
    assert.ok(!res.text.includes('password'), who);
  }
  // A handler since disabled is still named on the case, marked inactive.
  query(w.stateDir, `UPDATE staff SET active = 0 WHERE id = ${s.ids.handler2}`);
  const later = await s.staff(s.sessions.police, 'GET', `/api/staff/cases/${r.id}`);
  assert.deepEqual(later.body.staff.find((n) => n.id === s.ids.handler2), {
    id: s.ids.handler2, display_name: 'handler2 名', role: 'handler', department: null, active: false,
  });
  query(w.stateDir, `UPDATE staff SET active = 1 WHERE id = ${s.ids.handler2}`);
});

test('only handlers and admins can be assigned a case; the refusal names the field and changes nothing', async () => {
  const r = await s.fileReport({ description: '兼职刷单返利，先交押金再返现。' });
  const before = query(w.stateDir, `SELECT primary_handler, backup_handler, updated_at FROM reports WHERE id = ${r.id}`);
  const events = () => query(w.stateDir, `SELECT COUNT(*) AS n FROM events WHERE report_id = ${r.id}`)[0].n;
  const eventsBefore = events();
  for (const [primary, backup, status, error, field] of [
    [s.ids.supervisor, undefined, 400, 'not_a_handler', 'primary'],
    [s.ids.handler, s.ids.police, 400, 'not_a_handler', 'backup'],
    [s.ids.editor, s.ids.handler, 400, 'not_a_handler', 'primary'],
    [s.ids.gone, undefined, 400, 'unknown_staff', 'primary'],
    [s.ids.handler, 999999, 400, 'unknown_staff', 'backup'],
    [s.ids.handler, s.ids.handler, 400, 'same_handler', 'backup'],
  ]) {
    const res = await s.act('handler', r.id, { action: 'assign', primary, ...(backup ? { backup } : {}) });
    assert.equal(res.status, status, `${primary}/${backup}: ${res.text}`);
    assert.equal(res.body.error, error);
    assert.equal(res.body.field, field);
  }
  assert.deepEqual(query(w.stateDir, `SELECT primary_handler, backup_handler, updated_at FROM reports WHERE id = ${r.id}`), before);
  assert.equal(events(), eventsBefore);
  const ok = await s.act('handler', r.id, { action: 'assign', primary: s.ids.admin, backup: s.ids.handler });
  assert.equal(ok.status, 200, ok.text);
  assert.deepEqual([ok.body.case.primary_handler, ok.body.case.backup_handler], [s.ids.admin, s.ids.handler]);
});
