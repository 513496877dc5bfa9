#!/usr/bin/env node
// Creates a staff account — the first admin, or any account later — directly in D1, so no
// deployment ever ships a default password.
//
//   QL_PASSWORD='…' node scripts/create-admin.mjs USERNAME            # local D1 (wrangler dev's)
//   node scripts/create-admin.mjs USERNAME --remote < password.txt     # production D1
//
// Options: --role admin|handler|supervisor|liaison|editor (default admin), --name "显示名",
// --department CODE (liaisons), --remote, --persist-to DIR (a local state directory, as tests use).
// The password comes from $QL_PASSWORD or the first line of stdin, at least 12 characters. It is
// hashed with PBKDF2-HMAC-SHA256, 100,000 iterations, a random 16-byte salt — exactly what the
// worker's sign-in derives with WebCrypto (worker/src/auth.rs).
import { execFileSync } from 'node:child_process';
import { pbkdf2Sync, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const ITERATIONS = 100_000;
const ROLES = ['admin', 'handler', 'supervisor', 'liaison', 'editor'];
const root = join(dirname(fileURLToPath(import.meta.url)), '..');

function fail(message) {
  console.error(`create-admin: ${message}`);
  process.exit(2);
}

function parseArgs(argv) {
  const opts = { role: 'admin', name: null, department: null, remote: false, persistTo: null, username: null };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = () => argv[++i] ?? fail(`${arg} needs a value`);
    if (arg === '--role') opts.role = value();
    else if (arg === '--name') opts.name = value();
    else if (arg === '--department') opts.department = value();
    else if (arg === '--persist-to') opts.persistTo = value();
    else if (arg === '--remote') opts.remote = true;
    else if (arg.startsWith('--')) fail(`unknown option ${arg}`);
    else if (opts.username === null) opts.username = arg;
    else fail(`unexpected argument ${arg}`);
  }
  if (!opts.username || !/^[a-z0-9][a-z0-9_.-]{1,31}$/.test(opts.username)) {
    fail('give a USERNAME of 2-32 characters: lowercase letters, digits, _ . -');
  }
  if (!ROLES.includes(opts.role)) fail(`--role must be one of ${ROLES.join(', ')}`);
  if (opts.role === 'liaison' && !opts.department) fail('a liaison needs --department CODE');
  if (opts.department && !/^[a-z0-9_]{1,32}$/.test(opts.department)) fail('--department is a department code');
  return opts;
}

function readPassword() {
  if (process.env.QL_PASSWORD) return process.env.QL_PASSWORD;
  let input = '';
  try { input = readFileSync(0, 'utf8'); } catch { /* no stdin */ }
  return input.split(/\r?\n/)[0] ?? '';
}

/** The same PBKDF2-HMAC-SHA256 the worker computes, as { hash, salt } in hex. */
export function hashPassword(password, salt = randomBytes(16)) {
  return { hash: pbkdf2Sync(password, salt, ITERATIONS, 32, 'sha256').toString('hex'), salt: salt.toString('hex') };
}

const sql = (s) => (s === null ? 'NULL' : `'${String(s).replaceAll("'", "''")}'`);

function main() {
  const opts = parseArgs(process.argv.slice(2));
  const password = readPassword();
  if ([...password].length < 12) fail('the password (from $QL_PASSWORD or stdin) needs at least 12 characters');
  const { hash, salt } = hashPassword(password);
  const statement =
    'INSERT INTO staff (username, display_name, role, department, password_hash, password_salt, password_iterations, created_at) ' +
    `VALUES (${sql(opts.username)}, ${sql(opts.name ?? opts.username)}, ${sql(opts.role)}, ${sql(opts.department)}, ` +
    `${sql(hash)}, ${sql(salt)}, ${ITERATIONS}, ${Date.now()})`;
  const args = ['d1', 'execute', 'qinglang', opts.remote ? '--remote' : '--local', '--json', '--command', statement];
  if (opts.persistTo) args.push('--persist-to', opts.persistTo);
  const wrangler = join(root, 'node_modules', '.bin', 'wrangler');
  const env = { ...process.env, CLOUDFLARE_CF_FETCH_ENABLED: 'false', WRANGLER_SEND_METRICS: 'false', QL_PASSWORD: '' };
  try {
    execFileSync(wrangler, args, { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (e) {
    const out = `${e.stdout ?? ''}${e.stderr ?? ''}`;
    fail(out.includes('UNIQUE') ? `the username ${opts.username} is taken` : `wrangler failed:\n${out}`);
  }
  console.log(`created ${opts.role} ${opts.username}`);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) main();
