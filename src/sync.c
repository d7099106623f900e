/*
 * sync.c
 *		The national portal's sync messages applied to dossier rows
 *		(PostgreSQL glue of core/sync.c): tthc.sync(payload).
 *
 * A message is parsed once; each element (a dossier of DongBoHoSoMC or an
 * entry of CapNhatTienDoHoSoMC) is applied in its own subtransaction, so a
 * bad element is rolled back whole and reported, and the good ones stay.
 * The result is a JSON document saying what was done to each element.
 *
 * Order: a dossier element is applied only when the latest instant it
 * carries (submission, receipt, end, return, refusal, supplement request or
 * re-submission) is not before the latest one the row holds; an older
 * message arriving late changes nothing ("older").  The same message twice
 * changes nothing the second time ("unchanged").
 */
#include "postgres.h"

#include "access/xact.h"
#include "catalog/namespace.h"
#include "catalog/pg_class.h"
#include "catalog/pg_type.h"
#include "executor/spi.h"
#include "funcapi.h"
#include "lib/stringinfo.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/guc.h"
#include "utils/hsearch.h"
#include "utils/json.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"
#include "utils/numeric.h"
#include "utils/resowner.h"
#include "utils/timestamp.h"

#include "tthc.h"
#include "core/dossier.h"
#include "core/sync.h"

PG_FUNCTION_INFO_V1(tthc_sync_sql);

/* tthc.sync_placeholders: create unknown agencies and procedures */
static bool sync_placeholders = false;

void
tthc_sync_init(void)
{
	DefineCustomBoolVariable("tthc.sync_placeholders",
							 "Create placeholder agencies and procedures for unknown codes in sync messages.",
							 "Off: a message naming an unknown agency or procedure is refused. "
							 "tthc.sync_placeholders lists the rows created, for completion.",
							 &sync_placeholders, false, PGC_USERSET, 0, NULL, NULL, NULL);
}

/*
 * Run one of this file's statements through a plan prepared once per
 * session (the statements are string literals: their address is the key).
 * Reads too are run with read_only false, so each sees what the statements
 * before it wrote: tthc.sync called twice in one query (SELECT tthc.sync(m)
 * FROM messages) must see, in the second call, the dossier the first made.
 */
#define MAX_PLANS 32
static struct
{
	const char *sql;
	SPIPlanPtr	plan;
}			plans[MAX_PLANS];

static int
run(const char *sql, int nargs, Oid *types, Datum *values, const char *nulls,
	bool read_only, long count)
{
	SPIPlanPtr	plan = NULL;
	int			i;

	for (i = 0; i < MAX_PLANS && plans[i].sql != NULL; i++)
		if (plans[i].sql == sql)
		{
			plan = plans[i].plan;
			break;
		}
	if (plan == NULL)
	{
		if (i >= MAX_PLANS)
			elog(ERROR, "tthc: too many sync statements");
		plan = SPI_prepare(sql, nargs, types);
		if (plan == NULL || SPI_keepplan(plan) != 0)
			elog(ERROR, "tthc: could not prepare a sync statement");
		plans[i].sql = sql;
		plans[i].plan = plan;
	}
	return SPI_execute_plan(plan, values, nulls, read_only, count);
}

static Datum
ts_datum(int64_t t, char *null)
{
	*null = (t == TTHC_NO_TIME) ? 'n' : ' ';
	return t == TTHC_NO_TIME ? (Datum) 0 : TimestampTzGetDatum(tthc_timestamptz_from_local(t));
}

/*
 * The id of an agency or procedure named by a message, or, with
 * tthc.sync_placeholders, a placeholder row for it; else an error naming
 * the member.
 */
static void
resolve(const char *table, const char *value, const char *path, const char *member)
{
	Oid			types[1] = {TEXTOID};
	Datum		values[1];
	bool		agency = strcmp(table, "agency") == 0;

	values[0] = CStringGetTextDatum(value);
	if (run(agency ? "SELECT 1 FROM tthc.agency WHERE id = $1"
							  : "SELECT 1 FROM tthc.procedure WHERE code = $1",
							  1, types, values, NULL, false, 1) != SPI_OK_SELECT)
		elog(ERROR, "tthc: could not look up %s", table);
	if (SPI_processed == 1)
		return;
	if (!sync_placeholders)
		ereport(ERROR,
				(errcode(ERRCODE_FOREIGN_KEY_VIOLATION),
				 errmsg("%s.%s: unknown %s \"%s\"", path, member, agency ? "agency" : "procedure", value),
				 errhint("Add it to tthc.%s, or SET tthc.sync_placeholders = on to create a placeholder.",
						 table)));
	/*
	 * A placeholder unit goes under the agency its code ends with (the
	 * portal's unit codes end with their province's, "000.00.17.H26");
	 * with none, it cannot be placed in the tree.
	 */
	if (run(agency ?
							  "INSERT INTO tthc.agency (id, parent_id, name, kind) "
							  "SELECT $1, p.id, '(chưa rõ) ' || $1, 'unit' FROM tthc.agency p "
							  "WHERE $1 LIKE '%.' || p.id ORDER BY length(p.id) DESC LIMIT 1" :
							  "INSERT INTO tthc.procedure (code, name) VALUES ($1, '(chưa rõ) ' || $1)",
							  1, types, values, NULL, false, 0) != SPI_OK_INSERT)
		elog(ERROR, "tthc: could not create a placeholder %s", table);
	if (SPI_processed == 0)
		ereport(ERROR,
				(errcode(ERRCODE_FOREIGN_KEY_VIOLATION),
				 errmsg("%s.%s: unknown agency \"%s\", and no agency its code ends with to place it under",
						path, member, value),
				 errhint("Add it to tthc.agency.")));
	if (run("INSERT INTO tthc.sync_placeholder (kind, id) VALUES ($2, $1)",
							  2, (Oid[]) {TEXTOID, TEXTOID},
							  (Datum[]) {values[0], CStringGetTextDatum(agency ? "agency" : "procedure")},
							  NULL, false, 0) != SPI_OK_INSERT)
		elog(ERROR, "tthc: could not record a placeholder %s", table);
}

#define DOSSIER_SET \
	"agency_id = $2, procedure_code = $3, channel = $4, status = $5, submitted_at = $6, " \
	"received_at = $7, due_at = $8, finished_at = $9, returned_at = $10, ended_at = $11, " \
	"supplement_requests = $12, supplement_requested_at = $13, supplement_received_at = $14, " \
	"fee = $15, paid_online = $16, e_result = $17, digitized = $18, reused_data = $19, " \
	"personal_store = $20, population_db = $21"
#define DOSSIER_COLS \
	"agency_id, procedure_code, channel, status, submitted_at, received_at, due_at, finished_at, " \
	"returned_at, ended_at, supplement_requests, supplement_requested_at, supplement_received_at, " \
	"fee, paid_online, e_result, digitized, reused_data, personal_store, population_db"
#define DOSSIER_PARAM_LIST \
	"$2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21"

#define HELD_LATEST \
	"greatest(d.submitted_at, d.received_at, d.finished_at, d.returned_at, d.ended_at, " \
	"d.supplement_requested_at, d.supplement_received_at)"

/* Whether CREATE EXTENSION made tthc.dossier partitioned by month. */
static bool
dossier_partitioned(void)
{
	Oid			relid = get_relname_relid("dossier", get_namespace_oid("tthc", false));

	return get_rel_relkind(relid) == RELKIND_PARTITIONED_TABLE;
}

/*
 * The row differs from the message.  A message without NgayHenTra stands
 * for the due date the dossier trigger fills in (from the procedure's time
 * limit), so that the same message again is unchanged; the batch compares
 * with the proposed row, where the trigger filled it, alike.
 */
#define DOSSIER_DIFFERS \
	"(d.agency_id, d.procedure_code, d.channel, d.status, d.submitted_at, d.received_at, " \
	"d.due_at, d.finished_at, d.returned_at, d.ended_at, d.supplement_requests, " \
	"d.supplement_requested_at, d.supplement_received_at, d.fee, d.paid_online, d.e_result, " \
	"d.digitized, d.reused_data, d.personal_store, d.population_db) IS DISTINCT FROM " \
	"($2, $3, $4, $5, $6, $7, coalesce($8, tthc.due_date($7, $3)), $9, $10, $11, $12, $13, $14, $15, " \
	"$16, $17, $18, $19, $20, $21)"

/*
 * apply_dossier of a dossier table partitioned by month, which has no
 * unique index on the code for ON CONFLICT: the same decision in three
 * statements, with the code locked for the transaction (an advisory lock,
 * class 'tthc') so that two messages creating one dossier at once apply
 * one after the other.
 */
static const char *
apply_dossier_partitioned(Oid *types, Datum *v, char *n)
{
	bool		isnull;

	if (run("SELECT pg_catalog.pg_advisory_xact_lock(1953789027, pg_catalog.hashtext($1))",
			1, types, v, n, false, 0) != SPI_OK_SELECT)
		elog(ERROR, "tthc: could not lock a dossier code");
	if (run("UPDATE tthc.dossier d SET " DOSSIER_SET ", synced_at = coalesce(d.synced_at, now()) "
			"WHERE d.code = $1 AND (" HELD_LATEST " IS NULL OR " HELD_LATEST " <= $22) "
			"AND " DOSSIER_DIFFERS,
			22, types, v, n, false, 0) != SPI_OK_UPDATE)
		elog(ERROR, "tthc: could not write a dossier");
	if (SPI_processed > 0)
		return "updated";
	if (run("SELECT coalesce(" HELD_LATEST " > $22, " HELD_LATEST " IS NOT NULL AND $22 IS NULL) "
			"FROM tthc.dossier d WHERE d.code = $1",
			22, types, v, n, false, 1) != SPI_OK_SELECT)
		elog(ERROR, "tthc: could not read a dossier");
	if (SPI_processed == 1)
		return DatumGetBool(SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, &isnull))
			? "older" : "unchanged";
	if (run("INSERT INTO tthc.dossier (code, " DOSSIER_COLS ", synced_at) "
			"VALUES ($1, " DOSSIER_PARAM_LIST ", now())",
			22, types, v, n, false, 0) != SPI_OK_INSERT)
		elog(ERROR, "tthc: could not write a dossier");
	return "created";
}

/* The types of a dossier's values, in the order of dossier_values. */
static const Oid dossier_types[22] = {TEXTOID, TEXTOID, TEXTOID, INT2OID, INT2OID, TIMESTAMPTZOID,
	TIMESTAMPTZOID, TIMESTAMPTZOID, TIMESTAMPTZOID, TIMESTAMPTZOID, TIMESTAMPTZOID,
	INT2OID, TIMESTAMPTZOID, TIMESTAMPTZOID, NUMERICOID, INT2OID, BOOLOID, BOOLOID,
BOOLOID, BOOLOID, BOOLOID, TIMESTAMPTZOID};

/*
 * A dossier's values: the code, the columns of DOSSIER_COLS, and the latest
 * instant it carries (what the order of messages is decided on); n[k] is
 * 'n' where v[k] is NULL.
 */
static void
dossier_values(const TthcSyncDossier *d, Datum *v, char *n)
{
	int64_t		latest = TTHC_NO_TIME;
	int64_t		times[7] = {d->submitted, d->received, d->finished, d->returned, d->ended,
	d->supplement_requested, d->supplement_received};

	for (int k = 0; k < 7; k++)
		if (times[k] != TTHC_NO_TIME && (latest == TTHC_NO_TIME || times[k] > latest))
			latest = times[k];
	memset(n, ' ', 22);
	v[0] = CStringGetTextDatum(d->code);
	v[1] = CStringGetTextDatum(d->agency);
	v[2] = CStringGetTextDatum(d->procedure_code);
	v[3] = Int16GetDatum(d->channel);
	v[4] = Int16GetDatum(d->status);
	v[5] = ts_datum(d->submitted, &n[5]);
	v[6] = ts_datum(d->received, &n[6]);
	v[7] = ts_datum(d->due, &n[7]);
	v[8] = ts_datum(d->finished, &n[8]);
	v[9] = ts_datum(d->returned, &n[9]);
	v[10] = ts_datum(d->ended, &n[10]);
	v[11] = Int16GetDatum(d->supplement_requests);
	v[12] = ts_datum(d->supplement_requested, &n[12]);
	v[13] = ts_datum(d->supplement_received, &n[13]);
	v[14] = NumericGetDatum(int64_to_numeric(d->fee));
	v[15] = Int16GetDatum(d->paid_online);
	v[16] = BoolGetDatum(d->e_result);
	v[17] = BoolGetDatum(d->digitized);
	v[18] = BoolGetDatum(d->reused_data);
	v[19] = BoolGetDatum(d->personal_store);
	v[20] = BoolGetDatum(d->population_db);
	v[21] = ts_datum(latest, &n[21]);
}

/*
 * Apply one dossier in one statement (an upsert whose update applies only
 * when the message is not older than the row and says something new);
 * returns what was done.  Unknown agencies and procedures are caught by the
 * foreign keys (see apply_element), unless placeholders are wanted.
 */
static const char *
apply_dossier(const TthcSyncDossier *d, const char *path)
{
	Oid		   *types = (Oid *) dossier_types;
	Datum		v[22];
	char		n[22];
	bool		isnull;

	if (sync_placeholders)
	{
		resolve("agency", d->agency, path, "DonViXuLy");
		resolve("procedure", d->procedure_code, path, "MaTTHC");
	}
	dossier_values(d, v, n);

	if (dossier_partitioned())
		return apply_dossier_partitioned(types, v, n);
	if (run("INSERT INTO tthc.dossier AS d (code, " DOSSIER_COLS ", synced_at) "
			"VALUES ($1, " DOSSIER_PARAM_LIST ", now()) "
			"ON CONFLICT (code) DO UPDATE SET " DOSSIER_SET ", synced_at = coalesce(d.synced_at, now()) "
			"WHERE (" HELD_LATEST " IS NULL OR " HELD_LATEST " <= $22) "
			"AND " DOSSIER_DIFFERS " "
			"RETURNING d.xmax = 0",
			22, types, v, n, false, 0) != SPI_OK_INSERT_RETURNING)
		elog(ERROR, "tthc: could not write a dossier");
	if (SPI_processed == 1)
		return DatumGetBool(SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, &isnull))
			? "created" : "updated";

	/* not written: the row is newer than the message, or says the same */
	if (run("SELECT coalesce(" HELD_LATEST " > $22, " HELD_LATEST " IS NOT NULL AND $22 IS NULL) "
			"FROM tthc.dossier d WHERE d.code = $1",
			22, types, v, n, false, 1) != SPI_OK_SELECT || SPI_processed != 1)
		elog(ERROR, "tthc: could not read a dossier");
	return DatumGetBool(SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, &isnull))
		? "older" : "unchanged";
}

/* Apply one progress entry as an inter-agency step; returns what was done. */
static const char *
apply_step(const TthcSyncStep *s, const char *path)
{
	Oid			types[6] = {TEXTOID, TEXTOID, TEXTOID, TIMESTAMPTZOID, TIMESTAMPTZOID, TIMESTAMPTZOID};
	Datum		v[6];
	char		n[6] = {' ', ' ', ' ', ' ', ' ', ' '};
	char	   *agency;
	bool		isnull;

	v[0] = CStringGetTextDatum(s->dossier_code);
	if (run("SELECT agency_id FROM tthc.dossier WHERE code = $1",
							  1, types, v, NULL, false, 1) != SPI_OK_SELECT)
		elog(ERROR, "tthc: could not read a dossier");
	if (SPI_processed == 0)
		ereport(ERROR,
				(errcode(ERRCODE_FOREIGN_KEY_VIOLATION),
				 errmsg("%s.MaHoSo: unknown dossier \"%s\"", path, s->dossier_code),
				 errhint("Sync the dossier (DongBoHoSoMC) before its progress.")));
	agency = s->agency[0] ? pstrdup(s->agency) :
		TextDatumGetCString(SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, &isnull));
	resolve("agency", agency, path, "PhongBanXuLy");

	v[1] = CStringGetTextDatum(agency);
	v[2] = CStringGetTextDatum(s->officer);
	n[2] = s->officer[0] ? ' ' : 'n';
	v[3] = ts_datum(s->started, &n[3]);
	v[4] = ts_datum(s->deadline, &n[4]);
	v[5] = ts_datum(s->at, &n[5]);
	/* a step is known by its dossier, agency and start */
	if (run("UPDATE tthc.dossier_step SET officer = $3, deadline_at = $5, ended_at = $6 "
							  "WHERE dossier_code = $1 AND agency_id = $2 AND started_at = $4 "
							  "AND (officer, deadline_at, ended_at) IS DISTINCT FROM ($3, $5, $6)",
							  6, types, v, n, false, 0) != SPI_OK_UPDATE)
		elog(ERROR, "tthc: could not update a step");
	if (SPI_processed > 0)
		return "step updated";
	if (run("SELECT 1 FROM tthc.dossier_step "
							  "WHERE dossier_code = $1 AND agency_id = $2 AND started_at = $4",
							  6, types, v, n, false, 1) != SPI_OK_SELECT)
		elog(ERROR, "tthc: could not read a step");
	if (SPI_processed > 0)
		return "step unchanged";
	if (run("INSERT INTO tthc.dossier_step "
							  "(dossier_code, seq, agency_id, officer, started_at, deadline_at, ended_at) "
							  "SELECT $1, coalesce(max(seq), 0) + 1, $2, $3, $4, $5, $6 "
							  "FROM tthc.dossier_step WHERE dossier_code = $1",
							  6, types, v, n, false, 0) != SPI_OK_INSERT)
		elog(ERROR, "tthc: could not insert a step");
	return "step added";
}

/* The JSON path an error message starts with ("$[2].NgayTra: ..."). */
static char *
path_of(const char *message)
{
	const char *colon = strstr(message, ": ");

	if (message[0] != '$' || colon == NULL)
		return NULL;
	return pnstrdup(message, colon - message);
}

static void
json_member(StringInfo out, const char *name, const char *value, bool comma)
{
	if (comma)
		appendStringInfoString(out, ", ");
	escape_json(out, name);
	appendStringInfoString(out, ": ");
	if (value == NULL)
		appendStringInfoString(out, "null");
	else
		escape_json(out, value);
}

/* One element's outcome, appended to the results array. */
static void
add_result(StringInfo out, int i, const char *code, const char *action,
		   const char *sqlstate, const char *error)
{
	char	   *path = error ? path_of(error) : NULL;

	if (i > 0)
		appendStringInfoString(out, ", ");
	appendStringInfo(out, "{\"index\": %d", i);
	json_member(out, "code", code, true);
	json_member(out, "action", action, true);
	if (error)
	{
		json_member(out, "sqlstate", sqlstate, true);
		json_member(out, "error", error, true);
		json_member(out, "path", path, true);
	}
	appendStringInfoChar(out, '}');
}

/*
 * In PG_CATCH of an element's (or a round's) subtransaction: roll it back,
 * back in the caller's memory context and resource owner, and return the
 * error; a cancel or a crash-grade error is not the message's fault and is
 * raised again.
 */
static ErrorData *
subxact_failed(MemoryContext cxt, ResourceOwner owner)
{
	ErrorData  *ed;

	MemoryContextSwitchTo(cxt);
	ed = CopyErrorData();
	FlushErrorState();
	RollbackAndReleaseCurrentSubTransaction();
	MemoryContextSwitchTo(cxt);
	CurrentResourceOwner = owner;
	if (ed->sqlerrcode == ERRCODE_QUERY_CANCELED || ed->elevel > ERROR)
		ReThrowError(ed);
	return ed;
}

/* The element being applied, read again when its write fails. */
static TthcSyncDossier current_dossier;
static TthcSyncStep current_step;

/*
 * Apply element i in a subtransaction: what was done, or the error
 * (sqlstate and message) with everything it wrote rolled back.  A foreign
 * key refusing the row is told as the message member at fault.
 */
static const char *
apply_element(const TthcSyncMessage *msg, int i, TthcSyncKind kind, char *code,
			  char **sqlstate, char **error)
{
	MemoryContext cxt = CurrentMemoryContext;
	ResourceOwner owner = CurrentResourceOwner;
	const char *volatile action = NULL;
	char		path[32];
	char		err[1024];

	*sqlstate = *error = NULL;
	snprintf(path, sizeof(path), msg->is_array ? "$[%d]" : "$", i);
	BeginInternalSubTransaction(NULL);
	MemoryContextSwitchTo(cxt);
	PG_TRY();
	{
		TthcSyncError e;

		if (kind == TTHC_SYNC_KIND_PROGRESS)
		{
			e = tthc_sync_step(msg, i, &current_step, err, sizeof(err));
			if (e == TTHC_SYNC_OK)
			{
				strlcpy(code, current_step.dossier_code, TTHC_SYNC_CODE_LEN + 1);
				action = apply_step(&current_step, path);
			}
		}
		else
		{
			e = tthc_sync_dossier(msg, i, &current_dossier, err, sizeof(err));
			if (e == TTHC_SYNC_OK)
			{
				strlcpy(code, current_dossier.code, TTHC_SYNC_CODE_LEN + 1);
				action = apply_dossier(&current_dossier, path);
			}
		}
		if (e != TTHC_SYNC_OK)
		{
			const char *ss = tthc_sync_error_sqlstate(e);

			ereport(ERROR,
					(errcode(MAKE_SQLSTATE(ss[0], ss[1], ss[2], ss[3], ss[4])),
					 errmsg_internal("%s", err)));
		}
		ReleaseCurrentSubTransaction();
		MemoryContextSwitchTo(cxt);
		CurrentResourceOwner = owner;
	}
	PG_CATCH();
	{
		ErrorData  *ed = subxact_failed(cxt, owner);

		*sqlstate = pstrdup(unpack_sql_state(ed->sqlerrcode));
		if (ed->sqlerrcode == ERRCODE_FOREIGN_KEY_VIOLATION && ed->constraint_name &&
			strcmp(ed->constraint_name, "dossier_agency_id_fkey") == 0)
			*error = psprintf("%s.DonViXuLy: unknown agency \"%s\"", path, current_dossier.agency);
		else if (ed->sqlerrcode == ERRCODE_FOREIGN_KEY_VIOLATION && ed->constraint_name &&
				 strcmp(ed->constraint_name, "dossier_procedure_code_fkey") == 0)
			*error = psprintf("%s.MaTTHC: unknown procedure \"%s\"", path,
							  current_dossier.procedure_code);
		else
			*error = (ed->message && ed->message[0] == '$') ? pstrdup(ed->message)
				: psprintf("%s: %s", path, ed->message ? ed->message : "error");
		FreeErrorData(ed);
		action = "rejected";
	}
	PG_END_TRY();
	return action;
}

/*
 * A batch: the dossier elements of one message applied together.
 *
 * One upsert statement per round writes many dossiers: the statement and
 * trigger costs (the tallies are appended once per statement) are paid
 * once, not per dossier.  A round holds at most one element per code
 * (ON CONFLICT cannot touch a row twice): the k-th element of a code goes
 * into round k, so the elements of one dossier are applied in their order.
 * The decision per element is the one apply_dossier makes, in SQL over the
 * proposed row (excluded): applied when not older than the row and saying
 * something new; a NULL due date (NgayHenTra absent) is filled by the
 * dossier trigger, as for one element.  When a round's statement fails
 * (an unknown agency, a row the trigger refuses, ...), it is rolled back
 * and its elements are applied one by one, so that each refusal is told
 * as apply_element tells it and the good elements stay.
 */
#define BATCH_COLS 21
#define EXCLUDED_LATEST \
	"greatest(excluded.submitted_at, excluded.received_at, excluded.finished_at, excluded.returned_at, " \
	"excluded.ended_at, excluded.supplement_requested_at, excluded.supplement_received_at)"

static const Oid batch_types[BATCH_COLS] = {
	TEXTARRAYOID, TEXTARRAYOID, TEXTARRAYOID, INT2ARRAYOID, INT2ARRAYOID, TIMESTAMPTZARRAYOID,
	TIMESTAMPTZARRAYOID, TIMESTAMPTZARRAYOID, TIMESTAMPTZARRAYOID, TIMESTAMPTZARRAYOID,
	TIMESTAMPTZARRAYOID, INT2ARRAYOID, TIMESTAMPTZARRAYOID, TIMESTAMPTZARRAYOID, NUMERICARRAYOID,
	INT2ARRAYOID, BOOLARRAYOID, BOOLARRAYOID, BOOLARRAYOID, BOOLARRAYOID, BOOLARRAYOID
};

static const char batch_upsert[] =
	"INSERT INTO tthc.dossier AS d (code, " DOSSIER_COLS ", synced_at) "
	"SELECT x.*, now() FROM unnest($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, "
	"$16, $17, $18, $19, $20, $21) AS x "
	"ON CONFLICT (code) DO UPDATE SET agency_id = excluded.agency_id, "
	"procedure_code = excluded.procedure_code, channel = excluded.channel, status = excluded.status, "
	"submitted_at = excluded.submitted_at, received_at = excluded.received_at, due_at = excluded.due_at, "
	"finished_at = excluded.finished_at, returned_at = excluded.returned_at, ended_at = excluded.ended_at, "
	"supplement_requests = excluded.supplement_requests, "
	"supplement_requested_at = excluded.supplement_requested_at, "
	"supplement_received_at = excluded.supplement_received_at, fee = excluded.fee, "
	"paid_online = excluded.paid_online, e_result = excluded.e_result, digitized = excluded.digitized, "
	"reused_data = excluded.reused_data, personal_store = excluded.personal_store, "
	"population_db = excluded.population_db, synced_at = coalesce(d.synced_at, now()) "
	"WHERE (" HELD_LATEST " IS NULL OR " HELD_LATEST " <= " EXCLUDED_LATEST ") "
	"AND (d.agency_id, d.procedure_code, d.channel, d.status, d.submitted_at, d.received_at, "
	"d.due_at, d.finished_at, d.returned_at, d.ended_at, d.supplement_requests, "
	"d.supplement_requested_at, d.supplement_received_at, d.fee, d.paid_online, d.e_result, "
	"d.digitized, d.reused_data, d.personal_store, d.population_db) IS DISTINCT FROM "
	"(excluded.agency_id, excluded.procedure_code, excluded.channel, excluded.status, "
	"excluded.submitted_at, excluded.received_at, excluded.due_at, excluded.finished_at, "
	"excluded.returned_at, excluded.ended_at, excluded.supplement_requests, "
	"excluded.supplement_requested_at, excluded.supplement_received_at, excluded.fee, "
	"excluded.paid_online, excluded.e_result, excluded.digitized, excluded.reused_data, "
	"excluded.personal_store, excluded.population_db) "
	"RETURNING d.code, d.xmax = 0";

/* the elements not written: older than their row, or saying nothing new */
static const char batch_unwritten[] =
	"SELECT d.code, coalesce(" HELD_LATEST " > x.latest, " HELD_LATEST " IS NOT NULL AND x.latest IS NULL) "
	"FROM unnest($1, $2) AS x(code, latest) JOIN tthc.dossier d ON d.code = x.code";

typedef struct BatchCode
{
	char		code[TTHC_SYNC_CODE_LEN + 1];
	int			element;		/* in the current round */
	int			seen;			/* elements of this code so far */
} BatchCode;

static Datum
batch_array(Datum *v, bool *nulls, int n, Oid elemtype)
{
	int16		len;
	bool		byval;
	char		align;
	int			dims[1] = {n};
	int			lbs[1] = {1};

	get_typlenbyvalalign(elemtype, &len, &byval, &align);
	return PointerGetDatum(construct_md_array(v, nulls, 1, dims, lbs, elemtype, len, byval, align));
}

/*
 * Apply the round's elements (indexes in idx, dossiers in ds) in one
 * statement, setting actions[i]; false, with nothing written, when the
 * statement failed.
 */
static bool
apply_round(TthcSyncDossier *ds, int *idx, int n, HTAB *codes, const char **actions)
{
	MemoryContext cxt = CurrentMemoryContext;
	ResourceOwner owner = CurrentResourceOwner;
	Datum		cols[BATCH_COLS + 1];	/* and the latest instants */
	Datum	   *v = palloc(sizeof(Datum) * n);
	bool	   *nulls = palloc(sizeof(bool) * n);
	Datum	   *rows = palloc(sizeof(Datum) * n * 22);
	char	   *rownulls = palloc(n * 22);
	volatile bool ok = true;

	/* each dossier's values, then each column's values as an array */
	for (int k = 0; k < n; k++)
		dossier_values(&ds[idx[k]], &rows[k * 22], &rownulls[k * 22]);
	for (int c = 0; c < BATCH_COLS + 1; c++)
	{
		for (int k = 0; k < n; k++)
		{
			v[k] = rows[k * 22 + c];
			nulls[k] = rownulls[k * 22 + c] == 'n';
		}
		cols[c] = batch_array(v, nulls, n, dossier_types[c]);
	}

	BeginInternalSubTransaction(NULL);
	MemoryContextSwitchTo(cxt);
	PG_TRY();
	{
		bool		isnull;
		Datum		args[2];

		if (run(batch_upsert, BATCH_COLS, (Oid *) batch_types, cols, NULL, false, 0) != SPI_OK_INSERT_RETURNING)
			elog(ERROR, "tthc: could not write dossiers");
		for (uint64 r = 0; r < SPI_processed; r++)
		{
			char	   *code = TextDatumGetCString(SPI_getbinval(SPI_tuptable->vals[r], SPI_tuptable->tupdesc, 1, &isnull));
			BatchCode  *bc = hash_search(codes, code, HASH_FIND, NULL);

			if (bc == NULL)
				elog(ERROR, "tthc: a dossier written that no element names");
			actions[bc->element] =
				DatumGetBool(SPI_getbinval(SPI_tuptable->vals[r], SPI_tuptable->tupdesc, 2, &isnull))
				? "created" : "updated";
		}
		if (SPI_processed < (uint64) n)
		{
			args[0] = cols[0];
			args[1] = cols[BATCH_COLS];
			if (run(batch_unwritten, 2, (Oid[]) {TEXTARRAYOID, TIMESTAMPTZARRAYOID}, args, NULL, false, 0)
				!= SPI_OK_SELECT)
				elog(ERROR, "tthc: could not read dossiers");
			for (uint64 r = 0; r < SPI_processed; r++)
			{
				char	   *code = TextDatumGetCString(SPI_getbinval(SPI_tuptable->vals[r], SPI_tuptable->tupdesc, 1, &isnull));
				BatchCode  *bc = hash_search(codes, code, HASH_FIND, NULL);

				if (bc != NULL && actions[bc->element] == NULL)
					actions[bc->element] =
						DatumGetBool(SPI_getbinval(SPI_tuptable->vals[r], SPI_tuptable->tupdesc, 2, &isnull))
						? "older" : "unchanged";
			}
		}
		for (int k = 0; k < n; k++)
			if (actions[idx[k]] == NULL)
				elog(ERROR, "tthc: no outcome for a dossier of the batch");
		ReleaseCurrentSubTransaction();
		MemoryContextSwitchTo(cxt);
		CurrentResourceOwner = owner;
	}
	PG_CATCH();
	{
		FreeErrorData(subxact_failed(cxt, owner));
		for (int k = 0; k < n; k++)
			actions[idx[k]] = NULL;
		ok = false;
	}
	PG_END_TRY();
	return ok;
}

/*
 * Apply a message whose elements are all dossiers, in rounds (see above);
 * actions[i], codes[i], sqlstates[i] and errors[i] tell each element's
 * outcome as apply_element would.
 */
static void
apply_batch(const TthcSyncMessage *msg, int n, const char **actions, char (*codes)[TTHC_SYNC_CODE_LEN + 1],
			char **sqlstates, char **errors)
{
	TthcSyncDossier *ds = palloc(sizeof(TthcSyncDossier) * n);
	int		   *round = palloc(sizeof(int) * n);
	int		   *idx = palloc(sizeof(int) * n);
	int		   *start;
	int		   *fill;
	int			rounds = 0;
	HASHCTL		ctl;
	HTAB	   *seen;
	char		err[1024];

	memset(&ctl, 0, sizeof(ctl));
	ctl.keysize = TTHC_SYNC_CODE_LEN + 1;
	ctl.entrysize = sizeof(BatchCode);
	ctl.hcxt = CurrentMemoryContext;
	seen = hash_create("tthc sync batch", n, &ctl, HASH_ELEM | HASH_STRINGS | HASH_CONTEXT);

	/* elements that do not convert are refused one by one, as always */
	for (int i = 0; i < n; i++)
	{
		round[i] = -1;
		actions[i] = NULL;
		sqlstates[i] = errors[i] = NULL;
		if (tthc_sync_dossier(msg, i, &ds[i], err, sizeof(err)) == TTHC_SYNC_OK)
		{
			bool		found;
			BatchCode  *bc = hash_search(seen, ds[i].code, HASH_ENTER, &found);

			if (!found)
				bc->seen = 0;
			round[i] = bc->seen++;
			rounds = Max(rounds, round[i] + 1);
			strlcpy(codes[i], ds[i].code, TTHC_SYNC_CODE_LEN + 1);
		}
		else
			actions[i] = apply_element(msg, i, TTHC_SYNC_KIND_DOSSIER, codes[i], &sqlstates[i], &errors[i]);
	}

	/*
	 * The elements of each round, in message order: round r's are
	 * idx[start[r]] .. idx[start[r + 1] - 1] (one pass, however many rounds
	 * a message of one code repeated has)
	 */
	start = palloc0(sizeof(int) * (rounds + 1));
	for (int i = 0; i < n; i++)
		if (round[i] >= 0)
			start[round[i] + 1]++;
	for (int r = 0; r < rounds; r++)
		start[r + 1] += start[r];
	fill = palloc(sizeof(int) * Max(rounds, 1));
	memcpy(fill, start, sizeof(int) * rounds);
	for (int i = 0; i < n; i++)
		if (round[i] >= 0)
			idx[fill[round[i]]++] = i;

	for (int r = 0; r < rounds; r++)
	{
		int		   *ri = &idx[start[r]];
		int			m = start[r + 1] - start[r];

		for (int k = 0; k < m; k++)
		{
			BatchCode  *bc = hash_search(seen, ds[ri[k]].code, HASH_FIND, NULL);

			bc->element = ri[k];
		}
		if (m > 1 && apply_round(ds, ri, m, seen, actions))
			continue;
		for (int k = 0; k < m; k++)
			actions[ri[k]] = apply_element(msg, ri[k], TTHC_SYNC_KIND_DOSSIER, codes[ri[k]],
										   &sqlstates[ri[k]], &errors[ri[k]]);
	}
	hash_destroy(seen);
}

/*
 * tthc.sync(payload text) returns jsonb
 *		Apply a DongBoHoSoMC or CapNhatTienDoHoSoMC message (one object or
 *		an array; each element recognised by its members) and return
 *		{"applied": n, "rejected": n, "results": [{index, code, action,
 *		sqlstate, error, path}]}.  Actions: created, updated, unchanged,
 *		older (an older state than the row's: not applied), step added,
 *		step updated, step unchanged, rejected.  A message that cannot be
 *		parsed at all gives {"applied": 0, "rejected": 1, "sqlstate",
 *		"error", "path"}.  Never raises for bad data.
 */
Datum
tthc_sync_sql(PG_FUNCTION_ARGS)
{
	int			guclevel;
	text	   *payload = PG_GETARG_TEXT_PP(0);
	TthcSyncMessage msg;
	TthcSyncError e;
	char		err[1024];
	StringInfoData out;
	int			applied = 0,
				rejected = 0;

	initStringInfo(&out);
	memset(&msg, 0, sizeof(msg));
	e = tthc_sync_parse(VARDATA_ANY(payload), VARSIZE_ANY_EXHDR(payload), &msg, err, sizeof(err));
	if (e != TTHC_SYNC_OK)
	{
		appendStringInfoString(&out, "{\"applied\": 0, \"rejected\": 1");
		json_member(&out, "sqlstate", tthc_sync_error_sqlstate(e), true);
		json_member(&out, "error", err, true);
		json_member(&out, "path", path_of(err), true);
		appendStringInfoString(&out, ", \"results\": []}");
		PG_RETURN_DATUM(DirectFunctionCall1(jsonb_in, CStringGetDatum(out.data)));
	}

	appendStringInfoString(&out, "[");
	PG_TRY();
	{
		int			n = tthc_sync_count(&msg);
		bool		batch = n > 1 && !sync_placeholders;
		const char **actions = palloc(sizeof(char *) * n);
		char		(*codes)[TTHC_SYNC_CODE_LEN + 1] = palloc0((TTHC_SYNC_CODE_LEN + 1) * n);
		char	  **sqlstates = palloc(sizeof(char *) * n);
		char	  **errors = palloc(sizeof(char *) * n);

		guclevel = tthc_spi_connect();
		/*
		 * Many dossiers and nothing else: in batches (placeholders are made
		 * one element at a time; the partitioned table has no unique index
		 * for the batch's upsert)
		 */
		for (int i = 0; batch && i < n; i++)
			batch = tthc_sync_kind(&msg, i) == TTHC_SYNC_KIND_DOSSIER;
		if (batch && !dossier_partitioned())
			apply_batch(&msg, n, actions, codes, sqlstates, errors);
		else
			for (int i = 0; i < n; i++)
				actions[i] = apply_element(&msg, i, tthc_sync_kind(&msg, i), codes[i],
										   &sqlstates[i], &errors[i]);
		for (int i = 0; i < n; i++)
		{
			add_result(&out, i, codes[i][0] ? codes[i] : NULL, actions[i], sqlstates[i], errors[i]);
			if (errors[i])
				rejected++;
			else
				applied++;
		}
		tthc_spi_finish(guclevel);
	}
	PG_CATCH();
	{
		tthc_sync_free(&msg);
		PG_RE_THROW();
	}
	PG_END_TRY();
	tthc_sync_free(&msg);
	appendStringInfoString(&out, "]}");
	{
		StringInfoData doc;

		initStringInfo(&doc);
		appendStringInfo(&doc, "{\"applied\": %d, \"rejected\": %d, \"results\": %s",
						 applied, rejected, out.data);
		PG_RETURN_DATUM(DirectFunctionCall1(jsonb_in, CStringGetDatum(doc.data)));
	}
}
