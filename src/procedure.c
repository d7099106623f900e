/*
 * procedure.c
 *		A per-backend cache of the procedures' time limits.
 *
 * Every dossier received without a due time needs its procedure's time
 * limit; looking it up with SPI for each row would dominate the cost of a
 * COPY.  Limits are cached per backend and dropped when tthc.procedure
 * changes: a statement trigger on it sends a relcache invalidation, seen by
 * this backend at once and by the others when the change commits.
 */
#include "postgres.h"

#include "catalog/namespace.h"
#include "commands/trigger.h"
#include "executor/spi.h"
#include "fmgr.h"
#include "utils/builtins.h"
#include "utils/hsearch.h"
#include "utils/inval.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"

#include "tthc.h"

PG_FUNCTION_INFO_V1(tthc_procedure_changed);

#define PROC_CODE_MAX 128

typedef struct ProcEntry
{
	char		code[PROC_CODE_MAX];
	bool		exists;
	bool		has_limit;
	double		amount;
	TthcUnit	unit;
} ProcEntry;

static HTAB *proc_cache = NULL;
static Oid	proc_relid = InvalidOid;
static uint64 proc_gen = 0;

static void
procedure_inval_callback(Datum arg, Oid relid)
{
	if (relid == InvalidOid || relid == proc_relid)
	{
		proc_gen++;
		if (proc_cache != NULL)
		{
			hash_destroy(proc_cache);
			proc_cache = NULL;
		}
	}
}

void
tthc_procedure_init(void)
{
	CacheRegisterRelcacheCallback(procedure_inval_callback, (Datum) 0);
}

/* Look a procedure up with SPI. */
static void
procedure_fetch(const char *code, ProcEntry *e)
{
	int			guclevel;
	static SPIPlanPtr plan = NULL;
	Datum		arg = CStringGetTextDatum(code);
	bool		isnull;
	Datum		limit;

	guclevel = tthc_spi_connect();
	if (plan == NULL)
	{
		Oid			argtype = TEXTOID;

		plan = SPI_prepare("SELECT time_limit, time_unit FROM tthc.procedure WHERE code = $1",
						   1, &argtype);
		if (plan == NULL || SPI_keepplan(plan) != 0)
			elog(ERROR, "tthc: could not prepare the procedure look-up");
	}
	if (SPI_execute_plan(plan, &arg, NULL, true, 1) != SPI_OK_SELECT)
		elog(ERROR, "tthc: could not look up procedure \"%s\"", code);
	e->exists = (SPI_processed > 0);
	e->has_limit = false;
	if (e->exists)
	{
		limit = SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, &isnull);
		if (!isnull)
		{
			e->has_limit = true;
			e->amount = DatumGetFloat8(DirectFunctionCall1(numeric_float8_no_overflow, limit));
			e->unit = tthc_unit_parse(SPI_getvalue(SPI_tuptable->vals[0],
												   SPI_tuptable->tupdesc, 2));
		}
	}
	tthc_spi_finish(guclevel);
}

/*
 * tthc_procedure_limit
 *		The time limit of a procedure: false when it has none; an error when
 *		the procedure does not exist.
 */
bool
tthc_procedure_limit(const char *code, double *amount, TthcUnit *unit)
{
	ProcEntry  *e;
	ProcEntry	fetched;
	bool		found;
	uint64		gen;

	if (strlen(code) >= PROC_CODE_MAX)
		ereport(ERROR,
				(errcode(ERRCODE_FOREIGN_KEY_VIOLATION),
				 errmsg("unknown procedure \"%s\"", code)));
	if (!OidIsValid(proc_relid))
		proc_relid = get_relname_relid("procedure", get_namespace_oid("tthc", false));
	if (proc_cache == NULL)
	{
		HASHCTL		ctl;

		memset(&ctl, 0, sizeof(ctl));
		ctl.keysize = PROC_CODE_MAX;
		ctl.entrysize = sizeof(ProcEntry);
		proc_cache = hash_create("tthc procedure limits", 1024, &ctl, HASH_ELEM | HASH_STRINGS);
	}

	e = hash_search(proc_cache, code, HASH_FIND, &found);
	if (!found)
	{
		gen = proc_gen;
		memset(&fetched, 0, sizeof(fetched));
		procedure_fetch(code, &fetched);
		/* cache it unless the table changed while we read it */
		if (gen == proc_gen && proc_cache != NULL)
		{
			e = hash_search(proc_cache, code, HASH_ENTER, &found);
			fetched.code[0] = '\0';
			strlcpy(fetched.code, code, PROC_CODE_MAX);
			*e = fetched;
		}
		else
			e = &fetched;
	}
	if (!e->exists)
		ereport(ERROR,
				(errcode(ERRCODE_FOREIGN_KEY_VIOLATION),
				 errmsg("unknown procedure \"%s\"", code),
				 errhint("Procedures are listed in tthc.procedure.")));
	*amount = e->amount;
	*unit = e->unit;
	return e->has_limit;
}

/*
 * tthc.procedure_changed() trigger: statement trigger on tthc.procedure.
 */
Datum
tthc_procedure_changed(PG_FUNCTION_ARGS)
{
	TriggerData *trigdata = (TriggerData *) fcinfo->context;

	if (!CALLED_AS_TRIGGER(fcinfo))
		elog(ERROR, "tthc_procedure_changed: not called as a trigger");
	CacheInvalidateRelcache(trigdata->tg_relation);
	procedure_inval_callback((Datum) 0, InvalidOid);
	return PointerGetDatum(NULL);
}
