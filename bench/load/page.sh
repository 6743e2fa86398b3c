#!/usr/bin/env bash
# Load test: what one view of a motion's page costs, in a small council and in a large one.
#   bench/load/page.sh sqlite|postgres [SECONDS] [CONNECTIONS] [SMALL] [LARGE]
# For each size (default 100 and 100,000 members) seeds a council with one open decision, starts
# `shura serve` (Release), lets wrk cast ballots for members/2000 + 5 seconds (most members end up
# with one; the line printed says how many) and then read the motion's page as an anonymous
# visitor, with its live result, for SECONDS. Loopback only.
set -euo pipefail
cd "$(dirname "$0")/../.."
engine=${1:-sqlite} seconds=${2:-15} connections=${3:-16} small=${4:-100} large=${5:-100000}
port=5097 pg_port=55497
command -v wrk >/dev/null || { echo "installing wrk" >&2; DEBIAN_FRONTEND=noninteractive apt-get install -y -q wrk >/dev/null; }
for members in "$small" "$large"; do
  name="shura_page_$members"
  (
    source bench/load/stage.sh
    motion=$(dotnet "$load" ballots "$db" "$members" "$work/tokens.txt")
    start_server
    export SHURA_TOKENS="$work/tokens.txt" SHURA_MOTION="$motion"
    wrk -t2 -c16 -d"$(( members / 2000 + 5 ))s" -s bench/load/ballots.lua "http://127.0.0.1:$port" >/dev/null 2>&1
    wrk -t2 -c"$connections" -d3s "http://127.0.0.1:$port/motions/$motion" >/dev/null 2>&1
    echo "== $engine, $members members: GET /motions/{id}, $seconds s, $connections connections, $(curl -s "http://127.0.0.1:$port/api/v1/motions/$motion" | grep -o '"ballots":[0-9]*' | head -1)"
    wrk -t2 -c"$connections" -d"${seconds}s" --latency "http://127.0.0.1:$port/motions/$motion" | grep -E "Requests/sec|50%|99%"
    stop_server
  )
done
