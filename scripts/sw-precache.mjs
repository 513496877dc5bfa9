// Writes the precache list and version into dist/sw.js (public/sw.js is the readable source):
// SHELL = the citizen first load (index page, CSS, language mark, boot loader, manifest, icons, dist/pkg/**), the
// report flow's lazily loaded modules (outbox, evidence, poster channel) and its categories,
// VERSION = a hash of every built file, so any new build installs a fresh cache and drops the old.
// Run by scripts/build.sh after dist/ is complete.
import { readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { join, relative, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const dist = join(dirname(fileURLToPath(import.meta.url)), '..', 'dist');
const walk = (dir) => readdirSync(dir).flatMap((name) => {
  const path = join(dir, name);
  return statSync(path).isDirectory() ? walk(path) : [path];
});
const files = walk(dist).filter((f) => !f.endsWith('sw.js')).sort();
const hash = createHash('sha256');
for (const f of files) hash.update(relative(dist, f)).update(readFileSync(f));
const version = hash.digest('hex').slice(0, 12);

const url = (f) => '/' + relative(dist, f).split('\\').join('/');
const shell = ['/', '/app.css', '/lang.js', '/boot.js', '/manifest.webmanifest', '/favicon.svg', '/outbox.js', '/evidence.js', '/channel.js',
  '/api/categories']
  .concat(files.filter((f) => /^\/(pkg|icons)\//.test(url(f))).map(url));
const swPath = join(dist, 'sw.js');
const source = readFileSync(swPath, 'utf8');
const out = source
  .replace(/^var VERSION = .*$/m, `var VERSION = '${version}';`)
  .replace(/^var SHELL = .*$/m, `var SHELL = ${JSON.stringify(shell)};`);
if (out === source) throw new Error('sw-precache: VERSION/SHELL lines not found in dist/sw.js');
writeFileSync(swPath, out);
console.log(`service worker ${version}: ${shell.length} files precached`);
