#!/usr/bin/env bash
# test/upgrade/upgrade.sh: a database created at every earlier version of
# tthc (CREATE EXTENSION tthc VERSION 'x', with data written by that
# version), then updated with ALTER EXTENSION tthc UPDATE, has exactly the
# objects of a fresh CREATE EXTENSION of the current version (functions and
# their definitions, tables, columns, constraints, indexes, triggers, views,
# policies, types, comments, what pg_dump keeps, shipped rows), keeps its
# data and tallies, scores as the same data written into a fresh install,
# and works.  Prints TAP; needs PGHOST/PGPORT/PGUSER and
# the extension installed.
set -uo pipefail
cd "$(dirname "$0")/../.."

current=$(sed -n "s/^default_version *= *'\(.*\)'/\1/p" tthc.control)
fresh=tthc_upgrade_fresh
n=0
fail=0
ok() {  # ok DESCRIPTION CONDITION-RESULT
  n=$((n + 1))
  if [ "$2" = "t" ]; then echo "ok $n - $1"; else echo "not ok $n - $1"; echo "#   got: $2"; fail=$((fail + 1)); fi
}
q() { psql -X -q -At -v ON_ERROR_STOP=1 "$@"; }

# What the extension is made of, one line per object, in a stable order.
# Object identities and definitions only: no OIDs, no sizes.
catalogue() {  # catalogue DB
  q -d "$1" <<'SQL'
WITH ext AS (SELECT oid FROM pg_extension WHERE extname = 'tthc'),
members AS (SELECT d.classid, d.objid FROM pg_depend d, ext
             WHERE d.refclassid = 'pg_extension'::regclass AND d.refobjid = ext.oid AND d.deptype = 'e')
SELECT line FROM (
    -- functions and procedures, with their whole definition
    SELECT 'function ' || p.oid::regprocedure || E'\n' || pg_get_functiondef(p.oid) AS line
      FROM members m JOIN pg_proc p ON m.classid = 'pg_proc'::regclass AND p.oid = m.objid
     WHERE p.prokind <> 'a'
    UNION ALL
    SELECT 'aggregate ' || p.oid::regprocedure || ' sfunc ' || a.aggtransfn::regproc || ' stype '
           || format_type(a.aggtranstype, NULL) || ' combine ' || a.aggcombinefn::regproc || ' final '
           || a.aggfinalfn::regproc || ' parallel ' || p.proparallel::text
      FROM members m JOIN pg_proc p ON m.classid = 'pg_proc'::regclass AND p.oid = m.objid
      JOIN pg_aggregate a ON a.aggfnoid = p.oid
    UNION ALL
    SELECT 'comment on function ' || p.oid::regprocedure || ': ' || coalesce(obj_description(p.oid, 'pg_proc'), '-')
      FROM members m JOIN pg_proc p ON m.classid = 'pg_proc'::regclass AND p.oid = m.objid
    UNION ALL
    -- relations: kind, columns, comment
    SELECT 'relation ' || c.oid::regclass || ' ' || c.relkind::text || ' ' || coalesce(obj_description(c.oid, 'pg_class'), '-')
      FROM members m JOIN pg_class c ON m.classid = 'pg_class'::regclass AND c.oid = m.objid
    UNION ALL
    SELECT 'column ' || c.oid::regclass || '.' || a.attname || ' #' || a.attnum || ' ' || format_type(a.atttypid, a.atttypmod)
           || CASE WHEN a.attnotnull THEN ' not null' ELSE '' END
           || coalesce(' default ' || pg_get_expr(ad.adbin, ad.adrelid), '')
           || coalesce(' identity ' || nullif(a.attidentity::text, ''), '')
           || coalesce(' compression ' || nullif(a.attcompression::text, ''), '')
           || coalesce(' -- ' || col_description(c.oid, a.attnum), '')
      FROM members m JOIN pg_class c ON m.classid = 'pg_class'::regclass AND c.oid = m.objid
      JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
      LEFT JOIN pg_attrdef ad ON ad.adrelid = c.oid AND ad.adnum = a.attnum
     WHERE c.relkind IN ('r', 'v', 'c', 'p')
    UNION ALL
    SELECT 'constraint ' || con.conrelid::regclass || ' ' || con.conname || ' ' || pg_get_constraintdef(con.oid)
      FROM pg_constraint con JOIN pg_namespace ns ON ns.oid = con.connamespace
     WHERE ns.nspname = 'tthc' AND con.conrelid <> 0
    UNION ALL
    SELECT 'index ' || pg_get_indexdef(i.indexrelid)
      FROM pg_index i JOIN pg_class c ON c.oid = i.indrelid JOIN pg_namespace ns ON ns.oid = c.relnamespace
     WHERE ns.nspname = 'tthc'
    UNION ALL
    SELECT 'trigger ' || pg_get_triggerdef(t.oid)
      FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid JOIN pg_namespace ns ON ns.oid = c.relnamespace
     WHERE ns.nspname = 'tthc' AND NOT t.tgisinternal
    UNION ALL
    SELECT 'view ' || c.oid::regclass || E'\n' || pg_get_viewdef(c.oid)
      FROM members m JOIN pg_class c ON m.classid = 'pg_class'::regclass AND c.oid = m.objid
     WHERE c.relkind = 'v'
    UNION ALL
    SELECT 'rls ' || c.oid::regclass || ' ' || c.relrowsecurity || ' ' || c.relforcerowsecurity
      FROM members m JOIN pg_class c ON m.classid = 'pg_class'::regclass AND c.oid = m.objid
     WHERE c.relkind = 'r'
    UNION ALL
    SELECT 'policy ' || p.tablename || ' ' || p.policyname || ' ' || p.cmd || ' ' || coalesce(p.qual, '-')
           || ' check ' || coalesce(p.with_check, '-')
      FROM pg_policies p WHERE p.schemaname = 'tthc'
    UNION ALL
    SELECT 'type ' || format_type(t.oid, NULL) || ' ' || t.typtype::text || ' ' || coalesce(obj_description(t.oid, 'pg_type'), '-')
      FROM members m JOIN pg_type t ON m.classid = 'pg_type'::regclass AND t.oid = m.objid
    UNION ALL
    SELECT 'operator ' || o.oid::regoperator || ' ' || o.oprcode::regproc
      FROM members m JOIN pg_operator o ON m.classid = 'pg_operator'::regclass AND o.oid = m.objid
    UNION ALL
    SELECT 'cast ' || format_type(c.castsource, NULL) || ' -> ' || format_type(c.casttarget, NULL) || ' ' || c.castmethod::text
      FROM members m JOIN pg_cast c ON m.classid = 'pg_cast'::regclass AND c.oid = m.objid
    UNION ALL
    SELECT 'members ' || m.classid::regclass || ' ' || count(*) FROM members m GROUP BY m.classid
    UNION ALL
    -- what pg_dump keeps
    SELECT 'dumped ' || e.oid::regclass || ' ' || coalesce(nullif(e.cond, ''), '(all rows)')
      FROM pg_extension x, unnest(x.extconfig, x.extcondition) AS e(oid, cond) WHERE x.extname = 'tthc'
) x ORDER BY line;
SQL
}

# Rows the extension ships (its own data, not the user's).
shipped() {  # shipped DB
  q -d "$1" <<'SQL'
SELECT 'index_set ' || id || ' ' || md5(document::text) FROM tthc.index_set WHERE shipped
UNION ALL SELECT 'onestop_criterion ' || row(c.*)::text FROM tthc.onestop_criterion c
UNION ALL SELECT 'onestop_band ' || row(b.*)::text FROM tthc.onestop_band b WHERE band_set = 'circular-01-2018'
UNION ALL SELECT 'sipas_element ' || row(e.*)::text FROM tthc.sipas_element e
UNION ALL SELECT 'calendar_year ' || count(*) FROM tthc.calendar_year
UNION ALL SELECT 'rule holidays ' || count(*) FROM tthc.holiday WHERE source = 'rule'
ORDER BY 1;
SQL
}

psql -q -X -c "DROP DATABASE IF EXISTS $fresh" >/dev/null 2>&1
psql -q -X -v ON_ERROR_STOP=1 -c "CREATE DATABASE $fresh" >/dev/null
q -d $fresh -c 'CREATE EXTENSION tthc' >/dev/null
fresh_catalogue=$(catalogue $fresh)
fresh_shipped=$(shipped $fresh)
ok "a fresh CREATE EXTENSION installs version $current" \
   "$(q -d $fresh -c "SELECT extversion = '$current' FROM pg_extension WHERE extname = 'tthc'")"

# data written by the old version (and, for comparison, by a fresh install):
# the catalogue, dossiers (with tallies and a compacted log), a step,
# feedback, a calendar edit, a publication
data=$(mktemp /tmp/tthc-upgrade-data.XXXXXX)
trap 'rm -f "$data"' EXIT
cat >"$data" <<'SQL'
INSERT INTO tthc.agency VALUES ('H26', NULL, 'Thành phố Hà Nội', 'province'),
                               ('H26.X001', 'H26', 'Phường Ba Đình', 'commune');
INSERT INTO tthc.procedure (code, name, time_limit) VALUES ('1.001193', 'Đăng ký khai sinh', 1);
INSERT INTO tthc.service VALUES ('H26.X001', '1.001193', 'full');
INSERT INTO tthc.dossier (code, agency_id, procedure_code, status, channel, received_at, finished_at)
SELECT 'H26-U-' || i, 'H26.X001', '1.001193', CASE WHEN i % 3 = 0 THEN 9 ELSE 4 END, 1 + i % 3,
       timestamptz '2026-10-01 08:00+07' + i * interval '37 minutes',
       CASE WHEN i % 3 = 0 THEN timestamptz '2026-10-01 08:00+07' + i * interval '61 minutes' END
  FROM generate_series(1, 300) i;
SELECT tthc.compact();
UPDATE tthc.dossier SET status = 9, finished_at = received_at + interval '2 hours' WHERE code = 'H26-U-1';
INSERT INTO tthc.dossier_step VALUES ('H26-U-2', 1, 'H26', 'Nguyễn Văn A', '2026-10-01 09:00+07', '2026-10-02 09:00+07', NULL);
INSERT INTO tthc.feedback (id, agency_id, received_at, category, dossier_code) VALUES ('PAKN-U', 'H26', '2026-10-05 10:00+07', 'staff', 'H26-U-3');
INSERT INTO tthc.holiday (day, name) VALUES ('2026-02-23', 'Nghỉ Tết thêm');
SELECT tthc.publish('Tháng 10/2026', '2026-10-01', '2026-10-31', '766', '2026-11-15 10:00+07');
SQL

# every earlier version that has an install script kept in src/upgrade/
for script in src/upgrade/tthc--*.sql; do
  old=$(basename "$script" .sql); old=${old#tthc--}
  case "$old" in *--*) continue ;; esac
  db=tthc_upgrade_from_${old//./_}
  psql -q -X -c "DROP DATABASE IF EXISTS $db" >/dev/null 2>&1
  psql -q -X -v ON_ERROR_STOP=1 -c "CREATE DATABASE $db" >/dev/null
  q -d $db -c "CREATE EXTENSION tthc VERSION '$old'" >/dev/null
  q -d $db -f "$data" >/dev/null
  before=$(q -d $db -c "SELECT md5(string_agg(row(d.*)::text, ',' ORDER BY code)) || ' ' || tthc.counters_of('H26', '2026-10-01', '2026-10-31', '2026-11-15 10:00+07')::text || ' ' || (SELECT count(*) FROM tthc.publication) FROM tthc.dossier d")
  upd=$(q -d $db -c 'ALTER EXTENSION tthc UPDATE' 2>&1)
  ok "from $old: ALTER EXTENSION tthc UPDATE runs${upd:+ ($upd)}" "$([ -z "$upd" ] && echo t || echo f)"
  ok "from $old: the version is now $current" \
     "$(q -d $db -c "SELECT extversion = '$current' FROM pg_extension WHERE extname = 'tthc'")"
  d=$(diff <(echo "$fresh_catalogue") <(catalogue $db))
  ok "from $old: the same objects and definitions as a fresh install" "$([ -z "$d" ] && echo t || echo "$(echo "$d" | head -20 | tr '\n' ' ')")"
  d=$(diff <(echo "$fresh_shipped") <(shipped $db))
  ok "from $old: the same shipped rows" "$([ -z "$d" ] && echo t || echo "$(echo "$d" | head -10 | tr '\n' ' ')")"
  after=$(q -d $db -c "SELECT md5(string_agg(row(d.*)::text, ',' ORDER BY code)) || ' ' || tthc.counters_of('H26', '2026-10-01', '2026-10-31', '2026-11-15 10:00+07')::text || ' ' || (SELECT count(*) FROM tthc.publication) FROM tthc.dossier d")
  ok "from $old: dossiers, counters and publications unchanged" "$([ "$before" = "$after" ] && echo t || echo "$before / $after")"
  ok "from $old: the tallies still verify" "$(q -d $db -c 'SELECT count(*) = 0 FROM tthc.verify()')"
  # the same data written into a fresh install scores the same
  same=tthc_upgrade_same_${old//./_}
  psql -q -X -c "DROP DATABASE IF EXISTS $same" >/dev/null 2>&1
  psql -q -X -v ON_ERROR_STOP=1 -c "CREATE DATABASE $same" >/dev/null
  q -d $same -c 'CREATE EXTENSION tthc' >/dev/null
  q -d $same -f "$data" >/dev/null
  scores='SELECT md5(string_agg(row(s.*)::text, $$,$$ ORDER BY agency_id, criterion)) FROM tthc.scores_of(NULL, $$2026-10-01$$, $$2026-10-31$$, $$766$$, $$2026-11-15 10:00+07$$) s'
  a=$(q -d $db -c "$scores"); b=$(q -d $same -c "$scores")
  ok "from $old: the same scores as the same data in a fresh install" "$([ -n "$a" ] && [ "$a" = "$b" ] && echo t || echo "$a / $b")"
  psql -q -X -c "DROP DATABASE IF EXISTS $same" >/dev/null 2>&1
  # what the new version adds works on the old data
  ok "from $old: the yearly indices work on the updated database" "$(q -d $db <<'SQL'
SELECT tthc.load_par_framework('{"year": 2026, "kind": "province", "areas": [{"code": "I", "name": "I", "max_points": 10, "method": "appraisal"}]}') \g /dev/null
INSERT INTO tthc.par_points (year, kind, agency_id, code, appraised) VALUES (2026, 'province', 'H26', 'I', 8);
INSERT INTO tthc.onestop_rating (dossier_code, criterion, points) VALUES ('H26-U-3', 7, 2);
SELECT (SELECT index FROM tthc.par_results(2026, 'province')) = 80
       AND (SELECT dossiers > 0 FROM tthc.onestop_evaluation('H26', '2026-10-01', '2026-12-31'))
       AND (SELECT count(*) FROM tthc.agency_overview('H26', 2026)) >= 2;
SQL
)"
  psql -q -X -c "DROP DATABASE IF EXISTS $db" >/dev/null 2>&1
done
psql -q -X -c "DROP DATABASE IF EXISTS $fresh" >/dev/null 2>&1
echo "1..$n"
[ "$fail" -eq 0 ]
