-- tthc 0.3 -> 0.4:
-- - tthc.tally_agency: the tallies summed per agency and class of
--   procedure, kept by compaction, rebuild and TRUNCATE beside tthc.tally,
--   which scoreboards read instead of one row per (agency, procedure);
--   tthc.verify() checks it too;
-- - tthc.catalogue_version, for the copy of the catalogue that each backend
--   keeps for scoring.
-- Immutable once released: later changes go into the next upgrade script.

\echo Use "ALTER EXTENSION tthc UPDATE TO '0.4'" to load this file. \quit

-- ---------------------------------------------------------------------------
-- Agency tallies: what a scoreboard reads.  A national scoreboard needs
-- every agency's counters, but not per procedure: only per flag class of
-- procedure (the flags that pick which counters a metric adds), plus, per
-- distinct procedure, what its rows showed (dossiers, fee data synced,
-- paid online, verified against the population database, an online
-- dossier).  tthc.tally_agency keeps, for each (agency, grain, bucket,
-- late day, class), the tallies of the agency's procedures of that class
-- summed, and on base rows (late day '-infinity') the procedures and their
-- bits.  A year's scoreboard then reads one row per (agency, class)
-- instead of one per (agency, procedure).
--
-- It is derived from tthc.tally and rewritten only by what rewrites
-- tthc.tally (compaction, rebuild, TRUNCATE), in the same transaction, for
-- the (agency, grain, bucket) keys it touched; writers never touch it, so
-- it adds no contention.  The log, not compacted yet, is read per
-- procedure as before.  A change of a procedure's flags re-rolls the rows
-- of that procedure (see tthc.procedure_reclassed).  Not dumped; verified
-- by tthc.verify() (grain 'agency ...').
--
-- class: 1 fee_required, 2 paper_result, 4 is_certification, ORed; -1 the
-- feedback rows (procedure code ''); -2 a procedure not in the catalogue.
-- ---------------------------------------------------------------------------

CREATE TABLE tthc.tally_agency (
    agency_id    text NOT NULL,
    grain        "char" NOT NULL CONSTRAINT tally_agency_grain_known CHECK (grain IN ('d', 'm', 'y')),
    received_day date NOT NULL,
    late_day     date NOT NULL,
    class        smallint NOT NULL,
    counters     tthc.counters NOT NULL,
    procedures   text[],
    bits         integer[],
    PRIMARY KEY (agency_id, grain, received_day, class, late_day)
);
CREATE INDEX tally_agency_grain_day_idx ON tthc.tally_agency (grain, received_day);
COMMENT ON TABLE tthc.tally_agency IS
    'The tallies of tthc.tally summed per (agency, grain, bucket, late day, procedure class), with each procedure''s bits on base rows: what scoreboards read';

-- What a procedure's tally row shows (core/metrics.h): 1 dossiers, 16 fee
-- data synced, 32 paid online, 64 population database, 2048 an online
-- dossier.
CREATE FUNCTION tthc.counters_bits(c tthc.counters) RETURNS integer
AS 'MODULE_PATHNAME', 'tthc_counters_bits_sql' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION tthc.counters_bits(tthc.counters) IS
    'What a procedure''s tally row shows to the distinct-procedure metrics: 8 dossiers, 16 synced with fee data, 32 paid online, 64 verified against the population database, 2048 an online dossier';

CREATE FUNCTION tthc.procedure_class(fee_required boolean, paper_result boolean, is_certification boolean)
RETURNS smallint
AS 'MODULE_PATHNAME', 'tthc_procedure_class' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION tthc.procedure_class(boolean, boolean, boolean) IS
    'The class of a procedure in tthc.tally_agency: 1 fee required, 2 paper result, 4 certification, added';

-- tthc.tally_agency as tthc.tally gives it.
CREATE VIEW tthc.tally_agency_recomputed AS
SELECT t.agency_id, t.grain, t.received_day, t.late_day,
       CASE WHEN t.procedure_code = '' THEN -1
            ELSE coalesce(tthc.procedure_class(p.fee_required, p.paper_result, p.is_certification), -2)
       END::smallint AS class,
       tthc.sum(t.counters) AS counters,
       array_agg(t.procedure_code ORDER BY t.procedure_code)
           FILTER (WHERE t.late_day = '-infinity' AND t.procedure_code <> '') AS procedures,
       array_agg(tthc.counters_bits(t.counters) ORDER BY t.procedure_code)
           FILTER (WHERE t.late_day = '-infinity' AND t.procedure_code <> '') AS bits
  FROM tthc.tally t
  LEFT JOIN tthc.procedure p ON p.code = t.procedure_code
 GROUP BY 1, 2, 3, 4, 5;
COMMENT ON VIEW tthc.tally_agency_recomputed IS
    'tthc.tally_agency recomputed from tthc.tally (what tthc.verify() compares it with)';

-- Roll the tally rows of the (agency, grain, bucket) keys given up into
-- tthc.tally_agency (NULL: every key).  Internal: the caller holds the
-- compaction lock.
CREATE FUNCTION tthc.tally_roll_up(agencies text[], grains "char"[], buckets date[]) RETURNS bigint
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    n bigint;
BEGIN
    IF agencies IS NULL THEN
        TRUNCATE tthc.tally_agency;
        INSERT INTO tthc.tally_agency SELECT r.* FROM tthc.tally_agency_recomputed r;
        GET DIAGNOSTICS n = ROW_COUNT;
        RETURN n;
    END IF;
    DELETE FROM tthc.tally_agency a
     USING unnest(agencies, grains, buckets) k(agency_id, grain, bucket)
     WHERE a.agency_id = k.agency_id AND a.grain = k.grain AND a.received_day = k.bucket;
    INSERT INTO tthc.tally_agency
    SELECT t.agency_id, t.grain, t.received_day, t.late_day,
           CASE WHEN t.procedure_code = '' THEN -1
                ELSE coalesce(tthc.procedure_class(p.fee_required, p.paper_result, p.is_certification), -2)
           END::smallint,
           tthc.sum(t.counters),
           array_agg(t.procedure_code ORDER BY t.procedure_code)
               FILTER (WHERE t.late_day = '-infinity' AND t.procedure_code <> ''),
           array_agg(tthc.counters_bits(t.counters) ORDER BY t.procedure_code)
               FILTER (WHERE t.late_day = '-infinity' AND t.procedure_code <> '')
      FROM (SELECT DISTINCT k.agency_id, k.grain, k.bucket
              FROM unnest(agencies, grains, buckets) k(agency_id, grain, bucket)) k
      JOIN tthc.tally t ON t.agency_id = k.agency_id AND t.grain = k.grain AND t.received_day = k.bucket
      LEFT JOIN tthc.procedure p ON p.code = t.procedure_code
     GROUP BY 1, 2, 3, 4, 5;
    GET DIAGNOSTICS n = ROW_COUNT;
    RETURN n;
END
$$;
COMMENT ON FUNCTION tthc.tally_roll_up(text[], "char"[], date[]) IS
    'Recompute the rows of tthc.tally_agency of the (agency, grain, bucket) keys given from tthc.tally (NULL: all); internal, under the compaction lock';

-- A change of a procedure's flags (or code) moves its tallies to another
-- class: the log is compacted, then the keys holding the procedure are
-- rolled up again, in the editing transaction.  A full scan of
-- tthc.tally, only when a class changed: catalogue edits are rare.
CREATE FUNCTION tthc.procedure_reclassed() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    changed text[];
    ka text[];
    kg "char"[];
    kb date[];
BEGIN
    SELECT array_agg(n.code) INTO changed
      FROM new_rows n
     WHERE NOT EXISTS (SELECT 1 FROM old_rows o
                        WHERE o.code = n.code
                          AND tthc.procedure_class(o.fee_required, o.paper_result, o.is_certification)
                            = tthc.procedure_class(n.fee_required, n.paper_result, n.is_certification));
    IF changed IS NULL THEN
        RETURN NULL;
    END IF;
    PERFORM tthc.compact();
    SELECT array_agg(k.agency_id), array_agg(k.grain), array_agg(k.received_day) INTO ka, kg, kb
      FROM (SELECT DISTINCT t.agency_id, t.grain, t.received_day
              FROM tthc.tally t WHERE t.procedure_code = ANY (changed)) k;
    IF ka IS NOT NULL THEN
        PERFORM tthc.tally_roll_up(ka, kg, kb);
    END IF;
    RETURN NULL;
END
$$;
CREATE TRIGGER procedure_reclassed AFTER UPDATE ON tthc.procedure
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION tthc.procedure_reclassed();

-- ---------------------------------------------------------------------------
-- The catalogue's version, for the copy of the catalogue (agencies,
-- procedures, services) that each backend keeps for scoring (src/scores.c).
-- Every statement writing one of those tables adds a row with a new number
-- (a sequence: never given twice, even when rolled back); the set of rows a
-- snapshot sees identifies the catalogue it sees, the editing
-- transaction's own uncommitted edits included.  Rows are only added, so
-- editors never wait for each other; tthc.compact() replaces them by one
-- new row when they pile up.
-- ---------------------------------------------------------------------------

CREATE SEQUENCE tthc.catalogue_version_seq;
CREATE TABLE tthc.catalogue_version (
    token bigint PRIMARY KEY DEFAULT nextval('tthc.catalogue_version_seq')
);
ALTER SEQUENCE tthc.catalogue_version_seq OWNED BY tthc.catalogue_version.token;
INSERT INTO tthc.catalogue_version DEFAULT VALUES;
COMMENT ON TABLE tthc.catalogue_version IS
    'One row per statement that wrote tthc.agency, tthc.procedure or tthc.service: the rows seen identify the catalogue seen (scoring''s per-backend copy)';

CREATE FUNCTION tthc.catalogue_changed() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    INSERT INTO tthc.catalogue_version DEFAULT VALUES;
    RETURN NULL;
END
$$;
COMMENT ON FUNCTION tthc.catalogue_changed() IS
    'Adds a row to tthc.catalogue_version for each statement writing the catalogue';
CREATE TRIGGER agency_catalogue_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON tthc.agency
    FOR EACH STATEMENT EXECUTE FUNCTION tthc.catalogue_changed();
CREATE TRIGGER procedure_catalogue_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON tthc.procedure
    FOR EACH STATEMENT EXECUTE FUNCTION tthc.catalogue_changed();
CREATE TRIGGER service_catalogue_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON tthc.service
    FOR EACH STATEMENT EXECUTE FUNCTION tthc.catalogue_changed();

-- tthc.tally_agency follows what rewrites tthc.tally

CREATE OR REPLACE FUNCTION tthc.facts_truncated() RETURNS trigger
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

CREATE OR REPLACE FUNCTION tthc.verify()
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

CREATE OR REPLACE FUNCTION tthc.tally_fold(entries tthc.tally_log[]) RETURNS bigint
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

CREATE OR REPLACE FUNCTION tthc.compact(wait boolean DEFAULT true) RETURNS bigint
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

CREATE OR REPLACE FUNCTION tthc.rebuild() RETURNS bigint
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

-- counters_of reads as scoreboards do
CREATE OR REPLACE FUNCTION tthc.counters_of(agency text, "from" date, "to" date, "at" timestamptz DEFAULT now())
RETURNS tthc.counters
AS 'MODULE_PATHNAME', 'tthc_tally_sum' LANGUAGE C STABLE PARALLEL SAFE;
COMMENT ON FUNCTION tthc.counters_of(text, date, date, timestamptz) IS
    'Counters of an agency and its subtree, for dossiers received on days from..to, judged at instant at, from the tallies';

ALTER TABLE tthc.tally_agency ENABLE ROW LEVEL SECURITY;
CREATE POLICY tally_agency_by_agency ON tthc.tally_agency
    USING (((SELECT tthc.visible_agencies()) IS NULL OR agency_id = ANY (CAST((SELECT tthc.visible_agencies()) AS text[]))));

-- the agency rows of the tallies already there
SELECT tthc.tally_roll_up(NULL, NULL, NULL);
