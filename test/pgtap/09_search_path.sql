-- Function safety (issue 6, item 2): no tthc function may be steered by the
-- caller's search_path.  Reference results are computed first; then a schema
-- "evil", put ahead of pg_catalog in the search_path, plants look-alikes of
-- what the bodies use (relations named like tthc's tables, functions,
-- aggregates and operators shadowing built-ins), each deliberately wrong and
-- each logging its use in evil.calls.  The same calls must then give the
-- same results and call none of the planted objects.  Last, the catalogue:
-- every SQL and PL/pgSQL function of the extension fixes its search_path,
-- and a SECURITY DEFINER function needs a comment saying why.
BEGIN;
SELECT plan(24);

SET LOCAL DateStyle = ISO;
SET LOCAL TimeZone = 'Asia/Ho_Chi_Minh';
SET LOCAL client_min_messages = warning;
SET LOCAL tthc.sync_placeholders = on;

-- ---------------------------------------------------------------------------
-- Fixture: a province with two units, three procedures, five dossiers, an
-- inter-agency dossier, feedback and announcements (after sql/scores.sql)
-- ---------------------------------------------------------------------------
INSERT INTO tthc.agency VALUES
    ('QP', NULL, 'Tỉnh Q', 'province'), ('QP.1', 'QP', 'Xã Q1', 'commune'), ('QP.2', 'QP', 'Xã Q2', 'commune'),
    ('QR', NULL, 'Tỉnh QR', 'province'), ('QM', NULL, 'Bộ QM', 'ministry');
INSERT INTO tthc.procedure (code, name, time_limit, fee_required, paper_result, full_online_eligible,
                            for_citizens, is_certification, parts_complete) VALUES
    ('QA', 'Thủ tục QA', 3, true, true, true, true, false, true),
    ('QB', 'Chứng thực QB', 1, false, false, false, true, true, false),
    ('QC', 'Thủ tục QC', 5, false, false, false, false, false, false);
INSERT INTO tthc.service VALUES ('QP.1', 'QA', 'full'), ('QP.1', 'QB', 'partial'),
                                ('QP.2', 'QA', NULL), ('QP.2', 'QC', NULL);
INSERT INTO tthc.dossier (code, agency_id, procedure_code, channel, status, received_at, finished_at,
                          returned_at, synced_at, fee, paid_online, e_result, digitized, reused_data,
                          personal_store, population_db, e_certified_copy, rating) VALUES
    ('Q1', 'QP.1', 'QA', 2, 10, '2026-11-02 09:00', '2026-11-03 09:00', '2026-11-03 10:00', '2026-11-02 09:05',
     50000, 1, true, true, true, false, true, false, NULL),
    ('Q2', 'QP.1', 'QA', 1, 9, '2026-11-02 09:00', '2026-11-06 09:00', NULL, '2026-11-02 09:05',
     50000, 0, false, false, false, false, false, false, -1),
    ('Q3', 'QP.1', 'QB', 2, 9, '2026-11-02 09:00', '2026-11-02 10:00', NULL, '2026-11-02 09:05',
     0, 0, false, false, false, true, false, true, NULL),
    ('Q4', 'QP.1', 'QB', 1, 4, '2026-11-02 09:00', NULL, NULL, NULL, 0, 0, false, false, false, false, false, false, NULL),
    ('Q5', 'QP.2', 'QC', 3, 9, '2026-11-02 09:00', '2026-11-03 09:00', NULL, NULL, 0, 0, false, true, false, false, false, false, NULL);
INSERT INTO tthc.dossier_step VALUES
    ('Q2', 1, 'QP.1', 'Nguyễn Văn An', '2026-11-02 09:00', '2026-11-03 09:00', '2026-11-03 08:00'),
    ('Q2', 2, 'QP.2', 'Trần Thị Bình', '2026-11-03 08:00', '2026-11-04 17:00', '2026-11-06 08:00');
INSERT INTO tthc.announcement (agency_id, procedure_code, kind, decided_on, basis_effective_on, published_on) VALUES
    ('QP', 'QA', 'amend', '2026-11-02', '2026-11-09', '2026-11-10'),
    ('QP', 'QB', 'new', '2026-11-03', '2026-11-09', '2026-11-04');
INSERT INTO tthc.reported_volume VALUES ('QP', '2026-11-01', 10);
INSERT INTO tthc.feedback (id, agency_id, received_at, category, handled_at, published_at) VALUES
    ('QF1', 'QP.1', '2026-11-03 10:00', 'rules', '2026-11-05 10:00', '2026-11-06 10:00'),
    ('QF2', 'QP.2', '2026-11-04 10:00', 'staff', NULL, NULL);

-- The yearly indices: a SIPAS wave, a PAR INDEX tree with points, ratings.
INSERT INTO tthc.sipas_scale VALUES ('q5', 'Likert', 1, 5, 4, NULL);
INSERT INTO tthc.sipas_wave VALUES ('QW', 2026, 'SIPAS QW');
INSERT INTO tthc.sipas_questionnaire VALUES ('QQ', 'QW', NULL, 'Phiếu QQ');
INSERT INTO tthc.sipas_question VALUES ('QQ', 'A1', 'access', 'satisfaction', 'q5', 'Tiếp cận?'),
                                       ('QQ', 'F1', 'feedback', 'satisfaction', 'q5', 'Phản ánh?');
INSERT INTO tthc.sipas_respondent (id, questionnaire_id, agency_id, kind) VALUES
    (700001, 'QQ', 'QP', 'citizen'), (700002, 'QQ', 'QR', 'organisation');
INSERT INTO tthc.sipas_answer (respondent_id, question_code, value) VALUES
    (700001, 'A1', 5), (700001, 'F1', 2), (700002, 'A1', 4), (700002, 'F1', 4);
SELECT tthc.load_par_framework('{"year": 2026, "kind": "province", "areas": [{"code": "I", "name": "Chỉ đạo", "criteria": [
    {"code": "I.1", "name": "Kế hoạch", "max_points": 6, "method": "appraisal"},
    {"code": "I.2", "name": "Khảo sát", "max_points": 4, "method": "survey"}]}]}') IS NOT NULL AS par_loaded;
SELECT tthc.load_par_points('{"year": 2026, "kind": "province", "points": [
    {"agency": "QP", "criterion": "I.1", "self_assessed": 6, "appraised": 5}, {"agency": "QP", "criterion": "I.2", "survey": 3},
    {"agency": "QR", "criterion": "I.1", "appraised": 4}, {"agency": "QR", "criterion": "I.2", "survey": 4}]}');
INSERT INTO tthc.onestop_rating (dossier_code, criterion, points, rated_at)
SELECT d, c, 2 - c % 2, '2026-11-07 09:00+07' FROM unnest('{Q1,Q2,Q3}'::text[]) d, generate_series(4, 8) c;

-- Sync messages: a dossier with an unknown unit (placeholder created), then
-- its progress; replayed after planting once the rows are gone again.
CREATE TEMP TABLE msg (n int, payload text);
INSERT INTO msg VALUES
 (1, '{"MaHoSo": "QP.9-261102-0001", "MaTTHC": "QA", "DonViXuLy": "000.00.99.QP", "KenhThucHien": "2", "TrangThaiHoSo": "9", "NgayNopHoSo": "20261102085000", "NgayTiepNhan": "20261102090000", "NgayHenTra": "20261105090000", "NgayKetThucXuLy": "20261104150000", "DanhSachLePhi": [{"Gia": "30000"}, {"Gia": 20000}], "DuocThanhToanTrucTuyen": "1", "TaiLieuNop": [{"DuocSoHoa": "1", "DuocTaiSuDung": "0"}]}'),
 (2, '[{"MaHoSo": "QP.9-261102-0001", "NguoiXuLy": "Nguyễn Thị Hoa", "ThoiDiemXuLy": "20261103083000", "PhongBanXuLy": "QP.9", "TrangThai": "4", "NgayBatDau": "20261102090000", "NgayKetThucTheoQuyDinh": "20261103113000"}, {"MaHoSo": "QP.9-261102-0001", "NguoiXuLy": "Lê Văn Cường", "ThoiDiemXuLy": "20261104150000", "PhongBanXuLy": "QP.1", "TrangThai": "9", "NgayBatDau": "20261103083000", "NgayKetThucTheoQuyDinh": "20261104170000"}]'),
 (3, '{"MaHoSo": "QP.9-261102-0001", "MaTTHC": "QA", "DonViXuLy": "000.00.99.QP", "KenhThucHien": "2", "TrangThaiHoSo": "2", "NgayTiepNhan": "20261102090000"}');

-- ---------------------------------------------------------------------------
-- The probes: each stores its result as text in probe_result under a phase
-- ('ref' or 'evil'), or the error it raised.  The capture function uses
-- only qualified names and no operator, so it is itself immune.
-- ---------------------------------------------------------------------------
CREATE TEMP TABLE probe (n int PRIMARY KEY, name text, query text);
CREATE TEMP TABLE probe_result (phase text, name text, result text, error text);
INSERT INTO probe VALUES
 (1, 'tthc.scores_of',
  $q$SELECT pg_catalog.string_agg(x::text, ' | ' ORDER BY x.agency_id, x.criterion)
       FROM tthc.scores_of(ARRAY['QP', 'QP.1', 'QP.2'], '2026-11-01', '2026-11-30', '766', '2026-12-01 00:00+07') x$q$),
 (2, 'tthc.scores_of (from rows)',
  $q$SELECT pg_catalog.string_agg(x::text, ' | ' ORDER BY x.agency_id, x.criterion)
       FROM tthc.scores_of(ARRAY['QP'], '2026-11-01', '2026-11-30', '766', '2026-12-01 00:00+07', true) x$q$),
 (3, 'tthc.counters_of',
  $q$SELECT tthc.counters_of('QP', '2026-11-01', '2026-11-30', '2026-12-01 00:00+07')::text$q$),
 (4, 'tthc.explain',
  $q$SELECT pg_catalog.string_agg(x::text, ' | ' ORDER BY x::text)
       FROM (SELECT * FROM tthc.explain('QP', '2.1', '2026-11-01', '2026-11-30', '766', '2026-12-01 00:00+07')
             UNION ALL SELECT * FROM tthc.explain('QP', '1.1', '2026-11-01', '2026-11-30', '766', '2026-12-01 00:00+07')
             UNION ALL SELECT * FROM tthc.explain('QP', '5.1', '2026-11-01', '2026-11-30', '766', '2026-12-01 00:00+07')) x$q$),
 (5, 'tthc.scoreboard',
  $q$SELECT pg_catalog.string_agg(x::text, ' | ' ORDER BY x::text)
       FROM (SELECT * FROM tthc.scoreboard('2026-11-01', '2026-11-30')
             UNION ALL SELECT * FROM tthc.scoreboard('2026-11-01', '2026-11-30', 'QP')) x$q$),
 (6, 'tthc.verify',
  $q$SELECT pg_catalog.concat_ws(' | ', 'rows:', pg_catalog.string_agg(x::text, ' | ' ORDER BY x::text)) FROM tthc.verify() x$q$),
 (7, 'tthc.due_date / add_working_time / working_days_between / is_working_day',
  $q$SELECT pg_catalog.concat_ws(' | ', tthc.due_date('2026-11-02 09:00+07', 'QA'), tthc.due_date('2026-11-06 16:00+07', 'QC'),
            tthc.add_working_time('2026-11-06 16:00+07', 2, 'working_day', false),
            tthc.add_working_time('2026-11-06 16:00+07', 3, 'hour', false),
            tthc.working_days_between('2026-11-02 09:00+07', '2026-11-10 17:00+07'),
            tthc.is_working_day('2026-11-07'), tthc.is_working_day('2026-11-09'))$q$),
 (8, 'tthc.scoreboard_json',
  $q$SELECT (tthc.scoreboard_json('2026-11-01', '2026-11-30', NULL, '766', '2026-12-01 00:00+07') OPERATOR(pg_catalog.-) 'generated_at')::text$q$),
 (9, 'tthc.scoreboard_json (unit board)',
  $q$SELECT (tthc.scoreboard_json('2026-11-01', '2026-11-30', 'QP', '766', '2026-12-01 00:00+07') OPERATOR(pg_catalog.-) 'generated_at')::text$q$),
 (10, 'tthc.publish',
  $q$SELECT (tthc.publish('search_path probe', '2026-11-01', '2026-11-30', '766', '2026-12-01 00:00+07') IS NOT NULL)::text$q$),
 (11, 'tthc.publication_json',
  $q$SELECT (tthc.publication_json((SELECT pg_catalog.max(p.id) FROM tthc.publication p))
             OPERATOR(pg_catalog.-) 'generated_at' OPERATOR(pg_catalog.#-) '{publication,id}'
             OPERATOR(pg_catalog.#-) '{publication,published_at}')::text$q$),
 (16, 'tthc.publication_json (unit board)',
  $q$SELECT (tthc.publication_json((SELECT pg_catalog.max(p.id) FROM tthc.publication p), 'QP')
             OPERATOR(pg_catalog.-) 'generated_at' OPERATOR(pg_catalog.#-) '{publication,id}'
             OPERATOR(pg_catalog.#-) '{publication,published_at}')::text$q$),
 (30, 'tthc.sync',
  $q$SELECT pg_catalog.string_agg(tthc.sync(m.payload)::text, ' | ' ORDER BY m.n) FROM pg_temp.msg m$q$),
 (31, 'tthc.sync: the rows written',
  $q$SELECT pg_catalog.concat_ws(' | ',
            (SELECT (d.code, d.agency_id, d.procedure_code, d.channel, d.status, d.received_at, d.due_at, d.finished_at,
                     d.fee, d.paid_online, d.digitized, d.synced_at IS NULL)::text
               FROM tthc.dossier d WHERE d.code OPERATOR(pg_catalog.=) 'QP.9-261102-0001'),
            (SELECT pg_catalog.string_agg((s.seq, s.agency_id, s.officer, s.started_at, s.deadline_at, s.ended_at)::text, ';' ORDER BY s.seq)
               FROM tthc.dossier_step s WHERE s.dossier_code OPERATOR(pg_catalog.=) 'QP.9-261102-0001'),
            (SELECT (a.id, a.parent_id, a.name, a.kind)::text FROM tthc.agency a WHERE a.id OPERATOR(pg_catalog.=) '000.00.99.QP'))$q$),
 (14, 'tthc.step_at_fault / strengths',
  $q$SELECT pg_catalog.concat_ws(' | ',
            (SELECT pg_catalog.string_agg(x::text, ';') FROM tthc.step_at_fault('Q2', '2026-12-01 00:00+07') x),
            (SELECT pg_catalog.string_agg(x::text, ';' ORDER BY x::text) FROM tthc.strengths('QP', '2026-11-01', '2026-11-30') x))$q$),
 (17, 'tthc.sipas_results / par_results / onestop_evaluation / agency_overview',
  $q$SELECT pg_catalog.concat_ws(' | ',
            (SELECT pg_catalog.string_agg(x::text, ';' ORDER BY x::text) FROM tthc.sipas_results('QW') x),
            (SELECT pg_catalog.string_agg(x::text, ';' ORDER BY x::text) FROM tthc.sipas_weakest('QW', 2) x),
            (SELECT pg_catalog.string_agg(x::text, ';' ORDER BY x::text) FROM tthc.par_results(2026, 'province') x),
            (SELECT pg_catalog.string_agg(x::text, ';' ORDER BY x::text) FROM tthc.onestop_evaluation('QP', '2026-11-01', '2026-11-30') x),
            (SELECT pg_catalog.string_agg(x::text, ';' ORDER BY x::text) FROM tthc.onestop_evaluation('QP', '2026-11-01', '2026-11-30', 'officer') x),
            (SELECT pg_catalog.string_agg(x::text, ';' ORDER BY x::text) FROM tthc.agency_overview('QP', 2026) x),
            (SELECT pg_catalog.string_agg(x::text, ';' ORDER BY x::text) FROM tthc.agency_weak_points('QP', 2026) x))$q$),
 (15, 'tthc.agency_subtree / agency_ancestors / grade / period / evaluation_time',
  $q$SELECT pg_catalog.concat_ws(' | ',
            (SELECT pg_catalog.string_agg(x::text, ';' ORDER BY x::text) FROM tthc.agency_subtree('QP') x),
            (SELECT pg_catalog.string_agg(x::text, ';' ORDER BY x::text) FROM tthc.agency_ancestors('QP.1') x),
            tthc.grade(79.999), tthc.grade(90), tthc.period('quarter', 2026, 4), tthc.evaluation_time('2026-11-30'))$q$);

CREATE FUNCTION pg_temp.capture(phase text) RETURNS void LANGUAGE plpgsql AS $f$
DECLARE
    p record;
    r text;
BEGIN
    FOR p IN SELECT * FROM pg_temp.probe ORDER BY n LOOP
        PERFORM pg_catalog.set_config('tthc_test.probe', p.name, true);
        BEGIN
            EXECUTE p.query INTO r;
            INSERT INTO pg_temp.probe_result VALUES (phase, p.name, r, NULL);
        EXCEPTION WHEN OTHERS OR query_canceled THEN
            INSERT INTO pg_temp.probe_result VALUES (phase, p.name, NULL, SQLERRM);
        END;
    END LOOP;
    PERFORM pg_catalog.set_config('tthc_test.probe', '', true);
END
$f$;

-- undo what the volatile probes wrote, so that they can run again
CREATE FUNCTION pg_temp.undo_writes() RETURNS void LANGUAGE sql AS $f$
    SELECT tthc.unpublish(p.id, 'search_path test') FROM tthc.publication p WHERE p.label = 'search_path probe';
    DELETE FROM tthc.dossier_step WHERE dossier_code = 'QP.9-261102-0001';
    DELETE FROM tthc.dossier WHERE code = 'QP.9-261102-0001';
    DELETE FROM tthc.sync_placeholder WHERE id = '000.00.99.QP';
    DELETE FROM tthc.agency WHERE id = '000.00.99.QP';
    -- the C caches of the calendar and of procedures are rebuilt on next use
    UPDATE tthc.calendar_setting SET morning_start = morning_start;
    UPDATE tthc.procedure SET name = name WHERE code = 'QA';
$f$;

SELECT pg_temp.capture('ref');
SELECT pg_temp.undo_writes();

-- ---------------------------------------------------------------------------
-- The look-alikes
-- ---------------------------------------------------------------------------
CREATE SCHEMA evil;
CREATE TABLE evil.calls (probe text, object text);
CREATE FUNCTION evil.hit_none(what text) RETURNS boolean LANGUAGE plpgsql SET search_path = pg_catalog AS $f$
BEGIN
    INSERT INTO evil.calls VALUES (current_setting('tthc_test.probe', true), what);
    RETURN false;
END
$f$;
CREATE FUNCTION evil.hit(what text) RETURNS boolean LANGUAGE plpgsql SET search_path = pg_catalog AS $f$
BEGIN
    INSERT INTO evil.calls VALUES (current_setting('tthc_test.probe', true), what);
    RETURN true;
END
$f$;

-- relations named like tthc's: a read through one logs itself and finds
-- nothing; a write into one fails (not automatically updatable)
DO $d$
DECLARE
    t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['agency', 'procedure', 'service', 'announcement', 'reported_volume', 'holiday', 'workday',
                             'calendar_year', 'calendar_setting', 'dossier', 'dossier_step', 'feedback', 'tally',
                             'tally_log', 'index_set', 'publication', 'published_score', 'published_rank',
                             'sync_placeholder', 'inbox', 'alert', 'agency_tree'] LOOP
        EXECUTE format('CREATE VIEW evil.%I AS SELECT * FROM tthc.%I WHERE (SELECT evil.hit_none(%L)) OFFSET 0',
                       t, t, 'relation ' || t);
    END LOOP;
END
$d$;

-- functions shadowing built-ins: wrong constants
DO $d$
DECLARE
    f text[];
BEGIN
    FOREACH f SLICE 1 IN ARRAY ARRAY[
        -- name, arguments, result, returned value
        ['now', '', 'timestamptz', $$'2000-01-01 00:00+00'$$],
        ['clock_timestamp', '', 'timestamptz', $$'2000-01-01 00:00+00'$$],
        ['statement_timestamp', '', 'timestamptz', $$'2000-01-01 00:00+00'$$],
        ['date_trunc', 'text, timestamptz', 'timestamptz', $$'2000-01-01 00:00+00'$$],
        ['date_trunc', 'text, timestamp', 'timestamp', $$'2000-01-01 00:00'$$],
        ['date_part', 'text, timestamptz', 'float8', '-1'],
        ['to_char', 'timestamptz, text', 'text', $$'evil'$$],
        ['to_char', 'numeric, text', 'text', $$'evil'$$],
        ['isfinite', 'date', 'boolean', 'false'],
        ['isfinite', 'timestamptz', 'boolean', 'false'],
        ['length', 'text', 'integer', '-1'],
        ['lower', 'text', 'text', $$'evil'$$],
        ['upper', 'text', 'text', $$'evil'$$],
        ['btrim', 'text', 'text', $$'evil'$$],
        ['round', 'numeric, integer', 'numeric', '-1'],
        ['round', 'numeric', 'numeric', '-1'],
        ['abs', 'numeric', 'numeric', '-1'],
        ['floor', 'numeric', 'numeric', '-1'],
        ['make_date', 'integer, integer, integer', 'date', $$'2000-01-01'$$],
        ['nextval', 'regclass', 'bigint', '-1'],
        ['cardinality', 'anyarray', 'integer', '-1'],
        ['array_length', 'anyarray, integer', 'integer', '-1'],
        ['to_jsonb', 'anyelement', 'jsonb', $$'"evil"'$$],
        ['jsonb_typeof', 'jsonb', 'text', $$'evil'$$],
        ['jsonb_build_array', '', 'jsonb', $$'["evil"]'$$],
        ['jsonb_build_object', '', 'jsonb', $$'{"evil": 1}'$$],
        ['jsonb_set', 'jsonb, text[], jsonb, boolean', 'jsonb', $$'{"evil": 1}'$$],
        ['format', 'text', 'text', $$'evil'$$],
        ['concat', '', 'text', $$'evil'$$],
        ['current_setting', 'text', 'text', $$'evil'$$],
        ['current_setting', 'text, boolean', 'text', $$'evil'$$],
        ['set_config', 'text, text, boolean', 'text', $$'evil'$$],
        ['pg_notify', 'text, text', 'void', ''],
        ['daterange', 'date, date', 'daterange', $$'[2000-01-01,2000-01-02)'$$],
        ['daterange', 'date, date, text', 'daterange', $$'[2000-01-01,2000-01-02)'$$],
        ['lower', 'anyrange', 'anyelement', 'NULL'],
        ['upper', 'anyrange', 'anyelement', 'NULL']] LOOP
        EXECUTE format('CREATE FUNCTION evil.%I(%s) RETURNS %s LANGUAGE plpgsql SET search_path = pg_catalog AS $b$'
                       'BEGIN PERFORM evil.hit(%L); RETURN %s; END $b$',
                       f[1], f[2], f[3], format('function %s(%s)', f[1], f[2]), f[4]);
    END LOOP;
END
$d$;
CREATE FUNCTION evil.unnest(anyarray) RETURNS SETOF anyelement LANGUAGE plpgsql SET search_path = pg_catalog AS
$f$ BEGIN PERFORM evil.hit('function unnest(anyarray)'); RETURN; END $f$;
CREATE FUNCTION evil.generate_series(integer, integer) RETURNS SETOF integer LANGUAGE plpgsql SET search_path = pg_catalog AS
$f$ BEGIN PERFORM evil.hit('function generate_series(integer, integer)'); RETURN; END $f$;
CREATE FUNCTION evil.jsonb_array_elements(jsonb) RETURNS SETOF jsonb LANGUAGE plpgsql SET search_path = pg_catalog AS
$f$ BEGIN PERFORM evil.hit('function jsonb_array_elements(jsonb)'); RETURN; END $f$;

-- aggregates: the state function logs; the final value is wrong
CREATE FUNCTION evil.agg_step(state bigint, what text) RETURNS bigint LANGUAGE plpgsql SET search_path = pg_catalog AS
$f$ BEGIN PERFORM evil.hit(what); RETURN -1; END $f$;
CREATE FUNCTION evil.count_step(bigint) RETURNS bigint LANGUAGE sql AS $f$ SELECT evil.agg_step($1, 'aggregate count(*)') $f$;
CREATE AGGREGATE evil.count(*) (SFUNC = evil.count_step, STYPE = bigint, INITCOND = '-1');
DO $d$
DECLARE
    a text[];
BEGIN
    FOREACH a SLICE 1 IN ARRAY ARRAY[
        -- name, argument types (the result is the bigint state, -1)
        ['sum', 'numeric'], ['sum', 'bigint'], ['sum', 'integer'], ['count', 'anyelement'],
        ['max', 'integer'], ['min', 'integer'], ['max', 'bigint'], ['max', 'date'], ['min', 'date'],
        ['max', 'timestamptz'], ['min', 'timestamptz'], ['max', 'text'], ['avg', 'numeric'],
        ['bool_and', 'boolean'], ['bool_or', 'boolean'], ['every', 'boolean'],
        ['array_agg', 'anynonarray'], ['string_agg', 'text, text'], ['jsonb_agg', 'anyelement']] LOOP
        EXECUTE format('CREATE FUNCTION evil.%I(state bigint, %s) RETURNS bigint LANGUAGE sql AS $b$ SELECT evil.agg_step(state, %L) $b$',
                       'step_' || a[1] || '_' || md5(a[2]), a[2], format('aggregate %s(%s)', a[1], a[2]));
        EXECUTE format('CREATE AGGREGATE evil.%I(%s) (SFUNC = evil.%I, STYPE = bigint)',
                       a[1], a[2], 'step_' || a[1] || '_' || md5(a[2]));
    END LOOP;
END
$d$;

-- operators: wrong constants (= and < always true, arithmetic 0, || 'evil')
DO $d$
DECLARE
    o text[];
    fn text;
BEGIN
    FOREACH o SLICE 1 IN ARRAY ARRAY[
        -- operator, left, right, result, returned value
        ['=', 'text', 'text', 'boolean', 'true'], ['<>', 'text', 'text', 'boolean', 'true'],
        ['||', 'text', 'text', 'text', $$'evil'$$], ['~~', 'text', 'text', 'boolean', 'true'],
        ['=', 'integer', 'integer', 'boolean', 'true'], ['<', 'integer', 'integer', 'boolean', 'true'],
        ['>', 'integer', 'integer', 'boolean', 'true'], ['+', 'integer', 'integer', 'integer', '0'],
        ['=', 'bigint', 'bigint', 'boolean', 'true'], ['+', 'bigint', 'bigint', 'bigint', '0'],
        ['=', 'numeric', 'numeric', 'boolean', 'true'], ['<', 'numeric', 'numeric', 'boolean', 'true'],
        ['>=', 'numeric', 'numeric', 'boolean', 'true'], ['+', 'numeric', 'numeric', 'numeric', '0'],
        ['-', 'numeric', 'numeric', 'numeric', '0'], ['*', 'numeric', 'numeric', 'numeric', '0'],
        ['/', 'numeric', 'numeric', 'numeric', '0'],
        ['=', 'date', 'date', 'boolean', 'true'], ['<', 'date', 'date', 'boolean', 'true'],
        ['<=', 'date', 'date', 'boolean', 'true'], ['>', 'date', 'date', 'boolean', 'true'],
        ['>=', 'date', 'date', 'boolean', 'true'], ['+', 'date', 'integer', 'date', $$'2000-01-01'$$],
        ['-', 'date', 'date', 'integer', '0'], ['-', 'date', 'integer', 'date', $$'2000-01-01'$$],
        ['=', 'timestamptz', 'timestamptz', 'boolean', 'true'], ['<', 'timestamptz', 'timestamptz', 'boolean', 'true'],
        ['<=', 'timestamptz', 'timestamptz', 'boolean', 'true'], ['>', 'timestamptz', 'timestamptz', 'boolean', 'true'],
        ['>=', 'timestamptz', 'timestamptz', 'boolean', 'true'],
        ['+', 'timestamptz', 'interval', 'timestamptz', $$'2000-01-01 00:00+00'$$],
        ['-', 'timestamptz', 'timestamptz', 'interval', $$'0'$$],
        ['=', 'boolean', 'boolean', 'boolean', 'true'],
        ['->', 'jsonb', 'text', 'jsonb', $$'"evil"'$$], ['->>', 'jsonb', 'text', 'text', $$'evil'$$],
        ['->', 'jsonb', 'integer', 'jsonb', $$'"evil"'$$], ['-', 'jsonb', 'text', 'jsonb', $$'{"evil": 1}'$$],
        ['||', 'jsonb', 'jsonb', 'jsonb', $$'{"evil": 1}'$$]] LOOP
        fn := 'op_' || md5(o[1] || o[2] || o[3]);
        EXECUTE format('CREATE FUNCTION evil.%I(%s, %s) RETURNS %s LANGUAGE plpgsql SET search_path = pg_catalog AS $b$'
                       'BEGIN PERFORM evil.hit(%L); RETURN %s; END $b$',
                       fn, o[2], o[3], o[4], format('operator %s(%s, %s)', o[1], o[2], o[3]), o[5]);
        EXECUTE format('CREATE OPERATOR evil.%s (LEFTARG = %s, RIGHTARG = %s, FUNCTION = evil.%I)',
                       o[1], o[2], o[3], fn);
    END LOOP;
END
$d$;

-- the planted objects work, and do log (a check of the test itself)
SET LOCAL search_path = evil, public, pg_catalog;
CREATE TEMP TABLE self_test AS
SELECT now() AS now, 'a'::text = 'b'::text AS eq, DATE '2026-01-01' + 1 AS plus, (SELECT count(*) FROM tthc.agency) AS cnt;
RESET search_path;
SELECT is((SELECT (now, eq, plus, cnt)::text FROM pg_temp.self_test),
          '("2000-01-01 07:00:00+07",t,2000-01-01,-1)',
          'the look-alikes shadow pg_catalog when evil comes first in the search_path');
DELETE FROM evil.calls;

-- ---------------------------------------------------------------------------
-- The same calls under the hostile search_path
-- ---------------------------------------------------------------------------
SET LOCAL statement_timeout = '60s';
SET LOCAL search_path = evil, public, pg_catalog;
SELECT pg_temp.capture('evil');
RESET search_path;
RESET statement_timeout;

-- one check per probe: same result, no error, and no planted object used
CREATE TEMP TABLE verdict AS
SELECT p.n, p.name, r.result AS ref, r.error AS ref_error, e.result AS got, e.error AS got_error,
       (SELECT string_agg(DISTINCT c.object, ', ' ORDER BY c.object) FROM evil.calls c WHERE c.probe = p.name) AS used
  FROM pg_temp.probe p
  JOIN pg_temp.probe_result r ON r.phase = 'ref' AND r.name = p.name
  JOIN pg_temp.probe_result e ON e.phase = 'evil' AND e.name = p.name;

CREATE FUNCTION pg_temp.first_difference(a text, b text) RETURNS text LANGUAGE sql AS $f$
    SELECT format('first difference at character %s: reference ...%s... got ...%s...', i,
                  substr(a, greatest(i - 60, 1), 160), substr(b, greatest(i - 60, 1), 160))
      FROM (SELECT coalesce(min(i), least(length(a), length(b)) + 1) AS i
              FROM generate_series(1, least(length(a), length(b))) i
             WHERE substr(a, i, 1) <> substr(b, i, 1)) x
$f$;
CREATE FUNCTION pg_temp.check_probe(v pg_temp.verdict) RETURNS SETOF text LANGUAGE sql AS $f$
    SELECT ok(v.ref_error IS NULL AND v.ref IS NOT NULL
              AND v.got_error IS NULL AND v.got IS NOT DISTINCT FROM v.ref AND v.used IS NULL,
              v.name || ': same result under a hostile search_path, no planted object used')
    UNION ALL SELECT diag('reference failed: ' || v.ref_error) WHERE v.ref_error IS NOT NULL
    UNION ALL SELECT diag('failed: ' || v.got_error) WHERE v.got_error IS NOT NULL
    UNION ALL SELECT diag(pg_temp.first_difference(v.ref, v.got))
     WHERE v.got_error IS NULL AND v.ref_error IS NULL AND v.got IS DISTINCT FROM v.ref
    UNION ALL SELECT diag('planted objects used: ' || v.used) WHERE v.used IS NOT NULL
$f$;

-- Known bugs: a probe listed here is marked TODO, so that the file passes
-- while the bug stays visible (a fixed one shows as "unexpectedly
-- passed").  None today: the C functions that run SPI queries (sync,
-- scoreboard_json, publication_json, ...) used the caller's search_path
-- until they connected through tthc_spi_connect().
CREATE TEMP TABLE known_bug (name text PRIMARY KEY, why text);

CREATE FUNCTION pg_temp.check_probes() RETURNS SETOF text LANGUAGE plpgsql AS $f$
DECLARE
    v pg_temp.verdict;
    bug text;
BEGIN
    FOR v IN SELECT * FROM pg_temp.verdict ORDER BY n LOOP
        bug := (SELECT k.why FROM pg_temp.known_bug k WHERE k.name = v.name);
        IF bug IS NOT NULL THEN
            PERFORM todo_start('known bug: ' || bug);
        END IF;
        RETURN QUERY SELECT pg_temp.check_probe(v);
        IF bug IS NOT NULL THEN
            PERFORM todo_end();
        END IF;
    END LOOP;
END
$f$;
SELECT pg_temp.check_probes();
SELECT is((SELECT count(*) FROM pg_temp.verdict), 17::bigint, 'every probe ran in both phases');
SELECT is((SELECT string_agg(DISTINCT coalesce(probe, '?') || ': ' || object, '; ') FROM evil.calls
            WHERE coalesce(probe, '') NOT IN (SELECT name FROM pg_temp.probe)), NULL,
          'no planted object was used outside the probes either');

-- ---------------------------------------------------------------------------
-- The catalogue: every function of the extension
-- ---------------------------------------------------------------------------
CREATE TEMP TABLE ext_function AS
SELECT p.oid::regprocedure::text AS signature, l.lanname, p.prosecdef, p.proconfig,
       obj_description(p.oid, 'pg_proc') AS comment
  FROM pg_proc p
  JOIN pg_language l ON l.oid = p.prolang
  JOIN pg_depend d ON d.classid = 'pg_proc'::regclass AND d.objid = p.oid AND d.deptype = 'e'
  JOIN pg_extension x ON x.oid = d.refobjid AND d.refclassid = 'pg_extension'::regclass
 WHERE x.extname = 'tthc';

SELECT cmp_ok((SELECT count(*) FROM pg_temp.ext_function WHERE lanname IN ('sql', 'plpgsql')), '>', 0::bigint,
              'the extension has SQL and PL/pgSQL functions');
SELECT is((SELECT array_agg(signature ORDER BY signature) FROM pg_temp.ext_function
            WHERE lanname IN ('sql', 'plpgsql')
              AND NOT EXISTS (SELECT 1 FROM unnest(proconfig) c WHERE c LIKE 'search_path=%')),
          NULL, 'every SQL and PL/pgSQL function of the extension has a search_path setting');
SELECT is((SELECT array_agg(signature ORDER BY signature) FROM pg_temp.ext_function
            WHERE lanname IN ('sql', 'plpgsql')
              AND EXISTS (SELECT 1 FROM unnest(proconfig) c
                           WHERE c LIKE 'search_path=%'
                             AND c NOT IN ('search_path=pg_catalog, pg_temp', 'search_path=pg_catalog,pg_temp'))),
          NULL, 'and that setting is pg_catalog, pg_temp (nothing a caller can create objects in)');
SELECT is((SELECT array_agg(signature ORDER BY signature) FROM pg_temp.ext_function
            WHERE prosecdef AND coalesce(comment, '') NOT LIKE '%SECURITY DEFINER because%'),
          NULL, 'every SECURITY DEFINER function says why in its comment ("SECURITY DEFINER because ...")');
SELECT diag(CASE WHEN count(*) = 0 THEN 'no SECURITY DEFINER function in tthc today'
                 ELSE 'SECURITY DEFINER functions (each with its reason in its comment): '
                      || string_agg(signature, ', ' ORDER BY signature) END)
  FROM pg_temp.ext_function WHERE prosecdef;
SELECT diag('C functions (no search_path of their own; covered by the probes above): '
            || count(*)) FROM pg_temp.ext_function WHERE lanname = 'c';

SELECT * FROM finish();
ROLLBACK;
