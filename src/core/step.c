/*
 * step.c
 *		Lateness of inter-agency steps, and the step a late dossier's delay
 *		is charged to (rules in step.h).
 */
#include "step.h"

#include <stddef.h>

#define HAS(t) ((t) != TTHC_NO_TIME)

/*
 * tthc_step_check
 *		The first ordering rule a step breaks, naming the SQL column.
 */
TthcStepCheck
tthc_step_check(const TthcStepIn *in)
{
	TthcStepCheck r = {TTHC_SF_OK, NULL, NULL};

	if (HAS(in->started) && HAS(in->deadline) && in->deadline < in->started)
	{
		r.fault = TTHC_SF_BEFORE;
		r.field = "deadline_at";
		r.other = "started_at";
	}
	else if (HAS(in->started) && HAS(in->ended) && in->ended < in->started)
	{
		r.fault = TTHC_SF_BEFORE;
		r.field = "ended_at";
		r.other = "started_at";
	}
	return r;
}

/*
 * tthc_step_lateness
 *		Late when min(end, t) > deadline; days late are the working time
 *		from the deadline to min(end, t) (t when open), rounded up to whole
 *		working days, at least 1.
 */
TthcCalStatus
tthc_step_lateness(const TthcCalendar *cal, const TthcStepIn *step, int64_t t,
				   TthcStepLateness *out)
{
	int64_t		until;
	int64_t		work;
	int64_t		days;
	TthcCalStatus st;

	out->late = false;
	out->days_late = 0;
	out->work_late = 0;
	if (!HAS(step->deadline))
		return TTHC_CAL_OK;
	until = (HAS(step->ended) && step->ended < t) ? step->ended : t;
	if (until <= step->deadline)
		return TTHC_CAL_OK;

	st = tthc_working_time_between(cal, step->deadline, until, &work);
	if (st != TTHC_CAL_OK)
		return st;
	days = (work + cal->day_len - 1) / cal->day_len;
	if (days < 1)
		days = 1;
	if (days > INT32_MAX)
		days = INT32_MAX;
	out->late = true;
	out->days_late = (int32_t) days;
	out->work_late = work;
	return TTHC_CAL_OK;
}

/*
 * tthc_step_at_fault
 *		The late step with the most working days late, the earliest seq
 *		among equals (the first in steps[] among equal seqs), or -1.
 */
TthcCalStatus
tthc_step_at_fault(const TthcCalendar *cal, const TthcStepIn *steps, int n, int64_t t,
				   int *at_fault, TthcStepLateness *lateness)
{
	TthcStepLateness best = {false, 0, 0};
	int			best_i = -1;

	for (int i = 0; i < n; i++)
	{
		TthcStepLateness l;
		TthcCalStatus st = tthc_step_lateness(cal, &steps[i], t, &l);

		if (st != TTHC_CAL_OK)
			return st;
		if (!l.late)
			continue;
		if (best_i < 0 || l.days_late > best.days_late ||
			(l.days_late == best.days_late && steps[i].seq < steps[best_i].seq))
		{
			best = l;
			best_i = i;
		}
	}
	*at_fault = best_i;
	if (lateness != NULL)
		*lateness = best;
	return TTHC_CAL_OK;
}
