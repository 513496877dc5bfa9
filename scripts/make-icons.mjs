// Renders the app icons (public/icons/*.png) from public/favicon.svg with the system Chromium, so
// the PNGs the web app manifest needs are reproducible: `node scripts/make-icons.mjs`.
// Needs fonts-noto-cjk for the 清 glyph. The maskable icon keeps the glyph inside the safe zone.
import { readFileSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const svg = readFileSync(join(root, 'public', 'favicon.svg'), 'utf8');
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox'] });
const page = await browser.newPage();
for (const [name, size, maskable] of [['icon-180', 180, false], ['icon-192', 192, false], ['icon-512', 512, false], ['maskable-512', 512, true]]) {
  await page.setViewportSize({ width: size, height: size });
  // A maskable icon is cropped to a circle of 80 % by the launcher: a full-bleed square, glyph at 70 %.
  const inner = maskable ? svg.replace('rx="14"', 'rx="0"').replace('font-size="34"', 'font-size="26"').replace('y="44"', 'y="41"') : svg;
  await page.setContent(`<html><body style="margin:0;background:transparent">${inner.replace('<svg ', `<svg width="${size}" height="${size}" `)}</body></html>`);
  await page.screenshot({ path: join(root, 'public', 'icons', `${name}.png`), omitBackground: true });
}
// The share card chat apps show for a refutation article without a picture of its own (og:image,
// worker/src/render.rs): 1200×630, the size Open Graph readers crop the least.
await page.setViewportSize({ width: 1200, height: 630 });
await page.setContent(`<html><body style="margin:0;width:1200px;height:630px;background:#1a73e8;color:#fff;
  font-family:'Noto Sans CJK SC',sans-serif;display:flex;align-items:center;justify-content:center;gap:56px">
  ${svg.replace('<svg ', '<svg width="220" height="220" ').replace('fill="#1a73e8"', 'fill="#fff"').replace('fill="#fff" font-family', 'fill="#1a73e8" font-family')}
  <div><div style="font-size:96px;font-weight:700;letter-spacing:8px">清朗辟谣</div>
  <div style="font-size:40px;margin-top:20px;opacity:.92">网信部门权威发布 · 举报电话 12377</div></div></body></html>`);
await page.screenshot({ path: join(root, 'public', 'icons', 'share-card.png') });
await browser.close();
console.log('wrote public/icons/*.png');
