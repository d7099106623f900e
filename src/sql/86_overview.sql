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

-- Every item of the four indices for an agency and a year, as a percent of
-- its maximum, with what it is compared with (its peers' mean or the
-- national index) and the gap: 766 groups, SIPAS elements, PAR INDEX
-- areas, one-stop criteria.  Weakest first.
CREATE FUNCTION tthc.agency_weak_points(agency text, year integer)
RETURNS TABLE (index text, item text, name text, percent numeric, compared_with numeric, gap numeric)
LANGUAGE plpgsql STABLE PARALLEL SAFE SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    a record;
    first date;
    last date;
    wave text;
BEGIN
    PERFORM tthc.agency_year_ok(agency, year);
    SELECT x.id, x.parent_id, x.kind INTO a FROM tthc.agency x WHERE x.id = agency;
    first := make_date(year, 1, 1);
    last := make_date(year, 12, 31);
    SELECT w.id INTO wave FROM tthc.sipas_wave w WHERE w.year = agency_weak_points.year ORDER BY w.id DESC LIMIT 1;

    RETURN QUERY
    WITH g AS (
        SELECT s.agency_id, s.group_code, s.group_name,
               CASE WHEN s.max_points > 0 THEN 100 * s.points / s.max_points END AS pct
          FROM tthc.scoreboard_groups(first, last, a.parent_id) s),
    i766 AS (
        SELECT '766'::text AS ix, g.group_code AS it, g.group_name AS nm, round(g.pct, 2) AS pct,
               round((SELECT avg(o.pct) FROM g o JOIN tthc.agency oa ON oa.id = o.agency_id
                       WHERE o.group_code = g.group_code AND oa.kind = a.kind), 2) AS ref
          FROM g WHERE g.agency_id = agency AND g.pct IS NOT NULL),
    sip AS (
        SELECT 'sipas'::text, w.element, w.element_name, w.index, w.national_index
          FROM tthc.sipas_weakest(wave, 5) w
         WHERE wave IS NOT NULL AND w.agency_id = agency),
    par AS (
        SELECT 'par'::text, p.area, p.area_name, p.index,
               round((SELECT avg(o.index) FROM tthc.par_areas(year, a.kind) o WHERE o.area = p.area), 2)
          FROM tthc.par_areas(year, a.kind) p
         WHERE a.parent_id IS NULL
           AND EXISTS (SELECT 1 FROM tthc.par_framework f WHERE f.year = agency_weak_points.year AND f.kind = a.kind)
           AND p.agency_id = agency AND p.area IS NOT NULL),
    os AS (
        SELECT 'onestop'::text, c.code, c.name_vi, round(50 * v.v, 2), NULL::numeric
          FROM (SELECT avg(d.c1) AS c1, avg(d.c2) AS c2, avg(d.c3) AS c3, avg(d.c4) AS c4, avg(d.c5) AS c5,
                       avg(d.c6) AS c6, avg(d.c7) AS c7, avg(d.c8) AS c8, avg(d.c9) AS c9
                  FROM tthc.onestop_dossiers(agency, first, last) d) m
          CROSS JOIN LATERAL unnest(ARRAY[m.c1, m.c2, m.c3, m.c4, m.c5, m.c6, m.c7, m.c8, m.c9]) WITH ORDINALITY v(v, no)
          JOIN tthc.onestop_criterion c ON c.no = v.no
         WHERE v.v IS NOT NULL),
    allp AS (SELECT * FROM i766 UNION ALL SELECT * FROM sip UNION ALL SELECT * FROM par UNION ALL SELECT * FROM os)
    SELECT x.ix, x.it, x.nm, x.pct, x.ref, x.pct - x.ref
      FROM allp x
     ORDER BY x.pct, x.pct - x.ref NULLS LAST, x.ix, x.it;
END
$$;
COMMENT ON FUNCTION tthc.agency_weak_points(text, integer) IS
    'An agency''s items of a year across the 766 index (groups), SIPAS (elements), PAR INDEX (areas) and the one-stop evaluation (criteria), in percent, weakest first, with what they compare with';

-- The four indices of an agency for a year, one row each, weakest first:
-- the result in percent of its maximum, the rank among its peers, the
-- grade or band, and its weakest item.
CREATE FUNCTION tthc.agency_overview(agency text, year integer)
RETURNS TABLE (index text, result numeric, max_points numeric, percent numeric, rank integer,
               ranked integer, grade text, weakest text, weakest_percent numeric)
LANGUAGE plpgsql STABLE PARALLEL SAFE SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    a record;
    first date;
    last date;
    wave text;
BEGIN
    PERFORM tthc.agency_year_ok(agency, year);
    SELECT x.id, x.parent_id, x.kind INTO a FROM tthc.agency x WHERE x.id = agency;
    first := make_date(year, 1, 1);
    last := make_date(year, 12, 31);
    SELECT w.id INTO wave FROM tthc.sipas_wave w WHERE w.year = agency_overview.year ORDER BY w.id DESC LIMIT 1;

    RETURN QUERY
    WITH weak AS (SELECT * FROM tthc.agency_weak_points(agency, year)),
    first_weak AS (SELECT DISTINCT ON (w.index) w.index, w.name, w.percent FROM weak w
                    ORDER BY w.index, w.percent, w.gap NULLS LAST, w.item),
    b AS (SELECT * FROM tthc.scoreboard(first, last, a.parent_id)),
    r766 AS (
        SELECT '766'::text AS ix, round(s.points, 2) AS res, s.max_points AS mx, round(s.percent, 2) AS pct, s.rank AS rk,
               (SELECT count(*) FROM b o WHERE o.kind = s.kind)::integer AS n, s.grade AS gr
          FROM b s WHERE s.agency_id = agency),
    sip AS (
        SELECT 'sipas'::text, r.sipas, 100::numeric, r.sipas, r.rank,
               (SELECT count(*) FROM tthc.sipas_results(wave) o WHERE o.agency_id IS NOT NULL)::integer,
               NULL::text
          FROM tthc.sipas_results(wave) r WHERE wave IS NOT NULL AND r.agency_id = agency),
    par AS (
        SELECT 'par'::text, p.points, p.max_points, p.index, p.rank,
               (SELECT count(*) FROM tthc.par_results(year, a.kind))::integer, NULL::text
          FROM tthc.par_results(year, a.kind) p
         WHERE a.parent_id IS NULL
           AND EXISTS (SELECT 1 FROM tthc.par_framework f WHERE f.year = agency_overview.year AND f.kind = a.kind)
           AND p.agency_id = agency),
    os AS (
        SELECT 'onestop'::text, round(t.total, 2), 18::numeric, round(100 * t.total / 18, 2), NULL::integer,
               NULL::integer, tthc.onestop_band_of(t.total)
          FROM (SELECT avg(d.c1) + avg(d.c2) + avg(d.c3) + avg(d.c4) + avg(d.c5) + avg(d.c6) + avg(d.c7)
                       + avg(d.c8) + avg(d.c9) AS total, count(*) AS n
                  FROM tthc.onestop_dossiers(agency, first, last) d) t
         WHERE t.n > 0),
    allr AS (SELECT * FROM r766 UNION ALL SELECT * FROM sip UNION ALL SELECT * FROM par UNION ALL SELECT * FROM os)
    SELECT x.ix, x.res, x.mx, x.pct, x.rk, x.n, x.gr, fw.name, fw.percent
      FROM allr x LEFT JOIN first_weak fw ON fw.index = x.ix
     ORDER BY x.pct NULLS LAST, x.ix;
END
$$;
COMMENT ON FUNCTION tthc.agency_overview(text, integer) IS
    'An agency''s 766 result, SIPAS index, PAR INDEX and one-stop evaluation of a year side by side (in percent, weakest first), with rank, grade or band, and each one''s weakest item';
