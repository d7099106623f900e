-- ---------------------------------------------------------------------------
-- Tallies: the counters of every (agency, procedure, received day), kept
-- current by statement triggers on tthc.dossier (see src/tally.c and
-- docs/engine.md).  Writers append deltas to tthc.tally_log; compaction
-- folds the log into tthc.tally at three grains (day, month and year of
-- receipt), so that a read sums few rows whatever the period.  Derived
-- data: not dumped (a restore's COPY rebuilds it through the same
-- triggers), rebuilt by tthc.rebuild().
--
-- late_day: the counters of a row count at evaluation instants of later
-- days.  Base counters have '-infinity'; late entries (the dossiers late
-- from that day on) have their day.  A month or year row folds the late
-- entries dated inside its bucket into its base counters, and is read only
-- at instants after its bucket.
-- ---------------------------------------------------------------------------

CREATE TABLE tthc.tally_log (
    agency_id      text NOT NULL,
    procedure_code text NOT NULL,
    received_day   date NOT NULL,
    late_day       date NOT NULL,
    counters       tthc.counters NOT NULL
);
COMMENT ON TABLE tthc.tally_log IS
    'Counter deltas appended by the dossier triggers, per (agency, procedure, received day, late day); tthc.compact() folds them into tthc.tally';

CREATE TABLE tthc.tally (
    agency_id      text NOT NULL,
    grain          "char" NOT NULL CONSTRAINT tally_grain_known CHECK (grain IN ('d', 'm', 'y')),
    received_day   date NOT NULL,
    procedure_code text NOT NULL,
    late_day       date NOT NULL,
    counters       tthc.counters NOT NULL,
    PRIMARY KEY (agency_id, grain, received_day, procedure_code, late_day)
);
CREATE INDEX tally_grain_day_idx ON tthc.tally (grain, received_day);
-- the day rows of dossiers becoming late on a given day, which a read
-- judges one by one (a small part of the rows)
CREATE INDEX tally_late_day_idx ON tthc.tally (late_day, agency_id)
    WHERE grain = 'd' AND late_day <> '-infinity';
COMMENT ON TABLE tthc.tally IS
    'Compacted counters per (agency, grain, first received day of the bucket, procedure, late day); grain d day, m month, y year';

-- The rows an entry of (received day, late day) goes to, one per grain.
CREATE FUNCTION tthc.tally_buckets(received_day date, late_day date)
RETURNS TABLE (grain "char", bucket date, late_day date)
AS 'MODULE_PATHNAME', 'tthc_tally_buckets' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE ROWS 3;
COMMENT ON FUNCTION tthc.tally_buckets(date, date) IS
    'The (grain, bucket, late day) rows of tthc.tally that an entry of a received day and a late day adds to';

CREATE FUNCTION tthc.dossier_tally() RETURNS trigger
AS 'MODULE_PATHNAME', 'tthc_dossier_tally' LANGUAGE C;

CREATE TRIGGER dossier_tally_insert AFTER INSERT ON tthc.dossier
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION tthc.dossier_tally();
CREATE TRIGGER dossier_tally_update AFTER UPDATE ON tthc.dossier
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION tthc.dossier_tally();
CREATE TRIGGER dossier_tally_delete AFTER DELETE ON tthc.dossier
    REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION tthc.dossier_tally();

CREATE FUNCTION tthc.feedback_tally() RETURNS trigger
AS 'MODULE_PATHNAME', 'tthc_feedback_tally' LANGUAGE C;

CREATE TRIGGER feedback_tally_insert AFTER INSERT ON tthc.feedback
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION tthc.feedback_tally();
CREATE TRIGGER feedback_tally_update AFTER UPDATE ON tthc.feedback
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION tthc.feedback_tally();
CREATE TRIGGER feedback_tally_delete AFTER DELETE ON tthc.feedback
    REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION tthc.feedback_tally();

-- TRUNCATE of dossiers or feedback empties their tallies (feedback has the
-- procedure code '').  TRUNCATE of both empties the tables at once.
CREATE FUNCTION tthc.facts_truncated() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    PERFORM pg_advisory_xact_lock('tthc.tally'::regclass::oid::integer, 0);
    IF NOT EXISTS (SELECT 1 FROM tthc.dossier) AND NOT EXISTS (SELECT 1 FROM tthc.feedback) THEN
        TRUNCATE tthc.tally, tthc.tally_log, tthc.tally_agency;
    ELSIF TG_TABLE_NAME = 'dossier' THEN
        DELETE FROM tthc.tally WHERE procedure_code <> '';
        DELETE FROM tthc.tally_log WHERE procedure_code <> '';
        DELETE FROM tthc.tally_agency WHERE class <> -1;
    ELSE
        DELETE FROM tthc.tally WHERE procedure_code = '';
        DELETE FROM tthc.tally_log WHERE procedure_code = '';
        DELETE FROM tthc.tally_agency WHERE class = -1;
    END IF;
    RETURN NULL;
END
$$;
CREATE TRIGGER dossier_tally_truncate AFTER TRUNCATE ON tthc.dossier
    FOR EACH STATEMENT EXECUTE FUNCTION tthc.facts_truncated();
CREATE TRIGGER feedback_tally_truncate AFTER TRUNCATE ON tthc.feedback
    FOR EACH STATEMENT EXECUTE FUNCTION tthc.facts_truncated();

CREATE FUNCTION tthc.dossier_entries(d tthc.dossier)
RETURNS TABLE (received_day date, late_day date, counters tthc.counters)
AS 'MODULE_PATHNAME', 'tthc_dossier_entries_sql' LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION tthc.dossier_entries(tthc.dossier) IS
    'The tally entries of one dossier, computed as the triggers compute them';

CREATE FUNCTION tthc.tally_read(agencies text[], "from" date, "to" date, "at" timestamptz DEFAULT now())
RETURNS TABLE (agency_id text, procedure_code text, counters tthc.counters)
AS 'MODULE_PATHNAME', 'tthc_tally_read' LANGUAGE C STABLE PARALLEL SAFE;
COMMENT ON FUNCTION tthc.tally_read(text[], date, date, timestamptz) IS
    'Counters of each (agency, procedure) of the agencies given (NULL: all), for dossiers received on days from..to, judged at instant at';

-- The counters of an agency's subtree for dossiers received from day
-- "from" to day "to" (Vietnam's days), judged at instant "at", read as
-- scoreboards read them (src/scores.c: agency rows, log, evaluation day).
CREATE FUNCTION tthc.counters_of(agency text, "from" date, "to" date, "at" timestamptz DEFAULT now())
RETURNS tthc.counters
AS 'MODULE_PATHNAME', 'tthc_tally_sum' LANGUAGE C STABLE PARALLEL SAFE;
COMMENT ON FUNCTION tthc.counters_of(text, date, date, timestamptz) IS
    'Counters of an agency and its subtree, for dossiers received on days from..to, judged at instant at, from the tallies';

-- The day-level entries recomputed from the rows, per key.
CREATE VIEW tthc.tally_recomputed AS
SELECT d.agency_id, d.procedure_code, x.received_day, x.late_day, tthc.sum(x.counters) AS counters
  FROM tthc.dossier d, tthc.dossier_entries(d) x
 GROUP BY 1, 2, 3, 4
UNION ALL
SELECT f.agency_id, ''::text, x.received_day, x.late_day, tthc.sum(x.counters)
  FROM tthc.feedback f, tthc.feedback_entries(f) x
 GROUP BY 1, 2, 3, 4;
COMMENT ON VIEW tthc.tally_recomputed IS
    'The day-level tally entries recomputed from the dossier and feedback rows by the triggers'' own code (feedback under procedure code '''')';

-- The day-level entries as maintained: day rows and the log, per key.
CREATE VIEW tthc.tally_maintained AS
SELECT x.agency_id, x.procedure_code, x.received_day, x.late_day, tthc.sum(x.counters) AS counters
  FROM (SELECT t.agency_id, t.procedure_code, t.received_day, t.late_day, t.counters
          FROM tthc.tally t WHERE t.grain = 'd'
        UNION ALL
        SELECT l.agency_id, l.procedure_code, l.received_day, l.late_day, l.counters
          FROM tthc.tally_log l) x
 GROUP BY 1, 2, 3, 4;
COMMENT ON VIEW tthc.tally_maintained IS
    'The day-level tally entries as the triggers maintained them (day rows plus the log)';

-- Every difference between the tallies and a recompute from the rows, and
-- between the month and year rows and the day rows they roll up.
CREATE FUNCTION tthc.verify()
RETURNS TABLE (agency_id text, procedure_code text, received_day date, late_day date,
               counter text, maintained bigint, recomputed bigint, grain text)
LANGUAGE sql STABLE PARALLEL SAFE SET search_path = pg_catalog, pg_temp AS $$
    WITH pairs AS (
        -- day level: maintained (day rows and log) against the dossier rows
        SELECT 'day'::text AS grain, coalesce(m.agency_id, r.agency_id) AS agency_id,
               coalesce(m.procedure_code, r.procedure_code) AS procedure_code,
               coalesce(m.received_day, r.received_day) AS received_day,
               coalesce(m.late_day, r.late_day) AS late_day,
               m.counters::jsonb AS mj, r.counters::jsonb AS rj
          FROM tthc.tally_maintained m
          FULL JOIN tthc.tally_recomputed r
            ON m.agency_id = r.agency_id AND m.procedure_code = r.procedure_code
           AND m.received_day = r.received_day AND m.late_day = r.late_day
         WHERE m.counters IS NULL OR r.counters IS NULL OR NOT (m.counters OPERATOR(tthc.=) r.counters)
        UNION ALL
        -- month and year rows against the day rows they stand for
        SELECT CASE u.grain WHEN 'm' THEN 'month' ELSE 'year' END,
               coalesce(u.agency_id, r.agency_id), coalesce(u.procedure_code, r.procedure_code),
               coalesce(u.received_day, r.received_day), coalesce(u.late_day, r.late_day),
               u.counters::jsonb, r.counters::jsonb
          FROM (SELECT t.grain, t.agency_id, t.procedure_code, t.received_day, t.late_day, t.counters
                  FROM tthc.tally t WHERE t.grain <> 'd') u
          FULL JOIN (SELECT b.grain, t.agency_id, t.procedure_code, b.bucket AS received_day, b.late_day,
                            tthc.sum(t.counters) AS counters
                       FROM tthc.tally t, tthc.tally_buckets(t.received_day, t.late_day) b
                      WHERE t.grain = 'd' AND b.grain <> 'd'
                      GROUP BY 1, 2, 3, 4, 5) r
            ON u.grain = r.grain AND u.agency_id = r.agency_id AND u.procedure_code = r.procedure_code
           AND u.received_day = r.received_day AND u.late_day = r.late_day
         WHERE u.counters IS NULL OR r.counters IS NULL OR NOT (u.counters OPERATOR(tthc.=) r.counters)
        UNION ALL
        -- agency rows against the tally rows they sum (procedure_code: the
        -- class; counter "procedures": a hash of the procedures and bits)
        SELECT 'agency ' || CASE coalesce(a.grain, r.grain) WHEN 'd' THEN 'day' WHEN 'm' THEN 'month' ELSE 'year' END,
               coalesce(a.agency_id, r.agency_id), 'class ' || coalesce(a.class, r.class),
               coalesce(a.received_day, r.received_day), coalesce(a.late_day, r.late_day),
               a.counters::jsonb || jsonb_build_object('procedures', hashtext(a.procedures::text || a.bits::text)),
               r.counters::jsonb || jsonb_build_object('procedures', hashtext(r.procedures::text || r.bits::text))
          FROM tthc.tally_agency a
          FULL JOIN tthc.tally_agency_recomputed r
            ON a.agency_id = r.agency_id AND a.grain = r.grain AND a.received_day = r.received_day
           AND a.late_day = r.late_day AND a.class = r.class
         WHERE a.counters IS NULL OR r.counters IS NULL OR NOT (a.counters OPERATOR(tthc.=) r.counters)
            OR a.procedures IS DISTINCT FROM r.procedures OR a.bits IS DISTINCT FROM r.bits)
    SELECT p.agency_id, p.procedure_code, p.received_day, p.late_day, n.name,
           coalesce((p.mj ->> n.name)::bigint, 0), coalesce((p.rj ->> n.name)::bigint, 0), p.grain
      FROM pairs p, (SELECT c.name FROM tthc.counter_names() c UNION ALL SELECT 'procedures') n
     WHERE coalesce((p.mj ->> n.name)::bigint, 0) <> coalesce((p.rj ->> n.name)::bigint, 0)
     ORDER BY 8, 1, 2, 3, 4, 5
$$;
COMMENT ON FUNCTION tthc.verify() IS
    'Every (agency, procedure, day, counter) where the maintained tallies differ from a recompute from the rows (grain day), month and year rows from the day rows (grain month, year), or agency rows from the rows they sum (grain agency day, month, year; procedure_code the class); empty when consistent';

-- Fold tally rows of day-level entries into tthc.tally (every grain), and
-- roll the keys touched up into tthc.tally_agency.  Internal: the caller
-- holds the compaction lock.
CREATE FUNCTION tthc.tally_fold(entries tthc.tally_log[]) RETURNS bigint
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    n bigint;
    zero tid[];
    ka text[];
    kg "char"[];
    kb date[];
BEGIN
    WITH e AS (
        SELECT b.grain, x.agency_id, x.procedure_code, b.bucket, b.late_day, tthc.sum(x.counters) AS c
          FROM unnest(entries) x, tthc.tally_buckets(x.received_day, x.late_day) b
         GROUP BY 1, 2, 3, 4, 5),
    up AS (
        INSERT INTO tthc.tally AS t (agency_id, grain, received_day, procedure_code, late_day, counters)
        SELECT e.agency_id, e.grain, e.bucket, e.procedure_code, e.late_day, e.c
          FROM e WHERE NOT (e.c OPERATOR(tthc.=) '{}'::tthc.counters)
        ON CONFLICT (agency_id, grain, received_day, procedure_code, late_day)
        DO UPDATE SET counters = t.counters OPERATOR(tthc.+) excluded.counters
        RETURNING t.ctid, t.counters)
    SELECT count(*), array_agg(up.ctid) FILTER (WHERE up.counters OPERATOR(tthc.=) '{}'::tthc.counters)
      INTO n, zero FROM up;
    -- rows whose counters came back to zero are dropped
    DELETE FROM tthc.tally t WHERE t.ctid = ANY (zero);
    -- and the agency rows of the keys touched rolled up again
    SELECT array_agg(k.agency_id), array_agg(k.grain), array_agg(k.bucket) INTO ka, kg, kb
      FROM (SELECT DISTINCT x.agency_id, b.grain, b.bucket
              FROM unnest(entries) x, tthc.tally_buckets(x.received_day, x.late_day) b) k;
    IF ka IS NOT NULL THEN
        PERFORM tthc.tally_roll_up(ka, kg, kb);
    END IF;
    RETURN n;
END
$$;

-- Fold the log into the tallies.  One compaction at a time (an advisory
-- lock on tthc.tally); with wait false, return 0 at once when another runs.
-- Writers go on appending meanwhile: only the log rows this statement
-- deletes are folded.
-- SECURITY DEFINER because writers compact the log they append to (a
-- session does so by itself every tthc.compact_every rows) without any
-- right on the tallies, which they must not be able to change directly.
CREATE FUNCTION tthc.compact(wait boolean DEFAULT true) RETURNS bigint
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    entries tthc.tally_log[];
BEGIN
    IF wait THEN
        PERFORM pg_advisory_xact_lock('tthc.tally'::regclass::oid::integer, 0);
    ELSIF NOT pg_try_advisory_xact_lock('tthc.tally'::regclass::oid::integer, 0) THEN
        RETURN 0;
    END IF;
    WITH gone AS (DELETE FROM tthc.tally_log l RETURNING l.*),
    merged AS (
        SELECT g.agency_id, g.procedure_code, g.received_day, g.late_day, tthc.sum(g.counters) AS counters
          FROM gone g GROUP BY 1, 2, 3, 4)
    SELECT array_agg(ROW(m.*)::tthc.tally_log) INTO entries FROM merged m;
    -- the catalogue's version rows, when they pile up, become one new row
    IF (SELECT count(*) > 100 FROM (SELECT 1 FROM tthc.catalogue_version LIMIT 101) v) THEN
        DELETE FROM tthc.catalogue_version;
        INSERT INTO tthc.catalogue_version DEFAULT VALUES;
    END IF;
    IF entries IS NULL THEN
        RETURN 0;
    END IF;
    RETURN tthc.tally_fold(entries);
END
$$;
COMMENT ON FUNCTION tthc.compact(boolean) IS
    'Fold the tally log into the day, month and year tallies; returns the tally rows written. With wait false, does nothing when another compaction runs. SECURITY DEFINER because writers compact without rights on the tallies';

-- Rebuild every tally from the rows (writers wait meanwhile).
CREATE FUNCTION tthc.rebuild() RETURNS bigint
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    n bigint;
BEGIN
    LOCK TABLE tthc.dossier, tthc.feedback IN SHARE MODE;
    PERFORM pg_advisory_xact_lock('tthc.tally'::regclass::oid::integer, 0);
    TRUNCATE tthc.tally, tthc.tally_log;
    INSERT INTO tthc.tally (agency_id, grain, received_day, procedure_code, late_day, counters)
    SELECT r.agency_id, b.grain, b.bucket, r.procedure_code, b.late_day, tthc.sum(r.counters)
      FROM tthc.tally_recomputed r, tthc.tally_buckets(r.received_day, r.late_day) b
     GROUP BY 1, 2, 3, 4, 5
    HAVING NOT (tthc.sum(r.counters) OPERATOR(tthc.=) '{}'::tthc.counters);
    GET DIAGNOSTICS n = ROW_COUNT;
    PERFORM tthc.tally_roll_up(NULL, NULL, NULL);
    RETURN n;
END
$$;
COMMENT ON FUNCTION tthc.rebuild() IS 'Recompute every tally from the dossier rows; returns the tally rows written';

-- Bulk loads: stop maintaining the tallies, load, then catch up at once.
CREATE FUNCTION tthc.suspend_tallies() RETURNS void
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    ALTER TABLE tthc.dossier DISABLE TRIGGER dossier_tally_insert;
    ALTER TABLE tthc.dossier DISABLE TRIGGER dossier_tally_update;
    ALTER TABLE tthc.dossier DISABLE TRIGGER dossier_tally_delete;
END
$$;
COMMENT ON FUNCTION tthc.suspend_tallies() IS
    'Stop maintaining the tallies (for a bulk load); tthc.resume_tallies() catches up';

CREATE FUNCTION tthc.resume_tallies() RETURNS bigint
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    ALTER TABLE tthc.dossier ENABLE TRIGGER dossier_tally_insert;
    ALTER TABLE tthc.dossier ENABLE TRIGGER dossier_tally_update;
    ALTER TABLE tthc.dossier ENABLE TRIGGER dossier_tally_delete;
    RETURN tthc.rebuild();
END
$$;
COMMENT ON FUNCTION tthc.resume_tallies() IS 'Maintain the tallies again, rebuilt from the rows; returns the tally rows written';

-- ---------------------------------------------------------------------------
-- Calendar edits change working time, hence handling times and the due time
-- after a supplement request: the tallies of the dossiers they touch are
-- recomputed in the editing transaction (writers of dossiers wait for it).
-- ---------------------------------------------------------------------------

CREATE FUNCTION tthc.refresh_tallies(first_day date, last_day date) RETURNS bigint
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    lo timestamptz := (first_day - 60)::timestamp AT TIME ZONE 'Asia/Ho_Chi_Minh';
    hi timestamptz := (last_day + 1)::timestamp AT TIME ZONE 'Asia/Ho_Chi_Minh';
    n bigint;
BEGIN
    IF first_day IS NULL OR last_day IS NULL THEN
        RAISE EXCEPTION 'first_day and last_day must not be null' USING ERRCODE = 'null_value_not_allowed';
    END IF;
    IF first_day > last_day THEN
        RAISE EXCEPTION 'refresh_tallies needs first_day <= last_day' USING ERRCODE = 'invalid_parameter_value';
    END IF;
    LOCK TABLE tthc.dossier, tthc.feedback IN SHARE MODE;
    IF to_regclass('pg_temp.tthc_refresh_rows') IS NULL THEN
        CREATE TEMP TABLE tthc_refresh_rows
            (agency_id text, procedure_code text, received_day date)
            ON COMMIT DROP;
    ELSE
        TRUNCATE tthc_refresh_rows;
    END IF;
    -- The dossiers whose classification uses working time that may cross
    -- the edited days: received before them, and either ended not long
    -- before them (handling time), or still open after an answered
    -- supplement request with a due time not long before them.
    INSERT INTO tthc_refresh_rows
    SELECT DISTINCT d.agency_id, d.procedure_code, (d.received_at AT TIME ZONE 'Asia/Ho_Chi_Minh')::date
      FROM tthc.dossier d
     WHERE d.received_at < hi AND d.status <> 1
       AND (coalesce(d.finished_at, d.returned_at, d.ended_at) >= lo
            OR (coalesce(d.finished_at, d.returned_at, d.ended_at) IS NULL
                AND d.supplement_requests = 1 AND d.supplement_received_at IS NOT NULL
                AND d.due_at >= lo));
    -- and the feedback items whose limits (at most 17 working days from
    -- their start) may cross them
    INSERT INTO tthc_refresh_rows
    SELECT DISTINCT f.agency_id, '', (f.received_at AT TIME ZONE 'Asia/Ho_Chi_Minh')::date
      FROM tthc.feedback f
     WHERE f.received_at < hi AND coalesce(f.transferred_at, f.received_at) >= lo;
    -- every (agency, procedure, day) of those dossiers is recomputed from its
    -- rows, and the difference from what is maintained appended to the log
    INSERT INTO tthc.tally_log (agency_id, procedure_code, received_day, late_day, counters)
    SELECT coalesce(r.agency_id, m.agency_id), coalesce(r.procedure_code, m.procedure_code),
           coalesce(r.received_day, m.received_day), coalesce(r.late_day, m.late_day),
           coalesce(r.counters, '{}') OPERATOR(tthc.-) coalesce(m.counters, '{}')
      FROM (SELECT d.agency_id, d.procedure_code, e.received_day, e.late_day, tthc.sum(e.counters) AS counters
              FROM (SELECT DISTINCT k.agency_id, k.procedure_code, k.received_day FROM tthc_refresh_rows k) k
              JOIN tthc.dossier d ON d.agency_id = k.agency_id AND d.procedure_code = k.procedure_code
               AND d.received_at >= (k.received_day::timestamp AT TIME ZONE 'Asia/Ho_Chi_Minh')
               AND d.received_at < ((k.received_day + 1)::timestamp AT TIME ZONE 'Asia/Ho_Chi_Minh'),
                   tthc.dossier_entries(d) e
             GROUP BY 1, 2, 3, 4
            UNION ALL
            SELECT f.agency_id, '', e.received_day, e.late_day, tthc.sum(e.counters)
              FROM (SELECT DISTINCT k.agency_id, k.received_day FROM tthc_refresh_rows k
                     WHERE k.procedure_code = '') k
              JOIN tthc.feedback f ON f.agency_id = k.agency_id
               AND f.received_at >= (k.received_day::timestamp AT TIME ZONE 'Asia/Ho_Chi_Minh')
               AND f.received_at < ((k.received_day + 1)::timestamp AT TIME ZONE 'Asia/Ho_Chi_Minh'),
                   tthc.feedback_entries(f) e
             GROUP BY 1, 2, 3, 4) r
      FULL JOIN (SELECT m.* FROM tthc.tally_maintained m
                  WHERE (m.agency_id, m.procedure_code, m.received_day) IN
                        (SELECT k.agency_id, k.procedure_code, k.received_day FROM tthc_refresh_rows k)) m
        ON r.agency_id = m.agency_id AND r.procedure_code = m.procedure_code
       AND r.received_day = m.received_day AND r.late_day = m.late_day
     WHERE NOT (coalesce(r.counters, '{}') OPERATOR(tthc.=) coalesce(m.counters, '{}'));
    GET DIAGNOSTICS n = ROW_COUNT;
    RETURN n;
END
$$;
COMMENT ON FUNCTION tthc.refresh_tallies(date, date) IS
    'Recompute the tallies of the dossiers and feedback items whose working time may cross the days first_day..last_day (after a calendar edit)';

CREATE FUNCTION tthc.calendar_days_edited() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    f date;
    l date;
BEGIN
    IF TG_OP = 'INSERT' THEN
        SELECT min(day), max(day) INTO f, l FROM new_rows;
    ELSIF TG_OP = 'DELETE' THEN
        SELECT min(day), max(day) INTO f, l FROM old_rows;
    ELSE
        SELECT min(day), max(day) INTO f, l
          FROM (SELECT day FROM old_rows UNION ALL SELECT day FROM new_rows) x;
    END IF;
    IF f IS NOT NULL THEN
        PERFORM tthc.refresh_tallies(f, l);
    END IF;
    RETURN NULL;
END
$$;

CREATE TRIGGER holiday_refresh_insert AFTER INSERT ON tthc.holiday
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION tthc.calendar_days_edited();
CREATE TRIGGER holiday_refresh_update AFTER UPDATE ON tthc.holiday
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION tthc.calendar_days_edited();
CREATE TRIGGER holiday_refresh_delete AFTER DELETE ON tthc.holiday
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION tthc.calendar_days_edited();
CREATE TRIGGER workday_refresh_insert AFTER INSERT ON tthc.workday
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION tthc.calendar_days_edited();
CREATE TRIGGER workday_refresh_update AFTER UPDATE ON tthc.workday
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION tthc.calendar_days_edited();
CREATE TRIGGER workday_refresh_delete AFTER DELETE ON tthc.workday
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION tthc.calendar_days_edited();

-- Working hours change every working time: rebuild everything.
CREATE FUNCTION tthc.calendar_hours_edited() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    PERFORM tthc.rebuild();
    RETURN NULL;
END
$$;
CREATE TRIGGER calendar_setting_refresh AFTER INSERT OR UPDATE OR DELETE ON tthc.calendar_setting
    FOR EACH STATEMENT EXECUTE FUNCTION tthc.calendar_hours_edited();
