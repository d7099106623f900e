/*
 * dossier.c
 *		Validation and classification of a dossier (SPEC §4-§5).
 *
 * Lateness at an evaluation instant T: a dossier ending at E (or open) with
 * effective due time D is late at T when min(E, T) > D.  That is: never when
 * E <= D, and for every T > D otherwise.  So each dossier has one instant,
 * late_from, after which it is late: lateness changes with time alone, and
 * counting "late at T" is counting late_from < T, with no batch job.
 *
 * Supplement requests: the applicant's time (request R to re-submission S)
 * does not count, so D moves forward by the working time from R to S; while
 * waiting for the applicant the dossier is judged at R; more than one
 * request makes it late (from the latest request).  An apology with a new
 * appointment does not move D.
 */
#include "dossier.h"

#include <string.h>

#define HAS(t) ((t) != TTHC_NO_TIME)

/* field must not be before other (both set) */
#define CHECK_ORDER(later, earlier, lname, ename) \
	do { \
		if (HAS(later) && HAS(earlier) && (later) < (earlier)) \
		{ \
			r.fault = TTHC_DF_BEFORE; r.field = (lname); r.other = (ename); \
			return r; \
		} \
	} while (0)

TthcDossierCheck
tthc_dossier_check(const TthcDossierIn *in)
{
	TthcDossierCheck r = {TTHC_DF_OK, NULL, NULL};

	if (in->status < 1 || in->status > 10)
	{
		r.fault = TTHC_DF_BAD_VALUE;
		r.field = "status";
		return r;
	}
	if (in->channel < 0 || in->channel > 3)
	{
		r.fault = TTHC_DF_BAD_VALUE;
		r.field = "channel";
		return r;
	}
	if (in->paid_online < 0 || in->paid_online > 2)
	{
		r.fault = TTHC_DF_BAD_VALUE;
		r.field = "paid_online";
		return r;
	}
	if (in->rating != 0 && in->rating != 1 && in->rating != -1)
	{
		r.fault = TTHC_DF_BAD_VALUE;
		r.field = "rating";
		return r;
	}
	if (in->supplement_requests < 0)
	{
		r.fault = TTHC_DF_BAD_VALUE;
		r.field = "supplement_requests";
		return r;
	}

	CHECK_ORDER(in->received, in->submitted, "received_at", "submitted_at");
	CHECK_ORDER(in->due, in->received, "due_at", "received_at");
	CHECK_ORDER(in->finished, in->received, "finished_at", "received_at");
	CHECK_ORDER(in->returned, in->received, "returned_at", "received_at");
	CHECK_ORDER(in->returned, in->finished, "returned_at", "finished_at");
	CHECK_ORDER(in->ended, in->received, "ended_at", "received_at");
	CHECK_ORDER(in->ended, in->submitted, "ended_at", "submitted_at");
	CHECK_ORDER(in->supplement_requested, in->received, "supplement_requested_at", "received_at");
	CHECK_ORDER(in->supplement_received, in->supplement_requested,
				"supplement_received_at", "supplement_requested_at");

	if ((HAS(in->finished) || HAS(in->returned) || HAS(in->supplement_requested)) &&
		!HAS(in->received))
	{
		r.fault = TTHC_DF_NEEDS;
		r.field = "received_at";
		r.other = HAS(in->finished) ? "finished_at" :
			HAS(in->returned) ? "returned_at" : "supplement_requested_at";
		return r;
	}
	if (HAS(in->supplement_received) && !HAS(in->supplement_requested))
	{
		r.fault = TTHC_DF_NEEDS;
		r.field = "supplement_requested_at";
		r.other = "supplement_received_at";
		return r;
	}
	if (HAS(in->supplement_requested) && in->supplement_requests == 0)
	{
		r.fault = TTHC_DF_NEEDS;
		r.field = "supplement_requests";
		r.other = "supplement_requested_at";
		return r;
	}
	if (in->status == TTHC_ST_FINISHED && !HAS(in->finished))
	{
		r.fault = TTHC_DF_NEEDS_STATUS;
		r.field = "finished_at";
		return r;
	}
	if (in->status == TTHC_ST_RETURNED && !HAS(in->returned))
	{
		r.fault = TTHC_DF_NEEDS_STATUS;
		r.field = "returned_at";
		return r;
	}
	return r;
}

/* End instant by precedence: 9 > 10 > stop (8) and refusal (3); 7 if received. */
static int64_t
end_instant(const TthcDossierIn *in)
{
	if (HAS(in->finished))
		return in->finished;
	if (HAS(in->returned))
		return in->returned;
	if (HAS(in->ended) &&
		(in->status == TTHC_ST_REFUSED || in->status == TTHC_ST_STOPPED ||
		 (in->status == TTHC_ST_WITHDRAWN && HAS(in->received))))
		return in->ended;
	return TTHC_NO_TIME;
}

TthcCalStatus
tthc_dossier_classify(const TthcCalendar *cal, const TthcDossierIn *in, TthcDossierClass *out)
{
	int64_t    *v = out->base.v;
	int64_t		applicant_work = 0;		/* working time waiting for the applicant */
	int64_t		applicant_elapsed = 0;
	bool		waiting = false;
	TthcCalStatus st;

	memset(out, 0, sizeof(*out));
	out->end = TTHC_NO_TIME;
	out->due = TTHC_NO_TIME;
	out->late_from = TTHC_NO_TIME;

	/* never received: status 1, or no receipt time (status 3 refused at the door) */
	if (in->status == TTHC_ST_NEW || !HAS(in->received))
		return TTHC_CAL_OK;

	out->received = true;
	out->received_day = tthc_local_day(in->received);
	out->end = end_instant(in);
	out->unsatisfied = (in->rating == -1 || in->has_feedback);

	v[TTHC_C_received] = 1;
	if (HAS(in->synced))
	{
		v[TTHC_C_synced] = 1;
		v[TTHC_C_synced_with_fee] = in->fee_positive;
	}
	switch (in->channel)
	{
		case 2:
			v[TTHC_C_online] = 1;
			v[TTHC_C_online_e_result] = in->e_result;
			break;
		case 3:
			v[TTHC_C_postal] = 1;
			break;
		default:
			v[TTHC_C_in_person] = 1;
			break;
	}
	if (in->fee_positive)
	{
		v[TTHC_C_with_fee] = 1;
		v[TTHC_C_paid_online] = (in->paid_online == 1 || in->paid_online == 2);
		v[TTHC_C_paid_on_portal] = (in->paid_online == 1);
	}
	v[TTHC_C_e_result] = in->e_result;
	v[TTHC_C_digitized] = in->digitized;
	v[TTHC_C_digitized_e_result] = in->digitized && in->e_result;
	v[TTHC_C_e_certified_copy] = in->e_certified_copy;
	v[TTHC_C_reused_data] = in->reused_data;
	v[TTHC_C_personal_store] = in->personal_store;
	v[TTHC_C_population_db] = in->population_db;
	v[TTHC_C_rated] = (in->rating != 0);
	v[TTHC_C_rated_unsatisfied] = (in->rating == -1);
	v[TTHC_C_with_feedback] = in->has_feedback;
	v[TTHC_C_supplemented] = (in->supplement_requests >= 1);
	v[TTHC_C_supplemented_twice] = (in->supplement_requests >= 2);
	v[TTHC_C_no_time_limit] = !HAS(in->due);
	v[TTHC_C_ended] = HAS(out->end);
	v[TTHC_C_finished] = HAS(in->finished) || HAS(in->returned);

	/* the applicant's time, for one request answered */
	if (in->supplement_requests == 1 && HAS(in->supplement_requested))
	{
		if (HAS(in->supplement_received))
		{
			/* only the part of the applicant's time before the end counts */
			int64_t		s = in->supplement_received;

			if (HAS(out->end) && out->end < s)
				s = out->end;
			if (s > in->supplement_requested)
			{
				st = tthc_working_time_between(cal, in->supplement_requested, s,
											   &applicant_work);
				if (st != TTHC_CAL_OK)
					return st;
				applicant_elapsed = s - in->supplement_requested;
			}
		}
		else if (!HAS(out->end))
			waiting = true;
	}

	/* the effective due time, and from when the dossier is late */
	if (HAS(in->due))
	{
		st = tthc_add_work_usecs(cal, in->due, applicant_work, &out->due);
		if (st != TTHC_CAL_OK)
			return st;
	}
	if (in->supplement_requests >= 2)
		out->late_from = HAS(in->supplement_requested) ? in->supplement_requested : in->received;
	else if (!HAS(out->due))
		out->late_from = TTHC_NO_TIME;
	else if (waiting)
		/* judged at the request: late only if the request came after the due time */
		out->late_from = in->supplement_requested > out->due ? out->due : TTHC_NO_TIME;
	else if (HAS(out->end) && out->end <= out->due)
		out->late_from = TTHC_NO_TIME;
	else
		out->late_from = out->due;

	if (HAS(out->end) && !HAS(out->late_from))
	{
		v[TTHC_C_on_time] = 1;
		v[TTHC_C_early] = HAS(out->due) && out->end < out->due;
	}

	/* handling time of a finished dossier, without the applicant's time */
	if (v[TTHC_C_finished])
	{
		int64_t		work;

		st = tthc_working_time_between(cal, in->received, out->end, &work);
		if (st != TTHC_CAL_OK)
			return st;
		v[TTHC_C_work_usecs] = work - applicant_work;
		v[TTHC_C_elapsed_usecs] = (out->end - in->received) - applicant_elapsed;
	}
	return TTHC_CAL_OK;
}

bool
tthc_dossier_late_at(const TthcDossierClass *cl, int64_t t)
{
	return cl->received && HAS(cl->late_from) && t > cl->late_from;
}

void
tthc_dossier_counters_at(const TthcDossierClass *cl, int64_t t, TthcCounters *out)
{
	bool		late = tthc_dossier_late_at(cl, t);

	*out = cl->base;
	out->v[TTHC_C_late] = late;
	out->v[TTHC_C_late_or_unsatisfied] = cl->received && (late || cl->unsatisfied);
}

int
tthc_dossier_entries(const TthcDossierClass *cl, TthcCounters *base,
					 int32_t *late_day, TthcCounters *late)
{
	if (!cl->received)
		return 0;
	*base = cl->base;
	base->v[TTHC_C_late] = 0;
	base->v[TTHC_C_late_or_unsatisfied] = cl->unsatisfied;
	if (!HAS(cl->late_from))
		return 1;
	tthc_counters_zero(late);
	late->v[TTHC_C_late] = 1;
	late->v[TTHC_C_late_or_unsatisfied] = !cl->unsatisfied;
	*late_day = tthc_local_day(cl->late_from);
	return 2;
}
