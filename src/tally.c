/*
 * tally.c
 *		Tallies kept current by statement triggers on tthc.dossier.
 *
 * Each INSERT, UPDATE or DELETE statement (COPY and multi-row statements
 * included) runs one AFTER ... FOR EACH STATEMENT trigger with its
 * transition tables.  It classifies the old rows (subtracted) and the new
 * rows (added) through the core, sums the deltas per tally key (agency,
 * procedure, received day, late day) in memory, and appends one row per
 * key with a non-zero delta to tthc.tally.  Appending never updates a
 * shared row, so concurrent writers of one agency do not queue on it; the
 * rows are ordinary MVCC rows, so a rolled-back statement, subtransaction
 * or transaction leaves no trace.  tthc.compact() merges the appended rows
 * of each key; reading sums whatever rows a key has.
 */
#include "postgres.h"

#include "access/htup_details.h"
#include "catalog/namespace.h"
#include "catalog/pg_type.h"
#include "commands/trigger.h"
#include "executor/executor.h"
#include "executor/spi.h"
#include "funcapi.h"
#include "utils/builtins.h"
#include "utils/date.h"
#include "utils/hsearch.h"
#include "utils/memutils.h"
#include "utils/rel.h"
#include "utils/syscache.h"
#include "utils/typcache.h"

#include "tthc.h"
#include "core/dossier.h"

PG_FUNCTION_INFO_V1(tthc_dossier_tally);
PG_FUNCTION_INFO_V1(tthc_dossier_entries_sql);

#define TTHC_CODE_MAX 128		/* codes are at most 100 characters */
#define NO_LATE_DAY PG_INT32_MIN

typedef struct TallyKey
{
	char		agency[TTHC_CODE_MAX];
	char		procedure[TTHC_CODE_MAX];
	int32		received_day;
	int32		late_day;		/* NO_LATE_DAY for the base entry */
} TallyKey;

typedef struct TallyEntry
{
	TallyKey	key;
	TthcCounters delta;
} TallyEntry;

static void
copy_code(char *dst, Datum d, const char *what)
{
	text	   *t = DatumGetTextPP(d);
	int			len = VARSIZE_ANY_EXHDR(t);

	if (len >= TTHC_CODE_MAX)
		ereport(ERROR,
				(errcode(ERRCODE_STRING_DATA_RIGHT_TRUNCATION),
				 errmsg("%s is longer than %d characters", what, TTHC_CODE_MAX - 1)));
	memset(dst, 0, TTHC_CODE_MAX);
	memcpy(dst, VARDATA_ANY(t), len);
}

static void
add_delta(HTAB *h, const TallyKey *key, const TthcCounters *c, int sign)
{
	bool		found;
	TallyEntry *e = hash_search(h, key, HASH_ENTER, &found);

	if (!found)
		tthc_counters_zero(&e->delta);
	if (!tthc_counters_add(&e->delta, c, sign))
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("tthc tally delta out of range")));
}

/* Classify every row of a transition table and add its entries, signed. */
static void
accumulate(FunctionCallInfo fcinfo, Tuplestorestate *ts, TupleDesc td, HTAB *h, int sign,
		   MemoryContext rowcxt)
{
	const DossierAttrs *a;
	const TthcCalendar *cal;
	TupleTableSlot *slot;

	if (tuplestore_tuple_count(ts) == 0)
		return;					/* a statement that changed no row */
	a = tthc_dossier_attrs(fcinfo, td);
	cal = tthc_calendar_get();
	slot = MakeSingleTupleTableSlot(td, &TTSOpsMinimalTuple);

	tuplestore_rescan(ts);
	while (tuplestore_gettupleslot(ts, true, false, slot))
	{
		MemoryContext old = MemoryContextSwitchTo(rowcxt);
		bool		should_free;
		HeapTuple	tup = ExecFetchSlotHeapTuple(slot, false, &should_free);
		TthcDossierIn in;
		TthcDossierClass cl;
		TthcCounters base,
					late;
		int32_t		late_day;
		int			n;
		TallyKey	key;
		bool		isnull;
		TthcCalStatus st;

		tthc_dossier_read(tup, td, a, &in);
		st = tthc_dossier_classify(cal, &in, &cl);
		if (st != TTHC_CAL_OK)
			tthc_calendar_report(st, "a time of a dossier");
		n = tthc_dossier_entries(&cl, &base, &late_day, &late);
		if (n > 0)
		{
			memset(&key, 0, sizeof(key));
			copy_code(key.agency, heap_getattr(tup, a->agency_id, td, &isnull), "agency_id");
			copy_code(key.procedure, heap_getattr(tup, a->procedure_code, td, &isnull),
					  "procedure_code");
			key.received_day = cl.received_day;
			key.late_day = NO_LATE_DAY;
			add_delta(h, &key, &base, sign);
			if (n == 2)
			{
				key.late_day = late_day;
				add_delta(h, &key, &late, sign);
			}
		}
		MemoryContextSwitchTo(old);
		MemoryContextReset(rowcxt);
	}
	ExecDropSingleTupleTableSlot(slot);
}

/* Append one tally row per key whose delta is not zero. */
static void
append_deltas(HTAB *h)
{
	static SPIPlanPtr plan = NULL;
	HASH_SEQ_STATUS seq;
	TallyEntry *e;

	SPI_connect();
	if (plan == NULL)
	{
		Oid			types[5] = {TEXTOID, TEXTOID, DATEOID, DATEOID, InvalidOid};

		types[4] = GetSysCacheOid2(TYPENAMENSP, Anum_pg_type_oid, CStringGetDatum("counters"),
								   ObjectIdGetDatum(get_namespace_oid("tthc", false)));
		plan = SPI_prepare("INSERT INTO tthc.tally (agency_id, procedure_code, received_day, "
						   "late_day, counters) VALUES ($1, $2, $3, $4, $5)", 5, types);
		if (plan == NULL || SPI_keepplan(plan) != 0)
			elog(ERROR, "tthc: could not prepare the tally insert");
	}
	hash_seq_init(&seq, h);
	while ((e = hash_seq_search(&seq)) != NULL)
	{
		Datum		values[5];
		char		nulls[5] = {' ', ' ', ' ', ' ', ' '};

		if (tthc_counters_is_zero(&e->delta))
			continue;
		values[0] = CStringGetTextDatum(e->key.agency);
		values[1] = CStringGetTextDatum(e->key.procedure);
		values[2] = DateADTGetDatum((DateADT) e->key.received_day);
		values[3] = DateADTGetDatum((DateADT) e->key.late_day);
		if (e->key.late_day == NO_LATE_DAY)
			nulls[3] = 'n';
		values[4] = tthc_counters_to_datum(&e->delta);
		if (SPI_execute_plan(plan, values, nulls, false, 0) != SPI_OK_INSERT)
			elog(ERROR, "tthc: could not append to tthc.tally");
	}
	SPI_finish();
}

/*
 * tthc.dossier_tally() trigger: AFTER INSERT, UPDATE or DELETE, FOR EACH
 * STATEMENT, REFERENCING the old and/or new rows.
 */
Datum
tthc_dossier_tally(PG_FUNCTION_ARGS)
{
	TriggerData *trigdata = (TriggerData *) fcinfo->context;
	TupleDesc	td;
	HASHCTL		ctl;
	HTAB	   *h;
	MemoryContext rowcxt;

	if (!CALLED_AS_TRIGGER(fcinfo) || !TRIGGER_FIRED_AFTER(trigdata->tg_event) ||
		TRIGGER_FIRED_FOR_ROW(trigdata->tg_event))
		elog(ERROR, "tthc_dossier_tally: must be an AFTER ... FOR EACH STATEMENT trigger");
	if (trigdata->tg_oldtable == NULL && trigdata->tg_newtable == NULL)
		elog(ERROR, "tthc_dossier_tally: the trigger must reference its transition tables");

	td = RelationGetDescr(trigdata->tg_relation);
	memset(&ctl, 0, sizeof(ctl));
	ctl.keysize = sizeof(TallyKey);
	ctl.entrysize = sizeof(TallyEntry);
	ctl.hcxt = CurrentMemoryContext;
	h = hash_create("tthc tally deltas", 256, &ctl, HASH_ELEM | HASH_BLOBS | HASH_CONTEXT);
	rowcxt = AllocSetContextCreate(CurrentMemoryContext, "tthc tally row",
								   ALLOCSET_SMALL_SIZES);

	if (trigdata->tg_oldtable)
		accumulate(fcinfo, trigdata->tg_oldtable, td, h, -1, rowcxt);
	if (trigdata->tg_newtable)
		accumulate(fcinfo, trigdata->tg_newtable, td, h, 1, rowcxt);
	if (hash_get_num_entries(h) > 0)
		append_deltas(h);

	hash_destroy(h);
	MemoryContextDelete(rowcxt);
	return PointerGetDatum(NULL);
}

/*
 * tthc.dossier_entries(d tthc.dossier)
 *		returns table (received_day date, late_day date, counters tthc.counters)
 *
 * The tally entries of one dossier, by the same code as the trigger: what
 * tthc.verify() and tthc.rebuild() recompute from the rows.
 */
Datum
tthc_dossier_entries_sql(PG_FUNCTION_ARGS)
{
	TthcDossierClass cl;
	TthcCounters base,
				late;
	int32_t		late_day;
	int			n;
	TupleDesc	outdesc;
	Tuplestorestate *ts;

	tthc_dossier_classify_arg(fcinfo, &cl);
	n = tthc_dossier_entries(&cl, &base, &late_day, &late);

	ts = tthc_srf_begin(fcinfo, &outdesc);
	for (int i = 0; i < n; i++)
	{
		Datum		values[3];
		bool		nulls[3] = {false, i == 0, false};

		values[0] = DateADTGetDatum((DateADT) cl.received_day);
		values[1] = DateADTGetDatum((DateADT) (i == 0 ? 0 : late_day));
		values[2] = tthc_counters_to_datum(i == 0 ? &base : &late);
		tuplestore_putvalues(ts, outdesc, values, nulls);
	}
	return (Datum) 0;
}
