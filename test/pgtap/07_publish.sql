-- Publication: the interface (tables, keys, functions, their declared
-- properties); a publication is the live scoreboard of the same instant,
-- frozen (its rows equal tthc.scores_of and tthc.scoreboard, its JSON
-- equals tthc.scoreboard_json on unchanged data, modulo generated_at);
-- later changes of facts, catalogue, tree and index set leave it as it
-- was; its rows cannot be changed; withdrawing is logged.
BEGIN;
SELECT plan(69);

-- ---------------------------------------------------------------------------
-- The interface
-- ---------------------------------------------------------------------------
SELECT has_table('tthc', t, 'table tthc.' || t)
  FROM unnest(ARRAY['publication', 'published_score', 'published_rank', 'unpublished']) t;
SELECT columns_are('tthc', 'publication', ARRAY['id', 'label', 'from_day', 'to_day', 'index_set', 'index_document',
    'evaluated_at', 'published_at', 'published_by', 'rank_rows', 'score_rows']);
SELECT col_is_pk('tthc', 'publication', 'id', 'publication.id is the primary key');
SELECT col_is_unique('tthc', 'publication', 'label', 'a label names one publication');
SELECT col_type_is('tthc', 'publication', 'index_document', 'jsonb', 'the index set is copied as jsonb');
SELECT col_is_pk('tthc', 'published_score', ARRAY['publication_id', 'agency_id', 'criterion']::name[],
                 'published_score is keyed by publication, agency and criterion');
SELECT has_column('tthc', 'published_score', c, 'published_score.' || c) FROM unnest(ARRAY[
    'agency_name', 'parent_id', 'kind', 'numerator', 'denominator', 'ratio', 'points', 'max_points']) c;
SELECT col_is_pk('tthc', 'published_rank', ARRAY['publication_id', 'agency_id']::name[],
                 'published_rank is keyed by publication and agency');
SELECT fk_ok('tthc', 'published_score', 'publication_id', 'tthc', 'publication', 'id');
SELECT fk_ok('tthc', 'published_rank', 'publication_id', 'tthc', 'publication', 'id');
SELECT is((SELECT count(*)::int FROM pg_constraint
            WHERE contype = 'f' AND conrelid IN ('tthc.published_score'::regclass, 'tthc.published_rank'::regclass)
              AND confrelid = 'tthc.agency'::regclass), 0,
          'published rows do not reference tthc.agency: a copy outlives catalogue changes');

SELECT function_returns('tthc', 'publish', ARRAY['text', 'date', 'date', 'text', 'timestamp with time zone'], 'bigint');
SELECT volatility_is('tthc', 'publish', ARRAY['text', 'date', 'date', 'text', 'timestamp with time zone'], 'volatile');
SELECT function_returns('tthc', 'unpublish', ARRAY['bigint', 'text'], 'void');
SELECT function_returns('tthc', 'scoreboard_json', ARRAY['date', 'date', 'text', 'text', 'timestamp with time zone'], 'jsonb');
SELECT volatility_is('tthc', 'scoreboard_json', ARRAY['date', 'date', 'text', 'text', 'timestamp with time zone'], 'stable');
SELECT function_returns('tthc', 'publication_json', ARRAY['bigint', 'text'], 'jsonb');
SELECT volatility_is('tthc', 'publication_json', ARRAY['bigint', 'text'], 'stable');
SELECT function_returns('tthc', 'scoreboard_html', ARRAY['date', 'date', 'text', 'text', 'timestamp with time zone'], 'text');
SELECT function_returns('tthc', 'publication_html', ARRAY['bigint', 'text'], 'text');
SELECT is((SELECT count(*)::int FROM pg_proc
            WHERE oid IN ('tthc.publish(text, date, date, text, timestamptz)'::regprocedure,
                          'tthc.unpublish(bigint, text)'::regprocedure,
                          'tthc.rank_scores(tthc.score_row[], text)'::regprocedure,
                          'tthc.publication_refuse()'::regprocedure,
                          'tthc.published_rows_inserted()'::regprocedure)
              AND proconfig @> ARRAY['search_path=pg_catalog, pg_temp']), 5,
          'the SQL functions of publication fix their search_path');
SELECT ok((SELECT bool_and(c.oid = ANY (x.extconfig)) FROM pg_extension x, pg_class c
            WHERE x.extname = 'tthc' AND c.oid IN ('tthc.publication'::regclass, 'tthc.published_score'::regclass,
                                                   'tthc.published_rank'::regclass, 'tthc.unpublished'::regclass,
                                                   'tthc.publication_id_seq'::regclass)),
          'pg_dump keeps publications, their rows, the withdrawal log and the id sequence');

-- ---------------------------------------------------------------------------
-- A fixture: a province with two levels below it, a ministry with a unit,
-- March 2026 (judged at its end: a past period, so the same at any now)
-- ---------------------------------------------------------------------------
INSERT INTO tthc.agency VALUES ('YA', NULL, 'Tỉnh YA', 'province'), ('YB', NULL, 'Bộ YB', 'ministry'),
                               ('YC', NULL, 'Tỉnh YC', 'province'),
                               ('YA.1', 'YA', 'Sở YA.1', 'department'), ('YA.1.1', 'YA.1', 'Phòng YA.1.1', 'unit'),
                               ('YA.2', 'YA', 'Xã <YA.2> & "co"', 'commune'), ('YB.1', 'YB', 'Cục YB.1', 'department');
INSERT INTO tthc.procedure (code, name, time_limit, fee_required, paper_result, full_online_eligible, for_citizens,
                            is_certification, parts_complete)
SELECT 'YP' || i, 'Thủ tục Y' || i, 1 + i % 4, i % 2 = 0, i % 3 = 0, true, i % 2 = 1, i = 5, i % 3 > 0
  FROM generate_series(1, 6) i;
INSERT INTO tthc.service
SELECT a, 'YP' || i, (ARRAY['full', 'partial', NULL])[1 + (i + length(a)) % 3]
  FROM unnest(ARRAY['YA.1', 'YA.1.1', 'YA.2', 'YB.1', 'YC']) a, generate_series(1, 6) i
 WHERE (i + ascii(right(a, 1))) % 4 > 0;
INSERT INTO tthc.dossier (code, agency_id, procedure_code, channel, status, received_at, finished_at, synced_at,
                          fee, paid_online, e_result, digitized, reused_data, personal_store, population_db, rating)
SELECT 'Y-' || i, (ARRAY['YA', 'YA.1', 'YA.1.1', 'YA.2', 'YB', 'YB.1', 'YC'])[1 + i % 7], 'YP' || (1 + i % 6),
       1 + i % 3, CASE WHEN i % 4 = 0 THEN 4 ELSE 9 END, r,
       CASE WHEN i % 4 <> 0 THEN r + (i % 90) * interval '1 hour' END,
       CASE WHEN i % 5 > 0 THEN r + interval '5 minutes' END,
       (i % 2) * 20000, i % 3, i % 2 = 0, i % 3 = 0, i % 5 = 0, i % 7 = 0, i % 2 = 1,
       (ARRAY[NULL, 1, -1]::smallint[])[1 + i % 3]
  FROM (SELECT i, timestamptz '2026-03-02 08:00+07' + (i * 197 % (27 * 24 * 60)) * interval '1 minute' AS r
          FROM generate_series(1, 300) i) g;

SELECT tthc.publish('tap: tháng 3/2026', '2026-03-01', '2026-03-31') AS pub \gset

-- ---------------------------------------------------------------------------
-- A publication is the live result of its instant, frozen
-- ---------------------------------------------------------------------------
SELECT is((SELECT evaluated_at FROM tthc.publication WHERE id = :pub), tthc.evaluation_time('2026-03-31'),
          'evaluated at the period''s evaluation time');
SELECT is((SELECT index_document FROM tthc.publication WHERE id = :pub),
          (SELECT document FROM tthc.index_set WHERE id = '766'), 'the index set document is copied');
SELECT set_eq(
    format($$SELECT agency_id, criterion, numerator, denominator, ratio, points, max_points
               FROM tthc.published_score WHERE publication_id = %s$$, :pub),
    $$SELECT * FROM tthc.scores_of(NULL, '2026-03-01', '2026-03-31', '766', tthc.evaluation_time('2026-03-31'))$$,
    'published scores = tthc.scores_of for every agency and criterion');
SELECT set_eq(
    format($$SELECT rank, agency_id, agency_name, kind, points, max_points, percent, grade, grade_code, groups
               FROM tthc.published_rank WHERE publication_id = %s AND parent_id IS NULL$$, :pub),
    $$SELECT rank, agency_id, name, kind, points, max_points, percent, grade, grade_code, groups
        FROM tthc.scoreboard('2026-03-01', '2026-03-31')$$,
    'the published top level = tthc.scoreboard (ministries and provinces ranked apart)');
SELECT set_eq(
    format($$SELECT parent_id, rank, agency_id, points, max_points, percent, grade, groups
               FROM tthc.published_rank WHERE publication_id = %s AND parent_id IN ('YA', 'YA.1', 'YB')$$, :pub),
    $$SELECT p, b.rank, b.agency_id, b.points, b.max_points, b.percent, b.grade, b.groups
        FROM unnest(ARRAY['YA', 'YA.1', 'YB']) p, tthc.scoreboard('2026-03-01', '2026-03-31', p) b$$,
    'every parent''s published board = tthc.scoreboard under it');
SELECT is((SELECT rank_rows || '/' || score_rows FROM tthc.publication WHERE id = :pub),
          (SELECT count(*) FROM tthc.agency) || '/' ||
          (SELECT count(*) FROM tthc.scores_of(NULL, '2026-03-01', '2026-03-31')),
          'every agency once in the boards, and its criteria');
SELECT is(tthc.publication_json(:pub) - '{generated_at,publication}'::text[],
          tthc.scoreboard_json('2026-03-01', '2026-03-31') - '{generated_at,publication}'::text[],
          'publication_json = scoreboard_json on unchanged data (top level)');
SELECT is((SELECT count(*)::int FROM (SELECT DISTINCT parent_id FROM tthc.published_rank
                                        WHERE publication_id = :pub AND parent_id IS NOT NULL) p
            WHERE tthc.publication_json(:pub, p.parent_id) - '{generated_at,publication}'::text[]
                  IS DISTINCT FROM
                  tthc.scoreboard_json('2026-03-01', '2026-03-31', p.parent_id) - '{generated_at,publication}'::text[]),
          0, 'publication_json = scoreboard_json under every parent');
SELECT is(tthc.publication_json(:pub) -> 'generated_at', tthc.scoreboard_json('2026-03-01', '2026-03-31') -> 'generated_at',
          'generated_at is the transaction''s instant');
SELECT is(jsonb_array_length(tthc.publication_json(:pub) -> 'agencies'), 3, 'the top-level document lists 3 agencies');
SELECT is((SELECT array_agg(a ->> 'kind') FROM jsonb_array_elements(tthc.publication_json(:pub) -> 'agencies') a),
          ARRAY['ministry', 'province', 'province'], 'ministries first, then provinces');
SELECT is((SELECT sum(jsonb_array_length(a -> 'criteria'))::int
             FROM jsonb_array_elements(tthc.publication_json(:pub, 'YA') -> 'agencies') a),
          (SELECT count(*)::int FROM tthc.published_score WHERE publication_id = :pub AND parent_id = 'YA'),
          'the document under YA has every criterion of its agencies');
SELECT is(tthc.publication_json(NULL), NULL, 'no publication, no document');
SELECT throws_ok($$SELECT tthc.publication_json(-1)$$, '42704', 'publication -1 does not exist', 'unknown publication');
SELECT is((SELECT bool_and(xml_is_well_formed_document(h)
                           AND position('Xã &lt;YA.2&gt; &amp; &quot;co&quot;' IN h) > 0
                           AND position('<YA.2>' IN h) = 0)
             FROM (VALUES (tthc.publication_html(:pub, 'YA')),
                          (tthc.scoreboard_html('2026-03-01', '2026-03-31', 'YA'))) v(h)),
          true, 'the HTML pages are well-formed XML and escape names');
SELECT ok(xml_is_well_formed_document(tthc.publication_html(:pub)), 'the top-level page is well-formed');

-- ---------------------------------------------------------------------------
-- Later changes never alter a publication
-- ---------------------------------------------------------------------------
CREATE TEMP TABLE before AS
SELECT tthc.publication_json(:pub) - 'generated_at' AS top, tthc.publication_json(:pub, 'YA') - 'generated_at' AS ya,
       tthc.publication_html(:pub) AS html,
       (SELECT array_agg(s ORDER BY agency_id, criterion) FROM tthc.published_score s WHERE publication_id = :pub) AS scores;

INSERT INTO tthc.dossier (code, agency_id, procedure_code, channel, status, received_at, finished_at, synced_at)
SELECT 'Y+' || i, 'YC', 'YP1', 2, 9, timestamptz '2026-03-10 09:00+07' + i * interval '1 hour',
       timestamptz '2026-03-10 09:30+07' + i * interval '1 hour', timestamptz '2026-03-10 09:05+07' + i * interval '1 hour'
  FROM generate_series(1, 20) i;
UPDATE tthc.dossier SET status = 9, finished_at = received_at + interval '1 hour' WHERE code LIKE 'Y-%' AND status = 4;
DELETE FROM tthc.dossier WHERE code LIKE 'Y-1%';
UPDATE tthc.agency SET name = 'Tỉnh YA (sáp nhập)' WHERE id = 'YA';
UPDATE tthc.agency SET parent_id = 'YA' WHERE id = 'YA.1.1';
UPDATE tthc.procedure SET paper_result = NOT paper_result WHERE code LIKE 'YP%';

SELECT isnt(tthc.scoreboard_json('2026-03-01', '2026-03-31') - '{generated_at,publication}'::text[],
            (SELECT top - 'publication' FROM before), 'the live scoreboard moved');
SELECT is(tthc.publication_json(:pub) - 'generated_at', (SELECT top FROM before), 'the published document did not');
SELECT is(tthc.publication_json(:pub, 'YA') - 'generated_at', (SELECT ya FROM before), 'nor its board under YA');
SELECT is(tthc.publication_html(:pub), (SELECT html FROM before), 'nor its HTML page');
SELECT is((SELECT array_agg(s ORDER BY agency_id, criterion) FROM tthc.published_score s WHERE publication_id = :pub),
          (SELECT scores FROM before), 'nor its rows');

-- an index set replaced after publishing does not reach the publication
SELECT is(tthc.load_index_set(jsonb_set(jsonb_set((SELECT document FROM tthc.index_set WHERE id = '766'),
                                                  '{id}', '"tap7"'), '{criteria,21,target}', '0.6')::json),
          'tap7', 'another index set, tap7');
SELECT tthc.publish('tap: bộ tap7', '2026-03-01', '2026-03-31', 'tap7') AS pub7 \gset
CREATE TEMP TABLE before7 AS SELECT tthc.publication_json(:pub7) - 'generated_at' AS doc;
SELECT is(tthc.load_index_set(jsonb_set((SELECT document FROM tthc.index_set WHERE id = 'tap7'),
                                        '{criteria,21,target}', '0.95')::json),
          'tap7', 'tap7 replaced after publishing');
SELECT is(tthc.publication_json(:pub7) - 'generated_at', (SELECT doc FROM before7),
          'replacing the index set leaves its publications alone');

-- ---------------------------------------------------------------------------
-- Published rows cannot be changed
-- ---------------------------------------------------------------------------
SELECT throws_ok(format('UPDATE tthc.published_score SET points = 0 WHERE publication_id = %s', :pub),
                 '55000', 'published results cannot be changed', 'UPDATE of published scores is refused');
SELECT throws_ok(format('UPDATE tthc.published_rank SET rank = 1 WHERE publication_id = %s', :pub),
                 '55000', 'published results cannot be changed', 'UPDATE of published ranks is refused');
SELECT throws_ok(format('UPDATE tthc.publication SET label = label || ''x'' WHERE id = %s', :pub),
                 '55000', 'published results cannot be changed', 'UPDATE of a publication is refused');
SELECT throws_ok(format('DELETE FROM tthc.published_score WHERE publication_id = %s AND agency_id = ''YA''', :pub),
                 '55000', 'published results cannot be changed', 'DELETE of published scores is refused');
SELECT throws_ok(format('DELETE FROM tthc.publication WHERE id = %s', :pub),
                 '55000', 'published results cannot be changed', 'DELETE of a publication is refused');
SELECT throws_ok('TRUNCATE tthc.published_rank', '55000', 'published results cannot be changed',
                 'TRUNCATE is refused');
SELECT throws_ok(format($$INSERT INTO tthc.published_rank VALUES (%s, NULL, 'ZZ', 'Z', 'province', 1, 1, 1, 100,
                                                                  NULL, NULL, NULL)$$, :pub),
                 '55000', 'published results cannot be changed', 'a row cannot be added to a publication');
SELECT throws_ok($$SELECT tthc.publish('tap: tháng 3/2026', '2026-03-01', '2026-03-31')$$, '23505',
                 'publication "tap: tháng 3/2026" already exists', 'a label is used once');
SELECT throws_ok($$SELECT tthc.publish('tap: x', '2026-03-01', '2026-03-31', 'no such set')$$, '42704',
                 'unknown index set "no such set"', 'an unknown index set is refused');

-- ---------------------------------------------------------------------------
-- Withdrawing a whole publication, logged
-- ---------------------------------------------------------------------------
SELECT lives_ok(format($$SELECT tthc.unpublish(%s, 'tap: wrong index set')$$, :pub7), 'unpublish withdraws');
SELECT is((SELECT count(*)::int FROM tthc.published_score WHERE publication_id = :pub7)
          + (SELECT count(*)::int FROM tthc.published_rank WHERE publication_id = :pub7)
          + (SELECT count(*)::int FROM tthc.publication WHERE id = :pub7), 0, 'all its rows are gone');
SELECT is((SELECT label || ' / ' || reason || ' / ' || (unpublished_by = current_user)::text
             FROM tthc.unpublished WHERE publication_id = :pub7),
          'tap: bộ tap7 / tap: wrong index set / true', 'the withdrawal is logged with its reason');
SELECT throws_ok(format('DELETE FROM tthc.unpublished WHERE publication_id = %s', :pub7), '55000',
                 'the log of withdrawn publications cannot be changed', 'the log cannot be changed');

SELECT * FROM finish();
ROLLBACK;
