-- Feedback items (PAKN): validation, the limits of criterion 5.1, the
-- rules of 5.2 and 5.4, and the flag that makes a dossier with feedback
-- count against 5.3.  Every expected value was worked out by hand: items
-- received Monday 2/11/2026 09:00 (no holiday in November) must be handled
-- by Monday 23/11 09:00 (15 working days), refused by Wednesday 4/11 09:00
-- (2), first asked for more by Monday 9/11 09:00 (5), and published within
-- 2 working days of handling.
SET DateStyle = ISO;
SET TimeZone = 'Asia/Ho_Chi_Minh';
INSERT INTO tthc.agency VALUES ('F01', NULL, 'Tỉnh F', 'province'),
                               ('F01.1', 'F01', 'Xã F1', 'commune');
INSERT INTO tthc.procedure (code, name, time_limit) VALUES ('FP', 'Thủ tục F', 3);

INSERT INTO tthc.feedback (id, agency_id, received_at, handled_at, published_at, refused_at,
                           supplement_requested_at, transferred_at, likes, dislikes, raised_again, category) VALUES
    ('ON-TIME',      'F01.1', '2026-11-02 09:00', '2026-11-23 09:00', '2026-11-25 09:00', NULL, NULL, NULL, 3, 1, false, 'rules'),
    ('HANDLED-LATE', 'F01.1', '2026-11-02 09:00', '2026-11-23 09:01', '2026-11-23 10:00', NULL, NULL, NULL, 0, 0, false, 'staff'),
    ('OPEN',         'F01.1', '2026-11-02 09:00', NULL, NULL, NULL, NULL, NULL, 0, 0, false, NULL),
    ('REFUSED',      'F01.1', '2026-11-02 09:00', NULL, NULL, '2026-11-04 09:00', NULL, NULL, 0, 0, false, NULL),
    ('REFUSED-LATE', 'F01.1', '2026-11-02 09:00', NULL, NULL, '2026-11-04 09:01', NULL, NULL, 0, 0, false, NULL),
    ('PUB-LATE',     'F01.1', '2026-11-02 09:00', '2026-11-10 09:00', '2026-11-12 09:01', NULL, NULL, NULL, 0, 0, false, NULL),
    ('UNPUBLISHED',  'F01.1', '2026-11-02 09:00', '2026-11-10 09:00', NULL, NULL, NULL, NULL, 0, 0, false, NULL),
    ('ASKED-LATE',   'F01.1', '2026-11-02 09:00', '2026-11-12 09:00', '2026-11-12 10:00', NULL, '2026-11-09 09:01', NULL, 0, 0, false, NULL),
    ('DISLIKED',     'F01.1', '2026-11-02 09:00', '2026-11-03 09:00', '2026-11-03 10:00', NULL, NULL, NULL, 1, 2, false, NULL),
    ('RAISED',       'F01.1', '2026-11-02 09:00', '2026-11-03 09:00', '2026-11-03 10:00', NULL, NULL, NULL, 5, 0, true, NULL),
    -- transferred on Friday 6/11 at 16:00: handled by Friday 27/11 16:00
    ('TRANSFERRED',  'F01.1', '2026-11-02 09:00', '2026-11-27 16:00', '2026-11-27 16:30', NULL, NULL, '2026-11-06 16:00', 0, 0, false, NULL);

SELECT f.id, tthc.late_from(f),
       tthc.counter(tthc.feedback_counters(f, '2026-11-23 09:00'), 'fb_late') AS late_at_9,
       tthc.counter(tthc.feedback_counters(f, '2026-11-23 09:00:01'), 'fb_late') AS late_after_9,
       tthc.counter(tthc.feedback_counters(f, '2027-01-01'), 'fb_late_or_unsatisfied') AS bad_5_2
  FROM tthc.feedback f ORDER BY f.id;

-- the agency's counters from the tallies, judged just before and just after
-- the handling limit; 5.4 by category
SELECT tthc.counters_of('F01', '2026-11-02', '2026-11-02', '2026-11-23 09:00')::jsonb
       - ARRAY(SELECT n.name FROM tthc.counter_names() n WHERE n.name NOT LIKE 'fb\_%');
SELECT tthc.counters_of('F01', '2026-11-02', '2026-11-02', '2026-11-23 09:00:01')::jsonb
       - ARRAY(SELECT n.name FROM tthc.counter_names() n WHERE n.name NOT LIKE 'fb\_%');

-- feedback about a dossier makes it count against 5.3 (late_or_unsatisfied),
-- once, and no longer when the feedback goes
INSERT INTO tthc.dossier (code, agency_id, procedure_code, status, received_at, finished_at) VALUES
    ('FD-1', 'F01.1', 'FP', 9, '2026-11-02 09:00', '2026-11-02 10:00');
INSERT INTO tthc.feedback (id, agency_id, received_at, dossier_code) VALUES
    ('ABOUT-1', 'F01.1', '2026-11-03 09:00', 'FD-1'), ('ABOUT-2', 'F01', '2026-11-03 10:00', 'FD-1');
SELECT code, has_feedback, tthc.counter(tthc.dossier_counters(d, '2027-01-01'), 'late_or_unsatisfied') AS bad_5_3,
       tthc.counter(tthc.dossier_counters(d, '2027-01-01'), 'with_feedback') AS with_feedback
  FROM tthc.dossier d WHERE code = 'FD-1';
DELETE FROM tthc.feedback WHERE id = 'ABOUT-1';
SELECT code, has_feedback FROM tthc.dossier WHERE code = 'FD-1';
DELETE FROM tthc.feedback WHERE id = 'ABOUT-2';
SELECT code, has_feedback FROM tthc.dossier WHERE code = 'FD-1';
SELECT count(*) AS differences FROM tthc.verify();

-- bad input: refused, naming the item, the field and the value
INSERT INTO tthc.feedback (id, agency_id, received_at, handled_at, refused_at)
VALUES ('BAD1', 'F01', '2026-11-02 09:00', '2026-11-03 09:00', '2026-11-03 09:00');
INSERT INTO tthc.feedback (id, agency_id, received_at, published_at)
VALUES ('BAD2', 'F01', '2026-11-02 09:00', '2026-11-03 09:00');
INSERT INTO tthc.feedback (id, agency_id, received_at, transferred_at, handled_at)
VALUES ('BAD3', 'F01', '2026-11-02 09:00', '2026-11-05 09:00', '2026-11-04 09:00');
INSERT INTO tthc.feedback (id, agency_id, received_at, category)
VALUES ('BAD4', 'F01', '2026-11-02 09:00', 'other');
INSERT INTO tthc.feedback (id, agency_id, received_at, likes)
VALUES ('BAD5', 'F01', '2026-11-02 09:00', -1);
INSERT INTO tthc.feedback (id, agency_id, received_at)
VALUES ('BAD6', 'NO-SUCH', '2026-11-02 09:00');
UPDATE tthc.feedback SET handled_at = received_at - interval '1 day' WHERE id = 'OPEN';
SELECT count(*) AS items FROM tthc.feedback;
