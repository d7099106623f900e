/*
 * fixture.h
 *		Shared by the unit tests: a 2025-2027 calendar with the rule
 *		holidays and the default working hours, and local instants.
 */
#ifndef TTHC_TEST_FIXTURE_H
#define TTHC_TEST_FIXTURE_H

#include <stdlib.h>

#include "../../src/core/calendar.h"

static TthcCalendar cal;

static void
build_calendar(void)
{
	int32_t		first = tthc_day_from_civil(2025, 1, 1);
	int32_t		last = tthc_day_from_civil(2027, 12, 31);

	cal.first_day = first;
	cal.ndays = last - first + 1;
	cal.working = malloc(cal.ndays);
	cal.cum = malloc(sizeof(int32_t) * (cal.ndays + 1));
	cal.wh = tthc_default_work_hours();
	for (int32_t i = 0; i < cal.ndays; i++)
	{
		int			w = tthc_weekday(first + i);

		cal.working[i] = (w != 0 && w != 6);
	}
	for (int y = 2025; y <= 2027; y++)
	{
		TthcHoliday h[TTHC_MAX_HOLIDAYS_PER_YEAR];
		int			n = tthc_rule_holidays(y, 0, h, TTHC_MAX_HOLIDAYS_PER_YEAR);

		for (int i = 0; i < n; i++)
			cal.working[h[i].day - first] = 0;
	}
	tthc_calendar_index(&cal);
}

static void
free_calendar(void)
{
	free(cal.working);
	free(cal.cum);
}

/* A local instant from civil fields. */
static int64_t
at(int y, int m, int d, int hh, int mi)
{
	return (int64_t) tthc_day_from_civil(y, m, d) * TTHC_USECS_PER_DAY +
		(int64_t) hh * TTHC_USECS_PER_HOUR + (int64_t) mi * 60 * TTHC_USECS_PER_SEC;
}

#endif							/* TTHC_TEST_FIXTURE_H */
