#!/usr/bin/env node
// Issue 18's benchmark: the daily digest and the queue's overdue filter at N cases (default 100,000)
// with acceptance deadlines and a working-day calendar. Seeds a scratch local D1 (most cases closed,
// a tenth open: waiting ones with acceptance deadlines, running ones with handling deadlines, a few
// thousand overdue, some due today, primary/backup handlers on part of them so the digest escalates),
// a Chinese-style holiday calendar for this year and next with `working_days` on, and two webhooks
// to a loopback receiver. Then, through the real worker under `wrangler dev --test-scheduled`, times
// the digest (`GET /__scheduled?cron=0+0+*+*+*`, the state it changes put back between runs so each
// run does the same work) and the staff queue's first page: overdue, overdue by priority, due today,
// and unfiltered. Prints the query plans and D1's own time for the same SQL. Run after
// `bash scripts/build.sh`.
//
//   node scripts/digest-bench.mjs [N_CASES] [RUNS]
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, get as httpGet } from 'node:http';
import { tmpdir, loadavg } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startWorker, postJson, http } from '../tests/harness.mjs';
import { hashPassword } from './create-admin.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const wrangler = join(root, 'node_modules', '.bin', 'wrangler');
const env = { ...process.env, CLOUDFLARE_CF_FETCH_ENABLED: 'false', WRANGLER_SEND_METRICS: 'false', NO_COLOR: '1' };
const n = Number(process.argv[2] ?? 100_000);
const runs = Number(process.argv[3] ?? 5);
const dir = mkdtempSync(join(tmpdir(), 'qinglang-digest-'));
const PASSWORD = 'digest bench password 0123';
const DAY = 86_400_000;
const HOUR = 3_600_000;
const BEIJING = 8 * HOUR;

/** Runs `;`-separated SQL in one wrangler call; returns wrangler's JSON (one entry per statement). */
function d1(sql) {
  const out = execFileSync(wrangler, ['d1', 'execute', 'qinglang', '--local', '--persist-to', dir, '--json', '--command', sql], {
    cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 64 << 20,
  });
  return JSON.parse(out.toString());
}
const rows = (sql) => d1(sql)[0].results;

const stats = (times) => {
  const t = [...times].sort((a, b) => a - b);
  return { min: t[0], median: t.length % 2 ? t[(t.length - 1) / 2] : (t[t.length / 2 - 1] + t[t.length / 2]) / 2, max: t.at(-1) };
};
const results = [];
function report(label, times, note = '') {
  const s = stats(times);
  results.push({ label, runs: times.length, ...s, note });
  console.log(`${label}: ${times.length} run(s), min ${s.min.toFixed(1)} ms, median ${s.median.toFixed(1)} ms, max ${s.max.toFixed(1)} ms` +
    `  [${times.map((x) => x.toFixed(0)).join(', ')}]${note ? `  ${note}` : ''}`);
}

// A Chinese-style working-day calendar for this year and next: holidays (法定节假日) and make-up
// working days (调休上班) in the pattern of the State Council's yearly notice (the first list after
// its notice for 2026, the second made up in the same shape). A fixture, not an authoritative list:
// an office uploads the real one.
const thisYear = new Date(Date.now() + 8 * 3_600_000).getUTCFullYear();
const CALENDAR = {
  [thisYear]: {
    holidays: ['01-01', '01-02', '01-03', ...range('02-15', 9), '04-04', '04-05', '04-06', ...range('05-01', 5),
      '06-19', '06-20', '06-21', '09-25', '09-26', '09-27', ...range('10-01', 7)],
    workdays: ['01-04', '02-14', '02-28', '05-09', '09-20', '10-10'],
  },
  [thisYear + 1]: {
    holidays: ['01-01', '01-02', '01-03', ...range('02-05', 9), '04-03', '04-04', '04-05', ...range('05-01', 5),
      '06-09', '06-10', '06-11', '09-15', '09-16', '09-17', ...range('10-01', 7)],
    workdays: ['02-14', '02-20', '04-10', '05-08', '09-26', '10-09'],
  },
};
function range(start, days) {
  const [m, d] = start.split('-').map(Number);
  return Array.from({ length: days }, (_, k) => {
    const t = new Date(Date.UTC(2001, m - 1, d + k)); // a non-leap year: month lengths only
    return `${String(t.getUTCMonth() + 1).padStart(2, '0')}-${String(t.getUTCDate()).padStart(2, '0')}`;
  });
}
const dayNumber = (year, md) => Date.UTC(year, Number(md.slice(0, 2)) - 1, Number(md.slice(3))) / DAY;

// store::cases::CASE_COLUMNS and the queue's SQL shape (store::cases::queue, due_before).
const CASE_COLUMNS = `id, status, category, district, department, primary_handler, backup_handler, created_at,
    accepted_at, due_at, resolved_at, feedback_at, supervised_at, primary_acted_at, transfer_count, reopen_count,
    merged_into, rated_at, updated_at, return_count, returned_at, extension_until, extension_count, receipt_code, priority, description, links, platform, account, location, channel,
    due_sort, priority_rank`;

let w;
let receiver;
try {
  // The webhooks' receiver: a loopback server that answers 200 and counts the bytes posted.
  const received = [];
  receiver = createServer((req, res) => {
    let bytes = 0;
    req.on('data', (d) => { bytes += d.length; });
    req.on('end', () => { received.push({ path: req.url, bytes }); res.writeHead(200, { 'content-type': 'application/json' }); res.end('{"errcode":0}'); });
  });
  await new Promise((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  const hookPort = receiver.address().port;

  execFileSync(wrangler, ['d1', 'migrations', 'apply', 'qinglang', '--local', '--persist-to', dir], { cwd: root, env, stdio: 'pipe' });
  execFileSync(wrangler, ['d1', 'migrations', 'apply', 'qinglang-shard-1', '--local', '--persist-to', dir], { cwd: root, env, stdio: 'pipe' });
  const now = Date.now();
  const today = Math.floor((now + BEIJING) / DAY); // Beijing day number
  const endOfDay = (offset) => (today + offset + 1) * DAY - BEIJING - 1; // last ms of a Beijing day
  const t0 = performance.now();
  console.log(`load average at the start: ${loadavg().map((x) => x.toFixed(2)).join(', ')}`);

  // Staff: handlers 1..12 (the cases' A and B), two liaisons, an admin, and the supervisor who signs in.
  const { hash, salt } = hashPassword(PASSWORD);
  d1(`INSERT INTO staff (username, display_name, role, password_hash, password_salt, password_iterations, created_at)
      WITH RECURSIVE seq(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM seq WHERE i < 12)
      SELECT 'handler' || i, '办理人' || i, 'handler', 'x', 'x', 1, 0 FROM seq;
    INSERT INTO staff (username, display_name, role, department, password_hash, password_salt, password_iterations, created_at) VALUES
      ('police', '公安联络员', 'liaison', 'police', 'x', 'x', 1, 0), ('cac', '网信联络员', 'liaison', 'cac', 'x', 'x', 1, 0),
      ('bench-admin', '管理员', 'admin', NULL, '${hash}', '${salt}', 100000, 0),
      ('bench-supervisor', '督办', 'supervisor', NULL, '${hash}', '${salt}', 100000, 0);
    INSERT INTO webhooks (kind, url, label, created_at) VALUES
      ('wecom', 'http://127.0.0.1:${hookPort}/wecom', '值班群', ${now}), ('generic', 'http://127.0.0.1:${hookPort}/generic', '系统', ${now})`);

  // The calendar, and working days on.
  const calendarRows = Object.entries(CALENDAR).flatMap(([year, { holidays, workdays }]) => [
    ...holidays.map((md) => `(${dayNumber(Number(year), md)}, ${year}, 'holiday')`),
    ...workdays.map((md) => `(${dayNumber(Number(year), md)}, ${year}, 'workday')`),
  ]);
  d1(`INSERT INTO calendar_days (day, year, kind) VALUES ${calendarRows.join(', ')};
    INSERT INTO workflow_settings (key, value, updated_at, updated_by) VALUES ('working_days', 'true', ${now}, 'bench')`);

  // The cases. i = id. Every tenth is open (j = i / 10 picks its kind); the rest closed over 400 days.
  //   open, j % 20: 0-5 submitted (30 %), 6-13 accepted (40 %), 14-18 transferred (25 %), 19 reopened (5 %)
  //   submitted: received 0-36 h ago (0-3 h for urgent categories), due to be accepted 24 h (2 h) later;
  //     A and B handlers on a fifth of them
  //   running: due at the end of a Beijing day from 6 days ago to 16 days on (about a quarter overdue, 1 in
  //     23 due today), accepted the category's limit × 7/5 (working days) before; A on all, B on two
  //     fifths; the A idle since acceptance except on one in seven (acted two hours ago)
  const seq = `WITH RECURSIVE seq(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM seq WHERE i < ${n})`;
  const cats = ['fraud', 'fraud', 'rumor', 'rumor', 'porn', 'vulgar', 'terror', 'minors', 'gambling', 'cyberbullying', 'privacy', 'water_army', 'political'];
  d1(`INSERT INTO reports (receipt_code, secret_hash, idempotency_key, request_hash, category, description, status, priority,
        department, primary_handler, backup_handler, primary_acted_at, accepted_at, due_at, resolved_at, created_at, updated_at)
      ${seq},
      base AS (
        SELECT i, i % 10 = 0 AS open, i / 10 AS j, (i / 10 * 7919) % 1000 AS u,
          CASE (i * 7) % ${cats.length} ${cats.map((c, k) => `WHEN ${k} THEN '${c}'`).join(' ')} END AS cat
        FROM seq),
      typed AS (
        SELECT base.*, c.deadline_days AS limit_days, c.default_department AS dept,
          CASE WHEN NOT open THEN CASE WHEN i % 10 = 5 THEN 'rejected' ELSE 'resolved' END
               WHEN j % 20 < 6 THEN 'submitted' WHEN j % 20 < 14 THEN 'accepted' WHEN j % 20 < 19 THEN 'transferred'
               ELSE 'reopened' END AS st
        FROM base JOIN categories c ON c.code = base.cat),
      timed AS (
        SELECT typed.*,
          CASE WHEN NOT open THEN ${now} - (i % 400) * ${DAY} - (i % 24) * ${HOUR}
               WHEN st = 'submitted' THEN ${now} - u * CASE WHEN limit_days <= 3 THEN ${3 * HOUR} ELSE ${36 * HOUR} END / 1000
               ELSE NULL END AS created,
          CASE WHEN open AND st <> 'submitted' THEN (${today} + (u % 23) - 6 + 1) * ${DAY} - ${BEIJING} - 1 END AS running_due
        FROM typed),
      dated AS (
        SELECT timed.*,
          CASE WHEN running_due IS NOT NULL THEN running_due - limit_days * 7 * ${DAY} / 5 END AS accepted
        FROM timed)
      SELECT 'SEED' || i, 'x', 'seed-' || i, 'x', cat, '举报内容 ' || i, st,
        CASE WHEN (CASE WHEN open THEN j ELSE i END) % 50 = 0 THEN 'urgent'
             WHEN (CASE WHEN open THEN j ELSE i END) % 50 IN (1, 2) THEN 'high' ELSE 'normal' END,
        CASE WHEN st = 'transferred' THEN dept END,
        CASE WHEN st = 'submitted' THEN CASE WHEN j % 5 = 0 THEN 1 + j % 12 END
             WHEN open THEN 1 + j % 12 WHEN st = 'resolved' THEN 1 + i % 12 END,
        CASE WHEN st = 'submitted' THEN CASE WHEN j % 5 = 0 THEN 1 + (j + 5) % 12 END
             WHEN open AND j % 5 IN (0, 1) THEN 1 + (j + 5) % 12 END,
        CASE WHEN open AND st <> 'submitted' THEN CASE WHEN j % 7 = 0 THEN ${now - 2 * HOUR} ELSE accepted END END,
        CASE WHEN st = 'submitted' OR st = 'rejected' THEN NULL WHEN open THEN accepted ELSE created + ${HOUR} END,
        CASE WHEN st = 'submitted' THEN created + CASE WHEN limit_days <= 3 THEN ${2 * HOUR} ELSE ${24 * HOUR} END
             WHEN open THEN running_due
             WHEN st = 'rejected' THEN created + ${24 * HOUR}
             ELSE created + ${HOUR} + limit_days * ${DAY} END,
        CASE WHEN NOT open THEN created + (i % 10 + 1) * ${DAY} END,
        COALESCE(created, accepted - (u % 20) * ${HOUR}),
        CASE WHEN NOT open THEN created + (i % 10 + 1) * ${DAY} ELSE COALESCE(accepted, created) END
      FROM dated`);
  d1(`INSERT INTO events (report_id, kind, actor, is_public, created_at)
      SELECT id, 'submitted', 'reporter', 1, created_at FROM reports`);
  d1(`INSERT INTO events (report_id, kind, actor, is_public, created_at)
      SELECT id, status, 'staff:1', 1, updated_at FROM reports WHERE status <> 'submitted'`);
  d1(`INSERT INTO report_screenings (report_id, engine_version, rule_pack_version, junk, findings, fingerprint)
      SELECT id, 'seed', 'seed', 0, '{}', printf('%016x', abs(random())) FROM reports`);
  // What the digest resets between runs: the handlers and version of every case it reads.
  d1(`CREATE TABLE bench_snapshot AS SELECT id, primary_handler, backup_handler, primary_acted_at, updated_at
      FROM reports WHERE due_sort < ${endOfDay(0) + 1}`);
  const [mix] = rows(`SELECT COUNT(*) AS total,
      SUM(status IN ('submitted', 'accepted', 'transferred', 'reopened')) AS open,
      SUM(status = 'submitted') AS submitted, SUM(status = 'accepted') AS accepted,
      SUM(status = 'transferred') AS transferred, SUM(status = 'reopened') AS reopened,
      SUM(due_sort < ${now}) AS overdue, SUM(status = 'submitted' AND due_sort < ${now}) AS overdue_submitted,
      SUM(due_sort >= ${endOfDay(-1) + 1} AND due_sort <= ${endOfDay(0)}) AS due_today,
      SUM(due_sort < ${now} AND backup_handler IS NOT NULL AND backup_handler <> primary_handler
          AND (primary_acted_at IS NULL OR primary_acted_at < due_at)) AS to_escalate
    FROM reports`);
  console.log(`${n} cases seeded in ${((performance.now() - t0) / 1000).toFixed(1)} s (${dir})`);
  console.log(`    ${JSON.stringify(mix)}`);
  console.log(`    calendar: ${calendarRows.length} days (${Object.entries(CALENDAR).map(([y, c]) => `${y}: ${c.holidays.length} holidays, ${c.workdays.length} make-up days`).join('; ')}), working_days = true`);

  // Plans and D1's own time for the SQL the routes run, without statistics and after ANALYZE.
  const start = endOfDay(-1) + 1;
  const queries = {
    'overdue (?overdue=1)': `SELECT ${CASE_COLUMNS} FROM reports WHERE due_sort < ${now} ORDER BY due_sort, id LIMIT 51`,
    'overdue by priority (?overdue=1&sort=priority)': `SELECT ${CASE_COLUMNS} FROM reports WHERE due_sort < ${now} ORDER BY priority_rank, due_sort, id LIMIT 51`,
    'due today (?due_today=1)': `SELECT ${CASE_COLUMNS} FROM reports WHERE due_sort >= ${start} AND due_sort < ${start + DAY} ORDER BY due_sort, id LIMIT 51`,
    'whole queue (no filter)': `SELECT ${CASE_COLUMNS} FROM reports ORDER BY due_sort, id LIMIT 51`,
    "digest's read (store::cases::due_before)": `SELECT ${CASE_COLUMNS} FROM reports WHERE due_sort < ${endOfDay(0) + 1} ORDER BY due_sort, id`,
  };
  const plansFor = (phase) => {
    console.log(`\nquery plans and D1 time (${phase}; 3 runs each, ms; workerd's clock counts whole ms):`);
    for (const [name, sql] of Object.entries(queries)) {
      const out = d1(`EXPLAIN QUERY PLAN ${sql}; ${sql}; ${sql}; ${sql}`);
      const plan = out[0].results.map((r) => r.detail).join('; ');
      const times = out.slice(1).map((r) => r.meta.duration);
      console.log(`  ${name}: ${out[1].results.length} rows, ${times.map((t) => t.toFixed(0)).join(' / ')} ms\n      ${plan}`);
    }
  };

  // The worker, and a supervisor signed in.
  let cookie;
  const serve = async () => {
    w = await startWorker({ stateDir: dir, vars: { WEBHOOK_ALLOW_LOOPBACK: '1' } });
    const session = await postJson(`${w.base}/api/staff/session`, { username: 'bench-supervisor', password: PASSWORD });
    if (session.status !== 200) throw new Error(`sign-in: ${session.text}`);
    cookie = session.headers.get('set-cookie').split(';')[0];
  };
  // The queue's first page, as the console asks for it. One untimed request first (isolate warm-up).
  const page = async (query) => {
    const res = await http(`${w.base}/api/staff/cases${query}`, { headers: { cookie } });
    const body = await res.json();
    if (res.status !== 200) throw new Error(`${query}: ${res.status} ${JSON.stringify(body)}`);
    return body;
  };
  const queue = async (phase) => {
    await page('');
    console.log('');
    for (const [label, query] of [
      ['GET /api/staff/cases?overdue=1', '?overdue=1'],
      ['GET /api/staff/cases?overdue=1&sort=priority', '?overdue=1&sort=priority'],
      ['GET /api/staff/cases?due_today=1', '?due_today=1'],
      ['GET /api/staff/cases (no filter)', ''],
    ]) {
      const times = [];
      let items = 0;
      let overdue = 0;
      for (let r = 0; r < runs * 2; r += 1) {
        const t = performance.now();
        const body = await page(query);
        times.push(performance.now() - t);
        items = body.items.length;
        overdue = body.items.filter((x) => x.overdue).length;
      }
      report(`${label} [${phase}]`, times, `(${items} items, ${overdue} overdue)`);
    }
  };

  // First as seeded (no sqlite_stat1, as a D1 database is until someone runs ANALYZE or PRAGMA
  // optimize), then after ANALYZE (as scripts/scale-bench.mjs and scripts/queue-plan.mjs measure).
  plansFor('no statistics');
  await serve();
  await queue('no statistics');
  await w.stop();
  w = undefined;
  d1('ANALYZE');
  plansFor('after ANALYZE');
  await serve();
  await queue('after ANALYZE');

  // The digest. GET /__scheduled with node:http (fetch's `Sec-Fetch-Mode: navigate` would get the
  // app's index.html from the assets layer; see tests/digest.test.mjs). Between runs, the state a run
  // changes is put back (its day in digest_runs, the escalated cases' handlers and version, the
  // escalation events, the notifications), so every run claims the day and escalates the same cases.
  const fire = () => new Promise((resolve, reject) => {
    httpGet(`${w.base}/__scheduled?cron=0+0+*+*+*`, { agent: false }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode));
    }).on('error', reject);
  });
  const reset = () => d1(`UPDATE reports SET primary_handler = b.primary_handler, backup_handler = b.backup_handler,
        primary_acted_at = b.primary_acted_at, updated_at = b.updated_at
      FROM bench_snapshot b WHERE reports.id = b.id AND reports.updated_at <> b.updated_at;
    DELETE FROM events WHERE kind = 'escalated'; DELETE FROM notifications; DELETE FROM digest_runs`);
  let firstEscalated;
  const digest = async (label, prepare) => {
    const wall = [];
    const recorded = [];
    const logged = [];
    for (let r = 0; r < runs; r += 1) {
      prepare(r);
      const mark = w.log().length;
      received.length = 0;
      const t = performance.now();
      const status = await fire();
      const answered = performance.now() - t;
      if (status !== 200) throw new Error(`/__scheduled answered ${status}`);
      const deadline = Date.now() + 120_000;
      while (!/digest: |digest failed/.test(w.log().slice(mark)) && Date.now() < deadline) await new Promise((res) => setTimeout(res, 20));
      const seen = performance.now() - t;
      const line = w.log().slice(mark).match(/digest(?:: | failed)[^\n\x1b]*/)?.[0] ?? '(no log line)';
      if (!line.startsWith('digest: ') || line.includes('already ran')) throw new Error(`digest run ${r + 1}: ${line}`);
      const [run] = rows('SELECT * FROM digest_runs');
      wall.push(answered);
      logged.push(seen);
      recorded.push(run.finished_at - run.started_at);
      firstEscalated ??= Number(line.match(/(\d+) escalated/)?.[1]);
      console.log(`${label}, run ${r + 1}: /__scheduled answered in ${answered.toFixed(0)} ms, log line after ${seen.toFixed(0)} ms, ` +
        `digest_runs finished_at - started_at ${run.finished_at - run.started_at} ms; ${line}; webhooks got ${received.map((x) => `${x.path} ${x.bytes} B`).join(', ')}`);
    }
    const [notes] = rows('SELECT COUNT(*) AS n, MAX(LENGTH(body)) AS longest FROM notifications');
    console.log(`    notifications written per run: ${notes.n} (longest body ${notes.longest} characters)`);
    report(`${label}: GET /__scheduled (wall time of the trigger request)`, wall);
    report(`${label}: until its log line appeared`, logged);
    report(`${label}: digest_runs.finished_at - started_at (worker clock)`, recorded);
    console.log('');
  };
  // With the escalations: every run starts from the seeded state.
  await digest('digest with escalations', (r) => { if (r > 0) reset(); });
  // Without: the cases the last run escalated have a new primary who "acted" at the escalation, so
  // nothing is idle; only the day's claim and the notifications are cleared.
  await digest('digest, nothing left to escalate', () => d1('DELETE FROM notifications; DELETE FROM digest_runs'));
  const median = (prefix) => results.find((x) => x.label.startsWith(prefix)).median;
  console.log(`escalation cost: (median with - median without) / escalations = ` +
    `${((median('digest with escalations: digest_runs') - median('digest, nothing left to escalate: digest_runs')) / firstEscalated).toFixed(2)} ms per escalated case (${firstEscalated} in the first run)`);
  console.log(`load average at the end: ${loadavg().map((x) => x.toFixed(2)).join(', ')}`);

  console.log('\n| measurement | runs | min (ms) | median (ms) | max (ms) |\n|---|---:|---:|---:|---:|');
  for (const x of results) console.log(`| ${x.label} ${x.note} | ${x.runs} | ${x.min.toFixed(1)} | ${x.median.toFixed(1)} | ${x.max.toFixed(1)} |`);
} finally {
  await w?.stop();
  receiver?.close();
  rmSync(dir, { recursive: true, force: true });
}
