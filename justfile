# Every developer and CI entry point. `just` (or `./dev`) lists them.

set shell := ["bash", "-euo", "pipefail", "-c"]

# Shared, outside the clone, so repeated runs are warm; nothing depends on it existing.
export CARGO_TARGET_DIR := env("CARGO_TARGET_DIR", home_directory() / ".cache/pum-target")
export PUM_WEB_TARGET_DIR := env("PUM_WEB_TARGET_DIR", home_directory() / ".cache/pum-target-web")
export PATH := home_directory() / ".cargo/bin" + ":" + env("PATH")

web_target_dir := PUM_WEB_TARGET_DIR

# List the recipes
default:
    @just --list

# Build the web interface and run `pum demo`: the app against a simulated Plex with demo data
run *args: (setup "run") build-web
    cargo run --locked -p pum-server --bin pum -- demo {{ args }}

# Run pum against a real Plex: `just serve` with PUM_PLEX_URL and PUM_PLEX_TOKEN set
serve *args: (setup "run") build-web
    cargo run --locked -p pum-server --bin pum -- serve {{ args }}

# Everything CI checks: format, lint, tests (SQLite and PostgreSQL), SPA build, end-to-end
test: (setup "test") fmt-check lint lint-docker contract test-rust test-pg build-web e2e

# The same as `test`, as CI runs it
ci: test

# Install what this repository needs and the machine lacks (just | run | test)
setup level="test":
    scripts/setup.sh {{ level }}

# Release build: `pum` with the web interface next to it in $CARGO_TARGET_DIR/release/web
build: (setup "run") build-web
    cargo build --locked --release -p pum-server --bin pum
    rm -rf "$CARGO_TARGET_DIR/release/web"
    cp -r frontend/dist "$CARGO_TARGET_DIR/release/web"
    @echo "built $CARGO_TARGET_DIR/release/pum (web interface in $CARGO_TARGET_DIR/release/web)"

# Build the SPA into frontend/dist (release, wasm-opt, hashed assets)
build-web:
    scripts/build-web.sh

# Format all Rust code
fmt:
    cargo fmt --all
    cd frontend && cargo fmt

# Check formatting without changing files
fmt-check:
    cargo fmt --all --check
    cd frontend && cargo fmt --check

# Clippy with warnings as errors, host crates and the wasm frontend
lint:
    cargo clippy --workspace --all-targets --all-features --locked -- -D warnings
    cd frontend && CARGO_TARGET_DIR="{{ web_target_dir }}" cargo clippy --locked --target wasm32-unknown-unknown -- -D warnings

# Lint the Dockerfile
lint-docker:
    hadolint --config .hadolint.yaml docker/Dockerfile

# The API contract crate builds for wasm and pulls in no server crates
contract:
    cargo check --locked -p pum-api-types --target wasm32-unknown-unknown
    ! cargo tree --locked -p pum-api-types -e normal | grep -E 'sea-orm|actix|sqlx|apalis'

# Rust tests on SQLite (unit, integration, doc)
test-rust *args:
    env -u PUM_TEST_DATABASE_URL cargo nextest run --workspace --locked --no-tests=warn {{ args }}
    env -u PUM_TEST_DATABASE_URL cargo test --doc --workspace --locked

# Rust database tests on PostgreSQL ($PUM_TEST_DATABASE_URL; default: local server if reachable)
test-pg:
    #!/usr/bin/env bash
    set -euo pipefail
    url="${PUM_TEST_DATABASE_URL:-}"
    if [[ -z "$url" ]]; then
        if (exec 3<>/dev/tcp/127.0.0.1/5432) 2>/dev/null; then
            url="postgres://postgres@127.0.0.1:5432/test"
        elif [[ "${CI:-}" == true ]]; then
            echo "test-pg: PostgreSQL is required in CI (set PUM_TEST_DATABASE_URL)" >&2; exit 1
        else
            echo "test-pg: no PostgreSQL at 127.0.0.1:5432; skipped (set PUM_TEST_DATABASE_URL)" >&2; exit 0
        fi
    fi
    PUM_TEST_DATABASE_URL="$url" cargo nextest run --locked -p pum-db -p pum-core -p pum-server

# End-to-end tests: Playwright drives the built SPA of a running `pum demo` in Chromium
e2e:
    cargo build --locked -p pum-server --bin pum
    npm run --silent e2e

# Regenerate openapi/openapi.json from the code
openapi:
    UPDATE_EXPECT=1 cargo nextest run --locked -p pum-server openapi_document_is_fresh

# Regenerate docs/config.md from the code
config-docs:
    UPDATE_EXPECT=1 cargo nextest run --locked -p pum-server config_reference_is_fresh

# Database migrations: `just migrate status` or `just migrate up`
migrate *args:
    cargo run --locked -p pum-server --bin pum -- migrate {{ args }}

# The Plex simulator on its own; prints its URLs and owner token as one JSON line
sim *args:
    cargo run --locked -p plex-sim -- {{ args }}
