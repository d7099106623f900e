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
