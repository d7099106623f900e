-- ---------------------------------------------------------------------------
-- Facts (SPEC §4) and the counters they contribute to.
-- ---------------------------------------------------------------------------

-- tthc.counters: what a set of dossiers counts for (see tthc.counter_names()).
CREATE TYPE tthc.counters;

CREATE FUNCTION tthc.counters_in(cstring) RETURNS tthc.counters
AS 'MODULE_PATHNAME', 'tthc_counters_in' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION tthc.counters_out(tthc.counters) RETURNS cstring
AS 'MODULE_PATHNAME', 'tthc_counters_out' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION tthc.counters_recv(internal) RETURNS tthc.counters
AS 'MODULE_PATHNAME', 'tthc_counters_recv' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION tthc.counters_send(tthc.counters) RETURNS bytea
AS 'MODULE_PATHNAME', 'tthc_counters_send' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE TYPE tthc.counters (
    INPUT = tthc.counters_in,
    OUTPUT = tthc.counters_out,
    RECEIVE = tthc.counters_recv,
    SEND = tthc.counters_send,
    INTERNALLENGTH = VARIABLE,
    ALIGNMENT = double,
    STORAGE = extended
);
COMMENT ON TYPE tthc.counters IS
    'Mergeable counts of a set of dossiers (tthc.counter_names() lists them); add with +, sum with tthc.sum';

CREATE FUNCTION tthc.counters_plus(tthc.counters, tthc.counters) RETURNS tthc.counters
AS 'MODULE_PATHNAME', 'tthc_counters_plus' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION tthc.counters_minus(tthc.counters, tthc.counters) RETURNS tthc.counters
AS 'MODULE_PATHNAME', 'tthc_counters_minus' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION tthc.counters_eq(tthc.counters, tthc.counters) RETURNS boolean
AS 'MODULE_PATHNAME', 'tthc_counters_eq' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE OPERATOR tthc.+ (LEFTARG = tthc.counters, RIGHTARG = tthc.counters,
                        FUNCTION = tthc.counters_plus, COMMUTATOR = OPERATOR(tthc.+));
CREATE OPERATOR tthc.- (LEFTARG = tthc.counters, RIGHTARG = tthc.counters,
                        FUNCTION = tthc.counters_minus);
CREATE OPERATOR tthc.= (LEFTARG = tthc.counters, RIGHTARG = tthc.counters,
                        FUNCTION = tthc.counters_eq, COMMUTATOR = OPERATOR(tthc.=));

CREATE FUNCTION tthc.counters_accum(tthc.counters, tthc.counters) RETURNS tthc.counters
AS 'MODULE_PATHNAME', 'tthc_counters_accum' LANGUAGE C IMMUTABLE PARALLEL SAFE;

-- The state is tthc.counters itself, with a combine function: parallel
-- query splits it, and Citus can push it down to its workers.
CREATE AGGREGATE tthc.sum(tthc.counters) (
    SFUNC = tthc.counters_accum,
    STYPE = tthc.counters,
    COMBINEFUNC = tthc.counters_accum,
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE tthc.sum(tthc.counters) IS 'The sum of counters; NULL over no rows';

CREATE FUNCTION tthc.counter(c tthc.counters, name text) RETURNS bigint
AS 'MODULE_PATHNAME', 'tthc_counters_get' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION tthc.counter(tthc.counters, text) IS 'One counter, by name';

CREATE FUNCTION tthc.counter_names()
RETURNS TABLE (ord integer, name text, meaning text)
AS 'MODULE_PATHNAME', 'tthc_counter_names_sql' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION tthc.counter_names() IS 'The counters of tthc.counters, in storage order, with their meaning';

-- Dossiers: one row per dossier (hồ sơ), with what scoring needs.
-- A code is 1 to 100 characters without white space, checked as a length
-- and a search for a space: the equivalent regular expression ^\S{1,100}$
-- costs about 15 microseconds a row (its bounded repetition), which every
-- INSERT and COPY would pay.  Not with BETWEEN: the text pg_dump writes of a
-- month partition's copy of the check must parse back to the same
-- expression as the parent's, or pg_restore cannot attach the partition.
-- With tthc.dossier_partitioning = 'month' set before CREATE EXTENSION, the
-- table is partitioned by month of receipt (docs/operations.md): then no
-- index of it can be unique on the code alone, so tthc.dossier_code keeps
-- the codes unique and is what steps, feedback and ratings refer to.
DO $tthc$
DECLARE
    layout text := coalesce(nullif(current_setting('tthc.dossier_partitioning', true), ''), 'none');
BEGIN
    IF layout NOT IN ('none', 'month') THEN
        RAISE EXCEPTION 'invalid value for tthc.dossier_partitioning: "%"', layout
              USING ERRCODE = 'invalid_parameter_value', HINT = 'Use none or month.';
    END IF;
    EXECUTE format($table$
CREATE TABLE tthc.dossier (
    code                    text %s CONSTRAINT dossier_code_format CHECK (length(code) >= 1 AND length(code) <= 100 AND code !~ '\s'),
    agency_id               text NOT NULL REFERENCES tthc.agency (id) ON UPDATE CASCADE,
    procedure_code          text NOT NULL REFERENCES tthc.procedure (code) ON UPDATE CASCADE,
    channel                 smallint DEFAULT 1 CONSTRAINT dossier_channel_known CHECK (channel IN (1, 2, 3)),
    status                  smallint NOT NULL CONSTRAINT dossier_status_known CHECK (status BETWEEN 1 AND 10),
    submitted_at            timestamptz,
    received_at             timestamptz,
    due_at                  timestamptz,
    finished_at             timestamptz,
    returned_at             timestamptz,
    ended_at                timestamptz,
    synced_at               timestamptz,
    supplement_requests     smallint NOT NULL DEFAULT 0
                            CONSTRAINT dossier_supplement_requests_positive CHECK (supplement_requests >= 0),
    supplement_requested_at timestamptz,
    supplement_received_at  timestamptz,
    fee                     numeric NOT NULL DEFAULT 0 CONSTRAINT dossier_fee_positive CHECK (fee >= 0 AND fee <> 'NaN'),
    paid_online             smallint NOT NULL DEFAULT 0 CONSTRAINT dossier_paid_online_known CHECK (paid_online IN (0, 1, 2)),
    e_result                boolean NOT NULL DEFAULT false,
    digitized               boolean NOT NULL DEFAULT false,
    reused_data             boolean NOT NULL DEFAULT false,
    personal_store          boolean NOT NULL DEFAULT false,
    population_db           boolean NOT NULL DEFAULT false,
    e_certified_copy        boolean NOT NULL DEFAULT false,
    rating                  smallint CONSTRAINT dossier_rating_known CHECK (rating IN (1, -1)),
    has_feedback            boolean NOT NULL DEFAULT false
) %s$table$,
        CASE layout WHEN 'month' THEN 'NOT NULL' ELSE 'PRIMARY KEY' END,
        CASE layout WHEN 'month' THEN 'PARTITION BY RANGE (received_at)' ELSE '' END);
    IF layout = 'none' THEN
        CREATE INDEX dossier_agency_received_idx ON tthc.dossier (agency_id, received_at);
        CREATE INDEX dossier_procedure_idx ON tthc.dossier (procedure_code);
    ELSE
        -- dossiers not received yet, or of months without their own partition
        CREATE TABLE tthc.dossier_other PARTITION OF tthc.dossier DEFAULT;
        COMMENT ON TABLE tthc.dossier_other IS
            'Dossiers of no month partition (tthc.add_dossier_months), and those not received yet';
        -- Each partition has its own indexes (tthc.add_dossier_months makes
        -- them), none of tthc.dossier: pg_restore creates the partitions'
        -- indexes after attaching them, and would clash with the indexes
        -- that attaching makes for indexes of tthc.dossier.
        CREATE INDEX dossier_other_code_idx ON tthc.dossier_other (code);
        CREATE INDEX dossier_other_agency_received_idx ON tthc.dossier_other (agency_id, received_at);
        CREATE INDEX dossier_other_procedure_idx ON tthc.dossier_other (procedure_code);
        CREATE TABLE tthc.dossier_code (code text PRIMARY KEY);
        COMMENT ON TABLE tthc.dossier_code IS
            'The code of every dossier, unique across the month partitions; kept by tthc from tthc.dossier';
        -- read and written through tthc.dossier only: no policy, so no
        -- row for anyone but their owner directly
        ALTER TABLE tthc.dossier_other ENABLE ROW LEVEL SECURITY;
        ALTER TABLE tthc.dossier_code ENABLE ROW LEVEL SECURITY;
        PERFORM pg_catalog.pg_extension_config_dump('tthc.dossier_other', '');
        PERFORM pg_catalog.pg_extension_config_dump('tthc.dossier_code', '');
    END IF;
END
$tthc$;
COMMENT ON TABLE tthc.dossier IS
    'Administrative-procedure dossiers (hồ sơ), one row each, with the DVCQG fields scoring needs';
COMMENT ON COLUMN tthc.dossier.due_at IS
    'NgayHenTra; filled from the procedure''s time limit and the calendar when NULL at write time';
COMMENT ON COLUMN tthc.dossier.has_feedback IS
    'A feedback item is about this dossier (criterion 5.3); kept by tthc from tthc.feedback.dossier_code';
COMMENT ON COLUMN tthc.dossier.status IS
    'TrangThaiHoSo: 1 new, 2 received, 3 refused, 4 processing, 5 supplement requested, 6 fee requested, 7 withdrawn, 8 stopped, 9 finished, 10 returned';

CREATE FUNCTION tthc.dossier_before_write() RETURNS trigger
AS 'MODULE_PATHNAME', 'tthc_dossier_before_write' LANGUAGE C;

CREATE TRIGGER dossier_before_write
    BEFORE INSERT OR UPDATE ON tthc.dossier
    FOR EACH ROW EXECUTE FUNCTION tthc.dossier_before_write();

CREATE FUNCTION tthc.dossier_counters(d tthc.dossier, "at" timestamptz DEFAULT now())
RETURNS tthc.counters
AS 'MODULE_PATHNAME', 'tthc_dossier_counters' LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION tthc.dossier_counters(tthc.dossier, timestamptz) IS
    'What one dossier counts for, judged at instant at; tthc.sum over rows is the recompute from raw rows';

CREATE FUNCTION tthc.late_from(d tthc.dossier)
RETURNS timestamptz
AS 'MODULE_PATHNAME', 'tthc_dossier_late_from' LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION tthc.late_from(tthc.dossier) IS
    'The instant after which the dossier is late (NULL: it never will be, as it stands)';

-- Inter-agency steps (liên thông), and the officer handling each.
CREATE TABLE tthc.dossier_step (
    dossier_code text NOT NULL,
    seq          integer NOT NULL CONSTRAINT dossier_step_seq_positive CHECK (seq >= 1),
    agency_id    text NOT NULL REFERENCES tthc.agency (id) ON UPDATE CASCADE,
    officer      text,
    started_at   timestamptz NOT NULL,
    deadline_at  timestamptz,
    ended_at     timestamptz,
    PRIMARY KEY (dossier_code, seq),
    CONSTRAINT dossier_step_deadline_after_start CHECK (deadline_at >= started_at),
    CONSTRAINT dossier_step_end_after_start CHECK (ended_at >= started_at),
    CONSTRAINT dossier_step_times_finite
        CHECK (isfinite(started_at) AND coalesce(isfinite(deadline_at), true) AND coalesce(isfinite(ended_at), true))
);
CREATE INDEX dossier_step_agency_idx ON tthc.dossier_step (agency_id);
COMMENT ON TABLE tthc.dossier_step IS
    'The steps of an inter-agency dossier, so that a delay is charged to the agency that caused it';

-- Feedback (phản ánh, kiến nghị).
CREATE TABLE tthc.feedback (
    id                      text PRIMARY KEY CONSTRAINT feedback_id_format CHECK (length(id) >= 1 AND length(id) <= 100 AND id !~ '\s'),
    agency_id               text NOT NULL REFERENCES tthc.agency (id) ON UPDATE CASCADE,
    received_at             timestamptz NOT NULL,
    transferred_at          timestamptz,
    category                text CONSTRAINT feedback_category_known CHECK (category IN ('rules', 'staff')),
    refused_at              timestamptz,
    supplement_requested_at timestamptz,
    handled_at              timestamptz,
    published_at            timestamptz,
    likes                   integer NOT NULL DEFAULT 0 CONSTRAINT feedback_likes_positive CHECK (likes >= 0),
    dislikes                integer NOT NULL DEFAULT 0 CONSTRAINT feedback_dislikes_positive CHECK (dislikes >= 0),
    raised_again            boolean NOT NULL DEFAULT false,
    dossier_code            text,
    CONSTRAINT feedback_transferred_after_receipt CHECK (transferred_at >= received_at),
    CONSTRAINT feedback_refused_after_receipt CHECK (refused_at >= received_at),
    CONSTRAINT feedback_supplement_after_receipt CHECK (supplement_requested_at >= received_at),
    CONSTRAINT feedback_handled_after_receipt CHECK (handled_at >= received_at),
    CONSTRAINT feedback_published_after_handling CHECK (published_at >= handled_at)
);
CREATE INDEX feedback_agency_received_idx ON tthc.feedback (agency_id, received_at);
CREATE INDEX feedback_dossier_idx ON tthc.feedback (dossier_code) WHERE dossier_code IS NOT NULL;
COMMENT ON TABLE tthc.feedback IS 'Feedback items (PAKN) about an agency, for criteria 5.1, 5.2 and 5.4';

CREATE FUNCTION tthc.feedback_before_write() RETURNS trigger
AS 'MODULE_PATHNAME', 'tthc_feedback_before_write' LANGUAGE C;
CREATE TRIGGER feedback_before_write
    BEFORE INSERT OR UPDATE ON tthc.feedback
    FOR EACH ROW EXECUTE FUNCTION tthc.feedback_before_write();

CREATE FUNCTION tthc.feedback_counters(f tthc.feedback, "at" timestamptz DEFAULT now())
RETURNS tthc.counters
AS 'MODULE_PATHNAME', 'tthc_feedback_counters' LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION tthc.feedback_counters(tthc.feedback, timestamptz) IS
    'What one feedback item counts for (the fb_ counters), judged at instant at';

CREATE FUNCTION tthc.late_from(f tthc.feedback)
RETURNS timestamptz
AS 'MODULE_PATHNAME', 'tthc_feedback_late_from' LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION tthc.late_from(tthc.feedback) IS
    'The instant after which the feedback item is late under criterion 5.1 (NULL: it never will be, as it stands)';

CREATE FUNCTION tthc.feedback_entries(f tthc.feedback)
RETURNS TABLE (received_day date, late_day date, counters tthc.counters)
AS 'MODULE_PATHNAME', 'tthc_feedback_entries_sql' LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION tthc.feedback_entries(tthc.feedback) IS
    'The tally entries of one feedback item, computed as the triggers compute them';

-- A dossier with feedback counts against criterion 5.3: keep the flag on the
-- dossier row, whose own triggers then update its tallies.
-- SECURITY DEFINER because feedback about a dossier of another agency
-- must mark that dossier although the writer may not see it (row-level
-- security): the flag is derived data, like the tallies.
CREATE FUNCTION tthc.feedback_marks_dossiers() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    codes text[];
BEGIN
    IF TG_OP = 'INSERT' THEN
        SELECT array_agg(DISTINCT n.dossier_code) INTO codes FROM new_rows n WHERE n.dossier_code IS NOT NULL;
    ELSIF TG_OP = 'DELETE' THEN
        SELECT array_agg(DISTINCT o.dossier_code) INTO codes FROM old_rows o WHERE o.dossier_code IS NOT NULL;
    ELSE
        SELECT array_agg(DISTINCT x.c) INTO codes
          FROM (SELECT n.dossier_code AS c FROM new_rows n UNION SELECT o.dossier_code FROM old_rows o) x
         WHERE x.c IS NOT NULL;
    END IF;
    IF codes IS NOT NULL THEN
        UPDATE tthc.dossier d
           SET has_feedback = x.has
          FROM (SELECT c.code, EXISTS (SELECT 1 FROM tthc.feedback f WHERE f.dossier_code = c.code) AS has
                  FROM unnest(codes) c(code)) x
         WHERE d.code = x.code AND d.has_feedback <> x.has;
    END IF;
    RETURN NULL;
END
$$;
COMMENT ON FUNCTION tthc.feedback_marks_dossiers() IS
    'Keeps tthc.dossier.has_feedback from tthc.feedback.dossier_code. SECURITY DEFINER because the dossier may belong to an agency the writer cannot see';
CREATE TRIGGER feedback_marks_dossiers_insert AFTER INSERT ON tthc.feedback
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION tthc.feedback_marks_dossiers();
CREATE TRIGGER feedback_marks_dossiers_update AFTER UPDATE ON tthc.feedback
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION tthc.feedback_marks_dossiers();
CREATE TRIGGER feedback_marks_dossiers_delete AFTER DELETE ON tthc.feedback
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION tthc.feedback_marks_dossiers();

-- Steps and feedback refer to their dossier by code: to tthc.dossier, or to
-- tthc.dossier_code when the dossiers are partitioned by month.
DO $tthc$
DECLARE
    target text := CASE WHEN to_regclass('tthc.dossier_code') IS NULL THEN 'tthc.dossier' ELSE 'tthc.dossier_code' END;
BEGIN
    EXECUTE format('ALTER TABLE tthc.dossier_step ADD FOREIGN KEY (dossier_code) REFERENCES %s (code) '
                   'ON UPDATE CASCADE ON DELETE CASCADE', target);
    EXECUTE format('ALTER TABLE tthc.feedback ADD FOREIGN KEY (dossier_code) REFERENCES %s (code) '
                   'ON UPDATE CASCADE ON DELETE SET NULL', target);
END
$tthc$;

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
DO $tthc$
BEGIN
    IF to_regclass('tthc.dossier_code') IS NOT NULL THEN
        CREATE TRIGGER dossier_codes_insert AFTER INSERT ON tthc.dossier
            REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION tthc.dossier_codes_kept();
        CREATE TRIGGER dossier_codes_renamed BEFORE UPDATE OF code ON tthc.dossier
            FOR EACH ROW WHEN (OLD.code IS DISTINCT FROM NEW.code) EXECUTE FUNCTION tthc.dossier_codes_renamed();
        CREATE TRIGGER dossier_codes_update AFTER UPDATE OF code ON tthc.dossier
            FOR EACH STATEMENT EXECUTE FUNCTION tthc.dossier_codes_renamed();
        CREATE TRIGGER dossier_codes_delete AFTER DELETE ON tthc.dossier
            REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION tthc.dossier_codes_kept();
        CREATE TRIGGER dossier_codes_truncate AFTER TRUNCATE ON tthc.dossier
            FOR EACH STATEMENT EXECUTE FUNCTION tthc.dossier_codes_kept();
    END IF;
END
$tthc$;

SELECT pg_catalog.pg_extension_config_dump('tthc.dossier', '');
SELECT pg_catalog.pg_extension_config_dump('tthc.dossier_step', '');
SELECT pg_catalog.pg_extension_config_dump('tthc.feedback', '');

-- Counters read as JSON in reports: (c::jsonb)->>'late'.
CREATE CAST (tthc.counters AS jsonb) WITH INOUT;

-- Each backend caches the procedures' time limits; an edit drops the cache.
CREATE FUNCTION tthc.procedure_changed() RETURNS trigger
AS 'MODULE_PATHNAME', 'tthc_procedure_changed' LANGUAGE C;
CREATE TRIGGER procedure_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON tthc.procedure
    FOR EACH STATEMENT EXECUTE FUNCTION tthc.procedure_changed();
