-- The working-day calendar: SPEC §5 and issue "Foundation", point 5.
-- Every expected value here was worked out by hand from the rules.
SET TimeZone = 'Asia/Ho_Chi_Minh';
SET DateStyle = ISO;

-- Known dates
SELECT tthc.is_working_day('2026-02-17') AS tet_2026_17_2;          -- Tết: off
SELECT tthc.is_working_day('2026-02-23') AS monday_after_tet;       -- working
SELECT tthc.is_working_day('2026-04-26') AS hung_kings_sunday;      -- Sunday, off
SELECT tthc.is_working_day('2026-04-27') AS compensatory_monday;    -- in lieu: off
SELECT tthc.is_working_day('2026-04-28') AS tuesday_28_4;           -- working
SELECT tthc.solar_date(1, 1, 2024) AS tet_2024, tthc.solar_date(1, 1, 2025) AS tet_2025;
SELECT * FROM tthc.lunar_date('2026-04-26');
-- Vietnam (UTC+7) and China (UTC+8) disagree on Tết 1985 and 2007
SELECT tthc.solar_date(1, 1, 1985) AS tet_1985, tthc.solar_date(1, 1, 2007) AS tet_2007;

-- This year's holidays, as the table holds them
SELECT day, to_char(day, 'Dy') AS dow, kind, name
  FROM tthc.holiday WHERE day BETWEEN '2026-01-01' AND '2026-12-31' ORDER BY day;

-- Compensatory days for holidays on weekends: 2024's Tết had a Saturday
-- and a Sunday, 2023's 2/9 was a Saturday
SELECT day, name FROM tthc.rule_holidays(2024) WHERE kind = 'compensatory';
SELECT day, name FROM tthc.rule_holidays(2023) WHERE kind = 'compensatory';
-- the day next to 2/9 is chosen to join a weekend, or given
SELECT day FROM tthc.rule_holidays(2024) WHERE name LIKE 'Quốc khánh%';
SELECT day FROM tthc.rule_holidays(2026, 3) WHERE name LIKE 'Quốc khánh%';

-- Due dates (receipt in Vietnam's time)
SELECT tthc.add_working_time('2026-11-23 09:00', 1) AS mon_plus_1;
SELECT tthc.add_working_time('2026-11-20 09:00', 3, 'working_day') AS fri_plus_3;
SELECT tthc.add_working_time('2026-11-21 10:00', 1) AS saturday_receipt;
SELECT tthc.add_working_time('2026-11-23 17:30', 1) AS after_cutoff;
SELECT tthc.add_working_time('2026-11-23 15:30', 0.5) AS same_day_after_15h;
SELECT tthc.add_working_time('2026-11-23 15:30', 0.5, 'working_day', false) AS not_same_day;
SELECT tthc.add_working_time('2026-11-23 12:00', 0.5) AS lunch_receipt;
SELECT tthc.add_working_time('2026-11-23 16:00', 2, 'hour') AS two_hours;
SELECT tthc.add_working_time('2026-02-13 10:00', 1) AS across_tet;
SELECT tthc.add_working_time('2026-04-24 16:00', 1) AS across_hung_kings;
SELECT tthc.add_working_time('2026-11-23 09:00', 5, 'day') AS five_days_ends_saturday;
SELECT tthc.add_working_time('2026-01-30 09:00', 1, 'month') AS one_month_ends_saturday;
SELECT tthc.add_working_time('2026-11-23 07:00', 30) AS thirty_days;
SELECT tthc.add_working_time(NULL, 1) AS nothing_received;

-- The session's TimeZone does not change any result
SET TimeZone = 'UTC';
SELECT tthc.add_working_time('2026-11-23 02:00+00', 1) AS utc_session;   -- 09:00 in Hà Nội
SELECT tthc.add_working_time('2026-11-22 23:30+00', 1) AS utc_monday_0630; -- Mon 06:30 in Hà Nội
SET TimeZone = 'America/Los_Angeles';
SELECT tthc.add_working_time('2026-11-22 18:00-08', 1) = '2026-11-24 09:00+07' AS la_session;
SELECT tthc.working_days_between('2026-11-22 18:00-08', '2026-11-25 09:00+07') AS la_between;
SET TimeZone = 'Asia/Ho_Chi_Minh';

-- Working days between two instants
SELECT tthc.working_days_between('2026-11-23 09:00', '2026-11-24 09:00') AS one_day;
SELECT tthc.working_days_between('2026-11-20 16:00', '2026-11-23 08:00') AS fri_to_mon;
SELECT tthc.working_days_between('2026-11-23 08:00', '2026-11-20 16:00') AS backwards;
SELECT tthc.working_days_between('2026-02-13 08:00', '2026-02-23 08:00') AS across_tet;

-- Due date of a procedure
INSERT INTO tthc.procedure (code, name, time_limit, time_unit)
VALUES ('P-3WD', 'Thủ tục 3 ngày làm việc', 3, 'working_day'),
       ('P-HALF', 'Chứng thực bản sao', 0.5, 'working_day'),
       ('P-15D', 'Thủ tục 15 ngày', 15, 'day'),
       ('P-NONE', 'Thủ tục không quy định thời hạn', NULL, 'working_day');
SELECT tthc.due_date('2026-11-23 10:00', 'P-3WD') AS three_days;
SELECT tthc.due_date('2026-11-23 15:10', 'P-HALF') AS half_day_after_15h;
SELECT tthc.due_date('2026-11-23 10:00', 'P-15D') AS fifteen_days;
SELECT tthc.due_date('2026-11-23 10:00', 'P-NONE') AS no_limit;

-- Working hours are settings
UPDATE tthc.calendar_setting SET morning_start = '07:30', afternoon_end = '16:30';
SELECT tthc.add_working_time('2026-11-23 07:00', 1) AS shorter_day;
UPDATE tthc.calendar_setting SET morning_start = '07:00', afternoon_end = '17:00';
UPDATE tthc.calendar_setting SET morning_end = '06:00';

-- The DBA edits the calendar: an extra Tết day, a make-up Saturday
INSERT INTO tthc.holiday (day, name) VALUES ('2026-02-23', 'Nghỉ Tết thêm (quyết định của Thủ tướng)');
INSERT INTO tthc.workday (day, name) VALUES ('2026-02-28', 'Làm bù cho 23/2');
SELECT tthc.is_working_day('2026-02-23') AS extra_tet_day, tthc.is_working_day('2026-02-28') AS makeup_saturday;
SELECT tthc.add_working_time('2026-02-13 10:00', 1) AS across_longer_tet;
-- moving the day next to 2/9 from 1/9 to 3/9
UPDATE tthc.holiday SET day = '2026-09-03', name = 'Quốc khánh (3/9, ngày liền kề)' WHERE day = '2026-09-01';
SELECT day, source FROM tthc.holiday WHERE day BETWEEN '2026-09-01' AND '2026-09-03' ORDER BY day;
SELECT day FROM tthc.holiday_removed ORDER BY day;
SELECT tthc.is_working_day('2026-09-01') AS sep_1, tthc.is_working_day('2026-09-03') AS sep_3;
-- and back to the rules
SELECT tthc.reset_holidays(2026);
DELETE FROM tthc.workday;
SELECT tthc.is_working_day('2026-02-23') AS after_reset, tthc.is_working_day('2026-09-01') AS sep_1;

-- A rolled-back edit leaves no trace in this session's calendar
BEGIN;
INSERT INTO tthc.holiday (day, name) VALUES ('2026-11-24', 'Thử');
SELECT tthc.is_working_day('2026-11-24') AS inside_transaction;
ROLLBACK;
SELECT tthc.is_working_day('2026-11-24') AS after_rollback;

-- Extending the calendar
SELECT tthc.fill_calendar(2036, 2036);
SELECT * FROM tthc.calendar_bounds();
SELECT count(*) FROM tthc.holiday WHERE day BETWEEN '2036-01-01' AND '2036-12-31';
DELETE FROM tthc.calendar_year WHERE year = 2036;

-- Bad input: a clear error, naming the value
\set VERBOSITY default
SELECT tthc.add_working_time('2026-11-23 09:00', 1, 'week');
SELECT tthc.add_working_time('2026-11-23 09:00', -1);
SELECT tthc.add_working_time('2026-11-23 09:00', NULL);
SELECT tthc.add_working_time('2026-11-23 09:00', 1, NULL);
SELECT tthc.add_working_time('2026-11-23 09:00', 'NaN');
SELECT tthc.add_working_time('2026-11-23 09:00', 1.5, 'month');
SELECT tthc.add_working_time('infinity', 1);
SELECT tthc.add_working_time('2040-01-02 09:00', 1);
SELECT tthc.add_working_time('2035-12-20 09:00', 30);
SELECT tthc.add_working_time('2026-11-23 09:00', 1e30);
SELECT tthc.is_working_day('2014-12-31');
SELECT tthc.is_working_day('infinity');
SELECT tthc.working_days_between('2026-11-23', '2050-01-01');
SELECT tthc.due_date('2026-11-23 10:00', 'NO-SUCH-PROCEDURE');
SELECT tthc.due_date('2026-11-23 10:00', NULL);
SELECT tthc.solar_date(30, 12, 2025);
SELECT tthc.solar_date(1, 5, 2026, true);
SELECT * FROM tthc.rule_holidays(2026, 2);
SELECT * FROM tthc.rule_holidays(1800);
SELECT tthc.fill_calendar(2040, 2030);
SELECT tthc.reset_holidays(2050);
INSERT INTO tthc.calendar_year VALUES (2500, '2026-01-01 00:00+07');
INSERT INTO tthc.holiday (day, name) VALUES ('2026-12-24', '   ');
INSERT INTO tthc.holiday (day, name, kind) VALUES ('2026-12-24', 'Noel', 'religious');
INSERT INTO tthc.holiday (day, name) VALUES ('infinity', 'Mãi mãi');
-- a gap in the calendar's years is refused when the calendar is read
INSERT INTO tthc.calendar_year VALUES (2040);
SELECT tthc.is_working_day('2026-11-24');
DELETE FROM tthc.calendar_year WHERE year = 2040;
SELECT tthc.is_working_day('2026-11-24');
