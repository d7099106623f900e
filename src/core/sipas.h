/*
 * sipas.h
 *		Counting survey answers into the SIPAS satisfaction indices.
 *
 * Pure C, no PostgreSQL header.  SIPAS (Decision 2640/QĐ-BNV) measures five
 * elements of the service: access to it, the procedure, the officials, the
 * result, and the handling of feedback.  An element's index is the share of
 * its answers that are satisfied (in percent); the overall index is the mean
 * of the indices of the elements that have answers, so that an element
 * asked about in many questions weighs no more than one asked about in few.
 * Whether an answer is satisfied is the caller's business: the cut-off is
 * data of the questionnaire's scale (tthc.sipas_scale.satisfied_from).
 *
 * Counts add, so the aggregate tthc.sipas_index has a combine function: a
 * province's counts plus another's are the two provinces' counts.
 */
#ifndef TTHC_SIPAS_H
#define TTHC_SIPAS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define TTHC_SIPAS_ELEMENTS 5

typedef struct TthcSipasCounts
{
	int64_t		answered[TTHC_SIPAS_ELEMENTS];
	int64_t		satisfied[TTHC_SIPAS_ELEMENTS];
} TthcSipasCounts;

/* The element codes, in order: access, procedure, officials, result, feedback. */
extern const char *const tthc_sipas_element_codes[TTHC_SIPAS_ELEMENTS];

/* The element of a code of len bytes, or -1 when it is none of them. */
extern int	tthc_sipas_element(const char *code, size_t len);

extern void tthc_sipas_zero(TthcSipasCounts *c);

/* Count one answer; false (nothing counted) on overflow of a count. */
extern bool tthc_sipas_add(TthcSipasCounts *c, int element, bool satisfied);

/* c += other; false (c unchanged) when a count would overflow. */
extern bool tthc_sipas_merge(TthcSipasCounts *c, const TthcSipasCounts *other);

/* Sanity of counts read back from storage: none negative, none satisfied beyond answered. */
extern bool tthc_sipas_valid(const TthcSipasCounts *c);

/* The number of elements with at least one answer. */
extern int	tthc_sipas_elements_answered(const TthcSipasCounts *c);

/*
 * The overall index in percent as a double (for tests and estimates; the SQL
 * function computes it in numeric); a negative value when nothing was answered.
 */
extern double tthc_sipas_index(const TthcSipasCounts *c);

#endif							/* TTHC_SIPAS_H */
