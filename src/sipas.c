/*
 * sipas.c
 *		The aggregate tthc.sipas_index(element, satisfied): PostgreSQL glue of
 *		core/sipas.c.
 *
 * Its state is a bigint[10] (answered, then satisfied, per element), a real
 * type and not 'internal', with a combine function, as for tthc.sum: parallel
 * query splits it, and Citus could push it down.  Inside an aggregate the
 * transition function updates the state array in place (it belongs to the
 * aggregate's memory context); called directly it copies.  The final
 * function computes in numeric, so the index is exact to numeric's
 * precision, not a double's.
 */
#include "postgres.h"

#include "catalog/pg_type.h"
#include "fmgr.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/fmgrprotos.h"
#include "utils/numeric.h"

#include "tthc.h"
#include "core/sipas.h"

PG_FUNCTION_INFO_V1(tthc_sipas_accum);
PG_FUNCTION_INFO_V1(tthc_sipas_combine);
PG_FUNCTION_INFO_V1(tthc_sipas_final);

#define SIPAS_STATE_LEN (2 * TTHC_SIPAS_ELEMENTS)

/* A new zero state array. */
static ArrayType *
sipas_new_state(void)
{
	Datum		zeros[SIPAS_STATE_LEN];

	for (int i = 0; i < SIPAS_STATE_LEN; i++)
		zeros[i] = Int64GetDatum(0);
	return construct_array(zeros, SIPAS_STATE_LEN, INT8OID, sizeof(int64), FLOAT8PASSBYVAL, TYPALIGN_DOUBLE);
}

/* The int64 slots of a state array, after checking its shape. */
static int64 *
sipas_slots(ArrayType *a)
{
	if (ARR_NDIM(a) != 1 || ARR_DIMS(a)[0] != SIPAS_STATE_LEN || ARR_HASNULL(a) ||
		ARR_ELEMTYPE(a) != INT8OID)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("a SIPAS state must be a bigint array of %d elements without NULLs",
						SIPAS_STATE_LEN)));
	return (int64 *) ARR_DATA_PTR(a);
}

static void
sipas_unpack(ArrayType *a, TthcSipasCounts *c)
{
	int64	   *v = sipas_slots(a);

	memcpy(c->answered, v, sizeof(c->answered));
	memcpy(c->satisfied, v + TTHC_SIPAS_ELEMENTS, sizeof(c->satisfied));
	if (!tthc_sipas_valid(c))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("invalid SIPAS state: a count is negative or more answers are satisfied than answered")));
}

static void
sipas_pack(const TthcSipasCounts *c, ArrayType *a)
{
	int64	   *v = sipas_slots(a);

	memcpy(v, c->answered, sizeof(c->answered));
	memcpy(v + TTHC_SIPAS_ELEMENTS, c->satisfied, sizeof(c->satisfied));
}

/*
 * The state to update: in place when called as an aggregate (the array is
 * the aggregate's own), otherwise a copy; a new one for a NULL state.
 */
static ArrayType *
sipas_state_arg(FunctionCallInfo fcinfo, int argno)
{
	MemoryContext aggcontext;

	if (PG_ARGISNULL(argno))
	{
		if (AggCheckCallContext(fcinfo, &aggcontext))
		{
			MemoryContext old = MemoryContextSwitchTo(aggcontext);
			ArrayType  *a = sipas_new_state();

			MemoryContextSwitchTo(old);
			return a;
		}
		return sipas_new_state();
	}
	if (AggCheckCallContext(fcinfo, NULL))
		return PG_GETARG_ARRAYTYPE_P(argno);
	return PG_GETARG_ARRAYTYPE_P_COPY(argno);
}

/*
 * tthc_sipas_accum(state bigint[], element text, satisfied boolean):
 * count one answer.  An answer without a verdict (satisfied NULL) is not an
 * answer and counts for nothing; an unknown element is an error.
 */
Datum
tthc_sipas_accum(PG_FUNCTION_ARGS)
{
	ArrayType  *state = sipas_state_arg(fcinfo, 0);
	TthcSipasCounts c;
	text	   *element;
	int			e;

	if (PG_ARGISNULL(1))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("SIPAS element must not be NULL"),
				 errhint("Elements are access, procedure, officials, result and feedback.")));
	if (PG_ARGISNULL(2))
		PG_RETURN_ARRAYTYPE_P(state);

	element = PG_GETARG_TEXT_PP(1);
	e = tthc_sipas_element(VARDATA_ANY(element), VARSIZE_ANY_EXHDR(element));
	if (e < 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("unknown SIPAS element \"%s\"", text_to_cstring(element)),
				 errhint("Elements are access, procedure, officials, result and feedback.")));

	sipas_unpack(state, &c);
	if (!tthc_sipas_add(&c, e, PG_GETARG_BOOL(2)))
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("too many SIPAS answers for element \"%s\"", tthc_sipas_element_codes[e])));
	sipas_pack(&c, state);
	PG_RETURN_ARRAYTYPE_P(state);
}

/* tthc_sipas_combine(a bigint[], b bigint[]): the counts of both. */
Datum
tthc_sipas_combine(PG_FUNCTION_ARGS)
{
	ArrayType  *state;
	TthcSipasCounts a,
				b;

	if (PG_ARGISNULL(1))
	{
		if (PG_ARGISNULL(0))
			PG_RETURN_NULL();
		PG_RETURN_ARRAYTYPE_P(sipas_state_arg(fcinfo, 0));
	}
	state = sipas_state_arg(fcinfo, 0);
	sipas_unpack(state, &a);
	sipas_unpack(PG_GETARG_ARRAYTYPE_P(1), &b);
	if (!tthc_sipas_merge(&a, &b))
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("too many SIPAS answers to combine")));
	sipas_pack(&a, state);
	PG_RETURN_ARRAYTYPE_P(state);
}

static Numeric
int64_numeric(int64 v)
{
	return DatumGetNumeric(DirectFunctionCall1(int8_numeric, Int64GetDatum(v)));
}

/*
 * tthc_sipas_final(state bigint[]): the mean, over the elements with
 * answers, of 100 * satisfied / answered; NULL when nothing was answered.
 */
Datum
tthc_sipas_final(PG_FUNCTION_ARGS)
{
	TthcSipasCounts c;
	Datum		sum = (Datum) 0;
	int			n = 0;

	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();
	sipas_unpack(PG_GETARG_ARRAYTYPE_P(0), &c);
	for (int i = 0; i < TTHC_SIPAS_ELEMENTS; i++)
	{
		Datum		share;

		if (c.answered[i] == 0)
			continue;
		share = DirectFunctionCall2(numeric_div,
									DirectFunctionCall2(numeric_mul,
														NumericGetDatum(int64_numeric(c.satisfied[i])),
														NumericGetDatum(int64_numeric(100))),
									NumericGetDatum(int64_numeric(c.answered[i])));
		sum = n == 0 ? share : DirectFunctionCall2(numeric_add, sum, share);
		n++;
	}
	if (n == 0)
		PG_RETURN_NULL();
	PG_RETURN_DATUM(DirectFunctionCall2(numeric_div, sum, NumericGetDatum(int64_numeric(n))));
}
