// The public figures are computed from one row per case, so the worker keeps the last figures in
// the data centre's cache and serves them for STATS_MAX_AGE_S seconds (wrangler.toml: 60; the other
// suites run with 0 so that they can compare the figures with D1 at once). Older figures are still
// served — nobody waits for the computation but the first visitor — while one request builds the
// next ones after answering.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startWorker, newKey, postJson, http } from './harness.mjs';

const maxAgeOf = (res) => Number(/max-age=(\d+)/.exec(res.headers.get('cache-control'))?.[1]);

async function fileReport(w) {
  const res = await postJson(`${w.base}/api/reports`, { idempotency_key: newKey(), category: 'fraud', description: '冒充客服让人转账解冻账户。' });
  assert.equal(res.status, 201, res.text);
}

test('while fresh the figures come from the cache; the answer says how long it may be kept', async () => {
  const WINDOW_S = 3600;
  const w = await startWorker({ vars: { STATS_MAX_AGE_S: String(WINDOW_S) } });
  try {
    const first = await http(`${w.base}/api/stats`);
    assert.equal(first.status, 200);
    assert.equal(first.headers.get('x-qinglang-cache'), 'miss');
    const before = await first.json();
    assert.ok(first.headers.get('cache-control').startsWith('public'), first.headers.get('cache-control'));
    const maxAge = maxAgeOf(first);
    assert.ok(maxAge > WINDOW_S - 60 && maxAge <= WINDOW_S, `max-age ${maxAge}`);

    await fileReport(w);
    const second = await http(`${w.base}/api/stats`);
    assert.equal(second.headers.get('x-qinglang-cache'), 'hit');
    assert.deepEqual(await second.json(), before, 'the cached figures, not yet counting the new report');
    assert.ok(maxAgeOf(second) <= maxAge);
  } finally {
    await w.stop();
  }
});

test('stale figures are served at once and replaced after the answer', async () => {
  const MAX_AGE_S = 2;
  const w = await startWorker({ vars: { STATS_MAX_AGE_S: String(MAX_AGE_S) } });
  try {
    const first = await http(`${w.base}/api/stats`);
    assert.equal(first.headers.get('x-qinglang-cache'), 'miss');
    const before = await first.json();
    await fileReport(w);
    await new Promise((r) => setTimeout(r, MAX_AGE_S * 1000 + 300));

    const stale = await http(`${w.base}/api/stats`);
    assert.equal(stale.headers.get('x-qinglang-cache'), 'stale');
    assert.deepEqual(await stale.json(), before, 'the old figures, served without waiting');
    assert.equal(maxAgeOf(stale), 1, 'browsers keep stale figures for a second only');

    // The refresh started by the stale answer stores figures that count the new report.
    let latest;
    const deadline = Date.now() + 15_000;
    for (;;) {
      const res = await http(`${w.base}/api/stats`);
      const state = res.headers.get('x-qinglang-cache');
      const body = await res.json();
      assert.notEqual(state, 'miss', 'the entry is never dropped while it is refreshed');
      if (state === 'hit') { latest = body; break; }
      assert.deepEqual(body, before, 'until the refresh lands, the old figures');
      assert.ok(Date.now() < deadline, 'the refresh stored new figures within 15 s');
      await new Promise((r) => setTimeout(r, 100));
    }
    assert.equal(latest.received, before.received + 1);
    assert.equal(latest.pending, before.pending + 1);
  } finally {
    await w.stop();
  }
});
