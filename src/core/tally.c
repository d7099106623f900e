/*
 * tally.c
 *		Grains of the tallies and the cover of a range of days by them.
 */
#include "tally.h"

#include "calendar.h"

int32_t
tthc_bucket_first(TthcGrain grain, int32_t day)
{
	int			y,
				m,
				d;

	if (grain == TTHC_GRAIN_DAY)
		return day;
	tthc_civil_from_day(day, &y, &m, &d);
	return tthc_day_from_civil(y, grain == TTHC_GRAIN_YEAR ? 1 : m, 1);
}

int32_t
tthc_bucket_last(TthcGrain grain, int32_t day)
{
	int			y,
				m,
				d;

	if (grain == TTHC_GRAIN_DAY)
		return day;
	tthc_civil_from_day(day, &y, &m, &d);
	if (grain == TTHC_GRAIN_YEAR)
		return tthc_day_from_civil(y + 1, 1, 1) - 1;
	return (m == 12 ? tthc_day_from_civil(y + 1, 1, 1) : tthc_day_from_civil(y, m + 1, 1)) - 1;
}

int32_t
tthc_bucket_late_day(TthcGrain grain, int32_t received_day, int32_t late_day)
{
	if (grain != TTHC_GRAIN_DAY && late_day <= tthc_bucket_last(grain, received_day))
		return TTHC_BASE_LATE_DAY;
	return late_day;
}

static bool
push(int32_t *list, int *n, int max, int32_t day)
{
	if (*n >= max)
		return false;
	list[(*n)++] = day;
	return true;
}

/*
 * tthc_cover
 *		A bucket is usable when it starts at or after from, ends at or before
 *		to, and ends before at_day.  Greedy from the left: the largest usable
 *		bucket starting at the current day, else the day itself.
 */
bool
tthc_cover(int32_t from, int32_t to, int32_t at_day, TthcCover *cover)
{
	int32_t		d = from;

	cover->nyears = cover->nmonths = cover->ndays = 0;
	while (d <= to)
	{
		int32_t		last;

		if (tthc_bucket_first(TTHC_GRAIN_YEAR, d) == d &&
			(last = tthc_bucket_last(TTHC_GRAIN_YEAR, d)) <= to && last < at_day)
		{
			if (!push(cover->years, &cover->nyears, cover->max, d))
				return false;
		}
		else if (tthc_bucket_first(TTHC_GRAIN_MONTH, d) == d &&
				 (last = tthc_bucket_last(TTHC_GRAIN_MONTH, d)) <= to && last < at_day)
		{
			if (!push(cover->months, &cover->nmonths, cover->max, d))
				return false;
		}
		else
		{
			last = d;
			if (!push(cover->days, &cover->ndays, cover->max, d))
				return false;
		}
		if (last >= to)
			break;				/* also guards against overflow at the end of time */
		d = last + 1;
	}
	return true;
}
