#!/usr/bin/env bash
# Starts or stops a throw-away Redis for tests and load runs (several nodes on one PostgreSQL).
#   scripts/redis.sh start DIR PORT   -> prints the address to give `shura serve --redis`
#   scripts/redis.sh stop DIR
# It runs as the system user "redis" (created if missing, as Debian's package does), keeps nothing
# on disk, listens on 127.0.0.1:PORT only, and is stopped by the PID file in DIR, never by name:
# other servers may run on the machine.
set -euo pipefail

case "${1:-}" in
  start)
    dir=$2 port=$3
    if ! command -v redis-server >/dev/null 2>&1; then
      if command -v apt-get >/dev/null 2>&1; then
        echo "redis.sh: installing Redis (apt)" >&2
        DEBIAN_FRONTEND=noninteractive apt-get update -q >/dev/null
        DEBIAN_FRONTEND=noninteractive apt-get install -y -q redis-server >/dev/null
      else
        echo "redis.sh: redis-server is not installed" >&2; exit 1
      fi
    fi
    id redis >/dev/null 2>&1 || useradd --system --no-create-home redis
    mkdir -p "$dir"
    chown redis "$dir"
    run() { if [ "$(id -u)" = 0 ]; then runuser -u redis -- "$@"; else "$@"; fi; }
    run redis-server --port "$port" --bind 127.0.0.1 --dir "$dir" --save "" --appendonly no \
      --daemonize yes --pidfile "$dir/redis.pid" --logfile "$dir/redis.log" >/dev/null
    for _ in $(seq 1 100); do
      redis-cli -p "$port" ping 2>/dev/null | grep -q PONG && { echo "127.0.0.1:$port"; exit 0; }
      sleep 0.1
    done
    echo "redis.sh: Redis did not answer on port $port (see $dir/redis.log)" >&2; exit 1
    ;;
  stop)
    dir=$2
    if [ -f "$dir/redis.pid" ]; then
      pid=$(cat "$dir/redis.pid")
      kill "$pid" 2>/dev/null || true
      for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    fi
    rm -rf "$dir"
    ;;
  *)
    echo "usage: $0 start DIR PORT | stop DIR" >&2; exit 2 ;;
esac
