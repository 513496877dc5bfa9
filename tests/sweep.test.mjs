// The cron's sweep of evidence pictures never attached to a report (worker/src/routes/uploads.rs
// `sweep_unattached`, run on every trigger): after 24 h their D1 rows and R2 objects go; pictures of
// a filed report and fresh ones stay. The Cron Trigger is fired by hand (`wrangler dev
// --test-scheduled`, tests/harness.mjs); the R2 objects are read back with `wrangler r2 object get`.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { get as httpGet } from 'node:http';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startWorker, query, newKey, postJson, http, root } from './harness.mjs';

const jpeg = readFileSync(join(root, 'tests', 'fixtures', 'plain.jpg'));
const DAY = 24 * 60 * 60 * 1000;

let w;
before(async () => { w = await startWorker(); });
after(async () => { await w?.stop(); });

async function upload(key) {
  const res = await http(`${w.base}/api/uploads?key=${key}&slot=0`, { method: 'POST', headers: { 'content-type': 'image/jpeg' }, body: jpeg });
  const text = await res.text();
  assert.equal(res.status, 201, text);
  return JSON.parse(text).id;
}

/** Whether R2 (local, this worker's state) holds `key`. */
function inR2(key) {
  const dir = mkdtempSync(join(tmpdir(), 'ql-r2-'));
  try {
    execFileSync(join(root, 'node_modules', '.bin', 'wrangler'), ['r2', 'object', 'get', `qinglang-evidence/${key}`, '--local',
      '--persist-to', w.stateDir, '--file', join(dir, 'o')], {
      cwd: root, stdio: 'pipe', env: { ...process.env, CLOUDFLARE_CF_FETCH_ENABLED: 'false', WRANGLER_SEND_METRICS: 'false' },
    });
    return readFileSync(join(dir, 'o')).equals(jpeg);
  } catch {
    return false;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const fire = () => new Promise((resolve, reject) => {
  // node:http: fetch's `Sec-Fetch-Mode: navigate` would be answered by the static-assets layer.
  httpGet(`${w.base}/__scheduled?cron=*/5+*+*+*+*`, { agent: false }, (res) => { res.resume(); res.on('end', () => resolve(res.statusCode)); }).on('error', reject);
});

test('the cron deletes pictures never attached to a report after 24 h, rows and R2 objects, and nothing else', async () => {
  const [stale, filed, fresh] = [newKey(), newKey(), newKey()];
  const ids = { stale: await upload(stale), filed: await upload(filed), fresh: await upload(fresh) };
  const created = await postJson(`${w.base}/api/reports`, {
    idempotency_key: filed, category: 'spitting', description: '地铁口有人随地吐痰', district: 'nanshan', evidence: [ids.filed],
  });
  assert.equal(created.status, 201, created.text);
  // Two of them are two days old; one of those belongs to a filed report.
  query(w.stateDir, `UPDATE uploads SET created_at = created_at - ${2 * DAY} WHERE id IN ('${ids.stale}', '${ids.filed}')`);
  const r2 = Object.fromEntries(query(w.stateDir, 'SELECT id, r2_key FROM uploads').map((r) => [r.id, r.r2_key]));
  assert.ok(inR2(r2[ids.stale]) && inR2(r2[ids.filed]) && inR2(r2[ids.fresh]), 'all three stored');

  assert.equal(await fire(), 200);
  const deadline = Date.now() + 10_000;
  while (!/uploads: 1 unattached deleted|uploads sweep/.test(w.log()) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  assert.match(w.log(), /uploads: 1 unattached deleted/);
  const left = query(w.stateDir, 'SELECT id FROM uploads ORDER BY id').map((r) => r.id).sort();
  assert.deepEqual(left, [ids.filed, ids.fresh].sort());
  assert.equal(inR2(r2[ids.stale]), false, 'the stale picture is gone from R2');
  assert.ok(inR2(r2[ids.filed]) && inR2(r2[ids.fresh]), 'the filed and the fresh ones stay');

  // A second run has nothing to do.
  assert.equal(await fire(), 200);
  assert.equal(query(w.stateDir, 'SELECT COUNT(*) AS n FROM uploads')[0].n, 2);
});
