#!/usr/bin/env bash
# test/differential/concurrent.sh: many sessions writing at once, then the
# maintained tallies and scores must equal a recompute from the rows.
#
# pgbench runs TTHC_DIFF_CLIENTS (8) sessions for TTHC_DIFF_SECONDS (10) over
# a small national tree, each transaction a random mix of inserts, status
# changes, agency and procedure moves, deletes, feedback and rolled-back
# savepoints, with compaction running beside them (tthc.compact_every low).
# Then: tthc.verify() is empty; tthc.counters_of equals the recompute for
# every agency at three evaluation times; every agency's scores from the
# tallies equal the scores from the raw rows.  Prints TAP; needs PGHOST,
# PGPORT, PGUSER.
set -uo pipefail
cd "$(dirname "$0")/../.."

db=tthc_diff
clients=${TTHC_DIFF_CLIENTS:-8}
secs=${TTHC_DIFF_SECONDS:-10}
work=$(mktemp -d /tmp/tthc-diff.XXXXXX)
chmod 755 "$work"
n=0
fail=0
ok() {  # ok DESCRIPTION QUERY: the query must print t
  n=$((n + 1))
  local r; r=$(psql -X -At -d $db -c "$2" 2>&1)
  if [ "$r" = "t" ]; then echo "ok $n - $1"; else echo "not ok $n - $1"; echo "#   got: $r"; fail=$((fail + 1)); fi
}

psql -q -X -c "DROP DATABASE IF EXISTS $db" >/dev/null 2>&1
psql -q -X -v ON_ERROR_STOP=1 -c "CREATE DATABASE $db" >/dev/null
psql -q -X -v ON_ERROR_STOP=1 -d $db >/dev/null <<'SQL'
CREATE EXTENSION tthc;
INSERT INTO tthc.agency VALUES ('CA', NULL, 'Tỉnh A', 'province'), ('CB', NULL, 'Bộ B', 'ministry');
INSERT INTO tthc.agency SELECT 'CA.' || i, 'CA', 'Xã ' || i, 'commune' FROM generate_series(1, 6) i;
INSERT INTO tthc.agency SELECT 'CB.' || i, 'CB', 'Cục ' || i, 'department' FROM generate_series(1, 3) i;
INSERT INTO tthc.procedure (code, name, time_limit, fee_required, paper_result, for_citizens, is_certification)
SELECT 'CP' || i, 'Thủ tục ' || i, (ARRAY[0.5, 1, 3, 10])[1 + i % 4], i % 2 = 0, i % 3 = 0, i % 2 = 1, i = 5
  FROM generate_series(1, 6) i;
INSERT INTO tthc.service SELECT a.id, 'CP' || i, (ARRAY['full', 'partial', NULL])[1 + (i + length(a.id)) % 3]
  FROM tthc.agency a, generate_series(1, 6) i WHERE a.parent_id IS NOT NULL;
-- a starting stock of dossiers over the last months
INSERT INTO tthc.dossier (code, agency_id, procedure_code, channel, status, received_at, synced_at, fee, paid_online)
SELECT 'S-' || i, (ARRAY['CA.1','CA.2','CA.3','CA.4','CA.5','CA.6','CB.1','CB.2','CB.3'])[1 + i % 9],
       'CP' || (1 + i % 6), 1 + i % 3, 4, now() - (i % 120) * interval '1 day' - (i % 7) * interval '1 hour',
       CASE WHEN i % 4 > 0 THEN now() END, (i % 2) * 20000, i % 3
  FROM generate_series(1, 3000) i;
SQL

cat > "$work/mix.sql" <<'EOF2'
\set i random(1, 3000)
\set j random(1, 1000000)
\set a random(1, 9)
\set p random(1, 6)
\set k random(0, 9)
BEGIN;
UPDATE tthc.dossier SET status = CASE status WHEN 4 THEN 9 ELSE 4 END,
       finished_at = CASE status WHEN 4 THEN greatest(received_at, now() - (:k * interval '17 hours')) END
 WHERE code = 'S-' || :i;
INSERT INTO tthc.dossier (code, agency_id, procedure_code, channel, status, received_at, rating)
VALUES ('N-' || :j || '-' || pg_backend_pid() || '-' || txid_current(),
        (ARRAY['CA.1','CA.2','CA.3','CA.4','CA.5','CA.6','CB.1','CB.2','CB.3'])[:a], 'CP' || :p,
        1 + :k % 3, 2, now() - :k * interval '13 hours', (ARRAY[NULL, 1, -1]::smallint[])[1 + :k % 3])
ON CONFLICT (code) DO NOTHING;
SAVEPOINT s;
UPDATE tthc.dossier SET agency_id = (ARRAY['CA.1','CA.2','CA.3','CA.4','CA.5','CA.6','CB.1','CB.2','CB.3'])[:a]
 WHERE code = 'S-' || ((:i * 7) % 3000 + 1);
ROLLBACK TO SAVEPOINT s;
UPDATE tthc.dossier SET procedure_code = 'CP' || :p, due_at = NULL, e_result = NOT e_result
 WHERE code = 'S-' || ((:i * 13) % 3000 + 1) AND :k < 3;
INSERT INTO tthc.feedback (id, agency_id, received_at, handled_at, dossier_code)
SELECT 'F-' || :j || '-' || pg_backend_pid() || '-' || txid_current(),
       (ARRAY['CA.1','CA.2','CA.3','CA.4','CA.5','CA.6','CB.1','CB.2','CB.3'])[:a],
       now() - :k * interval '2 days', CASE WHEN :k % 2 = 0 THEN now() END, 'S-' || :i
 WHERE :k = 7;
DELETE FROM tthc.dossier WHERE code IN (SELECT code FROM tthc.dossier WHERE code LIKE 'N-%' AND :k = 9 LIMIT 1);
COMMIT;
EOF2

# writers, with sessions compacting as they go
# (the workload can deadlock on its own dossiers: pgbench retries those)
PGOPTIONS='-c tthc.compact_every=200' pgbench -n -c "$clients" -j 2 -T "$secs" --max-tries=20 \
  -f "$work/mix.sql" $db \
  >"$work/pgbench.out" 2>&1
n=$((n + 1))
if grep -q '^tps' "$work/pgbench.out" && ! grep -qi 'abort' "$work/pgbench.out" \
   && ! grep -q '^number of failed transactions: [1-9]' "$work/pgbench.out"; then
  echo "ok $n - $clients sessions wrote for ${secs}s ($(sed -n 's/^number of transactions actually processed: \([0-9]*\).*/\1/p' "$work/pgbench.out") transactions)"
else
  echo "not ok $n - the writers ran"; sed 's/^/#   /' "$work/pgbench.out" | tail -5; fail=$((fail + 1))
fi

ok "verify() is empty after the concurrent writes" "SELECT count(*) = 0 FROM tthc.verify()"
ok "counters_of equals the recompute for every agency at three instants" "
  SELECT bool_and(tthc.counters_of(a.id, (now() - interval '200 days')::date, tthc.today(), w.at)::text
                  = (SELECT coalesce(tthc.sum(x.c), '{}'::tthc.counters)::text FROM (
                       SELECT tthc.dossier_counters(d, w.at) AS c FROM tthc.dossier d
                        WHERE d.agency_id IN (SELECT s.id FROM tthc.agency_subtree(a.id) s)
                          AND d.received_at >= ((now() - interval '200 days')::date::timestamp AT TIME ZONE 'Asia/Ho_Chi_Minh')
                       UNION ALL
                       SELECT tthc.feedback_counters(f, w.at) FROM tthc.feedback f
                        WHERE f.agency_id IN (SELECT s.id FROM tthc.agency_subtree(a.id) s)
                          AND f.received_at >= ((now() - interval '200 days')::date::timestamp AT TIME ZONE 'Asia/Ho_Chi_Minh')) x))
    FROM tthc.agency a,
         (VALUES (now() - interval '30 days'), (now()), (now() + interval '20 days')) w(at)"
ok "every agency's scores from the tallies equal the scores from the raw rows" "
  SELECT count(*) = 0
    FROM tthc.scores_of(NULL, (now() - interval '200 days')::date, tthc.today()) t
    FULL JOIN tthc.scores_of(NULL, (now() - interval '200 days')::date, tthc.today(), '766', NULL, true) r
      USING (agency_id, criterion)
   WHERE (t.numerator, t.denominator, t.points) IS DISTINCT FROM (r.numerator, r.denominator, r.points)"
ok "after compaction, still consistent" "SELECT tthc.compact() >= 0 AND (SELECT count(*) = 0 FROM tthc.verify())"

psql -q -X -c "DROP DATABASE IF EXISTS $db" >/dev/null 2>&1
rm -rf "$work"
echo "1..$n"
[ "$fail" -eq 0 ]
