#!/usr/bin/env bash
# Builds the browser bundle of the moderation engine (package qinglang-engine-web, engine/web/)
# and compiles the demo term list into rule packs.
#
# Usage: bash engine/scripts/build-web.sh OUT_DIR SERVER_PACK   (from any directory)
#   SERVER_PACK is a file path ending in .qlrp, or a directory (the pack is then DIR/rules.qlrp).
#   OUT_DIR/qinglang_engine.js        wasm-bindgen glue (--target web): `import init, {...}`
#   OUT_DIR/qinglang_engine_bg.wasm   the engine, wasm-opt -Oz
#   OUT_DIR/demo.browser.qlrp         browser rule pack (protected tier hashed), for load_pack
#   SERVER_PACK                       server rule pack (every term), for the worker's include_bytes!
# Relative paths are taken from the repository root. Prints sizes raw and brotli.
#
# The API (see engine/web/README.md):
#   load_pack(bytes: Uint8Array)                   throws Error on a bad pack
#   is_loaded() -> bool
#   rule_pack_version() -> string                  "none" before load_pack
#   screen(text) -> string                         Screening JSON; before load_pack: no term
#                                                  matches, PII/links/junk/fingerprint still found
#   mask(text) -> string                           text with PII masked (138****5678)
#   fingerprint_hex(text) -> string                16 hex digits
#   closest(text, index_json, min_similarity) -> string   NearDuplicate JSON or "null";
#                                                  {"error":"bad_index",...} for a malformed index
set -euo pipefail
if [ $# -ne 2 ]; then
  echo "usage: $0 OUT_DIR SERVER_PACK(.qlrp file or directory)" >&2
  exit 2
fi
cd "$(dirname "$0")/../.."
root="$PWD"
out="$1"
case "$2" in
  *.qlrp) server_pack="$2" ;;
  *) server_pack="${2%/}/rules.qlrp" ;;
esac
export PATH="$HOME/.cargo/bin:$root/node_modules/.bin:$PATH"
export CARGO_TARGET_DIR="$root/target/engine-web"
mkdir -p "$out" "$(dirname "$server_pack")"

echo "==> building qinglang-engine-web (wasm32, release, baseline WebAssembly)"
# Baseline WebAssembly like the app (scripts/build.sh, issue 7): Chrome 78-class WeChat XWeb and
# iOS 14 WKWebView accept only MVP + mutable-globals. Our crates are compiled for the MVP CPU; the
# precompiled std still records reference-types/multivalue in `target_features` (which would make
# wasm-bindgen use externref), so that record is rewritten; wasm-opt then lowers std's sign-ext,
# bulk-memory and saturating float-to-int instructions. RUSTFLAGS apply to the wasm build only
# (with --target, cargo does not pass them to build scripts), so the native tool below is unaffected.
# The engine is built at opt-level 3 (the workspace's release profile is "z", for
# the app's first load): this module loads after first paint, and at "z" screening and pack
# loading take about twice as long (BENCHMARKS.md) for ~10 KB brotli less.
RUSTFLAGS="-Ctarget-cpu=mvp -Ctarget-feature=+mutable-globals" \
  cargo build --quiet --release --target wasm32-unknown-unknown -p qinglang-engine-web \
  --config 'profile.release.package.qinglang-engine.opt-level=3'
node scripts/wasm-target-features.mjs "$CARGO_TARGET_DIR/wasm32-unknown-unknown/release/qinglang_engine_web.wasm" \
  "$CARGO_TARGET_DIR/qinglang_engine_web.baseline.wasm"
wasm-bindgen --target web --no-typescript --remove-name-section --out-dir "$out" --out-name qinglang_engine \
  "$CARGO_TARGET_DIR/qinglang_engine_web.baseline.wasm"
"$root/node_modules/.bin/wasm-opt" -Oz --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext \
  --enable-mutable-globals --signext-lowering --llvm-memory-copy-fill-lowering --llvm-nontrapping-fptoint-lowering \
  "$out/qinglang_engine_bg.wasm" -o "$out/qinglang_engine_bg.wasm"
# The same engines cannot parse newer JS syntax (wasm-bindgen's glue uses `?.`): lower the glue.
"$root/node_modules/.bin/esbuild" "$out/qinglang_engine.js" --target=chrome78,safari14 --format=esm \
  --log-level=warning --allow-overwrite --outfile="$out/qinglang_engine.js"

echo "==> compiling the demo term list into rule packs"
# The packs are built by the native command-line tool (a debug build is quick and the demo
# list is small); the same tool compiles deployment lists.
cargo build --quiet -p qinglang-engine --features cli --bin qinglang-screen
"$CARGO_TARGET_DIR/debug/qinglang-screen" compile engine/data/demo-terms.tsv \
  -o "$server_pack" --browser-out "$out/demo.browser.qlrp"

size() {
  local raw br
  raw=$(wc -c < "$1")
  if command -v brotli > /dev/null; then
    br=$(brotli -c -q 11 "$1" | wc -c)
  else
    br=$(node -e 'const z=require("zlib");process.stdout.write(String(z.brotliCompressSync(require("fs").readFileSync(process.argv[1]),{params:{[z.constants.BROTLI_PARAM_QUALITY]:11}}).length))' "$1")
  fi
  printf '  %-45s %9s bytes raw  %9s bytes brotli\n' "$1" "$raw" "$br"
}
echo "==> sizes"
for f in "$out/qinglang_engine_bg.wasm" "$out/qinglang_engine.js" "$out/demo.browser.qlrp" "$server_pack"; do
  size "$f"
done
echo "==> checking the bundle under node"
node engine/web/check.mjs "$out" "$server_pack"
