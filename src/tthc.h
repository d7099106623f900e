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

/* calendar.c */
extern void tthc_calendar_init(void);
extern const TthcCalendar *tthc_calendar_get(void);
extern int64_t tthc_local_from_timestamptz(TimestampTz ts, const char *field);
extern TimestampTz tthc_timestamptz_from_local(int64_t local);
extern void tthc_calendar_report(TthcCalStatus status, const char *what);

/* counters_type.c */
extern void tthc_counters_from_datum(Datum d, TthcCounters *c);
extern Datum tthc_counters_to_datum(const TthcCounters *c);

/* calendar.c: start a materialized set-returning function */
extern Tuplestorestate *tthc_srf_begin(FunctionCallInfo fcinfo, TupleDesc *tupdesc);

#endif							/* TTHC_H */
