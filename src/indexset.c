/*
 * indexset.c
 *		Index sets stored in tthc.index_set: loading a document (checked by
 *		core/indexset.c) and reading its criteria, groups and grades as rows.
 */
#include "postgres.h"

#include "catalog/pg_type.h"
#include "executor/spi.h"
#include "funcapi.h"
#include "utils/builtins.h"
#include "utils/numeric.h"

#include "tthc.h"
#include "core/indexset.h"

PG_FUNCTION_INFO_V1(tthc_load_index_set);
PG_FUNCTION_INFO_V1(tthc_index_set_criteria);
PG_FUNCTION_INFO_V1(tthc_index_set_groups);
PG_FUNCTION_INFO_V1(tthc_index_set_grades);

/* Check a document; raise an error naming the path of the fault. */
static TthcIndexSet *
parse_or_report(const char *json, size_t len, const char *what)
{
	TthcIndexSet *set = palloc(sizeof(TthcIndexSet));
	char		err[512];

	if (tthc_indexset_parse(json, len, set, err, sizeof(err)) != NULL)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("invalid index set%s: %s", what, err),
				 errhint("docs/index-sets.md describes the document.")));
	return set;
}

/*
 * The checked index set stored under id (an error when there is none).
 * The document is parsed again at each call: it is a few kilobytes.
 */
TthcIndexSet *
tthc_index_set_get(const char *id)
{
	int			guclevel;
	Oid			types[1] = {TEXTOID};
	Datum		values[1];
	TthcIndexSet *set = NULL;
	char	   *json = NULL;
	MemoryContext caller = CurrentMemoryContext;

	values[0] = CStringGetTextDatum(id);
	guclevel = tthc_spi_connect();
	if (SPI_execute_with_args("SELECT document::text FROM tthc.index_set WHERE id = $1",
							  1, types, values, NULL, true, 1) != SPI_OK_SELECT)
		elog(ERROR, "tthc: could not read tthc.index_set");
	if (SPI_processed == 1)
	{
		MemoryContext spi = MemoryContextSwitchTo(caller);

		json = SPI_getvalue(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1);
		MemoryContextSwitchTo(spi);
	}
	tthc_spi_finish(guclevel);
	if (json == NULL)
		ereport(ERROR,
				(errcode(ERRCODE_UNDEFINED_OBJECT),
				 errmsg("unknown index set \"%s\"", id),
				 errhint("Index sets are listed in tthc.index_set; tthc.load_index_set(document) adds one.")));
	set = parse_or_report(json, strlen(json), psprintf(" \"%s\" in tthc.index_set", id));
	return set;
}

/*
 * tthc.load_index_set(document json) returns text
 *		Check an index-set document and store it under its id (replacing
 *		one of the same id); returns the id.
 */
Datum
tthc_load_index_set(PG_FUNCTION_ARGS)
{
	int			guclevel;
	text	   *doc = PG_GETARG_TEXT_PP(0);
	TthcIndexSet *set = parse_or_report(VARDATA_ANY(doc), VARSIZE_ANY_EXHDR(doc), "");
	Oid			types[2] = {TEXTOID, TEXTOID};
	Datum		values[2];

	values[0] = CStringGetTextDatum(set->id);
	values[1] = PointerGetDatum(doc);
	guclevel = tthc_spi_connect();
	if (SPI_execute_with_args("INSERT INTO tthc.index_set AS s (id, document) VALUES ($1, $2::jsonb) "
							  "ON CONFLICT (id) DO UPDATE SET document = excluded.document, "
							  "loaded_at = now() WHERE NOT s.shipped",
							  2, types, values, NULL, false, 0) != SPI_OK_INSERT)
		elog(ERROR, "tthc: could not store the index set");
	if (SPI_processed == 0)
		ereport(ERROR,
				(errcode(ERRCODE_INSUFFICIENT_PRIVILEGE),
				 errmsg("index set \"%s\" is shipped with tthc and cannot be replaced", set->id),
				 errhint("Load the changed document under another id, and score with index_set => that id.")));
	tthc_spi_finish(guclevel);
	PG_RETURN_TEXT_P(cstring_to_text(set->id));
}

static Datum
number_datum(const TthcNumber *n)
{
	return DirectFunctionCall3(numeric_in, CStringGetDatum(n->text),
							   ObjectIdGetDatum(InvalidOid), Int32GetDatum(-1));
}

static Datum
text_or_null(const char *s, bool *isnull)
{
	*isnull = (s[0] == '\0');
	return *isnull ? (Datum) 0 : CStringGetTextDatum(s);
}

/*
 * tthc.index_set_criteria(index_set text)
 *		returns table (ord, criterion, name_vi, name_en, group_code,
 *		portal_group, metric, max_points, kind, target, empty, top, unit)
 */
Datum
tthc_index_set_criteria(PG_FUNCTION_ARGS)
{
	TthcIndexSet *set = tthc_index_set_get(text_to_cstring(PG_GETARG_TEXT_PP(0)));
	TupleDesc	td;
	Tuplestorestate *ts = tthc_srf_begin(fcinfo, &td);

	for (int i = 0; i < set->ncriteria; i++)
	{
		const TthcIsCriterion *c = &set->criteria[i];
		Datum		v[13];
		bool		n[13] = {false};

		v[0] = Int32GetDatum(i + 1);
		v[1] = CStringGetTextDatum(c->id);
		v[2] = CStringGetTextDatum(c->name_vi);
		v[3] = text_or_null(c->name_en, &n[3]);
		v[4] = CStringGetTextDatum(set->groups[c->group].code);
		v[5] = CStringGetTextDatum(set->portal_groups[c->portal_group].code);
		v[6] = CStringGetTextDatum(tthc_metric_names[c->metric]);
		v[7] = number_datum(&c->max);
		v[8] = CStringGetTextDatum(c->kind == TTHC_KIND_LINEAR ? "linear" :
								   c->kind == TTHC_KIND_TARGET ? "target" : "none");
		n[9] = (c->kind != TTHC_KIND_TARGET);
		v[9] = n[9] ? (Datum) 0 : number_datum(&c->target);
		v[10] = CStringGetTextDatum(c->empty == TTHC_EMPTY_FULL ? "full" : "zero");
		v[11] = BoolGetDatum((c->levels & TTHC_LEVEL_TOP) != 0);
		v[12] = BoolGetDatum((c->levels & TTHC_LEVEL_UNIT) != 0);
		tuplestore_putvalues(ts, td, v, n);
	}
	return (Datum) 0;
}

/*
 * tthc.index_set_groups(index_set text)
 *		returns table (layout, ord, code, name_vi, name_en, max_points):
 *		layout 'decision' (the decision's groups) or 'portal' (the portal's).
 */
Datum
tthc_index_set_groups(PG_FUNCTION_ARGS)
{
	TthcIndexSet *set = tthc_index_set_get(text_to_cstring(PG_GETARG_TEXT_PP(0)));
	TupleDesc	td;
	Tuplestorestate *ts = tthc_srf_begin(fcinfo, &td);

	for (int layout = 0; layout < 2; layout++)
	{
		int			ng = layout == 0 ? set->ngroups : set->nportal_groups;
		const TthcIsGroup *groups = layout == 0 ? set->groups : set->portal_groups;

		for (int i = 0; i < ng; i++)
		{
			Datum		v[6];
			bool		n[6] = {false};

			v[0] = CStringGetTextDatum(layout == 0 ? "decision" : "portal");
			v[1] = Int32GetDatum(i + 1);
			v[2] = CStringGetTextDatum(groups[i].code);
			v[3] = CStringGetTextDatum(groups[i].name_vi);
			v[4] = text_or_null(groups[i].name_en, &n[4]);
			v[5] = number_datum(&groups[i].max);
			tuplestore_putvalues(ts, td, v, n);
		}
	}
	return (Datum) 0;
}

/*
 * tthc.index_set_grades(index_set text)
 *		returns table (ord, code, name_vi, name_en, min_percent)
 */
Datum
tthc_index_set_grades(PG_FUNCTION_ARGS)
{
	TthcIndexSet *set = tthc_index_set_get(text_to_cstring(PG_GETARG_TEXT_PP(0)));
	TupleDesc	td;
	Tuplestorestate *ts = tthc_srf_begin(fcinfo, &td);

	for (int i = 0; i < set->ngrades; i++)
	{
		Datum		v[5];
		bool		n[5] = {false};

		v[0] = Int32GetDatum(i + 1);
		v[1] = CStringGetTextDatum(set->grades[i].code);
		v[2] = CStringGetTextDatum(set->grades[i].name_vi);
		v[3] = text_or_null(set->grades[i].name_en, &n[3]);
		v[4] = number_datum(&set->grades[i].min);
		tuplestore_putvalues(ts, td, v, n);
	}
	return (Datum) 0;
}
