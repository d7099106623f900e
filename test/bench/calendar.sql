-- test/bench/calendar.sql: tthc.add_working_time in C against the same rule
-- in plain SQL (test/reference/calendar_reference.sql), in one run.
-- Same query shape for both: count(f(t, amount)) over a table of receipts.
\set ON_ERROR_STOP 1
\i test/reference/calendar_reference.sql
SET jit = off;

CREATE TEMP TABLE receipts AS
SELECT i,
       timestamptz '2025-01-01 00:00+07' + (abs(hashint4(i)) % (700 * 24 * 60)) * interval '1 minute' AS t,
       ((abs(hashint4(i * 7 + 1)) % 60) + 1) / 2.0 AS days
  FROM generate_series(1, 200000) i;
ANALYZE receipts;

-- calls per second of one function over the first n receipts, median of runs
CREATE FUNCTION pg_temp.rate(fn text, n int, runs int) RETURNS numeric
LANGUAGE plpgsql AS $$
DECLARE
    t0 timestamptz; secs numeric[] := '{}'; c bigint;
BEGIN
    FOR r IN 1..runs LOOP
        t0 := clock_timestamp();
        EXECUTE format('SELECT count(%s(t, days)) FROM receipts WHERE i <= %s', fn, n) INTO c;
        secs := secs || extract(epoch FROM clock_timestamp() - t0)::numeric;
    END LOOP;
    RETURN round(n / (SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY s) FROM unnest(secs) s)::numeric);
END
$$;

-- warm the caches (the calendar, the plans)
SELECT count(tthc.add_working_time(t, days)) FROM receipts WHERE i <= 1000;
SELECT count(tthc_ref.add_working_time(t, days)) FROM receipts WHERE i <= 100;

\pset footer off
SELECT c_rate AS "C calls/s", sql_rate AS "plain SQL calls/s",
       round(c_rate / sql_rate, 1) AS "ratio C / SQL", '>= 20' AS "target"
  FROM (SELECT pg_temp.rate('tthc.add_working_time', 200000, 5) AS c_rate,
               pg_temp.rate('tthc_ref.add_working_time', 3000, 3) AS sql_rate) x;
