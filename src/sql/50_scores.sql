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
