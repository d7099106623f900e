-- The extension installs into its own schema, with its calendar filled.
CREATE EXTENSION tthc;
SELECT extname, extversion, nspname, extrelocatable
  FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace
 WHERE extname = 'tthc';
SELECT min(year), max(year), count(*) FROM tthc.calendar_year;
SELECT * FROM tthc.calendar_bounds();
SELECT count(*) AS rule_holidays FROM tthc.holiday WHERE source = 'rule';
-- tables whose rows pg_dump keeps
SELECT c.relname, e.cond
  FROM pg_extension x,
       unnest(x.extconfig, x.extcondition) AS e(oid, cond)
  JOIN pg_class c ON c.oid = e.oid
 WHERE x.extname = 'tthc'
 ORDER BY c.relname;
-- it cannot be moved to another schema
ALTER EXTENSION tthc SET SCHEMA public;
