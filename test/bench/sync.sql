-- test/bench/sync.sql: sync messages per second through tthc.sync (C,
-- cJSON) and through the inbox, against an equivalent PL/pgSQL function
-- over jsonb (the same fields, checks and upsert), in one run: messages of
-- one dossier each, then the portal's batches (arrays of 100 dossiers), which
-- the PL/pgSQL function takes element by element, each in its own
-- subtransaction as tthc.sync does, so that one bad element loses nothing.
\set ON_ERROR_STOP 1
\set n 10000
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

-- The floor of any way that writes one dossier per call: the PL/pgSQL
-- function's upsert alone, in its subtransaction, on values already typed
-- (no JSON at all).  Its rate over the PL/pgSQL function's is the most that
-- a faster parser could give one dossier a call.
CREATE TEMP TABLE typed AS
SELECT j ->> 'MaHoSo' AS code, j ->> 'DonViXuLy' AS agency_id, j ->> 'MaTTHC' AS procedure_code,
       (j ->> 'KenhThucHien')::smallint AS channel, (j ->> 'TrangThaiHoSo')::smallint AS status,
       to_timestamp(j ->> 'NgayNopHoSo', 'YYYYMMDDHH24MISS')::timestamp AT TIME ZONE 'Asia/Ho_Chi_Minh' AS submitted_at,
       to_timestamp(j ->> 'NgayTiepNhan', 'YYYYMMDDHH24MISS')::timestamp AT TIME ZONE 'Asia/Ho_Chi_Minh' AS received_at,
       to_timestamp(j ->> 'NgayHenTra', 'YYYYMMDDHH24MISS')::timestamp AT TIME ZONE 'Asia/Ho_Chi_Minh' AS due_at,
       to_timestamp(nullif(j ->> 'NgayKetThucXuLy', ''), 'YYYYMMDDHH24MISS')::timestamp AT TIME ZONE 'Asia/Ho_Chi_Minh' AS finished_at,
       25000::numeric AS fee, (j ->> 'DuocThanhToanTrucTuyen')::smallint AS paid_online,
       true AS digitized, j -> 'TaiLieuNop' -> 0 ->> 'DuocTaiSuDung' = '1' AS reused_data, false AS personal_store,
       j ->> 'TaiKhoanDuocXacThucVoiVNeID' = '1' AS population_db, jsonb_array_length(j -> 'DanhSachGiayToKetQua') > 0 AS e_result,
       i, status AS o_status
  FROM (SELECT i, status, payload::jsonb AS j FROM msg) m;
CREATE FUNCTION pg_temp.upsert_typed(t typed, prefix text) RETURNS text LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO tthc.dossier AS d (code, agency_id, procedure_code, channel, status, submitted_at, received_at, due_at,
                                   finished_at, fee, paid_online, digitized, reused_data, personal_store,
                                   population_db, e_result, synced_at)
    VALUES (replace(t.code, 'BS-c-', prefix), t.agency_id, t.procedure_code, t.channel, t.status, t.submitted_at,
            t.received_at, t.due_at, t.finished_at, t.fee, t.paid_online, t.digitized, t.reused_data,
            t.personal_store, t.population_db, t.e_result, now())
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

-- the portal's batches: arrays of 100 dossiers
CREATE TEMP TABLE batch AS
SELECT (m.o - 1) / 100 AS b, count(*) AS n, '[' || string_agg(m.payload, ',' ORDER BY m.o) || ']' AS payload
  FROM (SELECT payload, row_number() OVER (ORDER BY status, i) AS o FROM msg) m
 GROUP BY 1;
CREATE FUNCTION pg_temp.sync_plpgsql_array(payload text) RETURNS integer LANGUAGE plpgsql AS $$
DECLARE
    e jsonb;
    n integer := 0;
BEGIN
    FOR e IN SELECT * FROM jsonb_array_elements(payload::jsonb) LOOP
        PERFORM pg_temp.sync_plpgsql(e::text);
        n := n + 1;
    END LOOP;
    RETURN n;
END
$$;

-- Each way on its own dossiers (codes differ by a prefix per way and
-- round), the six ways in turns, :rounds rounds: the machine's load falls on
-- all of them alike.  Rates are dossiers per second (a message of one
-- dossier, or an element of an array); the median round is shown, with its
-- ratio to the PL/pgSQL function taking the same messages.
\set rounds 5
CREATE TEMP TABLE way (o int, way text, q text);
INSERT INTO way VALUES
 (1, 'tthc.sync (C), one dossier a message',
  $q$SELECT count(tthc.sync(replace(payload, '"BS-c-', '"BS-%s-'))) FROM (SELECT payload FROM msg ORDER BY status, i) m$q$),
 (2, 'PL/pgSQL over jsonb, one dossier a message',
  $q$SELECT count(pg_temp.sync_plpgsql(replace(payload, '"BS-c-', '"BS-%s-'))) FROM (SELECT payload FROM msg ORDER BY status, i) m$q$),
 (3, 'the inbox, one dossier a message',
  $q$WITH x AS (INSERT INTO tthc.inbox (payload) SELECT replace(payload, '"BS-c-', '"BS-%s-') FROM (SELECT payload FROM msg ORDER BY status, i) m RETURNING 1) SELECT count(*) FROM x$q$),
 (7, 'the upsert alone, typed (no JSON), one a call',
  $q$SELECT count(pg_temp.upsert_typed(t, 'BS-%s-')) FROM (SELECT * FROM typed ORDER BY o_status, i) t$q$),
 (4, 'tthc.sync (C), arrays of 100',
  $q$SELECT sum(jsonb_array_length(tthc.sync(replace(payload, '"BS-c-', '"BS-%s-')) -> 'results')) FROM (SELECT payload FROM batch ORDER BY b) m$q$),
 (5, 'PL/pgSQL over jsonb, arrays of 100',
  $q$SELECT sum(pg_temp.sync_plpgsql_array(replace(payload, '"BS-c-', '"BS-%s-'))) FROM (SELECT payload FROM batch ORDER BY b) m$q$),
 (6, 'the inbox, arrays of 100',
  $q$WITH x AS (INSERT INTO tthc.inbox (payload) SELECT replace(payload, '"BS-c-', '"BS-%s-') FROM (SELECT payload FROM batch ORDER BY b) m RETURNING 1) SELECT CASE WHEN count(*) = (SELECT count(*) FROM batch) THEN (SELECT sum(n) FROM batch) END FROM x$q$);
CREATE TEMP TABLE measured (o int, round int, rate numeric);
SELECT format('INSERT INTO measured SELECT %s, %s, pg_temp.rate(%L)', w.o, r, format(w.q, w.o || 'r' || r))
  FROM generate_series(1, :rounds) r, way w ORDER BY r, w.o \gexec
\pset footer off
SELECT w.way, m.rate AS "dossiers/s",
       CASE WHEN w.o IN (2, 5) THEN '' ELSE round(m.rate / p.rate, 2)::text || 'x' END AS "ratio to PL/pgSQL"
  FROM way w
  JOIN LATERAL (SELECT percentile_disc(0.5) WITHIN GROUP (ORDER BY x.rate) AS rate FROM measured x WHERE x.o = w.o) m ON true
  JOIN LATERAL (SELECT percentile_disc(0.5) WITHIN GROUP (ORDER BY x.rate) AS rate FROM measured x
                 WHERE x.o = CASE WHEN w.o IN (1, 2, 3, 7) THEN 2 ELSE 5 END) p ON true
 ORDER BY CASE WHEN w.o = 7 THEN 3.5 ELSE w.o END;
SELECT count(*) AS "dossiers written (each way, each round)" FROM tthc.dossier WHERE code LIKE 'BS-%';
-- Through the inbox, every dossier of every round applied (the messages
-- after the first of a statement are applied when it ends: their outcome
-- is read from the table, not from RETURNING)
SELECT count(*) FILTER (WHERE state <> 'applied') AS "inbox messages not applied",
       sum((result ->> 'applied')::int) AS "dossiers the inbox applied"
  FROM tthc.inbox;
