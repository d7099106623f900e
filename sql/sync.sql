-- Sync ingest: the portal's messages become dossier rows and steps, each
-- element on its own, idempotently and in order; bad ones are refused with
-- SQLSTATE, message and JSON path; the inbox keeps what it could not apply.
SET DateStyle = ISO;
SET TimeZone = 'Asia/Ho_Chi_Minh';
INSERT INTO tthc.agency VALUES ('YH', NULL, 'Tỉnh Y', 'province'), ('YH.1', 'YH', 'Xã Y1', 'commune'),
                               ('YH.2', 'YH', 'Sở Y2', 'department');
INSERT INTO tthc.procedure (code, name, time_limit) VALUES ('1.000001', 'Thủ tục Y', 3);

-- received on Monday 2/11/2026 09:00: created; the same message again: unchanged
\set received '{"MaHoSo": "YH.1-261102-0001", "MaTTHC": "1.000001", "DonViXuLy": "YH.1", "KenhThucHien": "2", "TrangThaiHoSo": "2", "NgayNopHoSo": "20261102085000", "NgayTiepNhan": "20261102090000", "NgayHenTra": "20261105090000", "DanhSachLePhi": [{"Gia": "30000"}, {"Gia": 20000}], "TaiLieuNop": [{"DuocSoHoa": "1", "DuocTaiSuDung": "0"}]}'
SELECT tthc.sync(:'received');
SELECT tthc.sync(:'received') -> 'results' -> 0 ->> 'action' AS replay;
SELECT code, agency_id, channel, status, received_at, due_at, fee, digitized, synced_at IS NOT NULL AS synced
  FROM tthc.dossier WHERE code = 'YH.1-261102-0001';

-- finished on 4/11: updated; then the older "received" message arrives late: older, not applied
\set finished '{"MaHoSo": "YH.1-261102-0001", "MaTTHC": "1.000001", "DonViXuLy": "YH.1", "KenhThucHien": "2", "TrangThaiHoSo": "9", "NgayNopHoSo": "20261102085000", "NgayTiepNhan": "20261102090000", "NgayHenTra": "20261105090000", "NgayKetThucXuLy": "20261104150000", "DanhSachLePhi": [{"Gia": "50000"}], "DuocThanhToanTrucTuyen": "1", "DanhSachGiayToKetQua": [{"DuongDanTepTinKetQua": "https://dvc.example.vn/kq.pdf"}]}'
SELECT tthc.sync(:'finished') -> 'results' -> 0 ->> 'action' AS finished;
SELECT tthc.sync(:'received') -> 'results' -> 0 ->> 'action' AS late_arrival;
SELECT code, status, finished_at, fee, paid_online, e_result FROM tthc.dossier WHERE code = 'YH.1-261102-0001';

-- an array: one good element, two bad ones; the good one is applied
SELECT jsonb_pretty(tthc.sync('[
  {"MaHoSo": "YH.1-261103-0002", "MaTTHC": "1.000001", "DonViXuLy": "YH.1", "TrangThaiHoSo": "2", "NgayTiepNhan": "20261103100000"},
  {"MaHoSo": "YH.1-261103-0003", "MaTTHC": "1.000001", "DonViXuLy": "YH.1", "TrangThaiHoSo": "11", "NgayTiepNhan": "20261103100000"},
  {"MaHoSo": "YH.1-261103-0004", "MaTTHC": "1.000001", "DonViXuLy": "NOWHERE", "TrangThaiHoSo": "2", "NgayTiepNhan": "20261103100000"}]'));
SELECT count(*) FROM tthc.dossier WHERE code LIKE 'YH.1-261103-%';

-- messages that cannot be read at all
SELECT tthc.sync('{"MaHoSo": "X", ') - 'results';
SELECT (tthc.sync('{"MaTTHC": "1.000001"}') -> 'results' -> 0) - 'index';
SELECT tthc.sync('{"MaHoSo": "YH.1-261103-0005", "MaTTHC": "1.000001", "DonViXuLy": "YH.1", "TrangThaiHoSo": "2", "NgayTiepNhan": "20261332090000"}') -> 'results' -> 0 ->> 'error';

-- progress: steps of an inter-agency dossier, idempotent
\set progress '[{"MaHoSo": "YH.1-261102-0001", "NguoiXuLy": "Nguyễn Thị Hoa", "ThoiDiemXuLy": "20261103083000", "PhongBanXuLy": "YH.1", "TrangThai": "4", "NgayBatDau": "20261102090000", "NgayKetThucTheoQuyDinh": "20261103113000"}, {"MaHoSo": "YH.1-261102-0001", "NguoiXuLy": "Lê Văn Cường", "ThoiDiemXuLy": "20261104150000", "PhongBanXuLy": "YH.2", "TrangThai": "9", "NgayBatDau": "20261103083000", "NgayKetThucTheoQuyDinh": "20261104170000"}]'
SELECT x ->> 'action' AS action FROM jsonb_array_elements(tthc.sync(:'progress') -> 'results') x;
SELECT x ->> 'action' AS again FROM jsonb_array_elements(tthc.sync(:'progress') -> 'results') x;
SELECT dossier_code, seq, agency_id, officer, started_at, deadline_at, ended_at FROM tthc.dossier_step
 WHERE dossier_code LIKE 'YH%' ORDER BY seq;
SELECT tthc.sync('{"MaHoSo": "NO-SUCH", "ThoiDiemXuLy": "20261103083000", "TrangThai": "4"}') -> 'results' -> 0 ->> 'error';

-- unknown codes: placeholders when the DBA allows them, listed for completion
SET tthc.sync_placeholders = on;
SELECT tthc.sync('{"MaHoSo": "ZZ-261103-0001", "MaTTHC": "9.999999", "DonViXuLy": "000.00.99.YH", "TrangThaiHoSo": "2", "NgayTiepNhan": "20261103100000"}') -> 'results' -> 0 ->> 'action';
SELECT tthc.sync('{"MaHoSo": "ZZ-261103-0002", "MaTTHC": "1.000001", "DonViXuLy": "NOWHERE", "TrangThaiHoSo": "2", "NgayTiepNhan": "20261103100000"}') -> 'results' -> 0 ->> 'error';
SELECT id, parent_id, name, kind FROM tthc.agency WHERE id = '000.00.99.YH';
SELECT kind, id, name, dossiers FROM tthc.sync_placeholders ORDER BY kind;
RESET tthc.sync_placeholders;

-- the inbox: applied at once; a failure stays with its reason; retry after the fix
INSERT INTO tthc.inbox (payload) VALUES (:'received');
INSERT INTO tthc.inbox (payload) VALUES ('{"MaHoSo": "YH.3-261105-0001", "MaTTHC": "1.000001", "DonViXuLy": "YH.3", "TrangThaiHoSo": "2", "NgayTiepNhan": "20261105100000"}');
INSERT INTO tthc.inbox (payload) VALUES ('not json');
SELECT id, state, attempts, sqlstate, error, error_path FROM tthc.inbox ORDER BY id;
INSERT INTO tthc.agency VALUES ('YH.3', 'YH', 'Xã Y3', 'commune');
SELECT tthc.retry() AS still_failing;
SELECT id, state, attempts, error FROM tthc.inbox ORDER BY id;
SELECT code, agency_id FROM tthc.dossier WHERE code = 'YH.3-261105-0001';

-- several messages in one query: each call sees what the calls before it wrote
SELECT o, tthc.sync(m) -> 'results' -> 0 ->> 'action' AS action
  FROM (VALUES (1, '{"MaHoSo": "YH.1-261106-0001", "MaTTHC": "1.000001", "DonViXuLy": "YH.1", "TrangThaiHoSo": "2", "NgayTiepNhan": "20261106090000", "NgayHenTra": "20261106170000"}'),
               (2, '{"MaHoSo": "YH.1-261106-0001", "MaTTHC": "1.000001", "DonViXuLy": "YH.1", "TrangThaiHoSo": "2", "NgayTiepNhan": "20261106090000", "NgayHenTra": "20261106170000"}'),
               (3, '{"MaHoSo": "YH.1-261106-0001", "MaTTHC": "1.000001", "DonViXuLy": "YH.1", "TrangThaiHoSo": "9", "NgayTiepNhan": "20261106090000", "NgayHenTra": "20261106170000", "NgayKetThucXuLy": "20261106150000"}'),
               (4, '{"MaHoSo": "YH.1-261106-0001", "MaTTHC": "1.000001", "DonViXuLy": "YH.1", "TrangThaiHoSo": "4", "NgayTiepNhan": "20261106090000", "NgayHenTra": "20261106170000"}'),
               (5, '{"MaHoSo": "YH.1-261106-0001", "ThoiDiemXuLy": "20261106100000", "PhongBanXuLy": "YH.2", "TrangThai": "4", "NgayBatDau": "20261106093000"}')) v(o, m)
 ORDER BY o;

-- without NgayHenTra the due date comes from the procedure; the same message
-- again is unchanged
\set nodue '{"MaHoSo": "YH.1-261109-0009", "MaTTHC": "1.000001", "DonViXuLy": "YH.1", "TrangThaiHoSo": "2", "NgayTiepNhan": "20261109110000"}'
SELECT tthc.sync(:'nodue') -> 'results' -> 0 ->> 'action' AS first, tthc.sync(:'nodue') -> 'results' -> 0 ->> 'action' AS again;
SELECT due_at FROM tthc.dossier WHERE code = 'YH.1-261109-0009';

-- an array of dossiers is written a round at a time, one statement each
-- (a code twice: its second element in the next round), with the outcomes
-- of one element at a time; a round that fails (unknown procedure) is
-- applied element by element, so the others stay
\set batch '[{"MaHoSo": "YH.1-261109-0001", "MaTTHC": "1.000001", "DonViXuLy": "YH.1", "TrangThaiHoSo": "2", "NgayTiepNhan": "20261109090000"}, {"MaHoSo": "YH.1-261109-0002", "MaTTHC": "1.000001", "DonViXuLy": "YH.1", "TrangThaiHoSo": "2", "NgayTiepNhan": "20261109091000"}, {"MaHoSo": "YH.1-261109-0001", "MaTTHC": "1.000001", "DonViXuLy": "YH.1", "TrangThaiHoSo": "9", "NgayTiepNhan": "20261109090000", "NgayKetThucXuLy": "20261109160000"}, {"MaHoSo": "YH.1-261109-0003", "MaTTHC": "1.000001", "DonViXuLy": "YH.2", "TrangThaiHoSo": "2", "KenhThucHien": "2", "NgayTiepNhan": "20261109093000"}, {"MaHoSo": "YH.1-261109-0002", "MaTTHC": "1.000001", "DonViXuLy": "YH.1", "TrangThaiHoSo": "2", "NgayTiepNhan": "20261109091000"}]'
SELECT x ->> 'index' AS i, x ->> 'code' AS code, x ->> 'action' AS action
  FROM jsonb_array_elements(tthc.sync(:'batch') -> 'results') x;
SELECT x ->> 'index' AS i, x ->> 'action' AS replayed FROM jsonb_array_elements(tthc.sync(:'batch') -> 'results') x;
SELECT code, agency_id, channel, status, received_at, due_at, finished_at FROM tthc.dossier
 WHERE code LIKE 'YH.1-261109-%' ORDER BY code;
SELECT x ->> 'index' AS i, x ->> 'action' AS action, x ->> 'sqlstate' AS sqlstate, x ->> 'error' AS error
  FROM jsonb_array_elements(tthc.sync('[{"MaHoSo": "YH.1-261109-0004", "MaTTHC": "1.000001", "DonViXuLy": "YH.1", "TrangThaiHoSo": "2", "NgayTiepNhan": "20261109100000"}, {"MaHoSo": "YH.1-261109-0005", "MaTTHC": "9.999998", "DonViXuLy": "YH.1", "TrangThaiHoSo": "2", "NgayTiepNhan": "20261109100000"}, {"MaHoSo": "YH.1-261109-0002", "MaTTHC": "1.000001", "DonViXuLy": "YH.1", "TrangThaiHoSo": "4", "NgayTiepNhan": "20261109091000"}]') -> 'results') x;

-- three rounds, codes interleaved: each dossier's elements in their order
SELECT x ->> 'index' AS i, x ->> 'code' AS code, x ->> 'action' AS action
  FROM jsonb_array_elements(tthc.sync('[{"MaHoSo": "YH.1-261110-0001", "MaTTHC": "1.000001", "DonViXuLy": "YH.1", "TrangThaiHoSo": "2", "NgayTiepNhan": "20261110090000"}, {"MaHoSo": "YH.1-261110-0002", "MaTTHC": "1.000001", "DonViXuLy": "YH.1", "TrangThaiHoSo": "2", "NgayTiepNhan": "20261110090000"}, {"MaHoSo": "YH.1-261110-0001", "MaTTHC": "1.000001", "DonViXuLy": "YH.1", "TrangThaiHoSo": "4", "NgayTiepNhan": "20261110090000"}, {"MaHoSo": "YH.1-261110-0001", "MaTTHC": "1.000001", "DonViXuLy": "YH.1", "TrangThaiHoSo": "9", "NgayTiepNhan": "20261110090000", "NgayKetThucXuLy": "20261110150000"}, {"MaHoSo": "YH.1-261110-0002", "MaTTHC": "1.000001", "DonViXuLy": "YH.1", "TrangThaiHoSo": "2", "NgayTiepNhan": "20261110090000"}, {"MaHoSo": "YH.1-261110-0003", "MaTTHC": "1.000001", "DonViXuLy": "YH.1", "TrangThaiHoSo": "2", "NgayTiepNhan": "20261110090000"}]') -> 'results') x;
SELECT code, status, finished_at FROM tthc.dossier WHERE code LIKE 'YH.1-261110-%' ORDER BY code;

-- a statement inserting many messages: the first is applied at once
-- (RETURNING shows it), the others when the statement ends, in their order
-- (a dossier, then its progress, then a newer state of it), dossiers of
-- several messages written in one round; a bad message among them is
-- refused alone, and a message of a mixed array is applied in order
WITH x AS (
    INSERT INTO tthc.inbox (payload) VALUES
    ('{"MaHoSo": "YH.1-261111-0001", "MaTTHC": "1.000001", "DonViXuLy": "YH.1", "TrangThaiHoSo": "2", "NgayTiepNhan": "20261111090000"}'),
    ('{"MaHoSo": "YH.1-261111-0002", "MaTTHC": "1.000001", "DonViXuLy": "YH.1", "TrangThaiHoSo": "2", "NgayTiepNhan": "20261111090500"}'),
    ('{"MaHoSo": "YH.1-261111-0002", "ThoiDiemXuLy": "20261111100000", "PhongBanXuLy": "YH.2", "TrangThai": "4", "NgayBatDau": "20261111091000"}'),
    ('{"MaHoSo": "YH.1-261111-0003", "MaTTHC": "9.999998", "DonViXuLy": "YH.1", "TrangThaiHoSo": "2", "NgayTiepNhan": "20261111091000"}'),
    ('{"MaHoSo": "YH.1-261111-0002", "MaTTHC": "1.000001", "DonViXuLy": "YH.1", "TrangThaiHoSo": "9", "NgayTiepNhan": "20261111090500", "NgayKetThucXuLy": "20261111150000"}'),
    ('[{"MaHoSo": "YH.1-261111-0004", "MaTTHC": "1.000001", "DonViXuLy": "YH.1", "TrangThaiHoSo": "2", "NgayTiepNhan": "20261111093000"}, {"MaHoSo": "YH.1-261111-0004", "ThoiDiemXuLy": "20261111110000", "TrangThai": "4", "NgayBatDau": "20261111094000"}, {"MaHoSo": "YH.1-261111-0001", "MaTTHC": "1.000001", "DonViXuLy": "YH.1", "TrangThaiHoSo": "9", "NgayTiepNhan": "20261111090000", "NgayKetThucXuLy": "20261111160000"}]'),
    ('{"MaHoSo": "YH.1-261111-0002", "MaTTHC": "1.000001", "DonViXuLy": "YH.1", "TrangThaiHoSo": "4", "NgayTiepNhan": "20261111090500"}'),
    ('{"MaHoSo": 17}')
    RETURNING id, state, result IS NOT NULL AS has_result)
SELECT row_number() OVER (ORDER BY id) AS n, state, has_result FROM x ORDER BY id;
SELECT row_number() OVER (ORDER BY id) AS n, state, attempts, applied_at IS NOT NULL AS applied_at,
       (SELECT string_agg(x ->> 'action', ', ' ORDER BY (x ->> 'index')::int)
          FROM jsonb_array_elements(result -> 'results') x) AS actions, sqlstate, error, error_path
  FROM tthc.inbox WHERE id > (SELECT max(id) - 8 FROM tthc.inbox) ORDER BY id;
SELECT code, status, finished_at FROM tthc.dossier WHERE code LIKE 'YH.1-261111-%' ORDER BY code;
SELECT dossier_code, seq, agency_id FROM tthc.dossier_step WHERE dossier_code LIKE 'YH.1-261111-%' ORDER BY 1, 2;

-- a statement cut short leaves nothing behind: the next one's first row is
-- applied at once again; COPY is a statement inserting many
BEGIN;
SAVEPOINT s;
\set VERBOSITY terse
INSERT INTO tthc.inbox (payload) SELECT p FROM (VALUES ('{"MaHoSo": "YH.1-261112-0001", "MaTTHC": "1.000001", "DonViXuLy": "YH.1", "TrangThaiHoSo": "2", "NgayTiepNhan": "20261112090000"}'), (NULL)) v(p);
\set VERBOSITY default
ROLLBACK TO SAVEPOINT s;
INSERT INTO tthc.inbox (payload) VALUES ('{"MaHoSo": "YH.1-261112-0002", "MaTTHC": "1.000001", "DonViXuLy": "YH.1", "TrangThaiHoSo": "2", "NgayTiepNhan": "20261112090000"}')
    RETURNING state, result -> 'results' -> 0 ->> 'action' AS action;
COMMIT;
COPY tthc.inbox (payload) FROM STDIN;
{"MaHoSo": "YH.1-261112-0003", "MaTTHC": "1.000001", "DonViXuLy": "YH.1", "TrangThaiHoSo": "2", "NgayTiepNhan": "20261112090000"}
{"MaHoSo": "YH.1-261112-0004", "MaTTHC": "1.000001", "DonViXuLy": "YH.1", "TrangThaiHoSo": "2", "NgayTiepNhan": "20261112090000"}
{"MaHoSo": "YH.1-261112-0005", "MaTTHC": "1.000001", "DonViXuLy": "YH.9", "TrangThaiHoSo": "2", "NgayTiepNhan": "20261112090000"}
\.
SELECT state, error FROM tthc.inbox WHERE id > (SELECT max(id) - 3 FROM tthc.inbox) ORDER BY id;
SELECT code FROM tthc.dossier WHERE code LIKE 'YH.1-261112-%' ORDER BY code;

-- messages left new (their statement's triggers off, as under logical
-- replication) are applied by retry()
SET session_replication_role = replica;
INSERT INTO tthc.inbox (payload) VALUES
    ('{"MaHoSo": "YH.1-261112-0006", "MaTTHC": "1.000001", "DonViXuLy": "YH.1", "TrangThaiHoSo": "2", "NgayTiepNhan": "20261112090000"}'),
    ('{"MaHoSo": "YH.1-261112-0007", "MaTTHC": "1.000001", "DonViXuLy": "YH.1", "TrangThaiHoSo": "2", "NgayTiepNhan": "20261112090000"}');
RESET session_replication_role;
SELECT state, count(*) FROM tthc.inbox GROUP BY state ORDER BY state;
SELECT tthc.retry() AS still_failing;
SELECT state, count(*) FROM tthc.inbox GROUP BY state ORDER BY state;
SELECT code FROM tthc.dossier WHERE code LIKE 'YH.1-261112-%' ORDER BY code;

-- a row inserted with its outcome (a restored dump) is a record, kept as
-- it is and not applied
INSERT INTO tthc.inbox (payload, state, attempts, result) VALUES
    ('{"MaHoSo": "YH.1-261112-0008", "MaTTHC": "1.000001", "DonViXuLy": "YH.1", "TrangThaiHoSo": "2", "NgayTiepNhan": "20261112090000"}', 'applied', 3, '{"applied": 1}')
    RETURNING state, attempts, result;
SELECT count(*) AS written FROM tthc.dossier WHERE code = 'YH.1-261112-0008';

-- a message is applied with the rights of the role that inserted it
-- (inserted_by, which only a superuser may give, as a restore does): one
-- whose role no longer exists is applied by no one
INSERT INTO tthc.inbox (payload, inserted_by) VALUES
    ('{"MaHoSo": "YH.1-261112-0009", "MaTTHC": "1.000001", "DonViXuLy": "YH.1", "TrangThaiHoSo": "2", "NgayTiepNhan": "20261112090000"}', CURRENT_USER),
    ('{"MaHoSo": "YH.1-261112-0010", "MaTTHC": "1.000001", "DonViXuLy": "YH.1", "TrangThaiHoSo": "2", "NgayTiepNhan": "20261112090000"}', 'regress_tthc_gone'),
    ('{"MaHoSo": "YH.1-261112-0011", "MaTTHC": "1.000001", "DonViXuLy": "YH.1", "TrangThaiHoSo": "2", "NgayTiepNhan": "20261112090000"}', CURRENT_USER);
SELECT payload::json ->> 'MaHoSo' AS code, state, sqlstate, error FROM tthc.inbox
 WHERE payload LIKE '%YH.1-261112-00%' AND id > (SELECT max(id) - 3 FROM tthc.inbox) ORDER BY id;
SELECT code FROM tthc.dossier WHERE code IN ('YH.1-261112-0009', 'YH.1-261112-0010', 'YH.1-261112-0011') ORDER BY code;

-- everything written through sync is in the tallies
SELECT count(*) AS differences FROM tthc.verify();
