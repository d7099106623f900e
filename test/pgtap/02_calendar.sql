-- The working-day calendar against an independent plain-SQL version of the
-- same rules (test/reference/calendar_reference.sql), on thousands of
-- deterministic pseudo-random inputs, before and after calendar edits and
-- in several session time zones; the holiday rules year by year; errors.
BEGIN;
\i test/reference/calendar_reference.sql
SELECT plan(27);

-- every day of the calendar
SELECT is(
    (SELECT count(*) FROM generate_series(date '2015-01-01', date '2035-12-31', interval '1 day') g(d)
      WHERE tthc.is_working_day(g.d::date) IS DISTINCT FROM tthc_ref.is_working_day(g.d::date)),
    0::bigint, 'is_working_day agrees with the plain-SQL rule on every day of 2015-2035');

-- random receipts over 2025-2026, amounts 0-30 working days by halves, and hours
CREATE TEMP TABLE probe AS
SELECT i,
       timestamptz '2025-01-01 00:00+07' + (abs(hashint4(i)) % (600 * 24 * 60)) * interval '1 minute' AS t,
       (abs(hashint4(i * 7 + 1)) % 61) / 2.0 AS days,
       (abs(hashint4(i * 13 + 5)) % 41) / 4.0 AS hours
  FROM generate_series(1, 3000) i;

SELECT is(
    (SELECT count(*) FROM probe
      WHERE tthc.add_working_time(t, days) IS DISTINCT FROM tthc_ref.add_working_time(t, days)),
    0::bigint, 'add_working_time in working days agrees with the plain-SQL rule (3000 receipts)');
SELECT is(
    (SELECT count(*) FROM probe
      WHERE tthc.add_working_time(t, hours, 'hour') IS DISTINCT FROM tthc_ref.add_working_time(t, hours, 'hour')),
    0::bigint, 'add_working_time in hours agrees with the plain-SQL rule (3000 receipts)');

-- the session's time zone changes nothing
CREATE TEMP TABLE due_vn AS SELECT i, tthc.add_working_time(t, days) AS due,
       tthc.working_days_between(t, t + interval '9 days') AS wd FROM probe;
SET LOCAL TimeZone = 'Pacific/Kiritimati';
SELECT is(
    (SELECT count(*) FROM probe JOIN due_vn USING (i)
      WHERE tthc.add_working_time(t, days) IS DISTINCT FROM due_vn.due
         OR tthc.working_days_between(t, t + interval '9 days') IS DISTINCT FROM due_vn.wd),
    0::bigint, 'results do not depend on the session TimeZone (UTC+14)');
SET LOCAL TimeZone = 'America/Adak';
SELECT is(
    (SELECT count(*) FROM probe JOIN due_vn USING (i)
      WHERE tthc.add_working_time(t, days) IS DISTINCT FROM due_vn.due),
    0::bigint, 'results do not depend on the session TimeZone (UTC-10, with DST)');
RESET TimeZone;

-- measuring is the inverse of adding, for receipts inside working hours
SELECT is(
    (SELECT count(*) FROM probe
      WHERE days > 0 AND tthc.is_working_day((t AT TIME ZONE 'Asia/Ho_Chi_Minh')::date)
        AND (t AT TIME ZONE 'Asia/Ho_Chi_Minh')::time BETWEEN '07:00' AND '15:00'
        AND tthc.working_days_between(t, tthc.add_working_time(t, days)) <> days),
    0::bigint, 'working_days_between(t, add_working_time(t, n)) = n');
SELECT is(
    (SELECT count(*) FROM probe
      WHERE tthc.working_days_between(t, t + interval '20 days')
            <> -tthc.working_days_between(t + interval '20 days', t)),
    0::bigint, 'working_days_between is antisymmetric');
SELECT ok(
    (SELECT bool_and(tthc.add_working_time(t, days) >= t) FROM probe),
    'a due time is never before the receipt');

-- after editing the calendar (holidays, a make-up day, shorter hours), the
-- C calendar and the plain-SQL rule still agree, within this transaction
INSERT INTO tthc.holiday (day, name)
SELECT d::date, 'Nghỉ thử ' || d::date FROM generate_series(date '2025-03-03', date '2026-10-01', interval '37 days') d
ON CONFLICT DO NOTHING;
INSERT INTO tthc.workday (day, name)
SELECT d::date, 'Làm bù thử' FROM generate_series(date '2025-03-08', date '2026-10-01', interval '49 days') d
 WHERE extract(isodow FROM d) = 6;
UPDATE tthc.calendar_setting SET morning_start = '07:30', afternoon_start = '13:00', afternoon_end = '16:30',
                                 same_day_cutoff = '14:00';
SELECT is(
    (SELECT count(*) FROM probe
      WHERE tthc.add_working_time(t, days) IS DISTINCT FROM tthc_ref.add_working_time(t, days)),
    0::bigint, 'after calendar edits, add_working_time still agrees with the plain-SQL rule');
SELECT is(
    (SELECT count(*) FROM generate_series(date '2025-01-01', date '2026-12-31', interval '1 day') g(d)
      WHERE tthc.is_working_day(g.d::date) IS DISTINCT FROM tthc_ref.is_working_day(g.d::date)),
    0::bigint, 'after calendar edits, is_working_day still agrees');

-- the holiday rules, year by year
SELECT is(
    (SELECT count(*) FROM generate_series(2015, 2035) y
      WHERE (SELECT count(*) FROM tthc.rule_holidays(y) r WHERE r.name LIKE 'Tết Nguyên đán%') <> 5),
    0::bigint, 'every year has five days of Tết');
SELECT is(
    (SELECT count(*) FROM generate_series(2015, 2035) y, tthc.rule_holidays(y) r,
            tthc.lunar_date(r.day) l
      WHERE r.name = 'Tết Nguyên đán (mùng 1)' AND (l.lunar_day, l.lunar_month, l.leap_month) <> (1, 1, false)),
    0::bigint, 'the first day of Tết is lunar 1/1 every year');
SELECT is(
    (SELECT count(*) FROM generate_series(2015, 2035) y, tthc.rule_holidays(y) r,
            tthc.lunar_date(r.day - 1) l
      WHERE r.name = 'Tết Nguyên đán (ngày cuối năm âm lịch)' AND l.lunar_month <> 12),
    0::bigint, 'the day before the last day of the lunar year is in lunar month 12');
SELECT is(
    (SELECT count(*) FROM generate_series(2015, 2035) y, tthc.rule_holidays(y) r, tthc.lunar_date(r.day) l
      WHERE r.name LIKE 'Giỗ Tổ%' AND (l.lunar_day, l.lunar_month, l.leap_month) <> (10, 3, false)),
    0::bigint, 'Hùng Kings'' day is lunar 10/3 every year');
SELECT is(
    (SELECT count(*) FROM generate_series(2015, 2035) y, tthc.rule_holidays(y) r
      WHERE r.kind = 'compensatory' AND extract(isodow FROM r.day) > 5),
    0::bigint, 'compensatory days off fall on weekdays');
SELECT is(
    (SELECT count(*) FROM generate_series(2015, 2035) y
      WHERE (SELECT count(*) FROM tthc.rule_holidays(y) r WHERE r.kind = 'compensatory')
         <> (SELECT count(*) FROM tthc.rule_holidays(y) r WHERE r.kind = 'public' AND extract(isodow FROM r.day) > 5)),
    0::bigint, 'one compensatory day for each public holiday on a weekend');
SELECT is(
    (SELECT count(*) FROM generate_series(2015, 2035) y
      WHERE (SELECT count(DISTINCT r.day) FROM tthc.rule_holidays(y) r) <> (SELECT count(*) FROM tthc.rule_holidays(y))),
    0::bigint, 'no day is listed twice');
SELECT results_eq(
    $$SELECT tthc.solar_date(1, 1, y) FROM unnest(ARRAY[2015, 2020, 2024, 2025, 2026, 2030, 2033]) y$$,
    $$VALUES (date '2015-02-19'), ('2020-01-25'), ('2024-02-10'), ('2025-01-29'), ('2026-02-17'),
             ('2030-02-02'), ('2033-01-31')$$,
    'Tết falls on the published days (2030: 2/2 in Vietnam, 3/2 in China)');

-- errors and their SQLSTATEs
SELECT throws_ok($$SELECT tthc.add_working_time(now(), 1, 'fortnight')$$, '22023',
                 'unknown time unit "fortnight"', 'an unknown unit is refused');
SELECT throws_ok($$SELECT tthc.add_working_time(now(), -0.5)$$, '22023',
                 'amount -0.5 must not be negative', 'a negative amount is refused');
SELECT throws_ok($$SELECT tthc.add_working_time(now(), NULL)$$, '22004',
                 'amount must not be null', 'a NULL amount is refused');
SELECT throws_ok($$SELECT tthc.add_working_time('2050-06-01', 1)$$, '22008', NULL,
                 'a receipt after the calendar is refused');
SELECT throws_ok($$SELECT tthc.is_working_day('1999-01-01')$$, '22008',
                 'day 1999-01-01 falls outside the working-day calendar', 'a day before the calendar is refused');
SELECT throws_ok($$SELECT tthc.due_date(now(), 'KHONG-CO')$$, '42704',
                 'unknown procedure "KHONG-CO"', 'an unknown procedure is refused');
SELECT throws_ok($$SELECT tthc.solar_date(1, 7, 2026, true)$$, '22008', NULL,
                 'a leap month the year does not have is refused');
SELECT throws_ok($$SELECT tthc.fill_calendar(2030, 2020)$$, '22023', NULL,
                 'fill_calendar refuses a backwards range');
SELECT throws_ok($$INSERT INTO tthc.workday VALUES ('2026-01-03', '')$$, '23514', NULL,
                 'a make-up day needs a name');

SELECT * FROM finish();
ROLLBACK;
