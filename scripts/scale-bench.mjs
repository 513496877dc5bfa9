#!/usr/bin/env node
// Seeds N cases (default 100,000: reports, their status events and screenings with fingerprints)
// into a scratch local D1, serves it with `wrangler dev`, and prints how long the whole-history
// reads take through the real worker: the public figures (`GET /api/stats`, cold and from the
// edge cache) and a staff case page (`GET /api/staff/cases/{id}`, whose duplicate suggestions
// compare the case with the newest open cases). Run after `bash scripts/build.sh`.
//
//   node scripts/scale-bench.mjs [N_CASES]
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startWorker, postJson, http } from '../tests/harness.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const wrangler = join(root, 'node_modules', '.bin', 'wrangler');
const env = { ...process.env, CLOUDFLARE_CF_FETCH_ENABLED: 'false', WRANGLER_SEND_METRICS: 'false', NO_COLOR: '1' };
const n = Number(process.argv[2] ?? 100_000);
const dir = mkdtempSync(join(tmpdir(), 'qinglang-scale-'));
const PASSWORD = 'scale bench password 0123';

function d1(sql) {
  execFileSync(wrangler, ['d1', 'execute', 'qinglang', '--local', '--persist-to', dir, '--command', sql], {
    cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 64 << 20,
  });
}

const seq = `WITH RECURSIVE seq(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM seq WHERE i < ${n})`;
// Most cases closed, a tenth running, a few waiting: the proportions of scripts/queue-plan.mjs.
const status = `CASE WHEN i % 20 = 0 THEN 'submitted' WHEN i % 20 IN (1, 2) THEN 'transferred' WHEN i % 20 = 3 THEN 'accepted'
  WHEN i % 20 = 4 THEN 'rejected' ELSE 'resolved' END`;

async function timed(label, runs, fn) {
  const times = [];
  for (let r = 0; r < runs; r += 1) {
    const t = performance.now();
    await fn(r);
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  const p = (q) => times[Math.min(times.length - 1, Math.floor(q * times.length))].toFixed(1);
  console.log(`${label}: ${runs} run(s), min ${times[0].toFixed(1)} ms, p50 ${p(0.5)} ms, max ${times.at(-1).toFixed(1)} ms`);
}

let w;
try {
  execFileSync(wrangler, ['d1', 'migrations', 'apply', 'qinglang', '--local', '--persist-to', dir], { cwd: root, env, stdio: 'pipe' });
  execFileSync(wrangler, ['d1', 'migrations', 'apply', 'qinglang-shard-1', '--local', '--persist-to', dir], { cwd: root, env, stdio: 'pipe' });
  const day = 86_400_000;
  const now = Date.now();
  const t0 = performance.now();
  d1(`INSERT INTO reports (receipt_code, secret_hash, idempotency_key, request_hash, category, description, status,
        priority, department, accepted_at, due_at, created_at, updated_at)
      ${seq} SELECT 'SEED' || i, 'x', 'seed-' || i, 'x',
        CASE i % 5 WHEN 0 THEN 'fraud' WHEN 1 THEN 'rumor' WHEN 2 THEN 'porn' WHEN 3 THEN 'terror' ELSE 'vulgar' END,
        'seeded case ' || i, ${status}, 'normal',
        CASE WHEN i % 20 IN (1, 2) THEN 'police' ELSE NULL END,
        CASE WHEN i % 20 = 0 THEN NULL ELSE ${now} - (i % 400) * ${day} + 3600000 END,
        CASE WHEN i % 20 = 0 THEN NULL ELSE ${now} - (i % 400) * ${day} + 15 * ${day} END,
        ${now} - (i % 400) * ${day}, ${now}
      FROM seq`);
  d1(`INSERT INTO events (report_id, kind, actor, is_public, created_at)
      SELECT id, 'submitted', 'reporter', 1, created_at FROM reports`);
  d1(`INSERT INTO events (report_id, kind, actor, is_public, created_at)
      SELECT id, status, 'staff:1', 1, created_at + (id % 20) * ${day} FROM reports WHERE status <> 'submitted'`);
  d1(`INSERT INTO report_screenings (report_id, engine_version, rule_pack_version, junk, findings, fingerprint)
      SELECT id, 'seed', 'seed', 0, '{}', printf('%016x', abs(random())) FROM reports`);
  d1('ANALYZE');
  console.log(`${n} cases seeded in ${((performance.now() - t0) / 1000).toFixed(1)} s (${dir})`);

  execFileSync('node', [join(root, 'scripts', 'create-admin.mjs'), 'bench', '--name', 'bench', '--persist-to', dir], {
    cwd: root, env: { ...env, QL_PASSWORD: PASSWORD }, stdio: 'pipe',
  });
  w = await startWorker({ stateDir: dir, vars: { STATS_MAX_AGE_S: '60' } });
  const session = await postJson(`${w.base}/api/staff/session`, { username: 'bench', password: PASSWORD });
  if (session.status !== 200) throw new Error(`sign-in: ${session.text}`);
  const cookie = session.headers.get('set-cookie').split(';')[0];

  let size = 0;
  await timed('GET /api/stats, first (cold: D1 + figures)', 1, async () => {
    const res = await http(`${w.base}/api/stats`);
    size = (await res.arrayBuffer()).byteLength;
    if (res.status !== 200) throw new Error(`stats ${res.status}`);
  });
  console.log(`    answer ${size} bytes`);
  await timed('GET /api/stats, repeated (edge cache within its max-age)', 20, async () => {
    const res = await http(`${w.base}/api/stats`);
    await res.arrayBuffer();
  });
  const open = [20, 21, 23, 40, 41].map((i) => i); // ids 20, 40: submitted; 21: transferred; 23: accepted
  await timed('GET /api/staff/cases/{id} (duplicate check over the newest 5,000 open cases)', 10, async (r) => {
    const res = await http(`${w.base}/api/staff/cases/${open[r % open.length]}`, { headers: { cookie } });
    const body = await res.json();
    if (res.status !== 200) throw new Error(`case ${res.status}: ${JSON.stringify(body)}`);
  });
} finally {
  await w?.stop();
  rmSync(dir, { recursive: true, force: true });
}
