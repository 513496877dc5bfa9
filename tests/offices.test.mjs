// The office network (issue 19), against the real worker and D1: an admin grows the root office into
// a province with cities, counties and a street; a report lands at the office it names, else at its
// poster's office, else at the root; the reporter sees which office holds it; and every office's
// public figures are its own cases plus its children's (an identity checked at every node).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startWorker, query, newKey, postJson, http } from './harness.mjs';
import { setUpStaff, signIn } from './staff-fixture.mjs';

let w;
let s;
before(async () => {
  w = await startWorker();
  s = await setUpStaff(w);
});
after(async () => { await w?.stop(); });

const offices = async () => (await (await http(`${w.base}/api/offices`)).json()).offices;
const names = (code) => ({ name_zh_hans: `${code}网信办`, name_zh_hant: `${code}網信辦`, name_en: `${code} office` });
const NETWORK = [
  ['city1', 'root', 'city'], ['city2', 'root', 'city'],
  ['county1', 'city1', 'county'], ['county2', 'city1', 'county'], ['county3', 'city2', 'county'],
  ['street1', 'county1', 'street'],
];

/** Every office's public figures are its own cases (counted from D1 by the figures' definitions,
 * figures.rs) plus its children's figures. */
async function identity() {
  const stats = async (office) => (await http(`${w.base}/api/stats?office=${office}`)).json();
  const tree = await offices();
  const own = (office) => query(w.stateDir, `SELECT COUNT(*) AS received,
      SUM(status = 'submitted') AS pending, SUM(status IN ('accepted', 'transferred', 'reopened')) AS in_progress,
      SUM(status = 'resolved') AS closed, SUM(status = 'rejected') AS rejected FROM reports WHERE office = '${office}'`)[0];
  for (const office of tree) {
    const mine = await stats(office.code);
    const children = await Promise.all(tree.filter((o) => o.parent === office.code).map((o) => stats(o.code)));
    const mineOwn = own(office.code);
    for (const field of ['received', 'pending', 'in_progress', 'closed', 'rejected']) {
      const expected = (mineOwn[field] ?? 0) + children.reduce((n, c) => n + c[field], 0);
      assert.equal(mine[field], expected, `${office.code}: ${field} = own + children`);
    }
  }
}

async function file(extra) {
  return postJson(`${w.base}/api/reports`, {
    idempotency_key: newKey(), category: 'fraud', description: '有人冒充客服让转账解冻账户。', ...extra,
  });
}

test('an admin grows the root office into a province network; bad offices are refused and change nothing', async () => {
  const admin = (method, path, body) => s.staff(s.sessions.admin, method, path, body);
  let list = await offices();
  assert.deepEqual(list.map((o) => [o.code, o.level]), [['root', 'city']]);
  let res = await admin('PATCH', '/api/admin/offices/root', { level: 'province', name_zh_hans: '示范省网信办' });
  assert.equal(res.status, 200, res.text);
  for (const [code, parent, level] of NETWORK) {
    res = await admin('POST', '/api/admin/offices', { code, parent, level, ...names(code) });
    assert.equal(res.status, 201, `${code}: ${res.text}`);
  }
  list = await offices();
  assert.deepEqual(list.map((o) => o.code), ['root', 'city1', 'county1', 'street1', 'county2', 'city2', 'county3'], 'tree order');
  assert.equal(list[0].name_zh_hans, '示范省网信办');
  assert.ok(list.every((o, i) => !o.parent || list.slice(0, i).some((p) => p.code === o.parent)));

  const before = JSON.stringify(query(w.stateDir, 'SELECT * FROM offices ORDER BY code'));
  for (const [method, path, body, status, error, field] of [
    ['POST', '/api/admin/offices', { code: 'county9', parent: 'county1', level: 'county', ...names('x') }, 400, 'level_invalid', 'level'],
    ['POST', '/api/admin/offices', { code: 'county9', parent: 'nowhere', level: 'county', ...names('x') }, 400, 'unknown_office', 'parent'],
    ['POST', '/api/admin/offices', { code: 'city1', parent: 'root', level: 'city', ...names('x') }, 409, 'code_taken', 'code'],
    ['POST', '/api/admin/offices', { code: 'Bad Code', parent: 'root', level: 'city', ...names('x') }, 400, 'code_invalid', 'code'],
    ['POST', '/api/admin/offices', { code: 'county9', parent: 'city1', level: 'county', ...names('x'), name_en: '' }, 400, 'name_invalid', 'name_en'],
    ['PATCH', '/api/admin/offices/county1', { level: 'street' }, 400, 'level_invalid', 'level'],
    ['PATCH', '/api/admin/offices/nowhere', { name_en: 'x' }, 404, 'not_found', undefined],
  ]) {
    res = await admin(method, path, body);
    assert.equal(res.status, status, `${method} ${path} ${JSON.stringify(body)}: ${res.text}`);
    assert.deepEqual([res.body.error, res.body.field], [error, field]);
  }
  assert.equal(JSON.stringify(query(w.stateDir, 'SELECT * FROM offices ORDER BY code')), before);
  assert.equal((await s.staff(s.sessions.handler, 'POST', '/api/admin/offices', { code: 'x9', parent: 'root', level: 'city', ...names('x') })).status, 403);
  const log = query(w.stateDir, "SELECT code, action FROM settings_changes WHERE subject = 'office' ORDER BY id");
  assert.deepEqual(log.map((c) => [c.code, c.action]), [['root', 'update'], ...NETWORK.map(([code]) => [code, 'create'])]);
});

test('a report lands at the office it names, else at its poster\'s office, else at the root; the reporter sees which', async () => {
  let res = await file({ office: 'county1' });
  assert.equal(res.status, 201, res.text);
  const code = res.body.receipt_code.replaceAll('-', '');
  assert.equal(query(w.stateDir, `SELECT office FROM reports WHERE receipt_code = '${code}'`)[0].office, 'county1');
  const view = await (await http(`${w.base}/api/reports/${res.body.receipt_code}`, { headers: { 'x-receipt-secret': res.body.secret } })).json();
  assert.deepEqual([view.office.code, view.office.level, view.office.name_zh_hans], ['county1', 'county', 'county1网信办']);
  assert.ok(!JSON.stringify(view).includes('display_name'));

  // A poster of county3 (its office set in D1: the poster API gains offices with the network's console).
  const poster = await s.staff(s.sessions.admin, 'POST', '/api/admin/channels', { code: 'c3-bus-1', place: '县三汽车站', kind: 'bus_stop' });
  assert.equal(poster.status, 201, poster.text);
  query(w.stateDir, "UPDATE channels SET office = 'county3' WHERE code = 'c3-bus-1'");
  res = await file({ channel: 'c3-bus-1' });
  assert.equal(res.status, 201, res.text);
  assert.equal(query(w.stateDir, `SELECT office FROM reports WHERE receipt_code = '${res.body.receipt_code.replaceAll('-', '')}'`)[0].office, 'county3');
  res = await file({ channel: 'c3-bus-1', office: 'city1' });
  assert.equal(query(w.stateDir, `SELECT office FROM reports WHERE receipt_code = '${res.body.receipt_code.replaceAll('-', '')}'`)[0].office, 'city1', 'the named office wins');
  res = await file({});
  assert.equal(query(w.stateDir, `SELECT office FROM reports WHERE receipt_code = '${res.body.receipt_code.replaceAll('-', '')}'`)[0].office, 'root');

  // A locality with an office: an offline report from it lands there unless a poster or office is named.
  const district = await s.staff(s.sessions.admin, 'PATCH', '/api/admin/districts/beihu', { office: 'county2' });
  assert.equal(district.status, 200, district.text);
  const street = { category: 'spitting', description: '北湖公园门口有人随地吐痰。', district: 'beihu', location: '北湖公园' };
  res = await file(street);
  assert.equal(query(w.stateDir, `SELECT office FROM reports WHERE receipt_code = '${res.body.receipt_code.replaceAll('-', '')}'`)[0].office, 'county2');
  res = await file({ ...street, channel: 'c3-bus-1' });
  assert.equal(query(w.stateDir, `SELECT office FROM reports WHERE receipt_code = '${res.body.receipt_code.replaceAll('-', '')}'`)[0].office, 'county3', 'the poster first');
  const bad = await s.staff(s.sessions.admin, 'PATCH', '/api/admin/districts/beihu', { office: 'atlantis' });
  assert.deepEqual([bad.status, bad.body.error, bad.body.field], [400, 'unknown_office', 'office']);

  const count = query(w.stateDir, 'SELECT COUNT(*) AS n FROM reports')[0].n;
  res = await file({ office: 'atlantis' });
  assert.deepEqual([res.status, res.body.error, res.body.field], [400, 'unknown_office', 'office']);
  assert.equal(query(w.stateDir, 'SELECT COUNT(*) AS n FROM reports')[0].n, count, 'nothing stored');
});

test('every office\'s figures are its own cases plus its children\'s; an unknown office is refused', async () => {
  // A few more cases spread over the network, some accepted and closed.
  for (const office of ['street1', 'street1', 'county2', 'city2', 'county3', 'root']) {
    const res = await file({ office });
    assert.equal(res.status, 201, res.text);
  }
  const [{ id }] = query(w.stateDir, "SELECT id FROM reports WHERE office = 'street1' ORDER BY id LIMIT 1");
  // Handled by the street's own handler: an account above it may read it, not handle it.
  assert.equal((await s.act('handler', id, { action: 'accept' })).status, 403);
  const made = await s.staff(s.sessions.admin, 'POST', '/api/admin/staff', { username: 'h.street1', display_name: '街道受理员',
    role: 'handler', office: 'street1', password: 'a long enough password' });
  assert.equal(made.status, 201, made.text);
  const street = await signIn(w, 'h.street1', 'a long enough password');
  const act = (action) => s.staff(street, 'POST', `/api/staff/cases/${id}/actions`, action);
  assert.equal((await act({ action: 'accept' })).status, 200);
  assert.equal((await act({ action: 'resolve', reply: '已核实处置。' })).status, 200);

  const stats = async (office) => {
    const res = await http(`${w.base}/api/stats${office ? `?office=${office}` : ''}`);
    assert.equal(res.status, 200, office);
    return res.json();
  };
  await identity();
  // Summed over the leaves and the offices' own cases, the root's figures are every case.
  const all = await stats(null);
  assert.equal(all.received, query(w.stateDir, 'SELECT COUNT(*) AS n FROM reports')[0].n);
  assert.deepEqual(await stats('root'), all);
  const city1 = await stats('city1');
  assert.equal(city1.closed, 1, 'the closed street case counts up to its city');
  assert.equal((await stats('city2')).closed, 0);
  const bad = await http(`${w.base}/api/stats?office=atlantis`);
  assert.equal(bad.status, 400);
  assert.deepEqual(await bad.json().then((b) => [b.error, b.field]), ['unknown_office', 'office']);
});

test('an account reads its own office and those below, handles only its own, and knows nothing of the rest', async () => {
  const admin = (method, path, body) => s.staff(s.sessions.admin, method, path, body);
  const password = 'a long enough password';
  const accounts = [['h.county1', 'handler', 'county1'], ['h.county2', 'handler', 'county2'],
    ['h.city1', 'handler', 'city1'], ['s.city1', 'supervisor', 'city1']];
  const sessions = {};
  for (const [username, role, office] of accounts) {
    const res = await admin('POST', '/api/admin/staff', { username, display_name: username, role, office, password });
    assert.equal(res.status, 201, res.text);
    assert.equal(res.body.office, office);
    sessions[username] = await signIn(w, username, password);
    assert.equal(sessions[username].body.staff.office, office);
  }
  const bad = await admin('POST', '/api/admin/staff', { username: 'h.nowhere', display_name: 'x', role: 'handler', office: 'atlantis', password });
  assert.deepEqual([bad.status, bad.body.error, bad.body.field], [400, 'unknown_office', 'office']);

  const filed = await file({ office: 'county1' });
  const [{ id }] = query(w.stateDir, `SELECT id FROM reports WHERE receipt_code = '${filed.body.receipt_code.replaceAll('-', '')}'`);
  const as = (who, method, path, body) => s.staff(sessions[who], method, path, body);
  const act = (who, action) => as(who, 'POST', `/api/staff/cases/${id}/actions`, action);
  const queue = async (who) => (await as(who, 'GET', '/api/staff/cases?limit=100')).body.items.map((c) => c.case.id);

  // Own office: read and handle. One office up: read, note and supervise, never handle.
  // A sibling office: the case does not exist (404 as for an unknown id), whatever it tries.
  const before = JSON.stringify(query(w.stateDir, `SELECT * FROM reports WHERE id = ${id}`));
  for (const [who, method, path, body, status, error] of [
    ['h.county2', 'GET', `/api/staff/cases/${id}`, undefined, 404, 'not_found'],
    ['h.county2', 'GET', `/api/staff/cases/${id}/contact`, undefined, 404, 'not_found'],
    ['h.county2', 'POST', `/api/staff/cases/${id}/actions`, { action: 'note', text: '越界' }, 404, 'not_found'],
    ['h.county2', 'POST', `/api/staff/cases/${id}/actions`, { action: 'accept' }, 404, 'not_found'],
    ['h.city1', 'POST', `/api/staff/cases/${id}/actions`, { action: 'accept' }, 403, 'forbidden'],
    ['s.city1', 'POST', `/api/staff/cases/${id}/actions`, { action: 'accept' }, 403, 'forbidden'],
  ]) {
    const res = await as(who, method, path, body);
    assert.deepEqual([res.status, res.body.error], [status, error], `${who} ${method} ${path} ${JSON.stringify(body)}`);
  }
  assert.equal(JSON.stringify(query(w.stateDir, `SELECT * FROM reports WHERE id = ${id}`)), before, 'nothing changed');
  assert.equal((await as('h.city1', 'GET', `/api/staff/cases/${id}`)).status, 200);
  const seen = (await as('s.city1', 'GET', `/api/staff/cases/${id}`)).body;
  assert.ok(!seen.allowed_actions.includes('accept') && seen.allowed_actions.includes('remind'), seen.allowed_actions.join());
  assert.equal((await act('s.city1', { action: 'remind', note: '请尽快受理' })).status, 200);
  assert.equal((await act('h.city1', { action: 'note', text: '市办已关注' })).status, 200);
  assert.equal((await act('h.county1', { action: 'accept' })).status, 200);

  // Queues: the county sees its own, the city its counties', the sibling county not this one.
  assert.ok((await queue('h.county1')).includes(id));
  assert.ok((await queue('h.city1')).includes(id));
  assert.ok(!(await queue('h.county2')).includes(id));
  const city1Offices = ['city1', 'county1', 'street1', 'county2'];
  const inCity1 = query(w.stateDir, `SELECT id FROM reports WHERE office IN (${city1Offices.map((o) => `'${o}'`).join(',')})`).map((r) => r.id);
  assert.deepEqual((await queue('s.city1')).sort((a, b) => a - b), inCity1.sort((a, b) => a - b), 'a city supervisor sees exactly its subtree');

  // A report staff enter lands at their own office.
  const entered = await as('h.county2', 'POST', '/api/staff/reports', { source: 'phone', report: {
    idempotency_key: newKey(), category: 'fraud', description: '来电反映有人冒充客服诈骗。' } });
  assert.equal(entered.status, 201, entered.text);
  const [mine] = query(w.stateDir, `SELECT id, office FROM reports WHERE receipt_code = '${entered.body.receipt_code.replaceAll('-', '')}'`);
  assert.equal(mine.office, 'county2');
  // Another office's case is no merge target either: unknown, as on its own page.
  const merge = await as('h.county2', 'POST', `/api/staff/cases/${mine.id}/actions`, { action: 'merge', into: id });
  assert.deepEqual([merge.status, merge.body.error, merge.body.field], [404, 'not_found', 'into']);
});

test('a county refers a case to another county, which sends it back, then takes it; the reporter sees every hand-over', async () => {
  const password = 'a long enough password';
  const sessions = {};
  for (const [username, office] of [['r.county1', 'county1'], ['r.county3', 'county3']]) {
    const res = await s.staff(s.sessions.admin, 'POST', '/api/admin/staff', { username, display_name: username, role: 'handler', office, password });
    assert.equal(res.status, 201, res.text);
    sessions[username] = await signIn(w, username, password);
  }
  const filed = await file({ office: 'county1' });
  const [{ id }] = query(w.stateDir, `SELECT id FROM reports WHERE receipt_code = '${filed.body.receipt_code.replaceAll('-', '')}'`);
  const act = (who, action) => s.staff(sessions[who], 'POST', `/api/staff/cases/${id}/actions`, action);
  const row = () => query(w.stateDir, `SELECT status, office, referred_from, due_at, department FROM reports WHERE id = ${id}`)[0];
  const track = async () => (await http(`${w.base}/api/reports/${filed.body.receipt_code}`, { headers: { 'x-receipt-secret': filed.body.secret } })).json();

  assert.equal((await act('r.county1', { action: 'accept' })).status, 200);
  // Refusals name the field and change nothing.
  const before = JSON.stringify(row());
  for (const [action, status, error, field] of [
    [{ action: 'refer', office: 'county1', reason: '属地不符' }, 409, 'same_office', 'office'],
    [{ action: 'refer', office: 'atlantis', reason: '属地不符' }, 400, 'unknown_office', 'office'],
    [{ action: 'refer', office: 'county3', reason: ' ' }, 400, 'reason_required', 'reason'],
    [{ action: 'return', reason: '不是移交来的' }, 403, 'forbidden', undefined],
  ]) {
    const res = await act('r.county1', action);
    assert.deepEqual([res.status, res.body.error, res.body.field], [status, error, field], JSON.stringify(action));
  }
  assert.equal(JSON.stringify(row()), before);

  // County 1 refers it to county 3 (another city): it leaves county 1's sight and waits there as new.
  let res = await act('r.county1', { action: 'refer', office: 'county3', reason: '发布者住所地在县三' });
  assert.equal(res.status, 200, res.text);
  let r = row();
  assert.deepEqual([r.status, r.office, r.referred_from], ['submitted', 'county3', 'county1']);
  assert.ok(r.due_at > Date.now() + 3_600_000, 'a fresh acceptance deadline at the receiving office');
  assert.equal((await s.staff(sessions['r.county1'], 'GET', `/api/staff/cases/${id}`)).status, 404, 'gone from the sender');
  assert.ok((await s.staff(sessions['r.county3'], 'GET', '/api/staff/cases?state=submitted&limit=100')).body.items.some((c) => c.case.id === id));
  let view = await track();
  assert.equal(view.office.code, 'county3');
  assert.deepEqual(view.timeline.at(-1), { kind: 'referred', at: view.timeline.at(-1).at, text: 'county3网信办' });

  // County 3 sends it back; county 1 has it again, as new; the reporter sees that too.
  res = await act('r.county3', { action: 'return', reason: '经核实，属地仍在县一' });
  assert.equal(res.status, 200, res.text);
  r = row();
  assert.deepEqual([r.status, r.office, r.referred_from], ['submitted', 'county1', null]);
  view = await track();
  assert.equal(view.office.code, 'county1');
  assert.equal(view.timeline.at(-1).text, 'county1网信办');
  assert.ok(!JSON.stringify(view).includes('r.county'), 'never a staff name');

  // Referred again, county 3 accepts it this time: the hand-over is over, county 3 handles it.
  assert.equal((await act('r.county1', { action: 'accept' })).status, 200);
  assert.equal((await act('r.county1', { action: 'refer', office: 'county3', reason: '补充材料显示属地在县三' })).status, 200);
  assert.equal((await act('r.county3', { action: 'accept' })).status, 200);
  r = row();
  assert.deepEqual([r.status, r.office, r.referred_from], ['accepted', 'county3', null]);
  const kinds = query(w.stateDir, `SELECT kind, body FROM events WHERE report_id = ${id} AND kind IN ('referred', 'handed_back') ORDER BY id`);
  assert.deepEqual(kinds.map((e) => [e.kind, e.body]), [['referred', 'county3'], ['handed_back', 'county1'], ['referred', 'county3']]);
  // A referral still waiting counts as pending where it waits.
  assert.equal((await act('r.county1', { action: 'accept' })).status, 404, 'county 1 no longer holds it');
  const waiting = await file({ office: 'county1' });
  const [{ id: other }] = query(w.stateDir, `SELECT id FROM reports WHERE receipt_code = '${waiting.body.receipt_code.replaceAll('-', '')}'`);
  assert.equal((await s.staff(sessions['r.county1'], 'POST', `/api/staff/cases/${other}/actions`, { action: 'accept' })).status, 200);
  assert.equal((await s.staff(sessions['r.county1'], 'POST', `/api/staff/cases/${other}/actions`, { action: 'refer', office: 'county3', reason: '属地在县三' })).status, 200);
  await identity();
});

/** Makes accounts (username, role, office) and signs them in. */
async function accountsAt(list) {
  const password = 'a long enough password';
  const sessions = {};
  for (const [username, role, office] of list) {
    const res = await s.staff(s.sessions.admin, 'POST', '/api/admin/staff', { username, display_name: username, role, office, password });
    assert.equal(res.status, 201, res.text);
    sessions[username] = await signIn(w, username, password);
  }
  return (who, method, path, body) => s.staff(sessions[who], method, path, body);
}

test('a county escalates to its city, which guides it or takes it over; a city delegates to a county and reviews the result', async () => {
  const as = await accountsAt([['e.county2', 'handler', 'county2'], ['e.city1', 'handler', 'city1'], ['e.city1s', 'supervisor', 'city1'],
    ['e.root', 'handler', 'root'], ['e.street1', 'handler', 'street1']]);
  const idOf = (filed) => query(w.stateDir, `SELECT id FROM reports WHERE receipt_code = '${filed.body.receipt_code.replaceAll('-', '')}'`)[0].id;
  const row = (id) => query(w.stateDir, `SELECT status, office, escalated_to, delegated_by, review_reply, due_at FROM reports WHERE id = ${id}`)[0];
  const act = (who, id, action) => as(who, 'POST', `/api/staff/cases/${id}/actions`, action);

  // Escalation: county 2 asks city 1; the case stays and shows in both offices' hand-overs.
  const filed = await file({ office: 'county2' });
  const id = idOf(filed);
  assert.equal((await act('e.county2', id, { action: 'accept' })).status, 200);
  const due = row(id).due_at;
  for (const [body, status, error] of [
    [{ action: 'escalate', reason: '需要支持' }, 400, 'bad_json'],
    [{ action: 'escalate', to: 'backup', reason: '需要支持' }, 400, 'bad_json'],
    [{ action: 'escalate', to: 'parent', reason: ' ' }, 400, 'reason_required'],
  ]) {
    const res = await act('e.county2', id, body);
    assert.deepEqual([res.status, res.body.error], [status, error], JSON.stringify(body));
  }
  let res = await act('e.county2', id, { action: 'escalate', to: 'parent', reason: '平台总部在外省，请市办协调' });
  assert.equal(res.status, 200, res.text);
  assert.deepEqual([row(id).escalated_to, row(id).office, row(id).due_at], ['city1', 'county2', due], 'the case stays, its clock runs');
  assert.equal((await act('e.county2', id, { action: 'escalate', to: 'parent', reason: '再次' })).body.error, 'escalation_open');
  const queue = async (who, q) => (await as(who, 'GET', `/api/staff/cases?${q}`)).body.items.map((c) => c.case.id);
  assert.ok((await queue('e.city1', 'handover=in')).includes(id), 'waiting on the city');
  assert.ok((await queue('e.county2', 'handover=out')).includes(id), 'sent by the county');
  assert.ok(!(await queue('e.county2', 'handover=in')).includes(id));
  // Only the office asked answers (not the province above it), and only from above.
  assert.equal((await act('e.root', id, { action: 'take_over' })).body.error, 'no_escalation');
  assert.equal((await act('e.county2', id, { action: 'guide', text: '自己办' })).body.error, 'no_escalation');
  const page = (await as('e.city1s', 'GET', `/api/staff/cases/${id}`)).body;
  assert.ok(page.allowed_actions.includes('guide') && !page.allowed_actions.includes('take_over'), page.allowed_actions.join());
  res = await act('e.city1s', id, { action: 'guide', text: '请先约谈平台在本省的分支机构' });
  assert.equal(res.status, 200, res.text);
  assert.deepEqual([row(id).escalated_to, row(id).office], [null, 'county2']);
  // Asked again, the city takes it over: it holds the case now, due time unchanged.
  assert.equal((await act('e.county2', id, { action: 'escalate', to: 'parent', reason: '约谈无果' })).status, 200);
  res = await act('e.city1', id, { action: 'take_over', note: '市办接办' });
  assert.equal(res.status, 200, res.text);
  assert.deepEqual([row(id).office, row(id).escalated_to, row(id).due_at], ['city1', null, due]);
  const view = await (await http(`${w.base}/api/reports/${filed.body.receipt_code}`, { headers: { 'x-receipt-secret': filed.body.secret } })).json();
  assert.deepEqual([view.office.code, view.timeline.at(-1).kind, view.timeline.at(-1).text], ['city1', 'referred', 'city1网信办']);
  // The root office has no parent to escalate to: no such button either.
  const top = idOf(await file({ office: 'root' }));
  assert.equal((await act('e.root', top, { action: 'accept' })).status, 200);
  const buttons = async (who, caseId) => (await as(who, 'GET', `/api/staff/cases/${caseId}`)).body.allowed_actions;
  assert.ok(!(await buttons('e.root', top)).includes('escalate_to_parent'));
  assert.ok((await buttons('e.root', top)).includes('delegate'));
  const leaf = idOf(await file({ office: 'county2' }));
  assert.equal((await act('e.county2', leaf, { action: 'accept' })).status, 200);
  const leafButtons = await buttons('e.county2', leaf);
  assert.ok(leafButtons.includes('escalate_to_parent') && !leafButtons.includes('delegate'), 'county 2 has no office below');
  assert.equal((await act('e.root', top, { action: 'escalate', to: 'parent', reason: '无上级' })).body.error, 'no_parent_office');

  // Delegation: city 1 assigns a case to the street below county 1, with a deadline, and reviews.
  const d = idOf(await file({ office: 'city1' }));
  assert.equal((await act('e.city1', d, { action: 'accept' })).status, 200);
  const caseDue = row(d).due_at;
  const soon = Date.now() + 86_400_000;
  const before = JSON.stringify(row(d));
  for (const [body, status, error, field] of [
    [{ action: 'delegate', office: 'county3', due_at: soon, note: '请办理' }, 400, 'office_not_below', 'office'],
    [{ action: 'delegate', office: 'atlantis', due_at: soon, note: '请办理' }, 400, 'unknown_office', 'office'],
    [{ action: 'delegate', office: 'city1', due_at: soon, note: '请办理' }, 409, 'same_office', 'office'],
    [{ action: 'delegate', office: 'street1', due_at: caseDue + 1, note: '请办理' }, 400, 'date_out_of_range', 'due_at'],
    [{ action: 'delegate', office: 'street1', due_at: soon, note: '' }, 400, 'field_required', 'note'],
  ]) {
    res = await act('e.city1', d, body);
    assert.deepEqual([res.status, res.body.error, res.body.field], [status, error, field], JSON.stringify(body));
  }
  assert.equal(JSON.stringify(row(d)), before, 'refusals change nothing');
  res = await act('e.city1', d, { action: 'delegate', office: 'street1', due_at: soon, note: '请街道核实并处置，结果报市办审核' });
  assert.equal(res.status, 200, res.text);
  assert.deepEqual([row(d).office, row(d).delegated_by, row(d).due_at, row(d).status], ['street1', 'city1', soon, 'accepted']);
  assert.ok((await queue('e.street1', 'handover=in')).includes(d));
  assert.ok((await queue('e.city1', 'handover=out')).includes(d));
  // The street's closing proposes the reply; the city reviews it.
  res = await act('e.street1', d, { action: 'resolve', reply: '经核实已处置完毕。' });
  assert.equal(res.status, 200, res.text);
  assert.deepEqual([row(d).status, row(d).review_reply], ['accepted', '经核实已处置完毕。']);
  assert.ok((await queue('e.city1', 'handover=in')).includes(d), 'a result to review waits on the city');
  assert.equal((await act('e.street1', d, { action: 'resolve', reply: '再报' })).body.error, 'awaiting_review');
  assert.equal((await act('e.root', d, { action: 'approve' })).body.error, 'no_review_pending', 'only the delegating office reviews');
  assert.equal((await act('e.city1s', d, { action: 'send_back', reason: '请补充现场照片' })).status, 200);
  assert.equal(row(d).review_reply, null);
  assert.equal((await act('e.street1', d, { action: 'resolve', reply: '已补充现场照片，处置完毕。' })).status, 200);
  res = await act('e.city1s', d, { action: 'approve', note: '同意' });
  assert.equal(res.status, 200, res.text);
  assert.deepEqual([row(d).status, row(d).office, row(d).delegated_by], ['resolved', 'street1', null]);
  const [closing] = query(w.stateDir, `SELECT body, is_public FROM events WHERE report_id = ${d} AND kind = 'resolved'`);
  assert.deepEqual([closing.body, closing.is_public], ['已补充现场照片，处置完毕。', 1]);
  await identity();
});

test('staff figures have a line per child office that add up; the switcher reads a child office; outside is refused', async () => {
  const as = await accountsAt([['f.city1', 'supervisor', 'city1'], ['f.county1', 'supervisor', 'county1']]);
  const figures = async (who, q = '') => as(who, 'GET', `/api/staff/figures${q}`);
  const city = (await figures('f.city1')).body;
  assert.equal(city.office, 'city1');
  assert.deepEqual(city.offices.map((o) => [o.office, o.own]), [['city1', true], ['county1', false], ['county2', false]]);
  for (const field of ['open', 'closed', 'overdue']) {
    const total = city.departments.reduce((n, d) => n + d.figures[field], 0);
    assert.equal(city.offices.reduce((n, o) => n + o.figures[field], 0), total, field);
  }
  const openIn = (offices) => query(w.stateDir, `SELECT COUNT(*) AS n FROM reports WHERE status IN ('submitted', 'accepted', 'transferred', 'reopened') AND office IN (${offices.map((o) => `'${o}'`).join(',')})`)[0].n;
  assert.equal(city.offices[1].figures.open, openIn(['county1', 'street1']), 'a child line is its whole subtree');
  const county = await figures('f.city1', '?office=county1');
  assert.equal(county.status, 200);
  assert.equal(county.body.office, 'county1');
  assert.deepEqual(county.body.offices.map((o) => o.office), ['county1', 'street1']);
  for (const [who, q, status, error] of [['f.county1', '?office=city1', 403, 'forbidden'], ['f.city1', '?office=city2', 403, 'forbidden'], ['f.city1', '?office=atlantis', 400, 'unknown_office']]) {
    const res = await figures(who, q);
    assert.deepEqual([res.status, res.body.error, res.body.field], [status, error, 'office'], `${who} ${q}`);
  }
  const queue = await as('f.city1', 'GET', '/api/staff/cases?office=county1&limit=100');
  assert.equal(queue.status, 200);
  const ids = queue.body.items.map((c) => c.case.id).sort((a, b) => a - b);
  const inCounty1 = query(w.stateDir, "SELECT id FROM reports WHERE office IN ('county1', 'street1') ORDER BY id").map((r) => r.id);
  assert.deepEqual(ids, inCounty1);
  assert.equal((await as('f.county1', 'GET', '/api/staff/cases?office=county2')).status, 403);
});

test('admins below the root manage their own subtree only and no deployment-wide settings', async () => {
  const as = await accountsAt([['a.county1', 'admin', 'county1']]);
  const names = (code) => ({ name_zh_hans: `${code}网信办`, name_zh_hant: `${code}網信辦`, name_en: `${code} office` });
  let res = await as('a.county1', 'POST', '/api/admin/offices', { code: 'street9', parent: 'county1', level: 'street', ...names('street9') });
  assert.equal(res.status, 201, res.text);
  res = await as('a.county1', 'POST', '/api/admin/offices', { code: 'street8', parent: 'county2', level: 'street', ...names('street8') });
  assert.deepEqual([res.status, res.body.error, res.body.field], [403, 'forbidden', 'parent']);
  assert.equal((await as('a.county1', 'PATCH', '/api/admin/offices/city1', { name_en: 'x' })).status, 403);
  // Accounts: made at its own office by default, never elsewhere; others' accounts are not listed.
  res = await as('a.county1', 'POST', '/api/admin/staff', { username: 'a.made', display_name: '新受理员', role: 'handler', password: 'a long enough password' });
  assert.deepEqual([res.status, res.body.office], [201, 'county1']);
  res = await as('a.county1', 'POST', '/api/admin/staff', { username: 'a.made2', display_name: 'x', role: 'handler', office: 'county2', password: 'a long enough password' });
  assert.deepEqual([res.status, res.body.error, res.body.field], [403, 'forbidden', 'office']);
  const listed = (await as('a.county1', 'GET', '/api/admin/staff')).body;
  assert.ok(listed.every((a) => ['county1', 'street1', 'street9'].includes(a.office)) && listed.some((a) => a.username === 'a.made'));
  const rootAdmin = query(w.stateDir, "SELECT id FROM staff WHERE username = 'admin'")[0].id;
  assert.equal((await as('a.county1', 'PATCH', `/api/admin/staff/${rootAdmin}`, { active: false })).status, 404);
  // Posters and webhooks belong to an office in its subtree.
  res = await as('a.county1', 'POST', '/api/admin/channels', { code: 'c1-hall', place: '县一政务大厅', kind: 'led_screen' });
  assert.deepEqual([res.status, res.body.office], [201, 'county1']);
  res = await as('a.county1', 'POST', '/api/admin/channels', { code: 'c1-street', place: '街道口', kind: 'poster', office: 'street1' });
  assert.deepEqual([res.status, res.body.office], [201, 'street1']);
  res = await as('a.county1', 'POST', '/api/admin/channels', { code: 'c2-x', place: '别处', kind: 'poster', office: 'county2' });
  assert.deepEqual([res.status, res.body.error], [403, 'forbidden']);
  assert.ok((await as('a.county1', 'GET', '/api/admin/channels')).body.items.every((c) => ['county1', 'street1'].includes(c.office)));
  assert.equal((await as('a.county1', 'GET', '/api/admin/channels/c3-bus-1')).status, 404, "another office's poster is unknown");
  res = await as('a.county1', 'POST', '/api/admin/webhooks', { kind: 'wecom', url: 'https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=c1', label: '县一群' });
  assert.deepEqual([res.status, res.body.office], [201, 'county1']);
  // Deployment-wide settings are the root office's.
  for (const [method, path, body] of [
    ['POST', '/api/admin/categories', { code: 'x_local', parent: 'fraud', name_zh_hans: '本地', name_zh_hant: '本地', name_en: 'Local' }],
    ['POST', '/api/admin/districts', { code: 'x_district', name_zh_hans: '新区', name_zh_hant: '新區', name_en: 'New' }],
  ]) {
    res = await as('a.county1', method, path, body);
    assert.deepEqual([res.status, res.body.error], [403, 'forbidden'], path);
  }
});

test("a county's own department serves that county and the offices below it, no others", async () => {
  const as = await accountsAt([['d.county1', 'handler', 'county1'], ['d.street1', 'handler', 'street1'], ['d.county2', 'handler', 'county2']]);
  const made = await s.staff(s.sessions.admin, 'POST', '/api/admin/departments', { code: 'c1_police', name_zh_hans: '县一公安局',
    name_zh_hant: '縣一公安局', name_en: 'County 1 Police', office: 'county1' });
  assert.equal(made.status, 201, made.text);
  assert.equal(made.body.find((d) => d.code === 'c1_police').office, 'county1');
  const caseAt = async (office, who) => {
    const filed = await file({ office });
    const [{ id }] = query(w.stateDir, `SELECT id FROM reports WHERE receipt_code = '${filed.body.receipt_code.replaceAll('-', '')}'`);
    assert.equal((await as(who, 'POST', `/api/staff/cases/${id}/actions`, { action: 'accept' })).status, 200);
    return id;
  };
  for (const [office, who, status] of [['county1', 'd.county1', 200], ['street1', 'd.street1', 200], ['county2', 'd.county2', 400]]) {
    const id = await caseAt(office, who);
    const res = await as(who, 'POST', `/api/staff/cases/${id}/actions`, { action: 'transfer', department: 'c1_police' });
    assert.equal(res.status, status, `${office}: ${res.text}`);
    if (status === 400) assert.deepEqual([res.body.error, res.body.field], ['unknown_department', 'department']);
    // The province's departments serve everyone.
    if (status === 400) assert.equal((await as(who, 'POST', `/api/staff/cases/${id}/actions`, { action: 'transfer', department: 'police' })).status, 200);
  }
});

test('an admin imports a Tianjin-sized office tree from CSV; a file with bad rows names each and stores nothing', async () => {
  // 16 districts, 281 streets, 6,126 communities, children listed before their parents.
  const lines = ['code,parent,level,name_zh_hans,name_en'];
  let streets = 0;
  let communities = 0;
  for (let d = 0; d < 16; d++) {
    const district = `tj${String(d).padStart(2, '0')}`;
    for (let st = 0; st < (d < 9 ? 18 : 17); st++) {
      const street = `${district}s${String(st).padStart(2, '0')}`;
      for (let c = 0; c < (streets < 225 ? 22 : 21); c++) {
        lines.push(`${street}c${String(c).padStart(2, '0')},${street},community,${street}第${c + 1}社区,`);
        communities += 1;
      }
      lines.push(`${street},${district},street,${district}第${st + 1}街道,`);
      streets += 1;
    }
    lines.push(`${district},root,county,天津${d + 1}区网信办,Tianjin District ${d + 1}`);
  }
  assert.deepEqual([streets, communities], [281, 6126]);
  const csv = `${lines.join('\n')}\n`;
  const post = (body, type) => http(`${w.base}/api/admin/offices/import`, {
    method: 'POST', body, headers: { 'content-type': type, cookie: s.sessions.admin.cookie, 'x-csrf-token': s.sessions.admin.csrf },
  });
  const before = query(w.stateDir, 'SELECT COUNT(*) AS n FROM offices')[0].n;
  // A bad file first: every bad row is named, nothing is stored.
  const bad = [...lines.slice(0, 3), 'tj99s00c00,tj99s00,community,无上级,', 'root,root,county,重名,', 'tjx,root,hamlet,层级错,'].join('\n');
  let res = await post(bad, 'text/csv');
  let body = await res.json();
  assert.equal(res.status, 400);
  assert.equal(body.error, 'import_invalid');
  assert.deepEqual(body.rows.map((r) => [r.row, r.field, r.error]), [[1, 'parent', 'unknown_office'], [2, 'parent', 'unknown_office'], [3, 'parent', 'unknown_office'], [4, 'code', 'code_taken'], [5, 'level', 'level_invalid']]);
  assert.equal(query(w.stateDir, 'SELECT COUNT(*) AS n FROM offices')[0].n, before, 'nothing stored');
  res = await post(JSON.stringify({ rows: [{ code: 'x1', parent: 'root', level: 'county', name_zh_hans: '县', phone: '1' }] }), 'application/json');
  assert.equal(res.status, 400, 'unknown fields are refused');

  const started = Date.now();
  res = await post(csv, 'text/csv');
  const took = Date.now() - started;
  body = await res.json();
  assert.equal(res.status, 201, JSON.stringify(body).slice(0, 300));
  assert.deepEqual([body.imported, body.offices], [6423, before + 6423]);
  console.log(`# imported ${body.imported} offices (${csv.length} bytes of CSV) in ${took} ms`);
  const tree = await offices();
  const tj03 = tree.findIndex((o) => o.code === 'tj03');
  assert.equal(tree[tj03 + 1].code, 'tj03s00', 'tree order: a district, then its first street');
  assert.equal(tree.find((o) => o.code === 'tj03').name_en, 'Tianjin District 4');
  assert.equal(query(w.stateDir, "SELECT COUNT(*) AS n FROM settings_changes WHERE subject = 'office' AND code LIKE 'tj%'")[0].n, 6423, 'each logged');
  // Importing the same file again names every row as taken.
  res = await post(csv, 'text/csv');
  body = await res.json();
  assert.deepEqual([res.status, body.rows.length, body.rows[0].error], [400, 6423, 'code_taken']);

  // A district's reports and queue: a wide subtree pages by the due-order index.
  const as = await accountsAt([['tj.district', 'supervisor', 'tj03'], ['tj.community', 'handler', 'tj03s01c05']]);
  const filed = await file({ office: 'tj03s01c05' });
  const queue = await as('tj.district', 'GET', '/api/staff/cases?limit=10');
  assert.equal(queue.status, 200, queue.text);
  assert.deepEqual(queue.body.items.map((c) => c.receipt_code), [filed.body.receipt_code]);
  const priority = await as('tj.district', 'GET', '/api/staff/cases?limit=10&sort=priority');
  assert.deepEqual(priority.body.items.map((c) => c.receipt_code), [filed.body.receipt_code]);
  const figures = (await as('tj.district', 'GET', '/api/staff/figures')).body;
  assert.equal(figures.offices.length, 1 + 18, 'its own line and one per street');
  assert.equal(figures.offices.find((o) => o.office === 'tj03s01').figures.open, 1);
  assert.equal((await as('tj.community', 'GET', '/api/staff/cases')).body.items.length, 1);
});

test("the root's admin imports Tianjin's 9 categories and 239 subcategories; bad rows are named and nothing is stored", async () => {
  const lines = ['code,parent,kind,name_zh_hans,name_en,deadline_days,default_department'];
  for (let c = 0; c < 9; c++) {
    for (let st = 0; st < (c < 5 ? 27 : 26); st++) lines.push(`tjc${c}_${String(st).padStart(2, '0')},tjc${c},,事项${c}-${st},,${st % 3 === 0 ? 3 : ''},`);
  }
  for (let c = 0; c < 9; c++) lines.push(`tjc${c},,${c % 2 ? 'online' : 'offline'},津治通类别${c + 1},Category ${c + 1},10,urban`);
  const post = (body, type, who = s.sessions.admin) => http(`${w.base}/api/admin/categories/import`, {
    method: 'POST', body, headers: { 'content-type': type, cookie: who.cookie, 'x-csrf-token': who.csrf },
  });
  const count = () => query(w.stateDir, 'SELECT COUNT(*) AS n FROM categories')[0].n;
  const before = count();
  let res = await post(`${lines[0]}\nbad,,online,坏,,0,\ntjc0_00,tjc0,,孤儿,,,\nfraud,,online,重复,,,`, 'text/csv');
  let body = await res.json();
  assert.equal(res.status, 400);
  assert.deepEqual(body.rows.map((r) => [r.row, r.field, r.error]), [[1, 'deadline_days', 'number_out_of_range'], [2, 'parent', 'parent_invalid'], [3, 'code', 'code_taken']]);
  assert.equal(count(), before, 'nothing stored');
  const county = await accountsAt([['cat.admin', 'admin', 'county1']]);
  void county;
  const countyAdmin = await signIn(w, 'cat.admin', 'a long enough password');
  res = await post(lines.join('\n'), 'text/csv', countyAdmin);
  assert.equal(res.status, 403, 'the taxonomy is the root office\'s');

  res = await post(lines.join('\n'), 'text/csv');
  body = await res.json();
  assert.equal(res.status, 201, JSON.stringify(body).slice(0, 300));
  assert.equal(body.imported, 248);
  assert.equal(count(), before + 248);
  const taxonomy = await (await http(`${w.base}/api/categories`)).json();
  const sub = taxonomy.categories.find((c) => c.code === 'tjc4_01');
  assert.deepEqual([sub.parent, sub.kind, sub.deadline_days, sub.default_department], ['tjc4', 'offline', 10, 'urban'], 'what a subcategory leaves out follows its parent');
  assert.equal(taxonomy.categories.find((c) => c.code === 'tjc4_00').deadline_days, 3);
  // A report in an imported subcategory is filed and counted under its category.
  const filed = await file({ category: 'tjc1_05', description: '导入的子类事项测试。', links: ['https://weibo.com/x/1'] });
  assert.equal(filed.status, 201, filed.text);
});

test("an office's own routing rules come first for its cases and those below; a sibling's never", async () => {
  const as = await accountsAt([['rr.county1', 'admin', 'county1'], ['rr.county2', 'admin', 'county2'], ['rr.street1', 'handler', 'street1'], ['rr.c2h', 'handler', 'county2']]);
  // County 1 sends its red-light cases to its own police (c1_police, made by an earlier test).
  let res = await as('rr.county1', 'PUT', '/api/admin/routing-rules', { rules: [{ category: 'red_light', department: 'c1_police' }] });
  assert.equal(res.status, 200, res.text);
  assert.deepEqual((await as('rr.county1', 'GET', '/api/admin/routing-rules')).body.rules.map((r) => [r.category, r.department]), [['red_light', 'c1_police']]);
  // A sibling county may not name county 1's department, nor set county 1's rules.
  res = await as('rr.county2', 'PUT', '/api/admin/routing-rules', { rules: [{ category: 'red_light', department: 'c1_police' }] });
  assert.deepEqual([res.status, res.body.error, res.body.field], [400, 'unknown_department', 'rules.0.department']);
  res = await as('rr.county2', 'PUT', '/api/admin/routing-rules?office=county1', { rules: [] });
  assert.deepEqual([res.status, res.body.error, res.body.field], [403, 'forbidden', 'office']);
  // The root's rules are untouched.
  assert.equal((await s.staff(s.sessions.admin, 'GET', '/api/admin/routing-rules')).body.rules.length, 20);
  const proposal = async (office, who) => {
    const filed = await file({ office, category: 'red_light', description: '路口多辆电动车闯红灯。', district: 'nanshan', location: '路口' });
    const [{ id }] = query(w.stateDir, `SELECT id FROM reports WHERE receipt_code = '${filed.body.receipt_code.replaceAll('-', '')}'`);
    return (await as(who, 'GET', `/api/staff/cases/${id}`)).body.proposed_department;
  };
  assert.equal(await proposal('street1', 'rr.street1'), 'c1_police', 'a street below county 1 follows county 1');
  assert.equal(await proposal('county2', 'rr.c2h'), 'traffic', 'county 2 follows the root');
});
