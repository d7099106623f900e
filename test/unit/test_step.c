/*
 * test_step.c
 *		Unit tests of inter-agency steps (src/core/step.c): lateness, working
 *		days late and the step at fault, worked out by hand on the
 *		fixture's calendar.
 */
#include "tap.h"
#include "fixture.h"
#include "../../src/core/step.h"

#include <string.h>

#define NO TTHC_NO_TIME
#define HOURS(n) ((int64_t) (n) * TTHC_USECS_PER_HOUR)

/* Started Mon 23/11/2026 09:00, deadline Wed 25/11 17:00, open. */
static TthcStepIn
step(int seq)
{
	TthcStepIn s;

	memset(&s, 0, sizeof(s));
	s.seq = seq;
	s.started = at(2026, 11, 23, 9, 0);
	s.deadline = at(2026, 11, 25, 17, 0);
	s.ended = NO;
	return s;
}

static TthcStepLateness
lateness(const TthcStepIn *s, int64_t t)
{
	TthcStepLateness l;
	TthcCalStatus st = tthc_step_lateness(&cal, s, t, &l);

	if (st != TTHC_CAL_OK)
		ok(0, "lateness failed with status %d", (int) st);
	return l;
}

static bool
is_late(const TthcStepLateness *l, int32_t days, int64_t work)
{
	return l->late && l->days_late == days && l->work_late == work;
}

static bool
on_time(const TthcStepLateness *l)
{
	return !l->late && l->days_late == 0 && l->work_late == 0;
}

int
main(void)
{
	TthcStepIn s;
	TthcStepLateness l;
	int64_t		far = at(2027, 12, 1, 0, 0);

	build_calendar();

	/* ended: on time, at the deadline, late by 1, by N */
	s = step(1);
	s.ended = at(2026, 11, 25, 16, 0);
	l = lateness(&s, far);
	ok(on_time(&l), "ended an hour before the deadline: on time");
	s.ended = s.deadline;
	l = lateness(&s, far);
	ok(on_time(&l), "ended exactly at the deadline: on time");
	s.ended = at(2026, 11, 25, 17, 30);
	l = lateness(&s, far);
	ok(is_late(&l, 1, 0), "ended Wed 17:30, after hours: late by 1 though no working time passed");
	s.ended = at(2026, 11, 26, 8, 0);
	l = lateness(&s, far);
	ok(is_late(&l, 1, HOURS(1)), "ended Thu 08:00: 1 working hour late, 1 day");
	s.ended = at(2026, 11, 26, 17, 0);
	l = lateness(&s, far);
	ok(is_late(&l, 1, HOURS(8)), "ended Thu 17:00: one whole working day late, 1 day");
	s.ended = at(2026, 11, 27, 7, 1);
	l = lateness(&s, far);
	ok(is_late(&l, 2, HOURS(8) + 60 * TTHC_USECS_PER_SEC),
	   "ended Fri 07:01: 8 hours and a minute, a started second day counts, 2 days");
	s.ended = at(2026, 11, 30, 9, 0);
	l = lateness(&s, far);
	ok(is_late(&l, 3, HOURS(18)), "ended Mon 30/11 09:00 over the weekend: 8 + 8 + 2 hours, 3 days");

	/* across a holiday: 30/4 and 1/5/2026, then the weekend */
	s = step(1);
	s.started = at(2026, 4, 28, 9, 0);
	s.deadline = at(2026, 4, 29, 17, 0);	/* Wed */
	s.ended = at(2026, 5, 6, 12, 0);	/* Wed, at lunch */
	l = lateness(&s, far);
	ok(is_late(&l, 3, HOURS(20) + HOURS(1) / 2),
	   "deadline Wed 29/4 17:00, ended Wed 6/5 12:00: Mon 8 + Tue 8 + Wed 4.5 hours, 3 days");
	s.ended = at(2026, 5, 2, 10, 0);	/* Sat, holidays before */
	l = lateness(&s, far);
	ok(is_late(&l, 1, 0), "ended on Saturday after two holidays: no working time, late by 1");

	/* across Tết 2026 (16/2 to 20/2) */
	s = step(1);
	s.started = at(2026, 2, 10, 9, 0);
	s.deadline = at(2026, 2, 13, 17, 0);	/* Fri */
	s.ended = at(2026, 2, 24, 9, 0);	/* Tue */
	l = lateness(&s, far);
	ok(is_late(&l, 2, HOURS(10)), "deadline Fri 13/2 17:00, ended Tue 24/2 09:00 after Tết: 10 hours, 2 days");

	/* open: judged at T */
	s = step(1);
	l = lateness(&s, s.deadline);
	ok(on_time(&l), "open, T at the deadline: not late");
	l = lateness(&s, s.deadline + 1);
	ok(is_late(&l, 1, 0), "open, T a microsecond after the deadline (17:00): late by 1");
	l = lateness(&s, at(2026, 11, 30, 10, 0));
	ok(is_late(&l, 3, HOURS(19)), "open, T Mon 30/11 10:00: Thu 8 + Fri 8 + Mon 3 hours, 3 days");
	l = lateness(&s, at(2026, 11, 24, 10, 0));
	ok(on_time(&l), "open, T before the deadline: not late");

	/* ended late, judged at min(end, T) */
	s = step(1);
	s.ended = at(2026, 11, 30, 9, 0);
	l = lateness(&s, at(2026, 11, 26, 10, 0));
	ok(is_late(&l, 1, HOURS(3)), "ended late, T before its end: late by the time to T (3 hours, 1 day)");
	l = lateness(&s, at(2026, 11, 25, 12, 0));
	ok(on_time(&l), "ended late, T before the deadline: not yet late");
	s.ended = at(2026, 11, 25, 15, 0);
	l = lateness(&s, far);
	ok(on_time(&l), "ended before the deadline, T long after: on time");

	/* no deadline: never late */
	s = step(1);
	s.deadline = NO;
	l = lateness(&s, far);
	ok(on_time(&l), "open without a deadline: never late");

	/* the step at fault */
	{
		TthcStepIn steps[5];
		int			who = 99;

		steps[0] = step(3);		/* late 2 days: deadline Wed 25/11 17:00, ended Fri 27/11 10:00 */
		steps[0].ended = at(2026, 11, 27, 10, 0);
		steps[1] = step(1);		/* on time */
		steps[1].ended = at(2026, 11, 25, 10, 0);
		steps[2] = step(2);		/* late 2 days: ended Fri 27/11 16:00 */
		steps[2].ended = at(2026, 11, 27, 16, 0);
		steps[3] = step(4);		/* late 1 day: ended Thu 26/11 09:00 */
		steps[3].ended = at(2026, 11, 26, 9, 0);

		ok(tthc_step_at_fault(&cal, steps, 4, far, &who, &l) == TTHC_CAL_OK && who == 2 &&
		   is_late(&l, 2, HOURS(15)),
		   "seq 2 and seq 3 both 2 days late (15 and 11 hours): the earliest seq, 2, is at fault");
		steps[4] = step(5);		/* open, deadline Wed 25/11 17:00 */
		ok(tthc_step_at_fault(&cal, steps, 5, at(2026, 11, 30, 10, 0), &who, &l) == TTHC_CAL_OK &&
		   who == 4 && l.days_late == 3, "an open step 3 days late at T is at fault");
		ok(tthc_step_at_fault(&cal, steps, 5, at(2026, 11, 26, 9, 0), &who, NULL) == TTHC_CAL_OK &&
		   who == 2, "at T Thu 26/11 09:00 seqs 2-5 are each 1 day late (judged at T): seq 2");
		ok(tthc_step_at_fault(&cal, steps, 2, far, &who, &l) == TTHC_CAL_OK && who == 0 &&
		   l.days_late == 2, "only seq 3 late among two: seq 3");
		ok(tthc_step_at_fault(&cal, &steps[1], 1, far, &who, &l) == TTHC_CAL_OK && who == -1 &&
		   !l.late, "no late step: none at fault");
		ok(tthc_step_at_fault(&cal, steps, 0, far, &who, &l) == TTHC_CAL_OK && who == -1,
		   "no steps: none at fault");
	}

	/* validation and errors */
	{
		TthcStepCheck r;

		s = step(1);
		ok(tthc_step_check(&s).fault == TTHC_SF_OK, "the base step is valid");
		s.deadline = at(2026, 11, 22, 9, 0);
		r = tthc_step_check(&s);
		ok(r.fault == TTHC_SF_BEFORE && strcmp(r.field, "deadline_at") == 0 &&
		   strcmp(r.other, "started_at") == 0, "a deadline before the start is refused, named");
		s = step(1);
		s.ended = at(2026, 11, 23, 8, 0);
		r = tthc_step_check(&s);
		ok(r.fault == TTHC_SF_BEFORE && strcmp(r.field, "ended_at") == 0, "an end before the start is refused, named");
		s = step(1);
		s.ended = at(2030, 1, 1, 9, 0);
		ok(tthc_step_lateness(&cal, &s, at(2030, 1, 2, 0, 0), &l) == TTHC_CAL_OUT_OF_RANGE,
		   "an end beyond the calendar: out of range");
	}

	free_calendar();
	return tap_done();
}
