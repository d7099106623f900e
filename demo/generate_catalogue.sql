-- ---------------------------------------------------------------------------
-- generate_catalogue.sql: fill a realistic national TTHC catalogue for demos.
--
--   psql -X -v ON_ERROR_STOP=1 [-v scale=1.0] [-v seed=766] [-v datadir=demo/data] \
--        -d DB -f demo/generate_catalogue.sql
--
-- Needs `CREATE EXTENSION tthc` in DB.  Writes tthc.agency, tthc.procedure,
-- tthc.service, tthc.announcement and tthc.reported_volume, replacing what
-- they held (this script owns the demo catalogue: run it on a demo database).
--
--   scale    size multiplier (default 1.0): communes and procedures grow with
--            it; provinces, departments, ministries and their offices do not.
--            At 1.0: 34 provinces, 3,321 communes, 20 ministries, ~600
--            procedures, ~200,000 services.
--   seed     any text (default 766).  The same seed and scale give exactly the
--            same rows: every "random" choice is a hash of the seed and of the
--            row's own key, never random(), so it does not depend on plan order.
--   datadir  the folder holding provinces-2025.csv (default demo/data,
--            relative to the current directory).
--
-- One transaction: a failure leaves the catalogue as it was.
-- ---------------------------------------------------------------------------

\if :{?scale}
\else
  \set scale 1.0
\endif
\if :{?seed}
\else
  \set seed 766
\endif
\if :{?datadir}
\else
  \set datadir demo/data
\endif
\set provfile :datadir '/provinces-2025.csv'

\set QUIET on
SET client_min_messages = warning;

BEGIN;

-- scale must be a positive number, say so clearly otherwise.
SELECT pg_catalog.set_config('tthc_demo.scale', :'scale', true) AS scale_setting \gset
DO $$
BEGIN
    IF current_setting('tthc_demo.scale') !~ '^\s*[0-9]*\.?[0-9]+([eE][-+]?[0-9]+)?\s*$'
       OR current_setting('tthc_demo.scale')::numeric <= 0 THEN
        RAISE EXCEPTION 'scale must be a positive number, not "%"', current_setting('tthc_demo.scale')
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
END
$$;

-- ---------------------------------------------------------------------------
-- Deterministic pseudo-randomness: h(key) in [0, 2^31), u(key) in [0, 1),
-- pick(key, lo, hi) in [lo, hi].  The seed is baked into h.
-- ---------------------------------------------------------------------------
SELECT format('CREATE OR REPLACE FUNCTION pg_temp.h(k text) RETURNS integer '
              'LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS %L',
              format('SELECT hashtext(%L || '':'' || k) & 2147483647', :'seed'))
\gexec
CREATE OR REPLACE FUNCTION pg_temp.u(k text) RETURNS double precision
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    AS 'SELECT pg_temp.h(k) / 2147483648.0::double precision';
CREATE OR REPLACE FUNCTION pg_temp.pick(k text, lo integer, hi integer) RETURNS integer
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    AS 'SELECT lo + pg_temp.h(k) % (hi - lo + 1)';
-- zero-padded number that never truncates (lpad would cut 1234 to 123)
CREATE OR REPLACE FUNCTION pg_temp.pad(n bigint, w integer) RETURNS text
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    AS 'SELECT lpad(n::text, greatest(w, length(n::text)), ''0'')';
-- the next Monday when d falls on a weekend
CREATE OR REPLACE FUNCTION pg_temp.weekday(d date) RETURNS date
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    AS 'SELECT d + CASE extract(isodow FROM d) WHEN 6 THEN 2 WHEN 7 THEN 1 ELSE 0 END';
-- d + n working days, counting Monday to Friday only (d itself a weekday)
CREATE OR REPLACE FUNCTION pg_temp.add_weekdays(d date, n integer) RETURNS date
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    AS 'SELECT d + n + 2 * ((extract(isodow FROM d)::integer - 1 + n) / 5)';

-- ---------------------------------------------------------------------------
-- Replace the previous catalogue, children before parents.
-- ---------------------------------------------------------------------------
DELETE FROM tthc.announcement;
DELETE FROM tthc.reported_volume;
DELETE FROM tthc.service;
-- one statement removes the whole tree: the self-reference is checked at its end
DELETE FROM tthc.agency;
DELETE FROM tthc.procedure;

-- ---------------------------------------------------------------------------
-- Provinces, from the CSV.
-- ---------------------------------------------------------------------------
CREATE TEMP TABLE prov_csv (code text, name text, kind text) ON COMMIT DROP;
-- \copy does not expand variables: build the command, then run it.
\set copycmd '\\copy prov_csv FROM ' :'provfile' ' WITH (FORMAT csv, HEADER true)'
:copycmd

CREATE TEMP TABLE prov ON COMMIT DROP AS
SELECT code,
       name AS short_name,
       kind = 'city' AS is_city,
       CASE WHEN kind = 'city' THEN 'Thành phố ' ELSE 'Tỉnh ' END || name AS name,
       -- the locality as it follows a unit's name: "Sở Tư pháp tỉnh An Giang"
       CASE WHEN name = 'Hồ Chí Minh' THEN 'Thành phố Hồ Chí Minh'
            WHEN kind = 'city' THEN 'thành phố ' || name
            ELSE 'tỉnh ' || name END AS locality
  FROM prov_csv;

DO $$
BEGIN
    IF (SELECT count(*) FROM pg_temp.prov) = 0 THEN
        RAISE EXCEPTION 'no provinces loaded';
    END IF;
    IF EXISTS (SELECT 1 FROM pg_temp.prov_csv WHERE kind NOT IN ('province', 'city')) THEN
        RAISE EXCEPTION 'provinces-2025.csv: kind must be province or city';
    END IF;
END
$$;

-- Communes per province: 40 to 170 at scale 1, adding up to the real 3,321
-- (for 34 provinces).  Provinces are ranked by hash (cities a little
-- higher) and take quantiles of a skewed curve, then the total is nudged
-- to the target on the middle-ranked provinces.
CREATE TEMP TABLE prov_size ON COMMIT DROP AS
WITH ranked AS (
    SELECT code,
           row_number() OVER (ORDER BY pg_temp.h('communes:' || code) % 1000
                                       + CASE WHEN is_city THEN 300 ELSE 0 END, code) AS r,
           count(*) OVER () AS n
      FROM prov),
based AS (
    SELECT code, r, n,
           40 + round(130 * power((r - 0.5) / n, 1.25))::integer AS base
      FROM ranked),
adjusted AS (
    SELECT b.*,
           round(3321.0 * n / 34) - sum(base) OVER () AS diff,
           row_number() OVER (ORDER BY abs(r - (n + 1) / 2.0), r) AS mid_order
      FROM based b)
SELECT code,
       base + CASE WHEN mid_order <= abs(diff) * 1 THEN sign(diff)::integer ELSE 0 END
            + CASE WHEN mid_order <= abs(diff) - n THEN sign(diff)::integer ELSE 0 END AS base
  FROM adjusted;
ALTER TABLE prov_size ADD COLUMN communes integer;
UPDATE prov_size SET communes = greatest(1, round(base * :'scale'::numeric))::integer;

-- ---------------------------------------------------------------------------
-- The agency tree, built in a temp table (with each row's top-level agency)
-- and inserted parents first.
-- ---------------------------------------------------------------------------
CREATE TEMP TABLE ag (
    id text PRIMARY KEY, parent_id text, name text NOT NULL, kind text NOT NULL,
    top_id text NOT NULL, depth integer NOT NULL, tpl text
) ON COMMIT DROP;

INSERT INTO ag (id, parent_id, name, kind, top_id, depth)
SELECT code, NULL, name, 'province', code, 0 FROM prov;

-- Provincial departments after the 2025 reorganisation.  rule: 'core'
-- everywhere; otherwise kept with probability p_prov (provinces) or p_city.
CREATE TEMP TABLE dept_tpl (ord integer, tpl text, name text, p_prov numeric, p_city numeric) ON COMMIT DROP;
INSERT INTO dept_tpl VALUES
    ( 1, 'VP',     'Văn phòng Ủy ban nhân dân %s',                          1,    1),
    ( 2, 'VPDB',   'Văn phòng Đoàn đại biểu Quốc hội và Hội đồng nhân dân %s', 1, 1),
    ( 3, 'NV',     'Sở Nội vụ %s',                                          1,    1),
    ( 4, 'TP',     'Sở Tư pháp %s',                                         1,    1),
    ( 5, 'TC',     'Sở Tài chính %s',                                       1,    1),
    ( 6, 'XD',     'Sở Xây dựng %s',                                        1,    1),
    ( 7, 'CT',     'Sở Công Thương %s',                                     1,    1),
    ( 8, 'NNMT',   'Sở Nông nghiệp và Môi trường %s',                       1,    1),
    ( 9, 'YT',     'Sở Y tế %s',                                            1,    1),
    (10, 'GDDT',   'Sở Giáo dục và Đào tạo %s',                              1,    1),
    (11, 'VHTTDL', 'Sở Văn hóa, Thể thao và Du lịch %s',                    1,    1),
    (12, 'KHCN',   'Sở Khoa học và Công nghệ %s',                           1,    1),
    (13, 'DTTG',   'Sở Dân tộc và Tôn giáo %s',                             0.8,  0.5),
    (14, 'NGV',    'Sở Ngoại vụ %s',                                        0.35, 1),
    (15, 'DL',     'Sở Du lịch %s',                                         0,    0.5),
    (16, 'QHKT',   'Sở Quy hoạch - Kiến trúc %s',                           0,    0.4),
    (17, 'TTR',    'Thanh tra %s',                                          1,    1),
    (18, 'KCN',    'Ban Quản lý các Khu công nghiệp %s',                    0.6,  0.7),
    (19, 'KKT',    'Ban Quản lý Khu kinh tế %s',                            0.3,  0),
    (20, 'CNC',    'Ban Quản lý Khu công nghệ cao %s',                      0,    0.5),
    (21, 'PTTH',   'Đài Phát thanh và Truyền hình %s',                      0.7,  0.7),
    (22, 'TTPV',   'Trung tâm Phục vụ hành chính công %s',                  1,    1);

WITH chosen AS (
    SELECT p.code, p.locality, t.ord, t.tpl, t.name
      FROM prov p CROSS JOIN dept_tpl t
     WHERE pg_temp.u('dept:' || p.code || ':' || t.tpl)
           < CASE WHEN p.is_city THEN t.p_city ELSE t.p_prov END),
numbered AS (
    SELECT c.*, row_number() OVER (PARTITION BY c.code ORDER BY c.ord) AS n,
           bool_or(c.tpl = 'DL') OVER (PARTITION BY c.code) AS has_dl
      FROM chosen c)
INSERT INTO ag (id, parent_id, name, kind, top_id, depth, tpl)
SELECT code || '.S' || pg_temp.pad(n, 2), code,
       -- where tourism has its own Sở, culture and sport keep the rest
       format(CASE WHEN tpl = 'VHTTDL' AND has_dl THEN 'Sở Văn hóa và Thể thao %s' ELSE name END, locality),
       'department', code, 1, tpl
  FROM numbered;

-- Communes and wards: names from pairs of place-name syllables, unique in
-- their province (each province walks the pairs in its own hashed order).
CREATE TEMP TABLE syl_a (s text) ON COMMIT DROP;
INSERT INTO syl_a VALUES ('Tân'), ('Phú'), ('An'), ('Bình'), ('Hòa'), ('Long'), ('Thạnh'), ('Đông'),
    ('Tây'), ('Nam'), ('Bắc'), ('Minh'), ('Hưng'), ('Thuận'), ('Phước'), ('Xuân'), ('Vĩnh'),
    ('Quang'), ('Đức'), ('Thanh'), ('Hồng'), ('Kim'), ('Ngọc'), ('Trung'), ('Hiệp'), ('Mỹ'),
    ('Định'), ('Hải'), ('Lạc'), ('Yên'), ('Cẩm'), ('Nghĩa'), ('Trường'), ('Hoàng'), ('Gia'),
    ('Thái'), ('Phong'), ('Quảng'), ('Thượng'), ('Hạ');
CREATE TEMP TABLE syl_b (s text) ON COMMIT DROP;
INSERT INTO syl_b VALUES ('An'), ('Bình'), ('Hòa'), ('Phú'), ('Lợi'), ('Thịnh'), ('Hưng'), ('Sơn'),
    ('Hà'), ('Lộc'), ('Thành'), ('Phong'), ('Lâm'), ('Hải'), ('Tiến'), ('Thắng'), ('Điền'),
    ('Khánh'), ('Mỹ'), ('Long'), ('Thuận'), ('Phước'), ('Tân'), ('Đông'), ('Tây'), ('Trung'),
    ('Xuân'), ('Quý'), ('Hiệp'), ('Vinh'), ('Yên'), ('Cường'), ('Hội'), ('Thái'), ('Lương'),
    ('Giang'), ('Lập'), ('Nghĩa'), ('Đức'), ('Phát');
CREATE TEMP TABLE syl_pair ON COMMIT DROP AS
SELECT a.s || ' ' || b.s AS pair FROM syl_a a CROSS JOIN syl_b b WHERE a.s <> b.s;
ANALYZE prov, prov_size, syl_pair;

-- The 13 special zones (đặc khu) take the last slots of their province.
CREATE TEMP TABLE special_zone (code text, name text) ON COMMIT DROP;
INSERT INTO special_zone VALUES
    ('H49', 'Đặc khu Vân Đồn'), ('H49', 'Đặc khu Cô Tô'),
    ('H24', 'Đặc khu Cát Hải'), ('H24', 'Đặc khu Bạch Long Vĩ'),
    ('H50', 'Đặc khu Cồn Cỏ'), ('H48', 'Đặc khu Lý Sơn'), ('H17', 'Đặc khu Hoàng Sa'),
    ('H32', 'Đặc khu Trường Sa'), ('H36', 'Đặc khu Phú Quý'), ('H29', 'Đặc khu Côn Đảo'),
    ('H01', 'Đặc khu Phú Quốc'), ('H01', 'Đặc khu Kiên Hải'), ('H01', 'Đặc khu Thổ Châu');

WITH npairs AS (SELECT count(*)::integer AS np FROM syl_pair),
pair_order AS (
    SELECT p.code, sp.pair,
           row_number() OVER (PARTITION BY p.code ORDER BY pg_temp.h('cname:' || p.code || ':' || sp.pair), sp.pair) AS rk
      FROM prov p CROSS JOIN syl_pair sp),
slots AS (
    SELECT p.code, p.is_city, i, s.communes
      FROM prov p JOIN prov_size s USING (code)
     CROSS JOIN LATERAL generate_series(1, s.communes) AS i),
zones AS (
    SELECT code, name, row_number() OVER (PARTITION BY code ORDER BY name) AS j,
           count(*) OVER (PARTITION BY code) AS k
      FROM special_zone)
INSERT INTO ag (id, parent_id, name, kind, top_id, depth)
SELECT sl.code || '.X' || pg_temp.pad(sl.i, 3), sl.code,
       coalesce(z.name,
                CASE WHEN pg_temp.u('ward:' || sl.code || ':' || sl.i) < CASE WHEN sl.is_city THEN 0.55 ELSE 0.12 END
                     THEN 'Phường ' ELSE 'Xã ' END
                || po.pair
                || CASE WHEN sl.i > np THEN ' ' || ((sl.i - 1) / np + 1) ELSE '' END),
       'commune', sl.code, 1
  FROM slots sl
 CROSS JOIN npairs
  JOIN pair_order po ON po.code = sl.code AND po.rk = (sl.i - 1) % np + 1
  LEFT JOIN zones z ON z.code = sl.code AND sl.i = sl.communes - z.k + z.j;

-- Ministries and ministry-level bodies (top level).  vol: the order of
-- magnitude of the dossiers they report each month.
CREATE TEMP TABLE ministry (id text, name text, abbr text, vol integer) ON COMMIT DROP;
INSERT INTO ministry VALUES
    ('BQP',     'Bộ Quốc phòng',                               'BQP',     3000),
    ('BCA',     'Bộ Công an',                                  'BCA',     250000),
    ('BNG',     'Bộ Ngoại giao',                               'BNG',     20000),
    ('BNV',     'Bộ Nội vụ',                                   'BNV',     8000),
    ('BTP',     'Bộ Tư pháp',                                  'BTP',     60000),
    ('BTC',     'Bộ Tài chính',                                'BTC',     300000),
    ('BCT',     'Bộ Công Thương',                              'BCT',     90000),
    ('BNNMT',   'Bộ Nông nghiệp và Môi trường',                'BNNMT',   40000),
    ('BXD',     'Bộ Xây dựng',                                 'BXD',     50000),
    ('BVHTTDL', 'Bộ Văn hóa, Thể thao và Du lịch',             'BVHTTDL', 6000),
    ('BKHCN',   'Bộ Khoa học và Công nghệ',                    'BKHCN',   30000),
    ('BGDDT',   'Bộ Giáo dục và Đào tạo',                      'BGDĐT',   5000),
    ('BYT',     'Bộ Y tế',                                     'BYT',     25000),
    ('BDTTG',   'Bộ Dân tộc và Tôn giáo',                      'BDTTG',   800),
    ('NHNN',    'Ngân hàng Nhà nước Việt Nam',                 'NHNN',    15000),
    ('TTCP',    'Thanh tra Chính phủ',                         'TTCP',    1500),
    ('VPCP',    'Văn phòng Chính phủ',                         'VPCP',    600),
    ('BHXH',    'Bảo hiểm xã hội Việt Nam',                    'BHXH',    200000),
    ('VHLKHCN', 'Viện Hàn lâm Khoa học và Công nghệ Việt Nam', 'VHL',     300),
    ('DHQGHN',  'Đại học Quốc gia Hà Nội',                     'ĐHQGHN',  2000);

INSERT INTO ag (id, parent_id, name, kind, top_id, depth)
SELECT id, NULL, name, 'ministry', id, 0 FROM ministry;

-- Their departments (Cục, Vụ, Ban): 2 to 6 each.
INSERT INTO ag (id, parent_id, name, kind, top_id, depth)
SELECT m || '.' || d, m, name, 'department', m, 1
  FROM (VALUES
    ('BQP', 'QL', 'Cục Quân lực'), ('BQP', 'CS', 'Cục Chính sách'),
    ('BQP', 'VP', 'Văn phòng Bộ Quốc phòng'),
    ('BCA', 'C06', 'Cục Cảnh sát quản lý hành chính về trật tự xã hội'),
    ('BCA', 'XNC', 'Cục Quản lý xuất nhập cảnh'),
    ('BCA', 'CSGT', 'Cục Cảnh sát giao thông'),
    ('BCA', 'PCCC', 'Cục Cảnh sát phòng cháy, chữa cháy và cứu nạn, cứu hộ'),
    ('BCA', 'VP', 'Văn phòng Bộ Công an'),
    ('BNG', 'LS', 'Cục Lãnh sự'), ('BNG', 'LT', 'Cục Lễ tân Nhà nước'),
    ('BNG', 'NVNONN', 'Ủy ban Nhà nước về người Việt Nam ở nước ngoài'),
    ('BNV', 'TCPCP', 'Vụ Tổ chức phi chính phủ'), ('BNV', 'VL', 'Cục Việc làm'),
    ('BNV', 'NCC', 'Cục Người có công'), ('BNV', 'TDKT', 'Ban Thi đua - Khen thưởng Trung ương'),
    ('BNV', 'VTLT', 'Cục Văn thư và Lưu trữ nhà nước'),
    ('BTP', 'HT', 'Cục Hộ tịch, quốc tịch, chứng thực'), ('BTP', 'BTTP', 'Cục Bổ trợ tư pháp'),
    ('BTP', 'DKGDBD', 'Cục Đăng ký quốc gia giao dịch bảo đảm'),
    ('BTP', 'LLTP', 'Trung tâm Lý lịch tư pháp quốc gia'),
    ('BTC', 'CT', 'Cục Thuế'), ('BTC', 'HQ', 'Cục Hải quan'), ('BTC', 'KBNN', 'Kho bạc Nhà nước'),
    ('BTC', 'DN', 'Cục Phát triển doanh nghiệp tư nhân và kinh tế tập thể'),
    ('BTC', 'DTNN', 'Cục Đầu tư nước ngoài'), ('BTC', 'QLCS', 'Cục Quản lý công sản'),
    ('BCT', 'XNK', 'Cục Xuất nhập khẩu'), ('BCT', 'DL', 'Cục Điện lực'),
    ('BCT', 'HC', 'Cục Hóa chất'), ('BCT', 'TMDT', 'Cục Thương mại điện tử và Kinh tế số'),
    ('BNNMT', 'QLDD', 'Cục Quản lý đất đai'), ('BNNMT', 'MT', 'Cục Môi trường'),
    ('BNNMT', 'TNN', 'Cục Quản lý tài nguyên nước'),
    ('BNNMT', 'DCKS', 'Cục Địa chất và Khoáng sản Việt Nam'),
    ('BNNMT', 'CNTY', 'Cục Chăn nuôi và Thú y'),
    ('BNNMT', 'TTBVTV', 'Cục Trồng trọt và Bảo vệ thực vật'),
    ('BXD', 'HDXD', 'Cục Kinh tế - Quản lý hoạt động xây dựng'),
    ('BXD', 'NO', 'Cục Quản lý nhà và thị trường bất động sản'),
    ('BXD', 'DB', 'Cục Đường bộ Việt Nam'), ('BXD', 'HH', 'Cục Hàng hải và Đường thủy Việt Nam'),
    ('BXD', 'HK', 'Cục Hàng không Việt Nam'), ('BXD', 'DK', 'Cục Đăng kiểm Việt Nam'),
    ('BVHTTDL', 'DSVH', 'Cục Di sản văn hóa'), ('BVHTTDL', 'DL', 'Cục Du lịch Quốc gia Việt Nam'),
    ('BVHTTDL', 'BC', 'Cục Báo chí'), ('BVHTTDL', 'BQ', 'Cục Bản quyền tác giả'),
    ('BVHTTDL', 'XB', 'Cục Xuất bản, In và Phát hành'),
    ('BKHCN', 'SHTT', 'Cục Sở hữu trí tuệ'), ('BKHCN', 'ATBX', 'Cục An toàn bức xạ và hạt nhân'),
    ('BKHCN', 'TCDL', 'Ủy ban Tiêu chuẩn Đo lường Chất lượng quốc gia'),
    ('BKHCN', 'TS', 'Cục Tần số vô tuyến điện'), ('BKHCN', 'VT', 'Cục Viễn thông'),
    ('BGDDT', 'QLCL', 'Cục Quản lý chất lượng'),
    ('BGDDT', 'GDNN', 'Cục Giáo dục nghề nghiệp và Giáo dục thường xuyên'),
    ('BGDDT', 'HTQT', 'Cục Hợp tác quốc tế'),
    ('BYT', 'KCB', 'Cục Quản lý Khám, chữa bệnh'), ('BYT', 'QLD', 'Cục Quản lý Dược'),
    ('BYT', 'ATTP', 'Cục An toàn thực phẩm'), ('BYT', 'TTBYT', 'Cục Hạ tầng và Thiết bị y tế'),
    ('BYT', 'BTXH', 'Cục Bảo trợ xã hội'),
    ('BDTTG', 'TG', 'Ban Tôn giáo Chính phủ'), ('BDTTG', 'DT', 'Vụ Chính sách dân tộc'),
    ('NHNN', 'QLNH', 'Vụ Quản lý ngoại hối'), ('NHNN', 'TT', 'Vụ Thanh toán'),
    ('NHNN', 'GSNH', 'Cục Quản lý, giám sát tổ chức tín dụng'), ('NHNN', 'VP', 'Văn phòng'),
    ('TTCP', 'TCD', 'Cục Giải quyết khiếu nại, tố cáo và Tiếp công dân'),
    ('TTCP', 'PCTN', 'Cục Phòng, chống tham nhũng'),
    ('VPCP', 'KSTT', 'Cục Kiểm soát thủ tục hành chính'), ('VPCP', 'PL', 'Vụ Pháp luật'),
    ('BHXH', 'BT', 'Ban Thu'), ('BHXH', 'CS', 'Ban Thực hiện chính sách bảo hiểm xã hội'),
    ('BHXH', 'YT', 'Ban Thực hiện chính sách bảo hiểm y tế'),
    ('VHLKHCN', 'UD', 'Ban Ứng dụng và Triển khai công nghệ'),
    ('VHLKHCN', 'KHTC', 'Ban Kế hoạch - Tài chính'),
    ('DHQGHN', 'DT', 'Ban Đào tạo'), ('DHQGHN', 'KHCN', 'Ban Khoa học Công nghệ')
  ) AS d(m, d, name);

-- Vertical-sector offices (kind unit), per province or per region.
CREATE TEMP TABLE roman (n integer, r text) ON COMMIT DROP;
INSERT INTO roman
SELECT n, (ARRAY['I','II','III','IV','V','VI','VII','VIII','IX','X','XI','XII','XIII','XIV','XV',
                 'XVI','XVII','XVIII','XIX','XX'])[n]
  FROM generate_series(1, 20) AS n;

INSERT INTO ag (id, parent_id, name, kind, top_id, depth)
SELECT 'BCA.' || code, 'BCA', 'Công an ' || locality, 'unit', 'BCA', 1 FROM prov
UNION ALL
SELECT 'BHXH.' || code, 'BHXH', 'Bảo hiểm xã hội ' || locality, 'unit', 'BHXH', 1 FROM prov
UNION ALL
SELECT 'BTC.CT.' || code, 'BTC.CT',
       'Thuế ' || CASE WHEN is_city AND short_name <> 'Hồ Chí Minh' THEN 'thành phố ' || short_name ELSE locality END,
       'unit', 'BTC', 2 FROM prov
UNION ALL
SELECT 'BTC.KBNN.KV' || pg_temp.pad(n, 2), 'BTC.KBNN', 'Kho bạc Nhà nước khu vực ' || r, 'unit', 'BTC', 2 FROM roman
UNION ALL
SELECT 'BTC.HQ.KV' || pg_temp.pad(n, 2), 'BTC.HQ', 'Chi cục Hải quan khu vực ' || r, 'unit', 'BTC', 2 FROM roman
UNION ALL
SELECT 'NHNN.KV' || pg_temp.pad(n, 2), 'NHNN', 'Ngân hàng Nhà nước khu vực ' || n, 'unit', 'NHNN', 1
  FROM generate_series(1, 15) AS n;

ANALYZE ag;
INSERT INTO tthc.agency (id, parent_id, name, kind)
SELECT id, parent_id, name, kind FROM ag ORDER BY depth, id;

-- ---------------------------------------------------------------------------
-- Procedures.
--
-- sec: per sector, its weight (procedures at scale 1), the share handled at
-- commune / province level (the rest: central), the provincial departments
-- that handle it (first one present), whether industrial-zone boards handle
-- it too, the central departments that may handle it, and a vertical
-- office network (with the share of central procedures it handles).
-- ---------------------------------------------------------------------------
CREATE TEMP TABLE sec (
    sector text PRIMARY KEY, weight integer, p_commune numeric, p_province numeric,
    dept_pref text[], zones boolean, central text[], vertical text, p_vertical numeric,
    universal boolean   -- every commune handles its commune-level procedures
) ON COMMIT DROP;
INSERT INTO sec VALUES
    ('Hộ tịch',               25, 0.75, 0.15, '{TP}',       false, '{BTP.HT,BNG.LS}',                          NULL,       0,    true),
    ('Chứng thực',            12, 0.70, 0.20, '{TP}',       false, '{BTP.HT,BNG.LS}',                          NULL,       0,    true),
    ('Đất đai',               40, 0.45, 0.50, '{NNMT}',     false, '{BNNMT.QLDD}',                             NULL,       0,    false),
    ('Xây dựng',              35, 0.25, 0.65, '{XD}',       true,  '{BXD.HDXD,BXD.NO}',                        NULL,       0,    false),
    ('Đăng ký kinh doanh',    30, 0.30, 0.65, '{TC}',       false, '{BTC.DN}',                                 NULL,       0,    false),
    ('Đầu tư',                25, 0,    0.80, '{TC}',       true,  '{BTC.DTNN}',                               NULL,       0,    false),
    ('Tư pháp',               25, 0.10, 0.70, '{TP}',       false, '{BTP.BTTP,BTP.HT,BTP.DKGDBD,BTP.LLTP}',    NULL,       0,    false),
    ('Giáo dục',              35, 0.30, 0.60, '{GDDT}',     false, '{BGDDT.QLCL,BGDDT.GDNN,BGDDT.HTQT,DHQGHN.DT}', NULL,   0,    false),
    ('Y tế',                  45, 0.10, 0.70, '{YT}',       false, '{BYT.KCB,BYT.QLD,BYT.ATTP,BYT.TTBYT}',     NULL,       0,    false),
    ('Lao động',              25, 0.15, 0.70, '{NV}',       true,  '{BNV.VL}',                                 NULL,       0,    false),
    ('Bảo trợ xã hội',        20, 0.65, 0.30, '{YT}',       false, '{BYT.BTXH}',                               NULL,       0,    false),
    ('Người có công',         15, 0.35, 0.60, '{NV}',       false, '{BNV.NCC}',                                NULL,       0,    false),
    ('Giao thông vận tải',    40, 0.10, 0.70, '{XD}',       false, '{BXD.DB,BXD.HH,BXD.HK,BXD.DK}',            NULL,       0,    false),
    ('Tài chính',             15, 0.10, 0.50, '{TC}',       false, '{BTC.QLCS}',                               'BTC.KBNN', 0.5,  false),
    ('Thuế',                  30, 0,    0,    '{TC}',       false, '{BTC.CT}',                                 'BTC.CT',   0.9,  false),
    ('Hải quan',              25, 0,    0,    '{TC}',       false, '{BTC.HQ}',                                 'BTC.HQ',   0.85, false),
    ('Cư trú',                10, 0,    0,    '{VP}',       false, '{BCA.C06}',                                'BCA',      0.9,  false),
    ('Căn cước',               6, 0,    0,    '{VP}',       false, '{BCA.C06}',                                'BCA',      0.9,  false),
    ('Xuất nhập cảnh',        12, 0,    0,    '{VP}',       false, '{BCA.XNC,BNG.LS}',                         'BCA',      0.6,  false),
    ('Phòng cháy, chữa cháy',  8, 0,    0,    '{VP}',       false, '{BCA.PCCC}',                               'BCA',      0.8,  false),
    ('Văn hóa',               25, 0.30, 0.55, '{VHTTDL}',   false, '{BVHTTDL.DSVH,BVHTTDL.BC,BVHTTDL.BQ,BVHTTDL.XB}', NULL, 0,   false),
    ('Du lịch',               15, 0,    0.85, '{DL,VHTTDL}', false, '{BVHTTDL.DL}',                            NULL,       0,    false),
    ('Môi trường',            25, 0.10, 0.70, '{NNMT}',     true,  '{BNNMT.MT,BNNMT.TNN,BNNMT.DCKS}',          NULL,       0,    false),
    ('Nông nghiệp',           35, 0.25, 0.60, '{NNMT}',     false, '{BNNMT.CNTY,BNNMT.TTBVTV}',                NULL,       0,    false),
    ('Công Thương',           35, 0.15, 0.65, '{CT}',       true,  '{BCT.XNK,BCT.DL,BCT.HC,BCT.TMDT}',         NULL,       0,    false),
    ('Ngân hàng',             20, 0,    0,    '{TC}',       false, '{NHNN.QLNH,NHNN.TT,NHNN.GSNH}',            'NHNN',     0.5,  false),
    ('Bảo hiểm xã hội',       20, 0,    0,    '{NV}',       false, '{BHXH.BT,BHXH.CS,BHXH.YT}',                'BHXH',     0.9,  false),
    ('Khoa học công nghệ',    25, 0,    0.65, '{KHCN}',     false, '{BKHCN.SHTT,BKHCN.ATBX,BKHCN.TCDL,BKHCN.TS,BKHCN.VT,VHLKHCN.UD}', NULL, 0, false),
    ('Nội vụ',                15, 0.20, 0.70, '{NV}',       false, '{BNV.TCPCP,BNV.TDKT,BNV.VTLT}',            NULL,       0,    false),
    ('Dân tộc và Tôn giáo',   10, 0.40, 0.50, '{DTTG,NV}',  false, '{BDTTG.TG,BDTTG.DT}',                      NULL,       0,    false),
    ('Ngoại vụ',               8, 0,    0.50, '{NGV,VP}',   false, '{BNG.LS,BNG.LT,BNG.NVNONN}',               NULL,       0,    false),
    ('Thanh tra',              8, 0.30, 0.40, '{TTR}',      false, '{TTCP.TCD,TTCP.PCTN,VPCP.KSTT}',           NULL,       0,    false),
    ('Quốc phòng',             8, 0.50, 0,    '{VP}',       false, '{BQP.QL,BQP.CS}',                          NULL,       0,    false);

-- Time limits and flags per sector.  Working days tmin..tmax in steps of
-- step; else, with the given shares, hours (hmin..hmax), calendar days
-- (about 1.4 x the working days), whole months (mmin..mmax) or no limit.
CREATE TEMP TABLE sec_time (
    sector text PRIMARY KEY, tmin numeric, tmax numeric, step numeric,
    p_hour numeric, hmin integer, hmax integer, p_day numeric,
    p_month numeric, mmin integer, mmax integer, p_null numeric,
    p_fee numeric, p_citizen numeric
) ON COMMIT DROP;
INSERT INTO sec_time VALUES
    ('Hộ tịch',                1,   5, 1,   0,    0, 0, 0,    0,    0, 0,  0,    0.45, 0.98),
    ('Chứng thực',           0.5,   1, 0.5, 0.5,  4, 8, 0,    0,    0, 0,  0,    0.95, 0.95),
    ('Đất đai',               10,  30, 1,   0,    0, 0, 0.15, 0,    0, 0,  0.02, 0.75, 0.85),
    ('Xây dựng',              15,  20, 1,   0,    0, 0, 0.3,  0,    0, 0,  0,    0.7,  0.65),
    ('Đăng ký kinh doanh',     3,   5, 1,   0,    0, 0, 0,    0,    0, 0,  0,    0.8,  0.5),
    ('Đầu tư',                10,  30, 1,   0,    0, 0, 0.2,  0.1,  1, 3,  0,    0.4,  0.15),
    ('Tư pháp',                5,  20, 1,   0,    0, 0, 0.1,  0.15, 1, 3,  0.05, 0.65, 0.8),
    ('Giáo dục',               5,  20, 1,   0,    0, 0, 0.1,  0,    0, 0,  0.03, 0.35, 0.75),
    ('Y tế',                   5,  30, 1,   0,    0, 0, 0.1,  0.05, 1, 3,  0,    0.75, 0.65),
    ('Lao động',               3,  15, 1,   0,    0, 0, 0.1,  0,    0, 0,  0,    0.35, 0.75),
    ('Bảo trợ xã hội',         5,  20, 1,   0,    0, 0, 0,    0,    0, 0,  0,    0.05, 0.98),
    ('Người có công',         10,  30, 1,   0,    0, 0, 0.1,  0.1,  1, 2,  0.03, 0.02, 1),
    ('Giao thông vận tải',     3,  20, 1,   0,    0, 0, 0.2,  0,    0, 0,  0,    0.85, 0.7),
    ('Tài chính',              5,  20, 1,   0,    0, 0, 0,    0,    0, 0,  0.05, 0.3,  0.1),
    ('Thuế',                   3,  10, 1,   0,    0, 0, 0,    0,    0, 0,  0.2,  0.1,  0.6),
    ('Hải quan',               1,   5, 1,   0.3,  2, 8, 0,    0,    0, 0,  0.05, 0.6,  0.2),
    ('Cư trú',                 1,   7, 1,   0,    0, 0, 0,    0,    0, 0,  0,    0.5,  1),
    ('Căn cước',               5,   7, 1,   0,    0, 0, 0,    0,    0, 0,  0,    0.6,  1),
    ('Xuất nhập cảnh',         5,   8, 1,   0,    0, 0, 0,    0,    0, 0,  0,    0.95, 0.7),
    ('Phòng cháy, chữa cháy',  5,  15, 1,   0,    0, 0, 0,    0,    0, 0,  0,    0.7,  0.15),
    ('Văn hóa',                5,  15, 1,   0,    0, 0, 0.1,  0,    0, 0,  0,    0.6,  0.7),
    ('Du lịch',               10,  30, 1,   0,    0, 0, 0.1,  0,    0, 0,  0,    0.85, 0.3),
    ('Môi trường',            10,  30, 1,   0,    0, 0, 0.2,  0.1,  1, 3,  0,    0.8,  0.35),
    ('Nông nghiệp',            5,  20, 1,   0,    0, 0, 0.1,  0,    0, 0,  0.02, 0.6,  0.75),
    ('Công Thương',            5,  15, 1,   0,    0, 0, 0,    0,    0, 0,  0,    0.85, 0.4),
    ('Ngân hàng',              5,  30, 1,   0,    0, 0, 0.3,  0,    0, 0,  0,    0.3,  0.15),
    ('Bảo hiểm xã hội',        3,  20, 1,   0,    0, 0, 0,    0,    0, 0,  0,    0.02, 0.95),
    ('Khoa học công nghệ',     5,  30, 1,   0,    0, 0, 0.15, 0.15, 1, 6,  0,    0.8,  0.45),
    ('Nội vụ',                10,  30, 1,   0,    0, 0, 0,    0,    0, 0,  0.05, 0.15, 0.5),
    ('Dân tộc và Tôn giáo',    5,  30, 1,   0,    0, 0, 0.3,  0,    0, 0,  0,    0.02, 0.6),
    ('Ngoại vụ',               3,  15, 1,   0,    0, 0, 0,    0,    0, 0,  0,    0.5,  0.4),
    ('Thanh tra',             10,  30, 1,   0,    0, 0, 0.5,  0,    0, 0,  0.1,  0.02, 0.9),
    ('Quốc phòng',             1,  10, 1,   0,    0, 0, 0,    0,    0, 0,  0,    0.02, 1);

-- Actions that combine with an object of their group ('' = the object is
-- the whole name).
CREATE TEMP TABLE act (grp text, action text) ON COMMIT DROP;
INSERT INTO act VALUES
    ('x', ''),
    ('hotich', 'Đăng ký'), ('hotich', 'Đăng ký lại'),
    ('giamho', 'Đăng ký'), ('giamho', 'Đăng ký chấm dứt'),
    ('ct', 'Chứng thực'),
    ('gp', 'Cấp'), ('gp', 'Cấp lại'), ('gp', 'Điều chỉnh'), ('gp', 'Gia hạn'),
    ('gps', 'Cấp'), ('gps', 'Cấp lại'), ('gps', 'Cấp sửa đổi, bổ sung'),
    ('gcn', 'Cấp'), ('gcn', 'Cấp lại'), ('gcn', 'Cấp đổi'),
    ('cchn', 'Cấp'), ('cchn', 'Cấp lại'), ('cchn', 'Thu hồi'),
    ('td', 'Thẩm định'), ('td', 'Thẩm định điều chỉnh'),
    ('dn', 'Đăng ký thành lập'), ('dn', 'Đăng ký thay đổi nội dung đăng ký'),
    ('dn', 'Thông báo tạm ngừng kinh doanh đối với'), ('dn', 'Chấm dứt hoạt động'),
    ('hd', 'Đăng ký hoạt động'), ('hd', 'Thay đổi nội dung đăng ký hoạt động'), ('hd', 'Chấm dứt hoạt động'),
    ('tl', 'Cho phép thành lập'), ('tl', 'Cho phép hoạt động giáo dục đối với'),
    ('tl', 'Sáp nhập, chia, tách'), ('tl', 'Giải thể'),
    ('cn', 'Công nhận'), ('cn', 'Công nhận lại'),
    ('dt', 'Cấp'), ('dt', 'Cấp lại'), ('dt', 'Điều chỉnh'), ('dt', 'Hiệu đính thông tin trên'),
    ('cd', 'Chấp thuận'), ('cd', 'Điều chỉnh'),
    ('hc', 'Cấp'), ('hc', 'Cấp lại');

CREATE TEMP TABLE obj (sector text, grp text, object text) ON COMMIT DROP;
INSERT INTO obj VALUES
    -- Hộ tịch
    ('Hộ tịch', 'hotich', 'khai sinh'), ('Hộ tịch', 'hotich', 'kết hôn'), ('Hộ tịch', 'hotich', 'khai tử'),
    ('Hộ tịch', 'hotich', 'khai sinh có yếu tố nước ngoài'), ('Hộ tịch', 'hotich', 'kết hôn có yếu tố nước ngoài'),
    ('Hộ tịch', 'hotich', 'khai tử có yếu tố nước ngoài'), ('Hộ tịch', 'hotich', 'nhận cha, mẹ, con'),
    ('Hộ tịch', 'hotich', 'nhận cha, mẹ, con có yếu tố nước ngoài'),
    ('Hộ tịch', 'giamho', 'giám hộ'), ('Hộ tịch', 'giamho', 'giám hộ có yếu tố nước ngoài'),
    ('Hộ tịch', 'x', 'Cấp bản sao trích lục hộ tịch'),
    ('Hộ tịch', 'x', 'Cấp giấy xác nhận tình trạng hôn nhân'),
    ('Hộ tịch', 'x', 'Thay đổi, cải chính, bổ sung thông tin hộ tịch'),
    ('Hộ tịch', 'x', 'Thay đổi, cải chính, bổ sung thông tin hộ tịch có yếu tố nước ngoài'),
    ('Hộ tịch', 'x', 'Xác định lại dân tộc'),
    ('Hộ tịch', 'x', 'Đăng ký khai sinh kết hợp nhận cha, mẹ, con'),
    ('Hộ tịch', 'x', 'Ghi vào Sổ hộ tịch việc hộ tịch của công dân Việt Nam đã được giải quyết tại cơ quan có thẩm quyền của nước ngoài'),
    ('Hộ tịch', 'x', 'Ghi vào Sổ hộ tịch việc ly hôn, hủy việc kết hôn đã được giải quyết tại cơ quan có thẩm quyền của nước ngoài'),
    ('Hộ tịch', 'x', 'Liên thông thủ tục hành chính về đăng ký khai sinh, đăng ký thường trú, cấp thẻ bảo hiểm y tế cho trẻ em dưới 6 tuổi'),
    ('Hộ tịch', 'x', 'Liên thông thủ tục hành chính về đăng ký khai tử, xóa đăng ký thường trú, hưởng chế độ tử tuất'),
    -- Chứng thực
    ('Chứng thực', 'ct', 'bản sao từ bản chính giấy tờ, văn bản do cơ quan, tổ chức có thẩm quyền của Việt Nam cấp hoặc chứng nhận'),
    ('Chứng thực', 'ct', 'bản sao từ bản chính giấy tờ, văn bản do cơ quan, tổ chức có thẩm quyền của nước ngoài cấp hoặc chứng nhận'),
    ('Chứng thực', 'ct', 'chữ ký trong các giấy tờ, văn bản'),
    ('Chứng thực', 'ct', 'chữ ký người dịch mà người dịch là cộng tác viên dịch thuật'),
    ('Chứng thực', 'ct', 'hợp đồng, giao dịch liên quan đến tài sản là động sản'),
    ('Chứng thực', 'ct', 'hợp đồng, giao dịch liên quan đến thực hiện các quyền của người sử dụng đất'),
    ('Chứng thực', 'ct', 'hợp đồng, giao dịch về nhà ở'),
    ('Chứng thực', 'ct', 'di chúc'),
    ('Chứng thực', 'ct', 'văn bản từ chối nhận di sản'),
    ('Chứng thực', 'ct', 'văn bản thỏa thuận phân chia di sản'),
    ('Chứng thực', 'ct', 'việc sửa đổi, bổ sung, hủy bỏ hợp đồng, giao dịch'),
    ('Chứng thực', 'x', 'Cấp bản sao có chứng thực từ bản chính hợp đồng, giao dịch đã được chứng thực'),
    ('Chứng thực', 'x', 'Sửa lỗi sai sót trong hợp đồng, giao dịch'),
    ('Chứng thực', 'x', 'Cấp bản sao từ sổ gốc'),
    -- Đất đai
    ('Đất đai', 'gcn', 'giấy chứng nhận quyền sử dụng đất, quyền sở hữu tài sản gắn liền với đất'),
    ('Đất đai', 'x', 'Đính chính giấy chứng nhận quyền sử dụng đất, quyền sở hữu tài sản gắn liền với đất đã cấp'),
    ('Đất đai', 'x', 'Đăng ký thế chấp quyền sử dụng đất, tài sản gắn liền với đất'),
    ('Đất đai', 'x', 'Xóa đăng ký thế chấp quyền sử dụng đất, tài sản gắn liền với đất'),
    ('Đất đai', 'x', 'Đăng ký biến động quyền sử dụng đất, quyền sở hữu tài sản gắn liền với đất'),
    ('Đất đai', 'x', 'Đăng ký đất đai, tài sản gắn liền với đất lần đầu'),
    ('Đất đai', 'x', 'Giải quyết tranh chấp đất đai'),
    ('Đất đai', 'x', 'Hòa giải tranh chấp đất đai'),
    ('Đất đai', 'x', 'Giao đất, cho thuê đất không thông qua đấu giá quyền sử dụng đất'),
    ('Đất đai', 'x', 'Giao đất, cho thuê đất thông qua đấu giá quyền sử dụng đất'),
    ('Đất đai', 'x', 'Chuyển mục đích sử dụng đất'),
    ('Đất đai', 'x', 'Đăng ký chuyển mục đích sử dụng đất không phải xin phép'),
    ('Đất đai', 'x', 'Thu hồi đất vì mục đích quốc phòng, an ninh'),
    ('Đất đai', 'x', 'Gia hạn sử dụng đất'),
    ('Đất đai', 'x', 'Gia hạn thời hạn sử dụng đất nông nghiệp'),
    ('Đất đai', 'x', 'Tách thửa hoặc hợp thửa đất'),
    ('Đất đai', 'x', 'Chuyển đổi quyền sử dụng đất nông nghiệp của hộ gia đình, cá nhân'),
    ('Đất đai', 'x', 'Chuyển nhượng, tặng cho, thừa kế quyền sử dụng đất'),
    ('Đất đai', 'x', 'Cung cấp thông tin, dữ liệu đất đai'),
    ('Đất đai', 'x', 'Trích lục bản đồ địa chính'),
    ('Đất đai', 'x', 'Xác định lại diện tích đất ở'),
    ('Đất đai', 'x', 'Điều chỉnh quyết định thu hồi đất, giao đất, cho thuê đất'),
    ('Đất đai', 'x', 'Đăng ký đất đai đối với trường hợp được Nhà nước giao đất để quản lý'),
    ('Đất đai', 'x', 'Thẩm định nhu cầu sử dụng đất'),
    ('Đất đai', 'x', 'Thẩm định phương án sử dụng đất'),
    ('Đất đai', 'x', 'Xóa ghi nợ tiền sử dụng đất'),
    ('Đất đai', 'x', 'Chuyển hình thức giao đất, cho thuê đất'),
    ('Đất đai', 'x', 'Bán hoặc góp vốn bằng tài sản gắn liền với đất thuê của Nhà nước'),
    ('Đất đai', 'x', 'Xác nhận tiếp tục sử dụng đất nông nghiệp'),
    ('Đất đai', 'x', 'Thu hồi giấy chứng nhận đã cấp không đúng quy định'),
    ('Đất đai', 'x', 'Đăng ký xác lập quyền sử dụng hạn chế thửa đất liền kề'),
    ('Đất đai', 'x', 'Đăng ký bổ sung tài sản gắn liền với đất vào giấy chứng nhận đã cấp'),
    ('Đất đai', 'x', 'Cấp giấy chứng nhận đối với trường hợp chuyển nhượng dự án bất động sản'),
    ('Đất đai', 'x', 'Phê duyệt phương án bồi thường, hỗ trợ, tái định cư'),
    ('Đất đai', 'x', 'Công nhận quyền sử dụng đất cho hộ gia đình, cá nhân đang sử dụng đất ổn định'),
    ('Đất đai', 'x', 'Đăng ký quyền sử dụng đất, quyền sở hữu tài sản gắn liền với đất cho người nhận chuyển nhượng'),
    ('Đất đai', 'x', 'Xác định giá đất cụ thể'),
    ('Đất đai', 'x', 'Đăng ký cho thuê, cho thuê lại quyền sử dụng đất'),
    ('Đất đai', 'x', 'Đăng ký góp vốn bằng quyền sử dụng đất'),
    -- Xây dựng
    ('Xây dựng', 'gp', 'giấy phép xây dựng mới đối với công trình cấp đặc biệt, cấp I, cấp II'),
    ('Xây dựng', 'gp', 'giấy phép xây dựng đối với nhà ở riêng lẻ'),
    ('Xây dựng', 'gp', 'giấy phép sửa chữa, cải tạo công trình'),
    ('Xây dựng', 'gp', 'giấy phép di dời công trình'),
    ('Xây dựng', 'gp', 'giấy phép xây dựng có thời hạn'),
    ('Xây dựng', 'cchn', 'chứng chỉ hành nghề hoạt động xây dựng hạng II, hạng III'),
    ('Xây dựng', 'cchn', 'chứng chỉ năng lực hoạt động xây dựng hạng II, hạng III'),
    ('Xây dựng', 'td', 'báo cáo nghiên cứu khả thi đầu tư xây dựng'),
    ('Xây dựng', 'td', 'thiết kế xây dựng triển khai sau thiết kế cơ sở'),
    ('Xây dựng', 'td', 'nhiệm vụ quy hoạch chi tiết xây dựng'),
    ('Xây dựng', 'td', 'đồ án quy hoạch chi tiết xây dựng'),
    ('Xây dựng', 'x', 'Kiểm tra công tác nghiệm thu hoàn thành công trình xây dựng'),
    ('Xây dựng', 'x', 'Cho ý kiến về kết quả đánh giá an toàn công trình'),
    ('Xây dựng', 'x', 'Cung cấp thông tin về quy hoạch xây dựng'),
    ('Xây dựng', 'x', 'Thông báo khởi công xây dựng công trình'),
    ('Xây dựng', 'x', 'Cấp giấy phép hoạt động xây dựng cho nhà thầu nước ngoài'),
    ('Xây dựng', 'x', 'Công nhận hạng nhà chung cư'),
    ('Xây dựng', 'x', 'Thông báo nhà ở hình thành trong tương lai đủ điều kiện được bán, cho thuê mua'),
    ('Xây dựng', 'x', 'Chấp thuận chủ trương đầu tư dự án nhà ở xã hội'),
    ('Xây dựng', 'x', 'Xét duyệt đối tượng được mua, thuê mua nhà ở xã hội'),
    ('Xây dựng', 'x', 'Cấp chứng chỉ hành nghề môi giới bất động sản'),
    -- Đăng ký kinh doanh
    ('Đăng ký kinh doanh', 'dn', 'doanh nghiệp tư nhân'),
    ('Đăng ký kinh doanh', 'dn', 'công ty trách nhiệm hữu hạn một thành viên'),
    ('Đăng ký kinh doanh', 'dn', 'công ty trách nhiệm hữu hạn hai thành viên trở lên'),
    ('Đăng ký kinh doanh', 'dn', 'công ty cổ phần'),
    ('Đăng ký kinh doanh', 'dn', 'công ty hợp danh'),
    ('Đăng ký kinh doanh', 'dn', 'hộ kinh doanh'),
    ('Đăng ký kinh doanh', 'dn', 'hợp tác xã'),
    ('Đăng ký kinh doanh', 'dn', 'chi nhánh, văn phòng đại diện, địa điểm kinh doanh'),
    ('Đăng ký kinh doanh', 'x', 'Cấp lại giấy chứng nhận đăng ký doanh nghiệp'),
    ('Đăng ký kinh doanh', 'x', 'Hiệu đính thông tin đăng ký doanh nghiệp'),
    ('Đăng ký kinh doanh', 'x', 'Chuyển đổi hộ kinh doanh thành doanh nghiệp'),
    ('Đăng ký kinh doanh', 'x', 'Thông báo thay đổi chủ sở hữu hưởng lợi của doanh nghiệp'),
    -- Đầu tư
    ('Đầu tư', 'cd', 'chủ trương đầu tư dự án thuộc thẩm quyền của Ủy ban nhân dân cấp tỉnh'),
    ('Đầu tư', 'cd', 'chủ trương đầu tư dự án thuộc thẩm quyền của Thủ tướng Chính phủ'),
    ('Đầu tư', 'cd', 'chủ trương đầu tư đồng thời với chấp thuận nhà đầu tư'),
    ('Đầu tư', 'dt', 'giấy chứng nhận đăng ký đầu tư'),
    ('Đầu tư', 'x', 'Gia hạn thời hạn hoạt động của dự án đầu tư'),
    ('Đầu tư', 'x', 'Chuyển nhượng dự án đầu tư'),
    ('Đầu tư', 'x', 'Ngừng hoạt động của dự án đầu tư'),
    ('Đầu tư', 'x', 'Chấm dứt hoạt động của dự án đầu tư'),
    ('Đầu tư', 'x', 'Thành lập văn phòng điều hành của nhà đầu tư nước ngoài trong hợp đồng BCC'),
    ('Đầu tư', 'x', 'Góp vốn, mua cổ phần, mua phần vốn góp của nhà đầu tư nước ngoài'),
    ('Đầu tư', 'x', 'Cung cấp thông tin về dự án đầu tư'),
    ('Đầu tư', 'x', 'Bảo đảm đầu tư trong trường hợp không được tiếp tục áp dụng ưu đãi đầu tư'),
    ('Đầu tư', 'x', 'Cấp giấy chứng nhận đăng ký đầu tư ra nước ngoài'),
    ('Đầu tư', 'x', 'Giãn tiến độ đầu tư'),
    ('Đầu tư', 'x', 'Lựa chọn nhà đầu tư thực hiện dự án đầu tư có sử dụng đất'),
    ('Đầu tư', 'x', 'Điều chỉnh dự án đầu tư khi nhà đầu tư chia, tách, sáp nhập'),
    ('Đầu tư', 'x', 'Đổi giấy chứng nhận đăng ký đầu tư cho dự án hoạt động theo giấy phép đầu tư'),
    ('Đầu tư', 'x', 'Đề nghị áp dụng ưu đãi đầu tư đặc biệt'),
    -- Tư pháp
    ('Tư pháp', 'cchn', 'chứng chỉ hành nghề luật sư'),
    ('Tư pháp', 'cchn', 'chứng chỉ hành nghề đấu giá'),
    ('Tư pháp', 'cchn', 'thẻ công chứng viên'),
    ('Tư pháp', 'hd', 'văn phòng công chứng'),
    ('Tư pháp', 'hd', 'tổ chức hành nghề luật sư'),
    ('Tư pháp', 'hd', 'văn phòng thừa phát lại'),
    ('Tư pháp', 'hd', 'trung tâm trọng tài'),
    ('Tư pháp', 'hd', 'doanh nghiệp đấu giá tài sản'),
    ('Tư pháp', 'hd', 'trung tâm hòa giải thương mại'),
    ('Tư pháp', 'x', 'Cấp phiếu lý lịch tư pháp cho công dân Việt Nam, người nước ngoài đang cư trú tại Việt Nam'),
    ('Tư pháp', 'x', 'Cấp phiếu lý lịch tư pháp cho cơ quan tiến hành tố tụng'),
    ('Tư pháp', 'x', 'Giải quyết yêu cầu bồi thường tại cơ quan trực tiếp quản lý người thi hành công vụ gây thiệt hại'),
    ('Tư pháp', 'x', 'Nhập quốc tịch Việt Nam'),
    ('Tư pháp', 'x', 'Trở lại quốc tịch Việt Nam'),
    ('Tư pháp', 'x', 'Thôi quốc tịch Việt Nam'),
    ('Tư pháp', 'x', 'Xác nhận có quốc tịch Việt Nam'),
    ('Tư pháp', 'x', 'Thực hiện trợ giúp pháp lý'),
    ('Tư pháp', 'x', 'Công nhận báo cáo viên pháp luật'),
    ('Tư pháp', 'x', 'Công nhận tuyên truyền viên pháp luật'),
    ('Tư pháp', 'x', 'Thực hiện hỗ trợ khi hòa giải viên gặp tai nạn hoặc rủi ro'),
    ('Tư pháp', 'x', 'Bổ nhiệm giám định viên tư pháp'),
    ('Tư pháp', 'x', 'Đăng ký biện pháp bảo đảm bằng động sản'),
    -- Giáo dục
    ('Giáo dục', 'tl', 'trường mầm non'), ('Giáo dục', 'tl', 'trường tiểu học'),
    ('Giáo dục', 'tl', 'trường trung học cơ sở'), ('Giáo dục', 'tl', 'trường trung học phổ thông'),
    ('Giáo dục', 'tl', 'trung tâm ngoại ngữ, tin học'),
    ('Giáo dục', 'cn', 'trường mầm non đạt chuẩn quốc gia'),
    ('Giáo dục', 'cn', 'trường tiểu học đạt chuẩn quốc gia'),
    ('Giáo dục', 'cn', 'trường trung học đạt chuẩn quốc gia'),
    ('Giáo dục', 'x', 'Cấp bản sao văn bằng, chứng chỉ từ sổ gốc'),
    ('Giáo dục', 'x', 'Chỉnh sửa nội dung văn bằng, chứng chỉ'),
    ('Giáo dục', 'x', 'Công nhận văn bằng do cơ sở giáo dục nước ngoài cấp'),
    ('Giáo dục', 'x', 'Chuyển trường đối với học sinh trung học cơ sở'),
    ('Giáo dục', 'x', 'Chuyển trường đối với học sinh trung học phổ thông'),
    ('Giáo dục', 'x', 'Xét, duyệt chính sách hỗ trợ đối với học sinh bán trú'),
    ('Giáo dục', 'x', 'Hỗ trợ ăn trưa đối với trẻ em mẫu giáo'),
    ('Giáo dục', 'x', 'Miễn, giảm học phí'),
    ('Giáo dục', 'x', 'Phúc khảo bài thi tốt nghiệp trung học phổ thông'),
    ('Giáo dục', 'x', 'Cấp giấy chứng nhận đăng ký hoạt động giáo dục nghề nghiệp'),
    ('Giáo dục', 'x', 'Cho phép hoạt động giáo dục đối với cơ sở giáo dục có vốn đầu tư nước ngoài'),
    -- Y tế
    ('Y tế', 'gps', 'giấy phép hành nghề khám bệnh, chữa bệnh'),
    ('Y tế', 'gps', 'giấy phép hoạt động khám bệnh, chữa bệnh'),
    ('Y tế', 'gps', 'chứng chỉ hành nghề dược'),
    ('Y tế', 'gps', 'giấy chứng nhận đủ điều kiện kinh doanh dược'),
    ('Y tế', 'gps', 'giấy chứng nhận cơ sở đủ điều kiện an toàn thực phẩm'),
    ('Y tế', 'x', 'Cấp số tiếp nhận phiếu công bố sản phẩm mỹ phẩm'),
    ('Y tế', 'x', 'Đăng ký bản công bố sản phẩm thực phẩm bảo vệ sức khỏe'),
    ('Y tế', 'x', 'Công bố cơ sở đủ điều kiện thực hiện khám sức khỏe'),
    ('Y tế', 'x', 'Cấp giấy chứng sinh'),
    ('Y tế', 'x', 'Cấp giấy báo tử'),
    ('Y tế', 'x', 'Giám định y khoa lần đầu'),
    ('Y tế', 'x', 'Khám giám định lại bệnh nghề nghiệp tái phát'),
    ('Y tế', 'x', 'Cấp giấy xác nhận nội dung quảng cáo thực phẩm'),
    ('Y tế', 'x', 'Cấp giấy phép nhập khẩu thuốc'),
    ('Y tế', 'x', 'Cấp số lưu hành trang thiết bị y tế'),
    ('Y tế', 'x', 'Công bố tiêu chuẩn áp dụng đối với trang thiết bị y tế thuộc loại A, B'),
    ('Y tế', 'x', 'Đăng ký lưu hành thuốc'),
    ('Y tế', 'x', 'Cấp giấy chứng nhận lương y'),
    ('Y tế', 'x', 'Cấp giấy chứng nhận bài thuốc gia truyền'),
    ('Y tế', 'x', 'Xác nhận nội dung thông tin, quảng cáo thuốc'),
    ('Y tế', 'x', 'Cho phép cơ sở khám bệnh, chữa bệnh áp dụng kỹ thuật mới, phương pháp mới'),
    ('Y tế', 'x', 'Công bố cơ sở đủ điều kiện xét nghiệm khẳng định các trường hợp HIV dương tính'),
    ('Y tế', 'x', 'Công nhận cơ sở đủ điều kiện thực hiện kỹ thuật hỗ trợ sinh sản'),
    ('Y tế', 'x', 'Công bố cơ sở đủ điều kiện thực hiện hoạt động tiêm chủng'),
    ('Y tế', 'x', 'Cấp thẻ bảo hiểm y tế cho người có công với cách mạng'),
    ('Y tế', 'x', 'Công bố đủ điều kiện sản xuất trang thiết bị y tế'),
    ('Y tế', 'x', 'Cấp giấy chứng nhận đạt thực hành tốt phân phối thuốc'),
    ('Y tế', 'x', 'Đăng ký hoạt động cơ sở cai nghiện ma túy tự nguyện'),
    -- Lao động
    ('Lao động', 'gp', 'giấy phép lao động cho người lao động nước ngoài làm việc tại Việt Nam'),
    ('Lao động', 'gp', 'giấy phép hoạt động dịch vụ việc làm'),
    ('Lao động', 'gp', 'giấy phép hoạt động cho thuê lại lao động'),
    ('Lao động', 'gp', 'giấy phép hoạt động dịch vụ đưa người lao động đi làm việc ở nước ngoài'),
    ('Lao động', 'x', 'Xác nhận người lao động nước ngoài không thuộc diện cấp giấy phép lao động'),
    ('Lao động', 'x', 'Giải quyết hưởng trợ cấp thất nghiệp'),
    ('Lao động', 'x', 'Tạm dừng hưởng trợ cấp thất nghiệp'),
    ('Lao động', 'x', 'Chuyển nơi hưởng trợ cấp thất nghiệp'),
    ('Lao động', 'x', 'Hỗ trợ học nghề cho người lao động đang hưởng trợ cấp thất nghiệp'),
    ('Lao động', 'x', 'Đăng ký nội quy lao động'),
    ('Lao động', 'x', 'Gửi thỏa ước lao động tập thể'),
    ('Lao động', 'x', 'Báo cáo giải trình nhu cầu sử dụng người lao động nước ngoài'),
    ('Lao động', 'x', 'Đăng ký hợp đồng lao động trực tiếp giao kết'),
    ('Lao động', 'x', 'Khai báo tai nạn lao động nghiêm trọng'),
    ('Lao động', 'x', 'Cấp giấy chứng nhận đủ điều kiện hoạt động kiểm định kỹ thuật an toàn lao động'),
    ('Lao động', 'x', 'Giải quyết tranh chấp lao động tập thể về quyền'),
    ('Lao động', 'x', 'Thông báo về việc tổ chức làm thêm từ 200 giờ đến 300 giờ trong một năm'),
    -- Bảo trợ xã hội
    ('Bảo trợ xã hội', 'x', 'Trợ giúp xã hội thường xuyên đối với đối tượng bảo trợ xã hội'),
    ('Bảo trợ xã hội', 'x', 'Điều chỉnh, thôi hưởng trợ cấp xã hội hàng tháng'),
    ('Bảo trợ xã hội', 'x', 'Chi trả trợ cấp xã hội hàng tháng khi đối tượng thay đổi nơi cư trú'),
    ('Bảo trợ xã hội', 'x', 'Hỗ trợ chi phí mai táng cho đối tượng bảo trợ xã hội'),
    ('Bảo trợ xã hội', 'x', 'Trợ giúp xã hội khẩn cấp về hỗ trợ làm nhà ở, sửa chữa nhà ở'),
    ('Bảo trợ xã hội', 'x', 'Xác định, xác định lại mức độ khuyết tật và cấp giấy xác nhận khuyết tật'),
    ('Bảo trợ xã hội', 'x', 'Đổi, cấp lại giấy xác nhận khuyết tật'),
    ('Bảo trợ xã hội', 'x', 'Tiếp nhận đối tượng bảo trợ xã hội có hoàn cảnh đặc biệt khó khăn vào cơ sở trợ giúp xã hội'),
    ('Bảo trợ xã hội', 'x', 'Đăng ký thành lập cơ sở trợ giúp xã hội ngoài công lập'),
    ('Bảo trợ xã hội', 'x', 'Cấp giấy phép hoạt động đối với cơ sở trợ giúp xã hội'),
    ('Bảo trợ xã hội', 'x', 'Áp dụng các biện pháp can thiệp khẩn cấp hoặc tạm thời cách ly trẻ em'),
    ('Bảo trợ xã hội', 'x', 'Đăng ký nhận chăm sóc thay thế cho trẻ em đối với cá nhân, người đại diện gia đình nhận chăm sóc thay thế'),
    ('Bảo trợ xã hội', 'x', 'Công nhận hộ nghèo, hộ cận nghèo phát sinh trong năm'),
    ('Bảo trợ xã hội', 'x', 'Công nhận hộ thoát nghèo, hộ thoát cận nghèo trong năm'),
    ('Bảo trợ xã hội', 'x', 'Thực hiện, điều chỉnh, thôi hưởng trợ cấp hàng tháng cho người khuyết tật'),
    ('Bảo trợ xã hội', 'x', 'Quyết định cai nghiện ma túy tự nguyện tại gia đình, cộng đồng'),
    ('Bảo trợ xã hội', 'x', 'Tiếp nhận đối tượng cần bảo vệ khẩn cấp vào cơ sở trợ giúp xã hội'),
    ('Bảo trợ xã hội', 'x', 'Giải thể cơ sở trợ giúp xã hội ngoài công lập'),
    ('Bảo trợ xã hội', 'x', 'Cấp thẻ bảo hiểm y tế cho đối tượng bảo trợ xã hội'),
    ('Bảo trợ xã hội', 'x', 'Hỗ trợ người cao tuổi thuộc hộ nghèo không có người phụng dưỡng'),
    ('Bảo trợ xã hội', 'x', 'Hỗ trợ kinh phí chăm sóc, nuôi dưỡng đối tượng cần bảo vệ khẩn cấp'),
    -- Người có công
    ('Người có công', 'x', 'Công nhận liệt sĩ'),
    ('Người có công', 'x', 'Cấp bằng Tổ quốc ghi công'),
    ('Người có công', 'x', 'Công nhận thương binh, người hưởng chính sách như thương binh'),
    ('Người có công', 'x', 'Giải quyết chế độ ưu đãi đối với Bà mẹ Việt Nam anh hùng'),
    ('Người có công', 'x', 'Giải quyết chế độ người có công giúp đỡ cách mạng'),
    ('Người có công', 'x', 'Giải quyết chế độ trợ cấp thờ cúng liệt sĩ'),
    ('Người có công', 'x', 'Giải quyết chế độ đối với thân nhân liệt sĩ'),
    ('Người có công', 'x', 'Hỗ trợ cải thiện nhà ở đối với người có công với cách mạng'),
    ('Người có công', 'x', 'Di chuyển hồ sơ khi người hưởng trợ cấp ưu đãi thay đổi nơi thường trú'),
    ('Người có công', 'x', 'Cấp giấy xác nhận thân nhân của người có công'),
    ('Người có công', 'x', 'Giám định lại thương tật do vết thương cũ tái phát'),
    ('Người có công', 'x', 'Hưởng trợ cấp khi người có công đang hưởng trợ cấp ưu đãi từ trần'),
    ('Người có công', 'x', 'Cấp trích lục hoặc sao hồ sơ người có công với cách mạng'),
    ('Người có công', 'x', 'Hỗ trợ thăm viếng mộ liệt sĩ'),
    ('Người có công', 'x', 'Hỗ trợ di chuyển hài cốt liệt sĩ'),
    ('Người có công', 'x', 'Giải quyết chế độ trợ cấp một lần đối với người được cử làm chuyên gia sang giúp Lào, Campuchia'),
    -- Giao thông vận tải
    ('Giao thông vận tải', 'gcn', 'giấy phép kinh doanh vận tải bằng xe ô tô'),
    ('Giao thông vận tải', 'gcn', 'giấy phép lái xe quốc tế'),
    ('Giao thông vận tải', 'gcn', 'giấy phép liên vận quốc tế'),
    ('Giao thông vận tải', 'gcn', 'phù hiệu xe ô tô kinh doanh vận tải'),
    ('Giao thông vận tải', 'gcn', 'giấy phép xe tập lái'),
    ('Giao thông vận tải', 'gcn', 'giấy phép đào tạo lái xe ô tô'),
    ('Giao thông vận tải', 'gcn', 'giấy chứng nhận trung tâm sát hạch lái xe đủ điều kiện hoạt động'),
    ('Giao thông vận tải', 'gcn', 'giấy chứng nhận khả năng chuyên môn thuyền trưởng, máy trưởng'),
    ('Giao thông vận tải', 'x', 'Đăng ký phương tiện thủy nội địa lần đầu'),
    ('Giao thông vận tải', 'x', 'Xóa giấy chứng nhận đăng ký phương tiện thủy nội địa'),
    ('Giao thông vận tải', 'x', 'Chấp thuận xây dựng công trình thiết yếu trong phạm vi bảo vệ kết cấu hạ tầng giao thông đường bộ'),
    ('Giao thông vận tải', 'x', 'Cấp giấy phép lưu hành xe quá tải trọng, xe quá khổ giới hạn'),
    ('Giao thông vận tải', 'x', 'Công bố hoạt động bến thủy nội địa'),
    ('Giao thông vận tải', 'x', 'Công bố đóng bến khách ngang sông'),
    ('Giao thông vận tải', 'x', 'Chấp thuận phương án tổ chức giao thông'),
    ('Giao thông vận tải', 'x', 'Cấp giấy phép thi công công trình đường bộ'),
    ('Giao thông vận tải', 'x', 'Đăng ký khai thác tuyến vận tải hành khách cố định'),
    ('Giao thông vận tải', 'x', 'Cấp giấy chứng nhận thẩm định thiết kế xe cơ giới cải tạo'),
    ('Giao thông vận tải', 'x', 'Đăng ký phương tiện giao thông đường sắt'),
    ('Giao thông vận tải', 'x', 'Đăng ký tàu biển Việt Nam'),
    ('Giao thông vận tải', 'x', 'Cấp giấy phép bay'),
    ('Giao thông vận tải', 'x', 'Cấp giấy chứng nhận an toàn kỹ thuật và bảo vệ môi trường xe cơ giới nhập khẩu'),
    ('Giao thông vận tải', 'x', 'Chấp thuận đấu nối đường nhánh vào quốc lộ'),
    ('Giao thông vận tải', 'x', 'Cấp giấy phép hoạt động bến xe khách'),
    -- Tài chính
    ('Tài chính', 'x', 'Đăng ký mã số đơn vị có quan hệ với ngân sách'),
    ('Tài chính', 'x', 'Xác lập quyền sở hữu toàn dân về tài sản'),
    ('Tài chính', 'x', 'Quyết định mua sắm tài sản công'),
    ('Tài chính', 'x', 'Thanh lý tài sản công'),
    ('Tài chính', 'x', 'Điều chuyển tài sản công'),
    ('Tài chính', 'x', 'Cấp giấy chứng nhận đủ điều kiện kinh doanh dịch vụ thẩm định giá'),
    ('Tài chính', 'x', 'Cấp chứng chỉ kế toán viên'),
    ('Tài chính', 'x', 'Cấp giấy chứng nhận đủ điều kiện kinh doanh dịch vụ kế toán'),
    ('Tài chính', 'x', 'Cấp giấy chứng nhận đủ điều kiện kinh doanh xổ số'),
    ('Tài chính', 'x', 'Thẩm tra, phê duyệt quyết toán dự án hoàn thành sử dụng vốn nhà nước'),
    ('Tài chính', 'x', 'Kiểm soát chi thường xuyên từ ngân sách nhà nước qua Kho bạc Nhà nước'),
    ('Tài chính', 'x', 'Mở và sử dụng tài khoản tại Kho bạc Nhà nước'),
    ('Tài chính', 'x', 'Kiểm soát thanh toán vốn đầu tư công'),
    ('Tài chính', 'x', 'Kê khai giá'),
    ('Tài chính', 'x', 'Đăng ký giá'),
    -- Thuế
    ('Thuế', 'x', 'Đăng ký thuế lần đầu đối với người nộp thuế là tổ chức kinh tế'),
    ('Thuế', 'x', 'Đăng ký thuế lần đầu đối với cá nhân'),
    ('Thuế', 'x', 'Thay đổi thông tin đăng ký thuế'),
    ('Thuế', 'x', 'Khôi phục mã số thuế'),
    ('Thuế', 'x', 'Chấm dứt hiệu lực mã số thuế'),
    ('Thuế', 'x', 'Khai thuế giá trị gia tăng'),
    ('Thuế', 'x', 'Khai quyết toán thuế thu nhập doanh nghiệp'),
    ('Thuế', 'x', 'Khai quyết toán thuế thu nhập cá nhân'),
    ('Thuế', 'x', 'Hoàn thuế giá trị gia tăng đối với dự án đầu tư'),
    ('Thuế', 'x', 'Gia hạn nộp thuế'),
    ('Thuế', 'x', 'Miễn, giảm tiền thuê đất'),
    ('Thuế', 'x', 'Xóa nợ tiền thuế, tiền chậm nộp, tiền phạt'),
    ('Thuế', 'x', 'Nộp dần tiền thuế nợ'),
    ('Thuế', 'x', 'Khai lệ phí trước bạ nhà, đất'),
    ('Thuế', 'x', 'Khai lệ phí trước bạ phương tiện'),
    ('Thuế', 'x', 'Đăng ký sử dụng hóa đơn điện tử'),
    ('Thuế', 'x', 'Xác nhận việc thực hiện nghĩa vụ thuế'),
    ('Thuế', 'x', 'Khai thuế đối với hộ kinh doanh, cá nhân kinh doanh'),
    ('Thuế', 'x', 'Miễn thuế thu nhập cá nhân đối với chuyển nhượng bất động sản duy nhất'),
    ('Thuế', 'x', 'Khai thuế tài nguyên'),
    ('Thuế', 'x', 'Khai thuế sử dụng đất phi nông nghiệp'),
    ('Thuế', 'x', 'Khai thuế bảo vệ môi trường'),
    ('Thuế', 'x', 'Giải quyết khiếu nại về thuế'),
    ('Thuế', 'x', 'Đề nghị không tính tiền chậm nộp'),
    ('Thuế', 'x', 'Ngừng sử dụng hóa đơn điện tử có mã của cơ quan thuế'),
    ('Thuế', 'x', 'Ủy quyền quyết toán thuế thu nhập cá nhân'),
    ('Thuế', 'x', 'Đăng ký người phụ thuộc giảm trừ gia cảnh'),
    ('Thuế', 'x', 'Khai bổ sung hồ sơ khai thuế'),
    ('Thuế', 'x', 'Xác nhận thông tin đăng ký thuế'),
    ('Thuế', 'x', 'Hoàn thuế thu nhập cá nhân'),
    ('Thuế', 'x', 'Tạm ngừng hoạt động, kinh doanh đối với người nộp thuế'),
    -- Hải quan
    ('Hải quan', 'x', 'Thủ tục hải quan đối với hàng hóa xuất khẩu, nhập khẩu thương mại'),
    ('Hải quan', 'x', 'Thủ tục hải quan đối với hàng hóa gia công với thương nhân nước ngoài'),
    ('Hải quan', 'x', 'Thủ tục hải quan đối với hàng hóa nhập khẩu để sản xuất xuất khẩu'),
    ('Hải quan', 'x', 'Thủ tục hải quan đối với hàng hóa quá cảnh'),
    ('Hải quan', 'x', 'Thủ tục hải quan đối với hành lý của người nhập cảnh'),
    ('Hải quan', 'x', 'Thủ tục hải quan đối với hàng hóa tạm nhập, tái xuất'),
    ('Hải quan', 'x', 'Kiểm tra, xác định trước mã số hàng hóa'),
    ('Hải quan', 'x', 'Xác định trước xuất xứ hàng hóa xuất khẩu, nhập khẩu'),
    ('Hải quan', 'x', 'Thủ tục hải quan đối với phương tiện vận tải xuất cảnh, nhập cảnh'),
    ('Hải quan', 'x', 'Hoàn thuế đối với hàng hóa nhập khẩu phải tái xuất'),
    ('Hải quan', 'x', 'Không thu thuế đối với hàng hóa xuất khẩu phải tái nhập'),
    ('Hải quan', 'x', 'Công nhận doanh nghiệp ưu tiên'),
    ('Hải quan', 'x', 'Công nhận địa điểm kiểm tra hàng hóa tại chân công trình'),
    ('Hải quan', 'x', 'Công nhận kho ngoại quan'),
    ('Hải quan', 'x', 'Thủ tục hải quan đối với hàng hóa chuyển cửa khẩu'),
    ('Hải quan', 'x', 'Thủ tục hải quan đối với hàng bưu chính, chuyển phát nhanh'),
    ('Hải quan', 'x', 'Thủ tục thông báo cơ sở gia công, sản xuất hàng hóa xuất khẩu'),
    ('Hải quan', 'x', 'Thủ tục hải quan đối với quà biếu, quà tặng'),
    ('Hải quan', 'x', 'Thủ tục hủy tờ khai hải quan'),
    ('Hải quan', 'x', 'Thủ tục khai bổ sung hồ sơ hải quan'),
    ('Hải quan', 'x', 'Thủ tục xác nhận tờ khai hải quan'),
    ('Hải quan', 'x', 'Thủ tục miễn thuế đối với hàng hóa nhập khẩu để tạo tài sản cố định'),
    ('Hải quan', 'x', 'Thủ tục thông báo danh mục hàng hóa miễn thuế'),
    ('Hải quan', 'x', 'Thủ tục hải quan đối với xăng dầu xuất khẩu, nhập khẩu'),
    ('Hải quan', 'x', 'Thủ tục hải quan đối với hàng hóa xuất khẩu, nhập khẩu tại chỗ'),
    -- Cư trú, Căn cước, Xuất nhập cảnh, PCCC
    ('Cư trú', 'x', 'Đăng ký thường trú'), ('Cư trú', 'x', 'Đăng ký tạm trú'),
    ('Cư trú', 'x', 'Xóa đăng ký thường trú'), ('Cư trú', 'x', 'Xóa đăng ký tạm trú'),
    ('Cư trú', 'x', 'Gia hạn tạm trú'), ('Cư trú', 'x', 'Tách hộ'),
    ('Cư trú', 'x', 'Điều chỉnh thông tin về cư trú trong Cơ sở dữ liệu về cư trú'),
    ('Cư trú', 'x', 'Khai báo tạm vắng'), ('Cư trú', 'x', 'Thông báo lưu trú'),
    ('Cư trú', 'x', 'Xác nhận thông tin về cư trú'),
    ('Cư trú', 'x', 'Khai báo thông tin về cư trú đối với người chưa đủ điều kiện đăng ký thường trú, tạm trú'),
    ('Căn cước', 'x', 'Cấp thẻ căn cước cho công dân từ đủ 14 tuổi trở lên'),
    ('Căn cước', 'x', 'Cấp thẻ căn cước cho người dưới 14 tuổi'),
    ('Căn cước', 'x', 'Cấp đổi thẻ căn cước'), ('Căn cước', 'x', 'Cấp lại thẻ căn cước'),
    ('Căn cước', 'x', 'Cấp giấy chứng nhận căn cước'),
    ('Căn cước', 'x', 'Cấp tài khoản định danh điện tử mức độ 2'),
    ('Căn cước', 'x', 'Khai thác thông tin trong Cơ sở dữ liệu quốc gia về dân cư'),
    ('Xuất nhập cảnh', 'hc', 'hộ chiếu phổ thông ở trong nước'),
    ('Xuất nhập cảnh', 'hc', 'thị thực cho người nước ngoài tại Việt Nam'),
    ('Xuất nhập cảnh', 'hc', 'thẻ tạm trú cho người nước ngoài'),
    ('Xuất nhập cảnh', 'hc', 'thẻ thường trú cho người nước ngoài'),
    ('Xuất nhập cảnh', 'hc', 'giấy thông hành biên giới'),
    ('Xuất nhập cảnh', 'x', 'Gia hạn tạm trú cho người nước ngoài tại Việt Nam'),
    ('Xuất nhập cảnh', 'x', 'Khôi phục giá trị sử dụng hộ chiếu phổ thông'),
    ('Xuất nhập cảnh', 'x', 'Trình báo mất hộ chiếu phổ thông'),
    ('Xuất nhập cảnh', 'x', 'Cấp thị thực điện tử'),
    ('Phòng cháy, chữa cháy', 'x', 'Thẩm định thiết kế về phòng cháy và chữa cháy'),
    ('Phòng cháy, chữa cháy', 'x', 'Nghiệm thu về phòng cháy và chữa cháy'),
    ('Phòng cháy, chữa cháy', 'x', 'Cấp giấy chứng nhận huấn luyện nghiệp vụ phòng cháy, chữa cháy và cứu nạn, cứu hộ'),
    ('Phòng cháy, chữa cháy', 'x', 'Cấp giấy xác nhận đủ điều kiện kinh doanh dịch vụ phòng cháy và chữa cháy'),
    ('Phòng cháy, chữa cháy', 'x', 'Phục hồi hoạt động của cơ sở, phương tiện giao thông cơ giới, hộ gia đình'),
    ('Phòng cháy, chữa cháy', 'x', 'Kiểm định phương tiện phòng cháy và chữa cháy'),
    ('Phòng cháy, chữa cháy', 'x', 'Phê duyệt phương án chữa cháy của cơ sở'),
    ('Phòng cháy, chữa cháy', 'x', 'Cấp giấy chứng nhận đủ điều kiện về an ninh, trật tự'),
    -- Văn hóa
    ('Văn hóa', 'gps', 'giấy phép kinh doanh dịch vụ karaoke'),
    ('Văn hóa', 'gps', 'giấy phép kinh doanh dịch vụ vũ trường'),
    ('Văn hóa', 'gps', 'giấy phép hoạt động in'),
    ('Văn hóa', 'gps', 'giấy phép xuất bản bản tin'),
    ('Văn hóa', 'cn', 'danh hiệu "Gia đình văn hóa"'),
    ('Văn hóa', 'cn', 'danh hiệu "Thôn, Tổ dân phố văn hóa"'),
    ('Văn hóa', 'x', 'Thông báo tổ chức lễ hội cấp xã'),
    ('Văn hóa', 'x', 'Đăng ký tổ chức lễ hội cấp tỉnh'),
    ('Văn hóa', 'x', 'Đăng ký hoạt động thư viện tư nhân có phục vụ cộng đồng'),
    ('Văn hóa', 'x', 'Cấp giấy phép triển lãm mỹ thuật'),
    ('Văn hóa', 'x', 'Cấp giấy phép sao chép tác phẩm mỹ thuật về danh nhân văn hóa, anh hùng dân tộc, lãnh tụ'),
    ('Văn hóa', 'x', 'Cấp giấy phép phổ biến phim'),
    ('Văn hóa', 'x', 'Cấp chứng chỉ hành nghề tu bổ di tích'),
    ('Văn hóa', 'x', 'Cấp giấy phép khai quật khảo cổ'),
    ('Văn hóa', 'x', 'Xếp hạng di tích cấp tỉnh'),
    ('Văn hóa', 'x', 'Cấp giấy phép xuất khẩu di vật, cổ vật'),
    ('Văn hóa', 'x', 'Đăng ký quyền tác giả'),
    ('Văn hóa', 'x', 'Cấp giấy phép hoạt động báo in'),
    ('Văn hóa', 'x', 'Cấp giấy phép xuất bản tài liệu không kinh doanh'),
    ('Văn hóa', 'x', 'Thông báo tổ chức biểu diễn nghệ thuật'),
    ('Văn hóa', 'x', 'Công nhận câu lạc bộ thể thao cơ sở'),
    ('Văn hóa', 'x', 'Cấp giấy chứng nhận đủ điều kiện kinh doanh hoạt động thể thao'),
    ('Văn hóa', 'x', 'Cấp giấy phép nhập khẩu xuất bản phẩm không kinh doanh'),
    -- Du lịch
    ('Du lịch', 'gcn', 'giấy phép kinh doanh dịch vụ lữ hành nội địa'),
    ('Du lịch', 'gcn', 'giấy phép kinh doanh dịch vụ lữ hành quốc tế'),
    ('Du lịch', 'gcn', 'thẻ hướng dẫn viên du lịch'),
    ('Du lịch', 'cn', 'hạng cơ sở lưu trú du lịch'),
    ('Du lịch', 'cn', 'điểm du lịch'),
    ('Du lịch', 'cn', 'khu du lịch cấp tỉnh'),
    ('Du lịch', 'x', 'Cấp giấy phép thành lập văn phòng đại diện của doanh nghiệp du lịch nước ngoài tại Việt Nam'),
    ('Du lịch', 'x', 'Công nhận cơ sở kinh doanh dịch vụ du lịch khác đạt tiêu chuẩn phục vụ khách du lịch'),
    ('Du lịch', 'x', 'Thông báo thời điểm bắt đầu kinh doanh cơ sở lưu trú du lịch'),
    ('Du lịch', 'x', 'Thu hồi giấy phép kinh doanh dịch vụ lữ hành'),
    -- Môi trường
    ('Môi trường', 'gcn', 'giấy phép môi trường'),
    ('Môi trường', 'gp', 'giấy phép khai thác nước mặt'),
    ('Môi trường', 'gp', 'giấy phép khai thác nước dưới đất'),
    ('Môi trường', 'gp', 'giấy phép thăm dò khoáng sản'),
    ('Môi trường', 'gp', 'giấy phép khai thác khoáng sản'),
    ('Môi trường', 'td', 'báo cáo đánh giá tác động môi trường'),
    ('Môi trường', 'td', 'phương án cải tạo, phục hồi môi trường'),
    ('Môi trường', 'x', 'Đăng ký môi trường'),
    ('Môi trường', 'x', 'Đăng ký khai thác nước dưới đất'),
    ('Môi trường', 'x', 'Đóng cửa mỏ khoáng sản'),
    ('Môi trường', 'x', 'Trả lại giấy phép khai thác khoáng sản'),
    ('Môi trường', 'x', 'Chấp thuận khảo sát thực địa, lấy mẫu để lựa chọn diện tích lập đề án thăm dò khoáng sản'),
    ('Môi trường', 'x', 'Giao khu vực biển'),
    ('Môi trường', 'x', 'Cấp giấy phép nhận chìm ở biển'),
    ('Môi trường', 'x', 'Cấp giấy phép hoạt động dự báo, cảnh báo khí tượng thủy văn'),
    ('Môi trường', 'x', 'Tính tiền cấp quyền khai thác tài nguyên nước'),
    -- Nông nghiệp
    ('Nông nghiệp', 'gcn', 'giấy chứng nhận cơ sở đủ điều kiện an toàn thực phẩm nông lâm thủy sản'),
    ('Nông nghiệp', 'gcn', 'giấy chứng nhận đủ điều kiện sản xuất thức ăn chăn nuôi'),
    ('Nông nghiệp', 'gcn', 'giấy chứng nhận đủ điều kiện buôn bán phân bón'),
    ('Nông nghiệp', 'gcn', 'giấy chứng nhận đủ điều kiện buôn bán thuốc bảo vệ thực vật'),
    ('Nông nghiệp', 'gcn', 'giấy phép khai thác thủy sản'),
    ('Nông nghiệp', 'gcn', 'giấy chứng nhận đăng ký tàu cá'),
    ('Nông nghiệp', 'gcn', 'giấy chứng nhận đủ điều kiện buôn bán thuốc thú y'),
    ('Nông nghiệp', 'cchn', 'chứng chỉ hành nghề thú y'),
    ('Nông nghiệp', 'x', 'Hỗ trợ khôi phục sản xuất vùng bị thiệt hại do thiên tai, dịch bệnh'),
    ('Nông nghiệp', 'x', 'Xác nhận nguồn gốc thủy sản khai thác'),
    ('Nông nghiệp', 'x', 'Kiểm dịch động vật, sản phẩm động vật vận chuyển ra khỏi địa bàn cấp tỉnh'),
    ('Nông nghiệp', 'x', 'Phê duyệt phương án khai thác thực vật rừng thông thường'),
    ('Nông nghiệp', 'x', 'Cấp giấy phép cho các hoạt động trong phạm vi bảo vệ công trình thủy lợi'),
    ('Nông nghiệp', 'x', 'Công nhận xã đạt chuẩn nông thôn mới'),
    ('Nông nghiệp', 'x', 'Công nhận làng nghề truyền thống'),
    ('Nông nghiệp', 'x', 'Cấp mã số vùng trồng'),
    ('Nông nghiệp', 'x', 'Công nhận cây đầu dòng, vườn cây đầu dòng'),
    ('Nông nghiệp', 'x', 'Chuyển loại rừng'),
    ('Nông nghiệp', 'x', 'Giao rừng, cho thuê rừng'),
    ('Nông nghiệp', 'x', 'Đăng ký mã số cơ sở nuôi động vật rừng thông thường'),
    ('Nông nghiệp', 'x', 'Xác nhận bảng kê lâm sản'),
    ('Nông nghiệp', 'x', 'Hỗ trợ đầu tư xây dựng phát triển thủy lợi nhỏ, thủy lợi nội đồng'),
    ('Nông nghiệp', 'x', 'Cấp giấy phép nhập khẩu giống cây trồng'),
    ('Nông nghiệp', 'x', 'Đăng ký kiểm dịch thực vật nhập khẩu'),
    ('Nông nghiệp', 'x', 'Đánh giá, phân hạng sản phẩm OCOP'),
    ('Nông nghiệp', 'x', 'Hỗ trợ phát triển chăn nuôi nông hộ'),
    ('Nông nghiệp', 'x', 'Công nhận tổ hợp tác khai thác thủy sản'),
    -- Công Thương
    ('Công Thương', 'gps', 'giấy phép bán lẻ sản phẩm rượu'),
    ('Công Thương', 'gps', 'giấy phép bán buôn sản phẩm thuốc lá'),
    ('Công Thương', 'gps', 'giấy phép hoạt động điện lực'),
    ('Công Thương', 'gps', 'giấy chứng nhận đủ điều kiện kinh doanh xăng dầu'),
    ('Công Thương', 'gps', 'giấy phép kinh doanh hóa chất hạn chế sản xuất, kinh doanh'),
    ('Công Thương', 'gps', 'giấy chứng nhận đủ điều kiện cửa hàng bán lẻ LPG chai'),
    ('Công Thương', 'gps', 'giấy phép kinh doanh đối với tổ chức kinh tế có vốn đầu tư nước ngoài'),
    ('Công Thương', 'gps', 'giấy phép lập cơ sở bán lẻ'),
    ('Công Thương', 'x', 'Đăng ký thực hiện khuyến mại'),
    ('Công Thương', 'x', 'Thông báo thực hiện khuyến mại'),
    ('Công Thương', 'x', 'Đăng ký tổ chức hội chợ, triển lãm thương mại'),
    ('Công Thương', 'x', 'Cấp giấy chứng nhận xuất xứ hàng hóa'),
    ('Công Thương', 'x', 'Đăng ký hợp đồng theo mẫu, điều kiện giao dịch chung'),
    ('Công Thương', 'x', 'Cấp giấy phép sản xuất rượu thủ công nhằm mục đích kinh doanh'),
    ('Công Thương', 'x', 'Thẩm định kế hoạch phòng ngừa, ứng phó sự cố hóa chất'),
    ('Công Thương', 'x', 'Cấp giấy phép sử dụng vật liệu nổ công nghiệp'),
    ('Công Thương', 'x', 'Cấp thẻ kiểm tra viên điện lực'),
    ('Công Thương', 'x', 'Đăng ký hoạt động bán hàng đa cấp tại địa phương'),
    ('Công Thương', 'x', 'Thành lập, mở rộng cụm công nghiệp'),
    ('Công Thương', 'x', 'Thông báo website thương mại điện tử bán hàng'),
    ('Công Thương', 'x', 'Cấp giấy chứng nhận huấn luyện kỹ thuật an toàn hóa chất'),
    -- Ngân hàng
    ('Ngân hàng', 'gps', 'giấy phép thành lập và hoạt động ngân hàng thương mại'),
    ('Ngân hàng', 'gps', 'giấy phép thành lập và hoạt động quỹ tín dụng nhân dân'),
    ('Ngân hàng', 'gps', 'giấy phép hoạt động cung ứng dịch vụ trung gian thanh toán'),
    ('Ngân hàng', 'gps', 'giấy phép kinh doanh mua, bán vàng miếng'),
    ('Ngân hàng', 'gps', 'giấy chứng nhận đủ điều kiện sản xuất vàng trang sức, mỹ nghệ'),
    ('Ngân hàng', 'x', 'Đăng ký khoản vay nước ngoài'),
    ('Ngân hàng', 'x', 'Đăng ký thay đổi khoản vay nước ngoài'),
    ('Ngân hàng', 'x', 'Chấp thuận thay đổi địa điểm đặt trụ sở chính của quỹ tín dụng nhân dân'),
    ('Ngân hàng', 'x', 'Chấp thuận danh sách dự kiến nhân sự quỹ tín dụng nhân dân'),
    ('Ngân hàng', 'x', 'Đăng ký đại lý đổi ngoại tệ'),
    ('Ngân hàng', 'x', 'Xác nhận đăng ký giao dịch ngoại hối liên quan đến đầu tư trực tiếp ra nước ngoài'),
    ('Ngân hàng', 'x', 'Cấp giấy phép thành lập văn phòng đại diện của tổ chức tín dụng nước ngoài'),
    -- Bảo hiểm xã hội
    ('Bảo hiểm xã hội', 'x', 'Đăng ký tham gia bảo hiểm xã hội tự nguyện'),
    ('Bảo hiểm xã hội', 'x', 'Đăng ký tham gia bảo hiểm xã hội bắt buộc, bảo hiểm y tế, bảo hiểm thất nghiệp'),
    ('Bảo hiểm xã hội', 'x', 'Cấp lại, đổi, điều chỉnh thông tin trên sổ bảo hiểm xã hội, thẻ bảo hiểm y tế'),
    ('Bảo hiểm xã hội', 'x', 'Giải quyết hưởng lương hưu'),
    ('Bảo hiểm xã hội', 'x', 'Giải quyết hưởng bảo hiểm xã hội một lần'),
    ('Bảo hiểm xã hội', 'x', 'Giải quyết hưởng chế độ ốm đau'),
    ('Bảo hiểm xã hội', 'x', 'Giải quyết hưởng chế độ thai sản'),
    ('Bảo hiểm xã hội', 'x', 'Giải quyết hưởng chế độ tử tuất'),
    ('Bảo hiểm xã hội', 'x', 'Giải quyết hưởng chế độ tai nạn lao động, bệnh nghề nghiệp'),
    ('Bảo hiểm xã hội', 'x', 'Giải quyết hưởng trợ cấp dưỡng sức, phục hồi sức khỏe'),
    ('Bảo hiểm xã hội', 'x', 'Thanh toán trực tiếp chi phí khám bệnh, chữa bệnh bảo hiểm y tế'),
    ('Bảo hiểm xã hội', 'x', 'Hoàn trả tiền đã đóng bảo hiểm y tế'),
    ('Bảo hiểm xã hội', 'x', 'Xác nhận quá trình đóng bảo hiểm xã hội'),
    ('Bảo hiểm xã hội', 'x', 'Truy thu bảo hiểm xã hội bắt buộc'),
    ('Bảo hiểm xã hội', 'x', 'Chuyển nơi hưởng lương hưu, trợ cấp bảo hiểm xã hội'),
    ('Bảo hiểm xã hội', 'x', 'Giải quyết hưởng trợ cấp hằng tháng cho người không đủ điều kiện hưởng lương hưu'),
    ('Bảo hiểm xã hội', 'x', 'Tạm dừng, tiếp tục hưởng lương hưu, trợ cấp bảo hiểm xã hội'),
    ('Bảo hiểm xã hội', 'x', 'Cấp thẻ bảo hiểm y tế cho người tham gia bảo hiểm y tế theo hộ gia đình'),
    ('Bảo hiểm xã hội', 'x', 'Giải quyết trợ cấp thai sản đối với người không tham gia bảo hiểm xã hội bắt buộc'),
    ('Bảo hiểm xã hội', 'x', 'Giải quyết hưởng chế độ hưu trí bổ sung'),
    -- Khoa học công nghệ
    ('Khoa học công nghệ', 'gps', 'giấy chứng nhận đăng ký hoạt động khoa học và công nghệ'),
    ('Khoa học công nghệ', 'gps', 'giấy chứng nhận doanh nghiệp khoa học và công nghệ'),
    ('Khoa học công nghệ', 'gps', 'giấy phép tiến hành công việc bức xạ'),
    ('Khoa học công nghệ', 'gps', 'giấy phép thiết lập mạng viễn thông dùng riêng'),
    ('Khoa học công nghệ', 'gps', 'giấy phép sử dụng tần số vô tuyến điện'),
    ('Khoa học công nghệ', 'gps', 'giấy phép cung cấp dịch vụ bưu chính'),
    ('Khoa học công nghệ', 'x', 'Cấp chứng chỉ nhân viên bức xạ'),
    ('Khoa học công nghệ', 'x', 'Đăng ký chuyển giao công nghệ'),
    ('Khoa học công nghệ', 'x', 'Đăng ký kết quả thực hiện nhiệm vụ khoa học và công nghệ'),
    ('Khoa học công nghệ', 'x', 'Đăng ký sáng chế'),
    ('Khoa học công nghệ', 'x', 'Đăng ký nhãn hiệu'),
    ('Khoa học công nghệ', 'x', 'Đăng ký kiểu dáng công nghiệp'),
    ('Khoa học công nghệ', 'x', 'Đăng ký công bố hợp chuẩn, hợp quy'),
    ('Khoa học công nghệ', 'x', 'Kiểm tra nhà nước về chất lượng hàng hóa nhập khẩu'),
    ('Khoa học công nghệ', 'x', 'Chỉ định tổ chức đánh giá sự phù hợp'),
    ('Khoa học công nghệ', 'x', 'Cấp giấy phép thiết lập trang thông tin điện tử tổng hợp'),
    ('Khoa học công nghệ', 'x', 'Thẩm định công nghệ dự án đầu tư'),
    ('Khoa học công nghệ', 'x', 'Xét tặng Giải thưởng Chất lượng quốc gia'),
    ('Khoa học công nghệ', 'x', 'Đăng ký tham gia tuyển chọn, giao trực tiếp nhiệm vụ khoa học và công nghệ'),
    ('Khoa học công nghệ', 'x', 'Cấp giấy chứng nhận tổ chức khoa học và công nghệ có vốn nước ngoài'),
    -- Nội vụ
    ('Nội vụ', 'x', 'Công nhận ban vận động thành lập hội'),
    ('Nội vụ', 'x', 'Thành lập hội'),
    ('Nội vụ', 'x', 'Phê duyệt điều lệ hội'),
    ('Nội vụ', 'x', 'Chia, tách, sáp nhập, hợp nhất hội'),
    ('Nội vụ', 'x', 'Giải thể hội'),
    ('Nội vụ', 'x', 'Cấp giấy phép thành lập và công nhận điều lệ quỹ'),
    ('Nội vụ', 'x', 'Thẩm định thành lập đơn vị sự nghiệp công lập'),
    ('Nội vụ', 'x', 'Tặng bằng khen của Chủ tịch Ủy ban nhân dân cấp tỉnh'),
    ('Nội vụ', 'x', 'Tặng danh hiệu Chiến sĩ thi đua cấp tỉnh'),
    ('Nội vụ', 'x', 'Tặng giấy khen của Chủ tịch Ủy ban nhân dân cấp xã'),
    ('Nội vụ', 'x', 'Xét tuyển viên chức'),
    ('Nội vụ', 'x', 'Thi tuyển công chức'),
    ('Nội vụ', 'x', 'Tiếp nhận vào làm công chức'),
    ('Nội vụ', 'x', 'Cấp bản sao và chứng thực tài liệu lưu trữ'),
    ('Nội vụ', 'x', 'Phục vụ việc sử dụng tài liệu của độc giả tại phòng đọc'),
    ('Nội vụ', 'x', 'Công nhận quỹ đủ điều kiện hoạt động'),
    -- Dân tộc và Tôn giáo
    ('Dân tộc và Tôn giáo', 'x', 'Đăng ký sinh hoạt tôn giáo tập trung'),
    ('Dân tộc và Tôn giáo', 'x', 'Đề nghị thay đổi địa điểm sinh hoạt tôn giáo tập trung'),
    ('Dân tộc và Tôn giáo', 'x', 'Thông báo danh mục hoạt động tôn giáo'),
    ('Dân tộc và Tôn giáo', 'x', 'Đăng ký người được phong phẩm hoặc suy cử làm chức sắc'),
    ('Dân tộc và Tôn giáo', 'x', 'Đề nghị tổ chức cuộc lễ ngoài cơ sở tôn giáo'),
    ('Dân tộc và Tôn giáo', 'x', 'Đề nghị giảng đạo ngoài địa bàn phụ trách'),
    ('Dân tộc và Tôn giáo', 'x', 'Đăng ký thuyên chuyển chức sắc, chức việc, nhà tu hành'),
    ('Dân tộc và Tôn giáo', 'x', 'Công nhận tổ chức tôn giáo'),
    ('Dân tộc và Tôn giáo', 'x', 'Thành lập, chia, tách, sáp nhập, hợp nhất tổ chức tôn giáo trực thuộc'),
    ('Dân tộc và Tôn giáo', 'x', 'Thông báo tổ chức lễ hội tín ngưỡng'),
    ('Dân tộc và Tôn giáo', 'x', 'Công nhận người có uy tín trong đồng bào dân tộc thiểu số'),
    ('Dân tộc và Tôn giáo', 'x', 'Hỗ trợ đối với người có uy tín trong đồng bào dân tộc thiểu số'),
    -- Ngoại vụ
    ('Ngoại vụ', 'x', 'Cho phép tổ chức hội nghị, hội thảo quốc tế'),
    ('Ngoại vụ', 'x', 'Chứng nhận lãnh sự'),
    ('Ngoại vụ', 'x', 'Hợp pháp hóa lãnh sự'),
    ('Ngoại vụ', 'x', 'Cho phép sử dụng thẻ đi lại của doanh nhân APEC'),
    ('Ngoại vụ', 'x', 'Cấp giấy đăng ký hoạt động dự án của tổ chức phi chính phủ nước ngoài'),
    ('Ngoại vụ', 'x', 'Cấp giấy đăng ký lập văn phòng dự án của tổ chức phi chính phủ nước ngoài'),
    ('Ngoại vụ', 'x', 'Tiếp nhận viện trợ không hoàn lại không thuộc hỗ trợ phát triển chính thức'),
    ('Ngoại vụ', 'x', 'Cử cán bộ, công chức đi công tác nước ngoài'),
    -- Thanh tra
    ('Thanh tra', 'x', 'Giải quyết khiếu nại lần đầu'),
    ('Thanh tra', 'x', 'Giải quyết khiếu nại lần hai'),
    ('Thanh tra', 'x', 'Giải quyết tố cáo'),
    ('Thanh tra', 'x', 'Tiếp công dân'),
    ('Thanh tra', 'x', 'Xử lý đơn khiếu nại, tố cáo, kiến nghị, phản ánh'),
    ('Thanh tra', 'x', 'Kê khai tài sản, thu nhập'),
    ('Thanh tra', 'x', 'Xác minh tài sản, thu nhập'),
    ('Thanh tra', 'x', 'Tiếp nhận yêu cầu giải trình'),
    -- Quốc phòng
    ('Quốc phòng', 'x', 'Đăng ký nghĩa vụ quân sự lần đầu'),
    ('Quốc phòng', 'x', 'Đăng ký phục vụ trong ngạch dự bị'),
    ('Quốc phòng', 'x', 'Đăng ký nghĩa vụ quân sự bổ sung'),
    ('Quốc phòng', 'x', 'Đăng ký nghĩa vụ quân sự khi thay đổi nơi cư trú'),
    ('Quốc phòng', 'x', 'Tạm hoãn gọi nhập ngũ'),
    ('Quốc phòng', 'x', 'Miễn gọi nhập ngũ'),
    ('Quốc phòng', 'x', 'Giải quyết chế độ hưu trí đối với quân nhân'),
    ('Quốc phòng', 'x', 'Xác nhận thời gian công tác trong quân đội');

DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM pg_temp.obj o LEFT JOIN pg_temp.sec s USING (sector) WHERE s.sector IS NULL)
       OR EXISTS (SELECT 1 FROM pg_temp.sec s LEFT JOIN pg_temp.sec_time t USING (sector) WHERE t.sector IS NULL)
       OR EXISTS (SELECT 1 FROM pg_temp.obj o WHERE NOT EXISTS (SELECT 1 FROM pg_temp.act a WHERE a.grp = o.grp)) THEN
        RAISE EXCEPTION 'generate_catalogue.sql: sector tables are inconsistent';
    END IF;
END
$$;

-- Every name a sector can make, in a per-sector hashed order.
CREATE TEMP TABLE combo ON COMMIT DROP AS
SELECT sector, name,
       row_number() OVER (PARTITION BY sector ORDER BY pg_temp.h('pname:' || sector || ':' || name), name) AS rk,
       count(*) OVER (PARTITION BY sector) AS nc
  FROM (SELECT DISTINCT o.sector,
               CASE WHEN a.action = '' THEN o.object ELSE a.action || ' ' || o.object END AS name
          FROM obj o JOIN act a USING (grp)) c;

-- Qualifiers for when a sector needs more procedures than it has names.
CREATE TEMP TABLE qual (q integer, text text) ON COMMIT DROP;
INSERT INTO qual VALUES
    (1, ' đối với tổ chức'), (2, ' đối với cá nhân'), (3, ' trong trường hợp bị mất, hỏng'),
    (4, ' đối với người nước ngoài'), (5, ' thực hiện liên thông'), (6, ' theo thủ tục rút gọn'),
    (7, ' đối với trường hợp đặc biệt'), (8, ' đối với doanh nghiệp nhỏ và vừa');

CREATE TEMP TABLE pr (
    code text PRIMARY KEY, pkey text, sector text, name text, level text,
    time_limit numeric, time_unit text,
    fee_required boolean, paper_result boolean, full_online_eligible boolean,
    for_citizens boolean, is_certification boolean, parts_complete boolean
) ON COMMIT DROP;

WITH counts AS (
    SELECT *,
           greatest(1, round(weight * 600.0 * :'scale'::numeric / sum(weight) OVER ()))::integer AS n
      FROM sec JOIN sec_time USING (sector)),
slots AS (
    SELECT c.*, i, c.sector || ':' || i AS pkey
      FROM counts c CROSS JOIN LATERAL generate_series(1, c.n) AS i),
named AS (
    SELECT sl.*,
           cb.name || CASE WHEN sl.i <= cb.nc THEN ''
                           ELSE coalesce((SELECT q.text FROM qual q WHERE q.q = (sl.i - 1) / cb.nc),
                                         ' (trường hợp ' || ((sl.i - 1) / cb.nc) || ')') END AS pname
      FROM slots sl
      JOIN combo cb ON cb.sector = sl.sector AND cb.rk = (sl.i - 1) % cb.nc + 1),
coded AS (
    -- codes: strictly increasing numbers with hashed gaps, in a hashed order
    SELECT nm.*,
           sum(1 + pg_temp.h('codestep:' || pkey) % 40)
               OVER (ORDER BY pg_temp.h('codeorder:' || pkey), pkey) AS num
      FROM named nm),
timed AS (
    SELECT cd.*,
           pg_temp.u('tunit:' || pkey) AS tu,
           tmin + step * (pg_temp.h('tlim:' || pkey) % (((tmax - tmin) / step)::integer + 1)) AS wd
      FROM coded cd)
INSERT INTO pr
SELECT CASE WHEN pg_temp.u('codeprefix:' || pkey) < 0.8 THEN '1.' ELSE '2.' END || pg_temp.pad(num, 6),
       pkey, sector, pname,
       CASE WHEN pg_temp.u('level:' || pkey) < p_commune THEN 'commune'
            WHEN pg_temp.u('level:' || pkey) < p_commune + p_province THEN 'province'
            ELSE 'ministry' END,
       CASE WHEN tu < p_null THEN NULL
            WHEN tu < p_null + p_hour THEN pg_temp.pick('thour:' || pkey, hmin, hmax)
            WHEN tu < p_null + p_hour + p_month THEN pg_temp.pick('tmonth:' || pkey, mmin, mmax)
            WHEN tu < p_null + p_hour + p_month + p_day THEN greatest(1, round(wd * 1.4))
            ELSE wd END,
       CASE WHEN tu < p_null THEN 'working_day'
            WHEN tu < p_null + p_hour THEN 'hour'
            WHEN tu < p_null + p_hour + p_month THEN 'month'
            WHEN tu < p_null + p_hour + p_month + p_day THEN 'day'
            ELSE 'working_day' END,
       pg_temp.u('fee:' || pkey) < p_fee,
       pg_temp.u('paper:' || pkey) < 0.7,
       pg_temp.u('online:' || pkey) < 0.5,
       pg_temp.u('citizen:' || pkey) < p_citizen,
       sector = 'Chứng thực',
       pg_temp.u('parts:' || pkey) < 0.9
  FROM timed;

-- A name used in two sectors keeps its sector in brackets.
UPDATE pr SET name = pr.name || ' (lĩnh vực ' || lower(pr.sector) || ')'
 WHERE pr.name IN (SELECT name FROM pr GROUP BY name HAVING count(*) > 1);

ANALYZE pr;
INSERT INTO tthc.procedure (code, name, sector, time_limit, time_unit, fee_required, paper_result,
                            full_online_eligible, for_citizens, is_certification, parts_complete)
SELECT code, name, sector, time_limit, time_unit, fee_required, paper_result,
       full_online_eligible, for_citizens, is_certification, parts_complete
  FROM pr ORDER BY code;

-- ---------------------------------------------------------------------------
-- Services: who handles what.
-- ---------------------------------------------------------------------------
CREATE TEMP TABLE sv (agency_id text, procedure_code text, PRIMARY KEY (agency_id, procedure_code)) ON COMMIT DROP;

-- Communes: every commune-level procedure of a universal sector (civil
-- status, certification), then others in a hashed order, 40-70 in all (or
-- all of them, when there are fewer).
WITH cp AS (
    SELECT p.code, s.universal FROM pr p JOIN sec s USING (sector) WHERE p.level = 'commune'),
ranked AS (
    SELECT a.id, cp.code,
           pg_temp.pick('ncproc:' || a.id, 40, 70) AS want,
           row_number() OVER (PARTITION BY a.id
                              ORDER BY cp.universal DESC, pg_temp.h('csvc:' || a.id || ':' || cp.code), cp.code) AS rk,
           cp.universal
      FROM ag a CROSS JOIN cp WHERE a.kind = 'commune')
INSERT INTO sv
SELECT id, code FROM ranked WHERE universal OR rk <= want;

-- Provincial departments: the first department present among the sector's
-- preferences, plus the industrial-zone boards for their sectors (most of
-- those procedures).
WITH pp AS (
    SELECT p.code, s.dept_pref, s.zones FROM pr p JOIN sec s USING (sector) WHERE p.level = 'province'),
handler AS (
    SELECT DISTINCT ON (pv.code, pp.code) d.id AS agency_id, pp.code
      FROM prov pv CROSS JOIN pp
      JOIN ag d ON d.parent_id = pv.code AND d.kind = 'department' AND d.tpl = ANY (pp.dept_pref)
     ORDER BY pv.code, pp.code, array_position(pp.dept_pref, d.tpl))
INSERT INTO sv
SELECT agency_id, code FROM handler
UNION
SELECT d.id, pp.code
  FROM pp JOIN ag d ON d.tpl IN ('KCN', 'KKT', 'CNC')
 WHERE pp.zones AND pg_temp.u('zone:' || d.id || ':' || pp.code) < 0.7;

-- Central procedures: the whole network of a vertical office for most of
-- the sectors that have one, else one of the sector's central departments.
WITH mp AS (
    SELECT p.code, s.central, s.vertical,
           s.vertical IS NOT NULL AND pg_temp.u('vertical:' || p.code) < s.p_vertical AS by_network
      FROM pr p JOIN sec s USING (sector) WHERE p.level = 'ministry')
INSERT INTO sv
SELECT u.id, mp.code
  FROM mp JOIN ag u ON u.parent_id = mp.vertical AND u.kind = 'unit'
 WHERE mp.by_network
UNION
SELECT mp.central[1 + pg_temp.h('central:' || mp.code) % cardinality(mp.central)], mp.code
  FROM mp
 WHERE NOT mp.by_network;

ANALYZE sv;

-- every province-level procedure has a handler in every province
SELECT count(DISTINCT (a.top_id, s.procedure_code))
       = (SELECT count(*) FROM pr WHERE level = 'province') * (SELECT count(*) FROM prov) AS all_covered
  FROM sv s
  JOIN ag a ON a.id = s.agency_id AND a.kind = 'department' AND a.top_id IN (SELECT code FROM prov)
  JOIN pr p ON p.code = s.procedure_code AND p.level = 'province' \gset
\if :all_covered
\else
  DO $$ BEGIN RAISE EXCEPTION 'a province-level procedure has no department in some province'; END $$;
\endif

-- Online level: full for ~45% of the services of procedures eligible for
-- full online, partial for ~35%, else not online.
INSERT INTO tthc.service (agency_id, procedure_code, online_level)
SELECT s.agency_id, s.procedure_code,
       CASE WHEN p.full_online_eligible AND pg_temp.u('olevel:' || s.agency_id || ':' || s.procedure_code) < 0.45
                THEN 'full'
            WHEN pg_temp.u('olevel:' || s.agency_id || ':' || s.procedure_code)
                 < CASE WHEN p.full_online_eligible THEN 0.80 ELSE 0.35 END
                THEN 'partial'
        END
  FROM sv s JOIN pr p ON p.code = s.procedure_code
 ORDER BY s.agency_id, s.procedure_code;

-- ---------------------------------------------------------------------------
-- Announcements, 2025-2026: per province and ministry, 2-6 decisions a year,
-- each announcing 1-8 procedures handled in its subtree (neighbours in
-- sector order, as real decisions group a sector's procedures).  The data
-- stops at 2026-11-30: later publication dates are left NULL.
--   basis_effective_on: usually 20-60 days after the decision (ministries
--     28-70), sometimes late: too few days for the 5 (provinces) / 20
--     (ministries) working days criterion 1.1 asks for.
--   published_on: 1-15 working days after the decision, skewed early, the
--     skew varying by agency; some not yet published.
-- ---------------------------------------------------------------------------
CREATE TEMP TABLE top_proc ON COMMIT DROP AS
WITH served AS (
    SELECT DISTINCT a.top_id, s.procedure_code
      FROM sv s JOIN ag a ON a.id = s.agency_id),
lists AS (
    SELECT sd.top_id, array_agg(sd.procedure_code ORDER BY p.sector, p.code) AS codes
      FROM served sd JOIN pr p ON p.code = sd.procedure_code
     GROUP BY sd.top_id),
central_all AS (
    SELECT array_agg(code ORDER BY sector, code) AS codes FROM pr WHERE level = 'ministry')
SELECT a.id AS top_id, a.kind,
       coalesce(l.codes, ca.codes, (SELECT array_agg(code ORDER BY code) FROM pr)) AS codes
  FROM ag a
  LEFT JOIN lists l ON l.top_id = a.id
 CROSS JOIN central_all ca
 WHERE a.depth = 0;

CREATE TEMP TABLE decision ON COMMIT DROP AS
WITH slots AS (
    SELECT t.top_id, t.kind, t.codes, y, k,
           t.top_id || ':' || y || ':' || k AS dkey
      FROM top_proc t
     CROSS JOIN generate_series(2025, 2026) AS y
     CROSS JOIN LATERAL generate_series(1, pg_temp.pick('ndec:' || t.top_id || ':' || y,
                                                      CASE WHEN t.kind = 'province' THEN 3 ELSE 2 END,
                                                      CASE WHEN t.kind = 'province' THEN 6 ELSE 5 END)) AS k),
dated AS (
    SELECT sl.*,
           pg_temp.weekday(make_date(y, 1, 2)
                           + pg_temp.h('decday:' || dkey) % CASE WHEN y = 2026 THEN 320 ELSE 360 END) AS decided_on
      FROM slots sl)
SELECT d.*,
       d.decided_on + CASE
           WHEN pg_temp.u('late:' || dkey) < 0.05 + 0.25 * pg_temp.u('lateshare:' || top_id) THEN
               CASE WHEN kind = 'province' THEN pg_temp.pick('basis:' || dkey, -10, 6)
                    ELSE pg_temp.pick('basis:' || dkey, 0, 25) END
           ELSE CASE WHEN kind = 'province' THEN pg_temp.pick('basis:' || dkey, 20, 60)
                     ELSE pg_temp.pick('basis:' || dkey, 28, 70) END
       END AS basis_effective_on,
       'Quyết định số '
         || (1 + (d.decided_on - make_date(y, 1, 1)) * pg_temp.pick('decrate:' || top_id, 3, 12)
               + pg_temp.h('decno:' || dkey) % 3)
         || '/QĐ-' || coalesce(m.abbr, 'UBND') AS decision,
       1 + floor(8 * power(pg_temp.u('nrows:' || dkey), 2))::integer AS nrows,
       pg_temp.h('start:' || dkey) % cardinality(d.codes) AS start
  FROM dated d LEFT JOIN ministry m ON m.id = d.top_id;

INSERT INTO tthc.announcement (id, decision, agency_id, procedure_code, kind, decided_on,
                               basis_effective_on, published_on)
SELECT row_number() OVER (ORDER BY d.decided_on, d.top_id, d.k, j),
       d.decision, d.top_id, d.codes[1 + (d.start + j - 1) % cardinality(d.codes)],
       CASE WHEN pg_temp.u('akind:' || d.dkey || ':' || j) < 0.40 THEN 'new'
            WHEN pg_temp.u('akind:' || d.dkey || ':' || j) < 0.85 THEN 'amend'
            ELSE 'abolish' END,
       d.decided_on, d.basis_effective_on,
       CASE WHEN pg_temp.u('unpub:' || d.dkey || ':' || j) < 0.06 THEN NULL
            ELSE nullif(least(pub, date '2026-12-01'), date '2026-12-01') END
  FROM decision d
 CROSS JOIN LATERAL generate_series(1, least(d.nrows, cardinality(d.codes))) AS j
 CROSS JOIN LATERAL (
     SELECT pg_temp.add_weekdays(d.decided_on,
                1 + floor(15 * power(pg_temp.u('pub:' || d.dkey || ':' || j),
                                     1.5 + 2.5 * pg_temp.u('pubskew:' || d.top_id)))::integer) AS pub
 ) p;

SELECT setval(pg_get_serial_sequence('tthc.announcement', 'id'),
              coalesce((SELECT max(id) FROM tthc.announcement), 0) + 1, false) AS announcement_next_id \gset

-- ---------------------------------------------------------------------------
-- Reported volumes, 2025-01 .. 2026-11: a size per agency, a slow upward
-- trend, Tết dips, a July 2025 dip (the new communes starting), a December
-- rush, and some noise.
-- ---------------------------------------------------------------------------
INSERT INTO tthc.reported_volume (agency_id, month, received)
SELECT a.id, m::date,
       round(base
             * (1 + 0.012 * ((extract(year FROM m) - 2025) * 12 + extract(month FROM m) - 1))
             * CASE to_char(m, 'YYYY-MM')
                   WHEN '2025-01' THEN 0.85 WHEN '2025-02' THEN 0.75
                   WHEN '2025-07' THEN 0.80
                   WHEN '2026-02' THEN 0.65 WHEN '2026-03' THEN 0.95
                   ELSE CASE WHEN extract(month FROM m) = 12 THEN 1.12 ELSE 1 END END
             * (0.9 + 0.2 * pg_temp.u('vol:' || a.id || ':' || to_char(m, 'YYYY-MM'))))::bigint
  FROM (SELECT a.id,
               CASE WHEN a.kind = 'province'
                    THEN ps.base * pg_temp.pick('volper:' || a.id, 120, 300)
                    ELSE m.vol * (0.6 + 0.8 * pg_temp.u('volm:' || a.id)) END AS base
          FROM ag a
          LEFT JOIN prov_size ps ON ps.code = a.id
          LEFT JOIN ministry m ON m.id = a.id
         WHERE a.depth = 0) a
 CROSS JOIN generate_series(timestamp '2025-01-01', timestamp '2026-11-01', interval '1 month') AS m;

COMMIT;

ANALYZE tthc.agency, tthc.procedure, tthc.service, tthc.announcement, tthc.reported_volume;

\set QUIET off
\echo tthc demo catalogue: scale :scale, seed :seed
SELECT 'agency: ' || kind AS what, count(*) AS rows FROM tthc.agency GROUP BY kind
UNION ALL SELECT 'procedure', count(*) FROM tthc.procedure
UNION ALL SELECT 'service', count(*) FROM tthc.service
UNION ALL SELECT 'announcement', count(*) FROM tthc.announcement
UNION ALL SELECT 'reported_volume', count(*) FROM tthc.reported_volume
ORDER BY 1;
