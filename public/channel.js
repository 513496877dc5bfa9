// The poster channel of a report draft, loaded lazily by the report flow (app/src/evidence.rs)
// when the page was opened from a QR code (`/report?c=…`). Plain ES2017 for old WeChat engines.
//
// start(code, key): tells the channel that the draft with idempotency key `key` started from it
// (the worker counts each key once) and resolves to the channel's district code ('' when it has
// none or is unknown or retired). Rejects when the network failed, so the flow tries again on the
// next visit; the report flow goes on either way.
export async function start(code, key) {
  var base = '/api/channels/' + encodeURIComponent(code);
  var res = await fetch(base);
  var district = res.ok ? (await res.json()).district || '' : '';
  await fetch(base + '/started', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ idempotency_key: key }),
  });
  return district;
}
