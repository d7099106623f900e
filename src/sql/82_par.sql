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
