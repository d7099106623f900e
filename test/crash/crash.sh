#!/usr/bin/env bash
# test/crash/crash.sh: crash safety.  Concurrent writers (dossier inserts,
# updates, deletes and tthc.sync messages) run under pgbench; the postmaster
# is killed with SIGKILL in the middle; the cluster restarts (crash recovery)
# and then:
#   - every write whose transaction committed is there: each writer
#     transaction also appends one row to crash_ledger (code, status, agency)
#     recording what it left, in the same transaction, so the latest ledger
#     row of each code must match tthc.dossier (or its absence);
#   - no acknowledged commit is lost: the ledger grew by at least the number
#     of transactions pgbench saw commit;
#   - tthc.verify() is empty, and still is after tthc.compact().
# TTHC_CRASH_ROUNDS (3) rounds on the same database, each killing at another
# point (TTHC_CRASH_DELAYS, default "2 4 6" seconds, cycled).  Starts and
# removes its own cluster (TTHC_CRASH_PORT, 54391).  Prints TAP.
set -uo pipefail
source "$(dirname "$0")/../../scripts/lib.sh"
set +e            # lib.sh sets -e; the checks below handle their own failures
export PATH="$PGBIN:$PATH"
cd "$TTHC_ROOT"

port=${TTHC_CRASH_PORT:-54391}
dir=${TTHC_CRASH_DIR:-/tmp/tthc-crash-$port}
rounds=${TTHC_CRASH_ROUNDS:-3}
read -r -a delays <<<"${TTHC_CRASH_DELAYS:-2 4 6}"
clients=${TTHC_CRASH_CLIENTS:-8}
db=tthc_crash
work=$(mktemp -d /tmp/tthc-crash-work.XXXXXX)
chmod 755 "$work"
n=0
fail=0
survived=0
lost_total=0
diffs_total=0

cleanup() {
  [ -n "${bench_pid:-}" ] && kill "$bench_pid" 2>/dev/null
  tthc_cluster_stop "$dir"
  tthc_as_root rm -rf "$dir"
  rm -rf "$work"
}
trap cleanup EXIT

pass() { n=$((n + 1)); echo "ok $n - $1"; }
flunk() { n=$((n + 1)); echo "not ok $n - $1"; shift; for l in "$@"; do echo "#   $l"; done; fail=$((fail + 1)); }
q() { psql -X -At -v ON_ERROR_STOP=1 -d $db -c "$1" 2>&1; }

# ---------------------------------------------------------------- setup
if ! tthc_cluster_start "$port" "$dir" fresh >"$work/start.log" 2>&1; then
  flunk "the cluster starts" "$(tail -5 "$work/start.log")"
  echo "1..$n"; exit 1
fi
psql -q -X -v ON_ERROR_STOP=1 -c "CREATE DATABASE $db" >/dev/null || { flunk "create database"; echo "1..$n"; exit 1; }
if ! psql -q -X -v ON_ERROR_STOP=1 -d $db >"$work/setup.log" 2>&1 <<'SQL'
CREATE EXTENSION tthc;
INSERT INTO tthc.agency VALUES ('CA', NULL, 'Tỉnh A', 'province'), ('CB', NULL, 'Bộ B', 'ministry');
INSERT INTO tthc.agency SELECT 'CA.' || i, 'CA', 'Xã ' || i, 'commune' FROM generate_series(1, 4) i;
INSERT INTO tthc.agency SELECT 'CB.' || i, 'CB', 'Cục ' || i, 'department' FROM generate_series(1, 2) i;
INSERT INTO tthc.procedure (code, name, time_limit, fee_required, paper_result, for_citizens, is_certification)
SELECT 'CP' || i, 'Thủ tục ' || i, (ARRAY[0.5, 1, 3, 10])[1 + i % 4], i % 2 = 0, i % 3 = 0, i % 2 = 1, false
  FROM generate_series(1, 4) i;
INSERT INTO tthc.service SELECT a.id, 'CP' || i, 'full'
  FROM tthc.agency a, generate_series(1, 4) i WHERE a.parent_id IS NOT NULL;
-- what each committed writer transaction left: status NULL = the dossier is gone
CREATE TABLE crash_ledger (
  seq bigserial PRIMARY KEY,
  round int NOT NULL,
  code text NOT NULL,
  status smallint,
  agency_id text
);
CREATE INDEX ON crash_ledger (code, seq);
SQL
then
  flunk "the database is set up" "$(tail -5 "$work/setup.log")"
  echo "1..$n"; exit 1
fi
pass "a fresh cluster with tthc, an agency tree and procedures"

# ---------------------------------------------------------------- the writers
# Every code belongs to one client (:client_id in it), so a code's ledger rows
# are in commit order.  Each transaction writes exactly one ledger row.
# ledger CODE-EXPRESSION: the ledger row of the transaction
ledger() { echo "INSERT INTO crash_ledger (round, code, status, agency_id)
SELECT :round, k.code, d.status, d.agency_id FROM (SELECT $1 AS code) k LEFT JOIN tthc.dossier d USING (code);"; }
D="('D-' || :client_id || '-' || :c)"
Y="('Y-' || :client_id || '-' || :c)"
cat >"$work/insert.sql" <<EOF
\set c random(1, 300)
\set a random(1, 6)
\set p random(1, 4)
\set k random(0, 9)
BEGIN;
INSERT INTO tthc.dossier (code, agency_id, procedure_code, channel, status, received_at)
VALUES ($D, (ARRAY['CA.1','CA.2','CA.3','CA.4','CB.1','CB.2'])[:a], 'CP' || :p, 1 + :k % 3, 2,
        now() - :k * interval '11 hours')
ON CONFLICT (code) DO UPDATE SET status = CASE tthc.dossier.status WHEN 2 THEN 4 ELSE 2 END;
$(ledger "$D")
COMMIT;
EOF
cat >"$work/update.sql" <<EOF
\set c random(1, 300)
\set a random(1, 6)
\set k random(0, 9)
BEGIN;
UPDATE tthc.dossier SET status = CASE status WHEN 4 THEN 9 ELSE 4 END,
       finished_at = CASE status WHEN 4 THEN greatest(received_at, now() - :k * interval '3 hours') END,
       agency_id = (ARRAY['CA.1','CA.2','CA.3','CA.4','CB.1','CB.2'])[:a]
 WHERE code = $D;
$(ledger "$D")
COMMIT;
EOF
cat >"$work/delete.sql" <<EOF
\set c random(1, 300)
BEGIN;
DELETE FROM tthc.dossier WHERE code = $D;
$(ledger "$D")
COMMIT;
EOF
cat >"$work/sync.sql" <<EOF
\set c random(1, 200)
\set a random(1, 6)
\set p random(1, 4)
BEGIN;
SELECT tthc.sync(json_build_object(
  'MaHoSo', $Y, 'MaTTHC', 'CP' || :p,
  'DonViXuLy', (ARRAY['CA.1','CA.2','CA.3','CA.4','CB.1','CB.2'])[:a],
  'TrangThaiHoSo', '2',
  'NgayTiepNhan', to_char(now() AT TIME ZONE 'Asia/Ho_Chi_Minh', 'YYYYMMDDHH24MISS'))::text);
$(ledger "$Y")
COMMIT;
EOF

# the postmaster's pid and the pids of its children (the backends)
pm_pid() { head -1 "$dir/data/postmaster.pid" 2>/dev/null; }

for ((r = 1; r <= rounds; r++)); do
  delay=${delays[$(((r - 1) % ${#delays[@]}))]}
  before=$(q "SELECT count(*) FROM crash_ledger")
  # pgbench runs far longer than the delay: the kill ends it
  PGOPTIONS='-c tthc.compact_every=100' pgbench -n -c "$clients" -j 2 -T 60 --max-tries=20 \
    -D round="$r" -f "$work/insert.sql@4" -f "$work/update.sql@3" -f "$work/delete.sql@1" \
    -f "$work/sync.sql@3" $db >"$work/pgbench.$r.out" 2>&1 &
  bench_pid=$!
  sleep "$delay"
  pm=$(pm_pid)
  children=$(pgrep -P "$pm" | tr '\n' ' ')
  mid=$(q "SELECT count(*) FROM crash_ledger")   # writes are under way
  tthc_as_cluster_user kill -9 "$pm"
  # pgbench loses its connections and stops
  for _ in $(seq 1 100); do kill -0 "$bench_pid" 2>/dev/null || break; sleep 0.1; done
  kill -0 "$bench_pid" 2>/dev/null && { kill "$bench_pid" 2>/dev/null; sleep 0.5; }
  wait "$bench_pid" 2>/dev/null
  bench_pid=
  # the orphaned backends notice the postmaster's death and exit; a new
  # postmaster cannot start while they hold the shared memory
  for _ in $(seq 1 100); do
    alive=""
    for c in $children; do kill -0 "$c" 2>/dev/null && alive="$alive $c"; done
    [ -z "$alive" ] && break
    sleep 0.1
  done
  [ -n "$alive" ] && tthc_as_cluster_user kill -9 $alive 2>/dev/null && sleep 0.5
  committed=$(sed -n 's/^number of transactions actually processed: \([0-9]*\).*/\1/p' "$work/pgbench.$r.out")
  if tthc_cluster_start "$port" "$dir" >"$work/restart.$r.log" 2>&1 \
     && [ "$(grep -c 'database system was not properly shut down; automatic recovery in progress' "$dir/server.log")" -eq "$r" ]; then
    survived=$((survived + 1))
    pass "round $r: killed the postmaster after ${delay}s of writes (ledger $before -> $mid+), crash recovery ran"
  else
    flunk "round $r: the cluster restarts after the kill" "$(tail -5 "$work/restart.$r.log")" "$(tail -5 "$dir/server.log")"
    break
  fi

  after=$(q "SELECT count(*) FROM crash_ledger")
  if [ -n "$committed" ] && [ "$after" -ge $((before + committed)) ] 2>/dev/null; then
    pass "round $r: every acknowledged commit survived ($committed acknowledged, ledger $before -> $after)"
  elif [ -z "$committed" ] && [ "$after" -gt "$before" ] 2>/dev/null; then
    pass "round $r: the ledger grew $before -> $after (pgbench reported no count)"
  else
    flunk "round $r: every acknowledged commit survived" "acknowledged: ${committed:-?}, ledger $before -> $after" \
      "$(tail -3 "$work/pgbench.$r.out")"
    [ -n "$committed" ] && [ "$after" -lt $((before + committed)) ] 2>/dev/null && lost_total=$((lost_total + before + committed - after))
  fi

  # latest ledger row of each code against the dossier table
  lost=$(q "SELECT count(*) FROM (SELECT DISTINCT ON (code) code, status, agency_id FROM crash_ledger
                                   ORDER BY code, seq DESC) l
              LEFT JOIN tthc.dossier d USING (code)
             WHERE (l.status, l.agency_id) IS DISTINCT FROM (d.status, d.agency_id)")
  codes=$(q "SELECT count(DISTINCT code) FROM crash_ledger")
  if [ "$lost" = 0 ]; then
    pass "round $r: all $codes ledger codes match tthc.dossier (status, agency; deleted ones absent)"
  else
    flunk "round $r: ledger codes match tthc.dossier" "mismatches: $lost" \
      "$(q "SELECT l.code, l.status, l.agency_id, d.status, d.agency_id FROM (SELECT DISTINCT ON (code) * FROM crash_ledger ORDER BY code, seq DESC) l LEFT JOIN tthc.dossier d USING (code) WHERE (l.status, l.agency_id) IS DISTINCT FROM (d.status, d.agency_id) LIMIT 5")"
    [[ "$lost" =~ ^[0-9]+$ ]] && lost_total=$((lost_total + lost)) || lost_total=$((lost_total + 1))
  fi
  synced=$(q "SELECT count(*) FROM tthc.dossier WHERE code LIKE 'Y-%' AND synced_at IS NOT NULL")
  if [[ "$synced" =~ ^[0-9]+$ ]] && [ "$synced" -gt 0 ]; then pass "round $r: $synced dossiers written by tthc.sync are there"
  else flunk "round $r: dossiers written by tthc.sync are there" "got: $synced"; fi
  # no dossier of the writers without a ledger row (a write the ledger missed)
  extra=$(q "SELECT count(*) FROM tthc.dossier d WHERE d.code ~ '^[DY]-' AND NOT EXISTS (SELECT 1 FROM crash_ledger l WHERE l.code = d.code)")
  if [ "$extra" = 0 ]; then pass "round $r: no dossier without its ledger row"
  else flunk "round $r: no dossier without its ledger row" "got: $extra"; fi

  v=$(q "SELECT count(*) FROM tthc.verify()")
  if [ "$v" = 0 ]; then pass "round $r: tthc.verify() is empty after recovery"
  else flunk "round $r: tthc.verify() is empty after recovery" "differences: $v" "$(q "SELECT * FROM tthc.verify() LIMIT 5")"
       [[ "$v" =~ ^[0-9]+$ ]] && diffs_total=$((diffs_total + v)) || diffs_total=$((diffs_total + 1)); fi

  c=$(q "SELECT tthc.compact()")
  v=$(q "SELECT count(*) FROM tthc.verify()")
  if [[ "$c" =~ ^[0-9]+$ ]] && [ "$v" = 0 ]; then pass "round $r: tthc.compact() after recovery ($c), verify() still empty"
  else flunk "round $r: tthc.compact() after recovery, verify() still empty" "compact: $c" "differences: $v"
       [[ "$v" =~ ^[0-9]+$ ]] && diffs_total=$((diffs_total + v)); fi
done

echo "# crashes survived: $survived, rows lost: $lost_total, verify differences: $diffs_total"
echo "1..$n"
[ "$fail" -eq 0 ] && [ "$survived" -eq "$rounds" ]
