// Bounded loopback load and a crash, against the real worker and its local D1 (127.0.0.1 only).
//
// Phase 1: LOAD_CLIENTS concurrent clients file reports for LOAD_SECONDS, each with its own
// idempotency key, retrying the same key on a network error or a 5xx as a phone would.
// Phase 2: the same clients keep filing while the `wrangler dev` process group is killed with
// SIGKILL mid-load and started again on the same port and the same --persist-to state; clients
// retry with their keys until acknowledged.
// Afterwards every acknowledged receipt is in D1 exactly once with the code the client was given,
// every stored report has its first event and screening (the atomic batch), nothing was stored that
// no client holds a receipt for, and /api/stats counts the same number.
//
// Numbers (requests/s, p50/p99 latency, errors) are printed and written to
// tests/artifacts/load.json; BENCHMARKS.md records a run. This test asserts only correctness.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startWorker, query, newKey, http, root } from './harness.mjs';

const CLIENTS = Number(process.env.LOAD_CLIENTS ?? 24);
const PHASE1_MS = Number(process.env.LOAD_SECONDS ?? 15) * 1000;
const PHASE2_MS = 16_000;
const KILL_AFTER_MS = 3_000;
// After a phase ends, a client still holding an unacknowledged report keeps retrying it this long.
const GRACE_MS = 15_000;

let w;
after(async () => { await w?.stop(); });

const DESCRIPTIONS = [
  '有人在群里冒充客服，让大家转账解冻账户，已经有人上当。',
  '某账号持续发布刷单返利广告，加微信后要求先垫付。',
  '网络赌博网站的推广链接在评论区大量出现。',
];

function percentile(sorted, p) {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

/**
 * Runs `CLIENTS` loops until `until`; each loop files reports one after another. Returns the
 * per-request latencies of answered requests, error counts and the acknowledgements.
 */
async function runClients(base, until, acks, stats) {
  const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
  async function client(id) {
    let i = 0;
    while (Date.now() < until) {
      const body = JSON.stringify({
        idempotency_key: newKey(),
        category: 'fraud',
        description: `${DESCRIPTIONS[i % DESCRIPTIONS.length]}（客户端${id}第${i}条）`,
        contact: i % 4 === 0 ? { phone: '13800138000' } : undefined,
      });
      i += 1;
      const key = JSON.parse(body).idempotency_key;
      let attempts = 0;
      // Retry this report until it is acknowledged: while the phase lasts, and a grace period after.
      for (;;) {
        if (Date.now() > until + GRACE_MS) { stats.abandoned += 1; break; }
        attempts += 1;
        const started = performance.now();
        try {
          const res = await fetch(`${base()}/api/reports`, {
            method: 'POST', headers: { 'content-type': 'application/json' }, body,
            signal: AbortSignal.timeout(10_000),
          });
          const text = await res.text();
          stats.latencies.push(performance.now() - started);
          stats.requests += 1;
          if (res.status === 201 || res.status === 200) {
            const receipt = JSON.parse(text);
            if (res.status === 200) stats.retriedAcks += 1;
            acks.push({ key, code: receipt.receipt_code.replaceAll('-', ''), attempts });
            break;
          }
          stats.httpErrors[res.status] = (stats.httpErrors[res.status] ?? 0) + 1;
          if (res.status < 500 && res.status !== 429) break; // refused for good: a bug, counted above
        } catch (e) {
          stats.networkErrors += 1;
        }
        await sleep(100 + Math.random() * 200);
      }
    }
  }
  await Promise.all(Array.from({ length: CLIENTS }, (_, id) => client(id)));
}

function newStats() {
  return { requests: 0, latencies: [], httpErrors: {}, networkErrors: 0, retriedAcks: 0, abandoned: 0 };
}

function summary(name, stats, ms, acks) {
  const sorted = [...stats.latencies].sort((a, b) => a - b);
  return {
    phase: name,
    clients: CLIENTS,
    seconds: Math.round(ms / 100) / 10,
    requests: stats.requests,
    acknowledged: acks,
    requests_per_s: Math.round((stats.requests / ms) * 1000),
    p50_ms: Math.round(percentile(sorted, 50) * 10) / 10,
    p99_ms: Math.round(percentile(sorted, 99) * 10) / 10,
    http_errors: stats.httpErrors,
    network_errors: stats.networkErrors,
    acknowledged_on_retry: stats.retriedAcks,
    abandoned: stats.abandoned,
  };
}

test('load, then a crash and restart mid-load: every acknowledged report stored exactly once', { timeout: 120_000 }, async () => {
  w = await startWorker();
  const acks = [];
  let base = w.base;
  const baseFn = () => base;

  // Phase 1: steady load.
  const s1 = newStats();
  const t1 = Date.now();
  await runClients(baseFn, t1 + PHASE1_MS, acks, s1);
  const phase1 = summary('load', s1, Date.now() - t1, acks.length);

  // Phase 2: load with a crash. The restart keeps the port, so clients need not know.
  const s2 = newStats();
  const t2 = Date.now();
  const acksBefore = acks.length;
  let restartMs = 0;
  const chaos = (async () => {
    await new Promise((r) => setTimeout(r, KILL_AFTER_MS));
    const { stateDir, port } = w;
    await w.crash();
    const down = Date.now();
    w = await startWorker({ stateDir, port });
    restartMs = Date.now() - down;
    base = w.base;
  })();
  await runClients(baseFn, t2 + PHASE2_MS, acks, s2);
  await chaos;
  const phase2 = summary('crash', s2, Date.now() - t2, acks.length - acksBefore);
  phase2.restart_ms = restartMs;

  // Every acknowledgement against D1.
  const rows = query(w.stateDir, 'SELECT idempotency_key AS k, receipt_code AS c FROM reports');
  const byKey = new Map();
  for (const r of rows) byKey.set(r.k, [...(byKey.get(r.k) ?? []), r.c]);
  const ackKeys = new Set(acks.map((a) => a.key));
  const lost = acks.filter((a) => !byKey.has(a.key));
  const duplicated = [...byKey.values()].filter((codes) => codes.length !== 1);
  const wrongCode = acks.filter((a) => byKey.has(a.key) && byKey.get(a.key)[0] !== a.code);
  const unacknowledged = rows.filter((r) => !ackKeys.has(r.k));
  const [{ n: missingEvents }] = query(w.stateDir,
    "SELECT COUNT(*) AS n FROM reports r WHERE (SELECT COUNT(*) FROM events e WHERE e.report_id = r.id AND e.kind = 'submitted') <> 1 " +
    'OR NOT EXISTS (SELECT 1 FROM report_screenings s WHERE s.report_id = r.id)');
  const stats = await (await http(`${w.base}/api/stats`)).json();

  const result = {
    phases: [phase1, phase2],
    acknowledged: acks.length,
    stored: rows.length,
    lost: lost.length,
    duplicated: duplicated.length,
    wrong_code: wrongCode.length,
    stored_without_receipt: unacknowledged.length,
    incomplete_batches: missingEvents,
    stats_received: stats.received,
  };
  mkdirSync(join(root, 'tests', 'artifacts'), { recursive: true });
  writeFileSync(join(root, 'tests', 'artifacts', 'load.json'), `${JSON.stringify(result, null, 2)}\n`);
  for (const p of result.phases) {
    console.log(`load ${p.phase}: ${p.clients} clients, ${p.seconds} s, ${p.requests} requests, ${p.requests_per_s} req/s, ` +
      `p50 ${p.p50_ms} ms, p99 ${p.p99_ms} ms, http errors ${JSON.stringify(p.http_errors)}, network errors ${p.network_errors}, ` +
      `acknowledged ${p.acknowledged} (${p.acknowledged_on_retry} on a retry)${p.restart_ms ? `, restart ${p.restart_ms} ms` : ''}`);
  }
  console.log(`load result: acknowledged ${result.acknowledged}, stored ${result.stored}, lost ${result.lost}, ` +
    `duplicated ${result.duplicated}, stored without receipt ${result.stored_without_receipt}, /api/stats received ${result.stats_received}`);

  assert.ok(phase1.acknowledged > 0 && phase2.acknowledged > 0, 'both phases filed reports');
  assert.ok(s2.networkErrors > 0, 'the crash was felt by the clients');
  assert.equal(result.lost, 0, 'acknowledged reports missing from D1');
  assert.equal(result.duplicated, 0, 'reports stored more than once');
  assert.equal(result.wrong_code, 0, 'a retry got a different receipt than D1 holds');
  assert.equal(result.incomplete_batches, 0, 'reports without their first event or screening');
  assert.equal(result.stored_without_receipt, 0, 'reports stored that no client was acknowledged for');
  assert.equal(s1.abandoned + s2.abandoned, 0, 'reports given up on');
  assert.deepEqual(Object.keys({ ...s1.httpErrors, ...s2.httpErrors }).filter((s) => s !== '503' && s !== '502'), [],
    'only transient gateway errors are acceptable');
  assert.equal(result.stats_received, result.stored, '/api/stats agrees with D1');
});
