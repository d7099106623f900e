/*
 * publish.c
 *		Scoreboards for portals: a JSON document built with cJSON and a
 *		self-contained HTML page, of the live scores or of a publication
 *		(tthc.publish, src/sql/60_publish.sql).
 *
 * A board is the agencies directly under a parent (NULL: ministries and
 * provinces), each with its rank, totals, grade, group points and
 * criteria.  It is loaded once, through SPI, into plain C strings: live,
 * from one computation of tthc.scores_of ranked by tthc.rank_scores (the
 * arithmetic of tthc.scoreboard); frozen, from tthc.published_rank and
 * tthc.published_score, with the index set parsed from the publication's
 * copy of its document.  Two writers turn it into JSON or HTML, so a
 * publication and the live board of unchanged data give the same document.
 *
 * Numbers stay exact: they are read as numeric text and written into the
 * JSON as raw number tokens (never through double).  The HTML rounds them
 * to two decimals for reading; only the bar lengths of its chart use
 * doubles.
 *
 * cJSON allocates with malloc: the tree is freed when done, and in
 * PG_CATCH whatever fails while it is built.
 */
#include "postgres.h"

#include <cjson/cJSON.h>

#include "catalog/pg_type.h"
#include "executor/spi.h"
#include "fmgr.h"
#include "lib/stringinfo.h"
#include "mb/pg_wchar.h"
#include "pgtime.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/date.h"
#include "utils/datetime.h"
#include "utils/jsonb.h"
#include "utils/numeric.h"
#include "utils/timestamp.h"

#include "tthc.h"
#include "core/indexset.h"

PG_FUNCTION_INFO_V1(tthc_scoreboard_json);
PG_FUNCTION_INFO_V1(tthc_publication_json);
PG_FUNCTION_INFO_V1(tthc_scoreboard_html);
PG_FUNCTION_INFO_V1(tthc_publication_html);

/* One criterion of an agency: numeric texts, ratio NULL when undefined. */
typedef struct BoardCriterion
{
	bool		present;
	char	   *numerator;
	char	   *denominator;
	char	   *ratio;
	char	   *points;
	char	   *max_points;
} BoardCriterion;

typedef struct BoardAgency
{
	int			rank;
	char	   *id;
	char	   *name;
	char	   *kind;
	char	   *points;
	char	   *max_points;
	char	   *percent;		/* NULL when max_points is 0 */
	char	   *grade;
	char	   *grade_code;
	char	  **group_points;	/* per group of the set; NULL when absent */
	BoardCriterion *criteria;	/* per criterion of the set */
} BoardAgency;

typedef struct Board
{
	TthcIndexSet *set;
	DateADT		from;
	DateADT		to;
	TimestampTz evaluated_at;
	TimestampTz generated_at;
	/* the parent, or NULL for the top level */
	char	   *parent_id;
	char	   *parent_name;
	char	   *parent_kind;
	/* a publication's, when frozen */
	bool		frozen;
	int64		publication_id;
	char	   *label;
	TimestampTz published_at;
	char	   *published_by;
	int			nagencies;
	BoardAgency *agencies;
} Board;

/*
 * The rows of a board, one per (agency, criterion), agencies in board
 * order: at the top ministries then provinces, each by rank then id.  The
 * live query scores the agencies under $3 once and ranks those rows.
 */
#define BOARD_COLUMNS \
	"r.rank, r.agency_id, r.agency_name, r.kind, r.points, r.max_points, r.percent, r.grade, " \
	"r.grade_code, ARRAY(SELECT e.key FROM pg_catalog.jsonb_each_text(r.groups) e), " \
	"ARRAY(SELECT e.value FROM pg_catalog.jsonb_each_text(r.groups) e), " \
	"s.criterion, s.numerator, s.denominator, s.ratio, s.points, s.max_points "
#define BOARD_ORDER \
	" ORDER BY CASE WHEN r.parent_id IS NULL THEN r.kind END, r.rank, r.agency_id"

#define LIVE_BOARD_QUERY \
	"WITH s AS MATERIALIZED (" \
	" SELECT NULL::bigint AS publication_id, a.id AS agency_id, a.name AS agency_name, a.parent_id," \
	"        a.kind, x.criterion, c.group_code, x.numerator, x.denominator, x.ratio, x.points," \
	"        x.max_points" \
	"   FROM tthc.scores_of(ARRAY(SELECT y.id FROM tthc.agency y" \
	"                              WHERE y.parent_id IS NOT DISTINCT FROM $3)," \
	"                       $1, $2, $4, $5) x" \
	"   JOIN tthc.agency a ON a.id = x.agency_id" \
	"   JOIN tthc.index_set_criteria($4) c ON c.criterion = x.criterion)," \
	" r AS (SELECT * FROM tthc.rank_scores(ARRAY(SELECT ROW(s.*)::tthc.score_row FROM s), $4))" \
	" SELECT " BOARD_COLUMNS \
	"  FROM r JOIN s ON s.agency_id = r.agency_id" BOARD_ORDER

#define FROZEN_BOARD_QUERY \
	"SELECT " BOARD_COLUMNS \
	"  FROM tthc.published_rank r" \
	"  JOIN tthc.published_score s ON s.publication_id = r.publication_id AND s.agency_id = r.agency_id" \
	" WHERE r.publication_id = $1" \
	"   AND (CASE WHEN $2 IS NULL THEN r.parent_id IS NULL ELSE r.parent_id = $2 END)" BOARD_ORDER

/* ----------------------------------------------------------------------
 * Loading a board
 * ----------------------------------------------------------------------
 */

/* A column of the current SPI row as a C string in the current context. */
static char *
col_text(HeapTuple tup, TupleDesc td, int col)
{
	return SPI_getvalue(tup, td, col);
}

/* The texts of a text[] column (NULL: none). */
static void
col_texts(HeapTuple tup, TupleDesc td, int col, char ***out, int *n)
{
	bool		isnull;
	Datum		d = SPI_getbinval(tup, td, col, &isnull);
	Datum	   *elems;
	bool	   *nulls;

	*out = NULL;
	*n = 0;
	if (isnull)
		return;
	deconstruct_array(DatumGetArrayTypeP(d), TEXTOID, -1, false, TYPALIGN_INT, &elems, &nulls, n);
	*out = palloc(sizeof(char *) * Max(*n, 1));
	for (int i = 0; i < *n; i++)
		(*out)[i] = nulls[i] ? NULL : TextDatumGetCString(elems[i]);
}

/*
 * Read the rows of a board query (SPI_tuptable) into b->agencies.  Runs
 * with the caller's memory context current, so the strings outlive SPI.
 */
static void
board_read_rows(Board *b)
{
	SPITupleTable *tt = SPI_tuptable;
	uint64		nrows = SPI_processed;
	TupleDesc	td = tt->tupdesc;
	const TthcIndexSet *set = b->set;
	BoardAgency *cur = NULL;

	b->agencies = palloc0(sizeof(BoardAgency) * Max(nrows, 1));
	b->nagencies = 0;
	for (uint64 i = 0; i < nrows; i++)
	{
		HeapTuple	t = tt->vals[i];
		char	   *id = col_text(t, td, 2);
		char	   *criterion = col_text(t, td, 12);
		int			ci;
		BoardCriterion *c;

		if (cur == NULL || strcmp(cur->id, id) != 0)
		{
			char	  **codes;
			char	  **values;
			int			ncodes,
						nvalues;
			bool		isnull;

			cur = &b->agencies[b->nagencies++];
			cur->rank = DatumGetInt32(SPI_getbinval(t, td, 1, &isnull));
			cur->id = id;
			cur->name = col_text(t, td, 3);
			cur->kind = col_text(t, td, 4);
			cur->points = col_text(t, td, 5);
			cur->max_points = col_text(t, td, 6);
			cur->percent = col_text(t, td, 7);
			cur->grade = col_text(t, td, 8);
			cur->grade_code = col_text(t, td, 9);
			cur->group_points = palloc0(sizeof(char *) * Max(set->ngroups, 1));
			cur->criteria = palloc0(sizeof(BoardCriterion) * Max(set->ncriteria, 1));
			col_texts(t, td, 10, &codes, &ncodes);
			col_texts(t, td, 11, &values, &nvalues);
			for (int k = 0; k < ncodes && k < nvalues; k++)
				for (int g = 0; g < set->ngroups; g++)
					if (codes[k] != NULL && strcmp(codes[k], set->groups[g].code) == 0)
						cur->group_points[g] = values[k];
		}
		ci = criterion ? tthc_indexset_find_criterion(set, criterion) : -1;
		if (ci < 0)
			ereport(ERROR,
					(errcode(ERRCODE_DATA_CORRUPTED),
					 errmsg("criterion \"%s\" of agency \"%s\" is not in index set \"%s\"",
							criterion ? criterion : "", id, set->id)));
		c = &cur->criteria[ci];
		c->present = true;
		c->numerator = col_text(t, td, 13);
		c->denominator = col_text(t, td, 14);
		c->ratio = col_text(t, td, 15);
		c->points = col_text(t, td, 16);
		c->max_points = col_text(t, td, 17);
	}
}

static void
check_period(DateADT from, DateADT to)
{
	if (DATE_NOT_FINITE(from) || DATE_NOT_FINITE(to) || from > to)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("invalid period from %s to %s",
						DatumGetCString(DirectFunctionCall1(date_out, DateADTGetDatum(from))),
						DatumGetCString(DirectFunctionCall1(date_out, DateADTGetDatum(to)))),
				 errhint("A period is the finite days from..to, from not after to.")));
}

/*
 * The live board of the agencies under parent (NULL: the top level), for
 * days from..to of index set set_id, judged at *at (NULL: the period's
 * evaluation time).
 */
static void
board_load_live(Board *b, DateADT from, DateADT to, const char *parent, const char *set_id,
				const TimestampTz *at)
{
	int			guclevel;
	MemoryContext caller = CurrentMemoryContext;
	MemoryContext spi;
	Oid			types[5] = {DATEOID, DATEOID, TEXTOID, TEXTOID, TIMESTAMPTZOID};
	Datum		values[5];
	char		nulls[5] = {' ', ' ', parent ? ' ' : 'n', ' ', ' '};

	check_period(from, to);
	if (at != NULL && TIMESTAMP_NOT_FINITE(*at))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("invalid evaluation time"),
				 errhint("at must be a finite instant, or NULL for the period's evaluation time.")));
	memset(b, 0, sizeof(Board));
	b->set = tthc_index_set_get(set_id);
	b->from = from;
	b->to = to;
	b->generated_at = GetCurrentTransactionStartTimestamp();

	guclevel = tthc_spi_connect();
	spi = CurrentMemoryContext;
	if (at != NULL)
		b->evaluated_at = *at;
	else
	{
		Oid			t1[1] = {DATEOID};
		Datum		v1[1] = {DateADTGetDatum(to)};
		bool		isnull;

		if (SPI_execute_with_args("SELECT tthc.evaluation_time($1)", 1, t1, v1, NULL, true, 1)
			!= SPI_OK_SELECT || SPI_processed != 1)
			elog(ERROR, "tthc: could not compute the evaluation time");
		b->evaluated_at = DatumGetTimestampTz(SPI_getbinval(SPI_tuptable->vals[0],
															SPI_tuptable->tupdesc, 1, &isnull));
	}
	if (parent != NULL)
	{
		Oid			t1[1] = {TEXTOID};
		Datum		v1[1] = {CStringGetTextDatum(parent)};

		if (SPI_execute_with_args("SELECT name, kind FROM tthc.agency WHERE id = $1",
								  1, t1, v1, NULL, true, 1) != SPI_OK_SELECT)
			elog(ERROR, "tthc: could not read tthc.agency");
		if (SPI_processed != 1)
			ereport(ERROR,
					(errcode(ERRCODE_FOREIGN_KEY_VIOLATION),
					 errmsg("unknown agency \"%s\"", parent),
					 errhint("Agencies are listed in tthc.agency.")));
		MemoryContextSwitchTo(caller);
		b->parent_id = pstrdup(parent);
		b->parent_name = col_text(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1);
		b->parent_kind = col_text(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 2);
		MemoryContextSwitchTo(spi);
	}

	values[0] = DateADTGetDatum(from);
	values[1] = DateADTGetDatum(to);
	values[2] = parent ? CStringGetTextDatum(parent) : (Datum) 0;
	values[3] = CStringGetTextDatum(set_id);
	values[4] = TimestampTzGetDatum(b->evaluated_at);
	if (SPI_execute_with_args(LIVE_BOARD_QUERY, 5, types, values, nulls, true, 0) != SPI_OK_SELECT)
		elog(ERROR, "tthc: could not read the scoreboard");
	MemoryContextSwitchTo(caller);
	board_read_rows(b);
	tthc_spi_finish(guclevel);
}

/* The board under parent (NULL: the top level) of publication id. */
static void
board_load_publication(Board *b, int64 id, const char *parent)
{
	int			guclevel;
	MemoryContext caller = CurrentMemoryContext;
	Oid			types[2] = {INT8OID, TEXTOID};
	Datum		values[2];
	char		nulls[2] = {' ', parent ? ' ' : 'n'};
	SPITupleTable *tt;
	bool		isnull;
	char	   *doc;
	char		err[512];

	MemoryContext spi;

	memset(b, 0, sizeof(Board));
	b->frozen = true;
	b->publication_id = id;
	b->generated_at = GetCurrentTransactionStartTimestamp();
	values[0] = Int64GetDatum(id);
	values[1] = parent ? CStringGetTextDatum(parent) : (Datum) 0;

	guclevel = tthc_spi_connect();
	spi = CurrentMemoryContext;
	if (SPI_execute_with_args("SELECT label, from_day, to_day, index_document::text, evaluated_at, "
							  "published_at, published_by FROM tthc.publication WHERE id = $1",
							  1, types, values, NULL, true, 1) != SPI_OK_SELECT)
		elog(ERROR, "tthc: could not read tthc.publication");
	if (SPI_processed != 1)
		ereport(ERROR,
				(errcode(ERRCODE_UNDEFINED_OBJECT),
				 errmsg("publication " INT64_FORMAT " does not exist", id),
				 errhint("Publications are listed in tthc.publication.")));
	tt = SPI_tuptable;
	MemoryContextSwitchTo(caller);
	b->label = col_text(tt->vals[0], tt->tupdesc, 1);
	b->from = DatumGetDateADT(SPI_getbinval(tt->vals[0], tt->tupdesc, 2, &isnull));
	b->to = DatumGetDateADT(SPI_getbinval(tt->vals[0], tt->tupdesc, 3, &isnull));
	doc = col_text(tt->vals[0], tt->tupdesc, 4);
	b->evaluated_at = DatumGetTimestampTz(SPI_getbinval(tt->vals[0], tt->tupdesc, 5, &isnull));
	b->published_at = DatumGetTimestampTz(SPI_getbinval(tt->vals[0], tt->tupdesc, 6, &isnull));
	b->published_by = col_text(tt->vals[0], tt->tupdesc, 7);
	b->set = palloc(sizeof(TthcIndexSet));
	if (tthc_indexset_parse(doc, strlen(doc), b->set, err, sizeof(err)) != NULL)
		ereport(ERROR,
				(errcode(ERRCODE_DATA_CORRUPTED),
				 errmsg("the index set of publication " INT64_FORMAT " is invalid: %s", id, err)));
	MemoryContextSwitchTo(spi);

	if (parent != NULL)
	{
		if (SPI_execute_with_args("SELECT agency_name, kind FROM tthc.published_rank "
								  "WHERE publication_id = $1 AND agency_id = $2",
								  2, types, values, NULL, true, 1) != SPI_OK_SELECT)
			elog(ERROR, "tthc: could not read tthc.published_rank");
		if (SPI_processed != 1)
			ereport(ERROR,
					(errcode(ERRCODE_UNDEFINED_OBJECT),
					 errmsg("agency \"%s\" is not in publication " INT64_FORMAT, parent, id),
					 errhint("The agencies of a publication are listed in tthc.published_rank.")));
		MemoryContextSwitchTo(caller);
		b->parent_id = pstrdup(parent);
		b->parent_name = col_text(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1);
		b->parent_kind = col_text(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 2);
		MemoryContextSwitchTo(spi);
	}

	if (SPI_execute_with_args(FROZEN_BOARD_QUERY, 2, types, values, nulls, true, 0) != SPI_OK_SELECT)
		elog(ERROR, "tthc: could not read the published scoreboard");
	MemoryContextSwitchTo(caller);
	board_read_rows(b);
	tthc_spi_finish(guclevel);
}

/* Load the board an SQL function's arguments name. */
static void
board_from_args(FunctionCallInfo fcinfo, bool frozen, Board *b)
{
	if (frozen)
	{
		board_load_publication(b, PG_GETARG_INT64(0),
							   PG_ARGISNULL(1) ? NULL : text_to_cstring(PG_GETARG_TEXT_PP(1)));
	}
	else
	{
		TimestampTz at = 0;

		if (PG_ARGISNULL(0) || PG_ARGISNULL(1) || PG_ARGISNULL(3))
			ereport(ERROR,
					(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
					 errmsg("from, to and index_set must not be null")));
		if (!PG_ARGISNULL(4))
			at = PG_GETARG_TIMESTAMPTZ(4);
		board_load_live(b, PG_GETARG_DATEADT(0), PG_GETARG_DATEADT(1),
						PG_ARGISNULL(2) ? NULL : text_to_cstring(PG_GETARG_TEXT_PP(2)),
						text_to_cstring(PG_GETARG_TEXT_PP(3)),
						PG_ARGISNULL(4) ? NULL : &at);
	}
}

/* ----------------------------------------------------------------------
 * Times and dates as text
 * ----------------------------------------------------------------------
 */

/* An instant in Vietnam's civil time, broken down; false if not finite. */
static bool
vn_time(TimestampTz ts, struct pg_tm *tm, fsec_t *fsec, int *offset)
{
	static pg_tz *vn = NULL;
	int			tz;

	if (TIMESTAMP_NOT_FINITE(ts))
		return false;
	if (vn == NULL)
		vn = pg_tzset("Asia/Ho_Chi_Minh");
	if (vn == NULL)
		elog(ERROR, "tthc: time zone Asia/Ho_Chi_Minh is not known");
	if (timestamp2tm(ts, &tz, tm, fsec, NULL, vn) != 0)
		ereport(ERROR,
				(errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
				 errmsg("timestamp out of range")));
	*offset = -tz;				/* seconds east of UTC */
	return true;
}

/* ISO 8601 in Vietnam time with its offset: 2026-12-01T00:00:00+07:00. */
static char *
iso_time(TimestampTz ts)
{
	struct pg_tm tm;
	fsec_t		fsec;
	int			off;
	StringInfoData s;

	if (!vn_time(ts, &tm, &fsec, &off))
		return NULL;
	initStringInfo(&s);
	appendStringInfo(&s, "%04d-%02d-%02dT%02d:%02d:%02d",
					 tm.tm_year, tm.tm_mon, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
	if (fsec != 0)
	{
		char		frac[8];

		snprintf(frac, sizeof(frac), "%06d", (int) fsec);
		for (int i = 5; i > 0 && frac[i] == '0'; i--)
			frac[i] = '\0';
		appendStringInfo(&s, ".%s", frac);
	}
	appendStringInfo(&s, "%c%02d:%02d", off < 0 ? '-' : '+', abs(off) / 3600, abs(off) % 3600 / 60);
	return s.data;
}

/* dd/mm/yyyy hh:mm in Vietnam time, for people. */
static char *
vn_time_text(TimestampTz ts)
{
	struct pg_tm tm;
	fsec_t		fsec;
	int			off;

	if (!vn_time(ts, &tm, &fsec, &off))
		return pstrdup("—");
	return psprintf("%02d/%02d/%04d %02d:%02d", tm.tm_mday, tm.tm_mon, tm.tm_year,
					tm.tm_hour, tm.tm_min);
}

/* A date as yyyy-mm-dd (iso) or dd/mm/yyyy. */
static char *
date_text(DateADT d, bool iso)
{
	int			y,
				m,
				day;

	j2date(d + POSTGRES_EPOCH_JDATE, &y, &m, &day);
	return iso ? psprintf("%04d-%02d-%02d", y, m, day) : psprintf("%02d/%02d/%04d", day, m, y);
}

/* ----------------------------------------------------------------------
 * JSON
 * ----------------------------------------------------------------------
 */

static void
json_oom(void)
{
	ereport(ERROR,
			(errcode(ERRCODE_OUT_OF_MEMORY),
			 errmsg("out of memory"),
			 errdetail("cJSON could not allocate the scoreboard document.")));
}

/*
 * Attach item to parent (an object when key is not NULL, else an array)
 * and return it; an item that failed to be made or attached raises an
 * error (after freeing it, as nothing else owns it).
 */
static cJSON *
jadd(cJSON *parent, const char *key, cJSON *item)
{
	bool		ok;

	if (item == NULL)
		json_oom();
	ok = key ? cJSON_AddItemToObject(parent, key, item) : cJSON_AddItemToArray(parent, item);
	if (!ok)
	{
		cJSON_Delete(item);
		json_oom();
	}
	return item;
}

static cJSON *
jstring(const char *s)
{
	return s ? cJSON_CreateString(s) : cJSON_CreateNull();
}

/* A string, or null when it is empty (the index set's optional names). */
static cJSON *
jname(const char *s)
{
	return (s && s[0]) ? cJSON_CreateString(s) : cJSON_CreateNull();
}

/* A numeric's text as a JSON number token, exactly; NaN and infinities as null. */
static cJSON *
jnumber(const char *s)
{
	if (s == NULL || strcmp(s, "NaN") == 0 || strstr(s, "Infinity") != NULL)
		return cJSON_CreateNull();
	return cJSON_CreateRaw(s);
}

static void
json_groups(cJSON *root, const char *key, const TthcIsGroup *groups, int n)
{
	cJSON	   *arr = jadd(root, key, cJSON_CreateArray());

	for (int i = 0; i < n; i++)
	{
		cJSON	   *g = jadd(arr, NULL, cJSON_CreateObject());

		jadd(g, "code", jstring(groups[i].code));
		jadd(g, "name_vi", jname(groups[i].name_vi));
		jadd(g, "name_en", jname(groups[i].name_en));
		jadd(g, "max", jnumber(groups[i].max.text));
	}
}

/* Fill root with the document of board b (docs/publication.md). */
static void
json_build(cJSON *root, const Board *b)
{
	const TthcIndexSet *set = b->set;
	cJSON	   *o;
	cJSON	   *arr;

	jadd(root, "format", jstring("tthc-scoreboard/1"));
	o = jadd(root, "index_set", cJSON_CreateObject());
	jadd(o, "id", jstring(set->id));
	jadd(o, "name_vi", jname(set->name_vi));
	jadd(o, "name_en", jname(set->name_en));
	jadd(o, "total", jnumber(set->total.text));
	o = jadd(root, "period", cJSON_CreateObject());
	jadd(o, "from", jstring(date_text(b->from, true)));
	jadd(o, "to", jstring(date_text(b->to, true)));
	jadd(root, "evaluated_at", jstring(iso_time(b->evaluated_at)));
	jadd(root, "generated_at", jstring(iso_time(b->generated_at)));
	if (b->parent_id)
	{
		o = jadd(root, "parent", cJSON_CreateObject());
		jadd(o, "id", jstring(b->parent_id));
		jadd(o, "name", jstring(b->parent_name));
		jadd(o, "kind", jstring(b->parent_kind));
	}
	else
		jadd(root, "parent", cJSON_CreateNull());
	if (b->frozen)
	{
		o = jadd(root, "publication", cJSON_CreateObject());
		jadd(o, "id", jnumber(psprintf(INT64_FORMAT, b->publication_id)));
		jadd(o, "label", jstring(b->label));
		jadd(o, "published_at", jstring(iso_time(b->published_at)));
		jadd(o, "published_by", jstring(b->published_by));
	}
	else
		jadd(root, "publication", cJSON_CreateNull());

	json_groups(root, "groups", set->groups, set->ngroups);
	json_groups(root, "portal_groups", set->portal_groups, set->nportal_groups);

	arr = jadd(root, "criteria", cJSON_CreateArray());
	for (int i = 0; i < set->ncriteria; i++)
	{
		const TthcIsCriterion *c = &set->criteria[i];
		cJSON	   *levels;

		o = jadd(arr, NULL, cJSON_CreateObject());
		jadd(o, "id", jstring(c->id));
		jadd(o, "name_vi", jname(c->name_vi));
		jadd(o, "name_en", jname(c->name_en));
		jadd(o, "group", jstring(set->groups[c->group].code));
		jadd(o, "portal_group", jstring(set->portal_groups[c->portal_group].code));
		jadd(o, "max", jnumber(c->max.text));
		jadd(o, "kind", jstring(c->kind == TTHC_KIND_LINEAR ? "linear" :
								c->kind == TTHC_KIND_TARGET ? "target" : "none"));
		jadd(o, "target", c->kind == TTHC_KIND_TARGET ? jnumber(c->target.text) : cJSON_CreateNull());
		jadd(o, "empty", jstring(c->empty == TTHC_EMPTY_FULL ? "full" : "zero"));
		levels = jadd(o, "levels", cJSON_CreateArray());
		if (c->levels & TTHC_LEVEL_TOP)
			jadd(levels, NULL, jstring("top"));
		if (c->levels & TTHC_LEVEL_UNIT)
			jadd(levels, NULL, jstring("unit"));
	}

	arr = jadd(root, "grades", cJSON_CreateArray());
	for (int i = 0; i < set->ngrades; i++)
	{
		o = jadd(arr, NULL, cJSON_CreateObject());
		jadd(o, "code", jstring(set->grades[i].code));
		jadd(o, "name_vi", jname(set->grades[i].name_vi));
		jadd(o, "name_en", jname(set->grades[i].name_en));
		jadd(o, "min_percent", jnumber(set->grades[i].min.text));
	}

	arr = jadd(root, "agencies", cJSON_CreateArray());
	for (int i = 0; i < b->nagencies; i++)
	{
		const BoardAgency *a = &b->agencies[i];
		cJSON	   *groups;
		cJSON	   *crit;

		o = jadd(arr, NULL, cJSON_CreateObject());
		jadd(o, "rank", cJSON_CreateNumber(a->rank));
		jadd(o, "id", jstring(a->id));
		jadd(o, "name", jstring(a->name));
		jadd(o, "kind", jstring(a->kind));
		jadd(o, "points", jnumber(a->points));
		jadd(o, "max_points", jnumber(a->max_points));
		jadd(o, "percent", jnumber(a->percent));
		jadd(o, "grade", jstring(a->grade));
		jadd(o, "grade_code", jstring(a->grade_code));
		groups = jadd(o, "groups", cJSON_CreateObject());
		for (int g = 0; g < set->ngroups; g++)
			if (a->group_points[g] != NULL)
				jadd(groups, set->groups[g].code, jnumber(a->group_points[g]));
		crit = jadd(o, "criteria", cJSON_CreateArray());
		for (int k = 0; k < set->ncriteria; k++)
		{
			const BoardCriterion *c = &a->criteria[k];
			cJSON	   *co;

			if (!c->present)
				continue;
			co = jadd(crit, NULL, cJSON_CreateObject());
			jadd(co, "id", jstring(set->criteria[k].id));
			jadd(co, "numerator", jnumber(c->numerator));
			jadd(co, "denominator", jnumber(c->denominator));
			jadd(co, "ratio", jnumber(c->ratio));
			jadd(co, "points", jnumber(c->points));
			jadd(co, "max_points", jnumber(c->max_points));
		}
	}
}

/*
 * The board as jsonb.  The cJSON tree and its printed text are freed on
 * every path: PG_CATCH frees them and rethrows.  (PG_FINALLY would do the
 * same, but its own flag trips gcc's -Wclobbered.)
 */
static Datum
board_json(const Board *b)
{
	cJSON	   *volatile root = NULL;
	char	   *volatile printed = NULL;
	char	   *volatile text = NULL;

	PG_TRY();
	{
		root = cJSON_CreateObject();
		if (root == NULL)
			json_oom();
		json_build(root, b);
		printed = cJSON_PrintUnformatted(root);
		if (printed == NULL)
			json_oom();
		text = pstrdup(printed);
	}
	PG_CATCH();
	{
		if (printed != NULL)
			cJSON_free(printed);
		cJSON_Delete(root);
		PG_RE_THROW();
	}
	PG_END_TRY();
	cJSON_free(printed);
	cJSON_Delete(root);
	return DirectFunctionCall1(jsonb_in, CStringGetDatum(text));
}

/* ----------------------------------------------------------------------
 * HTML
 * ----------------------------------------------------------------------
 */

/*
 * Text from data, escaped for XML and HTML alike: & < > " ' as references,
 * and the characters XML 1.0 forbids (C0 controls but tab, newline and
 * return; U+FFFE, U+FFFF) as U+FFFD, so the page is always well-formed.
 */
static void
html_escape(StringInfo buf, const char *s)
{
	bool		utf8 = (GetDatabaseEncoding() == PG_UTF8);

	for (const unsigned char *p = (const unsigned char *) s; p && *p; p++)
	{
		switch (*p)
		{
			case '&':
				appendStringInfoString(buf, "&amp;");
				break;
			case '<':
				appendStringInfoString(buf, "&lt;");
				break;
			case '>':
				appendStringInfoString(buf, "&gt;");
				break;
			case '"':
				appendStringInfoString(buf, "&quot;");
				break;
			case '\'':
				appendStringInfoString(buf, "&#39;");
				break;
			default:
				if (*p < 0x20 && *p != '\t' && *p != '\n' && *p != '\r')
					appendStringInfoString(buf, utf8 ? "\xEF\xBF\xBD" : "?");
				else if (utf8 && p[0] == 0xEF && p[1] == 0xBF && (p[2] == 0xBE || p[2] == 0xBF))
				{
					appendStringInfoString(buf, "\xEF\xBF\xBD");
					p += 2;
				}
				else
					appendStringInfoChar(buf, (char) *p);
		}
	}
}

/* A name clipped to at most max characters, with an ellipsis when clipped. */
static char *
clip_name(const char *s, int max)
{
	int			len = strlen(s);

	if (pg_mbstrlen_with_len(s, len) <= max)
		return pstrdup(s);
	return psprintf("%s…", pnstrdup(s, pg_mbcharcliplen(s, len, max - 1)));
}

/* A numeric's text rounded to two decimals, with a decimal comma: 58,27. */
static char *
vn_number(const char *s, int decimals)
{
	Datum		n;
	char	   *out;

	if (s == NULL)
		return pstrdup("—");
	n = DirectFunctionCall3(numeric_in, CStringGetDatum(s), ObjectIdGetDatum(InvalidOid),
							Int32GetDatum(-1));
	if (decimals >= 0)
		n = DirectFunctionCall2(numeric_round, n, Int32GetDatum(decimals));
	out = DatumGetCString(DirectFunctionCall1(numeric_out, n));
	for (char *p = out; *p; p++)
		if (*p == '.')
			*p = ',';
	return out;
}

/* The colour class of a grade: its place among the set's grades, 0 best. */
static int
grade_class(const TthcIndexSet *set, const char *code)
{
	if (code == NULL)
		return 5;
	for (int i = 0; i < set->ngrades; i++)
		if (strcmp(set->grades[i].code, code) == 0)
			return set->ngrades <= 1 ? 0 : i * 4 / (set->ngrades - 1);
	return 5;
}

static const char *const page_style =
"body{font-family:system-ui,\"Segoe UI\",Roboto,\"Helvetica Neue\",Arial,sans-serif;"
"color:#1f2328;margin:0 auto;max-width:80em;padding:1em 1.5em;line-height:1.4}"
"h1{font-size:1.5em;margin:.3em 0}h2{font-size:1.2em;margin:1.5em 0 .5em}"
"p.meta{color:#57606a;margin:.2em 0}"
"table{border-collapse:collapse;width:100%;margin:.5em 0 1em}"
"th,td{border:1px solid #d0d7de;padding:.3em .5em;text-align:left;vertical-align:top}"
"thead th{background:#f6f8fa}td.n,th.n{text-align:right;font-variant-numeric:tabular-nums}"
"tbody tr:nth-child(even){background:#fafbfc}"
".grade{display:inline-block;padding:0 .4em;border-radius:.3em;color:#fff}"
"span.g0{background:#1a7f37}span.g1{background:#4c9a2a}span.g2{background:#bf8700}"
"span.g3{background:#d1631c}span.g4{background:#cf222e}span.g5{background:#6e7781}"
"svg{max-width:100%;height:auto}svg text{font-size:12px;fill:#1f2328}"
"rect.reach{fill:#eaeef2}rect.g0{fill:#1a7f37}rect.g1{fill:#4c9a2a}rect.g2{fill:#bf8700}"
"rect.g3{fill:#d1631c}rect.g4{fill:#cf222e}rect.g5{fill:#6e7781}"
"figure{margin:0 0 1.5em}figcaption{color:#57606a;font-size:.9em}"
"footer{margin-top:2em;color:#57606a;font-size:.9em}";

#define CHART_LABEL_W	280
#define CHART_BAR_W		420
#define CHART_ROW_H		22
#define CHART_W			(CHART_LABEL_W + CHART_BAR_W + 70)

/* The bar chart of points of the agencies idx[0..n) of b. */
static void
html_chart(StringInfo buf, const Board *b, const int *idx, int n, const char *what)
{
	double		scale = 0;
	int			height = n * CHART_ROW_H + 8;

	for (int i = 0; i < n; i++)
	{
		double		m = strtod(b->agencies[idx[i]].max_points, NULL);

		if (m > scale)
			scale = m;
	}
	appendStringInfo(buf, "<figure>\n<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
					 "viewBox=\"0 0 %d %d\" role=\"img\" aria-label=\"",
					 CHART_W, height, CHART_W, height);
	html_escape(buf, what);
	appendStringInfoString(buf, "\">\n<title>");
	html_escape(buf, what);
	appendStringInfoString(buf, "</title>\n");
	for (int i = 0; i < n; i++)
	{
		const BoardAgency *a = &b->agencies[idx[i]];
		double		pts = strtod(a->points, NULL);
		double		max = strtod(a->max_points, NULL);
		double		w = scale > 0 ? CHART_BAR_W * Max(pts, 0) / scale : 0;
		double		reach = scale > 0 ? CHART_BAR_W * Max(max, 0) / scale : 0;
		int			y = 4 + i * CHART_ROW_H;
		char	   *shown = vn_number(a->points, 2);

		appendStringInfo(buf, "<g><title>");
		html_escape(buf, a->name);
		appendStringInfo(buf, ": %s / %s điểm</title>", shown, vn_number(a->max_points, -1));
		appendStringInfo(buf, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">",
						 CHART_LABEL_W - 6, y + 13);
		html_escape(buf, clip_name(a->name, 40));
		appendStringInfo(buf, "</text><rect class=\"reach\" x=\"%d\" y=\"%d\" width=\"%.2f\" height=\"16\"/>",
						 CHART_LABEL_W, y, reach);
		appendStringInfo(buf, "<rect class=\"g%d\" x=\"%d\" y=\"%d\" width=\"%.2f\" height=\"16\"/>",
						 grade_class(b->set, a->grade_code), CHART_LABEL_W, y, w);
		appendStringInfo(buf, "<text x=\"%.2f\" y=\"%d\">%s</text></g>\n",
						 CHART_LABEL_W + Max(w, reach) + 6, y + 13, shown);
	}
	appendStringInfoString(buf, "</svg>\n<figcaption>");
	html_escape(buf, what);
	appendStringInfoString(buf, "; phần nhạt: số điểm tối đa có thể đạt.</figcaption>\n</figure>\n");
}

/* A section: heading, ranking table and chart of agencies idx[0..n). */
static void
html_section(StringInfo buf, const Board *b, const int *idx, int n, const char *sid,
			 const char *heading)
{
	const TthcIndexSet *set = b->set;

	if (n == 0)
		return;
	appendStringInfo(buf, "<section id=\"%s\">\n<h2>", sid);
	html_escape(buf, heading);
	appendStringInfoString(buf, "</h2>\n<table>\n<thead><tr><th class=\"n\" scope=\"col\">Hạng</th>"
						   "<th scope=\"col\">Cơ quan</th><th class=\"n\" scope=\"col\">Điểm</th>"
						   "<th class=\"n\" scope=\"col\">Tối đa</th><th class=\"n\" scope=\"col\">Tỷ lệ (%)</th>"
						   "<th scope=\"col\">Xếp loại</th>");
	for (int g = 0; g < set->ngroups; g++)
	{
		appendStringInfoString(buf, "<th class=\"n\" scope=\"col\" title=\"");
		html_escape(buf, set->groups[g].name_vi);
		appendStringInfoString(buf, "\">Nhóm ");
		html_escape(buf, set->groups[g].code);
		appendStringInfoString(buf, "</th>");
	}
	appendStringInfoString(buf, "</tr></thead>\n<tbody>\n");
	for (int i = 0; i < n; i++)
	{
		const BoardAgency *a = &b->agencies[idx[i]];

		appendStringInfo(buf, "<tr><td class=\"n\">%d</td><td>", a->rank);
		html_escape(buf, a->name);
		appendStringInfo(buf, "</td><td class=\"n\">%s</td><td class=\"n\">%s</td><td class=\"n\">%s</td>",
						 vn_number(a->points, 2), vn_number(a->max_points, -1),
						 vn_number(a->percent, 2));
		appendStringInfo(buf, "<td><span class=\"grade g%d\">", grade_class(set, a->grade_code));
		html_escape(buf, a->grade ? a->grade : "—");
		appendStringInfoString(buf, "</span></td>");
		for (int g = 0; g < set->ngroups; g++)
			appendStringInfo(buf, "<td class=\"n\">%s</td>", vn_number(a->group_points[g], 2));
		appendStringInfoString(buf, "</tr>\n");
	}
	appendStringInfoString(buf, "</tbody>\n</table>\n");
	html_chart(buf, b, idx, n, psprintf("Điểm của từng cơ quan: %s", heading));
	appendStringInfoString(buf, "</section>\n");
}

/* The board as a self-contained XHTML page. */
static text *
board_html(const Board *b)
{
	const TthcIndexSet *set = b->set;
	StringInfoData buf;
	char	   *title = psprintf("%s — Kỳ %s–%s", set->name_vi, date_text(b->from, false),
								 date_text(b->to, false));
	int		   *idx = palloc(sizeof(int) * Max(b->nagencies, 1));
	int			n;

	initStringInfo(&buf);
	appendStringInfoString(&buf, "<!DOCTYPE html>\n<html xmlns=\"http://www.w3.org/1999/xhtml\" "
						   "lang=\"vi\" xml:lang=\"vi\">\n<head>\n<meta charset=\"utf-8\"/>\n"
						   "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"/>\n"
						   "<meta name=\"generator\" content=\"tthc\"/>\n<title>");
	html_escape(&buf, title);
	appendStringInfo(&buf, "</title>\n<style>%s</style>\n</head>\n<body>\n<header>\n<h1>", page_style);
	html_escape(&buf, title);
	appendStringInfoString(&buf, "</h1>\n");
	if (b->parent_id)
	{
		appendStringInfoString(&buf, "<p class=\"meta\">Các cơ quan, đơn vị trực thuộc ");
		html_escape(&buf, b->parent_name);
		appendStringInfoString(&buf, " (");
		html_escape(&buf, b->parent_id);
		appendStringInfoString(&buf, ")</p>\n");
	}
	appendStringInfoString(&buf, "<p class=\"meta\">Hồ sơ tiếp nhận từ ");
	appendStringInfo(&buf, "%s đến %s; đánh giá tại thời điểm %s; bộ chỉ số ",
					 date_text(b->from, false), date_text(b->to, false),
					 vn_time_text(b->evaluated_at));
	html_escape(&buf, set->id);
	appendStringInfoString(&buf, ".</p>\n");
	if (b->frozen)
	{
		appendStringInfo(&buf, "<p class=\"meta\">Kết quả công bố số " INT64_FORMAT " «", b->publication_id);
		html_escape(&buf, b->label);
		appendStringInfo(&buf, "», lúc %s, bởi ", vn_time_text(b->published_at));
		html_escape(&buf, b->published_by);
		appendStringInfoString(&buf, ".</p>\n");
	}
	else
		appendStringInfo(&buf, "<p class=\"meta\">Số liệu trực tiếp, lập lúc %s (chưa công bố).</p>\n",
						 vn_time_text(b->generated_at));
	appendStringInfoString(&buf, "</header>\n<main>\n");

	if (b->nagencies == 0)
		appendStringInfoString(&buf, "<p>Không có cơ quan, đơn vị nào.</p>\n");
	else if (b->parent_id == NULL)
	{
		static const char *const kinds[2] = {"ministry", "province"};
		static const char *const headings[2] = {"Bộ, ngành", "Tỉnh, thành phố"};

		for (int k = 0; k < 2; k++)
		{
			n = 0;
			for (int i = 0; i < b->nagencies; i++)
				if (strcmp(b->agencies[i].kind, kinds[k]) == 0)
					idx[n++] = i;
			html_section(&buf, b, idx, n, kinds[k], headings[k]);
		}
		/* any other kind at the top (the catalogue forbids it) */
		n = 0;
		for (int i = 0; i < b->nagencies; i++)
			if (strcmp(b->agencies[i].kind, kinds[0]) != 0 && strcmp(b->agencies[i].kind, kinds[1]) != 0)
				idx[n++] = i;
		html_section(&buf, b, idx, n, "other", "Cơ quan khác");
	}
	else
	{
		for (n = 0; n < b->nagencies; n++)
			idx[n] = n;
		html_section(&buf, b, idx, n, "units", psprintf("Trực thuộc %s", b->parent_name));
	}

	appendStringInfoString(&buf, "</main>\n<footer>\n<p>Nhóm tiêu chí: ");
	for (int g = 0; g < set->ngroups; g++)
	{
		appendStringInfoString(&buf, g ? "; " : "");
		appendStringInfoString(&buf, "Nhóm ");
		html_escape(&buf, set->groups[g].code);
		appendStringInfoString(&buf, ": ");
		html_escape(&buf, set->groups[g].name_vi);
		appendStringInfo(&buf, " (tối đa %s điểm)", vn_number(set->groups[g].max.text, -1));
	}
	appendStringInfoString(&buf, ".</p>\n<p>Xếp loại theo tỷ lệ điểm đạt trên điểm tối đa: ");
	for (int i = 0; i < set->ngrades; i++)
	{
		appendStringInfoString(&buf, i ? "; " : "");
		html_escape(&buf, set->grades[i].name_vi);
		appendStringInfo(&buf, " từ %s%%", vn_number(set->grades[i].min.text, -1));
	}
	appendStringInfoString(&buf, ". Xếp hạng đồng hạng (1, 2, 2, 4) theo tỷ lệ điểm.</p>\n"
						   "</footer>\n</body>\n</html>\n");
	return cstring_to_text_with_len(buf.data, buf.len);
}

/* ----------------------------------------------------------------------
 * SQL functions
 * ----------------------------------------------------------------------
 */

/*
 * tthc.scoreboard_json("from" date, "to" date, parent text DEFAULT NULL,
 *						index_set text DEFAULT '766', "at" timestamptz DEFAULT NULL)
 *		returns jsonb
 */
Datum
tthc_scoreboard_json(PG_FUNCTION_ARGS)
{
	Board		b;

	board_from_args(fcinfo, false, &b);
	PG_RETURN_DATUM(board_json(&b));
}

/*
 * tthc.publication_json(publication_id bigint, parent text DEFAULT NULL)
 *		returns jsonb (NULL for a NULL id)
 */
Datum
tthc_publication_json(PG_FUNCTION_ARGS)
{
	Board		b;

	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();
	board_from_args(fcinfo, true, &b);
	PG_RETURN_DATUM(board_json(&b));
}

/*
 * tthc.scoreboard_html("from" date, "to" date, parent text DEFAULT NULL,
 *						index_set text DEFAULT '766', "at" timestamptz DEFAULT NULL)
 *		returns text
 */
Datum
tthc_scoreboard_html(PG_FUNCTION_ARGS)
{
	Board		b;

	board_from_args(fcinfo, false, &b);
	PG_RETURN_TEXT_P(board_html(&b));
}

/*
 * tthc.publication_html(publication_id bigint, parent text DEFAULT NULL)
 *		returns text (NULL for a NULL id)
 */
Datum
tthc_publication_html(PG_FUNCTION_ARGS)
{
	Board		b;

	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();
	board_from_args(fcinfo, true, &b);
	PG_RETURN_TEXT_P(board_html(&b));
}
