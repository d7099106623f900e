#!/usr/bin/env bash
# test/partition/partition.sh: tthc.dossier partitioned by month of receipt
# (SET tthc.dossier_partitioning = month before CREATE EXTENSION) holds and
# scores exactly what the unpartitioned table does.
#
# The demo's dossiers are written into two databases, one of each layout;
# the partitioned one gets its month partitions afterwards (moving rows out
# of tthc.dossier_other) and before further writes.  The same statements
# (status changes, dossiers moved to another month, codes changed,
# deletions, rolled-back savepoints, duplicates refused) then run in both,
# and the rows, steps, feedback, ratings and scores must be equal, with
# tthc.verify() empty.  Then: concurrent writers (pgbench) moving dossiers
# between months; concurrent sync messages creating one dossier; roles
# kept out of the partitions; bad calls of tthc.add_dossier_months; pg_dump
# and restore of the partitioned database; an unpartitioned database moved
# into a partitioned one by pg_dump and restore.  Prints TAP; needs
# PGHOST/PGPORT/PGUSER and the extension installed.
#
# Settings: TTHC_PARTITION_DOSSIERS (20000), TTHC_PARTITION_SECONDS (8).
set -uo pipefail
cd "$(dirname "$0")/../.."

plain=tthc_part_plain
month=tthc_part_month
restored=tthc_part_restored
moved=tthc_part_moved
count=${TTHC_PARTITION_DOSSIERS:-20000}
secs=${TTHC_PARTITION_SECONDS:-8}
work=$(mktemp -d /tmp/tthc-part.XXXXXX)
chmod 755 "$work"
n=0
fail=0
ok() {  # ok DESCRIPTION RESULT ('t' passes)
  n=$((n + 1))
  if [ "$2" = "t" ]; then echo "ok $n - $1"; else echo "not ok $n - $1"; echo "#   got: $2"; fail=$((fail + 1)); fi
}
q() { local d=$1; shift; psql -X -q -At -v ON_ERROR_STOP=1 -d "$d" "$@" 2>&1; }
qm() { PGOPTIONS='-c tthc.dossier_partitioning=month' q "$@"; }
# same DESCRIPTION QUERY DB1 DB2: the query gives the same non-empty answer in both
same() {
  local a b
  a=$(q "$3" -c "$2"); b=$(q "$4" -c "$2")
  if [ "$a" = "$b" ] && [ -n "$a" ]; then ok "$1" t; else ok "$1" "$3: $(echo "$a" | head -c 300) / $4: $(echo "$b" | head -c 300)"; fi
}
# errcode DB SQL: the SQLSTATE the statement fails with (psql VERBOSITY verbose)
errcode() {
  psql -X -q -At -d "$1" -v VERBOSITY=verbose -c "$2" 2>&1 | sed -n 's/^ERROR:  \([0-9A-Z]\{5\}\):.*/\1/p' | head -1
}
# the whole content of the facts, as one digest
facts="SELECT md5(coalesce((SELECT string_agg(d::text, E'\n' ORDER BY d.code) FROM tthc.dossier d), '')
               || coalesce((SELECT string_agg(s::text, E'\n' ORDER BY s.dossier_code, s.seq) FROM tthc.dossier_step s), '')
               || coalesce((SELECT string_agg(f::text, E'\n' ORDER BY f.id) FROM tthc.feedback f), '')
               || coalesce((SELECT string_agg(r::text, E'\n' ORDER BY r.dossier_code, r.criterion)
                              FROM tthc.onestop_rating r), ''))"
scores="SELECT md5(string_agg(s::text, E'\n' ORDER BY s.agency_id, s.criterion))
          FROM tthc.scores_of(NULL, '2025-01-01', '2027-03-31', '766', '2026-11-21 00:00+07') s"
codes_kept="SELECT (SELECT count(*) FROM tthc.dossier) = (SELECT count(*) FROM tthc.dossier_code)
               AND NOT EXISTS (SELECT code FROM tthc.dossier EXCEPT SELECT code FROM tthc.dossier_code)"

for d in $plain $month $restored $moved; do psql -q -X -c "DROP DATABASE IF EXISTS $d" >/dev/null 2>&1; done
for d in $plain $month $moved; do psql -q -X -v ON_ERROR_STOP=1 -c "CREATE DATABASE $d" >/dev/null; done
q $plain -c 'CREATE EXTENSION tthc' >/dev/null
qm $month -c 'CREATE EXTENSION tthc' >/dev/null
qm $moved -c 'CREATE EXTENSION tthc' >/dev/null

ok "the setting makes tthc.dossier partitioned by month of receipt, with a default partition" \
   "$(q $month -c "SELECT (SELECT relkind FROM pg_class WHERE oid = 'tthc.dossier'::regclass) = 'p'
                      AND pg_get_partkeydef('tthc.dossier'::regclass) = 'RANGE (received_at)'
                      AND (SELECT pg_get_expr(relpartbound, oid) FROM pg_class WHERE oid = 'tthc.dossier_other'::regclass) = 'DEFAULT'")"
ok "without it, tthc.dossier is one table keyed by its code" \
   "$(q $plain -c "SELECT (SELECT relkind FROM pg_class WHERE oid = 'tthc.dossier'::regclass) = 'r'
                      AND to_regclass('tthc.dossier_code') IS NULL")"
ok "an unknown layout is refused (22023)" \
   "$( [ "$(errcode $plain "LOAD 'tthc'; SET tthc.dossier_partitioning = 'week'")" = 22023 ] && echo t || echo f)"
ok "add_dossier_months on an unpartitioned table is refused (55000)" \
   "$( [ "$(errcode $plain "SELECT tthc.add_dossier_months('2026-01-01')")" = 55000 ] && echo t || echo f)"

# the demo's dossiers into both
for d in $plain $month; do
  q $d -v scale=0.1 -v seed=766 -v datadir="$PWD/demo/data" -f demo/generate_catalogue.sql >/dev/null
  q $d -v count="$count" -v seed=766 -v until=2026-11-20 -f demo/generate_dossiers.sql >/dev/null
done
same "the demo wrote the same rows into both layouts" "$facts" $plain $month
ok "every dossier's code is kept in tthc.dossier_code" "$(q $month -c "$codes_kept")"

# month partitions, for the months that have dossiers and a few more
r=$(q $month -c "SELECT count(*) || ' ' || sum(rows_moved) FROM tthc.add_dossier_months('2025-01-01', '2027-03-01')")
expected=$(q $month -c "SELECT count(*) FROM tthc.dossier WHERE received_at >= '2025-01-01 00:00+07' AND received_at < '2027-04-01 00:00+07'")
ok "add_dossier_months made 27 partitions, moving the $expected dossiers of their months" \
   "$( [ "$r" = "27 $expected" ] && echo t || echo "$r, expected 27 $expected")"
ok "each dossier is in the partition of its month; those not received stay in tthc.dossier_other" \
   "$(q $month -c "SELECT bool_and(CASE WHEN d.received_at IS NULL THEN d.tableoid = 'tthc.dossier_other'::regclass
                                       ELSE d.tableoid = m.partition END)
                     FROM tthc.dossier d
                     LEFT JOIN tthc.dossier_month m ON d.received_at >= m.received_from AND d.received_at < m.received_before")"
ok "tthc.dossier_month lists them in Vietnam's months" \
   "$(q $month -c "SELECT count(*) = 27 AND min(month) = '2025-01-01' AND max(month) = '2027-03-01'
                          AND bool_and(received_from = month::timestamp AT TIME ZONE 'Asia/Ho_Chi_Minh')
                     FROM tthc.dossier_month")"
ok "adding the same months again changes nothing" \
   "$(q $month -c "SELECT count(*) = 0 FROM tthc.add_dossier_months('2025-06-15', '2026-02-01')")"
same "moving the rows into their months changed no row" "$facts" $plain $month
ok "moving the rows into their months left the tallies exact" "$(q $month -c "SELECT count(*) = 0 FROM tthc.verify()")"

# the same statements in both layouts
cat > "$work/same.sql" <<'SQL'
-- status changes across months
UPDATE tthc.dossier SET status = 9, finished_at = greatest(received_at, '2026-11-20 10:00+07')
 WHERE status = 4 AND code IN (SELECT code FROM tthc.dossier WHERE status = 4 ORDER BY md5(code) LIMIT 300);
-- dossiers moved to another month (received later or earlier), with their steps and ratings
UPDATE tthc.dossier SET received_at = received_at + interval '40 days', due_at = NULL,
       finished_at = CASE WHEN finished_at IS NOT NULL THEN finished_at + interval '40 days' END,
       returned_at = CASE WHEN returned_at IS NOT NULL THEN returned_at + interval '40 days' END,
       ended_at = CASE WHEN ended_at IS NOT NULL THEN ended_at + interval '40 days' END,
       supplement_requested_at = supplement_requested_at + interval '40 days',
       supplement_received_at = supplement_received_at + interval '40 days',
       synced_at = synced_at + interval '40 days'
 WHERE code IN (SELECT code FROM tthc.dossier WHERE received_at IS NOT NULL ORDER BY md5(code || 'm') LIMIT 400);
UPDATE tthc.dossier_step s SET started_at = s.started_at + interval '40 days',
       deadline_at = s.deadline_at + interval '40 days', ended_at = s.ended_at + interval '40 days'
 WHERE s.dossier_code IN (SELECT code FROM tthc.dossier ORDER BY md5(code || 'm') LIMIT 400);
-- received at last, into a month partition from tthc.dossier_other
UPDATE tthc.dossier SET status = 2, received_at = greatest(submitted_at, '2026-11-20 09:00+07'), due_at = NULL
 WHERE received_at IS NULL AND status = 1 AND code IN (SELECT code FROM tthc.dossier WHERE status = 1 ORDER BY code LIMIT 50);
-- codes changed, one of them while moving to another month
UPDATE tthc.dossier SET code = code || '-R' WHERE code IN (SELECT dossier_code FROM tthc.dossier_step ORDER BY 1 LIMIT 20);
UPDATE tthc.dossier SET code = code || '-M', received_at = received_at - interval '35 days', due_at = NULL,
       submitted_at = submitted_at - interval '35 days',
       finished_at = NULL, returned_at = NULL, ended_at = NULL, status = 4, supplement_requests = 0,
       supplement_requested_at = NULL, supplement_received_at = NULL, synced_at = NULL
 WHERE code IN (SELECT dossier_code FROM tthc.onestop_rating UNION SELECT dossier_code FROM tthc.feedback
                 WHERE dossier_code IS NOT NULL ORDER BY 1 LIMIT 10)
   AND received_at > '2025-03-01';
-- ratings on a moved dossier
INSERT INTO tthc.onestop_rating (dossier_code, criterion, points, rated_at)
SELECT code, 4, 2, '2026-11-20 12:00+07' FROM tthc.dossier WHERE code LIKE '%-M' AND status = 4
ON CONFLICT DO NOTHING;
-- rolled back: a move, a rename, a delete
BEGIN;
SAVEPOINT a;
UPDATE tthc.dossier SET received_at = received_at - interval '300 days', due_at = NULL,
       submitted_at = submitted_at - interval '300 days'
 WHERE code IN (SELECT code FROM tthc.dossier WHERE status = 4 ORDER BY code LIMIT 30);
DELETE FROM tthc.dossier WHERE code IN (SELECT dossier_code FROM tthc.dossier_step ORDER BY 1 DESC LIMIT 5);
ROLLBACK TO SAVEPOINT a;
SAVEPOINT b;
UPDATE tthc.dossier SET code = code || '-S' WHERE code IN (SELECT dossier_code FROM tthc.dossier_step ORDER BY 1 DESC LIMIT 8);
ROLLBACK TO SAVEPOINT b;
UPDATE tthc.dossier SET code = code || '-T' WHERE code IN (SELECT dossier_code FROM tthc.dossier_step ORDER BY 1 DESC LIMIT 3);
UPDATE tthc.dossier SET rating = 1 WHERE code IN (SELECT code FROM tthc.dossier ORDER BY code DESC LIMIT 10);
COMMIT;
BEGIN;
UPDATE tthc.dossier SET code = code || '-X' WHERE code IN (SELECT code FROM tthc.dossier ORDER BY code LIMIT 30);
ROLLBACK;
-- deletions, with their steps, ratings and feedback links
DELETE FROM tthc.dossier WHERE code IN (SELECT dossier_code FROM tthc.dossier_step ORDER BY md5(dossier_code) LIMIT 25);
DELETE FROM tthc.dossier WHERE code IN (SELECT dossier_code FROM tthc.feedback WHERE dossier_code IS NOT NULL ORDER BY 1 LIMIT 5);
DELETE FROM tthc.dossier WHERE code IN (SELECT dossier_code FROM tthc.onestop_rating ORDER BY 1 LIMIT 5);
-- new dossiers in months with and without a partition
INSERT INTO tthc.dossier (code, agency_id, procedure_code, status, channel, received_at)
SELECT 'PART-' || i, s.agency_id, s.procedure_code, 4, 1 + i % 3, timestamptz '2024-06-01 08:00+07' + i * interval '9 days'
  FROM generate_series(1, 120) i,
       LATERAL (SELECT agency_id, procedure_code FROM tthc.service ORDER BY 1, 2 LIMIT 1 OFFSET i % 11) s;
SQL
q $plain -f "$work/same.sql" >"$work/plain.out"
q $month -f "$work/same.sql" >"$work/month.out"
ok "the same statements ran in both layouts" \
   "$(cmp -s "$work/plain.out" "$work/month.out" && ! grep -q ERROR "$work/plain.out" && echo t || diff "$work/plain.out" "$work/month.out" | head -5)"
same "then both hold the same rows, steps, feedback and ratings" "$facts" $plain $month
same "and give the same scores" "$scores" $plain $month
ok "the tallies of the partitioned table are exact" "$(q $month -c "SELECT count(*) = 0 FROM tthc.verify()")"
ok "the codes are kept through moves, renames and deletions" "$(q $month -c "$codes_kept")"
ok "a moved and renamed dossier kept its steps in its new month" \
   "$(q $month -c "SELECT count(*) > 0 AND bool_and(d.tableoid <> 'tthc.dossier_other'::regclass)
                     FROM tthc.dossier d JOIN tthc.dossier_step s ON s.dossier_code = d.code WHERE d.code LIKE '%-R'")"
ok "a dossier received late moved out of tthc.dossier_other" \
   "$(q $month -c "SELECT count(*) = 0 FROM tthc.dossier_other WHERE received_at >= '2025-01-01 00:00+07'
                                                         AND received_at < '2027-04-01 00:00+07'")"

# duplicates: a code is unique across the months, as in one table
for d in $plain $month; do
  c=$(errcode $d "INSERT INTO tthc.dossier (code, agency_id, procedure_code, status, received_at)
                  SELECT 'PART-DUP', agency_id, procedure_code, 4, timestamptz '2025-02-03 09:00+07' FROM tthc.dossier WHERE code = 'PART-1'
                  UNION ALL
                  SELECT 'PART-1', agency_id, procedure_code, 4, timestamptz '2026-07-03 09:00+07' FROM tthc.dossier WHERE code = 'PART-1'")
  ok "$d: a dossier whose code another month holds is refused (23505), and nothing of its statement stays" \
     "$( [ "$c" = 23505 ] && [ "$(q $d -c "SELECT count(*) FROM tthc.dossier WHERE code IN ('PART-DUP', 'PART-1')")" = 1 ] && echo t || echo "$c")"
done
c=$(errcode $month "UPDATE tthc.dossier SET code = 'PART-2' WHERE code = 'PART-3'")
ok "a code changed to another dossier's is refused (23505)" "$( [ "$c" = 23505 ] && echo t || echo "$c")"

# sync messages: the same answers in both layouts, and two sessions
# creating one dossier at once both succeed
msg() {  # msg CODE STATUS [END]
  printf '{"MaHoSo":"%s","MaTTHC":"%s","DonViXuLy":"%s","TrangThaiHoSo":"%s","KenhThucHien":"2","NgayNopHoSo":"20261102080000","NgayTiepNhan":"20261102090000","NgayHenTra":"20261120170000"%s}' \
    "$1" "$proc" "$unit" "$2" "${3:+,\"NgayKetThucXuLy\":\"$3\"}"
}
unit=$(q $plain -c "SELECT agency_id FROM tthc.dossier WHERE code = 'PART-1'")
proc=$(q $plain -c "SELECT procedure_code FROM tthc.dossier WHERE code = 'PART-1'")
sync_seq="SELECT string_agg(coalesce(r #>> '{results,0,error}', r #>> '{results,0,action}'), ' ' ORDER BY o)
            FROM (SELECT o, tthc.sync(m)::jsonb AS r FROM (VALUES
  (1, '$(msg SYNC-1 2)'), (2, '$(msg SYNC-1 2)'), (3, '$(msg SYNC-1 9 20261104100000)'),
  (4, '$(msg SYNC-1 4)'), (5, '$(msg PART-2 9 20261105100000)')) v(o, m) ORDER BY o) x"
# the instant a message is applied is not part of the comparison
synced="UPDATE tthc.dossier SET synced_at = '2026-11-05 12:00+07' WHERE code IN ('SYNC-1', 'SYNC-3', 'PART-2')"
ok "sync: created, unchanged, updated, older, updated in the partitioned layout" \
   "$(r=$(q $month -c "$sync_seq"); [ "$r" = "created unchanged updated older updated" ] && echo t || echo "$r")"
q $plain -c "$sync_seq" >/dev/null
# the same through the inbox, inserted by one statement (all but the first
# applied when it ends)
inbox_seq="INSERT INTO tthc.inbox (payload) VALUES ('$(msg SYNC-3 2)'), ('$(msg SYNC-3 2)'),
  ('$(msg SYNC-3 9 20261104100000)'), ('$(msg SYNC-3 4)')"
inbox_said="SELECT string_agg(result #>> '{results,0,action}', ' ' ORDER BY id) FROM tthc.inbox WHERE payload LIKE '%SYNC-3%'"
q $month -c "$inbox_seq" >/dev/null
q $plain -c "$inbox_seq" >/dev/null
ok "inbox, one statement: created, unchanged, updated, older in both layouts" \
   "$(a=$(q $month -c "$inbox_said"); b=$(q $plain -c "$inbox_said"); [ "$a" = "created unchanged updated older" ] && [ "$a" = "$b" ] && echo t || echo "$a / $b")"
q $plain -c "$synced" >/dev/null
q $month -c "$synced" >/dev/null
same "sync: the same rows as in one table" "$facts" $plain $month
( q $month -c "BEGIN; SELECT tthc.sync('$(msg SYNC-2 2)'); SELECT pg_sleep(1.5); COMMIT;" >"$work/s1.out" ) &
sleep 0.5
r2=$(q $month -c "SELECT tthc.sync('$(msg SYNC-2 4)')::jsonb #>> '{results,0,action}'")
wait
ok "sync: two sessions creating one dossier at once apply one after the other" \
   "$( [ "$r2" = updated ] && grep -q '"created"' "$work/s1.out" && echo t || echo "$r2 / $(cat "$work/s1.out")")"

# many writers at once, moving dossiers between months
cat > "$work/mix.sql" <<'EOF2'
\set i random(1, 20000)
\set j random(1, 1000000)
\set k random(0, 9)
BEGIN;
UPDATE tthc.dossier SET received_at = received_at + (CASE WHEN :k < 5 THEN 1 ELSE -1 END) * interval '31 days',
       submitted_at = submitted_at + (CASE WHEN :k < 5 THEN 1 ELSE -1 END) * interval '31 days', due_at = NULL, finished_at = NULL, returned_at = NULL, ended_at = NULL, status = 4,
       supplement_requests = 0, supplement_requested_at = NULL, supplement_received_at = NULL, synced_at = NULL
 WHERE code = (SELECT code FROM tthc.dossier WHERE received_at > '2025-03-01' ORDER BY code LIMIT 1 OFFSET :i);
INSERT INTO tthc.dossier (code, agency_id, procedure_code, channel, status, received_at)
SELECT 'MIX-' || :j || '-' || pg_backend_pid() || '-' || txid_current(), agency_id, procedure_code, 1 + :k % 3, 4,
       timestamptz '2025-01-02 08:00+07' + (:j % 690) * interval '1 day'
  FROM tthc.dossier WHERE code = 'PART-1';
SAVEPOINT s;
UPDATE tthc.dossier SET received_at = received_at + interval '200 days', due_at = NULL
 WHERE code = (SELECT code FROM tthc.dossier WHERE code LIKE 'MIX-%' ORDER BY code DESC LIMIT 1);
ROLLBACK TO SAVEPOINT s;
DELETE FROM tthc.dossier WHERE code = (SELECT code FROM tthc.dossier WHERE code LIKE 'MIX-%' AND :k = 9 LIMIT 1);
COMMIT;
EOF2
PGOPTIONS='-c tthc.compact_every=200' pgbench -n -c 6 -j 2 -T "$secs" --max-tries=20 -f "$work/mix.sql" $month \
  >"$work/pgbench.out" 2>&1
ok "6 sessions moved, inserted and deleted dossiers across months for ${secs}s" \
   "$(grep -q '^tps' "$work/pgbench.out" && ! grep -qi 'abort' "$work/pgbench.out" \
      && ! grep -q '^number of failed transactions: [1-9]' "$work/pgbench.out" && echo t || tail -3 "$work/pgbench.out")"
ok "after them, verify() is empty and every code is kept" \
   "$(q $month -c "SELECT (SELECT count(*) = 0 FROM tthc.verify()) AND ($codes_kept)")"
ok "after them, the scores from the tallies equal the scores from the raw rows" \
   "$(q $month -c "SELECT count(*) = 0
                     FROM tthc.scores_of(NULL, '2025-01-01', '2027-03-31', '766', '2026-11-21 00:00+07') t
                     FULL JOIN tthc.scores_of(NULL, '2025-01-01', '2027-03-31', '766', '2026-11-21 00:00+07', true) r
                       USING (agency_id, criterion)
                    WHERE (t.numerator, t.denominator, t.points) IS DISTINCT FROM (r.numerator, r.denominator, r.points)")"

# roles: the partitions and the codes are reached through tthc.dossier only
q $month >/dev/null <<'SQL'
SELECT tthc.create_roles();
DROP ROLE IF EXISTS tthc_part_writer;
DROP ROLE IF EXISTS tthc_part_admin;
CREATE ROLE tthc_part_writer LOGIN IN ROLE tthc_writer;
CREATE ROLE tthc_part_admin LOGIN IN ROLE tthc_admin;
INSERT INTO tthc.agency_login SELECT 'tthc_part_writer', agency_id FROM tthc.dossier WHERE code = 'PART-1';
SQL
ok "a writer reads its agencies' dossiers through tthc.dossier, and no others" \
   "$(PGUSER=tthc_part_writer q $month -c "SELECT count(*) > 0 AND count(*) < $count
                                              AND bool_and(agency_id IN (SELECT id FROM tthc.agency_subtree(
                                                  (SELECT agency_id FROM tthc.agency_login WHERE login = current_user))))
                                         FROM tthc.dossier")"
denied=0
for who in tthc_part_writer tthc_part_admin; do
  for t in tthc.dossier_other tthc.dossier_2026_10 tthc.dossier_code; do
    [ "$(PGUSER=$who errcode $month "SELECT count(*) FROM $t")" = 42501 ] && denied=$((denied + 1))
    [ "$(PGUSER=$who errcode $month "DELETE FROM $t")" = 42501 ] && denied=$((denied + 1))
  done
done
ok "neither a writer nor an administrator reads or writes a partition or tthc.dossier_code directly (42501)" \
   "$( [ $denied = 12 ] && echo t || echo "$denied of 12 denied")"
ok "nor adds month partitions (42501)" \
   "$( [ "$(PGUSER=tthc_part_admin errcode $month "SELECT tthc.add_dossier_months('2030-01-01')")" = 42501 ] && echo t || echo f)"

# bad calls of add_dossier_months: each refused, nothing made
before=$(q $month -c "SELECT count(*) FROM tthc.dossier_month")
bad=0
tried=0
while IFS='|' read -r code call; do
  tried=$((tried + 1))
  got=$(errcode $month "SELECT * FROM tthc.add_dossier_months($call)")
  if [ "$got" = "$code" ]; then bad=$((bad + 1)); else echo "#   add_dossier_months($call): $got, expected $code"; fi
done <<'EOF'
22004|NULL
22004|NULL, '2026-01-01'
22023|'2026-05-01', '2026-04-30'
22023|'infinity'
22023|'2026-01-01', '-infinity'
22023|'1899-12-01'
22023|'2199-12-01', '2200-01-01'
54000|'2030-01-01', '2130-01-01'
22008|'2026-13-01'
42883|'2026-01-01', 3
EOF
q $month -c "CREATE TABLE tthc.dossier_2031_01 (x int)" >/dev/null
tried=$((tried + 1))
[ "$(errcode $month "SELECT * FROM tthc.add_dossier_months('2030-12-01', '2031-02-01')")" = 42P07 ] && bad=$((bad + 1))
q $month -c "DROP TABLE tthc.dossier_2031_01" >/dev/null
ok "$tried bad calls of add_dossier_months refused with their SQLSTATE, no partition made" \
   "$( [ $bad = $tried ] && [ "$(q $month -c "SELECT count(*) FROM tthc.dossier_month")" = "$before" ] && echo t || echo "$bad of $tried")"

# pg_dump and restore of the partitioned database
pg_dump -Fc -f "$work/month.dump" $month 2>"$work/dump.err"
psql -q -X -v ON_ERROR_STOP=1 -c "CREATE DATABASE $restored" >/dev/null
PGOPTIONS='-c tthc.dossier_partitioning=month' pg_restore -d $restored --exit-on-error "$work/month.dump" 2>"$work/restore.err"
ok "pg_dump and pg_restore of the partitioned database run (the setting given to pg_restore)" \
   "$( [ ! -s "$work/restore.err" ] && echo t || head -3 "$work/restore.err")"
ok "the restored tallies are rebuilt with tthc.rebuild()" "$(q $restored -c "SELECT tthc.rebuild() >= 0")"
same "the restored database holds the same rows" "$facts" $month $restored
same "in the same month partitions" \
     "SELECT string_agg(partition::text || ' ' || month, ',' ORDER BY month) FROM tthc.dossier_month" $month $restored
same "with the same scores" "$scores" $month $restored
ok "and exact tallies and codes" "$(q $restored -c "SELECT (SELECT count(*) = 0 FROM tthc.verify()) AND ($codes_kept)")"

# an unpartitioned database into a partitioned one: pg_dump, restore, add months
pg_dump -Fc --data-only -t 'tthc.*' -f "$work/plain.dump" $plain 2>>"$work/dump.err"
PGOPTIONS='-c tthc.dossier_partitioning=month' pg_restore -d $moved --data-only --exit-on-error "$work/plain.dump" 2>"$work/restore2.err"
q $moved -c "SELECT count(*) FROM tthc.add_dossier_months('2024-06-01', '2027-03-01')" >/dev/null
same "an unpartitioned database restored into a partitioned one holds the same rows" "$facts" $plain $moved
same "and gives the same scores" "$scores" $plain $moved
ok "with exact tallies and codes" "$(q $moved -c "SELECT (SELECT count(*) = 0 FROM tthc.verify()) AND ($codes_kept)")"

# TRUNCATE empties the codes, the steps and the ratings with the dossiers
ok "TRUNCATE of the partitioned dossiers empties codes, steps and ratings, keeps feedback unlinked" \
   "$(q $month -c "TRUNCATE tthc.dossier; SELECT (SELECT count(*) FROM tthc.dossier_code) = 0
                      AND (SELECT count(*) FROM tthc.dossier_step) = 0 AND (SELECT count(*) FROM tthc.onestop_rating) = 0
                      AND (SELECT count(*) FROM tthc.feedback WHERE dossier_code IS NOT NULL) = 0
                      AND (SELECT count(*) = 0 FROM tthc.verify())")"

for d in $plain $month $restored $moved; do
  psql -q -X -c "DROP DATABASE IF EXISTS $d" >/dev/null 2>&1
done
# the logins have privileges in the dropped databases only: dropped last
psql -q -X -c "DROP ROLE IF EXISTS tthc_part_writer" -c "DROP ROLE IF EXISTS tthc_part_admin" >/dev/null 2>&1
rm -rf "$work"
echo "1..$n"
[ "$fail" -eq 0 ]
