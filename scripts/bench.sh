#!/usr/bin/env bash
# scripts/bench.sh: the benchmarks (`make bench`).  Each prints rates and the
# ratio against the baseline it names, measured in the same run: ratios, not
# absolute times, because machines are shared and noisy.

source "$(dirname "$0")/lib.sh"
cd "$TTHC_ROOT"

port=${TTHC_BENCH_PORT:-54317}
dir=${TTHC_BENCH_CLUSTER_DIR:-/tmp/tthc-bench-$port}

tthc_ensure_packages
tthc_build_install
tthc_say "starting a throwaway cluster on port $port"
tthc_cluster_start "$port" "$dir" fresh
trap 'tthc_cluster_stop "$dir"' EXIT

psql -q -X -v ON_ERROR_STOP=1 -c 'CREATE DATABASE tthc_bench' >/dev/null
export PGDATABASE=tthc_bench
psql -q -X -v ON_ERROR_STOP=1 -c 'CREATE EXTENSION tthc' >/dev/null

echo
echo "== add_working_time: C against plain SQL (test/reference), 1 backend =="
psql -q -X -f test/bench/calendar.sql | sed -n '/C calls/,$p'

echo
echo "== the write path: tthc.dossier against the same table without triggers =="
bash test/bench/engine.sh

echo
echo "== sync messages: tthc.sync and the inbox against PL/pgSQL over jsonb =="
psql -q -X -f test/bench/sync.sql | sed -n '/way/,$p'


# reading: needs a national demo catalogue and many dossiers (slow to load)
n=${TTHC_BENCH_DOSSIERS:-10000000}
if [ "$n" -gt 0 ]; then
  echo
  echo "== reading one province's month, and the national scoreboards: tallies against the raw rows, over $n dossiers =="
  psql -q -X -v ON_ERROR_STOP=1 -c 'CREATE DATABASE tthc_read' >/dev/null
  export PGDATABASE=tthc_read
  psql -q -X -v ON_ERROR_STOP=1 -c 'CREATE EXTENSION tthc' >/dev/null
  psql -q -X -v ON_ERROR_STOP=1 -v datadir="$TTHC_ROOT/demo/data" -f demo/generate_catalogue.sql >/dev/null
  t0=$(date +%s)
  psql -q -X -v ON_ERROR_STOP=1 -v count="$n" -v until=2026-11-23 -f demo/generate_dossiers.sql >/dev/null
  echo "  (loaded in $(( $(date +%s) - t0 ))s)"
  psql -q -X -f test/bench/read.sql | sed -n '/dossiers/,$p'
fi
