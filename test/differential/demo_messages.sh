#!/usr/bin/env bash
# test/differential/demo_messages.sh: the demo's dossiers, turned into the
# portal's messages (tthc.dossier_message, tthc.dossier_progress_message)
# and loaded again through tthc.inbox, give exactly the same rows, steps and
# scores as the rows the generator wrote directly.  What a message cannot
# carry (ratings, certified copies, feedback items, open steps) and the
# dossiers that never reached the portal are written back as rows, as the
# systems that own them would.  Prints TAP; needs
# PGHOST/PGPORT/PGUSER and the extension installed.
#
# Settings: TTHC_MESSAGES_DOSSIERS (20000), TTHC_MESSAGES_SCALE (0.1).
set -uo pipefail
cd "$(dirname "$0")/../.."

db=tthc_demo_messages
count=${TTHC_MESSAGES_DOSSIERS:-20000}
scale=${TTHC_MESSAGES_SCALE:-0.1}
n=0
fail=0
ok() {  # ok DESCRIPTION RESULT ('t' passes)
  n=$((n + 1))
  if [ "$2" = "t" ]; then echo "ok $n - $1"; else echo "not ok $n - $1"; echo "#   got: $2"; fail=$((fail + 1)); fi
}
q() { psql -X -q -At -v ON_ERROR_STOP=1 -d $db "$@"; }

psql -q -X -c "DROP DATABASE IF EXISTS $db" >/dev/null 2>&1
psql -q -X -v ON_ERROR_STOP=1 -c "CREATE DATABASE $db" >/dev/null
q -c 'CREATE EXTENSION tthc' >/dev/null
q -v scale="$scale" -v seed=766 -v datadir="$PWD/demo/data" -f demo/generate_catalogue.sql >/dev/null
q -v count="$count" -v seed=766 -v until=2026-11-20 -f demo/generate_dossiers.sql >/dev/null

# the rows as written, their scores, and the messages
q >/dev/null <<'SQL'
CREATE TABLE saved_dossier AS SELECT * FROM tthc.dossier;
CREATE TABLE saved_step AS SELECT * FROM tthc.dossier_step;
CREATE TABLE saved_feedback AS SELECT * FROM tthc.feedback;
CREATE TABLE saved_scores AS
SELECT * FROM tthc.scores_of(NULL, '2025-01-01', '2026-11-20', '766', '2026-11-21 00:00+07');
-- the dossiers that reached the portal (synced_at set) come back as its
-- messages; the others never left their unit's system
CREATE TABLE msg AS
SELECT 1 AS kind, d.code, d.received_at, tthc.dossier_message(d) AS payload FROM tthc.dossier d
 WHERE d.synced_at IS NOT NULL
UNION ALL
SELECT 2, d.code, d.received_at, tthc.dossier_progress_message(d.code) FROM tthc.dossier d
 WHERE d.synced_at IS NOT NULL
   AND EXISTS (SELECT 1 FROM tthc.dossier_step s WHERE s.dossier_code = d.code AND s.ended_at IS NOT NULL);
SQL
ok "the demo wrote dossiers, steps and feedback" \
   "$(q -c "SELECT (SELECT count(*) FROM saved_dossier) = $count AND (SELECT count(*) FROM saved_step) > 0 AND (SELECT count(*) FROM saved_feedback) > 0")"

# what the messages do not carry, from the systems that own it: the
# dossiers never synced, ratings, certified copies, open steps, feedback
not_carried="INSERT INTO tthc.dossier SELECT * FROM saved_dossier WHERE synced_at IS NULL;
UPDATE tthc.dossier d SET rating = s.rating, e_certified_copy = s.e_certified_copy
  FROM saved_dossier s WHERE s.code = d.code AND (s.rating IS NOT NULL OR s.e_certified_copy);
INSERT INTO tthc.dossier_step SELECT * FROM saved_step s
 WHERE NOT EXISTS (SELECT 1 FROM tthc.dossier_step x WHERE x.dossier_code = s.dossier_code AND x.seq = s.seq);
INSERT INTO tthc.feedback SELECT * FROM saved_feedback;"

# everything gone, then back through the inbox, in the order the portal
# would send it: each dossier, then the progress of its steps
q >/dev/null <<SQL
TRUNCATE tthc.onestop_rating, tthc.feedback, tthc.dossier_step, tthc.dossier;
INSERT INTO tthc.inbox (payload) SELECT payload FROM msg ORDER BY received_at NULLS FIRST, code, kind;
$not_carried
SQL
compare() {  # compare HOW: the rows, steps and scores against what the generator wrote
  ok "$1: every message applied" "$(q -c "SELECT coalesce(string_agg(DISTINCT state || ': ' || left(coalesce(error::text, ''), 200), '; '), 't') FROM tthc.inbox WHERE state <> 'applied'")"
  ok "$1: the same dossier rows (synced_at is stamped by the sync: compared as set or not)" "$(q -c "
SELECT count(*) = 0 FROM (
  (SELECT code, agency_id, procedure_code, channel, status, submitted_at, received_at, due_at, finished_at, returned_at,
          ended_at, supplement_requests, supplement_requested_at, supplement_received_at, fee, paid_online, e_result,
          digitized, reused_data, personal_store, population_db, e_certified_copy, rating, has_feedback, synced_at IS NULL FROM saved_dossier
   EXCEPT
   SELECT code, agency_id, procedure_code, channel, status, submitted_at, received_at, due_at, finished_at, returned_at,
          ended_at, supplement_requests, supplement_requested_at, supplement_received_at, fee, paid_online, e_result,
          digitized, reused_data, personal_store, population_db, e_certified_copy, rating, has_feedback, synced_at IS NULL FROM tthc.dossier)
  UNION ALL
  (SELECT code, agency_id, procedure_code, channel, status, submitted_at, received_at, due_at, finished_at, returned_at,
          ended_at, supplement_requests, supplement_requested_at, supplement_received_at, fee, paid_online, e_result,
          digitized, reused_data, personal_store, population_db, e_certified_copy, rating, has_feedback, synced_at IS NULL FROM tthc.dossier
   EXCEPT
   SELECT code, agency_id, procedure_code, channel, status, submitted_at, received_at, due_at, finished_at, returned_at,
          ended_at, supplement_requests, supplement_requested_at, supplement_received_at, fee, paid_online, e_result,
          digitized, reused_data, personal_store, population_db, e_certified_copy, rating, has_feedback, synced_at IS NULL FROM saved_dossier)) x")"
  ok "$1: the same inter-agency steps" "$(q -c "
SELECT count(*) = 0 FROM (
  (SELECT dossier_code, seq, agency_id, officer, started_at, deadline_at, ended_at FROM saved_step
   EXCEPT SELECT dossier_code, seq, agency_id, officer, started_at, deadline_at, ended_at FROM tthc.dossier_step)
  UNION ALL
  (SELECT dossier_code, seq, agency_id, officer, started_at, deadline_at, ended_at FROM tthc.dossier_step
   EXCEPT SELECT dossier_code, seq, agency_id, officer, started_at, deadline_at, ended_at FROM saved_step)) x")"
  ok "$1: the same scores as from the rows (every agency, every criterion)" "$(q -c "
SELECT count(*) = 0
  FROM saved_scores b
  FULL JOIN tthc.scores_of(NULL, '2025-01-01', '2026-11-20', '766', '2026-11-21 00:00+07') a USING (agency_id, criterion)
 WHERE (a.numerator, a.denominator, a.points) IS DISTINCT FROM (b.numerator, b.denominator, b.points)")"
  ok "$1: the tallies equal the recompute after the load" "$(q -c 'SELECT count(*) = 0 FROM tthc.verify()')"
}

compare "one message per inbox row"

# the same, with the dossier messages sent as the portal batches them:
# arrays of 100 through tthc.sync, each array written a round at a time,
# then every array a second time (all unchanged)
q >/dev/null <<'SQL'
TRUNCATE tthc.onestop_rating, tthc.feedback, tthc.dossier_step, tthc.dossier, tthc.inbox;
CREATE TABLE batch AS
SELECT (m.ord - 1) / 100 AS batch, '[' || string_agg(m.payload::text, ',' ORDER BY m.ord) || ']' AS payload
  FROM (SELECT payload, row_number() OVER (ORDER BY received_at NULLS FIRST, code) AS ord FROM msg WHERE kind = 1) m
 GROUP BY 1;
CREATE TABLE batch_result AS
SELECT b.batch, x ->> 'action' AS action, x ->> 'error' AS error
  FROM batch b, jsonb_array_elements(tthc.sync(b.payload) -> 'results') x;
INSERT INTO tthc.inbox (payload) SELECT payload FROM msg WHERE kind = 2 ORDER BY received_at NULLS FIRST, code;
SQL
q -c "$not_carried" >/dev/null
ok "arrays of 100: every dossier created" \
   "$(q -c "SELECT coalesce(string_agg(DISTINCT coalesce(error, action), '; '), 't') FROM batch_result WHERE action <> 'created'")"
compare "arrays of 100 through tthc.sync"
ok "arrays of 100 again: every dossier unchanged" \
   "$(q -c "SELECT coalesce(string_agg(DISTINCT coalesce(x ->> 'error', x ->> 'action'), '; '), 't')
              FROM batch b, jsonb_array_elements(tthc.sync(b.payload) -> 'results') x WHERE x ->> 'action' <> 'unchanged'")"
q -c "SELECT '# ' || (SELECT count(*) FROM msg WHERE kind = 1) || ' dossier messages, '
              || (SELECT count(*) FROM msg WHERE kind = 2) || ' progress messages, '
              || (SELECT count(*) FROM saved_scores) || ' scores compared'"

[ -n "${TTHC_KEEP:-}" ] || psql -q -X -c "DROP DATABASE IF EXISTS $db" >/dev/null 2>&1
echo "1..$n"
[ "$fail" -eq 0 ]
