#!/usr/bin/env bash
# `npm run bench` entry: compiles the benchmark harness alone when dist/scripts is missing or older than
# its sources (src/ may be mid-edit by others, so the full build is not needed), then runs it.
# Arguments are passed through: npm run bench -- --runs 5 --large --skip-reference --profile
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
out=dist/scripts/bench.js
stale=0
[[ -f $out ]] || stale=1
for f in scripts/bench.ts scripts/bench/*.ts; do
  [[ $stale == 1 || $f -nt $out ]] && stale=1
done
if [[ $stale == 1 ]]; then
  echo "[bench] compiling the benchmark harness (scripts/bench/tsconfig.json)" >&2
  npx tsc -p scripts/bench/tsconfig.json
  touch "$out"
fi
exec node "$out" "$@"
