/*
 * indexset.c
 *		The metric registry, the index-set parser and checker, and the
 *		small scoring helpers (grades, points) the tests and the HTML page
 *		use.
 *
 * The document is parsed with cJSON, then checked member by member into a
 * flat TthcIndexSet.  Every fault is reported with the JSONPath of the
 * member at fault, since a DBA loading a set of 23 criteria needs to know
 * which one is wrong.  Unknown members are refused, so that a typo
 * ("targte") cannot leave a default silently in place.  The cJSON tree is
 * freed in one place, after the checks, whatever they found.
 */
#include "indexset.h"

#include <cjson/cJSON.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>


const char *const tthc_metric_names[TTHC_NMETRICS] = {
#define TTHC_METRIC_NAME(name, criterion, source, meaning) #name,
	TTHC_METRIC_LIST(TTHC_METRIC_NAME)
#undef TTHC_METRIC_NAME
};

const char *const tthc_metric_descriptions[TTHC_NMETRICS] = {
#define TTHC_METRIC_MEANING(name, criterion, source, meaning) meaning,
	TTHC_METRIC_LIST(TTHC_METRIC_MEANING)
#undef TTHC_METRIC_MEANING
};

const char *const tthc_metric_criteria[TTHC_NMETRICS] = {
#define TTHC_METRIC_CRITERION(name, criterion, source, meaning) criterion,
	TTHC_METRIC_LIST(TTHC_METRIC_CRITERION)
#undef TTHC_METRIC_CRITERION
};

const TthcMetricSource tthc_metric_sources[TTHC_NMETRICS] = {
#define TTHC_METRIC_SOURCE(name, criterion, source, meaning) TTHC_FROM_##source,
	TTHC_METRIC_LIST(TTHC_METRIC_SOURCE)
#undef TTHC_METRIC_SOURCE
};

const char *const tthc_metric_source_names[3] = {
	"dossiers", "feedback", "catalogue"
};

int
tthc_metric_lookup(const char *name)
{
	for (int i = 0; i < TTHC_NMETRICS; i++)
		if (strcmp(tthc_metric_names[i], name) == 0)
			return i;
	return -1;
}

/* Relative tolerance of the sums of maxima. */
#define SUM_TOLERANCE 1e-9

/* Where error messages go. */
typedef struct Parser
{
	char	   *err;
	int			errsize;
} Parser;

/*
 * Write "path[.member]: message" into the error buffer.  Always returns
 * false, so that checks read "return fail(...)".
 */
static bool fail(Parser *p, const char *path, const char *member,
				 const char *fmt,...) __attribute__((format(printf, 4, 5)));

static bool
fail(Parser *p, const char *path, const char *member, const char *fmt,...)
{
	char		msg[512];
	va_list		ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	snprintf(p->err, (size_t) p->errsize, "%s%s%s: %s", path,
			 member ? "." : "", member ? member : "", msg);
	return false;
}

/*
 * The shortest decimal text, at most 15 significant digits, that reads back
 * as v, written without an exponent for ordinary magnitudes ("100", "0.8")
 * so that it reads the same as a numeric and as JSON.  False when v needs
 * more digits: its text could then differ from what the document said.
 */
static bool
number_text(double v, char *buf, size_t size)
{
	if (v == 0)
	{
		snprintf(buf, size, "0");
		return true;
	}
	for (int prec = 1; prec <= 15; prec++)
	{
		char		e[32];
		const char *x;
		int			exp10;

		snprintf(e, sizeof(e), "%.*e", prec - 1, v);
		if (strtod(e, NULL) != v)
			continue;
		x = strchr(e, 'e');
		exp10 = x ? atoi(x + 1) : 0;
		if (exp10 >= -7 && exp10 <= 20)
		{
			int			decimals = prec - 1 - exp10;

			snprintf(buf, size, "%.*f", decimals > 0 ? decimals : 0, v);
			if (strtod(buf, NULL) == v)
				return true;
		}
		snprintf(buf, size, "%s", e);
		return true;
	}
	return false;
}

/* A computed number (a sum) for a message. */
static const char *
show(double v, char *buf, size_t size)
{
	snprintf(buf, size, "%.15g", v == 0 ? 0.0 : v);
	return buf;
}

static bool
nearly_equal(double a, double b)
{
	double		scale = fmax(1.0, fmax(fabs(a), fabs(b)));

	return fabs(a - b) <= SUM_TOLERANCE * scale;
}

/*
 * Refuse members not in allowed (a NULL-terminated list) and members that
 * appear twice (cJSON keeps both, and the lookup would see only the first).
 */
static bool
check_members(Parser *p, const cJSON *obj, const char *path,
			  const char *const *allowed)
{
	for (const cJSON *m = obj->child; m != NULL; m = m->next)
	{
		bool		known = false;

		for (int i = 0; allowed[i] != NULL; i++)
			if (strcmp(m->string, allowed[i]) == 0)
				known = true;
		if (!known)
		{
			char		list[512];
			size_t		len = 0;

			list[0] = '\0';
			for (int i = 0; allowed[i] != NULL && len < sizeof(list); i++)
				len += (size_t) snprintf(list + len, sizeof(list) - len, "%s%s",
										 i > 0 ? ", " : "", allowed[i]);
			return fail(p, path, m->string,
						"unknown member (expected one of %s)", list);
		}
		for (const cJSON *o = obj->child; o != m; o = o->next)
			if (strcmp(o->string, m->string) == 0)
				return fail(p, path, m->string, "appears twice");
	}
	return true;
}

/*
 * A string member copied into buf; a required one must not be empty.
 * Absent and not required: buf is "".  *present (when given) says whether
 * the member was there.
 */
static bool
get_string(Parser *p, const cJSON *obj, const char *path, const char *name,
		   bool required, char *buf, size_t size, bool *present)
{
	const cJSON *item = cJSON_GetObjectItemCaseSensitive(obj, name);
	size_t		len;

	buf[0] = '\0';
	if (present)
		*present = item != NULL;
	if (item == NULL)
		return required ? fail(p, path, NULL, "missing member \"%s\"", name) : true;
	if (!cJSON_IsString(item) || item->valuestring == NULL)
		return fail(p, path, name, "expected a string");
	len = strlen(item->valuestring);
	if (len == 0 && required)
		return fail(p, path, name, "must not be empty");
	if (len >= size)
		return fail(p, path, name, "longer than %d bytes", (int) size - 1);
	memcpy(buf, item->valuestring, len + 1);
	return true;
}

/* A number member.  Absent and not required: 0. */
static bool
get_number(Parser *p, const cJSON *obj, const char *path, const char *name,
		   bool required, TthcNumber *num, bool *present)
{
	const cJSON *item = cJSON_GetObjectItemCaseSensitive(obj, name);

	num->value = 0;
	num->text[0] = '\0';
	if (present)
		*present = item != NULL;
	if (item == NULL)
		return required ? fail(p, path, NULL, "missing member \"%s\"", name) : true;
	if (!cJSON_IsNumber(item))
		return fail(p, path, name, "expected a number");
	if (!isfinite(item->valuedouble))
		return fail(p, path, name, "expected a finite number");
	num->value = item->valuedouble == 0 ? 0.0 : item->valuedouble;
	if (!number_text(num->value, num->text, sizeof(num->text)))
		return fail(p, path, name,
					"%.17g has more than 15 significant digits", num->value);
	return true;
}

/*
 * An array member of 1 to max elements, each an object.  Absent and not
 * required: *arr is NULL.
 */
static bool
get_array(Parser *p, const cJSON *obj, const char *path, const char *name,
		  bool required, int max, const char *what, const cJSON **arr)
{
	const cJSON *item = cJSON_GetObjectItemCaseSensitive(obj, name);
	const cJSON *e;
	int			i = 0;

	*arr = NULL;
	if (item == NULL)
		return required ? fail(p, path, NULL, "missing member \"%s\"", name) : true;
	if (!cJSON_IsArray(item))
		return fail(p, path, name, "expected an array");
	if (item->child == NULL)
		return fail(p, path, name, "expected at least one %s", what);
	cJSON_ArrayForEach(e, item)
	{
		if (i >= max)
			return fail(p, path, name, "more than %d elements", max);
		if (!cJSON_IsObject(e))
		{
			char		epath[128];

			snprintf(epath, sizeof(epath), "%s.%s[%d]", path, name, i);
			return fail(p, epath, NULL, "expected an object");
		}
		i++;
	}
	*arr = item;
	return true;
}

static const char *const group_members[] = {
	"code", "name_vi", "name_en", "max", NULL
};

/*
 * The groups or portal groups (which have the same shape): codes unique,
 * maxima not negative.
 */
static bool
parse_groups(Parser *p, const cJSON *arr, const char *name,
			 TthcIsGroup *groups, int *ngroups)
{
	const cJSON *e;
	int			n = 0;

	cJSON_ArrayForEach(e, arr)
	{
		TthcIsGroup *g = &groups[n];
		char		path[64];

		snprintf(path, sizeof(path), "$.%s[%d]", name, n);
		if (!check_members(p, e, path, group_members) ||
			!get_string(p, e, path, "code", true, g->code, sizeof(g->code), NULL) ||
			!get_string(p, e, path, "name_vi", true, g->name_vi, sizeof(g->name_vi), NULL) ||
			!get_string(p, e, path, "name_en", false, g->name_en, sizeof(g->name_en), NULL) ||
			!get_number(p, e, path, "max", true, &g->max, NULL))
			return false;
		if (g->max.value < 0)
			return fail(p, path, "max", "%s is negative", g->max.text);
		for (int j = 0; j < n; j++)
			if (strcmp(groups[j].code, g->code) == 0)
				return fail(p, path, "code", "duplicate code \"%s\"", g->code);
		n++;
	}
	*ngroups = n;
	return true;
}

static int
find_group(const TthcIsGroup *groups, int ngroups, const char *code)
{
	for (int i = 0; i < ngroups; i++)
		if (strcmp(groups[i].code, code) == 0)
			return i;
	return -1;
}

static const char *const criterion_members[] = {
	"id", "name_vi", "name_en", "group", "portal_group", "metric", "max",
	"kind", "target", "empty", "levels", NULL
};

/* The levels member of a criterion: a non-empty array of "top", "unit". */
static bool
parse_levels(Parser *p, const cJSON *obj, const char *path, int *levels)
{
	const cJSON *arr = cJSON_GetObjectItemCaseSensitive(obj, "levels");
	const cJSON *e;
	int			i = 0;

	*levels = TTHC_LEVEL_ALL;
	if (arr == NULL)
		return true;
	if (!cJSON_IsArray(arr))
		return fail(p, path, "levels", "expected an array");
	if (arr->child == NULL)
		return fail(p, path, "levels", "expected at least one level");
	*levels = 0;
	cJSON_ArrayForEach(e, arr)
	{
		char		epath[96];
		int			bit;

		snprintf(epath, sizeof(epath), "%s.levels[%d]", path, i++);
		if (!cJSON_IsString(e) || e->valuestring == NULL)
			return fail(p, epath, NULL, "expected a string");
		if (strcmp(e->valuestring, "top") == 0)
			bit = TTHC_LEVEL_TOP;
		else if (strcmp(e->valuestring, "unit") == 0)
			bit = TTHC_LEVEL_UNIT;
		else
			return fail(p, epath, NULL,
						"unknown level \"%.64s\" (expected top or unit)",
						e->valuestring);
		if (*levels & bit)
			return fail(p, epath, NULL, "\"%s\" appears twice", e->valuestring);
		*levels |= bit;
	}
	return true;
}

/*
 * One criterion, n-th of the array.  The groups are parsed already, so the
 * references are resolved here.  has_portal says whether the document has
 * portal_groups.
 */
static bool
parse_criterion(Parser *p, const cJSON *e, int n, TthcIndexSet *set,
				bool has_portal)
{
	TthcIsCriterion *c = &set->criteria[n];
	char		path[64];
	char		buf[TTHC_IS_CODE_LEN];
	bool		present;
	bool		has_target;

	snprintf(path, sizeof(path), "$.criteria[%d]", n);
	if (!check_members(p, e, path, criterion_members) ||
		!get_string(p, e, path, "id", true, c->id, sizeof(c->id), NULL) ||
		!get_string(p, e, path, "name_vi", true, c->name_vi, sizeof(c->name_vi), NULL) ||
		!get_string(p, e, path, "name_en", false, c->name_en, sizeof(c->name_en), NULL))
		return false;
	for (int j = 0; j < n; j++)
		if (strcmp(set->criteria[j].id, c->id) == 0)
			return fail(p, path, "id", "duplicate id \"%s\"", c->id);

	if (!get_string(p, e, path, "group", true, buf, sizeof(buf), NULL))
		return false;
	c->group = find_group(set->groups, set->ngroups, buf);
	if (c->group < 0)
		return fail(p, path, "group", "no group \"%s\" in $.groups", buf);

	if (!get_string(p, e, path, "portal_group", has_portal, buf, sizeof(buf),
					&present))
		return false;
	if (!has_portal && present)
		return fail(p, path, "portal_group",
					"the document has no portal_groups");
	c->portal_group = has_portal ?
		find_group(set->portal_groups, set->nportal_groups, buf) : c->group;
	if (c->portal_group < 0)
		return fail(p, path, "portal_group",
					"no portal group \"%s\" in $.portal_groups", buf);

	{
		const cJSON *m = cJSON_GetObjectItemCaseSensitive(e, "metric");
		int			metric;

		if (m == NULL)
			return fail(p, path, NULL, "missing member \"metric\"");
		if (!cJSON_IsString(m) || m->valuestring == NULL)
			return fail(p, path, "metric", "expected a string");
		metric = tthc_metric_lookup(m->valuestring);
		if (metric < 0)
			return fail(p, path, "metric", "unknown metric \"%.64s\"",
						m->valuestring);
		c->metric = (TthcMetric) metric;
	}

	if (!get_number(p, e, path, "max", true, &c->max, NULL))
		return false;
	if (c->max.value < 0)
		return fail(p, path, "max", "%s is negative", c->max.text);

	if (!get_string(p, e, path, "kind", true, buf, sizeof(buf), NULL))
		return false;
	if (strcmp(buf, "linear") == 0)
		c->kind = TTHC_KIND_LINEAR;
	else if (strcmp(buf, "target") == 0)
		c->kind = TTHC_KIND_TARGET;
	else if (strcmp(buf, "none") == 0)
		c->kind = TTHC_KIND_NONE;
	else
		return fail(p, path, "kind",
					"unknown kind \"%s\" (expected linear, target or none)", buf);
	if (c->kind == TTHC_KIND_NONE && c->max.value != 0)
		return fail(p, path, "max",
					"a criterion of kind \"none\" scores no points, so its max must be 0, not %s",
					c->max.text);

	if (!get_number(p, e, path, "target", false, &c->target, &has_target))
		return false;
	if (c->kind == TTHC_KIND_TARGET)
	{
		if (!has_target)
			return fail(p, path, NULL,
						"missing member \"target\" (the criterion is of kind \"target\")");
		if (!(c->target.value > 0 && c->target.value <= 1))
			return fail(p, path, "target", "%s is outside (0, 1]",
						c->target.text);
	}
	else if (has_target)
		return fail(p, path, "target",
					"only a criterion of kind \"target\" has a target");

	if (!get_string(p, e, path, "empty", false, buf, sizeof(buf), &present))
		return false;
	if (!present || strcmp(buf, "zero") == 0)
		c->empty = TTHC_EMPTY_ZERO;
	else if (strcmp(buf, "full") == 0)
		c->empty = TTHC_EMPTY_FULL;
	else
		return fail(p, path, "empty",
					"unknown rule \"%s\" (expected zero or full)", buf);

	return parse_levels(p, e, path, &c->levels);
}

static const char *const grade_members[] = {
	"code", "name_vi", "name_en", "min", NULL
};

/* The grades: codes unique, min within [0, 100], decreasing down to 0. */
static bool
parse_grades(Parser *p, const cJSON *arr, TthcIndexSet *set)
{
	const cJSON *e;
	int			n = 0;

	cJSON_ArrayForEach(e, arr)
	{
		TthcIsGrade *g = &set->grades[n];
		char		path[64];

		snprintf(path, sizeof(path), "$.grades[%d]", n);
		if (!check_members(p, e, path, grade_members) ||
			!get_string(p, e, path, "code", true, g->code, sizeof(g->code), NULL) ||
			!get_string(p, e, path, "name_vi", true, g->name_vi, sizeof(g->name_vi), NULL) ||
			!get_string(p, e, path, "name_en", false, g->name_en, sizeof(g->name_en), NULL) ||
			!get_number(p, e, path, "min", true, &g->min, NULL))
			return false;
		if (g->min.value < 0 || g->min.value > 100)
			return fail(p, path, "min", "%s is outside [0, 100]", g->min.text);
		for (int j = 0; j < n; j++)
			if (strcmp(set->grades[j].code, g->code) == 0)
				return fail(p, path, "code", "duplicate code \"%s\"", g->code);
		if (n > 0 && !(g->min.value < set->grades[n - 1].min.value))
			return fail(p, path, "min",
						"%s is not below the previous grade's min, %s",
						g->min.text, set->grades[n - 1].min.text);
		n++;
	}
	set->ngrades = n;
	if (set->grades[n - 1].min.value != 0)
	{
		char		path[64];

		snprintf(path, sizeof(path), "$.grades[%d]", n - 1);
		return fail(p, path, "min", "the last grade must start at 0, not %s",
					set->grades[n - 1].min.text);
	}
	return true;
}

/*
 * Each group's max is the sum of its criteria's, and every group has a
 * criterion.  portal says which of the two layouts to check.
 */
static bool
check_group_sums(Parser *p, const TthcIndexSet *set, bool portal)
{
	const TthcIsGroup *groups = portal ? set->portal_groups : set->groups;
	int			ngroups = portal ? set->nportal_groups : set->ngroups;
	const char *name = portal ? "portal_groups" : "groups";

	for (int g = 0; g < ngroups; g++)
	{
		double		sum = 0;
		int			count = 0;
		char		path[64];
		char		num[64];

		for (int i = 0; i < set->ncriteria; i++)
			if ((portal ? set->criteria[i].portal_group : set->criteria[i].group) == g)
			{
				sum += set->criteria[i].max.value;
				count++;
			}
		snprintf(path, sizeof(path), "$.%s[%d]", name, g);
		if (count == 0)
			return fail(p, path, NULL, "no criterion belongs to %sgroup \"%s\"",
						portal ? "portal " : "", groups[g].code);
		if (!nearly_equal(sum, groups[g].max.value))
			return fail(p, path, "max",
						"criteria of %sgroup \"%s\" add up to %s, not %s",
						portal ? "portal " : "", groups[g].code,
						show(sum, num, sizeof(num)), groups[g].max.text);
	}
	return true;
}

static const char *const set_members[] = {
	"id", "name_vi", "name_en", "total", "groups", "portal_groups",
	"criteria", "grades", NULL
};

/* Check the parsed document root into set. */
static bool
parse_set(Parser *p, const cJSON *root, TthcIndexSet *set)
{
	const cJSON *groups;
	const cJSON *portal;
	const cJSON *criteria;
	const cJSON *grades;
	const cJSON *e;
	double		sum = 0;
	char		num[64];
	int			n;

	if (!cJSON_IsObject(root))
		return fail(p, "$", NULL, "expected an object");
	if (!check_members(p, root, "$", set_members) ||
		!get_string(p, root, "$", "id", true, set->id, sizeof(set->id), NULL) ||
		!get_string(p, root, "$", "name_vi", true, set->name_vi, sizeof(set->name_vi), NULL) ||
		!get_string(p, root, "$", "name_en", false, set->name_en, sizeof(set->name_en), NULL) ||
		!get_number(p, root, "$", "total", true, &set->total, NULL))
		return false;
	if (!(set->total.value > 0))
		return fail(p, "$", "total", "%s is not above 0", set->total.text);

	if (!get_array(p, root, "$", "groups", true, TTHC_IS_MAX_GROUPS, "group", &groups) ||
		!get_array(p, root, "$", "portal_groups", false, TTHC_IS_MAX_GROUPS, "group", &portal) ||
		!get_array(p, root, "$", "criteria", true, TTHC_IS_MAX_CRITERIA, "criterion", &criteria) ||
		!get_array(p, root, "$", "grades", true, TTHC_IS_MAX_GRADES, "grade", &grades))
		return false;

	if (!parse_groups(p, groups, "groups", set->groups, &set->ngroups))
		return false;
	if (portal != NULL)
	{
		if (!parse_groups(p, portal, "portal_groups", set->portal_groups,
						  &set->nportal_groups))
			return false;
	}
	else
	{
		memcpy(set->portal_groups, set->groups, sizeof(set->groups));
		set->nportal_groups = set->ngroups;
	}

	n = 0;
	cJSON_ArrayForEach(e, criteria)
	{
		if (!parse_criterion(p, e, n, set, portal != NULL))
			return false;
		set->ncriteria = ++n;
	}

	if (!parse_grades(p, grades, set))
		return false;

	if (!check_group_sums(p, set, false) ||
		(portal != NULL && !check_group_sums(p, set, true)))
		return false;
	for (int g = 0; g < set->ngroups; g++)
		sum += set->groups[g].max.value;
	if (!nearly_equal(sum, set->total.value))
		return fail(p, "$", "total", "groups add up to %s, not %s",
					show(sum, num, sizeof(num)), set->total.text);
	return true;
}

const char *
tthc_indexset_parse(const char *json, size_t len, TthcIndexSet *out,
					char *err, int errsize)
{
	Parser		p;
	cJSON	   *root;
	const char *end = NULL;
	bool		ok;

	if (err == NULL || errsize <= 0)
		return "invalid index set (no room for the message)";
	p.err = err;
	p.errsize = errsize;
	err[0] = '\0';
	memset(out, 0, sizeof(*out));
	if (json == NULL)
	{
		fail(&p, "$", NULL, "no document");
		return err;
	}

	root = cJSON_ParseWithLengthOpts(json, len, &end, 0);
	if (root == NULL)
	{
		size_t		at = end != NULL && end >= json ? (size_t) (end - json) : 0;

		fail(&p, "$", NULL, "not valid JSON near byte %zu", at);
		return err;
	}
	for (const char *q = end; q != NULL && q < json + len; q++)
		if (*q != ' ' && *q != '\t' && *q != '\n' && *q != '\r')
		{
			cJSON_Delete(root);
			fail(&p, "$", NULL, "unexpected content after the document at byte %zu",
				 (size_t) (q - json));
			return err;
		}

	ok = parse_set(&p, root, out);
	cJSON_Delete(root);
	return ok ? NULL : err;
}

int
tthc_indexset_find_criterion(const TthcIndexSet *set, const char *id)
{
	for (int i = 0; i < set->ncriteria; i++)
		if (strcmp(set->criteria[i].id, id) == 0)
			return i;
	return -1;
}

double
tthc_indexset_max_points(const TthcIndexSet *set, int level)
{
	double		sum = 0;

	for (int i = 0; i < set->ncriteria; i++)
		if (set->criteria[i].levels & level)
			sum += set->criteria[i].max.value;
	return sum;
}

int
tthc_grade_index(const TthcIndexSet *set, double percent)
{
	if (isnan(percent) || percent < 0)
		return -1;
	for (int i = 0; i < set->ngrades; i++)
		if (percent >= set->grades[i].min.value)
			return i;
	return -1;
}

/*
 * A number of the document in long double, read from its decimal text so
 * that 0.8 is the long double nearest to 8/10 rather than the double.
 */
static long double
exact(const TthcNumber *n)
{
	return n->text[0] != '\0' ? strtold(n->text, NULL) : (long double) n->value;
}

static long double
points_of_ratio(const TthcIsCriterion *c, long double ratio)
{
	long double max = exact(&c->max);
	long double pts;

	switch (c->kind)
	{
		case TTHC_KIND_LINEAR:
			pts = max * ratio;
			break;
		case TTHC_KIND_TARGET:
			pts = max * ratio / exact(&c->target);
			break;
		default:
			return 0;
	}
	if (!(pts > 0))
		return 0;
	return pts > max ? max : pts;
}

double
tthc_points_of_ratio(const TthcIsCriterion *c, double ratio)
{
	return (double) points_of_ratio(c, (long double) ratio);
}

double
tthc_points(const TthcIsCriterion *c, int64_t numerator, int64_t denominator)
{
	if (c->kind == TTHC_KIND_NONE)
		return 0;
	if (denominator <= 0)
		return c->empty == TTHC_EMPTY_FULL ? c->max.value : 0;
	return (double) points_of_ratio(c, (long double) numerator /
									(long double) denominator);
}
