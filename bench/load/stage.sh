# Shared by the load scripts (sourced, not run): a scratch folder, a store of the chosen engine,
# Release builds, and `shura serve` started on a port and stopped, with everything cleaned up on
# exit. Expects: engine (sqlite|postgres), port (for shura serve), pg_port and name (PostgreSQL).
work=$(mktemp -d /tmp/shura-load.XXXXXX)
pg_dir=$(mktemp -d /tmp/shura-load-pg.XXXXXX)   # its own top folder: the postgres user must reach it
server_pid=""
cleanup() {
  if [ -n "$server_pid" ] && ! kill -0 "$server_pid" 2>/dev/null; then
    echo "the server stopped on its own; the end of its log:" >&2; tail -n 20 "$work/server.log" >&2
  fi
  [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null || true
  scripts/postgres.sh stop "$pg_dir" >/dev/null 2>&1 || true
  rm -rf "$work" "$pg_dir"
}
trap cleanup EXIT

if [ "$engine" = postgres ]; then
  db="$(scripts/postgres.sh start "$pg_dir" "$pg_port");Database=$name"
else
  db="$work/shura.db"
fi

dotnet build -c Release src/Shura.Cli -v q -nologo >/dev/null
dotnet build -c Release bench/Shura.Load -v q -nologo >/dev/null
load=bench/Shura.Load/bin/Release/net10.0/Shura.Load.dll
shura=src/Shura.Cli/bin/Release/net10.0/shura.dll

start_server() {  # options for `shura serve` beyond these may follow
  # The load changes each member's ballot hundreds of times a minute: far past the per-person ballot
  # limit (30 a minute), which is lifted here, since it is the write path that is measured.
  dotnet "$shura" serve --urls "http://127.0.0.1:$port" --db "$db" --ballots-per-minute 1000000 "$@" > "$work/server.log" 2>&1 &
  server_pid=$!
  for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:$port/openapi/v1.json" >/dev/null && break; sleep 0.2; done
}

stop_server() {
  kill "$server_pid"; wait "$server_pid" 2>/dev/null || true; server_pid=""
}
