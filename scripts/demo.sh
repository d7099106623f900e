#!/usr/bin/env bash
# scripts/demo.sh: the main job, on a fresh machine, as root or not.
#
# Installs what is missing, builds and installs tthc, starts a throwaway
# cluster (kept running afterwards, so you can explore it), creates the
# database tthc_demo with the extension and a realistic national catalogue,
# and shows the agency tree and this year's days off.  Running it again
# rebuilds the demo database from scratch.
#
# Settings: TTHC_PORT (54315), TTHC_CLUSTER_DIR (/tmp/tthc-demo-$TTHC_PORT),
# TTHC_DEMO_SCALE (1.0: ~3,300 communes, ~600 procedures), TTHC_DEMO_SEED (766),
# TTHC_DEMO_DOSSIERS (200000).

source "$(dirname "$0")/lib.sh"
cd "$TTHC_ROOT"

port=${TTHC_PORT:-54315}
dir=${TTHC_CLUSTER_DIR:-/tmp/tthc-demo-$port}
scale=${TTHC_DEMO_SCALE:-1.0}
seed=${TTHC_DEMO_SEED:-766}
dossiers=${TTHC_DEMO_DOSSIERS:-200000}
db=tthc_demo

tthc_ensure_packages
tthc_build_install
tthc_say "starting the demo cluster on port $port ($dir)"
tthc_cluster_start "$port" "$dir"

tthc_say "creating database $db with the extension"
psql -q -X -v ON_ERROR_STOP=1 -c "DROP DATABASE IF EXISTS $db WITH (FORCE)" >/dev/null 2>&1
psql -q -X -v ON_ERROR_STOP=1 -c "CREATE DATABASE $db" >/dev/null
export PGDATABASE=$db
psql -q -X -v ON_ERROR_STOP=1 -c 'CREATE EXTENSION tthc' >/dev/null

tthc_say "generating the demo catalogue (scale $scale, seed $seed)"
psql -q -X -v ON_ERROR_STOP=1 -v scale="$scale" -v seed="$seed" -v datadir="$TTHC_ROOT/demo/data" \
  -f demo/generate_catalogue.sql >/dev/null
tthc_say "generating $dossiers dossiers received since 2025-01-01"
psql -q -X -v ON_ERROR_STOP=1 -v count="$dossiers" -v seed="$seed" \
  -f demo/generate_dossiers.sql >/dev/null

psql -X -v ON_ERROR_STOP=1 -P footer=off -P border=1 <<'SQL'
\echo
\echo '=== The agency tree: ministries and provinces, with the units under them ==='
SELECT row_number() OVER (ORDER BY t.kind DESC, t.id) AS "#",
       t.id AS "mã", t.name AS "cơ quan",
       CASE t.kind WHEN 'ministry' THEN 'bộ, ngành' ELSE 'tỉnh, thành phố' END AS "cấp",
       count(*) FILTER (WHERE s.kind = 'department') AS "sở, cục",
       count(*) FILTER (WHERE s.kind = 'commune') AS "xã, phường",
       count(*) FILTER (WHERE s.kind IN ('unit', 'district')) AS "đơn vị khác",
       max(s.depth) AS "sâu"
  FROM tthc.agency_tree t
  JOIN tthc.agency_tree s ON s.top_id = t.id AND s.depth > 0
 WHERE t.depth = 0
 GROUP BY t.id, t.name, t.kind
 ORDER BY t.kind DESC, t.id;

\echo
\echo '=== In total ==='
SELECT kind AS "loại", count(*) AS "số cơ quan" FROM tthc.agency GROUP BY kind ORDER BY count(*) DESC;
SELECT (SELECT count(*) FROM tthc.procedure) AS "thủ tục",
       (SELECT count(*) FROM tthc.service) AS "dịch vụ (cơ quan × thủ tục)",
       (SELECT count(*) FROM tthc.service WHERE online_level = 'full') AS "trực tuyến toàn trình",
       (SELECT count(*) FROM tthc.service WHERE online_level = 'partial') AS "trực tuyến một phần";

\echo
\echo '=== One province in full: Thái Nguyên (H55), first units of each kind ==='
SELECT repeat('    ', s.depth) || s.name AS "cơ quan", s.id AS "mã", s.kind AS "loại"
  FROM (SELECT s.*, row_number() OVER (PARTITION BY s.kind ORDER BY s.path) AS n
          FROM tthc.agency_subtree('H55') s) s
 WHERE s.depth = 0 OR s.n <= 6
 ORDER BY s.path;

\echo
\echo '=== This month, per province: dossiers received since the 1st, from the live tallies ==='
WITH m AS (SELECT date_trunc('month', now() AT TIME ZONE 'Asia/Ho_Chi_Minh')::date AS first,
                  (now() AT TIME ZONE 'Asia/Ho_Chi_Minh')::date AS today),
     c AS (SELECT a.id, a.name, tthc.counters_of(a.id, m.first, m.today)::jsonb AS j
             FROM tthc.agency a, m WHERE a.parent_id IS NULL AND a.kind = 'province')
SELECT c.id AS "mã", c.name AS "tỉnh, thành phố",
       (j->>'received')::int AS "tiếp nhận", (j->>'finished')::int AS "đã giải quyết",
       (j->>'late')::int AS "quá hạn", (j->>'received')::int - (j->>'ended')::int AS "đang xử lý",
       round(100.0 * ((j->>'received')::int - (j->>'late')::int) / nullif((j->>'received')::int, 0), 1)
         AS "% không quá hạn"
  FROM c ORDER BY c.id;

\echo
\set board 'SELECT s.rank AS "hạng", s.agency_id AS "mã", s.name AS "cơ quan", round(s.points, 2) AS "điểm", s.max_points AS "tối đa", s.grade AS "xếp loại", round((s.groups->>''1'')::numeric, 2) AS "công khai", round((s.groups->>''2'')::numeric, 2) AS "tiến độ", round((s.groups->>''3'')::numeric, 2) AS "trực tuyến", round((s.groups->>''4'')::numeric, 2) AS "số hóa", round((s.groups->>''5'')::numeric, 2) AS "hài lòng" FROM '
\set order ' s ORDER BY s.kind DESC, s.rank, s.agency_id'
\echo '=== The 766 index, this month: provinces and ministries, ranked (live, judged now) ==='
:board tthc.scoreboard_this_month :order;

\echo
\echo '=== The 766 index, year to date ==='
:board tthc.scoreboard_this_year :order;

\echo
\echo '=== This year''s days off besides weekends (Vietnam''s calendar) ==='
SELECT to_char(h.day, 'DD/MM/YYYY') AS "ngày",
       CASE extract(isodow FROM h.day)::int WHEN 1 THEN 'Thứ Hai' WHEN 2 THEN 'Thứ Ba'
            WHEN 3 THEN 'Thứ Tư' WHEN 4 THEN 'Thứ Năm' WHEN 5 THEN 'Thứ Sáu'
            WHEN 6 THEN 'Thứ Bảy' ELSE 'Chủ Nhật' END AS "thứ",
       h.name AS "tên",
       l.lunar_day || '/' || l.lunar_month || CASE WHEN l.leap_month THEN ' nhuận' ELSE '' END AS "âm lịch"
  FROM tthc.holiday h, tthc.lunar_date(h.day) l
 WHERE h.day BETWEEN date_trunc('year', now() AT TIME ZONE 'Asia/Ho_Chi_Minh')::date
                 AND (date_trunc('year', now() AT TIME ZONE 'Asia/Ho_Chi_Minh') + interval '1 year - 1 day')::date
 ORDER BY h.day;
SELECT extract(year FROM now() AT TIME ZONE 'Asia/Ho_Chi_Minh') AS "năm",
       count(*) FILTER (WHERE tthc.is_working_day(d::date)) AS "ngày làm việc",
       count(*) FILTER (WHERE NOT tthc.is_working_day(d::date)) AS "ngày nghỉ"
  FROM generate_series(date_trunc('year', now() AT TIME ZONE 'Asia/Ho_Chi_Minh'),
                       date_trunc('year', now() AT TIME ZONE 'Asia/Ho_Chi_Minh') + interval '1 year - 1 day',
                       interval '1 day') d;
SQL

# the year-to-date scoreboard as a page a person opens in a browser
mkdir -p "$TTHC_ROOT/demo/out"
html="$TTHC_ROOT/demo/out/bang-xep-hang-766.html"
psql -X -At -v ON_ERROR_STOP=1 \
  -c "SELECT tthc.scoreboard_html(date_trunc('year', tthc.today())::date, tthc.today())" > "$html"
echo
echo "The year-to-date scoreboard, as a page: $html"

cat <<EOF

The demo cluster keeps running.
  Open psql on it:   psql -h $dir -p $port -U $PGUSER $db
  Stop it:           $( [ "$(id -u)" -eq 0 ] && echo "runuser -u postgres -- " )$PGBIN/pg_ctl -D $dir/data stop
  Run this again:    bash scripts/demo.sh   (rebuilds the demo database)
EOF
