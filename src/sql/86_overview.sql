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
