-- ---------------------------------------------------------------------------
-- generate_dossiers.sql: fill tthc.dossier, tthc.dossier_step and
-- tthc.feedback with realistic demo dossiers, for the catalogue that
-- demo/generate_catalogue.sql made (run it first, in the same database).
--
--   psql -X -v ON_ERROR_STOP=1 [-v count=200000] [-v seed=766] \
--        [-v until=2026-11-23] -d DB -f demo/generate_dossiers.sql
--
--   count   number of dossiers (default 200000).  Set-based, in batches of
--           about 1,000,000 rows (whole days each): 10,000,000 is fine.
--   seed    any text (default 766).  The same seed, count, until and
--           catalogue give exactly the same rows: every "random" choice is a
--           hash of the seed and of the dossier's number or key, never
--           random(), so it does not depend on plan order.
--   until   the last day of receipt (default: today in Asia/Ho_Chi_Minh).
--           Dossiers are received from 2025-01-01 to until, on working days
--           in working hours (a few on Saturday mornings), denser in recent
--           months.  The rows describe the state at the end of that day:
--           what would happen later has not happened yet (those dossiers are
--           still open), so old dossiers are mostly finished or returned and
--           recent ones often open.
--
-- Replaces every dossier, step and feedback item (this script owns the demo
-- dossiers: run it on a demo database).  One transaction: a failure leaves
-- the tables as they were.  The tallies are suspended during the load and
-- rebuilt once at its end (tthc.suspend_tallies / tthc.resume_tallies).
--
-- Shapes: ~62% of dossiers at communes, ~27% at provincial departments, ~11%
-- at ministries' units; ~60% online (only where the service is online), ~3%
-- postal; ~8% with a supplement request (15% of those two); ~7-9% late (per
-- agency from 1% to 17%; two supplement requests always make a dossier late);
-- fees on fee procedures, ~40% of them paid online; ~5% inter-agency with 2-3
-- steps; a feedback item per ~500 dossiers.  due_at is computed here with
-- tthc.add_working_time (the same rule the trigger applies), both to place
-- finish times around it and to spare the trigger a look-up per row.
-- ---------------------------------------------------------------------------

\if :{?count}
\else
  \set count 200000
\endif
\if :{?seed}
\else
  \set seed 766
\endif
\if :{?until}
\else
  SELECT (now() AT TIME ZONE 'Asia/Ho_Chi_Minh')::date AS until \gset
\endif

\set QUIET on
SET client_min_messages = warning;

-- count and until must make sense; say so clearly otherwise.
SELECT pg_catalog.set_config('tthc_demo.count', :'count', false) AS count_setting,
       pg_catalog.set_config('tthc_demo.until', :'until', false) AS until_setting \gset
DO $$
DECLARE
    c text := current_setting('tthc_demo.count');
    u text := current_setting('tthc_demo.until');
    d date;
BEGIN
    IF c !~ '^\s*[0-9]+\s*$' OR c::numeric < 1 OR c::numeric > 1000000000 THEN
        RAISE EXCEPTION 'count must be a whole number from 1 to 1000000000, not "%"', c
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    BEGIN
        d := u::date;
    EXCEPTION WHEN others THEN
        RAISE EXCEPTION 'until must be a date (YYYY-MM-DD), not "%"', u
            USING ERRCODE = 'invalid_parameter_value';
    END;
    IF d < date '2025-01-02' OR d > (SELECT c.last_day - 200 FROM tthc.calendar_bounds() c) THEN
        RAISE EXCEPTION 'until % is outside 2025-01-02 .. %', d,
                        (SELECT c.last_day - 200 FROM tthc.calendar_bounds() c)
            USING ERRCODE = 'invalid_parameter_value',
                  HINT = 'Dossiers are received from 2025-01-01; the calendar must cover their due dates (tthc.fill_calendar).';
    END IF;
    IF NOT EXISTS (SELECT 1 FROM tthc.service) THEN
        RAISE EXCEPTION 'tthc.service is empty'
            USING ERRCODE = 'invalid_parameter_value',
                  HINT = 'Run demo/generate_catalogue.sql first.';
    END IF;
END
$$;

BEGIN;
SET LOCAL work_mem = '256MB';
SET LOCAL jit = off;

-- ---------------------------------------------------------------------------
-- Deterministic pseudo-randomness, the seed baked in.
--   hi(n, k): 53 bits from dossier number n and draw k; u(n, k) in [0, 1).
--   h(key) in [0, 2^31) and ut(key) in [0, 1) for text keys (as in
--   generate_catalogue.sql).
-- ---------------------------------------------------------------------------
SELECT format('CREATE OR REPLACE FUNCTION pg_temp.hi(n bigint, k integer) RETURNS bigint '
              'LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS %L',
              format('SELECT hashint8extended(n, %s + k) & 9007199254740991',
                     hashtext(:'seed')::bigint * 1000))
\gexec
SELECT format('CREATE OR REPLACE FUNCTION pg_temp.h(k text) RETURNS integer '
              'LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS %L',
              format('SELECT hashtext(%L || '':'' || k) & 2147483647', :'seed'))
\gexec
CREATE OR REPLACE FUNCTION pg_temp.u(n bigint, k integer) RETURNS double precision
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    AS 'SELECT pg_temp.hi(n, k) / 9007199254740992.0::double precision';
CREATE OR REPLACE FUNCTION pg_temp.ut(k text) RETURNS double precision
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    AS 'SELECT pg_temp.h(k) / 2147483648.0::double precision';
-- zero-padded number that never truncates
CREATE OR REPLACE FUNCTION pg_temp.pad(n bigint, w integer) RETURNS text
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    AS 'SELECT lpad(n::text, greatest(w, length(n::text)), ''0'')';
-- working time after t (working days), counted from t itself
-- (to the second, as the portals record times)
CREATE OR REPLACE FUNCTION pg_temp.wadd(t timestamptz, days numeric) RETURNS timestamptz
    LANGUAGE sql STABLE STRICT PARALLEL SAFE
    AS 'SELECT date_trunc(''second'', tthc.add_working_time(t, days, ''working_day'', false))';

-- t when it is before s, else NULL (it has not happened yet)
CREATE OR REPLACE FUNCTION pg_temp.before(t timestamptz, s timestamptz) RETURNS timestamptz
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS 'SELECT CASE WHEN t < s THEN t END';

-- An officer of an agency: each agency has a small pool (i = 0..5) of
-- Vietnamese names.
CREATE OR REPLACE FUNCTION pg_temp.officer(agency text, i integer) RETURNS text
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $f$
SELECT fam[1 + pg_temp.h('ofam:' || agency || ':' || i) % cardinality(fam)] || ' '
       || CASE WHEN female
               THEN fmid[1 + pg_temp.h('omid:' || agency || ':' || i) % cardinality(fmid)] || ' '
                    || fgiv[1 + pg_temp.h('ogiv:' || agency || ':' || i) % cardinality(fgiv)]
               ELSE mmid[1 + pg_temp.h('omid:' || agency || ':' || i) % cardinality(mmid)] || ' '
                    || mgiv[1 + pg_temp.h('ogiv:' || agency || ':' || i) % cardinality(mgiv)] END
  FROM (SELECT pg_temp.h('osex:' || agency || ':' || i) % 100 < 55 AS female,
               -- family names roughly as frequent as in Vietnam
               '{Nguyễn,Nguyễn,Nguyễn,Nguyễn,Nguyễn,Nguyễn,Nguyễn,Trần,Trần,Trần,Lê,Lê,Phạm,Phạm,Hoàng,Huỳnh,Phan,Vũ,Võ,Đặng,Bùi,Đỗ,Hồ,Ngô,Dương,Lý,Đinh,Trương,Lương,Mai}'::text[] AS fam,
               '{Văn,Văn,Đức,Minh,Hữu,Quốc,Thanh,Công,Xuân,Ngọc,Đình,Quang}'::text[] AS mmid,
               '{An,Bình,Cường,Dũng,Duy,Hải,Hiếu,Hùng,Huy,Khánh,Khoa,Long,Minh,Nam,Phong,Phúc,Quân,Sơn,Tài,Thắng,Thành,Tuấn,Trung,Việt,Vinh}'::text[] AS mgiv,
               '{Thị,Thị,Thị,Ngọc,Thu,Thanh,Minh,Hoài,Kim,Phương,Bích,Mỹ}'::text[] AS fmid,
               '{Anh,Châu,Dung,Giang,Hà,Hạnh,Hằng,Hoa,Huyền,Hương,Lan,Linh,Loan,Mai,Nga,Ngân,Nhung,Oanh,Phương,Quyên,Thảo,Trang,Tuyết,Vân,Vy,Yến}'::text[] AS fgiv) x
$f$;

-- ---------------------------------------------------------------------------
-- Replace the previous dossiers: TRUNCATE is the DELETE of everything, in
-- one step (a DELETE of millions of rows would fire the cascades row by
-- row); it empties the tallies too.  Then stop maintaining the tallies
-- until the load is done.
-- ---------------------------------------------------------------------------
TRUNCATE tthc.onestop_rating, tthc.feedback, tthc.dossier_step, tthc.dossier;
SELECT tthc.suspend_tallies() AS suspended \gset

-- ---------------------------------------------------------------------------
-- Parameters.  s0: the end of the day "until" (Vietnam), the instant the
-- rows describe: nothing in them happens at or after it.
-- ---------------------------------------------------------------------------
CREATE TEMP TABLE prm ON COMMIT DROP AS
SELECT :'count'::bigint AS n_total,
       :'until'::date AS until,
       ((:'until'::date + 1)::timestamp AT TIME ZONE 'Asia/Ho_Chi_Minh') AS s0;

-- Where dossiers go.  level: 1 commune, 2 provincial department (and other
-- provincial units), 3 ministries and their units.
CREATE TEMP TABLE svc ON COMMIT DROP AS
SELECT row_number() OVER (ORDER BY s.agency_id, s.procedure_code)::integer AS sid,
       s.agency_id, s.procedure_code, s.online_level,
       CASE WHEN top.kind = 'ministry' THEN 3 WHEN a.kind = 'commune' THEN 1 ELSE 2 END AS level,
       t.top_id,
       p.time_limit, p.time_unit, p.fee_required, p.paper_result, p.for_citizens, p.is_certification,
       -- a procedure's fee (VND): one usual amount per procedure
       (ARRAY[20000, 25000, 30000, 50000, 50000, 100000, 100000, 150000, 200000, 300000, 500000])
           [1 + pg_temp.h('fee:' || p.code) % 11]::numeric AS fee_base,
       -- how busy: agencies 1-2, procedures 1-3 (civil status and
       -- certification three times more, land twice), and the services
       -- put online are the busy ones (full x3, partial x2)
       (1 + pg_temp.h('agw:' || s.agency_id) % 2)
       * (1 + floor(3 * power(pg_temp.ut('prw:' || p.code), 2)))::integer
       * CASE WHEN p.sector IN ('Hộ tịch', 'Chứng thực') THEN 3 WHEN p.sector = 'Đất đai' THEN 2 ELSE 1 END
       * CASE s.online_level WHEN 'full' THEN 3 WHEN 'partial' THEN 2 ELSE 1 END
           AS weight,
       -- agencies differ in timeliness: 1% to 17% of their dossiers late
       0.01 + 0.16 * power(pg_temp.ut('lateshare:' || s.agency_id), 2) AS p_late
  FROM tthc.service s
  JOIN tthc.agency a ON a.id = s.agency_id
  JOIN tthc.agency_tree t ON t.id = s.agency_id
  JOIN tthc.agency top ON top.id = t.top_id
  JOIN tthc.procedure p ON p.code = s.procedure_code;
ALTER TABLE svc ADD PRIMARY KEY (sid);

-- Each service takes "weight" consecutive slots of its level; a dossier
-- picks a level, then a slot uniformly.
CREATE TEMP TABLE slot ON COMMIT DROP AS
SELECT level, first_slot + i AS slot, sid
  FROM (SELECT level, sid, weight,
               (sum(weight) OVER (PARTITION BY level ORDER BY sid) - weight)::integer AS first_slot
          FROM svc) s
 CROSS JOIN LATERAL generate_series(0, weight - 1) AS i;
ALTER TABLE slot ADD PRIMARY KEY (level, slot);

-- Level shares (62 / 27 / 11%, renormalised over the levels that have
-- services) and the share online among dossiers that can be (so that ~60%
-- of all are online).
CREATE TEMP TABLE lvl ON COMMIT DROP AS
WITH l AS (
    SELECT level, sum(weight) AS nslots,
           sum(weight) FILTER (WHERE online_level = 'full')::numeric / sum(weight) AS cap_full,
           sum(weight) FILTER (WHERE online_level = 'partial')::numeric / sum(weight) AS cap_partial,
           CASE level WHEN 1 THEN 0.62 WHEN 2 THEN 0.27 ELSE 0.11 END AS want
      FROM svc GROUP BY level)
SELECT level, nslots::bigint, cap_full, cap_partial, want / sum(want) OVER () AS share FROM l;
ALTER TABLE prm
    ADD COLUMN share1 double precision, ADD COLUMN share2 double precision,
    ADD COLUMN ns1 bigint, ADD COLUMN ns2 bigint, ADD COLUMN ns3 bigint,
    ADD COLUMN p_full double precision, ADD COLUMN p_partial double precision;
UPDATE prm SET
    share1 = coalesce((SELECT share FROM lvl WHERE level = 1), 0),
    share2 = coalesce((SELECT share FROM lvl WHERE level = 2), 0),
    ns1 = coalesce((SELECT nslots FROM lvl WHERE level = 1), 0),
    ns2 = coalesce((SELECT nslots FROM lvl WHERE level = 2), 0),
    ns3 = coalesce((SELECT nslots FROM lvl WHERE level = 3), 0),
    -- fully online services more often used online than partly online ones
    p_full = least(0.97, 1.15 * 0.60 / greatest(0.01, (SELECT sum(share * (1.15 * cap_full + 0.85 * cap_partial)) FROM lvl))),
    p_partial = least(0.97, 0.85 * 0.60 / greatest(0.01, (SELECT sum(share * (1.15 * cap_full + 0.85 * cap_partial)) FROM lvl)));

-- Days of receipt and how many dossiers each: working days with a slow
-- upward trend (x1.6 over the period), a Tết dip, a July 2025 dip (the new
-- communes starting), a December rush; Saturday mornings a little.  Day
-- i takes dossier numbers first_n .. next_n - 1; batches of ~1,000,000
-- numbers are made of whole days (so a day's sequence numbers are unique).
CREATE TEMP TABLE days ON COMMIT DROP AS
WITH d AS (
    SELECT day::date AS day, tthc.is_working_day(day::date) AS working,
           extract(isodow FROM day) = 6 AND NOT EXISTS (SELECT 1 FROM tthc.holiday h WHERE h.day = d0.day::date) AS saturday
      FROM prm, generate_series(timestamp '2025-01-01', prm.until::timestamp, interval '1 day') AS d0(day)),
w AS (
    SELECT d.day, NOT d.working AS saturday,
           round((CASE WHEN d.working THEN 1.0 ELSE 0.04 END)
                 * (1 + 0.6 * (d.day - date '2025-01-01') / greatest(1, prm.until - date '2025-01-01'))
                 * CASE to_char(d.day, 'YYYY-MM')
                       WHEN '2025-01' THEN 0.85 WHEN '2025-02' THEN 0.8 WHEN '2025-07' THEN 0.8
                       WHEN '2026-02' THEN 0.7
                       ELSE CASE WHEN extract(month FROM d.day) = 12 THEN 1.12 ELSE 1 END END
                 * (0.9 + 0.2 * pg_temp.ut('dayvol:' || d.day)::numeric), 6) AS weight
      FROM d, prm
     WHERE d.working OR d.saturday),
c AS (
    SELECT w.*, sum(weight) OVER (ORDER BY day) AS cum, sum(weight) OVER () AS total FROM w)
SELECT day, saturday,
       floor(prm.n_total * (cum - weight) / total)::bigint AS first_n,
       floor(prm.n_total * cum / total)::bigint AS next_n
  FROM c, prm;
ALTER TABLE days ADD COLUMN batch integer;
UPDATE days SET batch = (first_n / 1000000)::integer;
ANALYZE svc, slot, days;

-- ---------------------------------------------------------------------------
-- The dossiers of one batch.  Draws u(n, k) by k:
--   1 level   2 slot   3 time of day   4 channel   5 submission lead
--   6 outcome (refused at the door 1%, refused 1%, withdrawn 1.2%,
--     stopped 0.4%, else handled)   7 supplement   8 two requests
--   9 late   10 share of the time limit used   11 when the request comes
--   12 applicant's time   13 how late   14 wait for the result   15 result
--   collected   16 open status   17 fee   18-19 paid online   20 e-result
--   21 digitized   22 reused data   23 personal store   24 VNeID
--   25 e-certified copy   26-27 synced   28-29 rating   30 not yet received
--   31 when refused / withdrawn / stopped
-- Times are planned in working time from the receipt r, with the due time D
-- and W = the working days from r to D: on time = a share of W, late = W +
-- some more; the applicant's time for a supplement does not count, as in the
-- engine (one request answered moves D by it).  Then what would happen at
-- or after s0 is cut: those dossiers are open.
-- ---------------------------------------------------------------------------
CREATE FUNCTION pg_temp.gen(p_batch integer)
RETURNS TABLE (code text, agency_id text, procedure_code text, channel smallint, status smallint,
               submitted_at timestamptz, received_at timestamptz, due_at timestamptz,
               finished_at timestamptz, returned_at timestamptz, ended_at timestamptz,
               synced_at timestamptz, supplement_requests smallint,
               supplement_requested_at timestamptz, supplement_received_at timestamptz,
               fee numeric, paid_online smallint, e_result boolean, digitized boolean,
               reused_data boolean, personal_store boolean, population_db boolean,
               e_certified_copy boolean, rating smallint)
LANGUAGE sql STABLE AS $f$
SELECT z.agency_id || '-' || to_char(z.day, 'YYMMDD') || '-'
           || pg_temp.pad(row_number() OVER (PARTITION BY z.agency_id, z.day ORDER BY z.r, z.n), 4),
       z.agency_id, z.procedure_code, z.channel::smallint, z.status::smallint,
       z.submitted,
       CASE WHEN z.rcv THEN z.r END,
       CASE WHEN z.rcv THEN z.due END,
       CASE WHEN z.status IN (9, 10) THEN z.fin END,
       CASE WHEN z.status = 10 THEN z.ret END,
       CASE WHEN z.status IN (3, 7, 8) THEN z.fin END,
       CASE WHEN z.rcv AND pg_temp.u(z.n, 26) < 0.92
            THEN z.r + make_interval(secs => 30 + floor(1170 * pg_temp.u(z.n, 27))) END,
       CASE WHEN z.req THEN z.nreq ELSE 0 END::smallint,
       CASE WHEN z.req THEN z.rq END,
       CASE WHEN z.req AND z.sa < z.s0 THEN z.sa END,
       z.fee,
       CASE WHEN z.fee > 0 AND z.status NOT IN (1, 6)
                 AND pg_temp.u(z.n, 18) < CASE WHEN z.channel = 2 THEN 0.58 ELSE 0.12 END
            THEN CASE WHEN pg_temp.u(z.n, 19) < 0.55 THEN 1 ELSE 2 END
            ELSE 0 END::smallint,
       z.status IN (9, 10)
           AND pg_temp.u(z.n, 20) < CASE WHEN NOT z.paper_result THEN 0.30
                                         WHEN z.channel = 2 THEN 0.65 ELSE 0.40 END,
       z.rcv AND pg_temp.u(z.n, 21) < CASE WHEN z.channel = 2 THEN 0.72 ELSE 0.42 END,
       z.rcv AND pg_temp.u(z.n, 22) < CASE WHEN z.channel = 2 THEN 0.35 ELSE 0.22 END,
       z.rcv AND pg_temp.u(z.n, 23) < CASE WHEN z.channel = 2 THEN 0.26 ELSE 0.11 END,
       z.rcv AND pg_temp.u(z.n, 24) < CASE WHEN NOT z.for_citizens THEN 0.03
                                           WHEN z.channel = 2 THEN 0.60 ELSE 0.36 END,
       z.status IN (9, 10) AND z.is_certification AND pg_temp.u(z.n, 25) < 0.43,
       CASE WHEN z.status IN (9, 10)
                 AND pg_temp.u(z.n, 28) < CASE WHEN z.channel = 2 THEN 0.25 ELSE 0.13 END
            THEN CASE WHEN pg_temp.u(z.n, 29) < CASE WHEN z.late THEN 0.35 ELSE 0.06 END
                      THEN -1 ELSE 1 END END::smallint
FROM (
  -- status at s0, and what is visible of the plan
  SELECT y.*,
         y.status NOT IN (1) AND NOT (y.status = 3 AND y.outcome = 0) AS rcv,
         y.sup AND y.status <> 1 AND y.rq < y.s0 AS req
    FROM (
      SELECT x.*,
             CASE
                 WHEN x.is_new THEN 1
                 WHEN x.outcome = 0 THEN 3           -- refused at the door, never received
                 WHEN x.fin < x.s0 THEN
                     CASE x.outcome WHEN 1 THEN 3 WHEN 2 THEN 7 WHEN 3 THEN 8
                          ELSE CASE WHEN x.ret < x.s0 AND pg_temp.u(x.n, 15) < 0.72 THEN 10 ELSE 9 END END
                 WHEN x.sup AND x.rq < x.s0 AND x.sa >= x.s0 THEN 5
                 WHEN x.fee > 0 AND pg_temp.u(x.n, 16) >= 0.8 THEN 6
                 WHEN (NOT x.sup OR x.rq >= x.s0)
                      AND (x.r > x.s0 - interval '2 days' OR pg_temp.u(x.n, 16) < 0.12) THEN 2
                 ELSE 4
             END AS status
        FROM (
          -- the result is returned some working time after it is ready
          SELECT f.*,
                 CASE WHEN f.outcome = 4
                      THEN pg_temp.wadd(f.fin, round((0.02 + 4 * power(pg_temp.u(f.n, 14), 2))::numeric, 4)) END AS ret
            FROM (
              -- the end: finished (4), or refused (1), withdrawn (2), stopped (3)
              SELECT e.*,
                     CASE e.outcome
                         WHEN 0 THEN e.r + make_interval(secs => 60 + floor(3540 * pg_temp.u(e.n, 31)))
                         WHEN 1 THEN pg_temp.wadd(e.r, round(((0.05 + 0.4 * pg_temp.u(e.n, 31)) * e.w)::numeric, 6))
                         WHEN 2 THEN pg_temp.wadd(e.r, round(((0.05 + 0.8 * pg_temp.u(e.n, 31)) * e.w)::numeric, 6))
                         WHEN 3 THEN pg_temp.wadd(e.r, round(((0.10 + 1.1 * pg_temp.u(e.n, 31)) * e.w)::numeric, 6))
                         WHEN 4 THEN CASE WHEN e.sup THEN pg_temp.wadd(e.sa, round((e.work - e.a * e.w)::numeric, 6))
                                          ELSE pg_temp.wadd(e.r, round(e.work::numeric, 6)) END
                     END AS fin
                FROM (
                  -- the applicant re-submits kd working days after the request
                  SELECT d.*,
                         CASE WHEN d.sup THEN pg_temp.wadd(d.rq, round(d.kd::numeric, 4)) END AS sa
                    FROM (
                      -- the (latest) supplement request, at a share a of W
                      SELECT c.*,
                             CASE WHEN c.sup THEN pg_temp.wadd(c.r, round((c.a * c.w)::numeric, 6)) END AS rq
                        FROM (
                          -- W, and the working time the handling takes
                          SELECT b.*,
                                 -- the share of W used by on-time dossiers, early ones the most
                                 b.f * (0.15 + 0.6 * pg_temp.u(b.n, 11)) AS a,
                                 0.5 + 9.5 * power(pg_temp.u(b.n, 12), 2) AS kd,
                                 CASE WHEN b.late
                                      THEN b.w * (1.05 + 0.5 * power(pg_temp.u(b.n, 13), 2))
                                           + 5 * power(pg_temp.u(b.n, 13), 3)
                                      ELSE b.f * b.w END AS work
                            FROM (
                              SELECT a.*,
                                     coalesce(tthc.working_days_between(a.r, a.due)::double precision, 10) AS w
                                FROM (
                                  -- the due time, as the trigger computes it
                                  SELECT q.*,
                                         CASE WHEN q.time_limit IS NOT NULL
                                              THEN tthc.add_working_time(q.r, q.time_limit, q.time_unit) END AS due
                                    FROM (
                                      -- the dossier: where, how, when received, what will happen
                                      SELECT p.*,
                                             p.outcome = 4 AND p.time_limit IS NOT NULL
                                                 AND ((p.sup AND p.nreq = 2) OR pg_temp.u(p.n, 9) < p.p_late) AS late,
                                             0.02 + 0.96 * power(pg_temp.u(p.n, 10), 1.3) AS f,
                                             p.channel = 2 AND p.r > p.s0 - interval '3 days'
                                                 AND pg_temp.u(p.n, 30) < 0.25 AS is_new,
                                             CASE p.channel
                                                 WHEN 1 THEN p.r - make_interval(secs => 60 + floor(2400 * pg_temp.u(p.n, 5)))
                                                 WHEN 2 THEN p.r - make_interval(secs => 600 + floor(259200 * power(pg_temp.u(p.n, 5), 2)))
                                                 ELSE p.r - make_interval(secs => 86400 + floor(345600 * pg_temp.u(p.n, 5)))
                                             END AS submitted,
                                             CASE WHEN p.fee_required AND p.outcome <> 0
                                                       AND pg_temp.u(p.n, 17) >= 0.08
                                                  THEN CASE WHEN pg_temp.u(p.n, 17) < 0.75 THEN p.fee_base
                                                            ELSE least(500000, 2 * p.fee_base) END
                                                  ELSE 0 END AS fee
                                        FROM (
                                          SELECT o.*,
                                                 CASE WHEN pg_temp.u(o.n, 4) < CASE o.online_level WHEN 'full' THEN o.p_full
                                                                                                   WHEN 'partial' THEN o.p_partial
                                                                                                   ELSE 0 END THEN 2
                                                      -- postal: 3% of all, 7.5% of the 40% not online
                                                      WHEN pg_temp.u(o.n, 32) < 0.075 THEN 3
                                                      ELSE 1 END AS channel,
                                                 CASE WHEN pg_temp.u(o.n, 6) < 0.010 THEN 0
                                                      WHEN pg_temp.u(o.n, 6) < 0.020 THEN 1
                                                      WHEN pg_temp.u(o.n, 6) < 0.032 THEN 2
                                                      WHEN pg_temp.u(o.n, 6) < 0.036 THEN 3
                                                      ELSE 4 END AS outcome,
                                                 -- supplement requests: only for dossiers handled to the end
                                                 pg_temp.u(o.n, 7) < 0.08 AND pg_temp.u(o.n, 6) >= 0.036 AS sup,
                                                 CASE WHEN pg_temp.u(o.n, 8) < 0.15 THEN 2 ELSE 1 END AS nreq,
                                                 -- the time of receipt: 07:00-11:30 and 13:30-17:00
                                                 -- (Saturdays 07:30-11:30), busier in the morning
                                                 ((o.day + CASE WHEN o.saturday
                                                                THEN time '07:30' + make_interval(secs => floor(14400 * pg_temp.u(o.n, 3)))
                                                                ELSE time '07:00' + make_interval(secs => o.tod + CASE WHEN o.tod >= 16200 THEN 7200 ELSE 0 END)
                                                           END) AT TIME ZONE 'Asia/Ho_Chi_Minh') AS r
                                            FROM (
                                              SELECT dd.day, dd.saturday, g.n, prm.s0, prm.p_full, prm.p_partial,
                                                     floor(28800 * power(pg_temp.u(g.n, 3), 1.15))::integer AS tod,
                                                     v.agency_id, v.procedure_code, v.online_level, v.top_id,
                                                     v.time_limit, v.time_unit, v.fee_required, v.paper_result,
                                                     v.for_citizens, v.is_certification, v.fee_base, v.p_late
                                                FROM pg_temp.days dd
                                               CROSS JOIN pg_temp.prm prm
                                               CROSS JOIN LATERAL generate_series(dd.first_n, dd.next_n - 1) AS g(n)
                                               CROSS JOIN LATERAL (
                                                   SELECT CASE WHEN pg_temp.u(g.n, 1) < prm.share1 THEN 1
                                                               WHEN pg_temp.u(g.n, 1) < prm.share1 + prm.share2 THEN 2
                                                               ELSE 3 END AS level) lv
                                                JOIN pg_temp.slot sl
                                                  ON sl.level = lv.level
                                                 AND sl.slot = pg_temp.hi(g.n, 2)
                                                               % CASE lv.level WHEN 1 THEN prm.ns1 WHEN 2 THEN prm.ns2 ELSE prm.ns3 END
                                                JOIN pg_temp.svc v ON v.sid = sl.sid
                                               WHERE dd.batch = p_batch
                                            ) o
                                        ) p
                                      OFFSET 0) q
                                  OFFSET 0) a
                              OFFSET 0) b
                          OFFSET 0) c
                      OFFSET 0) d
                  OFFSET 0) e
              OFFSET 0) f
          OFFSET 0) x
      ) y
  ) z
$f$;

-- Load, batch by batch (each statement ~1,000,000 rows: the foreign-key
-- checks queued per statement stay small).
\pset tuples_only on
\pset format unaligned
-- A line per batch says how far it got (a 10,000,000 load takes minutes).
SELECT stmt
  FROM (SELECT b, nb,
               row_number() OVER (ORDER BY b) AS k
          FROM (SELECT DISTINCT batch AS b FROM days WHERE next_n > first_n) x,
               (SELECT count(DISTINCT batch) AS nb FROM days WHERE next_n > first_n) y) x
 CROSS JOIN LATERAL (VALUES
     (1, format('INSERT INTO tthc.dossier (code, agency_id, procedure_code, channel, status, submitted_at, '
                'received_at, due_at, finished_at, returned_at, ended_at, synced_at, supplement_requests, '
                'supplement_requested_at, supplement_received_at, fee, paid_online, e_result, digitized, '
                'reused_data, personal_store, population_db, e_certified_copy, rating) '
                'SELECT * FROM pg_temp.gen(%s)', x.b)),
     (2, format('SELECT %L || to_char(clock_timestamp(), ''HH24:MI:SS'')',
                format('dossiers: batch %s of %s loaded at ', x.k, x.nb)))) s(o, stmt)
 ORDER BY x.b, s.o
\gexec

-- ---------------------------------------------------------------------------
-- Inter-agency steps: ~5% of the dossiers handled (not refused, not
-- withdrawn), 2 or 3 steps: the receiving agency, then another department
-- of the province (or of the ministry), and sometimes a third agency (the
-- province's tax office, or another department).  The handling time is
-- split between the steps; steps not started by s0 are not there yet.
-- ---------------------------------------------------------------------------
CREATE TEMP TABLE partner ON COMMIT DROP AS
SELECT top_id, id, row_number() OVER (PARTITION BY top_id ORDER BY id) - 1 AS i,
       count(*) OVER (PARTITION BY top_id) AS n
  FROM (SELECT t.top_id, t.id
          FROM tthc.agency_tree t JOIN tthc.agency a ON a.id = t.id
         WHERE a.kind = 'department') x;
CREATE INDEX ON partner (top_id, i);
ANALYZE partner;

CREATE TEMP TABLE tax ON COMMIT DROP AS
SELECT substr(id, 8) AS province, id FROM tthc.agency WHERE id LIKE 'BTC.CT.%';

WITH picked AS (
    SELECT d.code, d.agency_id, d.received_at AS r, d.due_at,
           -- the end, or for an open dossier a planned end after s0
           coalesce(d.finished_at, d.ended_at,
                    greatest(prm.s0 + interval '1 day', coalesce(d.due_at, d.received_at + interval '14 days'))) AS e,
           t.top_id, pg_temp.h('steps:' || d.code) AS hk, prm.s0
      FROM tthc.dossier d
      JOIN tthc.agency_tree t ON t.id = d.agency_id
     CROSS JOIN prm
     WHERE d.received_at IS NOT NULL AND d.status IN (2, 4, 5, 6, 8, 9, 10)
       AND pg_temp.ut('interagency:' || d.code) < 0.05),
second AS (
    -- another department of the same province or ministry
    SELECT pk.*,
           (SELECT pt.id FROM partner pt, partner pc
             WHERE pc.top_id = pk.top_id AND pt.top_id = pk.top_id
               AND pc.i = pg_temp.h('step2:' || pk.code) % pc.n
               AND pt.i = CASE WHEN pc.id = pk.agency_id THEN (pc.i + 1) % pc.n ELSE pc.i END) AS second_id
      FROM picked pk),
third AS (
    -- sometimes a third: the province's tax office, or another department
    SELECT sc.*,
           CASE WHEN sc.hk % 100 < 35 THEN
               coalesce(CASE WHEN pg_temp.ut('step3tax:' || sc.code) < 0.6 THEN tx.id END,
                        (SELECT pt.id FROM partner pt
                          WHERE pt.top_id = sc.top_id
                            AND pt.i = pg_temp.h('step3:' || sc.code) % pt.n
                            AND pt.id NOT IN (sc.agency_id, sc.second_id)),
                        tx.id)
           END AS third_id
      FROM second sc
      LEFT JOIN tax tx ON tx.province = sc.top_id AND tx.id <> sc.agency_id
     WHERE sc.second_id IS NOT NULL),
shaped AS (
    SELECT th.*,
           CASE WHEN th.third_id IS NULL THEN 2 ELSE 3 END AS nsteps,
           0.2 + 0.3 * pg_temp.ut('split1:' || th.code) AS p1,
           0.3 + 0.4 * pg_temp.ut('split2:' || th.code) AS p2,
           -- working days from receipt to the end, and to the due time
           tthc.working_days_between(th.r, th.e) AS we,
           tthc.working_days_between(th.r, th.due_at) AS wd
      FROM third th),
steps AS (
    SELECT sh.code, s.seq,
           CASE s.seq WHEN 1 THEN sh.agency_id WHEN 2 THEN sh.second_id ELSE sh.third_id END AS agency_id,
           CASE WHEN s.seq = 1 THEN sh.r
                ELSE pg_temp.wadd(sh.r, round((sh.we * s.from_share)::numeric, 6)) END AS started_at,
           CASE WHEN s.to_share = 1.0 THEN sh.e
                ELSE pg_temp.wadd(sh.r, round((sh.we * s.to_share)::numeric, 6)) END AS ended_at,
           sh.wd / sh.nsteps AS step_days, sh.s0, sh.hk
      FROM shaped sh
     CROSS JOIN LATERAL (
         SELECT 1 AS seq, 0.0::double precision AS from_share, sh.p1 AS to_share
         UNION ALL
         SELECT 2, sh.p1, CASE WHEN sh.nsteps = 3 THEN sh.p1 + (1 - sh.p1) * sh.p2 ELSE 1.0 END
         UNION ALL
         SELECT 3, sh.p1 + (1 - sh.p1) * sh.p2, 1.0 WHERE sh.nsteps = 3) s)
INSERT INTO tthc.dossier_step (dossier_code, seq, agency_id, officer, started_at, deadline_at, ended_at)
SELECT code, seq, agency_id,
       pg_temp.officer(agency_id, (hk + seq) % 6),
       started_at,
       -- each step gets its share of the time limit
       pg_temp.wadd(started_at, round(step_days, 6)),
       CASE WHEN ended_at < s0 THEN ended_at END
  FROM steps
 WHERE started_at < s0
 ORDER BY code, seq;

-- ---------------------------------------------------------------------------
-- Feedback: about one item per 500 dossiers, about the dossier's agency,
-- some time after the dossier's last event (before s0); most handled within
-- 15 working days and published a few days later.
-- ---------------------------------------------------------------------------
WITH src AS (
    SELECT d.code, d.agency_id,
           coalesce(d.returned_at, d.finished_at, d.ended_at, d.received_at, d.submitted_at) AS base,
           prm.s0
      FROM tthc.dossier d CROSS JOIN prm
     WHERE pg_temp.ut('feedback:' || d.code) < 0.002),
fb AS (
    SELECT s.*,
           s.base + (least(s.s0, s.base + interval '30 days') - s.base) * pg_temp.ut('fbtime:' || s.code) AS rcv
      FROM src s),
fbt AS (
    -- a quarter are transferred to the competent agency; the clock restarts
    SELECT f.*,
           CASE WHEN pg_temp.ut('fbtr:' || f.code) < 0.25
                THEN pg_temp.before(pg_temp.wadd(f.rcv, round((0.2 + 2 * pg_temp.ut('fbtrd:' || f.code))::numeric, 4)), f.s0)
           END AS tr
      FROM fb f),
fb2 AS (
    SELECT f.*,
           pg_temp.ut('fbref:' || f.code) < 0.05 AS refused,
           pg_temp.wadd(coalesce(f.tr, f.rcv), round((CASE WHEN pg_temp.ut('fbfast:' || f.code) < 0.85
                                           THEN 0.5 + 14 * pg_temp.ut('fbdays:' || f.code)
                                           ELSE 15 + 30 * pg_temp.ut('fbdays:' || f.code) END)::numeric, 4)) AS handled
      FROM fbt f),
fb3 AS (
    SELECT f.*,
           CASE WHEN NOT f.refused AND f.handled < f.s0 THEN f.handled END AS handled_at,
           pg_temp.wadd(f.handled, round((0.3 + 4.7 * pg_temp.ut('fbpub:' || f.code))::numeric, 4)) AS pub
      FROM fb2 f)
INSERT INTO tthc.feedback (id, agency_id, received_at, transferred_at, category, refused_at,
                           supplement_requested_at, handled_at, published_at, likes, dislikes,
                           raised_again, dossier_code)
SELECT 'PAKN-' || to_char(f.rcv AT TIME ZONE 'Asia/Ho_Chi_Minh', 'YYMMDD') || '-'
           || pg_temp.pad(row_number() OVER (ORDER BY f.rcv, f.code), 6),
       f.agency_id, f.rcv, f.tr,
       CASE WHEN pg_temp.ut('fbcat:' || f.code) < 0.45 THEN 'rules'
            WHEN pg_temp.ut('fbcat:' || f.code) < 0.70 THEN 'staff' END,
       CASE WHEN f.refused
            THEN pg_temp.before(pg_temp.wadd(coalesce(f.tr, f.rcv), round((0.5 + 2.5 * pg_temp.ut('fbrefd:' || f.code))::numeric, 4)), f.s0) END,
       -- a request for more comes early, before any outcome
       CASE WHEN NOT f.refused AND pg_temp.ut('fbsup:' || f.code) < 0.04
            THEN pg_temp.before(pg_temp.wadd(coalesce(f.tr, f.rcv), round((0.1 + 0.3 * pg_temp.ut('fbsupd:' || f.code))::numeric, 4)), f.s0) END,
       f.handled_at,
       CASE WHEN f.handled_at IS NOT NULL AND pg_temp.ut('fbpubp:' || f.code) < 0.85 AND f.pub < f.s0
            THEN f.pub END,
       floor(40 * power(pg_temp.ut('fblike:' || f.code), 3))::integer,
       floor(9 * power(pg_temp.ut('fbdislike:' || f.code), 4))::integer,
       pg_temp.ut('fbagain:' || f.code) < 0.07,
       CASE WHEN pg_temp.ut('fblink:' || f.code) < 0.65 THEN f.code END
  FROM fb3 f
 ORDER BY 1;

-- Maintain the tallies again: one rebuild from the rows.
SELECT tthc.resume_tallies() AS tally_rows \gset

COMMIT;

ANALYZE tthc.dossier, tthc.dossier_step, tthc.feedback, tthc.tally;

-- ---------------------------------------------------------------------------
-- What was made.  Counters read from the tallies (tthc.counters), judged at
-- the end of the day "until".
-- ---------------------------------------------------------------------------
\pset tuples_only off
\pset format aligned
\pset footer off
\set QUIET off
\echo
\echo tthc demo dossiers: count :count, seed :seed, until :until
SELECT d.status AS "status", x.name AS "meaning", count(*) AS "dossiers",
       round(100.0 * count(*) / sum(count(*)) OVER (), 1) AS "%"
  FROM tthc.dossier d
  JOIN (VALUES (1, 'new'), (2, 'received'), (3, 'refused'), (4, 'processing'),
               (5, 'supplement requested'), (6, 'fee requested'), (7, 'withdrawn'),
               (8, 'stopped'), (9, 'finished'), (10, 'returned')) x(st, name) ON x.st = d.status
 GROUP BY d.status, x.name ORDER BY d.status;

-- every top-level agency, the whole period: the national totals
WITH c AS (
    SELECT tthc.sum(tthc.counters_of(a.id, date '2025-01-01', :'until'::date,
                                  (:'until'::date + 1)::timestamp AT TIME ZONE 'Asia/Ho_Chi_Minh')) AS c
      FROM tthc.agency a WHERE a.parent_id IS NULL)
SELECT tthc.counter(c, 'received') AS "received",
       round(100.0 * tthc.counter(c, 'online') / nullif(tthc.counter(c, 'received'), 0), 1) AS "online %",
       round(100.0 * tthc.counter(c, 'postal') / nullif(tthc.counter(c, 'received'), 0), 1) AS "postal %",
       round(100.0 * tthc.counter(c, 'late') / nullif(tthc.counter(c, 'received'), 0), 1) AS "late %",
       round(100.0 * tthc.counter(c, 'on_time') / nullif(tthc.counter(c, 'ended'), 0), 1) AS "on time % of ended",
       round(100.0 * tthc.counter(c, 'supplemented') / nullif(tthc.counter(c, 'received'), 0), 1) AS "supplement %",
       round(100.0 * tthc.counter(c, 'paid_online') / nullif(tthc.counter(c, 'with_fee'), 0), 1) AS "paid online % of fees",
       round(100.0 * tthc.counter(c, 'synced') / nullif(tthc.counter(c, 'received'), 0), 1) AS "synced %",
       (SELECT count(DISTINCT dossier_code) FROM tthc.dossier_step) AS "inter-agency",
       (SELECT count(*) FROM tthc.feedback) AS "feedback"
  FROM c;

-- per province, this month and this year (of "until"): the ten busiest
SELECT a.id AS "province", a.name AS "name",
       tthc.counter(y, 'received') AS "received (year)",
       round(100.0 * tthc.counter(y, 'online') / nullif(tthc.counter(y, 'received'), 0), 1) AS "online %",
       round(100.0 * tthc.counter(y, 'late') / nullif(tthc.counter(y, 'received'), 0), 1) AS "late %",
       round(100.0 * tthc.counter(y, 'rated_unsatisfied') / nullif(tthc.counter(y, 'rated'), 0), 1) AS "unsatisfied % of rated",
       tthc.counter(m, 'received') AS "received (month)",
       tthc.counter(m, 'ended') AS "ended (month)",
       tthc.counter(m, 'late') AS "late (month)"
  FROM tthc.agency a
 CROSS JOIN LATERAL (
     SELECT tthc.counters_of(a.id, date_trunc('year', :'until'::date)::date, :'until'::date,
                          (:'until'::date + 1)::timestamp AT TIME ZONE 'Asia/Ho_Chi_Minh') AS y,
            tthc.counters_of(a.id, date_trunc('month', :'until'::date)::date, :'until'::date,
                          (:'until'::date + 1)::timestamp AT TIME ZONE 'Asia/Ho_Chi_Minh') AS m) c
 WHERE a.kind = 'province'
 ORDER BY tthc.counter(y, 'received') DESC, a.id
 LIMIT 10;
