#!/usr/bin/env bash
# Load test: how long a recall takes to be visible, in a council of MEMBERS (default 100,000).
#   bench/load/recall.sh sqlite|postgres [MEMBERS]
# Seeds a council whose 21-seat mandate has holders one or two withdrawals short of recall,
# starts `shura serve` (Release) on it, and times confidence requests over HTTP one at a time:
# 1,000 that move a count below the threshold, and 20 that cross it, whose answers already show
# the recall. Afterwards `shura verify` replays the log: every recall must follow from it.
set -euo pipefail
cd "$(dirname "$0")/../.."
engine=${1:-sqlite} members=${2:-100000}

work=$(mktemp -d /tmp/shura-recall.XXXXXX)
pg_dir=$(mktemp -d /tmp/shura-recall-pg.XXXXXX)
server_pid=""
cleanup() {
  [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null || true
  scripts/postgres.sh stop "$pg_dir" >/dev/null 2>&1 || true
  rm -rf "$work" "$pg_dir"
}
trap cleanup EXIT

if [ "$engine" = postgres ]; then
  db="$(scripts/postgres.sh start "$pg_dir" 55498);Database=shura_recall"
else
  db="$work/shura.db"
fi

dotnet build -c Release src/Shura.Cli -v q -nologo >/dev/null
dotnet build -c Release bench/Shura.Load -v q -nologo >/dev/null
load=bench/Shura.Load/bin/Release/net10.0/Shura.Load.dll
echo "seeding $members members ($engine)..." >&2
start=$(date +%s)
dotnet "$load" recall "$db" "$members" "$work/info.txt"
echo "seeded in $(( $(date +%s) - start )) s" >&2
dotnet src/Shura.Cli/bin/Release/net10.0/shura.dll serve --urls http://127.0.0.1:5098 --db "$db" > "$work/server.log" 2>&1 &
server_pid=$!
for _ in $(seq 1 100); do curl -sf http://127.0.0.1:5098/openapi/v1.json >/dev/null && break; sleep 0.2; done
dotnet "$load" measure-recall http://127.0.0.1:5098 "$work/info.txt"
kill "$server_pid"; wait "$server_pid" 2>/dev/null || true; server_pid=""
dotnet src/Shura.Cli/bin/Release/net10.0/shura.dll verify --db "$db"
