/*
 * tally.h
 *		How the tallies are laid out in time, and how a read picks its rows.
 *
 * Pure C, no PostgreSQL header.  Tallies are kept at three grains: day,
 * month and year of receipt (see docs/engine.md).  A month or year row may
 * stand for its days only when the whole bucket lies inside the range read
 * and ended before the day of the evaluation instant: then every late entry
 * dated inside the bucket is already late, which is what lets a month or
 * year row fold those entries into its base counters.
 */
#ifndef TTHC_TALLY_H
#define TTHC_TALLY_H

#include <stdbool.h>
#include <stdint.h>

/* The late day of a base entry: before every day (PostgreSQL's -infinity). */
#define TTHC_BASE_LATE_DAY INT32_MIN

typedef enum TthcGrain
{
	TTHC_GRAIN_DAY = 'd',
	TTHC_GRAIN_MONTH = 'm',
	TTHC_GRAIN_YEAR = 'y'
} TthcGrain;

/* The first and last day of the bucket of that grain holding day. */
extern int32_t tthc_bucket_first(TthcGrain grain, int32_t day);
extern int32_t tthc_bucket_last(TthcGrain grain, int32_t day);

/*
 * The late day an entry keeps at a grain: a late day inside or before its
 * bucket folds into the base entry (TTHC_BASE_LATE_DAY).
 */
extern int32_t tthc_bucket_late_day(TthcGrain grain, int32_t received_day, int32_t late_day);

/*
 * Cover the received days from..to (from <= to), read at evaluation day
 * at_day, with the fewest buckets: whole years, then whole months, then
 * single days.  Writes the first day of each bucket into years, months and
 * days (each with room for max entries) and their counts.  Returns false
 * when a list would overflow.
 */
typedef struct TthcCover
{
	int32_t    *years;
	int			nyears;
	int32_t    *months;
	int			nmonths;
	int32_t    *days;
	int			ndays;
	int			max;
} TthcCover;

extern bool tthc_cover(int32_t from, int32_t to, int32_t at_day, TthcCover *cover);

#endif							/* TTHC_TALLY_H */
