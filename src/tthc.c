/*
 * tthc.c
 *		Module entry point of the tthc extension.
 */
#include "postgres.h"

#include "fmgr.h"

#include "tthc.h"

PG_MODULE_MAGIC;

void		_PG_init(void);

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
}
