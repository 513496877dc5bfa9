// Starts the real worker under `wrangler dev` (workerd with local D1) on a free port with its own
// fresh state directory, for one test file, and stops it afterwards. Needs a finished
// `scripts/build.sh` (dist/ and worker/build/).
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

export const root = join(dirname(fileURLToPath(import.meta.url)), '..');

/** Debian's headless Chromium for the browser tests, kept off the network beyond the worker. */
export function launchChromium() {
  return chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
}
const wrangler = join(root, 'node_modules', '.bin', 'wrangler');
const env = { ...process.env, CLOUDFLARE_CF_FETCH_ENABLED: 'false', WRANGLER_SEND_METRICS: 'false', NO_COLOR: '1' };

/** A free loopback port. */
function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/**
 * Starts a worker with fresh local state. Returns { base, stateDir, stop, log, pid }.
 * `log()` returns what wrangler printed, for failure messages and for checks on log lines.
 * Rate limits are multiplied by `rateLimitScale` (see worker/src/limits.rs): suites that file many
 * reports from 127.0.0.1 keep the large default; tests/limits.test.mjs passes 1 for the real limits.
 * `port` reuses a port (a restart on the same address); by default a free one is picked.
 * `vars` adds worker variables (e.g. `{ WEBHOOK_ALLOW_LOOPBACK: '1' }` for tests/digest.test.mjs).
 */
export async function startWorker({ stateDir, rateLimitScale = 1_000_000, port: fixedPort, vars = {} } = {}) {
  const persist = stateDir ?? mkdtempSync(join(tmpdir(), 'qinglang-test-'));
  // The control database and every case shard (wrangler.toml, `SHARDS`).
  for (const database of ['qinglang', 'qinglang-shard-1']) {
    execFileSync(wrangler, ['d1', 'migrations', 'apply', database, '--local', '--persist-to', persist], {
      cwd: root, env, stdio: 'pipe',
    });
  }
  // A free port can be taken by another process between picking it and wrangler binding it (seen
  // once in CI as "Address already in use"): then try again on another one, unless the test asked
  // for this port.
  let launched;
  for (let attempt = 1; ; attempt += 1) {
    const port = fixedPort ?? await freePort();
    try {
      launched = await launch(port, persist, rateLimitScale, vars);
      break;
    } catch (e) {
      if (fixedPort !== undefined || attempt >= 3 || !/Address already in use/.test(e.message)) throw e;
    }
  }
  const { child, port, base, output } = launched;
  return {
    base,
    port,
    pid: child.pid,
    stateDir: persist,
    log: () => output(),
    /** Kills wrangler and workerd at once (SIGKILL to the process group): a crash, not a shutdown. */
    async crash() {
      if (child.exitCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      try { process.kill(-child.pid, 'SIGKILL'); } catch { return; }
      await exited;
    },
    async stop({ keepState = false } = {}) {
      await stopGroup(child);
      if (!keepState && !stateDir) rmSync(persist, { recursive: true, force: true });
    },
  };
}

/** Starts `wrangler dev` on `port` and waits for it to answer; throws with its output if it exits. */
async function launch(port, persist, rateLimitScale, vars) {
  const child = spawn(wrangler, [
    'dev', '--ip', '127.0.0.1', '--port', String(port), '--persist-to', persist,
    '--var', 'RECEIPT_KEY:test-receipt-key-0123456789abcdef0123456789',
    '--var', 'RATE_LIMIT_SALT:test-rate-limit-salt-0123456789abcdef',
    '--var', `RATE_LIMIT_SCALE:${rateLimitScale}`,
    '--show-interactive-dev-session=false',
    // Lets tests run the cron handler: GET /__scheduled?cron=...
    '--test-scheduled',
    // Figures computed per request unless a test asks for the edge cache (tests/stats-cache.test.mjs).
    ...Object.entries({ STATS_MAX_AGE_S: '0', ...vars }).flatMap(([k, v]) => ['--var', `${k}:${v}`]),
  ], { cwd: root, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (d) => { output += d; });
  child.stderr.on('data', (d) => { output += d; });
  const base = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`wrangler dev exited early:\n${output}`);
    try {
      const res = await fetch(`${base}/api/health`);
      if (res.ok) break;
    } catch { /* not listening yet */ }
    if (Date.now() > deadline) {
      stopGroup(child);
      throw new Error(`wrangler dev did not answer within 60 s:\n${output}`);
    }
    await new Promise((r) => setTimeout(r, 300));
  }
  return { child, port, base, output: () => output };
}

/** Ends wrangler and its workerd children by process group, never by name. */
export function stopGroup(child) {
  return new Promise((resolve) => {
    if (child.exitCode !== null) return resolve();
    child.once('exit', () => resolve());
    try { process.kill(-child.pid, 'SIGTERM'); } catch { resolve(); }
    setTimeout(() => { try { process.kill(-child.pid, 'SIGKILL'); } catch { /* gone */ } }, 5000).unref();
  });
}

/** Runs SQL against the test's local D1 (`database`: the control database, or a case shard such as
 * `qinglang-shard-1`) and returns the rows (wrangler's --json output). */
export function query(stateDir, sql, database = 'qinglang') {
  const out = d1Execute(['d1', 'execute', database, '--local', '--persist-to', stateDir, '--json', '--command', sql]);
  return JSON.parse(out.toString())[0].results;
}

/** Runs wrangler with `args`; a database the running worker holds locked at that moment
 * (SQLITE_BUSY: it is finishing a write) is tried again, up to ten times 0.2 s apart. */
function d1Execute(args) {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return execFileSync(wrangler, args, { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
    } catch (e) {
      if (attempt >= 10 || !String(e.stderr ?? e.message).includes('SQLITE_BUSY')) throw e;
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 200);
    }
  }
}

/** Runs several `;`-separated statements in one wrangler call; returns each statement's rows. */
export function queryAll(stateDir, sql) {
  const out = d1Execute(['d1', 'execute', 'qinglang', '--local', '--persist-to', stateDir, '--json', '--command', sql]);
  return JSON.parse(out.toString()).map((r) => r.results);
}

/** A fresh 32-hex-digit idempotency key. */
export function newKey() {
  return crypto.randomUUID().replaceAll('-', '');
}

/**
 * fetch, retried once when a kept-alive connection turns out to have been closed by workerd
 * while idle (undici reports UND_ERR_SOCKET "other side closed" and, for POST, does not retry).
 * Every request the tests send is safe to repeat: reads, and reports carrying an idempotency key.
 */
export async function http(url, init = {}) {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await fetch(url, init);
    } catch (e) {
      // Keep-alive connections the worker closed while the test blocked its event loop (the
      // synchronous `query` runs wrangler for a second or so) are found dead only when reused,
      // one by one: the request never left, so it is sent again, until a live or new connection.
      if (attempt >= 10 || !STALE_CONNECTION.includes(e.cause?.code)) throw e;
    }
  }
}

const STALE_CONNECTION = ['UND_ERR_SOCKET', 'UND_ERR_CLOSED', 'ECONNRESET', 'EPIPE'];

/** POSTs JSON and returns { status, body }. */
export async function postJson(url, body, headers = {}) {
  const init = {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  };
  const res = await http(url, init);
  const text = await res.text();
  let json = null;
  try { json = JSON.parse(text); } catch { /* not JSON */ }
  return { status: res.status, body: json, text, headers: res.headers };
}
