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
port=5099 pg_port=55499 name=shura_load
command -v wrk >/dev/null || { echo "installing wrk" >&2; DEBIAN_FRONTEND=noninteractive apt-get install -y -q wrk >/dev/null; }
source bench/load/stage.sh

motion=$(dotnet "$load" ballots "$db" 1000 "$work/tokens.txt")
start_server

export SHURA_TOKENS="$work/tokens.txt" SHURA_MOTION="$motion"
echo "warming up (5 s)..." >&2
wrk -t2 -c"$connections" -d5s -s bench/load/ballots.lua "http://127.0.0.1:$port" >/dev/null 2>"$work/warmup.err"
echo "measuring $engine: $seconds s, $connections connections, 2 wrk threads" >&2
wrk -t2 -c"$connections" -d"${seconds}s" --latency -s bench/load/ballots.lua "http://127.0.0.1:$port" 2>"$work/errors.txt"
echo "non-200 answers: $(wc -l < "$work/errors.txt")"
stop_server
dotnet "$shura" verify --db "$db"
