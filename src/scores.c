/*
 * scores.c
 *		The metrics of agencies' subtrees for a period (PostgreSQL glue of
 *		core/metrics.c): tthc.metric_values().
 *
 * One pass over each source, whatever the number of agencies scored: the
 * agency tree, the procedures and the services (a per-backend copy, see
 * below), the agency tallies of the period (tthc.tally_agency: one row per
 * agency and class of procedure, with each procedure's bits), the log not
 * compacted yet, the dossiers becoming late on the evaluation day, the
 * announcements and the reported volumes.  Each row is added to the
 * accumulator of every scored agency above it (itself included), and each
 * procedure's bits are ORed per scored agency, then counted once.  The tree
 * is applied here, at read time.
 *
 * The catalogue copy: agencies, procedures and services change rarely but
 * number hundreds of thousands of rows (every commune's services), more
 * than the tallies a year's scoreboard reads.  Each backend keeps them in
 * memory with the version it saw (the rows of tthc.catalogue_version,
 * which every statement writing the catalogue adds to); a call reads that
 * version under its own snapshot and reloads the copy when it differs, so
 * it always scores the catalogue its snapshot sees.
 */
#include "postgres.h"

#include "access/htup_details.h"
#include "catalog/pg_type.h"
#include "executor/spi.h"
#include "funcapi.h"
#include "miscadmin.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/date.h"
#include "utils/datetime.h"
#include "utils/hsearch.h"
#include "utils/memutils.h"
#include "utils/numeric.h"
#include "utils/timestamp.h"

#include "tthc.h"
#include "core/metrics.h"

PG_FUNCTION_INFO_V1(tthc_metric_values);
PG_FUNCTION_INFO_V1(tthc_announcement_status);
PG_FUNCTION_INFO_V1(tthc_counters_bits_sql);
PG_FUNCTION_INFO_V1(tthc_procedure_class);
PG_FUNCTION_INFO_V1(tthc_tally_sum);

#define CODE_MAX 128

typedef struct CodeEntry
{
	char		code[CODE_MAX];
	int			index;
} CodeEntry;

/* The catalogue as a backend keeps it between calls. */
typedef struct CatService
{
	int			agency;
	int			procedure;
	TthcOnlineLevel level;
} CatService;

typedef struct Catalogue
{
	MemoryContext cxt;
	char	   *version;		/* tthc.catalogue_version's rows, as text */
	Oid			user;			/* who read it */
	int			nagencies;
	char	  **agency_id;
	int		   *agency_parent;	/* index, or -1 */
	bool	   *agency_ministry;	/* its kind is 'ministry' */
	HTAB	   *agency_ids;
	int			nprocedures;
	char	  **procedure_code;
	TthcProcFlags *flags;
	HTAB	   *procedure_codes;
	int			nservices;
	CatService *services;
} Catalogue;

static Catalogue *catalogue = NULL;
static MemoryContext catalogue_loading = NULL;

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

/* An (agency, procedure) of the log, and its counters summed over the period. */
typedef struct DirtyEntry
{
	PairKey		key;
	TthcCounters sum;
} DirtyEntry;

typedef struct Scoring
{
	const Catalogue *cat;
	int			nagencies;
	Agency	   *agencies;
	int			nscored;
	int		   *scored_agency;	/* agency index of each scored one */
	TthcMetricAcc *acc;
	/* (scored, procedure) -> bits: an array when not too large, else a hash */
	uint32_t   *dense_bits;
	HTAB	   *bits;
	/* (agency, procedure) with an online dossier, a bit each */
	uint8	   *online_pairs;
	/* when not NULL, every counter read is added here too (tthc.tally_sum) */
	TthcCounters *total;
} Scoring;

/* The class of a procedure in tthc.tally_agency (tthc.procedure_class). */
#define CLASS_FEE_REQUIRED		1
#define CLASS_PAPER_RESULT		2
#define CLASS_CERTIFICATION		4

/* the largest (scored x procedures) array of bits: 32 MB */
#define DENSE_BITS_MAX ((Size) 8 * 1024 * 1024)

static HTAB *
code_table(const char *name, int size, MemoryContext cxt)
{
	HASHCTL		ctl;

	memset(&ctl, 0, sizeof(ctl));
	ctl.keysize = CODE_MAX;
	ctl.entrysize = sizeof(CodeEntry);
	ctl.hcxt = cxt;
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

/*
 * The catalogue its snapshot sees: the backend's copy when its version is
 * the one seen, else a new copy.  Inside SPI.
 */
static const Catalogue *
catalogue_get(void)
{
	bool		isnull;
	char	   *version;
	Catalogue  *c;
	MemoryContext old;
	SPITupleTable *tt;

	query("SELECT array_agg(token ORDER BY token)::text FROM tthc.catalogue_version", 0, NULL, NULL);
	version = get_text(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, &isnull);
	if (version == NULL)
		version = "";
	if (catalogue != NULL && catalogue->user == GetUserId() && strcmp(catalogue->version, version) == 0)
		return catalogue;

	/* a load an error interrupted left its context behind */
	if (catalogue_loading != NULL)
		MemoryContextDelete(catalogue_loading);
	catalogue_loading = AllocSetContextCreate(TopMemoryContext, "tthc scoring catalogue",
											  ALLOCSET_DEFAULT_SIZES);
	/* SPI returns in its own context: the copy is made in ours after each query */
	old = MemoryContextSwitchTo(catalogue_loading);
	c = palloc0(sizeof(Catalogue));
	c->cxt = catalogue_loading;
	c->version = pstrdup(version);
	c->user = GetUserId();

	query("SELECT id, parent_id, kind FROM tthc.agency", 0, NULL, NULL);
	MemoryContextSwitchTo(catalogue_loading);
	tt = SPI_tuptable;
	c->nagencies = (int) SPI_processed;
	c->agency_id = palloc(sizeof(char *) * Max(c->nagencies, 1));
	c->agency_parent = palloc(sizeof(int) * Max(c->nagencies, 1));
	c->agency_ministry = palloc(sizeof(bool) * Max(c->nagencies, 1));
	c->agency_ids = code_table("tthc agencies", Max(c->nagencies, 16), c->cxt);
	for (int i = 0; i < c->nagencies; i++)
	{
		c->agency_id[i] = get_text(tt->vals[i], tt->tupdesc, 1, &isnull);
		code_add(c->agency_ids, c->agency_id[i], i);
	}
	for (int i = 0; i < c->nagencies; i++)
	{
		char	   *parent = get_text(tt->vals[i], tt->tupdesc, 2, &isnull);
		char	   *kind = get_text(tt->vals[i], tt->tupdesc, 3, &isnull);

		c->agency_parent[i] = parent ? code_index(c->agency_ids, parent) : -1;
		c->agency_ministry[i] = (kind && strcmp(kind, "ministry") == 0);
	}

	query("SELECT code, fee_required, paper_result, full_online_eligible, for_citizens, "
		  "is_certification, parts_complete FROM tthc.procedure", 0, NULL, NULL);
	MemoryContextSwitchTo(catalogue_loading);
	tt = SPI_tuptable;
	c->nprocedures = (int) SPI_processed;
	c->flags = palloc0(sizeof(TthcProcFlags) * Max(c->nprocedures, 1));
	c->procedure_code = palloc(sizeof(char *) * Max(c->nprocedures, 1));
	c->procedure_codes = code_table("tthc procedures", Max(c->nprocedures, 16), c->cxt);
	for (int i = 0; i < c->nprocedures; i++)
	{
		HeapTuple	t = tt->vals[i];
		TupleDesc	td = tt->tupdesc;

		c->procedure_code[i] = get_text(t, td, 1, &isnull);
		code_add(c->procedure_codes, c->procedure_code[i], i);
		c->flags[i].fee_required = get_flag(t, td, 2);
		c->flags[i].paper_result = get_flag(t, td, 3);
		c->flags[i].full_online_eligible = get_flag(t, td, 4);
		c->flags[i].for_citizens = get_flag(t, td, 5);
		c->flags[i].is_certification = get_flag(t, td, 6);
		c->flags[i].parts_complete = get_flag(t, td, 7);
	}

	query("SELECT agency_id, procedure_code, online_level FROM tthc.service", 0, NULL, NULL);
	MemoryContextSwitchTo(catalogue_loading);
	tt = SPI_tuptable;
	c->services = palloc(sizeof(CatService) * Max(SPI_processed, 1));
	c->nservices = 0;
	for (uint64 i = 0; i < SPI_processed; i++)
	{
		HeapTuple	t = tt->vals[i];
		Datum		d;
		int			a,
					p;
		text	   *level;

		d = SPI_getbinval(t, tt->tupdesc, 1, &isnull);
		a = code_index(c->agency_ids, text_to_cstring(DatumGetTextPP(d)));
		d = SPI_getbinval(t, tt->tupdesc, 2, &isnull);
		p = code_index(c->procedure_codes, text_to_cstring(DatumGetTextPP(d)));
		if (a < 0 || p < 0)
			continue;
		d = SPI_getbinval(t, tt->tupdesc, 3, &isnull);
		level = isnull ? NULL : DatumGetTextPP(d);
		c->services[c->nservices].agency = a;
		c->services[c->nservices].procedure = p;
		c->services[c->nservices].level =
			level == NULL ? TTHC_ONLINE_NONE :
			(VARSIZE_ANY_EXHDR(level) == 4 && memcmp(VARDATA_ANY(level), "full", 4) == 0) ?
			TTHC_ONLINE_FULL : TTHC_ONLINE_PARTIAL;
		c->nservices++;
	}
	MemoryContextSwitchTo(old);

	if (catalogue != NULL)
		MemoryContextDelete(catalogue->cxt);
	catalogue = c;
	catalogue_loading = NULL;
	return c;
}

/* The agency tree, and which agencies are scored (NULL: all). */
static void
load_agencies(Scoring *s, ArrayType *scored)
{
	const Catalogue *c = s->cat;

	s->nagencies = c->nagencies;
	s->agencies = palloc0(sizeof(Agency) * Max(s->nagencies, 1));
	for (int i = 0; i < s->nagencies; i++)
	{
		s->agencies[i].id = c->agency_id[i];
		s->agencies[i].parent = c->agency_parent[i];
		s->agencies[i].ministry = c->agency_ministry[i];
		s->agencies[i].scored = -1;
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
			a = code_index(s->cat->agency_ids, TextDatumGetCString(elems[i]));
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

		if (s->dense_bits)
		{
			s->dense_bits[(Size) a->above[k] * s->cat->nprocedures + procedure] |= bits;
			continue;
		}
		key.scored = a->above[k];
		key.procedure = procedure;
		e = hash_search(s->bits, &key, HASH_ENTER, &found);
		e->bits = found ? (e->bits | bits) : bits;
	}
}

static inline Size
pair_bit(Scoring *s, int agency, int procedure)
{
	return (Size) agency * s->cat->nprocedures + procedure;
}

static void
set_online(Scoring *s, int agency, int procedure)
{
	Size		b = pair_bit(s, agency, procedure);

	s->online_pairs[b / 8] |= (uint8) (1 << (b % 8));
}

static bool
is_online(Scoring *s, int agency, int procedure)
{
	Size		b = pair_bit(s, agency, procedure);

	return (s->online_pairs[b / 8] & (1 << (b % 8))) != 0;
}

/*
 * A scoring of the agencies given (NULL: all), inside SPI: the catalogue,
 * the tree, and where the procedure bits and online pairs go.
 */
static void
scoring_begin(Scoring *s, ArrayType *scored)
{
	memset(s, 0, sizeof(*s));
	s->cat = catalogue_get();
	load_agencies(s, scored);
	if ((Size) Max(s->nscored, 1) * Max(s->cat->nprocedures, 1) <= DENSE_BITS_MAX)
		s->dense_bits = palloc0(sizeof(uint32_t) * Max(s->nscored, 1) * Max(s->cat->nprocedures, 1));
	else
		s->bits = blob_table("tthc procedure bits", 1024, sizeof(BitsKey), sizeof(BitsEntry));
	s->online_pairs = palloc_extended((Size) s->cat->nagencies * s->cat->nprocedures / 8 + 1,
									  MCXT_ALLOC_HUGE | MCXT_ALLOC_ZERO);
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

static void
add_checked(TthcCounters *sum, const TthcCounters *c)
{
	if (!tthc_counters_add(sum, c, 1))
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("tthc: a counter of the tallies is out of range")));
}

/* Add counters of one (agency, procedure or -1) to the scored agencies above. */
static void
add_counters(Scoring *s, int a, const TthcProcFlags *flags, const TthcCounters *c)
{
	for (int k = 0; k < s->agencies[a].nabove; k++)
		tthc_acc_add_counters(&s->acc[s->agencies[a].above[k]], flags, c);
	if (s->total)
		add_checked(s->total, c);
}

/* What one (agency, procedure)'s counters over the period show. */
static void
add_pair_bits(Scoring *s, int a, int p, uint32_t bits)
{
	or_bits(s, a, p, bits & TTHC_PB_PROCEDURE_MASK);
	if (bits & TTHC_PB_ONLINE_DOSSIER)
		set_online(s, a, p);
}

static uint32_t
pair_bits(const TthcCounters *c)
{
	return tthc_counters_bits(c) | (c->v[TTHC_C_online] > 0 ? TTHC_PB_ONLINE_DOSSIER : 0);
}

/*
 * The counters of each (agency, procedure) of the period recomputed from
 * the dossier and feedback rows by the same classification as the
 * tallies: what the tallies are checked against.
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

/*
 * Run a prepared read over a cursor, calling fn on every row (fetched in
 * batches, freed after each).
 */
typedef void (*RowFn) (Scoring *s, HeapTuple t, TupleDesc td, void *arg);

static void
each_row(Scoring *s, const char *sql, int nargs, Oid *types, Datum *values, const char *nulls,
		 RowFn fn, void *arg)
{
	SPIPlanPtr	plan = SPI_prepare(sql, nargs, types);
	Portal		portal;

	if (plan == NULL)
		elog(ERROR, "tthc: could not prepare a read of the tallies: %s",
			 SPI_result_code_string(SPI_result));
	portal = SPI_cursor_open(NULL, plan, values, nulls, true);
	for (;;)
	{
		SPI_cursor_fetch(portal, true, 10000);
		if (SPI_processed == 0)
			break;
		for (uint64 i = 0; i < SPI_processed; i++)
			fn(s, SPI_tuptable->vals[i], SPI_tuptable->tupdesc, arg);
		SPI_freetuptable(SPI_tuptable);
	}
	SPI_cursor_close(portal);
	SPI_freeplan(plan);
}


/* (agency, procedure, counters) rows; the agency index, or -1 when not read */
static int
row_pair(Scoring *s, HeapTuple t, TupleDesc td, int *p, TthcCounters *c)
{
	bool		isnull;
	char	   *agency = get_text(t, td, 1, &isnull);
	char	   *procedure = get_text(t, td, 2, &isnull);
	int			a = code_index(s->cat->agency_ids, agency);

	if (a < 0 || s->agencies[a].nabove == 0)
		return -1;
	*p = procedure[0] ? code_index(s->cat->procedure_codes, procedure) : -1;
	tthc_counters_from_datum(SPI_getbinval(t, td, 3, &isnull), c);
	return a;
}

/* from_rows: one row per (agency, procedure) of the period */
static void
row_summed(Scoring *s, HeapTuple t, TupleDesc td, void *arg)
{
	int			p;
	TthcCounters c;
	int			a = row_pair(s, t, td, &p, &c);

	if (a < 0)
		return;
	add_counters(s, a, p >= 0 ? &s->cat->flags[p] : NULL, &c);
	if (p >= 0)
		add_pair_bits(s, a, p, pair_bits(&c));
}

/* the log: counters added, and summed per (agency, procedure) */
static void
row_logged(Scoring *s, HeapTuple t, TupleDesc td, void *arg)
{
	HTAB	   *dirty = (HTAB *) arg;
	int			p;
	TthcCounters c;
	int			a = row_pair(s, t, td, &p, &c);
	DirtyEntry *e;
	PairKey		key;
	bool		found;

	if (a < 0)
		return;
	add_counters(s, a, p >= 0 ? &s->cat->flags[p] : NULL, &c);
	if (p < 0)
		return;
	key.agency = a;
	key.procedure = p;
	e = hash_search(dirty, &key, HASH_ENTER, &found);
	if (!found)
		tthc_counters_zero(&e->sum);
	add_checked(&e->sum, &c);
}

/*
 * counters only: the dossiers becoming late on the evaluation day (arg
 * NULL), or, taken back (arg &taken_back), the late entries a year row
 * folded in that are not due yet
 */
static int	taken_back;

static void
row_counters(Scoring *s, HeapTuple t, TupleDesc td, void *arg)
{
	int			p;
	TthcCounters c;
	int			a = row_pair(s, t, td, &p, &c);

	if (a < 0)
		return;
	if (arg != NULL)
		for (int i = 0; i < TTHC_NCOUNTERS; i++)
			c.v[i] = -c.v[i];
	add_counters(s, a, p >= 0 ? &s->cat->flags[p] : NULL, &c);
}

/* the compacted tally rows of a logged (agency, procedure): summed */
static void
row_of_dirty(Scoring *s, HeapTuple t, TupleDesc td, void *arg)
{
	int			p;
	TthcCounters c;
	int			a = row_pair(s, t, td, &p, &c);
	PairKey		key;
	DirtyEntry *e;

	if (a < 0 || p < 0)
		return;
	key.agency = a;
	key.procedure = p;
	e = hash_search((HTAB *) arg, &key, HASH_FIND, NULL);
	if (e)
		add_checked(&e->sum, &c);
}

/* The index of a code given as text (no copy kept), or -1. */
static int
text_code_index(HTAB *h, text *t)
{
	char		buf[CODE_MAX];
	int			len = VARSIZE_ANY_EXHDR(t);

	if (len >= CODE_MAX)
		return -1;
	memcpy(buf, VARDATA_ANY(t), len);
	buf[len] = '\0';
	return code_index(h, buf);
}

/* an agency row: counters by class, and its procedures' bits */
static void
row_agency(Scoring *s, HeapTuple t, TupleDesc td, void *arg)
{
	HTAB	   *dirty = (HTAB *) arg;
	long		ndirty = hash_get_num_entries(dirty);
	Datum		cols[5];
	bool		nulls[5];
	int			a;
	int			class;
	TthcProcFlags flags;
	TthcCounters c;

	heap_deform_tuple(t, td, cols, nulls);
	a = text_code_index(s->cat->agency_ids, DatumGetTextPP(cols[0]));
	if (a < 0 || s->agencies[a].nabove == 0)
		return;
	class = DatumGetInt16(cols[1]);
	tthc_counters_from_datum(cols[2], &c);
	memset(&flags, 0, sizeof(flags));
	flags.fee_required = (class & CLASS_FEE_REQUIRED) != 0;
	flags.paper_result = (class & CLASS_PAPER_RESULT) != 0;
	flags.is_certification = (class & CLASS_CERTIFICATION) != 0;
	/* -1 feedback, -2 a procedure not in the catalogue: as tthc_acc_add_counters says */
	add_counters(s, a, class >= 0 ? &flags : NULL, &c);

	if (!nulls[3])
	{
		ArrayType  *procs = DatumGetArrayTypeP(cols[3]);
		ArrayType  *bits = nulls[4] ? NULL : DatumGetArrayTypeP(cols[4]);
		Datum	   *pe;
		bool	   *pn;
		int			np;
		int32	   *be;

		deconstruct_array(procs, TEXTOID, -1, false, TYPALIGN_INT, &pe, &pn, &np);
		if (bits == NULL || ARR_NDIM(bits) != 1 || ARR_HASNULL(bits) || ARR_DIMS(bits)[0] != np)
			ereport(ERROR,
					(errcode(ERRCODE_DATA_CORRUPTED),
					 errmsg("the procedures and bits of an agency tally row of \"%s\" differ in length",
							s->agencies[a].id),
					 errhint("Run SELECT tthc.rebuild() to recompute the tallies.")));
		be = (int32 *) ARR_DATA_PTR(bits);
		for (int i = 0; i < np; i++)
		{
			int			p = pn[i] ? -1 : text_code_index(s->cat->procedure_codes, DatumGetTextPP(pe[i]));
			PairKey		key = {a, p};

			/* a logged pair is judged on its whole sum (add_tallies) */
			if (p < 0 || (ndirty > 0 && hash_search(dirty, &key, HASH_FIND, NULL) != NULL))
				continue;
			add_pair_bits(s, a, p, (uint32_t) be[i]);
		}
	}
}

#define AGENCY_ROWS_QUERY(AGENCY) \
	"SELECT t.agency_id, t.class, t.counters, t.procedures, t.bits FROM tthc.tally_agency t" \
	" WHERE " AGENCY " AND t.grain = 'y' AND t.received_day = ANY ($2) AND t.late_day < $5" \
	" UNION ALL" \
	" SELECT t.agency_id, t.class, t.counters, t.procedures, t.bits FROM tthc.tally_agency t" \
	" WHERE " AGENCY " AND t.grain = 'm' AND t.received_day = ANY ($3) AND t.late_day < $5" \
	" UNION ALL" \
	" SELECT t.agency_id, t.class, t.counters, t.procedures, t.bits FROM tthc.tally_agency t" \
	" WHERE " AGENCY " AND t.grain = 'd' AND t.received_day = ANY ($4) AND t.late_day < $5"

#define LOG_ROWS_QUERY(AGENCY) \
	"SELECT t.agency_id, t.procedure_code, t.counters FROM tthc.tally_log t" \
	" WHERE " AGENCY " AND t.received_day BETWEEN $6 AND $7 AND t.late_day < $5"

/* the compacted rows of the logged pairs ($1 agencies, $9 procedures, paired) */
#define DIRTY_ROWS_QUERY \
	"SELECT t.agency_id, t.procedure_code, t.counters" \
	"  FROM unnest($1::text[], $9::text[]) k(agency_id, procedure_code)" \
	"  JOIN tthc.tally t ON t.agency_id = k.agency_id AND t.procedure_code = k.procedure_code" \
	" WHERE ((t.grain = 'y' AND t.received_day = ANY ($2))" \
	"     OR (t.grain = 'm' AND t.received_day = ANY ($3))" \
	"     OR (t.grain = 'd' AND t.received_day = ANY ($4)))" \
	"   AND t.late_day < $5"

/* day rows of the year received after 'to' ($10 the year's last day) */
#define AFTER_TO_QUERY(AGENCY) \
	"SELECT EXISTS (SELECT 1 FROM tthc.tally t" \
	" WHERE " AGENCY " AND t.grain = 'd' AND t.received_day > $7 AND t.received_day <= $10)"

/* the late entries dated from the evaluation day to the year's end */
#define NOT_DUE_QUERY(AGENCY) \
	"SELECT t.agency_id, t.procedure_code, t.counters FROM tthc.tally t" \
	" WHERE " AGENCY " AND t.grain = 'd' AND t.late_day >= $5 AND t.late_day <= $10" \
	"   AND t.late_day <> '-infinity' AND t.received_day BETWEEN $6 AND $7"

/*
 * The year so far: from the first day of the evaluation day's year to that
 * day or later in the year, as dashboards show it.  Its cover is every
 * month so far and the days of this one; the year's own rows are one row
 * per (agency, class) but fold in the late entries dated anywhere in the
 * year, those not due at the evaluation day included.  Those few (the
 * dossiers not late yet) are taken back from the day rows.  Only when no
 * day row of the year lies after 'to' (the year's rows count them too).
 */
static bool
year_so_far(DateADT from, DateADT to, int32 at_day, DateADT *first, DateADT *last)
{
	int			y,
				m,
				d;

	j2date(at_day + POSTGRES_EPOCH_JDATE, &y, &m, &d);
	*first = date2j(y, 1, 1) - POSTGRES_EPOCH_JDATE;
	*last = date2j(y, 12, 31) - POSTGRES_EPOCH_JDATE;
	return from == *first && at_day > from && to >= at_day - 1 && to <= *last;
}

/*
 * From the tallies, exact at instant at: the agency rows of the period's
 * cover, the log per (agency, procedure), and the dossiers becoming late on
 * the evaluation day, judged one by one (as tthc.tally_read).  A procedure
 * bit is a property of an (agency, procedure)'s whole sum, so the pairs
 * found in the log take theirs from that sum, not from the agency rows.
 */
static void
add_tallies(Scoring *s, DateADT from, DateADT to, TimestampTz at)
{
	ArrayType  *below = agencies_below(s);
	bool		all = below == NULL;
	Oid			types[10] = {TEXTARRAYOID, DATEARRAYOID, DATEARRAYOID, DATEARRAYOID,
		DATEOID, DATEOID, DATEOID, TIMESTAMPTZOID, TEXTARRAYOID, DATEOID};
	Datum		values[10];
	char		nulls[11] = "          ";
	int32		at_day;
	DateADT		year_first,
				year_last;
	bool		year;
	HTAB	   *dirty;
	HASH_SEQ_STATUS seq;
	DirtyEntry *e;
	long		ndirty;

	tthc_tally_cover(from, to, at, &at_day, &values[1], &values[2], &values[3]);
	values[0] = all ? (Datum) 0 : PointerGetDatum(below);
	nulls[0] = all ? 'n' : ' ';
	values[4] = DateADTGetDatum((DateADT) at_day);
	values[5] = DateADTGetDatum(from);
	values[6] = DateADTGetDatum(to);
	values[7] = TimestampTzGetDatum(at);
	values[8] = (Datum) 0;
	nulls[8] = 'n';

	year = year_so_far(from, to, at_day, &year_first, &year_last);
	values[9] = DateADTGetDatum(year_last);
	if (year)
	{
		bool		isnull;

		if (SPI_execute_with_args(all ? AFTER_TO_QUERY("true") : AFTER_TO_QUERY("t.agency_id = ANY ($1)"),
								  10, types, values, nulls, true, 1) != SPI_OK_SELECT)
			elog(ERROR, "tthc: could not read the tallies after the range");
		year = !DatumGetBool(SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, &isnull));
	}
	if (year)
	{
		Datum		first = DateADTGetDatum(year_first);

		values[1] = PointerGetDatum(construct_array(&first, 1, DATEOID, sizeof(DateADT), true,
													TYPALIGN_INT));
		values[2] = values[3] = PointerGetDatum(construct_empty_array(DATEOID));
		each_row(s, all ? NOT_DUE_QUERY("true") : NOT_DUE_QUERY("t.agency_id = ANY ($1)"),
				 10, types, values, nulls, row_counters, &taken_back);
	}

	dirty = blob_table("tthc logged pairs", 256, sizeof(PairKey), sizeof(DirtyEntry));
	each_row(s, all ? LOG_ROWS_QUERY("true") : LOG_ROWS_QUERY("t.agency_id = ANY ($1)"),
			 8, types, values, nulls, row_logged, dirty);
	each_row(s, all ? AGENCY_ROWS_QUERY("true") : AGENCY_ROWS_QUERY("t.agency_id = ANY ($1)"),
			 8, types, values, nulls, row_agency, dirty);
	each_row(s, tthc_tally_eval_day_sql(all), 8, types, values, nulls, row_counters, NULL);

	ndirty = hash_get_num_entries(dirty);
	if (ndirty > 0)
	{
		Datum	   *ae = palloc(sizeof(Datum) * ndirty);
		Datum	   *pe = palloc(sizeof(Datum) * ndirty);
		int			n = 0;
		char		dnulls[11] = "          ";

		hash_seq_init(&seq, dirty);
		while ((e = hash_seq_search(&seq)) != NULL)
		{
			ae[n] = CStringGetTextDatum(s->agencies[e->key.agency].id);
			pe[n] = CStringGetTextDatum(s->cat->procedure_code[e->key.procedure]);
			n++;
		}
		values[0] = PointerGetDatum(construct_array(ae, n, TEXTOID, -1, false, TYPALIGN_INT));
		values[8] = PointerGetDatum(construct_array(pe, n, TEXTOID, -1, false, TYPALIGN_INT));
		each_row(s, DIRTY_ROWS_QUERY, 10, types, values, dnulls, row_of_dirty, dirty);
		hash_seq_init(&seq, dirty);
		while ((e = hash_seq_search(&seq)) != NULL)
			add_pair_bits(s, e->key.agency, e->key.procedure, pair_bits(&e->sum));
	}
}

static void
add_rows(Scoring *s, DateADT from, DateADT to, TimestampTz at)
{
	ArrayType  *below = agencies_below(s);
	Oid			types[4] = {TEXTARRAYOID, DATEOID, DATEOID, TIMESTAMPTZOID};
	Datum		values[4];
	char		nulls[4] = {below ? ' ' : 'n', ' ', ' ', ' '};

	values[0] = below ? PointerGetDatum(below) : (Datum) 0;
	values[1] = DateADTGetDatum(from);
	values[2] = DateADTGetDatum(to);
	values[3] = TimestampTzGetDatum(at);
	each_row(s, FROM_ROWS_QUERY, 4, types, values, nulls, row_summed, NULL);
}

static void
add_services(Scoring *s)
{
	const Catalogue *c = s->cat;

	for (int i = 0; i < c->nservices; i++)
	{
		const CatService *sv = &c->services[i];
		const Agency *a = &s->agencies[sv->agency];
		bool		used;

		if (a->nabove == 0)
			continue;
		used = is_online(s, sv->agency, sv->procedure);
		for (int k = 0; k < a->nabove; k++)
			tthc_acc_add_service(&s->acc[a->above[k]], sv->level, used);
		or_bits(s, sv->agency, sv->procedure, tthc_service_bits(sv->level));
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
		int			a = code_index(s->cat->agency_ids, get_text(t, td, 1, &isnull));
		int			p = code_index(s->cat->procedure_codes, get_text(t, td, 2, &isnull));
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
		int			a = code_index(s->cat->agency_ids, get_text(tt->vals[i], tt->tupdesc, 1, &isnull));
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
	scoring_begin(&s, PG_ARGISNULL(0) ? NULL : PG_GETARG_ARRAYTYPE_P(0));
	if (!PG_ARGISNULL(4) && PG_GETARG_BOOL(4))
		add_rows(&s, from, to, at);
	else
		add_tallies(&s, from, to, at);
	add_services(&s);
	add_announcements(&s, from, to);
	add_reported(&s, from, to);

	if (s.dense_bits)
	{
		for (int i = 0; i < s.nscored; i++)
			for (int p = 0; p < s.cat->nprocedures; p++)
			{
				uint32_t	bits = s.dense_bits[(Size) i * s.cat->nprocedures + p];

				if (bits != 0)
					tthc_acc_add_procedure(&s.acc[i], &s.cat->flags[p], bits);
			}
	}
	else
	{
		hash_seq_init(&seq, s.bits);
		while ((be = hash_seq_search(&seq)) != NULL)
			tthc_acc_add_procedure(&s.acc[be->key.scored], &s.cat->flags[be->key.procedure], be->bits);
	}

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

/*
 * tthc.counters_bits(c tthc.counters) returns integer
 *		What a procedure's tally row shows to the distinct-procedure
 *		metrics (core/metrics.h), and whether it had an online dossier:
 *		the bits tthc.tally_agency keeps per procedure.
 */
Datum
tthc_counters_bits_sql(PG_FUNCTION_ARGS)
{
	TthcCounters c;

	tthc_counters_from_datum(PG_GETARG_DATUM(0), &c);
	PG_RETURN_INT32((int32) pair_bits(&c));
}

/*
 * tthc.procedure_class(fee_required boolean, paper_result boolean,
 *						is_certification boolean) returns smallint
 *		The class of a procedure in tthc.tally_agency: the flags that pick
 *		which counters tthc_acc_add_counters adds (1, 2 and 4, added).
 */
Datum
tthc_procedure_class(PG_FUNCTION_ARGS)
{
	PG_RETURN_INT16((PG_GETARG_BOOL(0) ? CLASS_FEE_REQUIRED : 0) +
					(PG_GETARG_BOOL(1) ? CLASS_PAPER_RESULT : 0) +
					(PG_GETARG_BOOL(2) ? CLASS_CERTIFICATION : 0));
}

/*
 * tthc.tally_sum(agency text, "from" date, "to" date, "at" timestamptz)
 *		returns tthc.counters
 *		The counters of an agency's subtree, dossiers and feedback received
 *		on days from..to, judged at instant at, read as scoreboards read
 *		them (agency rows, the log, the evaluation day): what
 *		tthc.counters_of returns.
 */
Datum
tthc_tally_sum(PG_FUNCTION_ARGS)
{
	int			guclevel;
	Scoring		s;
	TthcCounters total;
	Datum		agency;
	Datum		result;
	MemoryContext outer = CurrentMemoryContext;

	if (PG_ARGISNULL(0))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("agency must not be null")));
	if (PG_ARGISNULL(1) || PG_ARGISNULL(2) || PG_ARGISNULL(3))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("from, to and at must not be null")));
	agency = PG_GETARG_DATUM(0);
	tthc_counters_zero(&total);
	guclevel = tthc_spi_connect();
	scoring_begin(&s, construct_array(&agency, 1, TEXTOID, -1, false, TYPALIGN_INT));
	s.total = &total;
	add_tallies(&s, PG_GETARG_DATEADT(1), PG_GETARG_DATEADT(2), PG_GETARG_TIMESTAMPTZ(3));
	tthc_spi_finish(guclevel);
	MemoryContextSwitchTo(outer);
	result = tthc_counters_to_datum(&total);
	PG_RETURN_DATUM(result);
}
