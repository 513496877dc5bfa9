#!/usr/bin/env bash
# README command 2: install what is missing (build tools, Chromium, CJK fonts), build, and run
# every test — lints, Rust unit tests, the engine's browser-build check, API integration tests
# against `wrangler dev`, and browser end-to-end tests in headless Chromium. Exits non-zero on
# any failure. `.ci/run` calls exactly this.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PWD/node_modules/.bin:$PATH"
export CLOUDFLARE_CF_FETCH_ENABLED=false WRANGLER_SEND_METRICS=false

bash scripts/install.sh --tests
bash scripts/build.sh

echo "==> size report"
node scripts/size-report.mjs
CARGO_TARGET_DIR=target/tools cargo run -q --release --manifest-path scripts/check-wasm-features/Cargo.toml -- dist/pkg/qinglang_app_bg.wasm \
  dist/pkg-reader/qinglang_app_bg.wasm dist/pkg-console/qinglang_app_bg.wasm dist/engine/*.wasm

echo "==> lints"
cargo fmt --all --check
cargo clippy -q --workspace --exclude qinglang-worker --all-targets -- -D warnings
cargo clippy -q -p qinglang-worker --target wasm32-unknown-unknown -- -D warnings

echo "==> Rust unit tests"
# The worker crate only runs inside workerd; its behaviour is covered by the API tests below.
cargo test -q --workspace --exclude qinglang-worker

if [ -x engine/scripts/wasm-check.sh ]; then
  echo "==> moderation engine: browser build gives the same results"
  engine/scripts/wasm-check.sh
fi

echo "==> API integration and browser end-to-end tests"
node --test tests/
