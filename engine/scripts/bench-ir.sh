#!/usr/bin/env bash
# Instruction counts (valgrind callgrind) for the moderation engine's throughput ratios and its
# load and compile work: repeatable on a shared machine where wall-clock times swing with the
# other builders' load. Not a test: it only prints numbers (BENCHMARKS.md).
#   bash engine/scripts/bench-ir.sh [BYTES]    haystack prefix, default 1,000,000 bytes
#   STAGES="screen load" bash engine/scripts/bench-ir.sh    only some stages (ratios need daachorse too)
# Same generated data as engine/scripts/bench.sh (examples/bench.rs, fixed seed). Each stage runs
# in its own process; only the measured function (`bench_ir::run_*`) is counted, not the
# automaton builds or the data loading. About 10 minutes (compile under valgrind is most of it).
set -euo pipefail
cd "$(dirname "$0")/../.."
export PATH="$HOME/.cargo/bin:$PATH"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$PWD/target-engine}"
bytes="${1:-1000000}"
command -v valgrind > /dev/null || { echo "valgrind is needed (apt-get install valgrind)" >&2; exit 1; }
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
CARGO_PROFILE_RELEASE_OPT_LEVEL=3 cargo build --quiet --release -p qinglang-engine --example bench --example bench_ir
BENCH_DATA_ONLY=1 "$CARGO_TARGET_DIR/release/examples/bench" "$out" > /dev/null
declare -A ir
for stage in ${STAGES:-daachorse aho-corasick overlapping raw screen screen-fp screen-browser load compile}; do
  valgrind --tool=callgrind --callgrind-out-file="$out/cg.$stage" --toggle-collect='bench_ir::run_*' \
    "$CARGO_TARGET_DIR/release/examples/bench_ir" "$stage" "$out" "$bytes" > "$out/$stage.txt" 2> "$out/$stage.err"
  ir[$stage]=$(sed -n 's/.*Collected : \([0-9]*\).*/\1/p' "$out/$stage.err")
  printf '%-15s %14s instructions  %s\n' "$stage" "${ir[$stage]}" "$(cut -d';' -f1 "$out/$stage.txt")"
done
[ -n "${STAGES:-}" ] && exit 0
awk -v d="${ir[daachorse]}" -v a="${ir[aho-corasick]}" -v s="${ir[screen]}" -v f="${ir[screen-fp]}" -v b="${ir[screen-browser]}" -v n="$bytes" 'BEGIN {
  printf "per byte: daachorse %.1f, aho-corasick %.1f, screen %.1f, screen with fingerprint %.1f, screen (browser pack) %.1f\n", d/n, a/n, s/n, f/n, b/n
  printf "full screen in instructions: %.2fx daachorse, %.2fx aho-corasick (ratio of instructions per byte, inverted)\n", d/s, a/s
  printf "with the fingerprint: %.2fx daachorse, %.2fx aho-corasick\n", d/f, a/f
}'
