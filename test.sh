#!/usr/bin/env bash
# Runs Shura's whole test suite on a clean machine and prints one closing line:
#   tests: N passed, N failed, N skipped
# It installs what the tests need and is missing, and stops whatever it started.
# (Issue 2 needs only the .NET SDK; PostgreSQL, Redis and Chromium join as the features that need them land.)
set -euo pipefail
cd "$(dirname "$0")"

say() { printf 'test.sh: %s\n' "$*" >&2; }

if ! command -v dotnet >/dev/null 2>&1; then
  say "the .NET SDK is missing; install .NET SDK 10 (see global.json) and run again"
  exit 1
fi

shared="$(cd .. && pwd)/shared/data/elections"
if [ ! -d "$shared" ]; then
  say "the real election files are missing: expected $shared (../shared beside the repository)"
  exit 1
fi

results="artifacts/test-results"
rm -rf "$results"
mkdir -p "$results"

status=0
dotnet test Shura.slnx --configuration Release --logger "trx" --results-directory "$results" || status=$?

passed=0 failed=0 total=0
shopt -s nullglob
for trx in "$results"/*.trx; do
  counters=$(grep -o '<Counters [^>]*>' "$trx" | head -n 1)
  get() { printf '%s' "$counters" | grep -o " $1=\"[0-9]*\"" | grep -o '[0-9]*'; }
  total=$((total + $(get total)))
  passed=$((passed + $(get passed)))
  failed=$((failed + $(get failed)))
done
skipped=$((total - passed - failed))

echo "tests: $passed passed, $failed failed, $skipped skipped"
if [ "$total" -eq 0 ]; then
  say "no test ran"
  exit 1
fi
if [ "$failed" -ne 0 ] || [ "$status" -ne 0 ]; then
  exit 1
fi
