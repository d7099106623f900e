/*
 * metrics.c
 *		The accumulator of an agency's subtree, and the numerator and the
 *		denominator of every metric of the index sets (INDEX-766.md).
 *
 * Pure C, no PostgreSQL header.  See metrics.h for how the glue feeds the
 * accumulator.  Everything here is integer counting: no rounding, no
 * points (those belong to the index set, indexset.c, and to the SQL glue).
 */
#include "metrics.h"

#include <string.h>


/* Working days an announcement needs before the legal basis takes effect. */
#define TTHC_ANNOUNCE_DAYS_MINISTRY		20
#define TTHC_ANNOUNCE_DAYS_PROVINCE		5
/* Working days after the decision to publish on the national database. */
#define TTHC_PUBLISH_DAYS_MINISTRY		10
#define TTHC_PUBLISH_DAYS_PROVINCE		5

const char *const tthc_acc_names[TTHC_NACC] = {
#define TTHC_ACC_NAME(name, meaning) #name,
	TTHC_ACC_LIST(TTHC_ACC_NAME)
#undef TTHC_ACC_NAME
};

/*
 * tthc_acc_zero
 *		An empty accumulator.
 */
void
tthc_acc_zero(TthcMetricAcc *acc)
{
	memset(acc, 0, sizeof(*acc));
}

/*
 * tthc_acc_merge
 *		acc += other, element by element: a subtree's accumulator is the
 *		sum of its parts'.
 */
void
tthc_acc_merge(TthcMetricAcc *acc, const TthcMetricAcc *other)
{
	for (int i = 0; i < TTHC_NACC; i++)
		acc->v[i] += other->v[i];
}

/*
 * tthc_service_bits
 *		What a service row says of its procedure: in competence, and online
 *		(partial or full) or fully online per its level.
 */
uint32_t
tthc_service_bits(TthcOnlineLevel level)
{
	uint32_t	bits = TTHC_PB_IN_COMPETENCE;

	if (level == TTHC_ONLINE_PARTIAL || level == TTHC_ONLINE_FULL)
		bits |= TTHC_PB_ONLINE;
	if (level == TTHC_ONLINE_FULL)
		bits |= TTHC_PB_FULL_ONLINE;
	return bits;
}

/*
 * tthc_counters_bits
 *		What an (agency, procedure) tally row says of its procedure: it had
 *		dossiers, dossiers synced with fee data, paid online, or verified
 *		against the population database.  Whether a service had an online
 *		dossier (3.2) is per service, not a procedure bit: see
 *		tthc_acc_add_service.
 */
uint32_t
tthc_counters_bits(const TthcCounters *c)
{
	uint32_t	bits = 0;

	if (c->v[TTHC_C_received] > 0)
		bits |= TTHC_PB_HAS_DOSSIERS;
	if (c->v[TTHC_C_synced_with_fee] > 0)
		bits |= TTHC_PB_SYNCED_FEE;
	if (c->v[TTHC_C_paid_online] > 0)
		bits |= TTHC_PB_PAID_ONLINE;
	if (c->v[TTHC_C_population_db] > 0)
		bits |= TTHC_PB_POPULATION_DB;
	return bits;
}

/*
 * in_calendar
 *		Is day a day of the calendar (first_day .. first_day + ndays - 1)?
 */
static bool
in_calendar(const TthcCalendar *cal, int32_t day)
{
	int64_t		i = (int64_t) day - cal->first_day;

	return day != TTHC_NO_DAY && i >= 0 && i < cal->ndays;
}

/*
 * working_days_between
 *		The working days in [a, b): a included, b excluded, negative when
 *		b < a.  Both must be days of the calendar (the caller checks).
 */
static int32_t
working_days_between(const TthcCalendar *cal, int32_t a, int32_t b)
{
	return cal->cum[b - cal->first_day] - cal->cum[a - cal->first_day];
}

/*
 * nth_working_day_after
 *		The day d > day such that the working days in (day, d] number n
 *		(n >= 1): the nth working day after day.  Fails when day or that
 *		working day is outside the calendar.
 */
static TthcCalStatus
nth_working_day_after(const TthcCalendar *cal, int32_t day, int n, int32_t *out)
{
	int32_t		i;
	int			seen = 0;

	if (!in_calendar(cal, day))
		return TTHC_CAL_OUT_OF_RANGE;
	for (i = day - cal->first_day + 1; i < cal->ndays; i++)
	{
		if (cal->working[i] && ++seen == n)
		{
			*out = cal->first_day + i;
			return TTHC_CAL_OK;
		}
	}
	return TTHC_CAL_OUT_OF_RANGE;
}

/*
 * tthc_announcement_bits
 *		The bits of one announcement for the period from..to (see
 *		metrics.h).
 *
 * Announced on time: the decision came no later than the limit's working
 * days before the legal basis takes effect, that is the working days in
 * [decided, basis_effective), the decision day included and the effective
 * day excluded, number at least 20 (ministry) or 5 (province).  Without
 * an effective day the announcement is not judged late.
 *
 * Published on time: on or before the deadline, the 10th (ministry) or 5th
 * (province) working day after the decision day.  An announcement is due
 * for publication in the period when it was published in from..to, or when
 * it was not published by 'to' (never, or after 'to') and its deadline is
 * on or before 'to'; in that second case it is late.
 *
 * Only the days that are looked up must be in the calendar: the decision
 * day and the effective day when the announcement is in the period and
 * has an effective day, the decision day and the deadline when the
 * publication is judged (that is unless it was published before 'from').
 * Otherwise fails with TTHC_CAL_OUT_OF_RANGE and *bits = 0.
 */
TthcCalStatus
tthc_announcement_bits(const TthcCalendar *cal, bool ministry,
					   int32_t decided, int32_t basis_effective,
					   int32_t published, int32_t from, int32_t to,
					   uint32_t *bits)
{
	int			announce_days = ministry ? TTHC_ANNOUNCE_DAYS_MINISTRY : TTHC_ANNOUNCE_DAYS_PROVINCE;
	int			publish_days = ministry ? TTHC_PUBLISH_DAYS_MINISTRY : TTHC_PUBLISH_DAYS_PROVINCE;
	uint32_t	b = 0;
	bool		published_in_period;
	bool		unpublished_by_to;

	*bits = 0;

	/* 1.1: announced in the period, and whether too close to the basis */
	if (decided != TTHC_NO_DAY && from <= decided && decided <= to)
	{
		b |= TTHC_PB_ANNOUNCED;
		if (basis_effective != TTHC_NO_DAY)
		{
			if (!in_calendar(cal, decided) || !in_calendar(cal, basis_effective))
				return TTHC_CAL_OUT_OF_RANGE;
			if (working_days_between(cal, decided, basis_effective) < announce_days)
				b |= TTHC_PB_ANNOUNCED_LATE;
		}
	}

	/* 1.2: published in the period, or still unpublished at its end */
	published_in_period = (published != TTHC_NO_DAY && from <= published && published <= to);
	unpublished_by_to = (published == TTHC_NO_DAY || published > to);
	if (published_in_period || unpublished_by_to)
	{
		int32_t		deadline;

		if (nth_working_day_after(cal, decided, publish_days, &deadline) != TTHC_CAL_OK)
			return TTHC_CAL_OUT_OF_RANGE;
		if (published_in_period)
		{
			b |= TTHC_PB_PUBLISH_DUE;
			if (published > deadline)
				b |= TTHC_PB_PUBLISHED_LATE;
		}
		else if (deadline <= to)
			b |= TTHC_PB_PUBLISH_DUE | TTHC_PB_PUBLISHED_LATE;
	}

	*bits = b;
	return TTHC_CAL_OK;
}

/*
 * tthc_acc_add_counters
 *		Add a tally row of one procedure.  The feedback counters are added
 *		whatever the flags; the dossier counters only for a procedure
 *		(flags not NULL), picked by its flags.  flags NULL: a feedback row
 *		(procedure ''), whose dossier counters are ignored.
 */
void
tthc_acc_add_counters(TthcMetricAcc *acc, const TthcProcFlags *flags,
					  const TthcCounters *c)
{
	int64_t    *a = acc->v;
	const int64_t *v = c->v;

	/* feedback: 5.1, 5.2, 5.4 */
	a[TTHC_A_fb_received] += v[TTHC_C_fb_received];
	a[TTHC_A_fb_on_time] += v[TTHC_C_fb_received] - v[TTHC_C_fb_late];
	a[TTHC_A_fb_satisfied] += v[TTHC_C_fb_received] - v[TTHC_C_fb_late_or_unsatisfied];
	a[TTHC_A_fb_categorized] += v[TTHC_C_fb_rules] + v[TTHC_C_fb_staff];

	if (flags == NULL)
		return;

	a[TTHC_A_received] += v[TTHC_C_received];
	a[TTHC_A_not_late] += v[TTHC_C_received] - v[TTHC_C_late];
	a[TTHC_A_synced] += v[TTHC_C_synced];
	/* 3.3: where the result is paper, an online dossier needs an e-result */
	a[TTHC_A_online_counted] += flags->paper_result ?
		v[TTHC_C_online_e_result] : v[TTHC_C_online];
	if (flags->fee_required)
	{
		a[TTHC_A_fee_dossiers] += v[TTHC_C_with_fee];
		a[TTHC_A_fee_paid_online] += v[TTHC_C_paid_online];
	}
	if (flags->paper_result)
	{
		a[TTHC_A_paper_received] += v[TTHC_C_received];
		a[TTHC_A_paper_e_result] += v[TTHC_C_e_result];
	}
	/* 4.2: likewise, digitised and with an e-result where paper is due */
	a[TTHC_A_digitized_counted] += flags->paper_result ?
		v[TTHC_C_digitized_e_result] : v[TTHC_C_digitized];
	if (flags->is_certification)
	{
		a[TTHC_A_cert_received] += v[TTHC_C_received];
		a[TTHC_A_cert_e_copy] += v[TTHC_C_e_certified_copy];
	}
	a[TTHC_A_reused_data] += v[TTHC_C_reused_data];
	a[TTHC_A_personal_store] += v[TTHC_C_personal_store];
	a[TTHC_A_population_db] += v[TTHC_C_population_db];
	a[TTHC_A_satisfied] += v[TTHC_C_received] - v[TTHC_C_late_or_unsatisfied];
	a[TTHC_A_finished] += v[TTHC_C_finished];
	a[TTHC_A_work_usecs] += v[TTHC_C_work_usecs];
}

/*
 * tthc_acc_add_procedure
 *		Add a distinct procedure of the subtree, once, with its bits ORed
 *		over the subtree.  It is known to the subtree when in competence
 *		there or with dossiers there; the catalogue criteria count known
 *		procedures, the competence ones (3.1, 1.3) only those in
 *		competence, and the announcement ones (1.1, 1.2) whatever the
 *		announcements showed.
 */
void
tthc_acc_add_procedure(TthcMetricAcc *acc, const TthcProcFlags *flags,
					   uint32_t bits)
{
	int64_t    *a = acc->v;
	bool		in_competence;
	bool		has_dossiers;
	bool		known;

	if (flags == NULL)
		return;
	in_competence = (bits & TTHC_PB_IN_COMPETENCE) != 0;
	has_dossiers = (bits & TTHC_PB_HAS_DOSSIERS) != 0;
	known = in_competence || has_dossiers;

	if (known)
		a[TTHC_A_procedures] += 1;
	if (in_competence)
	{
		a[TTHC_A_procedures_in_competence] += 1;
		a[TTHC_A_procedures_online] += (bits & TTHC_PB_ONLINE) ? 1 : 0;
		a[TTHC_A_procedures_complete] += flags->parts_complete ? 1 : 0;
		if (flags->full_online_eligible)
		{
			a[TTHC_A_full_online_eligible] += 1;
			a[TTHC_A_full_online] += (bits & TTHC_PB_FULL_ONLINE) ? 1 : 0;
		}
	}
	if (flags->fee_required && known)
	{
		a[TTHC_A_fee_procedures] += 1;
		a[TTHC_A_fee_procedures_synced] += (bits & TTHC_PB_SYNCED_FEE) ? 1 : 0;
	}
	if (flags->fee_required && has_dossiers)
	{
		a[TTHC_A_fee_procedures_with_dossiers] += 1;
		a[TTHC_A_fee_procedures_paid_online] += (bits & TTHC_PB_PAID_ONLINE) ? 1 : 0;
	}
	if (flags->for_citizens && known)
	{
		a[TTHC_A_citizen_procedures] += 1;
		a[TTHC_A_citizen_procedures_popdb] += (bits & TTHC_PB_POPULATION_DB) ? 1 : 0;
	}
	if (bits & TTHC_PB_ANNOUNCED)
	{
		a[TTHC_A_announced] += 1;
		a[TTHC_A_announced_on_time] += (bits & TTHC_PB_ANNOUNCED_LATE) ? 0 : 1;
	}
	if (bits & TTHC_PB_PUBLISH_DUE)
	{
		a[TTHC_A_publish_due] += 1;
		a[TTHC_A_published_on_time] += (bits & TTHC_PB_PUBLISHED_LATE) ? 0 : 1;
	}
}

/*
 * tthc_acc_add_service
 *		Add a service of the subtree: an online one (3.2) counts, used when
 *		it had at least one online dossier in the period.
 */
void
tthc_acc_add_service(TthcMetricAcc *acc, TthcOnlineLevel level, bool used_online)
{
	if (level == TTHC_ONLINE_NONE)
		return;
	acc->v[TTHC_A_online_services] += 1;
	acc->v[TTHC_A_online_services_used] += used_online ? 1 : 0;
}

/*
 * tthc_acc_add_reported
 *		Add a reported volume of the period (1.4).
 */
void
tthc_acc_add_reported(TthcMetricAcc *acc, int64_t received)
{
	acc->v[TTHC_A_reported] += received;
	acc->v[TTHC_A_reported_rows] += 1;
}

/*
 * set_ratio
 *		out := numerator / denominator, without a factor.
 */
static void
set_ratio(TthcMetricValue *out, int64_t numerator, int64_t denominator)
{
	out->numerator = numerator;
	out->denominator = denominator;
}

/*
 * tthc_metric_value
 *		A metric's numerator and denominator from an accumulator; for
 *		online_dossiers (3.3) also the factor, the 1.4 ratio.
 *
 * The denominator of 1.4 is the larger of the reported and the local
 * counts of received dossiers when a reported volume was found, else the
 * local count.  The switch has no default: a metric added to indexset.h
 * without a case here is a compiler warning (-Wswitch).
 */
void
tthc_metric_value(const TthcMetricAcc *acc, TthcMetric metric, TthcMetricValue *out)
{
	const int64_t *a = acc->v;
	int64_t		received = a[TTHC_A_received];
	int64_t		d14;

	memset(out, 0, sizeof(*out));
	out->has_factor = false;
	if (a[TTHC_A_reported_rows] > 0)
		d14 = a[TTHC_A_reported] > received ? a[TTHC_A_reported] : received;
	else
		d14 = received;

	switch (metric)
	{
		case TTHC_M_announced_on_time:
			set_ratio(out, a[TTHC_A_announced_on_time], a[TTHC_A_announced]);
			break;
		case TTHC_M_published_on_time:
			set_ratio(out, a[TTHC_A_published_on_time], a[TTHC_A_publish_due]);
			break;
		case TTHC_M_published_complete:
			set_ratio(out, a[TTHC_A_procedures_complete], a[TTHC_A_procedures_in_competence]);
			break;
		case TTHC_M_synced:
			set_ratio(out, a[TTHC_A_synced], d14);
			break;
		case TTHC_M_not_late:
			set_ratio(out, a[TTHC_A_not_late], received);
			break;
		case TTHC_M_handling_time:
			set_ratio(out, a[TTHC_A_work_usecs], a[TTHC_A_finished]);
			break;
		case TTHC_M_offered_online:
			set_ratio(out, a[TTHC_A_procedures_online], a[TTHC_A_procedures_in_competence]);
			break;
		case TTHC_M_online_services_used:
			set_ratio(out, a[TTHC_A_online_services_used], a[TTHC_A_online_services]);
			break;
		case TTHC_M_online_dossiers:
			set_ratio(out, a[TTHC_A_online_counted], received);
			out->has_factor = true;
			out->factor_numerator = a[TTHC_A_synced];
			out->factor_denominator = d14;
			break;
		case TTHC_M_fee_procedures_synced:
			set_ratio(out, a[TTHC_A_fee_procedures_synced], a[TTHC_A_fee_procedures]);
			break;
		case TTHC_M_fee_procedures_paid_online:
			set_ratio(out, a[TTHC_A_fee_procedures_paid_online],
					  a[TTHC_A_fee_procedures_with_dossiers]);
			break;
		case TTHC_M_paid_online:
			set_ratio(out, a[TTHC_A_fee_paid_online], a[TTHC_A_fee_dossiers]);
			break;
		case TTHC_M_e_result:
			set_ratio(out, a[TTHC_A_paper_e_result], a[TTHC_A_paper_received]);
			break;
		case TTHC_M_digitized:
			set_ratio(out, a[TTHC_A_digitized_counted], received);
			break;
		case TTHC_M_e_certified_copy:
			set_ratio(out, a[TTHC_A_cert_e_copy], a[TTHC_A_cert_received]);
			break;
		case TTHC_M_reused_data:
			set_ratio(out, a[TTHC_A_reused_data], received);
			break;
		case TTHC_M_personal_store:
			set_ratio(out, a[TTHC_A_personal_store], received);
			break;
		case TTHC_M_population_db_procedures:
			set_ratio(out, a[TTHC_A_citizen_procedures_popdb], a[TTHC_A_citizen_procedures]);
			break;
		case TTHC_M_population_db:
			set_ratio(out, a[TTHC_A_population_db], received);
			break;
		case TTHC_M_feedback_on_time:
			set_ratio(out, a[TTHC_A_fb_on_time], a[TTHC_A_fb_received]);
			break;
		case TTHC_M_feedback_satisfied:
			set_ratio(out, a[TTHC_A_fb_satisfied], a[TTHC_A_fb_received]);
			break;
		case TTHC_M_satisfied:
			set_ratio(out, a[TTHC_A_satisfied], received);
			break;
		case TTHC_M_feedback_by_category:
			set_ratio(out, a[TTHC_A_fb_categorized], a[TTHC_A_fb_received]);
			break;
		case TTHC_NMETRICS:
			/* not a metric: 0 / 0 */
			break;
	}
}
