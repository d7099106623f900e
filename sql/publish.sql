-- Publication: November 2026 frozen on the fixture of sql/scores.sql
-- (provinces SP, SR, ST, ministry SM, communes SP.1, SP.2), judged at 1/12
-- 00:00 (+07); later changes of dossiers and agencies leave it as it was
-- while the live scoreboard moves; published rows cannot be changed; the
-- JSON document and the HTML page of a scoreboard.  No instant of the run
-- (published_at, generated_at) is printed.
SET DateStyle = ISO;
SET TimeZone = 'Asia/Ho_Chi_Minh';

SELECT tthc.publish('Tháng 11/2026', '2026-11-01', '2026-11-30', '766', '2026-12-01 00:00+07') AS pub \gset
SELECT label, from_day, to_day, index_set, evaluated_at, rank_rows, score_rows,
       published_by = current_user AS by_me,
       index_document = (SELECT document FROM tthc.index_set WHERE id = '766') AS document_copied
  FROM tthc.publication WHERE id = :pub;
-- the frozen top level: the ranks of sql/scores.sql's scoreboard
SELECT rank, agency_id, agency_name, kind, round(points, 4) AS points, max_points, round(percent, 4) AS percent,
       grade, grade_code
  FROM tthc.published_rank WHERE publication_id = :pub AND parent_id IS NULL
 ORDER BY kind, rank, agency_id;
-- and every parent's board: the communes of SP
SELECT parent_id, rank, agency_id, round(points, 4) AS points, max_points, grade
  FROM tthc.published_rank WHERE publication_id = :pub AND parent_id IS NOT NULL
 ORDER BY parent_id, rank, agency_id;
-- every agency's criteria (23 at the top, 20 below), with names copied
SELECT agency_id, agency_name, parent_id, kind, count(*) AS criteria, round(sum(points), 4) AS points
  FROM tthc.published_score WHERE publication_id = :pub GROUP BY 1, 2, 3, 4 ORDER BY 1;
SELECT criterion, group_code, numerator, denominator, round(ratio, 6) AS ratio, round(points, 6) AS points, max_points
  FROM tthc.published_score WHERE publication_id = :pub AND agency_id = 'SP' AND criterion IN ('1.4', '2.1', '5.3')
 ORDER BY criterion;

-- the JSON document of the publication, kept to compare after the changes
SELECT tthc.publication_json(:pub) - 'generated_at' AS before \gset

-- later changes: a new dossier of SR, D4 finished on time after all, D5
-- deleted, SP renamed and a commune added under it
INSERT INTO tthc.dossier (code, agency_id, procedure_code, channel, status, received_at, finished_at, synced_at,
                          digitized)
VALUES ('P1', 'SR', 'PC', 2, 9, '2026-11-10 09:00', '2026-11-10 10:00', '2026-11-10 09:05', true);
UPDATE tthc.dossier SET status = 9, finished_at = '2026-11-02 10:00' WHERE code = 'D4';
DELETE FROM tthc.dossier WHERE code = 'D5';
UPDATE tthc.agency SET name = 'Tỉnh P mới' WHERE id = 'SP';
INSERT INTO tthc.agency VALUES ('SP.9', 'SP', 'Xã <b>"A" & ''B''</b>', 'commune');

-- the live scoreboard moved (SR gains; SP's 2.1 and its name changed) ...
SELECT a.rank, a.id, a.name, round(a.points, 4) AS points, a.max_points, a.grade
  FROM jsonb_to_recordset(tthc.scoreboard_json('2026-11-01', '2026-11-30', at => '2026-12-01 00:00+07') -> 'agencies')
       AS a(rank int, id text, name text, kind text, points numeric, max_points numeric, grade text)
 ORDER BY a.kind, a.rank, a.id;
-- ... the publication did not
SELECT rank, agency_id, agency_name, round(points, 4) AS points, max_points, grade
  FROM tthc.published_rank WHERE publication_id = :pub AND parent_id IS NULL
 ORDER BY kind, rank, agency_id;
SELECT numerator, denominator, round(points, 6) AS points
  FROM tthc.published_score WHERE publication_id = :pub AND agency_id = 'SP' AND criterion = '2.1';
SELECT :'before'::jsonb = tthc.publication_json(:pub) - 'generated_at' AS json_unchanged;

-- published rows cannot be changed: UPDATE, DELETE, TRUNCATE, nor a row added
UPDATE tthc.published_score SET points = 20 WHERE publication_id = :pub AND agency_id = 'SP' AND criterion = '2.1';
UPDATE tthc.publication SET evaluated_at = now() WHERE id = :pub;
DELETE FROM tthc.published_rank WHERE publication_id = :pub AND agency_id = 'SM';
DELETE FROM tthc.publication WHERE id = :pub;
TRUNCATE tthc.published_score;
INSERT INTO tthc.published_score VALUES (:pub, 'SP.9', 'Xã 9', 'SP', 'commune', '2.1', '2', 1, 1, 1, 20, 20);
SELECT count(*) AS scores FROM tthc.published_score WHERE publication_id = :pub;

-- a label is used once; the index set and the period must make sense
SELECT tthc.publish('Tháng 11/2026', '2026-11-01', '2026-11-30', '766', '2026-12-01 00:00+07');
SELECT tthc.publish('Tháng 11/2026 (bộ khác)', '2026-11-01', '2026-11-30', 'nonsense', '2026-12-01 00:00+07');
SELECT tthc.publish('Ngược', '2026-11-30', '2026-11-01');
SELECT tthc.publish('  ', '2026-11-01', '2026-11-30');
SELECT tthc.publication_json(999);
SELECT tthc.publication_json(:pub, 'SP.9');
SELECT tthc.scoreboard_json('2026-11-01', '2026-11-30', 'nowhere');

-- the JSON document: its shape, every agency and criterion, exact numbers
SELECT tthc.publication_json(:pub) AS j \gset
SELECT array_agg(k ORDER BY k) AS keys FROM jsonb_object_keys(:'j'::jsonb) k;
SELECT j -> 'index_set' AS index_set, j -> 'period' AS period, j ->> 'evaluated_at' AS evaluated_at,
       j -> 'parent' AS parent, j #>> '{publication,label}' AS label,
       jsonb_array_length(j -> 'groups') AS groups, jsonb_array_length(j -> 'criteria') AS criteria,
       jsonb_array_length(j -> 'grades') AS grades, jsonb_array_length(j -> 'agencies') AS agencies
  FROM (SELECT :'j'::jsonb AS j) x;
SELECT j -> 'criteria' -> 6 AS criterion_3_1, j -> 'groups' -> 0 AS group_1 FROM (SELECT :'j'::jsonb AS j) x;
SELECT array_agg(k ORDER BY k) AS agency_keys FROM jsonb_object_keys(:'j'::jsonb -> 'agencies' -> 1) k;
SELECT a ->> 'rank' AS rank, a ->> 'id' AS id, a ->> 'name' AS name, a ->> 'kind' AS kind,
       a ->> 'points' AS points, a ->> 'percent' AS percent, a ->> 'grade' AS grade, a -> 'groups' AS groups,
       jsonb_array_length(a -> 'criteria') AS criteria
  FROM jsonb_array_elements(:'j'::jsonb -> 'agencies') a;
-- the numbers are the numerics of the published rows, digit for digit
SELECT count(*) AS agencies_matching
  FROM jsonb_array_elements(:'j'::jsonb -> 'agencies') a
  JOIN tthc.published_rank r ON r.publication_id = :pub AND r.agency_id = a ->> 'id'
 WHERE r.parent_id IS NULL AND a ->> 'points' = r.points::text AND a ->> 'percent' = r.percent::text
   AND (a ->> 'rank')::int = r.rank;
SELECT count(*) AS criteria_matching
  FROM jsonb_array_elements(:'j'::jsonb -> 'agencies') a, jsonb_array_elements(a -> 'criteria') c
  JOIN tthc.published_score s ON s.publication_id = :pub AND s.criterion = c ->> 'id'
 WHERE s.agency_id = a ->> 'id' AND c ->> 'numerator' = s.numerator::text
   AND c ->> 'denominator' = s.denominator::text AND c ->> 'points' = s.points::text
   AND (c ->> 'ratio') IS NOT DISTINCT FROM s.ratio::text AND c ->> 'max_points' = s.max_points::text;
SELECT c AS sp_2_1 FROM jsonb_array_elements(:'j'::jsonb -> 'agencies') a, jsonb_array_elements(a -> 'criteria') c
 WHERE a ->> 'id' = 'SP' AND c ->> 'id' = '2.1';
-- under a parent
SELECT j -> 'parent' AS parent, jsonb_array_length(j -> 'agencies') AS agencies,
       (SELECT array_agg(a ->> 'id') FROM jsonb_array_elements(j -> 'agencies') a) AS ids,
       (SELECT array_agg(jsonb_array_length(a -> 'criteria')) FROM jsonb_array_elements(j -> 'agencies') a) AS criteria
  FROM (SELECT tthc.publication_json(:pub, 'SP') AS j) x;
-- live: the new commune is there
SELECT (SELECT array_agg(a ->> 'id') FROM jsonb_array_elements(j -> 'agencies') a) AS ids, j -> 'publication' AS publication
  FROM (SELECT tthc.scoreboard_json('2026-11-01', '2026-11-30', 'SP', at => '2026-12-01 00:00+07') AS j) x;

-- the HTML page: well-formed, names escaped, two sections at the top
SELECT tthc.publish('Tháng 11/2026, lần 2', '2026-11-01', '2026-11-30', '766', '2026-12-01 00:00+07') AS pub2 \gset
SELECT xml_is_well_formed_document(h) AS well_formed,
       position('Kỳ 01/11/2026–30/11/2026</title>' IN h) > 0 AS title,
       position('<meta charset="utf-8"/>' IN h) > 0 AS charset,
       position('<section id="ministry">' IN h) > 0 AS ministries,
       position('<section id="province">' IN h) > 0 AS provinces,
       position('<svg' IN h) > 0 AS chart,
       position('<script' IN h) = 0 AND position('src=' IN h) = 0 AS self_contained
  FROM (SELECT tthc.publication_html(:pub2) AS h) x;
SELECT xml_is_well_formed_document(h) AS well_formed,
       position('Xã &lt;b&gt;&quot;A&quot; &amp; &#39;B&#39;&lt;/b&gt;' IN h) > 0 AS escaped,
       position('<b>' IN h) = 0 AS no_raw_markup,
       (length(h) - length(replace(h, '<tr>', ''))) / 4 AS table_rows
  FROM (SELECT tthc.publication_html(:pub2, 'SP') AS h) x;
-- the first publication does not know the new commune; the live page does
SELECT position('&lt;b&gt;' IN tthc.publication_html(:pub, 'SP')) = 0 AS frozen_without,
       xml_is_well_formed_document(tthc.scoreboard_html('2026-11-01', '2026-11-30', 'SP', '766', '2026-12-01 00:00+07'))
       AND position('&lt;b&gt;' IN tthc.scoreboard_html('2026-11-01', '2026-11-30', 'SP', '766', '2026-12-01 00:00+07')) > 0
       AS live_with;
SELECT xml_is_well_formed_document(tthc.scoreboard_html('2026-11-01', '2026-11-30')) AS live_top_well_formed;
-- the HTML rows, as the page shows them
SELECT regexp_replace(m[1], '<[^>]+>', ' ', 'g') AS row
  FROM regexp_matches(tthc.publication_html(:pub), '<tr>(<td.*?)</tr>', 'g') m;

-- withdrawing a whole publication: logged, with its reason
SELECT tthc.publish('Tạm', '2026-11-01', '2026-11-30', '766', '2026-12-01 00:00+07') AS tmp \gset
SELECT tthc.unpublish(:tmp, '   ');
SELECT tthc.unpublish(:tmp, 'Sai kỳ: công bố nhầm');
SELECT label, from_day, to_day, evaluated_at, unpublished_by = current_user AS by_me, reason
  FROM tthc.unpublished WHERE publication_id = :tmp;
SELECT (SELECT count(*) FROM tthc.publication WHERE id = :tmp) AS publication,
       (SELECT count(*) FROM tthc.published_rank WHERE publication_id = :tmp) AS ranks,
       (SELECT count(*) FROM tthc.published_score WHERE publication_id = :tmp) AS scores;
SELECT tthc.unpublish(:tmp, 'again');
UPDATE tthc.unpublished SET reason = 'nothing happened';
SELECT label FROM tthc.publication ORDER BY id;
