-- ---------------------------------------------------------------------------
-- generate_yearly.sql: fill the yearly indices with realistic demo data: the
-- SIPAS satisfaction surveys of 2024 and 2025, the provinces' PAR INDEX of
-- 2024 and 2025, and one-stop ratings (Circular 01/2018/TT-VPCP, criteria 4
-- to 8) of finished dossiers.  Run it after demo/generate_catalogue.sql and
-- demo/generate_dossiers.sql, in the same database.
--
--   psql -X -v ON_ERROR_STOP=1 [-v seed=766] -d DB -f demo/generate_yearly.sql
--
--   seed    any text (default 766).  The same seed, catalogue and dossiers
--           give exactly the same rows: every "random" choice is a hash of
--           the seed and of the row's own key, never random(), so it does
--           not depend on plan order.
--
-- Replaces what it owns: every SIPAS scale, wave, questionnaire, question,
-- respondent and answer (the SIPAS tables are emptied); the provinces' PAR
-- INDEX frameworks of 2024 and 2025 with their points (other years and the
-- ministries' are left alone); every one-stop rating.  Run it on a demo
-- database.  One transaction: a failure leaves the tables as they were.
--
-- What it makes:
--   SIPAS    two waves, SIPAS2024 and SIPAS2025, one questionnaire each, for
--            citizens and organisations alike: per element (access, procedure,
--            officials, result, feedback) 2-4 perception questions (yes /
--            no), 1-2 satisfaction questions (5-point scale, satisfied from
--            4, "Hài lòng") and one expectation question (does the
--            respondent want it improved); 25 questions in 2025, 24 in 2024.
--            300-420 respondents per province and wave (~80% citizens),
--            surveyed from mid-August to October; the feedback questions
--            are answered only by those who gave feedback (~35%).  Provinces
--            differ (a propensity per province and element); the national
--            satisfaction is ~82-84%, feedback the weakest element, and a
--            province's 2025 is its 2024 plus a small drift.  ~550,000
--            answers: each goes through the validating row trigger, so this
--            is most of the run time (~11 s of ~18 s at the default demo
--            scale of 200,000 dossiers).
--   PAR      an illustrative provincial framework, the same for both years:
--            the 8 areas of Decision 876/QĐ-BNV, 2-4 criteria each, some
--            with sub-criteria, 100 points of which 66.5 appraised and 33.5
--            surveyed.  THE MAXIMA ARE MADE UP (the framework's name and
--            source say so).  Points on every leaf for every province:
--            appraised <= self-assessed <= maximum, in quarter points;
--            survey points to the hundredth; totals ~81 to ~93.
--   ratings  criteria 4-8 of ~30% of the dossiers returned (at the counter
--            or by post: rated at the return) or finished online (rated on
--            the portal within two days); mostly 2, some 1, few 0, lower
--            where the agency is weaker, the dossier was late or its
--            applicant was unsatisfied.  Ratings that would come after the
--            dossiers' last day have not happened yet.
-- ---------------------------------------------------------------------------

\if :{?seed}
\else
  \set seed 766
\endif

\set QUIET on
SET client_min_messages = warning;

BEGIN;
SET LOCAL work_mem = '256MB';
SET LOCAL jit = off;

-- The catalogue must be there; say so clearly otherwise.
DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM tthc.agency WHERE kind = 'province' AND parent_id IS NULL) THEN
        RAISE EXCEPTION 'tthc.agency has no province'
            USING ERRCODE = 'invalid_parameter_value',
                  HINT = 'Run demo/generate_catalogue.sql first (and demo/generate_dossiers.sql for the one-stop ratings).';
    END IF;
END
$$;

-- ---------------------------------------------------------------------------
-- Deterministic pseudo-randomness, the seed baked in: h(key) in [0, 2^31),
-- u(key) in [0, 1) (as in generate_catalogue.sql); clamp(x, lo, hi).
-- ---------------------------------------------------------------------------
SELECT format('CREATE OR REPLACE FUNCTION pg_temp.h(k text) RETURNS integer '
              'LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS %L',
              format('SELECT hashtext(%L || '':'' || k) & 2147483647', :'seed'))
\gexec
CREATE OR REPLACE FUNCTION pg_temp.u(k text) RETURNS double precision
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    AS 'SELECT pg_temp.h(k) / 2147483648.0::double precision';
CREATE OR REPLACE FUNCTION pg_temp.clamp(x double precision, lo double precision, hi double precision)
    RETURNS double precision
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    AS 'SELECT least(hi, greatest(lo, x))';

-- ---------------------------------------------------------------------------
-- Replace what this script owns.  TRUNCATE empties the SIPAS tables in one
-- step (deleting the waves would cascade to the answers row by row) and
-- restarts the respondents' numbering, so the ids are the same every run.
-- ---------------------------------------------------------------------------
TRUNCATE tthc.sipas_answer, tthc.sipas_respondent, tthc.sipas_question, tthc.sipas_questionnaire,
         tthc.sipas_wave, tthc.sipas_scale RESTART IDENTITY;
DELETE FROM tthc.par_points WHERE kind = 'province' AND year IN (2024, 2025);
DELETE FROM tthc.par_framework WHERE kind = 'province' AND year IN (2024, 2025);
TRUNCATE tthc.onestop_rating;

-- The provinces, each with a propensity z in [0, 1): how well it serves.
-- SIPAS and the PAR INDEX share part of it (a province that is good at one
-- tends to be good at the other).
CREATE TEMP TABLE prov ON COMMIT DROP AS
SELECT a.id, pg_temp.u('propensity:' || a.id) AS z
  FROM tthc.agency a
 WHERE a.kind = 'province' AND a.parent_id IS NULL;
ALTER TABLE prov ADD PRIMARY KEY (id);

-- ===========================================================================
-- SIPAS
-- ===========================================================================
INSERT INTO tthc.sipas_scale (id, name, min_value, max_value, satisfied_from, labels) VALUES
    ('hai-long-5', 'Mức độ hài lòng (5 mức)', 1, 5, 4,
     '{"Rất không hài lòng","Không hài lòng","Bình thường","Hài lòng","Rất hài lòng"}'),
    ('co-khong', 'Có / Không', 0, 1, 1, '{"Không","Có"}'),
    -- a question asked the negative way: "Không" is the good answer
    ('khong-la-tot', 'Có / Không (câu hỏi ngược: trả lời "Không" là tích cực)', 0, 1, 1, '{"Có","Không"}');

INSERT INTO tthc.sipas_wave (id, year, name) VALUES
    ('SIPAS2024', 2024, 'Chỉ số hài lòng về sự phục vụ hành chính (SIPAS) năm 2024'),
    ('SIPAS2025', 2025, 'Chỉ số hài lòng về sự phục vụ hành chính (SIPAS) năm 2025');
INSERT INTO tthc.sipas_questionnaire (id, wave_id, respondent_kind, name) VALUES
    ('SIPAS2024-PHIEU', 'SIPAS2024', NULL, 'Phiếu khảo sát SIPAS 2024 (người dân, tổ chức)'),
    ('SIPAS2025-PHIEU', 'SIPAS2025', NULL, 'Phiếu khảo sát SIPAS 2025 (người dân, tổ chức)');

-- The questions.  since: the first wave that asks it; shift: how much more
-- (or less) often its answer is the good one than the element's
-- satisfaction; fb_only: asked only of those who gave feedback.
CREATE TEMP TABLE q ON COMMIT DROP AS
SELECT * FROM (VALUES
    -- Tiếp cận dịch vụ
    ('TC.1', 'access', 'perception', 'co-khong', 2024, 0.05, false,
     'Nơi tiếp nhận hồ sơ, trả kết quả có đủ chỗ ngồi cho người chờ không?'),
    ('TC.2', 'access', 'perception', 'co-khong', 2024, 0.02, false,
     'Trang thiết bị phục vụ người dân, tổ chức (máy lấy số, máy tính tra cứu, bút, giấy) có đầy đủ, dễ sử dụng không?'),
    ('TC.3', 'access', 'perception', 'co-khong', 2025, -0.06, false,
     'Ông/Bà có dễ dàng tìm thông tin và nộp hồ sơ trên Cổng Dịch vụ công không?'),
    ('TC.HL', 'access', 'satisfaction', 'hai-long-5', 2024, 0.0, false,
     'Ông/Bà hài lòng về việc tiếp cận dịch vụ (nơi tiếp nhận, trang thiết bị, thông tin hướng dẫn)?'),
    ('TC.KV', 'access', 'expectation', 'co-khong', 2024, 0.0, false,
     'Ông/Bà có mong muốn cơ quan cải thiện nơi tiếp nhận, trang thiết bị và việc cung cấp dịch vụ trực tuyến không?'),
    -- Thủ tục hành chính
    ('TT.1', 'procedure', 'perception', 'co-khong', 2024, 0.04, false,
     'Thủ tục hành chính có được niêm yết công khai đầy đủ, chính xác không?'),
    ('TT.2', 'procedure', 'perception', 'co-khong', 2024, 0.01, false,
     'Thành phần hồ sơ Ông/Bà phải nộp có đúng như quy định được niêm yết không?'),
    ('TT.3', 'procedure', 'perception', 'co-khong', 2024, 0.05, false,
     'Phí, lệ phí Ông/Bà phải nộp có đúng như quy định được niêm yết không?'),
    ('TT.HL', 'procedure', 'satisfaction', 'hai-long-5', 2024, 0.0, false,
     'Ông/Bà hài lòng về thủ tục hành chính (thành phần hồ sơ, phí, lệ phí, thời hạn giải quyết)?'),
    ('TT.KV', 'procedure', 'expectation', 'co-khong', 2024, 0.0, false,
     'Ông/Bà có mong muốn thủ tục hành chính được đơn giản hóa thêm (bớt giấy tờ, rút ngắn thời hạn, giảm phí) không?'),
    -- Công chức trực tiếp giải quyết công việc
    ('CC.1', 'officials', 'perception', 'co-khong', 2024, 0.04, false,
     'Công chức có giao tiếp lịch sự, tôn trọng Ông/Bà không?'),
    ('CC.2', 'officials', 'perception', 'khong-la-tot', 2024, 0.08, false,
     'Công chức có gây phiền hà, sách nhiễu Ông/Bà trong quá trình giải quyết công việc không?'),
    ('CC.3', 'officials', 'perception', 'co-khong', 2024, 0.0, false,
     'Công chức có hướng dẫn kê khai, bổ sung hồ sơ tận tình, dễ hiểu, một lần là đủ không?'),
    ('CC.HL1', 'officials', 'satisfaction', 'hai-long-5', 2024, 0.01, false,
     'Ông/Bà hài lòng về thái độ của công chức?'),
    ('CC.HL2', 'officials', 'satisfaction', 'hai-long-5', 2024, -0.02, false,
     'Ông/Bà hài lòng về năng lực, sự hướng dẫn của công chức?'),
    ('CC.KV', 'officials', 'expectation', 'co-khong', 2024, 0.0, false,
     'Ông/Bà có mong muốn công chức nâng cao thái độ phục vụ, năng lực giải quyết công việc không?'),
    -- Kết quả cung ứng dịch vụ
    ('KQ.1', 'result', 'perception', 'co-khong', 2024, 0.0, false,
     'Ông/Bà có nhận được kết quả đúng hoặc sớm hơn ngày hẹn không?'),
    ('KQ.2', 'result', 'perception', 'co-khong', 2024, 0.06, false,
     'Kết quả Ông/Bà nhận được có thông tin đầy đủ, chính xác không?'),
    ('KQ.3', 'result', 'perception', 'khong-la-tot', 2024, 0.01, false,
     'Ông/Bà có phải đi lại nhiều lần mới nhận được kết quả không?'),
    ('KQ.HL', 'result', 'satisfaction', 'hai-long-5', 2024, 0.0, false,
     'Ông/Bà hài lòng về kết quả giải quyết thủ tục hành chính?'),
    ('KQ.KV', 'result', 'expectation', 'co-khong', 2024, 0.0, false,
     'Ông/Bà có mong muốn rút ngắn thời gian trả kết quả, trả kết quả qua bưu chính hoặc trực tuyến không?'),
    -- Tiếp nhận, xử lý góp ý, phản ánh, kiến nghị
    ('GY.1', 'feedback', 'perception', 'co-khong', 2024, 0.08, false,
     'Nơi tiếp nhận có hòm thư góp ý, đường dây nóng hoặc chuyên mục phản ánh, kiến nghị trên Cổng Dịch vụ công không?'),
    ('GY.2', 'feedback', 'perception', 'co-khong', 2024, -0.02, true,
     'Góp ý, phản ánh, kiến nghị của Ông/Bà có được tiếp nhận và trả lời kịp thời không?'),
    ('GY.HL', 'feedback', 'satisfaction', 'hai-long-5', 2024, 0.0, true,
     'Ông/Bà hài lòng về việc tiếp nhận, xử lý góp ý, phản ánh, kiến nghị?'),
    ('GY.KV', 'feedback', 'expectation', 'co-khong', 2024, 0.0, false,
     'Ông/Bà có mong muốn cơ quan tiếp nhận, trả lời góp ý, phản ánh, kiến nghị nhanh hơn, công khai hơn không?')
) x(code, element, measure, scale_id, since, shift, fb_only, text);

INSERT INTO tthc.sipas_question (questionnaire_id, code, element, measure, scale_id, text)
SELECT w.id || '-PHIEU', q.code, q.element, q.measure, q.scale_id, q.text
  FROM tthc.sipas_wave w JOIN q ON q.since <= w.year
 ORDER BY w.id, q.code;

-- Each province's satisfaction per wave and element: the share of
-- satisfied answers it tends to: 74.5% to 88.5% by its propensity, the
-- element's usual place (feedback lowest, results highest), a province's
-- own strengths and weaknesses, and in 2025 a small drift of the province
-- (-1 to +3 points) and of each element.
CREATE TEMP TABLE pe ON COMMIT DROP AS
SELECT w.id AS wave_id, w.year, p.id AS agency_id, e.code AS element,
       0.745 + 0.14 * p.z
       + CASE e.code WHEN 'access' THEN 0.02 WHEN 'procedure' THEN -0.01 WHEN 'officials' THEN 0.015
                     WHEN 'result' THEN 0.03 ELSE -0.055 END
       + 0.08 * (pg_temp.u('sipas-pe:' || p.id || ':' || e.code) - 0.5)
       + CASE WHEN w.year >= 2025
              THEN -0.01 + 0.04 * pg_temp.u('sipas-drift:' || p.id)
                   + 0.03 * (pg_temp.u('sipas-drift:' || p.id || ':' || e.code) - 0.5)
              ELSE 0 END AS t
  FROM tthc.sipas_wave w CROSS JOIN prov p CROSS JOIN tthc.sipas_element e;
ALTER TABLE pe ADD PRIMARY KEY (wave_id, agency_id, element);

-- Respondents: 300 to 420 per province and wave, ~80% citizens, surveyed
-- from 15 August to 31 October; each with a mood (some are pleased with
-- everything, some with nothing) and whether they ever gave feedback.
CREATE TEMP TABLE resp ON COMMIT DROP AS
SELECT row_number() OVER (ORDER BY w.id, p.id, i)::bigint AS id,
       w.id AS wave_id, w.year, w.id || '-PHIEU' AS questionnaire_id, p.id AS agency_id,
       w.id || ':' || p.id || ':' || i AS k
  FROM tthc.sipas_wave w
 CROSS JOIN prov p
 CROSS JOIN LATERAL generate_series(1, 300 + pg_temp.h('sipas-n:' || w.id || ':' || p.id) % 121) AS i;
ALTER TABLE resp ADD PRIMARY KEY (id);
ALTER TABLE resp
    ADD COLUMN kind text, ADD COLUMN answered_on date,
    ADD COLUMN mood double precision, ADD COLUMN gave_feedback boolean;
UPDATE resp SET
    kind = CASE WHEN pg_temp.u('sipas-kind:' || k) < 0.8 THEN 'citizen' ELSE 'organisation' END,
    answered_on = make_date(year, 8, 15) + floor(78 * pg_temp.u('sipas-day:' || k))::integer,
    mood = 0.16 * (pg_temp.u('sipas-mood:' || k) - 0.5),
    gave_feedback = pg_temp.u('sipas-fb:' || k) < 0.35;

INSERT INTO tthc.sipas_respondent (id, questionnaire_id, agency_id, kind, answered_on)
SELECT id, questionnaire_id, agency_id, kind, answered_on FROM resp ORDER BY id;
SELECT setval(pg_get_serial_sequence('tthc.sipas_respondent', 'id'),
              (SELECT max(id) FROM tthc.sipas_respondent)) AS respondent_seq \gset

-- The answers.  t: how likely this respondent is satisfied on the
-- element.  Satisfaction: satisfied with probability t (a third of those
-- "rất hài lòng"), else mostly "bình thường"; perception: the good answer
-- a little more often; expectation: wanting an improvement the more, the
-- less satisfied.  Perception and expectation questions are sometimes
-- skipped (1.5%).  u(...) < x draws a yes with probability x.  The
-- questionnaire is given (the trigger would look it up per answer).
INSERT INTO tthc.sipas_answer (respondent_id, question_code, value, questionnaire_id)
SELECT a.id, a.code,
       CASE a.measure
           WHEN 'satisfaction' THEN
               CASE WHEN a.v < a.t / 3 THEN 5
                    WHEN a.v < a.t THEN 4
                    WHEN a.v < a.t + 0.65 * (1 - a.t) THEN 3
                    WHEN a.v < a.t + 0.90 * (1 - a.t) THEN 2
                    ELSE 1 END
           WHEN 'perception' THEN
               CASE WHEN a.v < pg_temp.clamp(a.t + 0.03, 0.05, 0.995) THEN 1 ELSE 0 END
           ELSE CASE WHEN a.v < pg_temp.clamp(0.12 + 1.1 * (1 - a.t), 0.05, 0.95) THEN 1 ELSE 0 END
       END::smallint,
       a.questionnaire_id
  FROM (SELECT r.id, r.questionnaire_id, q.code, q.measure,
               pg_temp.clamp(pe.t + r.mood + q.shift
                             -- organisations deal with heavier procedures
                             - CASE WHEN r.kind = 'organisation' AND q.element = 'procedure' THEN 0.03 ELSE 0 END,
                             0.2, 0.99) AS t,
               pg_temp.u('sipas-a:' || r.k || ':' || q.code) AS v
          FROM resp r
          JOIN pe ON pe.wave_id = r.wave_id AND pe.agency_id = r.agency_id
          JOIN q ON q.since <= r.year AND pe.element = q.element
         WHERE (r.gave_feedback OR NOT q.fb_only)
           AND (q.measure = 'satisfaction' OR pg_temp.u('sipas-skip:' || r.k || ':' || q.code) >= 0.015)) a
 ORDER BY a.id, a.code;

-- ===========================================================================
-- PAR INDEX: an illustrative provincial framework (the maxima are not the
-- official ones), the same tree for 2024 and 2025.
-- ===========================================================================
CREATE TEMP TABLE par_tree ON COMMIT DROP AS
SELECT $json${
  "kind": "province",
  "max_points": 100,
  "areas": [
    {"code": "1", "name": "Công tác chỉ đạo, điều hành cải cách hành chính", "criteria": [
      {"code": "1.1", "name": "Kế hoạch cải cách hành chính năm", "sub_criteria": [
        {"code": "1.1.1", "name": "Ban hành kế hoạch cải cách hành chính năm kịp thời, đầy đủ nội dung", "max_points": 1, "method": "appraisal"},
        {"code": "1.1.2", "name": "Mức độ hoàn thành kế hoạch cải cách hành chính năm", "max_points": 2, "method": "appraisal"}]},
      {"code": "1.2", "name": "Báo cáo, kiểm tra công tác cải cách hành chính", "sub_criteria": [
        {"code": "1.2.1", "name": "Thực hiện chế độ báo cáo định kỳ", "max_points": 1, "method": "appraisal"},
        {"code": "1.2.2", "name": "Kiểm tra và xử lý tồn tại qua kiểm tra", "max_points": 1.5, "method": "appraisal"}]},
      {"code": "1.3", "name": "Tuyên truyền cải cách hành chính và sáng kiến, giải pháp mới", "max_points": 1.5, "method": "appraisal"},
      {"code": "1.4", "name": "Đánh giá qua điều tra xã hội học về công tác chỉ đạo, điều hành", "max_points": 3, "method": "survey"}]},
    {"code": "2", "name": "Xây dựng và tổ chức thực hiện văn bản quy phạm pháp luật tại tỉnh", "criteria": [
      {"code": "2.1", "name": "Xây dựng, ban hành văn bản quy phạm pháp luật theo kế hoạch", "max_points": 2, "method": "appraisal"},
      {"code": "2.2", "name": "Rà soát, kiểm tra, xử lý văn bản quy phạm pháp luật", "sub_criteria": [
        {"code": "2.2.1", "name": "Rà soát, hệ thống hóa văn bản quy phạm pháp luật", "max_points": 1.5, "method": "appraisal"},
        {"code": "2.2.2", "name": "Kiểm tra, xử lý văn bản trái pháp luật", "max_points": 1.5, "method": "appraisal"}]},
      {"code": "2.3", "name": "Theo dõi thi hành pháp luật", "max_points": 1, "method": "appraisal"},
      {"code": "2.4", "name": "Đánh giá qua điều tra xã hội học về chất lượng văn bản quy phạm pháp luật", "max_points": 3, "method": "survey"}]},
    {"code": "3", "name": "Cải cách thủ tục hành chính", "criteria": [
      {"code": "3.1", "name": "Kiểm soát thủ tục hành chính", "sub_criteria": [
        {"code": "3.1.1", "name": "Công bố, công khai thủ tục hành chính đúng hạn", "max_points": 2, "method": "appraisal"},
        {"code": "3.1.2", "name": "Rà soát, đơn giản hóa thủ tục hành chính", "max_points": 2, "method": "appraisal"}]},
      {"code": "3.2", "name": "Thực hiện cơ chế một cửa, một cửa liên thông", "sub_criteria": [
        {"code": "3.2.1", "name": "Tỉ lệ hồ sơ giải quyết đúng hạn", "max_points": 3, "method": "appraisal"},
        {"code": "3.2.2", "name": "Số hóa hồ sơ, kết quả giải quyết thủ tục hành chính", "max_points": 2, "method": "appraisal"}]},
      {"code": "3.3", "name": "Tiếp nhận, xử lý phản ánh, kiến nghị về thủ tục hành chính", "max_points": 1, "method": "appraisal"},
      {"code": "3.4", "name": "Đánh giá qua điều tra xã hội học về giải quyết thủ tục hành chính", "max_points": 6, "method": "survey"}]},
    {"code": "4", "name": "Cải cách tổ chức bộ máy hành chính nhà nước", "criteria": [
      {"code": "4.1", "name": "Sắp xếp tổ chức bộ máy theo quy định", "max_points": 3, "method": "appraisal"},
      {"code": "4.2", "name": "Quản lý biên chế", "sub_criteria": [
        {"code": "4.2.1", "name": "Sử dụng biên chế được giao đúng quy định", "max_points": 2, "method": "appraisal"},
        {"code": "4.2.2", "name": "Thực hiện tinh giản biên chế", "max_points": 1, "method": "appraisal"}]},
      {"code": "4.3", "name": "Phân cấp, ủy quyền quản lý nhà nước", "max_points": 1, "method": "appraisal"},
      {"code": "4.4", "name": "Đánh giá qua điều tra xã hội học về tổ chức bộ máy", "max_points": 4, "method": "survey"}]},
    {"code": "5", "name": "Cải cách chế độ công vụ", "criteria": [
      {"code": "5.1", "name": "Vị trí việc làm và cơ cấu ngạch công chức", "max_points": 2, "method": "appraisal"},
      {"code": "5.2", "name": "Tuyển dụng, đánh giá, đào tạo công chức", "sub_criteria": [
        {"code": "5.2.1", "name": "Tuyển dụng công chức, viên chức đúng quy định", "max_points": 1.5, "method": "appraisal"},
        {"code": "5.2.2", "name": "Đánh giá, xếp loại chất lượng công chức", "max_points": 1.5, "method": "appraisal"},
        {"code": "5.2.3", "name": "Đào tạo, bồi dưỡng công chức", "max_points": 1.5, "method": "appraisal"}]},
      {"code": "5.3", "name": "Kỷ luật, kỷ cương hành chính", "max_points": 2.5, "method": "appraisal"},
      {"code": "5.4", "name": "Đánh giá qua điều tra xã hội học về thực thi công vụ", "max_points": 4, "method": "survey"}]},
    {"code": "6", "name": "Cải cách tài chính công", "criteria": [
      {"code": "6.1", "name": "Quản lý, sử dụng ngân sách nhà nước", "sub_criteria": [
        {"code": "6.1.1", "name": "Tỉ lệ giải ngân vốn đầu tư công", "max_points": 2.5, "method": "appraisal"},
        {"code": "6.1.2", "name": "Thực hiện kiến nghị của kiểm toán, thanh tra về tài chính, ngân sách", "max_points": 1.5, "method": "appraisal"}]},
      {"code": "6.2", "name": "Quản lý, sử dụng tài sản công", "max_points": 1.5, "method": "appraisal"},
      {"code": "6.3", "name": "Cơ chế tự chủ của đơn vị sự nghiệp công lập", "max_points": 1.5, "method": "appraisal"},
      {"code": "6.4", "name": "Đánh giá qua điều tra xã hội học về quản lý tài chính công", "max_points": 4, "method": "survey"}]},
    {"code": "7", "name": "Xây dựng và phát triển chính quyền điện tử, chính quyền số", "criteria": [
      {"code": "7.1", "name": "Hạ tầng, nền tảng số và an toàn thông tin", "sub_criteria": [
        {"code": "7.1.1", "name": "Hệ thống thông tin giải quyết thủ tục hành chính cấp tỉnh", "max_points": 2, "method": "appraisal"},
        {"code": "7.1.2", "name": "Kết nối, chia sẻ dữ liệu với các cơ sở dữ liệu quốc gia", "max_points": 2, "method": "appraisal"},
        {"code": "7.1.3", "name": "Bảo đảm an toàn thông tin mạng", "max_points": 1.5, "method": "appraisal"}]},
      {"code": "7.2", "name": "Cung cấp dịch vụ công trực tuyến", "sub_criteria": [
        {"code": "7.2.1", "name": "Tỉ lệ thủ tục hành chính cung cấp trực tuyến toàn trình", "max_points": 2.5, "method": "appraisal"},
        {"code": "7.2.2", "name": "Tỉ lệ hồ sơ nộp trực tuyến", "max_points": 2.5, "method": "appraisal"},
        {"code": "7.2.3", "name": "Tỉ lệ thanh toán trực tuyến phí, lệ phí", "max_points": 1, "method": "appraisal"}]},
      {"code": "7.3", "name": "Ứng dụng công nghệ thông tin trong chỉ đạo, điều hành", "max_points": 1, "method": "appraisal"},
      {"code": "7.4", "name": "Đánh giá qua điều tra xã hội học về dịch vụ công trực tuyến", "max_points": 3.5, "method": "survey"}]},
    {"code": "8", "name": "Tác động của cải cách hành chính đến người dân, tổ chức và phát triển kinh tế - xã hội", "criteria": [
      {"code": "8.1", "name": "Tác động đến người dân, tổ chức", "sub_criteria": [
        {"code": "8.1.1", "name": "Tiếp cận thông tin của người dân, tổ chức", "max_points": 3, "method": "survey"},
        {"code": "8.1.2", "name": "Chi phí không chính thức khi giải quyết thủ tục hành chính", "max_points": 3, "method": "survey"}]},
      {"code": "8.2", "name": "Tác động đến phát triển kinh tế - xã hội", "sub_criteria": [
        {"code": "8.2.1", "name": "Thu hút đầu tư trên địa bàn", "max_points": 2.5, "method": "appraisal"},
        {"code": "8.2.2", "name": "Thu ngân sách nhà nước trên địa bàn", "max_points": 2.5, "method": "appraisal"},
        {"code": "8.2.3", "name": "Thực hiện các chỉ tiêu phát triển kinh tế - xã hội", "max_points": 3, "method": "appraisal"}]}]}
  ]
}$json$::jsonb AS doc;

SELECT count(tthc.load_par_framework(
           jsonb_build_object(
               'year', y,
               'name', format('PAR INDEX %s cấp tỉnh (khung minh họa cho bản demo)', y),
               'source', 'demo: khung minh họa theo cấu trúc 8 lĩnh vực của Quyết định 876/QĐ-BNV; '
                         'điểm tối đa không phải số liệu chính thức')
           || t.doc)) AS frameworks
  FROM par_tree t, (VALUES (2024), (2025)) v(y) \gset

-- Points on every leaf.  A province's appraised share of a leaf: 87.5% to
-- 94% by its propensity (partly its SIPAS one), its strong and weak areas,
-- the leaf, and in 2025 a drift (-1 to +1.5 points); appraised in quarter
-- points, the self-assessment at or above it.  Survey leaves: 71% to 81%
-- of the maximum, to the hundredth.
CREATE TEMP TABLE par_pts ON COMMIT DROP AS
WITH leaf AS (
    SELECT c.year, c.code, c.path[1] AS area, c.max_points, c.method
      FROM tthc.par_criterion c
     WHERE c.kind = 'province' AND c.year IN (2024, 2025) AND c.method IS NOT NULL),
pz AS (
    SELECT p.id, 0.4 * p.z + 0.6 * pg_temp.u('par:' || p.id) AS z FROM prov p),
f AS (
    SELECT l.year, pz.id AS agency_id, l.code, l.max_points, l.method,
           CASE l.method WHEN 'appraisal' THEN 0.875 + 0.065 * pz.z ELSE 0.71 + 0.10 * pz.z END
           + 0.08 * (pg_temp.u('par-area:' || pz.id || ':' || l.area) - 0.5)
           + CASE l.method WHEN 'appraisal' THEN 0.10 ELSE 0.06 END
             * (pg_temp.u('par-leaf:' || l.year || ':' || pz.id || ':' || l.code) - 0.5)
           + CASE WHEN l.year >= 2025 THEN -0.01 + 0.025 * pg_temp.u('par-drift:' || pz.id) ELSE 0 END AS share
      FROM leaf l CROSS JOIN pz),
a AS (
    SELECT f.*,
           CASE WHEN f.method = 'appraisal'
                THEN least(f.max_points, round(round(4 * f.max_points * pg_temp.clamp(f.share, 0, 1)::numeric) / 4, 2)) END
               AS appraised
      FROM f)
SELECT a.year, a.agency_id, a.code,
       CASE WHEN a.method = 'appraisal'
            THEN least(a.max_points,
                       a.appraised + round(round(4 * (a.max_points - a.appraised)
                                                 * (0.4 + 0.6 * pg_temp.u('par-self:' || a.year || ':' || a.agency_id || ':' || a.code))::numeric) / 4, 2))
       END AS self_assessed,
       a.appraised,
       CASE WHEN a.method = 'survey'
            THEN least(a.max_points, round(a.max_points * pg_temp.clamp(a.share, 0, 1)::numeric, 2)) END AS survey
  FROM a;

SELECT sum(tthc.load_par_points(jsonb_build_object(
           'year', y, 'kind', 'province',
           'points', (SELECT jsonb_agg(jsonb_strip_nulls(jsonb_build_object(
                                 'agency', p.agency_id, 'criterion', p.code, 'self_assessed', p.self_assessed,
                                 'appraised', p.appraised, 'survey', p.survey))
                             ORDER BY p.agency_id, p.code)
                        FROM par_pts p WHERE p.year = y)))) AS par_points
  FROM (VALUES (2024), (2025)) v(y) \gset

-- ===========================================================================
-- One-stop ratings, criteria 4 to 8 (Circular 01/2018/TT-VPCP): ~30% of the
-- dossiers whose result was returned (rated at the counter, or by post, a
-- few minutes after) or, online, finished (rated on the portal within two
-- days).  An agency's propensity for 2 points: 78% to 95%; the criteria
-- differ (posting and the one-stop unit are easy, attitude and feedback
-- handling harder); a late dossier or an unsatisfied applicant rates lower.
-- 2 with probability p, else 1 four times in five, else 0.
-- ===========================================================================
CREATE TEMP TABLE os_end ON COMMIT DROP AS
-- the end of the dossiers' last day (Vietnam): ratings after it have not happened
SELECT ((max(coalesce(d.returned_at, d.finished_at, d.ended_at, d.received_at, d.submitted_at))
             AT TIME ZONE 'Asia/Ho_Chi_Minh')::date + 1)::timestamp AT TIME ZONE 'Asia/Ho_Chi_Minh' AS s0
  FROM tthc.dossier d;

INSERT INTO tthc.onestop_rating (dossier_code, criterion, points, rated_by, rated_at)
SELECT r.code, c.no,
       CASE WHEN x.v < x.p THEN 2 WHEN x.v < x.p + 0.8 * (1 - x.p) THEN 1 ELSE 0 END::smallint,
       r.rated_by, r.rated_at
  FROM (SELECT d.code, d.agency_id, d.rating, d.finished_at > d.due_at AS late,
               CASE d.channel WHEN 2 THEN 'Cổng Dịch vụ công'
                              WHEN 3 THEN 'Phiếu đánh giá gửi qua bưu chính'
                              ELSE 'Thiết bị đánh giá tại Bộ phận Một cửa' END AS rated_by,
               date_trunc('second',
                   CASE WHEN d.channel = 2
                        THEN d.finished_at + make_interval(secs => 600 + floor(172800 * pg_temp.u('os-when:' || d.code)))
                        ELSE d.returned_at + make_interval(secs => 60 + floor(900 * pg_temp.u('os-when:' || d.code)))
                   END) AS rated_at
          FROM tthc.dossier d
         WHERE d.finished_at IS NOT NULL
           AND pg_temp.u('os-rated:' || d.code) < 0.30) r
 CROSS JOIN os_end
 CROSS JOIN generate_series(4, 8) AS c(no)
 CROSS JOIN LATERAL (
     SELECT pg_temp.u('os-pts:' || r.code || ':' || c.no) AS v,
            pg_temp.clamp(0.78 + 0.17 * pg_temp.u('os-agency:' || r.agency_id)
                          + CASE c.no WHEN 4 THEN 0.04 WHEN 5 THEN 0.05 WHEN 6 THEN 0.05
                                      WHEN 7 THEN -0.02 ELSE -0.06 END
                          - CASE WHEN r.late THEN 0.15 ELSE 0 END
                          - CASE WHEN r.rating = -1 THEN CASE WHEN c.no IN (7, 8) THEN 0.45 ELSE 0.25 END
                                 WHEN r.rating = 1 THEN -0.03 ELSE 0 END,
                          0.05, 0.99) AS p) x
 WHERE r.rated_at < os_end.s0
 ORDER BY r.code, c.no;

COMMIT;

ANALYZE tthc.sipas_respondent, tthc.sipas_answer, tthc.par_points, tthc.onestop_rating;

-- ---------------------------------------------------------------------------
-- What was made.
-- ---------------------------------------------------------------------------
\pset footer off
\set QUIET off
\echo
\echo tthc demo yearly indices: seed :seed
SELECT w.id AS "wave", count(DISTINCT r.id) AS "respondents", count(a.*) AS "answers",
       (SELECT s.sipas FROM tthc.sipas_results(w.id) s WHERE s.agency_id IS NULL) AS "national SIPAS %",
       (SELECT min(s.sipas) || ' .. ' || max(s.sipas) FROM tthc.sipas_results(w.id) s WHERE s.agency_id IS NOT NULL)
           AS "provinces"
  FROM tthc.sipas_wave w
  JOIN tthc.sipas_questionnaire qn ON qn.wave_id = w.id
  JOIN tthc.sipas_respondent r ON r.questionnaire_id = qn.id
  LEFT JOIN tthc.sipas_answer a ON a.respondent_id = r.id
 GROUP BY w.id ORDER BY w.id;
SELECT f.year AS "PAR INDEX year", trim_scale(f.max_points) AS "max",
       (SELECT count(*) FROM tthc.par_results(f.year, f.kind)) AS "provinces",
       (SELECT round(min(p.points), 2) || ' .. ' || round(max(p.points), 2) FROM tthc.par_results(f.year, f.kind) p)
           AS "points"
  FROM tthc.par_framework f WHERE f.kind = 'province' AND f.year IN (2024, 2025) ORDER BY f.year;
SELECT count(DISTINCT dossier_code) AS "dossiers rated", count(*) AS "ratings",
       round(100.0 * count(*) FILTER (WHERE points = 2) / nullif(count(*), 0), 1) AS "% 2 points",
       round(100.0 * count(*) FILTER (WHERE points = 1) / nullif(count(*), 0), 1) AS "% 1 point",
       round(100.0 * count(*) FILTER (WHERE points = 0) / nullif(count(*), 0), 1) AS "% 0 points"
  FROM tthc.onestop_rating;
