#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for the tests: Debian's postgresql package, a cluster in .test-pg/
# owned by the unprivileged "postgres" user, listening on 127.0.0.1 only (port $BATOU_TEST_PG_PORT, default 55432),
# socket in .test-pg/run. Prints the connection string for BATOU_TEST_PG. "stop" stops it.
set -euo pipefail
cd "$(dirname "$0")/.."
dir="$PWD/.test-pg"
port="${BATOU_TEST_PG_PORT:-55432}"
bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
[ -n "$bin" ] || { echo "postgresql is not installed" >&2; exit 1; }
as_pg() {
  if [ "$(id -un)" = postgres ]; then "$@"
  elif [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"
  else sudo -u postgres -- "$@"; fi
}

if [ "${1:-}" = stop ]; then
  [ -f "$dir/data/postmaster.pid" ] && as_pg "$bin/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null
  exit 0
fi
mkdir -p "$dir/run"
if [ "$(id -u)" = 0 ]; then chown -R postgres "$dir"; else sudo chown -R postgres "$dir"; fi
if [ ! -f "$dir/data/PG_VERSION" ]; then
  as_pg "$bin/initdb" -D "$dir/data" -U postgres --auth=trust -E UTF8 >/dev/null
fi
if ! as_pg "$bin/pg_ctl" -D "$dir/data" status >/dev/null 2>&1; then
  as_pg "$bin/pg_ctl" -D "$dir/data" -l "$dir/log" -w \
    -o "-p $port -k $dir/run -c listen_addresses=127.0.0.1 -c max_connections=200 -c fsync=off" start >/dev/null
fi
echo "Host=127.0.0.1;Port=$port;Username=postgres;Database=postgres"
