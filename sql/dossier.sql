-- Dossiers: validation, due dates, and what each one counts for at an
-- evaluation time (SPEC §4-§5).  One dossier per rule; every expected value
-- was worked out by hand.
SET DateStyle = ISO;
SET TimeZone = 'Asia/Ho_Chi_Minh';
INSERT INTO tthc.agency VALUES ('H26', NULL, 'Thành phố Hà Nội', 'province'),
                               ('H26.X001', 'H26', 'Phường Ba Đình', 'commune');
INSERT INTO tthc.procedure (code, name, time_limit, time_unit) VALUES
    ('P3', 'Thủ tục 3 ngày làm việc', 3, 'working_day'),
    ('PHALF', 'Chứng thực (trong ngày)', 0.5, 'working_day'),
    ('P15D', 'Thủ tục 15 ngày', 15, 'day'),
    ('PNONE', 'Không quy định thời hạn', NULL, 'working_day');

-- due_at is filled from the procedure when NULL (received Mon 23/11 09:00)
INSERT INTO tthc.dossier (code, agency_id, procedure_code, status, received_at) VALUES
    ('DUE-3WD', 'H26.X001', 'P3', 2, '2026-11-23 09:00'),
    ('DUE-HALF', 'H26.X001', 'PHALF', 2, '2026-11-23 15:30'),
    ('DUE-15D', 'H26.X001', 'P15D', 2, '2026-11-23 09:00'),
    ('DUE-NONE', 'H26.X001', 'PNONE', 2, '2026-11-23 09:00');
INSERT INTO tthc.dossier (code, agency_id, procedure_code, status, received_at, due_at) VALUES
    ('DUE-GIVEN', 'H26.X001', 'P3', 2, '2026-11-23 09:00', '2026-11-30 09:00');
INSERT INTO tthc.dossier (code, agency_id, procedure_code, status) VALUES
    ('DUE-NOT-RECEIVED', 'H26.X001', 'P3', 1);
SELECT code, due_at FROM tthc.dossier ORDER BY code;
-- a changed time limit is used at once (each backend caches the limits)
UPDATE tthc.procedure SET time_limit = 5 WHERE code = 'P3';
INSERT INTO tthc.dossier (code, agency_id, procedure_code, status, received_at)
VALUES ('DUE-5WD', 'H26.X001', 'P3', 2, '2026-11-23 09:00');
SELECT code, due_at FROM tthc.dossier WHERE code = 'DUE-5WD';
UPDATE tthc.procedure SET time_limit = 3 WHERE code = 'P3';
DELETE FROM tthc.dossier;

-- One dossier per rule, all of procedure P3, received Mon 23/11/2026 09:00,
-- due Thu 26/11 09:00 unless said otherwise.
INSERT INTO tthc.dossier (code, agency_id, procedure_code, status, channel, received_at,
                          finished_at, returned_at, ended_at, supplement_requests,
                          supplement_requested_at, supplement_received_at, rating) VALUES
 ('NEW',           'H26.X001', 'P3', 1,  2, NULL,               NULL, NULL, NULL, 0, NULL, NULL, NULL),
 ('REFUSED-DOOR',  'H26.X001', 'P3', 3,  1, NULL,               NULL, NULL, '2026-11-23 09:30', 0, NULL, NULL, NULL),
 ('REFUSED-LATER', 'H26.X001', 'P3', 3,  1, '2026-11-23 09:00', NULL, NULL, '2026-11-24 09:00', 0, NULL, NULL, NULL),
 ('EARLY',         'H26.X001', 'P3', 9,  2, '2026-11-23 09:00', '2026-11-25 16:00', NULL, NULL, 0, NULL, NULL, NULL),
 ('AT-DUE',        'H26.X001', 'P3', 9,  2, '2026-11-23 09:00', '2026-11-26 09:00', NULL, NULL, 0, NULL, NULL, NULL),
 ('FINISHED-LATE', 'H26.X001', 'P3', 9,  2, '2026-11-23 09:00', '2026-11-27 10:00', NULL, NULL, 0, NULL, NULL, NULL),
 ('OPEN',          'H26.X001', 'P3', 4,  3, '2026-11-23 09:00', NULL, NULL, NULL, 0, NULL, NULL, NULL),
 ('9-BEATS-10',    'H26.X001', 'P3', 10, 1, '2026-11-23 09:00', '2026-11-26 08:00', '2026-11-30 09:00', NULL, 0, NULL, NULL, NULL),
 ('RETURNED-LATE', 'H26.X001', 'P3', 10, 1, '2026-11-23 09:00', NULL, '2026-11-30 09:00', NULL, 0, NULL, NULL, NULL),
 ('WITHDRAWN',     'H26.X001', 'P3', 7,  1, '2026-11-23 09:00', NULL, NULL, '2026-11-24 09:00', 0, NULL, NULL, NULL),
 ('STOPPED-LATE',  'H26.X001', 'P3', 8,  1, '2026-11-23 09:00', NULL, NULL, '2026-11-30 09:00', 0, NULL, NULL, NULL),
 ('SUPPL-ANSWERED','H26.X001', 'P3', 9,  1, '2026-11-23 09:00', '2026-11-27 08:00', NULL, NULL, 1, '2026-11-24 09:00', '2026-11-25 09:00', NULL),
 ('SUPPL-WAIT-OK', 'H26.X001', 'P3', 5,  1, '2026-11-23 09:00', NULL, NULL, NULL, 1, '2026-11-25 09:00', NULL, NULL),
 ('SUPPL-WAIT-LATE','H26.X001','P3', 5,  1, '2026-11-23 09:00', NULL, NULL, NULL, 1, '2026-11-27 09:00', NULL, NULL),
 ('SUPPL-TWICE',   'H26.X001', 'P3', 9,  1, '2026-11-23 09:00', '2026-11-25 09:00', NULL, NULL, 2, '2026-11-24 14:00', '2026-11-24 15:00', NULL),
 ('UNSATISFIED',   'H26.X001', 'P3', 9,  1, '2026-11-23 09:00', '2026-11-24 09:00', NULL, NULL, 0, NULL, NULL, -1);

-- before the due time, just after it, and long after
SELECT d.code,
       tthc.counter(tthc.dossier_counters(d, '2026-11-25 17:00'), 'late') AS late_wed,
       tthc.counter(tthc.dossier_counters(d, '2026-11-26 09:00:01'), 'late') AS late_thu,
       tthc.counter(tthc.dossier_counters(d, '2027-06-01'), 'late') AS late_2027,
       c.received, c.ended, c.finished, c.early, c.on_time, c.late_or_unsatisfied AS late_or_unsat,
       c.in_person + 2 * c.online + 3 * c.postal AS channel,
       round(c.work_usecs / 3.6e9, 2) AS work_hours
  FROM tthc.dossier d,
       jsonb_to_record(tthc.dossier_counters(d, '2027-06-01')::jsonb)
         AS c(received int, ended int, finished int, early int, on_time int, late_or_unsatisfied int,
              in_person int, online int, postal int, work_usecs bigint)
 ORDER BY d.code;

-- late_from: the instant after which each dossier is late (NULL: never)
SELECT code, due_at, tthc.late_from(d) FROM tthc.dossier d ORDER BY code;

-- The tallies agree with the rows, and read the same counters
SELECT count(*) AS differences FROM tthc.verify();
SELECT tthc.counters_of('H26', '2026-11-23', '2026-11-23', '2026-11-26 12:00')::text
     = (SELECT tthc.sum(tthc.dossier_counters(d, '2026-11-26 12:00'))::text FROM tthc.dossier d) AS same;

-- Payments and digitisation flags
INSERT INTO tthc.dossier (code, agency_id, procedure_code, status, channel, received_at, synced_at,
                          fee, paid_online, e_result, digitized, reused_data, personal_store,
                          population_db, e_certified_copy)
VALUES ('FLAGS-PORTAL', 'H26.X001', 'P3', 2, 2, '2026-11-23 09:00', '2026-11-23 09:01', 50000, 1, true, true, true, true, true, true),
       ('FLAGS-GATEWAY', 'H26.X001', 'P3', 2, 2, '2026-11-23 09:00', NULL, 50000, 2, false, true, false, false, false, false),
       ('FLAGS-NOFEE', 'H26.X001', 'P3', 2, 1, '2026-11-23 09:00', '2026-11-23 10:00', 0, 1, true, false, false, false, false, false);
SELECT d.code, c.*
  FROM tthc.dossier d,
       jsonb_to_record(tthc.dossier_counters(d)::jsonb)
         AS c(synced int, synced_with_fee int, with_fee int, paid_online int, paid_on_portal int,
              online_e_result int, e_result int, digitized int, digitized_e_result int,
              reused_data int, personal_store int, population_db int, e_certified_copy int)
 WHERE d.code LIKE 'FLAGS-%' ORDER BY d.code;

-- The recompute: tthc.sum over raw rows
SELECT tthc.counter(s, 'received') AS received, tthc.counter(s, 'late') AS late,
       tthc.counter(s, 'on_time') AS on_time, tthc.counter(s, 'online') AS online
  FROM (SELECT tthc.sum(tthc.dossier_counters(d, '2026-12-31 23:59:59')) AS s FROM tthc.dossier d) x;

-- Updates re-validate, in any order of statuses
UPDATE tthc.dossier SET status = 9, finished_at = '2026-11-25 10:00' WHERE code = 'OPEN';
UPDATE tthc.dossier SET status = 4, finished_at = NULL WHERE code = 'OPEN';
SELECT code, status, finished_at FROM tthc.dossier WHERE code = 'OPEN';

-- Bad input: the field, the value, the dossier
\set VERBOSITY default
INSERT INTO tthc.dossier (code, agency_id, procedure_code, status, received_at, finished_at)
VALUES ('BAD1', 'H26', 'P3', 9, '2026-11-23 09:00', '2026-11-22 09:00');
INSERT INTO tthc.dossier (code, agency_id, procedure_code, status) VALUES ('BAD2', 'H26', 'P3', 11);
INSERT INTO tthc.dossier (code, agency_id, procedure_code, status) VALUES ('BAD3', 'H26', 'P3', NULL);
INSERT INTO tthc.dossier (code, agency_id, procedure_code, status, channel) VALUES ('BAD4', 'H26', 'P3', 1, 5);
INSERT INTO tthc.dossier (code, agency_id, procedure_code, status, paid_online) VALUES ('BAD5', 'H26', 'P3', 1, 3);
INSERT INTO tthc.dossier (code, agency_id, procedure_code, status, rating) VALUES ('BAD6', 'H26', 'P3', 1, 0);
INSERT INTO tthc.dossier (code, agency_id, procedure_code, status, received_at) VALUES ('BAD7', 'H26', 'P3', 9, '2026-11-23 09:00');
INSERT INTO tthc.dossier (code, agency_id, procedure_code, status, received_at, supplement_received_at)
VALUES ('BAD8', 'H26', 'P3', 4, '2026-11-23 09:00', '2026-11-24 09:00');
INSERT INTO tthc.dossier (code, agency_id, procedure_code, status, received_at, supplement_requested_at)
VALUES ('BAD9', 'H26', 'P3', 5, '2026-11-23 09:00', '2026-11-24 09:00');
INSERT INTO tthc.dossier (code, agency_id, procedure_code, status, fee) VALUES ('BAD10', 'H26', 'P3', 1, -5);
INSERT INTO tthc.dossier (code, agency_id, procedure_code, status, received_at) VALUES ('BAD11', 'H26', 'NO-SUCH', 2, '2026-11-23 09:00');
INSERT INTO tthc.dossier (code, agency_id, procedure_code, status) VALUES ('BAD12', 'NO-SUCH', 'P3', 1);
INSERT INTO tthc.dossier (code, agency_id, procedure_code, status, received_at) VALUES ('BAD13', 'H26', 'P3', 2, 'infinity');
INSERT INTO tthc.dossier (code, agency_id, procedure_code, status, received_at) VALUES ('BAD14', 'H26', 'P3', 2, '2040-01-02 09:00');
INSERT INTO tthc.dossier (code, agency_id, procedure_code, status) VALUES ('has space', 'H26', 'P3', 1);
UPDATE tthc.dossier SET received_at = '2026-11-28 09:00' WHERE code = 'EARLY';
SELECT count(*) FROM tthc.dossier WHERE code LIKE 'BAD%';

-- The counters type
SELECT '{"received": 2, "late": 1}'::tthc.counters OPERATOR(tthc.=) '{"late": 1, "received": 2}'::tthc.counters AS eq;
SELECT tthc.counter('{"received": 2}'::tthc.counters OPERATOR(tthc.+) '{"received": 3}'::tthc.counters, 'received') AS plus;
SELECT tthc.counter('{"received": 2}'::tthc.counters OPERATOR(tthc.-) '{"received": 3}'::tthc.counters, 'received') AS minus;
SELECT tthc.sum(c) IS NULL AS empty_sum FROM (SELECT '{}'::tthc.counters AS c WHERE false) x;
SELECT count(*) AS counters, min(ord), max(ord) FROM tthc.counter_names();
SELECT '{"received": 1.5}'::tthc.counters;
SELECT '{"nonsense": 1}'::tthc.counters;
SELECT 'received=1'::tthc.counters;
SELECT tthc.counter('{}'::tthc.counters, 'nonsense');
SELECT '{"received": 9223372036854775807}'::tthc.counters OPERATOR(tthc.+) '{"received": 1}'::tthc.counters;
