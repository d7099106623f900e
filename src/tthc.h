/*
 * tthc.h
 *		Declarations shared by the PostgreSQL glue of tthc.
 */
#ifndef TTHC_H
#define TTHC_H

#include "postgres.h"

#include "datatype/timestamp.h"

#include "core/calendar.h"

/* calendar.c */
extern void tthc_calendar_init(void);
extern const TthcCalendar *tthc_calendar_get(void);
extern int64_t tthc_local_from_timestamptz(TimestampTz ts, const char *field);
extern TimestampTz tthc_timestamptz_from_local(int64_t local);
extern void tthc_calendar_report(TthcCalStatus status, const char *what);

#endif							/* TTHC_H */
