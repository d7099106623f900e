/*
 * feedback.h
 *		One path from a feedback item's (PAKN's) fields to what it counts for:
 *		criteria 5.1, 5.2 and 5.4 of the 766 index (INDEX-766.md).
 *
 * Pure C, no PostgreSQL header.  Like dossier.h, the same functions serve
 * the trigger that validates a row of tthc.feedback, the tallies, their
 * rebuild and any recompute over raw rows.  Instants are local microseconds
 * (see calendar.h); TTHC_NO_TIME stands for NULL.
 *
 * The limits (5.1), in working days, count from the start S: the latest
 * transfer (transferred_at) when there is one, else the receipt.  A limit of
 * n working days is the due-date rule of SPEC §5 with unit working_day: S
 * plus n working days of working time, a start after the cut-off or on a
 * non-working day counting from the next working day's start
 * (tthc_add_working_time).  The limits:
 *
 *	refuse_by		S + 2 wd	a refusal must come by then
 *	supplement_by	S + 5 wd	the first supplement request must come by then
 *	handle_by		S + 15 wd	the item must be handled by then
 *	publish_by		handled + 2 wd	the handling must be published by then
 *
 * Each limit is judged like a dossier's due time: an event at E against
 * limit L, evaluated at T, is late when min(E, T) > L, and a limit whose
 * event has not happened is judged at T.  Exactly at the limit is on time.
 * Which limits bind:
 *
 *	- refused: judged on its refusal: late when refused_at > refuse_by.
 *	  The handling and publication limits do not apply.
 *	- handled: late when handled_at > handle_by, or when published_at >
 *	  publish_by; not yet published, it becomes late when publish_by
 *	  passes.
 *	- open (neither refused nor handled): late when handle_by passes.  The
 *	  refusal limit does not make an open item late (it may still be
 *	  handled, which has 15 days).
 *	- supplement, on any item: a first supplement request after
 *	  supplement_by makes the item late from supplement_by, whatever its
 *	  outcome: a broken limit is not mended, as with a dossier's second
 *	  supplement request.  No request at all is fine (requests are
 *	  optional).  A request does not stop or move the other limits: the
 *	  table records no re-submission by the applicant, so the applicant's
 *	  time cannot be measured, and a stopped clock would let an item with a
 *	  timely request stay open "within its limit" for ever.  A request made
 *	  before the latest transfer (by the previous handler) precedes S and so
 *	  is within its limit.
 *
 * So every item has a single instant late_from, the earliest limit that is
 * (or, for a pending event, will be) broken, and it is late at evaluation
 * time T exactly when late_from < T: lateness changes with time alone, as
 * for dossiers, and counting late items is counting late_from < T.
 *
 * Criterion 5.2 counts an item as bad when it has more dislikes than likes,
 * or was raised again (unsatisfied), or is late at T; an item is counted
 * once whatever the number of reasons (counter fb_late_or_unsatisfied).
 * Criterion 5.4 counts items by category (fb_rules, fb_staff).
 */
#ifndef TTHC_FEEDBACK_H
#define TTHC_FEEDBACK_H

#include <stdbool.h>
#include <stdint.h>

#include "calendar.h"
#include "counters.h"
#include "dossier.h"			/* TTHC_NO_TIME */

/* The limits of criterion 5.1, in working days. */
#define TTHC_FB_REFUSE_WD		2
#define TTHC_FB_SUPPLEMENT_WD	5
#define TTHC_FB_HANDLE_WD		15
#define TTHC_FB_PUBLISH_WD		2

/* tthc.feedback.category */
#define TTHC_FB_CAT_NONE	0	/* NULL */
#define TTHC_FB_CAT_RULES	1	/* 'rules': about rules and procedures */
#define TTHC_FB_CAT_STAFF	2	/* 'staff': about officials' behaviour */

/* 'rules' and 'staff' to TTHC_FB_CAT_*, NULL to NONE, anything else to -1. */
extern int	tthc_feedback_category_parse(const char *name);

typedef struct TthcFeedbackIn
{
	int64_t		received;
	int64_t		transferred;	/* the latest transfer */
	int			category;		/* TTHC_FB_CAT_* */
	int64_t		refused;
	int64_t		supplement_requested;	/* the first supplement request */
	int64_t		handled;
	int64_t		published;
	int			likes;			/* NULL reads as 0 */
	int			dislikes;
	bool		raised_again;
} TthcFeedbackIn;

/* A row that breaks a rule: which field, and against which other field. */
typedef enum TthcFeedbackFault
{
	TTHC_FF_OK = 0,
	TTHC_FF_BAD_VALUE,			/* field's value is not allowed */
	TTHC_FF_MISSING,			/* field must be set */
	TTHC_FF_BEFORE,				/* field is before other */
	TTHC_FF_NEEDS,				/* field must be set when other is */
	TTHC_FF_EXCLUSIVE			/* field and other cannot both be set */
} TthcFeedbackFault;

typedef struct TthcFeedbackCheck
{
	TthcFeedbackFault fault;
	const char *field;			/* the SQL column at fault */
	const char *other;			/* the column it is checked against, or NULL */
} TthcFeedbackCheck;

/*
 * Validate an item; the first rule broken, in this order: category in
 * 0-2, likes and dislikes not negative, received_at set; transferred_at,
 * refused_at, supplement_requested_at, handled_at and published_at not
 * before received_at; refused_at, handled_at and published_at not before
 * transferred_at (an outcome belongs to the latest handler); published_at
 * needs handled_at and is not before it; handled_at and refused_at not
 * before supplement_requested_at; refused_at and handled_at not both set.
 */
extern TthcFeedbackCheck tthc_feedback_check(const TthcFeedbackIn *in);

/* Which limit makes an item late. */
typedef enum TthcFeedbackLimit
{
	TTHC_FL_NONE = 0,
	TTHC_FL_REFUSAL,
	TTHC_FL_SUPPLEMENT,
	TTHC_FL_HANDLING,
	TTHC_FL_PUBLICATION
} TthcFeedbackLimit;

/* "refusal", "supplement", "handling", "publication", or NULL for none. */
extern const char *tthc_feedback_limit_name(TthcFeedbackLimit limit);

typedef struct TthcFeedbackClass
{
	bool		received;		/* counts at all */
	int32_t		received_day;	/* local day of receipt: the tally key */
	int64_t		start;			/* S: the latest transfer, else the receipt */
	int64_t		refuse_by;		/* the limits, see the file header */
	int64_t		supplement_by;
	int64_t		handle_by;
	int64_t		publish_by;		/* TTHC_NO_TIME unless handled */
	bool		ended;			/* refused or handled */
	bool		unsatisfied;	/* dislikes > likes, or raised again */
	int64_t		late_from;		/* late at any T > late_from; TTHC_NO_TIME: never */
	TthcFeedbackLimit late_limit;	/* the limit late_from is, or NONE */
	TthcCounters base;			/* contribution, without fb_late and fb_late_or_unsatisfied */
} TthcFeedbackClass;

/*
 * Classify an item (it need not have passed tthc_feedback_check; one
 * without received_at counts for nothing).  Fails
 * (TTHC_CAL_OUT_OF_RANGE) only when a limit falls outside the working-day
 * calendar.
 */
extern TthcCalStatus tthc_feedback_classify(const TthcCalendar *cal, const TthcFeedbackIn *in,
											TthcFeedbackClass *out);

/* Is the item late at evaluation instant t? */
extern bool tthc_feedback_late_at(const TthcFeedbackClass *cl, int64_t t);

/* out = its counters at evaluation instant t (base plus the late ones). */
extern void tthc_feedback_counters_at(const TthcFeedbackClass *cl, int64_t t, TthcCounters *out);

/*
 * What an item adds to the tallies, in at most two entries, like
 * tthc_dossier_entries: the base entry keyed by its received day (its
 * counters without lateness, but with fb_late_or_unsatisfied when
 * unsatisfied) and, when it can be late, a late entry keyed by the local
 * day of late_from ({fb_late: 1, fb_late_or_unsatisfied: 1 unless already
 * counted}).  For any t, base plus the late entry when late_from < t equals
 * tthc_feedback_counters_at(t).  Returns the number of entries (0 when not
 * received); *late_day is set when it returns 2.
 */
extern int	tthc_feedback_entries(const TthcFeedbackClass *cl, TthcCounters *base,
								  int32_t *late_day, TthcCounters *late);

#endif							/* TTHC_FEEDBACK_H */
