/*
 * test_indexset.c
 *		Unit tests of the index-set parser and checker, the metric registry
 *		and the scoring helpers (src/core/indexset.c): the shipped 766 set
 *		against INDEX-766.md, one bad document per validation rule with the
 *		message written by hand, every truncation of a valid document, grade
 *		boundaries and points.
 *
 * Usage: test_indexset [path of src/sql/index_766.json]
 */
#include "tap.h"
#include "../../src/core/indexset.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static char err[512];
static TthcIndexSet set;		/* about 70 kB: kept off the stack */
static const char *path766 = "src/sql/index_766.json";

/*
 * A small valid document, without a trailing newline (so that no proper
 * prefix of it is valid), in pieces that the bad cases recombine.
 */
#define HEAD "{\"id\":\"t\",\"name_vi\":\"Thử\",\"total\":10,"
#define GROUPS "\"groups\":[{\"code\":\"A\",\"name_vi\":\"Nhóm A\",\"max\":6}," \
	"{\"code\":\"B\",\"name_vi\":\"Nhóm B\",\"name_en\":\"Group B\",\"max\":4}],"
#define PORTAL "\"portal_groups\":[{\"code\":\"A1\",\"name_vi\":\"A1\",\"max\":2}," \
	"{\"code\":\"A2\",\"name_vi\":\"A2\",\"max\":4},{\"code\":\"B\",\"name_vi\":\"B\",\"max\":4}],"
#define CRIT_A1 "{\"id\":\"a.1\",\"name_vi\":\"một\",\"group\":\"A\",\"portal_group\":\"A1\"," \
	"\"metric\":\"synced\",\"max\":2,\"kind\":\"linear\",\"levels\":[\"top\"]}"
#define CRIT_A2 "{\"id\":\"a.2\",\"name_vi\":\"hai\",\"group\":\"A\",\"portal_group\":\"A2\"," \
	"\"metric\":\"offered_online\",\"max\":4,\"kind\":\"target\",\"target\":0.8}"
#define CRIT_B1 "{\"id\":\"b.1\",\"name_vi\":\"ba\",\"group\":\"B\",\"portal_group\":\"B\"," \
	"\"metric\":\"feedback_on_time\",\"max\":4,\"kind\":\"linear\",\"empty\":\"full\"}"
#define CRIT_B2 "{\"id\":\"b.2\",\"name_vi\":\"bốn\",\"group\":\"B\",\"portal_group\":\"B\"," \
	"\"metric\":\"handling_time\",\"max\":0,\"kind\":\"none\"}"
#define CRITERIA "\"criteria\":[" CRIT_A1 "," CRIT_A2 "," CRIT_B1 "," CRIT_B2 "],"
#define GRADES "\"grades\":[{\"code\":\"g\",\"name_vi\":\"Giỏi\",\"min\":50}," \
	"{\"code\":\"k\",\"name_vi\":\"Kém\",\"min\":0}]}"

static const char small[] = HEAD GROUPS PORTAL CRITERIA GRADES;

/* Parse a NUL-terminated document; NULL or the message. */
static const char *
parse(const char *doc)
{
	return tthc_indexset_parse(doc, strlen(doc), &set, err, sizeof(err));
}

/*
 * src with its only occurrence of from replaced by to, in one of two static
 * buffers used in turn (so that replacements nest).  A from that is missing
 * or not unique is a fault of the test itself.
 */
static const char *
replace(const char *src, const char *from, const char *to)
{
	static char bufs[2][8192];
	static int	turn = 0;
	char	   *buf = bufs[turn ^= 1];
	const char *at = strstr(src, from);

	if (at == NULL || strstr(at + 1, from) != NULL ||
		strlen(src) + strlen(to) >= sizeof(bufs[0]))
	{
		printf("# bad replacement of \"%s\"\n", from);
		exit(2);
	}
	snprintf(buf, sizeof(bufs[0]), "%.*s%s%s", (int) (at - src), src, to,
			 at + strlen(from));
	return buf;
}

/* The document is refused with a message starting with expected. */
static void
refused(const char *doc, const char *expected, const char *what)
{
	const char *msg = parse(doc);

	ok(msg != NULL && strncmp(msg, expected, strlen(expected)) == 0,
	   "%s: refused with \"%s\"", what, expected);
	if (msg == NULL)
		printf("#   accepted\n");
	else if (strncmp(msg, expected, strlen(expected)) != 0)
		printf("#   got \"%s\"\n", msg);
}

/*
 * Every proper prefix of doc[0..len), each in a buffer of exactly its size
 * (no NUL after it, so that ASan sees any read past the end), is refused
 * with a message that names a path; the whole document is accepted.
 */
static void
truncations(const char *doc, size_t len, const char *what)
{
	size_t		bad = 0;
	char	   *buf;

	for (size_t n = 0; n < len; n++)
	{
		const char *msg;

		buf = malloc(n > 0 ? n : 1);
		memcpy(buf, doc, n);
		msg = tthc_indexset_parse(buf, n, &set, err, sizeof(err));
		if (msg == NULL || msg[0] != '$')
		{
			if (bad++ == 0)
				printf("# prefix of %zu bytes: %s\n", n, msg ? msg : "accepted");
		}
		free(buf);
	}
	ok(bad == 0, "%s: all %zu truncations are refused", what, len);
	buf = malloc(len);
	memcpy(buf, doc, len);
	ok(tthc_indexset_parse(buf, len, &set, err, sizeof(err)) == NULL,
	   "%s: the whole document, without a NUL after it, is accepted", what);
	free(buf);
}

/* Parse the shipped 766 set into set. */
static bool
load_766(void)
{
	size_t		len;
	char	   *doc = read_file(path766, &len);
	bool		loaded;

	loaded = doc != NULL &&
		tthc_indexset_parse(doc, len, &set, err, sizeof(err)) == NULL;
	free(doc);
	return loaded;
}

static bool
near(double a, double b)
{
	return fabs(a - b) <= 1e-12;
}

/* The shipped 766 set against INDEX-766.md. */
static void
test_766(void)
{
	static const struct
	{
		const char *id;
		const char *name_vi;
		double		max;
		TthcScoreKind kind;
		const char *target;
		TthcEmptyRule empty;
		const char *group;
		const char *portal_group;
	}			want[] = {
		{"1.1", "TTHC công bố đúng hạn", 6, TTHC_KIND_LINEAR, "", TTHC_EMPTY_ZERO, "1", "1"},
		{"1.2", "TTHC cập nhật, công khai đúng hạn", 4, TTHC_KIND_LINEAR, "", TTHC_EMPTY_ZERO, "1", "1"},
		{"1.3", "TTHC công khai đầy đủ nội dung", 2, TTHC_KIND_LINEAR, "", TTHC_EMPTY_ZERO, "1", "1"},
		{"1.4", "Hồ sơ đồng bộ lên DVCQG", 6, TTHC_KIND_LINEAR, "", TTHC_EMPTY_ZERO, "1", "1"},
		{"2.1", "Hồ sơ xử lý trước hạn, đúng hạn", 20, TTHC_KIND_LINEAR, "", TTHC_EMPTY_ZERO, "2", "2"},
		{"2.2", "Thời gian giải quyết trung bình", 0, TTHC_KIND_NONE, "", TTHC_EMPTY_ZERO, "2", "2"},
		{"3.1", "TTHC cung cấp DVCTT", 2, TTHC_KIND_TARGET, "0.8", TTHC_EMPTY_ZERO, "3", "3a"},
		{"3.2", "DVCTT có phát sinh hồ sơ", 4, TTHC_KIND_LINEAR, "", TTHC_EMPTY_ZERO, "3", "3a"},
		{"3.3", "Hồ sơ trực tuyến", 6, TTHC_KIND_TARGET, "0.5", TTHC_EMPTY_ZERO, "3", "3a"},
		{"3.4", "TTHC có NVTC được cung cấp trên DVCQG", 2, TTHC_KIND_TARGET, "0.8", TTHC_EMPTY_ZERO, "3", "3b"},
		{"3.5", "TTHC có giao dịch thanh toán trực tuyến", 2, TTHC_KIND_TARGET, "0.8", TTHC_EMPTY_ZERO, "3", "3b"},
		{"3.6", "Hồ sơ thanh toán trực tuyến", 6, TTHC_KIND_LINEAR, "", TTHC_EMPTY_ZERO, "3", "3b"},
		{"4.1", "Hồ sơ có kết quả điện tử", 6, TTHC_KIND_LINEAR, "", TTHC_EMPTY_ZERO, "4", "4"},
		{"4.2", "Hồ sơ được số hóa", 4, TTHC_KIND_TARGET, "0.8", TTHC_EMPTY_ZERO, "4", "4"},
		{"4.3", "Chứng thực bản sao điện tử", 2, TTHC_KIND_LINEAR, "", TTHC_EMPTY_ZERO, "4", "4"},
		{"4.4", "Khai thác, sử dụng lại dữ liệu số hóa", 2, TTHC_KIND_TARGET, "0.8", TTHC_EMPTY_ZERO, "4", "4"},
		{"4.5", "Kết nối kho dữ liệu cá nhân", 4, TTHC_KIND_LINEAR, "", TTHC_EMPTY_ZERO, "4", "4"},
		{"4.6", "TTHC kết nối CSDL dân cư", 2, TTHC_KIND_LINEAR, "", TTHC_EMPTY_ZERO, "4", "4"},
		{"4.7", "Hồ sơ sử dụng CSDL dân cư", 2, TTHC_KIND_LINEAR, "", TTHC_EMPTY_ZERO, "4", "4"},
		{"5.1", "PAKN xử lý đúng hạn", 6, TTHC_KIND_LINEAR, "", TTHC_EMPTY_FULL, "5", "5"},
		{"5.2", "Hài lòng xử lý PAKN", 6, TTHC_KIND_LINEAR, "", TTHC_EMPTY_FULL, "5", "5"},
		{"5.3", "Hài lòng tiếp nhận, giải quyết TTHC", 6, TTHC_KIND_TARGET, "0.9", TTHC_EMPTY_ZERO, "5", "5"},
		{"5.4", "PAKN theo phân loại", 0, TTHC_KIND_NONE, "", TTHC_EMPTY_ZERO, "5", "5"},
	};
	static const char *const groups[] = {"1", "2", "3", "4", "5"};
	static const double group_max[] = {18, 20, 22, 22, 18};
	static const char *const portal[] = {"1", "2", "3a", "3b", "4", "5"};
	static const double portal_max[] = {18, 20, 12, 10, 22, 18};
	static const char *const grades[] = {"xuat_sac", "tot", "kha", "trung_binh", "yeu"};
	static const double grade_min[] = {90, 80, 70, 50, 0};
	size_t		len;
	char	   *doc = read_file(path766, &len);
	const char *msg;
	bool		same;

	ok(doc != NULL, "766: %s can be read", path766);
	if (doc == NULL)
		return;
	msg = tthc_indexset_parse(doc, len, &set, err, sizeof(err));
	ok(msg == NULL, "766: the shipped set parses%s%s", msg ? ": " : "", msg ? msg : "");
	if (msg != NULL)
	{
		free(doc);
		return;
	}
	ok(strcmp(set.id, "766") == 0 && strcmp(set.total.text, "100") == 0,
	   "766: id \"766\", total 100");

	same = set.ngroups == 5;
	for (int i = 0; same && i < 5; i++)
		same = strcmp(set.groups[i].code, groups[i]) == 0 &&
			set.groups[i].max.value == group_max[i];
	ok(same, "766: 5 groups 1-5 of 18/20/22/22/18");
	same = set.nportal_groups == 6;
	for (int i = 0; same && i < 6; i++)
		same = strcmp(set.portal_groups[i].code, portal[i]) == 0 &&
			set.portal_groups[i].max.value == portal_max[i];
	ok(same, "766: 6 portal groups 1, 2, 3a, 3b, 4, 5 of 18/20/12/10/22/18");
	same = set.ngrades == 5;
	for (int i = 0; same && i < 5; i++)
		same = strcmp(set.grades[i].code, grades[i]) == 0 &&
			set.grades[i].min.value == grade_min[i];
	ok(same, "766: grades from xuat_sac (90) down to yeu (0)");

	ok(set.ncriteria == 23, "766: 23 criteria (got %d)", set.ncriteria);
	for (int i = 0; i < 23 && i < set.ncriteria; i++)
	{
		const TthcIsCriterion *c = &set.criteria[i];

		ok(strcmp(c->id, want[i].id) == 0 &&
		   strcmp(c->name_vi, want[i].name_vi) == 0 &&
		   c->max.value == want[i].max && c->kind == want[i].kind &&
		   strcmp(c->target.text, want[i].target) == 0 &&
		   c->empty == want[i].empty &&
		   strcmp(set.groups[c->group].code, want[i].group) == 0 &&
		   strcmp(set.portal_groups[c->portal_group].code, want[i].portal_group) == 0 &&
		   strcmp(tthc_metric_criteria[c->metric], c->id) == 0,
		   "766: %s \"%s\", max %g, %s%s, empty %s, group %s/%s, its own metric %s",
		   want[i].id, want[i].name_vi, want[i].max,
		   want[i].kind == TTHC_KIND_LINEAR ? "linear" :
		   want[i].kind == TTHC_KIND_TARGET ? "target " : "none",
		   want[i].target, want[i].empty == TTHC_EMPTY_FULL ? "full" : "zero",
		   want[i].group, want[i].portal_group, tthc_metric_names[c->metric]);
	}
	same = true;
	for (int i = 0; i < set.ncriteria; i++)
		same = same && set.criteria[i].levels ==
			(i < 3 ? TTHC_LEVEL_TOP : TTHC_LEVEL_ALL);
	ok(same, "766: 1.1-1.3 apply to the top level only, the rest to both");
	ok(tthc_indexset_max_points(&set, TTHC_LEVEL_TOP) == 100 &&
	   tthc_indexset_max_points(&set, TTHC_LEVEL_UNIT) == 88,
	   "766: 100 points at the top, 88 for units");
	ok(tthc_indexset_find_criterion(&set, "3.3") == 8 &&
	   tthc_indexset_find_criterion(&set, "9.9") == -1,
	   "766: criteria are found by id");

	/* without its final newline, so that no proper prefix is valid */
	while (len > 0 && (doc[len - 1] == '\n' || doc[len - 1] == ' '))
		len--;
	truncations(doc, len, "766");
	free(doc);
}

/* The small document with criterion b.1, group B and portal group B at 3.5. */
static const char *
fractional(void)
{
	return replace(replace(replace(replace(small, "\"target\":0.8", "\"target\":0.80"),
								   "\"max\":4,\"kind\":\"linear\"", "\"max\":3.5,\"kind\":\"linear\""),
						   "\"name_en\":\"Group B\",\"max\":4}", "\"name_en\":\"Group B\",\"max\":3.5}"),
				   "\"name_vi\":\"B\",\"max\":4}", "\"name_vi\":\"B\",\"max\":3.5}");
}

static void
test_small(void)
{
	const char *msg = parse(small);

	ok(msg == NULL, "small: parses%s%s", msg ? ": " : "", msg ? msg : "");
	ok(set.ngroups == 2 && set.nportal_groups == 3 && set.ncriteria == 4 &&
	   set.ngrades == 2, "small: 2 groups, 3 portal groups, 4 criteria, 2 grades");
	ok(strcmp(set.groups[1].name_en, "Group B") == 0 &&
	   set.groups[0].name_en[0] == '\0' && set.name_en[0] == '\0',
	   "small: name_en is optional");
	ok(parse(replace(small, "\"name_en\":\"Group B\"", "\"name_en\":\"\"")) == NULL &&
	   set.groups[1].name_en[0] == '\0', "small: an optional name may be empty");
	parse(small);
	ok(set.criteria[1].levels == TTHC_LEVEL_ALL &&
	   set.criteria[0].levels == TTHC_LEVEL_TOP,
	   "small: levels default to both");
	ok(set.criteria[0].empty == TTHC_EMPTY_ZERO &&
	   set.criteria[2].empty == TTHC_EMPTY_FULL,
	   "small: empty defaults to zero");
	ok(set.criteria[0].target.value == 0 && set.criteria[0].target.text[0] == '\0',
	   "small: no target outside kind target");

	/* without portal groups, they are the groups */
	msg = parse(replace(replace(replace(replace(replace(small, PORTAL, ""),
													",\"portal_group\":\"A1\"", ""),
											",\"portal_group\":\"A2\"", ""),
									"\"portal_group\":\"B\",\"metric\":\"feedback", "\"metric\":\"feedback"),
							"\"portal_group\":\"B\",\"metric\":\"handling", "\"metric\":\"handling"));
	ok(msg == NULL && set.nportal_groups == 2 &&
	   strcmp(set.portal_groups[1].code, "B") == 0 &&
	   set.criteria[2].portal_group == set.criteria[2].group,
	   "small: without portal_groups, the groups serve as portal groups%s%s",
	   msg ? ": " : "", msg ? msg : "");

	/* numbers keep their shortest exact text; fractional maxima add up */
	msg = parse(replace(fractional(), "\"total\":10", "\"total\":9.5"));
	ok(msg == NULL && strcmp(set.criteria[1].target.text, "0.8") == 0 &&
	   strcmp(set.criteria[2].max.text, "3.5") == 0 &&
	   strcmp(set.total.text, "9.5") == 0 && strcmp(set.criteria[1].max.text, "4") == 0,
	   "small: 0.80 is kept as \"0.8\", 3.5 as \"3.5\", 4 as \"4\"%s%s",
	   msg ? ": " : "", msg ? msg : "");
	msg = parse(fractional());
	ok(msg != NULL && strcmp(msg, "$.total: groups add up to 9.5, not 10") == 0,
	   "small: sums of fractional maxima are checked (%s)", msg ? msg : "accepted");
	msg = parse(replace(small, "\"target\":0.8", "\"target\":1e-7"));
	ok(msg == NULL && strcmp(set.criteria[1].target.text, "0.0000001") == 0,
	   "small: 1e-7 is kept as \"0.0000001\"");
	msg = parse(replace(small, "\"target\":0.8", "\"target\":2.5e-9"));
	ok(msg == NULL && strcmp(set.criteria[1].target.text, "2.5e-09") == 0,
	   "small: 2.5e-9 is kept as \"2.5e-09\"");

	/* maxima that do not add up in binary add up within the tolerance */
	msg = parse(replace(replace(replace(small,
										"\"max\":2,\"kind\":\"linear\"", "\"max\":0.1,\"kind\":\"linear\""),
								"\"max\":4,\"kind\":\"target\"", "\"max\":0.2,\"kind\":\"target\""),
						"{\"code\":\"A\",\"name_vi\":\"Nhóm A\",\"max\":6}",
						"{\"code\":\"A\",\"name_vi\":\"Nhóm A\",\"max\":0.3}"));
	ok(msg != NULL && strcmp(msg, "$.portal_groups[0].max: criteria of portal group \"A1\" add up to 0.1, not 2") == 0,
	   "small: 0.1 + 0.2 = 0.3 within the tolerance, then the portal groups are checked (%s)",
	   msg ? msg : "accepted");
}

/* One bad document per rule, each message written by hand. */
static void
test_bad(void)
{
	char		longname[400];
	char		doc[16384];
	size_t		n;

	refused(replace(small, "\"target\":0.8", "\"target\":1.5"),
			"$.criteria[1].target: 1.5 is outside (0, 1]", "target above 1");
	refused(replace(small, "\"target\":0.8", "\"target\":0"),
			"$.criteria[1].target: 0 is outside (0, 1]", "target 0");
	refused(replace(small, "\"metric\":\"synced\"", "\"metric\":\"foo\""),
			"$.criteria[0].metric: unknown metric \"foo\"", "unknown metric");
	refused(replace(small, "\"metric\":\"synced\"", "\"metric\":5"),
			"$.criteria[0].metric: expected a string", "metric not a string");
	refused(replace(small, "{\"code\":\"A\",\"name_vi\":\"Nhóm A\",\"max\":6}",
					"{\"code\":\"A\",\"name_vi\":\"Nhóm A\",\"max\":7}"),
			"$.groups[0].max: criteria of group \"A\" add up to 6, not 7",
			"group maximum not the sum of its criteria");
	refused(replace(small, "\"id\":\"b.1\"", "\"id\":\"a.1\""),
			"$.criteria[2].id: duplicate id \"a.1\"", "duplicate criterion id");
	refused("{\"id\": \"t\",}",
			"$: not valid JSON near byte 11", "a comma before }");
	refused("{\"id\": \"t\" \"total\": 1}",
			"$: not valid JSON near byte 11", "a missing comma");
	refused("", "$: not valid JSON near byte 0", "an empty document");
	refused("[1]", "$: expected an object", "an array");
	n = (size_t) snprintf(doc, sizeof(doc), "%s  x", small);
	ok(n == 866, "the small document is 863 bytes (got %zu)", sizeof(small) - 1);
	refused(doc, "$: unexpected content after the document at byte 865",
			"trailing content");
	refused(replace(small, "\"max\":2,\"kind\":\"linear\"", "\"max\":\"2\",\"kind\":\"linear\""),
			"$.criteria[0].max: expected a number", "max as a string");
	refused(replace(small, "\"id\":\"t\"", "\"id\":7"),
			"$.id: expected a string", "set id as a number");
	refused(replace(small, "\"levels\":[\"top\"]", "\"levels\":\"top\""),
			"$.criteria[0].levels: expected an array", "levels not an array");
	refused(replace(small, CRITERIA, "\"criteria\":{},"),
			"$.criteria: expected an array", "criteria an object");
	refused(replace(small, GRADES, "\"grades\":[1]}"),
			"$.grades[0]: expected an object", "a grade not an object");
	refused(replace(small, ",\"kind\":\"none\"", ""),
			"$.criteria[3]: missing member \"kind\"", "missing kind");
	refused(replace(small, "\"total\":10,", ""),
			"$: missing member \"total\"", "missing total");
	refused(replace(small, GRADES, "\"x\":1}"),
			"$.x: unknown member (expected one of id, name_vi, name_en, total, groups, portal_groups, criteria, grades)",
			"unknown member at the root");
	refused(replace(small, "\"target\":0.8", "\"targte\":0.8"),
			"$.criteria[1].targte: unknown member (expected one of id, name_vi, name_en, group, portal_group, metric, max, kind, target, empty, levels)",
			"a misspelt member");
	refused(replace(small, "\"name_vi\":\"Nhóm A\"", "\"Name_vi\":\"Nhóm A\""),
			"$.groups[0].Name_vi: unknown member", "member names are case-sensitive");
	refused(replace(small, "\"max\":2,\"kind\":\"linear\"", "\"max\":2,\"max\":2,\"kind\":\"linear\""),
			"$.criteria[0].max: appears twice", "a member twice");
	refused(replace(small, "\"max\":2,\"kind\":\"linear\"", "\"max\":-2,\"kind\":\"linear\""),
			"$.criteria[0].max: -2 is negative", "negative criterion max");
	refused(replace(small, "{\"code\":\"A1\",\"name_vi\":\"A1\",\"max\":2}",
					"{\"code\":\"A1\",\"name_vi\":\"A1\",\"max\":-2}"),
			"$.portal_groups[0].max: -2 is negative", "negative portal group max");
	refused(replace(small, "\"total\":10", "\"total\":0"),
			"$.total: 0 is not above 0", "total 0");
	refused(replace(small, "\"total\":10", "\"total\":1e400"),
			"$.total: expected a finite number", "total out of range");
	refused(replace(small, "\"target\":0.8", "\"target\":0.12345678901234567"),
			"$.criteria[1].target: 0.12345678901234566 has more than 15 significant digits",
			"a number with more digits than a double keeps");

	memset(longname, 'x', 300);
	longname[300] = '\0';
	snprintf(doc, sizeof(doc), "\"name_vi\":\"%s\"", longname);
	refused(replace(small, "\"name_vi\":\"một\"", doc),
			"$.criteria[0].name_vi: longer than 255 bytes", "a name too long");
	longname[32] = '\0';
	snprintf(doc, sizeof(doc), "\"id\":\"%s\"", longname);
	refused(replace(small, "\"id\":\"a.1\"", doc),
			"$.criteria[0].id: longer than 31 bytes", "an id too long");
	longname[31] = '\0';
	snprintf(doc, sizeof(doc), "\"id\":\"%s\"", longname);
	ok(parse(replace(small, "\"id\":\"a.1\"", doc)) == NULL, "an id of 31 bytes fits");
	refused(replace(small, "\"id\":\"a.1\"", "\"id\":\"\""),
			"$.criteria[0].id: must not be empty", "an empty id");

	refused(replace(small, CRITERIA, "\"criteria\":[],"),
			"$.criteria: expected at least one criterion", "no criteria");
	refused(replace(small, GRADES, "\"grades\":[]}"),
			"$.grades: expected at least one grade", "no grades");
	refused(replace(small, "\"group\":\"B\",\"portal_group\":\"B\",\"metric\":\"feedback",
					"\"group\":\"C\",\"portal_group\":\"B\",\"metric\":\"feedback"),
			"$.criteria[2].group: no group \"C\" in $.groups", "an unknown group");
	refused(replace(small, "\"portal_group\":\"A2\"", "\"portal_group\":\"A3\""),
			"$.criteria[1].portal_group: no portal group \"A3\" in $.portal_groups",
			"an unknown portal group");
	refused(replace(small, ",\"portal_group\":\"A1\"", ""),
			"$.criteria[0]: missing member \"portal_group\"",
			"a criterion without its portal group");
	refused(replace(small, PORTAL, ""),
			"$.criteria[0].portal_group: the document has no portal_groups",
			"a portal group without portal groups");
	refused(replace(small, "{\"code\":\"A1\",\"name_vi\":\"A1\",\"max\":2}",
					"{\"code\":\"A1\",\"name_vi\":\"A1\",\"max\":3}"),
			"$.portal_groups[0].max: criteria of portal group \"A1\" add up to 2, not 3",
			"portal group maximum not the sum of its criteria");
	refused(replace(small, "{\"code\":\"A2\",\"name_vi\":\"A2\",\"max\":4}",
					"{\"code\":\"A1\",\"name_vi\":\"A2\",\"max\":4}"),
			"$.portal_groups[1].code: duplicate code \"A1\"", "duplicate portal group code");
	refused(replace(small, "\"name_en\":\"Group B\",\"max\":4}]",
					"\"name_en\":\"Group B\",\"max\":4},{\"code\":\"C\",\"name_vi\":\"C\",\"max\":0}]"),
			"$.groups[2]: no criterion belongs to group \"C\"", "a group without criteria");
	refused(replace(small, "\"total\":10", "\"total\":12"),
			"$.total: groups add up to 10, not 12", "groups not adding up to the total");
	refused(replace(small, "\"name_vi\":\"Kém\",\"min\":0", "\"name_vi\":\"Kém\",\"min\":50"),
			"$.grades[1].min: 50 is not below the previous grade's min, 50",
			"grades not strictly decreasing");
	refused(replace(small, "\"name_vi\":\"Kém\",\"min\":0", "\"name_vi\":\"Kém\",\"min\":10"),
			"$.grades[1].min: the last grade must start at 0, not 10",
			"grades not ending at 0");
	refused(replace(small, "\"name_vi\":\"Giỏi\",\"min\":50", "\"name_vi\":\"Giỏi\",\"min\":120"),
			"$.grades[0].min: 120 is outside [0, 100]", "a grade above 100");
	refused(replace(small, "{\"code\":\"k\"", "{\"code\":\"g\""),
			"$.grades[1].code: duplicate code \"g\"", "duplicate grade code");
	refused(replace(small, "\"kind\":\"linear\",\"levels\"",
					"\"kind\":\"linear\",\"target\":0.5,\"levels\""),
			"$.criteria[0].target: only a criterion of kind \"target\" has a target",
			"a target on a linear criterion");
	refused(replace(small, ",\"target\":0.8", ""),
			"$.criteria[1]: missing member \"target\" (the criterion is of kind \"target\")",
			"a target criterion without its target");
	refused(replace(small, "\"max\":0,\"kind\":\"none\"", "\"max\":1,\"kind\":\"none\""),
			"$.criteria[3].max: a criterion of kind \"none\" scores no points, so its max must be 0, not 1",
			"kind none with points");
	refused(replace(small, "\"kind\":\"none\"", "\"kind\":\"lin\""),
			"$.criteria[3].kind: unknown kind \"lin\" (expected linear, target or none)",
			"an unknown kind");
	refused(replace(small, "\"empty\":\"full\"", "\"empty\":\"all\""),
			"$.criteria[2].empty: unknown rule \"all\" (expected zero or full)",
			"an unknown empty rule");
	refused(replace(small, "\"levels\":[\"top\"]", "\"levels\":[\"tops\"]"),
			"$.criteria[0].levels[0]: unknown level \"tops\" (expected top or unit)",
			"an unknown level");
	refused(replace(small, "\"levels\":[\"top\"]", "\"levels\":[]"),
			"$.criteria[0].levels: expected at least one level", "no levels");
	refused(replace(small, "\"levels\":[\"top\"]", "\"levels\":[\"top\",\"unit\",\"top\"]"),
			"$.criteria[0].levels[2]: \"top\" appears twice", "a level twice");

	/* more criteria than the flat form holds */
	n = (size_t) snprintf(doc, sizeof(doc), "%s%s\"criteria\":[", HEAD, GROUPS);
	for (int i = 0; i < 65; i++)
		n += (size_t) snprintf(doc + n, sizeof(doc) - n,
							   "%s{\"id\":\"c%d\",\"name_vi\":\"c\",\"group\":\"A\",\"metric\":\"synced\",\"max\":0,\"kind\":\"none\"}",
							   i > 0 ? "," : "", i);
	snprintf(doc + n, sizeof(doc) - n, "],%s", GRADES);
	refused(doc, "$.criteria: more than 64 elements", "65 criteria");
}

static void
test_truncations(void)
{
	truncations(small, sizeof(small) - 1, "small");
}

/*
 * Documents with a few bytes of the small one changed at random (a fixed
 * seed): each is accepted or refused with a message naming a path, and
 * ASan watches the rest.
 */
static void
test_mutations(void)
{
	static const char bytes[] = "{}[],:\"\\0123456789.-eE tfnux";
	uint32_t	seed = 766;
	int			bad = 0;
	int			accepted = 0;

	for (int i = 0; i < 20000; i++)
	{
		size_t		len = sizeof(small) - 1;
		char	   *doc = malloc(len);
		const char *msg;

		memcpy(doc, small, len);
		for (int k = 0; k < 1 + i % 3; k++)
		{
			seed = seed * 1103515245u + 12345u;
			doc[(seed >> 8) % len] = bytes[(seed >> 20) % (sizeof(bytes) - 1)];
		}
		msg = tthc_indexset_parse(doc, len, &set, err, sizeof(err));
		if (msg == NULL)
			accepted++;
		else if (msg[0] != '$')
			bad++;
		free(doc);
	}
	ok(bad == 0, "mutations: 20000 documents with bytes changed are handled (%d accepted)",
	   accepted);
}

static void
test_grades(void)
{
	static const struct
	{
		double		percent;
		int			grade;
	}			cases[] = {
		{100, 0}, {90, 0}, {89.999999999999, 1}, {80, 1}, {79.999999999999, 2},
		{70, 2}, {69.999999999999, 3}, {50, 3}, {49.999999999999, 4}, {0, 4},
	};

	if (!load_766())
	{
		ok(0, "grades: the 766 set is needed");
		return;
	}
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
	{
		int			g = tthc_grade_index(&set, cases[i].percent);

		ok(g == cases[i].grade, "grades: %.12f%% is %s (got %s)",
		   cases[i].percent, set.grades[cases[i].grade].code,
		   g >= 0 ? set.grades[g].code : "none");
	}
	ok(tthc_grade_index(&set, nextafter(90, 0)) == 1 &&
	   tthc_grade_index(&set, nextafter(50, 0)) == 4,
	   "grades: the double just below 90 is tot, just below 50 yeu");
	ok(tthc_grade_index(&set, -0.5) == -1 && tthc_grade_index(&set, NAN) == -1,
	   "grades: none for a negative or NaN percentage");
}

static void
test_points(void)
{
	const TthcIsCriterion *c;

	if (!load_766())
	{
		ok(0, "points: the 766 set is needed");
		return;
	}

	c = &set.criteria[tthc_indexset_find_criterion(&set, "2.1")];
	ok(tthc_points(c, 3, 4) == 15, "points: 2.1 linear, 3/4 of 20 is 15");
	ok(tthc_points(c, 0, 4) == 0 && tthc_points(c, 4, 4) == 20,
	   "points: 2.1 linear, 0/4 is 0, 4/4 is 20");
	ok(near(tthc_points(c, 1, 3), 20.0 / 3), "points: 2.1 linear, 1/3 is 6.67");
	ok(tthc_points(c, 5, 4) == 20, "points: a ratio above 1 is capped at the max");
	ok(tthc_points(c, 0, 0) == 0, "points: 2.1 empty zero, nothing received is 0");

	c = &set.criteria[tthc_indexset_find_criterion(&set, "3.1")];
	ok(tthc_points(c, 4, 5) == 2, "points: 3.1 target 0.8, 4/5 is the full 2");
	ok(tthc_points(c, 2, 5) == 1, "points: 3.1 target 0.8, 2/5 is 1");
	ok(tthc_points(c, 9, 10) == 2, "points: 3.1 target 0.8, 9/10 is capped at 2");
	ok(near(tthc_points(c, 1, 3), 2.0 / 3 / 0.8), "points: 3.1 target 0.8, 1/3 is 0.83");
	ok(tthc_points(c, 0, 0) == 0, "points: 3.1 empty zero");

	c = &set.criteria[tthc_indexset_find_criterion(&set, "3.3")];
	ok(tthc_points(c, 1, 4) == 3 && tthc_points(c, 1, 2) == 6,
	   "points: 3.3 target 0.5, 1/4 is 3, 1/2 is 6");
	ok(tthc_points_of_ratio(c, 0.25) == 3 && tthc_points_of_ratio(c, -0.1) == 0,
	   "points: 3.3 of a ratio, 0.25 is 3, a negative ratio 0");

	c = &set.criteria[tthc_indexset_find_criterion(&set, "5.1")];
	ok(tthc_points(c, 0, 0) == 6, "points: 5.1 empty full, no feedback is 6");
	ok(tthc_points(c, 1, 2) == 3, "points: 5.1 linear, 1/2 is 3");
	c = &set.criteria[tthc_indexset_find_criterion(&set, "5.2")];
	ok(tthc_points(c, 0, 0) == 6, "points: 5.2 empty full, no feedback is 6");
	c = &set.criteria[tthc_indexset_find_criterion(&set, "5.3")];
	ok(tthc_points(c, 0, 0) == 0, "points: 5.3 empty zero, no dossiers is 0");
	ok(tthc_points(c, 9, 10) == 6 && tthc_points_of_ratio(c, 0.45) == 3,
	   "points: 5.3 target 0.9, 9/10 is 6, ratio 0.45 is 3");

	c = &set.criteria[tthc_indexset_find_criterion(&set, "2.2")];
	ok(tthc_points(c, 5, 10) == 0 && tthc_points(c, 0, 0) == 0 &&
	   tthc_points_of_ratio(c, 1) == 0, "points: 2.2 kind none scores nothing");
}

static void
test_metrics(void)
{
	bool		all = true;

	ok(TTHC_NMETRICS == 23, "metrics: 23 in the registry");
	for (int i = 0; i < TTHC_NMETRICS; i++)
		all = all && tthc_metric_lookup(tthc_metric_names[i]) == i &&
			tthc_metric_descriptions[i][0] != '\0';
	ok(all, "metrics: each is found by its name and described");
	ok(tthc_metric_lookup("synced") == TTHC_M_synced &&
	   tthc_metric_lookup("foo") == -1 && tthc_metric_lookup("Synced") == -1,
	   "metrics: lookup is exact, -1 for an unknown name");
	ok(tthc_metric_sources[TTHC_M_not_late] == TTHC_FROM_DOSSIERS &&
	   tthc_metric_sources[TTHC_M_feedback_on_time] == TTHC_FROM_FEEDBACK &&
	   tthc_metric_sources[TTHC_M_announced_on_time] == TTHC_FROM_CATALOGUE &&
	   strcmp(tthc_metric_source_names[TTHC_FROM_CATALOGUE], "catalogue") == 0,
	   "metrics: what they are computed from");
}

int
main(int argc, char **argv)
{
	if (argc > 1)
		path766 = argv[1];
	test_metrics();
	test_766();
	test_small();
	test_bad();
	test_truncations();
	test_mutations();
	test_grades();
	test_points();
	return tap_done();
}
