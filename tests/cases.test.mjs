// The reporter's rating and public timeline, the public figures (checked against SELECT counts on
// D1, in total, per category and per month) and the supervisors' figures, against the real worker.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startWorker, query, postJson, http } from './harness.mjs';
import { setUpStaff } from './staff-fixture.mjs';

let w;
let s;

before(async () => {
  w = await startWorker();
  s = await setUpStaff(w);
});
after(async () => { await w?.stop(); });

const track = async (r, lang = 'zh-CN') => {
  const res = await http(`${w.base}/api/reports/${r.code}`, { headers: { 'x-receipt-secret': r.secret, 'accept-language': lang } });
  return { status: res.status, body: await res.json() };
};
const rate = (r, body, secret = r.secret) => postJson(`${w.base}/api/reports/${r.code}/rating`, body, { 'x-receipt-secret': secret });

test('the reporter rates a resolved case once per resolution; the timeline shows it and nothing staff-only', async () => {
  const r = await s.fileReport();
  let res = await rate(r, { rating: 'satisfied' });
  assert.equal(res.status, 409, res.text);
  assert.equal(res.body.error, 'rating_not_open');
  assert.equal((await s.act('handler', r.id, { action: 'accept' })).status, 200);
  assert.equal((await s.act('handler', r.id, { action: 'transfer', department: 'police' })).status, 200);
  assert.equal((await s.act('police', r.id, { action: 'reply', text: '已受理，正在调查。' })).status, 200);
  assert.equal((await s.act('police', r.id, { action: 'feedback', text: '内部：已约谈' })).status, 200);
  assert.equal((await s.act('handler', r.id, { action: 'note', text: '内部备注' })).status, 200);
  assert.equal((await s.staff(s.sessions.handler, 'GET', `/api/staff/cases/${r.id}/contact`)).status, 200);
  let view = (await track(r)).body;
  assert.equal(view.can_rate, false);
  assert.equal(view.reopen_until, null);
  assert.equal((await s.act('handler', r.id, { action: 'resolve', reply: '涉事账号已封禁。' })).status, 200);
  view = (await track(r)).body;
  assert.equal(view.can_rate, true);
  assert.ok(view.reopen_until > Date.now() + 14 * 86_400_000, 'the reopen window is shown');

  // Refusals first: each changes nothing.
  const before = query(w.stateDir, `SELECT COUNT(*) AS n FROM events WHERE report_id = ${r.id}`)[0].n;
  for (const [body, status, error, field] of [
    [{ rating: 'great' }, 400, 'bad_json'],
    [{ rating: 'satisfied', stars: 5 }, 400, 'bad_json'],
    [{ rating: 'satisfied', comment: '字'.repeat(501) }, 400, 'field_too_long', 'comment'],
  ]) {
    res = await rate(r, body);
    assert.equal(res.status, status, res.text);
    assert.equal(res.body.error, error);
    if (field) assert.equal(res.body.field, field);
  }
  res = await rate(r, { rating: 'satisfied' }, 'AAAA-BBBB-CCCC');
  assert.equal(res.status, 404);
  assert.equal(res.body.error, 'receipt_not_found');
  assert.equal(query(w.stateDir, `SELECT COUNT(*) AS n FROM events WHERE report_id = ${r.id}`)[0].n, before);

  res = await rate(r, { rating: 'basically_satisfied', comment: '处理及时，但希望更快。' });
  assert.equal(res.status, 200, res.text);
  assert.equal(res.body.can_rate, false);
  res = await rate(r, { rating: 'dissatisfied' });
  assert.equal(res.status, 409);
  assert.equal(res.body.error, 'already_rated');
  const en = await postJson(`${w.base}/api/reports/${r.code}/rating`, { rating: 'dissatisfied' },
    { 'x-receipt-secret': r.secret, 'accept-language': 'en' });
  assert.equal(en.body.message, 'You have already rated this outcome.');

  view = (await track(r)).body;
  assert.deepEqual(view.timeline.map((e) => e.kind), ['submitted', 'accepted', 'transferred', 'reply', 'resolved', 'rated']);
  assert.equal(view.timeline[2].text, '公安局');
  assert.equal((await track(r, 'en')).body.timeline[2].text, 'Public Security Bureau', 'department names follow the language');
  assert.equal((await track(r, 'zh-TW')).body.timeline[2].text, '公安局');
  assert.deepEqual(view.timeline.at(-1), { kind: 'rated', at: view.timeline.at(-1).at, text: '处理及时，但希望更快。', rating: 'basically_satisfied' });
  const text = JSON.stringify(view);
  for (const secret of ['内部', 'staff:', '13800138000', '李女士', 'handler 名', 'contact']) {
    assert.ok(!text.includes(secret), `the tracking view leaks ${secret}`);
  }

  // Reopened and resolved again: the new resolution may be rated.
  res = await postJson(`${w.base}/api/reports/${r.code}/reopen`, { reason: '账号换了个名字又出现了。' }, { 'x-receipt-secret': r.secret });
  assert.equal(res.status, 200, res.text);
  assert.equal((await rate(r, { rating: 'satisfied' })).body.error, 'rating_not_open');
  assert.equal((await s.act('handler', r.id, { action: 'resolve', reply: '新账号也已处置。' })).status, 200);
  res = await rate(r, { rating: 'satisfied' });
  assert.equal(res.status, 200, res.text);
  assert.deepEqual(res.body.timeline.slice(-4).map((e) => [e.kind, e.rating ?? null]),
    [['rated', 'basically_satisfied'], ['reopened', null], ['resolved', null], ['rated', 'satisfied']]);
  assert.equal(query(w.stateDir, `SELECT COUNT(*) AS n FROM events WHERE report_id = ${r.id} AND kind = 'rated'`)[0].n, 2);
});

/** The SELECT-side of the figures: counts by status group, in total, per category and per month. */
function d1Counts() {
  const month = "strftime('%Y-%m', created_at / 1000 + 8 * 3600, 'unixepoch')";
  const sql = (group) => `SELECT ${group} AS k, COUNT(*) AS received, ` +
    "SUM(status = 'submitted') AS pending, SUM(status = 'rejected') AS rejected, SUM(status = 'merged') AS merged, " +
    "SUM(status IN ('accepted', 'transferred', 'reopened')) AS in_progress, SUM(status = 'resolved') AS closed, " +
    `SUM(status = 'resolved' AND resolved_at <= due_at) AS closed_on_time FROM reports GROUP BY ${group} ORDER BY k`;
  return { total: query(w.stateDir, sql("'all'"))[0], category: query(w.stateDir, sql('category')), month: query(w.stateDir, sql(month)) };
}

function same(figures, row, label) {
  for (const key of ['received', 'pending', 'rejected', 'merged', 'in_progress', 'closed', 'closed_on_time']) {
    assert.equal(figures[key], row[key], `${label} ${key}`);
  }
  assert.equal(figures.received, figures.accepted + figures.rejected + figures.pending + figures.merged, `${label} received`);
  assert.equal(figures.accepted, figures.in_progress + figures.closed, `${label} accepted`);
}

test('public figures come from the audit log and agree exactly with D1, in total, per category and per month', async () => {
  // Cases in every state, across three categories.
  const made = [];
  for (const [category, extra] of [['fraud', {}], ['rumor', { links: ['https://weibo.com/1/abc'] }], ['spitting', { district: 'nanshan', location: '地铁口' }]]) {
    for (let i = 0; i < 6; i++) made.push({ category, ...(await s.fileReport({ category, ...extra, description: `第${i}件：${category} 的举报内容足够长。` })) });
  }
  const [a, b, c, d, e, f] = made;
  const ok = async (who, r, action) => assert.equal((await s.act(who, r.id, action)).status, 200, JSON.stringify(action));
  await ok('handler', a, { action: 'accept' });
  await ok('handler', b, { action: 'reject', reason: 'out_of_scope' });
  await ok('handler', c, { action: 'accept' });
  await ok('handler', c, { action: 'resolve', reply: '已处理。' });
  await ok('handler', d, { action: 'merge', into: a.id });
  await ok('handler', e, { action: 'accept' });
  await ok('handler', e, { action: 'transfer', department: 'police' });
  for (const r of made.slice(6, 14)) {
    await ok('handler', r, { action: 'accept' });
    await ok('handler', r, { action: 'resolve', reply: '已办结。' });
  }
  // Issue 18: the reporters' ratings become 满意率. Three of the closed cases are rated.
  for (const [r, rating] of [[made[6], 'satisfied'], [made[7], 'basically_satisfied'], [made[8], 'dissatisfied']]) {
    const rated = await rate(r, { rating });
    assert.equal(rated.status, 200, rated.text);
  }
  // One closed late: its deadline moved into the past before closing (a fixture, not a workflow step).
  await ok('handler', f, { action: 'accept' });
  query(w.stateDir, `UPDATE reports SET due_at = 1000 WHERE id = ${f.id}`);
  await ok('handler', f, { action: 'resolve', reply: '逾期办结。' });
  // One received last month (Asia/Shanghai): both the report and its submitted event move back.
  const lastMonth = Date.now() - 40 * 86_400_000;
  query(w.stateDir, `UPDATE reports SET created_at = ${lastMonth} WHERE id = ${made[17].id}; ` +
    `UPDATE events SET created_at = ${lastMonth} WHERE report_id = ${made[17].id} AND kind = 'submitted'`);
  // The figures' counters follow the worker's writes; a fixture written behind its back is counted
  // by the repair job (issue 20).
  assert.equal((await s.staff(s.sessions.admin, 'POST', '/api/admin/figures/rebuild', {})).status, 200);

  const res = await http(`${w.base}/api/stats`);
  assert.equal(res.status, 200);
  const stats = await res.json();
  const rows = d1Counts();
  same(stats, rows.total, 'total');
  assert.ok(stats.closed >= 10 && stats.rejected >= 1 && stats.merged >= 1 && stats.pending >= 1 && stats.in_progress >= 2);
  assert.ok(stats.closed_on_time < stats.closed, 'the late case counts as late');
  assert.equal(stats.on_time_rate, Math.round(stats.closed_on_time / stats.closed * 10000) / 10000);
  assert.equal(typeof stats.median_days_to_close, 'number');
  assert.deepEqual(stats.by_category.map((x) => x.category), rows.category.map((x) => x.k));
  for (const [i, x] of stats.by_category.entries()) same(x.figures, rows.category[i], x.category);
  assert.deepEqual(stats.by_month.map((x) => x.month), rows.month.map((x) => x.k));
  assert.ok(stats.by_month.length >= 2, 'two months');
  for (const [i, x] of stats.by_month.entries()) same(x.figures, rows.month[i], x.month);
  // 满意率: the latest rating of each case that is closed now, 满意 and 基本满意 counting as satisfied.
  const [sat] = query(w.stateDir, "SELECT COUNT(*) AS rated, SUM(e.body IN ('satisfied', 'basically_satisfied')) AS satisfied " +
    "FROM reports r JOIN events e ON e.id = (SELECT MAX(x.id) FROM events x WHERE x.report_id = r.id AND x.kind = 'rated') " +
    "WHERE r.status = 'resolved'");
  assert.ok(sat.rated >= 3);
  assert.deepEqual([stats.rated, stats.satisfied], [sat.rated, sat.satisfied]);
  assert.equal(stats.satisfaction_rate, Math.round(sat.satisfied / sat.rated * 10000) / 10000);
  const rumorSat = stats.by_category.find((x) => x.category === made[6].category).figures;
  assert.ok(rumorSat.rated >= 3 && rumorSat.satisfaction_rate < 1);
  const sup = await s.staff(s.sessions.supervisor, 'GET', '/api/staff/figures');
  const ratedByDept = sup.body.departments.reduce((n, x) => n + x.figures.rated, 0);
  assert.equal(ratedByDept, sat.rated, 'every rating counts in one department line');
  const text = JSON.stringify(stats);
  for (const secret of ['13800138000', '李女士', '举报内容']) assert.ok(!text.includes(secret), `stats leak ${secret}`);
});

test('supervisor figures: per department and handler for supervisors and admins, own department for liaisons, none for handlers and editors', async () => {
  const r = await s.fileReport();
  assert.equal((await s.act('handler', r.id, { action: 'accept' })).status, 200);
  assert.equal((await s.act('handler', r.id, { action: 'transfer', department: 'police' })).status, 200);
  query(w.stateDir, `UPDATE reports SET due_at = 1000 WHERE id = ${r.id}`);

  const sup = await s.staff(s.sessions.supervisor, 'GET', '/api/staff/figures');
  assert.equal(sup.status, 200, sup.text);
  const open = query(w.stateDir, "SELECT department AS k, COUNT(*) AS n, SUM(due_at < strftime('%s','now') * 1000) AS overdue " +
    "FROM reports WHERE status IN ('submitted', 'accepted', 'transferred', 'reopened') GROUP BY department ORDER BY k");
  const byDept = Object.fromEntries(sup.body.departments.map((x) => [x.department ?? null, x.figures]));
  for (const row of open) {
    assert.equal(byDept[row.k ?? null].open, row.n, `open in ${row.k}`);
    assert.equal(byDept[row.k ?? null].overdue, row.overdue ?? 0, `overdue in ${row.k}`);
  }
  const handler = sup.body.handlers.find((h) => h.handler === s.ids.handler);
  assert.equal(handler.display_name, 'handler 名');
  const closed = query(w.stateDir, `SELECT COUNT(*) AS n FROM reports WHERE status = 'resolved' AND primary_handler = ${s.ids.handler}`)[0].n;
  assert.equal(handler.figures.closed, closed);

  assert.equal((await s.staff(s.sessions.admin, 'GET', '/api/staff/figures')).status, 200);
  const liaison = await s.staff(s.sessions.police, 'GET', '/api/staff/figures');
  assert.equal(liaison.status, 200, liaison.text);
  assert.deepEqual(liaison.body.departments.map((x) => x.department), ['police']);
  assert.deepEqual(liaison.body.handlers, []);
  assert.ok(liaison.body.departments[0].figures.overdue >= 1);
  for (const who of ['handler', 'editor']) {
    const res = await s.staff(s.sessions[who], 'GET', '/api/staff/figures');
    assert.equal(res.status, 403, `${who}: ${res.text}`);
    assert.equal(res.body.error, 'forbidden');
  }
  assert.equal((await s.staff(null, 'GET', '/api/staff/figures')).status, 401);
});

test('the case page suggests open cases with near-identical text as duplicates, for those who may merge', async () => {
  const rumour = '小区门口有人散发假的停水通知，落款电话13912345678，称明天全市停水三天，请大家囤水，群里已经转了很多次，老人都慌了。';
  const a = await s.fileReport({ category: 'rumor', description: rumour, links: ['https://weibo.com/1'] });
  const b = await s.fileReport({ category: 'rumor', description: rumour.replace('请大家囤水', '请大家赶紧囤水'), links: ['https://weibo.com/2'] });
  const c = await s.fileReport({ category: 'fraud', description: '某直播间售卖假冒名牌化妆品，主播声称是正品，价格只有专柜三成，已有多人上当。' });
  const dups = async (who, id) => {
    const res = await s.staff(s.sessions[who], 'GET', `/api/staff/cases/${id}`);
    assert.equal(res.status, 200, res.text);
    return res.body.duplicates;
  };
  let found = await dups('handler', a.id);
  const other = found.find((d) => d.id === b.id);
  assert.ok(other, `b is suggested for a: ${JSON.stringify(found)}`);
  assert.ok(other.similarity_percent >= 85 && other.similarity_percent <= 100, JSON.stringify(other));
  assert.equal(other.status, 'submitted');
  assert.equal(other.category, 'rumor');
  assert.ok(rumour.startsWith(other.excerpt.slice(0, 10)) && [...other.excerpt].length <= 60, other.excerpt);
  assert.ok(other.excerpt.includes('139****5678') && !other.excerpt.includes('13912345678'), `masked as in the queue: ${other.excerpt}`);
  assert.ok(!found.some((d) => d.id === c.id || d.id === a.id), 'neither the case itself nor an unrelated one');
  assert.ok(found.length <= 5);
  assert.ok((await dups('supervisor', b.id)).some((d) => d.id === a.id), 'symmetric, and supervisors see it');
  // A liaison sees only their department's cases, so gets no suggestions from elsewhere.
  assert.equal((await s.act('handler', a.id, { action: 'accept' })).status, 200);
  assert.equal((await s.act('handler', a.id, { action: 'transfer', department: 'police' })).status, 200);
  assert.deepEqual(await dups('police', a.id), []);
  // Once merged, b is no longer an open case to suggest.
  assert.equal((await s.act('handler', b.id, { action: 'merge', into: a.id })).status, 200);
  found = await dups('handler', a.id);
  assert.ok(!found.some((d) => d.id === b.id), JSON.stringify(found));
});
