// The public figures are computed from one row per case, so the worker serves them from the data
// centre's cache for STATS_MAX_AGE_S seconds (wrangler.toml: 60; the other suites run with 0 so that
// they can compare the figures with D1 at once). Here: a one-hour window, so a new report does not
// show until the window ends, and browsers are told how long they may keep the answer.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startWorker, newKey, postJson, http } from './harness.mjs';

const WINDOW_S = 3600;
let w;
before(async () => { w = await startWorker({ vars: { STATS_MAX_AGE_S: String(WINDOW_S) } }); });
after(async () => { await w?.stop(); });

test('within one window the figures come from the cache; the answer says how long it may be kept', async () => {
  // Windows are aligned to the clock: do not start in the last half minute of one.
  const left = WINDOW_S - ((Date.now() / 1000) % WINDOW_S);
  if (left < 30) await new Promise((r) => setTimeout(r, left * 1000 + 500));
  const first = await http(`${w.base}/api/stats`);
  assert.equal(first.status, 200);
  assert.equal(first.headers.get('x-qinglang-cache'), 'miss');
  const before = await first.json();
  const maxAge = Number(/max-age=(\d+)/.exec(first.headers.get('cache-control'))?.[1]);
  assert.ok(first.headers.get('cache-control').startsWith('public'), first.headers.get('cache-control'));
  assert.ok(maxAge > 0 && maxAge <= WINDOW_S, `max-age ${maxAge}`);

  const res = await postJson(`${w.base}/api/reports`, { idempotency_key: newKey(), category: 'fraud', description: '冒充客服让人转账解冻账户。' });
  assert.equal(res.status, 201, res.text);
  const second = await http(`${w.base}/api/stats`);
  assert.equal(second.headers.get('x-qinglang-cache'), 'hit');
  assert.deepEqual(await second.json(), before, 'the cached figures, not yet counting the new report');
  assert.ok(Number(/max-age=(\d+)/.exec(second.headers.get('cache-control'))?.[1]) <= maxAge);
});
