#!/usr/bin/env node
// Issue 19 at Tianjin scale: seeds a scratch local D1 with an office tree of Tianjin's shape (root →
// 16 districts → 281 streets → 6,126 communities: 6,424 offices) and 100,000 cases spread over it (2 %
// at the root, 8 % at districts, 20 % at streets, 70 % at communities; 20 % open, a few hundred of
// them in hand-overs), then prints, for the SQL the worker sends — the queue's first page limited to a
// subtree (store::cases::queue), the staff figures' read (store::figures::workload), the hand-over
// lists (`?handover=in|out`) and the office tree read (store::offices::tree) — the rows returned,
// `EXPLAIN QUERY PLAN` from D1 and D1's own time (`meta.duration`, whole ms). Each run is one wrangler
// call holding the query twice: the first on a fresh workerd (cold page cache), the second warm. If
// the sqlite3 shell is installed it also times each query on the same database file: CPU time
// (user + sys, µs resolution) of a warm run, as D1 counts only whole milliseconds. Parameters are
// written inline (the worker binds them). No build needed.
//
//   node scripts/office-scale-bench.mjs [N_CASES] [RUNS]
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const wrangler = join(root, 'node_modules', '.bin', 'wrangler');
const env = { ...process.env, CLOUDFLARE_CF_FETCH_ENABLED: 'false', WRANGLER_SEND_METRICS: 'false', NO_COLOR: '1' };
const n = Number(process.argv[2] ?? 100_000);
const runs = Number(process.argv[3] ?? 5);
const [DISTRICTS, STREETS, COMMUNITIES] = [16, 281, 6126];
const dir = mkdtempSync(join(tmpdir(), 'qinglang-offices-'));

function d1(...args) {
  const out = execFileSync(wrangler, ['d1', 'execute', 'qinglang', '--local', '--persist-to', dir, '--json', ...args], {
    cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 1 << 30,
  });
  return JSON.parse(out.toString());
}
const median = (xs) => {
  const t = [...xs].sort((a, b) => a - b);
  return t.length % 2 ? t[(t.length - 1) / 2] : (t[t.length / 2 - 1] + t[t.length / 2]) / 2;
};
const pad = (prefix, k, width) => `${prefix}${String(k).padStart(width, '0')}`;

// The offices: street k under district 1 + (k − 1) mod 16, community k under street 1 + (k − 1) mod 281.
function officeRows() {
  const rows = [];
  const add = (code, parent, level, zh, en, position) =>
    rows.push(`('${code}', '${parent}', '${level}', '${zh}', '${zh}', '${en}', ${position}, 0)`);
  for (let k = 1; k <= DISTRICTS; k++) add(pad('d', k, 2), 'root', 'county', `第${k}区网信办`, `District ${k}`, k - 1);
  for (let k = 1; k <= STREETS; k++) {
    add(pad('s', k, 3), pad('d', 1 + ((k - 1) % DISTRICTS), 2), 'street', `第${k}街道`, `Street ${k}`, Math.floor((k - 1) / DISTRICTS));
  }
  for (let k = 1; k <= COMMUNITIES; k++) {
    add(pad('c', k, 4), pad('s', 1 + ((k - 1) % STREETS), 3), 'community', `第${k}社区`, `Community ${k}`, Math.floor((k - 1) / STREETS));
  }
  return rows;
}

const OPEN = `'submitted', 'accepted', 'transferred', 'reopened'`;
const hash = 'i * 2654435761'; // spreads consecutive cases over the offices of a level
function seedSql() {
  const day = 86_400_000;
  const now = Date.now();
  const rows = officeRows();
  const inserts = [];
  for (let k = 0; k < rows.length; k += 500) {
    inserts.push(`INSERT INTO offices (code, parent, level, name_zh_hans, name_zh_hant, name_en, position, created_at) VALUES\n${rows.slice(k, k + 500).join(',\n')};`);
  }
  return [
    `UPDATE offices SET level = 'province', name_zh_hans = '天津市网信办', name_zh_hant = '天津市網信辦' WHERE code = 'root';`,
    ...inserts,
    `INSERT INTO staff (username, display_name, role, password_hash, password_salt, password_iterations, created_at)
      WITH RECURSIVE seq(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM seq WHERE i < 8)
      SELECT 'handler' || i, 'handler' || i, 'handler', 'x', 'x', 1, 0 FROM seq;`,
    // scripts/queue-plan.mjs's cases, each held by an office.
    `INSERT INTO reports (receipt_code, secret_hash, idempotency_key, request_hash, category, description, district,
        status, priority, department, primary_handler, accepted_at, due_at, created_at, updated_at, office)
      WITH RECURSIVE seq(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM seq WHERE i < ${n})
      SELECT 'SEED' || i, 'x', 'seed-' || i, 'x',
        CASE i % 5 WHEN 0 THEN 'fraud' WHEN 1 THEN 'rumor' WHEN 2 THEN 'porn' WHEN 3 THEN 'terror' ELSE 'vulgar' END,
        'seeded case ' || i, CASE WHEN i % 3 = 0 THEN 'nanshan' ELSE NULL END,
        CASE WHEN i % 20 = 0 THEN 'submitted' WHEN i % 20 IN (1, 2) THEN 'transferred' WHEN i % 20 = 3 THEN 'accepted'
             WHEN i % 20 = 4 THEN 'rejected' ELSE 'resolved' END,
        CASE i % 50 WHEN 0 THEN 'urgent' WHEN 1 THEN 'high' ELSE 'normal' END,
        CASE WHEN i % 20 IN (1, 2) THEN CASE i % 3 WHEN 0 THEN 'police' ELSE 'cac' END ELSE NULL END,
        CASE WHEN i % 20 = 0 THEN NULL ELSE 1 + i % 7 END,
        ${now} - (i % 400) * ${day}, ${now} + (15 - i % 40) * ${day}, ${now} - (i % 400) * ${day}, ${now},
        CASE WHEN i % 100 < 2 THEN 'root'
             WHEN i % 100 < 10 THEN printf('d%02d', 1 + (${hash}) % ${DISTRICTS})
             WHEN i % 100 < 30 THEN printf('s%03d', 1 + (${hash}) % ${STREETS})
             ELSE printf('c%04d', 1 + (${hash}) % ${COMMUNITIES}) END
      FROM seq;`,
    // Hand-overs among the open cases: escalations to the parent, delegations from it (a third with a
    // reply to review), referrals from a district.
    `UPDATE reports SET escalated_to = (SELECT parent FROM offices WHERE code = reports.office)
      WHERE status IN (${OPEN}) AND id % 7 = 0 AND substr(office, 1, 1) IN ('d', 's');`,
    `UPDATE reports SET delegated_by = (SELECT parent FROM offices WHERE code = reports.office),
        review_reply = CASE WHEN id % 3 = 0 THEN 'seeded reply' END
      WHERE status IN (${OPEN}) AND id % 11 = 0 AND substr(office, 1, 1) IN ('s', 'c');`,
    `UPDATE reports SET referred_from = printf('d%02d', 1 + id % ${DISTRICTS})
      WHERE status IN (${OPEN}) AND id % 13 = 0 AND substr(office, 1, 1) IN ('d', 'c');`,
    'ANALYZE;',
  ].join('\n');
}

// The SQL as the worker builds it (store::cases CASE_COLUMNS, queue; store::figures::workload).
const CASE_COLUMNS = `id, status, category, district, department, primary_handler, backup_handler, created_at,
  accepted_at, due_at, resolved_at, feedback_at, supervised_at, primary_acted_at, transfer_count, reopen_count,
  merged_into, rated_at, updated_at, return_count, returned_at, extension_until, extension_count, receipt_code, priority, description, links, platform, account, location, channel,
  due_sort, priority_rank, office, referred_from, escalated_to, delegated_by, review_reply`;
const subtree = (code) => `(WITH RECURSIVE sub(code) AS (SELECT '${code}' UNION ALL
  SELECT o.code FROM offices o JOIN sub ON o.parent = sub.code) SELECT code FROM sub)`;
const queue = (office) => `SELECT ${CASE_COLUMNS} FROM reports WHERE office IN ${subtree(office)} ORDER BY due_sort, id LIMIT 51`;
const workload = (office) => `SELECT r.id, r.status, r.category, r.department, r.primary_handler, r.created_at, r.accepted_at,
  r.due_at, r.resolved_at, r.extension_count, r.return_count, (SELECT y.body FROM events y WHERE y.report_id = r.id
  AND y.kind = 'rated' ORDER BY y.id DESC LIMIT 1) AS rating, r.office
  FROM reports r WHERE r.status NOT IN ('rejected', 'merged') AND r.office IN ${subtree(office)}`;
const handover = (office, which) => `SELECT ${CASE_COLUMNS} FROM reports WHERE status IN (${OPEN}) AND (${which === 'in'
  ? `(office = '${office}' AND (referred_from IS NOT NULL OR delegated_by IS NOT NULL)) OR escalated_to = '${office}'
     OR (delegated_by = '${office}' AND review_reply IS NOT NULL)`
  : `referred_from = '${office}' OR (office = '${office}' AND escalated_to IS NOT NULL) OR delegated_by = '${office}'`})
  ORDER BY due_sort, id LIMIT 51`;
const QUERIES = [
  ['queue page', 'district d01', queue('d01')],
  ['queue page', 'street s001', queue('s001')],
  ['queue page', 'community c0001', queue('c0001')],
  ['queue page', 'root (the worker sends no filter)', queue('root')],
  ['figures read', 'district d01', workload('d01')],
  ['figures read', 'street s001', workload('s001')],
  ['figures read', 'root (the worker sends no filter)', workload('root')],
  ['hand-overs in', 'district d01', handover('d01', 'in')],
  ['hand-overs out', 'district d01', handover('d01', 'out')],
  ['tree read', 'all offices', 'SELECT code, parent, level, name_zh_hans, name_zh_hant, name_en, position FROM offices'],
];

function sqliteShell() {
  try {
    execFileSync('sqlite3', ['--version'], { stdio: 'ignore' });
  } catch {
    return null;
  }
  const store = join(dir, 'v3', 'd1', 'miniflare-D1DatabaseObject');
  const file = readdirSync(store).find((f) => f.endsWith('.sqlite') && f !== 'metadata.sqlite');
  // CPU time (user + sys) of each statement; the first of runs + 1 warms the cache and is dropped.
  return (sql) => {
    const script = `.output /dev/null\n.timer on\n${`${sql.replace(/\s+/g, ' ')};\n`.repeat(runs + 1)}`;
    const out = execFileSync('sqlite3', [join(store, file)], { input: script, maxBuffer: 1 << 30 }).toString();
    const cpu = [...out.matchAll(/user ([\d.]+) sys ([\d.]+)/g)].map((m) => (Number(m[1]) + Number(m[2])) * 1000);
    return cpu.slice(1);
  };
}

try {
  const t0 = Date.now();
  execFileSync(wrangler, ['d1', 'migrations', 'apply', 'qinglang', '--local', '--persist-to', dir], { cwd: root, env, stdio: 'pipe' });
  execFileSync(wrangler, ['d1', 'migrations', 'apply', 'qinglang-shard-1', '--local', '--persist-to', dir], { cwd: root, env, stdio: 'pipe' });
  writeFileSync(join(dir, 'seed.sql'), seedSql());
  d1('--file', join(dir, 'seed.sql'));
  const [{ results: [counts] }] = d1('--command', `SELECT (SELECT count(*) FROM offices) AS offices, (SELECT count(*) FROM reports) AS reports,
    (SELECT count(*) FROM reports WHERE status IN (${OPEN})) AS open,
    (SELECT count(*) FROM reports WHERE referred_from IS NOT NULL OR escalated_to IS NOT NULL OR delegated_by IS NOT NULL) AS handovers`);
  console.log(`seeded in ${((Date.now() - t0) / 1000).toFixed(0)} s: ${JSON.stringify(counts)}; ${runs} runs each\n`);
  const shell = sqliteShell();
  const lines = [];
  for (const [what, office, sql] of QUERIES) {
    const cold = [];
    const warm = [];
    let plan = '';
    let rows = 0;
    for (let r = 0; r < runs; r++) {
      const out = d1('--command', `EXPLAIN QUERY PLAN ${sql}; ${sql}; ${sql}`);
      plan = out[0].results.map((p) => p.detail).join('; ');
      rows = out[1].results.length;
      cold.push(out[1].meta.duration);
      warm.push(out[2].meta.duration);
    }
    const cpu = shell ? shell(sql) : [];
    const cpuText = shell ? `${Math.min(...cpu).toFixed(2)} / ${median(cpu).toFixed(2)}` : 'n/a';
    lines.push(`| ${what} | ${office} | ${rows} | ${median(cold)} | ${Math.min(...warm)} / ${median(warm)} | ${cpuText} | \`${plan}\` |`);
    console.log(`${what}, ${office}: ${rows} rows; D1 cold [${cold}] warm [${warm}] ms; sqlite3 CPU [${cpu.map((x) => x.toFixed(2))}] ms\n    ${plan}`);
  }
  console.log('\n| query | office | rows | D1 cold, median ms | D1 warm, min / median ms | sqlite3 CPU, min / median ms | D1 plan |');
  console.log('|---|---|---:|---:|---:|---:|---|');
  console.log(lines.join('\n'));
} finally {
  rmSync(dir, { recursive: true, force: true });
}
