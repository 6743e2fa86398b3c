#!/usr/bin/env bash
# Load test: one new post fanned out to a council's followers on the fediverse while ballots pour in.
#   bench/load/fediverse.sh sqlite|postgres [shared|personal] [FOLLOWERS] [SERVERS] [SECONDS]
# Seeds a public council of 1,000 members with an open decision, followed by FOLLOWERS people
# (default 10,000) on SERVERS servers (default 200) whose inboxes listen on loopback — each server
# giving a shared inbox as Mastodon does (shared: one delivery per server), or not (personal: one
# per follower) — and starts `shura serve` (Release) allowed to reach loopback. wrk changes ballots
# alone for SECONDS; then again for SECONDS, and 3 s in a member publishes a post: prints how long
# until its Create reached every inbox (one in 50 signatures checked with the council's key), and
# both wrk summaries, so that ballots alone and ballots during the fan-out are seen side by side.
set -euo pipefail
cd "$(dirname "$0")/../.."
engine=${1:-sqlite} kind=${2:-personal} followers=${3:-10000} servers=${4:-200} seconds=${5:-20}
port=5097 pg_port=55497 name=shura_fediverse base_port=21000 members=1000 connections=32
command -v wrk >/dev/null || { echo "installing wrk" >&2; DEBIAN_FRONTEND=noninteractive apt-get install -y -q wrk >/dev/null; }
source bench/load/stage.sh

read -r motion council < <(dotnet "$load" fediverse "$db" "$members" "$followers" "$servers" "$base_port" "$kind" "$work/tokens.txt")
[ "$kind" = shared ] && expected=$servers || expected=$followers
start_server --fediverse-allow-private
export SHURA_TOKENS="$work/tokens.txt" SHURA_MOTION="$motion"
# The council's key is made when its actor is first read, as when the first follower looked it up.
curl -sf -H 'Accept: application/activity+json' "http://127.0.0.1:$port/ap/councils/$council" >/dev/null
dotnet "$load" inboxes "$base_port" "$servers" "$expected" $((seconds * 4)) "http://127.0.0.1:$port" > "$work/inboxes.txt" &
inboxes_pid=$!
until grep -q ready "$work/inboxes.txt" 2>/dev/null; do sleep 0.2; kill -0 "$inboxes_pid" || { cat "$work/inboxes.txt"; exit 1; }; done

wrk -t2 -c"$connections" -d5s -s bench/load/ballots.lua "http://127.0.0.1:$port" >/dev/null 2>&1
echo "== $engine: ballots alone, $seconds s, $connections connections"
wrk -t2 -c"$connections" -d"${seconds}s" --latency -s bench/load/ballots.lua "http://127.0.0.1:$port" 2>/dev/null | grep -E "Requests/sec|50%|99%"
echo "== the same while one post goes to $followers followers on $servers servers ($kind inboxes: $expected deliveries)"
wrk -t2 -c"$connections" -d"${seconds}s" --latency -s bench/load/ballots.lua "http://127.0.0.1:$port" > "$work/wrk.txt" 2>/dev/null &
wrk_pid=$!
sleep 3
published=$(date +%s%3N)
curl -sf -X POST "http://127.0.0.1:$port/api/v1/councils/$council/posts" -H "Authorization: Bearer $(head -1 "$work/tokens.txt")" \
  -H 'Content-Type: application/json' -d '{"kind":"news","title":"Strike on Monday","text":"All lines stop at six."}' >/dev/null
wait "$wrk_pid"
grep -E "Requests/sec|50%|99%" "$work/wrk.txt"
wait "$inboxes_pid" || true
result=$(cat "$work/inboxes.txt" | grep -v ready)
echo "$result"
if [[ "$result" == delivered* ]]; then
  last=$(echo "$result" | awk '{print $6}')
  echo "post published to every inbox: $(( last - published )) ms after it was published"
fi
stop_server
dotnet "$shura" verify --db "$db" | tail -1
