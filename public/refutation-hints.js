// Refutations on the citizen pages: the home page's latest list and the report flow's "already
// refuted" hint. Imported with import() only when needed, so that none of it is part of the citizen
// bundle's first load (budget: 150 KB brotli; callers: app/src/pages/home.rs, app/src/prescreen.rs).
// Each fills an element the app renders empty and hidden (`#latest-refutations`, `#refuted-hint`)
// and never touches anything else. Its strings are here in the app's three languages (zh-Hans,
// zh-Hant, en — the order of `LANGS`).

const LANGS = ['zh-Hans', 'zh-Hant', 'en'];
const TEXT = {
  latest: ['最新辟谣', '最新闢謠', 'Latest fact checks'],
  all: ['辟谣信息', '闢謠資訊', 'Fact checks'],
  refuted: ['此说法已被辟谣', '此說法已被闢謠', 'This claim has already been refuted'],
  still: ['如您仍需举报，可以继续提交。', '如您仍需檢舉，可以繼續提交。', 'You can still send your report.'],
};
const VERDICT_NAME = ['name_zh_hans', 'name_zh_hant', 'name_en'];

const esc = (s) => String(s).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
const at = (lang) => Math.max(0, LANGS.indexOf(lang));

// Shows `html` in the element with id `id`, or hides it when `html` is empty.
function fill(id, html) {
  const el = document.getElementById(id);
  if (!el) return;
  el.innerHTML = html;
  el.hidden = !html;
}

let latestItems = null;

// Fills `#latest-refutations` with the newest `n` published refutations in `lang`: verdict badge and
// title, each linking to its article (every text from the API escaped); hidden when none is
// published or the list cannot be loaded. The list is fetched once; a language switch only redraws.
export async function latest(n, lang) {
  if (!latestItems) {
    latestItems = fetch(`/api/refutations/latest?n=${n}`).then((r) => (r.ok ? r.json() : { items: [] })).then((p) => p.items);
    latestItems.catch(() => { latestItems = null; });
  }
  const items = await latestItems;
  const i = at(lang);
  fill('latest-refutations', items.length ? `<h2>${TEXT.latest[i]}</h2><ul class="latest">${items.map((r) =>
    `<li><a href="/refutations/${Number(r.id)}"><span class="verdict verdict-${esc(r.verdict.code)}">${esc(r.verdict[VERDICT_NAME[i]])}</span> ${esc(r.title)}</a></li>`).join('')}</ul>` +
    `<p class="muted small"><a href="/refutations">${TEXT.all[i]} ›</a></p>` : '');
}

let asked = 0;
const answers = new Map();

// "Already refuted": fills `#refuted-hint` (in `lang`) when `text` repeats the claim of a published
// refutation and hides it otherwise (also for an empty `text`). Only the engine module's 64-bit
// fingerprint of the text leaves the phone (`GET /api/refutations/match`), never the text; the
// worker compares it with every published claim at the threshold it uses for the staff case view.
// Answers are kept per fingerprint; only the latest call's answer is shown.
export async function refuted(engine, text, lang) {
  const mine = ++asked;
  let html = '';
  if (text) {
    const fingerprint = engine.fingerprint_hex(text);
    if (!answers.has(fingerprint)) {
      answers.set(fingerprint, fetch(`/api/refutations/match?fingerprint=${fingerprint}`)
        .then((r) => (r.ok ? r.json() : { matches: [] })));
    }
    let found = null;
    try { found = await answers.get(fingerprint); } catch { answers.delete(fingerprint); }
    const hit = found?.matches?.[0];
    if (hit) {
      const i = at(lang);
      html = `<p><strong>${TEXT.refuted[i]}</strong></p><p><a href="/refutations/${Number(hit.id)}">${esc(hit.title)} ›</a></p>` +
        `<p class="muted small">${TEXT.still[i]}</p>`;
    }
  }
  if (mine === asked) fill('refuted-hint', html);
}
