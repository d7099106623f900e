/*
 * tally.c
 *		Tallies kept current by statement triggers on tthc.dossier.
 *
 * Each INSERT, UPDATE or DELETE statement (COPY and multi-row statements
 * included) runs one AFTER ... FOR EACH STATEMENT trigger with its
 * transition tables.  It classifies the old rows (subtracted) and the new
 * rows (added) through the core, sums the deltas per tally key (agency,
 * procedure, received day, late day) in memory, and appends one row per
 * key with a non-zero delta to tthc.tally_log, straight into the heap (no
 * executor, no index: the log has none).  Appending never updates a shared
 * row, so concurrent writers of one agency do not queue on it; the rows
 * are ordinary MVCC rows, so a rolled-back statement, subtransaction or
 * transaction leaves no trace.  tthc.compact() folds the log into the
 * day, month and year rows of tthc.tally; a session compacts by itself
 * after appending tthc.compact_every rows, when no other compaction runs.
 *
 * Reading (tthc.tally_read) sums the fewest tally rows that cover a range
 * of received days (whole years, whole months, single days: see
 * core/tally.h), the log, and, for the day of the evaluation instant, the
 * dossiers that become late that very day, judged one by one.
 */
#include "postgres.h"

#include "access/heapam.h"
#include "access/htup_details.h"
#include "access/table.h"
#include "catalog/namespace.h"
#include "catalog/pg_type.h"
#include "commands/trigger.h"
#include "executor/executor.h"
#include "executor/spi.h"
#include "funcapi.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/date.h"
#include "utils/guc.h"
#include "utils/hsearch.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"
#include "utils/rel.h"

#include "tthc.h"
#include "core/dossier.h"
#include "core/tally.h"

PG_FUNCTION_INFO_V1(tthc_dossier_tally);
PG_FUNCTION_INFO_V1(tthc_dossier_entries_sql);
PG_FUNCTION_INFO_V1(tthc_tally_read);
PG_FUNCTION_INFO_V1(tthc_tally_buckets);

#define TTHC_CODE_MAX 128		/* codes are at most 100 characters */

/*
 * tthc.statement_keys: a statement's deltas are appended to the log whenever
 * they reach this many keys, so that a bulk load over many agencies and days
 * (COPY of millions of rows) keeps a bounded hash: by default 20,000 entries
 * of about 570 bytes, 11 MB.  A key split over several log rows still sums
 * right.
 */
static int	statement_keys = 20000;

/* tthc.compact_every: log rows a session appends before it compacts */
static int	compact_every = 10000;
static int	appended_since_compact = 0;

/*
 * tthc_tally_init
 *		Define the settings of the tallies (called from _PG_init).
 */
void
tthc_tally_init(void)
{
	DefineCustomIntVariable("tthc.compact_every",
							"Log rows a session appends before it folds the tally log into the tallies.",
							"0 turns automatic compaction off: then run tthc.compact() on a schedule.",
							&compact_every, 10000, 0, INT_MAX,
							PGC_USERSET, 0, NULL, NULL, NULL);
	DefineCustomIntVariable("tthc.statement_keys",
							"Tally keys a statement holds in memory before it appends them to the log.",
							"Bounds the memory of bulk loads (about 570 bytes a key).",
							&statement_keys, 20000, 100, 10000000,
							PGC_USERSET, 0, NULL, NULL, NULL);
}

typedef struct TallyKey
{
	char		agency[TTHC_CODE_MAX];
	char		procedure[TTHC_CODE_MAX];
	int32		received_day;
	int32		late_day;		/* TTHC_BASE_LATE_DAY for the base entry */
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

static int	append_deltas(HTAB *h);

/*
 * Classify every row of a transition table and add its entries, signed;
 * returns the log rows appended on the way (when the hash grew too big).
 */
static int
accumulate(FunctionCallInfo fcinfo, TthcRowEntriesFn entries, Tuplestorestate *ts,
		   TupleDesc td, HTAB *h, int sign, MemoryContext rowcxt)
{
	int			appended = 0;
	TupleTableSlot *slot;

	if (tuplestore_tuple_count(ts) == 0)
		return 0;				/* a statement that changed no row */
	slot = MakeSingleTupleTableSlot(td, &TTSOpsMinimalTuple);

	tuplestore_rescan(ts);
	while (tuplestore_gettupleslot(ts, true, false, slot))
	{
		MemoryContext old = MemoryContextSwitchTo(rowcxt);
		bool		should_free;
		HeapTuple	tup = ExecFetchSlotHeapTuple(slot, false, &should_free);
		TthcRowEntries e;
		TallyKey	key;

		entries(fcinfo, tup, td, &e);
		if (e.n > 0)
		{
			memset(&key, 0, sizeof(key));
			copy_code(key.agency, e.agency, "agency_id");
			if (e.procedure != (Datum) 0)
				copy_code(key.procedure, e.procedure, "procedure_code");
			key.received_day = e.received_day;
			key.late_day = TTHC_BASE_LATE_DAY;
			add_delta(h, &key, &e.base, sign);
			if (e.n == 2)
			{
				key.late_day = e.late_day;
				add_delta(h, &key, &e.late, sign);
			}
		}
		MemoryContextSwitchTo(old);
		MemoryContextReset(rowcxt);
		if (hash_get_num_entries(h) >= statement_keys)
			appended += append_deltas(h);
	}
	ExecDropSingleTupleTableSlot(slot);
	return appended;
}

/* The OID of a table of the extension's schema. */
static Oid
tthc_table_oid(const char *name)
{
	Oid			relid = get_relname_relid(name, get_namespace_oid("tthc", false));

	if (!OidIsValid(relid))
		elog(ERROR, "tthc: table tthc.%s is missing", name);
	return relid;
}

/*
 * tthc.tally_log, opened for appending.  Its OID is looked up by name once
 * per backend (two catalogue lookups by name took a tenth of the trigger's
 * time on single-row statements), and checked on every open: a table by
 * that name, in the same schema, or the name is looked up again (after the
 * extension was dropped and created anew).
 */
static Oid	tally_log_oid = InvalidOid;
static Oid	tally_log_nsp = InvalidOid;

static Relation
open_tally_log(void)
{
	Relation	rel;

	if (OidIsValid(tally_log_oid))
	{
		rel = try_table_open(tally_log_oid, RowExclusiveLock);
		if (rel != NULL)
		{
			if (RelationGetNamespace(rel) == tally_log_nsp &&
				strcmp(RelationGetRelationName(rel), "tally_log") == 0)
				return rel;
			table_close(rel, RowExclusiveLock);
		}
	}
	tally_log_oid = tthc_table_oid("tally_log");
	tally_log_nsp = get_rel_namespace(tally_log_oid);
	return table_open(tally_log_oid, RowExclusiveLock);
}

/*
 * Append one log row per key whose delta is not zero, and empty the hash.
 * The rows go straight into the heap: the log has no index, trigger or rule
 * of its own, and the writer needs no privilege on it.  Returns the rows
 * appended.
 */
static int
append_deltas(HTAB *h)
{
	Relation	rel = open_tally_log();
	TupleDesc	td = RelationGetDescr(rel);
	HASH_SEQ_STATUS seq;
	TallyEntry *e;
	int			n = 0;
	MemoryContext rowcxt = AllocSetContextCreate(CurrentMemoryContext, "tthc tally append",
												 ALLOCSET_SMALL_SIZES);

	if (rel->rd_rel->relkind != RELKIND_RELATION || td->natts != 5)
		elog(ERROR, "tthc: tthc.tally_log does not have the expected shape");
	hash_seq_init(&seq, h);
	while ((e = hash_seq_search(&seq)) != NULL)
	{
		Datum		values[5];
		bool		nulls[5] = {false, false, false, false, false};
		HeapTuple	tup;
		MemoryContext old;

		if (tthc_counters_is_zero(&e->delta))
		{
			hash_search(h, &e->key, HASH_REMOVE, NULL);
			continue;
		}
		old = MemoryContextSwitchTo(rowcxt);
		values[0] = CStringGetTextDatum(e->key.agency);
		values[1] = CStringGetTextDatum(e->key.procedure);
		values[2] = DateADTGetDatum((DateADT) e->key.received_day);
		values[3] = DateADTGetDatum((DateADT) e->key.late_day);
		values[4] = tthc_counters_to_datum(&e->delta);
		tup = heap_form_tuple(td, values, nulls);
		simple_heap_insert(rel, tup);
		MemoryContextSwitchTo(old);
		MemoryContextReset(rowcxt);
		/* removing the entry just returned is allowed during the scan */
		hash_search(h, &e->key, HASH_REMOVE, NULL);
		n++;
	}
	MemoryContextDelete(rowcxt);
	table_close(rel, NoLock);
	return n;
}

/*
 * After a session has appended compact_every rows, fold the log into the
 * tallies, unless another session is doing it (tthc.compact(false) does
 * not wait).  The work joins the writing transaction.
 */
static void
maybe_compact(int appended)
{
	int			guclevel;
	if (compact_every <= 0)
		return;
	appended_since_compact += appended;
	if (appended_since_compact < compact_every)
		return;
	appended_since_compact = 0;
	guclevel = tthc_spi_connect();
	if (SPI_execute("SELECT tthc.compact(false)", false, 0) != SPI_OK_SELECT)
		elog(ERROR, "tthc: automatic compaction failed");
	tthc_spi_finish(guclevel);
}

/*
 * The deltas of a statement, by key.  Creating a hash table and a memory
 * context for every statement was a good part of the trigger's cost on
 * single-row statements: one of each is kept for the backend, emptied
 * after each statement (or, after a failed one, before the next), and
 * dropped after a statement of more than 1,000 rows, so that a bulk load's
 * memory is not kept.
 */
static HTAB *kept_deltas = NULL;
static MemoryContext kept_rowcxt = NULL;
static bool kept_busy = false;

static HTAB *
deltas_create(MemoryContext cxt)
{
	HASHCTL		ctl;

	memset(&ctl, 0, sizeof(ctl));
	ctl.keysize = sizeof(TallyKey);
	ctl.entrysize = sizeof(TallyEntry);
	ctl.hcxt = cxt;
	return hash_create("tthc tally deltas", 256, &ctl, HASH_ELEM | HASH_BLOBS | HASH_CONTEXT);
}

static void
deltas_clear(HTAB *h)
{
	HASH_SEQ_STATUS seq;
	TallyEntry *e;

	if (hash_get_num_entries(h) == 0)
		return;
	hash_seq_init(&seq, h);
	while ((e = hash_seq_search(&seq)) != NULL)
		hash_search(h, &e->key, HASH_REMOVE, NULL);
}

/*
 * The statement trigger of tthc.dossier and tthc.feedback: AFTER INSERT,
 * UPDATE or DELETE, FOR EACH STATEMENT, REFERENCING the old and/or new rows.
 * entries says what a row of that table adds.
 */
Datum
tthc_tally_trigger(FunctionCallInfo fcinfo, TthcRowEntriesFn entries)
{
	TriggerData *trigdata = (TriggerData *) fcinfo->context;
	TupleDesc	td;
	HTAB	   *h;
	MemoryContext rowcxt;
	volatile int appended = 0;
	bool		bulk;

	if (!CALLED_AS_TRIGGER(fcinfo) || !TRIGGER_FIRED_AFTER(trigdata->tg_event) ||
		TRIGGER_FIRED_FOR_ROW(trigdata->tg_event))
		elog(ERROR, "tthc: a tally trigger must be AFTER ... FOR EACH STATEMENT");
	if (trigdata->tg_oldtable == NULL && trigdata->tg_newtable == NULL)
		elog(ERROR, "tthc: a tally trigger must reference its transition tables");

	td = RelationGetDescr(trigdata->tg_relation);
	bulk = (trigdata->tg_oldtable ? tuplestore_tuple_count(trigdata->tg_oldtable) : 0) +
		(trigdata->tg_newtable ? tuplestore_tuple_count(trigdata->tg_newtable) : 0) > 1000;
	if (kept_busy)
	{
		/* a tally trigger inside another's work: its own hash and context */
		h = deltas_create(CurrentMemoryContext);
		rowcxt = AllocSetContextCreate(CurrentMemoryContext, "tthc tally row", ALLOCSET_SMALL_SIZES);
	}
	else
	{
		if (kept_deltas == NULL)
		{
			kept_deltas = deltas_create(TopMemoryContext);
			kept_rowcxt = AllocSetContextCreate(TopMemoryContext, "tthc tally row", ALLOCSET_SMALL_SIZES);
		}
		h = kept_deltas;
		rowcxt = kept_rowcxt;
		deltas_clear(h);		/* what a failed statement left */
		kept_busy = true;
	}

	PG_TRY();
	{
		if (trigdata->tg_oldtable)
			appended += accumulate(fcinfo, entries, trigdata->tg_oldtable, td, h, -1, rowcxt);
		if (trigdata->tg_newtable)
			appended += accumulate(fcinfo, entries, trigdata->tg_newtable, td, h, 1, rowcxt);
		if (hash_get_num_entries(h) > 0)
			appended += append_deltas(h);
	}
	PG_FINALLY();
	{
		if (h == kept_deltas)
		{
			kept_busy = false;
			/* a bulk statement's hash is not kept for the backend's life */
			if (bulk)
			{
				hash_destroy(kept_deltas);
				MemoryContextDelete(kept_rowcxt);
				kept_deltas = NULL;
				kept_rowcxt = NULL;
			}
			else
				MemoryContextReset(kept_rowcxt);
		}
		else
		{
			hash_destroy(h);
			MemoryContextDelete(rowcxt);
		}
	}
	PG_END_TRY();
	maybe_compact(appended);
	return PointerGetDatum(NULL);
}

/* tthc.dossier_tally(): the statement trigger of tthc.dossier */
Datum
tthc_dossier_tally(PG_FUNCTION_ARGS)
{
	return tthc_tally_trigger(fcinfo, tthc_dossier_row_entries);
}

/*
 * Return the n (0 to 2) tally entries of a row from a set-returning
 * function: (received_day, late_day, counters), the base entry first.
 */
void
tthc_entries_result(FunctionCallInfo fcinfo, int n, int32 received_day,
					const TthcCounters *base, int32 late_day, const TthcCounters *late)
{
	TupleDesc	outdesc;
	Tuplestorestate *ts = tthc_srf_begin(fcinfo, &outdesc);

	for (int i = 0; i < n; i++)
	{
		Datum		values[3];
		bool		nulls[3] = {false, false, false};

		values[0] = DateADTGetDatum((DateADT) received_day);
		values[1] = DateADTGetDatum((DateADT) (i == 0 ? TTHC_BASE_LATE_DAY : late_day));
		values[2] = tthc_counters_to_datum(i == 0 ? base : late);
		tuplestore_putvalues(ts, outdesc, values, nulls);
	}
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

	tthc_dossier_classify_arg(fcinfo, &cl);
	n = tthc_dossier_entries(&cl, &base, &late_day, &late);
	tthc_entries_result(fcinfo, n, cl.received_day, &base, late_day, &late);
	return (Datum) 0;
}

/*
 * The reading query.  $1 the agencies (text[]; the first variant reads
 * every agency), $2 $3 $4 the first days of the years, months and days
 * covering the range (date[]), $5 the evaluation day, $6 $7 the range,
 * $8 the evaluation instant.  Late entries dated before the evaluation day
 * count; those dated on it are judged dossier by dossier (feedback item by
 * item, under the procedure code '').  The dossiers of a key are found by
 * agency and day of receipt; "procedure_code || ''" keeps the planner from
 * ANDing in the procedure index, which costs more than it saves.
 */
#define ROWS_PART(AGENCY) \
	" SELECT t.agency_id, t.procedure_code, t.counters FROM tthc.tally t" \
	"  WHERE " AGENCY " AND t.grain = 'y' AND t.received_day = ANY ($2) AND t.late_day < $5" \
	" UNION ALL" \
	" SELECT t.agency_id, t.procedure_code, t.counters FROM tthc.tally t" \
	"  WHERE " AGENCY " AND t.grain = 'm' AND t.received_day = ANY ($3) AND t.late_day < $5" \
	" UNION ALL" \
	" SELECT t.agency_id, t.procedure_code, t.counters FROM tthc.tally t" \
	"  WHERE " AGENCY " AND t.grain = 'd' AND t.received_day = ANY ($4) AND t.late_day < $5" \
	" UNION ALL" \
	" SELECT t.agency_id, t.procedure_code, t.counters FROM tthc.tally_log t" \
	"  WHERE " AGENCY " AND t.received_day BETWEEN $6 AND $7 AND t.late_day < $5"

#define EVAL_DAY_PART(AGENCY) \
	" SELECT d.agency_id, d.procedure_code, e.counters" \
	"   FROM (SELECT t.agency_id, t.procedure_code, t.received_day FROM tthc.tally t" \
	"          WHERE " AGENCY " AND t.grain = 'd' AND t.received_day BETWEEN $6 AND $7" \
	"            AND t.late_day = $5 AND t.late_day <> '-infinity'" \
	"         UNION" \
	"         SELECT t.agency_id, t.procedure_code, t.received_day FROM tthc.tally_log t" \
	"          WHERE " AGENCY " AND t.received_day BETWEEN $6 AND $7 AND t.late_day = $5) k" \
	"   JOIN tthc.dossier d ON d.agency_id = k.agency_id AND d.procedure_code || '' = k.procedure_code" \
	"    AND d.received_at >= (k.received_day::timestamp AT TIME ZONE 'Asia/Ho_Chi_Minh')" \
	"    AND d.received_at < ((k.received_day + 1)::timestamp AT TIME ZONE 'Asia/Ho_Chi_Minh')," \
	"        tthc.dossier_entries(d) e" \
	"  WHERE e.late_day = $5 AND tthc.late_from(d) < $8" \
	" UNION ALL" \
	" SELECT f.agency_id, '', e.counters" \
	"   FROM (SELECT DISTINCT k.agency_id, k.received_day FROM (" \
	"          SELECT t.agency_id, t.received_day FROM tthc.tally t" \
	"           WHERE " AGENCY " AND t.grain = 'd' AND t.received_day BETWEEN $6 AND $7" \
	"             AND t.procedure_code = '' AND t.late_day = $5 AND t.late_day <> '-infinity'" \
	"          UNION ALL" \
	"          SELECT t.agency_id, t.received_day FROM tthc.tally_log t" \
	"           WHERE " AGENCY " AND t.received_day BETWEEN $6 AND $7" \
	"             AND t.procedure_code = '' AND t.late_day = $5) k) k" \
	"   JOIN tthc.feedback f ON f.agency_id = k.agency_id" \
	"    AND f.received_at >= (k.received_day::timestamp AT TIME ZONE 'Asia/Ho_Chi_Minh')" \
	"    AND f.received_at < ((k.received_day + 1)::timestamp AT TIME ZONE 'Asia/Ho_Chi_Minh')," \
	"        tthc.feedback_entries(f) e" \
	"  WHERE e.late_day = $5 AND tthc.late_from(f) < $8"

#define READ_QUERY(AGENCY) \
	"SELECT x.agency_id, x.procedure_code, tthc.sum(x.counters) FROM (" \
	ROWS_PART(AGENCY) \
	" UNION ALL" \
	EVAL_DAY_PART(AGENCY) \
	") x GROUP BY 1, 2"

/*
 * tthc_tally_eval_day_sql
 *		The part of the reading query that judges, one by one, the dossiers
 *		and feedback items becoming late on the evaluation day: rows of
 *		(agency_id, procedure_code, counters), with the parameters of
 *		tthc_tally_read's query ($2-$4 unused).
 */
const char *
tthc_tally_eval_day_sql(bool all)
{
	return all ? EVAL_DAY_PART("true") : EVAL_DAY_PART("t.agency_id = ANY ($1)");
}

static Datum
date_array(const int32_t *days, int n)
{
	Datum	   *elems = palloc(sizeof(Datum) * Max(n, 1));

	for (int i = 0; i < n; i++)
		elems[i] = DateADTGetDatum((DateADT) days[i]);
	return PointerGetDatum(construct_array(elems, n, DATEOID, sizeof(DateADT), true,
										   TYPALIGN_INT));
}

/*
 * tthc_tally_cover
 *		The first days of the years, months and days (date[] datums) whose
 *		tally rows cover the received days from..to judged at instant at
 *		(core/tally.h), and the evaluation day; errors for a bad range.
 */
void
tthc_tally_cover(int32 from, int32 to, TimestampTz at, int32 *at_day,
				 Datum *years, Datum *months, Datum *days)
{
	TthcCover	cover;
	int			max;

	if (DATE_NOT_FINITE(from) || DATE_NOT_FINITE(to))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("from and to must be finite days")));
	if (from > to)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("from %s is after to %s",
						DatumGetCString(DirectFunctionCall1(date_out, DateADTGetDatum(from))),
						DatumGetCString(DirectFunctionCall1(date_out, DateADTGetDatum(to))))));
	*at_day = tthc_local_day(tthc_local_from_timestamptz(at, "at"));

	max = (int) Min((int64) to - from + 1, 1000000);
	if ((int64) to - from + 1 > max)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("a range of received days is at most %d days long", max)));
	cover.max = max;
	cover.years = palloc(sizeof(int32_t) * max);
	cover.months = palloc(sizeof(int32_t) * max);
	cover.days = palloc(sizeof(int32_t) * max);
	if (!tthc_cover(from, to, *at_day, &cover))
		elog(ERROR, "tthc: the cover of a range overflowed");

	*years = date_array(cover.years, cover.nyears);
	*months = date_array(cover.months, cover.nmonths);
	*days = date_array(cover.days, cover.ndays);
}

/*
 * tthc.tally_read(agencies text[], "from" date, "to" date, "at" timestamptz)
 *		returns table (agency_id text, procedure_code text, counters tthc.counters)
 *
 * The counters of each (agency, procedure) of the given agencies (NULL:
 * every agency), for dossiers received on the days from..to, judged at
 * instant at: exact, from the tallies and the log.  The agency tree is not
 * applied here: callers pass the subtree they want.
 */
Datum
tthc_tally_read(PG_FUNCTION_ARGS)
{
	int			guclevel;
	static SPIPlanPtr plans[2] = {NULL, NULL};
	bool		all = PG_ARGISNULL(0);
	DateADT		from,
				to;
	TimestampTz at;
	int32		at_day;
	Datum		values[8];
	TupleDesc	outdesc;
	Tuplestorestate *ts;
	Portal		portal;

	if (PG_ARGISNULL(1) || PG_ARGISNULL(2) || PG_ARGISNULL(3))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("from, to and at must not be null")));
	from = PG_GETARG_DATEADT(1);
	to = PG_GETARG_DATEADT(2);
	at = PG_GETARG_TIMESTAMPTZ(3);
	tthc_tally_cover(from, to, at, &at_day, &values[1], &values[2], &values[3]);

	values[0] = all ? (Datum) 0 : PG_GETARG_DATUM(0);
	values[4] = DateADTGetDatum((DateADT) at_day);
	values[5] = DateADTGetDatum(from);
	values[6] = DateADTGetDatum(to);
	values[7] = TimestampTzGetDatum(at);

	ts = tthc_srf_begin(fcinfo, &outdesc);
	guclevel = tthc_spi_connect();
	if (plans[all] == NULL)
	{
		Oid			types[8] = {TEXTARRAYOID, DATEARRAYOID, DATEARRAYOID, DATEARRAYOID,
		DATEOID, DATEOID, DATEOID, TIMESTAMPTZOID};
		SPIPlanPtr	plan = SPI_prepare(all ? READ_QUERY("true") : READ_QUERY("t.agency_id = ANY ($1)"),
									   8, types);

		if (plan == NULL || SPI_keepplan(plan) != 0)
			elog(ERROR, "tthc: could not prepare the tally read");
		plans[all] = plan;
	}
	portal = SPI_cursor_open(NULL, plans[all], values, all ? "n       " : NULL, true);
	/* batches of rows, copied out of SPI's memory into the result */
	for (;;)
	{
		SPI_cursor_fetch(portal, true, 10000);
		if (SPI_processed == 0)
			break;
		for (uint64 i = 0; i < SPI_processed; i++)
		{
			Datum		row[3];
			bool		nulls[3];

			for (int c = 0; c < 3; c++)
				row[c] = SPI_getbinval(SPI_tuptable->vals[i], SPI_tuptable->tupdesc, c + 1,
									   &nulls[c]);
			tuplestore_putvalues(ts, outdesc, row, nulls);
		}
		SPI_freetuptable(SPI_tuptable);
	}
	SPI_cursor_close(portal);
	tthc_spi_finish(guclevel);
	return (Datum) 0;
}

/*
 * tthc.tally_buckets(received_day date, late_day date)
 *		returns table (grain "char", bucket date, late_day date)
 *
 * The rows of tthc.tally an entry adds to, one per grain (core/tally.c):
 * what compaction, rebuild and verify roll up by.
 */
Datum
tthc_tally_buckets(PG_FUNCTION_ARGS)
{
	static const TthcGrain grains[3] = {TTHC_GRAIN_DAY, TTHC_GRAIN_MONTH, TTHC_GRAIN_YEAR};
	DateADT		received = PG_GETARG_DATEADT(0);
	DateADT		late = PG_GETARG_DATEADT(1);
	TupleDesc	td;
	Tuplestorestate *ts;

	if (DATE_NOT_FINITE(received))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("received_day must be a finite day")));
	ts = tthc_srf_begin(fcinfo, &td);
	for (int g = 0; g < 3; g++)
	{
		Datum		v[3];
		bool		n[3] = {false, false, false};

		v[0] = CharGetDatum((char) grains[g]);
		v[1] = DateADTGetDatum((DateADT) tthc_bucket_first(grains[g], received));
		v[2] = DateADTGetDatum((DateADT) tthc_bucket_late_day(grains[g], received, late));
		tuplestore_putvalues(ts, td, v, n);
	}
	return (Datum) 0;
}
