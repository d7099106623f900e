-- Scores from the tallies equal the same scores computed from the raw rows
-- (tthc.scores_of(..., from_rows => true), the recompute aggregate), for
-- every agency, on random data, over several periods and evaluation times;
-- and the public interface of scoring.
BEGIN;
SELECT plan(28);

CREATE FUNCTION pg_temp.h(i int, k int) RETURNS int
LANGUAGE sql IMMUTABLE AS 'SELECT abs(hashint4(i * 31 + k * 1000003))';

INSERT INTO tthc.agency VALUES ('XA', NULL, 'Tỉnh A', 'province'), ('XB', NULL, 'Bộ B', 'ministry'),
                               ('XA.1', 'XA', 'Sở 1', 'department'), ('XA.1.1', 'XA.1', 'Phòng', 'unit'),
                               ('XA.2', 'XA', 'Xã 2', 'commune'), ('XB.1', 'XB', 'Cục 1', 'department');
-- 12 procedures with every mix of flags
INSERT INTO tthc.procedure (code, name, time_limit, time_unit, fee_required, paper_result, full_online_eligible,
                            for_citizens, is_certification, parts_complete)
SELECT 'XP' || i, 'Thủ tục ' || i, (ARRAY[1, 3, 10, NULL])[1 + i % 4], 'working_day',
       i % 2 = 0, i % 3 = 0, i % 4 < 2, i % 5 < 3, i % 6 = 1, i % 7 < 4
  FROM generate_series(1, 12) i;
INSERT INTO tthc.service
SELECT a, 'XP' || i, (ARRAY['full', 'partial', NULL])[1 + pg_temp.h(i, length(a)) % 3]
  FROM unnest(ARRAY['XA', 'XB', 'XA.1', 'XA.1.1', 'XA.2', 'XB.1']) a, generate_series(1, 12) i
 WHERE pg_temp.h(i, ascii(right(a, 1))) % 3 > 0;
INSERT INTO tthc.announcement (agency_id, procedure_code, kind, decided_on, basis_effective_on, published_on)
SELECT (ARRAY['XA', 'XB'])[1 + i % 2], 'XP' || (1 + i % 12), 'amend',
       date '2025-01-01' + pg_temp.h(i, 50) % 600, date '2025-01-01' + pg_temp.h(i, 50) % 600 + pg_temp.h(i, 51) % 40,
       CASE WHEN i % 5 > 0 THEN date '2025-01-01' + pg_temp.h(i, 50) % 600 + pg_temp.h(i, 52) % 20 END
  FROM generate_series(1, 80) i;
INSERT INTO tthc.reported_volume
SELECT a, m, pg_temp.h(length(a), extract(month FROM m)::int) % 300
  FROM unnest(ARRAY['XA', 'XA.2', 'XB.1']) a,
       generate_series(date '2025-01-01', date '2026-08-01', interval '1 month') m;

INSERT INTO tthc.dossier (code, agency_id, procedure_code, channel, status, received_at, finished_at,
                          synced_at, supplement_requests, supplement_requested_at, supplement_received_at,
                          fee, paid_online, e_result, digitized, reused_data, personal_store, population_db,
                          e_certified_copy, rating)
SELECT 'X-' || i, (ARRAY['XA', 'XB', 'XA.1', 'XA.1.1', 'XA.2', 'XB.1'])[1 + pg_temp.h(i, 1) % 6],
       'XP' || (1 + pg_temp.h(i, 2) % 12), 1 + pg_temp.h(i, 3) % 3,
       CASE WHEN fin THEN 9 ELSE 2 + pg_temp.h(i, 4) % 5 END, r,
       CASE WHEN fin THEN r + pg_temp.h(i, 5) % 300 * interval '1 hour' END,
       CASE WHEN pg_temp.h(i, 14) % 4 > 0 THEN r END,
       sup, CASE WHEN sup > 0 THEN r + pg_temp.h(i, 6) % 40 * interval '1 hour' END,
       CASE WHEN sup > 0 AND pg_temp.h(i, 7) % 2 = 0 THEN r + (40 + pg_temp.h(i, 8) % 40) * interval '1 hour' END,
       (pg_temp.h(i, 9) % 2) * 30000, pg_temp.h(i, 10) % 3,
       pg_temp.h(i, 15) % 2 = 0, pg_temp.h(i, 16) % 3 = 0, pg_temp.h(i, 17) % 4 = 0, pg_temp.h(i, 18) % 5 = 0,
       pg_temp.h(i, 19) % 2 = 0, pg_temp.h(i, 20) % 7 = 0,
       (ARRAY[NULL, 1, -1]::smallint[])[1 + pg_temp.h(i, 11) % 3]
  FROM (SELECT i, timestamptz '2025-01-02 06:00+07' + pg_temp.h(i, 0) % (600 * 24 * 60) * interval '1 minute' AS r,
               pg_temp.h(i, 12) % 2 = 0 AS fin,
               CASE pg_temp.h(i, 13) % 8 WHEN 0 THEN 1 WHEN 1 THEN 2 ELSE 0 END AS sup
          FROM generate_series(1, 3000) i) g;
INSERT INTO tthc.feedback (id, agency_id, received_at, category, handled_at, published_at, likes, dislikes,
                           raised_again, dossier_code)
SELECT 'XF-' || i, (ARRAY['XA', 'XB', 'XA.1', 'XA.1.1', 'XA.2', 'XB.1'])[1 + pg_temp.h(i, 31) % 6], r,
       (ARRAY['rules', 'staff', NULL])[1 + pg_temp.h(i, 34) % 3],
       CASE WHEN o > 0 THEN r + pg_temp.h(i, 38) % 600 * interval '1 hour' END,
       CASE WHEN o > 1 THEN r + interval '600 hours' + pg_temp.h(i, 39) % 100 * interval '1 hour' END,
       pg_temp.h(i, 40) % 4, pg_temp.h(i, 41) % 4, pg_temp.h(i, 42) % 7 = 0,
       CASE WHEN pg_temp.h(i, 43) % 3 = 0 THEN 'X-' || (1 + pg_temp.h(i, 44) % 3000) END
  FROM (SELECT i, timestamptz '2025-01-02 06:00+07' + pg_temp.h(i, 30) % (600 * 24 * 60) * interval '1 minute' AS r,
               pg_temp.h(i, 45) % 3 AS o
          FROM generate_series(1, 500) i) g;
-- some changes after the load, half of them folded into the tallies
UPDATE tthc.dossier SET status = 9, finished_at = received_at + interval '30 hours' WHERE code LIKE 'X-1%' AND status <> 9;
SELECT ok(tthc.compact() > 0, 'compaction folds the log');
UPDATE tthc.dossier SET agency_id = 'XB.1' WHERE code LIKE 'X-2%';
DELETE FROM tthc.dossier WHERE code LIKE 'X-3%';

-- every agency, every criterion, tallies against raw rows
CREATE FUNCTION pg_temp.score_mismatches(f date, t date, at timestamptz) RETURNS bigint
LANGUAGE sql STABLE AS $$
    SELECT count(*)
      FROM tthc.scores_of(NULL, f, t, '766', at) x
      FULL JOIN tthc.scores_of(NULL, f, t, '766', at, true) r USING (agency_id, criterion)
     WHERE (x.numerator, x.denominator, x.ratio, x.points, x.max_points)
           IS DISTINCT FROM (r.numerator, r.denominator, r.ratio, r.points, r.max_points)
$$;
SELECT is(pg_temp.score_mismatches('2025-01-01', '2026-12-31', '2027-01-01 00:00+07'), 0::bigint,
          'two years judged after them: tallies = raw rows');
SELECT is(pg_temp.score_mismatches('2025-01-01', '2025-12-31', '2026-01-01 00:00+07'), 0::bigint,
          'a year (read from year rows): tallies = raw rows');
SELECT is(pg_temp.score_mismatches('2025-03-01', '2025-03-31', '2025-04-01 00:00+07'), 0::bigint,
          'a month judged at its end: tallies = raw rows');
SELECT is(pg_temp.score_mismatches('2025-03-01', '2025-03-31', '2025-03-20 10:37+07'), 0::bigint,
          'a month judged in its middle: tallies = raw rows');
SELECT is(pg_temp.score_mismatches('2026-01-01', '2026-06-30', '2026-05-06 16:59:59.5+07'), 0::bigint,
          'a half-year judged before its end: tallies = raw rows');
SELECT is(pg_temp.score_mismatches('2025-02-10', '2025-11-20', '2026-02-17 10:00+07'), 0::bigint,
          'an odd range of days: tallies = raw rows');

-- everything compacted: scores read the agency rows only
SELECT ok(tthc.compact() > 0, 'compaction folds the rest of the log');
SELECT is((SELECT count(*) FROM tthc.tally_log), 0::bigint, 'the log is empty');
SELECT is(pg_temp.score_mismatches('2025-01-01', '2025-12-31', '2026-01-01 00:00+07')
          + pg_temp.score_mismatches('2025-02-10', '2025-11-20', '2026-02-17 10:00+07'), 0::bigint,
          'all compacted, a year and an odd range: tallies = raw rows');
SELECT is_empty('SELECT * FROM tthc.verify()', 'verify: the agency rows are the sums of the tally rows');
SELECT is(pg_temp.score_mismatches('2026-01-01', '2026-08-25', '2026-08-25 10:00+07'), 0::bigint,
          'all compacted, the year so far: tallies = raw rows');

-- a procedure changes class: its agency rows are rolled up again
UPDATE tthc.procedure SET fee_required = NOT fee_required, is_certification = NOT is_certification
 WHERE code IN ('XP2', 'XP7');
SELECT is_empty('SELECT * FROM tthc.verify()', 'after a change of procedure flags, verify is empty');
SELECT is(pg_temp.score_mismatches('2025-01-01', '2025-12-31', '2026-01-01 00:00+07'), 0::bigint,
          'and the year''s scores from the tallies = raw rows');

-- agency rows that do not add up are found
UPDATE tthc.tally_agency SET counters = counters OPERATOR(tthc.+) counters
 WHERE (agency_id, grain, received_day, class, late_day) =
       (SELECT agency_id, grain, received_day, class, late_day FROM tthc.tally_agency
         WHERE grain = 'y' AND class >= 0 ORDER BY 1, 3, 4, 5 LIMIT 1);
SELECT ok((SELECT count(*) FROM tthc.verify() WHERE grain = 'agency year' AND procedure_code LIKE 'class %') > 0,
          'verify lists an agency row changed behind its back');
SELECT ok(tthc.rebuild() > 0, 'rebuild runs');
SELECT is_empty('SELECT * FROM tthc.verify()', 'and puts it right');

-- the backend's copy of the catalogue follows edits, rolled back ones too
CREATE FUNCTION pg_temp.online_services_gap() RETURNS bigint
LANGUAGE sql STABLE AS $$
    SELECT (SELECT denominator FROM tthc.scores_of(ARRAY['XA'], '2025-01-01', '2025-12-31', '766',
                                                   '2026-01-01 00:00+07')
             WHERE criterion = '3.2')::bigint
           - (SELECT count(*) FROM tthc.service
               WHERE agency_id IN (SELECT id FROM tthc.agency_subtree('XA')) AND online_level IS NOT NULL)
$$;
SELECT is(pg_temp.online_services_gap(), 0::bigint, '3.2 counts the online services of the subtree');
SAVEPOINT catalogue_edit;
UPDATE tthc.service SET online_level = NULL WHERE agency_id = 'XA.2';
SELECT is(pg_temp.online_services_gap(), 0::bigint, 'and sees a service taken offline at once');
ROLLBACK TO SAVEPOINT catalogue_edit;
SELECT is(pg_temp.online_services_gap(), 0::bigint, 'and forgets it when rolled back');

-- the year so far (read from the year's rows, less the entries not due
-- yet), with some changes in the log
UPDATE tthc.dossier SET status = 9, finished_at = received_at + interval '2 hours'
 WHERE code LIKE 'X-4%' AND status <> 9 AND received_at >= '2026-01-01';
SELECT ok((SELECT count(*) FROM tthc.tally WHERE grain = 'd' AND received_day >= '2026-01-01'
              AND late_day >= '2026-08-25' AND late_day < '2027-01-01') > 0,
          'some dossiers of 2026 are not late yet on 25/8/2026');
SELECT is(pg_temp.score_mismatches('2026-01-01', '2026-08-25', '2026-08-25 10:00+07')
          + pg_temp.score_mismatches('2026-01-01', '2026-12-31', '2026-08-26 08:00+07')
          + pg_temp.score_mismatches('2026-01-01', '2026-08-24', '2026-08-25 17:00+07'), 0::bigint,
          'the year so far, judged on its last days: tallies = raw rows');
SELECT ok((SELECT count(DISTINCT criterion) FROM tthc.scores('2025-01-01', '2026-12-31')
            WHERE denominator > 0) >= 20, 'most criteria have data to compare');

-- the interface
SELECT has_function('tthc', 'scores', ARRAY['date', 'date', 'text']);
SELECT has_function('tthc', 'scoreboard', ARRAY['date', 'date', 'text', 'text']);
SELECT has_function('tthc', 'load_index_set', ARRAY['json']);
SELECT is((SELECT count(*)::int FROM tthc.index_set_criteria('766')), 23, 'the shipped 766 set has 23 criteria');
SELECT is((SELECT sum(max_points) FROM tthc.index_set_criteria('766')), 100::numeric, 'worth 100 points');

SELECT * FROM finish();
ROLLBACK;
