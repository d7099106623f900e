-- tthc 0.1 -> 0.2: the yearly indices (SIPAS, PAR INDEX, the one-stop
-- evaluation of Circular 01/2018/TT-VPCP, one view of an agency),
-- tthc.create_roles() granting and revoking what they add, and a dossier
-- row as the portal's messages (tthc.dossier_message).  Immutable once
-- released: later changes go into the next upgrade script.

\echo Use "ALTER EXTENSION tthc UPDATE TO '0.2'" to load this file. \quit

-- The roles: writers rate one-stop dossiers; PAR INDEX loads are for administrators.
CREATE OR REPLACE FUNCTION tthc.create_roles() RETURNS text
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
    RETURN 'tthc_reader, tthc_writer, tthc_admin';
END
$$;

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
    dossier_code text NOT NULL REFERENCES tthc.dossier (code) ON UPDATE CASCADE ON DELETE CASCADE,
    criterion    smallint NOT NULL REFERENCES tthc.onestop_criterion (no),
    points       smallint NOT NULL CONSTRAINT onestop_rating_points_range CHECK (points BETWEEN 0 AND 2),
    rated_by     text,
    rated_at     timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (dossier_code, criterion)
);
COMMENT ON TABLE tthc.onestop_rating IS
    'Entered one-stop ratings (0, 1 or 2 points) of the criteria the dossier data cannot decide (4 to 8)';
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
