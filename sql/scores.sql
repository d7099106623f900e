-- Scores on the 766 index: every criterion on a small province worked out
-- by hand (numerators, denominators, target caps, empty rules, levels), the
-- 3.3 sync factor, ranking ties, grade boundaries, and index-set loading.
-- November 2026 judged at 1/12 00:00 (+07).  No holiday in November.
SET DateStyle = ISO;
SET TimeZone = 'Asia/Ho_Chi_Minh';
SET client_min_messages = warning;
-- a clean slate: the earlier files' facts and catalogue go
TRUNCATE tthc.agency, tthc.procedure CASCADE;
RESET client_min_messages;

INSERT INTO tthc.agency VALUES
    ('SP', NULL, 'Tỉnh P', 'province'), ('SP.1', 'SP', 'Xã P1', 'commune'), ('SP.2', 'SP', 'Xã P2', 'commune'),
    ('SR', NULL, 'Tỉnh R', 'province'), ('ST', NULL, 'Tỉnh T', 'province'), ('SM', NULL, 'Bộ M', 'ministry');
-- PA: paper result, fee, for citizens, eligible for full online, complete
-- record; PB: certification, for citizens; PC: none of these
INSERT INTO tthc.procedure (code, name, time_limit, fee_required, paper_result, full_online_eligible,
                            for_citizens, is_certification, parts_complete) VALUES
    ('PA', 'Thủ tục A', 3, true, true, true, true, false, true),
    ('PB', 'Chứng thực B', 1, false, false, false, true, true, false),
    ('PC', 'Thủ tục C', 5, false, false, false, false, false, false);
INSERT INTO tthc.service VALUES ('SP.1', 'PA', 'full'), ('SP.1', 'PB', 'partial'),
                                ('SP.2', 'PA', NULL), ('SP.2', 'PC', NULL);
INSERT INTO tthc.dossier (code, agency_id, procedure_code, channel, status, received_at, finished_at,
                          returned_at, synced_at, fee, paid_online, e_result, digitized, reused_data,
                          personal_store, population_db, e_certified_copy, rating) VALUES
    -- online, early, paid online, electronic result, digitised, VNeID
    ('D1', 'SP.1', 'PA', 2, 10, '2026-11-02 09:00', '2026-11-03 09:00', '2026-11-03 10:00', '2026-11-02 09:05',
     50000, 1, true, true, true, false, true, false, NULL),
    -- in person, late (due 5/11 09:00, finished 6/11), not paid online, rated unsatisfied
    ('D2', 'SP.1', 'PA', 1, 9, '2026-11-02 09:00', '2026-11-06 09:00', NULL, '2026-11-02 09:05',
     50000, 0, false, false, false, false, false, false, -1),
    -- online certification with an electronic certified copy, personal data store
    ('D3', 'SP.1', 'PB', 2, 9, '2026-11-02 09:00', '2026-11-02 10:00', NULL, '2026-11-02 09:05',
     0, 0, false, false, false, true, false, true, NULL),
    -- open, due 3/11 09:00: late at the evaluation time
    ('D4', 'SP.1', 'PB', 1, 4, '2026-11-02 09:00', NULL, NULL, NULL, 0, 0, false, false, false, false, false, false, NULL),
    -- by post, not synced, digitised
    ('D5', 'SP.2', 'PC', 3, 9, '2026-11-02 09:00', '2026-11-03 09:00', NULL, NULL, 0, 0, false, true, false, false, false, false, NULL);
-- PA announced 2/11 for a basis effective 9/11: 5 working days, on time
-- (province: 5); published 10/11, after its deadline (9/11).  PB announced
-- 3/11 for 9/11: 4 working days, late; published 4/11, on time.
INSERT INTO tthc.announcement (agency_id, procedure_code, kind, decided_on, basis_effective_on, published_on) VALUES
    ('SP', 'PA', 'amend', '2026-11-02', '2026-11-09', '2026-11-10'),
    ('SP', 'PB', 'new', '2026-11-03', '2026-11-09', '2026-11-04');
INSERT INTO tthc.reported_volume VALUES ('SP', '2026-11-01', 10);
-- D2 went through two agencies: SP.1 on time, then SP.2, due 4/11 17:00 and
-- done 6/11 08:00 (9 working hours late: 2 started working days)
INSERT INTO tthc.dossier_step VALUES
    ('D2', 1, 'SP.1', 'Nguyễn Văn An', '2026-11-02 09:00', '2026-11-03 09:00', '2026-11-03 08:00'),
    ('D2', 2, 'SP.2', 'Trần Thị Bình', '2026-11-03 08:00', '2026-11-04 17:00', '2026-11-06 08:00');

-- SP, every criterion (1.4: 3 synced of max(10 reported, 5 received))
SELECT criterion, numerator, denominator, round(ratio, 6) AS ratio, round(points, 6) AS points, max_points
  FROM tthc.scores_of(ARRAY['SP'], '2026-11-01', '2026-11-30', '766', '2026-12-01 00:00+07');
-- SP.1, a unit: no 1.1-1.3; 1.4 on its own 4 received (no reported volume)
SELECT criterion, numerator, denominator, round(ratio, 6) AS ratio, round(points, 6) AS points, max_points
  FROM tthc.scores_of(ARRAY['SP.1'], '2026-11-01', '2026-11-30', '766', '2026-12-01 00:00+07');
-- the same from the raw rows
SELECT count(*) AS differences
  FROM tthc.scores_of(ARRAY['SP', 'SP.1', 'SP.2'], '2026-11-01', '2026-11-30', '766', '2026-12-01 00:00+07') t
  FULL JOIN tthc.scores_of(ARRAY['SP', 'SP.1', 'SP.2'], '2026-11-01', '2026-11-30', '766', '2026-12-01 00:00+07', true) r
    USING (agency_id, criterion)
 WHERE (t.numerator, t.denominator, t.points) IS DISTINCT FROM (r.numerator, r.denominator, r.points);

-- ranks: ministries and provinces apart; SR and ST tie (only 5.1 and 5.2's
-- full points when there is no feedback), competition ranking 1, 2, 2
SELECT rank, agency_id, kind, round(points, 4) AS points, max_points, round(percent, 4) AS percent, grade, groups
  FROM tthc.scoreboard('2026-11-01', '2026-11-30');
-- the units of SP: reachable maximum 88
SELECT rank, agency_id, round(points, 4) AS points, max_points, round(percent, 4) AS percent, grade
  FROM tthc.scoreboard('2026-11-01', '2026-11-30', 'SP');
SELECT agency_id, group_code, round(points, 4) AS points, max_points, rank
  FROM tthc.scoreboard_groups('2026-11-01', '2026-11-30', NULL, '766', 'portal') WHERE agency_id IN ('SP', 'SR');

-- re-parenting moves a unit's history at once
UPDATE tthc.agency SET parent_id = 'SR' WHERE id = 'SP.2';
SELECT agency_id, criterion, numerator, denominator FROM tthc.scores_of(ARRAY['SP', 'SR'], '2026-11-01', '2026-11-30')
 WHERE criterion = '2.1';
UPDATE tthc.agency SET parent_id = 'SP' WHERE id = 'SP.2';

-- explanations: the rows behind a criterion, each failure with its reason;
-- a late inter-agency dossier is charged to the step and agency at fault
SELECT * FROM tthc.explain('SP', '2.1', '2026-11-01', '2026-11-30', '766', '2026-12-01 00:00+07');
SELECT * FROM tthc.explain('SP', '5.3', '2026-11-01', '2026-11-30', '766', '2026-12-01 00:00+07');
SELECT item, counted, reason FROM tthc.explain('SP', '3.3', '2026-11-01', '2026-11-30', '766', '2026-12-01 00:00+07');
SELECT item, counted, reason FROM tthc.explain('SP', '4.2', '2026-11-01', '2026-11-30', '766', '2026-12-01 00:00+07');
SELECT item, counted, reason FROM tthc.explain('SP', '3.1', '2026-11-01', '2026-11-30', '766', '2026-12-01 00:00+07');
SELECT item, counted, reason FROM tthc.explain('SP', '3.4', '2026-11-01', '2026-11-30', '766', '2026-12-01 00:00+07');
SELECT item_kind, procedure_code, counted, reason FROM tthc.explain('SP', '1.1', '2026-11-01', '2026-11-30', '766', '2026-12-01 00:00+07');
SELECT item_kind, procedure_code, counted, reason FROM tthc.explain('SP', '1.2', '2026-11-01', '2026-11-30', '766', '2026-12-01 00:00+07');
SELECT item, counted, reason FROM tthc.explain('SP', '2.2', '2026-11-01', '2026-11-30', '766', '2026-12-01 00:00+07');
SELECT * FROM tthc.step_at_fault('D2', '2026-12-01 00:00+07');
SELECT * FROM tthc.explain('SP', '9.9', '2026-11-01', '2026-11-30');
SELECT * FROM tthc.explain('NOWHERE', '2.1', '2026-11-01', '2026-11-30');
-- strengths and weaknesses: criteria by points lost
SELECT criterion, round(points, 4) AS points, max_points, round(points_lost, 4) AS lost
  FROM tthc.strengths('SP', '2026-11-01', '2026-11-30') LIMIT 4;

-- early warning: an open dossier received now becomes late in 3 working
-- days; with a horizon of 30 days it is at risk, and costs points
INSERT INTO tthc.dossier (code, agency_id, procedure_code, status, received_at)
VALUES ('RISK-1', 'SP.1', 'PA', 4, now());
SELECT dossier_code, time_left > interval '0' AS later, points_at_stake > 0 AS costs
  FROM tthc.at_risk('SP', interval '30 days');
SELECT count(*) FROM tthc.at_risk('SP', interval '1 minute');
DELETE FROM tthc.dossier WHERE code = 'RISK-1';

-- alerts: notified once when the total falls below the threshold
INSERT INTO tthc.alert (agency_id, period, threshold, channel) VALUES ('SP', 'month', 100, 'tthc_alerts');
SELECT agency_id, threshold, notified FROM tthc.check_alerts();
SELECT agency_id, threshold, notified FROM tthc.check_alerts();
UPDATE tthc.alert SET threshold = 0;
SELECT agency_id, threshold, notified FROM tthc.check_alerts();
SELECT below FROM tthc.alert;
INSERT INTO tthc.alert (agency_id, threshold, channel) VALUES ('SP', 50, 'Bad Channel');
DELETE FROM tthc.alert;

-- grade boundaries
SELECT p, tthc.grade(p) FROM unnest(ARRAY[100, 90, 89.999, 80, 79.999, 70, 69.999, 50, 49.999, 0]::numeric[]) p;

-- periods
SELECT k, n, tthc.period(k, 2026, n) FROM (VALUES ('month', 2), ('quarter', 4), ('half', 2), ('nine_months', 1),
                                                  ('year', 1)) v(k, n);
SELECT tthc.period('month', 2026, 13);
SELECT tthc.period('week', 2026, 1);
SELECT tthc.evaluation_time('2020-01-31');

-- index sets: the shipped one cannot be replaced; another is loaded under
-- its own id and scores with it; bad documents are refused with the path
SELECT tthc.load_index_set((SELECT document FROM tthc.index_set WHERE id = '766')::json);
SELECT tthc.load_index_set(jsonb_set(jsonb_set((SELECT document FROM tthc.index_set WHERE id = '766'),
                                               '{id}', '"test"'),
                                     '{criteria,21,target}', '0.6')::json);
SELECT criterion, round(points, 6) AS points FROM tthc.scores_of(ARRAY['SP'], '2026-11-01', '2026-11-30', 'test', '2026-12-01 00:00+07')
 WHERE criterion = '5.3';
SELECT tthc.load_index_set(jsonb_set((SELECT document FROM tthc.index_set WHERE id = 'test'),
                                     '{criteria,6,target}', '1.5')::json);
SELECT tthc.load_index_set(jsonb_set((SELECT document FROM tthc.index_set WHERE id = 'test'),
                                     '{criteria,4,metric}', '"nonsense"')::json);
SELECT tthc.load_index_set(jsonb_set((SELECT document FROM tthc.index_set WHERE id = 'test'),
                                     '{criteria,4,max}', '21')::json);
SELECT tthc.load_index_set('{"id": "x", "groups": [}');
SELECT * FROM tthc.scores('2026-11-01', '2026-11-30', 'nonsense');
SELECT id, shipped FROM tthc.index_set ORDER BY id;
