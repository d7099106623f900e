-- ---------------------------------------------------------------------------
-- Tallies: the counters of every (agency, procedure, received day), kept
-- current by statement triggers on tthc.dossier (see src/tally.c and
-- docs/engine.md).  Derived data: not dumped (a restore's COPY rebuilds it
-- through the same triggers), rebuilt by tthc.rebuild().
-- ---------------------------------------------------------------------------

CREATE TABLE tthc.tally (
    agency_id      text NOT NULL,
    procedure_code text NOT NULL,
    received_day   date NOT NULL,
    late_day       date,
    counters       tthc.counters NOT NULL
);
CREATE INDEX tally_agency_day_idx ON tthc.tally (agency_id, received_day);
COMMENT ON TABLE tthc.tally IS
    'Appended counter deltas per (agency, procedure, received day); late_day NULL for the base counters, else the day from which the dossiers counted are late. Several rows per key until tthc.compact() merges them.';

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

CREATE FUNCTION tthc.dossier_truncated() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    TRUNCATE tthc.tally;
    RETURN NULL;
END
$$;
CREATE TRIGGER dossier_tally_truncate AFTER TRUNCATE ON tthc.dossier
    FOR EACH STATEMENT EXECUTE FUNCTION tthc.dossier_truncated();

CREATE FUNCTION tthc.dossier_entries(d tthc.dossier)
RETURNS TABLE (received_day date, late_day date, counters tthc.counters)
AS 'MODULE_PATHNAME', 'tthc_dossier_entries_sql' LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION tthc.dossier_entries(tthc.dossier) IS
    'The tally entries of one dossier, computed as the triggers compute them';

-- The counters of an agency's subtree for dossiers received from day
-- "from" to day "to" (Vietnam's days), judged at instant "at".
CREATE FUNCTION tthc.counters_of(agency text, "from" date, "to" date, "at" timestamptz DEFAULT now())
RETURNS tthc.counters
LANGUAGE plpgsql STABLE PARALLEL SAFE SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    at_day date;
    result tthc.counters;
BEGIN
    IF agency IS NULL OR "from" IS NULL OR "to" IS NULL OR "at" IS NULL THEN
        RAISE EXCEPTION 'agency, from, to and at must not be null' USING ERRCODE = 'null_value_not_allowed';
    END IF;
    IF "from" > "to" THEN
        RAISE EXCEPTION 'from % is after to %', "from", "to" USING ERRCODE = 'invalid_parameter_value';
    END IF;
    at_day := ("at" AT TIME ZONE 'Asia/Ho_Chi_Minh')::date;
    SELECT tthc.sum(c) INTO result FROM (
        -- base counters, and dossiers late from a day before the day of "at"
        SELECT t.counters AS c
          FROM tthc.tally t
         WHERE t.agency_id IN (SELECT s.id FROM tthc.agency_subtree(agency) s)
           AND t.received_day BETWEEN "from" AND "to"
           AND (t.late_day IS NULL OR t.late_day < at_day)
        UNION ALL
        -- late from earlier on the day of "at" itself: exact, from the rows of
        -- the few (agency, procedure, day) whose dossiers become late that day
        SELECT tthc.dossier_counters(d, "at") OPERATOR(tthc.-) e.counters
          FROM (SELECT DISTINCT t.agency_id, t.procedure_code, t.received_day
                  FROM tthc.tally t
                 WHERE t.agency_id IN (SELECT s.id FROM tthc.agency_subtree(agency) s)
                   AND t.received_day BETWEEN "from" AND "to"
                   AND t.late_day = at_day) k
          JOIN tthc.dossier d
            ON d.agency_id = k.agency_id AND d.procedure_code = k.procedure_code
           AND d.received_at >= (k.received_day::timestamp AT TIME ZONE 'Asia/Ho_Chi_Minh')
           AND d.received_at < ((k.received_day + 1)::timestamp AT TIME ZONE 'Asia/Ho_Chi_Minh'),
               tthc.dossier_entries(d) e
         WHERE e.late_day IS NULL
           AND EXISTS (SELECT 1 FROM tthc.dossier_entries(d) l WHERE l.late_day = at_day)
    ) x;
    RETURN coalesce(result, '{}'::tthc.counters);
END
$$;
COMMENT ON FUNCTION tthc.counters_of(text, date, date, timestamptz) IS
    'Counters of an agency and its subtree, for dossiers received on days from..to, judged at instant at, from the tallies';

-- Every difference between the tallies and a recompute from the rows.
CREATE FUNCTION tthc.verify()
RETURNS TABLE (agency_id text, procedure_code text, received_day date, late_day date,
               counter text, maintained bigint, recomputed bigint)
LANGUAGE sql STABLE PARALLEL SAFE SET search_path = pg_catalog, pg_temp AS $$
    WITH e AS (
        SELECT d.agency_id, d.procedure_code, x.received_day, x.late_day, tthc.sum(x.counters) AS c
          FROM tthc.dossier d, tthc.dossier_entries(d) x
         GROUP BY 1, 2, 3, 4),
    t AS (
        SELECT t.agency_id, t.procedure_code, t.received_day, t.late_day, tthc.sum(t.counters) AS c
          FROM tthc.tally t
         GROUP BY 1, 2, 3, 4),
    j AS (
        SELECT coalesce(e.agency_id, t.agency_id) AS agency_id,
               coalesce(e.procedure_code, t.procedure_code) AS procedure_code,
               coalesce(e.received_day, t.received_day) AS received_day,
               coalesce(e.late_day, t.late_day) AS late_day,
               t.c::jsonb AS tj, e.c::jsonb AS ej
          FROM e FULL JOIN t
            ON e.agency_id = t.agency_id AND e.procedure_code = t.procedure_code
           AND e.received_day = t.received_day AND e.late_day IS NOT DISTINCT FROM t.late_day
         WHERE t.c IS NULL OR e.c IS NULL OR NOT (t.c OPERATOR(tthc.=) e.c))
    SELECT j.agency_id, j.procedure_code, j.received_day, j.late_day, n.name,
           coalesce((j.tj ->> n.name)::bigint, 0), coalesce((j.ej ->> n.name)::bigint, 0)
      FROM j, tthc.counter_names() n
     WHERE coalesce((j.tj ->> n.name)::bigint, 0) <> coalesce((j.ej ->> n.name)::bigint, 0)
     ORDER BY 1, 2, 3, 4 NULLS FIRST, 5
$$;
COMMENT ON FUNCTION tthc.verify() IS
    'Every (agency, procedure, day, counter) where the maintained tallies differ from a recompute from the rows; empty when consistent';

-- Rebuild every tally from the rows (writers wait meanwhile).
CREATE FUNCTION tthc.rebuild() RETURNS bigint
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    n bigint;
BEGIN
    LOCK TABLE tthc.dossier IN SHARE MODE;
    LOCK TABLE tthc.tally IN EXCLUSIVE MODE;
    DELETE FROM tthc.tally;
    INSERT INTO tthc.tally (agency_id, procedure_code, received_day, late_day, counters)
    SELECT d.agency_id, d.procedure_code, x.received_day, x.late_day, tthc.sum(x.counters)
      FROM tthc.dossier d, tthc.dossier_entries(d) x
     GROUP BY 1, 2, 3, 4;
    GET DIAGNOSTICS n = ROW_COUNT;
    RETURN n;
END
$$;
COMMENT ON FUNCTION tthc.rebuild() IS 'Recompute every tally from the dossier rows; returns the tally rows written';

-- Merge the appended rows of each key into one (and drop keys summing to zero).
CREATE FUNCTION tthc.compact() RETURNS bigint
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    n bigint;
BEGIN
    -- only the rows this statement deletes are summed back: safe beside
    -- concurrent writers and another compact()
    WITH many AS (
        SELECT t.agency_id, t.procedure_code, t.received_day, coalesce(t.late_day, '-infinity') AS lday
          FROM tthc.tally t
         GROUP BY 1, 2, 3, 4 HAVING count(*) > 1),
    gone AS (
        DELETE FROM tthc.tally t USING many m
         WHERE t.agency_id = m.agency_id AND t.procedure_code = m.procedure_code
           AND t.received_day = m.received_day AND coalesce(t.late_day, '-infinity') = m.lday
        RETURNING t.*)
    INSERT INTO tthc.tally (agency_id, procedure_code, received_day, late_day, counters)
    SELECT g.agency_id, g.procedure_code, g.received_day, g.late_day, tthc.sum(g.counters)
      FROM gone g
     GROUP BY 1, 2, 3, 4
    HAVING NOT (tthc.sum(g.counters) OPERATOR(tthc.=) '{}'::tthc.counters);
    GET DIAGNOSTICS n = ROW_COUNT;
    RETURN n;
END
$$;
COMMENT ON FUNCTION tthc.compact() IS 'Merge the appended tally rows of each key; returns the merged rows written';

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
    IF first_day IS NULL OR last_day IS NULL OR first_day > last_day THEN
        RAISE EXCEPTION 'refresh_tallies needs first_day <= last_day' USING ERRCODE = 'invalid_parameter_value';
    END IF;
    LOCK TABLE tthc.dossier IN SHARE MODE;
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
    -- every (agency, procedure, day) of those dossiers is recomputed from its rows
    DELETE FROM tthc.tally t
     USING (SELECT DISTINCT r.agency_id, r.procedure_code, r.received_day FROM tthc_refresh_rows r) k
     WHERE t.agency_id = k.agency_id AND t.procedure_code = k.procedure_code
       AND t.received_day = k.received_day;
    INSERT INTO tthc.tally (agency_id, procedure_code, received_day, late_day, counters)
    SELECT d.agency_id, d.procedure_code, x.received_day, x.late_day, tthc.sum(x.counters)
      FROM (SELECT DISTINCT r.agency_id, r.procedure_code, r.received_day FROM tthc_refresh_rows r) k
      JOIN tthc.dossier d ON d.agency_id = k.agency_id AND d.procedure_code = k.procedure_code
       AND d.received_at >= (k.received_day::timestamp AT TIME ZONE 'Asia/Ho_Chi_Minh')
       AND d.received_at < ((k.received_day + 1)::timestamp AT TIME ZONE 'Asia/Ho_Chi_Minh'),
           tthc.dossier_entries(d) x
     GROUP BY 1, 2, 3, 4;
    GET DIAGNOSTICS n = ROW_COUNT;
    RETURN n;
END
$$;
COMMENT ON FUNCTION tthc.refresh_tallies(date, date) IS
    'Recompute the tallies of the dossiers whose working time may cross the days first_day..last_day (after a calendar edit)';

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
