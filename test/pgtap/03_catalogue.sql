-- The agency tree under random re-parenting: no cycle ever gets in, every
-- refused move says why, subtrees and the tree view stay consistent.
BEGIN;
SELECT plan(14);

-- three provinces, 120 units below them in a random tree up to 4 deep
INSERT INTO tthc.agency VALUES ('T1', NULL, 'Tỉnh Một', 'province'),
                               ('T2', NULL, 'Tỉnh Hai', 'province'),
                               ('M1', NULL, 'Bộ Một', 'ministry');
INSERT INTO tthc.agency
SELECT 'U' || i,
       CASE WHEN i <= 10 THEN (ARRAY['T1', 'T2', 'M1'])[1 + i % 3]
            ELSE 'U' || (1 + abs(hashint4(i)) % (i - 1)) END,
       'Đơn vị ' || i,
       CASE WHEN i % 5 = 0 THEN 'department' ELSE 'commune' END
  FROM generate_series(1, 120) i;

SELECT is((SELECT count(*) FROM tthc.agency_tree), 123::bigint, 'the tree view lists every agency');
SELECT is((SELECT count(*) FROM tthc.agency_subtree('T1')) + (SELECT count(*) FROM tthc.agency_subtree('T2'))
          + (SELECT count(*) FROM tthc.agency_subtree('M1')), 123::bigint,
          'the subtrees of the top level partition the agencies');

-- refused changes, before the random moves below reshape the tree
SELECT throws_ok($$UPDATE tthc.agency SET parent_id = 'U11' WHERE id = 'T1'$$, '23514', NULL,
                 'a province cannot move under a unit');
SELECT throws_ok($$INSERT INTO tthc.agency VALUES ('U999', 'NOWHERE', 'Mồ côi', 'commune')$$, '23503', NULL,
                 'a parent must exist');
SELECT throws_ok($$INSERT INTO tthc.agency VALUES ('U998', 'T1', 'Lạ', 'hamlet')$$, '23514', NULL,
                 'an unknown kind is refused');
SELECT throws_ok($$DELETE FROM tthc.agency WHERE id = 'T1'$$, '23503', NULL,
                 'an agency with units under it cannot be deleted');
SELECT throws_ok($$SELECT * FROM tthc.agency_subtree('NOWHERE')$$, '42704', 'unknown agency "NOWHERE"',
                 'the subtree of an unknown agency is an error');

-- 300 random moves: those that would close a loop are refused, the rest done
CREATE TEMP TABLE moves (n int, ok boolean);
DO $$
DECLARE
    a text; p text; i int;
BEGIN
    FOR i IN 1..300 LOOP
        a := 'U' || (1 + abs(hashint4(i * 31)) % 120);
        p := 'U' || (1 + abs(hashint4(i * 17 + 3)) % 120);
        BEGIN
            UPDATE tthc.agency SET parent_id = p WHERE id = a;
            INSERT INTO moves VALUES (i, true);
        EXCEPTION WHEN check_violation THEN
            INSERT INTO moves VALUES (i, false);
        END;
    END LOOP;
END
$$;
SELECT ok((SELECT count(*) FROM moves WHERE ok) > 0, 'some moves were made');
SELECT ok((SELECT count(*) FROM moves WHERE NOT ok) > 0, 'some moves were refused as cycles');
SELECT is((SELECT count(*) FROM tthc.agency_tree), 123::bigint,
          'after the moves every agency still hangs under the top level (no cycle)');
SELECT is(
    (SELECT count(*) FROM tthc.agency a
      WHERE a.id IN (SELECT s.id FROM tthc.agency_ancestors(a.id) s WHERE s.depth > 0)),
    0::bigint, 'no agency is its own ancestor');
SELECT is(
    (SELECT count(*) FROM tthc.agency_tree t
      WHERE t.top_id <> (SELECT s.id FROM tthc.agency_ancestors(t.id) s ORDER BY s.depth DESC LIMIT 1)),
    0::bigint, 'the tree view''s top agrees with the ancestors');

-- renaming an agency's code carries its units along
CREATE TEMP TABLE before AS SELECT count(*) AS n FROM tthc.agency_subtree('T2');
UPDATE tthc.agency SET id = 'T2-NEW' WHERE id = 'T2';
SELECT is((SELECT count(*) FROM tthc.agency WHERE parent_id = 'T2'), 0::bigint, 'no unit points at the old code');
SELECT is((SELECT count(*) FROM tthc.agency_subtree('T2-NEW')), (SELECT n FROM before),
          'the subtree follows the new code');

SELECT * FROM finish();
ROLLBACK;
