#!/usr/bin/env bash
# Load test: sustained ballot changes per second over HTTP, with latency percentiles.
#   bench/load/ballots.sh sqlite|postgres [SECONDS] [CONNECTIONS]
# Seeds a council of 1,000 members with one open decision, starts `shura serve` (Release) on
# it, and lets wrk change members' ballots as fast as the server acknowledges them. Every
# acknowledged change is durable (SQLite: WAL with synchronous=FULL; PostgreSQL: defaults).
# Afterwards `shura verify` recomputes the log's chain and the store must be intact.
set -euo pipefail
cd "$(dirname "$0")/../.."
engine=${1:-sqlite} seconds=${2:-30} connections=${3:-64}
command -v wrk >/dev/null || { echo "installing wrk" >&2; DEBIAN_FRONTEND=noninteractive apt-get install -y -q wrk >/dev/null; }

work=$(mktemp -d /tmp/shura-load.XXXXXX)
pg_dir=$(mktemp -d /tmp/shura-load-pg.XXXXXX)   # its own top folder: the postgres user must reach it
server_pid=""
cleanup() {
  [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null || true
  scripts/postgres.sh stop "$pg_dir" >/dev/null 2>&1 || true
  rm -rf "$work" "$pg_dir"
}
trap cleanup EXIT

if [ "$engine" = postgres ]; then
  db="$(scripts/postgres.sh start "$pg_dir" 55499);Database=shura_load"
else
  db="$work/shura.db"
fi

dotnet build -c Release src/Shura.Cli -v q -nologo >/dev/null
dotnet build -c Release bench/Shura.Load -v q -nologo >/dev/null
motion=$(dotnet bench/Shura.Load/bin/Release/net10.0/Shura.Load.dll ballots "$db" 1000 "$work/tokens.txt")
dotnet src/Shura.Cli/bin/Release/net10.0/shura.dll serve --urls http://127.0.0.1:5099 --db "$db" > "$work/server.log" 2>&1 &
server_pid=$!
for _ in $(seq 1 100); do curl -sf http://127.0.0.1:5099/openapi/v1.json >/dev/null && break; sleep 0.2; done

export SHURA_TOKENS="$work/tokens.txt" SHURA_MOTION="$motion"
echo "warming up (5 s)..." >&2
wrk -t2 -c"$connections" -d5s -s bench/load/ballots.lua http://127.0.0.1:5099 >/dev/null 2>"$work/warmup.err"
echo "measuring $engine: $seconds s, $connections connections, 2 wrk threads" >&2
wrk -t2 -c"$connections" -d"${seconds}s" --latency -s bench/load/ballots.lua http://127.0.0.1:5099 2>"$work/errors.txt"
echo "non-200 answers: $(wc -l < "$work/errors.txt")"
kill "$server_pid"; wait "$server_pid" 2>/dev/null || true; server_pid=""
dotnet src/Shura.Cli/bin/Release/net10.0/shura.dll verify --db "$db"
