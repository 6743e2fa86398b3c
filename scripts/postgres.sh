#!/usr/bin/env bash
# Starts or stops a throw-away PostgreSQL server for tests and benchmarks.
#   scripts/postgres.sh start DIR PORT   -> prints the connection string (without a database)
#   scripts/postgres.sh restart DIR PORT -> starts the server of DIR again (after a crash, say)
#   scripts/postgres.sh stop DIR
# PostgreSQL refuses to run as root, so it runs as the system user "postgres" (created if
# missing), with its data and socket under DIR, listening on 127.0.0.1:PORT only. It is stopped by
# its data directory, never by name: other servers may run on the machine.
set -euo pipefail

find_bin() {
  if command -v "$1" >/dev/null 2>&1; then command -v "$1"; return; fi
  local found; found=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
  [ -n "$found" ] && [ -x "$found/$1" ] && { echo "$found/$1"; return; }
  return 1
}

case "${1:-}" in
  start)
    dir=$2 port=$3
    if ! initdb=$(find_bin initdb) || ! pg_ctl=$(find_bin pg_ctl); then
      if command -v apt-get >/dev/null 2>&1; then
        echo "postgres.sh: installing PostgreSQL (apt)" >&2
        DEBIAN_FRONTEND=noninteractive apt-get update -q >/dev/null
        DEBIAN_FRONTEND=noninteractive apt-get install -y -q postgresql >/dev/null
        initdb=$(find_bin initdb); pg_ctl=$(find_bin pg_ctl)
      else
        echo "postgres.sh: PostgreSQL (initdb, pg_ctl) is not installed" >&2; exit 1
      fi
    fi
    id postgres >/dev/null 2>&1 || useradd --system --no-create-home postgres
    mkdir -p "$dir"
    chown postgres "$dir"
    chmod 700 "$dir"
    run() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
    run "$initdb" -D "$dir/data" -A trust -U postgres --no-sync >/dev/null
    if ! run "$pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
      -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c max_connections=400 -c shared_buffers=128MB" start >/dev/null; then
      # The server's own words say why (a port taken, too little shared memory): they go to the caller.
      echo "postgres.sh: PostgreSQL did not start on port $port; the end of $dir/server.log:" >&2
      tail -n 20 "$dir/server.log" >&2 2>/dev/null || true
      exit 1
    fi
    echo "Host=127.0.0.1;Port=$port;Username=postgres;Password=unused;Maximum Pool Size=30"
    ;;
  restart)
    dir=$2 port=$3
    pg_ctl=$(find_bin pg_ctl)
    # A killed postmaster whose parent does not reap it (a container whose first process is no
    # init) stays a zombie, and PostgreSQL takes its PID file for a live server: a dead one goes.
    if [ -f "$dir/data/postmaster.pid" ]; then
      old=$(head -n 1 "$dir/data/postmaster.pid")
      if [ ! -e "/proc/$old" ] || awk '{ exit ($3 == "Z") ? 0 : 1 }' "/proc/$old/stat" 2>/dev/null; then
        rm -f "$dir/data/postmaster.pid" "$dir/.s.PGSQL.$port" "$dir/.s.PGSQL.$port.lock"
      fi
    fi
    run() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
    run "$pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 120 \
      -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c max_connections=400 -c shared_buffers=128MB" start >/dev/null
    ;;
  stop)
    dir=$2
    pg_ctl=$(find_bin pg_ctl)
    if [ -f "$dir/data/postmaster.pid" ]; then
      # (A server already gone, killed say, leaves its PID file behind: nothing to stop then.)
      if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null 2>&1 || true
      else "$pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null 2>&1 || true; fi
    fi
    rm -rf "$dir"
    ;;
  *)
    echo "usage: $0 start DIR PORT | restart DIR PORT | stop DIR" >&2; exit 2 ;;
esac
