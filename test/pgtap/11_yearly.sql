-- The yearly indices: the published PAR INDEX 2023 of the 17 ministries
-- reproduced from the shipped example data; the SIPAS aggregate against a
-- plain SQL formula, split by parallel workers and combined by hand; the
-- one-stop evaluation's means against its per-dossier rows; the API.
BEGIN;
SELECT plan(24);

-- ---------------------------------------------------------------------------
-- PAR INDEX 2023, ministries (demo/data/par-index-2023-ministries.json)
-- ---------------------------------------------------------------------------
\set par2023 `cat demo/data/par-index-2023-ministries.json`
CREATE TEMP TABLE par2023 AS SELECT :'par2023'::jsonb AS doc;
INSERT INTO tthc.agency (id, parent_id, name, kind)
SELECT a->>'id', NULL, a->>'name', a->>'kind' FROM par2023, jsonb_array_elements(doc->'agencies') a
ON CONFLICT (id) DO NOTHING;
SELECT is((SELECT tthc.load_par_framework(doc->'framework') FROM par2023),
          'PAR INDEX ministry 2023: 2 areas, 0 criteria, 0 sub-criteria, 100 points',
          'the 2023 framework loads: appraisal 68.5 + survey 31.5 = 100');
SELECT is((SELECT tthc.load_par_points(doc->'points') FROM par2023), 34::bigint,
          'the 2023 points load: 17 ministries x 2 components');
CREATE TEMP TABLE published AS
SELECT (p->>'rank')::int AS rank, p->>'agency' AS agency_id, (p->>'appraised')::numeric AS appraised,
       (p->>'survey')::numeric AS survey, (p->>'index')::numeric AS index
  FROM par2023, jsonb_array_elements(doc->'published') p;

SELECT results_eq(
    'SELECT rank, agency_id FROM tthc.par_results(2023, ''ministry'') ORDER BY rank, agency_id',
    'SELECT rank, agency_id FROM published ORDER BY rank',
    'the published 2023 ranking of the 17 ministries is reproduced');
SELECT ok((SELECT appraised = 61.86 AND survey = 28.10 AND points = 89.96 AND rank = 1
             FROM tthc.par_results(2023, 'ministry') WHERE agency_id = 'BTP'),
          'Justice: appraisal 61.86 + survey 28.10 = 89.96 (published 89.95)');
SELECT is((SELECT count(*)::int FROM tthc.par_results(2023, 'ministry') r JOIN published p USING (agency_id)
            WHERE r.appraised = p.appraised AND r.survey = p.survey AND r.points = p.appraised + p.survey),
          17, 'every ministry''s points are its appraisal + survey points');
SELECT is((SELECT max(abs(r.index - p.index)) FROM tthc.par_results(2023, 'ministry') r JOIN published p USING (agency_id)),
          0.01, 'the index is within 0.01 of the published one (its parts were published rounded)');
SELECT is((SELECT round(avg(index), 2) FROM tthc.par_results(2023, 'ministry')), 84.38,
          'the ministries'' average is the published 84.38');
SELECT is((SELECT array_agg(agency_id || ':' || rank ORDER BY rank) FROM tthc.par_results(2023, 'ministry')
            WHERE agency_id IN ('BTP', 'BNV', 'BCT')),
          '{BTP:1,BNV:4,BCT:17}', 'Justice first, Home Affairs 4th, Industry and Trade last');
SELECT is((SELECT count(*)::int FROM tthc.par_results(2023, 'ministry') WHERE index >= 80), 14,
          '14 ministries above 80 %');
SELECT is((SELECT bool_and(complete) FROM tthc.par_results(2023, 'ministry')), true,
          'every ministry has points for both components');

-- ---------------------------------------------------------------------------
-- SIPAS aggregate
-- ---------------------------------------------------------------------------
-- a plain table, not a temporary one: parallel workers cannot read those
CREATE TABLE public.sipas_tap_answers AS
SELECT (ARRAY['access', 'procedure', 'officials', 'result', 'feedback'])[1 + abs(hashint4(i)) % 5] AS element,
       CASE WHEN abs(hashint4(i * 7)) % 50 = 0 THEN NULL ELSE abs(hashint4(i * 13)) % 100 < 60 + abs(hashint4(i)) % 5 * 7 END AS satisfied,
       abs(hashint4(i * 3)) % 34 AS province
  FROM generate_series(1, 200000) i;
ANALYZE public.sipas_tap_answers;
CREATE VIEW pg_temp.ans AS SELECT * FROM public.sipas_tap_answers;
-- the index by its definition, in plain SQL: the mean of the element shares
CREATE TEMP TABLE plain AS
SELECT avg(share) AS index FROM (
    SELECT element, 100.0 * count(*) FILTER (WHERE satisfied) / count(satisfied) AS share
      FROM ans GROUP BY element) s;
SELECT is((SELECT round(tthc.sipas_index(element, satisfied), 10) FROM ans), (SELECT round(index, 10) FROM plain),
          'sipas_index equals the mean of the element shares computed in plain SQL (200,000 answers)');
SELECT is((SELECT round(tthc.sipas_index(element, satisfied), 10) FROM ans WHERE element IN ('access', 'result')),
          (SELECT round(avg(s), 10) FROM (SELECT 100.0 * count(*) FILTER (WHERE satisfied) / count(satisfied) AS s
                                           FROM ans WHERE element IN ('access', 'result') GROUP BY element) x),
          'over two elements: the mean of those two');

SET LOCAL parallel_setup_cost = 0;
SET LOCAL parallel_tuple_cost = 0;
SET LOCAL min_parallel_table_scan_size = 0;
SET LOCAL max_parallel_workers_per_gather = 4;
CREATE FUNCTION pg_temp.plan_of(q text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE
    r text;
    s text := '';
BEGIN
    FOR r IN EXECUTE 'EXPLAIN (COSTS OFF) ' || q LOOP
        s := s || r || E'\n';
    END LOOP;
    RETURN s;
END $$;
SELECT matches(pg_temp.plan_of('SELECT tthc.sipas_index(element, satisfied) FROM public.sipas_tap_answers'), 'Partial Aggregate',
               'the aggregate is split among parallel workers');
SELECT is((SELECT round(tthc.sipas_index(element, satisfied), 10) FROM ans), (SELECT round(index, 10) FROM plain),
          'split by parallel workers and combined: the same index');
RESET parallel_setup_cost;
RESET parallel_tuple_cost;
RESET min_parallel_table_scan_size;
RESET max_parallel_workers_per_gather;

-- states combined by hand: per province, then all provinces together
CREATE TEMP TABLE states AS
SELECT province, NULL::bigint[] AS st, array_agg(element) AS e, array_agg(satisfied) AS s
  FROM ans GROUP BY province;
CREATE FUNCTION pg_temp.fold(e text[], s boolean[]) RETURNS bigint[] LANGUAGE plpgsql AS $$
DECLARE
    st bigint[];
BEGIN
    FOR i IN 1 .. cardinality(e) LOOP
        st := tthc.sipas_accum(st, e[i], s[i]);
    END LOOP;
    RETURN st;
END $$;
UPDATE states SET st = pg_temp.fold(e, s);
CREATE FUNCTION pg_temp.combine_all() RETURNS bigint[] LANGUAGE plpgsql AS $$
DECLARE
    acc bigint[];
    r record;
BEGIN
    FOR r IN SELECT st FROM states ORDER BY province DESC LOOP
        acc := tthc.sipas_combine(acc, r.st);
    END LOOP;
    RETURN acc;
END $$;
SELECT is(round(tthc.sipas_final(pg_temp.combine_all()), 10), (SELECT round(index, 10) FROM plain),
          'the 34 provinces'' states, combined in another order: the national index');
SELECT is((SELECT bool_and(round(tthc.sipas_final(st), 10) =
                           (SELECT round(tthc.sipas_index(a.element, a.satisfied), 10) FROM ans a WHERE a.province = states.province))
             FROM states),
          true, 'each province''s state, folded by hand, gives the aggregate''s index');
SELECT is(tthc.sipas_combine(NULL, NULL), NULL, 'combining two empty states: empty');
SELECT is(tthc.sipas_final(tthc.sipas_combine('{1,0,0,0,0,1,0,0,0,0}', '{0,0,0,0,2,0,0,0,0,0}')), 50.0,
          'access 1/1 with feedback 0/2: (100 + 0) / 2');

-- ---------------------------------------------------------------------------
-- One-stop evaluation: the unit means are the means of the dossier rows
-- ---------------------------------------------------------------------------
INSERT INTO tthc.agency VALUES ('YQ', NULL, 'Tỉnh Y', 'province'), ('YQ.1', 'YQ', 'Xã Y1', 'commune'),
                               ('YQ.2', 'YQ', 'Xã Y2', 'commune');
INSERT INTO tthc.procedure (code, name, time_limit) VALUES ('YP1', 'Thủ tục Y1', 3), ('YP2', 'Thủ tục Y2', 10);
INSERT INTO tthc.service VALUES ('YQ.1', 'YP1', 'full'), ('YQ.2', 'YP2', NULL);
INSERT INTO tthc.dossier (code, agency_id, procedure_code, status, channel, received_at, finished_at, supplement_requests)
SELECT 'YD-' || i, (ARRAY['YQ.1', 'YQ.2'])[1 + i % 2], (ARRAY['YP1', 'YP2'])[1 + i % 2], 9, 1 + i % 3 % 2,
       timestamptz '2026-07-01 08:00+07' + (i % 60) * interval '1 day',
       timestamptz '2026-07-01 08:00+07' + (i % 60) * interval '1 day' + (abs(hashint4(i)) % 400) * interval '1 hour',
       abs(hashint4(i * 5)) % 4 / 2
  FROM generate_series(1, 600) i;
INSERT INTO tthc.onestop_rating (dossier_code, criterion, points)
SELECT 'YD-' || i, c, abs(hashint4(i * c)) % 3
  FROM generate_series(1, 600) i, generate_series(4, 8) c
 WHERE abs(hashint4(i + c)) % 3 > 0;
SELECT results_eq(
    $$SELECT agency_id, dossiers, c1, c3, c7, c9, total
        FROM tthc.onestop_evaluation('YQ', '2026-07-01', '2026-09-30') ORDER BY agency_id$$,
    $$SELECT agency_id, count(*), round(avg(c1), 2), round(avg(c3), 2), round(avg(c7), 2), round(avg(c9), 2),
             round(avg(c1) + avg(c2) + avg(c3) + avg(c4) + avg(c5) + avg(c6) + avg(c7) + avg(c8) + avg(c9), 2)
        FROM tthc.onestop_dossiers('YQ', '2026-07-01', '2026-09-30') GROUP BY agency_id ORDER BY agency_id$$,
    'a unit''s criteria and total are the means over its dossiers finished in the quarter');
SELECT is((SELECT count(*)::int FROM tthc.onestop_dossiers('YQ', '2026-07-01', '2026-09-30') d
            WHERE d.total IS DISTINCT FROM CASE WHEN d.c4 IS NOT NULL AND d.c5 IS NOT NULL AND d.c6 IS NOT NULL
                                                     AND d.c7 IS NOT NULL AND d.c8 IS NOT NULL
                                                THEN d.c1 + d.c2 + d.c3 + d.c4 + d.c5 + d.c6 + d.c7 + d.c8 + d.c9 END),
          0, 'a dossier has a total exactly when all five ratings were entered');
SELECT is((SELECT count(*)::int FROM tthc.onestop_dossiers('YQ', '2026-07-01', '2026-09-30') d
             JOIN tthc.dossier x ON x.code = d.dossier_code
            WHERE d.c9 <> CASE WHEN x.channel = 2 THEN 2 WHEN x.agency_id = 'YQ.1' THEN 1 ELSE 0 END
               OR d.c3 <> CASE x.supplement_requests WHEN 0 THEN 2 WHEN 1 THEN 1 ELSE 0 END
               OR d.c1 <> CASE WHEN x.finished_at > x.due_at THEN 0
                               WHEN (x.finished_at AT TIME ZONE 'Asia/Ho_Chi_Minh')::date
                                    < (x.due_at AT TIME ZONE 'Asia/Ho_Chi_Minh')::date THEN 2 ELSE 1 END),
          0, 'criteria 1, 3 and 9 follow their rules on 600 dossiers');

-- ---------------------------------------------------------------------------
-- One view of an agency: its 766 row is the scoreboard's
-- ---------------------------------------------------------------------------
SELECT results_eq(
    $$SELECT percent, rank, grade FROM tthc.agency_overview('YQ', 2026) WHERE index = '766'$$,
    $$SELECT round(percent, 2), rank, grade FROM tthc.scoreboard('2026-01-01', '2026-12-31') WHERE agency_id = 'YQ'$$,
    'the overview''s 766 result is the agency''s row of its scoreboard for the year');
SELECT is((SELECT array_agg(index ORDER BY percent) FROM tthc.agency_overview('YQ', 2026)),
          (SELECT array_agg(index) FROM tthc.agency_overview('YQ', 2026)),
          'the overview lists the weakest index first');

-- ---------------------------------------------------------------------------
-- API
-- ---------------------------------------------------------------------------
SELECT is((SELECT count(*)::int FROM pg_aggregate a JOIN pg_proc p ON p.oid = a.aggfnoid
            WHERE p.proname = 'sipas_index' AND a.aggcombinefn <> 0 AND p.proparallel = 's'
              AND a.aggtranstype = 'bigint[]'::regtype),
          1, 'sipas_index: parallel safe, with a combine function, its state a real type (bigint[])');

SELECT * FROM finish();
ROLLBACK;
