/*
 * tthc.c
 *		Module entry point of the tthc extension.
 */
#include "postgres.h"

#include "executor/spi.h"
#include "fmgr.h"
#include "utils/guc.h"

#include "tthc.h"

PG_MODULE_MAGIC;

void		_PG_init(void);

/*
 * tthc.dossier_partitioning: read once, by CREATE EXTENSION, which then makes
 * tthc.dossier a plain table or one partitioned by month of receipt.
 */
static int	dossier_partitioning = 0;
static const struct config_enum_entry partitioning_options[] = {
	{"none", 0, false},
	{"month", 1, false},
	{NULL, 0, false}
};

/*
 * _PG_init
 *		Register the cache invalidation callbacks of each part.
 */
void
_PG_init(void)
{
	tthc_calendar_init();
	tthc_procedure_init();
	tthc_tally_init();
	tthc_sync_init();
	tthc_security_init();
	tthc_partition_init();
	DefineCustomEnumVariable("tthc.dossier_partitioning",
							 "How CREATE EXTENSION tthc lays out tthc.dossier: none, or month (by month of receipt).",
							 "Read only by CREATE EXTENSION; see docs/operations.md, Partitioning.",
							 &dossier_partitioning, 0, partitioning_options,
							 PGC_USERSET, 0, NULL, NULL, NULL);
}

/*
 * tthc_spi_connect
 *		SPI_connect, with search_path set to pg_catalog, pg_temp; returns the
 *		GUC nesting level to give tthc_spi_finish.
 */
int
tthc_spi_connect(void)
{
	int			guclevel = NewGUCNestLevel();

	(void) set_config_option("search_path", "pg_catalog, pg_temp", PGC_USERSET, PGC_S_SESSION,
							 GUC_ACTION_SAVE, true, 0, false);
	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "tthc: SPI_connect failed");
	return guclevel;
}

/* SPI_finish, and the caller's search_path back. */
void
tthc_spi_finish(int guclevel)
{
	SPI_finish();
	AtEOXact_GUC(true, guclevel);
}
