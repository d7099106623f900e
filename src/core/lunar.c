/*
 * lunar.c
 *		The Vietnamese lunisolar calendar, computed from astronomy.
 *
 * A lunar month starts on the civil day (at UTC+7) of a new moon.  Month 11
 * is the month that contains the winter solstice; a year with 13 months
 * between two months 11 has a leap month, the first month that contains no
 * major solar term (no change of the sun's longitude across a multiple of
 * 30 degrees).  New moon instants and the sun's longitude use the
 * truncated series of Meeus, accurate to minutes over 1800-2200, which is
 * what decides the civil day.
 */
#include "lunar.h"

#include <math.h>

#define TTHC_SYNODIC_MONTH 29.530588853
#define TTHC_NEW_MOON_EPOCH 2415021.076998695	/* new moon of 1900-01-01 */

/* Julian day number of a proleptic Gregorian date. */
long
tthc_jdn_from_civil(int year, int month, int day)
{
	long		a = (14 - month) / 12;
	long		y = (long) year + 4800 - a;
	long		m = month + 12 * a - 3;

	return day + (153 * m + 2) / 5 + 365 * y + y / 4 - y / 100 + y / 400 - 32045;
}

/* Proleptic Gregorian date of a Julian day number. */
void
tthc_civil_from_jdn(long jdn, int *year, int *month, int *day)
{
	long		a = jdn + 32044;
	long		b = (4 * a + 3) / 146097;
	long		c = a - (b * 146097) / 4;
	long		d = (4 * c + 3) / 1461;
	long		e = c - (1461 * d) / 4;
	long		m = (5 * e + 2) / 153;

	*day = (int) (e - (153 * m + 2) / 5 + 1);
	*month = (int) (m + 3 - 12 * (m / 10));
	*year = (int) (b * 100 + d - 4800 + m / 10);
}

/* Julian day (fractional, TT) of the k-th new moon after 1900-01-01. */
static double
new_moon(long k)
{
	const double dr = M_PI / 180.0;
	double		t = k / 1236.85;
	double		t2 = t * t;
	double		t3 = t2 * t;
	double		jd1;
	double		m;
	double		mpr;
	double		f;
	double		c1;
	double		deltat;

	jd1 = 2415020.75933 + 29.53058868 * k + 0.0001178 * t2 - 0.000000155 * t3;
	jd1 += 0.00033 * sin((166.56 + 132.87 * t - 0.009173 * t2) * dr);
	m = 359.2242 + 29.10535608 * k - 0.0000333 * t2 - 0.00000347 * t3;
	mpr = 306.0253 + 385.81691806 * k + 0.0107306 * t2 + 0.00001236 * t3;
	f = 21.2964 + 390.67050646 * k - 0.0016528 * t2 - 0.00000239 * t3;

	c1 = (0.1734 - 0.000393 * t) * sin(m * dr) + 0.0021 * sin(2 * dr * m);
	c1 -= 0.4068 * sin(mpr * dr) - 0.0161 * sin(dr * 2 * mpr);
	c1 -= 0.0004 * sin(dr * 3 * mpr);
	c1 += 0.0104 * sin(dr * 2 * f) - 0.0051 * sin(dr * (m + mpr));
	c1 -= 0.0074 * sin(dr * (m - mpr)) - 0.0004 * sin(dr * (2 * f + m));
	c1 -= 0.0004 * sin(dr * (2 * f - m)) + 0.0006 * sin(dr * (2 * f + mpr));
	c1 += 0.0010 * sin(dr * (2 * f - mpr)) + 0.0005 * sin(dr * (2 * mpr + m));

	if (t < -11)
		deltat = 0.001 + 0.000839 * t + 0.0002261 * t2 - 0.00000845 * t3
			- 0.000000081 * t * t3;
	else
		deltat = -0.000278 + 0.000265 * t + 0.000262 * t2;

	return jd1 + c1 - deltat;
}

/* Civil day (Julian day number at UTC+7) of the k-th new moon. */
static long
new_moon_day(long k)
{
	return (long) floor(new_moon(k) + 0.5 + TTHC_LUNAR_TZ / 24.0);
}

/* The sun's apparent longitude, in radians [0, 2pi), at Julian day jd. */
static double
sun_longitude(double jd)
{
	const double dr = M_PI / 180.0;
	double		t = (jd - 2451545.0) / 36525.0;
	double		t2 = t * t;
	double		m;
	double		l0;
	double		dl;
	double		l;

	m = 357.52910 + 35999.05030 * t - 0.0001559 * t2 - 0.00000048 * t * t2;
	l0 = 280.46645 + 36000.76983 * t + 0.0003032 * t2;
	dl = (1.914600 - 0.004817 * t - 0.000014 * t2) * sin(dr * m);
	dl += (0.019993 - 0.000101 * t) * sin(dr * 2 * m) + 0.000290 * sin(dr * 3 * m);
	l = (l0 + dl) * dr;
	l -= 2 * M_PI * floor(l / (2 * M_PI));
	return l;
}

/* Which 30-degree sector (0-11) the sun is in at the start of civil day jdn. */
static int
sun_sector(long jdn)
{
	return (int) floor(sun_longitude(jdn - 0.5 - TTHC_LUNAR_TZ / 24.0) / M_PI * 6.0);
}

/* First day (JDN) of lunar month 11 of the lunar year ending in 'year'. */
static long
lunar_month11(int year)
{
	double		off = tthc_jdn_from_civil(year, 12, 31) - 2415021.0;
	long		k = (long) floor(off / TTHC_SYNODIC_MONTH);
	long		nm = new_moon_day(k);

	/* The sun past 270 degrees (solstice) already: month 11 began earlier. */
	if (sun_sector(nm) >= 9)
		nm = new_moon_day(k - 1);
	return nm;
}

/*
 * Which month after month 11 (starting at a11) is the leap month: the first
 * one in which the sun does not change sector.
 */
static int
leap_month_offset(long a11)
{
	long		k = (long) floor((a11 - TTHC_NEW_MOON_EPOCH) / TTHC_SYNODIC_MONTH + 0.5);
	int			last;
	int			i = 1;
	int			arc = sun_sector(new_moon_day(k + i));

	do
	{
		last = arc;
		i++;
		arc = sun_sector(new_moon_day(k + i));
	} while (arc != last && i < 14);
	return i - 1;
}

/* The lunar date of a Gregorian date. */
TthcLunarDate
tthc_solar_to_lunar(int year, int month, int day)
{
	TthcLunarDate ld;
	long		jdn = tthc_jdn_from_civil(year, month, day);
	long		k = (long) floor((jdn - TTHC_NEW_MOON_EPOCH) / TTHC_SYNODIC_MONTH);
	long		month_start = new_moon_day(k + 1);
	long		a11;
	long		b11;
	int			diff;

	if (month_start > jdn)
		month_start = new_moon_day(k);
	a11 = lunar_month11(year);
	b11 = a11;
	if (a11 >= month_start)
	{
		ld.year = year;
		a11 = lunar_month11(year - 1);
	}
	else
	{
		ld.year = year + 1;
		b11 = lunar_month11(year + 1);
	}
	ld.day = (int) (jdn - month_start + 1);
	diff = (int) floor((month_start - a11) / 29.0);
	ld.leap = false;
	ld.month = diff + 11;
	if (b11 - a11 > 365)
	{
		int			leap_diff = leap_month_offset(a11);

		if (diff >= leap_diff)
		{
			ld.month = diff + 10;
			if (diff == leap_diff)
				ld.leap = true;
		}
	}
	if (ld.month > 12)
		ld.month -= 12;
	if (ld.month >= 11 && diff < 4)
		ld.year -= 1;
	return ld;
}

/* The Julian day number of a lunar date; false if it does not exist. */
bool
tthc_lunar_to_jdn(TthcLunarDate ld, long *jdn)
{
	long		a11;
	long		b11;
	long		k;
	int			off;
	long		start;
	long		next;

	if (ld.month < 1 || ld.month > 12 || ld.day < 1 || ld.day > 30)
		return false;
	if (ld.month < 11)
	{
		a11 = lunar_month11(ld.year - 1);
		b11 = lunar_month11(ld.year);
	}
	else
	{
		a11 = lunar_month11(ld.year);
		b11 = lunar_month11(ld.year + 1);
	}
	k = (long) floor(0.5 + (a11 - TTHC_NEW_MOON_EPOCH) / TTHC_SYNODIC_MONTH);
	off = ld.month - 11;
	if (off < 0)
		off += 12;
	if (b11 - a11 > 365)
	{
		int			leap_off = leap_month_offset(a11);
		int			leap_month = leap_off - 2;

		if (leap_month < 0)
			leap_month += 12;
		if (ld.leap && ld.month != leap_month)
			return false;
		if (ld.leap || off >= leap_off)
			off += 1;
	}
	else if (ld.leap)
		return false;

	start = new_moon_day(k + off);
	next = new_moon_day(k + off + 1);
	if (start + ld.day - 1 >= next)
		return false;			/* day 30 of a 29-day month */
	*jdn = start + ld.day - 1;
	return true;
}
