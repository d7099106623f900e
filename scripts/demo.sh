#!/usr/bin/env bash
# scripts/demo.sh: the main job, on a fresh machine, as root or not.
#
# Installs what is missing, builds and installs tthc, starts a throwaway
# cluster (kept running afterwards, so you can explore it), creates the
# database tthc_demo with the extension and a realistic national catalogue,
# and shows the agency tree and this year's days off, then the yearly
# indices (SIPAS, PAR INDEX, the one-stop evaluation, one view of an agency)
# on demo data.  Running it again rebuilds the demo database from scratch.
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

tthc_say "generating the yearly indices: SIPAS and PAR INDEX 2024-2025, one-stop ratings (seed $seed)"
psql -q -X -v ON_ERROR_STOP=1 -v seed="$seed" -f demo/generate_yearly.sql >/dev/null

psql -X -v ON_ERROR_STOP=1 -P footer=off -P border=1 <<'SQL'
\echo
\echo '=== SIPAS 2025: satisfaction of citizens and organisations, provinces ranked (top 10, bottom 3) ==='
SELECT r.rank AS "hạng", r.agency_id AS "mã", r.name AS "tỉnh, thành phố", r.respondents AS "số phiếu",
       r.sipas AS "SIPAS %", r.access AS "tiếp cận", r.procedure AS "thủ tục", r.officials AS "công chức",
       r.result AS "kết quả", r.feedback AS "góp ý, PAKN", r.previous AS "năm 2024", r.change AS "tăng, giảm",
       r.previous_rank AS "hạng 2024"
  FROM (SELECT x.*, count(x.agency_id) OVER () AS provinces FROM tthc.sipas_results('SIPAS2025') x) r
 WHERE r.agency_id IS NULL OR r.rank <= 10 OR r.rank > r.provinces - 3
 ORDER BY r.agency_id IS NOT NULL, r.rank, r.agency_id;

\echo
\echo '=== SIPAS 2025: the weakest element of the 5 lowest-ranked provinces ==='
SELECT r.rank AS "hạng", w.name AS "tỉnh, thành phố", w.element_name AS "yếu nhất",
       w.index AS "hài lòng %", w.national_index AS "cả nước %", w.gap AS "chênh lệch",
       w.expectation AS "% muốn cải thiện"
  FROM tthc.sipas_weakest('SIPAS2025', 1) w
  JOIN tthc.sipas_results('SIPAS2025') r ON r.agency_id = w.agency_id
 ORDER BY r.rank DESC, r.agency_id
 LIMIT 5;

\echo
\echo '=== PAR INDEX 2025 of the provinces, top 10 ==='
SELECT f.name AS par_name, f.source AS par_source
  FROM tthc.par_framework f WHERE f.year = 2025 AND f.kind = 'province' \gset
\echo :par_name
\echo :par_source
SELECT p.rank AS "hạng", p.agency_id AS "mã", p.name AS "tỉnh, thành phố", p.self_assessed AS "tự đánh giá",
       p.appraised AS "thẩm định", p.survey AS "điều tra XHH", p.index AS "PAR INDEX %",
       p.previous AS "năm 2024", p.change AS "tăng, giảm", p.previous_rank AS "hạng 2024"
  FROM tthc.par_results(2025, 'province') p
 ORDER BY p.rank, p.agency_id
 LIMIT 10;

\echo
SELECT lower(q) AS qfrom, tthc.today() AS qto,
       extract(quarter FROM tthc.today()) || '/' || extract(year FROM tthc.today()) AS qname
  FROM tthc.period('quarter', extract(year FROM tthc.today())::integer,
                   extract(quarter FROM tthc.today())::integer) q \gset
\echo '=== One-stop evaluation (Circular 01/2018/TT-VPCP), quarter' :qname 'to date: Thái Nguyên''s best 10 units (ranked with 5 dossiers or more) ==='
SELECT e.rank AS "hạng", e.agency_id AS "mã", a.name AS "đơn vị", e.dossiers AS "hồ sơ",
       e.c1 AS "1 tổng t.gian", e.c2 AS "2 từng c.quan", e.c3 AS "3 bổ sung", e.c4 AS "4 số nơi",
       e.c5 AS "5 một cửa", e.c6 AS "6 công khai", e.c7 AS "7 thái độ", e.c8 AS "8 PAKN",
       e.c9 AS "9 trực tuyến", e.total AS "điểm /18", e.band AS "xếp loại"
  FROM tthc.onestop_evaluation('H55', :'qfrom'::date, :'qto'::date, min_dossiers => 5) e
  JOIN tthc.agency a ON a.id = e.agency_id
 WHERE e.rank IS NOT NULL
 ORDER BY e.rank, e.dossiers DESC, e.agency_id
 LIMIT 10;

\echo
-- the latest year with a SIPAS wave: the yearly indices are published the year after
SELECT coalesce(max(year), extract(year FROM tthc.today())::integer) AS oyear FROM tthc.sipas_wave \gset
\echo '=== Thái Nguyên (H55) in' :oyear': its four indices side by side, weakest first ==='
SELECT CASE o.index WHEN '766' THEN 'Bộ chỉ số 766' WHEN 'sipas' THEN 'SIPAS'
                    WHEN 'par' THEN 'PAR INDEX' ELSE 'Một cửa (TT 01/2018)' END AS "chỉ số",
       o.result AS "kết quả", o.max_points AS "tối đa", o.percent AS "%", o.rank AS "hạng",
       o.ranked AS "trên", o.grade AS "xếp loại", o.weakest AS "điểm yếu nhất", o.weakest_percent AS "% điểm yếu"
  FROM tthc.agency_overview('H55', :oyear) o;
\echo '... and its 8 weakest points across them (furthest below their peers or the country first)'
SELECT CASE w.index WHEN '766' THEN 'Bộ chỉ số 766' WHEN 'sipas' THEN 'SIPAS'
                    WHEN 'par' THEN 'PAR INDEX' ELSE 'Một cửa (TT 01/2018)' END AS "chỉ số",
       w.item AS "mục", w.name AS "nội dung", w.percent AS "%", w.compared_with AS "so sánh với",
       w.gap AS "chênh lệch"
  FROM tthc.agency_weak_points('H55', :oyear) w
 LIMIT 8;
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
