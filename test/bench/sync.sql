-- test/bench/sync.sql: sync messages per second through tthc.sync (C,
-- cJSON) and through the inbox, against an equivalent PL/pgSQL function
-- over jsonb (the same fields, checks and upsert), in one run.
\set ON_ERROR_STOP 1
\set n 20000
SET client_min_messages = warning;
INSERT INTO tthc.agency VALUES ('BS', NULL, 'Tỉnh đo', 'province'), ('BS.1', 'BS', 'Xã đo', 'commune')
    ON CONFLICT DO NOTHING;
INSERT INTO tthc.procedure (code, name, time_limit) VALUES ('9.000001', 'Thủ tục đo', 3) ON CONFLICT DO NOTHING;

-- messages of a dossier's life: received, then finished, for :n dossiers
CREATE TEMP TABLE msg AS
SELECT i, s.status,
       json_build_object('MaHoSo', 'BS-' || s.p || '-' || i, 'MaTTHC', '9.000001', 'DonViXuLy', 'BS.1',
                         'KenhThucHien', (1 + i % 3)::text, 'TrangThaiHoSo', s.status::text,
                         'NgayNopHoSo', to_char(t - interval '10 minutes', 'YYYYMMDDHH24MISS'),
                         'NgayTiepNhan', to_char(t, 'YYYYMMDDHH24MISS'),
                         'NgayHenTra', to_char(t + interval '3 days', 'YYYYMMDDHH24MISS'),
                         'NgayKetThucXuLy', CASE WHEN s.status = 9 THEN to_char(t + interval '1 day', 'YYYYMMDDHH24MISS') ELSE '' END,
                         'DanhSachLePhi', json_build_array(json_build_object('Gia', '20000'), json_build_object('Gia', 5000)),
                         'DuocThanhToanTrucTuyen', (i % 3)::text, 'HoSoCoThanhPhanSoHoa', (i % 2)::text,
                         'TaiKhoanDuocXacThucVoiVNeID', (i % 4 = 0)::int::text,
                         'TaiLieuNop', json_build_array(json_build_object('DuocSoHoa', '1', 'DuocTaiSuDung', (i % 2)::text,
                                                                          'DuocLayTuKhoDMQG', '0')),
                         'DanhSachGiayToKetQua', CASE WHEN i % 2 = 0 THEN json_build_array(json_build_object('DuongDanTepTinKetQua', 'https://x/kq.pdf')) ELSE '[]'::json END
                        )::text AS payload
  FROM generate_series(1, :n) i,
       LATERAL (SELECT timestamp '2026-10-05 08:00' + (i % 200) * interval '1 day' + (i % 480) * interval '1 minute' AS t) x,
       (VALUES (2, 'c'), (9, 'c')) s(status, p);

-- the PL/pgSQL baseline: the same fields, codes, dates, fee sum and upsert
CREATE FUNCTION pg_temp.sync_plpgsql(payload text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE
    j jsonb := payload::jsonb;
    st smallint; ch smallint; fee numeric := 0; g jsonb;
    rcv timestamptz; fin timestamptz; sub timestamptz; due timestamptz;
    f text;
BEGIN
    IF j ->> 'MaHoSo' IS NULL THEN RAISE EXCEPTION '$: missing MaHoSo' USING ERRCODE = '23502'; END IF;
    st := (j ->> 'TrangThaiHoSo')::smallint;
    IF st NOT BETWEEN 1 AND 10 THEN RAISE EXCEPTION '$.TrangThaiHoSo: % is not a status', st USING ERRCODE = '22023'; END IF;
    ch := coalesce(nullif(j ->> 'KenhThucHien', '')::smallint, 1);
    IF ch NOT BETWEEN 1 AND 3 THEN RAISE EXCEPTION '$.KenhThucHien: not a channel' USING ERRCODE = '22023'; END IF;
    FOREACH f IN ARRAY ARRAY['NgayNopHoSo', 'NgayTiepNhan', 'NgayHenTra', 'NgayKetThucXuLy'] LOOP
        IF coalesce(j ->> f, '') <> '' AND j ->> f !~ '^\d{14}$' THEN
            RAISE EXCEPTION '$.%: not a date', f USING ERRCODE = '22007';
        END IF;
    END LOOP;
    sub := to_timestamp(nullif(j ->> 'NgayNopHoSo', ''), 'YYYYMMDDHH24MISS')::timestamp AT TIME ZONE 'Asia/Ho_Chi_Minh';
    rcv := to_timestamp(nullif(j ->> 'NgayTiepNhan', ''), 'YYYYMMDDHH24MISS')::timestamp AT TIME ZONE 'Asia/Ho_Chi_Minh';
    due := to_timestamp(nullif(j ->> 'NgayHenTra', ''), 'YYYYMMDDHH24MISS')::timestamp AT TIME ZONE 'Asia/Ho_Chi_Minh';
    fin := to_timestamp(nullif(j ->> 'NgayKetThucXuLy', ''), 'YYYYMMDDHH24MISS')::timestamp AT TIME ZONE 'Asia/Ho_Chi_Minh';
    FOR g IN SELECT * FROM jsonb_array_elements(coalesce(j -> 'DanhSachLePhi', '[]')) LOOP
        fee := fee + (g ->> 'Gia')::numeric;
    END LOOP;
    PERFORM 1 FROM tthc.agency WHERE id = j ->> 'DonViXuLy';
    IF NOT FOUND THEN RAISE EXCEPTION 'unknown agency' USING ERRCODE = '23503'; END IF;
    PERFORM 1 FROM tthc.procedure WHERE code = j ->> 'MaTTHC';
    IF NOT FOUND THEN RAISE EXCEPTION 'unknown procedure' USING ERRCODE = '23503'; END IF;
    INSERT INTO tthc.dossier AS d (code, agency_id, procedure_code, channel, status, submitted_at, received_at, due_at,
                                   finished_at, fee, paid_online, digitized, reused_data, personal_store,
                                   population_db, e_result, synced_at)
    VALUES (j ->> 'MaHoSo', j ->> 'DonViXuLy', j ->> 'MaTTHC', ch, st, sub, rcv, due,
            CASE WHEN st IN (9, 10) THEN fin END, fee, coalesce(nullif(j ->> 'DuocThanhToanTrucTuyen', '')::smallint, 0),
            j ->> 'HoSoCoThanhPhanSoHoa' = '1' OR EXISTS (SELECT 1 FROM jsonb_array_elements(j -> 'TaiLieuNop') t WHERE t ->> 'DuocSoHoa' = '1'),
            EXISTS (SELECT 1 FROM jsonb_array_elements(j -> 'TaiLieuNop') t WHERE t ->> 'DuocTaiSuDung' IN ('1', '2')),
            EXISTS (SELECT 1 FROM jsonb_array_elements(j -> 'TaiLieuNop') t WHERE t ->> 'DuocLayTuKhoDMQG' = '1'),
            j ->> 'TaiKhoanDuocXacThucVoiVNeID' = '1',
            EXISTS (SELECT 1 FROM jsonb_array_elements(j -> 'DanhSachGiayToKetQua') t WHERE coalesce(t ->> 'DuongDanTepTinKetQua', '') <> ''),
            now())
    ON CONFLICT (code) DO UPDATE SET status = excluded.status, finished_at = excluded.finished_at, fee = excluded.fee,
        paid_online = excluded.paid_online, digitized = excluded.digitized, e_result = excluded.e_result
    WHERE d.received_at <= excluded.received_at;
    RETURN 'ok';
EXCEPTION WHEN OTHERS THEN
    RETURN SQLERRM;
END
$$;

CREATE FUNCTION pg_temp.rate(q text) RETURNS numeric LANGUAGE plpgsql AS $$
DECLARE t0 timestamptz := clock_timestamp(); n bigint;
BEGIN
    EXECUTE q INTO n;
    RETURN round(n / extract(epoch FROM clock_timestamp() - t0)::numeric);
END
$$;

-- each way on its own dossiers (codes differ by a prefix), in turns
\pset footer off
SELECT r.way, r.rate AS "messages/s" FROM (
    SELECT 1 AS o, 'tthc.sync (C)' AS way,
           pg_temp.rate($q$SELECT count(tthc.sync(replace(payload, '"BS-c-', '"BS-a-'))) FROM (SELECT payload FROM msg ORDER BY status, i) m$q$) AS rate
    UNION ALL
    SELECT 2, 'PL/pgSQL over jsonb',
           pg_temp.rate($q$SELECT count(pg_temp.sync_plpgsql(replace(payload, '"BS-c-', '"BS-b-'))) FROM (SELECT payload FROM msg ORDER BY status, i) m$q$)
    UNION ALL
    SELECT 3, 'the inbox (INSERT, trigger, tthc.sync)',
           pg_temp.rate($q$WITH x AS (INSERT INTO tthc.inbox (payload) SELECT replace(payload, '"BS-c-', '"BS-d-') FROM (SELECT payload FROM msg ORDER BY status, i) m RETURNING 1) SELECT count(*) FROM x$q$)
) r ORDER BY r.o;
SELECT count(*) FILTER (WHERE code LIKE 'BS-a-%') AS "dossiers by tthc.sync",
       count(*) FILTER (WHERE code LIKE 'BS-b-%') AS "by PL/pgSQL",
       count(*) FILTER (WHERE code LIKE 'BS-d-%') AS "by the inbox"
  FROM tthc.dossier WHERE code LIKE 'BS-%';
SELECT count(*) FILTER (WHERE state <> 'applied') AS "inbox messages not applied" FROM tthc.inbox;
