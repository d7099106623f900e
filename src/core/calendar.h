/*
 * calendar.h
 *		Vietnam's working-day calendar: public holidays and working time.
 *
 * Pure C, no PostgreSQL header.  Days are numbered as PostgreSQL numbers
 * dates (days since 2000-01-01); instants are microseconds since
 * 2000-01-01 00:00 in Vietnam's civil time (UTC+7, which Asia/Ho_Chi_Minh
 * has kept since 1975), so that a day boundary is a multiple of
 * TTHC_USECS_PER_DAY.  The glue converts timestamptz to and from that.
 */
#ifndef TTHC_CALENDAR_H
#define TTHC_CALENDAR_H

#include <stdbool.h>
#include <stdint.h>

#define TTHC_USECS_PER_SEC	((int64_t) 1000000)
#define TTHC_USECS_PER_HOUR (3600 * TTHC_USECS_PER_SEC)
#define TTHC_USECS_PER_DAY	(24 * TTHC_USECS_PER_HOUR)
/* Vietnam's civil time is UTC+7. */
#define TTHC_VN_UTC_OFFSET_USECS (7 * TTHC_USECS_PER_HOUR)

/* Civil dates as day numbers (days since 2000-01-01). */
extern int32_t tthc_day_from_civil(int year, int month, int day);
extern void tthc_civil_from_day(int32_t dayno, int *year, int *month, int *day);
/* The local day (day number) of a local instant. */
extern int32_t tthc_local_day(int64_t t);
/* 0 = Sunday ... 6 = Saturday */
extern int	tthc_weekday(int32_t dayno);

/* Public holidays that the law fixes (Labour Code 2019, art. 112). */
typedef enum TthcHolidayKind
{
	TTHC_HOLIDAY_PUBLIC,		/* the day itself */
	TTHC_HOLIDAY_COMPENSATORY	/* day off in lieu of one on a weekend */
} TthcHolidayKind;

typedef struct TthcHoliday
{
	int32_t		day;
	TthcHolidayKind kind;
	char		name[96];
} TthcHoliday;

#define TTHC_MAX_HOLIDAYS_PER_YEAR 32

/*
 * The rule holidays of a Gregorian year, in date order: 1/1, Tết (the last
 * day of the lunar year and the first four of the new one), Hùng Kings'
 * day (10/3 lunar), 30/4, 1/5, 2/9 with one adjacent day, and a
 * compensatory day off on the next working day for each of them that falls
 * on a Saturday or Sunday.  national_day_adjacent chooses the day next to
 * 2/9: 1 (1/9), 3 (3/9), or 0 for the default (3/9 when 2/9 is a Monday
 * or a Thursday, else 1/9: the choice that joins the break to a weekend).
 * Returns the count written to out (at most max), or -1 on a bad argument.
 */
extern int	tthc_rule_holidays(int year, int national_day_adjacent,
							   TthcHoliday *out, int max);

/* Working hours, as microseconds since midnight. */
typedef struct TthcWorkHours
{
	int64_t		am_start;
	int64_t		am_end;
	int64_t		pm_start;
	int64_t		pm_end;
	int64_t		cutoff;			/* receipt after this counts from next day */
	int64_t		same_day_cutoff;	/* the same, for same-day procedures */
} TthcWorkHours;

/* 07:00-11:30, 13:30-17:00, cut-off 17:00, same-day cut-off 15:00 */
extern TthcWorkHours tthc_default_work_hours(void);
/* NULL when valid, else what is wrong (a static string) */
extern const char *tthc_work_hours_check(const TthcWorkHours *wh);
extern int64_t tthc_work_day_length(const TthcWorkHours *wh);

/*
 * A working-day calendar over the days [first_day, first_day + ndays).
 * The caller fills working[] (1 = working day) and provides cum[] of
 * ndays + 1 entries, then calls tthc_calendar_index().
 */
typedef struct TthcCalendar
{
	int32_t		first_day;
	int32_t		ndays;
	uint8_t    *working;
	int32_t    *cum;			/* cum[i]: working days in [0, i) */
	TthcWorkHours wh;
	int64_t		day_len;		/* working time in one working day */
} TthcCalendar;

extern void tthc_calendar_index(TthcCalendar *cal);

typedef enum TthcCalStatus
{
	TTHC_CAL_OK = 0,
	TTHC_CAL_OUT_OF_RANGE,		/* a day outside the calendar */
	TTHC_CAL_BAD_AMOUNT			/* negative, not finite, or fractional months */
} TthcCalStatus;

typedef enum TthcUnit
{
	TTHC_UNIT_INVALID = -1,
	TTHC_UNIT_WORKING_DAY = 0,
	TTHC_UNIT_DAY,
	TTHC_UNIT_HOUR,
	TTHC_UNIT_MONTH
} TthcUnit;

extern TthcUnit tthc_unit_parse(const char *name);
extern const char *tthc_unit_name(TthcUnit unit);

extern bool tthc_calendar_is_working(const TthcCalendar *cal, int32_t dayno,
									 TthcCalStatus *status);

/*
 * Is a time limit "same-day" (results returned within the working day of
 * receipt), so that receipt after the same-day cut-off counts from the next
 * working day?  True for limits shorter than one working day.
 */
extern bool tthc_limit_is_same_day(const TthcCalendar *cal, double amount,
								   TthcUnit unit);

/*
 * The due instant: 'from' (the receipt) plus 'amount' of 'unit', skipping
 * non-working time.  Receipt after the cut-off (the same-day one when
 * same_day), or on a non-working day, counts from the next working day's
 * start.  working_day and hour add working time (a working day is the
 * working time of one day); day adds calendar days and month calendar
 * months (whole months only), keeping the clock time, and a result on a
 * non-working day moves to the next working day.
 */
extern TthcCalStatus tthc_add_working_time(const TthcCalendar *cal, int64_t from,
										   double amount, TthcUnit unit,
										   bool same_day, int64_t *due);

/* Working time from a to b, in microseconds; negative when b < a. */
extern TthcCalStatus tthc_working_time_between(const TthcCalendar *cal,
											   int64_t a, int64_t b,
											   int64_t *work);

/*
 * t moved forward by work microseconds of working time (t itself counts from
 * where it is, without cut-off); lands at the end of a working period
 * rather than the start of the next one.
 */
extern TthcCalStatus tthc_add_work_usecs(const TthcCalendar *cal, int64_t t,
										 int64_t work, int64_t *out);

#endif							/* TTHC_CALENDAR_H */
