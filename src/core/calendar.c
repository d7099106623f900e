/*
 * calendar.c
 *		Vietnam's public holidays and working-time arithmetic.
 *
 * Working time is measured as a position: the working microseconds from the
 * calendar's first day to an instant.  With cum[] (working days before each
 * day) the position of any instant is O(1), the working time between two
 * instants is a subtraction, and adding working time is a binary search.
 */
#include "calendar.h"
#include "lunar.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#define TTHC_JDN_2000_01_01 2451545L

int32_t
tthc_day_from_civil(int year, int month, int day)
{
	return (int32_t) (tthc_jdn_from_civil(year, month, day) - TTHC_JDN_2000_01_01);
}

void
tthc_civil_from_day(int32_t dayno, int *year, int *month, int *day)
{
	tthc_civil_from_jdn((long) dayno + TTHC_JDN_2000_01_01, year, month, day);
}

int
tthc_weekday(int32_t dayno)
{
	/* 2000-01-01 was a Saturday */
	int			w = (int) (((int64_t) dayno + 6) % 7);

	return w < 0 ? w + 7 : w;
}

static bool
is_weekend(int32_t dayno)
{
	int			w = tthc_weekday(dayno);

	return w == 0 || w == 6;
}

/* Append a holiday unless out is full; returns the new count. */
static int
add_holiday(TthcHoliday *out, int n, int max, int32_t day,
			TthcHolidayKind kind, const char *name)
{
	if (n >= max)
		return n;
	out[n].day = day;
	out[n].kind = kind;
	snprintf(out[n].name, sizeof(out[n].name), "%s", name);
	return n + 1;
}

static bool
holiday_listed(const TthcHoliday *h, int n, int32_t day)
{
	for (int i = 0; i < n; i++)
		if (h[i].day == day)
			return true;
	return false;
}

static void
sort_holidays(TthcHoliday *h, int n)
{
	/* insertion sort: a year has about twenty entries */
	for (int i = 1; i < n; i++)
	{
		TthcHoliday tmp = h[i];
		int			j = i - 1;

		while (j >= 0 && h[j].day > tmp.day)
		{
			h[j + 1] = h[j];
			j--;
		}
		h[j + 1] = tmp;
	}
}

int
tthc_rule_holidays(int year, int national_day_adjacent, TthcHoliday *out, int max)
{
	TthcHoliday pub[16];
	int			npub = 0;
	int			n = 0;
	long		tet;
	long		hung;
	TthcLunarDate ld;
	int32_t		national = tthc_day_from_civil(year, 9, 2);
	static const char *const tet_names[] = {
		"Tết Nguyên đán (mùng 1)", "Tết Nguyên đán (mùng 2)",
		"Tết Nguyên đán (mùng 3)", "Tết Nguyên đán (mùng 4)"
	};

	if (year < 1900 || year > 2199 || max < 0 ||
		(national_day_adjacent != 0 && national_day_adjacent != 1 &&
		 national_day_adjacent != 3))
		return -1;

	ld.day = 1;
	ld.month = 1;
	ld.year = year;
	ld.leap = false;
	if (!tthc_lunar_to_jdn(ld, &tet))
		return -1;
	ld.day = 10;
	ld.month = 3;
	if (!tthc_lunar_to_jdn(ld, &hung))
		return -1;

	npub = add_holiday(pub, npub, 16, tthc_day_from_civil(year, 1, 1),
					   TTHC_HOLIDAY_PUBLIC, "Tết Dương lịch");
	npub = add_holiday(pub, npub, 16, (int32_t) (tet - 1 - TTHC_JDN_2000_01_01),
					   TTHC_HOLIDAY_PUBLIC, "Tết Nguyên đán (ngày cuối năm âm lịch)");
	for (int i = 0; i < 4; i++)
		npub = add_holiday(pub, npub, 16, (int32_t) (tet + i - TTHC_JDN_2000_01_01),
						   TTHC_HOLIDAY_PUBLIC, tet_names[i]);
	npub = add_holiday(pub, npub, 16, (int32_t) (hung - TTHC_JDN_2000_01_01),
					   TTHC_HOLIDAY_PUBLIC, "Giỗ Tổ Hùng Vương (10/3 âm lịch)");
	npub = add_holiday(pub, npub, 16, tthc_day_from_civil(year, 4, 30),
					   TTHC_HOLIDAY_PUBLIC, "Ngày Chiến thắng (30/4)");
	npub = add_holiday(pub, npub, 16, tthc_day_from_civil(year, 5, 1),
					   TTHC_HOLIDAY_PUBLIC, "Ngày Quốc tế Lao động (1/5)");
	npub = add_holiday(pub, npub, 16, national,
					   TTHC_HOLIDAY_PUBLIC, "Quốc khánh (2/9)");
	if (national_day_adjacent == 0)
	{
		int			w = tthc_weekday(national);

		national_day_adjacent = (w == 1 || w == 4) ? 3 : 1;
	}
	npub = add_holiday(pub, npub, 16,
					   tthc_day_from_civil(year, 9, national_day_adjacent),
					   TTHC_HOLIDAY_PUBLIC,
					   national_day_adjacent == 1 ? "Quốc khánh (1/9, ngày liền kề)"
					   : "Quốc khánh (3/9, ngày liền kề)");
	sort_holidays(pub, npub);

	for (int i = 0; i < npub; i++)
		n = add_holiday(out, n, max, pub[i].day, pub[i].kind, pub[i].name);

	/* A holiday on a weekend: a day off on the next working day. */
	for (int i = 0; i < npub; i++)
	{
		int32_t		d;
		char		name[96];

		if (!is_weekend(pub[i].day))
			continue;
		d = pub[i].day + 1;
		while (is_weekend(d) || holiday_listed(out, n, d))
			d++;
		snprintf(name, sizeof(name), "Nghỉ bù %s", pub[i].name);
		n = add_holiday(out, n, max, d, TTHC_HOLIDAY_COMPENSATORY, name);
	}
	sort_holidays(out, n);
	return n;
}

TthcWorkHours
tthc_default_work_hours(void)
{
	TthcWorkHours wh;

	wh.am_start = 7 * TTHC_USECS_PER_HOUR;
	wh.am_end = 11 * TTHC_USECS_PER_HOUR + 30 * 60 * TTHC_USECS_PER_SEC;
	wh.pm_start = 13 * TTHC_USECS_PER_HOUR + 30 * 60 * TTHC_USECS_PER_SEC;
	wh.pm_end = 17 * TTHC_USECS_PER_HOUR;
	wh.cutoff = 17 * TTHC_USECS_PER_HOUR;
	wh.same_day_cutoff = 15 * TTHC_USECS_PER_HOUR;
	return wh;
}

const char *
tthc_work_hours_check(const TthcWorkHours *wh)
{
	if (wh->am_start < 0 || wh->pm_end > TTHC_USECS_PER_DAY)
		return "working hours must lie within one day";
	if (!(wh->am_start < wh->am_end && wh->am_end <= wh->pm_start &&
		  wh->pm_start < wh->pm_end))
		return "working hours must be two ordered, non-empty intervals";
	if (wh->cutoff < wh->am_start || wh->cutoff > TTHC_USECS_PER_DAY ||
		wh->same_day_cutoff < wh->am_start ||
		wh->same_day_cutoff > TTHC_USECS_PER_DAY)
		return "cut-off times must not fall before the start of work";
	return NULL;
}

int64_t
tthc_work_day_length(const TthcWorkHours *wh)
{
	return (wh->am_end - wh->am_start) + (wh->pm_end - wh->pm_start);
}

void
tthc_calendar_index(TthcCalendar *cal)
{
	cal->cum[0] = 0;
	for (int32_t i = 0; i < cal->ndays; i++)
		cal->cum[i + 1] = cal->cum[i] + (cal->working[i] ? 1 : 0);
	cal->day_len = tthc_work_day_length(&cal->wh);
}

TthcUnit
tthc_unit_parse(const char *name)
{
	if (name == NULL)
		return TTHC_UNIT_INVALID;
	if (strcmp(name, "working_day") == 0)
		return TTHC_UNIT_WORKING_DAY;
	if (strcmp(name, "day") == 0)
		return TTHC_UNIT_DAY;
	if (strcmp(name, "hour") == 0)
		return TTHC_UNIT_HOUR;
	if (strcmp(name, "month") == 0)
		return TTHC_UNIT_MONTH;
	return TTHC_UNIT_INVALID;
}

const char *
tthc_unit_name(TthcUnit unit)
{
	switch (unit)
	{
		case TTHC_UNIT_WORKING_DAY:
			return "working_day";
		case TTHC_UNIT_DAY:
			return "day";
		case TTHC_UNIT_HOUR:
			return "hour";
		case TTHC_UNIT_MONTH:
			return "month";
		default:
			return NULL;
	}
}

/* Index of a day in the calendar, or -1 when outside it. */
static int32_t
day_index(const TthcCalendar *cal, int32_t dayno)
{
	int64_t		i = (int64_t) dayno - cal->first_day;

	return (i < 0 || i >= cal->ndays) ? -1 : (int32_t) i;
}

int32_t
tthc_local_day(int64_t t)
{
	int64_t		d = t / TTHC_USECS_PER_DAY;

	if (t < 0 && d * TTHC_USECS_PER_DAY != t)
		d--;
	return (int32_t) d;
}

bool
tthc_calendar_is_working(const TthcCalendar *cal, int32_t dayno, TthcCalStatus *status)
{
	int32_t		i = day_index(cal, dayno);

	if (i < 0)
	{
		*status = TTHC_CAL_OUT_OF_RANGE;
		return false;
	}
	*status = TTHC_CAL_OK;
	return cal->working[i] != 0;
}

static int64_t
clamp64(int64_t v, int64_t lo, int64_t hi)
{
	return v < lo ? lo : (v > hi ? hi : v);
}

/* Working time elapsed within a working day at clock time c. */
static int64_t
work_in_day(const TthcWorkHours *wh, int64_t c)
{
	return clamp64(c, wh->am_start, wh->am_end) - wh->am_start +
		clamp64(c, wh->pm_start, wh->pm_end) - wh->pm_start;
}

/*
 * Working position of instant t.  With a cut-off, an instant after it on a
 * working day counts as the start of the next working day.
 */
static TthcCalStatus
work_position(const TthcCalendar *cal, int64_t t, int64_t cutoff, int64_t *pos)
{
	int32_t		dayno = tthc_local_day(t);
	int32_t		i = day_index(cal, dayno);
	int64_t		clock;

	if (i < 0)
		return TTHC_CAL_OUT_OF_RANGE;
	clock = t - (int64_t) dayno * TTHC_USECS_PER_DAY;
	if (!cal->working[i])
		*pos = (int64_t) cal->cum[i] * cal->day_len;
	else if (clock > cutoff)
		*pos = (int64_t) (cal->cum[i] + 1) * cal->day_len;
	else
		*pos = (int64_t) cal->cum[i] * cal->day_len + work_in_day(&cal->wh, clock);
	return TTHC_CAL_OK;
}

/*
 * The instant at working position pos.  A position on a day boundary is
 * the end of the earlier working day (17:00), not the start of the next.
 */
static TthcCalStatus
work_instant(const TthcCalendar *cal, int64_t pos, int64_t *t)
{
	int64_t		k = pos / cal->day_len;
	int64_t		r = pos % cal->day_len;
	int32_t		lo;
	int32_t		hi;
	int64_t		am_len = cal->wh.am_end - cal->wh.am_start;
	int64_t		clock;

	if (pos < 0)
		return TTHC_CAL_OUT_OF_RANGE;
	if (r == 0 && k > 0)
	{
		k--;
		r = cal->day_len;
	}
	if (k >= cal->cum[cal->ndays])
		return TTHC_CAL_OUT_OF_RANGE;
	/* the smallest i with cum[i + 1] > k: the (k+1)-th working day */
	lo = 0;
	hi = cal->ndays - 1;
	while (lo < hi)
	{
		int32_t		mid = lo + (hi - lo) / 2;

		if (cal->cum[mid + 1] > k)
			hi = mid;
		else
			lo = mid + 1;
	}
	clock = (r <= am_len) ? cal->wh.am_start + r : cal->wh.pm_start + (r - am_len);
	*t = (int64_t) (cal->first_day + lo) * TTHC_USECS_PER_DAY + clock;
	return TTHC_CAL_OK;
}

bool
tthc_limit_is_same_day(const TthcCalendar *cal, double amount, TthcUnit unit)
{
	switch (unit)
	{
		case TTHC_UNIT_WORKING_DAY:
			return amount < 1.0;
		case TTHC_UNIT_HOUR:
			return amount * TTHC_USECS_PER_HOUR < (double) cal->day_len;
		default:
			return false;
	}
}

/* Move t forward to the same clock time of the next working day if needed. */
static TthcCalStatus
roll_to_working_day(const TthcCalendar *cal, int64_t t, int64_t *out)
{
	int32_t		dayno = tthc_local_day(t);
	int32_t		i = day_index(cal, dayno);

	if (i < 0)
		return TTHC_CAL_OUT_OF_RANGE;
	while (!cal->working[i])
	{
		i++;
		t += TTHC_USECS_PER_DAY;
		if (i >= cal->ndays)
			return TTHC_CAL_OUT_OF_RANGE;
	}
	*out = t;
	return TTHC_CAL_OK;
}

/* Add whole months to a local instant, clamping the day to the month's end. */
static int64_t
add_months(int64_t t, long months)
{
	int32_t		dayno = tthc_local_day(t);
	int64_t		clock = t - (int64_t) dayno * TTHC_USECS_PER_DAY;
	int			y;
	int			m;
	int			d;
	long		total;
	int			mdays;
	static const int month_days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};

	tthc_civil_from_day(dayno, &y, &m, &d);
	total = (long) y * 12 + (m - 1) + months;
	y = (int) (total / 12);
	m = (int) (total % 12) + 1;
	mdays = month_days[m - 1];
	if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
		mdays = 29;
	if (d > mdays)
		d = mdays;
	return (int64_t) tthc_day_from_civil(y, m, d) * TTHC_USECS_PER_DAY + clock;
}

TthcCalStatus
tthc_add_working_time(const TthcCalendar *cal, int64_t from, double amount,
					  TthcUnit unit, bool same_day, int64_t *due)
{
	int64_t		cutoff = same_day ? cal->wh.same_day_cutoff : cal->wh.cutoff;
	int64_t		pos;
	int64_t		start;
	double		span;
	TthcCalStatus st;

	if (!isfinite(amount) || amount < 0)
		return TTHC_CAL_BAD_AMOUNT;
	/* beyond any calendar: avoid overflow in the conversions below */
	if (amount > 1e6)
		return TTHC_CAL_OUT_OF_RANGE;

	st = work_position(cal, from, cutoff, &pos);
	if (st != TTHC_CAL_OK)
		return st;

	switch (unit)
	{
		case TTHC_UNIT_WORKING_DAY:
		case TTHC_UNIT_HOUR:
			span = amount * (unit == TTHC_UNIT_HOUR ?
							 (double) TTHC_USECS_PER_HOUR : (double) cal->day_len);
			if (span == 0)
			{
				/* no time at all: the start of counting itself */
				int64_t		tt;

				st = work_instant(cal, pos + 1, &tt);
				if (st != TTHC_CAL_OK)
					return st;
				*due = tt - 1;
				return TTHC_CAL_OK;
			}
			return work_instant(cal, pos + (int64_t) llround(span), due);

		case TTHC_UNIT_DAY:
		case TTHC_UNIT_MONTH:
			{
				int32_t		dayno = tthc_local_day(from);
				int32_t		i = day_index(cal, dayno);
				int64_t		clock = from - (int64_t) dayno * TTHC_USECS_PER_DAY;
				int64_t		end;

				/* where counting starts: now, or the next working day's start */
				if (cal->working[i] && clock <= cutoff)
					start = clock < cal->wh.am_start ?
						(int64_t) dayno * TTHC_USECS_PER_DAY + cal->wh.am_start : from;
				else
				{
					int64_t		tt;

					/* the instant just after pos is the next working day's start */
					st = work_instant(cal, pos + 1, &tt);
					if (st != TTHC_CAL_OK)
						return st;
					start = tt - 1;
				}
				if (unit == TTHC_UNIT_DAY)
					end = start + (int64_t) llround(amount * (double) TTHC_USECS_PER_DAY);
				else
				{
					if (amount != floor(amount))
						return TTHC_CAL_BAD_AMOUNT;
					end = add_months(start, (long) amount);
				}
				return roll_to_working_day(cal, end, due);
			}

		default:
			return TTHC_CAL_BAD_AMOUNT;
	}
}

TthcCalStatus
tthc_working_time_between(const TthcCalendar *cal, int64_t a, int64_t b, int64_t *work)
{
	int64_t		pa;
	int64_t		pb;
	TthcCalStatus st;

	st = work_position(cal, a, TTHC_USECS_PER_DAY, &pa);
	if (st != TTHC_CAL_OK)
		return st;
	st = work_position(cal, b, TTHC_USECS_PER_DAY, &pb);
	if (st != TTHC_CAL_OK)
		return st;
	*work = pb - pa;
	return TTHC_CAL_OK;
}

TthcCalStatus
tthc_add_work_usecs(const TthcCalendar *cal, int64_t t, int64_t work, int64_t *out)
{
	int64_t		pos;
	TthcCalStatus st = work_position(cal, t, TTHC_USECS_PER_DAY, &pos);

	if (st != TTHC_CAL_OK)
		return st;
	if (work <= 0)
	{
		*out = t;
		return TTHC_CAL_OK;
	}
	return work_instant(cal, pos + work, out);
}
