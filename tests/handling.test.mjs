// Case handling as offices work (issue 18, step 2), against the real worker and D1: a department
// sends a case back (退回) and the second return waits for a supervisor; a handler asks for more time
// and a supervisor grants or refuses it (延期); a consultation with two departments (会商) shows who
// has not answered until the lead concludes; a police assistance request (协查) is answered by the
// police liaison. Every new action × every role: a forbidden pair is 403 and changes nothing.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startWorker, query, queryAll } from './harness.mjs';
import { setUpStaff } from './staff-fixture.mjs';

let w;
let s;

before(async () => {
  w = await startWorker();
  s = await setUpStaff(w);
});
after(async () => { await w?.stop(); });

const DAY = 86_400_000;
const row = (id) => query(w.stateDir, `SELECT status, department, due_at, return_count, returned_at, extension_until,
  extension_count FROM reports WHERE id = ${id}`)[0];
const requests = (id) => query(w.stateDir, `SELECT kind, party, question, reference, due_at, answered_at, answer,
  answered_by, closed_at FROM case_requests WHERE report_id = ${id} ORDER BY id`);
const cols = (id, ...names) => { const r = row(id); return names.map((n) => r[n]); };
const detail = async (who, id) => s.staff(s.sessions[who], 'GET', `/api/staff/cases/${id}`);

/** A case accepted by the handler and transferred to `department`. */
async function transferredCase(department = 'police') {
  const r = await s.fileReport();
  assert.equal((await s.act('handler', r.id, { action: 'accept' })).status, 200);
  assert.equal((await s.act('handler', r.id, { action: 'transfer', department })).status, 200);
  return r;
}

/** Everything an action could change on case `id`, in one wrangler call: its row, requests, events. */
const snapshot = (id) => JSON.stringify(queryAll(w.stateDir, `SELECT * FROM reports WHERE id = ${id};
  SELECT * FROM case_requests WHERE report_id = ${id} ORDER BY id; SELECT COUNT(*) AS n FROM events WHERE report_id = ${id}`));

/** Expects refusals that change nothing: each [who, action, status, error, field?] in turn. */
async function refusedAll(id, cases) {
  const before = snapshot(id);
  for (const [who, action, status, error, field] of cases) {
    const res = await s.act(who, id, action);
    assert.equal(res.status, status, `${who} ${action.action}: ${res.text}`);
    assert.equal(res.body.error, error, `${who} ${action.action}`);
    if (field) assert.equal(res.body.field, field, `${who} ${action.action}`);
  }
  assert.equal(snapshot(id), before, 'a refusal changes nothing');
}
const refused = (who, id, action, status, error, field) => refusedAll(id, [[who, action, status, error, field]]);

test('a department returns a case; the second return waits for a supervisor', async () => {
  const r = await transferredCase('police');
  await refusedAll(r.id, [
    ['police', { action: 'return', reason: '\u200b' }, 400, 'reason_required', 'reason'],
    ['traffic', { action: 'return', reason: '不是我们的' }, 403, 'case_not_in_department'],
  ]);
  let res = await s.act('police', r.id, { action: 'return', reason: '不属于本单位职责' });
  assert.equal(res.status, 200, res.text);
  assert.deepEqual(cols(r.id, 'status', 'return_count'), ['accepted', 1]);
  // Out of the department's hands: the police liaison no longer sees it.
  assert.equal((await detail('police', r.id)).status, 403);
  // The office sends it back to the same department with what was asked; it is returned again.
  assert.equal((await s.act('handler', r.id, { action: 'transfer', department: 'police', reason: '已补充材料' })).status, 200);
  assert.equal((await s.act('police', r.id, { action: 'return', reason: '仍不属于本单位职责' })).status, 200);
  const d = (await detail('handler', r.id)).body;
  assert.equal(d.case.return_count, 2);
  assert.ok(!d.allowed_actions.includes('transfer') && !d.allowed_actions.includes('resolve'), d.allowed_actions.join());
  await refused('handler', r.id, { action: 'transfer', department: 'traffic', reason: '改派' }, 409, 'awaiting_supervisor');
  assert.equal((await s.act('supervisor', r.id, { action: 'supervise', note: '转交通运输局办理' })).status, 200);
  res = await s.act('handler', r.id, { action: 'transfer', department: 'traffic', reason: '按督办意见改派' });
  assert.equal(res.status, 200, res.text);
  const kinds = query(w.stateDir, `SELECT kind, body, detail FROM events WHERE report_id = ${r.id} AND kind = 'returned'`);
  assert.deepEqual(kinds.map((e) => [e.body, e.detail]), [['不属于本单位职责', 'police'], ['仍不属于本单位职责', 'police']]);
});

test('a handler asks for more time; a supervisor grants one and refuses another; figures count it', async () => {
  const r = await s.fileReport();
  assert.equal((await s.act('handler', r.id, { action: 'accept' })).status, 200);
  const due = row(r.id).due_at;
  await refusedAll(r.id, [
    ['handler', { action: 'extend', until: due, reason: '需取证' }, 400, 'date_out_of_range', 'until'],
    ['handler', { action: 'extend', until: due + 31 * DAY, reason: '需取证' }, 400, 'date_out_of_range', 'until'],
    ['handler', { action: 'extend', until: due + DAY, reason: ' ' }, 400, 'reason_required', 'reason'],
    ['handler', { action: 'extend', until: due + DAY, reason: '需取证', extra: 1 }, 400, 'bad_json'],
    ['supervisor', { action: 'grant_extension' }, 409, 'no_extension_pending'],
  ]);
  assert.equal((await s.act('handler', r.id, { action: 'extend', until: due + 5 * DAY, reason: '需平台配合取证' })).status, 200);
  assert.deepEqual(cols(r.id, 'due_at', 'extension_until'), [due, due + 5 * DAY], 'nothing moves before the decision');
  await refusedAll(r.id, [
    ['handler', { action: 'extend', until: due + 6 * DAY, reason: '再延' }, 409, 'extension_pending'],
    ['handler', { action: 'grant_extension' }, 403, 'forbidden'],
  ]);
  const d = (await detail('supervisor', r.id)).body;
  assert.deepEqual(d.allowed_actions.filter((a) => a.endsWith('_extension')), ['grant_extension', 'refuse_extension']);
  assert.equal((await s.act('supervisor', r.id, { action: 'grant_extension', note: '同意' })).status, 200);
  assert.deepEqual(cols(r.id, 'due_at', 'extension_until', 'extension_count'), [due + 5 * DAY, null, 1]);
  // A second request is refused: the due time stays, and the refusal needs words.
  assert.equal((await s.act('handler', r.id, { action: 'extend', until: due + 10 * DAY, reason: '仍需时间' })).status, 200);
  await refused('supervisor', r.id, { action: 'refuse_extension', note: '' }, 400, 'reason_required', 'reason');
  assert.equal((await s.act('supervisor', r.id, { action: 'refuse_extension', note: '理由不充分' })).status, 200);
  assert.deepEqual(cols(r.id, 'due_at', 'extension_until', 'extension_count'), [due + 5 * DAY, null, 1]);
  const figures = (await s.staff(s.sessions.supervisor, 'GET', '/api/staff/figures')).body;
  const extended = figures.departments.reduce((n, d) => n + d.figures.extended, 0);
  const [{ n }] = query(w.stateDir, "SELECT COUNT(*) AS n FROM reports WHERE extension_count > 0 AND status NOT IN ('rejected', 'merged')");
  assert.equal(extended, n, 'the figures count the cases with a granted extension');
  assert.ok(n >= 1);
});

test('a consultation with two departments shows who has not answered until the lead concludes', async () => {
  const r = await s.fileReport();
  assert.equal((await s.act('handler', r.id, { action: 'accept' })).status, 200);
  const due_at = Date.now() + 3 * DAY;
  const ask = { action: 'consult', departments: ['police', 'traffic'], question: '是否构成网络诈骗？', due_at };
  await refusedAll(r.id, [
    ['handler', { ...ask, departments: [] }, 400, 'department_required', 'department'],
    ['handler', { ...ask, departments: ['police', 'mars'] }, 400, 'unknown_department', 'departments'],
    ['handler', { ...ask, question: '' }, 400, 'field_required', 'question'],
    ['handler', { ...ask, due_at: Date.now() - 1 }, 400, 'date_out_of_range', 'due_at'],
    ['police', { action: 'opinion', text: '意见' }, 403, 'case_not_in_department'],
  ]);
  assert.equal((await s.act('handler', r.id, ask)).status, 200);
  await refused('handler', r.id, ask, 409, 'consultation_open');
  // Both invited liaisons now see the case (page and queue) and may give an opinion; nothing else.
  for (const who of ['police', 'traffic']) {
    const d = await detail(who, r.id);
    assert.equal(d.status, 200, d.text);
    assert.deepEqual(d.body.allowed_actions, ['opinion']);
    const queue = (await s.staff(s.sessions[who], 'GET', '/api/staff/cases?limit=100')).body;
    assert.ok(queue.items.some((i) => i.case.id === r.id), `${who}'s queue lists the consultation`);
  }
  assert.equal((await s.act('traffic', r.id, { action: 'opinion', text: '建议移送公安机关。' })).status, 200);
  await refused('traffic', r.id, { action: 'opinion', text: '补充意见' }, 409, 'already_answered');
  const d = (await detail('handler', r.id)).body;
  const waiting = d.case.requests.filter((q) => q.answered_at === null && q.closed_at === null).map((q) => q.party);
  assert.deepEqual(waiting, ['police'], 'the case shows who has not answered');
  assert.equal((await s.act('handler', r.id, { action: 'conclude', text: '移送公安机关处理。' })).status, 200);
  const [concluded] = query(w.stateDir, `SELECT body, detail FROM events WHERE report_id = ${r.id} AND kind = 'concluded'`);
  assert.deepEqual([concluded.body, concluded.detail], ['移送公安机关处理。', 'police'], 'the silent department stays on record');
  const rows = requests(r.id);
  assert.deepEqual(rows.map((q) => [q.party, q.answer, q.closed_at !== null]),
    [['police', null, true], ['traffic', '建议移送公安机关。', true]]);
  assert.equal((await detail('traffic', r.id)).status, 403, 'concluded: out of the department\'s view');
});

test('a police assistance request is tracked apart from the case and answered by the police', async () => {
  const r = await transferredCase('traffic');
  const due_at = Date.now() + 2 * DAY;
  const ask = { action: 'assist', agency: 'police', check: '请核查该账号的实名信息', due_at };
  await refusedAll(r.id, [
    ['handler', { ...ask, agency: 'mars' }, 400, 'unknown_department', 'agency'],
    ['handler', { ...ask, reference: '9'.repeat(65) }, 400, 'field_too_long', 'reference'],
  ]);
  assert.equal((await s.act('handler', r.id, ask)).status, 200);
  await refused('handler', r.id, ask, 409, 'request_open');
  assert.deepEqual(cols(r.id, 'status', 'department'), ['transferred', 'traffic'], 'assistance is not a transfer');
  const police = await detail('police', r.id);
  assert.equal(police.status, 200);
  assert.deepEqual(police.body.allowed_actions, ['assist_reply']);
  assert.equal((await s.act('police', r.id, { action: 'assist_reply', text: '已核查，账号已封停。', reference: 'A2026-0042' })).status, 200);
  const [q] = requests(r.id);
  assert.deepEqual([q.kind, q.party, q.answer, q.reference, q.answered_by], ['assist', 'police', '已核查，账号已封停。', 'A2026-0042', `staff:${s.ids.police}`]);
  assert.ok(q.closed_at !== null && q.due_at === due_at);
  await refused('police', r.id, { action: 'assist_reply', text: '再答' }, 403, 'case_not_in_department');
});

test('every new action × every role: forbidden pairs are 403 and change nothing', async () => {
  // Roles that may never take the action (workflow::role_may), per the table in ARCHITECTURE.md.
  const due_at = Date.now() + 2 * DAY;
  const table = [
    [{ action: 'return', reason: '退回' }, 'handler supervisor editor'],
    [{ action: 'extend', until: Date.now() + 40 * DAY, reason: '延期' }, 'supervisor editor'],
    [{ action: 'grant_extension' }, 'handler police editor'],
    [{ action: 'refuse_extension', note: '不同意' }, 'handler police editor'],
    [{ action: 'consult', departments: ['police'], question: '?', due_at }, 'supervisor police editor'],
    [{ action: 'opinion', text: '意见' }, 'admin handler supervisor editor'],
    [{ action: 'conclude', text: '结论' }, 'supervisor police editor'],
    [{ action: 'assist', agency: 'police', check: '核查', due_at }, 'supervisor police editor'],
    [{ action: 'assist_reply', text: '答复' }, 'admin handler supervisor editor'],
  ];
  const r = await transferredCase('police');
  const pairs = table.flatMap(([action, roles]) => roles.split(' ').map((who) => [who, action, 403, 'forbidden']));
  assert.equal(pairs.length, 28);
  await refusedAll(r.id, pairs);
});

test('staff enter a phone report: same validation, same workflow, deadline from the call, counted by channel', async () => {
  const enter = (body) => s.staff(s.sessions.handler, 'POST', '/api/staff/reports', body);
  const key = `phone-${Date.now()}-abcdefghijkl`;
  const report = { idempotency_key: key, category: 'fraud', description: '来电反映：有人冒充客服让老人转账。', contact: { name: '王先生', phone: '13800138000' } };
  const received_at = Date.now() - 2 * 3_600_000;
  const before = query(w.stateDir, 'SELECT COUNT(*) AS n FROM reports')[0].n;
  for (const [body, status, error, field] of [
    [{ source: 'web', report }, 400, 'source_invalid', 'source'],
    [{ source: 'higher_office', report }, 400, 'field_required', 'source_reference'],
    [{ source: 'phone', received_at: Date.now() + 60_000, report }, 400, 'date_out_of_range', 'received_at'],
    [{ source: 'phone', report: { ...report, description: '\u200b\u200b\u200b\u200b' } }, 400, 'text_invisible', 'report.description'],
    [{ source: 'phone', report, caller: 'x' }, 400, 'bad_json'],
  ]) {
    const res = await enter(body);
    assert.equal(res.status, status, res.text);
    assert.equal(res.body.error, error);
    if (field) assert.equal(res.body.field, field);
  }
  assert.equal((await s.staff(s.sessions.supervisor, 'POST', '/api/staff/reports', { source: 'phone', report })).status, 403);
  assert.equal(query(w.stateDir, 'SELECT COUNT(*) AS n FROM reports')[0].n, before, 'refusals store nothing');

  const res = await enter({ source: 'phone', received_at, report });
  assert.equal(res.status, 201, res.text);
  assert.equal((await enter({ source: 'phone', received_at, report })).status, 200, 'a retry is the same report');
  const [row] = query(w.stateDir, `SELECT id, source, status, created_at, due_at FROM reports WHERE idempotency_key = '${key}'`);
  assert.deepEqual([row.source, row.status, row.created_at, row.due_at], ['phone', 'submitted', received_at, received_at + 24 * 3_600_000]);
  const [first] = query(w.stateDir, `SELECT kind, actor, detail FROM events WHERE report_id = ${row.id}`);
  assert.deepEqual([first.kind, first.actor, first.detail], ['submitted', `staff:${s.ids.handler}`, 'phone']);
  assert.equal(query(w.stateDir, `SELECT phone FROM report_contacts WHERE report_id = ${row.id}`)[0].phone, '13800138000');
  // The caller can follow it with the receipt like any reporter; the contact stays staff-only.
  const track = await s.staff(null, 'GET', `/api/reports/${res.body.receipt_code}`);
  assert.equal(track.status, 400, 'no secret, no view');
  const view = await (await fetch(`${w.base}/api/reports/${res.body.receipt_code}`, { headers: { 'x-receipt-secret': res.body.secret } })).json();
  assert.equal(view.status, 'submitted');
  assert.ok(!JSON.stringify(view).includes('13800138000'));
  // It is a case like any other: a department can return it after a transfer.
  assert.equal((await s.act('handler', row.id, { action: 'accept' })).status, 200);
  assert.equal((await s.act('handler', row.id, { action: 'transfer', department: 'police' })).status, 200);
  assert.equal((await s.act('police', row.id, { action: 'return', reason: '请补充来电人所述账号' })).status, 200);
  // The public figures count it under its channel.
  const stats = await (await fetch(`${w.base}/api/stats`)).json();
  const counted = Object.fromEntries(stats.by_source.map((c) => [c.source, c.figures.received]));
  const bySql = Object.fromEntries(query(w.stateDir, 'SELECT source, COUNT(*) AS n FROM reports GROUP BY source').map((r) => [r.source, r.n]));
  assert.deepEqual(stats.by_source.map((c) => c.source), ['web', 'phone', 'letter', 'visit', 'self_media', 'higher_office']);
  for (const [source, n] of Object.entries(bySql)) assert.equal(counted[source], n, source);
});

test('a CSV of cases passed down is imported whole or not at all, every bad row named, never twice', async () => {
  const importCsv = (csv) => fetch(`${w.base}/api/staff/reports/import`, {
    method: 'POST',
    headers: { cookie: s.sessions.handler.cookie, 'x-csrf-token': s.sessions.handler.csrf, 'content-type': 'text/csv', 'accept-language': 'en' },
    body: csv,
  }).then(async (r) => ({ status: r.status, body: await r.json() }));
  const stamp = Date.now();
  const header = 'source_reference,category,description,received_at,contact_phone,links';
  const bad = [header,
    `12377-${stamp}-1,fraud,网友反映某群冒充客服诈骗,,13800138000,`,
    `12377-${stamp}-2,nope,类别不存在,,,`,
    `12377-${stamp}-3,fraud,电话错误的一条,,123,`,
    `12377-${stamp}-1,fraud,同一编号又出现一次,,,`].join('\n');
  const before = query(w.stateDir, 'SELECT COUNT(*) AS n FROM reports')[0].n;
  let res = await importCsv(bad);
  assert.equal(res.status, 400, JSON.stringify(res.body));
  assert.equal(res.body.error, 'import_invalid');
  assert.deepEqual(res.body.rows.map((r) => [r.row, r.field, r.error]),
    [[2, 'category', 'unknown_category'], [3, 'contact_phone', 'phone_invalid'], [4, 'source_reference', 'duplicate_reference']]);
  assert.ok(res.body.rows.every((r) => r.message.length > 0));
  assert.equal(query(w.stateDir, 'SELECT COUNT(*) AS n FROM reports')[0].n, before, 'nothing half-imported');

  // Two days ago at 09:30, Beijing time, as a spreadsheet writes it.
  const day = new Date(Date.now() + 8 * 3_600_000 - 2 * DAY).toISOString().slice(0, 10);
  const good = [header,
    `12377-${stamp}-1,fraud,网友反映某群冒充客服诈骗,${day} 09:30,13800138000,`,
    `12377-${stamp}-2,rumor,"网传地铁停运，""假消息""",,,https://weibo.com/3`].join('\n');
  res = await importCsv(good);
  assert.equal(res.status, 201, JSON.stringify(res.body));
  assert.deepEqual(res.body.imported.map((r) => r.source_reference), [`12377-${stamp}-1`, `12377-${stamp}-2`]);
  const rows = query(w.stateDir, `SELECT source, source_reference, status, description FROM reports WHERE source_reference LIKE '12377-${stamp}-%' ORDER BY source_reference`);
  assert.deepEqual(rows.map((r) => [r.source, r.status]), [['higher_office', 'submitted'], ['higher_office', 'submitted']]);
  assert.equal(rows[1].description, '网传地铁停运，"假消息"');
  const [dated] = query(w.stateDir, `SELECT created_at FROM reports WHERE source_reference = '12377-${stamp}-1'`);
  assert.equal(dated.created_at, Date.parse(`${day}T09:30:00+08:00`), 'received at the time the row gives');
  // The same file again adds nothing: every row is named as already stored.
  res = await importCsv(good);
  assert.equal(res.status, 400);
  assert.deepEqual(res.body.rows.map((r) => r.error), ['duplicate_reference', 'duplicate_reference']);
  assert.equal(query(w.stateDir, `SELECT COUNT(*) AS n FROM reports WHERE source_reference LIKE '12377-${stamp}-%'`)[0].n, 2);
});

test('an admin counts limits in working days with the year\'s holidays, and a campaign shortens a category\'s limit', async () => {
  const admin = (method, path, body) => s.staff(s.sessions.admin, method, path, body);
  const beijingDay = (ms) => Math.floor((ms + 8 * 3_600_000) / DAY);
  const dayString = (day) => new Date(day * DAY).toISOString().slice(0, 10);
  const endOfDay = (day) => (day + 1) * DAY - 8 * 3_600_000 - 1;
  // Next year's list, shaped like a real one; tomorrow is made a holiday too, so the test sees it.
  const year = new Date(Date.now() + 8 * 3_600_000).getUTCFullYear();
  const tomorrow = beijingDay(Date.now()) + 1;
  let res = await admin('PUT', `/api/admin/calendar/${year}`, { holidays: [`${year}-02-30`] });
  assert.equal(res.status, 400, res.text);
  assert.deepEqual([res.body.error, res.body.field], ['date_out_of_range', 'holidays.0']);
  assert.equal((await s.staff(s.sessions.handler, 'PUT', `/api/admin/calendar/${year}`, { holidays: [] })).status, 403);
  const holidays = [dayString(tomorrow)].filter((d) => d.startsWith(String(year)));
  res = await admin('PUT', `/api/admin/calendar/${year}`, { holidays, workdays: [] });
  assert.equal(res.status, 200, res.text);
  res = await admin('PUT', '/api/admin/deadlines', { working_days: true });
  assert.equal(res.status, 200, res.text);
  assert.equal(res.body.working_days, true);

  // The same rule, written out here: a working day is Monday–Friday and not a listed holiday.
  const listed = new Set(holidays.map((d) => Math.floor(Date.parse(d) / DAY)));
  const working = (day) => { const wd = (day + 3) % 7; return wd < 5 && !listed.has(day); };
  const addWorking = (start, n) => { let day = beijingDay(start); while (n > 0) { day += 1; if (working(day)) n -= 1; } return endOfDay(day); };

  const r = await s.fileReport();
  const [{ created_at, due_at: acceptBy }] = query(w.stateDir, `SELECT created_at, due_at FROM reports WHERE id = ${r.id}`);
  assert.equal(acceptBy, addWorking(created_at, 1), 'a day\'s acceptance is one working day');
  assert.equal((await s.act('handler', r.id, { action: 'accept' })).status, 200);
  const [{ accepted_at, due_at }] = query(w.stateDir, `SELECT accepted_at, due_at FROM reports WHERE id = ${r.id}`);
  assert.equal(due_at, addWorking(accepted_at, 7), 'fraud: 7 working days');

  // A campaign on fraud, 2 days, from today to tomorrow.
  const today = beijingDay(Date.now());
  const campaign = { name: '清朗·打击电信诈骗专项行动', categories: ['fraud'], deadline_days: 2, starts_on: dayString(today), ends_on: dayString(today + 1) };
  res = await admin('POST', '/api/admin/campaigns', { ...campaign, categories: ['mars'] });
  assert.deepEqual([res.status, res.body.field], [400, 'categories.0']);
  res = await admin('POST', '/api/admin/campaigns', campaign);
  assert.equal(res.status, 201, res.text);
  const id = res.body.campaigns.find((c) => c.name === campaign.name).id;
  const r2 = await s.fileReport();
  assert.equal((await s.act('handler', r2.id, { action: 'accept' })).status, 200);
  const [two] = query(w.stateDir, `SELECT accepted_at, due_at FROM reports WHERE id = ${r2.id}`);
  assert.equal(two.due_at, addWorking(two.accepted_at, 2), 'the campaign\'s 2 working days');
  assert.equal((await admin('DELETE', `/api/admin/campaigns/${id}`)).status, 200);
  assert.equal((await admin('DELETE', `/api/admin/campaigns/${id}`)).status, 404, 'withdrawn once');
  const settings = (await admin('GET', '/api/admin/deadlines')).body;
  assert.ok(!settings.campaigns.some((c) => c.id === id));
  assert.deepEqual(settings.years.find((y) => y.year === year)?.days.holidays ?? [], holidays);
  // Back to calendar days for the rest of this file's worker.
  assert.equal((await admin('PUT', '/api/admin/deadlines', { working_days: false })).status, 200);
  // Every change is in the settings log, with its admin; the refused second withdrawal is not.
  const log = query(w.stateDir, `SELECT subject, code, action, after FROM settings_changes
    WHERE subject IN ('calendar', 'deadlines', 'campaign') ORDER BY id`);
  assert.deepEqual(log.map((c) => [c.subject, c.code, c.action]), [
    ['calendar', String(year), 'update'],
    ['deadlines', 'working_days', 'update'],
    ['campaign', String(id), 'create'],
    ['campaign', String(id), 'retire'],
    ['deadlines', 'working_days', 'update'],
  ]);
  assert.equal(JSON.parse(log[2].after).name, campaign.name);
  assert.deepEqual(JSON.parse(log[4].after), { working_days: false });
});

test('the taxonomy is a tree that admins edit: subcategories route, count and filter with their parent; nothing is deleted', async () => {
  const admin = (method, path, body) => s.staff(s.sessions.admin, method, path, body);
  const categories = async () => (await (await fetch(`${w.base}/api/categories`)).json()).categories;
  // The default tree: 20 categories, 17 subcategories, each right after its parent's earlier children.
  let list = await categories();
  assert.equal(list.filter((c) => !c.parent).length, 20);
  assert.equal(list.length, 37);
  list.forEach((c, i) => { if (c.parent) assert.ok(list.slice(0, i).some((p) => p.code === c.parent), c.code); });
  assert.ok(list.every((c) => c.active === undefined), 'active ones carry no flag');

  // A new subcategory under 谣言, with its own department: usable at once, routed to that department.
  const live = { code: 'rumor_finance', parent: 'rumor', name_zh_hans: '涉金融谣言', name_zh_hant: '涉金融謠言', name_en: 'Financial rumours', default_department: 'market' };
  let res = await admin('POST', '/api/admin/categories', live);
  assert.equal(res.status, 201, res.text);
  const made = res.body.categories.find((c) => c.code === 'rumor_finance');
  assert.deepEqual([made.parent, made.kind, made.deadline_days, made.requires_link], ['rumor', 'online', 7, true], 'the rest follows the parent');
  list = await categories();
  assert.equal(list.findIndex((c) => c.code === 'rumor_finance'), list.findIndex((c) => c.code === 'rumor_crime') + 1, 'last of its siblings');
  const r = await s.fileReport({ category: 'rumor_finance', links: ['https://weibo.com/1/abc'], description: '网传某银行即将破产，储户存款取不出来。' });
  let detail = (await s.staff(s.sessions.handler, 'GET', `/api/staff/cases/${r.id}`)).body;
  assert.equal(detail.proposed_department, 'market', 'its own department before its parent\'s rule');

  // The queue filtered by the parent shows the subcategory's case; the public figures count it under 谣言.
  const queue = (await s.staff(s.sessions.handler, 'GET', '/api/staff/cases?category=rumor&limit=100')).body;
  assert.ok(queue.items.some((c) => c.case.category === 'rumor_finance'), 'a parent filter includes its subcategories');
  assert.ok(queue.items.every((c) => c.case.category.startsWith('rumor')), 'and nothing else');
  const stats = await (await fetch(`${w.base}/api/stats`)).json();
  assert.ok(!stats.by_category.some((c) => c.category === 'rumor_finance'));
  assert.ok(stats.by_category.find((c) => c.category === 'rumor').figures.received >= 1);

  // Refusals name the field and change nothing.
  const before = JSON.stringify(queryAll(w.stateDir, 'SELECT * FROM categories ORDER BY code; SELECT * FROM districts ORDER BY code; SELECT * FROM departments ORDER BY code; SELECT COUNT(*) AS n FROM settings_changes'));
  for (const [method, path, body, status, error, field] of [
    ['POST', '/api/admin/categories', { ...live, code: 'Rumor Finance' }, 400, 'code_invalid', 'code'],
    ['POST', '/api/admin/categories', live, 409, 'code_taken', 'code'],
    ['POST', '/api/admin/categories', { ...live, code: 'rumor_x', parent: 'nope' }, 400, 'parent_invalid', 'parent'],
    ['POST', '/api/admin/categories', { ...live, code: 'rumor_x', kind: 'offline' }, 400, 'kind_mismatch', 'kind'],
    ['POST', '/api/admin/categories', { ...live, code: 'rumor_x', name_en: ' ' }, 400, 'name_invalid', 'name_en'],
    ['POST', '/api/admin/categories', { ...live, code: 'rumor_x', deadline_days: 400 }, 400, 'number_out_of_range', 'deadline_days'],
    ['POST', '/api/admin/categories', { ...live, code: 'rumor_x', extra: 1 }, 400, 'bad_json', undefined],
    ['PATCH', '/api/admin/categories/rumor', { active: false }, 409, 'still_in_use', 'active'],
    ['PATCH', '/api/admin/categories/nope', { active: false }, 404, 'not_found', undefined],
    ['PATCH', '/api/admin/departments/police', { active: false }, 409, 'still_in_use', 'active'],
    ['PATCH', '/api/admin/departments/culture', { name_zh_hans: '' }, 400, 'name_invalid', 'name_zh_hans'],
    ['POST', '/api/admin/districts', { code: 'nanshan', name_zh_hans: '南山', name_zh_hant: '南山', name_en: 'Nanshan' }, 409, 'code_taken', 'code'],
    ['GET', '/api/admin/changes?limit=0', undefined, 400, 'number_out_of_range', 'limit'],
  ]) {
    res = await admin(method, path, body);
    assert.equal(res.status, status, `${method} ${path} ${JSON.stringify(body)}: ${res.text}`);
    assert.deepEqual([res.body.error, res.body.field], [error, field], `${method} ${path}`);
  }
  assert.equal(JSON.stringify(queryAll(w.stateDir, 'SELECT * FROM categories ORDER BY code; SELECT * FROM districts ORDER BY code; SELECT * FROM departments ORDER BY code; SELECT COUNT(*) AS n FROM settings_changes')), before);

  // Retire: no new report may name it, its old case keeps it and shows its name; restore brings it back.
  res = await admin('PATCH', '/api/admin/categories/rumor_finance', { active: false, name_en: 'Finance rumours' });
  assert.equal(res.status, 200, res.text);
  assert.equal(res.body.categories.find((c) => c.code === 'rumor_finance').active, false);
  const refused = await fetch(`${w.base}/api/reports`, { method: 'POST', headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ idempotency_key: 'taxonomy-retired-0000000001', category: 'rumor_finance', links: ['https://weibo.com/1/x'], description: '网传某银行即将破产，储户存款取不出来。' }) });
  assert.equal(refused.status, 400);
  assert.equal((await refused.json()).error, 'unknown_category');
  assert.equal(query(w.stateDir, `SELECT category FROM reports WHERE id = ${r.id}`)[0].category, 'rumor_finance');
  assert.equal((await categories()).find((c) => c.code === 'rumor_finance').name_en, 'Finance rumours', 'listed, marked retired');
  assert.equal((await admin('PATCH', '/api/admin/categories/rumor_finance', { active: true })).status, 200);

  // Districts and departments: add, rename, retire once nothing uses it, restore.
  res = await admin('POST', '/api/admin/departments', { code: 'finance', name_zh_hans: '金融监管局', name_zh_hant: '金融監管局', name_en: 'Financial Regulation Bureau' });
  assert.equal(res.status, 201, res.text);
  assert.deepEqual(res.body.at(-1), { code: 'finance', name_zh_hans: '金融监管局', name_zh_hant: '金融監管局', name_en: 'Financial Regulation Bureau', office: 'root' });
  assert.equal((await admin('PATCH', '/api/admin/departments/finance', { active: false })).status, 200);
  const departments = (await s.staff(s.sessions.editor, 'GET', '/api/staff/departments')).body;
  assert.equal(departments.find((d) => d.code === 'finance').active, false, 'listed, marked retired');
  res = await s.act('handler', r.id, { action: 'accept' });
  assert.equal(res.status, 200, res.text);
  res = await s.act('handler', r.id, { action: 'transfer', department: 'finance' });
  assert.deepEqual([res.status, res.body.error], [400, 'unknown_department'], 'a retired department takes no case');
  res = await admin('POST', '/api/admin/districts', { code: 'qianhai', name_zh_hans: '前海', name_zh_hant: '前海', name_en: 'Qianhai' });
  assert.equal(res.status, 201, res.text);
  assert.equal(res.body.districts.at(-1).code, 'qianhai');
  assert.equal((await admin('PATCH', '/api/admin/districts/qianhai', { active: false })).status, 200);

  // The settings log has every change, newest first, with the admin's name; paging by `before`.
  const log = (await admin('GET', '/api/admin/changes?limit=3')).body;
  assert.deepEqual(log.changes.map((c) => [c.subject, c.code, c.action]), [
    ['district', 'qianhai', 'retire'], ['district', 'qianhai', 'create'], ['department', 'finance', 'retire']]);
  const [{ display_name: adminName }] = query(w.stateDir, "SELECT display_name FROM staff WHERE username = 'admin'");
  assert.ok(log.changes.every((c) => c.by === adminName));
  const older = (await admin('GET', `/api/admin/changes?limit=100&before=${log.next}&subject=category`)).body;
  assert.deepEqual(older.changes.map((c) => [c.code, c.action]), [['rumor_finance', 'restore'], ['rumor_finance', 'retire'], ['rumor_finance', 'create']]);
  const retire = older.changes[1];
  assert.deepEqual([JSON.parse(retire.before).active, JSON.parse(retire.after).active, JSON.parse(retire.after).name_en], [undefined, false, 'Finance rumours']);
});
