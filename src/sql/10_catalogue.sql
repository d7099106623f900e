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
