-- test/reference/calendar_reference.sql
--
-- The due-date rule of SPEC §5 written again in plain SQL, day by day over
-- generate_series minus holidays, without any of tthc's C code.  It is the
-- oracle of the differential tests (test/pgtap) and the baseline of
-- `make bench`.  Units working_day and hour only.

CREATE SCHEMA IF NOT EXISTS tthc_ref;

CREATE OR REPLACE FUNCTION tthc_ref.is_working_day(d date) RETURNS boolean
LANGUAGE sql STABLE AS $$
    SELECT EXISTS (SELECT 1 FROM tthc.workday w WHERE w.day = d)
        OR (extract(isodow FROM d) < 6
            AND NOT EXISTS (SELECT 1 FROM tthc.holiday h WHERE h.day = d))
$$;

CREATE OR REPLACE FUNCTION tthc_ref.add_working_time("from" timestamptz, amount numeric,
                                                     unit text DEFAULT 'working_day')
RETURNS timestamptz
LANGUAGE sql STABLE
SET jit = off   -- its cost estimates are wild; compiling would cost more than running
AS $$
WITH s AS (
    SELECT c.morning_start AS am_s, c.morning_end AS am_e,
           c.afternoon_start AS pm_s, c.afternoon_end AS pm_e,
           (c.morning_end - c.morning_start) AS am_len,
           (c.morning_end - c.morning_start) + (c.afternoon_end - c.afternoon_start) AS day_len,
           c.receipt_cutoff, c.same_day_cutoff
      FROM tthc.calendar_setting c LIMIT 1),
r AS (   -- the receipt in Vietnam's time, and the working time needed
    SELECT ("from" AT TIME ZONE 'Asia/Ho_Chi_Minh') AS t,
           CASE unit WHEN 'hour' THEN amount * interval '1 hour'
                     ELSE amount * s.day_len END AS need,
           CASE WHEN (unit = 'hour' AND amount * interval '1 hour' < s.day_len)
                  OR (unit = 'working_day' AND amount < 1)
                THEN s.same_day_cutoff ELSE s.receipt_cutoff END AS cutoff
      FROM s),
first AS (  -- working time already gone on the day of receipt, if it counts
    SELECT r.t::date AS d0,
           CASE WHEN NOT tthc_ref.is_working_day(r.t::date) THEN interval '0'
                WHEN r.t::time > r.cutoff THEN s.day_len
                ELSE greatest(least(r.t::time, s.am_e), s.am_s) - s.am_s
                   + (greatest(least(r.t::time, s.pm_e), s.pm_s) - s.pm_s)
           END AS gone,
           r.need,
           -- enough calendar days to hold the working days needed
           (ceil(extract(epoch FROM r.need) / extract(epoch FROM s.day_len)) * 2 + 21)::int AS span
      FROM r, s),
days AS (   -- working days from the day of receipt on, with running totals
    SELECT g.d::date AS d,
           count(*) OVER (ORDER BY g.d) * s.day_len AS upto
      FROM first, s, generate_series(first.d0, first.d0 + first.span, interval '1 day') g(d)
     WHERE tthc_ref.is_working_day(g.d::date)),
target AS (
    SELECT days.d, first.need + first.gone - (days.upto - s.day_len) AS rest
      FROM days, first, s
     WHERE days.upto >= first.need + first.gone
       AND (first.need > interval '0' OR days.upto > first.need + first.gone)
     ORDER BY days.d
     LIMIT 1)
-- a due time at the end of the morning stays there, but counting (a zero
-- amount) starts when work does, after lunch
SELECT ((target.d + CASE WHEN target.rest < s.am_len
                           OR (target.rest = s.am_len AND first.need > interval '0')
                         THEN s.am_s + target.rest
                         ELSE s.pm_s + (target.rest - s.am_len) END)
        AT TIME ZONE 'Asia/Ho_Chi_Minh')
  FROM target, s, first
$$;
