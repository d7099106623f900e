/*
 * tthc.h
 *		Declarations shared by the PostgreSQL glue of tthc.
 */
#ifndef TTHC_H
#define TTHC_H

#include "postgres.h"

#include "datatype/timestamp.h"

#include "core/calendar.h"
#include "core/counters.h"
#include "fmgr.h"
#include "funcapi.h"
#include "utils/tuplestore.h"
#include "access/htup.h"

/*
 * tthc.c: SPI with a safe search_path.  Queries run through SPI resolve
 * names and operators with the caller's search_path, where look-alike
 * objects may wait; every C function of tthc that runs queries connects
 * with tthc_spi_connect(), which sets search_path to pg_catalog, pg_temp
 * until tthc_spi_finish() (an error restores it with the transaction).
 */
extern int	tthc_spi_connect(void);
extern void tthc_spi_finish(int guclevel);

/* calendar.c */
extern void tthc_calendar_init(void);
extern const TthcCalendar *tthc_calendar_get(void);
extern int64_t tthc_local_from_timestamptz(TimestampTz ts, const char *field);
extern TimestampTz tthc_timestamptz_from_local(int64_t local);
extern void tthc_calendar_report(TthcCalStatus status, const char *what);

/* procedure.c */
extern void tthc_procedure_init(void);

/* tally.c, sync.c */
extern void tthc_tally_init(void);
extern void tthc_sync_init(void);
extern void tthc_security_init(void);
extern void tthc_partition_init(void);
extern bool tthc_procedure_limit(const char *code, double *amount, TthcUnit *unit);
extern void tthc_tally_cover(int32 from, int32 to, TimestampTz at, int32 *at_day,
							 Datum *years, Datum *months, Datum *days);
extern const char *tthc_tally_eval_day_sql(bool all);

/* counters_type.c */
extern void tthc_counters_from_datum(Datum d, TthcCounters *c);
extern Datum tthc_counters_to_datum(const TthcCounters *c);

/* calendar.c: start a materialized set-returning function */
extern Tuplestorestate *tthc_srf_begin(FunctionCallInfo fcinfo, TupleDesc *tupdesc);

/* dossier.c: reading dossier rows */
#define DOSSIER_COLUMNS(X) \
	X(code) X(agency_id) X(procedure_code) X(channel) X(status) \
	X(submitted_at) X(received_at) X(due_at) X(finished_at) X(returned_at) \
	X(ended_at) X(synced_at) X(supplement_requests) X(supplement_requested_at) \
	X(supplement_received_at) X(fee) X(paid_online) X(e_result) X(digitized) \
	X(reused_data) X(personal_store) X(population_db) X(e_certified_copy) X(rating) \
	X(has_feedback)

typedef struct DossierAttrs
{
	Oid			typid;
#define DOSSIER_ATTR_FIELD(name) int name;
	DOSSIER_COLUMNS(DOSSIER_ATTR_FIELD)
#undef DOSSIER_ATTR_FIELD
} DossierAttrs;

/*
 * What one row (a dossier or a feedback item) adds to the tallies: at most
 * two entries of its agency, procedure and received day (see
 * tthc_dossier_entries).  procedure is (Datum) 0 for a feedback item.
 */
typedef struct TthcRowEntries
{
	Datum		agency;			/* text */
	Datum		procedure;		/* text, or (Datum) 0 */
	int32		received_day;
	int			n;				/* 0, 1 or 2 */
	TthcCounters base;
	int32		late_day;
	TthcCounters late;
} TthcRowEntries;

typedef void (*TthcRowEntriesFn) (FunctionCallInfo fcinfo, HeapTuple tup, TupleDesc td,
								  TthcRowEntries *out);

/* tally.c: the statement trigger, for either table, and entries as a set */
extern Datum tthc_tally_trigger(FunctionCallInfo fcinfo, TthcRowEntriesFn entries);
extern void tthc_entries_result(FunctionCallInfo fcinfo, int n, int32 received_day,
								const TthcCounters *base, int32 late_day,
								const TthcCounters *late);

/* dossier.c, feedback.c */
extern void tthc_dossier_row_entries(FunctionCallInfo fcinfo, HeapTuple tup, TupleDesc td,
									 TthcRowEntries *out);
extern void tthc_feedback_row_entries(FunctionCallInfo fcinfo, HeapTuple tup, TupleDesc td,
									  TthcRowEntries *out);

/* indexset.c */
struct TthcIndexSet;
extern struct TthcIndexSet *tthc_index_set_get(const char *id);

struct TthcDossierIn;
struct TthcDossierClass;
extern TupleDesc tthc_row_arg(FunctionCallInfo fcinfo, HeapTupleData *tup);
extern void tthc_dossier_classify_arg(FunctionCallInfo fcinfo, struct TthcDossierClass *cl);
extern const DossierAttrs *tthc_dossier_attrs(FunctionCallInfo fcinfo, TupleDesc td);
extern void tthc_dossier_read(HeapTuple tup, TupleDesc td, const DossierAttrs *a,
							  struct TthcDossierIn *in);

#endif							/* TTHC_H */
