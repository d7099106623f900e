/*
 * security.c
 *		The agencies the current user may see, cached per backend
 *		(tthc.visible_agencies()).
 *
 * Row-level security asks for them once per statement, on every write of a
 * login that is not the tables' owner; computing them (the login's mapping
 * and its agencies' subtrees) costs queries, so they are kept until the
 * user changes, the agency tree or the mapping changes (statement triggers
 * on tthc.agency and tthc.agency_login send a relcache invalidation), or a
 * role or its memberships change (syscache callbacks).
 */
#include "postgres.h"

#include "catalog/namespace.h"
#include "catalog/pg_type.h"
#include "executor/spi.h"
#include "miscadmin.h"
#include "utils/array.h"
#include "utils/datum.h"
#include "utils/inval.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"
#include "utils/syscache.h"

#include "tthc.h"

PG_FUNCTION_INFO_V1(tthc_visible_agencies);

static bool vis_valid = false;
static uint64 vis_gen = 0;		/* bumped by every invalidation */
static Oid	vis_user = InvalidOid;
static bool vis_all = false;	/* NULL: every agency */
static Datum vis_array = (Datum) 0; /* text[], in TopMemoryContext */
static Oid	vis_relids[2] = {InvalidOid, InvalidOid};

static void
vis_relcache_callback(Datum arg, Oid relid)
{
	if (relid == InvalidOid || relid == vis_relids[0] || relid == vis_relids[1])
	{
		vis_valid = false;
		vis_gen++;
	}
}

static void
vis_syscache_callback(Datum arg, int cacheid, uint32 hashvalue)
{
	vis_valid = false;
	vis_gen++;
}

void
tthc_security_init(void)
{
	CacheRegisterRelcacheCallback(vis_relcache_callback, (Datum) 0);
	CacheRegisterSyscacheCallback(AUTHMEMROLEMEM, vis_syscache_callback, (Datum) 0);
	CacheRegisterSyscacheCallback(AUTHOID, vis_syscache_callback, (Datum) 0);
}

/*
 * tthc.visible_agencies() returns text[]
 *		The agencies the current user may read and write; NULL for all.
 *		Computed by tthc.visible_agencies_uncached(), kept until an
 *		invalidation.
 */
Datum
tthc_visible_agencies(PG_FUNCTION_ARGS)
{
	Oid			user = GetUserId();

	if (!vis_valid || vis_user != user)
	{
		uint64		gen = vis_gen;
		int			guclevel;
		bool		isnull;
		Datum		d;
		Oid			nsp = get_namespace_oid("tthc", false);

		vis_relids[0] = get_relname_relid("agency", nsp);
		vis_relids[1] = get_relname_relid("agency_login", nsp);
		guclevel = tthc_spi_connect();
		if (SPI_execute("SELECT tthc.visible_agencies_uncached()", true, 1) != SPI_OK_SELECT ||
			SPI_processed != 1)
			elog(ERROR, "tthc: could not compute the visible agencies");
		d = SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, &isnull);
		if (vis_array != (Datum) 0)
			pfree(DatumGetPointer(vis_array));
		vis_array = (Datum) 0;
		vis_all = isnull;
		if (!isnull)
		{
			MemoryContext old = MemoryContextSwitchTo(TopMemoryContext);

			vis_array = datumCopy(d, false, -1);
			MemoryContextSwitchTo(old);
		}
		tthc_spi_finish(guclevel);
		vis_user = user;
		/* an invalidation during the computation leaves it invalid */
		vis_valid = (gen == vis_gen);
	}
	if (vis_all)
		PG_RETURN_NULL();
	PG_RETURN_DATUM(datumCopy(vis_array, false, -1));
}
