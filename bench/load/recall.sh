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
port=5098 pg_port=55498 name=shura_recall
source bench/load/stage.sh

echo "seeding $members members ($engine)..." >&2
start=$(date +%s)
dotnet "$load" recall "$db" "$members" "$work/info.txt"
echo "seeded in $(( $(date +%s) - start )) s" >&2
start_server
dotnet "$load" measure-recall "http://127.0.0.1:$port" "$work/info.txt"
stop_server
dotnet "$shura" verify --db "$db"
