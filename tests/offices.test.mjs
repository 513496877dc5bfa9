// The office network (issue 19), against the real worker and D1: an admin grows the root office into
// a province with cities, counties and a street; a report lands at the office it names, else at its
// poster's office, else at the root; the reporter sees which office holds it; and every office's
// public figures are its own cases plus its children's (an identity checked at every node).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startWorker, query, newKey, postJson } from './harness.mjs';
import { setUpStaff } from './staff-fixture.mjs';

let w;
let s;
before(async () => {
  w = await startWorker();
  s = await setUpStaff(w);
});
after(async () => { await w?.stop(); });

const offices = async () => (await (await fetch(`${w.base}/api/offices`)).json()).offices;
const names = (code) => ({ name_zh_hans: `${code}网信办`, name_zh_hant: `${code}網信辦`, name_en: `${code} office` });
const NETWORK = [
  ['city1', 'root', 'city'], ['city2', 'root', 'city'],
  ['county1', 'city1', 'county'], ['county2', 'city1', 'county'], ['county3', 'city2', 'county'],
  ['street1', 'county1', 'street'],
];

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
  const view = await (await fetch(`${w.base}/api/reports/${res.body.receipt_code}`, { headers: { 'x-receipt-secret': res.body.secret } })).json();
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
  assert.equal((await s.act('handler', id, { action: 'accept' })).status, 200);
  assert.equal((await s.act('handler', id, { action: 'resolve', reply: '已核实处置。' })).status, 200);

  const stats = async (office) => {
    const res = await fetch(`${w.base}/api/stats${office ? `?office=${office}` : ''}`);
    assert.equal(res.status, 200, office);
    return res.json();
  };
  const tree = await offices();
  // An office's own cases, counted from D1 by the figures' definitions (figures.rs).
  const own = (office) => query(w.stateDir, `SELECT COUNT(*) AS received,
      SUM(status = 'submitted') AS pending, SUM(status IN ('accepted', 'transferred', 'reopened')) AS in_progress,
      SUM(status = 'resolved') AS closed, SUM(status = 'rejected') AS rejected FROM reports WHERE office = '${office}'`)[0];
  const fields = ['received', 'pending', 'in_progress', 'closed', 'rejected'];
  for (const office of tree) {
    const mine = await stats(office.code);
    const children = await Promise.all(tree.filter((o) => o.parent === office.code).map((o) => stats(o.code)));
    const mineOwn = own(office.code);
    for (const field of fields) {
      const expected = (mineOwn[field] ?? 0) + children.reduce((n, c) => n + c[field], 0);
      assert.equal(mine[field], expected, `${office.code}: ${field} = own + children`);
    }
  }
  // Summed over the leaves and the offices' own cases, the root's figures are every case.
  const all = await stats(null);
  assert.equal(all.received, query(w.stateDir, 'SELECT COUNT(*) AS n FROM reports')[0].n);
  assert.deepEqual(await stats('root'), all);
  const city1 = await stats('city1');
  assert.equal(city1.closed, 1, 'the closed street case counts up to its city');
  assert.equal((await stats('city2')).closed, 0);
  const bad = await fetch(`${w.base}/api/stats?office=atlantis`);
  assert.equal(bad.status, 400);
  assert.deepEqual(await bad.json().then((b) => [b.error, b.field]), ['unknown_office', 'office']);
});
