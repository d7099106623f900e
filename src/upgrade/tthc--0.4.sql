-- tthc: real-time monitoring of administrative-procedure dossiers and the
-- Citizen & Business Service Index (Decision 766/QĐ-TTg).
--
-- This file is built by concatenating src/sql/*.sql in name order.

\echo Use "CREATE EXTENSION tthc" to load this file. \quit
-- ---------------------------------------------------------------------------
-- Catalogue: agencies, procedures, services, announcements, reported volumes
-- (SPEC §3).  All of them hold user data: pg_dump keeps their rows.
-- ---------------------------------------------------------------------------

-- Codes (national unit codes, procedure codes) are 1-64 letters, digits,
-- '.', '_' or '-', starting with a letter or digit.

CREATE TABLE tthc.agency (
    id        text PRIMARY KEY CONSTRAINT agency_id_format CHECK (id ~ '^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$'),
    parent_id text REFERENCES tthc.agency (id) ON UPDATE CASCADE,
    name      text NOT NULL CONSTRAINT agency_name_not_blank CHECK (btrim(name) <> ''),
    kind      text NOT NULL CONSTRAINT agency_kind_known
              CHECK (kind IN ('ministry', 'province', 'department', 'district', 'commune', 'unit')),
    CONSTRAINT agency_not_own_parent CHECK (parent_id <> id),
    CONSTRAINT agency_top_level_kind
        CHECK ((parent_id IS NULL) = (kind IN ('ministry', 'province')))
);
CREATE INDEX agency_parent_idx ON tthc.agency (parent_id);
COMMENT ON TABLE tthc.agency IS
    'Ministries and provinces (top level) and their units, as a tree; a score covers an agency''s whole subtree';
COMMENT ON COLUMN tthc.agency.kind IS
    'ministry or province (top level, no parent); department, district, commune or unit below them';

-- Re-parenting must not make a cycle.  Inserting cannot (a new row has no
-- children yet), so only a changed parent_id is checked.  Concurrent
-- re-parentings are serialised by an advisory lock, so two of them cannot
-- each pass the check and together close a loop.
CREATE FUNCTION tthc.agency_check_cycle() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    IF NEW.parent_id IS NOT NULL AND NEW.parent_id IS DISTINCT FROM OLD.parent_id THEN
        PERFORM pg_catalog.pg_advisory_xact_lock(pg_catalog.hashtext('tthc.agency re-parenting'));
        IF EXISTS (
            WITH RECURSIVE up(id) AS (
                SELECT NEW.parent_id
                UNION
                SELECT a.parent_id FROM tthc.agency a JOIN up ON a.id = up.id
                 WHERE a.parent_id IS NOT NULL)
            SELECT 1 FROM up WHERE up.id = NEW.id)
        THEN
            RAISE EXCEPTION 'agency "%" cannot be placed under "%"', NEW.id, NEW.parent_id
                USING ERRCODE = 'check_violation',
                      DETAIL = pg_catalog.format('"%s" is in the subtree of "%s": the tree would have a cycle.',
                                                 NEW.parent_id, NEW.id),
                      HINT = 'Move the units under it elsewhere first.';
        END IF;
    END IF;
    RETURN NEW;
END
$$;

CREATE TRIGGER agency_check_cycle
    BEFORE UPDATE OF parent_id ON tthc.agency
    FOR EACH ROW EXECUTE FUNCTION tthc.agency_check_cycle();

-- An agency and everything under it.  depth 0 is the agency itself.
CREATE FUNCTION tthc.agency_subtree(root text)
RETURNS TABLE (id text, parent_id text, name text, kind text, depth integer, path text[])
LANGUAGE plpgsql STABLE STRICT PARALLEL SAFE SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM tthc.agency a WHERE a.id = root) THEN
        RAISE EXCEPTION 'unknown agency "%"', root
            USING ERRCODE = 'undefined_object',
                  HINT = 'Agencies are listed in tthc.agency.';
    END IF;
    RETURN QUERY
    WITH RECURSIVE t(id, parent_id, name, kind, depth, path) AS (
        SELECT a.id, a.parent_id, a.name, a.kind, 0, ARRAY[a.id]
          FROM tthc.agency a WHERE a.id = root
        UNION ALL
        SELECT c.id, c.parent_id, c.name, c.kind, t.depth + 1, t.path || c.id
          FROM tthc.agency c JOIN t ON c.parent_id = t.id)
    SELECT * FROM t;
END
$$;
COMMENT ON FUNCTION tthc.agency_subtree(text) IS
    'An agency and all the units under it, with their depth below it (0 for itself) and path from it';

-- An agency and its ancestors up to the top level.  depth 0 is the agency.
CREATE FUNCTION tthc.agency_ancestors(agency text)
RETURNS TABLE (id text, parent_id text, name text, kind text, depth integer)
LANGUAGE plpgsql STABLE STRICT PARALLEL SAFE SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM tthc.agency a WHERE a.id = agency) THEN
        RAISE EXCEPTION 'unknown agency "%"', agency
            USING ERRCODE = 'undefined_object',
                  HINT = 'Agencies are listed in tthc.agency.';
    END IF;
    RETURN QUERY
    WITH RECURSIVE up AS (
        SELECT a.id, a.parent_id, a.name, a.kind, 0 AS depth
          FROM tthc.agency a WHERE a.id = agency
        UNION ALL
        SELECT p.id, p.parent_id, p.name, p.kind, up.depth + 1
          FROM tthc.agency p JOIN up ON p.id = up.parent_id)
    SELECT * FROM up;
END
$$;
COMMENT ON FUNCTION tthc.agency_ancestors(text) IS
    'An agency and its ancestors up to its ministry or province (depth 0 for itself)';

-- Every agency with its top-level ancestor, depth and path: what a reporting
-- tool joins to roll units up.
CREATE VIEW tthc.agency_tree AS
WITH RECURSIVE t AS (
    SELECT a.id AS id, a.parent_id AS parent_id, a.name, a.kind,
           a.id AS top_id, 0 AS depth, ARRAY[a.id] AS path
      FROM tthc.agency a WHERE a.parent_id IS NULL
    UNION ALL
    SELECT c.id, c.parent_id, c.name, c.kind, t.top_id, t.depth + 1, t.path || c.id
      FROM tthc.agency c JOIN t ON c.parent_id = t.id)
SELECT * FROM t;
COMMENT ON VIEW tthc.agency_tree IS
    'Every agency with its top-level ministry or province (top_id), its depth and its path from the top';

CREATE TABLE tthc.procedure (
    code                 text PRIMARY KEY CONSTRAINT procedure_code_format
                         CHECK (code ~ '^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$'),
    name                 text NOT NULL CONSTRAINT procedure_name_not_blank CHECK (btrim(name) <> ''),
    sector               text,
    time_limit           numeric CONSTRAINT procedure_time_limit_range
                         CHECK (time_limit >= 0 AND time_limit <= 3650),
    time_unit            text NOT NULL DEFAULT 'working_day' CONSTRAINT procedure_time_unit_known
                         CHECK (time_unit IN ('working_day', 'day', 'hour', 'month')),
    fee_required         boolean NOT NULL DEFAULT false,
    paper_result         boolean NOT NULL DEFAULT false,
    full_online_eligible boolean NOT NULL DEFAULT false,
    for_citizens         boolean NOT NULL DEFAULT false,
    is_certification     boolean NOT NULL DEFAULT false,
    parts_complete       boolean NOT NULL DEFAULT false,
    CONSTRAINT procedure_whole_months CHECK (time_unit <> 'month' OR time_limit = trunc(time_limit))
);
CREATE INDEX procedure_sector_idx ON tthc.procedure (sector);
COMMENT ON TABLE tthc.procedure IS 'The catalogue of administrative procedures (TTHC)';
COMMENT ON COLUMN tthc.procedure.time_limit IS
    'Time limit for handling a dossier, in time_unit; NULL when the law sets none';
COMMENT ON COLUMN tthc.procedure.paper_result IS 'The procedure returns a paper result';
COMMENT ON COLUMN tthc.procedure.parts_complete IS
    'Its public record has all 7 parts (name, steps, method, components, time limit, applicant, agency)';

CREATE TABLE tthc.service (
    agency_id      text NOT NULL REFERENCES tthc.agency (id) ON UPDATE CASCADE,
    procedure_code text NOT NULL REFERENCES tthc.procedure (code) ON UPDATE CASCADE,
    online_level   text CONSTRAINT service_online_level_known CHECK (online_level IN ('full', 'partial')),
    PRIMARY KEY (agency_id, procedure_code)
);
CREATE INDEX service_procedure_idx ON tthc.service (procedure_code);
COMMENT ON TABLE tthc.service IS
    'Which agency handles which procedure (its competence), and whether online: full, partial or NULL (not online)';

CREATE TABLE tthc.announcement (
    id                 bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
    decision           text,
    agency_id          text NOT NULL REFERENCES tthc.agency (id) ON UPDATE CASCADE,
    procedure_code     text NOT NULL REFERENCES tthc.procedure (code) ON UPDATE CASCADE,
    kind               text NOT NULL CONSTRAINT announcement_kind_known
                       CHECK (kind IN ('new', 'amend', 'abolish')),
    decided_on         date NOT NULL,
    basis_effective_on date,
    published_on       date,
    CONSTRAINT announcement_published_after_decision CHECK (published_on >= decided_on),
    CONSTRAINT announcement_dates_finite
        CHECK (decided_on NOT IN ('infinity', '-infinity')
               AND basis_effective_on NOT IN ('infinity', '-infinity')
               AND published_on NOT IN ('infinity', '-infinity'))
);
CREATE INDEX announcement_agency_idx ON tthc.announcement (agency_id, decided_on);
CREATE INDEX announcement_procedure_idx ON tthc.announcement (procedure_code);
COMMENT ON TABLE tthc.announcement IS
    'Decisions announcing new, amended or abolished procedures, and when each reached the national database (criteria 1.1-1.2)';

CREATE TABLE tthc.reported_volume (
    agency_id text NOT NULL REFERENCES tthc.agency (id) ON UPDATE CASCADE,
    month     date NOT NULL CONSTRAINT reported_volume_month_start
              CHECK (isfinite(month) AND month = date_trunc('month', month)::date),
    received  bigint NOT NULL CONSTRAINT reported_volume_received_positive CHECK (received >= 0),
    PRIMARY KEY (agency_id, month)
);
COMMENT ON TABLE tthc.reported_volume IS
    'Dossiers received per month as counted by the national reporting system (criterion 1.4)';

SELECT pg_catalog.pg_extension_config_dump('tthc.agency', '');
SELECT pg_catalog.pg_extension_config_dump('tthc.procedure', '');
SELECT pg_catalog.pg_extension_config_dump('tthc.service', '');
SELECT pg_catalog.pg_extension_config_dump('tthc.announcement', '');
SELECT pg_catalog.pg_extension_config_dump('tthc.announcement_id_seq', '');
SELECT pg_catalog.pg_extension_config_dump('tthc.reported_volume', '');

-- Which agencies a login acts for: it sees their whole subtrees.  An
-- agency_id NULL gives the whole country (the Government Office, auditors).
CREATE TABLE tthc.agency_login (
    login     name NOT NULL,
    agency_id text REFERENCES tthc.agency (id) ON UPDATE CASCADE ON DELETE CASCADE
);
CREATE UNIQUE INDEX agency_login_key ON tthc.agency_login (login, coalesce(agency_id, ''));
COMMENT ON TABLE tthc.agency_login IS
    'The agencies a login acts for (agency_id NULL: the whole country); with row-level security it reads and writes only their subtrees';
SELECT pg_catalog.pg_extension_config_dump('tthc.agency_login', '');

-- A login reads only its own mapping rows; administrators read them all.
ALTER TABLE tthc.agency_login ENABLE ROW LEVEL SECURITY;
CREATE POLICY agency_login_own ON tthc.agency_login
    USING (login = current_user
           OR (EXISTS (SELECT 1 FROM pg_catalog.pg_roles r WHERE r.rolname = 'tthc_admin')
               AND pg_catalog.pg_has_role(current_user, 'tthc_admin', 'member')));

-- The agencies the current user may see: NULL for all (an administrator,
-- the extension's owner, or a login mapped to the whole country).  Not
-- SECURITY DEFINER: it must judge the caller, and reads only what the
-- caller may read (its own mapping rows).  tthc.visible_agencies() keeps
-- its result per backend (src/security.c).
CREATE FUNCTION tthc.visible_agencies_uncached() RETURNS text[]
LANGUAGE plpgsql STABLE PARALLEL SAFE SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    result text[];
BEGIN
    IF EXISTS (SELECT 1 FROM pg_catalog.pg_roles r WHERE r.rolname = 'tthc_admin')
       AND pg_catalog.pg_has_role(current_user, 'tthc_admin', 'member') THEN
        RETURN NULL;
    END IF;
    IF EXISTS (SELECT 1 FROM tthc.agency_login l WHERE l.login = current_user AND l.agency_id IS NULL) THEN
        RETURN NULL;
    END IF;
    IF NOT EXISTS (SELECT 1 FROM tthc.agency_login l WHERE l.login = current_user)
       AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_roles r WHERE r.rolname = 'tthc_reader') THEN
        -- roles never set up: the extension is used without them, as before
        RETURN NULL;
    END IF;
    WITH RECURSIVE t(id) AS (
        SELECT l.agency_id FROM tthc.agency_login l WHERE l.login = current_user AND l.agency_id IS NOT NULL
        UNION
        SELECT a.id FROM tthc.agency a JOIN t ON a.parent_id = t.id)
    SELECT coalesce(array_agg(t.id), '{}') INTO result FROM t;
    RETURN result;
END
$$;
COMMENT ON FUNCTION tthc.visible_agencies_uncached() IS
    'The agencies the current user may read and write, computed (tthc.visible_agencies() caches it)';

CREATE FUNCTION tthc.visible_agencies() RETURNS text[]
AS 'MODULE_PATHNAME', 'tthc_visible_agencies' LANGUAGE C STABLE PARALLEL SAFE;
COMMENT ON FUNCTION tthc.visible_agencies() IS
    'The agencies the current user may read and write (their logins'' subtrees); NULL: all. Kept per session until the tree, the mapping or roles change';

-- changes of the tree or the mapping reach every session's cache
CREATE FUNCTION tthc.caches_changed() RETURNS trigger
AS 'MODULE_PATHNAME', 'tthc_calendar_changed' LANGUAGE C;
COMMENT ON FUNCTION tthc.caches_changed() IS
    'Statement trigger: tells every session that a table its caches read has changed';
CREATE TRIGGER agency_caches AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON tthc.agency
    FOR EACH STATEMENT EXECUTE FUNCTION tthc.caches_changed();
CREATE TRIGGER agency_login_caches AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON tthc.agency_login
    FOR EACH STATEMENT EXECUTE FUNCTION tthc.caches_changed();
-- ---------------------------------------------------------------------------
-- The working-day calendar (SPEC §5): holidays computed in C from the rules
-- of the Labour Code and the Vietnamese lunar calendar, edited by the DBA.
-- ---------------------------------------------------------------------------

CREATE FUNCTION tthc.rule_holidays(year integer, national_day_adjacent integer DEFAULT 0)
RETURNS TABLE (day date, name text, kind text)
AS 'MODULE_PATHNAME', 'tthc_rule_holidays_sql'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION tthc.rule_holidays(integer, integer) IS
    'The public holidays the law fixes for a year, with compensatory days off, computed (1900-2199)';

CREATE FUNCTION tthc.lunar_date(day date,
    OUT lunar_day integer, OUT lunar_month integer, OUT lunar_year integer, OUT leap_month boolean)
AS 'MODULE_PATHNAME', 'tthc_lunar_date'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION tthc.lunar_date(date) IS 'The Vietnamese lunar date (UTC+7) of a day';

CREATE FUNCTION tthc.solar_date(lunar_day integer, lunar_month integer, lunar_year integer,
                                leap_month boolean DEFAULT false)
RETURNS date
AS 'MODULE_PATHNAME', 'tthc_solar_date'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION tthc.solar_date(integer, integer, integer, boolean) IS
    'The Gregorian day of a Vietnamese lunar date';

-- Working hours and receipt cut-offs: one row.
CREATE TABLE tthc.calendar_setting (
    id              boolean PRIMARY KEY DEFAULT true CONSTRAINT calendar_setting_one_row CHECK (id),
    morning_start   time NOT NULL DEFAULT '07:00',
    morning_end     time NOT NULL DEFAULT '11:30',
    afternoon_start time NOT NULL DEFAULT '13:30',
    afternoon_end   time NOT NULL DEFAULT '17:00',
    receipt_cutoff  time NOT NULL DEFAULT '17:00',
    same_day_cutoff time NOT NULL DEFAULT '15:00',
    CONSTRAINT calendar_setting_hours_ordered
        CHECK (morning_start < morning_end AND morning_end <= afternoon_start
               AND afternoon_start < afternoon_end),
    CONSTRAINT calendar_setting_cutoffs_after_start
        CHECK (receipt_cutoff >= morning_start AND same_day_cutoff >= morning_start)
);
COMMENT ON TABLE tthc.calendar_setting IS
    'Working hours (two intervals a day) and receipt cut-offs; one row, edited with UPDATE';

-- Years the calendar covers.  Inserting a year fills its rule holidays.
CREATE TABLE tthc.calendar_year (
    year      integer PRIMARY KEY CONSTRAINT calendar_year_range CHECK (year BETWEEN 1901 AND 2198),
    filled_at timestamptz NOT NULL DEFAULT now()
);
COMMENT ON TABLE tthc.calendar_year IS
    'The years the working-day calendar covers (contiguous); add years with tthc.fill_calendar()';

CREATE TABLE tthc.holiday (
    day    date PRIMARY KEY CONSTRAINT holiday_day_finite CHECK (day NOT IN ('infinity', '-infinity')),
    name   text NOT NULL CONSTRAINT holiday_name_not_blank CHECK (btrim(name) <> ''),
    kind   text NOT NULL DEFAULT 'extra' CONSTRAINT holiday_kind_known
           CHECK (kind IN ('public', 'compensatory', 'extra')),
    source text NOT NULL DEFAULT 'dba' CONSTRAINT holiday_source_known CHECK (source IN ('rule', 'dba'))
);
COMMENT ON TABLE tthc.holiday IS
    'Days off besides weekends: the rule holidays (source rule) and the DBA''s additions and edits (source dba)';
COMMENT ON COLUMN tthc.holiday.kind IS
    'public (fixed by law), compensatory (in lieu of one on a weekend) or extra (decided for a year)';
COMMENT ON COLUMN tthc.holiday.source IS
    'rule: computed by tthc; dba: added or edited by hand (kept by pg_dump). Maintained by tthc.';

-- Rule holidays the DBA deleted, so that they stay deleted after a refill
-- or a dump and restore.
CREATE TABLE tthc.holiday_removed (
    day        date PRIMARY KEY,
    removed_at timestamptz NOT NULL DEFAULT now()
);
COMMENT ON TABLE tthc.holiday_removed IS
    'Rule holidays deleted or moved by the DBA; tthc does not recreate them';

CREATE TABLE tthc.workday (
    day  date PRIMARY KEY CONSTRAINT workday_day_finite CHECK (day NOT IN ('infinity', '-infinity')),
    name text NOT NULL CONSTRAINT workday_name_not_blank CHECK (btrim(name) <> '')
);
COMMENT ON TABLE tthc.workday IS
    'Make-up working days (usually a Saturday swapped for a day next to a holiday); they win over tthc.holiday';

-- Keep source honest and deletions remembered (see docs/calendar.md).
CREATE FUNCTION tthc.holiday_before_write() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    IF TG_OP = 'UPDATE' THEN
        IF OLD.source = 'rule' THEN
            INSERT INTO tthc.holiday_removed (day) VALUES (OLD.day) ON CONFLICT DO NOTHING;
        END IF;
        NEW.source := 'dba';
        RETURN NEW;
    END IF;
    -- INSERT: only the rule filler writes source = 'rule'
    IF NEW.source = 'rule' AND
       current_setting('tthc.filling_calendar', true) IS DISTINCT FROM 'on' THEN
        NEW.source := 'dba';
    END IF;
    IF NEW.source = 'dba' THEN
        -- a hand-made row for a day the rules already made replaces it
        DELETE FROM tthc.holiday h WHERE h.day = NEW.day AND h.source = 'rule';
    END IF;
    RETURN NEW;
END
$$;

CREATE TRIGGER holiday_before_write
    BEFORE INSERT OR UPDATE ON tthc.holiday
    FOR EACH ROW EXECUTE FUNCTION tthc.holiday_before_write();

CREATE FUNCTION tthc.holiday_after_delete() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    IF OLD.source = 'rule' THEN
        INSERT INTO tthc.holiday_removed (day) VALUES (OLD.day) ON CONFLICT DO NOTHING;
    END IF;
    RETURN NULL;
END
$$;

CREATE TRIGGER holiday_after_delete
    AFTER DELETE ON tthc.holiday
    FOR EACH ROW EXECUTE FUNCTION tthc.holiday_after_delete();

-- Remembering a deletion twice is remembering it once: the holiday triggers
-- may already have remembered a day that a restore then copies in.
CREATE FUNCTION tthc.holiday_removed_before_insert() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    IF EXISTS (SELECT 1 FROM tthc.holiday_removed x WHERE x.day = NEW.day) THEN
        RETURN NULL;
    END IF;
    RETURN NEW;
END
$$;

CREATE TRIGGER holiday_removed_before_insert
    BEFORE INSERT ON tthc.holiday_removed
    FOR EACH ROW EXECUTE FUNCTION tthc.holiday_removed_before_insert();

-- A remembered deletion inserted directly (a restore from a dump) removes
-- the rule row.  Not when the holiday triggers themselves remember one: the
-- row is then being updated or is already gone.
CREATE FUNCTION tthc.holiday_removed_after_insert() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    IF pg_trigger_depth() = 1 THEN
        DELETE FROM tthc.holiday h WHERE h.day = NEW.day AND h.source = 'rule';
    END IF;
    RETURN NULL;
END
$$;

CREATE TRIGGER holiday_removed_after_insert
    AFTER INSERT ON tthc.holiday_removed
    FOR EACH ROW EXECUTE FUNCTION tthc.holiday_removed_after_insert();

-- A new calendar year gets its rule holidays, but not those the DBA removed
-- and not over a day the DBA already set.
CREATE FUNCTION tthc.calendar_year_after_insert() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    PERFORM set_config('tthc.filling_calendar', 'on', true);
    INSERT INTO tthc.holiday (day, name, kind, source)
    SELECT r.day, r.name, r.kind, 'rule'
      FROM tthc.rule_holidays(NEW.year) r
     WHERE NOT EXISTS (SELECT 1 FROM tthc.holiday_removed x WHERE x.day = r.day)
    ON CONFLICT (day) DO NOTHING;
    PERFORM set_config('tthc.filling_calendar', 'off', true);
    RETURN NULL;
END
$$;

CREATE TRIGGER calendar_year_after_insert
    AFTER INSERT ON tthc.calendar_year
    FOR EACH ROW EXECUTE FUNCTION tthc.calendar_year_after_insert();

CREATE FUNCTION tthc.calendar_setting_before_insert() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    -- one row: a new one (a restore, or a reset) replaces the old one
    DELETE FROM tthc.calendar_setting;
    RETURN NEW;
END
$$;

CREATE TRIGGER calendar_setting_before_insert
    BEFORE INSERT ON tthc.calendar_setting
    FOR EACH ROW EXECUTE FUNCTION tthc.calendar_setting_before_insert();

-- Every backend reloads its copy of the calendar after an edit commits.
CREATE FUNCTION tthc.calendar_changed() RETURNS trigger
AS 'MODULE_PATHNAME', 'tthc_calendar_changed'
LANGUAGE C;

CREATE TRIGGER holiday_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON tthc.holiday
    FOR EACH STATEMENT EXECUTE FUNCTION tthc.calendar_changed();
CREATE TRIGGER workday_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON tthc.workday
    FOR EACH STATEMENT EXECUTE FUNCTION tthc.calendar_changed();
CREATE TRIGGER calendar_year_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON tthc.calendar_year
    FOR EACH STATEMENT EXECUTE FUNCTION tthc.calendar_changed();
CREATE TRIGGER calendar_setting_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON tthc.calendar_setting
    FOR EACH STATEMENT EXECUTE FUNCTION tthc.calendar_changed();

CREATE FUNCTION tthc.fill_calendar(from_year integer, to_year integer)
RETURNS integer
LANGUAGE plpgsql STRICT SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    added integer;
BEGIN
    IF from_year > to_year THEN
        RAISE EXCEPTION 'from_year % is after to_year %', from_year, to_year
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    INSERT INTO tthc.calendar_year (year)
    SELECT y FROM generate_series(from_year, to_year) y
    ON CONFLICT (year) DO NOTHING;
    GET DIAGNOSTICS added = ROW_COUNT;
    RETURN added;
END
$$;
COMMENT ON FUNCTION tthc.fill_calendar(integer, integer) IS
    'Extend the working-day calendar over these years, with their rule holidays; returns the years added';

CREATE FUNCTION tthc.reset_holidays(year integer)
RETURNS integer
LANGUAGE plpgsql STRICT SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    n integer;
BEGIN
    IF NOT EXISTS (SELECT 1 FROM tthc.calendar_year c WHERE c.year = reset_holidays.year) THEN
        RAISE EXCEPTION 'year % is not in the working-day calendar', year
            USING ERRCODE = 'datetime_field_overflow',
                  HINT = 'Add it with tthc.fill_calendar(from_year, to_year).';
    END IF;
    DELETE FROM tthc.holiday h
     WHERE h.day BETWEEN make_date(year, 1, 1) AND make_date(year, 12, 31);
    DELETE FROM tthc.holiday_removed x
     WHERE x.day BETWEEN make_date(year, 1, 1) AND make_date(year, 12, 31);
    PERFORM set_config('tthc.filling_calendar', 'on', true);
    INSERT INTO tthc.holiday (day, name, kind, source)
    SELECT r.day, r.name, r.kind, 'rule' FROM tthc.rule_holidays(year) r;
    GET DIAGNOSTICS n = ROW_COUNT;
    PERFORM set_config('tthc.filling_calendar', 'off', true);
    RETURN n;
END
$$;
COMMENT ON FUNCTION tthc.reset_holidays(integer) IS
    'Drop every edit of a year''s holidays and put back the rule holidays; returns their number';

CREATE FUNCTION tthc.is_working_day(day date)
RETURNS boolean
AS 'MODULE_PATHNAME', 'tthc_is_working_day'
LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION tthc.is_working_day(date) IS
    'Monday to Friday and not a holiday, or a make-up working day';

CREATE FUNCTION tthc.add_working_time("from" timestamptz, amount numeric,
                                      unit text DEFAULT 'working_day', same_day boolean DEFAULT NULL)
RETURNS timestamptz
AS 'MODULE_PATHNAME', 'tthc_add_working_time_sql'
LANGUAGE C STABLE PARALLEL SAFE;
COMMENT ON FUNCTION tthc.add_working_time(timestamptz, numeric, text, boolean) IS
    'The due time: from + amount of unit (working_day, day, hour, month), skipping non-working time';

CREATE FUNCTION tthc.working_days_between(a timestamptz, b timestamptz)
RETURNS numeric
AS 'MODULE_PATHNAME', 'tthc_working_days_between'
LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION tthc.working_days_between(timestamptz, timestamptz) IS
    'Working time from a to b, in working days (negative when b is before a)';

CREATE FUNCTION tthc.calendar_bounds(OUT first_day date, OUT last_day date)
AS 'MODULE_PATHNAME', 'tthc_calendar_bounds'
LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION tthc.calendar_bounds() IS 'The first and last day the working-day calendar covers';

CREATE FUNCTION tthc.due_date(received_at timestamptz, procedure_code text)
RETURNS timestamptz
LANGUAGE plpgsql STABLE PARALLEL SAFE SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    p record;
BEGIN
    IF procedure_code IS NULL THEN
        RAISE EXCEPTION 'procedure_code must not be null' USING ERRCODE = 'null_value_not_allowed';
    END IF;
    SELECT x.time_limit, x.time_unit INTO p FROM tthc.procedure x WHERE x.code = procedure_code;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'unknown procedure "%"', procedure_code
            USING ERRCODE = 'undefined_object',
                  HINT = 'Procedures are listed in tthc.procedure.';
    END IF;
    IF p.time_limit IS NULL OR received_at IS NULL THEN
        RETURN NULL;
    END IF;
    RETURN tthc.add_working_time(received_at, p.time_limit, p.time_unit);
END
$$;
COMMENT ON FUNCTION tthc.due_date(timestamptz, text) IS
    'When a dossier of this procedure received then is due (NULL when the procedure has no time limit)';

-- Calendars for this decade and the next, and the default working hours.
INSERT INTO tthc.calendar_setting DEFAULT VALUES;
SELECT tthc.fill_calendar(2015, 2035);

-- pg_dump keeps the DBA's edits; the rule rows are made again by CREATE
-- EXTENSION (see docs/calendar.md for how a restore merges the two).
SELECT pg_catalog.pg_extension_config_dump('tthc.calendar_setting', '');
SELECT pg_catalog.pg_extension_config_dump('tthc.calendar_year', 'WHERE year NOT BETWEEN 2015 AND 2035');
SELECT pg_catalog.pg_extension_config_dump('tthc.holiday', 'WHERE source = ''dba''');
SELECT pg_catalog.pg_extension_config_dump('tthc.holiday_removed', '');
SELECT pg_catalog.pg_extension_config_dump('tthc.workday', '');
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
-- ---------------------------------------------------------------------------
-- Index sets and scores (SPEC §6, INDEX-766.md, docs/scores.md).  Metrics
-- are code (src/core/metrics.c); maxima, targets, empty rules, levels,
-- groups and grades are data: an index-set document per row.
-- ---------------------------------------------------------------------------

CREATE TABLE tthc.index_set (
    id        text PRIMARY KEY CONSTRAINT index_set_id_format CHECK (id ~ '^\S{1,31}$'),
    document  jsonb NOT NULL,
    shipped   boolean NOT NULL DEFAULT false,
    loaded_at timestamptz NOT NULL DEFAULT now()
);
COMMENT ON TABLE tthc.index_set IS
    'Index-set documents (docs/index-sets.md), checked when loaded by tthc.load_index_set; shipped ones come with the extension';
-- sets a DBA loaded are kept by pg_dump; the shipped ones come back with CREATE EXTENSION
SELECT pg_catalog.pg_extension_config_dump('tthc.index_set', 'WHERE NOT shipped');

CREATE FUNCTION tthc.load_index_set(document json) RETURNS text
AS 'MODULE_PATHNAME', 'tthc_load_index_set' LANGUAGE C VOLATILE STRICT;
COMMENT ON FUNCTION tthc.load_index_set(json) IS
    'Check an index-set document and store it under its id (a set shipped with tthc cannot be replaced); returns the id';

CREATE FUNCTION tthc.index_set_criteria(index_set text DEFAULT '766')
RETURNS TABLE (ord integer, criterion text, name_vi text, name_en text, group_code text,
               portal_group text, metric text, max_points numeric, kind text, target numeric,
               empty text, top boolean, unit boolean)
AS 'MODULE_PATHNAME', 'tthc_index_set_criteria' LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION tthc.index_set_criteria(text) IS
    'The criteria of an index set; top and unit say whether it applies to ministries and provinces, and to the agencies below them';

CREATE FUNCTION tthc.index_set_groups(index_set text DEFAULT '766')
RETURNS TABLE (layout text, ord integer, code text, name_vi text, name_en text, max_points numeric)
AS 'MODULE_PATHNAME', 'tthc_index_set_groups' LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION tthc.index_set_groups(text) IS
    'The groups of an index set: layout decision (the decision''s five for 766) and portal (the portal''s six)';

CREATE FUNCTION tthc.index_set_grades(index_set text DEFAULT '766')
RETURNS TABLE (ord integer, code text, name_vi text, name_en text, min_percent numeric)
AS 'MODULE_PATHNAME', 'tthc_index_set_grades' LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION tthc.index_set_grades(text) IS 'The grade bands of an index set, highest first';

CREATE FUNCTION tthc.metric_values(agencies text[], "from" date, "to" date, "at" timestamptz,
                                   from_rows boolean DEFAULT false)
RETURNS TABLE (agency_id text, metric text, numerator numeric, denominator numeric,
               factor_numerator numeric, factor_denominator numeric)
AS 'MODULE_PATHNAME', 'tthc_metric_values' LANGUAGE C STABLE PARALLEL SAFE;
COMMENT ON FUNCTION tthc.metric_values(text[], date, date, timestamptz, boolean) IS
    'Numerator and denominator of every metric, for each agency listed (NULL: all) over its subtree, dossiers received on days from..to judged at instant at; from_rows recomputes from the rows instead of the tallies';

-- ---------------------------------------------------------------------------
-- Periods: date ranges of received days, and the evaluation time.
-- ---------------------------------------------------------------------------

-- The day it is in Vietnam.
CREATE FUNCTION tthc.today() RETURNS date
LANGUAGE sql STABLE PARALLEL SAFE SET search_path = pg_catalog, pg_temp AS $$
    SELECT (now() AT TIME ZONE 'Asia/Ho_Chi_Minh')::date
$$;

-- The instant a period ending on day "to" is judged at: the end of that
-- day, or now if now is earlier.
CREATE FUNCTION tthc.evaluation_time("to" date) RETURNS timestamptz
LANGUAGE sql STABLE STRICT PARALLEL SAFE SET search_path = pg_catalog, pg_temp AS $$
    SELECT least(now(), (("to" + 1)::timestamp AT TIME ZONE 'Asia/Ho_Chi_Minh'))
$$;
COMMENT ON FUNCTION tthc.evaluation_time(date) IS
    'When a period ending on day to is judged: the end of that day (Vietnam), or now if earlier';

-- tthc.period(kind, year, n): the received days of a period, as a daterange
-- [first, last + 1).  kind: month (n 1-12), quarter (1-4), half (1-2),
-- nine_months, year, ytd (year to date: up to today, or the year's end).
CREATE FUNCTION tthc.period(kind text, year integer, n integer DEFAULT NULL) RETURNS daterange
LANGUAGE plpgsql STABLE PARALLEL SAFE SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    first date := make_date(year, 1, 1);
BEGIN
    IF kind IS NULL OR year IS NULL THEN
        RAISE EXCEPTION 'kind and year must not be null' USING ERRCODE = 'null_value_not_allowed';
    END IF;
    IF n IS NULL AND kind IN ('month', 'quarter', 'half') THEN
        RAISE EXCEPTION 'a % needs its number n', kind USING ERRCODE = 'null_value_not_allowed',
            HINT = 'Months run 1 to 12, quarters 1 to 4, halves 1 to 2.';
    END IF;
    IF n IS DISTINCT FROM 1 AND n IS NOT NULL AND kind IN ('nine_months', 'year', 'ytd') THEN
        RAISE EXCEPTION 'a period of kind % has no number (n %)', kind, n USING ERRCODE = 'invalid_parameter_value';
    END IF;
    IF kind = 'month' AND n BETWEEN 1 AND 12 THEN
        RETURN daterange(make_date(year, n, 1), (make_date(year, n, 1) + interval '1 month')::date);
    ELSIF kind = 'quarter' AND n BETWEEN 1 AND 4 THEN
        RETURN daterange(make_date(year, 3 * n - 2, 1), (make_date(year, 3 * n - 2, 1) + interval '3 months')::date);
    ELSIF kind = 'half' AND n BETWEEN 1 AND 2 THEN
        RETURN daterange(make_date(year, 6 * n - 5, 1), (make_date(year, 6 * n - 5, 1) + interval '6 months')::date);
    ELSIF kind = 'nine_months' THEN
        RETURN daterange(first, make_date(year, 10, 1));
    ELSIF kind = 'year' THEN
        RETURN daterange(first, make_date(year + 1, 1, 1));
    ELSIF kind = 'ytd' THEN
        -- a year that has not begun has no days yet
        RETURN CASE WHEN tthc.today() < first THEN 'empty'::daterange
                    ELSE daterange(first, least(tthc.today(), make_date(year, 12, 31)) + 1) END;
    ELSIF kind IN ('month', 'quarter', 'half') THEN
        RAISE EXCEPTION 'there is no % %', kind, n USING ERRCODE = 'invalid_parameter_value',
            HINT = 'Months run 1 to 12, quarters 1 to 4, halves 1 to 2.';
    END IF;
    RAISE EXCEPTION 'unknown period kind "%"', kind USING ERRCODE = 'invalid_parameter_value',
        HINT = 'Kinds are month, quarter, half, nine_months, year and ytd.';
END
$$;
COMMENT ON FUNCTION tthc.period(text, integer, integer) IS
    'The received days of a period (month n, quarter n, half n, nine_months, year, ytd) as a daterange';

-- ---------------------------------------------------------------------------
-- Scores
-- ---------------------------------------------------------------------------

-- One row per (agency listed, criterion that applies to it).  A criterion
-- applies at the top (parent NULL) or below it as the index set says.
CREATE FUNCTION tthc.scores_of(agencies text[], "from" date, "to" date, index_set text DEFAULT '766',
                               "at" timestamptz DEFAULT NULL, from_rows boolean DEFAULT false)
RETURNS TABLE (agency_id text, criterion text, numerator numeric, denominator numeric,
               ratio numeric, points numeric, max_points numeric)
LANGUAGE sql STABLE PARALLEL SAFE SET search_path = pg_catalog, pg_temp AS $$
    SELECT v.agency_id, c.criterion, v.numerator, v.denominator, r.ratio,
           CASE WHEN c.kind = 'none' THEN 0
                WHEN r.ratio IS NULL THEN CASE c.empty WHEN 'full' THEN c.max_points ELSE 0 END
                ELSE least(c.max_points, greatest(0, c.max_points * r.ratio / coalesce(c.target, 1)))
           END,
           c.max_points
      FROM (SELECT tthc.visible_agencies() AS vis) w
     CROSS JOIN LATERAL tthc.metric_values(
               -- a login is scored only on the agencies it may see
               CASE WHEN w.vis IS NULL THEN agencies
                    ELSE ARRAY(SELECT x FROM unnest(coalesce(agencies, w.vis)) x WHERE x = ANY (w.vis)) END,
               "from", "to", coalesce("at", tthc.evaluation_time("to")), from_rows) v
      JOIN tthc.index_set_criteria(index_set) c ON c.metric = v.metric
      JOIN tthc.agency a ON a.id = v.agency_id
     CROSS JOIN LATERAL (
           SELECT CASE WHEN v.denominator = 0 THEN NULL
                       WHEN v.factor_denominator IS NULL THEN v.numerator / v.denominator
                       WHEN v.factor_denominator = 0 THEN 0
                       ELSE (v.numerator * v.factor_numerator) / (v.denominator * v.factor_denominator)
                  END AS ratio) r
     WHERE CASE WHEN a.parent_id IS NULL THEN c.top ELSE c.unit END
     ORDER BY v.agency_id, c.ord
$$;
COMMENT ON FUNCTION tthc.scores_of(text[], date, date, text, timestamptz, boolean) IS
    'Scores of the agencies listed (NULL: all), each over its subtree, per criterion; at defaults to tthc.evaluation_time(to); from_rows recomputes from raw rows';

CREATE FUNCTION tthc.scores("from" date, "to" date, index_set text DEFAULT '766')
RETURNS TABLE (agency_id text, criterion text, numerator numeric, denominator numeric,
               ratio numeric, points numeric, max_points numeric)
LANGUAGE sql STABLE PARALLEL SAFE SET search_path = pg_catalog, pg_temp AS $$
    SELECT * FROM tthc.scores_of(NULL, "from", "to", index_set)
$$;
COMMENT ON FUNCTION tthc.scores(date, date, text) IS
    'Every agency''s score over its subtree per criterion, for dossiers received on days from..to (SPEC §6)';

-- Refuse an unknown parent agency or group layout (scoreboards would else be
-- silently empty); true otherwise.
CREATE FUNCTION tthc.board_args_ok(parent text, layout text DEFAULT 'decision') RETURNS boolean
LANGUAGE plpgsql STABLE PARALLEL SAFE SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    IF parent IS NOT NULL AND NOT EXISTS (SELECT 1 FROM tthc.agency a WHERE a.id = parent) THEN
        RAISE EXCEPTION 'unknown agency "%"', parent USING ERRCODE = 'undefined_object',
            HINT = 'Agencies are listed in tthc.agency; NULL is the top level.';
    END IF;
    IF layout IS NULL OR layout NOT IN ('decision', 'portal') THEN
        RAISE EXCEPTION 'unknown group layout "%"', layout USING ERRCODE = 'invalid_parameter_value',
            HINT = 'Layouts are decision (the decision''s groups) and portal (the portal''s).';
    END IF;
    RETURN true;
END
$$;

-- The agencies directly under parent (NULL: ministries and provinces), each
-- with its group points in long form and the rank within each group.
CREATE FUNCTION tthc.scoreboard_groups("from" date, "to" date, parent text DEFAULT NULL,
                                       index_set text DEFAULT '766', layout text DEFAULT 'decision')
RETURNS TABLE (agency_id text, group_code text, group_name text, points numeric, max_points numeric,
               rank integer)
LANGUAGE sql STABLE PARALLEL SAFE SET search_path = pg_catalog, pg_temp AS $$
    WITH a AS (
        SELECT x.id, x.kind FROM tthc.agency x
         WHERE x.parent_id IS NOT DISTINCT FROM parent
           AND (SELECT tthc.board_args_ok(parent, scoreboard_groups.layout))),
    s AS (SELECT * FROM tthc.scores_of(ARRAY(SELECT a.id FROM a), "from", "to", index_set)),
    c AS (SELECT * FROM tthc.index_set_criteria(index_set)),
    g AS (SELECT * FROM tthc.index_set_groups(index_set) g WHERE g.layout = scoreboard_groups.layout),
    p AS (
        SELECT a.id, a.kind, g.code, g.name_vi, g.ord,
               coalesce(sum(s.points), 0) AS points, coalesce(sum(s.max_points), 0) AS max_points
          FROM a CROSS JOIN g
          LEFT JOIN c ON CASE scoreboard_groups.layout WHEN 'portal' THEN c.portal_group ELSE c.group_code END = g.code
          LEFT JOIN s ON s.agency_id = a.id AND s.criterion = c.criterion
         GROUP BY a.id, a.kind, g.code, g.name_vi, g.ord)
    SELECT p.id, p.code, p.name_vi, p.points, p.max_points,
           (rank() OVER (PARTITION BY p.code, CASE WHEN parent IS NULL THEN p.kind END
                         ORDER BY CASE WHEN p.max_points > 0 THEN p.points / p.max_points END DESC NULLS LAST))::integer
      FROM p
     ORDER BY p.ord, 6, p.id
$$;
COMMENT ON FUNCTION tthc.scoreboard_groups(date, date, text, text, text) IS
    'Group points of the agencies directly under parent, with their rank in each group; layout decision or portal';

-- The grade of a percentage (points / max_points * 100) in an index set.
CREATE FUNCTION tthc.grade(percent numeric, index_set text DEFAULT '766') RETURNS text
LANGUAGE plpgsql STABLE STRICT PARALLEL SAFE SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    IF percent = 'NaN' OR percent < 0 OR percent > 100 THEN
        RAISE EXCEPTION 'percent % is outside 0 to 100', percent USING ERRCODE = 'invalid_parameter_value',
            HINT = 'A grade is of points / max_points * 100.';
    END IF;
    RETURN (SELECT g.name_vi FROM tthc.index_set_grades(index_set) g
             WHERE g.min_percent <= percent ORDER BY g.min_percent DESC LIMIT 1);
END
$$;
COMMENT ON FUNCTION tthc.grade(numeric, text) IS
    'The grade (Vietnamese name) of a percentage of the reachable points: xuất sắc from 90, tốt from 80, khá from 70, trung bình from 50, else yếu (766)';

-- A criterion's score with the agency it is for: what scoreboards rank, and
-- the row type of tthc.published_score (publication_id NULL when live).
CREATE TYPE tthc.score_row AS (
    publication_id bigint,
    agency_id      text,
    agency_name    text,
    parent_id      text,
    kind           text,
    criterion      text,
    group_code     text,
    numerator      numeric,
    denominator    numeric,
    ratio          numeric,
    points         numeric,
    max_points     numeric
);

-- ---------------------------------------------------------------------------
-- Ranking
-- ---------------------------------------------------------------------------

-- Scoreboards from score rows: each agency once, with its total, percent
-- of its reachable points, grade and group points, ranked among the
-- agencies of the same parent (at the top, ministries and provinces apart)
-- by competition ranking on the percent.  The arithmetic is
-- tthc.scoreboard's, on rows given rather than computed: tthc.publish ranks
-- the rows it freezes with it, and the live JSON and HTML the rows they
-- computed once.  An internal helper; the layout of its argument is
-- tthc.published_score's (publication_id may be NULL).
CREATE FUNCTION tthc.rank_scores(scores tthc.score_row[], index_set text)
RETURNS TABLE (parent_id text, agency_id text, agency_name text, kind text, rank integer,
               points numeric, max_points numeric, percent numeric, grade text, grade_code text,
               groups jsonb)
LANGUAGE sql STABLE PARALLEL SAFE SET search_path = pg_catalog, pg_temp AS $$
    WITH s AS (SELECT * FROM unnest(scores)),
    g AS MATERIALIZED (SELECT * FROM tthc.index_set_grades(index_set)),
    t AS (
        SELECT s.parent_id, s.agency_id, s.agency_name, s.kind,
               coalesce(sum(s.points), 0) AS points, coalesce(sum(s.max_points), 0) AS max_points
          FROM s GROUP BY 1, 2, 3, 4),
    gp AS (
        SELECT x.agency_id, jsonb_object_agg(x.group_code, x.points) AS groups
          FROM (SELECT s.agency_id, s.group_code, sum(s.points) AS points FROM s GROUP BY 1, 2) x
         GROUP BY 1),
    p AS (SELECT t.*, gp.groups, CASE WHEN t.max_points > 0 THEN 100 * t.points / t.max_points END AS percent
            FROM t LEFT JOIN gp ON gp.agency_id = t.agency_id)
    SELECT p.parent_id, p.agency_id, p.agency_name, p.kind,
           (rank() OVER (PARTITION BY p.parent_id, CASE WHEN p.parent_id IS NULL THEN p.kind END
                         ORDER BY p.percent DESC NULLS LAST))::integer,
           p.points, p.max_points, p.percent, gr.name_vi, gr.code, p.groups
      FROM p
      LEFT JOIN LATERAL (SELECT g.name_vi, g.code FROM g
                          WHERE g.min_percent <= p.percent ORDER BY g.min_percent DESC LIMIT 1) gr ON true
$$;
COMMENT ON FUNCTION tthc.rank_scores(tthc.score_row[], text) IS
    'Internal: scoreboards (every parent''s) ranked from score rows as tthc.scoreboard ranks them';

CREATE FUNCTION tthc.scoreboard("from" date, "to" date, parent text DEFAULT NULL, index_set text DEFAULT '766')
RETURNS TABLE (rank integer, agency_id text, name text, kind text, points numeric, max_points numeric,
               percent numeric, grade text, grade_code text, groups jsonb)
LANGUAGE sql STABLE PARALLEL SAFE SET search_path = pg_catalog, pg_temp AS $$
    SELECT r.rank, r.agency_id, r.agency_name, r.kind, r.points, r.max_points, r.percent, r.grade,
           r.grade_code, r.groups
      FROM tthc.rank_scores(ARRAY(
               SELECT ROW(NULL, a.id, a.name, a.parent_id, a.kind, s.criterion, c.group_code, s.numerator,
                          s.denominator, s.ratio, s.points, s.max_points)::tthc.score_row
                 FROM tthc.scores_of(ARRAY(SELECT x.id FROM tthc.agency x
                                            WHERE x.parent_id IS NOT DISTINCT FROM parent
                                              AND (SELECT tthc.board_args_ok(parent))),
                                     "from", "to", index_set) s
                 JOIN tthc.agency a ON a.id = s.agency_id
                 JOIN tthc.index_set_criteria(index_set) c ON c.criterion = s.criterion), index_set) r
     ORDER BY r.kind, r.rank, r.agency_id
$$;
COMMENT ON FUNCTION tthc.scoreboard(date, date, text, text) IS
    'The agencies directly under parent (NULL: ministries and provinces, ranked by kind), ranked by points / max_points, with grades and group points';

-- Views a reporting tool can point at without calling a function: the
-- national scoreboards (ministries and provinces) and every agency's
-- criteria, for this month and for the year to date, judged now.
CREATE VIEW tthc.scoreboard_this_month AS
SELECT s.* FROM tthc.scoreboard(date_trunc('month', tthc.today())::date, tthc.today()) s;
COMMENT ON VIEW tthc.scoreboard_this_month IS 'Ministries and provinces ranked on the 766 index, dossiers received this month, judged now';

CREATE VIEW tthc.scoreboard_this_year AS
SELECT s.* FROM tthc.scoreboard(date_trunc('year', tthc.today())::date, tthc.today()) s;
COMMENT ON VIEW tthc.scoreboard_this_year IS 'Ministries and provinces ranked on the 766 index, year to date, judged now';

CREATE VIEW tthc.scores_this_month AS
SELECT a.name, s.* FROM tthc.scores(date_trunc('month', tthc.today())::date, tthc.today()) s
  JOIN tthc.agency a ON a.id = s.agency_id;
COMMENT ON VIEW tthc.scores_this_month IS 'Every agency''s criteria on the 766 index, dossiers received this month, judged now';

CREATE VIEW tthc.scores_this_year AS
SELECT a.name, s.* FROM tthc.scores(date_trunc('year', tthc.today())::date, tthc.today()) s
  JOIN tthc.agency a ON a.id = s.agency_id;
COMMENT ON VIEW tthc.scores_this_year IS 'Every agency''s criteria on the 766 index, year to date, judged now';
-- ---------------------------------------------------------------------------
-- Explanations and early warning (docs/scores.md): the rows behind a
-- criterion with the reason each one failed, an agency's criteria by points
-- lost, the open dossiers about to become late, and alerts on a channel.
-- ---------------------------------------------------------------------------

CREATE FUNCTION tthc.step_lateness(s tthc.dossier_step, "at" timestamptz DEFAULT now(),
                                   OUT late boolean, OUT working_days_late integer)
AS 'MODULE_PATHNAME', 'tthc_step_lateness_sql' LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION tthc.step_lateness(tthc.dossier_step, timestamptz) IS
    'Is an inter-agency step late at instant at, and by how many working days (each started working day counts)';

CREATE FUNCTION tthc.late_days(d tthc.dossier, "at" timestamptz DEFAULT now(),
                               OUT late boolean, OUT working_days_late integer)
AS 'MODULE_PATHNAME', 'tthc_dossier_late_days' LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION tthc.late_days(tthc.dossier, timestamptz) IS
    'Is a dossier late at instant at, and by how many working days (each started working day counts)';

CREATE FUNCTION tthc.late_limit(f tthc.feedback) RETURNS text
AS 'MODULE_PATHNAME', 'tthc_feedback_late_limit' LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION tthc.late_limit(tthc.feedback) IS
    'The limit of criterion 5.1 that makes a feedback item late: refusal, supplement, handling or publication (NULL: none)';

CREATE FUNCTION tthc.announcement_status(ministry boolean, decided_on date, basis_effective_on date,
                                         published_on date, "from" date, "to" date) RETURNS integer
AS 'MODULE_PATHNAME', 'tthc_announcement_status' LANGUAGE C STABLE PARALLEL SAFE;
COMMENT ON FUNCTION tthc.announcement_status(boolean, date, date, date, date, date) IS
    'Bits of an announcement for criteria 1.1 and 1.2 over a period: 128 announced, 256 late, 512 due for publication, 1024 published late or not at all';

-- The step at fault for a dossier's delay: the late step with the most
-- working days late, the earliest among equals.
CREATE FUNCTION tthc.step_at_fault(dossier_code text, "at" timestamptz DEFAULT now(),
                                   OUT seq integer, OUT agency_id text, OUT officer text,
                                   OUT working_days_late integer)
LANGUAGE sql STABLE PARALLEL SAFE SET search_path = pg_catalog, pg_temp AS $$
    SELECT s.seq, s.agency_id, s.officer, l.working_days_late
      FROM tthc.dossier_step s, tthc.step_lateness(s, "at") l
     WHERE s.dossier_code = step_at_fault.dossier_code AND l.late
     ORDER BY l.working_days_late DESC, s.seq
     LIMIT 1
$$;
COMMENT ON FUNCTION tthc.step_at_fault(text, timestamptz) IS
    'The inter-agency step (and its agency and officer) a dossier''s delay is charged to: the late step with the most working days late';

-- The rows behind a criterion for an agency's subtree and a period: every
-- item of the denominator, whether the numerator counts it, and why not.
CREATE FUNCTION tthc.explain(agency text, criterion text, "from" date, "to" date,
                             index_set text DEFAULT '766', "at" timestamptz DEFAULT NULL)
RETURNS TABLE (item_kind text, item text, agency_id text, procedure_code text, counted boolean,
               reason text, working_days_late integer, fault_agency text, fault_step integer)
LANGUAGE plpgsql STABLE PARALLEL SAFE SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    m text;
    t timestamptz;
    sub text[];
    lo timestamptz := ("from"::timestamp AT TIME ZONE 'Asia/Ho_Chi_Minh');
    hi timestamptz := (("to" + 1)::timestamp AT TIME ZONE 'Asia/Ho_Chi_Minh');
BEGIN
    IF agency IS NULL OR criterion IS NULL OR "from" IS NULL OR "to" IS NULL THEN
        RAISE EXCEPTION 'agency, criterion, from and to must not be null' USING ERRCODE = 'null_value_not_allowed';
    END IF;
    IF "from" > "to" THEN
        RAISE EXCEPTION 'from % is after to %', "from", "to" USING ERRCODE = 'invalid_parameter_value';
    END IF;
    SELECT c.metric INTO m FROM tthc.index_set_criteria(index_set) c WHERE c.criterion = explain.criterion;
    IF m IS NULL THEN
        RAISE EXCEPTION 'index set "%" has no criterion "%"', index_set, criterion
            USING ERRCODE = 'invalid_parameter_value', HINT = 'tthc.index_set_criteria(index_set) lists them.';
    END IF;
    t := coalesce("at", tthc.evaluation_time("to"));
    sub := ARRAY(SELECT s.id FROM tthc.agency_subtree(agency) s);

    IF m IN ('synced', 'not_late', 'handling_time', 'online_dossiers', 'paid_online', 'e_result', 'digitized',
             'e_certified_copy', 'reused_data', 'personal_store', 'population_db', 'satisfied') THEN
        RETURN QUERY
        SELECT 'dossier', d.code, d.agency_id, d.procedure_code, x.counted,
               CASE WHEN NOT x.counted OR m = 'handling_time' THEN x.reason END,
               CASE WHEN lm.late_matters THEN l.working_days_late END,
               CASE WHEN lm.late_matters THEN f.agency_id END, CASE WHEN lm.late_matters THEN f.seq END
          FROM tthc.dossier d
          JOIN tthc.procedure p ON p.code = d.procedure_code
         CROSS JOIN LATERAL (SELECT tthc.dossier_counters(d, t)::jsonb AS c) k
         CROSS JOIN LATERAL tthc.late_days(d, t) l
          LEFT JOIN LATERAL tthc.step_at_fault(d.code, t) f ON l.late
         CROSS JOIN LATERAL (SELECT l.late AND m IN ('not_late', 'satisfied') AS late_matters) lm
         CROSS JOIN LATERAL (
               SELECT CASE m WHEN 'paid_online' THEN p.fee_required AND (k.c->>'with_fee')::int = 1
                             WHEN 'e_result' THEN p.paper_result
                             WHEN 'e_certified_copy' THEN p.is_certification
                             WHEN 'handling_time' THEN (k.c->>'finished')::int = 1
                             ELSE true END AS in_den,
                      CASE m WHEN 'synced' THEN (k.c->>'synced')::int = 1
                             WHEN 'not_late' THEN (k.c->>'late')::int = 0
                             WHEN 'handling_time' THEN true
                             WHEN 'online_dossiers' THEN (k.c->>CASE WHEN p.paper_result THEN 'online_e_result' ELSE 'online' END)::int = 1
                             WHEN 'paid_online' THEN (k.c->>'paid_online')::int = 1
                             WHEN 'e_result' THEN (k.c->>'e_result')::int = 1
                             WHEN 'digitized' THEN (k.c->>CASE WHEN p.paper_result THEN 'digitized_e_result' ELSE 'digitized' END)::int = 1
                             WHEN 'e_certified_copy' THEN (k.c->>'e_certified_copy')::int = 1
                             WHEN 'reused_data' THEN (k.c->>'reused_data')::int = 1
                             WHEN 'personal_store' THEN (k.c->>'personal_store')::int = 1
                             WHEN 'population_db' THEN (k.c->>'population_db')::int = 1
                             WHEN 'satisfied' THEN (k.c->>'late_or_unsatisfied')::int = 0 END AS counted,
                      CASE m WHEN 'synced' THEN 'not synced to the national portal'
                             WHEN 'not_late' THEN 'late by ' || l.working_days_late || ' working day(s)'
                                 || coalesce(', at step ' || f.seq || ' of ' || f.agency_id, '')
                             WHEN 'handling_time' THEN 'handled in '
                                 || round((k.c->>'work_usecs')::numeric
                                          / extract(epoch FROM (SELECT (s.morning_end - s.morning_start)
                                                                       + (s.afternoon_end - s.afternoon_start)
                                                                  FROM tthc.calendar_setting s)) / 1e6, 2)
                                 || ' working day(s)'
                             WHEN 'online_dossiers' THEN CASE WHEN (k.c->>'online')::int = 0
                                 THEN 'not received online' ELSE 'online, but no electronic result for a paper-result procedure' END
                             WHEN 'paid_online' THEN 'fee not paid online'
                             WHEN 'e_result' THEN 'no electronic result'
                             WHEN 'digitized' THEN CASE WHEN (k.c->>'digitized')::int = 0
                                 THEN 'components not digitised' ELSE 'digitised, but no electronic result' END
                             WHEN 'e_certified_copy' THEN 'no electronic certified copy issued'
                             WHEN 'reused_data' THEN 'no digitised component reused'
                             WHEN 'personal_store' THEN 'the personal data store was not used'
                             WHEN 'population_db' THEN 'not verified against the population database'
                             WHEN 'satisfied' THEN concat_ws('; ',
                                 CASE WHEN l.late THEN 'late by ' || l.working_days_late || ' working day(s)'
                                      || coalesce(', at step ' || f.seq || ' of ' || f.agency_id, '') END,
                                 CASE WHEN d.rating = -1 THEN 'rated unsatisfied' END,
                                 CASE WHEN d.has_feedback THEN 'feedback about it' END) END AS reason) x
         WHERE d.agency_id = ANY (sub) AND d.received_at >= lo AND d.received_at < hi
           AND (k.c->>'received')::int = 1 AND x.in_den
         ORDER BY x.counted, d.received_at, d.code;

    ELSIF m IN ('feedback_on_time', 'feedback_satisfied', 'feedback_by_category') THEN
        RETURN QUERY
        SELECT 'feedback', fb.id, fb.agency_id, NULL::text, x.counted, CASE WHEN NOT x.counted THEN x.reason END,
               NULL::integer, NULL::text, NULL::integer
          FROM tthc.feedback fb
         CROSS JOIN LATERAL (SELECT tthc.feedback_counters(fb, t)::jsonb AS c) k
         CROSS JOIN LATERAL (
               SELECT CASE m WHEN 'feedback_on_time' THEN (k.c->>'fb_late')::int = 0
                             WHEN 'feedback_satisfied' THEN (k.c->>'fb_late_or_unsatisfied')::int = 0
                             ELSE fb.category IS NOT NULL END AS counted,
                      CASE m WHEN 'feedback_by_category' THEN 'no category'
                             ELSE concat_ws('; ',
                                 CASE WHEN (k.c->>'fb_late')::int = 1 THEN 'late: its ' || tthc.late_limit(fb) || ' limit passed' END,
                                 CASE WHEN m = 'feedback_satisfied' AND fb.dislikes > fb.likes THEN 'more dislikes than likes' END,
                                 CASE WHEN m = 'feedback_satisfied' AND fb.raised_again THEN 'raised again' END) END AS reason) x
         WHERE fb.agency_id = ANY (sub) AND fb.received_at >= lo AND fb.received_at < hi
           AND (k.c->>'fb_received')::int = 1
         ORDER BY x.counted, fb.received_at, fb.id;

    ELSIF m = 'online_services_used' THEN
        RETURN QUERY
        SELECT 'service', s.agency_id || ' ' || s.procedure_code, s.agency_id, s.procedure_code, u.used,
               CASE WHEN NOT u.used THEN 'offered online (' || s.online_level || '), but no online dossier in the period' END,
               NULL::integer, NULL::text, NULL::integer
          FROM tthc.service s
         CROSS JOIN LATERAL (
               SELECT EXISTS (SELECT 1 FROM tthc.dossier d
                               WHERE d.agency_id = s.agency_id AND d.procedure_code = s.procedure_code
                                 AND d.received_at >= lo AND d.received_at < hi AND d.channel = 2
                                 AND d.status <> 1) AS used) u
         WHERE s.agency_id = ANY (sub) AND s.online_level IS NOT NULL
         ORDER BY u.used, s.agency_id, s.procedure_code;

    ELSIF m IN ('offered_online', 'published_complete', 'fee_procedures_synced', 'fee_procedures_paid_online',
                'population_db_procedures') THEN
        RETURN QUERY
        WITH comp AS (
            SELECT s.procedure_code, bool_or(s.online_level IS NOT NULL) AS online
              FROM tthc.service s WHERE s.agency_id = ANY (sub) GROUP BY 1),
        dos AS (
            SELECT d.procedure_code,
                   bool_or(d.synced_at IS NOT NULL AND d.fee > 0) AS synced_fee,
                   bool_or(d.fee > 0 AND d.paid_online IN (1, 2)) AS paid_online,
                   bool_or(d.population_db) AS population_db
              FROM tthc.dossier d
             WHERE d.agency_id = ANY (sub) AND d.received_at >= lo AND d.received_at < hi AND d.status <> 1
             GROUP BY 1),
        known AS (
            SELECT p.*, c.procedure_code IS NOT NULL AS in_competence, coalesce(c.online, false) AS online,
                   o.procedure_code IS NOT NULL AS has_dossiers, coalesce(o.synced_fee, false) AS synced_fee,
                   coalesce(o.paid_online, false) AS paid, coalesce(o.population_db, false) AS popdb
              FROM tthc.procedure p
              LEFT JOIN comp c ON c.procedure_code = p.code
              LEFT JOIN dos o ON o.procedure_code = p.code
             WHERE c.procedure_code IS NOT NULL OR o.procedure_code IS NOT NULL)
        SELECT 'procedure', k.code, NULL::text, k.code, x.counted, CASE WHEN NOT x.counted THEN x.reason END,
               NULL::integer, NULL::text, NULL::integer
          FROM known k
         CROSS JOIN LATERAL (
               SELECT CASE m WHEN 'offered_online' THEN k.in_competence
                             WHEN 'published_complete' THEN k.in_competence
                             WHEN 'fee_procedures_synced' THEN k.fee_required
                             WHEN 'fee_procedures_paid_online' THEN k.fee_required AND k.has_dossiers
                             ELSE k.for_citizens END AS in_den,
                      CASE m WHEN 'offered_online' THEN k.online
                             WHEN 'published_complete' THEN k.parts_complete
                             WHEN 'fee_procedures_synced' THEN k.synced_fee
                             WHEN 'fee_procedures_paid_online' THEN k.paid
                             ELSE k.popdb END AS counted,
                      CASE m WHEN 'offered_online' THEN 'not offered online by any unit'
                             WHEN 'published_complete' THEN 'its public record lacks some of the 7 parts'
                             WHEN 'fee_procedures_synced' THEN 'no dossier synced with fee data in the period'
                             WHEN 'fee_procedures_paid_online' THEN 'no dossier paid online in the period'
                             ELSE 'no dossier verified against the population database in the period' END AS reason) x
         WHERE x.in_den
         ORDER BY x.counted, k.code;

    ELSIF m IN ('announced_on_time', 'published_on_time') THEN
        RETURN QUERY
        SELECT 'announcement', a.id::text, a.agency_id, a.procedure_code, x.counted,
               CASE WHEN NOT x.counted THEN x.reason END, NULL::integer, NULL::text, NULL::integer
          FROM tthc.announcement a
         CROSS JOIN LATERAL (
               SELECT tthc.announcement_status(
                          (SELECT t2.kind = 'ministry' FROM tthc.agency_ancestors(a.agency_id) t2
                            ORDER BY t2.depth DESC LIMIT 1),
                          a.decided_on, a.basis_effective_on, a.published_on, "from", "to") AS bits) b
         CROSS JOIN LATERAL (
               SELECT CASE m WHEN 'announced_on_time' THEN b.bits & 128 <> 0 ELSE b.bits & 512 <> 0 END AS in_den,
                      CASE m WHEN 'announced_on_time' THEN b.bits & 256 = 0 ELSE b.bits & 1024 = 0 END AS counted,
                      CASE m WHEN 'announced_on_time' THEN 'announced too close to the day its legal basis takes effect'
                             WHEN 'published_on_time' THEN CASE WHEN a.published_on IS NULL OR a.published_on > "to"
                                 THEN 'not published on the national database' ELSE 'published late on the national database' END
                      END AS reason) x
         WHERE a.agency_id = ANY (sub) AND a.decided_on <= "to" AND x.in_den
         ORDER BY x.counted, a.decided_on, a.id;

    ELSE
        -- synced (1.4) is explained dossier by dossier above; nothing else is left
        RAISE EXCEPTION 'no explanation for metric "%"', m USING ERRCODE = 'feature_not_supported';
    END IF;
END
$$;
COMMENT ON FUNCTION tthc.explain(text, text, date, date, text, timestamptz) IS
    'The dossiers, feedback items, services, procedures or announcements behind a criterion for an agency''s subtree and a period, whether each counts, and why not';

-- An agency's criteria ordered by the points they lose: its weaknesses
-- first, its strengths last.
CREATE FUNCTION tthc.strengths(agency text, "from" date, "to" date, index_set text DEFAULT '766')
RETURNS TABLE (criterion text, name_vi text, points numeric, max_points numeric, points_lost numeric, ratio numeric)
LANGUAGE sql STABLE STRICT PARALLEL SAFE SET search_path = pg_catalog, pg_temp AS $$
    SELECT s.criterion, c.name_vi, s.points, s.max_points, s.max_points - s.points, s.ratio
      FROM tthc.scores_of(ARRAY[agency], "from", "to", index_set) s
      JOIN tthc.index_set_criteria(index_set) c ON c.criterion = s.criterion
     WHERE c.kind <> 'none'
     ORDER BY s.max_points - s.points DESC, c.ord
$$;
COMMENT ON FUNCTION tthc.strengths(text, date, date, text) IS
    'An agency''s criteria ordered by points lost: weaknesses first, strengths last';

-- Early warning: the open dossiers of an agency's subtree that become late
-- within the horizon, soonest first, and the points their lateness would
-- cost the agency on its scores for their month of receipt (2.1 and 5.3).
CREATE FUNCTION tthc.at_risk_rows(agency text, horizon interval, index_set text)
RETURNS TABLE (dossier_code text, agency_id text, procedure_code text, received_at timestamptz,
               due_at timestamptz, late_from timestamptz, time_left interval, points_at_stake numeric)
LANGUAGE sql STABLE PARALLEL SAFE SET search_path = pg_catalog, pg_temp AS $$
    WITH risky AS (
        SELECT d.code, d.agency_id, d.procedure_code, d.received_at, d.due_at, d.rating, d.has_feedback,
               l.lf, date_trunc('month', d.received_at AT TIME ZONE 'Asia/Ho_Chi_Minh')::date AS month
          FROM tthc.dossier d
         CROSS JOIN LATERAL (SELECT tthc.late_from(d) AS lf) l
         WHERE d.agency_id IN (SELECT s.id FROM tthc.agency_subtree(agency) s)
           AND coalesce(d.finished_at, d.returned_at, d.ended_at) IS NULL
           AND l.lf > now() AND l.lf <= now() + horizon),
    sc AS (
        SELECT mo.month, c.metric, s.numerator, s.denominator, s.max_points, c.kind, coalesce(c.target, 1) AS target
          FROM (SELECT DISTINCT r.month FROM risky r) mo
         CROSS JOIN LATERAL tthc.scores_of(ARRAY[agency], mo.month,
                                           (mo.month + interval '1 month - 1 day')::date, index_set) s
          JOIN tthc.index_set_criteria(index_set) c ON c.criterion = s.criterion
         WHERE c.metric IN ('not_late', 'satisfied') AND c.kind <> 'none' AND s.denominator > 0)
    SELECT r.code, r.agency_id, r.procedure_code, r.received_at, r.due_at, r.lf, r.lf - now(),
           coalesce((SELECT sum(least(sc.max_points, sc.max_points * sc.numerator / sc.denominator / sc.target)
                              - least(sc.max_points, sc.max_points * (sc.numerator - 1) / sc.denominator / sc.target))
                       FROM sc
                      WHERE sc.month = r.month
                        AND (sc.metric = 'not_late' OR (r.rating IS DISTINCT FROM -1 AND NOT r.has_feedback))), 0)
      FROM risky r
     ORDER BY r.lf, r.code
$$;
COMMENT ON FUNCTION tthc.at_risk_rows(text, interval, text) IS 'Internal: the rows of tthc.at_risk, its arguments checked';

CREATE FUNCTION tthc.at_risk(agency text, horizon interval, index_set text DEFAULT '766')
RETURNS TABLE (dossier_code text, agency_id text, procedure_code text, received_at timestamptz,
               due_at timestamptz, late_from timestamptz, time_left interval, points_at_stake numeric)
LANGUAGE plpgsql STABLE PARALLEL SAFE SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    IF agency IS NULL OR horizon IS NULL OR index_set IS NULL THEN
        RAISE EXCEPTION 'agency, horizon and index_set must not be null' USING ERRCODE = 'null_value_not_allowed';
    END IF;
    IF horizon < interval '0' THEN
        RAISE EXCEPTION 'horizon % is negative', horizon USING ERRCODE = 'invalid_parameter_value',
            HINT = 'The horizon is how far ahead to look, like interval ''2 days''.';
    END IF;
    -- the agency and the index set are checked even when nothing is at risk
    PERFORM FROM tthc.agency_subtree(agency) LIMIT 1;
    PERFORM FROM tthc.index_set_criteria(index_set) LIMIT 1;
    RETURN QUERY SELECT * FROM tthc.at_risk_rows(agency, horizon, index_set);
END
$$;
COMMENT ON FUNCTION tthc.at_risk(text, interval, text) IS
    'Open dossiers of an agency''s subtree that become late within the horizon, soonest first, with the points their lateness would cost the agency for their month of receipt';

-- Alerts: NOTIFY a channel when an agency's live total (this month or the
-- year to date) falls below a threshold.  tthc.check_alerts() evaluates
-- them; schedule it (cron, pg_cron) as often as the alerts should be fresh.
CREATE TABLE tthc.alert (
    id          bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
    agency_id   text NOT NULL REFERENCES tthc.agency (id) ON UPDATE CASCADE ON DELETE CASCADE,
    period      text NOT NULL DEFAULT 'month' CONSTRAINT alert_period_known CHECK (period IN ('month', 'year')),
    threshold   numeric NOT NULL CONSTRAINT alert_threshold_range CHECK (threshold BETWEEN 0 AND 100),
    channel     text NOT NULL CONSTRAINT alert_channel_name CHECK (channel ~ '^[a-z_][a-z0-9_]{0,62}$'),
    index_set   text NOT NULL DEFAULT '766' REFERENCES tthc.index_set (id) ON UPDATE CASCADE,
    below       boolean NOT NULL DEFAULT false,
    checked_at  timestamptz,
    last_points numeric
);
COMMENT ON TABLE tthc.alert IS
    'Notify channel when the agency''s live total points for the period (this month, or the year to date) fall below threshold; below remembers the last state, so each crossing notifies once';
SELECT pg_catalog.pg_extension_config_dump('tthc.alert', '');
SELECT pg_catalog.pg_extension_config_dump('tthc.alert_id_seq', '');

CREATE FUNCTION tthc.check_alerts()
RETURNS TABLE (alert_id bigint, agency_id text, points numeric, threshold numeric, notified boolean)
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    a tthc.alert;
    p numeric;
    today date := tthc.today();
    f date;
BEGIN
    FOR a IN SELECT * FROM tthc.alert ORDER BY id FOR UPDATE SKIP LOCKED LOOP
        f := CASE a.period WHEN 'month' THEN date_trunc('month', today)::date ELSE date_trunc('year', today)::date END;
        SELECT coalesce(sum(s.points), 0) INTO p FROM tthc.scores_of(ARRAY[a.agency_id], f, today, a.index_set) s;
        alert_id := a.id; agency_id := a.agency_id; points := p; threshold := a.threshold;
        notified := p < a.threshold AND NOT a.below;
        IF notified THEN
            PERFORM pg_notify(a.channel, json_build_object('alert', a.id, 'agency', a.agency_id, 'period', a.period,
                                                           'points', p, 'threshold', a.threshold,
                                                           'from', f, 'to', today)::text);
        END IF;
        UPDATE tthc.alert x SET below = p < a.threshold, checked_at = now(), last_points = p WHERE x.id = a.id;
        RETURN NEXT;
    END LOOP;
END
$$;
COMMENT ON FUNCTION tthc.check_alerts() IS
    'Evaluate every alert on the live scores and NOTIFY its channel (a JSON payload) when an agency''s total has just fallen below its threshold; schedule it';
-- ---------------------------------------------------------------------------
-- Publication (SPEC §6, docs/publication.md): a period's results frozen as
-- a copy, that later changes of dossiers, feedback, the catalogue, the
-- agency tree or the index set never alter; and scoreboards for portals, as
-- a JSON document and a self-contained HTML page (src/publish.c), of the
-- live scores or of a publication.
-- ---------------------------------------------------------------------------

CREATE TABLE tthc.publication (
    id             bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
    label          text NOT NULL CONSTRAINT publication_label_key UNIQUE
                   CONSTRAINT publication_label_not_blank CHECK (btrim(label) <> ''),
    from_day       date NOT NULL,
    to_day         date NOT NULL,
    index_set      text NOT NULL,
    index_document jsonb NOT NULL,
    evaluated_at   timestamptz NOT NULL,
    published_at   timestamptz NOT NULL DEFAULT now(),
    published_by   text NOT NULL DEFAULT current_user,
    rank_rows      integer NOT NULL CONSTRAINT publication_rank_rows_not_negative CHECK (rank_rows >= 0),
    score_rows     integer NOT NULL CONSTRAINT publication_score_rows_not_negative CHECK (score_rows >= 0),
    CONSTRAINT publication_period CHECK (from_day <= to_day)
);
COMMENT ON TABLE tthc.publication IS
    'Published periods (tthc.publish): frozen, never updated; deleted whole only by tthc.unpublish';
COMMENT ON COLUMN tthc.publication.index_document IS
    'A copy of the index-set document the scores were computed with';
COMMENT ON COLUMN tthc.publication.evaluated_at IS
    'The instant open dossiers were judged at: the at given to tthc.publish, else tthc.evaluation_time(to_day)';
COMMENT ON COLUMN tthc.publication.rank_rows IS
    'The rows of tthc.published_rank it has: no row can be added to a publication afterwards';
COMMENT ON COLUMN tthc.publication.score_rows IS
    'The rows of tthc.published_score it has: no row can be added to a publication afterwards';

-- Every agency's criteria, with the agency's name, parent and kind as they
-- were: a later rename, re-parenting or deletion of the agency does not
-- reach a publication (no foreign key to tthc.agency, on purpose).
CREATE TABLE tthc.published_score OF tthc.score_row (
    publication_id WITH OPTIONS NOT NULL REFERENCES tthc.publication (id) ON DELETE CASCADE,
    agency_id      WITH OPTIONS NOT NULL,
    agency_name    WITH OPTIONS NOT NULL,
    kind           WITH OPTIONS NOT NULL,
    criterion      WITH OPTIONS NOT NULL,
    group_code     WITH OPTIONS NOT NULL,
    numerator      WITH OPTIONS NOT NULL,
    denominator    WITH OPTIONS NOT NULL,
    points         WITH OPTIONS NOT NULL,
    max_points     WITH OPTIONS NOT NULL,
    PRIMARY KEY (publication_id, agency_id, criterion)
);
COMMENT ON TABLE tthc.published_score IS
    'Each agency''s score per criterion in a publication (tthc.scores_of over its subtree), frozen';

-- The scoreboards: every agency once, ranked among the agencies of its
-- parent (parent_id NULL: the top level, ministries and provinces ranked
-- apart), as tthc.scoreboard ranks them.
CREATE TABLE tthc.published_rank (
    publication_id bigint NOT NULL REFERENCES tthc.publication (id) ON DELETE CASCADE,
    parent_id      text,
    agency_id      text NOT NULL,
    agency_name    text NOT NULL,
    kind           text NOT NULL,
    rank           integer NOT NULL,
    points         numeric NOT NULL,
    max_points     numeric NOT NULL,
    percent        numeric,
    grade          text,
    grade_code     text,
    groups         jsonb,
    PRIMARY KEY (publication_id, agency_id)
);
CREATE INDEX published_rank_board_idx ON tthc.published_rank (publication_id, parent_id, rank);
COMMENT ON TABLE tthc.published_rank IS
    'The scoreboards of a publication: each agency ranked under its parent (NULL: ministries and provinces, by kind), frozen';
COMMENT ON COLUMN tthc.published_rank.groups IS
    'Points per group of the index set (decision layout), as in tthc.scoreboard';

-- Publications withdrawn by tthc.unpublish: who, when and why.
CREATE TABLE tthc.unpublished (
    publication_id bigint PRIMARY KEY,
    label          text NOT NULL,
    from_day       date NOT NULL,
    to_day         date NOT NULL,
    index_set      text NOT NULL,
    evaluated_at   timestamptz NOT NULL,
    published_at   timestamptz NOT NULL,
    published_by   text NOT NULL,
    unpublished_at timestamptz NOT NULL DEFAULT now(),
    unpublished_by text NOT NULL DEFAULT current_user,
    reason         text NOT NULL CONSTRAINT unpublished_reason_not_blank CHECK (btrim(reason) <> '')
);
COMMENT ON TABLE tthc.unpublished IS
    'The log of publications withdrawn with tthc.unpublish, and why; never changed';

SELECT pg_catalog.pg_extension_config_dump('tthc.publication', '');
SELECT pg_catalog.pg_extension_config_dump('tthc.publication_id_seq', '');
SELECT pg_catalog.pg_extension_config_dump('tthc.published_score', '');
SELECT pg_catalog.pg_extension_config_dump('tthc.published_rank', '');
SELECT pg_catalog.pg_extension_config_dump('tthc.unpublished', '');

-- ---------------------------------------------------------------------------
-- Immutability.  UPDATE and TRUNCATE are always refused.  DELETE only of a
-- whole publication already logged in tthc.unpublished (tthc.unpublish logs
-- it, then deletes it): its row, and its other rows as the foreign keys'
-- cascade deletes them (a nested statement).  INSERT stays open, because
-- pg_dump restores these tables with COPY; but no row can be added to a
-- publication beyond the counts it recorded.
-- ---------------------------------------------------------------------------

CREATE FUNCTION tthc.publication_refuse() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    pid bigint;
BEGIN
    IF TG_LEVEL = 'ROW' THEN
        IF TG_TABLE_NAME = 'publication' THEN
            pid := OLD.id;
        ELSE
            pid := OLD.publication_id;
        END IF;
    END IF;
    IF TG_OP = 'DELETE' AND TG_TABLE_NAME <> 'unpublished'
       AND (TG_TABLE_NAME = 'publication' OR pg_catalog.pg_trigger_depth() > 1)
       AND EXISTS (SELECT 1 FROM tthc.unpublished u WHERE u.publication_id = pid) THEN
        RETURN OLD;
    END IF;
    IF TG_TABLE_NAME = 'unpublished' THEN
        RAISE EXCEPTION 'the log of withdrawn publications cannot be changed'
            USING ERRCODE = 'object_not_in_prerequisite_state',
                  DETAIL = pg_catalog.format('%s on tthc.unpublished.', TG_OP);
    END IF;
    RAISE EXCEPTION 'published results cannot be changed'
        USING ERRCODE = 'object_not_in_prerequisite_state',
              DETAIL = CASE WHEN TG_LEVEL = 'ROW'
                            THEN pg_catalog.format('%s of a row of publication %s in tthc.%s.',
                                                   TG_OP, pid, TG_TABLE_NAME)
                            ELSE pg_catalog.format('%s of tthc.%s.', TG_OP, TG_TABLE_NAME) END,
              HINT = 'A publication is a frozen copy: publish the period again under another label, '
                     'or withdraw a whole publication with tthc.unpublish(id, reason).';
END
$$;

CREATE TRIGGER publication_frozen BEFORE UPDATE OR DELETE ON tthc.publication
    FOR EACH ROW EXECUTE FUNCTION tthc.publication_refuse();
CREATE TRIGGER publication_no_truncate BEFORE TRUNCATE ON tthc.publication
    FOR EACH STATEMENT EXECUTE FUNCTION tthc.publication_refuse();
CREATE TRIGGER published_score_frozen BEFORE UPDATE OR DELETE ON tthc.published_score
    FOR EACH ROW EXECUTE FUNCTION tthc.publication_refuse();
CREATE TRIGGER published_score_no_truncate BEFORE TRUNCATE ON tthc.published_score
    FOR EACH STATEMENT EXECUTE FUNCTION tthc.publication_refuse();
CREATE TRIGGER published_rank_frozen BEFORE UPDATE OR DELETE ON tthc.published_rank
    FOR EACH ROW EXECUTE FUNCTION tthc.publication_refuse();
CREATE TRIGGER published_rank_no_truncate BEFORE TRUNCATE ON tthc.published_rank
    FOR EACH STATEMENT EXECUTE FUNCTION tthc.publication_refuse();
CREATE TRIGGER unpublished_frozen BEFORE UPDATE OR DELETE ON tthc.unpublished
    FOR EACH ROW EXECUTE FUNCTION tthc.publication_refuse();
CREATE TRIGGER unpublished_no_truncate BEFORE TRUNCATE ON tthc.unpublished
    FOR EACH STATEMENT EXECUTE FUNCTION tthc.publication_refuse();

-- After each statement that inserts rows of a publication: it must not
-- have more rows than it recorded (once per statement, so a restore's COPY
-- checks each publication once).
CREATE FUNCTION tthc.published_rows_inserted() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    bad record;
BEGIN
    IF TG_TABLE_NAME = 'published_score' THEN
        SELECT p.id, p.label, p.score_rows AS recorded, c.n INTO bad
          FROM (SELECT DISTINCT n.publication_id FROM new_rows n) x
          JOIN tthc.publication p ON p.id = x.publication_id
         CROSS JOIN LATERAL (SELECT count(*) AS n FROM tthc.published_score s
                              WHERE s.publication_id = p.id) c
         WHERE c.n > p.score_rows
         LIMIT 1;
    ELSE
        SELECT p.id, p.label, p.rank_rows AS recorded, c.n INTO bad
          FROM (SELECT DISTINCT n.publication_id FROM new_rows n) x
          JOIN tthc.publication p ON p.id = x.publication_id
         CROSS JOIN LATERAL (SELECT count(*) AS n FROM tthc.published_rank r
                              WHERE r.publication_id = p.id) c
         WHERE c.n > p.rank_rows
         LIMIT 1;
    END IF;
    IF bad.id IS NOT NULL THEN
        RAISE EXCEPTION 'published results cannot be changed'
            USING ERRCODE = 'object_not_in_prerequisite_state',
                  DETAIL = pg_catalog.format('Publication %s ("%s") has %s rows in tthc.%s; this would make %s.',
                                             bad.id, bad.label, bad.recorded, TG_TABLE_NAME, bad.n),
                  HINT = 'A publication is a frozen copy: publish the period again under another label.';
    END IF;
    RETURN NULL;
END
$$;

CREATE TRIGGER published_score_sealed AFTER INSERT ON tthc.published_score
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION tthc.published_rows_inserted();
CREATE TRIGGER published_rank_sealed AFTER INSERT ON tthc.published_rank
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION tthc.published_rows_inserted();


-- ---------------------------------------------------------------------------
-- Publishing and withdrawing
-- ---------------------------------------------------------------------------

-- tthc.publish(label, from, to, index_set, at): freeze the scores of every
-- agency for the dossiers received on days from..to, judged at at (NULL:
-- tthc.evaluation_time(to)), and every scoreboard; returns the id.
CREATE FUNCTION tthc.publish(label text, "from" date, "to" date, index_set text DEFAULT '766',
                             "at" timestamptz DEFAULT NULL) RETURNS bigint
LANGUAGE plpgsql VOLATILE SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    doc jsonb;
    evaluated timestamptz;
    pid bigint;
    s tthc.score_row[];
    r tthc.published_rank[];
BEGIN
    IF label IS NULL OR "from" IS NULL OR "to" IS NULL OR index_set IS NULL THEN
        RAISE EXCEPTION 'label, from, to and index_set must not be null'
            USING ERRCODE = 'null_value_not_allowed';
    END IF;
    IF btrim(label) = '' THEN
        RAISE EXCEPTION 'a publication needs a label' USING ERRCODE = 'invalid_parameter_value',
            HINT = 'Name it for its period, like ''Tháng 11/2026''.';
    END IF;
    IF NOT isfinite("from") OR NOT isfinite("to") OR "from" > "to" THEN
        RAISE EXCEPTION 'invalid period from % to %', "from", "to" USING ERRCODE = 'invalid_parameter_value',
            HINT = 'A period is the finite days from..to, from not after to.';
    END IF;
    IF "at" IS NOT NULL AND NOT isfinite("at") THEN
        RAISE EXCEPTION 'invalid evaluation time %', "at" USING ERRCODE = 'invalid_parameter_value';
    END IF;
    IF EXISTS (SELECT 1 FROM tthc.publication p WHERE p.label = publish.label) THEN
        RAISE EXCEPTION 'publication "%" already exists', label USING ERRCODE = 'unique_violation',
            HINT = 'Choose another label; tthc.unpublish(id, reason) withdraws a wrong publication.';
    END IF;
    -- the set's document, held until commit so that it cannot change under
    -- the scoring (shipped sets never change)
    SELECT i.document INTO doc FROM tthc.index_set i WHERE i.id = publish.index_set FOR SHARE;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'unknown index set "%"', index_set USING ERRCODE = 'undefined_object',
            HINT = 'Index sets are listed in tthc.index_set; tthc.load_index_set(document) adds one.';
    END IF;

    evaluated := coalesce("at", tthc.evaluation_time("to"));
    IF evaluated < (("to" + 1)::timestamp AT TIME ZONE 'Asia/Ho_Chi_Minh') THEN
        RAISE NOTICE 'the period has not ended: open dossiers are judged at %', evaluated;
    END IF;
    pid := nextval('tthc.publication_id_seq');
    s := ARRAY(
        SELECT ROW(pid, a.id, a.name, a.parent_id, a.kind, x.criterion, c.group_code, x.numerator,
                   x.denominator, x.ratio, x.points, x.max_points)::tthc.score_row
          FROM tthc.scores_of(NULL, "from", "to", index_set, evaluated) x
          JOIN tthc.agency a ON a.id = x.agency_id
          JOIN tthc.index_set_criteria(index_set) c ON c.criterion = x.criterion);
    r := ARRAY(SELECT ROW(pid, k.*)::tthc.published_rank FROM tthc.rank_scores(s, index_set) k);

    INSERT INTO tthc.publication AS p (id, label, from_day, to_day, index_set, index_document, evaluated_at,
                                       rank_rows, score_rows)
    VALUES (pid, label, "from", "to", index_set, doc, evaluated, cardinality(r), cardinality(s))
    ON CONFLICT ON CONSTRAINT publication_label_key DO NOTHING;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'publication "%" already exists', label USING ERRCODE = 'unique_violation',
            HINT = 'Choose another label; tthc.unpublish(id, reason) withdraws a wrong publication.';
    END IF;
    INSERT INTO tthc.published_score SELECT * FROM unnest(s);
    INSERT INTO tthc.published_rank SELECT * FROM unnest(r);
    RETURN pid;
END
$$;
COMMENT ON FUNCTION tthc.publish(text, date, date, text, timestamptz) IS
    'Freeze the scores and scoreboards of a period under a label (dossiers received on days from..to, judged at at, default tthc.evaluation_time(to)); returns the publication id';

-- tthc.unpublish(publication_id, reason): withdraw a whole publication (a
-- DBA's remedy for a wrong one).  It is logged first in tthc.unpublished
-- (which is what lets the triggers above delete it) and in the server log;
-- its label is free again.
CREATE FUNCTION tthc.unpublish(publication_id bigint, reason text) RETURNS void
LANGUAGE plpgsql VOLATILE SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    p tthc.publication;
BEGIN
    IF publication_id IS NULL OR reason IS NULL THEN
        RAISE EXCEPTION 'publication_id and reason must not be null' USING ERRCODE = 'null_value_not_allowed';
    END IF;
    IF btrim(reason) = '' THEN
        RAISE EXCEPTION 'withdrawing a publication needs a reason' USING ERRCODE = 'invalid_parameter_value',
            HINT = 'The reason is kept in tthc.unpublished.';
    END IF;
    SELECT * INTO p FROM tthc.publication x WHERE x.id = unpublish.publication_id FOR UPDATE;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'publication % does not exist', publication_id USING ERRCODE = 'undefined_object',
            HINT = 'Publications are listed in tthc.publication.';
    END IF;
    INSERT INTO tthc.unpublished (publication_id, label, from_day, to_day, index_set, evaluated_at,
                                  published_at, published_by, reason)
    VALUES (p.id, p.label, p.from_day, p.to_day, p.index_set, p.evaluated_at, p.published_at,
            p.published_by, reason);
    DELETE FROM tthc.publication x WHERE x.id = p.id;
    RAISE LOG 'tthc: publication % ("%") withdrawn by %: %', p.id, p.label, current_user, reason;
END
$$;
COMMENT ON FUNCTION tthc.unpublish(bigint, text) IS
    'Withdraw a whole publication, logged with the reason in tthc.unpublished and the server log';

-- ---------------------------------------------------------------------------
-- Scoreboards for portals (src/publish.c).  The live ones score the
-- agencies directly under parent (NULL: ministries and provinces) at at
-- (NULL: tthc.evaluation_time(to)); the frozen ones read a publication's
-- board under parent.  JSON: docs/publication.md gives the shape.
-- ---------------------------------------------------------------------------

CREATE FUNCTION tthc.scoreboard_json("from" date, "to" date, parent text DEFAULT NULL,
                                     index_set text DEFAULT '766', "at" timestamptz DEFAULT NULL)
RETURNS jsonb
AS 'MODULE_PATHNAME', 'tthc_scoreboard_json' LANGUAGE C STABLE PARALLEL SAFE;
COMMENT ON FUNCTION tthc.scoreboard_json(date, date, text, text, timestamptz) IS
    'The scoreboard of the agencies under parent (NULL: ministries and provinces) as a JSON document for portals, live';

CREATE FUNCTION tthc.publication_json(publication_id bigint, parent text DEFAULT NULL) RETURNS jsonb
AS 'MODULE_PATHNAME', 'tthc_publication_json' LANGUAGE C STABLE PARALLEL SAFE;
COMMENT ON FUNCTION tthc.publication_json(bigint, text) IS
    'A published scoreboard (under parent; NULL: ministries and provinces) as a JSON document for portals';

CREATE FUNCTION tthc.scoreboard_html("from" date, "to" date, parent text DEFAULT NULL,
                                     index_set text DEFAULT '766', "at" timestamptz DEFAULT NULL)
RETURNS text
AS 'MODULE_PATHNAME', 'tthc_scoreboard_html' LANGUAGE C STABLE PARALLEL SAFE;
COMMENT ON FUNCTION tthc.scoreboard_html(date, date, text, text, timestamptz) IS
    'The scoreboard of the agencies under parent as a self-contained HTML page (XHTML, inline SVG chart), live';

CREATE FUNCTION tthc.publication_html(publication_id bigint, parent text DEFAULT NULL) RETURNS text
AS 'MODULE_PATHNAME', 'tthc_publication_html' LANGUAGE C STABLE PARALLEL SAFE;
COMMENT ON FUNCTION tthc.publication_html(bigint, text) IS
    'A published scoreboard as a self-contained HTML page (XHTML, inline SVG chart)';
-- ---------------------------------------------------------------------------
-- Sync ingest (docs/sync.md): the national portal's messages (DongBoHoSoMC,
-- CapNhatTienDoHoSoMC) applied to dossier rows by tthc.sync(payload), or
-- through tthc.inbox, where a message that cannot be applied stays with
-- its reason until tthc.retry() applies it again.
-- ---------------------------------------------------------------------------

CREATE FUNCTION tthc.sync(payload text) RETURNS jsonb
AS 'MODULE_PATHNAME', 'tthc_sync_sql' LANGUAGE C VOLATILE STRICT;
COMMENT ON FUNCTION tthc.sync(text) IS
    'Apply a sync message (one object or an array; dossiers and progress entries), each element on its own; returns what was done to each (created, updated, unchanged, older, step added/updated/unchanged, rejected with SQLSTATE, error and path)';

-- Agencies and procedures created for unknown codes (tthc.sync_placeholders).
CREATE TABLE tthc.sync_placeholder (
    kind       text NOT NULL CONSTRAINT sync_placeholder_kind_known CHECK (kind IN ('agency', 'procedure')),
    id         text NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (kind, id)
);
COMMENT ON TABLE tthc.sync_placeholder IS
    'Catalogue rows created by sync messages naming unknown codes (with tthc.sync_placeholders on)';
SELECT pg_catalog.pg_extension_config_dump('tthc.sync_placeholder', '');

CREATE VIEW tthc.sync_placeholders AS
SELECT p.kind, p.id, coalesce(a.name, r.name) AS name, p.created_at,
       CASE p.kind WHEN 'agency' THEN (SELECT count(*) FROM tthc.dossier d WHERE d.agency_id = p.id)
                   ELSE (SELECT count(*) FROM tthc.dossier d WHERE d.procedure_code = p.id) END AS dossiers
  FROM tthc.sync_placeholder p
  LEFT JOIN tthc.agency a ON p.kind = 'agency' AND a.id = p.id
  LEFT JOIN tthc.procedure r ON p.kind = 'procedure' AND r.code = p.id
 WHERE coalesce(a.name, r.name) LIKE '(chưa rõ)%';
COMMENT ON VIEW tthc.sync_placeholders IS
    'Placeholder agencies and procedures still to complete (their name still starts with "(chưa rõ)")';

-- The inbox: an application INSERTs raw messages; each is applied at once,
-- in the inserting transaction, and keeps what happened.
CREATE TABLE tthc.inbox (
    id          bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
    received_at timestamptz NOT NULL DEFAULT now(),
    payload     text NOT NULL,
    state       text NOT NULL DEFAULT 'new'
                CONSTRAINT inbox_state_known CHECK (state IN ('new', 'applied', 'partial', 'rejected')),
    attempts    integer NOT NULL DEFAULT 0,
    applied_at  timestamptz,
    result      jsonb,
    sqlstate    text,
    error       text,
    error_path  text
);
CREATE INDEX inbox_pending_idx ON tthc.inbox (id) WHERE state IN ('partial', 'rejected');
COMMENT ON TABLE tthc.inbox IS
    'Sync messages as received; state applied, partial (some elements refused) or rejected, with the first error''s SQLSTATE, message and JSON path; tthc.retry() applies the failed ones again';
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
SELECT pg_catalog.pg_extension_config_dump('tthc.inbox', '');
SELECT pg_catalog.pg_extension_config_dump('tthc.inbox_id_seq', '');

CREATE FUNCTION tthc.inbox_apply() RETURNS trigger
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
CREATE TRIGGER inbox_apply BEFORE INSERT ON tthc.inbox
    FOR EACH ROW EXECUTE FUNCTION tthc.inbox_apply();
CREATE TRIGGER inbox_retry BEFORE UPDATE OF state ON tthc.inbox
    FOR EACH ROW WHEN (NEW.state = 'new') EXECUTE FUNCTION tthc.inbox_apply();

-- Apply the failed messages again (after the DBA fixed the cause), oldest
-- first; returns how many are still not fully applied.
CREATE FUNCTION tthc.retry() RETURNS bigint
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    n bigint;
BEGIN
    UPDATE tthc.inbox SET state = 'new' WHERE state IN ('partial', 'rejected');
    SELECT count(*) INTO n FROM tthc.inbox WHERE state IN ('partial', 'rejected');
    RETURN n;
END
$$;
COMMENT ON FUNCTION tthc.retry() IS
    'Apply again the inbox messages that were rejected or partly applied; returns how many still fail';

-- ---------------------------------------------------------------------------
-- The other way: a dossier row as the portal's messages.  What reporting a
-- unit's data upward, replaying a database into another, or testing the
-- sync path needs: tthc.sync of these messages writes the row back.
-- ---------------------------------------------------------------------------

CREATE FUNCTION tthc.sync_time(t timestamptz) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE SET search_path = pg_catalog, pg_temp AS $$
    SELECT pg_catalog.to_char(t AT TIME ZONE 'Asia/Ho_Chi_Minh', 'YYYYMMDDHH24MISS')
$$;
COMMENT ON FUNCTION tthc.sync_time(timestamptz) IS
    'An instant as the portal''s messages write it: yyyyMMddHHmmss in Asia/Ho_Chi_Minh (NULL: NULL)';

-- The DongBoHoSoMC message of a dossier.  Not carried (the message has no
-- member for them): rating, e_certified_copy, has_feedback, synced_at.
CREATE FUNCTION tthc.dossier_message(d tthc.dossier) RETURNS text
LANGUAGE sql STABLE PARALLEL SAFE SET search_path = pg_catalog, pg_temp AS $$
    SELECT pg_catalog.json_build_object(
        'MaHoSo', d.code, 'MaTTHC', d.procedure_code, 'DonViXuLy', d.agency_id,
        'KenhThucHien', d.channel::text, 'TrangThaiHoSo', d.status::text,
        'NgayNopHoSo', coalesce(tthc.sync_time(d.submitted_at), ''),
        'NgayTiepNhan', coalesce(tthc.sync_time(d.received_at), ''),
        'NgayHenTra', coalesce(tthc.sync_time(d.due_at), ''),
        -- the time that ended handling: finished, else stopped or withdrawn
        'NgayKetThucXuLy', coalesce(tthc.sync_time(CASE WHEN d.status IN (9, 10) THEN d.finished_at
                                                        WHEN d.status IN (7, 8) THEN d.ended_at END), ''),
        'NgayTra', coalesce(tthc.sync_time(d.returned_at), ''),
        'NgayTuChoi', coalesce(tthc.sync_time(CASE WHEN d.status = 3 THEN d.ended_at END), ''),
        'DanhSachLePhi', CASE WHEN d.fee > 0 THEN pg_catalog.json_build_array(pg_catalog.json_build_object('Gia', d.fee))
                              ELSE '[]'::json END,
        'DuocThanhToanTrucTuyen', d.paid_online::text,
        'HoSoCoThanhPhanSoHoa', d.digitized::integer::text,
        'TaiLieuNop', pg_catalog.json_build_array(pg_catalog.json_build_object(
            'DuocSoHoa', d.digitized::integer::text, 'DuocTaiSuDung', d.reused_data::integer::text,
            'DuocLayTuKhoDMQG', d.personal_store::integer::text)),
        'DanhSachGiayToKetQua', CASE WHEN d.e_result
                                     THEN pg_catalog.json_build_array(pg_catalog.json_build_object(
                                              'DuongDanTepTinKetQua', 'kq:' || d.code))
                                     ELSE '[]'::json END,
        'TaiKhoanDuocXacThucVoiVNeID', d.population_db::integer::text,
        -- supplement_requests entries; the latest carries the times the row keeps
        'DanhSachHoSoBoSung', coalesce((
            SELECT pg_catalog.json_agg(pg_catalog.json_build_object(
                       'NgayBoSung', tthc.sync_time(d.supplement_requested_at),
                       'NgayTiepNhanBoSung', CASE WHEN i = d.supplement_requests
                                                  THEN coalesce(tthc.sync_time(d.supplement_received_at), '')
                                                  ELSE tthc.sync_time(d.supplement_requested_at) END)
                       ORDER BY i)
              FROM pg_catalog.generate_series(1, d.supplement_requests) i
             WHERE d.supplement_requested_at IS NOT NULL), '[]'::json))::text
$$;
COMMENT ON FUNCTION tthc.dossier_message(tthc.dossier) IS
    'The DongBoHoSoMC message of a dossier row: tthc.sync of it writes the row back (rating, e_certified_copy, has_feedback and synced_at are not in the message)';

-- The CapNhatTienDoHoSoMC message of a dossier's ended steps, in order
-- (NULL when none ended: a progress entry reports a step done).
CREATE FUNCTION tthc.dossier_progress_message(dossier_code text) RETURNS text
LANGUAGE sql STABLE PARALLEL SAFE SET search_path = pg_catalog, pg_temp AS $$
    SELECT pg_catalog.json_agg(pg_catalog.json_build_object(
               'MaHoSo', s.dossier_code, 'PhongBanXuLy', s.agency_id, 'NguoiXuLy', coalesce(s.officer, ''),
               'TrangThai', d.status::text, 'ThoiDiemXuLy', tthc.sync_time(s.ended_at),
               'NgayBatDau', tthc.sync_time(s.started_at),
               'NgayKetThucTheoQuyDinh', coalesce(tthc.sync_time(s.deadline_at), ''))
           ORDER BY s.seq)::text
      FROM tthc.dossier_step s JOIN tthc.dossier d ON d.code = s.dossier_code
     WHERE s.dossier_code = dossier_progress_message.dossier_code AND s.ended_at IS NOT NULL
$$;
COMMENT ON FUNCTION tthc.dossier_progress_message(text) IS
    'The CapNhatTienDoHoSoMC message of a dossier''s ended inter-agency steps (NULL: none ended)';
-- ---------------------------------------------------------------------------
-- Security (docs/security.md): three group roles the DBA creates with
-- tthc.create_roles(), logins mapped to agencies, and row-level security
-- so that a login reads and writes only its agencies' subtrees.
-- ---------------------------------------------------------------------------

-- Row-level security: a row is visible when its agency is.  (The policies
-- do not apply to the tables' owner, who installed the extension.)
CREATE FUNCTION tthc.agency_visible(agency text) RETURNS boolean
LANGUAGE sql STABLE PARALLEL SAFE SET search_path = pg_catalog, pg_temp AS $$
    SELECT v IS NULL OR agency = ANY (v) FROM (SELECT tthc.visible_agencies() AS v) x
$$;
COMMENT ON FUNCTION tthc.agency_visible(text) IS 'May the current user see and write rows of this agency?';

ALTER TABLE tthc.dossier ENABLE ROW LEVEL SECURITY;
CREATE POLICY dossier_by_agency ON tthc.dossier
    USING (((SELECT tthc.visible_agencies()) IS NULL OR agency_id = ANY (CAST((SELECT tthc.visible_agencies()) AS text[]))))
    WITH CHECK (((SELECT tthc.visible_agencies()) IS NULL OR agency_id = ANY (CAST((SELECT tthc.visible_agencies()) AS text[]))));
ALTER TABLE tthc.feedback ENABLE ROW LEVEL SECURITY;
CREATE POLICY feedback_by_agency ON tthc.feedback
    USING (((SELECT tthc.visible_agencies()) IS NULL OR agency_id = ANY (CAST((SELECT tthc.visible_agencies()) AS text[]))))
    WITH CHECK (((SELECT tthc.visible_agencies()) IS NULL OR agency_id = ANY (CAST((SELECT tthc.visible_agencies()) AS text[]))));
-- a step is seen by its dossier's agencies and by the agency that handles it
ALTER TABLE tthc.dossier_step ENABLE ROW LEVEL SECURITY;
CREATE POLICY dossier_step_by_agency ON tthc.dossier_step
    USING (((SELECT tthc.visible_agencies()) IS NULL OR agency_id = ANY (CAST((SELECT tthc.visible_agencies()) AS text[])))
           OR EXISTS (SELECT 1 FROM tthc.dossier d WHERE d.code = dossier_code))
    WITH CHECK (EXISTS (SELECT 1 FROM tthc.dossier d WHERE d.code = dossier_code));
ALTER TABLE tthc.tally ENABLE ROW LEVEL SECURITY;
CREATE POLICY tally_by_agency ON tthc.tally
    USING (((SELECT tthc.visible_agencies()) IS NULL OR agency_id = ANY (CAST((SELECT tthc.visible_agencies()) AS text[]))));
ALTER TABLE tthc.tally_log ENABLE ROW LEVEL SECURITY;
CREATE POLICY tally_log_by_agency ON tthc.tally_log
    USING (((SELECT tthc.visible_agencies()) IS NULL OR agency_id = ANY (CAST((SELECT tthc.visible_agencies()) AS text[]))));
ALTER TABLE tthc.tally_agency ENABLE ROW LEVEL SECURITY;
CREATE POLICY tally_agency_by_agency ON tthc.tally_agency
    USING (((SELECT tthc.visible_agencies()) IS NULL OR agency_id = ANY (CAST((SELECT tthc.visible_agencies()) AS text[]))));

-- Create the three group roles (cluster-wide: never done silently) and
-- grant them what they may do.  Run by a role that may create roles.
--   tthc_reader: read everything of its logins' subtrees, scores, publications
--   tthc_writer: tthc_reader, and write dossiers, steps, feedback, the inbox
--   tthc_admin:  everything, the whole country
CREATE FUNCTION tthc.create_roles() RETURNS text
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
COMMENT ON FUNCTION tthc.create_roles() IS
    'Create the group roles tthc_reader, tthc_writer and tthc_admin (if missing) and grant them their privileges; then GRANT them to logins and map logins to agencies in tthc.agency_login';
-- ---------------------------------------------------------------------------
-- SIPAS: satisfaction with public administrative services (Decision
-- 2640/QĐ-BNV), a yearly survey of the Ministry of Home Affairs.  Rules in
-- docs/yearly-indices.md.
-- ---------------------------------------------------------------------------

-- The five elements of the service SIPAS measures (fixed by the method).
CREATE TABLE tthc.sipas_element (
    code    text PRIMARY KEY,
    ord     smallint NOT NULL UNIQUE,
    name_vi text NOT NULL,
    name_en text NOT NULL
);
COMMENT ON TABLE tthc.sipas_element IS 'The five elements SIPAS measures (Decision 2640/QĐ-BNV), in their order';
INSERT INTO tthc.sipas_element VALUES
    ('access', 1, 'Tiếp cận dịch vụ', 'Access to the service'),
    ('procedure', 2, 'Thủ tục hành chính', 'The administrative procedure'),
    ('officials', 3, 'Công chức trực tiếp giải quyết công việc', 'The officials handling it'),
    ('result', 4, 'Kết quả cung ứng dịch vụ', 'The result of the service'),
    ('feedback', 5, 'Tiếp nhận, xử lý góp ý, phản ánh, kiến nghị', 'Handling of suggestions and feedback');

-- The answer scales of the questionnaires.  Whether an answer is satisfied
-- is data: satisfied_from is the lowest satisfied value.
CREATE TABLE tthc.sipas_scale (
    id             text PRIMARY KEY CONSTRAINT sipas_scale_id_format
                   CHECK (id ~ '^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$'),
    name           text NOT NULL CONSTRAINT sipas_scale_name_not_blank CHECK (btrim(name) <> ''),
    min_value      smallint NOT NULL,
    max_value      smallint NOT NULL,
    satisfied_from smallint NOT NULL,
    labels         text[],
    CONSTRAINT sipas_scale_range CHECK (max_value > min_value),
    CONSTRAINT sipas_scale_cutoff_in_range CHECK (satisfied_from BETWEEN min_value AND max_value),
    CONSTRAINT sipas_scale_one_label_per_value
        CHECK (labels IS NULL OR (array_ndims(labels) = 1 AND cardinality(labels) = max_value - min_value + 1
                                  AND array_position(labels, NULL) IS NULL))
);
COMMENT ON TABLE tthc.sipas_scale IS
    'Answer scales of SIPAS questions: values min_value..max_value, satisfied from satisfied_from (the cut-off is data)';
COMMENT ON COLUMN tthc.sipas_scale.labels IS 'The label of each value, from min_value up (optional)';

-- A survey wave: the survey of one year.
CREATE TABLE tthc.sipas_wave (
    id   text PRIMARY KEY CONSTRAINT sipas_wave_id_format CHECK (id ~ '^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$'),
    year integer NOT NULL CONSTRAINT sipas_wave_year_range CHECK (year BETWEEN 2000 AND 2100),
    name text NOT NULL CONSTRAINT sipas_wave_name_not_blank CHECK (btrim(name) <> '')
);
CREATE INDEX sipas_wave_year_idx ON tthc.sipas_wave (year);
COMMENT ON TABLE tthc.sipas_wave IS
    'SIPAS survey waves; year is the year surveyed, and the year-on-year change compares with the latest wave of an earlier year';

-- The questionnaires of a wave (citizens and organisations may get different ones).
CREATE TABLE tthc.sipas_questionnaire (
    id              text PRIMARY KEY CONSTRAINT sipas_questionnaire_id_format
                    CHECK (id ~ '^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$'),
    wave_id         text NOT NULL REFERENCES tthc.sipas_wave (id) ON UPDATE CASCADE ON DELETE CASCADE,
    respondent_kind text CONSTRAINT sipas_questionnaire_kind_known CHECK (respondent_kind IN ('citizen', 'organisation')),
    name            text NOT NULL CONSTRAINT sipas_questionnaire_name_not_blank CHECK (btrim(name) <> '')
);
CREATE INDEX sipas_questionnaire_wave_idx ON tthc.sipas_questionnaire (wave_id);
COMMENT ON TABLE tthc.sipas_questionnaire IS
    'SIPAS questionnaires of a wave; respondent_kind NULL: for citizens and organisations alike';

CREATE TABLE tthc.sipas_question (
    questionnaire_id text NOT NULL REFERENCES tthc.sipas_questionnaire (id) ON UPDATE CASCADE ON DELETE CASCADE,
    code             text NOT NULL CONSTRAINT sipas_question_code_format
                     CHECK (code ~ '^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$'),
    element          text NOT NULL CONSTRAINT sipas_question_element_known
                     CHECK (element IN ('access', 'procedure', 'officials', 'result', 'feedback')),
    measure          text NOT NULL CONSTRAINT sipas_question_measure_known
                     CHECK (measure IN ('perception', 'satisfaction', 'expectation')),
    scale_id         text NOT NULL REFERENCES tthc.sipas_scale (id) ON UPDATE CASCADE,
    text             text NOT NULL CONSTRAINT sipas_question_text_not_blank CHECK (btrim(text) <> ''),
    PRIMARY KEY (questionnaire_id, code)
);
COMMENT ON TABLE tthc.sipas_question IS
    'SIPAS questions: the element they are about (access, procedure, officials, result, feedback), what they measure (perception, satisfaction, expectation) and their scale';

-- Respondents: a citizen or an organisation of a province.
CREATE TABLE tthc.sipas_respondent (
    id               bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
    questionnaire_id text NOT NULL REFERENCES tthc.sipas_questionnaire (id) ON UPDATE CASCADE ON DELETE CASCADE,
    agency_id        text NOT NULL REFERENCES tthc.agency (id) ON UPDATE CASCADE,
    kind             text NOT NULL CONSTRAINT sipas_respondent_kind_known CHECK (kind IN ('citizen', 'organisation')),
    answered_on      date CONSTRAINT sipas_respondent_date_finite CHECK (isfinite(answered_on))
);
CREATE INDEX sipas_respondent_questionnaire_idx ON tthc.sipas_respondent (questionnaire_id, agency_id);
ALTER TABLE tthc.sipas_respondent ADD CONSTRAINT sipas_respondent_questionnaire_key UNIQUE (id, questionnaire_id);
CREATE INDEX sipas_respondent_agency_idx ON tthc.sipas_respondent (agency_id);
COMMENT ON TABLE tthc.sipas_respondent IS
    'SIPAS respondents: a citizen or an organisation, of the province (agency_id) whose services they judge';

CREATE TABLE tthc.sipas_answer (
    respondent_id    bigint NOT NULL,
    question_code    text NOT NULL,
    value            smallint NOT NULL,
    questionnaire_id text NOT NULL,
    PRIMARY KEY (respondent_id, question_code),
    FOREIGN KEY (respondent_id, questionnaire_id)
        REFERENCES tthc.sipas_respondent (id, questionnaire_id) ON DELETE CASCADE,
    FOREIGN KEY (questionnaire_id, question_code) REFERENCES tthc.sipas_question (questionnaire_id, code)
);
CREATE INDEX sipas_answer_question_idx ON tthc.sipas_answer (questionnaire_id, question_code);
COMMENT ON TABLE tthc.sipas_answer IS
    'SIPAS answers: one value on the question''s scale per respondent and question (a question not answered has no row)';
COMMENT ON COLUMN tthc.sipas_answer.questionnaire_id IS
    'The respondent''s questionnaire, filled in when not given: it ties the answer to a question of that questionnaire';

SELECT pg_catalog.pg_extension_config_dump('tthc.sipas_scale', '');
SELECT pg_catalog.pg_extension_config_dump('tthc.sipas_wave', '');
SELECT pg_catalog.pg_extension_config_dump('tthc.sipas_questionnaire', '');
SELECT pg_catalog.pg_extension_config_dump('tthc.sipas_question', '');
SELECT pg_catalog.pg_extension_config_dump('tthc.sipas_respondent', '');
SELECT pg_catalog.pg_extension_config_dump('tthc.sipas_respondent_id_seq', '');
SELECT pg_catalog.pg_extension_config_dump('tthc.sipas_answer', '');

-- A respondent judges a province, with a questionnaire meant for its kind.
CREATE FUNCTION tthc.sipas_respondent_check() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    a record;
    q_kind text;
BEGIN
    SELECT x.kind, x.parent_id INTO a FROM tthc.agency x WHERE x.id = NEW.agency_id;
    IF FOUND AND (a.kind <> 'province' OR a.parent_id IS NOT NULL) THEN
        RAISE EXCEPTION 'SIPAS respondents judge a province, and agency "%" is not one', NEW.agency_id
            USING ERRCODE = 'check_violation',
                  HINT = 'SIPAS surveys the services of provinces: give the province (top-level agency of kind province).';
    END IF;
    SELECT x.respondent_kind INTO q_kind FROM tthc.sipas_questionnaire x WHERE x.id = NEW.questionnaire_id;
    IF q_kind IS NOT NULL AND q_kind <> NEW.kind THEN
        RAISE EXCEPTION 'SIPAS questionnaire "%" is for respondents of kind %, not %',
                        NEW.questionnaire_id, q_kind, NEW.kind
            USING ERRCODE = 'check_violation';
    END IF;
    IF TG_OP = 'UPDATE' AND NEW.questionnaire_id IS DISTINCT FROM OLD.questionnaire_id
       AND EXISTS (SELECT 1 FROM tthc.sipas_answer x WHERE x.respondent_id = NEW.id) THEN
        RAISE EXCEPTION 'SIPAS respondent % has answers: its questionnaire cannot change', NEW.id
            USING ERRCODE = 'check_violation',
                  HINT = 'Delete the respondent (its answers go with it) and enter it again.';
    END IF;
    RETURN NEW;
END
$$;
CREATE TRIGGER sipas_respondent_check BEFORE INSERT OR UPDATE ON tthc.sipas_respondent
    FOR EACH ROW EXECUTE FUNCTION tthc.sipas_respondent_check();

-- An answer is to a question of the respondent's questionnaire, on its
-- scale.  The questionnaire is filled in from the respondent; the foreign
-- keys then tie the answer to the respondent and to a question of that
-- questionnaire (and make pg_dump restore questions before answers).
CREATE FUNCTION tthc.sipas_answer_check() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    q record;
BEGIN
    IF NEW.questionnaire_id IS NULL THEN
        SELECT r.questionnaire_id INTO NEW.questionnaire_id FROM tthc.sipas_respondent r WHERE r.id = NEW.respondent_id;
        IF NOT FOUND THEN
            RAISE EXCEPTION 'SIPAS answer to question "%" is of respondent %, who is not in tthc.sipas_respondent',
                            NEW.question_code, NEW.respondent_id
                USING ERRCODE = 'foreign_key_violation';
        END IF;
    END IF;
    SELECT s.min_value, s.max_value INTO q
      FROM tthc.sipas_question qu JOIN tthc.sipas_scale s ON s.id = qu.scale_id
     WHERE qu.questionnaire_id = NEW.questionnaire_id AND qu.code = NEW.question_code;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'SIPAS answer of respondent % is to question "%", which is not in questionnaire "%"',
                        NEW.respondent_id, NEW.question_code, NEW.questionnaire_id
            USING ERRCODE = 'foreign_key_violation',
                  HINT = 'The questions of a questionnaire are listed in tthc.sipas_question.';
    END IF;
    IF NEW.value NOT BETWEEN q.min_value AND q.max_value THEN
        RAISE EXCEPTION 'SIPAS answer of respondent % to question "%" is %, outside its scale %..%',
                        NEW.respondent_id, NEW.question_code, NEW.value, q.min_value, q.max_value
            USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
END
$$;
CREATE TRIGGER sipas_answer_check BEFORE INSERT OR UPDATE ON tthc.sipas_answer
    FOR EACH ROW EXECUTE FUNCTION tthc.sipas_answer_check();

-- Questions, questionnaires and scales with answers keep their meaning:
-- an edit that would re-judge stored answers is refused.
CREATE FUNCTION tthc.sipas_question_guard() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    IF (NEW.code, NEW.scale_id, NEW.questionnaire_id) IS DISTINCT FROM (OLD.code, OLD.scale_id, OLD.questionnaire_id)
       AND EXISTS (SELECT 1 FROM tthc.sipas_answer a
                    WHERE a.questionnaire_id = OLD.questionnaire_id AND a.question_code = OLD.code) THEN
        RAISE EXCEPTION 'SIPAS question "%" of questionnaire "%" has answers: its code, scale and questionnaire cannot change',
                        OLD.code, OLD.questionnaire_id
            USING ERRCODE = 'check_violation',
                  HINT = 'Add a new question instead.';
    END IF;
    RETURN NEW;
END
$$;
CREATE TRIGGER sipas_question_guard BEFORE UPDATE ON tthc.sipas_question
    FOR EACH ROW EXECUTE FUNCTION tthc.sipas_question_guard();

CREATE FUNCTION tthc.sipas_scale_guard() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    IF (NEW.min_value > OLD.min_value OR NEW.max_value < OLD.max_value)
       AND EXISTS (SELECT 1 FROM tthc.sipas_question q
                     JOIN tthc.sipas_answer a ON a.questionnaire_id = q.questionnaire_id AND a.question_code = q.code
                    WHERE q.scale_id = OLD.id AND a.value NOT BETWEEN NEW.min_value AND NEW.max_value) THEN
        RAISE EXCEPTION 'SIPAS scale "%" cannot shrink to %..%: stored answers lie outside it',
                        OLD.id, NEW.min_value, NEW.max_value
            USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
END
$$;
CREATE TRIGGER sipas_scale_guard BEFORE UPDATE ON tthc.sipas_scale
    FOR EACH ROW EXECUTE FUNCTION tthc.sipas_scale_guard();

-- The aggregate: the satisfaction index of answers, element by element.
CREATE FUNCTION tthc.sipas_accum(state bigint[], element text, satisfied boolean) RETURNS bigint[]
AS 'MODULE_PATHNAME', 'tthc_sipas_accum' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION tthc.sipas_combine(a bigint[], b bigint[]) RETURNS bigint[]
AS 'MODULE_PATHNAME', 'tthc_sipas_combine' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION tthc.sipas_final(state bigint[]) RETURNS numeric
AS 'MODULE_PATHNAME', 'tthc_sipas_final' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE AGGREGATE tthc.sipas_index(element text, satisfied boolean) (
    SFUNC = tthc.sipas_accum,
    STYPE = bigint[],
    COMBINEFUNC = tthc.sipas_combine,
    FINALFUNC = tthc.sipas_final,
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE tthc.sipas_index(text, boolean) IS
    'SIPAS index in percent: the mean over the elements answered of the share of satisfied answers (satisfied NULL: not counted); NULL over no answer';

-- Every answer with its wave, province, element, measure and verdict.
CREATE VIEW tthc.sipas_answer_judged AS
SELECT w.id AS wave_id, w.year, r.agency_id, r.kind AS respondent_kind, r.id AS respondent_id,
       q.code AS question_code, q.element, q.measure, a.value, a.value >= s.satisfied_from AS satisfied
  FROM tthc.sipas_answer a
  JOIN tthc.sipas_respondent r ON r.id = a.respondent_id
  JOIN tthc.sipas_questionnaire qn ON qn.id = r.questionnaire_id
  JOIN tthc.sipas_wave w ON w.id = qn.wave_id
  JOIN tthc.sipas_question q ON q.questionnaire_id = a.questionnaire_id AND q.code = a.question_code
  JOIN tthc.sipas_scale s ON s.id = q.scale_id;
COMMENT ON VIEW tthc.sipas_answer_judged IS
    'SIPAS answers with their wave, province, element and measure, and whether each is satisfied (value >= the scale''s satisfied_from)';

CREATE FUNCTION tthc.sipas_wave_known(wave text) RETURNS boolean
LANGUAGE plpgsql STABLE PARALLEL SAFE SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    IF wave IS NULL OR NOT EXISTS (SELECT 1 FROM tthc.sipas_wave w WHERE w.id = wave) THEN
        RAISE EXCEPTION 'unknown SIPAS wave "%"', wave
            USING ERRCODE = 'undefined_object', HINT = 'Waves are listed in tthc.sipas_wave.';
    END IF;
    RETURN true;
END
$$;
COMMENT ON FUNCTION tthc.sipas_wave_known(text) IS 'Internal: true for a known wave, an error otherwise';

-- The wave a wave is compared with: the latest of an earlier year.
CREATE FUNCTION tthc.sipas_previous_wave(wave text) RETURNS text
LANGUAGE sql STABLE PARALLEL SAFE SET search_path = pg_catalog, pg_temp AS $$
    SELECT p.id FROM tthc.sipas_wave w JOIN tthc.sipas_wave p ON p.year < w.year
     WHERE w.id = wave AND (SELECT tthc.sipas_wave_known(wave))
     ORDER BY p.year DESC, p.id DESC LIMIT 1
$$;
COMMENT ON FUNCTION tthc.sipas_previous_wave(text) IS
    'The wave a wave''s year-on-year change compares with: the latest wave of an earlier year (NULL: none)';

-- Per province and element: the indices of each measure.  agency_id NULL
-- is the whole country: all answers of the wave pooled.
CREATE FUNCTION tthc.sipas_elements(wave text)
RETURNS TABLE (agency_id text, element text, measure text, respondents bigint, answers bigint, index numeric)
LANGUAGE sql STABLE PARALLEL SAFE SET search_path = pg_catalog, pg_temp AS $$
    SELECT j.agency_id, j.element, j.measure, count(DISTINCT j.respondent_id), count(*),
           round(tthc.sipas_index(j.element, j.satisfied), 2)
      FROM tthc.sipas_answer_judged j
     WHERE j.wave_id = wave AND (SELECT tthc.sipas_wave_known(wave))
     GROUP BY GROUPING SETS ((j.agency_id, j.element, j.measure), (j.element, j.measure))
     ORDER BY j.agency_id NULLS FIRST, (SELECT x.ord FROM tthc.sipas_element x WHERE x.code = j.element),
              array_position(ARRAY['perception', 'satisfaction', 'expectation'], j.measure)
$$;
COMMENT ON FUNCTION tthc.sipas_elements(text) IS
    'SIPAS indices of a wave per province (NULL: the whole country), element and measure, in percent';

-- The satisfaction indices of a wave: per province its SIPAS index (the
-- mean of its five element indices), the five, its rank, and the change
-- since the previous wave.  agency_id NULL is the whole country.
CREATE FUNCTION tthc.sipas_results(wave text)
RETURNS TABLE (rank integer, agency_id text, name text, respondents bigint, sipas numeric,
               access numeric, procedure numeric, officials numeric, result numeric, feedback numeric,
               previous numeric, change numeric, previous_rank integer)
LANGUAGE sql STABLE PARALLEL SAFE SET search_path = pg_catalog, pg_temp AS $$
    WITH w AS (SELECT wave AS id, tthc.sipas_previous_wave(wave) AS prev),
    s AS (
        SELECT j.wave_id, j.agency_id, count(DISTINCT j.respondent_id) AS respondents,
               round(tthc.sipas_index(j.element, j.satisfied), 2) AS sipas,
               round(tthc.sipas_index(j.element, j.satisfied) FILTER (WHERE j.element = 'access'), 2) AS access,
               round(tthc.sipas_index(j.element, j.satisfied) FILTER (WHERE j.element = 'procedure'), 2) AS procedure,
               round(tthc.sipas_index(j.element, j.satisfied) FILTER (WHERE j.element = 'officials'), 2) AS officials,
               round(tthc.sipas_index(j.element, j.satisfied) FILTER (WHERE j.element = 'result'), 2) AS result,
               round(tthc.sipas_index(j.element, j.satisfied) FILTER (WHERE j.element = 'feedback'), 2) AS feedback
          FROM tthc.sipas_answer_judged j, w
         WHERE j.wave_id IN (w.id, w.prev) AND j.measure = 'satisfaction'
         GROUP BY GROUPING SETS ((j.wave_id, j.agency_id), (j.wave_id))),
    r AS (
        SELECT s.*, CASE WHEN s.agency_id IS NOT NULL
                         THEN rank() OVER (PARTITION BY s.wave_id, s.agency_id IS NULL ORDER BY s.sipas DESC NULLS LAST) END AS rk
          FROM s)
    SELECT c.rk::integer, c.agency_id, coalesce(a.name, 'Cả nước'), c.respondents, c.sipas,
           c.access, c.procedure, c.officials, c.result, c.feedback,
           p.sipas, c.sipas - p.sipas, p.rk::integer
      FROM r c CROSS JOIN w
      LEFT JOIN r p ON p.wave_id = w.prev AND p.agency_id IS NOT DISTINCT FROM c.agency_id
      LEFT JOIN tthc.agency a ON a.id = c.agency_id
     WHERE c.wave_id = w.id
     ORDER BY c.agency_id IS NOT NULL, c.rk, c.agency_id
$$;
COMMENT ON FUNCTION tthc.sipas_results(text) IS
    'SIPAS results of a wave: the whole country first, then each province ranked by its index (the mean of its five element indices), with the change since the previous wave';

-- Each province's weakest elements: its element satisfaction indices from
-- the lowest, with the national index of the element and the gap to it.
CREATE FUNCTION tthc.sipas_weakest(wave text, n integer DEFAULT 2)
RETURNS TABLE (agency_id text, name text, place integer, element text, element_name text, index numeric,
               national_index numeric, gap numeric, expectation numeric)
LANGUAGE plpgsql STABLE PARALLEL SAFE SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    IF n IS NULL OR n < 1 OR n > 5 THEN
        RAISE EXCEPTION 'n must be 1 to 5, not %', coalesce(n::text, 'NULL')
            USING ERRCODE = 'invalid_parameter_value', HINT = 'There are five SIPAS elements.';
    END IF;
    RETURN QUERY
    WITH e AS (SELECT * FROM tthc.sipas_elements(wave)),
    s AS (
        SELECT e.agency_id, e.element, e.index,
               row_number() OVER (PARTITION BY e.agency_id ORDER BY e.index, el.ord) AS place
          FROM e JOIN tthc.sipas_element el ON el.code = e.element
         WHERE e.measure = 'satisfaction' AND e.agency_id IS NOT NULL)
    SELECT s.agency_id, a.name, s.place::integer, s.element, el.name_vi, s.index, nat.index, s.index - nat.index, x.index
      FROM s
      JOIN tthc.agency a ON a.id = s.agency_id
      JOIN tthc.sipas_element el ON el.code = s.element
      LEFT JOIN e nat ON nat.agency_id IS NULL AND nat.element = s.element AND nat.measure = 'satisfaction'
      LEFT JOIN e x ON x.agency_id = s.agency_id AND x.element = s.element AND x.measure = 'expectation'
     WHERE s.place <= n
     ORDER BY s.agency_id, s.place;
END
$$;
COMMENT ON FUNCTION tthc.sipas_weakest(text, integer) IS
    'Each province''s n weakest SIPAS elements (lowest satisfaction index first), with the national index, the gap to it and the expectation index';
-- ---------------------------------------------------------------------------
-- PAR INDEX: the administrative-reform index of ministries and provinces
-- (Decision 876/QĐ-BNV of 2022), yearly.  A criteria tree per year and
-- kind, loaded as a JSON document; points per agency.  Rules in
-- docs/yearly-indices.md.
-- ---------------------------------------------------------------------------

CREATE TABLE tthc.par_framework (
    year       integer NOT NULL CONSTRAINT par_framework_year_range CHECK (year BETWEEN 2000 AND 2100),
    kind       text NOT NULL CONSTRAINT par_framework_kind_known CHECK (kind IN ('ministry', 'province')),
    name       text NOT NULL,
    source     text,
    max_points numeric NOT NULL CONSTRAINT par_framework_max_positive CHECK (max_points > 0),
    document   jsonb NOT NULL,
    loaded_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (year, kind)
);
COMMENT ON TABLE tthc.par_framework IS
    'PAR INDEX criteria trees, one per year and kind (ministry or province), as loaded by tthc.load_par_framework';

-- The nodes of the trees: areas (level 1), criteria (2), sub-criteria (3).
-- A leaf is marked by how it is scored: appraisal (the self-assessment as
-- appraised) or survey (the sociological survey).
CREATE TABLE tthc.par_criterion (
    year        integer NOT NULL,
    kind        text NOT NULL,
    code        text NOT NULL,
    parent_code text,
    level       smallint NOT NULL CONSTRAINT par_criterion_level_range CHECK (level BETWEEN 1 AND 3),
    ord         integer NOT NULL,
    name        text NOT NULL,
    max_points  numeric NOT NULL CONSTRAINT par_criterion_max_positive CHECK (max_points > 0),
    appraisal_max numeric NOT NULL,
    survey_max  numeric NOT NULL,
    method      text CONSTRAINT par_criterion_method_known CHECK (method IN ('appraisal', 'survey')),
    path        text[] NOT NULL,
    PRIMARY KEY (year, kind, code),
    FOREIGN KEY (year, kind) REFERENCES tthc.par_framework (year, kind) ON DELETE CASCADE,
    FOREIGN KEY (year, kind, parent_code) REFERENCES tthc.par_criterion (year, kind, code) ON DELETE CASCADE
);
COMMENT ON TABLE tthc.par_criterion IS
    'The nodes of the PAR INDEX criteria trees: areas, criteria, sub-criteria, with maximum points (of which appraisal and survey), and how a leaf is scored';
COMMENT ON COLUMN tthc.par_criterion.path IS 'The codes from the area down to this node';

-- Points of an agency: on leaves, or on a node as a whole (when only its
-- total is known), never on both a node and a node under it.
CREATE TABLE tthc.par_points (
    year          integer NOT NULL,
    kind          text NOT NULL,
    agency_id     text NOT NULL REFERENCES tthc.agency (id) ON UPDATE CASCADE,
    code          text NOT NULL,
    self_assessed numeric,
    appraised     numeric,
    survey        numeric,
    PRIMARY KEY (year, kind, agency_id, code),
    FOREIGN KEY (year, kind, code) REFERENCES tthc.par_criterion (year, kind, code),
    CONSTRAINT par_points_some CHECK (coalesce(self_assessed, appraised, survey) IS NOT NULL),
    CONSTRAINT par_points_finite CHECK (self_assessed <> 'NaN' AND appraised <> 'NaN' AND survey <> 'NaN')
);
CREATE INDEX par_points_agency_idx ON tthc.par_points (agency_id);
COMMENT ON TABLE tthc.par_points IS
    'PAR INDEX points of an agency per criterion: self-assessed and appraised (appraisal criteria), survey (survey criteria)';

SELECT pg_catalog.pg_extension_config_dump('tthc.par_framework', '');
SELECT pg_catalog.pg_extension_config_dump('tthc.par_criterion', '');
SELECT pg_catalog.pg_extension_config_dump('tthc.par_points', '');

-- Points are checked against the tree: the agency is a ministry or a
-- province as the framework says, every amount lies within the node's
-- maxima for its method, and no node and node under it both carry points.
CREATE FUNCTION tthc.par_points_check() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    c record;
    a record;
    other text;
BEGIN
    SELECT x.* INTO c FROM tthc.par_criterion x
     WHERE x.year = NEW.year AND x.kind = NEW.kind AND x.code = NEW.code;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'PAR INDEX % % has no criterion "%"', NEW.kind, NEW.year, NEW.code
            USING ERRCODE = 'foreign_key_violation',
                  HINT = 'Load the year''s criteria tree with tthc.load_par_framework; its codes are in tthc.par_criterion.';
    END IF;
    SELECT x.kind, x.parent_id INTO a FROM tthc.agency x WHERE x.id = NEW.agency_id;
    IF FOUND AND (a.kind <> NEW.kind OR a.parent_id IS NOT NULL) THEN
        RAISE EXCEPTION 'PAR INDEX % points are for a %, and agency "%" is not one', NEW.kind, NEW.kind, NEW.agency_id
            USING ERRCODE = 'check_violation',
                  HINT = 'The PAR INDEX ranks ministries and provinces (top-level agencies).';
    END IF;
    IF NEW.self_assessed NOT BETWEEN 0 AND c.appraisal_max OR NEW.appraised NOT BETWEEN 0 AND c.appraisal_max THEN
        RAISE EXCEPTION 'PAR INDEX % % criterion "%" of agency "%": % points are outside 0..%',
                        NEW.kind, NEW.year, NEW.code, NEW.agency_id,
                        CASE WHEN NEW.self_assessed NOT BETWEEN 0 AND c.appraisal_max
                             THEN 'self-assessed ' || NEW.self_assessed ELSE 'appraised ' || NEW.appraised END,
                        c.appraisal_max
            USING ERRCODE = 'check_violation',
                  HINT = CASE WHEN c.appraisal_max = 0 THEN 'This criterion is scored by the survey only: give survey points.'
                              ELSE 'Self-assessed and appraised points lie between 0 and the appraisal maximum.' END;
    END IF;
    IF NEW.survey NOT BETWEEN 0 AND c.survey_max THEN
        RAISE EXCEPTION 'PAR INDEX % % criterion "%" of agency "%": survey % points are outside 0..%',
                        NEW.kind, NEW.year, NEW.code, NEW.agency_id, NEW.survey, c.survey_max
            USING ERRCODE = 'check_violation',
                  HINT = CASE WHEN c.survey_max = 0 THEN 'This criterion is appraised, not surveyed: give self-assessed and appraised points.'
                              ELSE 'Survey points lie between 0 and the survey maximum.' END;
    END IF;
    SELECT p.code INTO other
      FROM tthc.par_points p JOIN tthc.par_criterion x USING (year, kind, code)
     WHERE p.year = NEW.year AND p.kind = NEW.kind AND p.agency_id = NEW.agency_id AND p.code <> NEW.code
       AND (NEW.code = ANY (x.path) OR x.code = ANY (c.path))
       AND (TG_OP = 'INSERT' OR (p.year, p.kind, p.agency_id, p.code) <> (OLD.year, OLD.kind, OLD.agency_id, OLD.code))
     LIMIT 1;
    IF other IS NOT NULL THEN
        RAISE EXCEPTION 'PAR INDEX % % of agency "%": criterion "%" already has points, and "%" lies above or under it',
                        NEW.kind, NEW.year, NEW.agency_id, other, NEW.code
            USING ERRCODE = 'unique_violation',
                  HINT = 'Give points either for a criterion as a whole or for the criteria under it, not both.';
    END IF;
    RETURN NEW;
END
$$;
CREATE TRIGGER par_points_check BEFORE INSERT OR UPDATE ON tthc.par_points
    FOR EACH ROW EXECUTE FUNCTION tthc.par_points_check();

-- Internal: the "year" of a PAR INDEX document (what: "framework" or
-- "points"), checked: a whole number from 2000 to 2100.
CREATE FUNCTION tthc.par_document_year(document jsonb, what text) RETURNS integer
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    IF jsonb_typeof(document->'year') IS DISTINCT FROM 'number'
       OR (document->>'year')::numeric <> trunc((document->>'year')::numeric)
       OR (document->>'year')::numeric NOT BETWEEN 2000 AND 2100 THEN
        RAISE EXCEPTION 'invalid PAR INDEX %: "year" must be a whole number from 2000 to 2100, not %',
                        what, coalesce((document->'year')::text, 'missing')
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    RETURN (document->>'year')::integer;
END
$$;
COMMENT ON FUNCTION tthc.par_document_year(jsonb, text) IS
    'Internal: the checked year of a PAR INDEX framework or points document';

-- Load (or replace) a year's criteria tree.  Replacing is refused once
-- points were given under it.
CREATE FUNCTION tthc.load_par_framework(document jsonb) RETURNS text
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    y integer;
    k text;
    total record;
    key text;
BEGIN
    IF document IS NULL OR jsonb_typeof(document) <> 'object' THEN
        RAISE EXCEPTION 'invalid PAR INDEX framework: the document must be a JSON object, not %',
                        coalesce(jsonb_typeof(document), 'NULL')
            USING ERRCODE = 'invalid_parameter_value', HINT = 'See docs/yearly-indices.md for the format.';
    END IF;
    FOR key IN SELECT jsonb_object_keys(document) LOOP
        IF key NOT IN ('year', 'kind', 'name', 'source', 'max_points', 'areas') THEN
            RAISE EXCEPTION 'invalid PAR INDEX framework: unknown key "%"', key
                USING ERRCODE = 'invalid_parameter_value',
                      HINT = 'Keys are year, kind, name, source, max_points and areas.';
        END IF;
    END LOOP;
    y := tthc.par_document_year(document, 'framework');
    k := document->>'kind';
    IF jsonb_typeof(document->'kind') IS DISTINCT FROM 'string' OR k NOT IN ('ministry', 'province') THEN
        RAISE EXCEPTION 'invalid PAR INDEX framework: "kind" must be "ministry" or "province", not %',
                        coalesce((document->'kind')::text, 'missing')
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    IF document ? 'name' AND (jsonb_typeof(document->'name') <> 'string' OR btrim(document->>'name') = '') THEN
        RAISE EXCEPTION 'invalid PAR INDEX framework: "name" must be a non-blank string'
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    IF document ? 'source' AND jsonb_typeof(document->'source') <> 'string' THEN
        RAISE EXCEPTION 'invalid PAR INDEX framework: "source" must be a string'
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    IF jsonb_typeof(document->'areas') IS DISTINCT FROM 'array' OR jsonb_array_length(document->'areas') = 0 THEN
        RAISE EXCEPTION 'invalid PAR INDEX framework %: "areas" must be a non-empty array', y
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    IF EXISTS (SELECT 1 FROM tthc.par_points p WHERE p.year = y AND p.kind = k) THEN
        RAISE EXCEPTION 'PAR INDEX % % already has points: its criteria tree cannot be replaced', k, y
            USING ERRCODE = 'object_in_use',
                  HINT = pg_catalog.format('Delete them first: DELETE FROM tthc.par_points WHERE year = %s AND kind = %L;', y, k);
    END IF;

    -- the nodes, flattened; checked one by one, then their sums
    CREATE TEMP TABLE IF NOT EXISTS par_node (
        code text, parent_code text, level smallint, ord integer, name text, max_points numeric,
        method text, path text[], where_ text, leaf boolean) ON COMMIT DROP;
    TRUNCATE par_node;
    PERFORM tthc.par_read_nodes(document->'areas', NULL, 1, '{}', 'areas');

    SELECT n.code, count(*) AS c INTO total FROM par_node n GROUP BY n.code HAVING count(*) > 1 LIMIT 1;
    IF FOUND THEN
        RAISE EXCEPTION 'invalid PAR INDEX framework % %: code "%" is used % times', k, y, total.code, total.c
            USING ERRCODE = 'invalid_parameter_value', HINT = 'Every area, criterion and sub-criterion has its own code.';
    END IF;

    -- maxima of inner nodes: the sum of their leaves; a stated one must agree
    CREATE TEMP TABLE IF NOT EXISTS par_node_max ON COMMIT DROP AS
        SELECT ''::text AS code, 0::numeric AS appraisal_max, 0::numeric AS survey_max WITH NO DATA;
    TRUNCATE par_node_max;
    INSERT INTO par_node_max
    SELECT n.code,
           coalesce(sum(l.max_points) FILTER (WHERE l.method = 'appraisal'), 0),
           coalesce(sum(l.max_points) FILTER (WHERE l.method = 'survey'), 0)
      FROM par_node n JOIN par_node l ON l.leaf AND n.code = ANY (l.path)
     GROUP BY n.code;
    SELECT n.where_, n.max_points, m.appraisal_max + m.survey_max AS sum INTO total
      FROM par_node n JOIN par_node_max m USING (code)
     WHERE NOT n.leaf AND n.max_points IS NOT NULL AND n.max_points <> m.appraisal_max + m.survey_max
     LIMIT 1;
    IF FOUND THEN
        RAISE EXCEPTION 'invalid PAR INDEX framework % %: %: "max_points" is %, but the points under it add up to %',
                        k, y, total.where_, total.max_points, total.sum
            USING ERRCODE = 'invalid_parameter_value',
                  HINT = 'Leave "max_points" out of an area or criterion with criteria under it, or make it their sum.';
    END IF;
    SELECT sum(m.appraisal_max + m.survey_max) AS sum INTO total
      FROM par_node n JOIN par_node_max m USING (code) WHERE n.level = 1;
    IF document ? 'max_points' AND (jsonb_typeof(document->'max_points') <> 'number'
                                    OR (document->>'max_points')::numeric <> total.sum) THEN
        RAISE EXCEPTION 'invalid PAR INDEX framework % %: "max_points" is %, but the areas add up to %',
                        k, y, document->'max_points', total.sum
            USING ERRCODE = 'invalid_parameter_value';
    END IF;

    DELETE FROM tthc.par_framework f WHERE f.year = y AND f.kind = k;
    INSERT INTO tthc.par_framework (year, kind, name, source, max_points, document)
    VALUES (y, k, coalesce(document->>'name', pg_catalog.format('PAR INDEX %s (%s)', y, k)),
            document->>'source', total.sum, document);
    INSERT INTO tthc.par_criterion (year, kind, code, parent_code, level, ord, name, max_points,
                                    appraisal_max, survey_max, method, path)
    SELECT y, k, n.code, n.parent_code, n.level, n.ord, n.name, m.appraisal_max + m.survey_max,
           m.appraisal_max, m.survey_max, n.method, n.path
      FROM par_node n JOIN par_node_max m USING (code)
     ORDER BY n.level, n.ord;
    RETURN pg_catalog.format('PAR INDEX %s %s: %s areas, %s criteria, %s sub-criteria, %s points',
                             k, y,
                             (SELECT count(*) FROM par_node n WHERE n.level = 1),
                             (SELECT count(*) FROM par_node n WHERE n.level = 2),
                             (SELECT count(*) FROM par_node n WHERE n.level = 3), trim_scale(total.sum));
END
$$;
COMMENT ON FUNCTION tthc.load_par_framework(jsonb) IS
    'Load a year''s PAR INDEX criteria tree (docs/yearly-indices.md), checked; replaces one without points';

-- Internal: read an array of nodes of a framework into par_node.
CREATE FUNCTION tthc.par_read_nodes(nodes jsonb, parent text, level integer, path text[], where_ text)
RETURNS void
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    node jsonb;
    i integer := 0;
    w text;
    code text;
    key text;
    child_key text := CASE level WHEN 1 THEN 'criteria' WHEN 2 THEN 'sub_criteria' END;
    has_children boolean;
BEGIN
    FOR node IN SELECT x FROM jsonb_array_elements(nodes) x LOOP
        w := pg_catalog.format('%s[%s]', where_, i);
        IF jsonb_typeof(node) <> 'object' THEN
            RAISE EXCEPTION 'invalid PAR INDEX framework: % must be an object, not %', w, jsonb_typeof(node)
                USING ERRCODE = 'invalid_parameter_value';
        END IF;
        FOR key IN SELECT jsonb_object_keys(node) LOOP
            IF key NOT IN ('code', 'name', 'max_points', 'method') AND key IS DISTINCT FROM child_key THEN
                RAISE EXCEPTION 'invalid PAR INDEX framework: %: unknown key "%"', w, key
                    USING ERRCODE = 'invalid_parameter_value',
                          HINT = CASE level WHEN 1 THEN 'An area has code, name, max_points, method and criteria.'
                                            WHEN 2 THEN 'A criterion has code, name, max_points, method and sub_criteria.'
                                            ELSE 'A sub-criterion has code, name, max_points and method (the tree has three levels).' END;
            END IF;
        END LOOP;
        code := node->>'code';
        IF jsonb_typeof(node->'code') IS DISTINCT FROM 'string' OR code !~ '^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$' THEN
            RAISE EXCEPTION 'invalid PAR INDEX framework: %: "code" must be 1-64 letters, digits, ''.'', ''_'' or ''-'', not %',
                            w, coalesce((node->'code')::text, 'missing')
                USING ERRCODE = 'invalid_parameter_value';
        END IF;
        w := pg_catalog.format('%s ("%s")', w, code);
        IF jsonb_typeof(node->'name') IS DISTINCT FROM 'string' OR btrim(node->>'name') = '' THEN
            RAISE EXCEPTION 'invalid PAR INDEX framework: %: "name" must be a non-blank string', w
                USING ERRCODE = 'invalid_parameter_value';
        END IF;
        IF node ? 'max_points' AND (jsonb_typeof(node->'max_points') <> 'number'
                                    OR (node->>'max_points')::numeric <= 0
                                    OR (node->>'max_points')::numeric > 100) THEN
            RAISE EXCEPTION 'invalid PAR INDEX framework: %: "max_points" must be a number above 0 and at most 100, not %',
                            w, node->'max_points'
                USING ERRCODE = 'invalid_parameter_value';
        END IF;
        has_children := child_key IS NOT NULL AND node ? child_key;
        IF has_children AND (jsonb_typeof(node->child_key) <> 'array' OR jsonb_array_length(node->child_key) = 0) THEN
            RAISE EXCEPTION 'invalid PAR INDEX framework: %: "%" must be a non-empty array', w, child_key
                USING ERRCODE = 'invalid_parameter_value';
        END IF;
        IF has_children AND node ? 'method' THEN
            RAISE EXCEPTION 'invalid PAR INDEX framework: %: has "%" and a "method"', w, child_key
                USING ERRCODE = 'invalid_parameter_value',
                      HINT = 'Only the last level (a node with nothing under it) says how it is scored.';
        END IF;
        IF NOT has_children AND (NOT node ? 'max_points' OR NOT node ? 'method'
                                 OR node->>'method' NOT IN ('appraisal', 'survey')
                                 OR jsonb_typeof(node->'method') <> 'string') THEN
            RAISE EXCEPTION 'invalid PAR INDEX framework: %: a node with nothing under it needs "max_points" and a "method" of "appraisal" or "survey"', w
                USING ERRCODE = 'invalid_parameter_value';
        END IF;
        INSERT INTO par_node VALUES (code, parent, level, i, node->>'name', (node->>'max_points')::numeric,
                                     CASE WHEN NOT has_children THEN node->>'method' END, path || code, w,
                                     NOT has_children);
        IF has_children THEN
            PERFORM tthc.par_read_nodes(node->child_key, code, level + 1, path || code, w || '.' || child_key);
        END IF;
        i := i + 1;
    END LOOP;
END
$$;
COMMENT ON FUNCTION tthc.par_read_nodes(jsonb, text, integer, text[], text) IS
    'Internal: reads and checks the nodes of a PAR INDEX framework document';

-- Points as a JSON document: {"year", "kind", "points": [{"agency",
-- "criterion", "self_assessed", "appraised", "survey"}, ...]}; upserted.
CREATE FUNCTION tthc.load_par_points(document jsonb) RETURNS bigint
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    y integer;
    k text;
    n bigint;
    bad record;
BEGIN
    IF document IS NULL OR jsonb_typeof(document) <> 'object'
       OR jsonb_typeof(document->'points') IS DISTINCT FROM 'array' THEN
        RAISE EXCEPTION 'invalid PAR INDEX points: the document must be an object with a "points" array'
            USING ERRCODE = 'invalid_parameter_value', HINT = 'See docs/yearly-indices.md for the format.';
    END IF;
    y := tthc.par_document_year(document, 'points');
    k := document->>'kind';
    IF NOT EXISTS (SELECT 1 FROM tthc.par_framework f WHERE f.year = y AND f.kind = k) THEN
        RAISE EXCEPTION 'no PAR INDEX framework for % %', coalesce(k, 'kind NULL'), y
            USING ERRCODE = 'undefined_object', HINT = 'Load it first with tthc.load_par_framework.';
    END IF;
    SELECT e.ord - 1 AS i, e.x INTO bad
      FROM jsonb_array_elements(document->'points') WITH ORDINALITY e(x, ord)
     WHERE jsonb_typeof(e.x) <> 'object'
        OR jsonb_typeof(e.x->'agency') IS DISTINCT FROM 'string'
        OR jsonb_typeof(e.x->'criterion') IS DISTINCT FROM 'string'
        OR EXISTS (SELECT 1 FROM jsonb_object_keys(e.x) kk
                    WHERE kk NOT IN ('agency', 'criterion', 'self_assessed', 'appraised', 'survey'))
        OR EXISTS (SELECT 1 FROM unnest(ARRAY['self_assessed', 'appraised', 'survey']) f
                    WHERE e.x ? f AND jsonb_typeof(e.x->f) NOT IN ('number', 'null'))
     ORDER BY e.ord LIMIT 1;
    IF FOUND THEN
        RAISE EXCEPTION 'invalid PAR INDEX points: points[%] is %', bad.i, bad.x
            USING ERRCODE = 'invalid_parameter_value',
                  HINT = 'Each item is {"agency": text, "criterion": text} with numbers among "self_assessed", "appraised" and "survey".';
    END IF;
    INSERT INTO tthc.par_points AS p (year, kind, agency_id, code, self_assessed, appraised, survey)
    SELECT y, k, e.x->>'agency', e.x->>'criterion', (e.x->>'self_assessed')::numeric,
           (e.x->>'appraised')::numeric, (e.x->>'survey')::numeric
      FROM jsonb_array_elements(document->'points') e(x)
    ON CONFLICT (year, kind, agency_id, code) DO UPDATE
       SET self_assessed = excluded.self_assessed, appraised = excluded.appraised, survey = excluded.survey;
    GET DIAGNOSTICS n = ROW_COUNT;
    RETURN n;
END
$$;
COMMENT ON FUNCTION tthc.load_par_points(jsonb) IS
    'Load PAR INDEX points of agencies from a JSON document (docs/yearly-indices.md), checked; returns the number of rows written';

-- Per agency and area (area NULL: the whole index): points, maximum,
-- index, and whether every leaf is covered.
CREATE FUNCTION tthc.par_areas(year integer, kind text)
RETURNS TABLE (agency_id text, area text, area_name text, self_assessed numeric, appraised numeric,
               survey numeric, points numeric, max_points numeric, index numeric, complete boolean)
LANGUAGE plpgsql STABLE PARALLEL SAFE SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM tthc.par_framework f WHERE f.year = par_areas.year AND f.kind = par_areas.kind) THEN
        RAISE EXCEPTION 'no PAR INDEX framework for % %', coalesce(par_areas.kind, 'kind NULL'),
                        coalesce(par_areas.year::text, 'NULL')
            USING ERRCODE = 'undefined_object', HINT = 'Frameworks are listed in tthc.par_framework.';
    END IF;
    RETURN QUERY
    WITH c AS (SELECT x.* FROM tthc.par_criterion x WHERE x.year = par_areas.year AND x.kind = par_areas.kind),
    p AS (SELECT q.agency_id, q.self_assessed, q.appraised, q.survey, c.path, c.code
            FROM tthc.par_points q JOIN c USING (code)
           WHERE q.year = par_areas.year AND q.kind = par_areas.kind
             AND ((SELECT tthc.visible_agencies()) IS NULL OR q.agency_id = ANY (tthc.visible_agencies()))),
    ag AS (SELECT DISTINCT p.agency_id FROM p),
    leaf AS (SELECT c.code, c.path FROM c WHERE c.method IS NOT NULL),
    -- a leaf is covered when it or a node above it has points
    covered AS (SELECT DISTINCT p.agency_id, l.code, l.path[1] AS area FROM leaf l JOIN p ON p.code = ANY (l.path)),
    nleaf AS (SELECT l.path[1] AS area, count(*) AS n FROM leaf l GROUP BY 1),
    ncov AS (SELECT v.agency_id, v.area, count(*) AS n FROM covered v GROUP BY 1, 2),
    cov AS (SELECT ag.agency_id, nl.area, coalesce(nc.n, 0) = nl.n AS complete
              FROM ag CROSS JOIN nleaf nl
              LEFT JOIN ncov nc ON nc.agency_id = ag.agency_id AND nc.area = nl.area),
    s AS (SELECT p.agency_id, p.path[1] AS area, sum(p.self_assessed) AS self_assessed,
                 sum(p.appraised) AS appraised, sum(p.survey) AS survey
            FROM p GROUP BY GROUPING SETS ((p.agency_id, p.path[1]), (p.agency_id))),
    grid AS (SELECT ag.agency_id, a.code AS area, a.name, a.max_points, a.ord
               FROM ag CROSS JOIN c a WHERE a.level = 1
             UNION ALL
             SELECT ag.agency_id, NULL, NULL, f.max_points, -1
               FROM ag, tthc.par_framework f WHERE f.year = par_areas.year AND f.kind = par_areas.kind)
    SELECT g.agency_id, g.area, g.name, trim_scale(s.self_assessed), trim_scale(s.appraised), trim_scale(s.survey),
           trim_scale(coalesce(s.appraised, 0) + coalesce(s.survey, 0)), trim_scale(g.max_points),
           round(100 * (coalesce(s.appraised, 0) + coalesce(s.survey, 0)) / g.max_points, 2),
           CASE WHEN g.area IS NULL THEN (SELECT bool_and(v.complete) FROM cov v WHERE v.agency_id = g.agency_id)
                ELSE (SELECT v.complete FROM cov v WHERE v.agency_id = g.agency_id AND v.area = g.area) END
      FROM grid g
      LEFT JOIN s ON s.agency_id = g.agency_id AND s.area IS NOT DISTINCT FROM g.area
     ORDER BY g.agency_id, g.ord;
END
$$;
COMMENT ON FUNCTION tthc.par_areas(integer, text) IS
    'PAR INDEX points of each agency per area (area NULL: the whole index), with the index in percent of the maximum and whether every criterion has points';

-- The PAR INDEX ranking of a year and kind, with the change since the
-- previous year's.
CREATE FUNCTION tthc.par_results(year integer, kind text)
RETURNS TABLE (rank integer, agency_id text, name text, self_assessed numeric, appraised numeric,
               survey numeric, points numeric, max_points numeric, index numeric, complete boolean,
               previous numeric, change numeric, previous_rank integer)
LANGUAGE sql STABLE PARALLEL SAFE SET search_path = pg_catalog, pg_temp AS $$
    WITH cur AS (SELECT * FROM tthc.par_areas(year, kind) x WHERE x.area IS NULL),
    prev AS (SELECT x.agency_id, x.index,
                    rank() OVER (ORDER BY x.points / x.max_points DESC) AS rk
               FROM tthc.par_framework f, tthc.par_areas(f.year, f.kind) x
              WHERE f.year = par_results.year - 1 AND f.kind = par_results.kind AND x.area IS NULL),
    r AS (SELECT cur.*, rank() OVER (ORDER BY cur.points / cur.max_points DESC) AS rk FROM cur)
    SELECT r.rk::integer, r.agency_id, a.name, r.self_assessed, r.appraised, r.survey, r.points,
           r.max_points, r.index, r.complete, prev.index, r.index - prev.index, prev.rk::integer
      FROM r
      JOIN tthc.agency a ON a.id = r.agency_id
      LEFT JOIN prev ON prev.agency_id = r.agency_id
     ORDER BY r.rk, r.agency_id
$$;
COMMENT ON FUNCTION tthc.par_results(integer, text) IS
    'PAR INDEX ranking of a year and kind: appraised + survey points, the index in percent of the maximum, and the change since the year before';
-- ---------------------------------------------------------------------------
-- One-stop evaluation (Circular 01/2018/TT-VPCP): every dossier is judged on
-- 9 criteria of 2 points each; units and officers get the mean, per
-- quarter, and a band.  Rules in docs/yearly-indices.md.
-- ---------------------------------------------------------------------------

-- The 9 criteria.  source data: computed from the dossier; rating: entered
-- in tthc.onestop_rating.
CREATE TABLE tthc.onestop_criterion (
    no         smallint PRIMARY KEY CONSTRAINT onestop_criterion_no_range CHECK (no BETWEEN 1 AND 9),
    code       text NOT NULL UNIQUE,
    name_vi    text NOT NULL,
    name_en    text NOT NULL,
    source     text NOT NULL CONSTRAINT onestop_criterion_source_known CHECK (source IN ('data', 'rating')),
    max_points numeric NOT NULL DEFAULT 2
);
COMMENT ON TABLE tthc.onestop_criterion IS
    'The 9 criteria of the one-stop evaluation (Circular 01/2018/TT-VPCP), 2 points each; source data: computed from the dossier, rating: entered';
INSERT INTO tthc.onestop_criterion (no, code, name_vi, name_en, source) VALUES
    (1, 'total_time',  'Tổng thời gian giải quyết so với thời hạn quy định',
        'Total handling time against the time limit', 'data'),
    (2, 'agency_time', 'Thời gian thực hiện của từng cơ quan, đơn vị tham gia giải quyết',
        'Time of each agency taking part', 'data'),
    (3, 'returns',     'Số lần phải liên hệ để hoàn thiện hồ sơ',
        'Times the applicant had to come back to complete the dossier', 'data'),
    (4, 'bodies',      'Số cơ quan, đơn vị, tổ chức phải liên hệ',
        'Number of bodies the applicant had to contact', 'rating'),
    (5, 'one_stop',    'Việc tiếp nhận, giải quyết tại Bộ phận Một cửa',
        'Received and handled at the one-stop unit', 'rating'),
    (6, 'posted',      'Công khai thủ tục hành chính',
        'Procedure publicly posted', 'rating'),
    (7, 'attitude',    'Thái độ của cán bộ, công chức, viên chức',
        'Attitude of the officials', 'rating'),
    (8, 'feedback',    'Tiếp thu, giải trình ý kiến, phản ánh, kiến nghị',
        'Handling of feedback', 'rating'),
    (9, 'online',      'Tiến độ, chất lượng cung cấp dịch vụ công trực tuyến',
        'Online service progress and quality', 'data');

-- Bands of the total (out of 18), as data: the band of a total is the
-- highest one whose lower bound it reaches.  The shipped set is
-- circular-01-2018; others are kept by pg_dump.
CREATE TABLE tthc.onestop_band (
    band_set      text NOT NULL CONSTRAINT onestop_band_set_format CHECK (band_set ~ '^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$'),
    code          text NOT NULL,
    name_vi       text NOT NULL,
    min_points    numeric NOT NULL CONSTRAINT onestop_band_min_range CHECK (min_points BETWEEN 0 AND 18),
    min_inclusive boolean NOT NULL DEFAULT true,
    PRIMARY KEY (band_set, code),
    CONSTRAINT onestop_band_bound_unique UNIQUE (band_set, min_points, min_inclusive)
);
COMMENT ON TABLE tthc.onestop_band IS
    'Bands of the one-stop total (0-18): a total is in the highest band whose lower bound (min_points, inclusive or not) it reaches';
INSERT INTO tthc.onestop_band VALUES
    ('circular-01-2018', 'xuat_sac',   'xuất sắc',   15, false),
    ('circular-01-2018', 'tot',        'tốt',        12, true),
    ('circular-01-2018', 'kha',        'khá',        9,  true),
    ('circular-01-2018', 'trung_binh', 'trung bình', 6,  true),
    ('circular-01-2018', 'yeu',        'yếu',        0,  true);
SELECT pg_catalog.pg_extension_config_dump('tthc.onestop_band', 'WHERE band_set <> ''circular-01-2018''');

CREATE FUNCTION tthc.onestop_band_guard() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    IF (TG_OP <> 'INSERT' AND OLD.band_set = 'circular-01-2018')
       OR (TG_OP <> 'DELETE' AND NEW.band_set = 'circular-01-2018') THEN
        RAISE EXCEPTION 'band set "circular-01-2018" is shipped with tthc and cannot be changed'
            USING ERRCODE = 'insufficient_privilege',
                  HINT = 'Insert your bands under a band set of your own and pass its name to the evaluation functions.';
    END IF;
    RETURN CASE TG_OP WHEN 'DELETE' THEN OLD ELSE NEW END;
END
$$;
CREATE TRIGGER onestop_band_guard BEFORE INSERT OR UPDATE OR DELETE ON tthc.onestop_band
    FOR EACH ROW EXECUTE FUNCTION tthc.onestop_band_guard();

-- The band of a total in a band set.
CREATE FUNCTION tthc.onestop_band_of(total numeric, band_set text DEFAULT 'circular-01-2018') RETURNS text
LANGUAGE plpgsql STABLE PARALLEL SAFE SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    b text;
BEGIN
    IF NOT EXISTS (SELECT 1 FROM tthc.onestop_band x WHERE x.band_set = onestop_band_of.band_set) THEN
        RAISE EXCEPTION 'unknown band set "%"', band_set
            USING ERRCODE = 'undefined_object', HINT = 'Band sets are in tthc.onestop_band.';
    END IF;
    IF total IS NULL THEN
        RETURN NULL;
    END IF;
    IF total = 'NaN' OR total < 0 OR total > 18 THEN
        RAISE EXCEPTION 'one-stop total % is outside 0 to 18', total
            USING ERRCODE = 'invalid_parameter_value', HINT = 'The total is of 9 criteria of 2 points.';
    END IF;
    SELECT x.name_vi INTO b FROM tthc.onestop_band x
     WHERE x.band_set = onestop_band_of.band_set
       AND (total > x.min_points OR (x.min_inclusive AND total = x.min_points))
     ORDER BY x.min_points DESC, x.min_inclusive LIMIT 1;
    RETURN b;
END
$$;
COMMENT ON FUNCTION tthc.onestop_band_of(numeric, text) IS
    'The band (Vietnamese name) of a one-stop total: above 15 xuất sắc, 12-15 tốt, 9-12 khá, 6-9 trung bình, below 6 yếu (circular-01-2018)';

-- Ratings entered for the criteria data cannot decide (4 to 8), per dossier.
CREATE TABLE tthc.onestop_rating (
    dossier_code text NOT NULL,
    criterion    smallint NOT NULL REFERENCES tthc.onestop_criterion (no),
    points       smallint NOT NULL CONSTRAINT onestop_rating_points_range CHECK (points BETWEEN 0 AND 2),
    rated_by     text,
    rated_at     timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (dossier_code, criterion)
);
COMMENT ON TABLE tthc.onestop_rating IS
    'Entered one-stop ratings (0, 1 or 2 points) of the criteria the dossier data cannot decide (4 to 8)';
-- to tthc.dossier, or to tthc.dossier_code when dossiers are partitioned by month
DO $tthc$
BEGIN
    EXECUTE format('ALTER TABLE tthc.onestop_rating ADD FOREIGN KEY (dossier_code) REFERENCES %s (code) '
                   'ON UPDATE CASCADE ON DELETE CASCADE',
                   CASE WHEN to_regclass('tthc.dossier_code') IS NULL THEN 'tthc.dossier' ELSE 'tthc.dossier_code' END);
END
$tthc$;
SELECT pg_catalog.pg_extension_config_dump('tthc.onestop_rating', '');

CREATE FUNCTION tthc.onestop_rating_check() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    c record;
BEGIN
    SELECT x.code, x.source INTO c FROM tthc.onestop_criterion x WHERE x.no = NEW.criterion;
    IF FOUND AND c.source = 'data' THEN
        RAISE EXCEPTION 'one-stop criterion % (%) of dossier "%" is computed from the dossier data and cannot be rated',
                        NEW.criterion, c.code, NEW.dossier_code
            USING ERRCODE = 'check_violation',
                  HINT = 'Ratings are entered for criteria 4 to 8; correct the dossier row to change criteria 1, 2, 3 and 9.';
    END IF;
    RETURN NEW;
END
$$;
CREATE TRIGGER onestop_rating_check BEFORE INSERT OR UPDATE ON tthc.onestop_rating
    FOR EACH ROW EXECUTE FUNCTION tthc.onestop_rating_check();

-- A login rates only dossiers it can see.
ALTER TABLE tthc.onestop_rating ENABLE ROW LEVEL SECURITY;
CREATE POLICY onestop_rating_by_dossier ON tthc.onestop_rating
    USING (EXISTS (SELECT 1 FROM tthc.dossier d WHERE d.code = dossier_code))
    WITH CHECK (EXISTS (SELECT 1 FROM tthc.dossier d WHERE d.code = dossier_code));

-- Internal: the arguments of the evaluation functions, checked.
CREATE FUNCTION tthc.onestop_args_ok(agency text, "from" date, "to" date) RETURNS boolean
LANGUAGE plpgsql STABLE PARALLEL SAFE SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    IF agency IS NULL OR NOT EXISTS (SELECT 1 FROM tthc.agency a WHERE a.id = agency) THEN
        RAISE EXCEPTION 'unknown agency "%"', coalesce(agency, 'NULL')
            USING ERRCODE = 'undefined_object', HINT = 'Agencies are listed in tthc.agency.';
    END IF;
    IF "from" IS NULL OR "to" IS NULL OR "from" > "to" OR NOT isfinite("from") OR NOT isfinite("to") THEN
        RAISE EXCEPTION 'invalid period % to %', coalesce("from"::text, 'NULL'), coalesce("to"::text, 'NULL')
            USING ERRCODE = 'invalid_parameter_value',
                  HINT = 'Give finite dates with from <= to, e.g. from tthc.period(''quarter'', 2026, 3).';
    END IF;
    RETURN true;
END
$$;
COMMENT ON FUNCTION tthc.onestop_args_ok(text, date, date) IS
    'Internal: true when the agency and period of a one-stop evaluation are valid, an error otherwise';

-- Every dossier of a subtree finished in a period, with the points of the
-- 9 criteria (NULL: not decided) and their total when all 9 are decided.
CREATE FUNCTION tthc.onestop_dossiers(agency text, "from" date, "to" date)
RETURNS TABLE (dossier_code text, agency_id text, procedure_code text, finished_at timestamptz,
               c1 numeric, c2 numeric, c3 numeric, c4 numeric, c5 numeric, c6 numeric, c7 numeric,
               c8 numeric, c9 numeric, total numeric, officers text[])
LANGUAGE plpgsql STABLE PARALLEL SAFE SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    lo timestamptz;
    hi timestamptz;
    sub text[];
BEGIN
    PERFORM tthc.onestop_args_ok(agency, "from", "to");
    lo := ("from"::timestamp AT TIME ZONE 'Asia/Ho_Chi_Minh');
    hi := (("to" + 1)::timestamp AT TIME ZONE 'Asia/Ho_Chi_Minh');
    -- the subtree as an array: the planner then knows how many units it has
    sub := ARRAY(SELECT s.id FROM tthc.agency_subtree(agency) s);
    RETURN QUERY
    WITH d AS (
        SELECT x.*, (tthc.late_days(x, x.finished_at)).late AS late
          FROM tthc.dossier x WHERE x.agency_id = ANY (sub)
         -- a finished dossier was received before it finished (the row's
         -- checks): the index on (agency_id, received_at) bounds the scan
           AND x.received_at < hi AND x.finished_at >= lo AND x.finished_at < hi),
    p AS (
        SELECT d.code, d.agency_id, d.procedure_code, d.finished_at,
               -- 1: late at its finish 0, finished on the due day 1, before it 2;
               -- no due date (no time limit): not decided
               CASE WHEN d.late THEN 0
                    WHEN d.due_at IS NULL THEN NULL
                    WHEN (d.finished_at AT TIME ZONE 'Asia/Ho_Chi_Minh')::date
                         < (d.due_at AT TIME ZONE 'Asia/Ho_Chi_Minh')::date THEN 2
                    ELSE 1 END::numeric AS c1,
               st.any_late, st.all_ahead, st.steps,
               -- 3: no supplement 2, one 1, more 0
               CASE WHEN d.supplement_requests = 0 THEN 2 WHEN d.supplement_requests = 1 THEN 1 ELSE 0 END::numeric AS c3,
               -- 9: online 2, offered online but not used 1, not offered 0
               CASE WHEN d.channel = 2 THEN 2
                    WHEN EXISTS (SELECT 1 FROM tthc.service v WHERE v.agency_id = d.agency_id
                                    AND v.procedure_code = d.procedure_code AND v.online_level IS NOT NULL) THEN 1
                    ELSE 0 END::numeric AS c9,
               st.officers
          FROM d
          LEFT JOIN LATERAL (
              SELECT count(*) FILTER (WHERE s.deadline_at IS NOT NULL) AS steps,
                     bool_or((tthc.step_lateness(s, coalesce(s.ended_at, d.finished_at))).late)
                         FILTER (WHERE s.deadline_at IS NOT NULL) AS any_late,
                     bool_and(s.ended_at IS NOT NULL
                              AND (s.ended_at AT TIME ZONE 'Asia/Ho_Chi_Minh')::date
                                  < (s.deadline_at AT TIME ZONE 'Asia/Ho_Chi_Minh')::date)
                         FILTER (WHERE s.deadline_at IS NOT NULL) AS all_ahead,
                     array_agg(DISTINCT s.officer) FILTER (WHERE s.officer IS NOT NULL) AS officers
                FROM tthc.dossier_step s WHERE s.dossier_code = d.code) st ON true),
    q AS (
        SELECT p.*,
               -- 2: with steps that have deadlines, any late 0, all ended before their deadline day 2,
               -- else 1; without, the unit handled it alone: criterion 1
               CASE WHEN p.steps = 0 OR p.steps IS NULL THEN p.c1
                    WHEN p.any_late THEN 0 WHEN p.all_ahead THEN 2 ELSE 1 END::numeric AS c2,
               r.c4::numeric AS c4, r.c5::numeric AS c5, r.c6::numeric AS c6, r.c7::numeric AS c7, r.c8::numeric AS c8
          FROM p
          -- the dossier's ratings, looked up by its key
          LEFT JOIN LATERAL (
              SELECT max(g.points) FILTER (WHERE g.criterion = 4) AS c4, max(g.points) FILTER (WHERE g.criterion = 5) AS c5,
                     max(g.points) FILTER (WHERE g.criterion = 6) AS c6, max(g.points) FILTER (WHERE g.criterion = 7) AS c7,
                     max(g.points) FILTER (WHERE g.criterion = 8) AS c8
                FROM tthc.onestop_rating g WHERE g.dossier_code = p.code) r ON true)
    SELECT q.code, q.agency_id, q.procedure_code, q.finished_at, q.c1, q.c2, q.c3, q.c4, q.c5, q.c6, q.c7,
           q.c8, q.c9, q.c1 + q.c2 + q.c3 + q.c4 + q.c5 + q.c6 + q.c7 + q.c8 + q.c9, coalesce(q.officers, '{}')
      FROM q
     ORDER BY q.finished_at, q.code;
END
$$;
COMMENT ON FUNCTION tthc.onestop_dossiers(text, date, date) IS
    'One-stop evaluation of each dossier of an agency''s subtree finished in a period: points of the 9 criteria (NULL: not decided), total when all are decided, officers of its steps';

-- Per unit (each agency of the subtree, its own dossiers) or per officer
-- (each officer of a step, with the step's agency, over the dossiers whose
-- steps they handled):
-- the mean of each criterion over the dossiers that decide it, the total
-- (their sum, when all 9 are decided) and its band.
CREATE FUNCTION tthc.onestop_evaluation(agency text, "from" date, "to" date, per text DEFAULT 'unit',
                                        band_set text DEFAULT 'circular-01-2018', min_dossiers integer DEFAULT 1)
RETURNS TABLE (agency_id text, officer text, dossiers bigint, c1 numeric, c2 numeric, c3 numeric,
               c4 numeric, c5 numeric, c6 numeric, c7 numeric, c8 numeric, c9 numeric,
               total numeric, band text, rank integer, missing integer[])
LANGUAGE plpgsql STABLE PARALLEL SAFE SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    IF per IS NULL OR per NOT IN ('unit', 'officer') THEN
        RAISE EXCEPTION 'per must be ''unit'' or ''officer'', not %', coalesce(quote_literal(per), 'NULL')
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    PERFORM tthc.onestop_args_ok(agency, "from", "to");
    PERFORM tthc.onestop_band_of(NULL, band_set);
    IF min_dossiers IS NULL OR min_dossiers < 1 THEN
        RAISE EXCEPTION 'min_dossiers must be 1 or more, not %', coalesce(min_dossiers::text, 'NULL')
            USING ERRCODE = 'invalid_parameter_value',
                  HINT = 'Units and officers with fewer dossiers are listed without a rank.';
    END IF;
    RETURN QUERY
    WITH d AS (SELECT * FROM tthc.onestop_dossiers(agency, "from", "to")),
    x AS (
        SELECT d.*, d.agency_id AS unit, NULL::text AS who FROM d WHERE per = 'unit'
        UNION ALL
        SELECT DISTINCT ON (d.dossier_code, s.agency_id, s.officer) d.*, s.agency_id, s.officer
          FROM d JOIN tthc.dossier_step s ON s.dossier_code = d.dossier_code AND s.officer IS NOT NULL
         WHERE per = 'officer'),
    m AS (
        SELECT x.unit, x.who, count(*) AS n,
               round(avg(x.c1), 2) AS c1, round(avg(x.c2), 2) AS c2, round(avg(x.c3), 2) AS c3,
               round(avg(x.c4), 2) AS c4, round(avg(x.c5), 2) AS c5, round(avg(x.c6), 2) AS c6,
               round(avg(x.c7), 2) AS c7, round(avg(x.c8), 2) AS c8, round(avg(x.c9), 2) AS c9,
               avg(x.c1) + avg(x.c2) + avg(x.c3) + avg(x.c4) + avg(x.c5) + avg(x.c6) + avg(x.c7)
                   + avg(x.c8) + avg(x.c9) AS total
          FROM x
         GROUP BY x.unit, x.who)
    SELECT m.unit, m.who, m.n, m.c1, m.c2, m.c3, m.c4, m.c5, m.c6, m.c7, m.c8, m.c9,
           round(m.total, 2), tthc.onestop_band_of(m.total, band_set),
           CASE WHEN m.total IS NOT NULL AND m.n >= min_dossiers
                THEN (rank() OVER (ORDER BY CASE WHEN m.n >= min_dossiers THEN m.total END DESC NULLS LAST))::integer END,
           ARRAY(SELECT i FROM unnest(ARRAY[m.c1, m.c2, m.c3, m.c4, m.c5, m.c6, m.c7, m.c8, m.c9])
                                WITH ORDINALITY u(v, i) WHERE u.v IS NULL ORDER BY i)::integer[]
      FROM m
     ORDER BY 15 NULLS LAST, 1, 2;
END
$$;
COMMENT ON FUNCTION tthc.onestop_evaluation(text, date, date, text, text, integer) IS
    'One-stop evaluation per unit (each agency of the subtree, its own dossiers) or per officer: mean points of the 9 criteria, the total out of 18 and its band, rank (among those with at least min_dossiers dossiers), and the criteria without data';

-- The same for a quarter of a year: what units report each quarter.
CREATE FUNCTION tthc.onestop_quarter(agency text, year integer, quarter integer, per text DEFAULT 'unit',
                                     band_set text DEFAULT 'circular-01-2018', min_dossiers integer DEFAULT 1)
RETURNS TABLE (agency_id text, officer text, dossiers bigint, c1 numeric, c2 numeric, c3 numeric,
               c4 numeric, c5 numeric, c6 numeric, c7 numeric, c8 numeric, c9 numeric,
               total numeric, band text, rank integer, missing integer[])
LANGUAGE sql STABLE PARALLEL SAFE SET search_path = pg_catalog, pg_temp AS $$
    SELECT e.* FROM tthc.period('quarter', year, quarter) q,
                    tthc.onestop_evaluation(agency, lower(q), upper(q) - 1, per, band_set, min_dossiers) e
$$;
COMMENT ON FUNCTION tthc.onestop_quarter(text, integer, integer, text, text, integer) IS
    'tthc.onestop_evaluation over quarter 1-4 of a year: per unit or per officer, the 9 means, total, band, rank';
-- ---------------------------------------------------------------------------
-- One view of an agency: its 766 result, SIPAS, PAR INDEX and one-stop
-- evaluation of a year side by side, and its weakest points across them.
-- ---------------------------------------------------------------------------

-- Internal: true for a known agency and a year from 2000 to 2100, an error otherwise.
CREATE FUNCTION tthc.agency_year_ok(agency text, year integer) RETURNS boolean
LANGUAGE plpgsql STABLE PARALLEL SAFE SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    IF agency IS NULL OR NOT EXISTS (SELECT 1 FROM tthc.agency x WHERE x.id = agency) THEN
        RAISE EXCEPTION 'unknown agency "%"', coalesce(agency, 'NULL')
            USING ERRCODE = 'undefined_object', HINT = 'Agencies are listed in tthc.agency.';
    END IF;
    IF year IS NULL OR year NOT BETWEEN 2000 AND 2100 THEN
        RAISE EXCEPTION 'year must be from 2000 to 2100, not %', coalesce(year::text, 'NULL')
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    RETURN true;
END
$$;
COMMENT ON FUNCTION tthc.agency_year_ok(text, integer) IS
    'Internal: true for a known agency and a year from 2000 to 2100, an error otherwise';

-- Internal: an agency's results of a year in the four indices, each index
-- computed once.  A row with item NULL is an index's headline (result,
-- maximum, rank among how many, grade or band); the others are its items
-- (766 groups, SIPAS elements, PAR INDEX areas, one-stop criteria) with
-- what they compare with: the mean of the agency's peers (766 groups, PAR
-- INDEX areas) or the national index (SIPAS elements).
CREATE FUNCTION tthc.agency_results(agency text, year integer)
RETURNS TABLE (index text, item text, name text, result numeric, max_points numeric, percent numeric,
               rank integer, ranked integer, grade text, compared_with numeric)
LANGUAGE plpgsql STABLE PARALLEL SAFE SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    a record;
    first date;
    last date;
    wave text;
    has_par boolean;
BEGIN
    PERFORM tthc.agency_year_ok(agency, year);
    SELECT x.id, x.parent_id, x.kind INTO a FROM tthc.agency x WHERE x.id = agency;
    first := make_date(year, 1, 1);
    last := make_date(year, 12, 31);
    -- SIPAS judges provinces, the PAR INDEX ministries and provinces
    IF a.parent_id IS NULL AND a.kind = 'province' THEN
        SELECT w.id INTO wave FROM tthc.sipas_wave w WHERE w.year = agency_results.year ORDER BY w.id DESC LIMIT 1;
    END IF;
    has_par := a.parent_id IS NULL
               AND EXISTS (SELECT 1 FROM tthc.par_framework f WHERE f.year = agency_results.year AND f.kind = a.kind);

    RETURN QUERY
    WITH
    -- 766: the groups of the agency and its peers (the same parent, and at
    -- the top the same kind), from which the scoreboard's totals and ranks
    g AS MATERIALIZED (
        SELECT s.agency_id, s.group_code, s.group_name, s.points, s.max_points, x.kind
          FROM tthc.scoreboard_groups(first, last, a.parent_id) s JOIN tthc.agency x ON x.id = s.agency_id),
    gt AS (
        SELECT g.agency_id, g.kind, sum(g.points) AS points, sum(g.max_points) AS mx,
               CASE WHEN sum(g.max_points) > 0 THEN 100 * sum(g.points) / sum(g.max_points) END AS pct
          FROM g GROUP BY 1, 2),
    gr AS (
        SELECT gt.*, rank() OVER (ORDER BY gt.pct DESC NULLS LAST) AS rk, count(*) OVER () AS n
          FROM gt WHERE gt.kind = a.kind OR a.parent_id IS NOT NULL),
    r766 AS (
        SELECT '766'::text AS ix, NULL::text AS it, NULL::text AS nm, round(gr.points, 2) AS res, gr.mx,
               round(gr.pct, 2) AS pct, gr.rk::integer AS rk, gr.n::integer AS n,
               CASE WHEN gr.pct IS NOT NULL THEN tthc.grade(least(gr.pct, 100)) END AS grd, NULL::numeric AS ref
          FROM gr WHERE gr.agency_id = agency
        UNION ALL
        SELECT '766', g.group_code, g.group_name, round(g.points, 2), g.max_points,
               round(100 * g.points / g.max_points, 2), NULL, NULL, NULL,
               round((SELECT avg(100 * o.points / o.max_points) FROM g o
                       WHERE o.group_code = g.group_code AND o.max_points > 0
                         AND (o.kind = a.kind OR a.parent_id IS NOT NULL)), 2)
          FROM g WHERE g.agency_id = agency AND g.max_points > 0),
    -- SIPAS: the wave's results and element indices, once each
    sr AS MATERIALIZED (SELECT * FROM tthc.sipas_results(wave) x WHERE wave IS NOT NULL),
    se AS MATERIALIZED (SELECT * FROM tthc.sipas_elements(wave) x WHERE wave IS NOT NULL AND x.measure = 'satisfaction'),
    rsip AS (
        SELECT 'sipas'::text, NULL::text, NULL::text, sr.sipas, 100::numeric, sr.sipas, sr.rank,
               (SELECT count(*) FROM sr o WHERE o.agency_id IS NOT NULL)::integer, NULL::text, NULL::numeric
          FROM sr WHERE sr.agency_id = agency
        UNION ALL
        SELECT 'sipas', se.element, el.name_vi, se.index, 100, se.index, NULL, NULL, NULL, nat.index
          FROM se JOIN tthc.sipas_element el ON el.code = se.element
          LEFT JOIN se nat ON nat.agency_id IS NULL AND nat.element = se.element
         WHERE se.agency_id = agency),
    -- PAR INDEX: every agency's areas of the year, once
    pa AS MATERIALIZED (SELECT * FROM tthc.par_areas(year, a.kind) x WHERE has_par),
    pr AS (SELECT pa.*, rank() OVER (ORDER BY pa.points / pa.max_points DESC) AS rk, count(*) OVER () AS n
             FROM pa WHERE pa.area IS NULL),
    rpar AS (
        SELECT 'par'::text, NULL::text, NULL::text, pr.points, pr.max_points, pr.index, pr.rk::integer,
               pr.n::integer, NULL::text, NULL::numeric
          FROM pr WHERE pr.agency_id = agency
        UNION ALL
        SELECT 'par', pa.area, pa.area_name, pa.points, pa.max_points, pa.index, NULL, NULL, NULL,
               round((SELECT avg(o.index) FROM pa o WHERE o.area = pa.area), 2)
          FROM pa WHERE pa.agency_id = agency AND pa.area IS NOT NULL),
    -- one-stop: the means of the year's dossiers of the subtree, once
    om AS MATERIALIZED (
        SELECT ARRAY[avg(d.c1), avg(d.c2), avg(d.c3), avg(d.c4), avg(d.c5), avg(d.c6), avg(d.c7), avg(d.c8),
                     avg(d.c9)] AS m, count(*) AS n
          FROM tthc.onestop_dossiers(agency, first, last) d),
    ros AS (
        SELECT 'onestop'::text, NULL::text, NULL::text, round(t.total, 2), 18::numeric, round(100 * t.total / 18, 2),
               NULL::integer, NULL::integer, tthc.onestop_band_of(t.total), NULL::numeric
          FROM (SELECT om.m[1] + om.m[2] + om.m[3] + om.m[4] + om.m[5] + om.m[6] + om.m[7] + om.m[8] + om.m[9] AS total
                  FROM om WHERE om.n > 0) t
        UNION ALL
        SELECT 'onestop', c.code, c.name_vi, round(om.m[c.no], 2), c.max_points, round(100 * om.m[c.no] / c.max_points, 2),
               NULL, NULL, NULL, NULL
          FROM om CROSS JOIN tthc.onestop_criterion c WHERE om.n > 0 AND om.m[c.no] IS NOT NULL)
    SELECT * FROM r766 UNION ALL SELECT * FROM rsip UNION ALL SELECT * FROM rpar UNION ALL SELECT * FROM ros;
END
$$;
COMMENT ON FUNCTION tthc.agency_results(text, integer) IS
    'Internal: an agency''s headline results (item NULL) and items of a year in the 766 index, SIPAS, PAR INDEX and the one-stop evaluation, each computed once';

-- Every item of the four indices for an agency and a year, in percent of
-- its maximum, with what it compares with and the gap.  Weakest first: the
-- items furthest below what they compare with, then those without a
-- comparison (one-stop criteria) from the lowest percent.
CREATE FUNCTION tthc.agency_weak_points(agency text, year integer)
RETURNS TABLE (index text, item text, name text, percent numeric, compared_with numeric, gap numeric)
LANGUAGE sql STABLE PARALLEL SAFE SET search_path = pg_catalog, pg_temp AS $$
    SELECT r.index, r.item, r.name, r.percent, r.compared_with, r.percent - r.compared_with
      FROM tthc.agency_results(agency, year) r
     WHERE r.item IS NOT NULL
     ORDER BY r.percent - r.compared_with NULLS LAST, r.percent, r.index, r.item
$$;
COMMENT ON FUNCTION tthc.agency_weak_points(text, integer) IS
    'An agency''s items of a year across the 766 index (groups), SIPAS (elements), PAR INDEX (areas) and the one-stop evaluation (criteria), in percent, with what they compare with; furthest below it first';

-- The four indices of an agency for a year, one row each, weakest first:
-- the result in percent of its maximum, the rank among its peers, the
-- grade or band, and its weakest item.
CREATE FUNCTION tthc.agency_overview(agency text, year integer)
RETURNS TABLE (index text, result numeric, max_points numeric, percent numeric, rank integer,
               ranked integer, grade text, weakest text, weakest_percent numeric)
LANGUAGE sql STABLE PARALLEL SAFE SET search_path = pg_catalog, pg_temp AS $$
    WITH r AS MATERIALIZED (SELECT * FROM tthc.agency_results(agency, year)),
    w AS (SELECT DISTINCT ON (r.index) r.index, r.name, r.percent FROM r
           WHERE r.item IS NOT NULL
           ORDER BY r.index, r.percent - r.compared_with NULLS LAST, r.percent, r.item)
    SELECT h.index, h.result, h.max_points, h.percent, h.rank, h.ranked, h.grade, w.name, w.percent
      FROM r h LEFT JOIN w ON w.index = h.index
     WHERE h.item IS NULL
     ORDER BY h.percent NULLS LAST, h.index
$$;
COMMENT ON FUNCTION tthc.agency_overview(text, integer) IS
    'An agency''s 766 result, SIPAS index, PAR INDEX and one-stop evaluation of a year side by side (in percent, weakest first), with rank, grade or band, and each one''s weakest item';
SELECT tthc.load_index_set($tthc_index$
{
  "id": "766",
  "name_vi": "Bộ chỉ số phục vụ người dân, doanh nghiệp (Quyết định 766/QĐ-TTg)",
  "name_en": "Citizen & Business Service Index (Decision 766/QĐ-TTg)",
  "total": 100,
  "groups": [
    {"code": "1", "name_vi": "Công khai, minh bạch", "name_en": "Transparency", "max": 18},
    {"code": "2", "name_vi": "Tiến độ, kết quả giải quyết", "name_en": "Timeliness and results", "max": 20},
    {"code": "3", "name_vi": "Dịch vụ công trực tuyến, thanh toán trực tuyến", "name_en": "Online services and payment", "max": 22},
    {"code": "4", "name_vi": "Số hóa hồ sơ", "name_en": "Digitisation", "max": 22},
    {"code": "5", "name_vi": "Mức độ hài lòng", "name_en": "Satisfaction", "max": 18}
  ],
  "portal_groups": [
    {"code": "1", "name_vi": "Công khai, minh bạch", "name_en": "Transparency", "max": 18},
    {"code": "2", "name_vi": "Tiến độ, kết quả giải quyết", "name_en": "Timeliness and results", "max": 20},
    {"code": "3a", "name_vi": "Dịch vụ công trực tuyến", "name_en": "Online public services", "max": 12},
    {"code": "3b", "name_vi": "Thanh toán trực tuyến", "name_en": "Online payment", "max": 10},
    {"code": "4", "name_vi": "Số hóa hồ sơ", "name_en": "Digitisation", "max": 22},
    {"code": "5", "name_vi": "Mức độ hài lòng", "name_en": "Satisfaction", "max": 18}
  ],
  "criteria": [
    {"id": "1.1", "name_vi": "TTHC công bố đúng hạn", "name_en": "Procedures announced on time", "group": "1", "portal_group": "1", "metric": "announced_on_time", "max": 6, "kind": "linear", "empty": "zero", "levels": ["top"]},
    {"id": "1.2", "name_vi": "TTHC cập nhật, công khai đúng hạn", "name_en": "Procedures updated and published on time", "group": "1", "portal_group": "1", "metric": "published_on_time", "max": 4, "kind": "linear", "empty": "zero", "levels": ["top"]},
    {"id": "1.3", "name_vi": "TTHC công khai đầy đủ nội dung", "name_en": "Procedures published with complete content", "group": "1", "portal_group": "1", "metric": "published_complete", "max": 2, "kind": "linear", "empty": "zero", "levels": ["top"]},
    {"id": "1.4", "name_vi": "Hồ sơ đồng bộ lên DVCQG", "name_en": "Dossiers synced to the national portal", "group": "1", "portal_group": "1", "metric": "synced", "max": 6, "kind": "linear", "empty": "zero", "levels": ["top", "unit"]},
    {"id": "2.1", "name_vi": "Hồ sơ xử lý trước hạn, đúng hạn", "name_en": "Dossiers handled early or on time", "group": "2", "portal_group": "2", "metric": "not_late", "max": 20, "kind": "linear", "empty": "zero", "levels": ["top", "unit"]},
    {"id": "2.2", "name_vi": "Thời gian giải quyết trung bình", "name_en": "Average handling time", "group": "2", "portal_group": "2", "metric": "handling_time", "max": 0, "kind": "none", "empty": "zero", "levels": ["top", "unit"]},
    {"id": "3.1", "name_vi": "TTHC cung cấp DVCTT", "name_en": "Procedures offered as online public services", "group": "3", "portal_group": "3a", "metric": "offered_online", "max": 2, "kind": "target", "target": 0.80, "empty": "zero", "levels": ["top", "unit"]},
    {"id": "3.2", "name_vi": "DVCTT có phát sinh hồ sơ", "name_en": "Online public services with dossiers", "group": "3", "portal_group": "3a", "metric": "online_services_used", "max": 4, "kind": "linear", "empty": "zero", "levels": ["top", "unit"]},
    {"id": "3.3", "name_vi": "Hồ sơ trực tuyến", "name_en": "Online dossiers", "group": "3", "portal_group": "3a", "metric": "online_dossiers", "max": 6, "kind": "target", "target": 0.50, "empty": "zero", "levels": ["top", "unit"]},
    {"id": "3.4", "name_vi": "TTHC có NVTC được cung cấp trên DVCQG", "name_en": "Fee procedures offered on the national portal", "group": "3", "portal_group": "3b", "metric": "fee_procedures_synced", "max": 2, "kind": "target", "target": 0.80, "empty": "zero", "levels": ["top", "unit"]},
    {"id": "3.5", "name_vi": "TTHC có giao dịch thanh toán trực tuyến", "name_en": "Fee procedures with online payments", "group": "3", "portal_group": "3b", "metric": "fee_procedures_paid_online", "max": 2, "kind": "target", "target": 0.80, "empty": "zero", "levels": ["top", "unit"]},
    {"id": "3.6", "name_vi": "Hồ sơ thanh toán trực tuyến", "name_en": "Dossiers paid online", "group": "3", "portal_group": "3b", "metric": "paid_online", "max": 6, "kind": "linear", "empty": "zero", "levels": ["top", "unit"]},
    {"id": "4.1", "name_vi": "Hồ sơ có kết quả điện tử", "name_en": "Dossiers with an electronic result", "group": "4", "portal_group": "4", "metric": "e_result", "max": 6, "kind": "linear", "empty": "zero", "levels": ["top", "unit"]},
    {"id": "4.2", "name_vi": "Hồ sơ được số hóa", "name_en": "Digitised dossiers", "group": "4", "portal_group": "4", "metric": "digitized", "max": 4, "kind": "target", "target": 0.80, "empty": "zero", "levels": ["top", "unit"]},
    {"id": "4.3", "name_vi": "Chứng thực bản sao điện tử", "name_en": "Electronic certified copies", "group": "4", "portal_group": "4", "metric": "e_certified_copy", "max": 2, "kind": "linear", "empty": "zero", "levels": ["top", "unit"]},
    {"id": "4.4", "name_vi": "Khai thác, sử dụng lại dữ liệu số hóa", "name_en": "Reuse of digitised data", "group": "4", "portal_group": "4", "metric": "reused_data", "max": 2, "kind": "target", "target": 0.80, "empty": "zero", "levels": ["top", "unit"]},
    {"id": "4.5", "name_vi": "Kết nối kho dữ liệu cá nhân", "name_en": "Use of the personal data store", "group": "4", "portal_group": "4", "metric": "personal_store", "max": 4, "kind": "linear", "empty": "zero", "levels": ["top", "unit"]},
    {"id": "4.6", "name_vi": "TTHC kết nối CSDL dân cư", "name_en": "Procedures connected to the population database", "group": "4", "portal_group": "4", "metric": "population_db_procedures", "max": 2, "kind": "linear", "empty": "zero", "levels": ["top", "unit"]},
    {"id": "4.7", "name_vi": "Hồ sơ sử dụng CSDL dân cư", "name_en": "Dossiers using the population database", "group": "4", "portal_group": "4", "metric": "population_db", "max": 2, "kind": "linear", "empty": "zero", "levels": ["top", "unit"]},
    {"id": "5.1", "name_vi": "PAKN xử lý đúng hạn", "name_en": "Feedback handled on time", "group": "5", "portal_group": "5", "metric": "feedback_on_time", "max": 6, "kind": "linear", "empty": "full", "levels": ["top", "unit"]},
    {"id": "5.2", "name_vi": "Hài lòng xử lý PAKN", "name_en": "Satisfaction with feedback handling", "group": "5", "portal_group": "5", "metric": "feedback_satisfied", "max": 6, "kind": "linear", "empty": "full", "levels": ["top", "unit"]},
    {"id": "5.3", "name_vi": "Hài lòng tiếp nhận, giải quyết TTHC", "name_en": "Satisfaction with receipt and handling of procedures", "group": "5", "portal_group": "5", "metric": "satisfied", "max": 6, "kind": "target", "target": 0.90, "empty": "zero", "levels": ["top", "unit"]},
    {"id": "5.4", "name_vi": "PAKN theo phân loại", "name_en": "Feedback by category", "group": "5", "portal_group": "5", "metric": "feedback_by_category", "max": 0, "kind": "none", "empty": "zero", "levels": ["top", "unit"]}
  ],
  "grades": [
    {"code": "xuat_sac", "name_vi": "Xuất sắc", "name_en": "Excellent", "min": 90},
    {"code": "tot", "name_vi": "Tốt", "name_en": "Good", "min": 80},
    {"code": "kha", "name_vi": "Khá", "name_en": "Fair", "min": 70},
    {"code": "trung_binh", "name_vi": "Trung bình", "name_en": "Average", "min": 50},
    {"code": "yeu", "name_vi": "Yếu", "name_en": "Weak", "min": 0}
  ]
}
$tthc_index$);
UPDATE tthc.index_set SET shipped = true;
