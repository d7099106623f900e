-- The yearly indices beside the 766 index: SIPAS, PAR INDEX, the one-stop
-- evaluation (Circular 01/2018/TT-VPCP) and the one view of an agency.
-- Every expected value was worked out by hand (comments).
SET DateStyle = ISO;
SET TimeZone = 'Asia/Ho_Chi_Minh';
INSERT INTO tthc.agency (id, parent_id, name, kind) VALUES
    ('T01', NULL, 'Tỉnh Một', 'province'),
    ('T01.U1', 'T01', 'Trung tâm Phục vụ hành chính công', 'unit'),
    ('T01.U2', 'T01', 'Sở Xây dựng', 'department'),
    ('T02', NULL, 'Tỉnh Hai', 'province'),
    ('M01', NULL, 'Bộ Một', 'ministry'),
    ('M02', NULL, 'Bộ Hai', 'ministry'),
    ('M03', NULL, 'Bộ Ba', 'ministry');

-- ===========================================================================
-- SIPAS
-- ===========================================================================
INSERT INTO tthc.sipas_scale VALUES
    ('likert5', 'Rất không hài lòng .. rất hài lòng', 1, 5, 4,
     '{"Rất không hài lòng","Không hài lòng","Bình thường","Hài lòng","Rất hài lòng"}'),
    ('yesno', 'Có / không', 0, 1, 1, '{"Không","Có"}');
INSERT INTO tthc.sipas_wave VALUES ('SIPAS2024', 2024, 'SIPAS 2024'), ('SIPAS2025', 2025, 'SIPAS 2025');
INSERT INTO tthc.sipas_questionnaire VALUES
    ('Q2024', 'SIPAS2024', NULL, 'Phiếu 2024'),
    ('Q2025', 'SIPAS2025', NULL, 'Phiếu 2025'),
    ('Q2025-ORG', 'SIPAS2025', 'organisation', 'Phiếu tổ chức 2025');
INSERT INTO tthc.sipas_question VALUES
    ('Q2024', 'A1', 'access', 'satisfaction', 'likert5', 'Hài lòng về tiếp cận dịch vụ?'),
    ('Q2025', 'A1', 'access', 'satisfaction', 'likert5', 'Hài lòng về tiếp cận dịch vụ?'),
    ('Q2025', 'A2', 'access', 'perception', 'yesno', 'Nơi tiếp nhận có đủ chỗ ngồi?'),
    ('Q2025', 'A3', 'access', 'expectation', 'likert5', 'Mong muốn cải thiện tiếp cận?'),
    ('Q2025', 'P1', 'procedure', 'satisfaction', 'likert5', 'Hài lòng về thủ tục?'),
    ('Q2025', 'O1', 'officials', 'satisfaction', 'likert5', 'Hài lòng về công chức?'),
    ('Q2025', 'R1', 'result', 'satisfaction', 'likert5', 'Hài lòng về kết quả?'),
    ('Q2025', 'F1', 'feedback', 'satisfaction', 'likert5', 'Hài lòng về xử lý phản ánh?'),
    ('Q2025-ORG', 'A1', 'access', 'satisfaction', 'likert5', 'Hài lòng về tiếp cận dịch vụ?');
INSERT INTO tthc.sipas_respondent (id, questionnaire_id, agency_id, kind, answered_on) VALUES
    (100, 'Q2024', 'T01', 'citizen', '2024-10-01'),
    (1, 'Q2025', 'T01', 'citizen', '2025-10-01'),
    (2, 'Q2025', 'T01', 'organisation', '2025-10-02'),
    (3, 'Q2025', 'T02', 'citizen', '2025-10-03');
-- T01: access 2/2, procedure 1/2, officials 1/2, result 2/2, feedback 1/2
-- satisfied (4 or 5) -> (100 + 50 + 50 + 100 + 50) / 5 = 70.
-- T02: access, procedure, officials 1/1 each -> 100 (the mean of the
-- elements answered).  The country, pooled: access 3/3, procedure 2/3,
-- officials 2/3, result 2/2, feedback 1/2 -> (100 + 66.67 + 66.67 + 100 + 50) / 5 = 76.67.
-- In 2024 T01 answered access 2 (not satisfied): 0, so T01 gained 70.
INSERT INTO tthc.sipas_answer VALUES
    (100, 'A1', 2),
    (1, 'A1', 5), (1, 'P1', 4), (1, 'O1', 3), (1, 'R1', 4), (1, 'F1', 2), (1, 'A2', 1), (1, 'A3', 5),
    (2, 'A1', 4), (2, 'P1', 2), (2, 'O1', 4), (2, 'R1', 5), (2, 'F1', 5), (2, 'A2', 0), (2, 'A3', 2),
    (3, 'A1', 4), (3, 'P1', 4), (3, 'O1', 4);
SELECT * FROM tthc.sipas_results('SIPAS2025');
SELECT * FROM tthc.sipas_results('SIPAS2024');
-- per element and measure: perception of access 1/2, expectation of access 1/2
SELECT * FROM tthc.sipas_elements('SIPAS2025') WHERE agency_id = 'T01' OR agency_id IS NULL;
-- T01's weakest: procedure, officials and feedback at 50, in element order
SELECT * FROM tthc.sipas_weakest('SIPAS2025');
SELECT * FROM tthc.sipas_weakest('SIPAS2025', 3) WHERE agency_id = 'T01';
-- the aggregate on its own: NULL verdicts count for nothing, no rows give NULL
SELECT tthc.sipas_index(e, s) FROM (VALUES ('access', true), ('access', NULL), ('result', false)) v(e, s);
SELECT tthc.sipas_index(e, s) FROM (VALUES ('access', NULL::boolean)) v(e, s);
SELECT tthc.sipas_index(e, s) FROM (VALUES ('access', true)) v(e, s) WHERE false;
-- the cut-off is data: with "satisfied from 3", T01's officials become 2/2
UPDATE tthc.sipas_scale SET satisfied_from = 3 WHERE id = 'likert5';
SELECT rank, agency_id, sipas, officials FROM tthc.sipas_results('SIPAS2025') WHERE agency_id = 'T01';
UPDATE tthc.sipas_scale SET satisfied_from = 4 WHERE id = 'likert5';

-- Bad input
\set VERBOSITY default
INSERT INTO tthc.sipas_answer VALUES (3, 'R1', 6);                 -- off the scale
INSERT INTO tthc.sipas_answer VALUES (3, 'X9', 4);                 -- no such question
INSERT INTO tthc.sipas_answer VALUES (999, 'A1', 4);               -- no such respondent
INSERT INTO tthc.sipas_respondent (questionnaire_id, agency_id, kind) VALUES ('Q2025', 'T01.U1', 'citizen');
INSERT INTO tthc.sipas_respondent (questionnaire_id, agency_id, kind) VALUES ('Q2025-ORG', 'T01', 'citizen');
INSERT INTO tthc.sipas_respondent (questionnaire_id, agency_id, kind) VALUES ('Q2025', 'T01', 'tourist');
UPDATE tthc.sipas_respondent SET questionnaire_id = 'Q2024' WHERE id = 1;
INSERT INTO tthc.sipas_scale VALUES ('bad', 'Ngưỡng ngoài thang', 1, 5, 6, NULL);
INSERT INTO tthc.sipas_scale VALUES ('bad', 'Thiếu nhãn', 1, 5, 4, '{"a","b"}');
UPDATE tthc.sipas_scale SET max_value = 4 WHERE id = 'likert5';    -- answers of 5 are stored
UPDATE tthc.sipas_question SET scale_id = 'yesno' WHERE questionnaire_id = 'Q2025' AND code = 'A1';
INSERT INTO tthc.sipas_question VALUES ('Q2025', 'Z1', 'price', 'satisfaction', 'likert5', 'Giá?');
SELECT tthc.sipas_index(e, true) FROM (VALUES ('Access')) v(e);
SELECT tthc.sipas_index(NULL, true);
SELECT tthc.sipas_final('{1,2}');
SELECT tthc.sipas_final('{1,0,0,0,0,2,0,0,0,0}');
SELECT * FROM tthc.sipas_results('SIPAS1999');
SELECT * FROM tthc.sipas_weakest('SIPAS2025', 6);
\set VERBOSITY terse

-- ===========================================================================
-- PAR INDEX
-- ===========================================================================
-- 2030 ministries: area A (criterion A.1 appraised, 6 points in two
-- sub-criteria; A.2 surveyed, 4), area B (B.1 appraised 5, B.2 surveyed 5):
-- 20 points.
SELECT tthc.load_par_framework($${
  "year": 2030, "kind": "ministry", "name": "PAR INDEX 2030 (bộ)", "source": "test", "max_points": 20,
  "areas": [
    {"code": "A", "name": "Công tác chỉ đạo, điều hành", "criteria": [
      {"code": "A.1", "name": "Kế hoạch", "max_points": 6, "sub_criteria": [
        {"code": "A.1.1", "name": "Ban hành kế hoạch", "max_points": 2, "method": "appraisal"},
        {"code": "A.1.2", "name": "Thực hiện kế hoạch", "max_points": 4, "method": "appraisal"}]},
      {"code": "A.2", "name": "Đánh giá của người dân", "max_points": 4, "method": "survey"}]},
    {"code": "B", "name": "Cải cách thủ tục hành chính", "max_points": 10, "criteria": [
      {"code": "B.1", "name": "Rà soát thủ tục", "max_points": 5, "method": "appraisal"},
      {"code": "B.2", "name": "Đánh giá của doanh nghiệp", "max_points": 5, "method": "survey"}]}]}$$);
SELECT code, parent_code, level, ord, max_points, appraisal_max, survey_max, method, path
  FROM tthc.par_criterion WHERE year = 2030 ORDER BY path;
-- M01 on the leaves: appraised 2 + 3 + 4, survey 3 + 4 = 16 of 20: 80 %.
-- M02 on area A as a whole (appraised 5, survey 2) and B's leaves (5, 5): 17: 85 %.
-- M03 only B.1 (appraised 1): 5 %, incomplete.
SELECT tthc.load_par_points($${"year": 2030, "kind": "ministry", "points": [
  {"agency": "M01", "criterion": "A.1.1", "self_assessed": 2, "appraised": 2},
  {"agency": "M01", "criterion": "A.1.2", "self_assessed": 4, "appraised": 3},
  {"agency": "M01", "criterion": "A.2", "survey": 3},
  {"agency": "M01", "criterion": "B.1", "self_assessed": 5, "appraised": 4},
  {"agency": "M01", "criterion": "B.2", "survey": 4},
  {"agency": "M02", "criterion": "A", "self_assessed": 6, "appraised": 5, "survey": 2},
  {"agency": "M02", "criterion": "B.1", "appraised": 5},
  {"agency": "M02", "criterion": "B.2", "survey": 5},
  {"agency": "M03", "criterion": "B.1", "appraised": 1}]}$$);
SELECT * FROM tthc.par_results(2030, 'ministry');
SELECT * FROM tthc.par_areas(2030, 'ministry');
-- loading again updates in place
SELECT tthc.load_par_points($${"year": 2030, "kind": "ministry", "points": [
  {"agency": "M03", "criterion": "B.1", "appraised": 2}]}$$);
SELECT rank, agency_id, points, index FROM tthc.par_results(2030, 'ministry') WHERE agency_id = 'M03';
-- a year before: the change since it
SELECT tthc.load_par_framework($${"year": 2029, "kind": "ministry", "areas": [
  {"code": "ALL", "name": "Toàn bộ", "max_points": 100, "method": "appraisal"}]}$$);
INSERT INTO tthc.par_points (year, kind, agency_id, code, appraised) VALUES
    (2029, 'ministry', 'M01', 'ALL', 90), (2029, 'ministry', 'M02', 'ALL', 70);
SELECT rank, agency_id, index, previous, change, previous_rank FROM tthc.par_results(2030, 'ministry');

-- Bad points
\set VERBOSITY default
INSERT INTO tthc.par_points (year, kind, agency_id, code, appraised) VALUES (2030, 'ministry', 'M03', 'A.1.1', 3);
INSERT INTO tthc.par_points (year, kind, agency_id, code, survey) VALUES (2030, 'ministry', 'M03', 'A.1.1', 1);
INSERT INTO tthc.par_points (year, kind, agency_id, code, appraised) VALUES (2030, 'ministry', 'M03', 'A.2', 1);
INSERT INTO tthc.par_points (year, kind, agency_id, code, appraised) VALUES (2030, 'ministry', 'M03', 'B.1', -1);
INSERT INTO tthc.par_points (year, kind, agency_id, code, appraised) VALUES (2030, 'ministry', 'M02', 'A.1.1', 1);
INSERT INTO tthc.par_points (year, kind, agency_id, code, appraised) VALUES (2030, 'ministry', 'M01', 'B', 1);
INSERT INTO tthc.par_points (year, kind, agency_id, code, appraised) VALUES (2030, 'ministry', 'T01', 'B.1', 1);
INSERT INTO tthc.par_points (year, kind, agency_id, code, appraised) VALUES (2030, 'ministry', 'M03', 'Z', 1);
INSERT INTO tthc.par_points (year, kind, agency_id, code) VALUES (2030, 'ministry', 'M03', 'A.1.1');
INSERT INTO tthc.par_points (year, kind, agency_id, code, appraised) VALUES (2030, 'ministry', 'M03', 'A.1.1', 'NaN');
SELECT tthc.load_par_points('{"year": 2030, "kind": "ministry", "points": [{"agency": "M03", "criterion": "B.1", "appraised": "4"}]}');
SELECT tthc.load_par_points('{"year": 2030, "kind": "ministry", "points": [{"agency": "M03", "criterion": "B.1", "apraised": 4}]}');
SELECT tthc.load_par_points('{"year": 2031, "kind": "ministry", "points": []}');
SELECT tthc.load_par_points('{"year": 2030, "kind": "ministry"}');
SELECT * FROM tthc.par_results(2031, 'ministry');
-- Bad documents
SELECT tthc.load_par_framework('[]');
SELECT tthc.load_par_framework('{"year": 2031, "kind": "ministry", "areas": [], "extra": 1}');
SELECT tthc.load_par_framework('{"kind": "ministry", "areas": []}');
SELECT tthc.load_par_framework('{"year": 2031.5, "kind": "ministry", "areas": []}');
SELECT tthc.load_par_framework('{"year": 2031, "kind": "district", "areas": []}');
SELECT tthc.load_par_framework('{"year": 2031, "kind": "ministry", "areas": []}');
SELECT tthc.load_par_framework('{"year": 2031, "kind": "ministry", "areas": [{"code": "A", "name": "A"}]}');
SELECT tthc.load_par_framework('{"year": 2031, "kind": "ministry", "areas": [{"code": "A", "name": "A", "max_points": 5, "method": "vote"}]}');
SELECT tthc.load_par_framework('{"year": 2031, "kind": "ministry", "areas": [{"code": "A b", "name": "A", "max_points": 5, "method": "survey"}]}');
SELECT tthc.load_par_framework('{"year": 2031, "kind": "ministry", "areas": [{"code": "A", "name": " ", "max_points": 5, "method": "survey"}]}');
SELECT tthc.load_par_framework('{"year": 2031, "kind": "ministry", "areas": [{"code": "A", "name": "A", "max_points": 0, "method": "survey"}]}');
SELECT tthc.load_par_framework('{"year": 2031, "kind": "ministry", "areas": [{"code": "A", "name": "A", "max_points": 5, "method": "survey"}, {"code": "A", "name": "B", "max_points": 5, "method": "survey"}]}');
SELECT tthc.load_par_framework('{"year": 2031, "kind": "ministry", "areas": [{"code": "A", "name": "A", "max_points": 9, "criteria": [{"code": "A.1", "name": "x", "max_points": 5, "method": "survey"}]}]}');
SELECT tthc.load_par_framework('{"year": 2031, "kind": "ministry", "areas": [{"code": "A", "name": "A", "method": "survey", "criteria": [{"code": "A.1", "name": "x", "max_points": 5, "method": "survey"}]}]}');
SELECT tthc.load_par_framework('{"year": 2031, "kind": "ministry", "areas": [{"code": "A", "name": "A", "criteria": []}]}');
SELECT tthc.load_par_framework('{"year": 2031, "kind": "ministry", "areas": [{"code": "A", "name": "A", "criteria": [{"code": "A.1", "name": "x", "sub_criteria": [{"code": "A.1.1", "name": "y", "max_points": 1, "method": "survey", "sub_criteria": []}]}]}]}');
SELECT tthc.load_par_framework('{"year": 2031, "kind": "ministry", "max_points": 100, "areas": [{"code": "A", "name": "A", "max_points": 5, "method": "survey"}]}');
SELECT tthc.load_par_framework('{"year": 2030, "kind": "ministry", "areas": [{"code": "A", "name": "A", "max_points": 5, "method": "survey"}]}');
\set VERBOSITY terse
-- nothing stored was touched by the refusals
SELECT rank, agency_id, points, index, complete FROM tthc.par_results(2030, 'ministry');
SELECT count(*) FROM tthc.par_framework WHERE year = 2031;

-- ===========================================================================
-- One-stop evaluation
-- ===========================================================================
INSERT INTO tthc.procedure (code, name, time_limit, time_unit) VALUES
    ('OS1', 'Thủ tục trực tuyến', 5, 'working_day'),
    ('OS2', 'Thủ tục không trực tuyến', 5, 'working_day');
INSERT INTO tthc.service VALUES ('T01.U1', 'OS1', 'full'), ('T01.U1', 'OS2', NULL);
-- D1: finished Thu 05/03 before its due day (Mon 09/03): 1 -> 2; no steps:
-- 2 -> 2; no supplement: 3 -> 2; online: 9 -> 2; rated 2, 2, 2, 1, 2.  17.
-- D2: finished on the due day: 1 -> 1; step 2 ended after its deadline:
-- 2 -> 0; one supplement: 3 -> 1; in person, offered online: 9 -> 1; rated
-- 1 each.  8.
-- D3: finished late: 1 -> 0, 2 -> 0; two supplements: 3 -> 0; not offered
-- online: 9 -> 0; not rated: no total.
INSERT INTO tthc.dossier (code, agency_id, procedure_code, status, channel, received_at, due_at,
                          finished_at, supplement_requests) VALUES
    ('OS-D1', 'T01.U1', 'OS1', 9, 2, '2026-03-02 08:00', '2026-03-09 17:00', '2026-03-05 10:00', 0),
    ('OS-D2', 'T01.U1', 'OS1', 9, 1, '2026-03-02 08:00', '2026-03-09 17:00', '2026-03-09 15:00', 1),
    ('OS-D3', 'T01.U1', 'OS2', 9, 1, '2026-03-02 08:00', '2026-03-09 17:00', '2026-03-12 10:00', 2),
    ('OS-D4', 'T01.U1', 'OS1', 9, 2, '2026-04-01 08:00', '2026-04-08 17:00', '2026-04-02 10:00', 0);
INSERT INTO tthc.dossier_step (dossier_code, seq, agency_id, officer, started_at, deadline_at, ended_at) VALUES
    ('OS-D2', 1, 'T01.U1', 'an', '2026-03-02 08:00', '2026-03-04 17:00', '2026-03-03 10:00'),
    ('OS-D2', 2, 'T01.U2', 'bình', '2026-03-03 10:00', '2026-03-06 17:00', '2026-03-09 09:00');
INSERT INTO tthc.onestop_rating (dossier_code, criterion, points) VALUES
    ('OS-D1', 4, 2), ('OS-D1', 5, 2), ('OS-D1', 6, 2), ('OS-D1', 7, 1), ('OS-D1', 8, 2),
    ('OS-D2', 4, 1), ('OS-D2', 5, 1), ('OS-D2', 6, 1), ('OS-D2', 7, 1), ('OS-D2', 8, 1);
SELECT dossier_code, agency_id, c1, c2, c3, c4, c5, c6, c7, c8, c9, total, officers
  FROM tthc.onestop_dossiers('T01', '2026-01-01', '2026-03-31');
-- T01.U1 in the first quarter: c1 (2+1+0)/3 = 1, c2 (2+0+0)/3 = 0.67,
-- c3 1, c4-c6 and c8 1.5, c7 1, c9 1: 10.67, khá.  Officers: D2's 8,
-- trung bình.  D4 finished in April is not in the quarter.
SELECT * FROM tthc.onestop_evaluation('T01', '2026-01-01', '2026-03-31');
SELECT * FROM tthc.onestop_evaluation('T01', '2026-01-01', '2026-03-31', 'officer');
-- the same by quarter; the second quarter has D4 alone, without ratings
SELECT agency_id, dossiers, total, band FROM tthc.onestop_quarter('T01', 2026, 1);
SELECT agency_id, dossiers, c1, c9, total, band, missing FROM tthc.onestop_quarter('T01', 2026, 2);
-- the bands, at their bounds
SELECT t, tthc.onestop_band_of(t) FROM unnest('{18, 15.01, 15, 12, 11.99, 9, 6, 5.99, 0}'::numeric[]) t;
-- a band set of one's own
INSERT INTO tthc.onestop_band VALUES ('pass', 'dat', 'đạt', 9, true), ('pass', 'khong_dat', 'không đạt', 0, true);
SELECT band FROM tthc.onestop_evaluation('T01', '2026-01-01', '2026-03-31', 'unit', 'pass');
-- ranked only with at least 2 dossiers: the officers (one each) are listed without a rank
SELECT agency_id, officer, dossiers, total, rank FROM tthc.onestop_evaluation('T01', '2026-01-01', '2026-03-31', 'officer', min_dossiers => 2);

\set VERBOSITY default
INSERT INTO tthc.onestop_rating (dossier_code, criterion, points) VALUES ('OS-D3', 1, 2);   -- computed
INSERT INTO tthc.onestop_rating (dossier_code, criterion, points, rated_at) VALUES ('OS-D3', 4, 3, '2026-04-01 09:00');
INSERT INTO tthc.onestop_rating (dossier_code, criterion, points) VALUES ('OS-D3', 10, 1);
INSERT INTO tthc.onestop_rating (dossier_code, criterion, points) VALUES ('NO-SUCH', 4, 1);
UPDATE tthc.onestop_band SET min_points = 14 WHERE band_set = 'circular-01-2018' AND code = 'tot';
SELECT tthc.onestop_band_of(19);
SELECT tthc.onestop_band_of(10, 'nope');
SELECT * FROM tthc.onestop_evaluation('T01', '2026-03-31', '2026-01-01');
SELECT * FROM tthc.onestop_evaluation('T01', '2026-01-01', '2026-03-31', 'team');
SELECT * FROM tthc.onestop_evaluation('T99', '2026-01-01', '2026-03-31');
SELECT * FROM tthc.onestop_quarter('T01', 2026, 5);
SELECT * FROM tthc.onestop_quarter('T01', 2026, 1, min_dossiers => 0);
\set VERBOSITY terse

-- A writer of T01 rates T01's dossiers only, and loads no survey or tree
INSERT INTO tthc.dossier (code, agency_id, procedure_code, status, channel, received_at, due_at, finished_at)
VALUES ('OS-T2', 'T02', 'OS2', 9, 1, '2026-03-02 08:00', '2026-03-09 17:00', '2026-03-04 10:00');
SET client_min_messages = warning;
SELECT tthc.create_roles() IS NOT NULL AS roles;
DROP ROLE IF EXISTS regress_tthc_t01;
CREATE ROLE regress_tthc_t01 LOGIN;
RESET client_min_messages;
GRANT tthc_writer TO regress_tthc_t01;
INSERT INTO tthc.agency_login VALUES ('regress_tthc_t01', 'T01');
SET ROLE regress_tthc_t01;
INSERT INTO tthc.onestop_rating (dossier_code, criterion, points, rated_at) VALUES ('OS-D3', 7, 1, '2026-03-12 11:00');
INSERT INTO tthc.onestop_rating (dossier_code, criterion, points, rated_at) VALUES ('OS-T2', 7, 0, '2026-03-04 11:00');
SELECT dossier_code, criterion, points FROM tthc.onestop_rating WHERE criterion = 7 ORDER BY 1;
SELECT tthc.load_par_points('{"year": 2030, "kind": "ministry", "points": []}');
INSERT INTO tthc.sipas_answer (respondent_id, question_code, value) VALUES (3, 'R1', 4);
SELECT count(*) AS t01_units_evaluated FROM tthc.onestop_evaluation('T01', '2026-01-01', '2026-03-31');
RESET ROLE;
DELETE FROM tthc.onestop_rating WHERE dossier_code = 'OS-D3';
DELETE FROM tthc.agency_login WHERE login = 'regress_tthc_t01';
DROP ROLE regress_tthc_t01;

-- ===========================================================================
-- One view of an agency
-- ===========================================================================
SELECT tthc.load_par_framework($${"year": 2025, "kind": "province", "areas": [
  {"code": "I", "name": "Chỉ đạo", "max_points": 40, "method": "appraisal"},
  {"code": "II", "name": "Thủ tục", "max_points": 60, "method": "survey"}]}$$);
INSERT INTO tthc.par_points (year, kind, agency_id, code, appraised, survey) VALUES
    (2025, 'province', 'T01', 'I', 36, NULL), (2025, 'province', 'T01', 'II', NULL, 45),
    (2025, 'province', 'T02', 'I', 30, NULL), (2025, 'province', 'T02', 'II', NULL, 57);
-- T01 in 2025: SIPAS 70 (2nd of 2), PAR 81 (2nd: T02 87), no one-stop
-- dossiers finished in 2025; weakest first.
SELECT index, result, max_points, percent, rank, ranked, grade, weakest, weakest_percent
  FROM tthc.agency_overview('T01', 2025) WHERE index <> '766';
SELECT * FROM tthc.agency_weak_points('T01', 2025) WHERE index <> '766';
-- 2026: the one-stop evaluation of the year, D1-D4: c1 (2+1+0+2)/4 = 1.25,
-- c2 1, c3 1.25, c4-c6 and c8 1.5, c7 1, c9 1.25: 11.75 of 18 (65.28 %), khá
SELECT index, result, max_points, percent, grade, weakest, weakest_percent
  FROM tthc.agency_overview('T01', 2026) WHERE index = 'onestop';
SELECT * FROM tthc.agency_weak_points('T01', 2026) WHERE index = 'onestop';
\set VERBOSITY default
SELECT * FROM tthc.agency_overview('T99', 2025);
SELECT * FROM tthc.agency_overview('T01', 1999);
\set VERBOSITY terse
