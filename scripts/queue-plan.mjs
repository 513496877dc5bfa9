#!/usr/bin/env node
// Seeds 100,000 cases into a scratch local D1 and prints, for each staff queue filter, the query
// plan and D1's own timing — to show the queue's filters use the reports_queue_* indexes (no full
// scans) and stay fast at scale. The SQL has the shape store::cases::queue builds.
//
//   node scripts/queue-plan.mjs [N_CASES]
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const wrangler = join(root, 'node_modules', '.bin', 'wrangler');
const env = { ...process.env, CLOUDFLARE_CF_FETCH_ENABLED: 'false', WRANGLER_SEND_METRICS: 'false', NO_COLOR: '1' };
const n = Number(process.argv[2] ?? 100_000);
const dir = mkdtempSync(join(tmpdir(), 'qinglang-plan-'));

function d1(sql) {
  const out = execFileSync(wrangler, ['d1', 'execute', 'qinglang', '--local', '--persist-to', dir, '--json', '--command', sql], {
    cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 64 << 20,
  });
  return JSON.parse(out.toString());
}

try {
  execFileSync(wrangler, ['d1', 'migrations', 'apply', 'qinglang', '--local', '--persist-to', dir], { cwd: root, env, stdio: 'pipe' });
  execFileSync(wrangler, ['d1', 'migrations', 'apply', 'qinglang-shard-1', '--local', '--persist-to', dir], { cwd: root, env, stdio: 'pipe' });
  const day = 86_400_000;
  const now = Date.now();
  // Handlers 1..8, which the seeded cases point at.
  d1(`INSERT INTO staff (username, display_name, role, password_hash, password_salt, password_iterations, created_at)
      WITH RECURSIVE seq(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM seq WHERE i < 8)
      SELECT 'handler' || i, 'handler' || i, 'handler', 'x', 'x', 1, 0 FROM seq`);
  // Statuses in realistic proportions: most cases closed, a tenth running, a few waiting.
  d1(`INSERT INTO reports (receipt_code, secret_hash, idempotency_key, request_hash, category, description, district,
        status, priority, department, primary_handler, accepted_at, due_at, created_at, updated_at)
      WITH RECURSIVE seq(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM seq WHERE i < ${n})
      SELECT 'SEED' || i, 'x', 'seed-' || i, 'x',
        CASE i % 5 WHEN 0 THEN 'fraud' WHEN 1 THEN 'rumor' WHEN 2 THEN 'porn' WHEN 3 THEN 'terror' ELSE 'vulgar' END,
        'seeded case ' || i, CASE WHEN i % 3 = 0 THEN 'nanshan' ELSE NULL END,
        CASE WHEN i % 20 = 0 THEN 'submitted' WHEN i % 20 IN (1, 2) THEN 'transferred' WHEN i % 20 = 3 THEN 'accepted'
             WHEN i % 20 = 4 THEN 'rejected' ELSE 'resolved' END,
        CASE i % 50 WHEN 0 THEN 'urgent' WHEN 1 THEN 'high' ELSE 'normal' END,
        CASE WHEN i % 20 IN (1, 2) THEN CASE i % 3 WHEN 0 THEN 'police' ELSE 'cac' END ELSE NULL END,
        CASE WHEN i % 20 = 0 THEN NULL ELSE 1 + i % 7 END,
        ${now} - (i % 400) * ${day}, ${now} + (15 - i % 40) * ${day}, ${now} - (i % 400) * ${day}, ${now}
      FROM seq`);
  d1('ANALYZE');
  const cols = 'id, status, category, due_sort, priority_rank';
  const queries = {
    'whole queue by due': `SELECT ${cols} FROM reports ORDER BY due_sort, id LIMIT 51`,
    'whole queue by priority': `SELECT ${cols} FROM reports ORDER BY priority_rank, due_sort, id LIMIT 51`,
    'state=accepted, next page': `SELECT ${cols} FROM reports WHERE status = 'accepted' AND (due_sort, id) > (0, 0) ORDER BY due_sort, id LIMIT 51`,
    'state=submitted by priority': `SELECT ${cols} FROM reports WHERE status = 'submitted' ORDER BY priority_rank, due_sort, id LIMIT 51`,
    'overdue': `SELECT ${cols} FROM reports WHERE due_sort < ${now} ORDER BY due_sort, id LIMIT 51`,
    'liaison (police, transferred)': `SELECT ${cols} FROM reports WHERE status = 'transferred' AND department = 'police' ORDER BY due_sort, id LIMIT 51`,
    'state + category': `SELECT ${cols} FROM reports WHERE status = 'transferred' AND category = 'rumor' ORDER BY due_sort, id LIMIT 51`,
    'state + district': `SELECT ${cols} FROM reports WHERE status = 'accepted' AND district = 'nanshan' ORDER BY due_sort, id LIMIT 51`,
    'handler': `SELECT ${cols} FROM reports WHERE primary_handler = 3 AND status = 'accepted' ORDER BY due_sort, id LIMIT 51`,
  };
  console.log(`${n} cases seeded\n`);
  for (const [name, sql] of Object.entries(queries)) {
    const plan = d1(`EXPLAIN QUERY PLAN ${sql}`)[0].results.map((r) => r.detail).join('; ');
    const [result] = d1(sql);
    console.log(`${name}: ${result.results.length} rows, ${result.meta.duration.toFixed(2)} ms\n    ${plan}`);
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
