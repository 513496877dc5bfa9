#!/usr/bin/env bash
# Installs what Qinglang needs to build (and, with --tests, to test), skipping what is present.
# Everything comes from crates.io, the npm registry (from package-lock.json) and Debian.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"

WASM_BINDGEN_VERSION=0.2.130   # must equal the wasm-bindgen crate pinned in Cargo.toml
WORKER_BUILD_VERSION=0.8.7

if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  echo "==> adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown
fi

if [ "$(wasm-bindgen --version 2>/dev/null)" != "wasm-bindgen $WASM_BINDGEN_VERSION" ]; then
  echo "==> installing wasm-bindgen-cli $WASM_BINDGEN_VERSION (about 3 minutes)"
  # Not --locked: its lockfile names a webpki-roots version the registry no longer serves.
  cargo install wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION"
fi

if [ "$(worker-build --version 2>/dev/null)" != "$WORKER_BUILD_VERSION" ]; then
  echo "==> installing worker-build $WORKER_BUILD_VERSION (about 6 minutes)"
  cargo install worker-build --version "$WORKER_BUILD_VERSION" --locked
fi

# npm packages (wrangler, wasm-opt, playwright-core) exactly as locked; reinstalled only
# when the lockfile changed since the last install.
lock_sum=$(sha256sum package-lock.json | cut -d' ' -f1)
if [ ! -f node_modules/.qinglang-lock ] || [ "$(cat node_modules/.qinglang-lock)" != "$lock_sum" ]; then
  echo "==> installing npm packages from package-lock.json"
  npm ci --no-audit --no-fund
  echo "$lock_sum" > node_modules/.qinglang-lock
fi

if [ "${1:-}" = "--tests" ]; then
  missing=()
  for pkg in chromium chromium-driver fonts-noto-cjk; do
    dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg")
  done
  if [ ${#missing[@]} -gt 0 ]; then
    echo "==> installing Debian packages: ${missing[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}"
  fi
  # A real feed parser for the refutation feed tests (tests/refutations.test.mjs), from PyPI.
  if ! target/test-venv/bin/python -c "import feedparser" >/dev/null 2>&1; then
    echo "==> installing feedparser (Python, for the feed tests) into target/test-venv"
    python3 -m venv target/test-venv
    target/test-venv/bin/pip install -q --disable-pip-version-check "feedparser>=6,<7"
  fi

  # schemathesis (PyPI), pinned, in its own virtualenv outside the work tree; tests/schemathesis.test.mjs
  # runs it against the local worker with the generated OpenAPI document.
  SCHEMATHESIS_VERSION=4.32.5
  SCHEMATHESIS_VENV="$HOME/.local/share/qinglang/schemathesis-$SCHEMATHESIS_VERSION"
  if [ ! -x "$SCHEMATHESIS_VENV/bin/schemathesis" ]; then
    echo "==> installing schemathesis $SCHEMATHESIS_VERSION into $SCHEMATHESIS_VENV"
    if ! python3 -m venv "$SCHEMATHESIS_VENV" 2>/dev/null; then
      rm -rf "$SCHEMATHESIS_VENV"
      apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-venv
      python3 -m venv "$SCHEMATHESIS_VENV"
    fi
    "$SCHEMATHESIS_VENV/bin/pip" install -q --disable-pip-version-check "schemathesis==$SCHEMATHESIS_VERSION"
  fi
fi
