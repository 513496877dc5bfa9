#!/usr/bin/env bash
# Builds the browser app into dist/ and the worker into worker/build/. Needs scripts/install.sh first.
# Usage: scripts/build.sh            release build (what is served and measured)
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PWD/node_modules/.bin:$PATH"

echo "==> building the app (wasm32)"
rm -rf dist && mkdir -p dist
# erase_components type-erases Leptos components: smaller WASM for the phone. The app gets its own
# target directory because different RUSTFLAGS would otherwise rebuild the worker's dependencies.
# Baseline WebAssembly for old WeChat (Chrome 78-class XWeb) and iOS 14 WKWebView (issue 7): our
# crates are compiled for the MVP CPU (+mutable-globals); the precompiled std still records
# reference-types/multivalue in `target_features`, which would make wasm-bindgen use externref, so
# that record is rewritten first; wasm-opt then lowers std's sign-ext, bulk-memory and saturating
# float-to-int instructions and writes `call_indirect` in the canonical one-byte form.
# scripts/check-wasm-features validates the result (scripts/test.sh).
# One WASM bundle per part of the app (app/src/bundle.rs): the citizen pages in dist/pkg/ (the
# first load), the public reading pages in dist/pkg-reader/, the staff console in dist/pkg-console/.
build_bundle() {
  local feature="$1" out="$2"
  CARGO_TARGET_DIR=target/app RUSTFLAGS="--cfg erase_components -Ctarget-cpu=mvp -Ctarget-feature=+mutable-globals" \
    cargo build --release --target wasm32-unknown-unknown -p qinglang-app --no-default-features --features "$feature"
  node scripts/wasm-target-features.mjs target/app/wasm32-unknown-unknown/release/qinglang-app.wasm \
    "target/app/qinglang-app.$feature.wasm"
  mkdir -p "$out"
  wasm-bindgen --target web --no-typescript --remove-name-section --out-dir "$out" --out-name qinglang_app \
    "target/app/qinglang-app.$feature.wasm"
  wasm-opt -Oz --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext --enable-mutable-globals \
    --signext-lowering --llvm-memory-copy-fill-lowering --llvm-nontrapping-fptoint-lowering \
    "$out/qinglang_app_bg.wasm" -o "$out/qinglang_app_bg.wasm"
  # The same engines cannot parse newer JS syntax (wasm-bindgen's glue uses `?.`, Chrome 80/Safari 13.1),
  # and a syntax error in the module graph would stop boot.js before it can show the fallback: lower it.
  # Minified too: the citizen first load has a hard budget (scripts/size-report.mjs).
  local js
  for js in "$out/qinglang_app.js" "$out"/snippets/*/*.js; do
    [ -e "$js" ] || continue
    esbuild "$js" --minify --target=chrome78,safari14 --format=esm --log-level=warning --allow-overwrite --outfile="$js"
  done
}
build_bundle citizen dist/pkg
build_bundle reader dist/pkg-reader
build_bundle console dist/pkg-console
# The moderation engine for the phone: its own WASM module and browser rule pack under
# dist/engine/, loaded lazily by the report flow, so it adds nothing to the first load.
bash engine/scripts/build-web.sh dist/engine target/engine-web/server-pack
cp -r public/. dist/
# The scripts every citizen page runs before the app, minified (public/ keeps the readable source).
esbuild public/boot.js --minify --target=chrome78,safari14 --format=esm --log-level=warning --outfile=dist/boot.js --allow-overwrite
esbuild public/lang.js --minify --target=es5 --log-level=warning --outfile=dist/lang.js --allow-overwrite
# `/report` is the citizen page too: served as a file, it costs no worker call (wrangler.toml).
cp dist/index.html dist/report.html
# The style sheets, minified (style/ keeps the readable source): 0.45 KB brotli off the citizen's
# first load.
for sheet in app admin reader; do
  esbuild "style/$sheet.css" --minify --target=chrome78,safari14 --log-level=warning --outfile="dist/$sheet.css" --allow-overwrite
done
# The service worker's precache list and version (public/sw.js is the readable source).
node scripts/sw-precache.mjs

echo "==> generating the OpenAPI document (worker/openapi.json, served at /api/openapi.json)"
# Native, from the domain crate's API types (openapi/); the worker embeds the file.
cargo run -q --release -p qinglang-openapi -- worker/openapi.json

echo "==> building the worker"
(cd worker && WASM_BINDGEN_BIN="$(command -v wasm-bindgen)" WASM_OPT_BIN="$(command -v wasm-opt)" \
  ESBUILD_BIN="$(command -v esbuild)" worker-build --release)
echo "==> built dist/ and worker/build/"
