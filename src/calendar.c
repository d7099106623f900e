/*
 * calendar.c
 *		SQL interface of the working-day calendar (PostgreSQL glue).
 *
 * The calendar (holidays, make-up working days, working hours and the
 * years it covers) lives in tables the DBA edits.  Each backend keeps it
 * in memory as the core's TthcCalendar, loaded on first use.  A statement
 * trigger on those tables sends a relcache invalidation for the table it
 * fires on; every backend's callback then marks its copy stale, so an edit
 * is seen by every session as soon as it commits (and by the editing
 * session at once), with no polling.
 */
#include "postgres.h"

#include <math.h>

#include "access/htup_details.h"
#include "catalog/namespace.h"
#include "commands/trigger.h"
#include "executor/spi.h"
#include "fmgr.h"
#include "funcapi.h"
#include "lib/stringinfo.h"
#include "miscadmin.h"
#include "utils/builtins.h"
#include "utils/date.h"
#include "utils/inval.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"
#include "utils/numeric.h"
#include "utils/timestamp.h"

#include "tthc.h"
#include "core/lunar.h"

PG_FUNCTION_INFO_V1(tthc_is_working_day);
PG_FUNCTION_INFO_V1(tthc_add_working_time_sql);
PG_FUNCTION_INFO_V1(tthc_working_days_between);
PG_FUNCTION_INFO_V1(tthc_rule_holidays_sql);
PG_FUNCTION_INFO_V1(tthc_lunar_date);
PG_FUNCTION_INFO_V1(tthc_solar_date);
PG_FUNCTION_INFO_V1(tthc_calendar_changed);
PG_FUNCTION_INFO_V1(tthc_calendar_bounds);

/* The tables whose changes invalidate the cached calendar. */
static const char *const calendar_tables[] = {
	"holiday", "workday", "calendar_year", "calendar_setting"
};
#define N_CALENDAR_TABLES lengthof(calendar_tables)

static TthcCalendar cal;
static bool cal_valid = false;
static uint64 cal_inval_gen = 0;
static Oid	cal_relids[N_CALENDAR_TABLES];
static MemoryContext cal_context = NULL;
static int	cal_first_year;
static int	cal_last_year;

/*
 * calendar_inval_callback
 *		Relcache callback: mark the calendar stale when one of its tables
 *		changed (or on a full reset, relid = InvalidOid).
 */
static void
calendar_inval_callback(Datum arg, Oid relid)
{
	if (relid != InvalidOid)
	{
		bool		ours = false;

		for (int i = 0; i < (int) N_CALENDAR_TABLES; i++)
			if (cal_relids[i] == relid)
				ours = true;
		if (!ours)
			return;
	}
	cal_valid = false;
	cal_inval_gen++;
}

void
tthc_calendar_init(void)
{
	CacheRegisterRelcacheCallback(calendar_inval_callback, (Datum) 0);
}

/* Run a read-only query of the calendar tables through SPI. */
static void
spi_select(const char *sql)
{
	int			ret = SPI_execute(sql, true, 0);

	if (ret != SPI_OK_SELECT)
		elog(ERROR, "tthc: could not read the calendar: %s", SPI_result_code_string(ret));
}

/* An int8 column of the last SPI result; false when NULL. */
static bool
spi_int8(int row, int col, int64 *value)
{
	bool		isnull;
	Datum		d;

	d = SPI_getbinval(SPI_tuptable->vals[row], SPI_tuptable->tupdesc, col, &isnull);
	if (isnull)
		return false;
	*value = DatumGetInt64(d);
	return true;
}

/*
 * calendar_load
 *		Read the calendar tables into cal.
 */
static void
calendar_load(void)
{
	int			guclevel;
	Oid			nsp = get_namespace_oid("tthc", false);
	uint64		gen = cal_inval_gen;
	int64		first_year = 0;
	int64		last_year = 0;
	int64		years = 0;
	int32		first_day;
	int32		ndays;
	TthcWorkHours wh = tthc_default_work_hours();
	const char *bad;
	MemoryContext old;

	for (int i = 0; i < (int) N_CALENDAR_TABLES; i++)
		cal_relids[i] = get_relname_relid(calendar_tables[i], nsp);

	if (cal_context == NULL)
		cal_context = AllocSetContextCreate(TopMemoryContext, "tthc calendar",
											ALLOCSET_SMALL_SIZES);

	guclevel = tthc_spi_connect();

	spi_select("SELECT min(year)::int8, max(year)::int8, count(*)::int8 "
				"FROM tthc.calendar_year");
	if (!spi_int8(0, 1, &first_year) || !spi_int8(0, 2, &last_year))
		ereport(ERROR,
				(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
				 errmsg("the working-day calendar covers no year"),
				 errhint("Fill years with tthc.fill_calendar(from_year, to_year).")));
	spi_int8(0, 3, &years);
	if (years != last_year - first_year + 1)
		ereport(ERROR,
				(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
				 errmsg("the working-day calendar has gaps between %d and %d",
						(int) first_year, (int) last_year),
				 errhint("Fill the missing years with tthc.fill_calendar(%d, %d).",
						 (int) first_year, (int) last_year)));

	first_day = tthc_day_from_civil((int) first_year, 1, 1);
	ndays = tthc_day_from_civil((int) last_year, 12, 31) - first_day + 1;

	MemoryContextReset(cal_context);
	memset(&cal, 0, sizeof(cal));
	old = MemoryContextSwitchTo(cal_context);
	cal.working = palloc(ndays);
	cal.cum = palloc(sizeof(int32) * (ndays + 1));
	MemoryContextSwitchTo(old);
	cal.first_day = first_day;
	cal.ndays = ndays;
	for (int32 i = 0; i < ndays; i++)
	{
		int			w = tthc_weekday(first_day + i);

		cal.working[i] = (w != 0 && w != 6);
	}

	/* holidays, then make-up working days, which win */
	spi_select("SELECT (day - DATE '2000-01-01')::int8 FROM tthc.holiday");
	for (uint64 r = 0; r < SPI_processed; r++)
	{
		int64		d;

		if (spi_int8((int) r, 1, &d) && d >= first_day && d < first_day + ndays)
			cal.working[d - first_day] = 0;
	}
	spi_select("SELECT (day - DATE '2000-01-01')::int8 FROM tthc.workday");
	for (uint64 r = 0; r < SPI_processed; r++)
	{
		int64		d;

		if (spi_int8((int) r, 1, &d) && d >= first_day && d < first_day + ndays)
			cal.working[d - first_day] = 1;
	}

	spi_select("SELECT (extract(epoch FROM morning_start) * 1000000)::int8, "
				"(extract(epoch FROM morning_end) * 1000000)::int8, "
				"(extract(epoch FROM afternoon_start) * 1000000)::int8, "
				"(extract(epoch FROM afternoon_end) * 1000000)::int8, "
				"(extract(epoch FROM receipt_cutoff) * 1000000)::int8, "
				"(extract(epoch FROM same_day_cutoff) * 1000000)::int8 "
				"FROM tthc.calendar_setting");
	if (SPI_processed > 0)
	{
		spi_int8(0, 1, &wh.am_start);
		spi_int8(0, 2, &wh.am_end);
		spi_int8(0, 3, &wh.pm_start);
		spi_int8(0, 4, &wh.pm_end);
		spi_int8(0, 5, &wh.cutoff);
		spi_int8(0, 6, &wh.same_day_cutoff);
	}
	tthc_spi_finish(guclevel);

	bad = tthc_work_hours_check(&wh);
	if (bad != NULL)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("invalid working hours in tthc.calendar_setting"),
				 errdetail("%s", bad)));
	cal.wh = wh;
	tthc_calendar_index(&cal);
	cal_first_year = (int) first_year;
	cal_last_year = (int) last_year;

	/* an invalidation that arrived while loading means: load again next time */
	cal_valid = (gen == cal_inval_gen);
}

/*
 * tthc_calendar_get
 *		The calendar, loaded or reloaded when stale.
 */
const TthcCalendar *
tthc_calendar_get(void)
{
	if (!cal_valid)
		calendar_load();
	return &cal;
}

int64_t
tthc_local_from_timestamptz(TimestampTz ts, const char *field)
{
	if (TIMESTAMP_NOT_FINITE(ts))
		ereport(ERROR,
				(errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
				 errmsg("%s must be a finite time", field)));
	return (int64_t) ts + TTHC_VN_UTC_OFFSET_USECS;
}

TimestampTz
tthc_timestamptz_from_local(int64_t local)
{
	return (TimestampTz) (local - TTHC_VN_UTC_OFFSET_USECS);
}

/*
 * tthc_calendar_report
 *		Raise the error for a status of the core's calendar functions.
 */
void
tthc_calendar_report(TthcCalStatus status, const char *what)
{
	switch (status)
	{
		case TTHC_CAL_OK:
			return;
		case TTHC_CAL_OUT_OF_RANGE:
			ereport(ERROR,
					(errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
					 errmsg("%s falls outside the working-day calendar", what),
					 errdetail("The calendar covers the years %d to %d.",
							   cal_first_year, cal_last_year),
					 errhint("Add years with tthc.fill_calendar(from_year, to_year).")));
			break;
		case TTHC_CAL_BAD_AMOUNT:
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("%s is not a valid time amount", what),
					 errhint("An amount is a finite number, zero or more; months are whole.")));
			break;
	}
}

static DateADT
check_date(DateADT d, const char *field)
{
	if (DATE_NOT_FINITE(d))
		ereport(ERROR,
				(errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
				 errmsg("%s must be a finite date", field)));
	return d;
}

/*
 * tthc.is_working_day(day date) returns boolean
 */
Datum
tthc_is_working_day(PG_FUNCTION_ARGS)
{
	DateADT		d = check_date(PG_GETARG_DATEADT(0), "day");
	const TthcCalendar *c = tthc_calendar_get();
	TthcCalStatus st;
	bool		result = tthc_calendar_is_working(c, (int32_t) d, &st);

	if (st != TTHC_CAL_OK)
		tthc_calendar_report(st, psprintf("day %s",
										  DatumGetCString(DirectFunctionCall1(date_out,
																			  DateADTGetDatum(d)))));
	PG_RETURN_BOOL(result);
}

static char *
numeric_text(Numeric n)
{
	return DatumGetCString(DirectFunctionCall1(numeric_out, NumericGetDatum(n)));
}

/*
 * tthc.add_working_time(from timestamptz, amount numeric, unit text
 *						 DEFAULT 'working_day', same_day boolean DEFAULT NULL)
 *		returns timestamptz
 *
 * The due-date rule of SPEC §5.  same_day NULL decides from the limit:
 * limits under one working day are same-day.  A NULL 'from' gives NULL
 * (nothing received, nothing due); a NULL amount or unit is an error.
 */
Datum
tthc_add_working_time_sql(PG_FUNCTION_ARGS)
{
	TimestampTz from;
	Numeric		amount_num;
	char	   *unit_name;
	TthcUnit	unit;
	double		amount;
	bool		same_day;
	const TthcCalendar *c;
	int64_t		due;
	TthcCalStatus st;

	if (PG_ARGISNULL(1))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("amount must not be null")));
	if (PG_ARGISNULL(2))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("unit must not be null"),
				 errhint("Use working_day, day, hour or month.")));
	amount_num = PG_GETARG_NUMERIC(1);
	unit_name = text_to_cstring(PG_GETARG_TEXT_PP(2));
	unit = tthc_unit_parse(unit_name);
	if (unit == TTHC_UNIT_INVALID)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("unknown time unit \"%s\"", unit_name),
				 errhint("Use working_day, day, hour or month.")));
	if (numeric_is_nan(amount_num) || numeric_is_inf(amount_num))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("amount %s is not a valid time amount", numeric_text(amount_num)),
				 errhint("An amount is a finite number, zero or more.")));
	amount = DatumGetFloat8(DirectFunctionCall1(numeric_float8_no_overflow,
												NumericGetDatum(amount_num)));
	if (amount < 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("amount %s must not be negative", numeric_text(amount_num))));
	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();
	from = PG_GETARG_TIMESTAMPTZ(0);

	c = tthc_calendar_get();
	same_day = PG_ARGISNULL(3) ? tthc_limit_is_same_day(c, amount, unit)
		: PG_GETARG_BOOL(3);
	st = tthc_add_working_time(c, tthc_local_from_timestamptz(from, "from"),
							   amount, unit, same_day, &due);
	if (st == TTHC_CAL_BAD_AMOUNT)
		tthc_calendar_report(st, psprintf("amount %s %s", numeric_text(amount_num), unit_name));
	else if (st != TTHC_CAL_OK)
		tthc_calendar_report(st,
							 psprintf("%s plus %s %s", timestamptz_to_str(from),
									  numeric_text(amount_num), unit_name));
	PG_RETURN_TIMESTAMPTZ(tthc_timestamptz_from_local(due));
}

/*
 * tthc.working_days_between(a timestamptz, b timestamptz) returns numeric
 *		Working time from a to b in working days (negative when b < a),
 *		to a millionth of a day.
 */
Datum
tthc_working_days_between(PG_FUNCTION_ARGS)
{
	TimestampTz a = PG_GETARG_TIMESTAMPTZ(0);
	TimestampTz b = PG_GETARG_TIMESTAMPTZ(1);
	const TthcCalendar *c = tthc_calendar_get();
	int64_t		work;
	TthcCalStatus st;
	Datum		result;

	st = tthc_working_time_between(c, tthc_local_from_timestamptz(a, "a"),
								   tthc_local_from_timestamptz(b, "b"), &work);
	if (st != TTHC_CAL_OK)
	{
		char	   *sa = pstrdup(timestamptz_to_str(a));

		tthc_calendar_report(st, psprintf("the span from %s to %s",
										  sa, timestamptz_to_str(b)));
	}
	result = DirectFunctionCall2(numeric_div,
								 DirectFunctionCall1(int8_numeric, Int64GetDatum(work)),
								 DirectFunctionCall1(int8_numeric, Int64GetDatum(c->day_len)));
	result = DirectFunctionCall2(numeric_round, result, Int32GetDatum(6));
	result = DirectFunctionCall1(numeric_trim_scale, result);
	PG_RETURN_DATUM(result);
}

/*
 * Start a materialized set-returning function; returns the tuplestore and
 * the result descriptor.
 */
Tuplestorestate *
tthc_srf_begin(FunctionCallInfo fcinfo, TupleDesc *tupdesc)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	MemoryContext old;
	Tuplestorestate *ts;

	if (rsinfo == NULL || !IsA(rsinfo, ReturnSetInfo) ||
		!(rsinfo->allowedModes & SFRM_Materialize))
		ereport(ERROR,
				(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
				 errmsg("set-valued function called in context that cannot accept a set")));
	if (get_call_result_type(fcinfo, NULL, tupdesc) != TYPEFUNC_COMPOSITE)
		elog(ERROR, "return type must be a row type");
	old = MemoryContextSwitchTo(rsinfo->econtext->ecxt_per_query_memory);
	*tupdesc = CreateTupleDescCopy(*tupdesc);
	ts = tuplestore_begin_heap(true, false, work_mem);
	MemoryContextSwitchTo(old);
	rsinfo->returnMode = SFRM_Materialize;
	rsinfo->setResult = ts;
	rsinfo->setDesc = *tupdesc;
	return ts;
}

/*
 * tthc.rule_holidays(year integer, national_day_adjacent integer DEFAULT 0)
 *		returns table (day date, name text, kind text)
 *
 * The holidays the law fixes for a year, computed (no table read).
 */
Datum
tthc_rule_holidays_sql(PG_FUNCTION_ARGS)
{
	int32		year = PG_GETARG_INT32(0);
	int32		adjacent = PG_GETARG_INT32(1);
	TthcHoliday h[TTHC_MAX_HOLIDAYS_PER_YEAR];
	int			n;
	TupleDesc	tupdesc;
	Tuplestorestate *ts;

	if (year < 1900 || year > 2199)
		ereport(ERROR,
				(errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
				 errmsg("year %d is outside the supported range", year),
				 errhint("Holidays are computed for the years 1900 to 2199.")));
	if (adjacent != 0 && adjacent != 1 && adjacent != 3)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("national_day_adjacent %d is not 0, 1 or 3", adjacent),
				 errhint("1 gives 1/9 off with 2/9, 3 gives 3/9, 0 chooses the day that joins a weekend.")));
	n = tthc_rule_holidays(year, adjacent, h, TTHC_MAX_HOLIDAYS_PER_YEAR);
	if (n < 0)
		elog(ERROR, "could not compute the holidays of %d", year);

	ts = tthc_srf_begin(fcinfo, &tupdesc);
	for (int i = 0; i < n; i++)
	{
		Datum		values[3];
		bool		nulls[3] = {false, false, false};

		values[0] = DateADTGetDatum((DateADT) h[i].day);
		values[1] = CStringGetTextDatum(h[i].name);
		values[2] = CStringGetTextDatum(h[i].kind == TTHC_HOLIDAY_PUBLIC ?
										"public" : "compensatory");
		tuplestore_putvalues(ts, tupdesc, values, nulls);
	}
	return (Datum) 0;
}

/*
 * tthc.lunar_date(day date, OUT lunar_day int, OUT lunar_month int,
 *				   OUT lunar_year int, OUT leap_month boolean)
 */
Datum
tthc_lunar_date(PG_FUNCTION_ARGS)
{
	DateADT		d = check_date(PG_GETARG_DATEADT(0), "day");
	int			y, m, dd;
	TthcLunarDate ld;
	TupleDesc	tupdesc;
	Datum		values[4];
	bool		nulls[4] = {false, false, false, false};

	tthc_civil_from_day((int32_t) d, &y, &m, &dd);
	if (y < 1900 || y > 2199)
		ereport(ERROR,
				(errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
				 errmsg("day %s is outside the lunar calendar's range",
						DatumGetCString(DirectFunctionCall1(date_out, DateADTGetDatum(d)))),
				 errhint("Lunar dates are computed for the years 1900 to 2199.")));
	ld = tthc_solar_to_lunar(y, m, dd);
	if (get_call_result_type(fcinfo, NULL, &tupdesc) != TYPEFUNC_COMPOSITE)
		elog(ERROR, "return type must be a row type");
	tupdesc = BlessTupleDesc(tupdesc);
	values[0] = Int32GetDatum(ld.day);
	values[1] = Int32GetDatum(ld.month);
	values[2] = Int32GetDatum(ld.year);
	values[3] = BoolGetDatum(ld.leap);
	PG_RETURN_DATUM(HeapTupleGetDatum(heap_form_tuple(tupdesc, values, nulls)));
}

/*
 * tthc.solar_date(lunar_day int, lunar_month int, lunar_year int,
 *				   leap_month boolean DEFAULT false) returns date
 */
Datum
tthc_solar_date(PG_FUNCTION_ARGS)
{
	TthcLunarDate ld;
	long		jdn;

	ld.day = PG_GETARG_INT32(0);
	ld.month = PG_GETARG_INT32(1);
	ld.year = PG_GETARG_INT32(2);
	ld.leap = PG_GETARG_BOOL(3);
	if (ld.year < 1901 || ld.year > 2198)
		ereport(ERROR,
				(errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
				 errmsg("lunar year %d is outside the supported range", ld.year),
				 errhint("Lunar dates are computed for the years 1901 to 2198.")));
	if (!tthc_lunar_to_jdn(ld, &jdn))
		ereport(ERROR,
				(errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
				 errmsg("lunar date %d/%d%s/%d does not exist", ld.day, ld.month,
						ld.leap ? " (leap)" : "", ld.year),
				 errhint("A lunar month has 29 or 30 days; a leap month exists only in some years.")));
	PG_RETURN_DATEADT((DateADT) (jdn - 2451545L));
}

/*
 * tthc.calendar_changed() trigger
 *		Statement trigger on the calendar tables: tell every backend (this
 *		one at the next command, the others at commit) to reload.
 */
Datum
tthc_calendar_changed(PG_FUNCTION_ARGS)
{
	TriggerData *trigdata = (TriggerData *) fcinfo->context;

	if (!CALLED_AS_TRIGGER(fcinfo))
		elog(ERROR, "tthc_calendar_changed: not called as a trigger");
	CacheInvalidateRelcache(trigdata->tg_relation);
	/* and at once in this backend, for the triggers that refresh tallies */
	cal_valid = false;
	cal_inval_gen++;
	return PointerGetDatum(NULL);
}

/*
 * tthc.calendar_bounds(OUT first_day date, OUT last_day date)
 *		The days the working-day calendar covers.
 */
Datum
tthc_calendar_bounds(PG_FUNCTION_ARGS)
{
	const TthcCalendar *c = tthc_calendar_get();
	TupleDesc	tupdesc;
	Datum		values[2];
	bool		nulls[2] = {false, false};

	if (get_call_result_type(fcinfo, NULL, &tupdesc) != TYPEFUNC_COMPOSITE)
		elog(ERROR, "return type must be a row type");
	tupdesc = BlessTupleDesc(tupdesc);
	values[0] = DateADTGetDatum((DateADT) c->first_day);
	values[1] = DateADTGetDatum((DateADT) (c->first_day + c->ndays - 1));
	PG_RETURN_DATUM(HeapTupleGetDatum(heap_form_tuple(tupdesc, values, nulls)));
}
