-- The tallies against a recompute from the rows: a random workload of
-- multi-row inserts, updates (status, times, agency, procedure, flags) and
-- deletes, with rolled-back subtransactions, then tthc.verify() is empty and
-- tthc.counters_of() equals the recompute for every subtree at several
-- evaluation times; re-parenting moves history at once; TRUNCATE, rebuild,
-- compact, suspend and resume keep them consistent.
BEGIN;
SELECT plan(26);

CREATE FUNCTION pg_temp.h(i int, k int) RETURNS int
LANGUAGE sql IMMUTABLE AS 'SELECT abs(hashint4(i * 31 + k * 1000003))';

INSERT INTO tthc.agency VALUES ('TA', NULL, 'Tỉnh A', 'province'), ('TB', NULL, 'Bộ B', 'ministry'),
                               ('TA.1', 'TA', 'Sở 1', 'department'), ('TA.1.1', 'TA.1', 'Phòng', 'unit'),
                               ('TA.2', 'TA', 'Xã 2', 'commune'), ('TB.1', 'TB', 'Cục 1', 'department');
INSERT INTO tthc.procedure (code, name, time_limit, time_unit) VALUES
    ('T1', 'Một ngày', 1, 'working_day'), ('T3', 'Ba ngày', 3, 'working_day'),
    ('T10', 'Mười ngày', 10, 'day'), ('T0', 'Không thời hạn', NULL, 'working_day');

-- recompute, for comparison
CREATE FUNCTION pg_temp.recompute(agency text, f date, t date, at timestamptz) RETURNS text
LANGUAGE sql STABLE AS $$
    SELECT coalesce(tthc.sum(x.c), '{}'::tthc.counters)::text
      FROM (SELECT tthc.dossier_counters(d, at) AS c
              FROM tthc.dossier d
             WHERE d.agency_id IN (SELECT id FROM tthc.agency_subtree(agency))
               AND (d.received_at AT TIME ZONE 'Asia/Ho_Chi_Minh')::date BETWEEN f AND t
            UNION ALL
            SELECT tthc.feedback_counters(fb, at)
              FROM tthc.feedback fb
             WHERE fb.agency_id IN (SELECT id FROM tthc.agency_subtree(agency))
               AND (fb.received_at AT TIME ZONE 'Asia/Ho_Chi_Minh')::date BETWEEN f AND t) x
$$;
CREATE FUNCTION pg_temp.mismatches() RETURNS bigint
LANGUAGE sql STABLE AS $$
    SELECT count(*) FROM unnest(ARRAY['TA', 'TB', 'TA.1', 'TA.1.1', 'TA.2', 'TB.1']) a,
           (VALUES ('2025-01-01'::date, '2026-12-31'::date), ('2025-03-01', '2025-03-31'),
                   ('2026-02-10', '2026-02-20')) p(f, t),
           (VALUES ('2025-03-31 23:59:59+07'::timestamptz), ('2025-12-01 00:00+07'),
                   ('2026-02-17 10:37+07'), ('2026-06-05 16:59:59.5+07'), ('2030-01-01 00:00+07')) w(at)
     WHERE tthc.counters_of(a, p.f, p.t, w.at)::text <> pg_temp.recompute(a, p.f, p.t, w.at)
$$;

-- 3,000 dossiers in one statement (the statement trigger's bulk path)
INSERT INTO tthc.dossier (code, agency_id, procedure_code, channel, status, received_at, finished_at,
                          ended_at, supplement_requests, supplement_requested_at, supplement_received_at,
                          fee, paid_online, rating)
SELECT 'T-' || i, (ARRAY['TA', 'TB', 'TA.1', 'TA.1.1', 'TA.2', 'TB.1'])[1 + pg_temp.h(i, 1) % 6],
       (ARRAY['T1', 'T3', 'T10', 'T0'])[1 + pg_temp.h(i, 2) % 4], 1 + pg_temp.h(i, 3) % 3,
       CASE WHEN fin THEN 9 ELSE 2 + pg_temp.h(i, 4) % 5 END, r,
       CASE WHEN fin THEN r + pg_temp.h(i, 5) % 300 * interval '1 hour' END,
       NULL, sup,
       CASE WHEN sup > 0 THEN r + pg_temp.h(i, 6) % 40 * interval '1 hour' END,
       CASE WHEN sup > 0 AND pg_temp.h(i, 7) % 2 = 0 THEN r + (40 + pg_temp.h(i, 8) % 40) * interval '1 hour' END,
       (pg_temp.h(i, 9) % 2) * 30000, pg_temp.h(i, 10) % 3,
       (ARRAY[NULL, 1, -1]::smallint[])[1 + pg_temp.h(i, 11) % 3]
  FROM (SELECT i, timestamptz '2025-01-02 06:00+07' + pg_temp.h(i, 0) % (600 * 24 * 60) * interval '1 minute' AS r,
               pg_temp.h(i, 12) % 2 = 0 AS fin,
               CASE pg_temp.h(i, 13) % 8 WHEN 0 THEN 1 WHEN 1 THEN 2 ELSE 0 END AS sup
          FROM generate_series(1, 3000) i) g;
-- a statement holding more keys than tthc.statement_keys appends them on the way
SET LOCAL tthc.statement_keys = 100;
UPDATE tthc.dossier SET e_result = NOT e_result WHERE code LIKE 'T-%';
UPDATE tthc.dossier SET e_result = NOT e_result WHERE code LIKE 'T-%';
RESET tthc.statement_keys;
SELECT ok((SELECT count(*) FROM tthc.tally_log) > 6000, 'a big statement appended its keys in batches');

-- 800 feedback items, a third of them about one of those dossiers
INSERT INTO tthc.feedback (id, agency_id, received_at, transferred_at, category, refused_at,
                           supplement_requested_at, handled_at, published_at, likes, dislikes,
                           raised_again, dossier_code)
SELECT 'TF-' || i, (ARRAY['TA', 'TB', 'TA.1', 'TA.1.1', 'TA.2', 'TB.1'])[1 + pg_temp.h(i, 31) % 6], r,
       CASE WHEN pg_temp.h(i, 32) % 5 = 0 THEN r + pg_temp.h(i, 33) % 72 * interval '1 hour' END AS transferred_at,
       (ARRAY['rules', 'staff', NULL])[1 + pg_temp.h(i, 34) % 3],
       CASE WHEN o = 0 THEN r + interval '130 hours' + pg_temp.h(i, 35) % 100 * interval '1 hour' END,
       CASE WHEN pg_temp.h(i, 36) % 4 = 0 THEN r + interval '80 hours' + pg_temp.h(i, 37) % 40 * interval '1 hour' END,
       CASE WHEN o >= 2 THEN r + interval '150 hours' + pg_temp.h(i, 38) % 600 * interval '1 hour' END AS handled,
       CASE WHEN o = 3 THEN r + interval '800 hours' + pg_temp.h(i, 39) % 100 * interval '1 hour' END,
       pg_temp.h(i, 40) % 4, pg_temp.h(i, 41) % 4, pg_temp.h(i, 42) % 7 = 0,
       CASE WHEN pg_temp.h(i, 43) % 3 = 0 THEN 'T-' || (1 + pg_temp.h(i, 44) % 3000) END
  FROM (SELECT i, timestamptz '2025-01-02 06:00+07' + pg_temp.h(i, 30) % (600 * 24 * 60) * interval '1 minute' AS r,
               pg_temp.h(i, 45) % 4 AS o
          FROM generate_series(1, 800) i) g;
SELECT ok((SELECT count(*) FROM tthc.dossier WHERE has_feedback) > 100, 'feedback about a dossier marks it');
SELECT is((SELECT count(*) FROM tthc.verify()), 0::bigint, 'after a 3,000-row insert and 800 feedback items, verify() is empty');

-- 600 random single-row changes, some in subtransactions rolled back
DO $$
DECLARE
    i int; c text;
BEGIN
    FOR i IN 1..600 LOOP
        c := 'T-' || (1 + pg_temp.h(i, 20) % 3000);
        BEGIN
            CASE pg_temp.h(i, 21) % 11
            WHEN 0 THEN UPDATE tthc.dossier SET status = 9, finished_at = received_at + pg_temp.h(i, 22) % 200 * interval '1 hour'
                         WHERE code = c;
            WHEN 1 THEN UPDATE tthc.dossier SET status = 4, finished_at = NULL WHERE code = c AND status = 9;
            WHEN 2 THEN UPDATE tthc.dossier SET agency_id = (ARRAY['TA', 'TB', 'TA.2', 'TB.1'])[1 + pg_temp.h(i, 23) % 4]
                         WHERE code = c;
            WHEN 3 THEN UPDATE tthc.dossier SET procedure_code = (ARRAY['T1', 'T3', 'T10'])[1 + pg_temp.h(i, 24) % 3], due_at = NULL
                         WHERE code = c;
            WHEN 4 THEN DELETE FROM tthc.dossier WHERE code = c;
            WHEN 5 THEN UPDATE tthc.dossier SET synced_at = received_at, e_result = true, rating = -1 WHERE code = c;
            WHEN 6 THEN INSERT INTO tthc.dossier (code, agency_id, procedure_code, status, received_at)
                         VALUES ('TN-' || i, 'TA.1.1', 'T3', 2, timestamptz '2026-02-16 08:00+07' + i * interval '7 minutes');
            WHEN 8 THEN UPDATE tthc.feedback SET handled_at = received_at + pg_temp.h(i, 25) % 500 * interval '1 hour',
                                                 refused_at = NULL, published_at = NULL, dislikes = likes + 1
                         WHERE id = 'TF-' || (1 + pg_temp.h(i, 26) % 800);
            WHEN 9 THEN DELETE FROM tthc.feedback WHERE id = 'TF-' || (1 + pg_temp.h(i, 26) % 800);
            WHEN 10 THEN UPDATE tthc.feedback SET dossier_code = c, agency_id = 'TA.2'
                          WHERE id = 'TF-' || (1 + pg_temp.h(i, 26) % 800);
            ELSE
                UPDATE tthc.dossier SET status = 9, finished_at = received_at + interval '1 hour' WHERE code = c;
                RAISE EXCEPTION 'roll this back';
            END CASE;
        EXCEPTION WHEN raise_exception OR check_violation OR foreign_key_violation THEN
            NULL;
        END;
    END LOOP;
END
$$;
SELECT is((SELECT count(*) FROM tthc.verify()), 0::bigint,
          'after 600 random changes of dossiers and feedback with rolled-back subtransactions, verify() is empty');
SELECT is(pg_temp.mismatches(), 0::bigint,
          'tthc.counters = the recompute for 6 subtrees x 3 periods x 5 evaluation times');

-- a multi-row update of every row, and a multi-row delete
UPDATE tthc.dossier SET population_db = NOT population_db WHERE code LIKE 'T%';
DELETE FROM tthc.dossier WHERE code LIKE 'T-1%';
SELECT is((SELECT count(*) FROM tthc.verify()), 0::bigint, 'after bulk update and delete, verify() is empty');

-- re-parenting an agency moves its history at once
CREATE TEMP TABLE before AS SELECT tthc.counters_of('TA.1', '2025-01-01', '2026-12-31', '2030-01-01')::text AS c;
UPDATE tthc.agency SET parent_id = 'TB' WHERE id = 'TA.1';
SELECT is(tthc.counters_of('TB', '2025-01-01', '2026-12-31', '2030-01-01')::text,
          pg_temp.recompute('TB', '2025-01-01', '2026-12-31', '2030-01-01'), 'the new parent counts the moved unit');
SELECT is(tthc.counters_of('TA.1', '2025-01-01', '2026-12-31', '2030-01-01')::text, (SELECT c FROM before),
          'the moved unit keeps its counters');
SELECT is(pg_temp.mismatches(), 0::bigint, 'after the move, every subtree still equals the recompute');

-- compact merges without changing anything read
SELECT ok(tthc.compact() > 0, 'compact merges appended rows');
SELECT is((SELECT count(*) FROM tthc.tally_log), 0::bigint, 'compact empties the log');
SELECT is((SELECT array_agg(DISTINCT grain ORDER BY grain) FROM tthc.tally), '{d,m,y}'::"char"[],
          'compact writes day, month and year rows');
SELECT is((SELECT count(*) FROM tthc.tally WHERE counters OPERATOR(tthc.=) '{}'), 0::bigint,
          'no tally row is left at zero');
SELECT is((SELECT count(*) FROM tthc.verify()), 0::bigint, 'verify() is empty after compact');

-- a damaged tally is found, and rebuild repairs it
UPDATE tthc.tally SET counters = counters OPERATOR(tthc.+) '{"received": 1}'
 WHERE ctid = (SELECT min(ctid) FROM tthc.tally WHERE late_day = '-infinity' AND grain = 'd');
SELECT is((SELECT count(*) FROM tthc.verify()
            WHERE grain = 'day' AND counter = 'received' AND maintained = recomputed + 1),
          1::bigint, 'verify() reports the damaged counter of a day');
UPDATE tthc.tally SET counters = counters OPERATOR(tthc.-) '{"late": 1}'
 WHERE ctid = (SELECT min(ctid) FROM tthc.tally WHERE grain = 'y');
SELECT is((SELECT count(*) FROM tthc.verify()
            WHERE grain = 'year' AND counter = 'late' AND maintained = recomputed - 1),
          1::bigint, 'verify() reports the damaged counter of a year');
SELECT ok(tthc.rebuild() > 0, 'rebuild writes the tallies again');
SELECT is((SELECT count(*) FROM tthc.verify()), 0::bigint, 'verify() is empty after rebuild');

-- a bulk load with maintenance suspended, then caught up
SELECT tthc.suspend_tallies();
INSERT INTO tthc.dossier (code, agency_id, procedure_code, status, received_at)
SELECT 'TS-' || i, 'TA.2', 'T1', 2, timestamptz '2026-03-02 08:00+07' + i * interval '3 minutes'
  FROM generate_series(1, 500) i;
SELECT ok((SELECT count(*) FROM tthc.verify()) > 0, 'while suspended, the tallies lag');
SELECT ok(tthc.resume_tallies() > 0, 'resume rebuilds');
SELECT is((SELECT count(*) FROM tthc.verify()), 0::bigint, 'verify() is empty after resume');

-- calendar edits recompute the tallies they touch, in the same transaction
INSERT INTO tthc.dossier (code, agency_id, procedure_code, status, received_at, finished_at,
                          supplement_requests, supplement_requested_at, supplement_received_at)
VALUES ('TC-1', 'TA.2', 'T3', 9, '2026-05-04 09:00+07', '2026-05-12 10:00+07', 1,
        '2026-05-05 09:00+07', '2026-05-08 09:00+07');
INSERT INTO tthc.holiday (day, name) VALUES ('2026-05-06', 'Nghỉ đột xuất');
SELECT is((SELECT count(*) FROM tthc.verify()), 0::bigint, 'verify() is empty after adding a holiday');
UPDATE tthc.holiday SET day = '2026-05-11' WHERE day = '2026-05-06';
INSERT INTO tthc.workday (day, name) VALUES ('2026-05-09', 'Làm bù');
DELETE FROM tthc.holiday WHERE day = '2026-05-01';
SELECT is((SELECT count(*) FROM tthc.verify()), 0::bigint, 'verify() is empty after moving and deleting holidays and a make-up day');
UPDATE tthc.calendar_setting SET afternoon_end = '16:00';
SELECT is((SELECT count(*) FROM tthc.verify()), 0::bigint, 'verify() is empty after changing the working hours');
SELECT is(pg_temp.mismatches(), 0::bigint, 'after the calendar edits, every subtree equals the recompute');

-- TRUNCATE empties the tallies too
SET LOCAL client_min_messages = warning;
TRUNCATE tthc.dossier CASCADE;
SELECT is((SELECT count(*) FROM tthc.tally) + (SELECT count(*) FROM tthc.tally_log), 0::bigint, 'TRUNCATE empties the tallies and the log');

SELECT * FROM finish();
ROLLBACK;
