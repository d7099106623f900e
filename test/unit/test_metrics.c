/*
 * test_metrics.c
 *		Unit tests of the metric accumulator and of the bits of procedures
 *		and announcements (src/core/metrics.c), worked out by hand.
 *
 * The subtree: agencies A1 and A2, procedures P1 (paper result, fee), P2
 * (certification, fee) and P3 (for citizens, eligible for full online),
 * in November 2026.  Dates come from the fixture calendar (2026: Tết
 * 16-20/2, Hùng Kings 26/4 with its day off on Mon 27/4, 30/4, 1/5).
 */
#include "tap.h"
#include "fixture.h"
#include "../../src/core/metrics.h"

#include <stdarg.h>
#include <string.h>

#define D(y, m, d) tthc_day_from_civil(y, m, d)
#define NO TTHC_NO_DAY

#define B_IN	TTHC_PB_IN_COMPETENCE
#define B_ON	TTHC_PB_ONLINE
#define B_FULL	TTHC_PB_FULL_ONLINE
#define B_DOS	TTHC_PB_HAS_DOSSIERS
#define B_FEE	TTHC_PB_SYNCED_FEE
#define B_PAID	TTHC_PB_PAID_ONLINE
#define B_POP	TTHC_PB_POPULATION_DB
#define B_ANN	TTHC_PB_ANNOUNCED
#define B_ALATE TTHC_PB_ANNOUNCED_LATE
#define B_DUE	TTHC_PB_PUBLISH_DUE
#define B_PLATE TTHC_PB_PUBLISHED_LATE

/* Counters from (TthcCounterId, value) pairs ending with -1. */
static TthcCounters
row(int id, ...)
{
	TthcCounters c;
	va_list		ap;

	tthc_counters_zero(&c);
	va_start(ap, id);
	while (id >= 0)
	{
		c.v[id] = va_arg(ap, int);
		id = va_arg(ap, int);
	}
	va_end(ap);
	return c;
}

/* The bits of an announcement; a failure is reported and gives ~0. */
static uint32_t
ann(bool ministry, int32_t decided, int32_t effective, int32_t published,
	int32_t from, int32_t to)
{
	uint32_t	bits = 0xdead;
	TthcCalStatus st = tthc_announcement_bits(&cal, ministry, decided, effective,
											  published, from, to, &bits);

	if (st != TTHC_CAL_OK)
	{
		ok(0, "announcement failed with status %d", (int) st);
		return ~0u;
	}
	return bits;
}

/* Check a metric's numerator and denominator (and that it has no factor). */
static void
check(const TthcMetricAcc *acc, TthcMetric m, int64_t num, int64_t den, const char *what)
{
	TthcMetricValue v;

	tthc_metric_value(acc, m, &v);
	ok(v.numerator == num && v.denominator == den && !v.has_factor,
	   "%s (%s): %lld / %lld, got %lld / %lld", tthc_metric_names[m], what,
	   (long long) num, (long long) den,
	   (long long) v.numerator, (long long) v.denominator);
}

/* Is every field of acc 0 but those listed (TthcAccId, value, ..., -1)? */
static bool
acc_is(const TthcMetricAcc *acc, int id, ...)
{
	TthcMetricAcc want;
	va_list		ap;

	tthc_acc_zero(&want);
	va_start(ap, id);
	while (id >= 0)
	{
		want.v[id] = va_arg(ap, int);
		id = va_arg(ap, int);
	}
	va_end(ap);
	return memcmp(&want, acc, sizeof(want)) == 0;
}

static void
test_names(void)
{
	bool		all = true;

	for (int i = 0; i < TTHC_NACC; i++)
		all = all && tthc_acc_names[i] != NULL && tthc_acc_names[i][0] != '\0';
	ok(all && TTHC_NACC == 41, "accumulator: 41 named fields");
	ok(strcmp(tthc_acc_names[TTHC_A_received], "received") == 0 &&
	   strcmp(tthc_acc_names[TTHC_A_published_on_time], "published_on_time") == 0 &&
	   strcmp(tthc_acc_names[TTHC_A_fee_procedures_with_dossiers],
			  "fee_procedures_with_dossiers") == 0,
	   "accumulator: names follow TTHC_ACC_LIST");
}

static void
test_bits(void)
{
	TthcCounters c;

	ok(tthc_service_bits(TTHC_ONLINE_NONE) == B_IN, "service not online: in competence only");
	ok(tthc_service_bits(TTHC_ONLINE_PARTIAL) == (B_IN | B_ON), "partial service: online");
	ok(tthc_service_bits(TTHC_ONLINE_FULL) == (B_IN | B_ON | B_FULL),
	   "full service: online and fully online");

	tthc_counters_zero(&c);
	ok(tthc_counters_bits(&c) == 0, "empty tally row: no bits");
	c = row(TTHC_C_synced, 3, TTHC_C_online, 3, TTHC_C_with_fee, 2, TTHC_C_e_result, 1, -1);
	ok(tthc_counters_bits(&c) == 0,
	   "tally row with nothing received, synced with fee, paid online or verified: no bits");
	c = row(TTHC_C_received, 1, -1);
	ok(tthc_counters_bits(&c) == B_DOS, "received > 0: has dossiers");
	c = row(TTHC_C_synced_with_fee, 1, -1);
	ok(tthc_counters_bits(&c) == B_FEE, "synced_with_fee > 0: synced with fee data");
	c = row(TTHC_C_paid_online, 2, -1);
	ok(tthc_counters_bits(&c) == B_PAID, "paid_online > 0: paid online");
	c = row(TTHC_C_population_db, 5, -1);
	ok(tthc_counters_bits(&c) == B_POP, "population_db > 0: verified against the population db");
	c = row(TTHC_C_received, 4, TTHC_C_synced_with_fee, 1, TTHC_C_paid_online, 1,
			TTHC_C_population_db, 1, -1);
	ok(tthc_counters_bits(&c) == (B_DOS | B_FEE | B_PAID | B_POP), "all four row bits at once");
}

static void
test_announcements(void)
{
	int32_t		from = D(2026, 11, 1);
	int32_t		to = D(2026, 11, 30);
	int32_t		feb_from = D(2026, 2, 1);
	int32_t		feb_to = D(2026, 2, 28);

	/* 1.1, province (5 working days): decided Mon 2/11 */
	ok(ann(false, D(2026, 11, 2), D(2026, 11, 9), D(2026, 11, 3), from, to) == (B_ANN | B_DUE),
	   "province: Mon 2/11 to Mon 9/11 is 5 working days [2/11, 9/11): on time");
	ok(ann(false, D(2026, 11, 2), D(2026, 11, 6), D(2026, 11, 3), from, to) ==
	   (B_ANN | B_ALATE | B_DUE),
	   "province: Mon 2/11 to Fri 6/11 is 4 working days: late");
	/* 1.1, ministry (20): decided Mon 2/11 */
	ok(ann(true, D(2026, 11, 2), D(2026, 11, 30), D(2026, 11, 3), from, to) == (B_ANN | B_DUE),
	   "ministry: Mon 2/11 to Mon 30/11 is 20 working days: on time");
	ok(ann(true, D(2026, 11, 2), D(2026, 11, 27), D(2026, 11, 3), from, to) ==
	   (B_ANN | B_ALATE | B_DUE),
	   "ministry: Mon 2/11 to Fri 27/11 is 19 working days: late");
	/* over a weekend and Tết (16-20/2/2026) */
	ok(ann(false, D(2026, 2, 12), D(2026, 2, 26), NO, feb_from, feb_to) == (B_ANN | B_DUE | B_PLATE),
	   "province over Tết: Thu 12/2 to Thu 26/2 is 5 working days (12, 13, 23, 24, 25): on time");
	ok((ann(false, D(2026, 2, 12), D(2026, 2, 25), NO, feb_from, feb_to) & B_ALATE) != 0,
	   "province over Tết: Thu 12/2 to Wed 25/2 is 4 working days: late");
	/* over Hùng Kings' day off (Mon 27/4), 30/4 and 1/5 */
	ok((ann(true, D(2026, 4, 6), D(2026, 5, 7), NO, D(2026, 4, 1), D(2026, 4, 30)) &
		(B_ANN | B_ALATE)) == B_ANN,
	   "ministry over 27/4, 30/4, 1/5: Mon 6/4 to Thu 7/5 is 20 working days: on time");
	ok((ann(true, D(2026, 4, 6), D(2026, 5, 6), NO, D(2026, 4, 1), D(2026, 4, 30)) &
		(B_ANN | B_ALATE)) == (B_ANN | B_ALATE),
	   "ministry over 27/4, 30/4, 1/5: Mon 6/4 to Wed 6/5 is 19 working days: late");
	/* a decision on a non-working day: the count starts from the next working day */
	ok(ann(false, D(2026, 11, 1), D(2026, 11, 9), D(2026, 11, 2), from, to) == (B_ANN | B_DUE),
	   "province: Sun 1/11 to Mon 9/11 is 5 working days (2-6/11): on time");
	ok(ann(false, D(2026, 11, 1), D(2026, 11, 6), D(2026, 11, 2), from, to) ==
	   (B_ANN | B_ALATE | B_DUE),
	   "province: Sun 1/11 to Fri 6/11 is 4 working days: late");
	ok(ann(false, D(2026, 11, 2), NO, D(2026, 11, 3), from, to) == (B_ANN | B_DUE),
	   "no effective day: announced, not judged late");
	ok(ann(false, D(2026, 11, 10), D(2026, 11, 9), D(2026, 11, 10), from, to) ==
	   (B_ANN | B_ALATE | B_DUE),
	   "effective before the decision: late");

	/* 1.2: province deadline of Mon 2/11 is Mon 9/11 (3, 4, 5, 6, 9) */
	ok(ann(false, D(2026, 11, 2), NO, D(2026, 11, 9), from, to) == (B_ANN | B_DUE),
	   "province: published on the deadline Mon 9/11: on time");
	ok(ann(false, D(2026, 11, 2), NO, D(2026, 11, 10), from, to) == (B_ANN | B_DUE | B_PLATE),
	   "province: published Tue 10/11, one working day after: late");
	/* ministry deadline of Mon 2/11 is Mon 16/11 (3-6, 9-13, 16) */
	ok(ann(true, D(2026, 11, 2), NO, D(2026, 11, 16), from, to) == (B_ANN | B_DUE),
	   "ministry: published on the deadline Mon 16/11: on time");
	ok(ann(true, D(2026, 11, 2), NO, D(2026, 11, 17), from, to) == (B_ANN | B_DUE | B_PLATE),
	   "ministry: published Tue 17/11, one working day after: late");
	/* a deadline over a weekend and Tết: Thu 12/2 -> 13, 23, 24, 25, 26 */
	ok(ann(false, D(2026, 2, 12), NO, D(2026, 2, 26), feb_from, feb_to) == (B_ANN | B_DUE),
	   "province over Tết: decided Thu 12/2, published Thu 26/2 (the 5th working day): on time");
	ok(ann(false, D(2026, 2, 12), NO, D(2026, 2, 27), feb_from, feb_to) ==
	   (B_ANN | B_DUE | B_PLATE),
	   "province over Tết: published Fri 27/2: late");
	/* a deadline over a weekend: Fri 6/11 -> 9, 10, 11, 12, 13 */
	ok(ann(false, D(2026, 11, 6), NO, D(2026, 11, 13), from, to) == (B_ANN | B_DUE),
	   "province: decided Fri 6/11, published Fri 13/11 (5th working day, over the weekend): on time");
	ok(ann(false, D(2026, 11, 6), NO, D(2026, 11, 16), from, to) == (B_ANN | B_DUE | B_PLATE),
	   "province: decided Fri 6/11, published Mon 16/11: late");
	/* unpublished */
	ok(ann(true, D(2026, 11, 2), NO, NO, from, to) == (B_ANN | B_DUE | B_PLATE),
	   "ministry: unpublished, deadline 16/11 before the end 30/11: due and late");
	ok(ann(false, D(2026, 11, 23), NO, NO, from, to) == (B_ANN | B_DUE | B_PLATE),
	   "province: unpublished, deadline Mon 30/11 on the end of the period: due and late");
	ok(ann(false, D(2026, 11, 24), NO, NO, from, to) == B_ANN,
	   "province: unpublished, deadline Tue 1/12 after the period: not yet due");
	ok(ann(false, D(2026, 11, 27), NO, NO, from, to) == B_ANN,
	   "province: decided Fri 27/11, unpublished, deadline Fri 4/12: not yet due");
	ok(ann(false, D(2026, 11, 23), NO, D(2026, 12, 1), from, to) == (B_ANN | B_DUE | B_PLATE),
	   "province: published after the period, deadline 30/11 within it: due and late");
	ok(ann(false, D(2026, 11, 24), NO, D(2026, 12, 1), from, to) == B_ANN,
	   "province: published after the period on its deadline 1/12: not due in the period");
	/* decided outside the period */
	ok(ann(false, D(2026, 10, 30), D(2026, 11, 2), D(2026, 11, 5), from, to) == B_DUE,
	   "decided Fri 30/10 before the period, published 5/11 by its deadline 6/11: "
	   "not announced in the period, published on time");
	ok(ann(false, D(2026, 10, 20), D(2026, 11, 2), D(2026, 11, 2), from, to) == (B_DUE | B_PLATE),
	   "decided 20/10, published 2/11 after its deadline 27/10: published late in the period");
	ok(ann(true, D(2026, 10, 1), NO, NO, from, to) == (B_DUE | B_PLATE),
	   "decided 1/10, never published: overdue in the period, not announced in it");
	ok(ann(false, D(2026, 10, 1), D(2026, 10, 2), D(2026, 10, 5), from, to) == 0,
	   "decided and published before the period: no bits (even though it was late)");
	ok(ann(false, D(2026, 12, 1), D(2026, 12, 2), NO, from, to) == 0,
	   "decided after the period, unpublished: no bits");
}

static void
test_out_of_calendar(void)
{
	uint32_t	bits;
	int32_t		from = D(2027, 12, 1);
	int32_t		to = D(2027, 12, 31);

	bits = 7;
	ok(tthc_announcement_bits(&cal, false, D(2024, 12, 20), NO, NO, D(2025, 1, 1),
							  D(2025, 1, 31), &bits) == TTHC_CAL_OUT_OF_RANGE && bits == 0,
	   "decision before the calendar, its deadline needed: refused, bits 0");
	bits = 7;
	ok(tthc_announcement_bits(&cal, false, D(2024, 12, 31), D(2025, 1, 10), D(2025, 1, 2),
							  D(2024, 12, 1), D(2024, 12, 31), &bits) == TTHC_CAL_OUT_OF_RANGE &&
	   bits == 0,
	   "decision before the calendar, announced in the period: refused");
	bits = 7;
	ok(tthc_announcement_bits(&cal, true, D(2027, 12, 1), D(2028, 1, 3), D(2027, 12, 2),
							  from, to, &bits) == TTHC_CAL_OUT_OF_RANGE && bits == 0,
	   "effective day after the calendar: refused");
	bits = 7;
	ok(tthc_announcement_bits(&cal, false, D(2027, 12, 29), NO, NO, from, to, &bits) ==
	   TTHC_CAL_OUT_OF_RANGE && bits == 0,
	   "deadline after the calendar (29/12/2027 + 5 working days): refused");
	bits = 7;
	ok(tthc_announcement_bits(&cal, false, D(2027, 12, 24), NO, NO, from, to, &bits) ==
	   TTHC_CAL_OK && bits == (B_ANN | B_DUE | B_PLATE),
	   "deadline on the calendar's last day (Fri 24/12 -> 27, 28, 29, 30, 31/12): judged");
	bits = 7;
	ok(tthc_announcement_bits(&cal, false, D(2020, 1, 2), D(2020, 3, 1), D(2020, 1, 6),
							  D(2026, 11, 1), D(2026, 11, 30), &bits) == TTHC_CAL_OK && bits == 0,
	   "decided and published long before the period and the calendar: nothing looked up");
}

static void
test_procedure_rules(void)
{
	TthcMetricAcc acc;
	TthcProcFlags all = {true, true, true, true, true, true};
	TthcCounters fb;

	tthc_acc_zero(&acc);
	tthc_acc_add_procedure(&acc, NULL, ~0u);
	ok(acc_is(&acc, -1), "procedure with NULL flags: nothing");

	tthc_acc_zero(&acc);
	tthc_acc_add_procedure(&acc, &all, B_DOS | B_FEE | B_PAID | B_POP | B_ON | B_FULL);
	ok(acc_is(&acc, TTHC_A_procedures, 1, TTHC_A_fee_procedures, 1,
			  TTHC_A_fee_procedures_synced, 1, TTHC_A_fee_procedures_with_dossiers, 1,
			  TTHC_A_fee_procedures_paid_online, 1, TTHC_A_citizen_procedures, 1,
			  TTHC_A_citizen_procedures_popdb, 1, -1),
	   "procedure with dossiers but not in competence: known, no competence counts "
	   "(online bits ignored)");

	tthc_acc_zero(&acc);
	tthc_acc_add_procedure(&acc, &all, B_IN);
	ok(acc_is(&acc, TTHC_A_procedures, 1, TTHC_A_procedures_in_competence, 1,
			  TTHC_A_procedures_complete, 1, TTHC_A_full_online_eligible, 1,
			  TTHC_A_fee_procedures, 1, TTHC_A_citizen_procedures, 1, -1),
	   "procedure in competence without dossiers: none with dossiers (3.5)");

	tthc_acc_zero(&acc);
	tthc_acc_add_procedure(&acc, &all, B_ANN | B_ALATE | B_DUE);
	ok(acc_is(&acc, TTHC_A_announced, 1, TTHC_A_publish_due, 1,
			  TTHC_A_published_on_time, 1, -1),
	   "procedure announced late, published on time, neither in competence nor with "
	   "dossiers: only 1.1 and 1.2 count it");

	tthc_acc_zero(&acc);
	tthc_acc_add_procedure(&acc, &all, B_DUE | B_PLATE);
	ok(acc_is(&acc, TTHC_A_publish_due, 1, -1), "published late: due, not on time");

	tthc_acc_zero(&acc);
	tthc_acc_add_service(&acc, TTHC_ONLINE_NONE, true);
	ok(acc_is(&acc, -1), "service not online: not an online service");
	tthc_acc_add_service(&acc, TTHC_ONLINE_FULL, false);
	tthc_acc_add_service(&acc, TTHC_ONLINE_PARTIAL, true);
	ok(acc_is(&acc, TTHC_A_online_services, 2, TTHC_A_online_services_used, 1, -1),
	   "full unused and partial used: 2 online services, 1 used");

	/* a feedback row: only the fb_ fields, whatever else it carries */
	tthc_acc_zero(&acc);
	fb = row(TTHC_C_received, 99, TTHC_C_synced, 9, TTHC_C_with_fee, 9, TTHC_C_paid_online, 9,
			 TTHC_C_finished, 9, TTHC_C_work_usecs, 9, TTHC_C_population_db, 9,
			 TTHC_C_fb_received, 5, TTHC_C_fb_late, 1, TTHC_C_fb_late_or_unsatisfied, 2,
			 TTHC_C_fb_rules, 2, TTHC_C_fb_staff, 1, TTHC_C_fb_unsatisfied, 1, -1);
	tthc_acc_add_counters(&acc, NULL, &fb);
	ok(acc_is(&acc, TTHC_A_fb_received, 5, TTHC_A_fb_on_time, 4, TTHC_A_fb_satisfied, 3,
			  TTHC_A_fb_categorized, 3, -1),
	   "feedback row (flags NULL): fb_received 5, on time 5 - 1, satisfied 5 - 2, "
	   "categorized 2 + 1, nothing else");

	tthc_acc_zero(&acc);
	tthc_acc_add_reported(&acc, 0);
	ok(acc_is(&acc, TTHC_A_reported_rows, 1, -1), "a reported volume of 0 still counts as found");
}

/* The subtree. */
static const TthcProcFlags P1 = {.fee_required = true, .paper_result = true, .parts_complete = true};
static const TthcProcFlags P2 = {.fee_required = true, .is_certification = true};
static const TthcProcFlags P3 = {.full_online_eligible = true, .for_citizens = true,
	.parts_complete = true};

static void
test_subtree(void)
{
	/* the period as the glue gets it: the local days of its instants */
	int32_t		from = tthc_local_day(at(2026, 11, 1, 0, 0));
	int32_t		to = tthc_local_day(at(2026, 11, 30, 23, 59));
	TthcCounters a1p1,
				a2p1,
				a1p2,
				a2p3,
				a1fb,
				a2fb;
	uint32_t	p1,
				p2,
				p3;
	TthcMetricAcc all,
				acc1,
				acc2,
				rep;
	TthcMetricValue v;

	a1p1 = row(TTHC_C_received, 10, TTHC_C_synced, 8, TTHC_C_synced_with_fee, 6,
			   TTHC_C_online, 4, TTHC_C_online_e_result, 3, TTHC_C_finished, 7,
			   TTHC_C_late, 2, TTHC_C_late_or_unsatisfied, 3, TTHC_C_with_fee, 9,
			   TTHC_C_paid_online, 5, TTHC_C_e_result, 6, TTHC_C_digitized, 7,
			   TTHC_C_digitized_e_result, 5, TTHC_C_reused_data, 2,
			   TTHC_C_personal_store, 1, TTHC_C_work_usecs, 7000, -1);
	a2p1 = row(TTHC_C_received, 6, TTHC_C_synced, 6, TTHC_C_online, 2,
			   TTHC_C_online_e_result, 1, TTHC_C_finished, 4, TTHC_C_late, 1,
			   TTHC_C_late_or_unsatisfied, 1, TTHC_C_with_fee, 6, TTHC_C_e_result, 2,
			   TTHC_C_digitized, 3, TTHC_C_digitized_e_result, 2, TTHC_C_reused_data, 1,
			   TTHC_C_work_usecs, 3000, -1);
	a1p2 = row(TTHC_C_received, 20, TTHC_C_synced, 15, TTHC_C_online, 5,
			   TTHC_C_online_e_result, 5, TTHC_C_finished, 20,
			   TTHC_C_late_or_unsatisfied, 2, TTHC_C_with_fee, 20, TTHC_C_e_result, 12,
			   TTHC_C_digitized, 10, TTHC_C_digitized_e_result, 8,
			   TTHC_C_e_certified_copy, 12, TTHC_C_reused_data, 4,
			   TTHC_C_personal_store, 3, TTHC_C_work_usecs, 4000, -1);
	/* P3 has no fee and is no certification: with_fee, paid_online, e_certified_copy ignored */
	a2p3 = row(TTHC_C_received, 4, TTHC_C_synced, 4, TTHC_C_online, 4,
			   TTHC_C_online_e_result, 4, TTHC_C_finished, 2, TTHC_C_late, 1,
			   TTHC_C_late_or_unsatisfied, 2, TTHC_C_with_fee, 1, TTHC_C_paid_online, 1,
			   TTHC_C_e_result, 2, TTHC_C_digitized, 4, TTHC_C_digitized_e_result, 2,
			   TTHC_C_e_certified_copy, 1, TTHC_C_reused_data, 1,
			   TTHC_C_personal_store, 2, TTHC_C_population_db, 3,
			   TTHC_C_work_usecs, 1000, -1);
	a1fb = row(TTHC_C_fb_received, 5, TTHC_C_fb_late, 1, TTHC_C_fb_late_or_unsatisfied, 2,
			   TTHC_C_fb_rules, 2, TTHC_C_fb_staff, 1, -1);
	a2fb = row(TTHC_C_fb_received, 3, TTHC_C_fb_late_or_unsatisfied, 1,
			   TTHC_C_fb_staff, 3, -1);

	/*
	 * Bits ORed over the subtree.  Services: A1/P1 partial, A2/P1 none,
	 * A1/P2 none, A2/P2 none, A1/P3 partial, A2/P3 full.  Announcements:
	 * P1 twice by the province (one on time, one late, both published on
	 * time), P3 once by a ministry (on time, never published).
	 */
	p1 = tthc_service_bits(TTHC_ONLINE_PARTIAL) | tthc_service_bits(TTHC_ONLINE_NONE) |
		tthc_counters_bits(&a1p1) | tthc_counters_bits(&a2p1) |
		ann(false, D(2026, 11, 2), D(2026, 11, 9), D(2026, 11, 9), from, to) |
		ann(false, D(2026, 11, 2), D(2026, 11, 6), D(2026, 11, 5), from, to);
	p2 = tthc_service_bits(TTHC_ONLINE_NONE) | tthc_service_bits(TTHC_ONLINE_NONE) |
		tthc_counters_bits(&a1p2);
	p3 = tthc_service_bits(TTHC_ONLINE_PARTIAL) | tthc_service_bits(TTHC_ONLINE_FULL) |
		tthc_counters_bits(&a2p3) |
		ann(true, D(2026, 11, 2), D(2026, 11, 30), NO, from, to);
	ok(p1 == (B_IN | B_ON | B_DOS | B_FEE | B_PAID | B_ANN | B_ALATE | B_DUE),
	   "P1 bits: online from A1, fee data and online payment from A1's row only, "
	   "announced once late");
	ok(p2 == (B_IN | B_DOS), "P2 bits: in competence in both, dossiers, nothing else");
	ok(p3 == (B_IN | B_ON | B_FULL | B_DOS | B_PAID | B_POP | B_ANN | B_DUE | B_PLATE),
	   "P3 bits: fully online from A2, overdue publication");

	/* everything into one accumulator */
	tthc_acc_zero(&all);
	tthc_acc_add_counters(&all, &P1, &a1p1);
	tthc_acc_add_counters(&all, &P2, &a1p2);
	tthc_acc_add_counters(&all, NULL, &a1fb);
	tthc_acc_add_counters(&all, &P1, &a2p1);
	tthc_acc_add_counters(&all, &P3, &a2p3);
	tthc_acc_add_counters(&all, NULL, &a2fb);
	tthc_acc_add_procedure(&all, &P1, p1);
	tthc_acc_add_procedure(&all, &P2, p2);
	tthc_acc_add_procedure(&all, &P3, p3);
	tthc_acc_add_service(&all, TTHC_ONLINE_PARTIAL, true);	/* A1/P1 */
	tthc_acc_add_service(&all, TTHC_ONLINE_NONE, false);	/* A2/P1 */
	tthc_acc_add_service(&all, TTHC_ONLINE_NONE, false);	/* A1/P2 */
	tthc_acc_add_service(&all, TTHC_ONLINE_NONE, false);	/* A2/P2 */
	tthc_acc_add_service(&all, TTHC_ONLINE_PARTIAL, false); /* A1/P3 */
	tthc_acc_add_service(&all, TTHC_ONLINE_FULL, true); /* A2/P3 */

	/* the same, per agency, then merged */
	tthc_acc_zero(&acc1);
	tthc_acc_add_counters(&acc1, &P1, &a1p1);
	tthc_acc_add_counters(&acc1, &P2, &a1p2);
	tthc_acc_add_counters(&acc1, NULL, &a1fb);
	tthc_acc_add_service(&acc1, TTHC_ONLINE_PARTIAL, true);
	tthc_acc_add_service(&acc1, TTHC_ONLINE_NONE, false);
	tthc_acc_add_service(&acc1, TTHC_ONLINE_PARTIAL, false);
	tthc_acc_add_procedure(&acc1, &P1, p1);
	tthc_acc_add_procedure(&acc1, &P2, p2);
	tthc_acc_zero(&acc2);
	tthc_acc_add_counters(&acc2, &P3, &a2p3);
	tthc_acc_add_counters(&acc2, NULL, &a2fb);
	tthc_acc_add_counters(&acc2, &P1, &a2p1);
	tthc_acc_add_service(&acc2, TTHC_ONLINE_NONE, false);
	tthc_acc_add_service(&acc2, TTHC_ONLINE_NONE, false);
	tthc_acc_add_service(&acc2, TTHC_ONLINE_FULL, true);
	tthc_acc_add_procedure(&acc2, &P3, p3);
	tthc_acc_merge(&acc1, &acc2);
	ok(memcmp(&acc1, &all, sizeof(all)) == 0,
	   "merging A1's and A2's accumulators equals adding every row into one");

	ok(acc_is(&all,
			  TTHC_A_received, 40, TTHC_A_not_late, 36, TTHC_A_synced, 33,
			  TTHC_A_online_counted, 13, TTHC_A_fee_dossiers, 35, TTHC_A_fee_paid_online, 5,
			  TTHC_A_paper_received, 16, TTHC_A_paper_e_result, 8,
			  TTHC_A_digitized_counted, 21, TTHC_A_cert_received, 20, TTHC_A_cert_e_copy, 12,
			  TTHC_A_reused_data, 8, TTHC_A_personal_store, 6, TTHC_A_population_db, 3,
			  TTHC_A_satisfied, 32, TTHC_A_finished, 33, TTHC_A_work_usecs, 15000,
			  TTHC_A_fb_received, 8, TTHC_A_fb_on_time, 7, TTHC_A_fb_satisfied, 5,
			  TTHC_A_fb_categorized, 6,
			  TTHC_A_procedures, 3, TTHC_A_procedures_online, 2,
			  TTHC_A_procedures_in_competence, 3, TTHC_A_procedures_complete, 2,
			  TTHC_A_full_online_eligible, 1, TTHC_A_full_online, 1,
			  TTHC_A_online_services, 3, TTHC_A_online_services_used, 2,
			  TTHC_A_fee_procedures, 2, TTHC_A_fee_procedures_synced, 1,
			  TTHC_A_fee_procedures_with_dossiers, 2, TTHC_A_fee_procedures_paid_online, 1,
			  TTHC_A_citizen_procedures, 1, TTHC_A_citizen_procedures_popdb, 1,
			  TTHC_A_announced, 2, TTHC_A_announced_on_time, 1,
			  TTHC_A_publish_due, 2, TTHC_A_published_on_time, 1, -1),
	   "the subtree's accumulator, field by field (no reported volume)");

	/* every metric, no reported volume: 1.4 over the 40 received */
	check(&all, TTHC_M_announced_on_time, 1, 2, "P3 on time, P1 late once");
	check(&all, TTHC_M_published_on_time, 1, 2, "P1 on time, P3 overdue");
	check(&all, TTHC_M_published_complete, 2, 3, "P1 and P3 complete");
	check(&all, TTHC_M_synced, 33, 40, "no reported volume: local received");
	check(&all, TTHC_M_not_late, 36, 40, "8 + 5 + 20 + 3");
	check(&all, TTHC_M_handling_time, 15000, 33, "usecs over finished");
	check(&all, TTHC_M_offered_online, 2, 3, "P1 (A1 partial), P3");
	check(&all, TTHC_M_online_services_used, 2, 3, "A1/P1 and A2/P3 used, A1/P3 not");
	tthc_metric_value(&all, TTHC_M_online_dossiers, &v);
	ok(v.numerator == 13 && v.denominator == 40 && v.has_factor &&
	   v.factor_numerator == 33 && v.factor_denominator == 40,
	   "online_dossiers: (3 + 1 e-results of P1, 5 + 4 online) / 40, times 33 / 40");
	check(&all, TTHC_M_fee_procedures_synced, 1, 2, "P1 of P1, P2");
	check(&all, TTHC_M_fee_procedures_paid_online, 1, 2, "P1 of P1, P2; P3 has no fee");
	check(&all, TTHC_M_paid_online, 5, 35, "P1 and P2 rows only");
	check(&all, TTHC_M_e_result, 8, 16, "P1 rows only");
	check(&all, TTHC_M_digitized, 21, 40, "5 + 2 digitised with e-result of P1, 10 + 4");
	check(&all, TTHC_M_e_certified_copy, 12, 20, "P2 only");
	check(&all, TTHC_M_reused_data, 8, 40, "2 + 1 + 4 + 1");
	check(&all, TTHC_M_personal_store, 6, 40, "1 + 0 + 3 + 2");
	check(&all, TTHC_M_population_db_procedures, 1, 1, "P3");
	check(&all, TTHC_M_population_db, 3, 40, "P3's row");
	check(&all, TTHC_M_feedback_on_time, 7, 8, "4 + 3");
	check(&all, TTHC_M_feedback_satisfied, 5, 8, "3 + 2");
	check(&all, TTHC_M_satisfied, 32, 40, "7 + 5 + 18 + 2");
	check(&all, TTHC_M_feedback_by_category, 6, 8, "3 + 3");

	/* 1.4 with reported volumes: max() picks each side */
	rep = all;
	tthc_acc_add_reported(&rep, 25);
	tthc_acc_add_reported(&rep, 10);
	check(&rep, TTHC_M_synced, 33, 40, "reported 35 < received 40: received");
	tthc_acc_add_reported(&rep, 15);
	check(&rep, TTHC_M_synced, 33, 50, "reported 50 > received 40: reported");
	tthc_metric_value(&rep, TTHC_M_online_dossiers, &v);
	ok(v.numerator == 13 && v.denominator == 40 && v.factor_numerator == 33 &&
	   v.factor_denominator == 50,
	   "online_dossiers: over received 40, its factor over the reported 50");
	check(&rep, TTHC_M_not_late, 36, 40, "not_late ignores reported volumes");
	rep = all;
	tthc_acc_add_reported(&rep, 40);
	check(&rep, TTHC_M_synced, 33, 40, "reported 40 = received 40");

	/* an empty accumulator: every metric 0 / 0, only 3.3 with a factor */
	{
		TthcMetricAcc empty;
		bool		zero = true;
		bool		factors = true;

		tthc_acc_zero(&empty);
		for (int m = 0; m < TTHC_NMETRICS; m++)
		{
			tthc_metric_value(&empty, (TthcMetric) m, &v);
			zero = zero && v.numerator == 0 && v.denominator == 0;
			factors = factors && v.has_factor == (m == TTHC_M_online_dossiers);
			tthc_metric_value(&all, (TthcMetric) m, &v);
			factors = factors && v.has_factor == (m == TTHC_M_online_dossiers);
		}
		ok(zero, "empty accumulator: every metric 0 / 0");
		ok(factors, "only online_dossiers has a factor");
	}
}

int
main(void)
{
	build_calendar();
	test_names();
	test_bits();
	test_announcements();
	test_out_of_calendar();
	test_procedure_rules();
	test_subtree();
	free_calendar();
	return tap_done();
}
