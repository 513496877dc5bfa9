#!/usr/bin/env node
// Demo staff accounts for the local database `scripts/serve.sh` serves, so a newcomer can sign in to
// the console at once: an admin, a handler and a supervisor at every office of the demo network
// (scripts/demo-network.mjs), and the province's police liaison and refutation editor, written to
// .wrangler/demo-accounts.json
// (`[{"username","password","role","office"}]`) and printed. Passwords are random, made once and
// kept in that file; a later run reuses them (and resets an account whose password the file no
// longer knows). Never for a real deployment: it refuses when PUBLIC_ORIGIN names a real domain,
// and it only ever writes the local D1 (`wrangler d1 execute --local`).
//
// Usage: node scripts/demo-accounts.mjs [http://127.0.0.1:8787]
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { hashPassword } from './create-admin.mjs';
import { ACCOUNTS } from './demo-network.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const base = process.argv[2] ?? 'http://127.0.0.1:8787';
const file = join(root, '.wrangler', 'demo-accounts.json');
const toml = readFileSync(join(root, 'wrangler.toml'), 'utf8');
const origin = toml.match(/^PUBLIC_ORIGIN\s*=\s*"([^"]*)"/m)?.[1] ?? '';
if (origin && !/^https?:\/\/(127\.0\.0\.1|localhost)(:\d+)?\/?$/.test(origin)) {
  console.log(`==> demo accounts: not made (PUBLIC_ORIGIN is ${origin}, a real deployment)`);
  process.exit(0);
}

let known = [];
try { known = JSON.parse(readFileSync(file, 'utf8')); } catch { known = []; }
const password = (username) => known.find((a) => a.username === username)?.password ?? randomBytes(12).toString('base64url');
const accounts = ACCOUNTS.map(([username, role, name, department, office]) => ({ username, password: password(username), role, office, name, department }));

const sql = (s) => (s === null ? 'NULL' : `'${String(s).replaceAll("'", "''")}'`);
const rows = accounts.map((a) => {
  const { hash, salt } = hashPassword(a.password);
  return `(${sql(a.username)}, ${sql(a.name)}, ${sql(a.role)}, ${sql(a.department)}, ${sql(a.office)}, ${sql(hash)}, ${sql(salt)}, 100000, 1, ${Date.now()})`;
});
// One statement: new accounts are made, existing demo accounts get the file's password back and are
// active again with their demo role.
const statement =
  'INSERT INTO staff (username, display_name, role, department, office, password_hash, password_salt, password_iterations, active, created_at) ' +
  `VALUES ${rows.join(', ')} ON CONFLICT (username) DO UPDATE SET role = excluded.role, department = excluded.department, ` +
  'office = excluded.office, display_name = excluded.display_name, ' +
  'password_hash = excluded.password_hash, password_salt = excluded.password_salt, ' +
  'password_iterations = excluded.password_iterations, active = 1';
const wrangler = join(root, 'node_modules', '.bin', 'wrangler');
const env = { ...process.env, CLOUDFLARE_CF_FETCH_ENABLED: 'false', WRANGLER_SEND_METRICS: 'false' };
execFileSync(wrangler, ['d1', 'execute', 'qinglang', '--local', '--json', '--command', statement], { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });

if (!existsSync(dirname(file))) mkdirSync(dirname(file), { recursive: true });
const written = accounts.map(({ username, password: p, role, office }) => ({ username, password: p, role, office }));
writeFileSync(file, `${JSON.stringify(written, null, 2)}\n`, { mode: 0o600 });

console.log(`==> demo staff accounts (local database only; also in ${file}):`);
console.log(`    sign in at ${base}/admin`);
// The province's accounts and one county's, in full; the rest are in the file.
const shown = written.filter((a) => a.office === 'root' || a.office === 'linhai_dongcheng' || a.office === 'linhai_xicheng');
for (const a of shown) console.log(`    ${a.office.padEnd(17)} ${a.role.padEnd(10)} ${a.username.padEnd(28)} ${a.password}`);
console.log(`    … and ${written.length - shown.length} more (every office: admin, handler, supervisor) in ${file}`);
