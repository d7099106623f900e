/*
 * step.h
 *		Inter-agency (liên thông) steps of a dossier: is a step late, by how
 *		many working days, and which step a late dossier's delay is charged
 *		to.
 *
 * Pure C, no PostgreSQL header.  A row of tthc.dossier_step gives the
 * instants here (local microseconds, TTHC_NO_TIME for NULL); the glue
 * keeps the agency and officer beside them.  tthc.explain uses
 * tthc_step_at_fault to charge a delay to the agency that caused it.
 *
 * Rules:
 *	- A step with a deadline D is judged at min(end, T), like a dossier:
 *	  at evaluation instant T it is late when it ended after D, or, still
 *	  open (or ending after T), when T is after D.  Ending exactly at D is
 *	  on time.  So a step ending after D is late at every T > D and never
 *	  before.  A step without a deadline is never late.
 *	- Working days late: the working time from D to min(end, T) (T when
 *	  open), by the calendar's working hours, divided by the length of a
 *	  working day and rounded up: every started working day of delay
 *	  counts as a whole one.  A late step is late by at least 1, even when
 *	  it overran only into non-working time (a deadline at 17:00 on Friday,
 *	  ended on Saturday).  So with 8-hour days: 1 minute to 8 hours of
 *	  working time late is 1 day, 8 hours and 1 minute is 2.
 *	- The step at fault for a late dossier: the late step with the most
 *	  working days late; among equals, the earliest seq (the delay that
 *	  came first); none when no step is late.
 */
#ifndef TTHC_STEP_H
#define TTHC_STEP_H

#include <stdbool.h>
#include <stdint.h>

#include "calendar.h"
#include "dossier.h"			/* TTHC_NO_TIME */

typedef struct TthcStepIn
{
	int32_t		seq;			/* order of the step within its dossier */
	int64_t		started;
	int64_t		deadline;		/* TTHC_NO_TIME: no deadline */
	int64_t		ended;			/* TTHC_NO_TIME: still open */
} TthcStepIn;

/* A row that breaks a rule: which field, and against which other field. */
typedef enum TthcStepFault
{
	TTHC_SF_OK = 0,
	TTHC_SF_BEFORE				/* field is before other */
} TthcStepFault;

typedef struct TthcStepCheck
{
	TthcStepFault fault;
	const char *field;			/* the SQL column at fault */
	const char *other;
} TthcStepCheck;

/* deadline_at and ended_at not before started_at. */
extern TthcStepCheck tthc_step_check(const TthcStepIn *in);

typedef struct TthcStepLateness
{
	bool		late;
	int32_t		days_late;		/* whole working days, rounded up; >= 1 when late, else 0 */
	int64_t		work_late;		/* working microseconds from the deadline to the end or T */
} TthcStepLateness;

/*
 * Is the step late at evaluation instant t, and by how much?  Fails
 * (TTHC_CAL_OUT_OF_RANGE) only when the deadline, or the end or t that
 * measures a late step, falls outside the working-day calendar.
 */
extern TthcCalStatus tthc_step_lateness(const TthcCalendar *cal, const TthcStepIn *step,
										int64_t t, TthcStepLateness *out);

/*
 * The step at fault among a dossier's n steps (in any order), judged at t:
 * *at_fault is its index in steps[], or -1 when none is late, and *lateness
 * (when not NULL) its lateness.  Fails like tthc_step_lateness.
 */
extern TthcCalStatus tthc_step_at_fault(const TthcCalendar *cal, const TthcStepIn *steps,
										int n, int64_t t, int *at_fault,
										TthcStepLateness *lateness);

#endif							/* TTHC_STEP_H */
