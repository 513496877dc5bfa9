// Routes × roles: every staff route against every role (admin, handler, supervisor, liaison, editor)
// and signed out. Each forbidden pair must answer 403 (401 signed out) and leave every D1 table as it
// was; each allowed pair must get past the access check. The expected table is written out here,
// independently of the worker, from the permission table in domain/src/workflow/access.rs.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startWorker, query, queryAll } from './harness.mjs';
import { setUpStaff, signIn } from './staff-fixture.mjs';

let w;
let s;
before(async () => {
  w = await startWorker();
  s = await setUpStaff(w);
});
after(async () => { await w?.stop(); });

const ROLES = ['admin', 'handler', 'supervisor', 'police', 'editor', null];
const ALL = 'admin handler supervisor police editor';

/** Every table a staff route could change (sessions and sign-in failures are the sign-in's own). */
const TABLES = ['reports', 'events', 'report_contacts', 'case_requests', 'staff', 'departments', 'routing_rules',
  'webhooks', 'notifications', 'digest_runs', 'categories', 'districts', 'calendar_days', 'workflow_settings', 'campaigns',
  'settings_changes', 'offices'];
const snapshot = () => {
  const results = queryAll(w.stateDir, TABLES.map((t) => `SELECT * FROM ${t} ORDER BY rowid`).join('; '));
  assert.equal(results.length, TABLES.length);
  return Object.fromEntries(TABLES.map((t, i) => [t, results[i]]));
};

test('every staff route × every role: forbidden pairs get 403 (401 signed out) and change nothing', async () => {
  const open = await s.fileReport();
  const transferred = await s.fileReport({ description: '冒充公检法打电话要求转账到安全账户。' });
  assert.equal((await s.act('handler', transferred.id, { action: 'accept' })).status, 200);
  assert.equal((await s.act('handler', transferred.id, { action: 'transfer', department: 'police' })).status, 200);
  const hook = await s.staff(s.sessions.admin, 'POST', '/api/admin/webhooks', { kind: 'generic', url: 'https://hooks.example.org/a' });
  assert.equal(hook.status, 201, hook.text);
  const rules = (await s.staff(s.sessions.admin, 'GET', '/api/admin/routing-rules')).body;

  const t = transferred.id;
  // [method, path, body, roles allowed]
  const table = [
    ['GET', '/api/staff/me', undefined, ALL],
    ['GET', '/api/staff/cases', undefined, 'admin handler supervisor police'],
    ['GET', `/api/staff/cases/${t}`, undefined, 'admin handler supervisor police'],
    ['GET', `/api/staff/cases/${open.id}`, undefined, 'admin handler supervisor'],
    ['GET', `/api/staff/cases/${t}/contact`, undefined, 'admin handler supervisor'],
    ['POST', `/api/staff/cases/${t}/actions`, { action: 'note', text: '表格测试' }, 'admin handler supervisor police'],
    ['POST', `/api/staff/cases/${t}/actions`, { action: 'remind', note: '' }, 'admin handler supervisor'],
    ['POST', `/api/staff/cases/${t}/actions`, { action: 'supervise', note: '请加快' }, 'admin supervisor'],
    ['POST', `/api/staff/cases/${t}/actions`, { action: 'feedback', text: '已处置' }, 'admin police'],
    ['POST', `/api/staff/cases/${open.id}/actions`, { action: 'note', text: '表格测试' }, 'admin handler supervisor'],
    // Staff intake: each role that may gets its own report and reference, so each is a new one.
    ['POST', '/api/staff/reports', (who) => ({ source: 'phone', report: { idempotency_key: `access-table-${who}-0001`,
      category: 'fraud', description: '来电反映有人冒充客服诈骗。' } }), 'admin handler'],
    ['POST', '/api/staff/reports/import', (who) => ({ rows: [{ source_reference: `12377-${who}`, category: 'fraud',
      description: '上级转办：冒充客服诈骗。' }] }), 'admin handler'],
    ['GET', '/api/admin/deadlines', undefined, 'admin'],
    ['PUT', '/api/admin/deadlines', { working_days: false }, 'admin'],
    ['PUT', '/api/admin/calendar/2030', { holidays: ['2030-10-01'], workdays: [] }, 'admin'],
    ['POST', '/api/admin/campaigns', { name: '表格测试专项', categories: ['fraud'], deadline_days: 3, starts_on: '2030-01-01', ends_on: '2030-01-31' }, 'admin'],
    // The taxonomy: each role that may makes its own code, so each is new.
    ['POST', '/api/admin/categories', (who) => ({ code: `access_${who}`, parent: 'rumor', name_zh_hans: '表格测试',
      name_zh_hant: '表格測試', name_en: 'Table test' }), 'admin'],
    ['PATCH', '/api/admin/categories/fandom', { deadline_days: 14 }, 'admin'],
    ['POST', '/api/admin/categories/import', (who) => ({ rows: [{ code: `imported_${who}`, parent: 'fraud', name_zh_hans: '导入子类' }] }), 'admin'],
    ['POST', '/api/admin/districts', (who) => ({ code: `district_${who}`, name_zh_hans: '新区', name_zh_hant: '新區', name_en: 'New district' }), 'admin'],
    ['PATCH', '/api/admin/districts/binhai', { name_en: 'Binhai New Area' }, 'admin'],
    ['POST', '/api/admin/departments', (who) => ({ code: `dept_${who}`, name_zh_hans: '新单位', name_zh_hant: '新單位', name_en: 'New unit' }), 'admin'],
    ['PATCH', '/api/admin/departments/culture', { name_en: 'Culture and Tourism Bureau' }, 'admin'],
    ['GET', '/api/admin/changes', undefined, 'admin'],
    ['POST', '/api/admin/offices', (who) => ({ code: `office_${who}`, parent: 'root', level: 'county', name_zh_hans: '县网信办',
      name_zh_hant: '縣網信辦', name_en: 'County office' }), 'admin'],
    ['PATCH', '/api/admin/offices/root', { name_en: 'Cyberspace Affairs Office' }, 'admin'],
    ['POST', '/api/admin/offices/import', (who) => ({ rows: [{ code: `imported_${who}`, parent: 'root', level: 'county', name_zh_hans: '导入县' }] }), 'admin'],
    ['GET', '/api/admin/changes?subject=category&limit=5', undefined, 'admin'],
    ['GET', '/api/staff/figures', undefined, 'admin supervisor police'],
    ['GET', '/api/staff/departments', undefined, ALL],
    ['GET', '/api/staff/directory', undefined, 'admin handler supervisor'],
    ['GET', '/api/staff/directory?role=handler', undefined, 'admin handler supervisor'],
    ['GET', '/api/staff/notifications', undefined, ALL],
    ['POST', '/api/staff/notifications/read', {}, ALL],
    ['GET', '/api/admin/routing-rules', undefined, 'admin'],
    ['PUT', '/api/admin/routing-rules', rules, 'admin'],
    ['GET', '/api/admin/staff', undefined, 'admin'],
    ['POST', '/api/admin/staff', { username: 'newcomer', display_name: '新同事', role: 'handler', password: 'a long enough password' }, 'admin'],
    ['PATCH', `/api/admin/staff/${s.ids.handler2}`, { active: false }, 'admin'],
    ['GET', '/api/admin/webhooks', undefined, 'admin'],
    ['POST', '/api/admin/webhooks', { kind: 'feishu', url: 'https://open.feishu.cn/open-apis/bot/v2/hook/x' }, 'admin'],
    ['DELETE', `/api/admin/webhooks/${hook.body.id}`, undefined, 'admin'],
    ['DELETE', '/api/staff/session', undefined, ''], // signing out is tried signed out only (see below)
  ];

  const forbidden = [];
  const allowed = [];
  for (const [method, path, body, roles] of table) {
    for (const who of ROLES) {
      if (path === '/api/staff/session' && who) continue;
      const made = typeof body === 'function' ? body(who ?? 'anon') : body;
      (who && roles.split(' ').includes(who) ? allowed : forbidden).push([who, method, path, made]);
    }
  }
  assert.ok(forbidden.length > 60, `${forbidden.length} forbidden pairs`);

  const before = snapshot();
  for (const [who, method, path, body] of forbidden) {
    const res = await s.staff(who ? s.sessions[who] : null, method, path, body);
    const label = `${who ?? 'signed out'} ${method} ${path} ${JSON.stringify(body) ?? ''}`;
    if (who) {
      assert.equal(res.status, 403, `${label}: ${res.text}`);
      assert.ok(['forbidden', 'case_not_in_department'].includes(res.body.error), `${label}: ${res.text}`);
    } else {
      assert.equal(res.status, 401, `${label}: ${res.text}`);
      assert.equal(res.body.error, 'not_signed_in');
    }
  }
  const afterForbidden = snapshot();
  for (const table of TABLES) assert.deepEqual(afterForbidden[table], before[table], `${table} changed by a forbidden request`);

  // The allowed side, so the table is not vacuous: each gets past the access check. Admin-only
  // writes run last, so disabling handler2 cannot disturb the others.
  for (const [who, method, path, body] of allowed) {
    const res = await s.staff(s.sessions[who], method, path, body);
    assert.ok(res.status < 400, `${who} ${method} ${path}: ${res.status} ${res.text}`);
  }
  assert.equal(query(w.stateDir, "SELECT COUNT(*) AS n FROM staff WHERE username = 'newcomer'")[0].n, 1);
  assert.equal(query(w.stateDir, `SELECT active FROM staff WHERE id = ${s.ids.handler2}`)[0].active, 0);
});

test('admin settings refuse bad input with the field at fault and change nothing', async () => {
  const admin = s.sessions.admin;
  const before = snapshot();
  const cases = [
    ['POST', '/api/admin/staff', { username: 'Bad Name', display_name: 'x', role: 'handler', password: 'a long enough password' }, 400, 'username_invalid', 'username'],
    ['POST', '/api/admin/staff', { username: 'liaison2', display_name: 'x', role: 'liaison', password: 'a long enough password' }, 400, 'department_required', 'department'],
    ['POST', '/api/admin/staff', { username: 'liaison2', display_name: 'x', role: 'liaison', department: 'mars', password: 'a long enough password' }, 400, 'unknown_department', 'department'],
    ['POST', '/api/admin/staff', { username: 'shorty', display_name: 'x', role: 'editor', password: 'short' }, 400, 'password_too_short', 'password'],
    ['POST', '/api/admin/staff', { username: 'admin', display_name: 'x', role: 'editor', password: 'a long enough password' }, 409, 'username_taken', 'username'],
    ['PATCH', `/api/admin/staff/${s.ids.admin}`, { active: false }, 409, 'own_account', 'active'],
    ['PATCH', `/api/admin/staff/${s.ids.admin}`, { role: 'handler' }, 409, 'own_account', 'role'],
    ['PATCH', '/api/admin/staff/99999', { active: false }, 404, 'not_found', undefined],
    ['PUT', '/api/admin/routing-rules', { rules: [{ category: 'fraud', department: 'fbi' }] }, 400, 'unknown_department', 'rules.0.department'],
    ['PUT', '/api/admin/routing-rules', { rules: [{ category: 'fraud', department: 'police' }, { category: 'fraud', district: null, department: 'cac' }] }, 400, 'duplicate_rule', 'rules.1'],
    ['PUT', '/api/admin/routing-rules', { rules: [{ category: 'nope', department: 'police' }] }, 400, 'unknown_category', 'rules.0.category'],
  ];
  for (const [method, path, body, status, error, field] of cases) {
    const res = await s.staff(admin, method, path, body);
    assert.equal(res.status, status, `${method} ${path} ${JSON.stringify(body)}: ${res.text}`);
    assert.equal(res.body.error, error);
    assert.equal(res.body.field, field);
  }
  const after = snapshot();
  for (const table of TABLES) assert.deepEqual(after[table], before[table], `${table} changed by a refused request`);
});

test('routing rules drive the transfer proposal; a new account signs in; a disabled one is signed out at once', async () => {
  const admin = s.sessions.admin;
  const r = await s.fileReport({ category: 'spitting', district: 'nanshan', location: '南山地铁站' });
  const propose = async () => (await s.staff(admin, 'GET', `/api/staff/cases/${r.id}`)).body.proposed_department;
  assert.equal(await propose(), 'urban', 'seeded from the category default');
  const { rules } = (await s.staff(admin, 'GET', '/api/admin/routing-rules')).body;
  assert.equal(rules.length, 20, 'one seeded rule per category');
  const put = await s.staff(admin, 'PUT', '/api/admin/routing-rules', { rules: [...rules, { category: 'spitting', district: 'nanshan', department: 'ecology' }] });
  assert.equal(put.status, 200, put.text);
  assert.equal(await propose(), 'ecology', 'the more specific rule wins');

  const departments = await s.staff(s.sessions.editor, 'GET', '/api/staff/departments');
  assert.deepEqual(departments.body.map((d) => d.code), ['cac', 'police', 'traffic', 'urban', 'ecology', 'culture', 'market', 'health', 'education', 'dept_admin']);

  const made = await s.staff(admin, 'POST', '/api/admin/staff', { username: 'liaison.eco', display_name: ' 生态联络员 ', role: 'liaison', department: 'ecology', password: 'another long password' });
  assert.equal(made.status, 201, made.text);
  assert.deepEqual([made.body.display_name, made.body.role, made.body.department, made.body.active], ['生态联络员', 'liaison', 'ecology', true]);
  const list = await s.staff(admin, 'GET', '/api/admin/staff');
  assert.ok(!list.text.includes('password'), 'no hashes in the list');
  const eco = await signIn(w, 'liaison.eco', 'another long password');
  assert.equal((await s.staff(eco, 'GET', '/api/staff/me')).status, 200);
  const off = await s.staff(admin, 'PATCH', `/api/admin/staff/${made.body.id}`, { active: false });
  assert.equal(off.status, 200, off.text);
  assert.equal((await s.staff(eco, 'GET', '/api/staff/me')).status, 401, 'the open session ended');
});

test('every case route × role × office relation: own office handles, an office above reads and supervises, a sibling knows nothing', async () => {
  // root → ca (city) → a1 (county); cb, a sibling city. Every role at ca.
  const names = (code) => ({ name_zh_hans: `${code}网信办`, name_zh_hant: `${code}網信辦`, name_en: `${code} office` });
  for (const [code, parent, level] of [['ca', 'root', 'county'], ['cb', 'root', 'county'], ['a1', 'ca', 'street']]) {
    assert.equal((await s.staff(s.sessions.admin, 'POST', '/api/admin/offices', { code, parent, level, ...names(code) })).status, 201);
  }
  const sessions = {};
  for (const [role, extra] of [['admin', {}], ['handler', {}], ['supervisor', {}], ['liaison', { department: 'police' }], ['editor', {}]]) {
    const username = `ca.${role}`;
    const made = await s.staff(s.sessions.admin, 'POST', '/api/admin/staff', { username, display_name: username, role, office: 'ca', password: 'a long enough password', ...extra });
    assert.equal(made.status, 201, made.text);
    sessions[role] = await signIn(w, username, 'a long enough password');
  }
  const at = {};
  for (const [relation, office] of [['own', 'ca'], ['child', 'a1'], ['sibling', 'cb']]) {
    at[relation] = (await s.fileReport({ office, contact: { name: '王先生', phone: '13900139000' } })).id;
  }
  const READERS = 'admin handler supervisor';
  // [relation, method, path suffix, body, roles allowed]; a liaison sees no case here (none is with police).
  const table = [];
  for (const relation of ['own', 'child', 'sibling']) {
    const reach = relation !== 'sibling';
    table.push(
      [relation, 'GET', '', undefined, reach ? READERS : ''],
      [relation, 'GET', '/contact', undefined, reach ? READERS : ''],
      [relation, 'POST', '/actions', { action: 'note', text: '越级测试' }, reach ? READERS : ''],
      [relation, 'POST', '/actions', { action: 'remind', note: '' }, reach ? READERS : ''],
      [relation, 'POST', '/actions', { action: 'supervise', note: '请加快' }, reach ? 'admin supervisor' : ''],
      [relation, 'POST', '/actions', { action: 'assign', primary: s.ids.handler }, relation === 'own' ? 'admin handler' : ''],
      [relation, 'POST', '/actions', { action: 'refer', office: 'root', reason: '属地在省' }, relation === 'own' ? 'admin handler' : ''],
      [relation, 'POST', '/actions', { action: 'accept' }, relation === 'own' ? 'admin handler' : ''],
    );
  }
  const before = snapshot();
  const allowed = [];
  for (const [relation, method, suffix, body, roles] of table) {
    for (const role of ['admin', 'handler', 'supervisor', 'liaison', 'editor']) {
      const path = `/api/staff/cases/${at[relation]}${suffix}`;
      if (roles.split(' ').includes(role)) { allowed.push([role, method, path, body]); continue; }
      const res = await s.staff(sessions[role], method, path, body);
      const label = `${role}@ca ${relation} ${method} ${suffix} ${JSON.stringify(body) ?? ''}`;
      if (role === 'editor' && (method === 'GET' || relation !== 'sibling')) {
        // An editor reads no case at all; its action on a sibling's case is as unknown as below.
        assert.deepEqual([res.status, res.body.error], [403, 'forbidden'], label);
      } else if (relation === 'sibling') {
        assert.deepEqual([res.status, res.body.error], [404, 'not_found'], `${label}: a sibling's case is unknown`);
      } else {
        assert.equal(res.status, 403, `${label}: ${res.text}`);
        assert.ok(['forbidden', 'case_not_in_department'].includes(res.body.error), label);
      }
    }
  }
  const after = snapshot();
  for (const t of TABLES) assert.deepEqual(after[t], before[t], `${t} changed by a refused request`);
  // A sibling's case answers exactly like a case that does not exist.
  const unknown = await s.staff(sessions.handler, 'GET', '/api/staff/cases/999999');
  const sibling = await s.staff(sessions.handler, 'GET', `/api/staff/cases/${at.sibling}`);
  assert.deepEqual([sibling.status, sibling.text], [unknown.status, unknown.text]);
  for (const [role, method, given, body] of allowed) {
    // A referral moves the case away: each role that may refers a fresh case of its own office.
    const path = body?.action === 'refer' ? `/api/staff/cases/${(await s.fileReport({ office: 'ca' })).id}/actions` : given;
    const res = await s.staff(sessions[role], method, path, body);
    assert.ok(![401, 403, 404].includes(res.status), `${role}@ca ${method} ${path} ${JSON.stringify(body) ?? ''}: ${res.status} ${res.text}`);
  }
  // Queues and figures follow the same reach.
  const queue = (await s.staff(sessions.supervisor, 'GET', '/api/staff/cases?limit=100')).body.items.map((c) => c.case.id);
  assert.ok(queue.includes(at.child) && !queue.includes(at.sibling), 'own subtree only');
  assert.ok(queue.includes(at.own));
  assert.equal((await s.staff(sessions.supervisor, 'GET', '/api/staff/figures?office=cb')).status, 403);
  assert.equal((await s.staff(sessions.supervisor, 'GET', '/api/staff/figures?office=a1')).status, 200);
});
