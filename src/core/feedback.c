/*
 * feedback.c
 *		Validation and classification of a feedback item (PAKN), for
 *		criteria 5.1, 5.2 and 5.4.
 *
 * The rules, and why an item has a single instant late_from, are in the
 * header.  In short: each limit that binds is judged at min(event, T), so
 * a broken or pending limit L makes the item late for every T > L, and
 * late_from is the earliest such L.
 */
#include "feedback.h"

#include <string.h>

#define HAS(t) ((t) != TTHC_NO_TIME)

/* later must not be before earlier (both set) */
#define CHECK_ORDER(later, earlier, lname, ename) \
	do { \
		if (HAS(later) && HAS(earlier) && (later) < (earlier)) \
		{ \
			r.fault = TTHC_FF_BEFORE; r.field = (lname); r.other = (ename); \
			return r; \
		} \
	} while (0)

/*
 * tthc_feedback_category_parse
 *		The category code of tthc.feedback.category, so the glue and the
 *		core agree on the two names; -1 for anything else.
 */
int
tthc_feedback_category_parse(const char *name)
{
	if (name == NULL)
		return TTHC_FB_CAT_NONE;
	if (strcmp(name, "rules") == 0)
		return TTHC_FB_CAT_RULES;
	if (strcmp(name, "staff") == 0)
		return TTHC_FB_CAT_STAFF;
	return -1;
}

/*
 * tthc_feedback_check
 *		The first rule an item breaks, naming the SQL column, or TTHC_FF_OK.
 *
 * The table has CHECK constraints too, but the core is also fed by sync
 * payloads and ad-hoc calls, so it trusts nothing.
 */
TthcFeedbackCheck
tthc_feedback_check(const TthcFeedbackIn *in)
{
	TthcFeedbackCheck r = {TTHC_FF_OK, NULL, NULL};

	if (in->category < TTHC_FB_CAT_NONE || in->category > TTHC_FB_CAT_STAFF)
	{
		r.fault = TTHC_FF_BAD_VALUE;
		r.field = "category";
		return r;
	}
	if (in->likes < 0)
	{
		r.fault = TTHC_FF_BAD_VALUE;
		r.field = "likes";
		return r;
	}
	if (in->dislikes < 0)
	{
		r.fault = TTHC_FF_BAD_VALUE;
		r.field = "dislikes";
		return r;
	}
	if (!HAS(in->received))
	{
		r.fault = TTHC_FF_MISSING;
		r.field = "received_at";
		return r;
	}

	CHECK_ORDER(in->transferred, in->received, "transferred_at", "received_at");
	CHECK_ORDER(in->refused, in->received, "refused_at", "received_at");
	CHECK_ORDER(in->supplement_requested, in->received, "supplement_requested_at", "received_at");
	CHECK_ORDER(in->handled, in->received, "handled_at", "received_at");
	CHECK_ORDER(in->published, in->received, "published_at", "received_at");
	/* an outcome belongs to the latest handler: not before the latest transfer */
	CHECK_ORDER(in->refused, in->transferred, "refused_at", "transferred_at");
	CHECK_ORDER(in->handled, in->transferred, "handled_at", "transferred_at");
	CHECK_ORDER(in->published, in->transferred, "published_at", "transferred_at");

	if (HAS(in->published) && !HAS(in->handled))
	{
		r.fault = TTHC_FF_NEEDS;
		r.field = "handled_at";
		r.other = "published_at";
		return r;
	}
	CHECK_ORDER(in->published, in->handled, "published_at", "handled_at");
	CHECK_ORDER(in->handled, in->supplement_requested, "handled_at", "supplement_requested_at");
	CHECK_ORDER(in->refused, in->supplement_requested, "refused_at", "supplement_requested_at");

	if (HAS(in->refused) && HAS(in->handled))
	{
		r.fault = TTHC_FF_EXCLUSIVE;
		r.field = "refused_at";
		r.other = "handled_at";
		return r;
	}
	return r;
}

/*
 * tthc_feedback_limit_name
 *		The name of a limit, for tthc.explain's reasons.
 */
const char *
tthc_feedback_limit_name(TthcFeedbackLimit limit)
{
	switch (limit)
	{
		case TTHC_FL_REFUSAL:
			return "refusal";
		case TTHC_FL_SUPPLEMENT:
			return "supplement";
		case TTHC_FL_HANDLING:
			return "handling";
		case TTHC_FL_PUBLICATION:
			return "publication";
		default:
			return NULL;
	}
}

/*
 * limit_after
 *		from plus wd working days, by the due-date rule of SPEC §5 (a start
 *		after the cut-off or on a non-working day counts from the next
 *		working day's start), as a dossier's due time in working days.
 */
static TthcCalStatus
limit_after(const TthcCalendar *cal, int64_t from, int wd, int64_t *out)
{
	return tthc_add_working_time(cal, from, (double) wd, TTHC_UNIT_WORKING_DAY,
								 false, out);
}

/*
 * candidate
 *		A broken or pending limit: late_from is the earliest of them.
 */
static void
candidate(TthcFeedbackClass *out, int64_t limit, TthcFeedbackLimit which)
{
	if (!HAS(out->late_from) || limit < out->late_from)
	{
		out->late_from = limit;
		out->late_limit = which;
	}
}

/*
 * tthc_feedback_classify
 *		The limits of an item, from when it is late, and its counters
 *		without lateness.  Depends on the row only, never on the evaluation
 *		time: that enters through late_from.
 */
TthcCalStatus
tthc_feedback_classify(const TthcCalendar *cal, const TthcFeedbackIn *in,
					   TthcFeedbackClass *out)
{
	int64_t    *v = out->base.v;
	TthcCalStatus st;

	memset(out, 0, sizeof(*out));
	out->start = TTHC_NO_TIME;
	out->refuse_by = TTHC_NO_TIME;
	out->supplement_by = TTHC_NO_TIME;
	out->handle_by = TTHC_NO_TIME;
	out->publish_by = TTHC_NO_TIME;
	out->late_from = TTHC_NO_TIME;
	out->late_limit = TTHC_FL_NONE;

	if (!HAS(in->received))
		return TTHC_CAL_OK;

	out->received = true;
	out->received_day = tthc_local_day(in->received);
	out->start = HAS(in->transferred) ? in->transferred : in->received;
	out->ended = HAS(in->refused) || HAS(in->handled);
	out->unsatisfied = in->dislikes > in->likes || in->raised_again;

	v[TTHC_C_fb_received] = 1;
	v[TTHC_C_fb_rules] = (in->category == TTHC_FB_CAT_RULES);
	v[TTHC_C_fb_staff] = (in->category == TTHC_FB_CAT_STAFF);
	v[TTHC_C_fb_ended] = out->ended;
	v[TTHC_C_fb_unsatisfied] = out->unsatisfied;

	st = limit_after(cal, out->start, TTHC_FB_REFUSE_WD, &out->refuse_by);
	if (st != TTHC_CAL_OK)
		return st;
	st = limit_after(cal, out->start, TTHC_FB_SUPPLEMENT_WD, &out->supplement_by);
	if (st != TTHC_CAL_OK)
		return st;
	st = limit_after(cal, out->start, TTHC_FB_HANDLE_WD, &out->handle_by);
	if (st != TTHC_CAL_OK)
		return st;
	if (HAS(in->handled))
	{
		st = limit_after(cal, in->handled, TTHC_FB_PUBLISH_WD, &out->publish_by);
		if (st != TTHC_CAL_OK)
			return st;
	}

	/* the first supplement request, whatever the outcome */
	if (HAS(in->supplement_requested) && in->supplement_requested > out->supplement_by)
		candidate(out, out->supplement_by, TTHC_FL_SUPPLEMENT);

	/* the outcome, or the pending one */
	if (HAS(in->refused))
	{
		if (in->refused > out->refuse_by)
			candidate(out, out->refuse_by, TTHC_FL_REFUSAL);
	}
	else if (HAS(in->handled))
	{
		if (in->handled > out->handle_by)
			candidate(out, out->handle_by, TTHC_FL_HANDLING);
		else if (!HAS(in->published) || in->published > out->publish_by)
			candidate(out, out->publish_by, TTHC_FL_PUBLICATION);
	}
	else
		candidate(out, out->handle_by, TTHC_FL_HANDLING);

	return TTHC_CAL_OK;
}

/*
 * tthc_feedback_late_at
 *		Late at t: a limit broken before t.
 */
bool
tthc_feedback_late_at(const TthcFeedbackClass *cl, int64_t t)
{
	return cl->received && HAS(cl->late_from) && t > cl->late_from;
}

/*
 * tthc_feedback_counters_at
 *		What the item counts for when evaluated at t: the reference that
 *		the tally entries must add up to.
 */
void
tthc_feedback_counters_at(const TthcFeedbackClass *cl, int64_t t, TthcCounters *out)
{
	bool		late = tthc_feedback_late_at(cl, t);

	*out = cl->base;
	out->v[TTHC_C_fb_late] = late;
	out->v[TTHC_C_fb_late_or_unsatisfied] = cl->received && (late || cl->unsatisfied);
}

/*
 * tthc_feedback_entries
 *		The item's tally entries: lateness is a separate entry keyed by the
 *		day it starts, so a tally read at any T stays exact with no row
 *		written when an open item becomes late.
 */
int
tthc_feedback_entries(const TthcFeedbackClass *cl, TthcCounters *base,
					  int32_t *late_day, TthcCounters *late)
{
	if (!cl->received)
		return 0;
	*base = cl->base;
	base->v[TTHC_C_fb_late] = 0;
	base->v[TTHC_C_fb_late_or_unsatisfied] = cl->unsatisfied;
	if (!HAS(cl->late_from))
		return 1;
	tthc_counters_zero(late);
	late->v[TTHC_C_fb_late] = 1;
	late->v[TTHC_C_fb_late_or_unsatisfied] = !cl->unsatisfied;
	*late_day = tthc_local_day(cl->late_from);
	return 2;
}
