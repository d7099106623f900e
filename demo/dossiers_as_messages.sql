-- ---------------------------------------------------------------------------
-- dossiers_as_messages.sql: the dossiers of a database as the national
-- portal's sync messages, one JSON document a line, in the order the
-- portal would send them (by receipt; each dossier's DongBoHoSoMC, then
-- the CapNhatTienDoHoSoMC of its ended steps).  Run it after
-- demo/generate_dossiers.sql to get the demo's dossiers as messages:
--
--   psql -X -v ON_ERROR_STOP=1 -v out=messages.jsonl -d DB -f demo/dossiers_as_messages.sql
--
-- Only dossiers that reached the portal (synced_at set) are written.
-- Loading the file into another database with the same catalogue, a line
-- per row of tthc.inbox, writes the same dossiers and steps
-- (test/differential/demo_messages.sh checks it, scores included):
--
--   CREATE TEMP TABLE m (n bigserial, payload text);
--   \copy m (payload) FROM 'messages.jsonl' WITH (FORMAT csv, QUOTE E'\x01', DELIMITER E'\x02')
--   INSERT INTO tthc.inbox (payload) SELECT payload FROM m ORDER BY n;
-- ---------------------------------------------------------------------------

\if :{?out}
\else
  \set out messages.jsonl
\endif

-- FORMAT csv with a quote and a delimiter that JSON never holds raw: the
-- lines come out as they are (text format would escape the backslashes)
\set copy_out '\\copy (SELECT payload FROM (SELECT 1 AS kind, d.code, d.received_at, tthc.dossier_message(d) AS payload FROM tthc.dossier d WHERE d.synced_at IS NOT NULL UNION ALL SELECT 2, d.code, d.received_at, tthc.dossier_progress_message(d.code) FROM tthc.dossier d WHERE d.synced_at IS NOT NULL AND EXISTS (SELECT 1 FROM tthc.dossier_step s WHERE s.dossier_code = d.code AND s.ended_at IS NOT NULL)) m ORDER BY received_at NULLS FIRST, code, kind) TO ' :'out' ' WITH (FORMAT csv, QUOTE E''\\x01'', DELIMITER E''\\x02'')'
:copy_out
