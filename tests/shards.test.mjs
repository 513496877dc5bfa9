// Cases sharded over D1 databases by office (issue 20), against the real worker with two local D1
// databases and its local Queue: city2's offices keep their cases in SHARD_1, everything else in
// the control database (DB). A case is in exactly one shard, named by the directory (case_index);
// lists and figures merge every shard; a hand-over to an office of the other shard moves the case
// with all its rows through the queue, exactly once — also when wrangler dev is killed mid-burst.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, rmSync } from 'node:fs';
import { startWorker, query, newKey, postJson, http } from './harness.mjs';
import { setUpStaff, signIn, staffRequest } from './staff-fixture.mjs';

const SHARD_DB = { DB: 'qinglang', SHARD_1: 'qinglang-shard-1' };
const VARS = { SHARDS: 'city2=SHARD_1', MOVE_SWEEP_AFTER_S: '0', ARCHIVE_AFTER_DAYS: '0' };
const PASSWORD = 'a long enough password';
const NETWORK = [['city1', 'root', 'city'], ['city2', 'root', 'city'], ['county1', 'city1', 'county'], ['county3', 'city2', 'county']];
const ACCOUNTS = [['h.county1', 'handler', 'county1'], ['h.county3', 'handler', 'county3'], ['s.root', 'supervisor', 'root']];

let w;
let s;
let sessions = {};
before(async () => {
  w = await startWorker({ vars: VARS });
  s = await setUpStaff(w);
  const root = await s.staff(s.sessions.admin, 'PATCH', '/api/admin/offices/root', { level: 'province' });
  assert.equal(root.status, 200, root.text);
  for (const [code, parent, level] of NETWORK) {
    const res = await s.staff(s.sessions.admin, 'POST', '/api/admin/offices', {
      code, parent, level, name_zh_hans: `${code}网信办`, name_zh_hant: `${code}網信辦`, name_en: `${code} office`,
    });
    assert.equal(res.status, 201, res.text);
  }
  for (const [username, role, office] of ACCOUNTS) {
    const res = await s.staff(s.sessions.admin, 'POST', '/api/admin/staff', { username, display_name: username, role, office, password: PASSWORD });
    assert.equal(res.status, 201, res.text);
    sessions[username] = await signIn(w, username, PASSWORD);
  }
});
let restartedState;
after(async () => {
  await w?.stop();
  if (restartedState) rmSync(restartedState, { recursive: true, force: true });
});

/** A staff request against the worker now running (it is restarted in the kill test). */
const as = (who, method, path, body) => staffRequest(w.base, sessions[who] ?? s.sessions[who], method, path, body);
const inShard = (shard, sql) => query(w.stateDir, sql, SHARD_DB[shard]);
const directory = (id) => query(w.stateDir, `SELECT shard FROM case_index WHERE id = ${id}`)[0]?.shard;

/** Files a report at `office`; answers its id (from the directory), receipt and secret. */
async function file(office, extra = {}) {
  const res = await postJson(`${w.base}/api/reports`, {
    idempotency_key: newKey(), category: 'fraud', description: `有人冒充客服让转账解冻账户（${office}）。`,
    contact: { name: '王先生', phone: '13900139000' }, office, ...extra,
  });
  assert.equal(res.status, 201, res.text);
  const code = res.body.receipt_code.replaceAll('-', '');
  const [row] = query(w.stateDir, `SELECT id FROM case_index WHERE receipt_code = '${code}'`);
  return { id: row.id, code: res.body.receipt_code, secret: res.body.secret };
}

/** Where case `id` is, row by row: the number of its rows in each shard's case tables. */
function whereabouts(id) {
  const out = {};
  for (const shard of Object.keys(SHARD_DB)) {
    const [row] = inShard(shard, `SELECT (SELECT COUNT(*) FROM reports WHERE id = ${id}) AS reports,
      (SELECT COUNT(*) FROM events WHERE report_id = ${id}) AS events,
      (SELECT COUNT(*) FROM report_screenings WHERE report_id = ${id}) AS screenings,
      (SELECT COUNT(*) FROM report_contacts WHERE report_id = ${id}) AS contacts,
      (SELECT COUNT(*) FROM uploads WHERE report_id = ${id}) AS uploads,
      (SELECT COUNT(*) FROM case_requests WHERE report_id = ${id}) AS requests`);
    out[shard] = row;
  }
  return out;
}

/** Waits until no case is on its way between shards (the queue's consumer runs within a second or two). */
async function settled(timeoutMs = 30_000) {
  const start = Date.now();
  for (;;) {
    const moving = Object.keys(SHARD_DB).flatMap((shard) => inShard(shard, 'SELECT id FROM reports WHERE moving_to IS NOT NULL'));
    if (moving.length === 0) return;
    if (Date.now() - start > timeoutMs) throw new Error(`still moving: ${JSON.stringify(moving)}`);
    await new Promise((r) => setTimeout(r, 300));
  }
}

test('the shard schema has every column of the control database\'s case tables, in order', () => {
  for (const table of ['reports', 'events', 'report_screenings', 'report_contacts', 'uploads', 'case_requests']) {
    const columns = (shard) => inShard(shard, `SELECT name, type, "notnull", pk, hidden FROM pragma_table_xinfo('${table}')`);
    assert.deepEqual(columns('SHARD_1'), columns('DB'), table);
  }
});

test('a report lands in its office\'s shard, found through the directory; lists and figures merge the shards', async () => {
  const c1 = await file('county1');
  const c3 = await file('county3');
  const root = await file(undefined);
  assert.deepEqual([directory(c1.id), directory(c3.id), directory(root.id)], ['DB', 'SHARD_1', 'DB']);
  assert.equal(whereabouts(c3.id).SHARD_1.reports, 1);
  assert.deepEqual(whereabouts(c3.id).DB, { reports: 0, events: 0, screenings: 0, contacts: 0, uploads: 0, requests: 0 });
  assert.ok(whereabouts(c3.id).SHARD_1.screenings === 1 && whereabouts(c3.id).SHARD_1.contacts === 1);

  // The reporter tracks it by receipt; a wrong secret is refused the same way in every shard.
  const track = await http(`${w.base}/api/reports/${c3.code}`, { headers: { 'x-receipt-secret': c3.secret } });
  assert.equal(track.status, 200);
  assert.equal((await track.json()).office.code, 'county3');
  const wrong = await http(`${w.base}/api/reports/${c3.code}`, { headers: { 'x-receipt-secret': 'ABCD-EFGH-JKMN' } });
  assert.equal(wrong.status, 404);

  // The root's queue pages through both shards in due order, one case a page, none twice.
  const seen = [];
  let after = '';
  for (let page = 0; page < 10; page++) {
    const res = await as('s.root', 'GET', `/api/staff/cases?limit=1${after ? `&after=${after}` : ''}`);
    assert.equal(res.status, 200, res.text);
    seen.push(...res.body.items.map((c) => c.case.id));
    if (!res.body.next) break;
    after = res.body.next;
  }
  assert.deepEqual([...seen].sort((a, b) => a - b), [c1.id, c3.id, root.id].sort((a, b) => a - b));
  // An office's queue reads its subtree in whichever shard holds it; a county sees its own.
  assert.deepEqual((await as('h.county3', 'GET', '/api/staff/cases')).body.items.map((c) => c.case.id), [c3.id]);
  assert.deepEqual((await as('h.county1', 'GET', '/api/staff/cases')).body.items.map((c) => c.case.id), [c1.id]);
  const page = await as('h.county3', 'GET', `/api/staff/cases/${c3.id}`);
  assert.equal(page.status, 200, page.text);
  assert.ok(page.body.has_contact && page.body.timeline.length >= 1);
  assert.equal((await as('h.county1', 'GET', `/api/staff/cases/${c3.id}`)).status, 404, 'outside the office, as unknown');

  const stats = async (q = '') => (await http(`${w.base}/api/stats${q}`)).json();
  assert.equal((await stats()).received, 3);
  assert.equal((await stats('?office=city2')).received, 1);
  assert.equal((await stats('?office=city1')).received, 1);
  const figures = await as('s.root', 'GET', '/api/staff/figures');
  assert.equal(figures.status, 200, figures.text);
});

test('a referral to an office of the other shard moves the case with every row, and back on return', async () => {
  const png = readFileSync(new URL('./fixtures/plain.png', import.meta.url));
  const key = newKey();
  const up = await http(`${w.base}/api/uploads?key=${key}&slot=0`, { method: 'POST', headers: { 'content-type': 'image/png' }, body: png });
  assert.equal(up.status, 201, await up.clone().text());
  const upload = (await up.json()).id;
  const c = await file('county1', { idempotency_key: key, evidence: [upload] });
  const before = whereabouts(c.id).DB;
  assert.deepEqual([before.reports, before.uploads, before.contacts, before.screenings], [1, 1, 1, 1]);

  const act = (who, body) => as(who, 'POST', `/api/staff/cases/${c.id}/actions`, body);
  let res = await act('h.county1', { action: 'refer', office: 'county3', reason: '发布者住所地在县三' });
  assert.equal(res.status, 200, res.text);
  await settled();
  assert.equal(directory(c.id), 'SHARD_1');
  const moved = whereabouts(c.id);
  assert.deepEqual(moved.DB, { reports: 0, events: 0, screenings: 0, contacts: 0, uploads: 0, requests: 0 }, 'nothing left behind');
  assert.deepEqual(moved.SHARD_1, { ...before, events: before.events + 1 }, 'every row arrived once, with the referral');
  // The receiving county handles it there; its picture and contact came along.
  const page = await as('h.county3', 'GET', `/api/staff/cases/${c.id}`);
  assert.equal(page.status, 200, page.text);
  assert.equal(page.body.evidence.length, 1);
  assert.equal((await as('h.county3', 'GET', `/api/staff/cases/${c.id}/evidence/0`)).status, 200);
  const track = await (await http(`${w.base}/api/reports/${c.code}`, { headers: { 'x-receipt-secret': c.secret } })).json();
  assert.equal(track.office.code, 'county3');
  assert.ok(track.timeline.some((e) => e.kind === 'referred' && e.text === 'county3网信办'), JSON.stringify(track.timeline));

  res = await act('h.county3', { action: 'return', reason: '经核实，属地仍在县一' });
  assert.equal(res.status, 200, res.text);
  await settled();
  assert.equal(directory(c.id), 'DB');
  const back = whereabouts(c.id);
  assert.equal(back.SHARD_1.reports + back.SHARD_1.events + back.SHARD_1.uploads, 0);
  assert.deepEqual(back.DB, { ...before, events: before.events + 3 }, 'its events: the referral, the picture viewed, the return');
});

test('a move whose message was lost freezes the case (case_moving) until the cron completes it', async () => {
  const c = await file('county1');
  // As if the action's batch committed and the worker died before the queue heard of it: the case
  // marked as moving, its counter rows taken along (a new web report about fraud, this month).
  const month = new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 7);
  query(w.stateDir, `UPDATE reports SET office = 'county3', moving_to = 'SHARD_1' WHERE id = ${c.id};
    UPDATE figure_counts SET n = n - 1 WHERE office IN ('county1', 'city1', 'root') AND state = 'pending' AND bucket = 0
      AND ((dim = 't' AND value = '') OR (dim = 'c' AND value = 'fraud') OR (dim = 's' AND value = 'web') OR (dim = 'm' AND value = '${month}'))`);
  const res = await as('h.county3', 'POST', `/api/staff/cases/${c.id}/actions`, { action: 'accept' });
  assert.deepEqual([res.status, res.body.error], [409, 'case_moving']);
  const page = await as('h.county3', 'GET', `/api/staff/cases/${c.id}`);
  assert.deepEqual(page.body.allowed_actions, [], 'nothing offered while it moves');
  assert.equal((await http(`${w.base}/__scheduled?cron=${encodeURIComponent('*/5 * * * *')}`)).status, 200);
  await settled();
  assert.equal(directory(c.id), 'SHARD_1');
  assert.equal(whereabouts(c.id).DB.reports, 0);
  assert.equal((await as('h.county3', 'POST', `/api/staff/cases/${c.id}/actions`, { action: 'accept' })).status, 200);
});

test('killing wrangler dev mid-burst of cross-shard referrals loses and doubles none', async (t) => {
  const N = 24;
  const cases = [];
  for (let i = 0; i < N; i++) cases.push(await file('county1'));
  const eventsBefore = new Map(query(w.stateDir, `SELECT report_id AS id, COUNT(*) AS n FROM events
    WHERE report_id IN (${cases.map((c) => c.id).join(', ')}) GROUP BY report_id`).map((r) => [r.id, r.n]));
  const acknowledged = new Set();
  const burst = cases.map(async (c, i) => {
    await new Promise((r) => setTimeout(r, i * 15));
    try {
      const res = await as('h.county1', 'POST', `/api/staff/cases/${c.id}/actions`, { action: 'refer', office: 'county3', reason: '属地在县三' });
      if (res.status === 200) acknowledged.add(c.id);
    } catch { /* the worker died under it */ }
  });
  await new Promise((r) => setTimeout(r, 150));
  const stateDir = w.stateDir;
  await w.crash();
  await Promise.all(burst);
  const movingAtRestart = Object.keys(SHARD_DB)
    .flatMap((shard) => inShard(shard, 'SELECT id FROM reports WHERE moving_to IS NOT NULL')).length;
  w = await startWorker({ stateDir, vars: VARS });
  restartedState = stateDir;
  // Moves the queue held in memory are gone with the process; the cron's sweep completes them.
  assert.equal((await http(`${w.base}/__scheduled?cron=${encodeURIComponent('*/5 * * * *')}`)).status, 200);
  await settled();
  // Every case's rows in both shards, read in one query per shard.
  const ids = cases.map((c) => c.id).join(', ');
  const rows = {};
  for (const shard of Object.keys(SHARD_DB)) {
    rows[shard] = new Map(inShard(shard, `SELECT r.id, r.office, (SELECT COUNT(*) FROM events e WHERE e.report_id = r.id) AS events,
      (SELECT COUNT(*) FROM events e WHERE e.report_id = r.id AND e.kind = 'referred') AS referrals
      FROM reports r WHERE r.id IN (${ids})`).map((r) => [r.id, r]));
    const orphans = inShard(shard, `SELECT COUNT(*) AS n FROM events WHERE report_id IN (${ids}) AND report_id NOT IN (SELECT id FROM reports)`);
    assert.equal(orphans[0].n, 0, `${shard}: no events left without their case`);
  }
  const shardOf = new Map(query(w.stateDir, `SELECT id, shard FROM case_index WHERE id IN (${ids})`).map((r) => [r.id, r.shard]));
  let referred = 0;
  for (const c of cases) {
    const shard = shardOf.get(c.id);
    const other = shard === 'DB' ? 'SHARD_1' : 'DB';
    const row = rows[shard].get(c.id);
    assert.ok(row, `case ${c.id} is in ${shard}, where the directory says`);
    assert.ok(!rows[other].has(c.id), `case ${c.id} is nowhere else`);
    if (row.office === 'county3') {
      referred += 1;
      assert.equal(shard, 'SHARD_1');
      assert.equal(row.events, eventsBefore.get(c.id) + 1, `case ${c.id}: every event once`);
      assert.equal(row.referrals, 1);
    } else {
      assert.ok(!acknowledged.has(c.id), `acknowledged referral of case ${c.id} was lost`);
      assert.equal(shard, 'DB');
      assert.equal(row.events, eventsBefore.get(c.id));
    }
  }
  assert.ok(referred >= acknowledged.size && acknowledged.size > 0, `${acknowledged.size} acknowledged, ${referred} referred`);
  t.diagnostic(`${N} referrals sent, ${acknowledged.size} acknowledged before the kill, ${referred} made; ${movingAtRestart} were in flight at the restart`);
  // The merged queue lists each case once.
  const res = await as('s.root', 'GET', '/api/staff/cases?limit=1').catch((e) => { throw new Error(`${e.message}\n${w.log()}`); });
  assert.equal(res.status, 200);
  const listed = (await as('s.root', 'GET', '/api/staff/cases?limit=100')).body.items.map((c) => c.case.id);
  assert.equal(new Set(listed).size, listed.length);
  for (const c of cases) assert.ok(listed.includes(c.id), `case ${c.id} listed`);
});

test('the public figures come from counters that equal the audit log at every office, also after a rebuild', async () => {
  // Every kind of change has happened above: new reports in both shards, referrals there and back,
  // a move completed by the sweep, moves cut by a crash. A rating too:
  const c = await file('county3');
  const act = (body) => as('h.county3', 'POST', `/api/staff/cases/${c.id}/actions`, body);
  assert.equal((await act({ action: 'accept' })).status, 200);
  assert.equal((await act({ action: 'resolve', reply: '已处置。' })).status, 200);
  const rated = await http(`${w.base}/api/reports/${c.code}/rating`, {
    method: 'POST', headers: { 'content-type': 'application/json', 'x-receipt-secret': c.secret }, body: JSON.stringify({ rating: 'satisfied' }),
  });
  assert.equal(rated.status, 200, await rated.text());
  const check = async () => {
    const res = await as('admin', 'GET', '/api/admin/figures/check');
    assert.equal(res.status, 200, res.text);
    return res.body;
  };
  let answer = await check();
  assert.equal(answer.counters_ready, true);
  assert.deepEqual(answer.mismatches, [], JSON.stringify(answer.mismatches, null, 1));
  assert.equal(answer.offices, 5);
  const stats = await (await http(`${w.base}/api/stats?office=county3`)).json();
  assert.ok(stats.rated >= 1 && stats.satisfied >= 1 && stats.closed >= 1, JSON.stringify(stats));
  // The repair job counts every case anew and lands on the same figures.
  const counters = () => Object.keys(SHARD_DB).map((shard) => inShard(shard, 'SELECT * FROM figure_counts WHERE n <> 0 ORDER BY office, dim, value, state, bucket'));
  const before = counters();
  const rebuilt = await as('admin', 'POST', '/api/admin/figures/rebuild', {});
  assert.equal(rebuilt.status, 200, rebuilt.text);
  assert.equal(rebuilt.body.cases.DB + rebuilt.body.cases.SHARD_1, query(w.stateDir, 'SELECT COUNT(*) AS n FROM case_index')[0].n);
  assert.deepEqual(counters(), before, 'the counters kept by every change equal a count from scratch');
  answer = await check();
  assert.deepEqual(answer.mismatches, []);
  // Only the root office's admins run them.
  assert.equal((await as('h.county3', 'GET', '/api/admin/figures/check')).status, 403);
});

test('the counters\' repair job in small steps ends exact while cases change, move and arrive between its steps', async () => {
  const counters = () => Object.keys(SHARD_DB).map((shard) => inShard(shard, 'SELECT * FROM figure_counts WHERE n <> 0 ORDER BY office, dim, value, state, bucket'));
  const meta = (shard) => Object.fromEntries(inShard(shard, 'SELECT key, value FROM figure_meta').map((r) => [r.key, r.value]));
  const step = async (body) => {
    const res = await as('admin', 'POST', '/api/admin/figures/rebuild', body);
    assert.equal(res.status, 200, res.text);
    return res.body;
  };
  for (const bad of [{ pages: 0 }, { pages: 301 }, { page_size: 1001 }, { pages: 'all' }, { steps: 1 }]) {
    const res = await as('admin', 'POST', '/api/admin/figures/rebuild', bad);
    assert.deepEqual([res.status, res.body.error], [400, 'bad_json'], JSON.stringify(bad));
  }
  assert.equal(meta('DB').counters, 'ready', 'a refused request starts nothing');
  const act = (who, id, body) => as(who, 'POST', `/api/staff/cases/${id}/actions`, body);
  const counted = await file('county1');
  const uncounted = await file('county3');
  // One page of up to a thousand cases: DB's are all counted, SHARD_1's job waits at its start.
  const inDb = query(w.stateDir, "SELECT COUNT(*) AS n FROM case_index WHERE shard = 'DB'")[0].n;
  let answer = await step({ pages: 1, page_size: 1000 });
  assert.deepEqual([answer.done, answer.cases.DB, answer.cases.SHARD_1], [false, inDb, undefined]);
  assert.deepEqual([meta('DB').counters, meta('SHARD_1').counters], ['rebuilding', 'rebuilding']);
  // The public figures come from the audit log meanwhile.
  assert.ok((await (await http(`${w.base}/api/stats`)).json()).received >= inDb);
  // Meanwhile: a counted case changes; a case not yet counted changes; a new case is filed and
  // moves to the other shard; another arrives there.
  assert.equal((await act('h.county1', counted.id, { action: 'accept' })).status, 200);
  assert.equal((await act('h.county3', uncounted.id, { action: 'accept' })).status, 200);
  const moving = await file('county1');
  answer = await step({ pages: 2, page_size: 2 });
  assert.equal(answer.done, false);
  assert.equal((await act('h.county1', moving.id, { action: 'refer', office: 'county3', reason: '属地在县三' })).status, 200);
  await settled();
  await file('county3');
  // The live counters were kept all along; the job must end on exactly them.
  const live = counters();
  for (let i = 0; i < 200 && !answer.done; i++) answer = await step({ pages: 5, page_size: 3 });
  assert.equal(answer.done, true);
  assert.deepEqual([meta('DB').counters, meta('SHARD_1').counters], ['ready', 'ready']);
  assert.equal(meta('DB').rebuild_after, undefined);
  assert.deepEqual(counters(), live);
  assert.deepEqual(inShard('DB', 'SELECT COUNT(*) AS n FROM figure_counts_next')[0].n, 0);
  assert.deepEqual((await as('admin', 'GET', '/api/admin/figures/check')).body.mismatches, []);
});

test('closed cases age out to R2 as a small row, are found by receipt and by staff, and come back whole', async () => {
  const cron = async () => assert.equal((await http(`${w.base}/__scheduled?cron=${encodeURIComponent('*/5 * * * *')}`)).status, 200);
  const png = readFileSync(new URL('./fixtures/plain.png', import.meta.url));
  const key = newKey();
  const up = await http(`${w.base}/api/uploads?key=${key}&slot=0`, { method: 'POST', headers: { 'content-type': 'image/png' }, body: png });
  assert.equal(up.status, 201, await up.clone().text());
  // A long report with a phone number in it, in SHARD_1, closed and rated; another in DB, rejected.
  const long = `有人在小区群里冒充物业，让大家扫码缴纳“网络维护费”，联系电话13912345678，已有多位老人被骗。${'群里还在不断转发。'.repeat(12)}`;
  const c = await file('county3', { idempotency_key: key, evidence: [(await up.json()).id], description: long, links: ['https://weibo.com/123/abc'] });
  const d = await file('county1');
  const act = (who, id, body) => as(who, 'POST', `/api/staff/cases/${id}/actions`, body);
  assert.equal((await act('h.county3', c.id, { action: 'accept' })).status, 200);
  assert.equal((await act('h.county3', c.id, { action: 'resolve', reply: '已联系平台删除并提醒居民。' })).status, 200);
  const rated = await http(`${w.base}/api/reports/${c.code}/rating`, {
    method: 'POST', headers: { 'content-type': 'application/json', 'x-receipt-secret': c.secret }, body: JSON.stringify({ rating: 'satisfied', comment: '处理得很快' }),
  });
  assert.equal(rated.status, 200, await rated.text());
  assert.equal((await act('h.county1', d.id, { action: 'reject', reason: 'out_of_scope' })).status, 200);

  // Every row of a case, without the ids a shard gives anew and the archive's own columns.
  const whole = (shard, id) => ({
    report: inShard(shard, `SELECT * FROM reports WHERE id = ${id}`).map(({ archived_at, thawed_at, ...rest }) => rest),
    events: inShard(shard, `SELECT kind, actor, is_public, body, detail, created_at FROM events WHERE report_id = ${id} ORDER BY id`),
    screenings: inShard(shard, `SELECT * FROM report_screenings WHERE report_id = ${id}`),
    contacts: inShard(shard, `SELECT * FROM report_contacts WHERE report_id = ${id}`),
    uploads: inShard(shard, `SELECT * FROM uploads WHERE report_id = ${id} ORDER BY position`),
    requests: inShard(shard, `SELECT report_id, kind, party, question, due_at, opened_at, answered_at, answer FROM case_requests WHERE report_id = ${id} ORDER BY id`),
  });
  const wholeC = whole('SHARD_1', c.id);
  const wholeD = whole('DB', d.id);
  const counters = () => Object.keys(SHARD_DB).map((shard) => inShard(shard, 'SELECT * FROM figure_counts WHERE n <> 0 ORDER BY office, dim, value, state, bucket'));
  const countedBefore = counters();

  await cron();
  // The small rows: the masked excerpt, the latest status event and the rating; nothing else.
  const [small] = inShard('SHARD_1', `SELECT description, links, archived_at, status, rating FROM reports WHERE id = ${c.id}`);
  assert.ok(small.archived_at > 0, 'archived');
  assert.equal([...small.description].length, 80);
  assert.ok(small.description.includes('139****5678') && !small.description.includes('13912345678'), small.description);
  assert.deepEqual([small.links, small.status, small.rating], ['[]', 'resolved', 'satisfied']);
  assert.deepEqual(inShard('SHARD_1', `SELECT kind FROM events WHERE report_id = ${c.id} ORDER BY id`).map((e) => e.kind), ['resolved', 'rated']);
  const left = whereabouts(c.id).SHARD_1;
  assert.deepEqual([left.screenings, left.contacts, left.uploads, left.requests], [0, 0, 0, 0]);
  assert.equal(whereabouts(d.id).DB.events, 1);
  assert.ok(query(w.stateDir, `SELECT archived_at FROM case_index WHERE id = ${c.id}`)[0].archived_at > 0);

  // Figures and the repair job see archived cases as before.
  assert.deepEqual(counters(), countedBefore);
  assert.deepEqual((await as('admin', 'GET', '/api/admin/figures/check')).body.mismatches, []);
  assert.equal((await as('admin', 'POST', '/api/admin/figures/rebuild', {})).status, 200);
  assert.deepEqual(counters(), countedBefore, 'a rebuild over small rows counts the same');

  // Staff find it by receipt code from its small row (no thaw), and nobody outside its office does.
  let found = await as('h.county3', 'GET', `/api/staff/cases?receipt=${encodeURIComponent(c.code.toLowerCase())}`);
  assert.equal(found.status, 200, found.text);
  assert.deepEqual(found.body.items.map((i) => [i.case.id, i.excerpt]), [[c.id, small.description]]);
  assert.deepEqual((await as('h.county1', 'GET', `/api/staff/cases?receipt=${c.code}`)).body.items, []);
  const bad = await as('h.county3', 'GET', '/api/staff/cases?receipt=not-a-code');
  assert.deepEqual([bad.status, bad.body.error, bad.body.field], [400, 'receipt_code_invalid', 'receipt']);
  assert.ok(inShard('SHARD_1', `SELECT archived_at FROM reports WHERE id = ${c.id}`)[0].archived_at > 0, 'a search thaws nothing');

  // A wrong password thaws nothing; the reporter's page with theirs reads it back whole.
  const wrong = await http(`${w.base}/api/reports/${c.code}`, { headers: { 'x-receipt-secret': 'AAAA-AAAA-AAAA' } });
  assert.equal(wrong.status, 404);
  assert.ok(inShard('SHARD_1', `SELECT archived_at FROM reports WHERE id = ${c.id}`)[0].archived_at > 0);
  const track = await http(`${w.base}/api/reports/${c.code}`, { headers: { 'x-receipt-secret': c.secret } });
  assert.equal(track.status, 200);
  const view = await track.json();
  assert.equal(view.description, long);
  assert.ok(view.timeline.some((e) => e.kind === 'rated'), JSON.stringify(view.timeline));
  assert.deepEqual(whole('SHARD_1', c.id), wholeC, 'every row and column came back');
  assert.equal(query(w.stateDir, `SELECT archived_at FROM case_index WHERE id = ${c.id}`)[0].archived_at, null);
  assert.ok(inShard('SHARD_1', `SELECT thawed_at FROM reports WHERE id = ${c.id}`)[0].thawed_at > 0);

  // The staff case page thaws the other; its picture is served again.
  const page = await as('h.county1', 'GET', `/api/staff/cases/${d.id}`);
  assert.equal(page.status, 200, page.text);
  assert.deepEqual(whole('DB', d.id), wholeD);
  const picture = await as('h.county3', 'GET', `/api/staff/cases/${c.id}/evidence/0`);
  assert.equal(picture.status, 200);

  // A thawed case stays whole for a day; the counters never moved.
  await cron();
  assert.equal(inShard('SHARD_1', `SELECT archived_at FROM reports WHERE id = ${c.id}`)[0].archived_at, null);
  assert.equal(whereabouts(c.id).SHARD_1.contacts, 1);
  assert.deepEqual(counters(), countedBefore);
});
