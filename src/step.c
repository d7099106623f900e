/*
 * step.c
 *		Inter-agency steps (tthc.dossier_step) and how late a dossier or a
 *		step is, in working days (PostgreSQL glue of core/step.c): what
 *		tthc.explain needs to charge a delay to the agency that caused it.
 */
#include "postgres.h"

#include "access/htup_details.h"
#include "executor/spi.h"
#include "funcapi.h"
#include "utils/builtins.h"
#include "utils/timestamp.h"
#include "utils/typcache.h"

#include "tthc.h"
#include "core/dossier.h"
#include "core/step.h"

PG_FUNCTION_INFO_V1(tthc_step_lateness_sql);
PG_FUNCTION_INFO_V1(tthc_dossier_late_days);

static int64_t
row_time(HeapTupleHeader th, const char *column)
{
	bool		isnull;
	Datum		d = GetAttributeByName(th, column, &isnull);

	return isnull ? TTHC_NO_TIME : tthc_local_from_timestamptz(DatumGetTimestampTz(d), column);
}

/* Return (late, working_days_late) as a composite. */
static Datum
lateness_result(FunctionCallInfo fcinfo, const TthcStepLateness *l)
{
	TupleDesc	td;
	Datum		v[2];
	bool		n[2] = {false, false};

	if (get_call_result_type(fcinfo, NULL, &td) != TYPEFUNC_COMPOSITE)
		elog(ERROR, "return type must be a row type");
	td = BlessTupleDesc(td);
	v[0] = BoolGetDatum(l->late);
	v[1] = Int32GetDatum(l->days_late);
	return HeapTupleGetDatum(heap_form_tuple(td, v, n));
}

/*
 * tthc.step_lateness(s tthc.dossier_step, at timestamptz DEFAULT now(),
 *					  OUT late boolean, OUT working_days_late integer)
 *		Is the step late at 'at' (ended after its deadline, or open past
 *		it), and by how many working days (every started working day
 *		counts, at least 1 when late)?
 */
Datum
tthc_step_lateness_sql(PG_FUNCTION_ARGS)
{
	HeapTupleHeader th = PG_GETARG_HEAPTUPLEHEADER(0);
	TimestampTz at = PG_GETARG_TIMESTAMPTZ(1);
	TthcStepIn in;
	TthcStepLateness l;
	TthcCalStatus st;

	memset(&in, 0, sizeof(in));
	in.started = row_time(th, "started_at");
	in.deadline = row_time(th, "deadline_at");
	in.ended = row_time(th, "ended_at");
	st = tthc_step_lateness(tthc_calendar_get(), &in, tthc_local_from_timestamptz(at, "at"), &l);
	if (st != TTHC_CAL_OK)
		tthc_calendar_report(st, "the deadline of a step");
	return lateness_result(fcinfo, &l);
}

/*
 * tthc.late_days(d tthc.dossier, at timestamptz DEFAULT now(),
 *				  OUT late boolean, OUT working_days_late integer)
 *		How late a dossier is at 'at', by the rule of steps: from the
 *		instant it became late to its end, or to 'at' while open.
 */
Datum
tthc_dossier_late_days(PG_FUNCTION_ARGS)
{
	TimestampTz at = PG_GETARG_TIMESTAMPTZ(1);
	int64_t		t = tthc_local_from_timestamptz(at, "at");
	TthcDossierClass cl;
	TthcStepIn in;
	TthcStepLateness l;

	tthc_dossier_classify_arg(fcinfo, &cl);
	memset(&l, 0, sizeof(l));
	if (cl.received && tthc_dossier_late_at(&cl, t))
	{
		TthcCalStatus st;

		memset(&in, 0, sizeof(in));
		in.started = cl.late_from;
		in.deadline = cl.late_from;
		in.ended = cl.end;
		st = tthc_step_lateness(tthc_calendar_get(), &in, t, &l);
		if (st != TTHC_CAL_OK)
			tthc_calendar_report(st, "the lateness of a dossier");
		/* late at t but ended exactly at late_from cannot be: late_from < end */
		if (!l.late)
		{
			l.late = true;
			l.days_late = 1;
		}
	}
	return lateness_result(fcinfo, &l);
}
