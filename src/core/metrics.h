/*
 * metrics.h
 *		From what an agency's subtree adds up to, the numerator and the
 *		denominator of every metric of the index sets (INDEX-766.md).
 *
 * Pure C, no PostgreSQL header.  Scoring an agency (the glue, src/scores.c)
 * walks the rows of its subtree once and adds each into one accumulator:
 *
 *	- every (agency, procedure) tally row of the period: its counters,
 *	  filtered by the procedure's flags (tthc_acc_add_counters);
 *	- every distinct procedure of the subtree, once, with the bits of
 *	  what its services, dossiers and announcements showed anywhere in
 *	  the subtree ORed together (tthc_acc_add_procedure);
 *	- every service (agency, procedure) of the subtree (tthc_acc_add_service);
 *	- every reported volume of the period (tthc_acc_add_reported).
 *
 * Everything accumulated is a count, so accumulators add: a subtree's is
 * the sum of its agencies'.  tthc_metric_value then turns an accumulator
 * into a metric's numerator and denominator.  Points, maxima and targets
 * are data of the index set (indexset.h), not of this file.
 */
#ifndef TTHC_METRICS_H
#define TTHC_METRICS_H

#include <stdbool.h>
#include <stdint.h>

#include "calendar.h"
#include "counters.h"
#include "indexset.h"

/* The flags of a procedure (tthc.procedure) that the metrics read. */
typedef struct TthcProcFlags
{
	bool		fee_required;
	bool		paper_result;
	bool		full_online_eligible;
	bool		for_citizens;
	bool		is_certification;
	bool		parts_complete;
} TthcProcFlags;

/* tthc.service.online_level */
typedef enum TthcOnlineLevel
{
	TTHC_ONLINE_NONE = 0,		/* NULL: not online */
	TTHC_ONLINE_PARTIAL = 1,
	TTHC_ONLINE_FULL = 2
} TthcOnlineLevel;

/*
 * What a distinct procedure showed in a subtree: bits ORed over its
 * services, its tally rows and its announcements there.
 */
#define TTHC_PB_IN_COMPETENCE	(1u << 0)	/* a service of the subtree provides it */
#define TTHC_PB_ONLINE			(1u << 1)	/* offered online (full or partial) by one */
#define TTHC_PB_FULL_ONLINE		(1u << 2)	/* offered fully online by one */
#define TTHC_PB_HAS_DOSSIERS	(1u << 3)	/* >= 1 dossier received in the period */
#define TTHC_PB_SYNCED_FEE		(1u << 4)	/* >= 1 dossier synced with fee data */
#define TTHC_PB_PAID_ONLINE		(1u << 5)	/* >= 1 dossier paid online */
#define TTHC_PB_POPULATION_DB	(1u << 6)	/* >= 1 dossier verified against the population database */
#define TTHC_PB_ANNOUNCED		(1u << 7)	/* announced (new, amended, abolished) in the period */
#define TTHC_PB_ANNOUNCED_LATE	(1u << 8)	/* one of those announcements was late */
#define TTHC_PB_PUBLISH_DUE		(1u << 9)	/* published in the period, or unpublished past its deadline */
#define TTHC_PB_PUBLISHED_LATE	(1u << 10)	/* one of those was published late or not at all */
/*
 * Not a procedure bit: on a tally row of one (agency, procedure), >= 1
 * online dossier, so the service of that pair was used online (3.2).
 * tthc.counters_bits() stores it beside the others in tthc.tally_agency.
 */
#define TTHC_PB_ONLINE_DOSSIER	(1u << 11)
#define TTHC_PB_PROCEDURE_MASK	((1u << 11) - 1)

/* The bits of a service row, and of an (agency, procedure) tally row. */
extern uint32_t tthc_service_bits(TthcOnlineLevel level);
extern uint32_t tthc_counters_bits(const TthcCounters *c);

/*
 * The bits of one announcement (tthc.announcement) for the period of
 * received days from..to, days as calendar.h day numbers; published is
 * TTHC_NO_DAY when NULL.  ministry: the announcing side is a ministry
 * (limits of 20 and 10 working days), else a province (5 and 5).
 *	- ANNOUNCED when decided in from..to; ANNOUNCED_LATE too when the
 *	  working days in [decided, basis_effective) number fewer than 20
 *	  (ministry) or 5 (province), i.e. the decision came later than the
 *	  effective day minus that many working days (never late without an
 *	  effective day);
 *	- PUBLISH_DUE when published in from..to, or not published by 'to'
 *	  while its deadline (the 10th or 5th working day after the decision)
 *	  is on or before 'to'; PUBLISHED_LATE too when due and published after
 *	  the deadline or not published by 'to'.
 * Fails (TTHC_CAL_OUT_OF_RANGE, bits 0) when a day it has to look up is
 * outside the calendar; a publication deadline past the calendar's end
 * fails even when it is after 'to'.  Accumulators are plain int64 counts:
 * far from overflow at any real volume.
 */
#define TTHC_NO_DAY INT32_MIN
extern TthcCalStatus tthc_announcement_bits(const TthcCalendar *cal, bool ministry,
											int32_t decided, int32_t basis_effective,
											int32_t published, int32_t from, int32_t to,
											uint32_t *bits);

/*
 * The accumulator: X(name, meaning), storage order irrelevant (in memory only).
 */
#define TTHC_ACC_LIST(X) \
	X(received,            "dossiers received") \
	X(not_late,            "received and not late at the evaluation time") \
	X(synced,              "received and synced to the portal") \
	X(online_counted,      "online, with an electronic result where the procedure returns paper (3.3)") \
	X(fee_dossiers,        "dossiers of fee procedures with a fee above zero (3.6)") \
	X(fee_paid_online,     "of those, paid online (3.6)") \
	X(paper_received,      "dossiers of procedures returning a paper result (4.1)") \
	X(paper_e_result,      "of those, with an electronic result (4.1)") \
	X(digitized_counted,   "digitised, and with an electronic result where paper is due (4.2)") \
	X(cert_received,       "dossiers of certification procedures (4.3)") \
	X(cert_e_copy,         "of those, issuing an electronic certified copy (4.3)") \
	X(reused_data,         "reusing digitised data (4.4)") \
	X(personal_store,      "using the personal data store (4.5)") \
	X(population_db,       "verified against the population database (4.7)") \
	X(satisfied,           "received, and neither late, nor rated unsatisfied, nor with feedback (5.3)") \
	X(finished,            "finished or returned (2.2)") \
	X(work_usecs,          "their working time, in microseconds (2.2)") \
	X(fb_received,         "feedback items received (5.1, 5.2, 5.4)") \
	X(fb_on_time,          "not late under the limits of 5.1") \
	X(fb_satisfied,        "neither late nor unsatisfied (5.2)") \
	X(fb_categorized,      "about rules or about staff (5.4)") \
	X(reported,            "dossiers received per the national reporting system (1.4)") \
	X(reported_rows,       "reported volumes found (1.4: none means the local count)") \
	X(procedures,          "distinct procedures in competence or with dossiers") \
	X(procedures_online,   "of those in competence, offered online (3.1)") \
	X(procedures_in_competence, "procedures in competence (3.1, 1.3)") \
	X(procedures_complete, "in competence, with all 7 parts published (1.3)") \
	X(full_online_eligible, "in competence, eligible for full online (3.1, reported)") \
	X(full_online,         "of those, offered fully online (3.1, reported)") \
	X(online_services,     "services offered online (3.2)") \
	X(online_services_used, "of those, with >= 1 online dossier in the period (3.2)") \
	X(fee_procedures,      "fee procedures in competence or with dossiers (3.4)") \
	X(fee_procedures_synced, "of those, with >= 1 dossier synced with fee data (3.4)") \
	X(fee_procedures_with_dossiers, "fee procedures with dossiers in the period (3.5)") \
	X(fee_procedures_paid_online, "of those, with >= 1 dossier paid online (3.5)") \
	X(citizen_procedures,  "procedures for citizens in competence or with dossiers (4.6)") \
	X(citizen_procedures_popdb, "of those, with >= 1 dossier verified against the population database (4.6)") \
	X(announced,           "procedures announced in the period (1.1)") \
	X(announced_on_time,   "of those, with no announcement late (1.1)") \
	X(publish_due,         "procedures published in the period or overdue (1.2)") \
	X(published_on_time,   "of those, with every publication on time (1.2)")

typedef enum TthcAccId
{
#define TTHC_ACC_ENUM(name, meaning) TTHC_A_##name,
	TTHC_ACC_LIST(TTHC_ACC_ENUM)
#undef TTHC_ACC_ENUM
	TTHC_NACC
} TthcAccId;

typedef struct TthcMetricAcc
{
	int64_t		v[TTHC_NACC];
} TthcMetricAcc;

extern const char *const tthc_acc_names[TTHC_NACC];

extern void tthc_acc_zero(TthcMetricAcc *acc);
extern void tthc_acc_merge(TthcMetricAcc *acc, const TthcMetricAcc *other);

/* A tally row of one procedure (flags NULL: feedback rows, procedure ''). */
extern void tthc_acc_add_counters(TthcMetricAcc *acc, const TthcProcFlags *flags,
								  const TthcCounters *c);
/* A distinct procedure of the subtree, once, with its ORed bits. */
extern void tthc_acc_add_procedure(TthcMetricAcc *acc, const TthcProcFlags *flags,
								   uint32_t bits);
/* A service of the subtree, and whether it had an online dossier. */
extern void tthc_acc_add_service(TthcMetricAcc *acc, TthcOnlineLevel level, bool used_online);
/* A reported volume (tthc.reported_volume.received) of the period. */
extern void tthc_acc_add_reported(TthcMetricAcc *acc, int64_t received);

/*
 * A metric's value: numerator and denominator (whole numbers), and for
 * online_dossiers (3.3) a factor, the sync ratio of 1.4, by which the
 * ratio numerator / denominator is multiplied.  The ratio is 0 (or the
 * index set's empty rule) when the denominator is 0.  handling_time (2.2)
 * gives working microseconds over finished dossiers.
 */
typedef struct TthcMetricValue
{
	int64_t		numerator;
	int64_t		denominator;
	bool		has_factor;
	int64_t		factor_numerator;
	int64_t		factor_denominator;
} TthcMetricValue;

extern void tthc_metric_value(const TthcMetricAcc *acc, TthcMetric metric, TthcMetricValue *out);

#endif							/* TTHC_METRICS_H */
