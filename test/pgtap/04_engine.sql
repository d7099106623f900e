-- The recompute path: tthc.sum(tthc.dossier_counters(d, T)) over thousands
-- of deterministic pseudo-random dossiers, checked against the same counts
-- written as plain SQL, at several evaluation times; and the aggregate's
-- algebra: serial = parallel = sum of per-group sums.
BEGIN;
SELECT plan(12);

CREATE FUNCTION pg_temp.h(i int, k int) RETURNS int
LANGUAGE sql IMMUTABLE AS 'SELECT abs(hashint4(i * 31 + k * 1000003))';

INSERT INTO tthc.agency VALUES ('EA', NULL, 'Tỉnh A', 'province'), ('EB', NULL, 'Bộ B', 'ministry'),
                               ('EA.1', 'EA', 'Xã 1', 'commune'), ('EA.2', 'EA', 'Xã 2', 'commune');
INSERT INTO tthc.procedure (code, name, time_limit, time_unit) VALUES
    ('E1', 'Một ngày', 1, 'working_day'), ('E3', 'Ba ngày', 3, 'working_day'),
    ('E10', 'Mười ngày', 10, 'day'), ('E0', 'Không thời hạn', NULL, 'working_day'),
    ('EH', 'Nửa ngày', 0.5, 'working_day');

-- 20,000 dossiers received over 2025-2026, in every status, valid by construction
INSERT INTO tthc.dossier (code, agency_id, procedure_code, channel, status, submitted_at, received_at,
                          finished_at, returned_at, ended_at, synced_at, supplement_requests,
                          supplement_requested_at, supplement_received_at, fee, paid_online,
                          e_result, digitized, reused_data, population_db, rating)
SELECT 'E-' || i, (ARRAY['EA', 'EB', 'EA.1', 'EA.2'])[1 + pg_temp.h(i, 1) % 4],
       (ARRAY['E1', 'E3', 'E10', 'E0', 'EH'])[1 + pg_temp.h(i, 2) % 5],
       1 + pg_temp.h(i, 3) % 3, st, r - interval '1 hour',
       CASE WHEN rcv THEN r END,
       CASE WHEN rcv AND (st = 9 OR (st = 10 AND pg_temp.h(i, 5) % 2 = 0))
            THEN r + pg_temp.h(i, 6) % 400 * interval '1 hour' END,
       CASE WHEN st = 10 THEN r + (400 + pg_temp.h(i, 7) % 100) * interval '1 hour' END,
       CASE WHEN st IN (3, 7, 8) THEN r + pg_temp.h(i, 8) % 300 * interval '1 hour' END,
       CASE WHEN pg_temp.h(i, 9) % 10 < 8 THEN r + interval '5 minutes' END,
       CASE WHEN rcv THEN sup ELSE 0 END,
       CASE WHEN rcv AND sup > 0 THEN r + pg_temp.h(i, 10) % 50 * interval '1 hour' END,
       CASE WHEN rcv AND sup > 0 AND pg_temp.h(i, 11) % 2 = 0
            THEN r + (50 + pg_temp.h(i, 12) % 50) * interval '1 hour' END,
       (pg_temp.h(i, 13) % 3) * 25000, pg_temp.h(i, 14) % 3, pg_temp.h(i, 15) % 2 = 0,
       pg_temp.h(i, 16) % 3 = 0, pg_temp.h(i, 17) % 5 = 0, pg_temp.h(i, 18) % 4 = 0,
       (ARRAY[NULL, 1, -1, 1]::smallint[])[1 + pg_temp.h(i, 19) % 4]
  FROM (SELECT i, st,
               timestamptz '2025-01-02 07:00+07' + pg_temp.h(i, 20) % (690 * 24 * 60) * interval '1 minute' AS r,
               CASE pg_temp.h(i, 21) % 6 WHEN 0 THEN 1 WHEN 1 THEN 2 ELSE 0 END AS sup,
               NOT (st = 1 OR (st = 3 AND pg_temp.h(i, 4) % 2 = 0)) AS rcv
          FROM (SELECT i, 1 + pg_temp.h(i, 0) % 10 AS st FROM generate_series(1, 20000) i) s) g;

SELECT is((SELECT count(*) FROM tthc.dossier WHERE code LIKE 'E-%'), 20000::bigint, '20,000 dossiers written');

-- the same counts in plain SQL
CREATE TEMP VIEW plain AS
SELECT d.*, (d.received_at IS NOT NULL AND d.status <> 1) AS rcv,
       coalesce(d.finished_at, d.returned_at,
                CASE WHEN d.status IN (3, 8) OR (d.status = 7 AND d.received_at IS NOT NULL)
                     THEN d.ended_at END) AS end_at
  FROM tthc.dossier d WHERE d.code LIKE 'E-%';

CREATE TEMP TABLE at_times (t timestamptz);
INSERT INTO at_times VALUES ('2025-03-31 23:59:59.999999+07'), ('2025-12-31 23:59:59.999999+07'),
                            ('2026-06-15 10:30+07'), ('2027-01-01 00:00+07');

SELECT is(
    (SELECT count(*) FROM at_times a
      WHERE (SELECT tthc.counter(tthc.sum(tthc.dossier_counters(d, a.t)), 'received')
               FROM tthc.dossier d WHERE d.code LIKE 'E-%')
         <> (SELECT count(*) FILTER (WHERE rcv) FROM plain)),
    0::bigint, 'received: status not 1 and a receipt time');

SELECT is(
    (SELECT tthc.sum(tthc.dossier_counters(d, '2027-01-01'))::jsonb
              - 'late' - 'late_or_unsatisfied' - 'early' - 'on_time' - 'work_usecs' - 'elapsed_usecs'
              - 'supplemented' - 'supplemented_twice' - 'ended' - 'finished' - 'no_time_limit' - 'rated'
              - 'rated_unsatisfied'
              - ARRAY(SELECT n.name FROM tthc.counter_names() n WHERE n.name LIKE 'fb\_%')
       FROM tthc.dossier d WHERE d.code LIKE 'E-%'),
    (SELECT jsonb_build_object(
        'received', count(*) FILTER (WHERE rcv),
        'synced', count(*) FILTER (WHERE rcv AND synced_at IS NOT NULL),
        'synced_with_fee', count(*) FILTER (WHERE rcv AND synced_at IS NOT NULL AND fee > 0),
        'in_person', count(*) FILTER (WHERE rcv AND coalesce(channel, 1) = 1),
        'online', count(*) FILTER (WHERE rcv AND channel = 2),
        'postal', count(*) FILTER (WHERE rcv AND channel = 3),
        'online_e_result', count(*) FILTER (WHERE rcv AND channel = 2 AND e_result),
        'with_fee', count(*) FILTER (WHERE rcv AND fee > 0),
        'paid_online', count(*) FILTER (WHERE rcv AND fee > 0 AND paid_online IN (1, 2)),
        'paid_on_portal', count(*) FILTER (WHERE rcv AND fee > 0 AND paid_online = 1),
        'e_result', count(*) FILTER (WHERE rcv AND e_result),
        'digitized', count(*) FILTER (WHERE rcv AND digitized),
        'digitized_e_result', count(*) FILTER (WHERE rcv AND digitized AND e_result),
        'e_certified_copy', count(*) FILTER (WHERE rcv AND e_certified_copy),
        'reused_data', count(*) FILTER (WHERE rcv AND reused_data),
        'personal_store', count(*) FILTER (WHERE rcv AND personal_store),
        'with_feedback', 0,
        'population_db', count(*) FILTER (WHERE rcv AND population_db))
       FROM plain),
    'channel, sync, payment and digitisation counters equal their plain-SQL counts');

SELECT is(
    (SELECT tthc.sum(tthc.dossier_counters(d, '2027-01-01'))::jsonb
              -> 'ended' FROM tthc.dossier d WHERE d.code LIKE 'E-%'),
    (SELECT to_jsonb(count(*) FILTER (WHERE rcv AND end_at IS NOT NULL)) FROM plain),
    'ended: by status precedence (9, 10, then 3 and 8, and 7 once received)');

-- lateness of dossiers without supplement requests, at each evaluation time
SELECT is(
    (SELECT count(*) FROM at_times a
      WHERE (SELECT tthc.counter(tthc.sum(tthc.dossier_counters(d, a.t)), 'late')
               FROM tthc.dossier d WHERE d.code LIKE 'E-%' AND d.supplement_requests = 0)
         <> (SELECT count(*) FROM plain p
              WHERE p.rcv AND p.supplement_requests = 0 AND p.due_at < a.t
                AND (p.end_at IS NULL OR p.end_at > p.due_at))),
    0::bigint, 'late at T, without supplements: due before T and not ended by the due time (4 times)');
SELECT is(
    (SELECT tthc.counter(tthc.sum(tthc.dossier_counters(d, '2027-01-01')), 'late')
       FROM tthc.dossier d WHERE d.code LIKE 'E-%' AND d.supplement_requests >= 2),
    (SELECT count(*) FROM plain p WHERE p.rcv AND p.supplement_requests >= 2),
    'more than one supplement request: late');
SELECT ok(
    (SELECT bool_and(tthc.counter(tthc.dossier_counters(d, '2025-06-01'), 'late')
                     <= tthc.counter(tthc.dossier_counters(d, '2026-06-01'), 'late'))
       FROM tthc.dossier d WHERE d.code LIKE 'E-%'),
    'lateness only grows with time');

-- the aggregate's algebra
CREATE TEMP TABLE serial AS
SELECT tthc.sum(tthc.dossier_counters(d, '2026-06-15')) AS s FROM tthc.dossier d WHERE d.code LIKE 'E-%';
SELECT is(
    (SELECT (tthc.sum(g.s))::text FROM (SELECT tthc.sum(tthc.dossier_counters(d, '2026-06-15')) AS s
                                          FROM tthc.dossier d WHERE d.code LIKE 'E-%'
                                         GROUP BY d.agency_id, d.procedure_code) g),
    (SELECT s::text FROM serial), 'the sum of per-group sums is the sum');
SELECT is(
    (SELECT (g.a OPERATOR(tthc.+) g.b)::text
       FROM (SELECT tthc.sum(tthc.dossier_counters(d, '2026-06-15')) FILTER (WHERE d.agency_id = 'EA') AS a,
                    tthc.sum(tthc.dossier_counters(d, '2026-06-15')) FILTER (WHERE d.agency_id <> 'EA') AS b
               FROM tthc.dossier d WHERE d.code LIKE 'E-%') g),
    (SELECT s::text FROM serial), 'a + b over a partition is the sum');

SET LOCAL parallel_setup_cost = 0;
SET LOCAL parallel_tuple_cost = 0;
SET LOCAL min_parallel_table_scan_size = 0;
SET LOCAL max_parallel_workers_per_gather = 2;
SET LOCAL parallel_leader_participation = off;
CREATE TEMP TABLE plan_text (line text);
DO $$
DECLARE l text;
BEGIN
    FOR l IN EXECUTE 'EXPLAIN SELECT tthc.sum(tthc.dossier_counters(d, ''2026-06-15'')) FROM tthc.dossier d' LOOP
        INSERT INTO plan_text VALUES (l);
    END LOOP;
END
$$;
SELECT ok((SELECT count(*) FROM plan_text WHERE line LIKE '%Partial Aggregate%') = 1,
          'the planner splits tthc.sum across parallel workers');
SELECT is(
    (SELECT tthc.sum(tthc.dossier_counters(d, '2026-06-15'))::text FROM tthc.dossier d WHERE d.code LIKE 'E-%'),
    (SELECT s::text FROM serial), 'parallel sum = serial sum');
SELECT is(
    (SELECT tthc.sum(tthc.dossier_counters(d, '2026-06-15'))::text FROM tthc.dossier d
      WHERE d.code LIKE 'E-%' AND d.agency_id IN (SELECT id FROM tthc.agency_subtree('EA'))),
    (SELECT tthc.sum(tthc.dossier_counters(d, '2026-06-15'))::text FROM tthc.dossier d
      WHERE d.code LIKE 'E-%' AND d.agency_id LIKE 'EA%'),
    'a subtree''s sum is the sum of its agencies'' dossiers');

SELECT * FROM finish();
ROLLBACK;
