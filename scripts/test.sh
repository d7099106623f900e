#!/usr/bin/env bash
# scripts/test.sh: every test of tthc, on a fresh machine, as root or not.
#
# Installs what is missing, builds and installs the extension, runs the C
# unit tests of the core (AddressSanitizer), then starts a throwaway cluster
# and runs pg_regress, the isolation specs and pgTAP (pg_prove) against it.
# Ends with one line "N passed, N failed"; exits non-zero on any failure.

source "$(dirname "$0")/lib.sh"
cd "$TTHC_ROOT"

port=${TTHC_TEST_PORT:-54316}
dir=${TTHC_TEST_CLUSTER_DIR:-/tmp/tthc-test-$port}
log=$(mktemp -d /tmp/tthc-test-log.XXXXXX)
passed=0
failed=0

count() {  # count LABEL PASS FAIL
  printf '%-12s %d passed, %d failed\n' "$1:" "$2" "$3"
  passed=$((passed + $2)); failed=$((failed + $3))
}

tthc_ensure_packages
make -s clean >/dev/null 2>&1 || true
tthc_build_install

# 1. C unit tests of the core
tthc_say "C unit tests (src/core, under ASan/UBSan)"
make -s unit >"$log/unit.out" 2>&1 || true
grep -vE '^ok ' "$log/unit.out" || true
u_ok=$(grep -c '^ok ' "$log/unit.out" || true)
u_bad=$(grep -c '^not ok ' "$log/unit.out" || true)
# a crash or sanitizer report without a "not ok" line still fails
if grep -qE 'ERROR: (Address|Undefined|Leak)Sanitizer|runtime error|Aborted|Segmentation' "$log/unit.out"; then
  u_bad=$((u_bad + 1))
fi
count unit "$u_ok" "$u_bad"

# libFuzzer over the sync payload parser, briefly (make fuzz for longer)
tthc_say "fuzzing the sync parser (${TTHC_FUZZ_SECONDS:-20} s)"
bash test/fuzz/run.sh "${TTHC_FUZZ_SECONDS:-20}" >"$log/fuzz.out" 2>&1 || true
grep -vE '^ok ' "$log/fuzz.out" || true
f_ok=$(grep -c '^ok 1 - fuzz_sync' "$log/fuzz.out" || true)
f_bad=$(grep -c '^not ok ' "$log/fuzz.out" || true)
[ "$f_ok" -eq 0 ] && [ "$f_bad" -eq 0 ] && f_bad=1
count fuzz "$f_ok" "$f_bad"

# 2. a fresh cluster for the SQL suites
tthc_say "starting a throwaway cluster on port $port"
tthc_cluster_start "$port" "$dir" fresh
trap 'tthc_cluster_stop "$dir"' EXIT

# pg_regress writes its results into the tree; make that writable for it
tthc_say "pg_regress"
make -s installcheck ISOLATION= PG_CONFIG="$PG_CONFIG" >"$log/regress.out" 2>&1 || true
grep -vE '^(ALTER DATABASE|CREATE DATABASE|DROP DATABASE|$)' "$log/regress.out" || true
r_ok=$(grep -cE '^(ok|test) .*\.\.\. ok|^ok [0-9]+ ' "$log/regress.out" || true)
r_bad=$(grep -cE '\.\.\. FAILED|^not ok [0-9]+ |failed \(ignored\)' "$log/regress.out" || true)
[ -f regression.diffs ] && [ "$r_bad" -eq 0 ] && r_bad=1
[ -f regression.diffs ] && cat regression.diffs
count pg_regress "$r_ok" "$r_bad"

tthc_say "isolation specs"
make -s installcheck REGRESS= PG_CONFIG="$PG_CONFIG" >"$log/iso.out" 2>&1 || true
grep -vE '^(ALTER DATABASE|CREATE DATABASE|DROP DATABASE|$)' "$log/iso.out" || true
i_ok=$(grep -cE '\.\.\. ok|^ok [0-9]+ ' "$log/iso.out" || true)
i_bad=$(grep -cE '\.\.\. FAILED|^not ok [0-9]+ ' "$log/iso.out" || true)
[ -f test/isolation/regression.diffs ] && { cat test/isolation/regression.diffs; [ "$i_bad" -eq 0 ] && i_bad=1; }
count isolation "$i_ok" "$i_bad"

# tap_script NAME SCRIPT: a bash script printing TAP with a plan; counts it
tap_script() {
  bash "$2" >"$log/$1.out" 2>&1 || true
  grep -vE '^ok ' "$log/$1.out" || true
  local ok bad
  ok=$(grep -cE '^ok [0-9]+' "$log/$1.out" || true)
  bad=$(grep -cE '^not ok [0-9]+' "$log/$1.out" || true)
  grep -q '^1\.\.' "$log/$1.out" || bad=$((bad + 1))
  count "$1" "$ok" "$bad"
}

# pg_dump and restore keep every row, the calendar's edits and the scores
tthc_say "dump and restore"
tap_script dump test/dump/dump_restore.sh

# every earlier version, created with its data and updated, equals a fresh install
tthc_say "upgrades"
tap_script upgrade test/upgrade/upgrade.sh

# many sessions writing at once, then tallies and scores against the rows
tthc_say "concurrent differential"
tap_script concurrent test/differential/concurrent.sh

# the demo's dossiers as the portal's messages, through the inbox: the same rows and scores
tthc_say "demo dossiers through sync messages"
tap_script messages test/differential/demo_messages.sh

# dossiers partitioned by month: the same rows and scores as one table
tthc_say "dossiers partitioned by month"
tap_script partition test/partition/partition.sh

# SIGKILL the postmaster under concurrent writers, recover, check nothing is lost
tthc_say "crash safety"
tap_script crash test/crash/crash.sh

# 3. pgTAP, one database, every file under test/pgtap
tthc_say "pgTAP (pg_prove)"
psql -q -X -v ON_ERROR_STOP=1 -c 'DROP DATABASE IF EXISTS tthc_tap' >/dev/null 2>&1
psql -q -X -v ON_ERROR_STOP=1 -c 'CREATE DATABASE tthc_tap' >/dev/null
psql -q -X -v ON_ERROR_STOP=1 -d tthc_tap -c 'CREATE EXTENSION pgtap' -c 'CREATE EXTENSION tthc' >/dev/null
pg_prove -v -d tthc_tap test/pgtap/*.sql >"$log/pgtap.out" 2>&1 || true
grep -vE '^ok ' "$log/pgtap.out" || true
t_ok=$(grep -cE '^ok [0-9]+' "$log/pgtap.out" || true)
t_bad=$(grep -cE '^not ok [0-9]+' "$log/pgtap.out" || true)
grep -q '^Result: PASS' "$log/pgtap.out" || { [ "$t_bad" -eq 0 ] && t_bad=1; }
count pgtap "$t_ok" "$t_bad"

rm -rf "$log"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
