/*
 * indexset.h
 *		Index sets: the document that says how criteria score, and the
 *		fixed registry of metrics the criteria read.
 *
 * Pure C, no PostgreSQL header.  What a criterion measures (its numerator
 * and denominator) is code: a metric of the registry below.  How it scores
 * (its maximum, kind, target, empty-denominator rule, the agencies it
 * applies to), how criteria are grouped and how totals are graded are data:
 * a JSON document, the index set, that tthc_indexset_parse checks and
 * copies into a flat TthcIndexSet that needs no freeing.  The default set,
 * 766, ships as src/sql/index_766.json; docs/index-sets.md describes the
 * format.
 */
#ifndef TTHC_INDEXSET_H
#define TTHC_INDEXSET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * X(name, criterion of the 766 index, computed from, meaning).  "Computed
 * from" says what the numerator and the denominator count: dossiers (read
 * from the tallies), feedback items, or procedures of the catalogue (some
 * of them judged by their dossiers, like 3.2).  Any index set may use any
 * metric for any criterion id.
 */
#define TTHC_METRIC_LIST(X) \
	X(announced_on_time, "1.1", CATALOGUE, \
	  "procedures announced on time / procedures announced in the period") \
	X(published_on_time, "1.2", CATALOGUE, \
	  "procedures published on the national database on time / procedures published in the period or still due") \
	X(published_complete, "1.3", CATALOGUE, \
	  "published procedures whose record has all 7 parts / published procedures") \
	X(synced, "1.4", DOSSIERS, \
	  "dossiers received in the period and synced to the national portal / dossiers received") \
	X(not_late, "2.1", DOSSIERS, \
	  "dossiers received in the period and not late at the evaluation time / dossiers received") \
	X(handling_time, "2.2", DOSSIERS, \
	  "mean handling time of finished dossiers, per procedure (monitoring only)") \
	X(offered_online, "3.1", CATALOGUE, \
	  "procedures in the agency's competence offered online / procedures in its competence") \
	X(online_services_used, "3.2", CATALOGUE, \
	  "online services with at least one online dossier in the period / online services") \
	X(online_dossiers, "3.3", DOSSIERS, \
	  "online dossiers (with an electronic result where due) / dossiers received, times the 1.4 ratio") \
	X(fee_procedures_synced, "3.4", CATALOGUE, \
	  "fee procedures with dossiers synced with fee data / fee procedures") \
	X(fee_procedures_paid_online, "3.5", CATALOGUE, \
	  "fee procedures with at least one dossier paid online / fee procedures with dossiers") \
	X(paid_online, "3.6", DOSSIERS, \
	  "dossiers paid online / dossiers of procedures with a fee above zero") \
	X(e_result, "4.1", DOSSIERS, \
	  "dossiers with an electronic result / dossiers of procedures that return a paper result") \
	X(digitized, "4.2", DOSSIERS, \
	  "dossiers digitised (with an electronic result where a paper one is due) / dossiers") \
	X(e_certified_copy, "4.3", DOSSIERS, \
	  "certification dossiers that issued an electronic certified copy / certification dossiers") \
	X(reused_data, "4.4", DOSSIERS, \
	  "dossiers reusing at least one digitised component / dossiers received") \
	X(personal_store, "4.5", DOSSIERS, \
	  "dossiers using the applicant's personal data store on the portal / dossiers received") \
	X(population_db_procedures, "4.6", CATALOGUE, \
	  "procedures for citizens with a dossier verified against the population database / procedures for citizens") \
	X(population_db, "4.7", DOSSIERS, \
	  "dossiers verified against the population database / dossiers") \
	X(feedback_on_time, "5.1", FEEDBACK, \
	  "feedback handled on time or still open within its limit / feedback received in the period") \
	X(feedback_satisfied, "5.2", FEEDBACK, \
	  "feedback not disliked, not raised again and not handled late / feedback") \
	X(satisfied, "5.3", DOSSIERS, \
	  "1 - (late dossiers + dossiers with feedback or an unsatisfied rating) / dossiers") \
	X(feedback_by_category, "5.4", FEEDBACK, \
	  "feedback about rules and procedures or officials' behaviour / feedback (monitoring only)")

typedef enum TthcMetric
{
#define TTHC_METRIC_ENUM(name, criterion, source, meaning) TTHC_M_##name,
	TTHC_METRIC_LIST(TTHC_METRIC_ENUM)
#undef TTHC_METRIC_ENUM
	TTHC_NMETRICS
} TthcMetric;

typedef enum TthcMetricSource
{
	TTHC_FROM_DOSSIERS,
	TTHC_FROM_FEEDBACK,
	TTHC_FROM_CATALOGUE
} TthcMetricSource;

extern const char *const tthc_metric_names[TTHC_NMETRICS];
extern const char *const tthc_metric_descriptions[TTHC_NMETRICS];
/* the criterion of the 766 index each metric was made for */
extern const char *const tthc_metric_criteria[TTHC_NMETRICS];
extern const TthcMetricSource tthc_metric_sources[TTHC_NMETRICS];
/* "dossiers", "feedback", "catalogue" */
extern const char *const tthc_metric_source_names[3];

/* The metric of that name, or -1. */
extern int	tthc_metric_lookup(const char *name);

/* Limits of the flat form (a longer document is refused, not cut). */
#define TTHC_IS_MAX_GROUPS		16
#define TTHC_IS_MAX_CRITERIA	64
#define TTHC_IS_MAX_GRADES		16
#define TTHC_IS_CODE_LEN		32	/* ids and codes, NUL included */
#define TTHC_IS_NAME_LEN		256 /* names, in bytes of UTF-8, NUL included */
#define TTHC_IS_NUMBER_LEN		32

/*
 * A number of the document, with the shortest decimal text that reads back
 * as the same double ("0.8", "18"), so that the SQL glue can store it as an
 * exact numeric.  Numbers needing more than 15 significant digits are
 * refused, so the text is exactly what the document's author wrote.
 */
typedef struct TthcNumber
{
	double		value;
	char		text[TTHC_IS_NUMBER_LEN];
} TthcNumber;

typedef enum TthcScoreKind
{
	TTHC_KIND_LINEAR,			/* points = max * ratio */
	TTHC_KIND_TARGET,			/* points = min(max, max * ratio / target) */
	TTHC_KIND_NONE				/* monitoring only, no points */
} TthcScoreKind;

typedef enum TthcEmptyRule
{
	TTHC_EMPTY_ZERO,			/* no points when the denominator is 0 */
	TTHC_EMPTY_FULL				/* full points when the denominator is 0 */
} TthcEmptyRule;

/* Levels of the agency tree a criterion applies to (a bit mask). */
#define TTHC_LEVEL_TOP	1		/* ministries and provinces */
#define TTHC_LEVEL_UNIT 2		/* agencies below them */
#define TTHC_LEVEL_ALL	(TTHC_LEVEL_TOP | TTHC_LEVEL_UNIT)

typedef struct TthcIsGroup
{
	char		code[TTHC_IS_CODE_LEN];
	char		name_vi[TTHC_IS_NAME_LEN];
	char		name_en[TTHC_IS_NAME_LEN];	/* "" when the document has none */
	TthcNumber	max;
} TthcIsGroup;

typedef struct TthcIsCriterion
{
	char		id[TTHC_IS_CODE_LEN];
	char		name_vi[TTHC_IS_NAME_LEN];
	char		name_en[TTHC_IS_NAME_LEN];
	int			group;			/* index into groups[] */
	int			portal_group;	/* index into portal_groups[] */
	TthcMetric	metric;
	TthcNumber	max;
	TthcScoreKind kind;
	TthcNumber	target;			/* kind target only; else 0 and "" */
	TthcEmptyRule empty;
	int			levels;			/* TTHC_LEVEL_* bits, never 0 */
} TthcIsCriterion;

typedef struct TthcIsGrade
{
	char		code[TTHC_IS_CODE_LEN];
	char		name_vi[TTHC_IS_NAME_LEN];
	char		name_en[TTHC_IS_NAME_LEN];
	TthcNumber	min;			/* lowest percentage of the grade */
} TthcIsGrade;

/*
 * A checked index set.  When the document has no portal_groups, they are a
 * copy of groups and each criterion's portal_group is its group.  Grades
 * run from the highest min down to a last one of min 0.  About 70 kB: the
 * glue should palloc it rather than put it on the stack.
 */
typedef struct TthcIndexSet
{
	char		id[TTHC_IS_CODE_LEN];
	char		name_vi[TTHC_IS_NAME_LEN];
	char		name_en[TTHC_IS_NAME_LEN];
	TthcNumber	total;
	int			ngroups;
	TthcIsGroup groups[TTHC_IS_MAX_GROUPS];
	int			nportal_groups;
	TthcIsGroup portal_groups[TTHC_IS_MAX_GROUPS];
	int			ncriteria;
	TthcIsCriterion criteria[TTHC_IS_MAX_CRITERIA];
	int			ngrades;
	TthcIsGrade grades[TTHC_IS_MAX_GRADES];
} TthcIndexSet;

/*
 * Parse and check the index-set document json[0..len) (no NUL needed).
 * Returns NULL and fills *out when the document is valid; else returns err,
 * filled with a message that starts with the JSONPath of the fault, like
 * "$.criteria[3].target: 1.5 is outside (0, 1]" (*out is then
 * unspecified).  Allocates only inside cJSON, and frees it before
 * returning on every path.
 */
extern const char *tthc_indexset_parse(const char *json, size_t len,
									   TthcIndexSet *out,
									   char *err, int errsize);

/* The index of the criterion with that id, or -1. */
extern int	tthc_indexset_find_criterion(const TthcIndexSet *set, const char *id);

/*
 * The points an agency of the given level (TTHC_LEVEL_TOP or _UNIT) can
 * reach: the sum of the maxima of the criteria that apply to it.  Scores of
 * units are rescaled by it (points / max_points * 100).
 */
extern double tthc_indexset_max_points(const TthcIndexSet *set, int level);

/*
 * The grade (index into set->grades) of a percentage, points / max_points *
 * 100: the first grade whose min is at most percent.  -1 for a negative or
 * NaN percentage.
 */
extern int	tthc_grade_index(const TthcIndexSet *set, double percent);

/*
 * Points of a criterion.  tthc_points_of_ratio applies the kind to a ratio
 * (linear: max * ratio; target: max * ratio / target; none: 0), kept within
 * [0, max].  tthc_points applies the empty rule when denominator <= 0, else
 * the kind to numerator / denominator, in long double.  The SQL layer
 * recomputes points in numeric, exactly; these are for the unit tests and
 * the HTML page.
 */
extern double tthc_points_of_ratio(const TthcIsCriterion *c, double ratio);
extern double tthc_points(const TthcIsCriterion *c, int64_t numerator,
						  int64_t denominator);

#endif							/* TTHC_INDEXSET_H */
