/*
 * partition.c
 *		Changed dossier codes, when tthc.dossier is partitioned by month.
 *
 * tthc.dossier_code keeps every code unique across the month partitions
 * (docs/operations.md).  A code changed by an UPDATE must be changed there
 * too, and the foreign keys of steps, feedback and ratings cascade from
 * it.  Doing it from the BEFORE ROW trigger would cascade at once, into the
 * feedback, whose trigger updates the very dossier row being updated; and
 * the statement's transition tables cannot pair an old row with its new
 * one.  So the row trigger notes each (old code, new code) here, in the
 * transaction's memory, and the AFTER UPDATE statement trigger applies
 * them.  Notes of a rolled-back subtransaction are dropped with it.
 */
#include "postgres.h"

#include "access/xact.h"
#include "catalog/pg_type.h"
#include "commands/trigger.h"
#include "executor/spi.h"
#include "nodes/pg_list.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/memutils.h"
#include "utils/rel.h"

#include "tthc.h"

PG_FUNCTION_INFO_V1(tthc_dossier_code_renamed);

typedef struct Renamed
{
	char	   *old_code;
	char	   *new_code;
	int			level;			/* transaction nesting level of the change */
} Renamed;

/* in TopTransactionContext; NIL outside a transaction */
static List *renamed = NIL;

static void
renamed_xact(XactEvent event, void *arg)
{
	renamed = NIL;				/* the memory goes with the transaction */
}

static void
renamed_subxact(SubXactEvent event, SubTransactionId sub, SubTransactionId parent, void *arg)
{
	ListCell   *lc;
	int			level = GetCurrentTransactionNestLevel();

	if (event != SUBXACT_EVENT_ABORT_SUB)
		return;
	foreach(lc, renamed)
	{
		Renamed    *r = (Renamed *) lfirst(lc);

		if (r->level >= level)
			renamed = foreach_delete_current(renamed, lc);
	}
}

/*
 * tthc_partition_init
 *		Called from _PG_init.
 */
void
tthc_partition_init(void)
{
	RegisterXactCallback(renamed_xact, NULL);
	RegisterSubXactCallback(renamed_subxact, NULL);
}

static char *
code_of(HeapTuple tup, TupleDesc td)
{
	int			attnum = SPI_fnumber(td, "code");
	bool		isnull;
	Datum		d;

	if (attnum <= 0)
		elog(ERROR, "tthc: tthc.dossier has no column code");
	d = heap_getattr(tup, attnum, td, &isnull);
	if (isnull)
		elog(ERROR, "tthc: a dossier without a code");
	return TextDatumGetCString(d);
}

/*
 * tthc_dossier_code_renamed
 *		BEFORE UPDATE row trigger: note the change of code; AFTER UPDATE
 *		statement trigger: apply the noted changes to tthc.dossier_code.
 */
Datum
tthc_dossier_code_renamed(PG_FUNCTION_ARGS)
{
	TriggerData *trig = (TriggerData *) fcinfo->context;
	Datum	   *olds;
	Datum	   *news;
	int			n;
	int			i = 0;
	ListCell   *lc;
	int			guclevel;
	Oid			types[2] = {TEXTARRAYOID, TEXTARRAYOID};
	Datum		values[2];

	if (!CALLED_AS_TRIGGER(fcinfo) || !TRIGGER_FIRED_BY_UPDATE(trig->tg_event))
		elog(ERROR, "tthc: tthc_dossier_code_renamed must be an UPDATE trigger");

	if (TRIGGER_FIRED_FOR_ROW(trig->tg_event))
	{
		TupleDesc	td = RelationGetDescr(trig->tg_relation);
		MemoryContext old = MemoryContextSwitchTo(TopTransactionContext);
		Renamed    *r = palloc(sizeof(Renamed));

		r->old_code = code_of(trig->tg_trigtuple, td);
		r->new_code = code_of(trig->tg_newtuple, td);
		r->level = GetCurrentTransactionNestLevel();
		renamed = lappend(renamed, r);
		MemoryContextSwitchTo(old);
		return PointerGetDatum(trig->tg_newtuple);
	}

	if (renamed == NIL)
		return PointerGetDatum(NULL);
	n = list_length(renamed);
	olds = palloc(sizeof(Datum) * n);
	news = palloc(sizeof(Datum) * n);
	foreach(lc, renamed)
	{
		Renamed    *r = (Renamed *) lfirst(lc);

		olds[i] = CStringGetTextDatum(r->old_code);
		news[i] = CStringGetTextDatum(r->new_code);
		i++;
	}
	/* taken before the cascades below, which may rename again */
	list_free_deep(renamed);
	renamed = NIL;

	values[0] = PointerGetDatum(construct_array(olds, n, TEXTOID, -1, false, TYPALIGN_INT));
	values[1] = PointerGetDatum(construct_array(news, n, TEXTOID, -1, false, TYPALIGN_INT));
	guclevel = tthc_spi_connect();
	if (SPI_execute_with_args("UPDATE tthc.dossier_code c SET code = x.n "
							  "FROM unnest($1, $2) AS x(o, n) WHERE c.code = x.o",
							  2, types, values, NULL, false, 0) != SPI_OK_UPDATE)
		elog(ERROR, "tthc: could not change dossier codes");
	tthc_spi_finish(guclevel);
	return PointerGetDatum(NULL);
}
