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
