#!/usr/bin/env node
// Seeds N published refutations (default 100,000) into a scratch local D1, starts the real worker on
// it under `wrangler dev`, and prints the server-side time of public list and search requests:
// D1's own time for the list query (`db`) and the worker's whole miss (`build`: three queries and
// the JSON), both from the `server-timing` header, plus the client's wall-clock time, as p50/p99.
//
//   node scripts/refutation-search-bench.mjs [N] [--keep DIR]
//
// With --keep the seeded state stays in DIR, and a later run with the same DIR and N skips seeding.
// Needs a finished scripts/build.sh. Every request asks under its own cursor, so none is answered by
// the edge cache: this measures D1 and the worker, not the cache. The text is synthetic Chinese made
// from a fixed vocabulary with a seeded generator, so runs are comparable.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, rmSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startWorker, root } from '../tests/harness.mjs';

const args = process.argv.slice(2);
const N = Number(args.find((a) => /^\d+$/.test(a)) ?? 100_000);
const keepAt = args.includes('--keep') ? args[args.indexOf('--keep') + 1] : null;
const wrangler = join(root, 'node_modules', '.bin', 'wrangler');
const env = { ...process.env, CLOUDFLARE_CF_FETCH_ENABLED: 'false', WRANGLER_SEND_METRICS: 'false', NO_COLOR: '1' };

// Mulberry32: a small seeded generator, so every run seeds the same text.
let seed = 20261126;
function random() {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}
const pick = (list) => list[Math.floor(random() * list.length)];

const PLACES = ['本市', '南山区', '东城区', '西城区', '北湖区', '高新区', '滨海新区', '某小区', '某中学', '火车站', '地铁站', '人民医院'];
const SUBJECTS = ['自来水', '地铁', '高考', '疫情', '拆迁', '菜价', '停电', '学校', '医保', '公交', '天然气', '房价', '台风', '地震', '食品安全', '养老金', '驾照', '网约车'];
const EVENTS = ['全面停运', '被投毒', '推迟举行', '全面封控', '补偿减半', '大幅上涨', '全城停电', '集体停课', '停止报销', '线路取消', '价格翻倍', '暴跌一半', '即将登陆', '即将发生', '全部下架', '停止发放', '一律作废', '全面禁止'];
const TAILS = ['请立即转发', '大家赶紧囤货', '千万不要出门', '内部消息', '朋友亲口所说', '已经确认', '速看', '再不看就删了'];
const FACTS = ['经核实，该消息系谣言', '相关部门已辟谣', '经调查，网传内容与事实不符', '警方已依法处理造谣者', '官方从未发布此类通知', '经核查，所涉图片系旧图'];
const BODIES = ['请广大市民不信谣、不传谣', '如有疑问请拨打12345热线咨询', '相关工作正常开展', '请以官方发布的信息为准', '造谣传谣者将依法追究责任', '请通过正规渠道获取信息'];
const AUTHORITIES = ['南山区公安分局', '市网信办', '市教育局', '市卫生健康委', '市交通运输局', '市住建局', '市应急管理局', '市市场监管局'];
const TAGS = ['高考', '疫情', '拆迁', '交通', '饮水', '教育', '医疗', '天气', '物价', '安全'];
const REGIONS = ['dongcheng', 'xicheng', 'nanshan', 'beihu', 'gaoxin', 'binhai'];
const VERDICTS = ['rumour', 'false', 'misleading', 'one_sided', 'true'];

/** What search::fold does to this text: word characters only (the seed text has no traditional forms). */
const fold = (text) => text.toLowerCase().replace(/[^\p{L}\p{N}]/gu, '');
/** What search::grams does: every character and neighbouring pair. */
function grams(text) {
  const chars = [...fold(text)];
  const out = [];
  chars.forEach((c, i) => { out.push(c); if (i + 1 < chars.length) out.push(c + chars[i + 1]); });
  return out.join(' ');
}
const q = (s) => `'${s.replaceAll("'", "''")}'`;

function refutation(i) {
  const place = pick(PLACES); const subject = pick(SUBJECTS); const event = pick(EVENTS);
  const claim = `${place}${subject}${event}，${pick(TAILS)}！编号${i}`;
  const title = `网传“${place}${subject}${event}”系谣言`;
  const body = [
    { type: 'paragraph', text: `${pick(FACTS)}。${place}${subject}相关工作一切正常，${pick(BODIES)}。` },
    { type: 'paragraph', text: `${pick(BODIES)}。${pick(FACTS)}，${pick(BODIES)}。` },
  ];
  const tags = [...new Set([pick(TAGS), pick(TAGS)])];
  const content = {
    title, claim, claim_url: null, verdict: pick(VERDICTS), body,
    sources: [{ title: `${pick(AUTHORITIES)}通报`, url: `https://www.example.gov.cn/n/${i}` }],
    authority: pick(AUTHORITIES), region: pick(REGIONS), tags, case_ids: [],
  };
  return content;
}

function seedFiles(dir) {
  const start = Date.UTC(2024, 0, 1);
  const files = [];
  const perFile = 5000;
  const perStatement = 40;
  for (let from = 1; from <= N; from += perFile) {
    const lines = [];
    for (let s = from; s < Math.min(from + perFile, N + 1); s += perStatement) {
      const ids = [];
      for (let i = s; i < Math.min(s + perStatement, from + perFile, N + 1); i++) ids.push(i);
      const rows = ids.map((i) => [i, refutation(i)]);
      const at = (i) => start + i * 60_000;
      lines.push('INSERT INTO refutations (id, status, revision, content, title, verdict, region, created_by, created_at, ' +
        'updated_at, published_at, pub_seq, fingerprint) VALUES ' + rows.map(([i, c]) =>
        `(${i}, 'published', 2, ${q(JSON.stringify(c))}, ${q(c.title)}, ${q(c.verdict)}, ${q(c.region)}, 1, ${at(i)}, ${at(i)}, ${at(i)}, ${i}, '0000000000000000')`).join(', ') + ';');
      lines.push('INSERT INTO refutation_search (rowid, title, claim, body, authority) VALUES ' + rows.map(([i, c]) =>
        `(${i}, ${q(fold(c.title))}, ${q(fold(c.claim))}, ${q(fold(c.body.map((b) => b.text).join('')))}, ${q(fold(c.authority))})`).join(', ') + ';');
      lines.push('INSERT INTO refutation_grams (rowid, grams) VALUES ' + rows.map(([i, c]) =>
        `(${i}, ${q(grams(`${c.title}\n${c.claim}`))})`).join(', ') + ';');
      lines.push('INSERT INTO refutation_tags (tag, pub_seq, refutation_id) VALUES ' + rows.flatMap(([i, c]) =>
        c.tags.map((t) => `(${q(t)}, ${i}, ${i})`)).join(', ') + ';');
    }
    const file = join(dir, `seed-${String(from).padStart(7, '0')}.sql`);
    writeFileSync(file, lines.join('\n'));
    files.push(file);
  }
  return files;
}

function percentile(sorted, p) {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

async function main() {
  const stateDir = keepAt ?? mkdtempSync(join(tmpdir(), 'qinglang-bench-'));
  if (keepAt) mkdirSync(keepAt, { recursive: true });
  const t0 = Date.now();
  execFileSync(wrangler, ['d1', 'migrations', 'apply', 'qinglang', '--local', '--persist-to', stateDir], { cwd: root, env, stdio: 'pipe' });
  execFileSync(wrangler, ['d1', 'migrations', 'apply', 'qinglang-shard-1', '--local', '--persist-to', stateDir], { cwd: root, env, stdio: 'pipe' });
  const seeded = JSON.parse(execFileSync(wrangler, ['d1', 'execute', 'qinglang', '--local', '--persist-to', stateDir, '--json',
    '--command', 'SELECT COUNT(*) AS n FROM refutations'], { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] }).toString())[0].results[0].n;
  if (seeded === N) {
    console.log(`reusing ${N.toLocaleString('en')} refutations in ${stateDir}`);
  } else {
  execFileSync(wrangler, ['d1', 'execute', 'qinglang', '--local', '--persist-to', stateDir, '--command',
    "INSERT OR IGNORE INTO staff (id, username, display_name, role, password_hash, password_salt, password_iterations, created_at) VALUES (1, 'bench', 'bench', 'editor', 'x', 'x', 1, 0)"],
  { cwd: root, env, stdio: 'pipe' });
  const sqlDir = mkdtempSync(join(tmpdir(), 'qinglang-bench-sql-'));
  const files = seedFiles(sqlDir);
  for (const file of files) {
    execFileSync(wrangler, ['d1', 'execute', 'qinglang', '--local', '--persist-to', stateDir, '--file', file], { cwd: root, env, stdio: 'pipe' });
  }
  rmSync(sqlDir, { recursive: true, force: true });
  console.log(`seeded ${N.toLocaleString('en')} published refutations in ${((Date.now() - t0) / 1000).toFixed(0)} s`);
  }

  const w = await startWorker({ stateDir });
  const cases = [
    ['list, newest first', () => ''],
    ['list, tag', () => `tag=${encodeURIComponent(pick(TAGS))}`],
    ['list, region', () => `region=${pick(REGIONS)}`],
    ['search, 3+ chars, common', () => `q=${encodeURIComponent(pick(SUBJECTS) + pick(EVENTS).slice(0, 2))}`],
    ['search, 3+ chars, rare (one hit)', () => `q=${encodeURIComponent(`编号${1 + Math.floor(random() * N)}`)}`],
    ['search, 4+ chars, no hit', () => `q=${encodeURIComponent(`${pick(SUBJECTS)}外星人`)}`],
    ['search, 2 chars', () => `q=${encodeURIComponent(pick(SUBJECTS).slice(0, 2))}`],
    ['search, 1 char', () => `q=${encodeURIComponent(pick(['水', '城', '考', '电', '价']))}`],
    ['search, two terms', () => `q=${encodeURIComponent(`${pick(SUBJECTS)} ${pick(EVENTS)}`)}`],
    ['search + tag + region', () => `q=${encodeURIComponent(pick(SUBJECTS))}&tag=${encodeURIComponent(pick(TAGS))}&region=${pick(REGIONS)}`],
  ];
  const ROUNDS = 60;
  const rows = [];
  try {
    for (const [name, make] of cases) {
      const db = []; const build = []; const wall = [];
      for (let i = 0; i < ROUNDS + 5; i++) {
        // A cursor just above the newest row changes the cache key, not the work.
        const qs = [make(), `after=${N + 1 + i + Math.floor(random() * 1e6)}`].filter(Boolean).join('&');
        const started = performance.now();
        const res = await fetch(`${w.base}/api/refutations?${qs}`);
        await res.arrayBuffer();
        const ms = performance.now() - started;
        if (res.status !== 200) throw new Error(`${name}: ${res.status} for ${qs}`);
        const timing = res.headers.get('server-timing') ?? '';
        if (i < 5) continue; // warm-up
        db.push(Number(/db;dur=([\d.]+)/.exec(timing)?.[1]));
        build.push(Number(/build;dur=([\d.]+)/.exec(timing)?.[1]));
        wall.push(ms);
      }
      const s = (a) => a.sort((x, y) => x - y);
      const [d, b, c] = [s(db), s(build), s(wall)];
      rows.push([name, percentile(d, 50), percentile(d, 99), percentile(b, 50), percentile(b, 99), percentile(c, 50), percentile(c, 99)]);
    }
  } finally {
    await w.stop({ keepState: Boolean(keepAt) });
    if (!keepAt) rmSync(stateDir, { recursive: true, force: true });
  }
  const f = (x) => x.toFixed(1).padStart(6);
  console.log(`\n${ROUNDS} requests per row, each a cache miss; milliseconds\n`);
  console.log('| query | D1 p50 | D1 p99 | worker p50 | worker p99 | client p50 | client p99 |');
  console.log('|---|---:|---:|---:|---:|---:|---:|');
  for (const [name, ...v] of rows) console.log(`| ${name} | ${v.map(f).join(' | ')} |`);
}

main().catch((e) => { console.error(e); process.exit(1); });
