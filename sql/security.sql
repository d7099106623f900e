-- Roles and row-level security: a login mapped to a province reads and
-- writes only its subtree, is scored only there, reads every publication,
-- and cannot publish; an unmapped login sees nothing.  (Runs after
-- sql/scores.sql and sql/publish.sql: provinces SP and SR with units.)
SET client_min_messages = warning;
SELECT tthc.create_roles();
SELECT tthc.create_roles();   -- again: nothing to do, no error
DROP ROLE IF EXISTS regress_tthc_sp;
DROP ROLE IF EXISTS regress_tthc_none;
CREATE ROLE regress_tthc_sp LOGIN;
CREATE ROLE regress_tthc_none LOGIN;
RESET client_min_messages;
GRANT tthc_writer TO regress_tthc_sp;
GRANT tthc_reader TO regress_tthc_none;
INSERT INTO tthc.agency_login VALUES ('regress_tthc_sp', 'SP');

SET ROLE regress_tthc_sp;
SELECT tthc.visible_agencies() @> ARRAY['SP', 'SP.1', 'SP.2'] AND NOT tthc.visible_agencies() && ARRAY['SR', 'SM']
       AS sees_its_subtree_only;
SELECT DISTINCT agency_id FROM tthc.dossier ORDER BY 1;
SELECT DISTINCT agency_id FROM (SELECT agency_id FROM tthc.tally UNION ALL SELECT agency_id FROM tthc.tally_log) t
 ORDER BY 1;
SELECT DISTINCT agency_id FROM tthc.scores('2026-11-01', '2026-11-30') ORDER BY 1;
SELECT agency_id FROM tthc.scoreboard('2026-11-01', '2026-11-30');
-- writes inside its subtree pass (compacting as it goes, without rights on
-- the tallies); outside are refused; others' rows are not even seen
SET tthc.compact_every = 1;
INSERT INTO tthc.dossier (code, agency_id, procedure_code, status, received_at)
VALUES ('SEC-1', 'SP.1', 'PA', 2, '2026-11-10 09:00+07');
INSERT INTO tthc.dossier (code, agency_id, procedure_code, status, received_at)
VALUES ('SEC-2', 'SR', 'PA', 2, '2026-11-10 09:00+07');
UPDATE tthc.dossier SET agency_id = 'SR' WHERE code = 'SEC-1';
UPDATE tthc.dossier SET status = 4 WHERE agency_id = 'SR';
RESET tthc.compact_every;
-- messages through the inbox, several in one statement: those of its
-- subtree are applied, the others refused by row-level security; the
-- outcomes are stored, though the writer may not update the inbox
INSERT INTO tthc.inbox (payload) VALUES
    ('{"MaHoSo": "SEC-I1", "MaTTHC": "PA", "DonViXuLy": "SP.1", "TrangThaiHoSo": "2", "NgayTiepNhan": "20261110090000"}'),
    ('{"MaHoSo": "SEC-I2", "MaTTHC": "PA", "DonViXuLy": "SP.1", "TrangThaiHoSo": "2", "NgayTiepNhan": "20261110090000"}'),
    ('{"MaHoSo": "SEC-I3", "MaTTHC": "PA", "DonViXuLy": "SR", "TrangThaiHoSo": "2", "NgayTiepNhan": "20261110090000"}');
SELECT payload::json ->> 'MaHoSo' AS code, state, sqlstate FROM tthc.inbox WHERE payload LIKE '%"SEC-I%' ORDER BY id;
UPDATE tthc.inbox SET state = 'applied' WHERE payload LIKE '%"SEC-I3"%';
-- it cannot claim another role's rights for a message
INSERT INTO tthc.inbox (payload, state, inserted_by) VALUES
    ('{"MaHoSo": "SEC-I4", "MaTTHC": "PA", "DonViXuLy": "SR", "TrangThaiHoSo": "2", "NgayTiepNhan": "20261110090000"}', 'rejected', 'postgres')
    RETURNING state, inserted_by;
UPDATE tthc.tally SET counters = '{}';
DELETE FROM tthc.tally_log;
-- the administrators' functions are not its own; publications are readable
SELECT tthc.publish('not mine', '2026-11-01', '2026-11-30');
SELECT tthc.rebuild();
SELECT count(*) > 0 AS reads_publications FROM tthc.published_rank;
SELECT login, agency_id FROM tthc.agency_login;
RESET ROLE;
-- a message is applied with the rights of the role that inserted it, again
-- when an administrator retries it: the writer's message for SR stays
-- refused until the writer may write SR
SELECT payload::json ->> 'MaHoSo' AS code, inserted_by FROM tthc.inbox WHERE payload LIKE '%"SEC-I%' ORDER BY id;
UPDATE tthc.inbox SET state = 'new' WHERE payload LIKE '%"SEC-I_"%' AND state = 'rejected'
    RETURNING payload::json ->> 'MaHoSo' AS code, state, sqlstate, attempts;
INSERT INTO tthc.agency_login VALUES ('regress_tthc_sp', 'SR');
UPDATE tthc.inbox SET state = 'new' WHERE payload LIKE '%"SEC-I3"%' RETURNING state, sqlstate, attempts;
DELETE FROM tthc.agency_login WHERE agency_id = 'SR';
-- a role named in inserted_by gives at most a writer's rights: a message of
-- a role that is not a writer is applied with the rights of the role
-- applying it (here a superuser)
INSERT INTO tthc.inbox (payload, inserted_by) VALUES
    ('{"MaHoSo": "SEC-I5", "MaTTHC": "PA", "DonViXuLy": "SR", "TrangThaiHoSo": "2", "NgayTiepNhan": "20261110090000"}', 'regress_tthc_none')
    RETURNING state, inserted_by;

-- the visible agencies are kept per session, and follow the mapping and
-- the tree at once
INSERT INTO tthc.agency_login VALUES ('regress_tthc_sp', 'SR');
SET ROLE regress_tthc_sp;
SELECT 'SR' = ANY (tthc.visible_agencies()) AS sees_sr_once_mapped;
RESET ROLE;
DELETE FROM tthc.agency_login WHERE agency_id = 'SR';
UPDATE tthc.agency SET parent_id = 'SR' WHERE id = 'SP.2';
SET ROLE regress_tthc_sp;
SELECT 'SR' = ANY (tthc.visible_agencies()) AS still_sees_sr, 'SP.2' = ANY (tthc.visible_agencies()) AS sees_moved_unit;
RESET ROLE;
UPDATE tthc.agency SET parent_id = 'SP' WHERE id = 'SP.2';

-- a reader mapped to nothing sees nothing
SET ROLE regress_tthc_none;
SELECT count(*) AS dossiers_seen FROM tthc.dossier;
SELECT count(*) AS scores_seen FROM tthc.scores('2026-11-01', '2026-11-30');
INSERT INTO tthc.dossier (code, agency_id, procedure_code, status) VALUES ('SEC-3', 'SP.1', 'PA', 1);
RESET ROLE;

-- what the writer did is in the tallies like any other write
SELECT count(*) AS differences FROM tthc.verify();
DELETE FROM tthc.dossier WHERE code IN ('SEC-1', 'SEC-I1', 'SEC-I2', 'SEC-I3', 'SEC-I5');
DELETE FROM tthc.inbox WHERE payload LIKE '%"SEC-I_"%' AND payload NOT LIKE '%"SEC-I4"%';
DELETE FROM tthc.agency_login;
REVOKE tthc_writer FROM regress_tthc_sp;
REVOKE tthc_reader FROM regress_tthc_none;
DROP ROLE regress_tthc_sp;
DROP ROLE regress_tthc_none;
-- a message whose role no longer exists is not applied by anyone else's rights
UPDATE tthc.inbox SET state = 'new' WHERE payload LIKE '%"SEC-I4"%' RETURNING state, sqlstate, error;
DELETE FROM tthc.inbox WHERE payload LIKE '%"SEC-I4"%';
