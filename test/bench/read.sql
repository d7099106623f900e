-- test/bench/read.sql: reading, from the tallies against the recompute from
-- the raw rows, in one run: the counters of one province for one month, and
-- the national scoreboards (provinces and ministries) for a month, a year
-- and the year to date.  The raw side of the scoreboards is
-- tthc.scores_of(..., from_rows => true): every dossier and feedback item
-- classified again by the C core (the recompute aggregate).
-- Needs the demo catalogue and dossiers (scripts/bench.sh loads them).
\set ON_ERROR_STOP 1
SET jit = off;

-- median seconds of n runs of a query
CREATE FUNCTION pg_temp.median_secs(q text, n int) RETURNS numeric
LANGUAGE plpgsql AS $$
DECLARE
    t0 timestamptz; secs numeric[] := '{}';
BEGIN
    FOR r IN 1..n LOOP
        t0 := clock_timestamp();
        EXECUTE q;
        secs := secs || extract(epoch FROM clock_timestamp() - t0)::numeric;
    END LOOP;
    RETURN (SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY s) FROM unnest(secs) s)::numeric;
END
$$;

SELECT count(*) AS dossiers FROM tthc.dossier \gset
SELECT tthc.compact() AS merged \gset

\set tallies 'SELECT tthc.counters_of(''H55'', ''2026-10-01'', ''2026-10-31'', ''2026-11-01 00:00+07'')'
\set raw 'SELECT tthc.sum(c) FROM (SELECT tthc.dossier_counters(d, ''2026-11-01 00:00+07'') AS c FROM tthc.dossier d WHERE d.agency_id IN (SELECT id FROM tthc.agency_subtree(''H55'')) AND d.received_at >= ''2026-10-01 00:00+07'' AND d.received_at < ''2026-11-01 00:00+07'' UNION ALL SELECT tthc.feedback_counters(f, ''2026-11-01 00:00+07'') FROM tthc.feedback f WHERE f.agency_id IN (SELECT id FROM tthc.agency_subtree(''H55'')) AND f.received_at >= ''2026-10-01 00:00+07'' AND f.received_at < ''2026-11-01 00:00+07'') x'
\set tallies_now 'SELECT tthc.counters_of(''H55'', ''2026-11-01'', ''2026-11-23'', ''2026-11-23 10:30+07'')'
\set raw_now 'SELECT tthc.sum(c) FROM (SELECT tthc.dossier_counters(d, ''2026-11-23 10:30+07'') AS c FROM tthc.dossier d WHERE d.agency_id IN (SELECT id FROM tthc.agency_subtree(''H55'')) AND d.received_at >= ''2026-11-01 00:00+07'' AND d.received_at < ''2026-11-24 00:00+07'' UNION ALL SELECT tthc.feedback_counters(f, ''2026-11-23 10:30+07'') FROM tthc.feedback f WHERE f.agency_id IN (SELECT id FROM tthc.agency_subtree(''H55'')) AND f.received_at >= ''2026-11-01 00:00+07'' AND f.received_at < ''2026-11-24 00:00+07'') x'

\pset footer off
SELECT :dossiers AS "dossiers", month, tallies_ms AS "tallies (median ms)", raw_ms AS "raw rows (median ms)",
       round(raw_ms / nullif(tallies_ms, 0), 1) AS "ratio raw / tallies", same AS "same counters"
  FROM (SELECT 'Thái Nguyên, 10/2026, judged at month end' AS month,
               round(1000 * pg_temp.median_secs(:'tallies', 7), 1) AS tallies_ms,
               round(1000 * pg_temp.median_secs(:'raw', 3), 1) AS raw_ms,
               (SELECT tthc.counters_of('H55', '2026-10-01', '2026-10-31', '2026-11-01 00:00+07')::text)
               = (SELECT tthc.sum(c)::text FROM (
                    SELECT tthc.dossier_counters(d, '2026-11-01 00:00+07') AS c FROM tthc.dossier d
                     WHERE d.agency_id IN (SELECT id FROM tthc.agency_subtree('H55'))
                       AND d.received_at >= '2026-10-01 00:00+07' AND d.received_at < '2026-11-01 00:00+07'
                    UNION ALL
                    SELECT tthc.feedback_counters(f, '2026-11-01 00:00+07') FROM tthc.feedback f
                     WHERE f.agency_id IN (SELECT id FROM tthc.agency_subtree('H55'))
                       AND f.received_at >= '2026-10-01 00:00+07' AND f.received_at < '2026-11-01 00:00+07') x) AS same
        UNION ALL
        SELECT 'Thái Nguyên, 1-23/11/2026, judged at 10:30 on the 23rd',
               round(1000 * pg_temp.median_secs(:'tallies_now', 7), 1),
               round(1000 * pg_temp.median_secs(:'raw_now', 3), 1),
               (SELECT tthc.counters_of('H55', '2026-11-01', '2026-11-23', '2026-11-23 10:30+07')::text)
               = (SELECT tthc.sum(c)::text FROM (
                    SELECT tthc.dossier_counters(d, '2026-11-23 10:30+07') AS c FROM tthc.dossier d
                     WHERE d.agency_id IN (SELECT id FROM tthc.agency_subtree('H55'))
                       AND d.received_at >= '2026-11-01 00:00+07' AND d.received_at < '2026-11-24 00:00+07'
                    UNION ALL
                    SELECT tthc.feedback_counters(f, '2026-11-23 10:30+07') FROM tthc.feedback f
                     WHERE f.agency_id IN (SELECT id FROM tthc.agency_subtree('H55'))
                       AND f.received_at >= '2026-11-01 00:00+07' AND f.received_at < '2026-11-24 00:00+07') x)) x;

-- the national scoreboards
\echo
SELECT ARRAY(SELECT id FROM tthc.agency WHERE parent_id IS NULL) AS tops \gset

\set month_t 'SELECT count(*) FROM tthc.scores_of(''' :tops ''', ''2026-10-01'', ''2026-10-31'', ''766'', ''2026-11-01 00:00+07'')'
\set month_r 'SELECT count(*) FROM tthc.scores_of(''' :tops ''', ''2026-10-01'', ''2026-10-31'', ''766'', ''2026-11-01 00:00+07'', true)'
\set year_t 'SELECT count(*) FROM tthc.scores_of(''' :tops ''', ''2025-01-01'', ''2025-12-31'', ''766'', ''2026-01-01 00:00+07'')'
\set year_r 'SELECT count(*) FROM tthc.scores_of(''' :tops ''', ''2025-01-01'', ''2025-12-31'', ''766'', ''2026-01-01 00:00+07'', true)'
\set ytd_t 'SELECT count(*) FROM tthc.scores_of(''' :tops ''', ''2026-01-01'', ''2026-11-23'', ''766'', ''2026-11-23 10:30+07'')'
\set ytd_r 'SELECT count(*) FROM tthc.scores_of(''' :tops ''', ''2026-01-01'', ''2026-11-23'', ''766'', ''2026-11-23 10:30+07'', true)'

\pset footer off
SELECT :dossiers AS "dossiers", x.what, x.t_ms AS "tallies (median ms)", x.r_ms AS "raw rows (median ms)",
       round(x.r_ms / nullif(x.t_ms, 0), 1) AS "ratio raw / tallies"
  FROM (SELECT 'provinces and ministries, 10/2026' AS what,
               round(1000 * pg_temp.median_secs(:'month_t', 5), 1) AS t_ms,
               round(1000 * pg_temp.median_secs(:'month_r', 3), 1) AS r_ms
        UNION ALL
        SELECT 'provinces and ministries, year 2025',
               round(1000 * pg_temp.median_secs(:'year_t', 5), 1),
               round(1000 * pg_temp.median_secs(:'year_r', 1), 1)
        UNION ALL
        SELECT 'provinces and ministries, 2026 to 23/11 10:30',
               round(1000 * pg_temp.median_secs(:'ytd_t', 5), 1),
               round(1000 * pg_temp.median_secs(:'ytd_r', 1), 1)) x;

-- the same numbers both ways
SELECT count(*) AS "differences, year 2025"
  FROM tthc.scores_of(:'tops', '2025-01-01', '2025-12-31', '766', '2026-01-01 00:00+07') t
  FULL JOIN tthc.scores_of(:'tops', '2025-01-01', '2025-12-31', '766', '2026-01-01 00:00+07', true) r
    USING (agency_id, criterion)
 WHERE (t.numerator, t.denominator, t.points) IS DISTINCT FROM (r.numerator, r.denominator, r.points);
