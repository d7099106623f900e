/*
 * test_tally.c
 *		Unit tests of the grains of the tallies and the cover of a range.
 */
#include <string.h>

#include "../../src/core/calendar.h"
#include "../../src/core/tally.h"
#include "tap.h"

#define D(y, m, d) tthc_day_from_civil(y, m, d)

static int32_t years[4000],
			months[4000],
			days[4000];

static TthcCover
cover_of(int32_t from, int32_t to, int32_t at_day)
{
	TthcCover	c;

	c.years = years;
	c.months = months;
	c.days = days;
	c.max = 4000;
	ok(tthc_cover(from, to, at_day, &c), "cover fits");
	return c;
}

/* Every day from..to is covered exactly once, by usable buckets only. */
static int
cover_is_exact(const TthcCover *c, int32_t from, int32_t to, int32_t at_day)
{
	static unsigned char seen[20000];
	int			span = to - from + 1;

	if (span > (int) sizeof(seen))
		return 0;
	memset(seen, 0, span);
	for (int g = 0; g < 3; g++)
	{
		TthcGrain	grain = g == 0 ? TTHC_GRAIN_YEAR : g == 1 ? TTHC_GRAIN_MONTH : TTHC_GRAIN_DAY;
		const int32_t *list = g == 0 ? c->years : g == 1 ? c->months : c->days;
		int			n = g == 0 ? c->nyears : g == 1 ? c->nmonths : c->ndays;

		for (int i = 0; i < n; i++)
		{
			int32_t		first = list[i],
						last = tthc_bucket_last(grain, first);

			if (tthc_bucket_first(grain, first) != first || first < from || last > to)
				return 0;
			if (grain != TTHC_GRAIN_DAY && last >= at_day)
				return 0;
			for (int32_t d = first; d <= last; d++)
				if (seen[d - from]++)
					return 0;
		}
	}
	for (int i = 0; i < span; i++)
		if (!seen[i])
			return 0;
	return 1;
}

int
main(void)
{
	TthcCover	c;
	unsigned	seed = 12345;
	int			bad = 0;

	/* buckets */
	ok(tthc_bucket_first(TTHC_GRAIN_MONTH, D(2026, 2, 17)) == D(2026, 2, 1), "month of 17/2 starts 1/2");
	ok(tthc_bucket_last(TTHC_GRAIN_MONTH, D(2024, 2, 3)) == D(2024, 2, 29), "February 2024 ends on the 29th");
	ok(tthc_bucket_last(TTHC_GRAIN_MONTH, D(2026, 12, 3)) == D(2026, 12, 31), "December ends on the 31st");
	ok(tthc_bucket_first(TTHC_GRAIN_YEAR, D(2026, 7, 9)) == D(2026, 1, 1), "year of 9/7/2026 starts 1/1");
	ok(tthc_bucket_last(TTHC_GRAIN_YEAR, D(2026, 7, 9)) == D(2026, 12, 31), "and ends 31/12");
	ok(tthc_bucket_first(TTHC_GRAIN_DAY, D(2026, 7, 9)) == D(2026, 7, 9), "a day is its own bucket");

	/* late days fold into the base inside the bucket, not after it */
	ok(tthc_bucket_late_day(TTHC_GRAIN_MONTH, D(2026, 3, 5), D(2026, 3, 31)) == TTHC_BASE_LATE_DAY,
	   "late on the month's last day folds into the month's base");
	ok(tthc_bucket_late_day(TTHC_GRAIN_MONTH, D(2026, 3, 5), D(2026, 4, 1)) == D(2026, 4, 1),
	   "late the next month stays a late entry");
	ok(tthc_bucket_late_day(TTHC_GRAIN_YEAR, D(2026, 3, 5), D(2026, 4, 1)) == TTHC_BASE_LATE_DAY,
	   "but folds into the year's base");
	ok(tthc_bucket_late_day(TTHC_GRAIN_DAY, D(2026, 3, 5), D(2026, 3, 5)) == D(2026, 3, 5),
	   "a day row keeps every late day");
	ok(tthc_bucket_late_day(TTHC_GRAIN_YEAR, D(2026, 3, 5), TTHC_BASE_LATE_DAY) == TTHC_BASE_LATE_DAY,
	   "a base entry stays a base entry");

	/* covers worked out by hand */
	c = cover_of(D(2025, 1, 1), D(2025, 12, 31), D(2026, 1, 1));
	ok(c.nyears == 1 && c.nmonths == 0 && c.ndays == 0 && years[0] == D(2025, 1, 1),
	   "a whole year read after it: one year row");
	c = cover_of(D(2025, 1, 1), D(2025, 12, 31), D(2025, 12, 31));
	ok(c.nyears == 0 && c.nmonths == 11 && c.ndays == 31, "the same year read on its last day: 11 months and 31 days");
	c = cover_of(D(2026, 1, 1), D(2026, 11, 23), D(2026, 11, 23));
	ok(c.nyears == 0 && c.nmonths == 10 && c.ndays == 23, "year to date on 23/11: 10 months and 23 days");
	c = cover_of(D(2026, 10, 1), D(2026, 10, 31), D(2026, 11, 1));
	ok(c.nyears == 0 && c.nmonths == 1 && c.ndays == 0 && months[0] == D(2026, 10, 1),
	   "October read on 1/11: one month row");
	c = cover_of(D(2026, 10, 2), D(2026, 10, 31), D(2027, 1, 1));
	ok(c.nmonths == 0 && c.ndays == 30, "a month missing its first day: days");
	c = cover_of(D(2024, 12, 15), D(2027, 2, 10), D(2030, 1, 1));
	ok(c.nyears == 2 && c.nmonths == 1 && c.ndays == 17 + 10 &&
	   years[0] == D(2025, 1, 1) && years[1] == D(2026, 1, 1) && months[0] == D(2027, 1, 1),
	   "mixed range: 17 days, 2 years, January 2027, 10 days");
	c = cover_of(D(2026, 5, 5), D(2026, 5, 5), D(2020, 1, 1));
	ok(c.ndays == 1 && c.nmonths == 0 && c.nyears == 0, "a single day");

	/* random ranges: every day covered once, by usable buckets */
	for (int i = 0; i < 3000; i++)
	{
		int32_t		from,
					to,
					at_day;

		seed = seed * 1103515245u + 12345u;
		from = D(2015, 1, 1) + (int32_t) ((seed >> 8) % 6000);
		seed = seed * 1103515245u + 12345u;
		to = from + (int32_t) ((seed >> 8) % 1500);
		seed = seed * 1103515245u + 12345u;
		at_day = from - 30 + (int32_t) ((seed >> 8) % 1600);
		c.years = years;
		c.months = months;
		c.days = days;
		c.max = 4000;
		if (!tthc_cover(from, to, at_day, &c) || !cover_is_exact(&c, from, to, at_day))
			bad++;
	}
	ok(bad == 0, "3,000 random ranges are covered exactly (%d bad)", bad);

	/* a list that cannot hold the cover is refused, not overrun */
	{
		TthcCover	small;

		small.years = years;
		small.months = months;
		small.days = days;
		small.max = 3;
		ok(!tthc_cover(D(2026, 1, 1), D(2026, 1, 10), D(2026, 1, 5), &small), "an overflowing cover is refused");
	}
	return tap_done();
}
