#!/usr/bin/env bash
# scripts/lib.sh: what the demo, test and bench scripts share.
#  - tthc_ensure_packages: install the Debian packages the build and tests need
#  - tthc_build_install:   build and install the extension
#  - tthc_cluster_start / tthc_cluster_stop: a throwaway PostgreSQL cluster on
#    a local socket, owned by a non-root OS user (PostgreSQL refuses root)
# Settings (environment): TTHC_PG_VERSION (15), TTHC_PORT, TTHC_CLUSTER_DIR.

set -euo pipefail

TTHC_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
TTHC_PG_VERSION=${TTHC_PG_VERSION:-15}
PGBIN=/usr/lib/postgresql/$TTHC_PG_VERSION/bin

tthc_say() { printf '==> %s\n' "$*" >&2; }

# Run a command as root: directly, or through sudo for a normal user.
tthc_as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

tthc_ensure_packages() {
  local pkgs=(make gcc libc6-dev
              "postgresql-$TTHC_PG_VERSION" "postgresql-server-dev-$TTHC_PG_VERSION"
              "postgresql-$TTHC_PG_VERSION-pgtap" libtap-parser-sourcehandler-pgtap-perl
              libcjson-dev clang libclang-rt-14-dev)
  local missing=() p
  for p in "${pkgs[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
  done
  if [ ${#missing[@]} -gt 0 ]; then
    tthc_say "installing ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    tthc_as_root apt-get update -qq
    tthc_as_root apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  fi
  export PATH="$PGBIN:$PATH"
  PG_CONFIG=$PGBIN/../bin/pg_config
  [ -x "$PG_CONFIG" ] || PG_CONFIG=$(command -v pg_config)
  export PG_CONFIG
}

tthc_build_install() {
  tthc_say "building and installing tthc"
  make -C "$TTHC_ROOT" -s PG_CONFIG="$PG_CONFIG" >/dev/null
  tthc_as_root make -C "$TTHC_ROOT" -s PG_CONFIG="$PG_CONFIG" install >/dev/null
}

# The OS user that owns the cluster: postgres when we are root, else ourselves.
tthc_cluster_user() {
  if [ "$(id -u)" -eq 0 ]; then echo postgres; else id -un; fi
}

tthc_as_cluster_user() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

# tthc_cluster_start PORT DIR [fresh]: start (or reuse) a cluster; exports
# PGHOST, PGPORT, PGUSER and PGDATABASE for psql and pg_regress.
tthc_cluster_start() {
  local port=$1 dir=$2 fresh=${3:-}
  local user; user=$(tthc_cluster_user)
  if [ -n "$fresh" ] && [ -d "$dir" ]; then
    tthc_cluster_stop "$dir"
    tthc_as_root rm -rf "$dir"
  fi
  if [ ! -f "$dir/data/PG_VERSION" ]; then
    tthc_as_root mkdir -p "$dir"
    tthc_as_root chown "$user" "$dir"
    tthc_as_cluster_user "$PGBIN/initdb" -D "$dir/data" -U "$user" --auth=trust \
      --encoding=UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 \
      || { cat "$dir/initdb.log" >&2; return 1; }
  fi
  if ! tthc_as_cluster_user "$PGBIN/pg_ctl" -D "$dir/data" status >/dev/null 2>&1; then
    tthc_as_cluster_user "$PGBIN/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
      -o "-p $port -k $dir -c listen_addresses='' -c max_connections=100 \
          -c max_prepared_transactions=10 -c shared_buffers=256MB" start >/dev/null \
      || { tail -20 "$dir/server.log" >&2; return 1; }
  fi
  export PGHOST=$dir PGPORT=$port PGUSER=$user PGDATABASE=postgres
}

tthc_cluster_stop() {
  local dir=$1
  if [ -f "$dir/data/PG_VERSION" ]; then
    tthc_as_cluster_user "$PGBIN/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null 2>&1 || true
  fi
}
