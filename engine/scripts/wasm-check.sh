#!/usr/bin/env bash
# Checks that the wasm32 build of the moderation engine gives byte-identical results to the
# native build: compiles the demo term list, screens engine/tests/corpus.jsonl with the native
# CLI and with the engine compiled to wasm32-unknown-unknown under node, for both the server
# and the browser pack, and diffs the JSONL. Offline; about 30 s cold, a few seconds warm.
set -euo pipefail
cd "$(dirname "$0")/../.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$PWD/target-engine}"
if ! rustup target list --installed 2>/dev/null | grep -qx wasm32-unknown-unknown; then
  rustup target add wasm32-unknown-unknown
fi
cargo build --quiet -p qinglang-engine --features cli --bin qinglang-screen
cargo build --quiet --release --manifest-path engine/wasm-check/Cargo.toml --target wasm32-unknown-unknown
cli="$CARGO_TARGET_DIR/debug/qinglang-screen"
wasm="$CARGO_TARGET_DIR/wasm32-unknown-unknown/release/qinglang_engine_wasm_check.wasm"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
"$cli" compile engine/data/demo-terms.tsv -o "$work/demo.qlrp" 2>/dev/null
corpus=engine/tests/corpus.jsonl
failed=0
for pack in demo.qlrp demo.browser.qlrp; do
  "$cli" screen --pack "$work/$pack" < "$corpus" > "$work/native.jsonl"
  node engine/wasm-check/run.mjs screen "$wasm" "$work/$pack" < "$corpus" > "$work/wasm.jsonl"
  n=$(wc -l < "$work/native.jsonl")
  if cmp -s "$work/native.jsonl" "$work/wasm.jsonl" && [ "$n" -gt 0 ]; then
    echo "wasm-check $pack: $n results identical (native vs wasm32 under node)"
  else
    echo "wasm-check $pack: results differ" >&2
    diff "$work/native.jsonl" "$work/wasm.jsonl" | head -20 >&2 || true
    failed=1
  fi
done
if [ "$failed" -eq 0 ]; then echo "2 passed, 0 failed"; else echo "0 passed, 1 failed"; exit 1; fi
