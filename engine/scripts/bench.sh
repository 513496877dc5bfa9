#!/usr/bin/env bash
# Runs the moderation engine benchmarks (native, then wasm32 under node) on the generated
# 100k-term dictionary and 10.5 MB haystack. Not a test: it only prints numbers.
# Takes about 3 minutes on two cores (brotli quality 11 of two 8 MB packs is most of it).
# The workspace's release profile optimises for size (opt-level "z", for the phone bundle);
# the benchmark overrides that with opt-level 3 for native and wasm alike, and also times the
# wasm build as shipped (opt-level "z").
set -euo pipefail
cd "$(dirname "$0")/../.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$PWD/target-engine}"
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
echo "## native (opt-level 3)"
CARGO_PROFILE_RELEASE_OPT_LEVEL=3 cargo run --quiet --release -p qinglang-engine --example bench -- "$out" | tee "$out/native.txt"
native_mb_s() { grep "^full screen ($1 pack" "$out/native.txt" | sed -E 's/.*: ([0-9.]+) MB\/s.*/\1/'; }
wasm="$CARGO_TARGET_DIR/wasm32-unknown-unknown/release/qinglang_engine_wasm_check.wasm"
for level in 3 z; do
  CARGO_PROFILE_RELEASE_OPT_LEVEL=$level cargo build --quiet --release \
    --manifest-path engine/wasm-check/Cargo.toml --target wasm32-unknown-unknown
  echo "## wasm32 under node $(node --version) (opt-level $level, module $(stat -c %s "$wasm") bytes)"
  for pack in server browser; do
    file="$out/bench.qlrp"
    [ "$pack" = browser ] && file="$out/bench.browser.qlrp"
    result=$(node engine/wasm-check/run.mjs bench "$wasm" "$file" "$out/haystack.txt" 2000)
    echo "full screen, $pack pack, 2000-char chunks: $result"
    # The ratio to the native run above (minutes apart: on a shared machine, compare rounds).
    node -e 'const r = JSON.parse(process.argv[1]); console.log(`  = ${(r.mb_per_s / Number(process.argv[2])).toFixed(2)}x native (${process.argv[2]} MB/s)`)' \
      "$result" "$(native_mb_s "$pack")"
  done
  echo "one 2000-char report, browser pack: $(node engine/wasm-check/run.mjs report "$wasm" "$out/bench.browser.qlrp" "$out/report.txt")"
done
