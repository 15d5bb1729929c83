#!/usr/bin/env bash
# Helpers to run a private PostgreSQL server from a data folder (sourced by test.sh, run-local.sh and the bench scripts).
# PostgreSQL refuses to run as root, so as root the server runs as the `postgres` user.

# PG_BIN_DIR, when set, names the only folder to take PostgreSQL's programs from.
pg_bin_dir() {
  local ctl
  if [ -n "${PG_BIN_DIR:-}" ]; then
    [ -x "$PG_BIN_DIR/pg_ctl" ] && [ -x "$PG_BIN_DIR/initdb" ] && [ -x "$PG_BIN_DIR/psql" ] && readlink -f "$PG_BIN_DIR"
    return 0
  fi
  ctl=$(command -v pg_ctl 2>/dev/null) || true
  if [ -z "$ctl" ]; then
    ctl=$(ls /usr/lib/postgresql/*/bin/pg_ctl 2>/dev/null | sort -V | tail -n 1)
  fi
  [ -n "$ctl" ] && dirname "$(readlink -f "$ctl")"
}

pg_ensure_installed() {
  if [ -n "$(pg_bin_dir)" ]; then return 0; fi
  if [ -n "${PG_BIN_DIR:-}" ]; then return 1; fi
  if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null; then
    echo "PostgreSQL is not installed; installing the postgresql package..." >&2
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null) || return 1
    [ -n "$(pg_bin_dir)" ]
  else
    return 1
  fi
}

pg_free_port() {
  python3 - <<'PY' 2>/dev/null || echo $(( 20000 + RANDOM % 20000 ))
import socket
s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()
PY
}

# pg_as_owner CMD...: runs CMD as the data folder's owner (postgres when we are root).
pg_as_owner() {
  if [ "$(id -u)" = "0" ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

# pg_start DATA_DIR PORT: initialises DATA_DIR on first use, then starts the server on 127.0.0.1:PORT.
pg_start() {
  local data="$1" port="$2" bin
  bin=$(pg_bin_dir)
  mkdir -p "$data"
  if [ "$(id -u)" = "0" ]; then chown postgres "$data"; chmod 700 "$data"; fi
  if [ ! -f "$data/PG_VERSION" ]; then
    pg_as_owner "$bin/initdb" -D "$data" -A trust -U postgres -E UTF8 >"$data.initdb.log" 2>&1 || { cat "$data.initdb.log" >&2; return 1; }
  fi
  pg_as_owner "$bin/pg_ctl" -D "$data" -w -t 60 -l "$data/server.log" \
    -o "-p $port -k $data -c listen_addresses=127.0.0.1 -c max_connections=400 -c fsync=${PG_FSYNC:-on} -c timezone=UTC" start >/dev/null \
    || { tail -n 20 "$data/server.log" >&2; return 1; }
}

pg_stop() {
  local data="$1" bin
  bin=$(pg_bin_dir)
  [ -f "$data/postmaster.pid" ] && pg_as_owner "$bin/pg_ctl" -D "$data" -m fast -w stop >/dev/null 2>&1
  return 0
}
