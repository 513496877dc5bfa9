#!/usr/bin/env node
// Issue 20: the office network at scale on two D1 shards, measured through the real worker.
//
// Seeds a scratch local state with an office tree of 341 offices (root → 4 cities → 16 counties → 80
// streets → 240 communities; cities 3 and 4 keep their cases in SHARD_1, the rest in DB) and N
// cases with their directory rows, events, screenings, contacts and public-figure counters, written
// by SQL straight into each database (a million cases through the API would take hours). Then it
// serves them with `wrangler dev` (the worker from the last build; STATS_MAX_AGE_S=0, so no edge
// cache) and prints one line of JSON:
//
//   {"cases","offices","shards","queue_ms","subtree_queue_ms","stats_cold_ms","stats_office_cold_ms",
//    "refer_p95_ms","bytes_per_case","staff_figures_ms","archive_run_ms","archived","thaw_case_page_ms"}
//
// queue_ms: a county handler's first queue page; subtree_queue_ms: a city supervisor's (its 85
// offices); stats_*: `GET /api/stats` and `?office=` a county, each the median of 9 requests after a
// first one (no edge cache: every request reads the counters); refer_p95_ms: a referral from a
// county of DB to a county of SHARD_1, from the POST until the receiving county's handler can act on
// it (its accept answers 200, not `case_moving`), 20 of them; bytes_per_case: both databases' files over N;
// staff_figures_ms: a city supervisor's `/api/staff/figures` (closed work from counters, open cases
// live); archive_run_ms: one cron run archiving up to 100 closed cases (ARCHIVE_AFTER_DAYS=30),
// archived: cases archived by five runs; thaw_case_page_ms: a supervisor opening an archived case.
//
//   node scripts/network-bench.mjs [N] (default 50,000; run `bash scripts/build.sh` first)
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startWorker, http } from '../tests/harness.mjs';
import { signIn } from '../tests/staff-fixture.mjs';
import { hashPassword } from './create-admin.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const wrangler = join(root, 'node_modules', '.bin', 'wrangler');
const env = { ...process.env, CLOUDFLARE_CF_FETCH_ENABLED: 'false', WRANGLER_SEND_METRICS: 'false', NO_COLOR: '1' };
const N = Number(process.argv[2] ?? 50_000);
const DAY = 86_400_000;
const dir = mkdtempSync(join(tmpdir(), 'qinglang-network-'));
const DATABASES = { DB: 'qinglang', SHARD_1: 'qinglang-shard-1' };
const PASSWORD = 'a long enough password';

// The offices, by index: 0 root; cities 1–4; counties k01–k16 (4 a city); streets s01–s80 (5 a
// county); communities m001–m240 (3 a street).
const offices = [{ code: 'root', parent: null, level: 'province', city: 0 }];
for (let c = 1; c <= 4; c++) offices.push({ code: `c${c}`, parent: 'root', level: 'city', city: c });
for (let k = 1; k <= 16; k++) offices.push({ code: `k${String(k).padStart(2, '0')}`, parent: `c${1 + Math.floor((k - 1) / 4)}`, level: 'county' });
for (let s = 1; s <= 80; s++) offices.push({ code: `s${String(s).padStart(2, '0')}`, parent: `k${String(1 + Math.floor((s - 1) / 5)).padStart(2, '0')}`, level: 'street' });
for (let m = 1; m <= 240; m++) offices.push({ code: `m${String(m).padStart(3, '0')}`, parent: `s${String(1 + Math.floor((m - 1) / 3)).padStart(2, '0')}`, level: 'community' });
const byCode = new Map(offices.map((o) => [o.code, o]));
const up = (code) => {
  const chain = [];
  for (let o = byCode.get(code); o; o = byCode.get(o.parent)) chain.push(o.code);
  return chain;
};
const cityOf = (code) => up(code).find((c) => /^c\d$/.test(c));
const shardOf = (code) => (['c3', 'c4'].includes(cityOf(code)) ? 'SHARD_1' : 'DB');

function exec(database, file) {
  execFileSync(wrangler, ['d1', 'execute', database, '--local', '--persist-to', dir, '--file', file], { cwd: root, env, stdio: 'pipe', maxBuffer: 1 << 30 });
}
function q(database, sql) {
  const out = execFileSync(wrangler, ['d1', 'execute', database, '--local', '--persist-to', dir, '--json', '--command', sql], { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 1 << 30 });
  return JSON.parse(out.toString())[0].results;
}
const sqlFile = (name, text) => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};

// Case i: its office spread over every office (70 % communities), as in office-scale-bench.
const seedOffices = `CREATE TABLE seed_offices (idx INTEGER PRIMARY KEY, code TEXT NOT NULL, shard TEXT NOT NULL);
INSERT INTO seed_offices (idx, code, shard) VALUES ${offices.map((o, i) => `(${i}, '${o.code}', '${shardOf(o.code)}')`).join(', ')};
CREATE TABLE seed_anc (office TEXT NOT NULL, up TEXT NOT NULL);
INSERT INTO seed_anc (office, up) VALUES ${offices.flatMap((o) => up(o.code).map((u) => `('${o.code}', '${u}')`)).join(', ')};
CREATE INDEX seed_anc_office ON seed_anc (office);`;
// An index into `offices` for case i: 2 % root, 8 % counties, 20 % streets, 70 % communities.
const officeIdx = `CASE WHEN i % 100 < 2 THEN 0
  WHEN i % 100 < 10 THEN 5 + (i * 2654435761) % 16
  WHEN i % 100 < 30 THEN 21 + (i * 2654435761) % 80
  ELSE 101 + (i * 2654435761) % 240 END`;

function seed() {
  const now = Date.now();
  for (const [shard, database] of Object.entries(DATABASES)) {
    const cases = `WITH RECURSIVE seq(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM seq WHERE i < ${N})
      SELECT i, o.code AS office FROM seq JOIN seed_offices o ON o.idx = ${officeIdx} WHERE o.shard = '${shard}'`;
    exec(database, sqlFile(`seed-${shard}.sql`, `${seedOffices}
CREATE TABLE seed_cases AS ${cases};
INSERT INTO reports (id, receipt_code, secret_hash, idempotency_key, request_hash, category, description, status, priority,
    created_at, updated_at, accepted_at, due_at, resolved_at, office, source, rating, primary_handler)
  SELECT i, 'SEED' || i, 'x', 'seed-' || i, 'x',
    CASE i % 5 WHEN 0 THEN 'fraud' WHEN 1 THEN 'rumor' WHEN 2 THEN 'porn' WHEN 3 THEN 'terror' ELSE 'vulgar' END,
    'seeded case ' || i,
    CASE WHEN i % 20 = 0 THEN 'submitted' WHEN i % 20 IN (1, 2) THEN 'transferred' WHEN i % 20 = 3 THEN 'accepted'
         WHEN i % 20 = 4 THEN 'rejected' ELSE 'resolved' END,
    CASE i % 50 WHEN 0 THEN 'urgent' WHEN 1 THEN 'high' ELSE 'normal' END,
    ${now} - (i % 400) * ${DAY} - 3600000, ${now} - (i % 400) * ${DAY},
    CASE WHEN i % 20 IN (0, 4) THEN NULL ELSE ${now} - (i % 400) * ${DAY} END,
    ${now} - (i % 400) * ${DAY} + (15 - i % 40) * ${DAY},
    CASE WHEN i % 20 >= 5 THEN ${now} - (i % 400) * ${DAY} + (i % 9) * ${DAY} / 2 END,
    office, CASE WHEN i % 7 = 0 THEN 'phone' ELSE 'web' END,
    CASE WHEN i % 20 >= 5 AND i % 3 = 0 THEN CASE WHEN i % 4 = 0 THEN 'dissatisfied' ELSE 'satisfied' END END,
    CASE WHEN i % 20 = 0 THEN NULL ELSE 1 END
  FROM seed_cases;
INSERT INTO events (report_id, kind, actor, is_public, created_at) SELECT id, 'submitted', 'reporter', 1, created_at FROM reports;
INSERT INTO events (report_id, kind, actor, is_public, created_at)
  SELECT id, CASE status WHEN 'rejected' THEN 'rejected' ELSE 'accepted' END, 'staff:1', 1, updated_at FROM reports WHERE status <> 'submitted';
INSERT INTO events (report_id, kind, actor, is_public, created_at) SELECT id, 'resolved', 'staff:1', 1, resolved_at FROM reports WHERE status = 'resolved';
INSERT INTO events (report_id, kind, actor, is_public, body, created_at) SELECT id, 'rated', 'reporter', 1, rating, resolved_at + 1 FROM reports WHERE rating IS NOT NULL;
INSERT INTO report_screenings (report_id, engine_version, rule_pack_version, junk, findings, fingerprint)
  SELECT id, 'seed', 'seed', 0, '{"matches":[],"pii":[]}', '0000000000000000' FROM reports;
INSERT INTO report_contacts (report_id, name, phone) SELECT id, '王先生', '13900139000' FROM reports WHERE id % 3 = 0;
-- The counters, as store::figures writes them (figures::counters): a row per office above, figure, state and bucket.
DELETE FROM figure_counts;
INSERT INTO figure_counts (office, dim, value, state, bucket, n, on_time, rated, satisfied)
  SELECT a.up, d.dim,
    CASE d.dim WHEN 't' THEN '' WHEN 'c' THEN r.category WHEN 'm' THEN strftime('%Y-%m', r.created_at / 1000 + 28800, 'unixepoch') ELSE r.source END,
    CASE r.status WHEN 'submitted' THEN 'pending' WHEN 'resolved' THEN 'closed' WHEN 'rejected' THEN 'rejected' WHEN 'merged' THEN 'merged' ELSE 'in_progress' END,
    CASE WHEN r.status = 'resolved' THEN MIN(MAX(r.resolved_at - r.created_at, 0) / ${DAY / 10}, 3650) ELSE 0 END,
    COUNT(*),
    SUM(IFNULL(r.status = 'resolved' AND r.due_at IS NOT NULL AND r.resolved_at <= r.due_at, 0)),
    SUM(IFNULL(r.status = 'resolved' AND r.rating IS NOT NULL, 0)),
    SUM(IFNULL(r.status = 'resolved' AND r.rating IN ('satisfied', 'basically_satisfied'), 0))
  FROM reports r JOIN seed_anc a ON a.office = r.office
  CROSS JOIN (SELECT 't' AS dim UNION ALL SELECT 'c' UNION ALL SELECT 'm' UNION ALL SELECT 's') d
  GROUP BY 1, 2, 3, 4, 5;
-- The supervisors' closed work: a resolved case's office line, department and handler, bucketed by
-- its time from acceptance (-1 without one).
INSERT INTO figure_counts (office, dim, value, state, bucket, n, on_time, rated, satisfied, extended, returned)
  SELECT a.up, d.dim,
    CASE d.dim WHEN 'o' THEN '' WHEN 'd' THEN IFNULL(r.department, '') ELSE IFNULL(CAST(r.primary_handler AS TEXT), '') END,
    'closed',
    CASE WHEN r.accepted_at IS NULL THEN -1 ELSE MIN(MAX(r.resolved_at - r.accepted_at, 0) / ${DAY / 10}, 3650) END,
    COUNT(*),
    SUM(IFNULL(r.accepted_at IS NOT NULL AND r.due_at IS NOT NULL AND r.resolved_at <= r.due_at, 0)),
    SUM(r.rating IS NOT NULL),
    SUM(IFNULL(r.rating IN ('satisfied', 'basically_satisfied'), 0)),
    SUM(r.extension_count > 0),
    SUM(r.return_count > 0)
  FROM reports r JOIN seed_anc a ON a.office = r.office
  CROSS JOIN (SELECT 'o' AS dim UNION ALL SELECT 'd' UNION ALL SELECT 'h') d
  WHERE r.status = 'resolved'
  GROUP BY 1, 2, 3, 4, 5;
UPDATE figure_meta SET value = 'ready' WHERE key = 'counters';
${shard === 'DB' ? `INSERT INTO case_index (id, receipt_code, idempotency_key, shard, created_at)
  WITH RECURSIVE seq(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM seq WHERE i < ${N})
  SELECT i, 'SEED' || i, 'seed-' || i, o.shard, 0 FROM seq JOIN seed_offices o ON o.idx = ${officeIdx};
INSERT INTO offices (code, parent, level, name_zh_hans, name_zh_hant, name_en, position, created_at) VALUES
  ${offices.slice(1).map((o, i) => `('${o.code}', '${o.parent}', '${o.level}', '${o.code}网信办', '${o.code}網信辦', '${o.code} office', ${i}, 0)`).join(',\n  ')};
UPDATE offices SET level = 'province' WHERE code = 'root';` : ''}
DROP TABLE seed_cases; DROP TABLE seed_anc; DROP TABLE seed_offices;
ANALYZE;`));
  }
  const staff = [['k01-handler', 'handler', 'k01'], ['k09-handler', 'handler', 'k09'], ['c1-supervisor', 'supervisor', 'c1'], ['root-supervisor', 'supervisor', 'root']];
  const rows = staff.map(([username, role, office]) => {
    const { hash, salt } = hashPassword(PASSWORD);
    return `('${username}', '${username}', '${role}', '${hash}', '${salt}', 100000, 0, '${office}')`;
  });
  q('qinglang', `INSERT INTO staff (username, display_name, role, password_hash, password_salt, password_iterations, created_at, office) VALUES ${rows.join(', ')}`);
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const p95 = (xs) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.ceil(xs.length * 0.95) - 1)];

async function timed(fn, runs = 9) {
  await fn();
  const times = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    await fn();
    times.push(performance.now() - t);
  }
  return Math.round(median(times) * 10) / 10;
}

for (const database of Object.values(DATABASES)) {
  execFileSync(wrangler, ['d1', 'migrations', 'apply', database, '--local', '--persist-to', dir], { cwd: root, env, stdio: 'pipe' });
}
const seedStart = performance.now();
seed();
const seedS = Math.round((performance.now() - seedStart) / 1000);
// The databases' files, with their write-ahead logs (D1 answers no PRAGMA page_count).
const d1Dir = join(dir, 'v3', 'd1', 'miniflare-D1DatabaseObject');
const files = readdirSync(d1Dir).filter((f) => !f.startsWith('metadata.') && !f.endsWith('-shm'));
const bytes = files.reduce((n, f) => n + statSync(join(d1Dir, f)).size, 0);

const w = await startWorker({ stateDir: dir, vars: { SHARDS: 'c3=SHARD_1,c4=SHARD_1', ARCHIVE_AFTER_DAYS: '30' } });
try {
  const sessions = {};
  for (const username of ['k01-handler', 'k09-handler', 'c1-supervisor', 'root-supervisor']) sessions[username] = await signIn(w, username, PASSWORD);
  const get = async (who, path) => {
    const res = await http(`${w.base}${path}`, { headers: who ? { cookie: sessions[who].cookie } : {} });
    if (res.status !== 200) throw new Error(`${path}: ${res.status} ${await res.text()}`);
    return res.json();
  };
  const queueMs = await timed(() => get('k01-handler', '/api/staff/cases'));
  const subtreeMs = await timed(() => get('c1-supervisor', '/api/staff/cases'));
  const statsMs = await timed(() => get(null, '/api/stats'));
  const statsOfficeMs = await timed(() => get(null, '/api/stats?office=k01'));
  const stats = await get(null, '/api/stats');
  if (stats.received !== N) throw new Error(`the counters say ${stats.received} cases, not ${N}`);
  // A city supervisor's figures: closed work from the counters, open cases read live.
  const staffMs = await timed(() => get('c1-supervisor', '/api/staff/figures'));
  const staff = await get('c1-supervisor', '/api/staff/figures');
  const inC1 = offices.filter((o) => up(o.code).includes('c1')).map((o) => `'${o.code}'`).join(', ');
  const resolved = q('qinglang', `SELECT COUNT(*) AS n FROM reports WHERE status = 'resolved' AND office IN (${inC1})`)[0].n;
  const closedCounted = staff.departments.reduce((n, d) => n + d.figures.closed, 0);
  if (closedCounted !== resolved) throw new Error(`staff figures count ${closedCounted} closed cases in c1, SQL ${resolved}`);

  // Referrals from k01 (DB) to k09 (city 3, SHARD_1), one at a time, until k09 can act on each.
  // Twenty new reports at k01, filed through the public API.
  const open = [];
  for (let i = 0; i < 20; i++) {
    const res = await http(`${w.base}/api/reports`, {
      method: 'POST', headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ idempotency_key: `bench-${Date.now()}-${i}`.padEnd(24, '0'), category: 'fraud', description: `有人冒充客服让转账解冻账户（第${i}件）。`, office: 'k01' }),
    });
    if (res.status !== 201) throw new Error(`report: ${res.status} ${await res.text()}`);
    const code = (await res.json()).receipt_code.replaceAll('-', '');
    open.push(q('qinglang', `SELECT id FROM case_index WHERE receipt_code = '${code}'`)[0].id);
  }
  const refer = [];
  const posted = [];
  for (const id of open) {
    const t = performance.now();
    const res = await http(`${w.base}/api/staff/cases/${id}/actions`, {
      method: 'POST',
      headers: { cookie: sessions['k01-handler'].cookie, 'x-csrf-token': sessions['k01-handler'].csrf, 'content-type': 'application/json' },
      body: JSON.stringify({ action: 'refer', office: 'k09', reason: '属地在k09' }),
    });
    if (res.status !== 200) throw new Error(`refer ${id}: ${res.status} ${await res.text()}`);
    posted.push(performance.now() - t);
    // k09 accepts it: `case_moving` (409) until the queue's consumer has moved it.
    for (;;) {
      const accept = await http(`${w.base}/api/staff/cases/${id}/actions`, {
        method: 'POST',
        headers: { cookie: sessions['k09-handler'].cookie, 'x-csrf-token': sessions['k09-handler'].csrf, 'content-type': 'application/json' },
        body: JSON.stringify({ action: 'accept' }),
      });
      const body = await accept.text();
      if (accept.status === 200) break;
      if (accept.status !== 409 || !body.includes('case_moving')) throw new Error(`accept ${id}: ${accept.status} ${body}`);
      await new Promise((r) => setTimeout(r, 5));
    }
    refer.push(performance.now() - t);
  }
  const casePageMs = await timed(() => get('k09-handler', `/api/staff/cases/${open[0]}`), 5);
  console.error(`case page (with its duplicate check): ${casePageMs} ms; the referral's POST: p95 ${Math.round(p95(posted))} ms`);
  // The archive: five cron runs (100 closed cases each at most) of cases closed over 30 days ago,
  // then a supervisor opens an archived case (read back from R2) and opens it again (whole).
  const archiveRuns = [];
  for (let i = 0; i < 5; i++) {
    const t = performance.now();
    const res = await http(`${w.base}/__scheduled?cron=${encodeURIComponent('*/5 * * * *')}`);
    if (res.status !== 200) throw new Error(`cron: ${res.status}`);
    archiveRuns.push(performance.now() - t);
  }
  const archivedIds = Object.values(DATABASES).flatMap((db) => q(db, 'SELECT id, office FROM reports WHERE archived_at IS NOT NULL'));
  const r2Dir = join(dir, 'v3', 'r2');
  const sizeOf = (path) => (statSync(path).isDirectory() ? readdirSync(path).reduce((n, f) => n + sizeOf(join(path, f)), 0) : statSync(path).size);
  const r2Bytes = sizeOf(r2Dir);
  // The records' own bytes, as the cron logs them.
  const recordBytes = [...w.log().matchAll(/archive: (\d+) cases, (\d+) bytes/g)].reduce((n, m) => n + Number(m[2]), 0);
  const mine = archivedIds[0];
  if (!mine) throw new Error('nothing archived');
  let t = performance.now();
  await get('root-supervisor', `/api/staff/cases/${mine.id}`);
  const thawMs = Math.round(performance.now() - t);
  t = performance.now();
  await get('root-supervisor', `/api/staff/cases/${mine.id}`);
  const wholeMs = Math.round(performance.now() - t);
  console.error(`archive: ${archivedIds.length} cases in 5 cron runs (median ${median(archiveRuns).toFixed(0)} ms a run), ` +
    `records ${Math.round(recordBytes / archivedIds.length)} bytes a case (R2's local files: ${Math.round(r2Bytes / archivedIds.length)}); ` +
    `an archived case's page: ${thawMs} ms (thawed), then ${wholeMs} ms`);
  const where = q('qinglang', `SELECT shard, COUNT(*) AS n FROM case_index WHERE id IN (${open.join(', ')}) GROUP BY shard`);
  if (where.length !== 1 || where[0].shard !== 'SHARD_1') throw new Error(`referred cases not all in SHARD_1: ${JSON.stringify(where)}`);
  console.error(`seeded ${N} cases in ${seedS} s; ${files.length} database files, ${(bytes / 1e6).toFixed(1)} MB`);
  console.log(JSON.stringify({
    cases: N,
    offices: offices.length,
    shards: 2,
    queue_ms: queueMs,
    subtree_queue_ms: subtreeMs,
    stats_cold_ms: statsMs,
    stats_office_cold_ms: statsOfficeMs,
    refer_p95_ms: Math.round(p95(refer)),
    bytes_per_case: Math.round(bytes / N),
    staff_figures_ms: staffMs,
    archive_run_ms: Math.round(median(archiveRuns)),
    archived: archivedIds.length,
    thaw_case_page_ms: thawMs,
  }));
} finally {
  await w.stop();
  rmSync(dir, { recursive: true, force: true });
}
