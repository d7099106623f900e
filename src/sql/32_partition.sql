
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
