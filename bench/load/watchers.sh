#!/usr/bin/env bash
# Load test: ballot changes with and without live watchers of the same motion, in one run.
#   bench/load/watchers.sh sqlite|postgres [SECONDS] [WATCHERS] [MEMBERS] [CONNECTIONS]
# Seeds a council of MEMBERS (default 1,000) with one open decision and starts `shura serve`
# (Release). First wrk changes ballots alone for SECONDS; then WATCHERS SignalR clients watch the
# motion, each fetching the page again 100 ms after every "changed" as the page script does, while
# wrk changes ballots for SECONDS more. Prints both wrk summaries and what the watchers saw.
# Loopback only; bounded by SECONDS; `shura verify` checks the store afterwards.
set -euo pipefail
cd "$(dirname "$0")/../.."
engine=${1:-sqlite} seconds=${2:-20} watchers=${3:-200} members=${4:-1000} connections=${5:-32}
port=5098 pg_port=55498 name=shura_watch
command -v wrk >/dev/null || { echo "installing wrk" >&2; DEBIAN_FRONTEND=noninteractive apt-get install -y -q wrk >/dev/null; }
source bench/load/stage.sh

motion=$(dotnet "$load" ballots "$db" "$members" "$work/tokens.txt")
start_server
export SHURA_TOKENS="$work/tokens.txt" SHURA_MOTION="$motion"
wrk -t2 -c"$connections" -d5s -s bench/load/ballots.lua "http://127.0.0.1:$port" >/dev/null 2>&1
echo "== $engine, $members members: ballots alone, $seconds s, $connections connections"
wrk -t2 -c"$connections" -d"${seconds}s" --latency -s bench/load/ballots.lua "http://127.0.0.1:$port" 2>/dev/null | grep -E "Requests/sec|50%|99%"
echo "== the same with $watchers watchers"
dotnet "$load" watch "http://127.0.0.1:$port" "$motion" "$watchers" "$((seconds + 5))" > "$work/watchers.txt" &
watch_pid=$!
until grep -q ready "$work/watchers.txt" 2>/dev/null; do sleep 0.5; kill -0 "$watch_pid" || { cat "$work/watchers.txt"; exit 1; }; done
wrk -t2 -c"$connections" -d"${seconds}s" --latency -s bench/load/ballots.lua "http://127.0.0.1:$port" 2>/dev/null | grep -E "Requests/sec|50%|99%"
wait "$watch_pid"
grep -v ready "$work/watchers.txt"
echo "server: $(ps -o rss= -p "$server_pid" | awk '{printf "%.0f MB resident", $1/1024}')"
stop_server
dotnet "$shura" verify --db "$db" | tail -1
