// Shared set-up for the staff-side API tests: one account per role (made with create-admin's own
// hash function), signed-in sessions, a staff request helper and a report filer. Not a test file.
import assert from 'node:assert/strict';
import { query, newKey, postJson, http } from './harness.mjs';
import { hashPassword } from '../scripts/create-admin.mjs';

export const PASSWORD = 'correct horse battery staple';

/** [username, role, department] of the accounts every staff test gets. */
export const ACCOUNTS = [
  ['admin', 'admin', null],
  ['handler', 'handler', null],
  ['handler2', 'handler', null],
  ['supervisor', 'supervisor', null],
  ['police', 'liaison', 'police'],
  ['traffic', 'liaison', 'traffic'],
  ['editor', 'editor', null],
];

/** Creates the accounts in one wrangler call, signs each in; returns { sessions, ids, staff, act, fileReport }. */
export async function setUpStaff(w) {
  const values = ACCOUNTS.map(([username, role, department]) => {
    const { hash, salt } = hashPassword(PASSWORD);
    return `('${username}', '${username} 名', '${role}', ${department ? `'${department}'` : 'NULL'}, '${hash}', '${salt}', 100000, 0)`;
  });
  query(w.stateDir, 'INSERT INTO staff (username, display_name, role, department, password_hash, password_salt, ' +
    `password_iterations, created_at) VALUES ${values.join(', ')}`);
  const ids = {};
  for (const row of query(w.stateDir, 'SELECT id, username FROM staff')) ids[row.username] = row.id;
  const sessions = {};
  for (const [username] of ACCOUNTS) sessions[username] = await signIn(w, username, PASSWORD);

  /** A staff request: JSON in and out, the session cookie and its CSRF token unless told otherwise. */
  const staff = (session, method, path, body, options) => staffRequest(w.base, session, method, path, body, options);

  const act = (who, id, action) => staff(sessions[who], 'POST', `/api/staff/cases/${id}/actions`, action);

  async function fileReport(overrides = {}) {
    const res = await postJson(`${w.base}/api/reports`, {
      idempotency_key: newKey(),
      category: 'fraud',
      description: '有人在群里冒充客服，让大家转账解冻账户。',
      contact: { name: '李女士', phone: '13800138000' },
      ...overrides,
    });
    assert.equal(res.status, 201, res.text);
    const code = res.body.receipt_code;
    const [row] = query(w.stateDir, `SELECT id FROM reports WHERE receipt_code = '${code.replaceAll('-', '')}'`);
    return { id: row.id, code, secret: res.body.secret };
  }

  return { sessions, ids, staff, act, fileReport };
}

/** A staff request to the worker at `base`: JSON in and out, the session cookie and its CSRF token
 * unless told otherwise. */
export async function staffRequest(base, session, method, path, body, { csrf = session?.csrf } = {}) {
  const headers = {};
  if (session) headers.cookie = session.cookie;
  if (csrf) headers['x-csrf-token'] = csrf;
  if (body !== undefined) headers['content-type'] = 'application/json';
  const res = await http(`${base}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await res.text();
  let json = null;
  try { json = JSON.parse(text); } catch { /* empty */ }
  return { status: res.status, body: json, text };
}

export async function signIn(w, username, password) {
  const res = await postJson(`${w.base}/api/staff/session`, { username, password });
  assert.equal(res.status, 200, `${username}: ${res.text}`);
  const cookie = res.headers.get('set-cookie');
  return { cookie: cookie.split(';')[0], csrf: res.body.csrf_token, body: res.body };
}
