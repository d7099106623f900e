/*
 * test_calendar.c
 *		Unit tests of the holiday rules and working-time arithmetic
 *		(src/core/calendar.c).
 */
#include "tap.h"
#include "fixture.h"

static int
has_holiday(const TthcHoliday *h, int n, int y, int m, int d, TthcHolidayKind kind)
{
	int32_t		day = tthc_day_from_civil(y, m, d);

	for (int i = 0; i < n; i++)
		if (h[i].day == day && h[i].kind == kind)
			return 1;
	return 0;
}

static void
check_due(const char *what, int64_t from, double amount, TthcUnit unit,
		  bool same_day, int64_t expect)
{
	int64_t		due = 0;
	TthcCalStatus st = tthc_add_working_time(&cal, from, amount, unit, same_day, &due);
	int			y, m, d;
	int64_t		clock = due - (int64_t) (due / TTHC_USECS_PER_DAY) * TTHC_USECS_PER_DAY;

	tthc_civil_from_day((int32_t) (due / TTHC_USECS_PER_DAY), &y, &m, &d);
	ok(st == TTHC_CAL_OK && due == expect, "%s (got status %d, %04d-%02d-%02d %02d:%02d)",
	   what, (int) st, y, m, d, (int) (clock / TTHC_USECS_PER_HOUR),
	   (int) (clock % TTHC_USECS_PER_HOUR / (60 * TTHC_USECS_PER_SEC)));
}

int
main(void)
{
	TthcHoliday h[TTHC_MAX_HOLIDAYS_PER_YEAR];
	int			n;
	int64_t		due;
	int64_t		work;
	TthcCalStatus st;
	TthcWorkHours bad;

	/* The rule holidays of 2026. */
	n = tthc_rule_holidays(2026, 0, h, TTHC_MAX_HOLIDAYS_PER_YEAR);
	ok(n == 12, "2026 has 12 rule holidays (got %d)", n);
	ok(has_holiday(h, n, 2026, 1, 1, TTHC_HOLIDAY_PUBLIC), "1/1/2026 is a holiday");
	ok(has_holiday(h, n, 2026, 2, 16, TTHC_HOLIDAY_PUBLIC), "16/2/2026, last day of lunar 2025");
	ok(has_holiday(h, n, 2026, 2, 17, TTHC_HOLIDAY_PUBLIC), "17/2/2026, Tết");
	ok(has_holiday(h, n, 2026, 2, 20, TTHC_HOLIDAY_PUBLIC), "20/2/2026, mùng 4 Tết");
	ok(!has_holiday(h, n, 2026, 2, 23, TTHC_HOLIDAY_PUBLIC) &&
	   !has_holiday(h, n, 2026, 2, 23, TTHC_HOLIDAY_COMPENSATORY), "23/2/2026 is no holiday");
	ok(has_holiday(h, n, 2026, 4, 26, TTHC_HOLIDAY_PUBLIC), "26/4/2026, Hùng Kings' day (Sunday)");
	ok(has_holiday(h, n, 2026, 4, 27, TTHC_HOLIDAY_COMPENSATORY), "27/4/2026, compensatory day off");
	ok(!has_holiday(h, n, 2026, 4, 28, TTHC_HOLIDAY_PUBLIC) &&
	   !has_holiday(h, n, 2026, 4, 28, TTHC_HOLIDAY_COMPENSATORY), "28/4/2026 is no holiday");
	ok(has_holiday(h, n, 2026, 9, 1, TTHC_HOLIDAY_PUBLIC), "2/9/2026 is a Wednesday: 1/9 by default");
	for (int i = 1; i < n; i++)
		if (h[i - 1].day >= h[i].day)
			ok(0, "holidays are in date order without duplicates");

	n = tthc_rule_holidays(2026, 3, h, TTHC_MAX_HOLIDAYS_PER_YEAR);
	ok(has_holiday(h, n, 2026, 9, 3, TTHC_HOLIDAY_PUBLIC) &&
	   !has_holiday(h, n, 2026, 9, 1, TTHC_HOLIDAY_PUBLIC), "the day next to 2/9 can be 3/9");
	ok(tthc_rule_holidays(2026, 2, h, TTHC_MAX_HOLIDAYS_PER_YEAR) == -1,
	   "the day next to 2/9 is 1 or 3");

	/* 2024: 2/9 a Monday, so 3/9. 2023: 2/9 a Saturday, so 1/9 and 4/9 in lieu. */
	n = tthc_rule_holidays(2024, 0, h, TTHC_MAX_HOLIDAYS_PER_YEAR);
	ok(has_holiday(h, n, 2024, 9, 3, TTHC_HOLIDAY_PUBLIC), "2024: 2-3/9");
	ok(has_holiday(h, n, 2024, 2, 9, TTHC_HOLIDAY_PUBLIC) &&
	   has_holiday(h, n, 2024, 2, 10, TTHC_HOLIDAY_PUBLIC), "2024: Tết 9-13/2");
	ok(has_holiday(h, n, 2024, 2, 14, TTHC_HOLIDAY_COMPENSATORY) &&
	   has_holiday(h, n, 2024, 2, 15, TTHC_HOLIDAY_COMPENSATORY),
	   "2024: Tết's Saturday and Sunday give 14 and 15/2 off");
	n = tthc_rule_holidays(2023, 0, h, TTHC_MAX_HOLIDAYS_PER_YEAR);
	ok(has_holiday(h, n, 2023, 9, 1, TTHC_HOLIDAY_PUBLIC) &&
	   has_holiday(h, n, 2023, 9, 4, TTHC_HOLIDAY_COMPENSATORY), "2023: 1-2/9 and 4/9 in lieu");
	n = tthc_rule_holidays(2025, 0, h, TTHC_MAX_HOLIDAYS_PER_YEAR);
	ok(has_holiday(h, n, 2025, 1, 29, TTHC_HOLIDAY_PUBLIC) &&
	   has_holiday(h, n, 2025, 1, 28, TTHC_HOLIDAY_PUBLIC), "2025: Tết from 28/1");
	ok(tthc_rule_holidays(1800, 0, h, TTHC_MAX_HOLIDAYS_PER_YEAR) == -1, "years before 1900 refused");
	ok(tthc_rule_holidays(2026, 0, h, 3) == 3, "output is bounded by max");

	/* Working time. */
	build_calendar();
	ok(cal.day_len == 8 * TTHC_USECS_PER_HOUR, "a working day is 8 hours");
	ok(!tthc_calendar_is_working(&cal, tthc_day_from_civil(2026, 2, 17), &st) && st == TTHC_CAL_OK,
	   "17/2/2026 is a day off");
	ok(tthc_calendar_is_working(&cal, tthc_day_from_civil(2026, 2, 23), &st), "23/2/2026 is a working day");
	ok(!tthc_calendar_is_working(&cal, tthc_day_from_civil(2026, 4, 27), &st), "27/4/2026 is a day off");
	ok(tthc_calendar_is_working(&cal, tthc_day_from_civil(2026, 4, 28), &st), "28/4/2026 is a working day");
	tthc_calendar_is_working(&cal, tthc_day_from_civil(2030, 1, 1), &st);
	ok(st == TTHC_CAL_OUT_OF_RANGE, "a day outside the calendar is reported");

	check_due("Mon 09:00 + 1 working day = Tue 09:00", at(2026, 11, 23, 9, 0), 1,
			  TTHC_UNIT_WORKING_DAY, false, at(2026, 11, 24, 9, 0));
	check_due("Fri 09:00 + 3 working days = Wed 09:00", at(2026, 11, 20, 9, 0), 3,
			  TTHC_UNIT_WORKING_DAY, false, at(2026, 11, 25, 9, 0));
	check_due("Sat 10:00 + 1 working day = Mon 17:00", at(2026, 11, 21, 10, 0), 1,
			  TTHC_UNIT_WORKING_DAY, false, at(2026, 11, 23, 17, 0));
	check_due("Mon 17:30 (after cut-off) + 1 working day = Tue 17:00", at(2026, 11, 23, 17, 30), 1,
			  TTHC_UNIT_WORKING_DAY, false, at(2026, 11, 24, 17, 0));
	check_due("Mon 06:00 + 1 working day = Mon 17:00", at(2026, 11, 23, 6, 0), 1,
			  TTHC_UNIT_WORKING_DAY, false, at(2026, 11, 23, 17, 0));
	check_due("Mon 12:00 (lunch) + 0.5 working day = Tue 07:30", at(2026, 11, 23, 12, 0), 0.5,
			  TTHC_UNIT_WORKING_DAY, true, at(2026, 11, 24, 7, 30));
	check_due("Mon 15:30, same-day, + 0.5 working day = Tue 11:00", at(2026, 11, 23, 15, 30), 0.5,
			  TTHC_UNIT_WORKING_DAY, true, at(2026, 11, 24, 11, 0));
	check_due("Mon 15:30, not same-day, + 1 working day = Tue 15:30", at(2026, 11, 23, 15, 30), 1,
			  TTHC_UNIT_WORKING_DAY, false, at(2026, 11, 24, 15, 30));
	check_due("Mon 07:00 + 4.5 working hours = Mon 11:30", at(2026, 11, 23, 7, 0), 4.5,
			  TTHC_UNIT_HOUR, false, at(2026, 11, 23, 11, 30));
	check_due("Mon 16:00 + 2 working hours = Tue 08:00", at(2026, 11, 23, 16, 0), 2,
			  TTHC_UNIT_HOUR, false, at(2026, 11, 24, 8, 0));
	check_due("Fri 13/2/2026 10:00 + 1 working day skips Tết: Mon 23/2 10:00",
			  at(2026, 2, 13, 10, 0), 1, TTHC_UNIT_WORKING_DAY, false, at(2026, 2, 23, 10, 0));
	check_due("Fri 24/4/2026 16:00 + 1 working day skips 27/4: Tue 28/4 16:00",
			  at(2026, 4, 24, 16, 0), 1, TTHC_UNIT_WORKING_DAY, false, at(2026, 4, 28, 16, 0));
	check_due("Mon 23/11/2026 09:00 + 5 calendar days ends Sat: Mon 30/11 09:00",
			  at(2026, 11, 23, 9, 0), 5, TTHC_UNIT_DAY, false, at(2026, 11, 30, 9, 0));
	check_due("Sun 22/11/2026 + 2 calendar days counts from Mon 07:00: Wed 07:00",
			  at(2026, 11, 22, 9, 0), 2, TTHC_UNIT_DAY, false, at(2026, 11, 25, 7, 0));
	check_due("Fri 30/1/2026 09:00 + 1 month = Sat 28/2, so Mon 2/3 09:00",
			  at(2026, 1, 30, 9, 0), 1, TTHC_UNIT_MONTH, false, at(2026, 3, 2, 9, 0));
	check_due("Sat 21/11/2026 + 0 working days = Mon 07:00", at(2026, 11, 21, 10, 0), 0,
			  TTHC_UNIT_WORKING_DAY, false, at(2026, 11, 23, 7, 0));
	check_due("Mon 10:00 + 0 working days = Mon 10:00", at(2026, 11, 23, 10, 0), 0,
			  TTHC_UNIT_WORKING_DAY, false, at(2026, 11, 23, 10, 0));
	check_due("Mon 07:00 + 30 working days = Mon 4/1/2027 17:00 (1/1 off)",
			  at(2026, 11, 23, 7, 0), 30, TTHC_UNIT_WORKING_DAY, false, at(2027, 1, 4, 17, 0));

	ok(tthc_add_working_time(&cal, at(2026, 11, 23, 9, 0), -1, TTHC_UNIT_WORKING_DAY, false, &due)
	   == TTHC_CAL_BAD_AMOUNT, "a negative amount is refused");
	ok(tthc_add_working_time(&cal, at(2026, 11, 23, 9, 0), 1.5, TTHC_UNIT_MONTH, false, &due)
	   == TTHC_CAL_BAD_AMOUNT, "a fractional month is refused");
	ok(tthc_add_working_time(&cal, at(2026, 11, 23, 9, 0), 0.0 / 0.0, TTHC_UNIT_DAY, false, &due)
	   == TTHC_CAL_BAD_AMOUNT, "NaN is refused");
	ok(tthc_add_working_time(&cal, at(2030, 1, 2, 9, 0), 1, TTHC_UNIT_WORKING_DAY, false, &due)
	   == TTHC_CAL_OUT_OF_RANGE, "a receipt outside the calendar is reported");
	ok(tthc_add_working_time(&cal, at(2027, 12, 20, 9, 0), 30, TTHC_UNIT_WORKING_DAY, false, &due)
	   == TTHC_CAL_OUT_OF_RANGE, "a due date past the calendar is reported");
	ok(tthc_add_working_time(&cal, at(2027, 12, 20, 9, 0), 1e300, TTHC_UNIT_DAY, false, &due)
	   == TTHC_CAL_OUT_OF_RANGE, "a huge amount is reported, not overflowed");
	ok(tthc_add_working_time(&cal, at(2024, 12, 31, 9, 0), 1, TTHC_UNIT_DAY, false, &due)
	   == TTHC_CAL_OUT_OF_RANGE, "a receipt before the calendar is reported");

	ok(tthc_working_time_between(&cal, at(2026, 11, 23, 9, 0), at(2026, 11, 24, 9, 0), &work)
	   == TTHC_CAL_OK && work == 8 * TTHC_USECS_PER_HOUR, "Mon 09:00 to Tue 09:00 is 8 hours");
	ok(tthc_working_time_between(&cal, at(2026, 11, 20, 16, 0), at(2026, 11, 23, 8, 0), &work)
	   == TTHC_CAL_OK && work == 2 * TTHC_USECS_PER_HOUR, "Fri 16:00 to Mon 08:00 is 2 hours");
	ok(tthc_working_time_between(&cal, at(2026, 11, 23, 8, 0), at(2026, 11, 20, 16, 0), &work)
	   == TTHC_CAL_OK && work == -2 * TTHC_USECS_PER_HOUR, "backwards is negative");
	ok(tthc_working_time_between(&cal, at(2026, 11, 23, 11, 45), at(2026, 11, 23, 13, 15), &work)
	   == TTHC_CAL_OK && work == 0, "lunch is not working time");
	ok(tthc_working_time_between(&cal, at(2026, 2, 13, 17, 0), at(2026, 2, 23, 7, 0), &work)
	   == TTHC_CAL_OK && work == 0, "Tết is not working time");

	/* Every due date lands in working time, and adding is inverse to measuring. */
	{
		int			bad_count = 0;
		unsigned	seed = 12345;

		for (int i = 0; i < 20000; i++)
		{
			int64_t		from;
			double		amount;
			int64_t		d2;
			int64_t		w;
			int32_t		dd;
			int64_t		clock;

			seed = seed * 1103515245 + 12345;
			from = at(2025, 1, 1, 0, 0) + (int64_t) (seed % (700u * 24 * 60)) * 60 * TTHC_USECS_PER_SEC;
			seed = seed * 1103515245 + 12345;
			amount = (seed % 61) / 2.0;
			if (tthc_add_working_time(&cal, from, amount, TTHC_UNIT_WORKING_DAY, false, &d2) != TTHC_CAL_OK)
			{
				bad_count++;
				continue;
			}
			dd = (int32_t) (d2 / TTHC_USECS_PER_DAY);
			clock = d2 - (int64_t) dd * TTHC_USECS_PER_DAY;
			if (!cal.working[dd - cal.first_day] ||
				clock < cal.wh.am_start || clock > cal.wh.pm_end ||
				(clock > cal.wh.am_end && clock < cal.wh.pm_start))
				bad_count++;
			if (tthc_working_time_between(&cal, from, d2, &w) != TTHC_CAL_OK ||
				(amount > 0 && w != (int64_t) (amount * cal.day_len)))
				bad_count++;
		}
		ok(bad_count == 0, "20000 random due dates land in working time and measure back (%d bad)",
		   bad_count);
	}

	bad = tthc_default_work_hours();
	ok(tthc_work_hours_check(&bad) == NULL, "the default working hours are valid");
	bad.am_end = bad.am_start;
	ok(tthc_work_hours_check(&bad) != NULL, "an empty morning is refused");
	bad = tthc_default_work_hours();
	bad.pm_start = bad.am_end - 1;
	ok(tthc_work_hours_check(&bad) != NULL, "overlapping intervals are refused");

	ok(tthc_unit_parse("working_day") == TTHC_UNIT_WORKING_DAY &&
	   tthc_unit_parse("month") == TTHC_UNIT_MONTH &&
	   tthc_unit_parse("weeks") == TTHC_UNIT_INVALID && tthc_unit_parse(NULL) == TTHC_UNIT_INVALID,
	   "time units parse");
	ok(tthc_limit_is_same_day(&cal, 0.5, TTHC_UNIT_WORKING_DAY) &&
	   !tthc_limit_is_same_day(&cal, 1, TTHC_UNIT_WORKING_DAY) &&
	   tthc_limit_is_same_day(&cal, 4, TTHC_UNIT_HOUR) &&
	   !tthc_limit_is_same_day(&cal, 1, TTHC_UNIT_DAY), "same-day limits are those under a working day");

	free_calendar();
	return tap_done();
}
