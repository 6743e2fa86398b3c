#!/usr/bin/env bash
# Runs Shura's whole test suite on a clean machine and prints one closing line:
#   tests: N passed, N failed, N skipped
# It installs what the tests need and is missing, and stops whatever it started.
# It installs Chromium for the browser tests where it is missing.
# It starts a real PostgreSQL (as the non-root user "postgres") so every storage test runs on both
# SQLite and PostgreSQL, and a real Redis (as the user "redis") for the tests of several nodes on
# one PostgreSQL, and stops both on exit.
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

# The browser tests drive Debian's Chromium; the page scripts and the accessibility checker come
# from npm; the image tests read metadata with exiftool. Install what is missing (as root, with apt) before anything starts.
need=()
[ -x /usr/bin/chromium ] || need+=(chromium)
command -v npm >/dev/null 2>&1 || need+=(nodejs npm)
command -v redis-server >/dev/null 2>&1 || need+=(redis-server)
# nginx is the reverse proxy (holding the certificate) in front of shura serve, as docs/deploy.md sets it up.
[ -x /usr/sbin/nginx ] || need+=(nginx-light)
# exiftool writes GPS and XMP into the test photos and reads what the server kept: a reader we did not write.
command -v exiftool >/dev/null 2>&1 || need+=(libimage-exiftool-perl)
# jing validates the Atom feeds against the RELAX NG grammar of RFC 4287.
command -v jing >/dev/null 2>&1 || need+=(jing)
if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null 2>&1; then
    say "missing: ${need[*]}; install them (Debian: apt-get install ${need[*]}) and run again"
    exit 1
  fi
  say "installing ${need[*]} (apt)"
  DEBIAN_FRONTEND=noninteractive apt-get update -q >/dev/null
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${need[@]}" >/dev/null
fi

# Ports below the system's range for outgoing connections (32768 and up here), so no connection
# the tests open can hold one first, and not one something already listens on.
free_port() {
  local port
  while :; do
    port=$(( $1 + RANDOM % 6000 ))
    (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null || { echo "$port"; return; }
  done
}
pg_dir=$(mktemp -d /tmp/shura-test-pg.XXXXXX)
pg_port=$(free_port 20000)
redis_dir=$(mktemp -d /tmp/shura-test-redis.XXXXXX)
redis_port=$(free_port 26000)
cleanup() {
  scripts/postgres.sh stop "$pg_dir" >/dev/null 2>&1 || true
  scripts/redis.sh stop "$redis_dir" >/dev/null 2>&1 || true
}
trap cleanup EXIT
if ! SHURA_TEST_POSTGRES=$(scripts/postgres.sh start "$pg_dir" "$pg_port"); then
  say "PostgreSQL could not start (see $pg_dir/server.log); the tests need it"
  exit 1
fi
export SHURA_TEST_POSTGRES
export SHURA_REQUIRE_POSTGRES=1
say "PostgreSQL running on 127.0.0.1:$pg_port"
if ! SHURA_TEST_REDIS=$(scripts/redis.sh start "$redis_dir" "$redis_port"); then
  say "Redis could not start (see $redis_dir/redis.log); the tests of several nodes need it"
  exit 1
fi
export SHURA_TEST_REDIS
export SHURA_REQUIRE_REDIS=1
say "Redis running on $SHURA_TEST_REDIS"

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
