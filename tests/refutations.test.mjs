// Rumour refutations against the real worker under `wrangler dev` and the real local D1: the editor's
// API with every refusal, the public API (paging, filters, Chinese search), edge caching that never
// serves a stale page after a change, the Atom feed parsed by a real feed parser (Python feedparser),
// the JSON Feed checked against the JSON Feed 1.1 spec, the article page's head as a crawler sees it (no JS), the
// partner push with signature checks and a retry, and the "already refuted" match on a report.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer } from 'node:http';
import { join } from 'node:path';
import { startWorker, query, newKey, postJson, http, root, launchChromium } from './harness.mjs';
import { hashPassword } from '../scripts/create-admin.mjs';

const PASSWORD = 'correct horse battery staple';
let w;
const sessions = {};

before(async () => {
  w = await startWorker();
  execFileSync('node', [join(root, 'scripts', 'create-admin.mjs'), 'admin', '--name', '管理员', '--persist-to', w.stateDir], {
    cwd: root, env: { ...process.env, QL_PASSWORD: PASSWORD }, stdio: 'pipe',
  });
  const values = [['editor', 'editor'], ['editor2', 'editor'], ['handler', 'handler'], ['supervisor', 'supervisor']].map(([u, role]) => {
    const { hash, salt } = hashPassword(PASSWORD);
    return `('${u}', '编辑${u}', '${role}', NULL, '${hash}', '${salt}', 100000, 0)`;
  });
  query(w.stateDir, 'INSERT INTO staff (username, display_name, role, department, password_hash, password_salt, ' +
    `password_iterations, created_at) VALUES ${values.join(', ')}`);
  for (const u of ['admin', 'editor', 'editor2', 'handler', 'supervisor']) sessions[u] = await signIn(u);
});
after(async () => { await w?.stop(); });

async function signIn(username) {
  const res = await postJson(`${w.base}/api/staff/session`, { username, password: PASSWORD });
  assert.equal(res.status, 200, res.text);
  return { cookie: res.headers.get('set-cookie').split(';')[0], csrf: res.body.csrf_token };
}

/** A request as `who` (a session name or null): JSON in and out, with the CSRF token unless told otherwise. */
async function call(who, method, path, body, { csrf = true, headers: extra = {} } = {}) {
  const session = who ? sessions[who] : null;
  const headers = { ...extra };
  if (session) headers.cookie = session.cookie;
  if (session && csrf) headers['x-csrf-token'] = session.csrf;
  if (body !== undefined) headers['content-type'] = 'application/json';
  const res = await http(`${w.base}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await res.text();
  let json = null;
  try { json = JSON.parse(text); } catch { /* not JSON */ }
  return { status: res.status, body: json, text, headers: res.headers };
}

const get = (path, headers = {}) => call(null, 'GET', path, undefined, { headers });

/** A complete refutation; `over` replaces fields. */
function content(over = {}) {
  return {
    title: '网传“明天起全市封城”系谣言',
    claim: '明天起全市全面封城，所有小区只进不出，超市全部关门，大家赶紧囤货。',
    claim_url: 'https://weibo.com/1234567890/AbCdEf',
    verdict: 'rumour',
    body: [
      { type: 'paragraph', text: '经核实，该消息系谣言。本市没有任何封城安排，超市正常营业。' },
      { type: 'link', text: '市政府新闻发布会实录', url: 'https://www.example.gov.cn/news/1' },
    ],
    sources: [{ title: '市公安局官方通报', url: 'https://police.example.gov.cn/notice/42' }],
    authority: '南山区公安分局',
    region: 'nanshan',
    tags: ['疫情', '封城'],
    case_ids: [],
    ...over,
  };
}

/** Creates and publishes a refutation as the editor; returns the staff view. */
async function publishNew(over = {}) {
  const created = await call('editor', 'POST', '/api/staff/refutations', content(over));
  assert.equal(created.status, 201, created.text);
  const r = created.body.refutation;
  const published = await call('editor', 'POST', `/api/staff/refutations/${r.id}/publish`, { revision: r.revision });
  assert.equal(published.status, 200, published.text);
  return published.body.refutation;
}

const count = (table) => query(w.stateDir, `SELECT COUNT(*) AS n FROM ${table}`)[0].n;

test('only editors and admins reach the editor API; changes need the CSRF token', async () => {
  assert.equal((await call(null, 'GET', '/api/staff/refutations')).body.error, 'not_signed_in');
  for (const who of ['handler', 'supervisor']) {
    const list = await call(who, 'GET', '/api/staff/refutations');
    assert.equal(list.status, 403);
    assert.equal(list.body.error, 'forbidden');
    const create = await call(who, 'POST', '/api/staff/refutations', content());
    assert.equal(create.status, 403);
    assert.equal((await call(who, 'GET', '/api/staff/partners')).status, 403);
  }
  const noCsrf = await call('editor', 'POST', '/api/staff/refutations', content(), { csrf: false });
  assert.equal(noCsrf.status, 403);
  assert.equal(noCsrf.body.error, 'csrf_token_invalid');
  assert.equal(count('refutations'), 0, 'no refused request stored anything');
  assert.equal((await call('admin', 'GET', '/api/staff/refutations')).status, 200);
});

test('bad content is refused field by field, in the reader\'s language, and stores nothing', async () => {
  const before = count('refutations');
  const table = [
    [{ title: '长'.repeat(101) }, 'title', 'field_too_long'],
    [{ verdict: 'maybe' }, 'verdict', 'unknown_verdict'],
    [{ claim_url: 'javascript:alert(1)' }, 'claim_url', 'link_scheme'],
    [{ body: [{ type: 'link', text: 'x', url: 'not a url' }] }, 'body.0.url', 'link_invalid'],
    [{ body: [{ type: 'image', url: 'http://img.example.cn/a.png' }] }, 'body.0.url', 'link_scheme'],
    [{ sources: [{ title: '', url: 'https://a.example.cn' }] }, 'sources.0.title', 'field_required'],
    [{ region: 'atlantis' }, 'region', 'unknown_district'],
    [{ tags: ['ok', 'two words'] }, 'tags.1', 'tag_invalid'],
    [{ tags: Array.from({ length: 11 }, (_, i) => `t${i}`) }, 'tags', 'too_many_items'],
    [{ case_ids: [99999] }, 'case_ids.0', 'unknown_case'],
  ];
  for (const [over, field, code] of table) {
    const res = await call('editor', 'POST', '/api/staff/refutations', content(over), { headers: { 'accept-language': 'en' } });
    assert.equal(res.status, 400, `${field}: ${res.text}`);
    assert.deepEqual([res.body.error, res.body.field], [code, field]);
    assert.match(res.body.message, /^[\x20-\x7e]+$/, 'an English sentence');
  }
  const zh = await call('editor', 'POST', '/api/staff/refutations', content({ verdict: 'maybe' }));
  assert.equal(zh.body.message, '请从列表中选择核查结论。');
  const unknownField = await call('editor', 'POST', '/api/staff/refutations', { ...content(), secret: 1 });
  assert.equal(unknownField.body.error, 'bad_json');
  assert.equal(count('refutations'), before);
});

test('draft → update → preview → publish → update with note → unpublish, every step audited', async () => {
  // An incomplete draft is fine to save and says what stops publishing.
  const created = await call('editor', 'POST', '/api/staff/refutations', { title: '草稿：关于某小区自来水的传言' });
  assert.equal(created.status, 201, created.text);
  let r = created.body.refutation;
  assert.deepEqual([r.status, r.revision], ['draft', 1]);
  assert.deepEqual(created.body.problem, { field: 'claim', error: 'field_required' });
  assert.deepEqual(created.body.allowed_actions, ['save', 'publish']);
  const id = r.id;

  // Publishing it now is refused with the missing field; nothing changes.
  const early = await call('editor', 'POST', `/api/staff/refutations/${id}/publish`, { revision: 1 });
  assert.deepEqual([early.status, early.body.error, early.body.field], [400, 'field_required', 'claim']);
  assert.equal((await get(`/api/refutations/${id}`)).status, 404, 'a draft is not public');
  assert.equal((await get(`/refutations/${id}`)).status, 404, 'nor its page');

  // Complete it; a second editor holding revision 1 is told someone else changed it.
  const full = content({ title: '网传“某小区自来水有毒”不实', claim: '某小区自来水被投毒，喝了会生病，千万别喝！', tags: ['饮水'] });
  const saved = await call('editor', 'PUT', `/api/staff/refutations/${id}`, { revision: 1, content: full });
  assert.equal(saved.status, 200, saved.text);
  assert.equal(saved.body.refutation.revision, 2);
  assert.equal(saved.body.problem, null);
  const stale = await call('editor2', 'PUT', `/api/staff/refutations/${id}`, { revision: 1, content: full });
  assert.deepEqual([stale.status, stale.body.error], [409, 'refutation_changed']);

  // The preview is exactly what publishing shows: the public JSON and the head.
  const preview = await call('editor', 'GET', `/api/staff/refutations/${id}/preview`);
  assert.equal(preview.status, 200, preview.text);
  assert.equal(preview.body.revision, 2);
  assert.equal(preview.body.article.title, full.title);
  assert.equal(preview.body.article.verdict.name_zh_hans, '谣言');
  assert.equal(preview.body.article.case_ids, undefined, 'linked cases are never public');
  const ld = JSON.parse(preview.body.head.json_ld);
  assert.equal(ld['@type'], 'ClaimReview');

  // Publishing the previewed revision; publishing again is the wrong state.
  const published = await call('editor', 'POST', `/api/staff/refutations/${id}/publish`, { revision: 2 });
  assert.equal(published.status, 200, published.text);
  r = published.body.refutation;
  assert.equal(r.status, 'published');
  assert.ok(r.published_at > 0);
  const pub = await get(`/api/refutations/${id}`);
  assert.equal(pub.status, 200);
  const { published_at: _p, ...previewed } = preview.body.article;
  const { published_at: _q, ...shown } = pub.body;
  assert.deepEqual(shown, previewed, 'the public article is what the preview showed');
  const again = await call('editor', 'POST', `/api/staff/refutations/${id}/publish`, { revision: 3 });
  assert.deepEqual([again.status, again.body.error], [409, 'refutation_wrong_state']);

  // An update of a published refutation needs a note, which readers see.
  const noNote = await call('editor', 'PUT', `/api/staff/refutations/${id}`, { revision: 3, content: full });
  assert.deepEqual([noNote.status, noNote.body.error, noNote.body.field], [400, 'update_note_required', 'note']);
  const incomplete = await call('editor', 'PUT', `/api/staff/refutations/${id}`, { revision: 3, content: { ...full, authority: '' }, note: '删去发布单位' });
  assert.deepEqual([incomplete.status, incomplete.body.field], [400, 'authority']);
  const updated = await call('editor', 'PUT', `/api/staff/refutations/${id}`, {
    revision: 3, content: { ...full, sources: [...full.sources, { title: '自来水公司检测报告', url: 'https://water.example.cn/r/1' }] }, note: '补充检测报告',
  });
  assert.equal(updated.status, 200, updated.text);
  const afterUpdate = await get(`/api/refutations/${id}`);
  assert.equal(afterUpdate.body.update_note, '补充检测报告');
  assert.equal(afterUpdate.body.sources.length, 2);
  assert.ok(afterUpdate.body.revised_at >= afterUpdate.body.published_at);

  // Unpublishing needs a reason; then it is gone from everything public.
  const noReason = await call('editor', 'POST', `/api/staff/refutations/${id}/unpublish`, { revision: 4, reason: ' ' });
  assert.deepEqual([noReason.status, noReason.body.error], [400, 'reason_required']);
  const down = await call('admin', 'POST', `/api/staff/refutations/${id}/unpublish`, { revision: 4, reason: '检测报告待复核' });
  assert.equal(down.status, 200, down.text);
  assert.equal(down.body.refutation.unpublish_reason, '检测报告待复核');
  assert.equal((await get(`/api/refutations/${id}`)).status, 404);
  assert.equal((await get(`/refutations/${id}`)).status, 404);
  const list = await get('/api/refutations?limit=50');
  assert.ok(!list.body.items.some((i) => i.id === id));

  // The history has every change, who made it, and the content of each revision.
  const history = await call('editor', 'GET', `/api/staff/refutations/${id}/history`);
  assert.equal(history.status, 200);
  assert.deepEqual(history.body.events.map((e) => [e.kind, e.revision, e.actor_name]), [
    ['created', 1, '编辑editor'], ['saved', 2, '编辑editor'], ['published', 3, '编辑editor'],
    ['updated', 4, '编辑editor'], ['unpublished', 5, '管理员'],
  ]);
  assert.equal(history.body.events[3].note, '补充检测报告');
  assert.equal(history.body.events[3].content.sources.length, 2);
  assert.equal(history.body.events[0].content.title, '草稿：关于某小区自来水的传言');

  // The console's list has drafts and withdrawn ones; filtered by status.
  const staffList = await call('editor', 'GET', '/api/staff/refutations?status=unpublished');
  assert.ok(staffList.body.items.some((i) => i.id === id && i.status === 'unpublished'));
  assert.equal((await call('editor', 'GET', '/api/staff/refutations?status=nope')).body.field, 'status');
});

test('the public API: newest first, keyset paging, tag and region filters, Chinese substring search', async () => {
  const a = await publishNew({ title: '高考延期系谣言', claim: '今年高考推迟一个月举行', tags: ['高考'], region: 'dongcheng' });
  const b = await publishNew({ title: '“地铁停运”不实', claim: '全市地铁明日起全线停运', verdict: 'false', tags: ['交通'], region: 'nanshan' });
  const c = await publishNew({ title: '拆迁补偿标准的说法属片面', claim: '拆迁补偿一律按旧标准执行', verdict: 'one_sided', tags: ['拆迁', '高考'], region: 'nanshan' });
  const first = await get('/api/refutations?limit=2');
  assert.equal(first.status, 200);
  assert.deepEqual(first.body.items.map((i) => i.id), [c.id, b.id]);
  assert.ok(first.body.next);
  const second = await get(`/api/refutations?limit=2&after=${first.body.next}`);
  assert.equal(second.body.items[0].id, a.id);
  assert.equal(first.body.items[0].body, undefined, 'lists carry summaries');

  const ids = async (qs) => (await get(`/api/refutations?${qs}`)).body.items.map((i) => i.id);
  assert.deepEqual(await ids(`tag=${encodeURIComponent('高考')}`), [c.id, a.id]);
  assert.deepEqual(await ids(`tag=${encodeURIComponent('#高考')}`), [c.id, a.id], 'a leading # is ignored');
  assert.deepEqual(await ids('region=nanshan&limit=50').then((l) => l.filter((id) => [a.id, b.id, c.id].includes(id))), [c.id, b.id]);
  assert.deepEqual(await ids(`tag=${encodeURIComponent('高考')}&region=dongcheng`), [a.id]);
  // Substrings of three or more characters (trigram index), one or two (gram index), several terms,
  // traditional characters, and full-width letters.
  assert.deepEqual(await ids(`q=${encodeURIComponent('全线停')}`), [b.id]);
  assert.deepEqual(await ids(`q=${encodeURIComponent('地铁')}`), [b.id]);
  assert.deepEqual(await ids(`q=${encodeURIComponent('拆')}`), [c.id]);
  assert.deepEqual(await ids(`q=${encodeURIComponent('高考 推迟')}`), [a.id]);
  assert.deepEqual(await ids(`q=${encodeURIComponent('地铁 全线停')}`), [b.id], 'a short and a long term together');
  assert.deepEqual(await ids(`q=${encodeURIComponent('地鐵停運')}`), [b.id], 'traditional finds simplified');
  assert.deepEqual(await ids(`q=${encodeURIComponent('补偿标准')}&tag=${encodeURIComponent('拆迁')}`), [c.id]);
  assert.deepEqual(await ids(`q=${encodeURIComponent('没有这种说法')}`), []);

  const latest = await get('/api/refutations/latest?n=2');
  assert.deepEqual(latest.body.items.map((i) => i.id), [c.id, b.id]);
  const tags = await get('/api/refutations/tags');
  assert.deepEqual(tags.body.tags.find((t) => t.tag === '高考'), { tag: '高考', count: 2 });

  for (const [qs, field, code] of [
    ['limit=0', 'limit', 'bad_json'], ['limit=51', 'limit', 'bad_json'], ['after=x', 'after', 'bad_json'],
    ['region=atlantis', 'region', 'unknown_district'], [`tag=${encodeURIComponent('a b')}`, 'tag', 'tag_invalid'],
    [`q=${'长'.repeat(51)}`, 'q', 'field_too_long'], ['sort=old', 'sort', 'bad_json'],
  ]) {
    const res = await get(`/api/refutations?${qs}`);
    assert.deepEqual([res.status, res.body.field, res.body.error], [400, field, code], qs);
  }
  assert.equal((await get('/api/refutations/latest?n=21')).status, 400);
  assert.equal((await get('/api/refutations/abc')).status, 404);
});

test('public answers are cached at the edge and a publish or unpublish shows at once', async () => {
  const path = `/api/refutations?tag=${encodeURIComponent('缓存')}`;
  const empty = await get(path);
  assert.equal(empty.headers.get('x-qinglang-cache'), 'miss');
  assert.equal((await get(path)).headers.get('x-qinglang-cache'), 'hit', 'the second read does not reach D1');
  const etag = empty.headers.get('etag');
  assert.equal((await get(path, { 'if-none-match': etag })).status, 304);

  const r = await publishNew({ title: '缓存测试：网传停水通知不实', tags: ['缓存'] });
  const fresh = await get(path);
  assert.deepEqual(fresh.body.items.map((i) => i.id), [r.id], 'visible right after publishing');
  assert.notEqual(fresh.headers.get('etag'), etag);
  assert.equal((await get(path, { 'if-none-match': etag })).status, 200, 'the old version is not current');
  const page = await get(`/refutations/${r.id}`);
  assert.equal(page.status, 200);
  assert.equal((await get(`/refutations/${r.id}`)).headers.get('x-qinglang-cache'), 'hit');

  const down = await call('editor', 'POST', `/api/staff/refutations/${r.id}/unpublish`, { revision: r.revision, reason: '测试撤回' });
  assert.equal(down.status, 200, down.text);
  assert.deepEqual((await get(path)).body.items, [], 'gone right after unpublishing');
  assert.equal((await get(`/refutations/${r.id}`)).status, 404);
  assert.equal((await get(`/api/refutations/${r.id}`)).status, 404);
});

/** Runs Python's feedparser on a document and returns what it read. */
function feedparser(text, contentType = 'application/atom+xml') { // feedparser 6 reads Atom, not JSON Feed
  const script = `
import json, sys, feedparser
d = feedparser.parse(sys.stdin.buffer.read(), response_headers={"content-type": sys.argv[1]})
print(json.dumps({
  "bozo": bool(d.bozo), "error": str(d.get("bozo_exception", "")), "version": d.version,
  "title": d.feed.get("title"), "links": [l.get("href") for l in d.feed.get("links", [])],
  "entries": [{"id": e.get("id"), "title": e.get("title"), "link": e.get("link"),
               "published": e.get("published"), "updated": e.get("updated"),
               "author": e.get("author"), "tags": [t.get("term") for t in e.get("tags", [])],
               "content": (e.get("content") or [{}])[0].get("value", "")} for e in d.entries],
}))`;
  const python = join(root, 'target', 'test-venv', 'bin', 'python');
  return JSON.parse(execFileSync(python, ['-c', script, contentType], { input: text }).toString());
}

test('RSS 2.0 parses in a real feed parser: the same entries as Atom, dates in RFC 822', async () => {
  const r = await publishNew({ title: '网传“地铁停运”不实', claim: '地铁全线明天停运', tags: ['地铁停运'] });
  const rss = await get('/refutations/feed.rss');
  assert.equal(rss.status, 200);
  assert.match(rss.headers.get('content-type'), /^application\/rss\+xml/);
  assert.match(rss.headers.get('content-security-policy'), /default-src 'none'/);
  const parsed = feedparser(rss.text, 'application/rss+xml');
  assert.equal(parsed.bozo, false, parsed.error);
  assert.equal(parsed.version, 'rss20');
  assert.equal(parsed.title, '清朗辟谣');
  const entry = parsed.entries.find((e) => e.link === `${w.base}/refutations/${r.id}`);
  assert.ok(entry, 'the new refutation is in the feed');
  assert.equal(entry.id, `${w.base}/refutations/${r.id}`);
  assert.equal(entry.title, '【谣言】网传“地铁停运”不实');
  assert.ok(entry.tags.includes('地铁停运'));
  // RSS carries the article in <description> (escaped HTML), which feedparser reads as the summary.
  assert.match(rss.text, /<description>[^<]*地铁全线明天停运/);
  assert.match(rss.text, /<pubDate>(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d\d (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4} \d\d:\d\d:\d\d GMT<\/pubDate>/);
  const atom = feedparser((await get('/refutations/feed.atom')).text);
  assert.deepEqual(parsed.entries.map((e) => e.link), atom.entries.map((e) => e.link), 'RSS and Atom list the same articles');
  // A tag no other test uses: the feed for it holds this article alone.
  const perTag = feedparser((await get(`/refutations/feed.rss?tag=${encodeURIComponent('地铁停运')}`)).text, 'application/rss+xml');
  assert.deepEqual(perTag.entries.map((e) => e.link), [`${w.base}/refutations/${r.id}`]);
});

test('the sitemap index names every published article once, in files of at most 10,000', async () => {
  const r = await publishNew({ title: '网传“水库决堤”不实', claim: '水库决堤了快跑' });
  const index = await get('/sitemap.xml');
  assert.equal(index.status, 200);
  assert.match(index.headers.get('content-type'), /^application\/xml/);
  const files = [...index.text.matchAll(/<loc>([^<]+)<\/loc>/g)].map((m) => m[1]);
  assert.deepEqual(files, [`${w.base}/sitemaps/pages.xml`, `${w.base}/sitemaps/refutations-1.xml`]);
  const pages = await get('/sitemaps/pages.xml');
  assert.equal(pages.status, 200);
  assert.ok(pages.text.includes(`<loc>${w.base}/refutations</loc>`));
  const articles = await get('/sitemaps/refutations-1.xml');
  assert.equal(articles.status, 200);
  const urls = [...articles.text.matchAll(/<url><loc>([^<]+)<\/loc><lastmod>(\d{4}-\d\d-\d\d)<\/lastmod><\/url>/g)].map((m) => m[1]);
  const published = query(w.stateDir, "SELECT id FROM refutations WHERE status = 'published' ORDER BY pub_seq").map((row) => `${w.base}/refutations/${row.id}`);
  assert.deepEqual(urls, published, 'every published refutation, in publication order');
  assert.ok(urls.includes(`${w.base}/refutations/${r.id}`));
  assert.ok(!articles.text.includes('draft'), 'no drafts');
  for (const missing of ['/sitemaps/refutations-2.xml', '/sitemaps/refutations-0.xml', '/sitemaps/refutations-x.xml', '/sitemaps/other.xml']) {
    assert.equal((await get(missing)).status, 404, missing);
  }
});

test('Atom and JSON Feed parse in a real feed parser and meet their specs', async () => {
  const r = await publishNew({ title: '网传“学校停课”不实 <b>&</b>', claim: '全市中小学下周停课', tags: ['教育'], region: 'beihu' });
  const atom = await get('/refutations/feed.atom');
  assert.equal(atom.status, 200);
  assert.match(atom.headers.get('content-type'), /^application\/atom\+xml/);
  const parsed = feedparser(atom.text);
  assert.equal(parsed.bozo, false, parsed.error);
  assert.equal(parsed.version, 'atom10');
  assert.equal(parsed.title, '清朗辟谣');
  const entry = parsed.entries.find((e) => e.link === `${w.base}/refutations/${r.id}`);
  assert.ok(entry, 'the new refutation is in the feed');
  assert.equal(entry.title, '【谣言】网传“学校停课”不实 <b>&</b>', 'markup in a title is text, not markup');
  assert.equal(entry.author, '南山区公安分局');
  assert.ok(entry.tags.includes('教育'));
  assert.match(entry.content, /全市中小学下周停课/);
  assert.match(entry.published, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);

  const perTag = feedparser((await get(`/refutations/feed.atom?tag=${encodeURIComponent('教育')}`)).text);
  assert.deepEqual(perTag.entries.map((e) => e.link), [`${w.base}/refutations/${r.id}`]);
  assert.match(perTag.title, /#教育/);
  const perRegion = feedparser((await get('/refutations/feed.atom?region=beihu')).text);
  assert.deepEqual(perRegion.entries.map((e) => e.link), [`${w.base}/refutations/${r.id}`]);
  assert.equal((await get('/refutations/feed.atom?region=atlantis')).status, 400);

  const json = await get('/refutations/feed.json?region=beihu');
  assert.match(json.headers.get('content-type'), /^application\/feed\+json/);
  const feed = json.body;
  // JSON Feed 1.1: version and title required; items required; each item has a string id and
  // content_html or content_text; dates are RFC 3339; authors are objects with a name.
  assert.equal(feed.version, 'https://jsonfeed.org/version/1.1');
  assert.equal(typeof feed.title, 'string');
  assert.equal(feed.feed_url, `${w.base}/refutations/feed.json?region=beihu`);
  assert.ok(Array.isArray(feed.items) && feed.items.length === 1);
  for (const item of feed.items) {
    assert.equal(typeof item.id, 'string');
    assert.ok(typeof item.content_html === 'string' || typeof item.content_text === 'string');
    assert.match(item.date_published, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    assert.ok(item.authors.every((a) => typeof a.name === 'string'));
    for (const key of Object.keys(item)) {
      assert.ok(key.startsWith('_') || ['id', 'url', 'external_url', 'title', 'content_html', 'content_text', 'summary',
        'image', 'banner_image', 'date_published', 'date_modified', 'authors', 'tags', 'language', 'attachments'].includes(key), key);
    }
  }
  assert.equal(feed.items[0]._claim_review.verdict, 'rumour');
});

test('an article URL fetched without JavaScript carries the head, ClaimReview JSON-LD and the text', async () => {
  const evil = '谣言</script><script>alert(1)</script> "quoted" & \'single\'';
  const r = await publishNew({ title: `网传${evil}`, claim: `有人说${evil}` });
  const res = await http(`${w.base}/refutations/${r.id}`, { headers: { 'user-agent': 'facebookexternalhit/1.1' } });
  assert.equal(res.status, 200);
  assert.match(res.headers.get('content-type'), /^text\/html/);
  const csp = res.headers.get('content-security-policy');
  assert.match(csp, /script-src 'self' 'wasm-unsafe-eval'/, 'the page keeps the strict policy');
  const html = await res.text();

  // Exactly one script element of our JSON-LD, and no injected script anywhere.
  assert.equal((html.match(/<script[^>]*>alert\(1\)/g) ?? []).length, 0);
  const blocks = [...html.matchAll(/<script type="application\/ld\+json">([\s\S]*?)<\/script>/g)];
  assert.equal(blocks.length, 1);
  const ld = JSON.parse(blocks[0][1]);
  assert.equal(ld['@context'], 'https://schema.org');
  assert.equal(ld['@type'], 'ClaimReview');
  assert.equal(ld.claimReviewed, `有人说${evil}`, 'the claim survives escaping intact');
  assert.equal(ld.url, `${w.base}/refutations/${r.id}`);
  assert.deepEqual(ld.reviewRating, { '@type': 'Rating', ratingValue: 1, bestRating: 5, worstRating: 1, alternateName: '谣言' });
  assert.deepEqual(ld.author, { '@type': 'Organization', name: '南山区公安分局' });
  assert.match(ld.datePublished, /^\d{4}-\d\d-\d\dT/);
  assert.deepEqual(ld.itemReviewed, { '@type': 'Claim', appearance: [{ '@type': 'CreativeWork', url: 'https://weibo.com/1234567890/AbCdEf' }] });

  const meta = (attr, name) => html.match(new RegExp(`<meta ${attr}="${name}" content="([^"]*)">`))?.[1];
  const unescape = (s) => s.replaceAll('&lt;', '<').replaceAll('&gt;', '>').replaceAll('&quot;', '"').replaceAll('&#39;', "'").replaceAll('&amp;', '&');
  assert.equal(unescape(meta('property', 'og:title')), `网传${evil}`);
  assert.equal(meta('property', 'og:type'), 'article');
  assert.equal(meta('property', 'og:url'), `${w.base}/refutations/${r.id}`);
  assert.match(meta('name', 'description'), /经核实，该消息系谣言/);
  // Issue 17: chat apps show a share card only with a picture. Without one in the article, the
  // site's share card, which the static assets really serve as a PNG.
  assert.equal(meta('property', 'og:image'), `${w.base}/icons/share-card.png`);
  assert.equal(meta('property', 'og:image:width'), '1200');
  const card = await http(`${w.base}/icons/share-card.png`);
  assert.equal(card.status, 200);
  assert.equal(card.headers.get('content-type'), 'image/png');
  assert.deepEqual([...new Uint8Array(await card.arrayBuffer()).slice(0, 4)], [0x89, 0x50, 0x4e, 0x47]);
  assert.equal((html.match(/<meta name="description"/g) ?? []).length, 1, 'the shell\'s own description is replaced');
  assert.match(html, new RegExp(`<link rel="canonical" href="${w.base}/refutations/${r.id}">`));
  assert.match(html, /<title>网传谣言&lt;\/script&gt;&lt;script&gt;alert\(1\)&lt;\/script&gt; &quot;quoted&quot; &amp; &#39;single&#39; · 清朗辟谣<\/title>/);
  // The text itself, for readers without JavaScript, inside #boot (the SPA replaces it).
  const bootAt = html.indexOf('id="boot"');
  const articleAt = html.indexOf('<article class="card refutation-static"');
  assert.ok(bootAt > 0 && articleAt > bootAt);
  assert.match(html, /<p>经核实，该消息系谣言。本市没有任何封城安排，超市正常营业。<\/p>/);
  assert.match(html, /<a href="https:\/\/police\.example\.gov\.cn\/notice\/42" rel="noopener noreferrer">市公安局官方通报<\/a>/);
  // The SPA (the reader bundle) still boots from it.
  assert.match(html, /<html lang="zh-Hans" data-bundle="reader">/);
  assert.match(html, /<script type="module" src="\/boot\.js"><\/script>/);

  for (const path of ['/refutations/999999', '/refutations/abc']) {
    const missing = await http(`${w.base}${path}`);
    assert.equal(missing.status, 404, path);
    const body = await missing.text();
    assert.match(body, /没有找到这条辟谣信息/);
    assert.match(body, /<meta name="robots" content="noindex">/);
  }
});

/** A loopback webhook receiver; `fail` answers 500 to the first `fail` requests. */
async function receiver({ fail = 0 } = {}) {
  const received = [];
  let n = 0;
  const server = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (d) => { body += d; });
    req.on('end', () => {
      n += 1;
      received.push({ headers: req.headers, body });
      res.statusCode = n <= fail ? 500 : 204;
      res.end();
    });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${server.address().port}/hook`, received, close: () => new Promise((r) => server.close(r)) };
}

/** Checks a push the way a partner must: HMAC-SHA256 over `timestamp.body` with its secret. */
function verify(push, secret) {
  const ts = push.headers['x-qinglang-timestamp'];
  const expected = `sha256=${createHmac('sha256', secret).update(`${ts}.${push.body}`).digest('hex')}`;
  const got = push.headers['x-qinglang-signature'] ?? '';
  return got.length === expected.length && timingSafeEqual(Buffer.from(got), Buffer.from(expected))
    && Math.abs(Date.now() / 1000 - Number(ts)) < 300;
}

async function waitFor(check, what) {
  const deadline = Date.now() + 15_000;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

test('partners receive signed pushes on publish, update and unpublish; a failure is retried', async () => {
  const good = await receiver();
  const flaky = await receiver({ fail: 1 });
  try {
    // Registration: checked input, the secret shown once.
    assert.equal((await call('editor', 'POST', '/api/staff/partners', { name: '', url: good.url })).body.field, 'name');
    assert.equal((await call('editor', 'POST', '/api/staff/partners', { name: 'x', url: 'http://partner.example.cn/h' })).body.error, 'link_scheme');
    assert.equal((await call('handler', 'POST', '/api/staff/partners', { name: 'x', url: good.url })).status, 403);
    const a = await call('editor', 'POST', '/api/staff/partners', { name: '合作网站甲', url: good.url });
    assert.equal(a.status, 201, a.text);
    assert.match(a.body.secret, /^[0-9a-f]{64}$/);
    const b = await call('admin', 'POST', '/api/staff/partners', { name: '合作网站乙', url: flaky.url });
    assert.equal(b.status, 201, b.text);
    const listed = await call('editor', 'GET', '/api/staff/partners');
    assert.ok(listed.body.partners.length >= 2);
    assert.ok(!listed.text.includes(a.body.secret), 'the secret is never shown again');
    assert.ok(!JSON.stringify(query(w.stateDir, 'SELECT * FROM partners')).includes(a.body.secret), 'nor stored');

    const r = await publishNew({ title: '推送测试：网传停电通知不实' });
    await waitFor(() => good.received.length >= 1, 'the first push');
    const push = good.received[0];
    assert.ok(verify(push, a.body.secret), 'the signature checks out with the partner\'s secret');
    assert.ok(!verify(push, b.body.secret), 'and not with another');
    assert.equal(push.headers['x-qinglang-event'], 'refutation.published');
    const payload = JSON.parse(push.body);
    assert.equal(payload.refutation_id, r.id);
    assert.equal(payload.refutation.title, '推送测试：网传停电通知不实');
    assert.equal(payload.url, `${w.base}/refutations/${r.id}`);

    // The flaky partner failed once: the delivery waits with one attempt, then the cron retries it.
    await waitFor(() => flaky.received.length >= 1, 'the flaky partner\'s first attempt');
    const pending = await waitFor(async () => {
      const d = (await call('editor', 'GET', `/api/staff/partners/${b.body.partner.id}/deliveries`)).body.deliveries[0];
      return d?.attempts === 1 ? d : null;
    }, 'the failed attempt to be recorded');
    assert.deepEqual([pending.status, pending.last_status], ['pending', 500]);
    assert.ok(pending.next_attempt_at > Date.now() + 30_000, 'backs off');
    // Time passes (the retry is due), and the cron runs.
    query(w.stateDir, `UPDATE webhook_deliveries SET next_attempt_at = 0 WHERE id = ${pending.id}`);
    assert.equal((await http(`${w.base}/__scheduled?cron=${encodeURIComponent('*/5 * * * *')}`)).status, 200);
    const retried = await waitFor(async () => {
      const d = (await call('editor', 'GET', `/api/staff/partners/${b.body.partner.id}/deliveries`)).body.deliveries[0];
      return d?.status === 'delivered' ? d : null;
    }, 'the retry');
    assert.equal(retried.attempts, 2);
    assert.equal(flaky.received.length, 2);
    assert.equal(flaky.received[1].headers['x-qinglang-delivery'], flaky.received[0].headers['x-qinglang-delivery']);
    assert.ok(verify(flaky.received[1], b.body.secret));

    // Update and unpublish are pushed too.
    const upd = await call('editor', 'PUT', `/api/staff/refutations/${r.id}`, { revision: r.revision, content: content({ title: '推送测试：更新' }), note: '改标题' });
    assert.equal(upd.status, 200, upd.text);
    await waitFor(() => good.received.length >= 2, 'the update push');
    assert.equal(good.received[1].headers['x-qinglang-event'], 'refutation.updated');
    const down = await call('editor', 'POST', `/api/staff/refutations/${r.id}/unpublish`, { revision: r.revision + 1, reason: '测试' });
    assert.equal(down.status, 200, down.text);
    await waitFor(() => good.received.length >= 3, 'the unpublish push');
    assert.equal(good.received[2].headers['x-qinglang-event'], 'refutation.unpublished');
    assert.equal(JSON.parse(good.received[2].body).refutation, null);
    assert.ok(good.received.every((p) => verify(p, a.body.secret)));

    // A removed partner gets nothing more.
    assert.equal((await call('editor', 'DELETE', `/api/staff/partners/${a.body.partner.id}`)).status, 204);
    const before = good.received.length;
    await publishNew({ title: '推送测试：移除后' });
    await waitFor(() => flaky.received.length >= 5, 'the remaining partner');
    assert.equal(good.received.length, before);
    assert.equal((await call('editor', 'GET', '/api/staff/partners/9999/deliveries')).status, 404);
  } finally {
    await good.close();
    await flaky.close();
  }
});

test('the match index holds published claims and a report of a refuted rumour shows it on the case', async () => {
  const claim = '紧急通知：本市自来水厂被投毒，今晚十点前千万不要喝自来水，请立即转发给家人朋友！';
  const r = await publishNew({ title: '网传“自来水厂被投毒”系谣言', claim });
  const raw = await http(`${w.base}/api/refutations/index`);
  assert.equal(raw.status, 200);
  assert.equal(raw.headers.get('content-type'), 'application/vnd.qinglang.match-index');
  const index = decodeMatchIndex(Buffer.from(await raw.arrayBuffer()));
  assert.equal(index.minSimilarityPercent, 85);
  const [{ fingerprint }] = query(w.stateDir, `SELECT fingerprint FROM refutations WHERE id = ${r.id}`);
  assert.match(fingerprint, /^[0-9a-f]{16}$/);
  assert.equal(index.entries.get(r.id), BigInt(`0x${fingerprint}`), 'published refutations are in the index with their claim fingerprint');
  const published = query(w.stateDir, "SELECT COUNT(*) AS n FROM refutations WHERE status = 'published' AND fingerprint IS NOT NULL")[0].n;
  assert.equal(index.entries.size, published);
  assert.ok(raw.headers.get('etag'), 'cached by version');

  // The report flow's hint sends only a fingerprint: 9 differing bits still match, 10 do not.
  const flip = (bits) => (BigInt(`0x${fingerprint}`) ^ ((1n << BigInt(bits)) - 1n)).toString(16).padStart(16, '0');
  let match = await get(`/api/refutations/match?fingerprint=${flip(9)}`);
  assert.equal(match.status, 200, match.text);
  assert.equal(match.body.matches[0]?.id, r.id);
  assert.equal(match.body.matches[0].title, '网传“自来水厂被投毒”系谣言');
  assert.equal(match.body.matches[0].distance, 9);
  assert.equal(match.body.matches[0].similarity_percent, 85);
  match = await get(`/api/refutations/match?fingerprint=${flip(10)}`);
  assert.ok(!match.body.matches.some((m) => m.id === r.id), JSON.stringify(match.body));
  for (const bad of ['', '?fingerprint=', '?fingerprint=0123', '?fingerprint=0123456789abcdeg', '?fingerprint=%2B123456789abcdef', '?fingerprint=0123456789abcdef0']) {
    const res = await http(`${w.base}/api/refutations/match${bad}`, { headers: { 'accept-language': 'en' } });
    assert.equal(res.status, 400, bad);
    const body = await res.json();
    assert.equal(body.error, 'bad_json');
    assert.equal(body.field, 'fingerprint');
  }

  // A citizen reports the rumour as it circulates (with its own punctuation and a variant character).
  const report = await postJson(`${w.base}/api/reports`, {
    idempotency_key: newKey(), category: 'rumor',
    description: '紧急通知：本市自来水厂被投毒，今晚十点前千万不要喝自来水，请立即转发给家人朋友!!',
    links: ['https://weibo.com/123/abc'],
  });
  assert.equal(report.status, 201, report.text);
  const [row] = query(w.stateDir, `SELECT id FROM reports WHERE receipt_code = '${report.body.receipt_code.replaceAll('-', '')}'`);
  const detail = await call('admin', 'GET', `/api/staff/cases/${row.id}`);
  assert.equal(detail.status, 200, detail.text);
  assert.equal(detail.body.refutation_matches[0]?.id, r.id, 'staff see "already refuted"');
  assert.ok(detail.body.refutation_matches[0].similarity_percent >= 85);

  // An unrelated report has no match.
  const other = await postJson(`${w.base}/api/reports`, {
    idempotency_key: newKey(), category: 'fraud', description: '有人冒充客服让我转账解冻账户，对方电话一直打来。',
  });
  const [row2] = query(w.stateDir, `SELECT id FROM reports WHERE receipt_code = '${other.body.receipt_code.replaceAll('-', '')}'`);
  assert.deepEqual((await call('admin', 'GET', `/api/staff/cases/${row2.id}`)).body.refutation_matches, []);
});

test('in a browser, the article page raises no Content-Security-Policy violation and the app takes over', async () => {
  const r = await publishNew({ title: '浏览器测试：网传“明天停水”不实' });
  const browser = await launchChromium();
  try {
    const context = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, locale: 'zh-CN' });
    await context.addInitScript(() => {
      document.addEventListener('securitypolicyviolation', (e) => console.error(`CSP violation: ${e.violatedDirective} ${e.blockedURI}`));
    });
    const page = await context.newPage();
    const errors = [];
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
    await page.goto(`${w.base}/refutations/${r.id}`);
    // The SPA removes #boot (and the static article in it) when it starts.
    await page.waitForFunction(() => !document.getElementById('boot'), null, { timeout: 20_000 });
    assert.equal(await page.locator('script[type="application/ld+json"]').count(), 1, 'the JSON-LD stays in the head');
    assert.deepEqual(errors, []);
    // Without JavaScript the static article is what a reader sees.
    const noJs = await browser.newContext({ javaScriptEnabled: false, viewport: { width: 390, height: 844 } });
    const plain = await noJs.newPage();
    await plain.goto(`${w.base}/refutations/${r.id}`);
    await plain.getByRole('heading', { name: '浏览器测试：网传“明天停水”不实' }).waitFor();
    assert.ok(await plain.getByText('经核实，该消息系谣言。本市没有任何封城安排，超市正常营业。').isVisible());
    await plain.screenshot({ path: join(root, 'tests', 'artifacts', 'refutation-article-nojs.png') });
    await noJs.close();
    await context.close();
  } finally {
    await browser.close();
  }
});

/** Reads the binary match index (domain/src/refutation/match_index.rs): { minSimilarityPercent, entries: Map id → BigInt }. */
function decodeMatchIndex(buf) {
  assert.equal(buf.subarray(0, 4).toString('latin1'), 'QLRI');
  assert.equal(buf[4], 1, 'format 1');
  const count = buf.readUInt32LE(6);
  const entries = new Map();
  let at = 10;
  let id = 0;
  for (let n = 0; n < count; n += 1) {
    let delta = 0;
    let shift = 0;
    for (;;) {
      const byte = buf[at++];
      delta += (byte & 0x7f) * 2 ** shift;
      shift += 7;
      if (!(byte & 0x80)) break;
    }
    id += delta;
    entries.set(id, buf.readBigUInt64LE(at));
    at += 8;
  }
  assert.equal(at, buf.length, 'no bytes after the last entry');
  return { minSimilarityPercent: buf[5], entries };
}
