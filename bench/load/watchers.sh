#!/usr/bin/env bash
# Load test: ballot changes with and without live watchers of the same motion, in one run.
#   bench/load/watchers.sh sqlite|postgres [SECONDS] [WATCHERS] [MEMBERS] [CONNECTIONS] [decision|stv]
# Seeds a council of MEMBERS (default 1,000) with one open motion — a decision, or an election of
# 20 seats among 200 candidates counted by STV, ranked five at a time — and starts `shura serve`
# (Release). First wrk changes ballots alone for SECONDS; then WATCHERS SignalR clients watch the
# motion's page as the page script does (taking the parts pushed to them), a probe casts a ballot
# every 100 ms, and wrk changes ballots for SECONDS more. Prints both wrk summaries, the server's
# CPU and memory in each, and what the watchers saw: update rate and staleness (from a probe
# ballot's acknowledgement to the first update that counted it). Loopback only; bounded by
# SECONDS; `shura verify` checks the store afterwards.
set -euo pipefail
cd "$(dirname "$0")/../.."
engine=${1:-sqlite} seconds=${2:-20} watchers=${3:-200} members=${4:-1000} connections=${5:-32} kind=${6:-decision}
port=5098 pg_port=55498 name=shura_watch
command -v wrk >/dev/null || { echo "installing wrk" >&2; DEBIAN_FRONTEND=noninteractive apt-get install -y -q wrk >/dev/null; }
source bench/load/stage.sh

if [ "$kind" = stv ]; then
  motion=$(dotnet "$load" ballots "$db" "$members" "$work/tokens.txt" stv)
  export SHURA_OPTIONS="$work/tokens.txt.options"
else
  motion=$(dotnet "$load" ballots "$db" "$members" "$work/tokens.txt")
fi
start_server
export SHURA_TOKENS="$work/tokens.txt" SHURA_MOTION="$motion"
ticks=$(getconf CLK_TCK)
cpu() { awk '{print $14 + $15}' "/proc/$server_pid/stat"; }
server_use() { # CPU since $1 over $2 seconds, and resident memory now
  echo "server: $(( ($(cpu) - $1) * 100 / ticks / $2 ))% of one core, $(ps -o rss= -p "$server_pid" | awk '{printf "%.0f MB resident", $1/1024}')"
}
wrk -t2 -c"$connections" -d5s -s bench/load/ballots.lua "http://127.0.0.1:$port" >/dev/null 2>&1
echo "== $engine, $members members, $kind: ballots alone, $seconds s, $connections connections"
before=$(cpu)
wrk -t2 -c"$connections" -d"${seconds}s" --latency -s bench/load/ballots.lua "http://127.0.0.1:$port" 2>/dev/null | grep -E "Requests/sec|50%|99%"
server_use "$before" "$seconds"
echo "== the same with $watchers watchers"
dotnet "$load" watch "http://127.0.0.1:$port" "$motion" "$watchers" "$seconds" "$work/tokens.txt" > "$work/watchers.txt" &
watch_pid=$!
until grep -q ready "$work/watchers.txt" 2>/dev/null; do sleep 0.5; kill -0 "$watch_pid" || { cat "$work/watchers.txt"; exit 1; }; done
before=$(cpu)
wrk -t2 -c"$connections" -d"${seconds}s" --latency -s bench/load/ballots.lua "http://127.0.0.1:$port" 2>/dev/null | grep -E "Requests/sec|50%|99%"
server_use "$before" "$seconds"
wait "$watch_pid"
grep -v ready "$work/watchers.txt"
stop_server
dotnet "$shura" verify --db "$db" | tail -1
