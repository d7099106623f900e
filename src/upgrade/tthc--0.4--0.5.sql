-- tthc 0.4 -> 0.5:
-- - the inbox's trigger is C (tthc.inbox_apply): a message inserted alone,
--   or the first of its statement, is applied at once as before; the others
--   of a statement that inserts many are applied together when it ends,
--   their dossiers written in rounds across messages (two statement
--   triggers);
-- - tthc.retry() also applies messages left 'new', and the inbox's partial
--   index covers them;
-- - tthc.inbox.inserted_by: the role whose rights apply a message, tthc.retry()
--   included (NULL for the messages of earlier versions: the rights of the
--   role that retries).
-- Immutable once released: later changes go into the next upgrade script.

\echo Use "ALTER EXTENSION tthc UPDATE TO '0.5'" to load this file. \quit

CREATE OR REPLACE FUNCTION tthc.inbox_apply() RETURNS trigger
AS 'MODULE_PATHNAME', 'tthc_inbox_apply' LANGUAGE C;
COMMENT ON FUNCTION tthc.inbox_apply() IS
    'The inbox''s triggers: apply a message at once (BEFORE ROW), or the messages of a statement that inserts many when it ends (BEFORE and AFTER STATEMENT)';
CREATE TRIGGER inbox_statement_begin BEFORE INSERT ON tthc.inbox
    FOR EACH STATEMENT EXECUTE FUNCTION tthc.inbox_apply();
CREATE TRIGGER inbox_statement_end AFTER INSERT ON tthc.inbox
    REFERENCING NEW TABLE AS new_messages
    FOR EACH STATEMENT EXECUTE FUNCTION tthc.inbox_apply();

ALTER TABLE tthc.inbox ADD COLUMN inserted_by text;
ALTER TABLE tthc.inbox ALTER COLUMN inserted_by SET DEFAULT CURRENT_USER;

DROP INDEX tthc.inbox_pending_idx;
CREATE INDEX inbox_pending_idx ON tthc.inbox (id) WHERE state IN ('new', 'partial', 'rejected');
COMMENT ON TABLE tthc.inbox IS
    'Sync messages as received; state applied, partial (some elements refused) or rejected (new while a statement inserting many has not ended), with the first error''s SQLSTATE, message and JSON path; tthc.retry() applies the failed ones again';

CREATE OR REPLACE FUNCTION tthc.retry() RETURNS bigint
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    n bigint;
BEGIN
    UPDATE tthc.inbox SET state = 'new' WHERE state IN ('new', 'partial', 'rejected');
    SELECT count(*) INTO n FROM tthc.inbox WHERE state IN ('partial', 'rejected');
    RETURN n;
END
$$;
COMMENT ON FUNCTION tthc.retry() IS
    'Apply again the inbox messages that were rejected or partly applied, and any left new; returns how many still fail';
