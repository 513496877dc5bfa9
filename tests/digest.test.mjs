// The daily digest: the Cron Trigger fired by hand (`wrangler dev --test-scheduled`), webhooks in
// the four formats received by a loopback HTTP server, escalation to the backup handler through the
// workflow, one post per day however often the cron fires, and the console notifications.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, get as httpGet } from 'node:http';
import { startWorker, query } from './harness.mjs';
import { setUpStaff, signIn } from './staff-fixture.mjs';

const DAY = 86_400_000;
let w;
let s;
let receiver;
const received = [];

before(async () => {
  w = await startWorker({ vars: { WEBHOOK_ALLOW_LOOPBACK: '1' } });
  s = await setUpStaff(w);
  receiver = createServer((req, res) => {
    let body = '';
    req.on('data', (d) => { body += d; });
    req.on('end', () => {
      received.push({ path: req.url, type: req.headers['content-type'], body: JSON.parse(body) });
      res.writeHead(req.url === '/broken' ? 500 : 200, { 'content-type': 'application/json' });
      res.end('{"errcode":0}');
    });
  });
  await new Promise((resolve) => receiver.listen(0, '127.0.0.1', resolve));
});
after(async () => {
  receiver?.close();
  await w?.stop();
});

let logMark = 0;
const fire = async () => {
  // node:http rather than fetch: fetch sends `Sec-Fetch-Mode: navigate`, which the static-assets layer
  // answers with index.html (single-page-app handling) before the worker sees the request.
  const status = await new Promise((resolve, reject) => {
    httpGet(`${w.base}/__scheduled?cron=0+0+*+*+*`, { agent: false }, (res) => { res.resume(); res.on('end', () => resolve(res.statusCode)); }).on('error', reject);
  });
  assert.equal(status, 200);
  // The handler's own log line says what the run did (or why it failed).
  const deadline = Date.now() + 10_000;
  while (!/digest: |digest failed/.test(w.log().slice(logMark)) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  const line = w.log().slice(logMark).match(/digest(?:: | failed)[^\n\x1b]*/)?.[0];
  logMark = w.log().length;
  return line;
};

test('webhook admin: URLs are validated, listed masked, admin only', async () => {
  const admin = s.sessions.admin;
  const bad = [
    [{ kind: 'wecom', url: 'http://example.com/hook' }, 'webhook_url_invalid'],
    [{ kind: 'wecom', url: 'ftp://example.com/hook' }, 'webhook_url_invalid'],
    [{ kind: 'wecom', url: 'https://user:pw@example.com/hook' }, 'webhook_url_invalid'],
    [{ kind: 'slack', url: 'https://example.com/hook' }, 'bad_json'],
  ];
  for (const [body, error] of bad) {
    const res = await s.staff(admin, 'POST', '/api/admin/webhooks', body);
    assert.equal(res.status, 400, res.text);
    assert.equal(res.body.error, error);
  }
  const refused = await s.staff(s.sessions.supervisor, 'POST', '/api/admin/webhooks', { kind: 'generic', url: 'https://example.com/x' });
  assert.equal(refused.status, 403);
  const ok = await s.staff(admin, 'POST', '/api/admin/webhooks', { kind: 'wecom', url: 'https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=secret-token-1', label: '值班群' });
  assert.equal(ok.status, 201, ok.text);
  assert.equal(ok.body.url, 'https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=***');
  const list = await s.staff(admin, 'GET', '/api/admin/webhooks');
  assert.ok(!list.text.includes('secret-token-1'), 'the token is never listed');
  assert.equal((await s.staff(admin, 'DELETE', `/api/admin/webhooks/${ok.body.id}`)).status, 204);
  assert.equal((await s.staff(admin, 'DELETE', `/api/admin/webhooks/${ok.body.id}`)).status, 404);
  assert.equal(query(w.stateDir, 'SELECT COUNT(*) AS n FROM webhooks')[0].n, 0);
});

test('the 08:00 digest posts once to every webhook in its format, escalates idle overdue cases, notifies the console', async () => {
  const { port } = receiver.address();
  for (const kind of ['wecom', 'dingtalk', 'feishu', 'generic']) {
    const res = await s.staff(s.sessions.admin, 'POST', '/api/admin/webhooks', { kind, url: `http://127.0.0.1:${port}/${kind}` });
    assert.equal(res.status, 201, res.text);
  }
  await s.staff(s.sessions.admin, 'POST', '/api/admin/webhooks', { kind: 'generic', url: `http://127.0.0.1:${port}/broken` });

  const make = async (transferTo, backup) => {
    const r = await s.fileReport({ description: `需要督办的举报 ${Math.random()}` });
    assert.equal((await s.act('handler', r.id, { action: 'accept' })).status, 200);
    if (backup) assert.equal((await s.act('admin', r.id, { action: 'assign', primary: s.ids.handler, backup: s.ids[backup] })).status, 200);
    if (transferTo) assert.equal((await s.act('handler', r.id, { action: 'transfer', department: transferTo })).status, 200);
    return r;
  };
  const idle = await make('police', 'handler2'); // overdue, primary idle since: escalated
  const busy = await make('police', 'handler2'); // overdue, but the primary acted after it fell due
  const today = await make(null, null); // due today, no backup
  const later = await make(null, 'handler2'); // due in three days: not in the digest
  // Issue 18: a report nobody accepts has a deadline from the first minute — to be accepted within
  // a day (2 hours for urgent categories) — and is overdue, in the digest and escalated like any other.
  const waiting = await s.fileReport({ description: `没人受理的举报 ${Math.random()}` });
  const urgent = await s.fileReport({ category: 'terror', description: `扬言报复社会的帖子 ${Math.random()}`, links: ['https://weibo.com/x/1'] });
  const [w1, u1] = query(w.stateDir, `SELECT due_at - created_at AS limit_ms FROM reports WHERE id IN (${waiting.id}, ${urgent.id}) ORDER BY id`);
  assert.deepEqual([w1.limit_ms, u1.limit_ms], [DAY, 2 * 3600_000], 'acceptance deadlines: a day, two hours for an urgent category');
  assert.equal((await s.act('admin', waiting.id, { action: 'assign', primary: s.ids.handler, backup: s.ids.handler2 })).status, 200);
  assert.equal((await s.act('handler', urgent.id, { action: 'accept' })).status, 200);
  const now = Date.now();
  const startOfDay = Math.floor((now + 8 * 3600_000) / DAY) * DAY - 8 * 3600_000;
  // Fixtures, not workflow steps: deadlines and the primary's last action moved into the past.
  query(w.stateDir, [
    `UPDATE reports SET due_at = ${now - 2 * DAY}, primary_acted_at = ${now - 3 * DAY} WHERE id = ${idle.id}`,
    `UPDATE reports SET due_at = ${now - 2 * DAY}, primary_acted_at = ${now - DAY} WHERE id = ${busy.id}`,
    `UPDATE reports SET due_at = ${startOfDay + 1} WHERE id = ${today.id}`,
    `UPDATE reports SET due_at = ${now + 3 * DAY} WHERE id = ${later.id}`,
    `UPDATE reports SET due_at = ${now - 2 * DAY}, primary_acted_at = ${now - 3 * DAY} WHERE id = ${waiting.id}`,
    `UPDATE reports SET due_at = ${now + 3 * DAY} WHERE id = ${urgent.id}`,
  ].join('; '));
  // Issue 19: two county offices with a webhook each; one refers a case to the other, which has not
  // taken it up: the hand-over is in both counties' digests, and in neither the root's.
  const names = (code) => ({ name_zh_hans: `${code}网信办`, name_zh_hant: `${code}網信辦`, name_en: `${code} office` });
  for (const code of ['dg_a', 'dg_b']) {
    assert.equal((await s.staff(s.sessions.admin, 'POST', '/api/admin/offices', { code, parent: 'root', level: 'county', ...names(code) })).status, 201);
    const hook = await s.staff(s.sessions.admin, 'POST', '/api/admin/webhooks', { kind: 'generic', url: `http://127.0.0.1:${port}/${code}`, office: code });
    assert.deepEqual([hook.status, hook.body.office], [201, code]);
  }
  assert.equal((await s.staff(s.sessions.admin, 'POST', '/api/admin/staff', { username: 'dg.a', display_name: '县A受理员', role: 'handler', office: 'dg_a', password: 'a long enough password' })).status, 201);
  const countyA = await signIn(w, 'dg.a', 'a long enough password');
  const referred = await s.fileReport({ description: `属地在县B的举报 ${Math.random()}`, office: 'dg_a' });
  assert.equal((await s.staff(countyA, 'POST', `/api/staff/cases/${referred.id}/actions`, { action: 'refer', office: 'dg_b', reason: '属地在县B' })).status, 200);

  // The queue's overdue filter finds the report nobody accepted.
  const overdueQueue = await s.staff(s.sessions.supervisor, 'GET', '/api/staff/cases?overdue=1&state=submitted');
  assert.deepEqual(overdueQueue.body.items.map((x) => x.case.id), [waiting.id]);

  const line = await fire();
  assert.match(line ?? w.log(), /^digest: 1 due today, 3 overdue, 2 escalated, 6 posted, 1 failed/);
  const byPath = Object.fromEntries(received.map((r) => [r.path, r]));
  assert.deepEqual(received.map((r) => r.path).sort(), ['/broken', '/dg_a', '/dg_b', '/dingtalk', '/feishu', '/generic', '/wecom']);
  for (const county of ['dg_a', 'dg_b']) {
    const { digest, text } = byPath[`/${county}`].body;
    assert.equal(digest.office, county);
    assert.deepEqual(digest.handovers.map((h) => [h.code, h.kind, h.from, h.to]), [[referred.code, 'referral', 'dg_a', 'dg_b']]);
    assert.ok(text.includes(`移交待接收：${referred.code}（dg_a网信办 → dg_b网信办）`), text);
  }
  for (const r of received) assert.match(r.type, /^application\/json/);

  const wecom = byPath['/wecom'].body;
  assert.deepEqual(Object.keys(wecom).sort(), ['markdown', 'msgtype']);
  assert.equal(wecom.msgtype, 'markdown');
  const content = wecom.markdown.content;
  assert.match(content, /^\*\*清朗每日督办提醒 \d{4}-\d{2}-\d{2} · 网信办\*\*\n/);
  assert.ok(!content.includes(referred.code), "another office's hand-over is not in the root's digest");
  for (const r of [idle, busy, today]) assert.ok(content.includes(r.code), `${r.code} in ${content}`);
  assert.ok(!content.includes(later.code));
  assert.ok(Buffer.byteLength(content) <= 4096);
  const ding = byPath['/dingtalk'].body;
  assert.equal(ding.msgtype, 'markdown');
  assert.match(ding.markdown.title, /^清朗每日督办提醒 /);
  assert.equal(ding.markdown.text, content);
  const feishu = byPath['/feishu'].body;
  assert.deepEqual(Object.keys(feishu).sort(), ['content', 'msg_type']);
  assert.equal(feishu.msg_type, 'text');
  assert.ok(feishu.content.text.includes(idle.code) && !feishu.content.text.includes('**'));
  const generic = byPath['/generic'].body;
  assert.equal(generic.type, 'qinglang.daily_digest');
  assert.deepEqual(generic.digest.overdue.sort(), [idle.code, busy.code, waiting.code].sort());
  assert.ok(generic.digest.due_today.includes(today.code));
  assert.deepEqual(generic.digest.escalated.sort(), [idle.code, waiting.code].sort());
  const police = generic.digest.by_department.find((d) => d.department === 'police');
  assert.equal(police.name, '公安局');
  assert.deepEqual(police.overdue.sort(), [idle.code, busy.code].sort());

  // The escalation is an audit event written through the workflow: B took the case, A became B.
  const events = query(w.stateDir, `SELECT kind, actor, is_public FROM events WHERE report_id = ${idle.id} AND kind = 'escalated'`);
  assert.deepEqual(events, [{ kind: 'escalated', actor: 'system', is_public: 0 }]);
  const [row] = query(w.stateDir, `SELECT primary_handler, backup_handler FROM reports WHERE id = ${idle.id}`);
  assert.deepEqual(row, { primary_handler: s.ids.handler2, backup_handler: s.ids.handler });
  assert.equal(query(w.stateDir, `SELECT COUNT(*) AS n FROM events WHERE report_id = ${busy.id} AND kind = 'escalated'`)[0].n, 0);
  const run = query(w.stateDir, 'SELECT * FROM digest_runs');
  assert.equal(run.length, 1);
  assert.equal(run[0].n_escalated, 2);
  const [waitingRow] = query(w.stateDir, `SELECT status, primary_handler FROM reports WHERE id = ${waiting.id}`);
  assert.deepEqual(waitingRow, { status: 'submitted', primary_handler: s.ids.handler2 }, 'escalated, still to be accepted');
  assert.equal(run[0].n_posted, 6);
  assert.equal(run[0].n_failed, 1, 'the broken receiver is counted, not retried');

  // A second firing the same day posts nothing and escalates nothing.
  const before = { posts: received.length, events: query(w.stateDir, 'SELECT COUNT(*) AS n FROM events')[0].n };
  assert.equal(await fire(), 'digest: already ran today');
  assert.equal(received.length, before.posts, 'no second post');
  assert.equal(query(w.stateDir, 'SELECT COUNT(*) AS n FROM events')[0].n, before.events);
  assert.equal(query(w.stateDir, 'SELECT COUNT(*) AS n FROM digest_runs')[0].n, 1);

  // Notifications: the backup who took over, the department's liaison, the supervisor; not the editor.
  const mine = await s.staff(s.sessions.handler2, 'GET', '/api/staff/notifications');
  assert.equal(mine.status, 200, mine.text);
  assert.equal(mine.body.unread, 1);
  assert.ok(mine.body.items[0].body.includes(idle.code) && mine.body.items[0].body.includes('转交给您'), mine.body.items[0].body);
  const liaison = await s.staff(s.sessions.police, 'GET', '/api/staff/notifications');
  assert.ok(liaison.body.items[0].body.includes(busy.code));
  assert.ok(!liaison.body.items[0].body.includes(today.code), 'only the department’s cases');
  const sup = await s.staff(s.sessions.supervisor, 'GET', '/api/staff/notifications');
  assert.ok(sup.body.items[0].body.includes('按承办单位'));
  assert.equal((await s.staff(s.sessions.editor, 'GET', '/api/staff/notifications')).body.items.length, 0);
  // Marking read: one's own only, and the CSRF token is required.
  const id = mine.body.items[0].id;
  assert.equal((await s.staff(s.sessions.handler2, 'POST', '/api/staff/notifications/read', { ids: [id] }, { csrf: null })).status, 403);
  const other = await s.staff(s.sessions.police, 'POST', '/api/staff/notifications/read', { ids: [id] });
  assert.equal(other.status, 200);
  assert.equal((await s.staff(s.sessions.handler2, 'GET', '/api/staff/notifications')).body.unread, 1, 'another’s read changes nothing');
  const read = await s.staff(s.sessions.handler2, 'POST', '/api/staff/notifications/read', { ids: [id] });
  assert.equal(read.body.unread, 0);
  assert.ok(read.body.items[0].read_at > 0);
  assert.equal((await s.staff(null, 'GET', '/api/staff/notifications')).status, 401);
});
