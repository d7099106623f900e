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
