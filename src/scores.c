/*
 * scores.c
 *		The metrics of agencies' subtrees for a period (PostgreSQL glue of
 *		core/metrics.c): tthc.metric_values().
 *
 * One pass over each source, whatever the number of agencies scored: the
 * agency tree, the procedures, the tallies of the period (tthc.tally_read),
 * the services, the announcements and the reported volumes.  Each row is
 * added to the accumulator of every scored agency above it (itself
 * included), and each procedure's bits are ORed per scored agency, then
 * counted once.  The tree is applied here, at read time.
 */
#include "postgres.h"

#include "catalog/pg_type.h"
#include "executor/spi.h"
#include "funcapi.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/date.h"
#include "utils/hsearch.h"
#include "utils/numeric.h"
#include "utils/timestamp.h"

#include "tthc.h"
#include "core/metrics.h"

PG_FUNCTION_INFO_V1(tthc_metric_values);
PG_FUNCTION_INFO_V1(tthc_announcement_status);

#define CODE_MAX 128

typedef struct CodeEntry
{
	char		code[CODE_MAX];
	int			index;
} CodeEntry;

typedef struct Agency
{
	char	   *id;
	int			parent;			/* index, or -1 */
	bool		ministry;		/* its top-level ancestor is a ministry */
	int			scored;			/* index into the accumulators, or -1 */
	int			nabove;			/* scored agencies above it, itself included */
	int		   *above;
} Agency;

typedef struct BitsKey
{
	int			scored;
	int			procedure;
} BitsKey;

typedef struct BitsEntry
{
	BitsKey		key;
	uint32_t	bits;
} BitsEntry;

typedef struct PairKey
{
	int			agency;
	int			procedure;
} PairKey;

typedef struct Scoring
{
	int			nagencies;
	Agency	   *agencies;
	HTAB	   *agency_ids;
	int			nprocedures;
	TthcProcFlags *flags;
	HTAB	   *procedure_codes;
	int			nscored;
	int		   *scored_agency;	/* agency index of each scored one */
	TthcMetricAcc *acc;
	HTAB	   *bits;			/* (scored, procedure) -> bits */
	HTAB	   *online_pairs;	/* (agency, procedure) with an online dossier */
} Scoring;

static HTAB *
code_table(const char *name, int size)
{
	HASHCTL		ctl;

	memset(&ctl, 0, sizeof(ctl));
	ctl.keysize = CODE_MAX;
	ctl.entrysize = sizeof(CodeEntry);
	ctl.hcxt = CurrentMemoryContext;
	return hash_create(name, size, &ctl, HASH_ELEM | HASH_STRINGS | HASH_CONTEXT);
}

static HTAB *
blob_table(const char *name, int size, Size keysize, Size entrysize)
{
	HASHCTL		ctl;

	memset(&ctl, 0, sizeof(ctl));
	ctl.keysize = keysize;
	ctl.entrysize = entrysize;
	ctl.hcxt = CurrentMemoryContext;
	return hash_create(name, size, &ctl, HASH_ELEM | HASH_BLOBS | HASH_CONTEXT);
}

/* The index of a code, or -1 (codes are at most 100 characters). */
static int
code_index(HTAB *h, const char *code)
{
	CodeEntry  *e;

	if (strlen(code) >= CODE_MAX)
		return -1;
	e = hash_search(h, code, HASH_FIND, NULL);
	return e ? e->index : -1;
}

static void
code_add(HTAB *h, const char *code, int index)
{
	bool		found;
	CodeEntry  *e;

	if (strlen(code) >= CODE_MAX)
		elog(ERROR, "tthc: code \"%s\" is too long", code);
	e = hash_search(h, code, HASH_ENTER, &found);
	e->index = index;
}

static char *
get_text(HeapTuple tup, TupleDesc td, int col, bool *isnull)
{
	Datum		d = SPI_getbinval(tup, td, col, isnull);

	return *isnull ? NULL : TextDatumGetCString(d);
}

static bool
get_flag(HeapTuple tup, TupleDesc td, int col)
{
	bool		isnull;
	Datum		d = SPI_getbinval(tup, td, col, &isnull);

	return !isnull && DatumGetBool(d);
}

/* Run a read-only query; the rows stay in SPI_tuptable. */
static void
query(const char *sql, int nargs, Oid *types, Datum *values)
{
	if (SPI_execute_with_args(sql, nargs, types, values, NULL, true, 0) != SPI_OK_SELECT)
		elog(ERROR, "tthc: query failed: %s", sql);
}

/* The agency tree, and which agencies are scored (NULL: all). */
static void
load_agencies(Scoring *s, ArrayType *scored)
{
	SPITupleTable *tt;

	query("SELECT id, parent_id, kind FROM tthc.agency", 0, NULL, NULL);
	tt = SPI_tuptable;
	s->nagencies = (int) SPI_processed;
	s->agencies = palloc0(sizeof(Agency) * Max(s->nagencies, 1));
	s->agency_ids = code_table("tthc agencies", Max(s->nagencies, 16));
	for (int i = 0; i < s->nagencies; i++)
	{
		bool		isnull;

		s->agencies[i].id = get_text(tt->vals[i], tt->tupdesc, 1, &isnull);
		s->agencies[i].scored = -1;
		code_add(s->agency_ids, s->agencies[i].id, i);
	}
	for (int i = 0; i < s->nagencies; i++)
	{
		bool		isnull;
		char	   *parent = get_text(tt->vals[i], tt->tupdesc, 2, &isnull);
		char	   *kind = get_text(tt->vals[i], tt->tupdesc, 3, &isnull);

		s->agencies[i].parent = parent ? code_index(s->agency_ids, parent) : -1;
		s->agencies[i].ministry = (kind && strcmp(kind, "ministry") == 0);
	}

	/* the scored agencies, in the order given */
	s->scored_agency = palloc(sizeof(int) * Max(s->nagencies, 1));
	s->nscored = 0;
	if (scored == NULL)
	{
		for (int i = 0; i < s->nagencies; i++)
		{
			s->agencies[i].scored = s->nscored;
			s->scored_agency[s->nscored++] = i;
		}
	}
	else
	{
		Datum	   *elems;
		bool	   *nulls;
		int			n;

		deconstruct_array(scored, TEXTOID, -1, false, TYPALIGN_INT, &elems, &nulls, &n);
		for (int i = 0; i < n; i++)
		{
			int			a;

			if (nulls[i])
				continue;
			a = code_index(s->agency_ids, TextDatumGetCString(elems[i]));
			if (a < 0)
				ereport(ERROR,
						(errcode(ERRCODE_UNDEFINED_OBJECT),
						 errmsg("unknown agency \"%s\"", TextDatumGetCString(elems[i])),
						 errhint("Agencies are listed in tthc.agency.")));
			if (s->agencies[a].scored >= 0)
				continue;
			s->agencies[a].scored = s->nscored;
			s->scored_agency[s->nscored++] = a;
		}
	}

	/* for each agency, the scored ones above it; the top's kind */
	for (int i = 0; i < s->nagencies; i++)
	{
		int			buf[64];
		int			n = 0,
					depth = 0,
					a = i,
					top = i;

		for (a = i; a >= 0; a = s->agencies[a].parent)
		{
			if (++depth > 1000)
				elog(ERROR, "tthc: the agency tree has a cycle at \"%s\"", s->agencies[i].id);
			if (s->agencies[a].scored >= 0 && n < lengthof(buf))
				buf[n++] = s->agencies[a].scored;
			top = a;
		}
		s->agencies[i].ministry = s->agencies[top].ministry;
		s->agencies[i].nabove = n;
		s->agencies[i].above = NULL;
		if (n > 0)
		{
			s->agencies[i].above = palloc(sizeof(int) * n);
			memcpy(s->agencies[i].above, buf, sizeof(int) * n);
		}
	}
	s->acc = palloc(sizeof(TthcMetricAcc) * Max(s->nscored, 1));
	for (int i = 0; i < s->nscored; i++)
		tthc_acc_zero(&s->acc[i]);
}

static void
load_procedures(Scoring *s)
{
	SPITupleTable *tt;

	query("SELECT code, fee_required, paper_result, full_online_eligible, for_citizens, "
		  "is_certification, parts_complete FROM tthc.procedure", 0, NULL, NULL);
	tt = SPI_tuptable;
	s->nprocedures = (int) SPI_processed;
	s->flags = palloc0(sizeof(TthcProcFlags) * Max(s->nprocedures, 1));
	s->procedure_codes = code_table("tthc procedures", Max(s->nprocedures, 16));
	for (int i = 0; i < s->nprocedures; i++)
	{
		HeapTuple	t = tt->vals[i];
		TupleDesc	td = tt->tupdesc;
		bool		isnull;

		code_add(s->procedure_codes, get_text(t, td, 1, &isnull), i);
		s->flags[i].fee_required = get_flag(t, td, 2);
		s->flags[i].paper_result = get_flag(t, td, 3);
		s->flags[i].full_online_eligible = get_flag(t, td, 4);
		s->flags[i].for_citizens = get_flag(t, td, 5);
		s->flags[i].is_certification = get_flag(t, td, 6);
		s->flags[i].parts_complete = get_flag(t, td, 7);
	}
}

/* OR bits into the (scored, procedure) entries above an agency. */
static void
or_bits(Scoring *s, int agency, int procedure, uint32_t bits)
{
	const Agency *a = &s->agencies[agency];

	if (bits == 0)
		return;
	for (int k = 0; k < a->nabove; k++)
	{
		BitsKey		key;
		bool		found;
		BitsEntry  *e;

		key.scored = a->above[k];
		key.procedure = procedure;
		e = hash_search(s->bits, &key, HASH_ENTER, &found);
		e->bits = found ? (e->bits | bits) : bits;
	}
}

/* The agencies to read: the subtrees of the scored ones (NULL: all). */
static ArrayType *
agencies_below(Scoring *s)
{
	Datum	   *elems = palloc(sizeof(Datum) * Max(s->nagencies, 1));
	int			n = 0;

	for (int i = 0; i < s->nagencies; i++)
		if (s->agencies[i].nabove > 0)
			elems[n++] = CStringGetTextDatum(s->agencies[i].id);
	if (n == s->nagencies)
		return NULL;
	return construct_array(elems, n, TEXTOID, -1, false, TYPALIGN_INT);
}

/*
 * The counters of each (agency, procedure) of the period: from the
 * tallies, or (from_rows) recomputed from the dossier and feedback rows by
 * the same classification, which is what the tallies are checked against.
 */
#define FROM_ROWS_QUERY \
	"SELECT x.agency_id, x.procedure_code, tthc.sum(x.c) FROM (" \
	" SELECT d.agency_id, d.procedure_code, tthc.dossier_counters(d, $4) AS c FROM tthc.dossier d" \
	"  WHERE ($1 IS NULL OR d.agency_id = ANY ($1))" \
	"    AND d.received_at >= ($2::timestamp AT TIME ZONE 'Asia/Ho_Chi_Minh')" \
	"    AND d.received_at < (($3 + 1)::timestamp AT TIME ZONE 'Asia/Ho_Chi_Minh')" \
	" UNION ALL" \
	" SELECT f.agency_id, '', tthc.feedback_counters(f, $4) FROM tthc.feedback f" \
	"  WHERE ($1 IS NULL OR f.agency_id = ANY ($1))" \
	"    AND f.received_at >= ($2::timestamp AT TIME ZONE 'Asia/Ho_Chi_Minh')" \
	"    AND f.received_at < (($3 + 1)::timestamp AT TIME ZONE 'Asia/Ho_Chi_Minh')" \
	") x GROUP BY 1, 2"

static void
add_tallies(Scoring *s, DateADT from, DateADT to, TimestampTz at, bool from_rows)
{
	ArrayType  *below = agencies_below(s);
	Oid			types[4] = {TEXTARRAYOID, DATEOID, DATEOID, TIMESTAMPTZOID};
	Datum		values[4];
	char		nulls[4] = {below ? ' ' : 'n', ' ', ' ', ' '};
	Portal		portal;
	SPIPlanPtr	plan;

	values[0] = below ? PointerGetDatum(below) : (Datum) 0;
	values[1] = DateADTGetDatum(from);
	values[2] = DateADTGetDatum(to);
	values[3] = TimestampTzGetDatum(at);
	plan = SPI_prepare(from_rows ? FROM_ROWS_QUERY :
					   "SELECT agency_id, procedure_code, counters FROM tthc.tally_read($1, $2, $3, $4)",
					   4, types);
	if (plan == NULL)
		elog(ERROR, "tthc: could not prepare the tally read");
	portal = SPI_cursor_open(NULL, plan, values, nulls, true);
	for (;;)
	{
		SPI_cursor_fetch(portal, true, 10000);
		if (SPI_processed == 0)
			break;
		for (uint64 i = 0; i < SPI_processed; i++)
		{
			HeapTuple	t = SPI_tuptable->vals[i];
			TupleDesc	td = SPI_tuptable->tupdesc;
			bool		isnull;
			char	   *agency = get_text(t, td, 1, &isnull);
			char	   *procedure = get_text(t, td, 2, &isnull);
			int			a = code_index(s->agency_ids, agency);
			int			p = procedure[0] ? code_index(s->procedure_codes, procedure) : -1;
			const TthcProcFlags *flags = p >= 0 ? &s->flags[p] : NULL;
			TthcCounters c;

			if (a < 0 || s->agencies[a].nabove == 0)
				continue;
			tthc_counters_from_datum(SPI_getbinval(t, td, 3, &isnull), &c);
			for (int k = 0; k < s->agencies[a].nabove; k++)
				tthc_acc_add_counters(&s->acc[s->agencies[a].above[k]], flags, &c);
			if (p < 0)
				continue;
			or_bits(s, a, p, tthc_counters_bits(&c));
			if (c.v[TTHC_C_online] > 0)
			{
				PairKey		key = {a, p};

				hash_search(s->online_pairs, &key, HASH_ENTER, NULL);
			}
		}
		SPI_freetuptable(SPI_tuptable);
	}
	SPI_cursor_close(portal);
}

static void
add_services(Scoring *s)
{
	SPITupleTable *tt;

	query("SELECT agency_id, procedure_code, online_level FROM tthc.service", 0, NULL, NULL);
	tt = SPI_tuptable;
	for (uint64 i = 0; i < SPI_processed; i++)
	{
		HeapTuple	t = tt->vals[i];
		bool		isnull;
		int			a = code_index(s->agency_ids, get_text(t, tt->tupdesc, 1, &isnull));
		int			p = code_index(s->procedure_codes, get_text(t, tt->tupdesc, 2, &isnull));
		char	   *level = get_text(t, tt->tupdesc, 3, &isnull);
		TthcOnlineLevel lv = level == NULL ? TTHC_ONLINE_NONE :
		strcmp(level, "full") == 0 ? TTHC_ONLINE_FULL : TTHC_ONLINE_PARTIAL;
		PairKey		key;
		bool		used;

		if (a < 0 || p < 0 || s->agencies[a].nabove == 0)
			continue;
		key.agency = a;
		key.procedure = p;
		used = hash_search(s->online_pairs, &key, HASH_FIND, NULL) != NULL;
		for (int k = 0; k < s->agencies[a].nabove; k++)
			tthc_acc_add_service(&s->acc[s->agencies[a].above[k]], lv, used);
		or_bits(s, a, p, tthc_service_bits(lv));
	}
}

static void
add_announcements(Scoring *s, DateADT from, DateADT to)
{
	Oid			types[1] = {DATEOID};
	Datum		values[1];
	SPITupleTable *tt;
	const TthcCalendar *cal = tthc_calendar_get();

	values[0] = DateADTGetDatum(to);
	query("SELECT agency_id, procedure_code, decided_on, basis_effective_on, published_on "
		  "FROM tthc.announcement WHERE decided_on <= $1", 1, types, values);
	tt = SPI_tuptable;
	for (uint64 i = 0; i < SPI_processed; i++)
	{
		HeapTuple	t = tt->vals[i];
		TupleDesc	td = tt->tupdesc;
		bool		isnull;
		int			a = code_index(s->agency_ids, get_text(t, td, 1, &isnull));
		int			p = code_index(s->procedure_codes, get_text(t, td, 2, &isnull));
		Datum		d;
		int32_t		decided,
					effective,
					published;
		uint32_t	bits;
		TthcCalStatus st;

		if (a < 0 || p < 0 || s->agencies[a].nabove == 0)
			continue;
		decided = DatumGetDateADT(SPI_getbinval(t, td, 3, &isnull));
		d = SPI_getbinval(t, td, 4, &isnull);
		effective = isnull ? TTHC_NO_DAY : DatumGetDateADT(d);
		d = SPI_getbinval(t, td, 5, &isnull);
		published = isnull ? TTHC_NO_DAY : DatumGetDateADT(d);
		st = tthc_announcement_bits(cal, s->agencies[a].ministry, decided, effective, published,
									from, to, &bits);
		if (st != TTHC_CAL_OK)
			tthc_calendar_report(st, "the days of an announcement");
		or_bits(s, a, p, bits);
	}
}

static void
add_reported(Scoring *s, DateADT from, DateADT to)
{
	Oid			types[2] = {DATEOID, DATEOID};
	Datum		values[2];
	SPITupleTable *tt;

	values[0] = DateADTGetDatum(from);
	values[1] = DateADTGetDatum(to);
	query("SELECT agency_id, received FROM tthc.reported_volume WHERE month BETWEEN $1 AND $2",
		  2, types, values);
	tt = SPI_tuptable;
	for (uint64 i = 0; i < SPI_processed; i++)
	{
		bool		isnull;
		int			a = code_index(s->agency_ids, get_text(tt->vals[i], tt->tupdesc, 1, &isnull));
		int64		received = DatumGetInt64(SPI_getbinval(tt->vals[i], tt->tupdesc, 2, &isnull));

		if (a < 0 || isnull)
			continue;
		for (int k = 0; k < s->agencies[a].nabove; k++)
			tthc_acc_add_reported(&s->acc[s->agencies[a].above[k]], received);
	}
}

/*
 * tthc.metric_values(agencies text[], "from" date, "to" date, "at" timestamptz,
 *					  from_rows boolean DEFAULT false)
 *		returns table (agency_id text, metric text, numerator numeric,
 *		denominator numeric, factor_numerator numeric, factor_denominator numeric)
 *
 * Every metric of each agency listed (NULL: every agency), over its
 * subtree, for dossiers received on days from..to judged at instant at.
 * The factor, when not NULL, multiplies the ratio numerator / denominator
 * (3.3's sync ratio).  handling_time is in working days.  from_rows
 * recomputes the counters from the rows instead of reading the tallies.
 */
Datum
tthc_metric_values(PG_FUNCTION_ARGS)
{
	int			guclevel;
	Scoring		s;
	DateADT		from,
				to;
	TimestampTz at;
	TupleDesc	td;
	Tuplestorestate *ts;
	HASH_SEQ_STATUS seq;
	BitsEntry  *be;
	MemoryContext outer = CurrentMemoryContext;
	int64		day_len = tthc_calendar_get()->day_len;

	if (PG_ARGISNULL(1) || PG_ARGISNULL(2) || PG_ARGISNULL(3))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("from, to and at must not be null")));
	from = PG_GETARG_DATEADT(1);
	to = PG_GETARG_DATEADT(2);
	at = PG_GETARG_TIMESTAMPTZ(3);

	ts = tthc_srf_begin(fcinfo, &td);
	guclevel = tthc_spi_connect();
	/* what the scoring builds lives until SPI_finish */
	memset(&s, 0, sizeof(s));
	load_agencies(&s, PG_ARGISNULL(0) ? NULL : PG_GETARG_ARRAYTYPE_P(0));
	load_procedures(&s);
	s.bits = blob_table("tthc procedure bits", 1024, sizeof(BitsKey), sizeof(BitsEntry));
	s.online_pairs = blob_table("tthc online services", 1024, sizeof(PairKey), sizeof(PairKey));
	add_tallies(&s, from, to, at, !PG_ARGISNULL(4) && PG_GETARG_BOOL(4));
	add_services(&s);
	add_announcements(&s, from, to);
	add_reported(&s, from, to);

	hash_seq_init(&seq, s.bits);
	while ((be = hash_seq_search(&seq)) != NULL)
		tthc_acc_add_procedure(&s.acc[be->key.scored], &s.flags[be->key.procedure], be->bits);

	for (int i = 0; i < s.nscored; i++)
	{
		const char *id = s.agencies[s.scored_agency[i]].id;

		for (int m = 0; m < TTHC_NMETRICS; m++)
		{
			TthcMetricValue mv;
			Datum		v[6];
			bool		n[6] = {false, false, false, false, true, true};
			MemoryContext spi = MemoryContextSwitchTo(outer);

			tthc_metric_value(&s.acc[i], (TthcMetric) m, &mv);
			v[0] = CStringGetTextDatum(id);
			v[1] = CStringGetTextDatum(tthc_metric_names[m]);
			v[2] = NumericGetDatum(int64_to_numeric(mv.numerator));
			if (m == TTHC_M_handling_time)
				v[2] = DirectFunctionCall2(numeric_div, v[2],
										   NumericGetDatum(int64_to_numeric(day_len)));
			v[3] = NumericGetDatum(int64_to_numeric(mv.denominator));
			if (mv.has_factor)
			{
				n[4] = n[5] = false;
				v[4] = NumericGetDatum(int64_to_numeric(mv.factor_numerator));
				v[5] = NumericGetDatum(int64_to_numeric(mv.factor_denominator));
			}
			tuplestore_putvalues(ts, td, v, n);
			MemoryContextSwitchTo(spi);
		}
	}
	tthc_spi_finish(guclevel);
	return (Datum) 0;
}

/*
 * tthc.announcement_status(ministry boolean, decided_on date,
 *							basis_effective_on date, published_on date,
 *							"from" date, "to" date) returns integer
 *		The bits criteria 1.1 and 1.2 read from one announcement for a
 *		period (core/metrics.h: 128 announced, 256 announced late, 512 due
 *		for publication, 1024 published late or not at all).
 */
Datum
tthc_announcement_status(PG_FUNCTION_ARGS)
{
	uint32_t	bits;
	TthcCalStatus st;

	if (PG_ARGISNULL(0) || PG_ARGISNULL(1) || PG_ARGISNULL(4) || PG_ARGISNULL(5))
		PG_RETURN_NULL();
	st = tthc_announcement_bits(tthc_calendar_get(), PG_GETARG_BOOL(0), PG_GETARG_DATEADT(1),
								PG_ARGISNULL(2) ? TTHC_NO_DAY : PG_GETARG_DATEADT(2),
								PG_ARGISNULL(3) ? TTHC_NO_DAY : PG_GETARG_DATEADT(3),
								PG_GETARG_DATEADT(4), PG_GETARG_DATEADT(5), &bits);
	if (st != TTHC_CAL_OK)
		tthc_calendar_report(st, "the days of an announcement");
	PG_RETURN_INT32((int32) bits);
}
