/*
 * dossier.c
 *		Dossier rows: validation and due dates (a BEFORE trigger), and their
 *		counters at an evaluation time (PostgreSQL glue of core/dossier.c).
 *
 * Both read a row into the core's TthcDossierIn the same way, so the
 * trigger, the tallies and the recompute aggregate share one path.
 */
#include "postgres.h"

#include "access/htup_details.h"
#include "commands/trigger.h"
#include "executor/spi.h"
#include "funcapi.h"
#include "utils/builtins.h"
#include "utils/lsyscache.h"
#include "utils/numeric.h"
#include "utils/rel.h"
#include "utils/timestamp.h"
#include "utils/typcache.h"

#include "tthc.h"

/* columns read on the stack; a wider row (dropped columns count) is palloc'd */
#define TTHC_DOSSIER_MAX_COLS 64
#include "core/dossier.h"

PG_FUNCTION_INFO_V1(tthc_dossier_before_write);
PG_FUNCTION_INFO_V1(tthc_dossier_counters);
PG_FUNCTION_INFO_V1(tthc_dossier_late_from);

static void
resolve_attrs(TupleDesc td, DossierAttrs *a)
{
	a->typid = td->tdtypeid;
#define DOSSIER_ATTR_RESOLVE(name) \
	a->name = SPI_fnumber(td, #name); \
	if (a->name <= 0) \
		elog(ERROR, "tthc: dossier row has no column \"%s\"", #name);
	DOSSIER_COLUMNS(DOSSIER_ATTR_RESOLVE)
#undef DOSSIER_ATTR_RESOLVE
}

/* The attributes of td, resolved once per call site. */
const DossierAttrs *
tthc_dossier_attrs(FunctionCallInfo fcinfo, TupleDesc td)
{
	DossierAttrs *a = (DossierAttrs *) fcinfo->flinfo->fn_extra;

	if (a == NULL || a->typid != td->tdtypeid || td->tdtypeid == RECORDOID)
	{
		if (a == NULL)
			a = MemoryContextAlloc(fcinfo->flinfo->fn_mcxt, sizeof(DossierAttrs));
		resolve_attrs(td, a);
		fcinfo->flinfo->fn_extra = a;
	}
	return a;
}

/*
 * A dossier row's columns, deformed once: reading them one by one with
 * heap_getattr walks the row from its start for every column after the
 * first NULL or text, which a row of 25 columns paid on every write.
 */
typedef struct DossierCols
{
	Datum	   *values;
	bool	   *isnull;
} DossierCols;

static int64_t
get_time(const DossierCols *c, int attnum, const char *field)
{
	if (c->isnull[attnum - 1])
		return TTHC_NO_TIME;
	return tthc_local_from_timestamptz(DatumGetTimestampTz(c->values[attnum - 1]), field);
}

static int
get_int(const DossierCols *c, int attnum, int if_null)
{
	return c->isnull[attnum - 1] ? if_null : (int) DatumGetInt16(c->values[attnum - 1]);
}

static bool
get_bool(const DossierCols *c, int attnum)
{
	return !c->isnull[attnum - 1] && DatumGetBool(c->values[attnum - 1]);
}

/* Read a dossier row into the core's fields. */
void
tthc_dossier_read(HeapTuple tup, TupleDesc td, const DossierAttrs *a, TthcDossierIn *in)
{
	Datum		values[TTHC_DOSSIER_MAX_COLS];
	bool		isnull[TTHC_DOSSIER_MAX_COLS];
	DossierCols c = {values, isnull};

	if (td->natts > TTHC_DOSSIER_MAX_COLS)
	{
		c.values = palloc(sizeof(Datum) * td->natts);
		c.isnull = palloc(sizeof(bool) * td->natts);
	}
	heap_deform_tuple(tup, td, c.values, c.isnull);
	memset(in, 0, sizeof(*in));
	in->status = get_int(&c, a->status, 0);
	in->channel = get_int(&c, a->channel, 0);
	in->submitted = get_time(&c, a->submitted_at, "submitted_at");
	in->received = get_time(&c, a->received_at, "received_at");
	in->due = get_time(&c, a->due_at, "due_at");
	in->finished = get_time(&c, a->finished_at, "finished_at");
	in->returned = get_time(&c, a->returned_at, "returned_at");
	in->ended = get_time(&c, a->ended_at, "ended_at");
	in->synced = get_time(&c, a->synced_at, "synced_at");
	in->supplement_requests = get_int(&c, a->supplement_requests, 0);
	in->supplement_requested = get_time(&c, a->supplement_requested_at, "supplement_requested_at");
	in->supplement_received = get_time(&c, a->supplement_received_at, "supplement_received_at");
	in->fee_positive = !c.isnull[a->fee - 1] &&
		DatumGetBool(DirectFunctionCall2(numeric_gt, c.values[a->fee - 1],
										 NumericGetDatum(int64_to_numeric(0))));
	in->paid_online = get_int(&c, a->paid_online, 0);
	in->e_result = get_bool(&c, a->e_result);
	in->digitized = get_bool(&c, a->digitized);
	in->reused_data = get_bool(&c, a->reused_data);
	in->personal_store = get_bool(&c, a->personal_store);
	in->population_db = get_bool(&c, a->population_db);
	in->e_certified_copy = get_bool(&c, a->e_certified_copy);
	in->rating = get_int(&c, a->rating, 0);
	in->has_feedback = get_bool(&c, a->has_feedback);
}

static char *
column_text(HeapTuple tup, TupleDesc td, const char *column)
{
	char	   *s = SPI_getvalue(tup, td, SPI_fnumber(td, column));

	return s ? s : "NULL";
}

/* Raise the error for a row the core refused. */
static void
report_fault(TthcDossierCheck r, HeapTuple tup, TupleDesc td)
{
	char	   *code = column_text(tup, td, "code");

	switch (r.fault)
	{
		case TTHC_DF_OK:
			return;
		case TTHC_DF_BAD_VALUE:
			ereport(ERROR,
					(errcode(ERRCODE_CHECK_VIOLATION),
					 errmsg("invalid %s %s for dossier \"%s\"", r.field,
							column_text(tup, td, r.field), code),
					 strcmp(r.field, "status") == 0 ?
					 errhint("status is TrangThaiHoSo, 1 to 10.") :
					 strcmp(r.field, "channel") == 0 ?
					 errhint("channel is 1 in person, 2 online, 3 public postal.") :
					 strcmp(r.field, "paid_online") == 0 ?
					 errhint("paid_online is 0 no, 1 on the national portal, 2 on a local gateway.") :
					 strcmp(r.field, "rating") == 0 ?
					 errhint("rating is 1 satisfied, -1 unsatisfied, or NULL.") :
					 errhint("%s must not be negative.", r.field)));
			break;
		case TTHC_DF_BEFORE:
			ereport(ERROR,
					(errcode(ERRCODE_CHECK_VIOLATION),
					 errmsg("%s %s is before %s %s in dossier \"%s\"",
							r.field, column_text(tup, td, r.field),
							r.other, column_text(tup, td, r.other), code)));
			break;
		case TTHC_DF_NEEDS:
			ereport(ERROR,
					(errcode(ERRCODE_CHECK_VIOLATION),
					 errmsg("dossier \"%s\" has %s but no %s", code, r.other, r.field)));
			break;
		case TTHC_DF_NEEDS_STATUS:
			ereport(ERROR,
					(errcode(ERRCODE_CHECK_VIOLATION),
					 errmsg("dossier \"%s\" has status %s but no %s", code,
							column_text(tup, td, "status"), r.field)));
			break;
	}
}

/*
 * The due time of a dossier received at 'received' (local), by its
 * procedure's time limit; TTHC_NO_TIME when the procedure has none.
 */
static int64_t
procedure_due(const char *procedure_code, int64_t received)
{
	double		amount;
	TthcUnit	unit;
	int64_t		due = TTHC_NO_TIME;
	const TthcCalendar *cal;
	TthcCalStatus st;

	if (!tthc_procedure_limit(procedure_code, &amount, &unit))
		return TTHC_NO_TIME;
	cal = tthc_calendar_get();
	st = tthc_add_working_time(cal, received, amount, unit,
							   tthc_limit_is_same_day(cal, amount, unit), &due);
	if (st != TTHC_CAL_OK)
		tthc_calendar_report(st, psprintf("the due date of a dossier received %s",
										  timestamptz_to_str(tthc_timestamptz_from_local(received))));
	return due;
}

/*
 * tthc.dossier_before_write() trigger: BEFORE INSERT OR UPDATE, each row.
 * Refuses rows that break the rules, with the field and value at fault, and
 * fills a NULL due_at from the procedure's time limit and the calendar.
 */
Datum
tthc_dossier_before_write(PG_FUNCTION_ARGS)
{
	TriggerData *trigdata = (TriggerData *) fcinfo->context;
	HeapTuple	tup;
	TupleDesc	td;
	const DossierAttrs *a;
	TthcDossierIn in;
	bool		isnull;

	if (!CALLED_AS_TRIGGER(fcinfo) || !TRIGGER_FIRED_BEFORE(trigdata->tg_event) ||
		!TRIGGER_FIRED_FOR_ROW(trigdata->tg_event))
		elog(ERROR, "tthc_dossier_before_write: must be a BEFORE ROW trigger");
	tup = TRIGGER_FIRED_BY_UPDATE(trigdata->tg_event) ? trigdata->tg_newtuple
		: trigdata->tg_trigtuple;
	td = RelationGetDescr(trigdata->tg_relation);
	a = tthc_dossier_attrs(fcinfo, td);

	heap_getattr(tup, a->procedure_code, td, &isnull);
	if (isnull)
		ereport(ERROR,
				(errcode(ERRCODE_NOT_NULL_VIOLATION),
				 errmsg("procedure_code of dossier \"%s\" must not be null", column_text(tup, td, "code")),
				 errhint("Procedures are listed in tthc.procedure.")));
	heap_getattr(tup, a->status, td, &isnull);
	if (isnull)
		ereport(ERROR,
				(errcode(ERRCODE_NOT_NULL_VIOLATION),
				 errmsg("status of dossier \"%s\" must not be null", column_text(tup, td, "code")),
				 errhint("status is TrangThaiHoSo, 1 to 10.")));

	tthc_dossier_read(tup, td, a, &in);
	report_fault(tthc_dossier_check(&in), tup, td);

	if (in.due == TTHC_NO_TIME && in.received != TTHC_NO_TIME)
	{
		int64_t		due = procedure_due(column_text(tup, td, "procedure_code"), in.received);

		if (due != TTHC_NO_TIME)
		{
			int			col = a->due_at;
			Datum		value = TimestampTzGetDatum(tthc_timestamptz_from_local(due));
			bool		null = false;

			tup = heap_modify_tuple_by_cols(tup, td, 1, &col, &value, &null);
		}
	}
	return PointerGetDatum(tup);
}

/*
 * The row passed as argument 0 of a SQL function, as a tuple; returns its
 * descriptor, which the caller releases (ReleaseTupleDesc).
 */
TupleDesc
tthc_row_arg(FunctionCallInfo fcinfo, HeapTupleData *tup)
{
	HeapTupleHeader th = PG_GETARG_HEAPTUPLEHEADER(0);

	tup->t_len = HeapTupleHeaderGetDatumLength(th);
	ItemPointerSetInvalid(&tup->t_self);
	tup->t_tableOid = InvalidOid;
	tup->t_data = th;
	return lookup_rowtype_tupdesc(HeapTupleHeaderGetTypeId(th), HeapTupleHeaderGetTypMod(th));
}

/* Classify the dossier row passed as argument 0 of a SQL function. */
void
tthc_dossier_classify_arg(FunctionCallInfo fcinfo, TthcDossierClass *cl)
{
	HeapTupleData tup;
	TupleDesc	td = tthc_row_arg(fcinfo, &tup);
	TthcDossierIn in;
	TthcCalStatus st;

	tthc_dossier_read(&tup, td, tthc_dossier_attrs(fcinfo, td), &in);
	ReleaseTupleDesc(td);

	st = tthc_dossier_classify(tthc_calendar_get(), &in, cl);
	if (st != TTHC_CAL_OK)
		tthc_calendar_report(st, "a time of this dossier");
}

/* What a dossier row adds to the tallies (for tthc_tally_trigger). */
void
tthc_dossier_row_entries(FunctionCallInfo fcinfo, HeapTuple tup, TupleDesc td,
						 TthcRowEntries *out)
{
	const DossierAttrs *a = tthc_dossier_attrs(fcinfo, td);
	TthcDossierIn in;
	TthcDossierClass cl;
	TthcCalStatus st;
	bool		isnull;

	tthc_dossier_read(tup, td, a, &in);
	st = tthc_dossier_classify(tthc_calendar_get(), &in, &cl);
	if (st != TTHC_CAL_OK)
		tthc_calendar_report(st, "a time of a dossier");
	out->n = tthc_dossier_entries(&cl, &out->base, &out->late_day, &out->late);
	out->received_day = cl.received_day;
	out->agency = heap_getattr(tup, a->agency_id, td, &isnull);
	out->procedure = heap_getattr(tup, a->procedure_code, td, &isnull);
}

/*
 * tthc.dossier_counters(d tthc.dossier, at timestamptz) returns tthc.counters
 *		What one dossier counts for, judged at instant 'at': summed with
 *		tthc.sum over raw rows, the recompute path of the tallies.
 */
Datum
tthc_dossier_counters(PG_FUNCTION_ARGS)
{
	TimestampTz at = PG_GETARG_TIMESTAMPTZ(1);
	TthcDossierClass cl;
	TthcCounters c;

	tthc_dossier_classify_arg(fcinfo, &cl);
	tthc_dossier_counters_at(&cl, tthc_local_from_timestamptz(at, "at"), &c);
	PG_RETURN_DATUM(tthc_counters_to_datum(&c));
}

/*
 * tthc.late_from(d tthc.dossier) returns timestamptz
 *		The instant after which the dossier is late; NULL when it never is.
 */
Datum
tthc_dossier_late_from(PG_FUNCTION_ARGS)
{
	TthcDossierClass cl;

	tthc_dossier_classify_arg(fcinfo, &cl);
	if (!cl.received || cl.late_from == TTHC_NO_TIME)
		PG_RETURN_NULL();
	PG_RETURN_TIMESTAMPTZ(tthc_timestamptz_from_local(cl.late_from));
}
