#!/usr/bin/env node
// Submission vs a bare request (issue 17): starts its own `wrangler dev` (tests/harness.mjs: fresh
// --persist-to state, rate limits spread over a huge scale so 127.0.0.1 is not limited) and, in the
// same run, measures `GET /api/health` (one D1 ping) and `POST /api/reports` (a valid report with a
// fresh idempotency key each time) in interleaved rounds, so both routes see the same machine noise:
// each round runs both routes back to back, in alternating order. Prints req/s, p50 and p99 per
// round, the medians of the rounds, the ratio submit/health of the median req/s and the median of
// the rounds' own ratios (which a drift of the machine's load between rounds disturbs less).
// Prints numbers; asserts nothing. Run after a finished build (dist/ and worker/build/).
//
//   node scripts/submit-bench.mjs
//   BENCH_CLIENTS=24 BENCH_SECONDS=6 BENCH_ROUNDS=5 BENCH_WARMUP_SECONDS=3 node scripts/submit-bench.mjs
import { startWorker, newKey } from '../tests/harness.mjs';

const CLIENTS = Number(process.env.BENCH_CLIENTS ?? 24);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 6);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const WARMUP_SECONDS = Number(process.env.BENCH_WARMUP_SECONDS ?? 3);

const DESCRIPTIONS = [
  '有人在群里冒充客服，让大家转账解冻账户，已经有人上当。',
  '某账号持续发布刷单返利广告，加微信后要求先垫付。',
  '网络赌博网站的推广链接在评论区大量出现。',
  '自称银行工作人员打电话说我的卡被冻结，要我把钱转到安全账户。',
];

/** The n-th report a client files: mostly fraud, every fourth a rumour with a link and a platform. */
function reportBody(client, n) {
  const description = `${DESCRIPTIONS[n % DESCRIPTIONS.length]}（客户端${client}第${n}条）`;
  if (n % 4 === 3) {
    return JSON.stringify({
      idempotency_key: newKey(),
      category: 'rumor',
      description: `群里说明天全市停水三天，配了假通知。（客户端${client}第${n}条）`,
      links: [`https://weibo.com/${client}/${n}`],
      platform: '微博',
    });
  }
  return JSON.stringify({ idempotency_key: newKey(), category: 'fraud', description });
}

const ROUTES = {
  health: (base) => () => fetch(`${base}/api/health`),
  submit: (base) => {
    return (client, n) => fetch(`${base}/api/reports`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: reportBody(client, n),
    });
  },
};

function percentile(sorted, p) {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** `CLIENTS` loops send `send` back to back for `seconds`; answered 2xx requests are timed. */
async function run(send, seconds) {
  const latencies = [];
  const failures = {};
  const started = performance.now();
  const until = started + seconds * 1000;
  async function client(id) {
    let n = 0;
    while (performance.now() < until) {
      const t = performance.now();
      try {
        const res = await send(id, n);
        await res.arrayBuffer();
        if (res.ok) latencies.push(performance.now() - t);
        else failures[res.status] = (failures[res.status] ?? 0) + 1;
      } catch (e) {
        const code = e.cause?.code ?? e.name;
        failures[code] = (failures[code] ?? 0) + 1;
      }
      n += 1;
    }
  }
  await Promise.all(Array.from({ length: CLIENTS }, (_, id) => client(id)));
  const elapsed = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  return {
    rps: latencies.length / elapsed,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    ok: latencies.length,
    failures,
  };
}

const fmt = (r) =>
  `${r.rps.toFixed(1).padStart(7)} req/s  p50 ${r.p50.toFixed(1).padStart(6)} ms  p99 ${r.p99.toFixed(1).padStart(6)} ms  ` +
  `(${r.ok} ok${Object.keys(r.failures).length ? `, failures ${JSON.stringify(r.failures)}` : ''})`;

const w = await startWorker();
try {
  console.log(`worker at ${w.base}; ${CLIENTS} clients, ${ROUNDS} rounds of ${SECONDS} s per route`);
  // Warm-up: every isolate loads its engine and caches before anything is counted.
  for (const name of Object.keys(ROUTES)) await run(ROUTES[name](w.base), WARMUP_SECONDS);
  const results = { health: [], submit: [] };
  for (let round = 1; round <= ROUNDS; round += 1) {
    // Alternate which route goes first, so a drift of the machine's load does not favour one.
    const order = round % 2 ? ['health', 'submit'] : ['submit', 'health'];
    for (const name of order) {
      const r = await run(ROUTES[name](w.base), SECONDS);
      results[name].push(r);
      console.log(`round ${round} ${name.padEnd(6)} ${fmt(r)}`);
    }
    console.log(`round ${round} ratio  ${(results.submit.at(-1).rps / results.health.at(-1).rps).toFixed(2)}`);
  }
  const summary = {};
  for (const name of Object.keys(results)) {
    const rs = results[name];
    summary[name] = { rps: median(rs.map((r) => r.rps)), p50: median(rs.map((r) => r.p50)), p99: median(rs.map((r) => r.p99)) };
    const s = summary[name];
    console.log(`median ${name.padEnd(6)} ${s.rps.toFixed(1).padStart(7)} req/s  p50 ${s.p50.toFixed(1).padStart(6)} ms  p99 ${s.p99.toFixed(1).padStart(6)} ms`);
  }
  console.log(`ratio submit/health (median req/s): ${(summary.submit.rps / summary.health.rps).toFixed(2)}`);
  const roundRatios = results.submit.map((r, i) => r.rps / results.health[i].rps);
  console.log(`median of the rounds' ratios: ${median(roundRatios).toFixed(2)}`);
} finally {
  await w.stop();
}
