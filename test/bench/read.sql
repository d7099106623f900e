-- test/bench/read.sql: reading the counters of one province for one month
-- from the tallies, against the recompute from raw rows, in one run.
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
\set raw 'SELECT tthc.sum(tthc.dossier_counters(d, ''2026-11-01 00:00+07'')) FROM tthc.dossier d WHERE d.agency_id IN (SELECT id FROM tthc.agency_subtree(''H55'')) AND d.received_at >= ''2026-10-01 00:00+07'' AND d.received_at < ''2026-11-01 00:00+07'''
\set tallies_now 'SELECT tthc.counters_of(''H55'', ''2026-11-01'', ''2026-11-23'', ''2026-11-23 10:30+07'')'
\set raw_now 'SELECT tthc.sum(tthc.dossier_counters(d, ''2026-11-23 10:30+07'')) FROM tthc.dossier d WHERE d.agency_id IN (SELECT id FROM tthc.agency_subtree(''H55'')) AND d.received_at >= ''2026-11-01 00:00+07'' AND d.received_at < ''2026-11-24 00:00+07'''

\pset footer off
SELECT :dossiers AS "dossiers", month, tallies_ms AS "tallies (median ms)", raw_ms AS "raw rows (median ms)",
       round(raw_ms / nullif(tallies_ms, 0), 1) AS "ratio raw / tallies", same AS "same counters"
  FROM (SELECT 'Thái Nguyên, 10/2026, judged at month end' AS month,
               round(1000 * pg_temp.median_secs(:'tallies', 7), 1) AS tallies_ms,
               round(1000 * pg_temp.median_secs(:'raw', 3), 1) AS raw_ms,
               (SELECT tthc.counters_of('H55', '2026-10-01', '2026-10-31', '2026-11-01 00:00+07')::text)
               = (SELECT tthc.sum(tthc.dossier_counters(d, '2026-11-01 00:00+07'))::text FROM tthc.dossier d
                   WHERE d.agency_id IN (SELECT id FROM tthc.agency_subtree('H55'))
                     AND d.received_at >= '2026-10-01 00:00+07' AND d.received_at < '2026-11-01 00:00+07') AS same
        UNION ALL
        SELECT 'Thái Nguyên, 1-23/11/2026, judged at 10:30 on the 23rd',
               round(1000 * pg_temp.median_secs(:'tallies_now', 7), 1),
               round(1000 * pg_temp.median_secs(:'raw_now', 3), 1),
               (SELECT tthc.counters_of('H55', '2026-11-01', '2026-11-23', '2026-11-23 10:30+07')::text)
               = (SELECT tthc.sum(tthc.dossier_counters(d, '2026-11-23 10:30+07'))::text FROM tthc.dossier d
                   WHERE d.agency_id IN (SELECT id FROM tthc.agency_subtree('H55'))
                     AND d.received_at >= '2026-11-01 00:00+07' AND d.received_at < '2026-11-24 00:00+07')) x;
