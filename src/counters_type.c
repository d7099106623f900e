/*
 * counters_type.c
 *		The SQL type tthc.counters: a varlena holding the core's counters.
 *
 * It is the state type of tthc.sum(counters) itself, a real type and not
 * 'internal', with a combine function, so that parallel query (and Citus,
 * when dossiers are sharded by agency) can split the aggregate.
 *
 * Two forms, told apart by the int32 after the varlena header:
 *	- n >= 0: n counters as int64 (what versions up to 0.3 wrote, and the
 *	  aggregate's state, added to in place): a value written before
 *	  counters were appended reads the new ones as 0;
 *	- -1: the packed form of core/counters.h (a mask of the non-zero
 *	  counters and varints), what is written since 0.4: a tally delta is
 *	  about 20 bytes instead of 312, which is most of the WAL a dossier
 *	  write adds.
 */
#include "postgres.h"

#include "fmgr.h"
#include "lib/stringinfo.h"
#include "libpq/pqformat.h"
#include "utils/builtins.h"

#include "tthc.h"

PG_FUNCTION_INFO_V1(tthc_counters_in);
PG_FUNCTION_INFO_V1(tthc_counters_out);
PG_FUNCTION_INFO_V1(tthc_counters_recv);
PG_FUNCTION_INFO_V1(tthc_counters_send);
PG_FUNCTION_INFO_V1(tthc_counters_plus);
PG_FUNCTION_INFO_V1(tthc_counters_minus);
PG_FUNCTION_INFO_V1(tthc_counters_accum);
PG_FUNCTION_INFO_V1(tthc_counters_eq);
PG_FUNCTION_INFO_V1(tthc_counters_get);
PG_FUNCTION_INFO_V1(tthc_counter_names_sql);

typedef struct CountersDatum
{
	int32		vl_len_;		/* varlena header */
	int32		n;				/* counters stored */
	int64		v[FLEXIBLE_ARRAY_MEMBER];
} CountersDatum;

#define COUNTERS_SIZE(n) (offsetof(CountersDatum, v) + sizeof(int64) * (n))
#define COUNTERS_PACKED (-1)

static void
report_corrupt(void)
{
	ereport(ERROR,
			(errcode(ERRCODE_DATA_CORRUPTED),
			 errmsg("corrupt tthc.counters value"),
			 errhint("Tallies are derived data: SELECT tthc.rebuild() recomputes them.")));
}

/*
 * Unpack a datum into the core's struct, counters it lacks as 0.  Short
 * varlenas are read where they are (the form has no aligned field).
 */
void
tthc_counters_from_datum(Datum d, TthcCounters *c)
{
	struct varlena *v = PG_DETOAST_DATUM_PACKED(d);
	const char *data = VARDATA_ANY(v);
	Size		len = VARSIZE_ANY_EXHDR(v);
	int32		n;

	if (len < sizeof(int32))
		report_corrupt();
	memcpy(&n, data, sizeof(int32));
	data += sizeof(int32);
	len -= sizeof(int32);
	if (n == COUNTERS_PACKED)
	{
		if (!tthc_counters_unpack((const uint8_t *) data, len, c))
			report_corrupt();
		return;
	}
	if (n < 0 || len < sizeof(int64) * n)
		report_corrupt();
	tthc_counters_zero(c);
	memcpy(c->v, data, sizeof(int64) * Min(n, TTHC_NCOUNTERS));
}

/* The packed form, what is stored. */
Datum
tthc_counters_to_datum(const TthcCounters *c)
{
	CountersDatum *cd = palloc(offsetof(CountersDatum, v) + TTHC_COUNTERS_PACKED_MAX);
	int			len = tthc_counters_pack(c, (uint8_t *) cd->v);

	SET_VARSIZE(cd, offsetof(CountersDatum, v) + len);
	cd->n = COUNTERS_PACKED;
	return PointerGetDatum(cd);
}

/* The full-width form: the aggregate's state, added to in place. */
static Datum
counters_to_full_datum(const TthcCounters *c)
{
	CountersDatum *cd = palloc(COUNTERS_SIZE(TTHC_NCOUNTERS));

	SET_VARSIZE(cd, COUNTERS_SIZE(TTHC_NCOUNTERS));
	cd->n = TTHC_NCOUNTERS;
	memcpy(cd->v, c->v, sizeof(int64) * TTHC_NCOUNTERS);
	return PointerGetDatum(cd);
}

static void
report_overflow(void)
{
	ereport(ERROR,
			(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
			 errmsg("tthc.counters out of range")));
}

Datum
tthc_counters_in(PG_FUNCTION_ARGS)
{
	char	   *text = PG_GETARG_CSTRING(0);
	TthcCounters c;
	char		err[160];

	if (tthc_counters_parse(text, &c, err, sizeof(err)) != NULL)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
				 errmsg("invalid input syntax for type tthc.counters: \"%s\"", text),
				 errdetail("%s", err),
				 errhint("Counters are written as a JSON object of whole numbers; tthc.counter_names() lists them.")));
	PG_RETURN_DATUM(tthc_counters_to_datum(&c));
}

Datum
tthc_counters_out(PG_FUNCTION_ARGS)
{
	TthcCounters c;
	int			size = 64 * TTHC_NCOUNTERS;
	char	   *buf = palloc(size);

	tthc_counters_from_datum(PG_GETARG_DATUM(0), &c);
	if (tthc_counters_format(&c, buf, size) >= size)
		elog(ERROR, "tthc.counters text form too long");
	PG_RETURN_CSTRING(buf);
}

Datum
tthc_counters_recv(PG_FUNCTION_ARGS)
{
	StringInfo	buf = (StringInfo) PG_GETARG_POINTER(0);
	int32		n = pq_getmsgint(buf, 4);
	TthcCounters c;

	if (n < 0 || n > 4096)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("invalid number of counters %d in binary tthc.counters", n)));
	tthc_counters_zero(&c);
	for (int i = 0; i < n; i++)
	{
		int64		v = pq_getmsgint64(buf);

		if (i < TTHC_NCOUNTERS)
			c.v[i] = v;
	}
	PG_RETURN_DATUM(tthc_counters_to_datum(&c));
}

Datum
tthc_counters_send(PG_FUNCTION_ARGS)
{
	TthcCounters c;
	StringInfoData buf;

	tthc_counters_from_datum(PG_GETARG_DATUM(0), &c);
	pq_begintypsend(&buf);
	pq_sendint32(&buf, TTHC_NCOUNTERS);
	for (int i = 0; i < TTHC_NCOUNTERS; i++)
		pq_sendint64(&buf, c.v[i]);
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}

Datum
tthc_counters_plus(PG_FUNCTION_ARGS)
{
	TthcCounters a,
				b;

	tthc_counters_from_datum(PG_GETARG_DATUM(0), &a);
	tthc_counters_from_datum(PG_GETARG_DATUM(1), &b);
	if (!tthc_counters_add(&a, &b, 1))
		report_overflow();
	PG_RETURN_DATUM(tthc_counters_to_datum(&a));
}

Datum
tthc_counters_minus(PG_FUNCTION_ARGS)
{
	TthcCounters a,
				b;

	tthc_counters_from_datum(PG_GETARG_DATUM(0), &a);
	tthc_counters_from_datum(PG_GETARG_DATUM(1), &b);
	if (!tthc_counters_add(&a, &b, -1))
		report_overflow();
	PG_RETURN_DATUM(tthc_counters_to_datum(&a));
}

/*
 * Transition and combine function of tthc.sum: inside an aggregate the state
 * belongs to the aggregate, so it is added to in place instead of copied.
 */
Datum
tthc_counters_accum(PG_FUNCTION_ARGS)
{
	CountersDatum *state;
	TthcCounters b;

	if (PG_ARGISNULL(0) && PG_ARGISNULL(1))
		PG_RETURN_NULL();
	if (PG_ARGISNULL(1))
		PG_RETURN_DATUM(PG_GETARG_DATUM(0));
	state = PG_ARGISNULL(0) ? NULL : (CountersDatum *) DatumGetPointer(PG_GETARG_DATUM(0));
	if (state == NULL || !AggCheckCallContext(fcinfo, NULL) ||
		VARATT_IS_EXTENDED(state) || state->n != TTHC_NCOUNTERS)
	{
		TthcCounters a;

		if (PG_ARGISNULL(0))
			tthc_counters_zero(&a);
		else
			tthc_counters_from_datum(PG_GETARG_DATUM(0), &a);
		tthc_counters_from_datum(PG_GETARG_DATUM(1), &b);
		if (!tthc_counters_add(&a, &b, 1))
			report_overflow();
		if (AggCheckCallContext(fcinfo, NULL))
		{
			MemoryContext aggctx;
			MemoryContext old;
			Datum		d;

			AggCheckCallContext(fcinfo, &aggctx);
			old = MemoryContextSwitchTo(aggctx);
			d = counters_to_full_datum(&a);
			MemoryContextSwitchTo(old);
			PG_RETURN_DATUM(d);
		}
		PG_RETURN_DATUM(tthc_counters_to_datum(&a));
	}

	/* our own full-width state, created above in the aggregate context */
	tthc_counters_from_datum(PG_GETARG_DATUM(1), &b);
	for (int i = 0; i < TTHC_NCOUNTERS; i++)
		if (__builtin_add_overflow(state->v[i], b.v[i], &state->v[i]))
			report_overflow();
	PG_RETURN_POINTER(state);
}

Datum
tthc_counters_eq(PG_FUNCTION_ARGS)
{
	TthcCounters a,
				b;

	tthc_counters_from_datum(PG_GETARG_DATUM(0), &a);
	tthc_counters_from_datum(PG_GETARG_DATUM(1), &b);
	PG_RETURN_BOOL(memcmp(&a, &b, sizeof(a)) == 0);
}

/* tthc.counter(counters, name) returns bigint */
Datum
tthc_counters_get(PG_FUNCTION_ARGS)
{
	TthcCounters c;
	char	   *name = text_to_cstring(PG_GETARG_TEXT_PP(1));
	int			id = tthc_counter_lookup(name);

	if (id < 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("unknown counter \"%s\"", name),
				 errhint("tthc.counter_names() lists the counters.")));
	tthc_counters_from_datum(PG_GETARG_DATUM(0), &c);
	PG_RETURN_INT64(c.v[id]);
}

/* tthc.counter_names() returns table (ord int, name text, meaning text) */
Datum
tthc_counter_names_sql(PG_FUNCTION_ARGS)
{
	TupleDesc	tupdesc;
	Tuplestorestate *ts = tthc_srf_begin(fcinfo, &tupdesc);

	for (int i = 0; i < TTHC_NCOUNTERS; i++)
	{
		Datum		values[3];
		bool		nulls[3] = {false, false, false};

		values[0] = Int32GetDatum(i + 1);
		values[1] = CStringGetTextDatum(tthc_counter_names[i]);
		values[2] = CStringGetTextDatum(tthc_counter_meanings[i]);
		tuplestore_putvalues(ts, tupdesc, values, nulls);
	}
	return (Datum) 0;
}
