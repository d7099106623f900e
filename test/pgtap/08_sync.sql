-- Loading dossiers through the sync inbox gives exactly the same scores as
-- writing the rows directly: 1,500 random dossiers are scored, turned into
-- DongBoHoSoMC messages, deleted, loaded again through tthc.inbox, and
-- scored again.  Also: the sync API, replays and out-of-order arrivals.
BEGIN;
SELECT plan(10);

CREATE FUNCTION pg_temp.h(i int, k int) RETURNS int
LANGUAGE sql IMMUTABLE AS 'SELECT abs(hashint4(i * 31 + k * 1000003))';

INSERT INTO tthc.agency VALUES ('QA', NULL, 'Tỉnh Q', 'province'), ('QA.1', 'QA', 'Xã Q1', 'commune'),
                               ('QA.2', 'QA', 'Xã Q2', 'commune'), ('QB', NULL, 'Bộ Q', 'ministry'),
                               ('QB.1', 'QB', 'Cục Q1', 'department');
INSERT INTO tthc.procedure (code, name, time_limit, fee_required, paper_result, for_citizens)
SELECT 'Q.' || i, 'Thủ tục ' || i, (ARRAY[1, 3, 10])[1 + i % 3], i % 2 = 0, i % 3 = 0, i % 2 = 1
  FROM generate_series(1, 6) i;
INSERT INTO tthc.service SELECT a, 'Q.' || i, (ARRAY['full', 'partial', NULL])[1 + i % 3]
  FROM unnest(ARRAY['QA.1', 'QA.2', 'QB.1']) a, generate_series(1, 6) i;

-- what a sync message can carry (no rating, no certified copy, synced)
INSERT INTO tthc.dossier (code, agency_id, procedure_code, channel, status, submitted_at, received_at,
                          finished_at, returned_at, ended_at, synced_at, supplement_requests,
                          supplement_requested_at, supplement_received_at, fee, paid_online, e_result,
                          digitized, reused_data, personal_store, population_db)
SELECT 'Q-' || i, (ARRAY['QA.1', 'QA.2', 'QB.1'])[1 + pg_temp.h(i, 1) % 3], 'Q.' || (1 + pg_temp.h(i, 2) % 6),
       1 + pg_temp.h(i, 3) % 3, st, r - interval '5 minutes', r,
       CASE WHEN st IN (9, 10) THEN r + pg_temp.h(i, 5) % 200 * interval '1 hour' END,
       CASE WHEN st = 10 THEN r + (200 + pg_temp.h(i, 6) % 20) * interval '1 hour' END,
       CASE WHEN st = 3 THEN r + interval '2 hours' END,
       r + interval '1 minute',
       sup, CASE WHEN sup = 1 THEN r + interval '20 hours' END,
       CASE WHEN sup = 1 AND pg_temp.h(i, 7) % 2 = 0 THEN r + interval '60 hours' END,
       (pg_temp.h(i, 8) % 2) * 25000, pg_temp.h(i, 9) % 3, pg_temp.h(i, 10) % 2 = 0,
       pg_temp.h(i, 11) % 3 = 0, pg_temp.h(i, 12) % 4 = 0, pg_temp.h(i, 13) % 5 = 0, pg_temp.h(i, 14) % 2 = 0
  FROM (SELECT i, date_trunc('second', timestamptz '2026-03-02 07:00+07'
                                       + pg_temp.h(i, 0) % (150 * 24 * 60) * interval '1 minute') AS r,
               (ARRAY[2, 4, 9, 10, 3, 9])[1 + pg_temp.h(i, 4) % 6] AS st,
               CASE WHEN pg_temp.h(i, 15) % 6 = 0 THEN 1 ELSE 0 END AS sup
          FROM generate_series(1, 1500) i) g;
CREATE TEMP TABLE before AS
SELECT * FROM tthc.scores_of(NULL, '2026-03-01', '2026-07-31', '766', '2026-08-01 00:00+07');

-- the rows as the portal would send them
CREATE FUNCTION pg_temp.t(x timestamptz) RETURNS text
LANGUAGE sql IMMUTABLE AS $$SELECT to_char(x AT TIME ZONE 'Asia/Ho_Chi_Minh', 'YYYYMMDDHH24MISS')$$;
CREATE TEMP TABLE msg AS
SELECT d.code, json_build_object(
         'MaHoSo', d.code, 'MaTTHC', d.procedure_code, 'DonViXuLy', d.agency_id,
         'KenhThucHien', d.channel::text, 'TrangThaiHoSo', d.status::text,
         'NgayNopHoSo', pg_temp.t(d.submitted_at), 'NgayTiepNhan', pg_temp.t(d.received_at),
         'NgayHenTra', pg_temp.t(d.due_at), 'NgayKetThucXuLy', coalesce(pg_temp.t(d.finished_at), ''),
         'NgayTra', coalesce(pg_temp.t(d.returned_at), ''), 'NgayTuChoi', coalesce(pg_temp.t(d.ended_at), ''),
         'DanhSachLePhi', CASE WHEN d.fee > 0 THEN json_build_array(json_build_object('Gia', d.fee)) ELSE '[]' END,
         'DuocThanhToanTrucTuyen', d.paid_online::text,
         'TaiLieuNop', json_build_array(json_build_object('DuocSoHoa', d.digitized::int::text,
                                                         'DuocTaiSuDung', d.reused_data::int::text,
                                                         'DuocLayTuKhoDMQG', d.personal_store::int::text)),
         'DanhSachGiayToKetQua', CASE WHEN d.e_result THEN json_build_array(json_build_object('DuongDanTepTinKetQua', 'https://kq/' || d.code)) ELSE '[]' END,
         'TaiKhoanDuocXacThucVoiVNeID', d.population_db::int::text,
         'DanhSachHoSoBoSung', CASE WHEN d.supplement_requests = 1 THEN json_build_array(json_build_object(
                'NgayBoSung', pg_temp.t(d.supplement_requested_at),
                'NgayTiepNhanBoSung', coalesce(pg_temp.t(d.supplement_received_at), ''))) ELSE '[]' END)::text AS payload
  FROM tthc.dossier d;

DELETE FROM tthc.dossier;
INSERT INTO tthc.inbox (payload) SELECT payload FROM msg ORDER BY code;
SELECT is((SELECT count(*) FROM tthc.inbox WHERE state <> 'applied'), 0::bigint, 'every message of the inbox applied');
SELECT is((SELECT count(*) FROM tthc.dossier), 1500::bigint, 'every dossier is back');
SELECT is((SELECT count(*)
             FROM before b
             FULL JOIN tthc.scores_of(NULL, '2026-03-01', '2026-07-31', '766', '2026-08-01 00:00+07') a
               USING (agency_id, criterion)
            WHERE (a.numerator, a.denominator, a.points) IS DISTINCT FROM (b.numerator, b.denominator, b.points)),
          0::bigint, 'the same scores through the inbox as from the rows');
SELECT is((SELECT count(*) FROM tthc.verify()), 0::bigint, 'the tallies equal the recompute after the load');

-- replays change nothing; an older message never moves a dossier back
SELECT is((SELECT count(*) FROM msg WHERE tthc.sync(payload) -> 'results' -> 0 ->> 'action' <> 'unchanged'),
          0::bigint, 'every message replayed is unchanged');
CREATE TEMP TABLE done AS
SELECT m.code, m.payload FROM msg m JOIN tthc.dossier d USING (code) WHERE d.status = 9 ORDER BY m.code LIMIT 1;
SELECT is(tthc.sync(((SELECT payload FROM done)::jsonb
                     || '{"TrangThaiHoSo": "4", "NgayKetThucXuLy": ""}'::jsonb)::text) -> 'results' -> 0 ->> 'action',
          'older', 'a "processing" message arriving after the dossier finished is older');
SELECT is((SELECT status FROM tthc.dossier d JOIN done USING (code)), 9::smallint,
          'and the dossier stays finished');

SELECT has_function('tthc', 'sync', ARRAY['text']);
SELECT has_function('tthc', 'retry', '{}'::name[]);
SELECT has_table('tthc', 'inbox', 'tthc.inbox');

SELECT * FROM finish();
ROLLBACK;
