/*
 * test_feedback.c
 *		Unit tests of feedback (PAKN) validation, classification and
 *		counters (src/core/feedback.c): criteria 5.1, 5.2 and 5.4, each
 *		limit at, just before and just after its bound, over a weekend, a
 *		holiday and Tết, worked out by hand on the fixture's calendar.
 */
#include "tap.h"
#include "fixture.h"
#include "../../src/core/feedback.h"

#include <string.h>

#define NO TTHC_NO_TIME
#define HAS(t) ((t) != TTHC_NO_TIME)
#define MIN (60 * TTHC_USECS_PER_SEC)

/*
 * Received Mon 23/11/2026 09:00, open.  Its limits, by hand (no holiday in
 * late 2026 after 2/9): refuse by Wed 25/11 09:00; supplement by Mon 30/11
 * 09:00 (over the weekend 28-29/11); handle by Mon 14/12 09:00 (5 wd to
 * Mon 30/11, 10 to Mon 7/12, 15 to Mon 14/12).
 */
static TthcFeedbackIn
base(void)
{
	TthcFeedbackIn f;

	memset(&f, 0, sizeof(f));
	f.received = at(2026, 11, 23, 9, 0);
	f.transferred = f.refused = f.supplement_requested = f.handled = f.published = NO;
	return f;
}

static TthcFeedbackClass
classify(const TthcFeedbackIn *f)
{
	TthcFeedbackClass cl;
	TthcCalStatus st = tthc_feedback_classify(&cal, f, &cl);

	if (st != TTHC_CAL_OK)
		ok(0, "classification failed with status %d", (int) st);
	return cl;
}

static int64_t
counter(const TthcFeedbackClass *cl, int64_t t, TthcCounterId id)
{
	TthcCounters c;

	tthc_feedback_counters_at(cl, t, &c);
	return c.v[id];
}

/* never late, at any time */
static bool
never_late(const TthcFeedbackClass *cl)
{
	return cl->received && !HAS(cl->late_from) && cl->late_limit == TTHC_FL_NONE &&
		!tthc_feedback_late_at(cl, at(2027, 12, 1, 0, 0));
}

/* late from exactly lf because of limit which: not at lf, yes just after */
static bool
late_from(const TthcFeedbackClass *cl, int64_t lf, TthcFeedbackLimit which)
{
	return cl->late_from == lf && cl->late_limit == which &&
		!tthc_feedback_late_at(cl, lf) && tthc_feedback_late_at(cl, lf + 1);
}

static bool
check_is(const TthcFeedbackIn *f, TthcFeedbackFault fault, const char *field, const char *other)
{
	TthcFeedbackCheck r = tthc_feedback_check(f);

	if (r.fault != fault)
		return false;
	if (fault == TTHC_FF_OK)
		return true;
	if (r.field == NULL || strcmp(r.field, field) != 0)
		return false;
	if (other == NULL)
		return r.other == NULL;
	return r.other != NULL && strcmp(r.other, other) == 0;
}

/*
 * The rules restated independently, as in the header: each limit that binds
 * is judged at min(event, T); a pending event at T.  Used by the property
 * loop against late_from < T.
 */
static bool
late_ref(const TthcFeedbackIn *f, const TthcFeedbackClass *cl, int64_t t)
{
#define AT(e) ((HAS(e) && (e) < t) ? (e) : t)
	if (HAS(f->supplement_requested) && f->supplement_requested > cl->supplement_by &&
		AT(f->supplement_requested) > cl->supplement_by)
		return true;
	if (HAS(f->refused))
		return f->refused > cl->refuse_by && AT(f->refused) > cl->refuse_by;
	if (HAS(f->handled))
	{
		if (f->handled > cl->handle_by)
			return AT(f->handled) > cl->handle_by;
		if (HAS(f->published) && f->published <= cl->publish_by)
			return false;
		return AT(f->published) > cl->publish_by;
	}
	return t > cl->handle_by;
#undef AT
}

int
main(void)
{
	TthcFeedbackIn f;
	TthcFeedbackClass cl;
	int64_t		far = at(2027, 12, 1, 0, 0);
	int64_t		r_by = at(2026, 11, 25, 9, 0);
	int64_t		q_by = at(2026, 11, 30, 9, 0);
	int64_t		h_by = at(2026, 12, 14, 9, 0);

	build_calendar();

	/* the limits, by hand */
	f = base();
	cl = classify(&f);
	ok(cl.received && cl.start == f.received && cl.received_day == tthc_day_from_civil(2026, 11, 23),
	   "received Mon 23/11 09:00: counted, the clock starts at receipt");
	ok(cl.refuse_by == r_by, "refuse by: 2 wd, Wed 25/11 09:00");
	ok(cl.supplement_by == q_by, "supplement by: 5 wd over the weekend, Mon 30/11 09:00");
	ok(cl.handle_by == h_by, "handle by: 15 wd, Mon 14/12 09:00");
	ok(cl.publish_by == NO, "no publication limit before handling");

	/* open items become late when the handling limit passes */
	ok(late_from(&cl, h_by, TTHC_FL_HANDLING), "open: late from Mon 14/12 09:00, not at it, just after it");
	ok(!tthc_feedback_late_at(&cl, at(2026, 11, 27, 9, 0)),
	   "open past the refusal limit: not late (it may still be handled)");
	ok(!tthc_feedback_late_at(&cl, at(2026, 12, 1, 9, 0)),
	   "open past the supplement limit without a request: not late (requests are optional)");
	ok(counter(&cl, h_by, TTHC_C_fb_late) == 0 && counter(&cl, h_by + 1, TTHC_C_fb_late) == 1,
	   "fb_late turns 1 just after the handling limit, with no row written");
	ok(cl.base.v[TTHC_C_fb_ended] == 0 && cl.base.v[TTHC_C_fb_received] == 1, "open: received, not ended");

	/* refusal: judged on the refusal, 2 wd */
	f = base();
	f.refused = r_by;
	cl = classify(&f);
	ok(never_late(&cl) && cl.base.v[TTHC_C_fb_ended] == 1, "refused exactly at 2 wd: on time, ended");
	f.refused = r_by - MIN;
	cl = classify(&f);
	ok(never_late(&cl), "refused a minute before 2 wd: on time");
	f.refused = r_by + MIN;
	cl = classify(&f);
	ok(late_from(&cl, r_by, TTHC_FL_REFUSAL), "refused a minute after 2 wd: late from the refusal limit");
	ok(tthc_feedback_late_at(&cl, far) && cl.base.v[TTHC_C_fb_ended] == 1,
	   "a late refusal stays late; still ended");
	f.refused = at(2026, 12, 10, 9, 0);
	cl = classify(&f);
	ok(late_from(&cl, r_by, TTHC_FL_REFUSAL),
	   "refused within 15 wd but after 2 wd: late, the handling limit does not apply to a refusal");

	/* first supplement request: 5 wd, over the weekend */
	f = base();
	f.supplement_requested = q_by;
	f.handled = at(2026, 12, 1, 10, 0);
	f.published = at(2026, 12, 2, 10, 0);
	cl = classify(&f);
	ok(never_late(&cl), "supplement requested exactly at 5 wd (Mon 30/11 09:00), handled and published: on time");
	f.supplement_requested = q_by - MIN;
	cl = classify(&f);
	ok(never_late(&cl), "supplement requested a minute before 5 wd: on time");
	f.supplement_requested = q_by + MIN;
	cl = classify(&f);
	ok(late_from(&cl, q_by, TTHC_FL_SUPPLEMENT),
	   "supplement requested a minute after 5 wd: late from the supplement limit, though handled in time");
	f.supplement_requested = at(2026, 11, 28, 10, 0);
	cl = classify(&f);
	ok(never_late(&cl), "supplement requested on Saturday 28/11: before the limit, on time");
	f = base();
	f.supplement_requested = at(2026, 12, 3, 9, 0);
	cl = classify(&f);
	ok(late_from(&cl, q_by, TTHC_FL_SUPPLEMENT),
	   "open, late supplement request: late from the supplement limit, before the handling limit");
	f = base();
	f.supplement_requested = at(2026, 11, 24, 9, 0);
	cl = classify(&f);
	ok(late_from(&cl, h_by, TTHC_FL_HANDLING),
	   "a timely supplement request does not stop the handling clock");

	/* handling: 15 wd */
	f = base();
	f.handled = h_by;
	f.published = h_by + TTHC_USECS_PER_HOUR;
	cl = classify(&f);
	ok(never_late(&cl) && cl.base.v[TTHC_C_fb_ended] == 1, "handled exactly at 15 wd, published an hour later: on time");
	f.handled = h_by - MIN;
	f.published = h_by;
	cl = classify(&f);
	ok(never_late(&cl), "handled a minute before 15 wd: on time");
	f.handled = h_by + MIN;
	f.published = h_by + TTHC_USECS_PER_HOUR;
	cl = classify(&f);
	ok(late_from(&cl, h_by, TTHC_FL_HANDLING), "handled a minute after 15 wd: late from the handling limit");

	/* publication: 2 wd after handling, over the weekend */
	{
		int64_t		h = at(2026, 11, 27, 15, 0);	/* Fri */
		int64_t		p_by = at(2026, 12, 1, 15, 0);	/* Mon 30/11 15:00 is 1, Tue 1/12 15:00 is 2 */

		f = base();
		f.handled = h;
		cl = classify(&f);
		ok(cl.publish_by == p_by, "handled Fri 27/11 15:00: publish by Tue 1/12 15:00");
		ok(cl.base.v[TTHC_C_fb_ended] == 1 && late_from(&cl, p_by, TTHC_FL_PUBLICATION),
		   "handled, not published: ended, late from the publication limit, not at it, just after");
		ok(!tthc_feedback_late_at(&cl, at(2026, 11, 30, 17, 0)),
		   "handled, not published, Mon 17:00: not yet late");
		f.published = p_by;
		cl = classify(&f);
		ok(never_late(&cl), "published exactly 2 wd after handling: on time");
		f.published = p_by - MIN;
		cl = classify(&f);
		ok(never_late(&cl), "published a minute before: on time");
		f.published = p_by + MIN;
		cl = classify(&f);
		ok(late_from(&cl, p_by, TTHC_FL_PUBLICATION), "published a minute after: late from the publication limit");
		f.published = at(2026, 11, 28, 9, 0);
		cl = classify(&f);
		ok(never_late(&cl), "published on Saturday: on time");
	}

	/* a holiday: 27/4 (in lieu of Hùng Kings' day), 30/4, 1/5 of 2026 */
	{
		f = base();
		f.received = at(2026, 4, 24, 10, 0);	/* Fri */
		cl = classify(&f);
		ok(cl.refuse_by == at(2026, 4, 29, 10, 0),
		   "received Fri 24/4 10:00: refuse by Wed 29/4 10:00 (Mon 27/4 is a day off)");
		ok(cl.supplement_by == at(2026, 5, 6, 10, 0),
		   "supplement by Wed 6/5 10:00 (30/4, 1/5 and the weekend skipped)");
		ok(cl.handle_by == at(2026, 5, 20, 10, 0), "handle by Wed 20/5 10:00");
		f.refused = at(2026, 4, 29, 10, 0);
		cl = classify(&f);
		ok(never_late(&cl), "refused Wed 29/4 10:00: exactly on time over the day off");
		f.refused = at(2026, 4, 29, 10, 1);
		cl = classify(&f);
		ok(late_from(&cl, at(2026, 4, 29, 10, 0), TTHC_FL_REFUSAL), "refused Wed 29/4 10:01: late");

		f = base();
		f.received = at(2026, 4, 24, 10, 0);
		f.handled = at(2026, 4, 29, 14, 0);
		cl = classify(&f);
		ok(cl.publish_by == at(2026, 5, 5, 14, 0),
		   "handled Wed 29/4 14:00: publish by Tue 5/5 14:00 (30/4, 1/5, the weekend skipped)");
		f.published = at(2026, 5, 5, 14, 0);
		cl = classify(&f);
		ok(never_late(&cl), "published Tue 5/5 14:00: on time");
		f.published = at(2026, 5, 5, 14, 1);
		cl = classify(&f);
		ok(late_from(&cl, at(2026, 5, 5, 14, 0), TTHC_FL_PUBLICATION), "published Tue 5/5 14:01: late");
	}

	/* Tết 2026: 16/2 to 20/2 off */
	f = base();
	f.received = at(2026, 2, 13, 16, 0);	/* Fri */
	cl = classify(&f);
	ok(cl.refuse_by == at(2026, 2, 24, 16, 0),
	   "received Fri 13/2 16:00 before Tết: refuse by Tue 24/2 16:00");

	/* receipt after the cut-off or on a non-working day */
	f = base();
	f.received = at(2026, 11, 27, 18, 0);	/* Fri after 17:00 */
	cl = classify(&f);
	ok(cl.refuse_by == at(2026, 12, 1, 17, 0),
	   "received Fri 27/11 18:00: counts from Mon 07:00, refuse by Tue 1/12 17:00");
	f.received = at(2026, 11, 28, 10, 0);	/* Sat */
	cl = classify(&f);
	ok(cl.refuse_by == at(2026, 12, 1, 17, 0) && cl.received_day == tthc_day_from_civil(2026, 11, 28),
	   "received Sat 28/11: the same limit, keyed by Saturday");

	/* transfers restart the clock */
	{
		int64_t		tr = at(2026, 11, 26, 14, 0);	/* Thu */

		f = base();
		f.transferred = tr;
		cl = classify(&f);
		ok(cl.start == tr && cl.refuse_by == at(2026, 11, 30, 14, 0) &&
		   cl.supplement_by == at(2026, 12, 3, 14, 0) && cl.handle_by == at(2026, 12, 17, 14, 0),
		   "transferred Thu 26/11 14:00: limits Mon 30/11, Thu 3/12, Thu 17/12 14:00");
		ok(late_from(&cl, at(2026, 12, 17, 14, 0), TTHC_FL_HANDLING),
		   "transferred and open: late from the new handling limit");
		f.handled = at(2026, 12, 17, 14, 0);
		f.published = at(2026, 12, 18, 9, 0);
		cl = classify(&f);
		ok(never_late(&cl), "handled Thu 17/12 14:00 after the transfer: on time");
		f.transferred = NO;
		cl = classify(&f);
		ok(late_from(&cl, h_by, TTHC_FL_HANDLING), "the same row without the transfer: late from Mon 14/12 09:00");
		f = base();
		f.transferred = tr;
		f.refused = at(2026, 11, 30, 14, 0);
		cl = classify(&f);
		ok(never_late(&cl), "refused by the new handler at its 2 wd: on time (the old limit was Wed 25/11)");
		f = base();
		f.supplement_requested = at(2026, 11, 24, 9, 0);
		f.transferred = tr;
		ok(tthc_feedback_check(&f).fault == TTHC_FF_OK,
		   "a supplement request by the previous handler, before the transfer, is accepted");
		cl = classify(&f);
		ok(late_from(&cl, at(2026, 12, 17, 14, 0), TTHC_FL_HANDLING),
		   "and is within its limit (it precedes the clock start)");
	}

	/* 5.2: unsatisfied, raised again, late: each item once */
	f = base();
	f.likes = 1;
	f.dislikes = 2;
	cl = classify(&f);
	ok(cl.unsatisfied && cl.base.v[TTHC_C_fb_unsatisfied] == 1 &&
	   counter(&cl, at(2026, 11, 24, 9, 0), TTHC_C_fb_late_or_unsatisfied) == 1,
	   "more dislikes than likes: unsatisfied, bad before it is late");
	ok(counter(&cl, far, TTHC_C_fb_late) == 1 && counter(&cl, far, TTHC_C_fb_late_or_unsatisfied) == 1,
	   "unsatisfied and late: counted once");
	f.raised_again = true;
	cl = classify(&f);
	ok(counter(&cl, far, TTHC_C_fb_late_or_unsatisfied) == 1 && cl.base.v[TTHC_C_fb_unsatisfied] == 1,
	   "disliked, raised again and late: still counted once");
	f = base();
	f.likes = 2;
	f.dislikes = 2;
	cl = classify(&f);
	ok(!cl.unsatisfied && counter(&cl, at(2026, 11, 24, 9, 0), TTHC_C_fb_late_or_unsatisfied) == 0,
	   "as many dislikes as likes: not unsatisfied");
	ok(counter(&cl, h_by + 1, TTHC_C_fb_late_or_unsatisfied) == 1, "but bad once late");
	f.raised_again = true;
	cl = classify(&f);
	ok(cl.unsatisfied && counter(&cl, at(2026, 11, 24, 9, 0), TTHC_C_fb_late_or_unsatisfied) == 1,
	   "raised again: unsatisfied");
	f = base();
	f.dislikes = 5;
	f.likes = 1;
	f.refused = r_by;
	cl = classify(&f);
	ok(never_late(&cl) && counter(&cl, far, TTHC_C_fb_late_or_unsatisfied) == 1 &&
	   counter(&cl, far, TTHC_C_fb_late) == 0, "on time but disliked: bad, not late");

	/* 5.4: categories */
	f = base();
	f.category = TTHC_FB_CAT_RULES;
	cl = classify(&f);
	ok(cl.base.v[TTHC_C_fb_rules] == 1 && cl.base.v[TTHC_C_fb_staff] == 0, "category rules");
	f.category = TTHC_FB_CAT_STAFF;
	cl = classify(&f);
	ok(cl.base.v[TTHC_C_fb_rules] == 0 && cl.base.v[TTHC_C_fb_staff] == 1, "category staff");
	f.category = TTHC_FB_CAT_NONE;
	cl = classify(&f);
	ok(cl.base.v[TTHC_C_fb_rules] == 0 && cl.base.v[TTHC_C_fb_staff] == 0, "no category");

	/* feedback touches no dossier counter, and no receipt counts for nothing */
	{
		TthcCounters c, eb, el;
		int32_t		lday = 0;
		bool		clean = true;

		f = base();
		f.category = TTHC_FB_CAT_RULES;
		f.dislikes = 3;
		cl = classify(&f);
		tthc_feedback_counters_at(&cl, far, &c);
		for (int i = 0; i < TTHC_NCOUNTERS; i++)
			if (strncmp(tthc_counter_names[i], "fb_", 3) != 0 && c.v[i] != 0)
				clean = false;
		ok(clean, "an item sets only fb_ counters");
		ok(tthc_counter_lookup("fb_late_or_unsatisfied") == TTHC_C_fb_late_or_unsatisfied &&
		   tthc_counter_lookup("elapsed_usecs") == TTHC_C_fb_received - 1,
		   "feedback counters are appended after elapsed_usecs");
		f.received = NO;
		cl = classify(&f);
		ok(!cl.received && tthc_counters_is_zero(&cl.base) &&
		   tthc_feedback_entries(&cl, &eb, &lday, &el) == 0 && counter(&cl, far, TTHC_C_fb_late) == 0,
		   "without a receipt time: counts for nothing, no entries");
	}

	/* entries, by hand */
	{
		TthcCounters eb, el;
		int32_t		lday = 0;

		f = base();
		f.dislikes = 1;
		cl = classify(&f);
		ok(tthc_feedback_entries(&cl, &eb, &lday, &el) == 2 &&
		   lday == tthc_day_from_civil(2026, 12, 14) &&
		   eb.v[TTHC_C_fb_received] == 1 && eb.v[TTHC_C_fb_late] == 0 &&
		   eb.v[TTHC_C_fb_late_or_unsatisfied] == 1 &&
		   el.v[TTHC_C_fb_late] == 1 && el.v[TTHC_C_fb_late_or_unsatisfied] == 0 &&
		   el.v[TTHC_C_fb_received] == 0,
		   "open, disliked: base entry bad already, late entry keyed Mon 14/12 adds only fb_late");
		f = base();
		f.refused = r_by;
		cl = classify(&f);
		ok(tthc_feedback_entries(&cl, &eb, &lday, &el) == 1 && eb.v[TTHC_C_fb_ended] == 1,
		   "refused on time: one entry");
	}

	/* validation: bad input refused with the field named */
	f = base();
	ok(check_is(&f, TTHC_FF_OK, NULL, NULL), "the base item is valid");
	f.category = 3;
	ok(check_is(&f, TTHC_FF_BAD_VALUE, "category", NULL), "category 3 is refused");
	f = base();
	f.likes = -1;
	ok(check_is(&f, TTHC_FF_BAD_VALUE, "likes", NULL), "negative likes are refused");
	f = base();
	f.dislikes = -2;
	ok(check_is(&f, TTHC_FF_BAD_VALUE, "dislikes", NULL), "negative dislikes are refused");
	f = base();
	f.received = NO;
	ok(check_is(&f, TTHC_FF_MISSING, "received_at", NULL), "received_at is required");
	f = base();
	f.transferred = f.received - MIN;
	ok(check_is(&f, TTHC_FF_BEFORE, "transferred_at", "received_at"), "transfer before receipt");
	f = base();
	f.refused = f.received - MIN;
	ok(check_is(&f, TTHC_FF_BEFORE, "refused_at", "received_at"), "refusal before receipt");
	f = base();
	f.supplement_requested = f.received - MIN;
	ok(check_is(&f, TTHC_FF_BEFORE, "supplement_requested_at", "received_at"), "supplement before receipt");
	f = base();
	f.handled = f.received - MIN;
	ok(check_is(&f, TTHC_FF_BEFORE, "handled_at", "received_at"), "handling before receipt");
	f = base();
	f.handled = at(2026, 11, 24, 9, 0);
	f.published = f.received - MIN;
	ok(check_is(&f, TTHC_FF_BEFORE, "published_at", "received_at"), "publication before receipt");
	f = base();
	f.transferred = at(2026, 11, 25, 9, 0);
	f.handled = at(2026, 11, 24, 9, 0);
	ok(check_is(&f, TTHC_FF_BEFORE, "handled_at", "transferred_at"), "handling before the latest transfer");
	f = base();
	f.transferred = at(2026, 11, 25, 9, 0);
	f.refused = at(2026, 11, 24, 9, 0);
	ok(check_is(&f, TTHC_FF_BEFORE, "refused_at", "transferred_at"), "refusal before the latest transfer");
	f = base();
	f.published = at(2026, 11, 24, 9, 0);
	ok(check_is(&f, TTHC_FF_NEEDS, "handled_at", "published_at"), "publication without handling");
	f = base();
	f.handled = at(2026, 11, 25, 9, 0);
	f.published = at(2026, 11, 24, 9, 0);
	ok(check_is(&f, TTHC_FF_BEFORE, "published_at", "handled_at"), "published before handled");
	f = base();
	f.supplement_requested = at(2026, 11, 25, 9, 0);
	f.handled = at(2026, 11, 24, 9, 0);
	ok(check_is(&f, TTHC_FF_BEFORE, "handled_at", "supplement_requested_at"), "handled before the supplement request");
	f = base();
	f.supplement_requested = at(2026, 11, 25, 9, 0);
	f.refused = at(2026, 11, 24, 9, 0);
	ok(check_is(&f, TTHC_FF_BEFORE, "refused_at", "supplement_requested_at"), "refused before the supplement request");
	f = base();
	f.refused = at(2026, 11, 24, 9, 0);
	f.handled = at(2026, 11, 24, 10, 0);
	ok(check_is(&f, TTHC_FF_EXCLUSIVE, "refused_at", "handled_at"), "refused and handled both");
	f = base();
	f.transferred = f.received;
	f.refused = f.handled = NO;
	f.supplement_requested = f.received;
	f.likes = f.dislikes = 0;
	ok(check_is(&f, TTHC_FF_OK, NULL, NULL), "equal instants are allowed");
	ok(tthc_feedback_category_parse("rules") == TTHC_FB_CAT_RULES &&
	   tthc_feedback_category_parse("staff") == TTHC_FB_CAT_STAFF &&
	   tthc_feedback_category_parse(NULL) == TTHC_FB_CAT_NONE &&
	   tthc_feedback_category_parse("Rules") == -1 && tthc_feedback_category_parse("") == -1,
	   "category names: rules, staff, NULL; anything else refused");
	f = base();
	f.category = tthc_feedback_category_parse("other");
	ok(check_is(&f, TTHC_FF_BAD_VALUE, "category", NULL), "an unknown category name is refused by the check");
	ok(strcmp(tthc_feedback_limit_name(TTHC_FL_PUBLICATION), "publication") == 0 &&
	   tthc_feedback_limit_name(TTHC_FL_NONE) == NULL, "limit names");

	/* a limit past the calendar is reported */
	{
		TthcFeedbackClass c2;

		f = base();
		f.received = at(2027, 12, 28, 9, 0);
		ok(tthc_feedback_classify(&cal, &f, &c2) == TTHC_CAL_OUT_OF_RANGE,
		   "a handling limit beyond the calendar: out of range");
	}

	/* properties over random items at many evaluation times */
	{
		unsigned	seed = 5150;
		int			bad = 0;
		int			tested = 0;
		int			late_seen = 0;

		for (int i = 0; i < 20000; i++)
		{
			int64_t		s;
			TthcCounters prev;

#define RND(n) ((seed = seed * 1103515245u + 12345u), (int) ((seed >> 8) % (unsigned) (n)))
#define HOURS(n) ((int64_t) (n) * TTHC_USECS_PER_HOUR)
			f = base();
			f.received = at(2026, 1, 1, 0, 0) + (int64_t) RND(330 * 24 * 60) * MIN;
			f.transferred = RND(4) == 0 ? f.received + HOURS(RND(10 * 24)) : NO;
			s = HAS(f.transferred) ? f.transferred : f.received;
			f.category = RND(3);
			f.likes = RND(4);
			f.dislikes = RND(4);
			f.raised_again = RND(5) == 0;
			if (RND(3) == 0)
				f.supplement_requested = f.received + HOURS(RND(14 * 24));
			switch (RND(3))
			{
				case 0:
					f.refused = s + HOURS(RND(8 * 24));
					break;
				case 1:
					f.handled = s + HOURS(RND(30 * 24));
					if (RND(4) != 0)
						f.published = f.handled + HOURS(RND(7 * 24));
					break;
				default:
					break;
			}
			if (tthc_feedback_check(&f).fault != TTHC_FF_OK)
				continue;
			cl = classify(&f);
			tested++;
			tthc_counters_zero(&prev);
			for (int k = 0; k < 12; k++)
			{
				TthcCounters c, eb, el, sum;
				int32_t		lday = 0;
				int			n;
				int64_t		t;

				/* spread over the item's life, and exactly around late_from */
				if (k < 9)
					t = f.received + HOURS(k * k * 24) + (int64_t) RND(600) * MIN;
				else
					t = HAS(cl.late_from) ? cl.late_from + (k - 10) : f.received + k;
				if (k == 9)
					tthc_counters_zero(&prev);
				tthc_feedback_counters_at(&cl, t, &c);
				if (c.v[TTHC_C_fb_late] != (late_ref(&f, &cl, t) ? 1 : 0))
					bad++;		/* late_from < t is the rule, judged limit by limit */
				if (c.v[TTHC_C_fb_late_or_unsatisfied] != (c.v[TTHC_C_fb_late] || cl.unsatisfied))
					bad++;
				if (c.v[TTHC_C_fb_late] < prev.v[TTHC_C_fb_late])
					bad++;		/* lateness never goes away with time */
				if (c.v[TTHC_C_fb_rules] + c.v[TTHC_C_fb_staff] > c.v[TTHC_C_fb_received] ||
					c.v[TTHC_C_fb_ended] != (HAS(f.refused) || HAS(f.handled)))
					bad++;
				late_seen += (int) c.v[TTHC_C_fb_late];
				prev = c;

				n = tthc_feedback_entries(&cl, &eb, &lday, &el);
				tthc_counters_zero(&sum);
				if (n >= 1)
					tthc_counters_add(&sum, &eb, 1);
				if (n == 2 && cl.late_from < t)
					tthc_counters_add(&sum, &el, 1);
				if (memcmp(&sum, &c, sizeof(sum)) != 0)
					bad++;		/* the tally entries add up to the counters at t */
				if (n != (HAS(cl.late_from) ? 2 : 1))
					bad++;
				if (n == 2 && lday != tthc_local_day(cl.late_from))
					bad++;
			}
		}
		ok(bad == 0 && tested > 15000 && late_seen > 0,
		   "%d random items at 12 times each: late exactly after late_from by the rules limit by limit, "
		   "only more late with time, entries add up to counters_at (%d bad)", tested, bad);
	}

	free_calendar();
	return tap_done();
}
