-- tthc 0.2 -> 0.3:
-- - dossiers partitioned by month, for databases created with
--   tthc.dossier_partitioning = 'month' (tthc.add_dossier_months,
--   tthc.dossier_month, the codes kept in tthc.dossier_code), and
--   tthc.create_roles() keeping the partitions out of the roles' reach.  A
--   database created at 0.2 keeps its unpartitioned tthc.dossier: pg_dump,
--   then restore into a database created with the setting, to partition it
--   (docs/operations.md);
-- - cheaper checks of dossier codes and feedback ids;
-- - the inbox compressed with lz4, and its results searched only when
--   something was refused.
-- Immutable once released: later changes go into the next upgrade script.

\echo Use "ALTER EXTENSION tthc UPDATE TO '0.3'" to load this file. \quit

-- With the dossiers partitioned by month, tthc.dossier_code follows their
-- codes at the end of each statement: new codes (a code already there is a
-- duplicate, refused), changed codes, deleted codes (cascading to steps,
-- feedback and ratings as the foreign keys to tthc.dossier do in the
-- unpartitioned layout).  An UPDATE that moves a row to another month fires
-- no DELETE trigger: its code, steps and ratings stay.
-- SECURITY DEFINER (both): writers of dossiers have no privilege on
-- tthc.dossier_code, which is derived data, like the tallies.
CREATE FUNCTION tthc.dossier_codes_kept() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        INSERT INTO tthc.dossier_code (code) SELECT n.code FROM new_rows n;
    ELSIF TG_OP = 'DELETE' THEN
        DELETE FROM tthc.dossier_code c USING old_rows o WHERE c.code = o.code;
    ELSIF TG_OP = 'TRUNCATE' THEN
        DELETE FROM tthc.dossier_code;
    END IF;
    RETURN NULL;
END
$$;
COMMENT ON FUNCTION tthc.dossier_codes_kept() IS
    'Keeps tthc.dossier_code from the codes of tthc.dossier partitioned by month. SECURITY DEFINER because writers have no privilege on tthc.dossier_code';
-- A changed code: noted by the row trigger, applied by the statement
-- trigger (src/partition.c says why).
CREATE FUNCTION tthc.dossier_codes_renamed() RETURNS trigger
AS 'MODULE_PATHNAME', 'tthc_dossier_code_renamed' LANGUAGE C SECURITY DEFINER SET search_path = pg_catalog, pg_temp;
COMMENT ON FUNCTION tthc.dossier_codes_renamed() IS
    'Changes the codes of tthc.dossier_code that an UPDATE of tthc.dossier partitioned by month changed. SECURITY DEFINER because writers have no privilege on tthc.dossier_code';
-- Month partitions of tthc.dossier, when CREATE EXTENSION made it
-- partitioned (tthc.dossier_partitioning = 'month'; docs/operations.md).
-- A month runs from its first day 00:00 to the next month's, Vietnam's time.

-- The month partitions, with their bounds and estimated rows.
CREATE VIEW tthc.dossier_month AS
SELECT c.oid::regclass AS partition,
       ((lower(b.r) AT TIME ZONE 'Asia/Ho_Chi_Minh')::date) AS month,
       lower(b.r) AS received_from,
       upper(b.r) AS received_before,
       greatest(c.reltuples, 0)::bigint AS estimated_rows
  FROM pg_catalog.pg_inherits i
  JOIN pg_catalog.pg_class c ON c.oid = i.inhrelid
  CROSS JOIN LATERAL (
        SELECT tstzrange(substring(pg_catalog.pg_get_expr(c.relpartbound, c.oid) FROM 'FROM \(''([^'']+)''\)')::timestamptz,
                         substring(pg_catalog.pg_get_expr(c.relpartbound, c.oid) FROM 'TO \(''([^'']+)''\)')::timestamptz) AS r
        ) b
 WHERE i.inhparent = 'tthc.dossier'::regclass AND c.relispartition
   AND pg_catalog.pg_get_expr(c.relpartbound, c.oid) <> 'DEFAULT';
COMMENT ON VIEW tthc.dossier_month IS
    'The month partitions of tthc.dossier (partitioned layout), with their bounds and estimated rows';

-- Create the partitions of the months first_month..last_month (any day of
-- each; last_month NULL: first_month only) that do not exist yet, moving
-- their dossiers out of tthc.dossier_other.  Moving keeps every row, code,
-- step and tally as they are: the rows leave one partition of tthc.dossier
-- for another, written straight into the partitions, so neither the
-- dossier triggers nor the foreign keys act.
CREATE FUNCTION tthc.add_dossier_months(first_month date, last_month date DEFAULT NULL)
RETURNS TABLE (partition regclass, month date, rows_moved bigint)
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    m      date;
    lo     timestamptz;
    hi     timestamptz;
    t      text;
    bound  text;
    r      regclass;
BEGIN
    IF (SELECT c.relkind FROM pg_class c WHERE c.oid = 'tthc.dossier'::regclass) <> 'p' THEN
        RAISE EXCEPTION 'tthc.dossier is not partitioned'
              USING ERRCODE = 'object_not_in_prerequisite_state',
                    HINT = 'Month partitions need SET tthc.dossier_partitioning = month before CREATE EXTENSION tthc (docs/operations.md).';
    END IF;
    IF first_month IS NULL THEN
        RAISE EXCEPTION 'first_month must not be null' USING ERRCODE = 'null_value_not_allowed';
    END IF;
    IF NOT isfinite(first_month) OR NOT coalesce(isfinite(last_month), true) THEN
        RAISE EXCEPTION 'months must be finite dates, not first_month % and last_month %', first_month, last_month
              USING ERRCODE = 'invalid_parameter_value';
    END IF;
    first_month := date_trunc('month', first_month)::date;
    last_month := date_trunc('month', coalesce(last_month, first_month))::date;
    IF last_month < first_month THEN
        RAISE EXCEPTION 'last_month % is before first_month %', last_month, first_month
              USING ERRCODE = 'invalid_parameter_value';
    END IF;
    IF first_month < date '1900-01-01' OR last_month >= date '2200-01-01' THEN
        RAISE EXCEPTION 'months % to % are outside 1900 to 2199', first_month, last_month
              USING ERRCODE = 'invalid_parameter_value';
    END IF;
    IF last_month >= first_month + interval '100 years' THEN
        RAISE EXCEPTION 'months % to % are more than 1200 months', first_month, last_month
              USING ERRCODE = 'program_limit_exceeded', HINT = 'Add them in several calls.';
    END IF;
    IF NOT pg_has_role((SELECT c.relowner FROM pg_class c WHERE c.oid = 'tthc.dossier'::regclass), 'USAGE') THEN
        RAISE EXCEPTION 'only the owner of tthc.dossier can add its month partitions'
              USING ERRCODE = 'insufficient_privilege';
    END IF;
    -- one at a time: two sessions adding the same month would both move rows
    LOCK TABLE tthc.dossier_other IN SHARE ROW EXCLUSIVE MODE;
    m := first_month;
    WHILE m <= last_month LOOP
        lo := m::timestamp AT TIME ZONE 'Asia/Ho_Chi_Minh';
        hi := (m + interval '1 month')::timestamp AT TIME ZONE 'Asia/Ho_Chi_Minh';
        t := format('dossier_%s', to_char(m, 'YYYY_MM'));
        IF NOT EXISTS (SELECT 1 FROM tthc.dossier_month x WHERE x.month = m) THEN
            IF to_regclass(format('tthc.%I', t)) IS NOT NULL THEN
                RAISE EXCEPTION 'table tthc.% exists and is not the partition of month %', t, m
                      USING ERRCODE = 'duplicate_table', HINT = 'Rename or drop it, then add the month again.';
            END IF;
            bound := format('FOR VALUES FROM (%L) TO (%L)', lo, hi);
            EXECUTE format('CREATE TABLE tthc.%I (LIKE tthc.dossier INCLUDING DEFAULTS INCLUDING CONSTRAINTS '
                           'INCLUDING STORAGE INCLUDING COMMENTS)', t);
            r := format('tthc.%I', t)::regclass;
            EXECUTE format('INSERT INTO %s SELECT * FROM ONLY tthc.dossier_other o '
                           'WHERE o.received_at >= %L AND o.received_at < %L', r, lo, hi);
            GET DIAGNOSTICS rows_moved = ROW_COUNT;
            IF rows_moved > 0 THEN
                DELETE FROM ONLY tthc.dossier_other o WHERE o.received_at >= lo AND o.received_at < hi;
            END IF;
            -- the indexes of tthc.dossier_other, built once the rows are in
            EXECUTE format('CREATE INDEX %I ON %s (code)', t || '_code_idx', r);
            EXECUTE format('CREATE INDEX %I ON %s (agency_id, received_at)', t || '_agency_received_idx', r);
            EXECUTE format('CREATE INDEX %I ON %s (procedure_code)', t || '_procedure_idx', r);
            EXECUTE format('ALTER TABLE tthc.dossier ATTACH PARTITION %s %s', r, bound);
            -- as tthc.dossier_other: no row for anyone but its owner directly
            EXECUTE format('ALTER TABLE %s ENABLE ROW LEVEL SECURITY', r);
            EXECUTE format('COMMENT ON TABLE %s IS %L', r,
                           format('Dossiers received in %s (Vietnam''s time)', to_char(m, 'MM/YYYY')));
            partition := r;
            month := m;
            RETURN NEXT;
        END IF;
        m := m + interval '1 month';
    END LOOP;
END
$$;
COMMENT ON FUNCTION tthc.add_dossier_months(date, date) IS
    'Create the month partitions of tthc.dossier for first_month..last_month that do not exist, moving their dossiers out of tthc.dossier_other';
REVOKE EXECUTE ON FUNCTION tthc.add_dossier_months(date, date) FROM PUBLIC;

-- The roles: never the month partitions directly.
CREATE OR REPLACE FUNCTION tthc.create_roles() RETURNS text
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    r text;
    -- what changes scores for everyone is the administrators' alone
    admin_only text[] := ARRAY['tthc.publish(text, date, date, text, timestamptz)', 'tthc.unpublish(bigint, text)',
                               'tthc.rebuild()', 'tthc.refresh_tallies(date, date)', 'tthc.load_index_set(json)',
                               'tthc.suspend_tallies()', 'tthc.resume_tallies()', 'tthc.retry()',
                               'tthc.check_alerts()', 'tthc.load_par_framework(jsonb)', 'tthc.load_par_points(jsonb)'];
BEGIN
    FOREACH r IN ARRAY ARRAY['tthc_reader', 'tthc_writer', 'tthc_admin'] LOOP
        IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_roles x WHERE x.rolname = r) THEN
            EXECUTE format('CREATE ROLE %I NOLOGIN', r);
        END IF;
    END LOOP;
    GRANT tthc_reader TO tthc_writer;
    GRANT tthc_writer TO tthc_admin;

    GRANT USAGE ON SCHEMA tthc TO tthc_reader;
    GRANT SELECT ON ALL TABLES IN SCHEMA tthc TO tthc_reader;
    -- (tthc.agency_login shows a login its own rows only)
    REVOKE SELECT ON tthc.alert, tthc.inbox FROM tthc_reader;
    GRANT INSERT, UPDATE, DELETE ON tthc.dossier, tthc.dossier_step, tthc.feedback, tthc.onestop_rating
        TO tthc_writer;
    GRANT SELECT, INSERT ON tthc.inbox TO tthc_writer;
    GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA tthc TO tthc_admin;
    GRANT USAGE ON ALL SEQUENCES IN SCHEMA tthc TO tthc_writer;
    FOREACH r IN ARRAY admin_only LOOP
        EXECUTE format('REVOKE EXECUTE ON FUNCTION %s FROM PUBLIC', r::regprocedure);
        EXECUTE format('GRANT EXECUTE ON FUNCTION %s TO tthc_admin', r::regprocedure);
    END LOOP;
    -- dossiers partitioned by month are read and written through tthc.dossier
    -- alone, where row-level security applies and the triggers keep tallies
    -- and codes: never their partitions, nor tthc.dossier_code, directly
    FOR r IN SELECT i.inhrelid::regclass::text FROM pg_catalog.pg_inherits i
              WHERE i.inhparent = 'tthc.dossier'::regclass
             UNION ALL
             SELECT 'tthc.dossier_code' WHERE to_regclass('tthc.dossier_code') IS NOT NULL LOOP
        EXECUTE format('REVOKE ALL ON %s FROM tthc_reader, tthc_writer, tthc_admin', r);
    END LOOP;
    RETURN 'tthc_reader, tthc_writer, tthc_admin';
END
$$;

-- Dossier codes and feedback ids: the same rule, checked without the
-- regular expression ^\S{1,100}$, which cost every write about 15
-- microseconds a row.  Adding the constraints scans the tables once.
ALTER TABLE tthc.dossier DROP CONSTRAINT dossier_code_format,
    ADD CONSTRAINT dossier_code_format CHECK (length(code) >= 1 AND length(code) <= 100 AND code !~ '\s');
ALTER TABLE tthc.feedback DROP CONSTRAINT feedback_id_format,
    ADD CONSTRAINT feedback_id_format CHECK (length(id) >= 1 AND length(id) <= 100 AND id !~ '\s');

-- A message of the portal's batches is tens of kilobytes, and its result
-- several: both are compressed as they are stored, with lz4 where the
-- server has it (pglz, the default, took a tenth of the inbox's time).
DO $tthc$
BEGIN
    ALTER TABLE tthc.inbox ALTER payload SET COMPRESSION lz4, ALTER result SET COMPRESSION lz4;
EXCEPTION WHEN feature_not_supported THEN
    NULL;               -- a server built without lz4 keeps pglz
END
$tthc$;

-- The inbox searches the results only when something was refused.
CREATE OR REPLACE FUNCTION tthc.inbox_apply() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    r jsonb;
    first jsonb;
BEGIN
    r := tthc.sync(NEW.payload);
    -- the first refusal: of an element, else of the whole message; none when
    -- all applied (then the results of a batch are not searched)
    IF (r->>'rejected')::int > 0 THEN
        first := coalesce((SELECT x FROM jsonb_array_elements(r->'results') x WHERE x ? 'error' LIMIT 1), r);
    END IF;
    NEW.result := r;
    NEW.attempts := NEW.attempts + 1;
    NEW.applied_at := now();
    NEW.state := CASE WHEN (r->>'rejected')::int = 0 THEN 'applied'
                      WHEN (r->>'applied')::int = 0 THEN 'rejected'
                      ELSE 'partial' END;
    NEW.sqlstate := first->>'sqlstate';
    NEW.error := first->>'error';
    NEW.error_path := first->>'path';
    RETURN NEW;
END
$$;
