#!/usr/bin/env bash
# Measures how fast a release `pum serve` starts and how much memory it holds when idle.
#   scripts/bench-startup.sh [path/to/pum] [runs]
# Start time = process start until /healthz answers 200, on a fresh SQLite data dir (includes
# creating the database and running every migration) and again on the migrated one.
set -euo pipefail
pum="${1:-${CARGO_TARGET_DIR:-$HOME/.cache/pum-target}/release/pum}"
runs="${2:-5}"
port=57999
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

ms() { date +%s%N | cut -c1-13; }

# The server runs in a subshell's background, so it is not our child: poll until it is gone.
stop() {
  kill -TERM "$1"
  while kill -0 "$1" 2>/dev/null; do sleep 0.01; done
}

start_once() {
  local data="$1" begin pid elapsed
  begin="$(ms)"
  PUM_LOG=warn "$pum" serve --bind "127.0.0.1:$port" --data-dir "$data" >/dev/null 2>&1 &
  pid=$!
  until curl -fsS "http://127.0.0.1:$port/healthz" >/dev/null 2>&1; do sleep 0.002; done
  elapsed=$(( $(ms) - begin ))
  echo "$pid $elapsed"
}

echo "binary: $pum ($(du -h "$pum" | cut -f1))"
for kind in fresh migrated; do
  total=0
  for i in $(seq "$runs"); do
    data="$work/$kind"
    [[ "$kind" == fresh ]] && rm -rf "$data"
    read -r pid elapsed < <(start_once "$data")
    stop "$pid"
    total=$(( total + elapsed ))
    echo "  $kind start $i: ${elapsed} ms"
  done
  echo "$kind: mean $(( total / runs )) ms over $runs runs"
done

read -r pid _ < <(start_once "$work/migrated")
sleep 5
grep -E 'VmRSS|RssAnon|RssFile|Threads' "/proc/$pid/status" | sed 's/^/idle after 5 s: /'
stop "$pid"
