/*
 * dossier.h
 *		One path from a dossier's fields to what it counts for (SPEC §5).
 *
 * Pure C, no PostgreSQL header.  The same functions serve the trigger that
 * validates a row, the tallies, their rebuild and the recompute aggregate
 * over raw rows, so they cannot disagree.  Instants are local microseconds
 * (see calendar.h); TTHC_NO_TIME stands for NULL.
 */
#ifndef TTHC_DOSSIER_H
#define TTHC_DOSSIER_H

#include <stdbool.h>
#include <stdint.h>

#include "calendar.h"
#include "counters.h"

#define TTHC_NO_TIME INT64_MIN

/* DVCQG TrangThaiHoSo */
#define TTHC_ST_NEW			1	/* Mới đăng ký */
#define TTHC_ST_RECEIVED	2	/* Được tiếp nhận */
#define TTHC_ST_REFUSED		3	/* Không được tiếp nhận */
#define TTHC_ST_PROCESSING	4	/* Đang xử lý */
#define TTHC_ST_SUPPLEMENT	5	/* Yêu cầu bổ sung giấy tờ */
#define TTHC_ST_FEE			6	/* Yêu cầu thực hiện nghĩa vụ tài chính */
#define TTHC_ST_WITHDRAWN	7	/* Công dân yêu cầu rút hồ sơ */
#define TTHC_ST_STOPPED		8	/* Dừng xử lý */
#define TTHC_ST_FINISHED	9	/* Đã xử lý xong */
#define TTHC_ST_RETURNED	10	/* Đã trả kết quả */

typedef struct TthcDossierIn
{
	int			status;			/* 1-10 */
	int			channel;		/* 1 in person, 2 online, 3 postal; 0 = NULL */
	int64_t		submitted;
	int64_t		received;
	int64_t		due;
	int64_t		finished;
	int64_t		returned;
	int64_t		ended;
	int64_t		synced;
	int			supplement_requests;
	int64_t		supplement_requested;
	int64_t		supplement_received;
	bool		fee_positive;	/* fee > 0 */
	int			paid_online;	/* 0, 1 portal, 2 local gateway */
	bool		e_result;
	bool		digitized;
	bool		reused_data;
	bool		personal_store;
	bool		population_db;
	bool		e_certified_copy;
	int			rating;			/* 0 = NULL, 1 satisfied, -1 unsatisfied */
	bool		has_feedback;	/* a feedback item is about it (criterion 5.3) */
} TthcDossierIn;

/* A row that breaks a rule: which field, and against which other field. */
typedef enum TthcDossierFault
{
	TTHC_DF_OK = 0,
	TTHC_DF_BAD_VALUE,			/* field's value is not one of the codes */
	TTHC_DF_BEFORE,				/* field is before other */
	TTHC_DF_NEEDS,				/* field must be set when other is */
	TTHC_DF_NEEDS_STATUS		/* field must be set for this status */
} TthcDossierFault;

typedef struct TthcDossierCheck
{
	TthcDossierFault fault;
	const char *field;
	const char *other;
} TthcDossierCheck;

extern TthcDossierCheck tthc_dossier_check(const TthcDossierIn *in);

typedef struct TthcDossierClass
{
	bool		received;		/* counts at all */
	int32_t		received_day;	/* local day of receipt */
	int64_t		end;			/* end instant, or TTHC_NO_TIME when open */
	int64_t		due;			/* effective due instant, or TTHC_NO_TIME */
	int64_t		late_from;		/* late at any T > late_from; TTHC_NO_TIME: never */
	bool		unsatisfied;	/* rated unsatisfied, or with feedback */
	TthcCounters base;			/* contribution, without late and late_or_unsatisfied */
} TthcDossierClass;

/*
 * Classify a dossier.  Fails (TTHC_CAL_OUT_OF_RANGE) only when supplement
 * or handling times fall outside the working-day calendar.
 */
extern TthcCalStatus tthc_dossier_classify(const TthcCalendar *cal, const TthcDossierIn *in,
										   TthcDossierClass *out);

/* Is the dossier late at evaluation instant t? */
extern bool tthc_dossier_late_at(const TthcDossierClass *cl, int64_t t);

/* out = its counters at evaluation instant t (base plus the late ones). */
extern void tthc_dossier_counters_at(const TthcDossierClass *cl, int64_t t, TthcCounters *out);

/*
 * What a dossier adds to the tallies, in at most two entries keyed by its
 * received day: the base entry (its counters without lateness, but with
 * late_or_unsatisfied when unsatisfied) and, when it can be late, a late
 * entry keyed by the day of late_from ({late: 1, late_or_unsatisfied: 1
 * unless already counted}).  For any t, base plus the late entry when
 * late_from < t equals tthc_dossier_counters_at(t).  Returns the number of
 * entries (0 when not received); *late_day is set when it returns 2.
 */
extern int	tthc_dossier_entries(const TthcDossierClass *cl, TthcCounters *base,
								 int32_t *late_day, TthcCounters *late);

#endif							/* TTHC_DOSSIER_H */
