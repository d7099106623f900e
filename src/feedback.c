/*
 * feedback.c
 *		Feedback rows (phản ánh, kiến nghị): validation (a BEFORE trigger),
 *		their tally entries, and their counters at an evaluation time
 *		(PostgreSQL glue of core/feedback.c).
 *
 * Feedback items are tallied beside dossiers, in the same tables, under the
 * empty procedure code '' of their agency: they are not about a procedure.
 */
#include "postgres.h"

#include "access/htup_details.h"
#include "commands/trigger.h"
#include "executor/spi.h"
#include "funcapi.h"
#include "utils/builtins.h"
#include "utils/date.h"
#include "utils/rel.h"
#include "utils/timestamp.h"
#include "utils/typcache.h"

#include "tthc.h"
#include "core/feedback.h"

PG_FUNCTION_INFO_V1(tthc_feedback_before_write);
PG_FUNCTION_INFO_V1(tthc_feedback_tally);
PG_FUNCTION_INFO_V1(tthc_feedback_counters);
PG_FUNCTION_INFO_V1(tthc_feedback_late_from);
PG_FUNCTION_INFO_V1(tthc_feedback_entries_sql);
PG_FUNCTION_INFO_V1(tthc_feedback_late_limit);

#define FEEDBACK_COLUMNS(X) \
	X(id) X(agency_id) X(received_at) X(transferred_at) X(category) X(refused_at) \
	X(supplement_requested_at) X(handled_at) X(published_at) X(likes) X(dislikes) \
	X(raised_again)

typedef struct FeedbackAttrs
{
	Oid			typid;
#define FEEDBACK_ATTR_FIELD(name) int name;
	FEEDBACK_COLUMNS(FEEDBACK_ATTR_FIELD)
#undef FEEDBACK_ATTR_FIELD
} FeedbackAttrs;

/* The attributes of td, resolved once per call site. */
static const FeedbackAttrs *
feedback_attrs(FunctionCallInfo fcinfo, TupleDesc td)
{
	FeedbackAttrs *a = (FeedbackAttrs *) fcinfo->flinfo->fn_extra;

	if (a == NULL || a->typid != td->tdtypeid || td->tdtypeid == RECORDOID)
	{
		if (a == NULL)
			a = MemoryContextAlloc(fcinfo->flinfo->fn_mcxt, sizeof(FeedbackAttrs));
		a->typid = td->tdtypeid;
#define FEEDBACK_ATTR_RESOLVE(name) \
		a->name = SPI_fnumber(td, #name); \
		if (a->name <= 0) \
			elog(ERROR, "tthc: feedback row has no column \"%s\"", #name);
		FEEDBACK_COLUMNS(FEEDBACK_ATTR_RESOLVE)
#undef FEEDBACK_ATTR_RESOLVE
		fcinfo->flinfo->fn_extra = a;
	}
	return a;
}

static int64_t
get_time(HeapTuple tup, TupleDesc td, int attnum, const char *field)
{
	bool		isnull;
	Datum		d = heap_getattr(tup, attnum, td, &isnull);

	return isnull ? TTHC_NO_TIME : tthc_local_from_timestamptz(DatumGetTimestampTz(d), field);
}

static int
get_int4(HeapTuple tup, TupleDesc td, int attnum)
{
	bool		isnull;
	Datum		d = heap_getattr(tup, attnum, td, &isnull);

	return isnull ? 0 : DatumGetInt32(d);
}

/* Read a feedback row into the core's fields. */
static void
feedback_read(HeapTuple tup, TupleDesc td, const FeedbackAttrs *a, TthcFeedbackIn *in)
{
	bool		isnull;
	Datum		d;

	memset(in, 0, sizeof(*in));
	in->received = get_time(tup, td, a->received_at, "received_at");
	in->transferred = get_time(tup, td, a->transferred_at, "transferred_at");
	d = heap_getattr(tup, a->category, td, &isnull);
	in->category = isnull ? TTHC_FB_CAT_NONE
		: tthc_feedback_category_parse(TextDatumGetCString(d));
	in->refused = get_time(tup, td, a->refused_at, "refused_at");
	in->supplement_requested = get_time(tup, td, a->supplement_requested_at,
										"supplement_requested_at");
	in->handled = get_time(tup, td, a->handled_at, "handled_at");
	in->published = get_time(tup, td, a->published_at, "published_at");
	in->likes = get_int4(tup, td, a->likes);
	in->dislikes = get_int4(tup, td, a->dislikes);
	d = heap_getattr(tup, a->raised_again, td, &isnull);
	in->raised_again = !isnull && DatumGetBool(d);
}

static char *
column_text(HeapTuple tup, TupleDesc td, const char *column)
{
	char	   *s = SPI_getvalue(tup, td, SPI_fnumber(td, column));

	return s ? s : "NULL";
}

static void
classify(const TthcFeedbackIn *in, TthcFeedbackClass *cl)
{
	TthcCalStatus st = tthc_feedback_classify(tthc_calendar_get(), in, cl);

	if (st != TTHC_CAL_OK)
		tthc_calendar_report(st, "a time limit of a feedback item");
}

/*
 * tthc.feedback_before_write() trigger: BEFORE INSERT OR UPDATE, each row.
 * Refuses items that break the rules, naming the item, field and value.
 */
Datum
tthc_feedback_before_write(PG_FUNCTION_ARGS)
{
	TriggerData *trigdata = (TriggerData *) fcinfo->context;
	HeapTuple	tup;
	TupleDesc	td;
	TthcFeedbackIn in;
	TthcFeedbackCheck r;
	char	   *id;

	if (!CALLED_AS_TRIGGER(fcinfo) || !TRIGGER_FIRED_BEFORE(trigdata->tg_event) ||
		!TRIGGER_FIRED_FOR_ROW(trigdata->tg_event))
		elog(ERROR, "tthc_feedback_before_write: must be a BEFORE ROW trigger");
	tup = TRIGGER_FIRED_BY_UPDATE(trigdata->tg_event) ? trigdata->tg_newtuple
		: trigdata->tg_trigtuple;
	td = RelationGetDescr(trigdata->tg_relation);
	feedback_read(tup, td, feedback_attrs(fcinfo, td), &in);
	r = tthc_feedback_check(&in);
	if (r.fault == TTHC_FF_OK)
		return PointerGetDatum(tup);

	id = column_text(tup, td, "id");
	switch (r.fault)
	{
		case TTHC_FF_OK:
			break;
		case TTHC_FF_BAD_VALUE:
			ereport(ERROR,
					(errcode(ERRCODE_CHECK_VIOLATION),
					 errmsg("invalid %s %s for feedback \"%s\"", r.field,
							column_text(tup, td, r.field), id),
					 strcmp(r.field, "category") == 0 ?
					 errhint("category is 'rules', 'staff' or NULL.") :
					 errhint("%s must not be negative.", r.field)));
			break;
		case TTHC_FF_MISSING:
			ereport(ERROR,
					(errcode(ERRCODE_NOT_NULL_VIOLATION),
					 errmsg("%s of feedback \"%s\" must not be null", r.field, id)));
			break;
		case TTHC_FF_BEFORE:
			ereport(ERROR,
					(errcode(ERRCODE_CHECK_VIOLATION),
					 errmsg("%s %s is before %s %s in feedback \"%s\"",
							r.field, column_text(tup, td, r.field),
							r.other, column_text(tup, td, r.other), id)));
			break;
		case TTHC_FF_NEEDS:
			ereport(ERROR,
					(errcode(ERRCODE_CHECK_VIOLATION),
					 errmsg("feedback \"%s\" has %s but no %s", id, r.other, r.field)));
			break;
		case TTHC_FF_EXCLUSIVE:
			ereport(ERROR,
					(errcode(ERRCODE_CHECK_VIOLATION),
					 errmsg("feedback \"%s\" has both %s and %s", id, r.field, r.other),
					 errhint("An item is either refused or handled.")));
			break;
	}
	return PointerGetDatum(tup);
}

/* What a feedback row adds to the tallies (for tthc_tally_trigger). */
void
tthc_feedback_row_entries(FunctionCallInfo fcinfo, HeapTuple tup, TupleDesc td,
						  TthcRowEntries *out)
{
	const FeedbackAttrs *a = feedback_attrs(fcinfo, td);
	TthcFeedbackIn in;
	TthcFeedbackClass cl;
	bool		isnull;

	feedback_read(tup, td, a, &in);
	classify(&in, &cl);
	out->n = tthc_feedback_entries(&cl, &out->base, &out->late_day, &out->late);
	out->received_day = cl.received_day;
	out->agency = heap_getattr(tup, a->agency_id, td, &isnull);
	out->procedure = (Datum) 0;
}

/* tthc.feedback_tally(): the statement trigger of tthc.feedback */
Datum
tthc_feedback_tally(PG_FUNCTION_ARGS)
{
	return tthc_tally_trigger(fcinfo, tthc_feedback_row_entries);
}

/* Classify the feedback row passed as argument 0 of a SQL function. */
static void
classify_arg(FunctionCallInfo fcinfo, TthcFeedbackClass *cl)
{
	HeapTupleData tup;
	TupleDesc	td = tthc_row_arg(fcinfo, &tup);
	TthcFeedbackIn in;

	feedback_read(&tup, td, feedback_attrs(fcinfo, td), &in);
	ReleaseTupleDesc(td);
	classify(&in, cl);
}

/*
 * tthc.feedback_counters(f tthc.feedback, at timestamptz) returns tthc.counters
 *		What one feedback item counts for, judged at instant 'at'.
 */
Datum
tthc_feedback_counters(PG_FUNCTION_ARGS)
{
	TimestampTz at = PG_GETARG_TIMESTAMPTZ(1);
	TthcFeedbackClass cl;
	TthcCounters c;

	classify_arg(fcinfo, &cl);
	tthc_feedback_counters_at(&cl, tthc_local_from_timestamptz(at, "at"), &c);
	PG_RETURN_DATUM(tthc_counters_to_datum(&c));
}

/*
 * tthc.late_from(f tthc.feedback) returns timestamptz
 *		The instant after which the item is late; NULL when it never is.
 */
Datum
tthc_feedback_late_from(PG_FUNCTION_ARGS)
{
	TthcFeedbackClass cl;

	classify_arg(fcinfo, &cl);
	if (!cl.received || cl.late_from == TTHC_NO_TIME)
		PG_RETURN_NULL();
	PG_RETURN_TIMESTAMPTZ(tthc_timestamptz_from_local(cl.late_from));
}

/*
 * tthc.feedback_entries(f tthc.feedback)
 *		returns table (received_day date, late_day date, counters tthc.counters)
 *
 * The tally entries of one item, by the same code as the trigger.
 */
Datum
tthc_feedback_entries_sql(PG_FUNCTION_ARGS)
{
	TthcFeedbackClass cl;
	TthcCounters base,
				late;
	int32_t		late_day;
	int			n;

	classify_arg(fcinfo, &cl);
	n = tthc_feedback_entries(&cl, &base, &late_day, &late);
	tthc_entries_result(fcinfo, n, cl.received_day, &base, late_day, &late);
	return (Datum) 0;
}

/*
 * tthc.late_limit(f tthc.feedback) returns text
 *		Which limit of criterion 5.1 makes the item late (refusal,
 *		supplement, handling, publication); NULL when it never is.
 */
Datum
tthc_feedback_late_limit(PG_FUNCTION_ARGS)
{
	TthcFeedbackClass cl;

	classify_arg(fcinfo, &cl);
	if (!cl.received || cl.late_from == TTHC_NO_TIME)
		PG_RETURN_NULL();
	PG_RETURN_TEXT_P(cstring_to_text(tthc_feedback_limit_name(cl.late_limit)));
}
