#!/usr/bin/env bash
# Builds the web interface into frontend/dist:
#   cargo (wasm32, release) → wasm-bindgen (--target web) → wasm-opt -Oz → content-hashed assets.
# Usage: scripts/build-web.sh [--dev]   (--dev: debug build, no wasm-opt; for quick iteration)
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
dev=false
[[ "${1:-}" == "--dev" ]] && dev=true
export CARGO_TARGET_DIR="${PUM_WEB_TARGET_DIR:-$HOME/.cache/pum-target-web}"

cd "$root/frontend"
profile_dir=release
cargo_args=(build --locked --target wasm32-unknown-unknown)
$dev && profile_dir=debug || cargo_args+=(--release)

if rustup target list --installed 2>/dev/null | grep -qx wasm32-unknown-unknown; then
  cargo "${cargo_args[@]}"
elif rustup toolchain list 2>/dev/null | grep -q '^web'; then
  # Debian's rustc-web with std built from source (docs: wasm-toolchain.md, route 2).
  RUSTC_BOOTSTRAP=1 cargo +web "${cargo_args[@]}" -Zbuild-std=std,panic_abort
else
  echo "build-web: no wasm32 toolchain; run scripts/setup.sh first" >&2
  exit 1
fi

want="$(awk '/^name = "wasm-bindgen"$/{getline; gsub(/[^0-9.]/, ""); print; exit}' Cargo.lock)"
have="$(wasm-bindgen --version 2>/dev/null | awk '{print $2}')"
if [[ "$want" != "$have" ]]; then
  echo "build-web: wasm-bindgen $want is needed (found '${have:-none}'); run scripts/setup.sh" >&2
  exit 1
fi

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
wasm-bindgen --target web --no-typescript --out-dir "$work" --out-name pum \
  "$CARGO_TARGET_DIR/wasm32-unknown-unknown/$profile_dir/pum-frontend.wasm"

if ! $dev; then
  wasm_opt="$root/node_modules/.bin/wasm-opt"
  if [[ ! -x "$wasm_opt" ]]; then
    echo "build-web: wasm-opt (npm binaryen) is missing; run scripts/setup.sh" >&2
    exit 1
  fi
  "$wasm_opt" -Oz --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext \
    --enable-mutable-globals --enable-reference-types --enable-multivalue \
    "$work/pum_bg.wasm" -o "$work/pum_bg.opt.wasm"
  mv "$work/pum_bg.opt.wasm" "$work/pum_bg.wasm"
fi

hash() { sha256sum "$1" | cut -c1-16; }
dist="$root/frontend/dist"
rm -rf "$dist"
mkdir -p "$dist/assets"

wasm_name="pum-$(hash "$work/pum_bg.wasm").wasm"
js_name="pum-$(hash "$work/pum.js").js"
css_name="main-$(hash style/main.css).css"
cp "$work/pum_bg.wasm" "$dist/assets/$wasm_name"
cp "$work/pum.js" "$dist/assets/$js_name"
cp style/main.css "$dist/assets/$css_name"
# The CSP forbids inline scripts, so the module that starts the app is a file of its own.
printf "import init from './%s';\ninit({ module_or_path: new URL('./%s', import.meta.url) });\n" \
  "$js_name" "$wasm_name" >"$work/boot.js"
boot_name="boot-$(hash "$work/boot.js").js"
cp "$work/boot.js" "$dist/assets/$boot_name"
cp -r public/. "$dist/"
sed -e "s/{{STYLE}}/$css_name/" -e "s/{{APP_JS}}/$js_name/" -e "s/{{APP_WASM}}/$wasm_name/" \
  -e "s/{{BOOT}}/$boot_name/" index.html >"$dist/index.html"

size="$(du -k "$dist/assets/$wasm_name" | cut -f1)"
echo "build-web: frontend/dist ready ($wasm_name, ${size} KiB)"
