/*
 * counters.h
 *		The mergeable counters of a set of dossiers.
 *
 * Pure C, no PostgreSQL header.  A TthcCounters is a fixed vector of int64
 * counts and sums: counters add, subtract and merge in any order, so a
 * dossier's contribution can be added when a row appears and subtracted
 * when it changes or goes, partial sums can be combined in parallel, and a
 * rebuild from the rows gives the same vector.  Nothing here depends on a
 * procedure's flags: the criteria pick the counters they need per
 * procedure when they read (see docs/engine.md).
 */
#ifndef TTHC_COUNTERS_H
#define TTHC_COUNTERS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * X(name, meaning).  The order is the storage order: append new counters at
 * the end only (stored values with fewer counters read the rest as 0).
 */
#define TTHC_COUNTER_LIST(X) \
	X(received,           "dossiers received") \
	X(synced,             "received and synced to the national portal") \
	X(synced_with_fee,    "synced, with a fee to pay") \
	X(in_person,          "received in person (channel 1)") \
	X(online,             "received online (channel 2)") \
	X(postal,             "received by public postal service (channel 3)") \
	X(online_e_result,    "online, with an electronic result") \
	X(ended,              "ended: finished, returned, refused, stopped or withdrawn") \
	X(finished,           "finished or returned (statuses 9, 10)") \
	X(early,              "ended strictly before the due time") \
	X(on_time,            "ended at or before the due time (early included)") \
	X(late,               "late at the evaluation time") \
	X(late_or_unsatisfied, "late at the evaluation time, rated unsatisfied or with feedback, each once") \
	X(no_time_limit,      "received, for a procedure with no time limit") \
	X(supplemented,       "with at least one supplement request") \
	X(supplemented_twice, "with more than one supplement request") \
	X(with_fee,           "with a fee to pay") \
	X(paid_online,        "with a fee, paid online (portal or local gateway)") \
	X(paid_on_portal,     "with a fee, paid on the national portal") \
	X(e_result,           "with an electronic result") \
	X(digitized,          "whose components were digitised") \
	X(digitized_e_result, "digitised, with an electronic result") \
	X(e_certified_copy,   "that issued an electronic certified copy") \
	X(reused_data,        "reusing at least one digitised component") \
	X(personal_store,     "using the applicant's data store on the portal") \
	X(population_db,      "verified against the population database") \
	X(rated,              "rated by the applicant") \
	X(rated_unsatisfied,  "rated unsatisfied") \
	X(work_usecs,         "working time from receipt to end of the finished ones, applicant's time excluded, in microseconds") \
	X(elapsed_usecs,      "calendar time from receipt to end of the finished ones, applicant's time excluded, in microseconds") \
	X(fb_received,        "feedback items (PAKN) received") \
	X(fb_rules,           "feedback about rules and procedures (category rules)") \
	X(fb_staff,           "feedback about officials' behaviour (category staff)") \
	X(fb_ended,           "feedback refused or handled") \
	X(fb_late,            "feedback late at the evaluation time (a limit of criterion 5.1 broken)") \
	X(fb_unsatisfied,     "feedback with more dislikes than likes, or raised again") \
	X(fb_late_or_unsatisfied, "feedback late at the evaluation time or unsatisfied, each once") \
	X(with_feedback,      "with at least one feedback item about it")

typedef enum TthcCounterId
{
#define TTHC_COUNTER_ENUM(name, meaning) TTHC_C_##name,
	TTHC_COUNTER_LIST(TTHC_COUNTER_ENUM)
#undef TTHC_COUNTER_ENUM
	TTHC_NCOUNTERS
} TthcCounterId;

typedef struct TthcCounters
{
	int64_t		v[TTHC_NCOUNTERS];
} TthcCounters;

extern const char *const tthc_counter_names[TTHC_NCOUNTERS];
extern const char *const tthc_counter_meanings[TTHC_NCOUNTERS];

extern void tthc_counters_zero(TthcCounters *c);
/* a += sign * b; false on int64 overflow (a is then unspecified) */
extern bool tthc_counters_add(TthcCounters *a, const TthcCounters *b, int sign);
extern bool tthc_counters_is_zero(const TthcCounters *c);
/* The counter of that name, or -1. */
extern int	tthc_counter_lookup(const char *name);

/*
 * Text form: a JSON object {"received": 3, "synced": 2, ...} listing every
 * counter.  tthc_counters_format writes at most size bytes (always
 * NUL-terminated) and returns the length it needed.  tthc_counters_parse
 * accepts any subset of the names (the rest are 0) and returns NULL or an
 * error message written into err.
 */
extern int	tthc_counters_format(const TthcCounters *c, char *buf, int size);
extern const char *tthc_counters_parse(const char *text, TthcCounters *c,
									   char *err, int errsize);

/*
 * Packed form, what the SQL type stores: a 64-bit mask of the non-zero
 * counters (little-endian), then each of them as a zigzag varint (1 byte
 * for -64..63), in counter order.  A tally delta has a handful of small
 * non-zero counters: about 15 bytes instead of 8 per counter.
 * tthc_counters_pack writes at most TTHC_COUNTERS_PACKED_MAX bytes and
 * returns the length.  tthc_counters_unpack reads exactly len bytes and
 * returns false on anything malformed (a varint running past the end or
 * past 64 bits, bytes left over); mask bits past the counters known here
 * are counters of a later version: read and dropped.
 */
#define TTHC_COUNTERS_PACKED_MAX (8 + 10 * 64)
extern int	tthc_counters_pack(const TthcCounters *c, uint8_t *buf);
extern bool tthc_counters_unpack(const uint8_t *buf, size_t len, TthcCounters *c);

#endif							/* TTHC_COUNTERS_H */
