/*
 * test_lunar.c
 *		Unit tests of the Vietnamese lunar calendar (src/core/lunar.c).
 */
#include "tap.h"
#include "../../src/core/lunar.h"
#include "../../src/core/calendar.h"

/* First day of Tết, as published by Vietnam's government, 2015-2035. */
static const int tet[][3] = {
	{2015, 2, 19}, {2016, 2, 8}, {2017, 1, 28}, {2018, 2, 16}, {2019, 2, 5},
	{2020, 1, 25}, {2021, 2, 12}, {2022, 2, 1}, {2023, 1, 22}, {2024, 2, 10},
	{2025, 1, 29}, {2026, 2, 17}, {2027, 2, 6}, {2028, 1, 26}, {2029, 2, 13},
	{2030, 2, 2}, {2031, 1, 23}, {2032, 2, 11}, {2033, 1, 31}, {2034, 2, 19},
	{2035, 2, 8}
};

int
main(void)
{
	int			bad;

	for (size_t i = 0; i < sizeof(tet) / sizeof(tet[0]); i++)
	{
		TthcLunarDate ld = tthc_solar_to_lunar(tet[i][0], tet[i][1], tet[i][2]);
		TthcLunarDate one = {1, 1, tet[i][0], false};
		long		jdn = 0;
		int			y, m, d;

		ok(ld.day == 1 && ld.month == 1 && !ld.leap && ld.year == tet[i][0],
		   "%04d-%02d-%02d is lunar 1/1/%d (got %d/%d/%d%s)", tet[i][0], tet[i][1],
		   tet[i][2], tet[i][0], ld.day, ld.month, ld.year, ld.leap ? " leap" : "");
		ok(tthc_lunar_to_jdn(one, &jdn), "lunar 1/1/%d exists", tet[i][0]);
		tthc_civil_from_jdn(jdn, &y, &m, &d);
		ok(y == tet[i][0] && m == tet[i][1] && d == tet[i][2],
		   "lunar 1/1/%d is %04d-%02d-%02d (got %04d-%02d-%02d)", tet[i][0],
		   tet[i][0], tet[i][1], tet[i][2], y, m, d);
	}

	/*
	 * Where the Vietnamese calendar (UTC+7) differs from the Chinese (UTC+8):
	 * 1985, 2007 and 2030 (new moon at 23:07 on 2/2/2030, Vietnam's time).
	 */
	{
		TthcLunarDate a = tthc_solar_to_lunar(1985, 1, 21);
		TthcLunarDate b = tthc_solar_to_lunar(2007, 2, 17);

		ok(a.day == 1 && a.month == 1 && a.year == 1985,
		   "Tết 1985 fell on 21/1/1985 in Vietnam (China: 20/2)");
		ok(b.day == 1 && b.month == 1 && b.year == 2007,
		   "Tết 2007 fell on 17/2/2007 in Vietnam (China: 18/2)");
	}

	/* Known lunar dates: Hùng Kings' day (10/3) and a leap month. */
	{
		TthcLunarDate h = tthc_solar_to_lunar(2026, 4, 26);
		TthcLunarDate l = tthc_solar_to_lunar(2023, 3, 22);
		TthcLunarDate l2 = tthc_solar_to_lunar(2023, 4, 20);
		TthcLunarDate bogus = {1, 5, 2026, true};
		TthcLunarDate day30 = {30, 12, 2025, false};
		long		jdn;

		ok(h.day == 10 && h.month == 3 && !h.leap, "26/4/2026 is 10/3 lunar");
		ok(l.day == 1 && l.month == 2 && l.leap, "22/3/2023 is 1/2 (leap) lunar 2023");
		ok(l2.day == 1 && l2.month == 3 && !l2.leap, "20/4/2023 is 1/3 lunar 2023");
		ok(!tthc_lunar_to_jdn(bogus, &jdn), "2026 has no leap 5th month");
		/* month 12 of 2025 has 29 days: 19/1/2026 .. 16/2/2026 */
		ok(!tthc_lunar_to_jdn(day30, &jdn), "30/12 lunar 2025 does not exist");
	}

	/* Round trip over every day of 1990-2040. */
	bad = 0;
	for (int32_t day = tthc_day_from_civil(1990, 1, 1);
		 day <= tthc_day_from_civil(2040, 12, 31); day++)
	{
		int			y, m, d;
		long		jdn;
		TthcLunarDate ld;

		tthc_civil_from_day(day, &y, &m, &d);
		ld = tthc_solar_to_lunar(y, m, d);
		if (!tthc_lunar_to_jdn(ld, &jdn) || jdn != tthc_jdn_from_civil(y, m, d) ||
			ld.day < 1 || ld.day > 30 || ld.month < 1 || ld.month > 12)
			bad++;
	}
	ok(bad == 0, "solar -> lunar -> solar is the identity over 1990-2040 (%d bad)", bad);

	/* civil <-> day number */
	{
		int			y, m, d;

		ok(tthc_day_from_civil(2000, 1, 1) == 0, "2000-01-01 is day 0");
		tthc_civil_from_day(-1, &y, &m, &d);
		ok(y == 1999 && m == 12 && d == 31, "day -1 is 1999-12-31");
		ok(tthc_weekday(tthc_day_from_civil(2026, 11, 23)) == 1, "23/11/2026 is a Monday");
		ok(tthc_weekday(tthc_day_from_civil(1999, 12, 31)) == 5, "31/12/1999 was a Friday");
	}
	return tap_done();
}
