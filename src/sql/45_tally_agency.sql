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
