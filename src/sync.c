/*
 * sync.c
 *		The national portal's sync messages applied to dossier rows
 *		(PostgreSQL glue of core/sync.c): tthc.sync(payload) and the
 *		inbox's triggers.
 *
 * A message is parsed once; each element (a dossier of DongBoHoSoMC or an
 * entry of CapNhatTienDoHoSoMC) is applied so that a bad element is rolled
 * back whole and reported, and the good ones stay: dossiers in rounds (one
 * statement for many, in a subtransaction, split when it fails), progress
 * entries and single dossiers in a subtransaction each.  The result is a
 * JSON document saying what was done to each element.
 *
 * Order: a dossier element is applied only when the latest instant it
 * carries (submission, receipt, end, return, refusal, supplement request or
 * re-submission) is not before the latest one the row holds; an older
 * message arriving late changes nothing ("older").  The same message twice
 * changes nothing the second time ("unchanged").
 */
#include "postgres.h"

#include "access/htup_details.h"
#include "access/xact.h"
#include "catalog/namespace.h"
#include "catalog/pg_class.h"
#include "catalog/pg_type.h"
#include "commands/trigger.h"
#include "executor/executor.h"
#include "executor/spi.h"
#include "funcapi.h"
#include "lib/stringinfo.h"
#include "miscadmin.h"
#include "utils/acl.h"
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

static void inbox_xact_callback(XactEvent event, void *arg);
static void inbox_subxact_callback(SubXactEvent event, SubTransactionId mySubid,
								   SubTransactionId parentSubid, void *arg);

void
tthc_sync_init(void)
{
	DefineCustomBoolVariable("tthc.sync_placeholders",
							 "Create placeholder agencies and procedures for unknown codes in sync messages.",
							 "Off: a message naming an unknown agency or procedure is refused. "
							 "tthc.sync_placeholders lists the rows created, for completion.",
							 &sync_placeholders, false, PGC_USERSET, 0, NULL, NULL, NULL);
	RegisterXactCallback(inbox_xact_callback, NULL);
	RegisterSubXactCallback(inbox_subxact_callback, NULL);
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

/* Done with the rows a statement returned: a long batch runs many. */
static void
rows_done(void)
{
	SPI_freetuptable(SPI_tuptable);
	SPI_tuptable = NULL;
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
	bool		known;

	values[0] = CStringGetTextDatum(value);
	if (run(agency ? "SELECT 1 FROM tthc.agency WHERE id = $1"
							  : "SELECT 1 FROM tthc.procedure WHERE code = $1",
							  1, types, values, NULL, false, 1) != SPI_OK_SELECT)
		elog(ERROR, "tthc: could not look up %s", table);
	known = SPI_processed == 1;
	rows_done();
	if (known)
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
	rows_done();
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
	{
		bool		older = DatumGetBool(SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, &isnull));

		rows_done();
		return older ? "older" : "unchanged";
	}
	rows_done();
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
 * foreign keys (see apply_one), unless placeholders are wanted.
 */
static const char *
apply_dossier(const TthcSyncDossier *d, const char *path)
{
	Oid		   *types = (Oid *) dossier_types;
	Datum		v[22];
	char		n[22];
	bool		isnull;
	bool		older;

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
	{
		bool		created = DatumGetBool(SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, &isnull));

		rows_done();
		return created ? "created" : "updated";
	}
	rows_done();

	/* not written: the row is newer than the message, or says the same */
	if (run("SELECT coalesce(" HELD_LATEST " > $22, " HELD_LATEST " IS NOT NULL AND $22 IS NULL) "
			"FROM tthc.dossier d WHERE d.code = $1",
			22, types, v, n, false, 1) != SPI_OK_SELECT || SPI_processed != 1)
		elog(ERROR, "tthc: could not read a dossier");
	older = DatumGetBool(SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, &isnull));
	rows_done();
	return older ? "older" : "unchanged";
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
	bool		known;

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
	rows_done();
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
	known = SPI_processed > 0;
	rows_done();
	if (known)
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

/*
 * An element of a message on its way: converted, applied, told.
 */
typedef struct SyncItem
{
	int			index;			/* in its message */
	bool		in_array;		/* its path is "$[index]", else "$" */
	TthcSyncDossier *ds;		/* a dossier element, converted */
	const char *action;			/* what was done; NULL until applied */
	char	   *sqlstate;		/* a refusal's */
	char	   *error;
	char		code[TTHC_SYNC_CODE_LEN + 1];	/* MaHoSo, "" when unknown */
} SyncItem;

static void
item_path(const SyncItem *it, char *path, size_t size)
{
	if (it->in_array)
		snprintf(path, size, "$[%d]", it->index);
	else
		strlcpy(path, "$", size);
}

/* Refuse an element: the message is told at its path. */
static void
item_refused(SyncItem *it, const char *sqlstate, const char *message)
{
	char		path[32];

	item_path(it, path, sizeof(path));
	it->action = "rejected";
	it->sqlstate = pstrdup(sqlstate);
	it->error = (message && message[0] == '$') ? pstrdup(message)
		: psprintf("%s: %s", path, message ? message : "error");
}

/*
 * Convert element i of msg: a dossier into it->ds, a progress entry into
 * *step (*progress says which).  False, with the element refused, when it
 * does not convert; nothing was written then.
 */
static bool
item_convert(const TthcSyncMessage *msg, int i, SyncItem *it, TthcSyncStep *step, bool *progress)
{
	char		err[1024];
	TthcSyncError e;

	memset(it, 0, sizeof(SyncItem));
	it->index = i;
	it->in_array = msg->is_array;
	*progress = tthc_sync_kind(msg, i) == TTHC_SYNC_KIND_PROGRESS;
	if (*progress)
	{
		e = tthc_sync_step(msg, i, step, err, sizeof(err));
		if (e == TTHC_SYNC_OK)
			strlcpy(it->code, step->dossier_code, sizeof(it->code));
	}
	else
	{
		it->ds = palloc(sizeof(TthcSyncDossier));
		e = tthc_sync_dossier(msg, i, it->ds, err, sizeof(err));
		if (e == TTHC_SYNC_OK)
			strlcpy(it->code, it->ds->code, sizeof(it->code));
	}
	if (e == TTHC_SYNC_OK)
		return true;
	if (it->ds)
		pfree(it->ds);
	it->ds = NULL;
	item_refused(it, tthc_sync_error_sqlstate(e), err);
	return false;
}

/*
 * Apply one element (a dossier, or the progress entry step) in a
 * subtransaction: what was done, or the refusal with everything it wrote
 * rolled back.  A foreign key refusing a dossier is told as the message
 * member at fault.
 */
static void
apply_one(SyncItem *it, const TthcSyncStep *step)
{
	MemoryContext cxt = CurrentMemoryContext;
	ResourceOwner owner = CurrentResourceOwner;
	char		path[32];

	item_path(it, path, sizeof(path));
	BeginInternalSubTransaction(NULL);
	MemoryContextSwitchTo(cxt);
	PG_TRY();
	{
		it->action = step ? apply_step(step, path) : apply_dossier(it->ds, path);
		ReleaseCurrentSubTransaction();
		MemoryContextSwitchTo(cxt);
		CurrentResourceOwner = owner;
	}
	PG_CATCH();
	{
		ErrorData  *ed = subxact_failed(cxt, owner);
		const char *sqlstate = unpack_sql_state(ed->sqlerrcode);
		const char *fk = (ed->sqlerrcode == ERRCODE_FOREIGN_KEY_VIOLATION && it->ds) ? ed->constraint_name : NULL;

		if (fk && strcmp(fk, "dossier_agency_id_fkey") == 0)
			item_refused(it, sqlstate, psprintf("%s.DonViXuLy: unknown agency \"%s\"", path, it->ds->agency));
		else if (fk && strcmp(fk, "dossier_procedure_code_fkey") == 0)
			item_refused(it, sqlstate, psprintf("%s.MaTTHC: unknown procedure \"%s\"", path,
												it->ds->procedure_code));
		else
			item_refused(it, sqlstate, ed->message);
		FreeErrorData(ed);
	}
	PG_END_TRY();
}

/*
 * Dossiers written in rounds.
 *
 * One upsert statement per round writes many dossiers: the statement and
 * trigger costs (the tallies are appended once per statement) are paid
 * once, not per dossier.  A round holds at most one element per code
 * (ON CONFLICT cannot touch a row twice): the k-th element of a code goes
 * into round k, so the elements of one dossier are applied in their order.
 * The decision per element is the one apply_dossier makes, in SQL over the
 * proposed row (excluded): applied when not older than the row and saying
 * something new; a NULL due date (NgayHenTra absent) is filled by the
 * dossier trigger, as for one element.  A round is written ROUND_MAX
 * elements at a time.  A statement that fails (an unknown agency, a row the
 * trigger refuses, ...) is rolled back and its elements are written again
 * in two halves, down to single elements, which apply_one applies and
 * refuses as it always does: a bad element costs a few statements, and the
 * good ones stay.
 */
#define BATCH_COLS 21
#define ROUND_MAX 1000
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

typedef struct BatchCode
{
	char		code[TTHC_SYNC_CODE_LEN + 1];
	SyncItem   *item;			/* its element in the round being written */
	int			seen;			/* elements of this code so far */
} BatchCode;


/*
 * Write the n elements its (of one round) in one statement, setting their
 * actions; false, with nothing written, when the statement failed.
 */
static bool
apply_round(SyncItem **its, int n, HTAB *codes)
{
	MemoryContext cxt = CurrentMemoryContext;
	ResourceOwner owner = CurrentResourceOwner;
	MemoryContext arrays = AllocSetContextCreate(cxt, "tthc sync round", ALLOCSET_DEFAULT_SIZES);
	Datum		cols[BATCH_COLS + 1];	/* and the latest instants */
	Datum	   *v;
	bool	   *nulls;
	Datum	   *rows;
	char	   *rownulls;
	volatile bool ok = true;

	/* each dossier's values, then each column's values as an array */
	MemoryContextSwitchTo(arrays);
	v = palloc(sizeof(Datum) * n);
	nulls = palloc(sizeof(bool) * n);
	rows = palloc(sizeof(Datum) * n * 22);
	rownulls = palloc(n * 22);
	for (int k = 0; k < n; k++)
		dossier_values(its[k]->ds, &rows[k * 22], &rownulls[k * 22]);
	for (int c = 0; c < BATCH_COLS + 1; c++)
	{
		for (int k = 0; k < n; k++)
		{
			v[k] = rows[k * 22 + c];
			nulls[k] = rownulls[k * 22 + c] == 'n';
		}
		cols[c] = batch_array(v, nulls, n, dossier_types[c]);
	}
	MemoryContextSwitchTo(cxt);

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
			bc->item->action =
				DatumGetBool(SPI_getbinval(SPI_tuptable->vals[r], SPI_tuptable->tupdesc, 2, &isnull))
				? "created" : "updated";
		}
		if (SPI_processed < (uint64) n)
		{
			rows_done();
			args[0] = cols[0];
			args[1] = cols[BATCH_COLS];
			if (run(batch_unwritten, 2, (Oid[]) {TEXTARRAYOID, TIMESTAMPTZARRAYOID}, args, NULL, false, 0)
				!= SPI_OK_SELECT)
				elog(ERROR, "tthc: could not read dossiers");
			for (uint64 r = 0; r < SPI_processed; r++)
			{
				char	   *code = TextDatumGetCString(SPI_getbinval(SPI_tuptable->vals[r], SPI_tuptable->tupdesc, 1, &isnull));
				BatchCode  *bc = hash_search(codes, code, HASH_FIND, NULL);

				if (bc != NULL && bc->item->action == NULL)
					bc->item->action =
						DatumGetBool(SPI_getbinval(SPI_tuptable->vals[r], SPI_tuptable->tupdesc, 2, &isnull))
						? "older" : "unchanged";
			}
		}
		rows_done();
		for (int k = 0; k < n; k++)
			if (its[k]->action == NULL)
				elog(ERROR, "tthc: no outcome for a dossier of the batch");
		ReleaseCurrentSubTransaction();
		MemoryContextSwitchTo(cxt);
		CurrentResourceOwner = owner;
	}
	PG_CATCH();
	{
		FreeErrorData(subxact_failed(cxt, owner));
		for (int k = 0; k < n; k++)
			its[k]->action = NULL;
		ok = false;
	}
	PG_END_TRY();
	MemoryContextDelete(arrays);
	return ok;
}

/* Write the n elements its of one round: together, else in halves. */
static void
apply_part(SyncItem **its, int n, HTAB *codes)
{
	if (n == 1)
		apply_one(its[0], NULL);
	else if (!apply_round(its, n, codes))
	{
		apply_part(its, n / 2, codes);
		apply_part(its + n / 2, n - n / 2, codes);
	}
}

/*
 * Apply the dossier elements its, in their order per code: in rounds, or
 * one by one with tthc.sync_placeholders on (placeholders are made one
 * element at a time) and when the dossiers are partitioned by month (no
 * unique index for the round's upsert).
 */
static void
apply_dossiers(SyncItem **its, int n)
{
	int		   *round;
	int		   *start;
	int		   *fill;
	SyncItem  **order;
	int			rounds = 0;
	HASHCTL		ctl;
	HTAB	   *seen;

	if (n == 0)
		return;
	if (n == 1 || sync_placeholders || dossier_partitioned())
	{
		for (int k = 0; k < n; k++)
			apply_one(its[k], NULL);
		return;
	}

	memset(&ctl, 0, sizeof(ctl));
	ctl.keysize = TTHC_SYNC_CODE_LEN + 1;
	ctl.entrysize = sizeof(BatchCode);
	ctl.hcxt = CurrentMemoryContext;
	seen = hash_create("tthc sync batch", n, &ctl, HASH_ELEM | HASH_STRINGS | HASH_CONTEXT);
	round = palloc(sizeof(int) * n);
	for (int k = 0; k < n; k++)
	{
		bool		found;
		BatchCode  *bc = hash_search(seen, its[k]->code, HASH_ENTER, &found);

		if (!found)
			bc->seen = 0;
		round[k] = bc->seen++;
		rounds = Max(rounds, round[k] + 1);
	}

	/*
	 * The elements of each round, in their order: round r's are order[start[r]]
	 * .. order[start[r + 1] - 1] (one pass, however many rounds a message of
	 * one code repeated has)
	 */
	start = palloc0(sizeof(int) * (rounds + 1));
	for (int k = 0; k < n; k++)
		start[round[k] + 1]++;
	for (int r = 0; r < rounds; r++)
		start[r + 1] += start[r];
	fill = palloc(sizeof(int) * rounds);
	memcpy(fill, start, sizeof(int) * rounds);
	order = palloc(sizeof(SyncItem *) * n);
	for (int k = 0; k < n; k++)
		order[fill[round[k]]++] = its[k];

	for (int r = 0; r < rounds; r++)
	{
		SyncItem  **ri = &order[start[r]];
		int			m = start[r + 1] - start[r];

		for (int k = 0; k < m; k++)
			((BatchCode *) hash_search(seen, ri[k]->code, HASH_FIND, NULL))->item = ri[k];
		for (int off = 0; off < m; off += ROUND_MAX)
			apply_part(ri + off, Min(ROUND_MAX, m - off), seen);
	}
	hash_destroy(seen);
	pfree(round);
	pfree(start);
	pfree(fill);
	pfree(order);
}

/* Dossier elements waiting to be written together. */
typedef struct Pending
{
	SyncItem  **items;
	int			n;
	int			size;
} Pending;

static void
pending_add(Pending *p, SyncItem *it)
{
	if (p->n == p->size)
	{
		p->size = Max(64, p->size * 2);
		p->items = p->items ? repalloc(p->items, sizeof(SyncItem *) * p->size)
			: palloc(sizeof(SyncItem *) * p->size);
	}
	p->items[p->n++] = it;
}

static void
pending_flush(Pending *p)
{
	apply_dossiers(p->items, p->n);
	for (int k = 0; k < p->n; k++)
	{
		pfree(p->items[k]->ds);
		p->items[k]->ds = NULL;
	}
	p->n = 0;
}

/*
 * Take the elements of msg into items[0 .. count - 1]: a dossier joins
 * pending (written when it is flushed), a progress entry is applied at
 * once, after the dossiers before it.  Each element's outcome is in its
 * item once pending is flushed.
 */
static void
take_message(const TthcSyncMessage *msg, SyncItem *items, Pending *pending)
{
	int			n = tthc_sync_count(msg);

	for (int i = 0; i < n; i++)
	{
		TthcSyncStep step;
		bool		progress;

		if (!item_convert(msg, i, &items[i], &step, &progress))
			continue;
		if (progress)
		{
			pending_flush(pending);
			apply_one(&items[i], &step);
		}
		else
			pending_add(pending, &items[i]);
	}
}

/* What a message did, as tthc.sync returns it and the inbox keeps it. */
typedef struct SyncOutcome
{
	int			applied;
	int			rejected;
	char	   *sqlstate;		/* of the first refusal; NULL when none */
	char	   *error;
	char	   *doc;			/* the JSON document */
} SyncOutcome;

/*
 * The outcome of a message whose n elements were applied ({"applied": n,
 * "rejected": n, "results": [{index, code, action, sqlstate, error,
 * path}]}), or, with items NULL, of one refused whole (sqlstate, err: it
 * could not be parsed, ...).
 * Allocated in cxt.
 */
static void
outcome_of(SyncItem *items, int n, const char *sqlstate, const char *err, SyncOutcome *o, MemoryContext cxt)
{
	MemoryContext old = MemoryContextSwitchTo(cxt);
	StringInfoData doc;
	StringInfoData res;

	memset(o, 0, sizeof(SyncOutcome));
	initStringInfo(&doc);
	if (items == NULL)
	{
		o->rejected = 1;
		o->sqlstate = pstrdup(sqlstate);
		o->error = pstrdup(err);
		appendStringInfoString(&doc, "{\"applied\": 0, \"rejected\": 1");
		json_member(&doc, "sqlstate", o->sqlstate, true);
		json_member(&doc, "error", err, true);
		json_member(&doc, "path", path_of(err), true);
		appendStringInfoString(&doc, ", \"results\": []}");
		o->doc = doc.data;
		MemoryContextSwitchTo(old);
		return;
	}
	initStringInfo(&res);
	for (int i = 0; i < n; i++)
	{
		SyncItem   *it = &items[i];

		add_result(&res, i, it->code[0] ? it->code : NULL, it->action, it->sqlstate, it->error);
		if (it->error == NULL)
			o->applied++;
		else if (o->rejected++ == 0)
		{
			o->sqlstate = pstrdup(it->sqlstate);
			o->error = pstrdup(it->error);
		}
	}
	appendStringInfo(&doc, "{\"applied\": %d, \"rejected\": %d, \"results\": [%s]}",
					 o->applied, o->rejected, res.data);
	pfree(res.data);
	o->doc = doc.data;
	MemoryContextSwitchTo(old);
}

/*
 * Parse and apply one message (SPI connected), its outcome allocated in
 * cxt.
 */
static void
apply_message(const char *json, size_t len, SyncOutcome *o, MemoryContext cxt)
{
	TthcSyncMessage msg;
	TthcSyncError e;
	char		err[1024];
	SyncItem   *items;
	Pending		pending = {0};
	int			n;

	memset(&msg, 0, sizeof(msg));
	e = tthc_sync_parse(json, len, &msg, err, sizeof(err));
	if (e != TTHC_SYNC_OK)
	{
		outcome_of(NULL, 0, tthc_sync_error_sqlstate(e), err, o, cxt);
		return;
	}
	n = tthc_sync_count(&msg);
	items = palloc0(sizeof(SyncItem) * Max(n, 1));
	PG_TRY();
	{
		take_message(&msg, items, &pending);
		pending_flush(&pending);
	}
	PG_FINALLY();
	{
		tthc_sync_free(&msg);
	}
	PG_END_TRY();
	outcome_of(items, n, NULL, NULL, o, cxt);
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
	text	   *payload = PG_GETARG_TEXT_PP(0);
	MemoryContext cxt = CurrentMemoryContext;
	SyncOutcome o;
	int			guclevel;

	guclevel = tthc_spi_connect();
	apply_message(VARDATA_ANY(payload), VARSIZE_ANY_EXHDR(payload), &o, cxt);
	tthc_spi_finish(guclevel);
	PG_RETURN_DATUM(DirectFunctionCall1(jsonb_in, CStringGetDatum(o.doc)));
}

/*
 * The inbox (tthc.inbox): one trigger function for four triggers.
 *
 * A row inserted alone, or the first of its statement, is applied at once
 * by the BEFORE ROW trigger, which stores the outcome in the row (so
 * INSERT ... RETURNING shows it).  The other rows of a statement that
 * inserts many (INSERT ... SELECT, COPY) are stored as 'new' and applied
 * together when the statement ends, by the AFTER STATEMENT trigger over
 * its transition table: their dossiers are written in rounds across
 * messages, as an array's are, and the outcomes are stored into the rows
 * by one UPDATE per chunk of messages.  A BEFORE STATEMENT trigger tells
 * the row trigger which row is the first: it pushes an entry on a stack
 * (statements nest: a trigger's statement inside another), the AFTER
 * STATEMENT trigger pops it, and an aborted (sub)transaction drops the
 * entries of the statements it cut short.  The UPDATE OF state trigger
 * (tthc.retry()) applies each row at once.
 */
PG_FUNCTION_INFO_V1(tthc_inbox_apply);

typedef struct InboxStatement
{
	SubTransactionId subxid;	/* where the statement runs */
	bool		first;			/* its next row is its first */
} InboxStatement;

static InboxStatement *inbox_statements = NULL;
static int	inbox_depth = 0;
static int	inbox_size = 0;

/* messages and elements applied together, whose outcomes one UPDATE stores */
#define INBOX_CHUNK_MESSAGES 1000
#define INBOX_CHUNK_ELEMENTS 2000

static void
inbox_xact_callback(XactEvent event, void *arg)
{
	inbox_depth = 0;
}

static void
inbox_subxact_callback(SubXactEvent event, SubTransactionId mySubid, SubTransactionId parentSubid, void *arg)
{
	if (event == SUBXACT_EVENT_ABORT_SUB)
	{
		while (inbox_depth > 0 && inbox_statements[inbox_depth - 1].subxid == mySubid)
			inbox_depth--;
	}
	else if (event == SUBXACT_EVENT_COMMIT_SUB)
	{
		for (int k = 0; k < inbox_depth; k++)
			if (inbox_statements[k].subxid == mySubid)
				inbox_statements[k].subxid = parentSubid;
	}
}

static void
inbox_statement_begin(void)
{
	if (inbox_depth == inbox_size)
	{
		inbox_size = Max(8, inbox_size * 2);
		inbox_statements = inbox_statements
			? repalloc(inbox_statements, sizeof(InboxStatement) * inbox_size)
			: MemoryContextAlloc(TopMemoryContext, sizeof(InboxStatement) * inbox_size);
	}
	inbox_statements[inbox_depth].subxid = GetCurrentSubTransactionId();
	inbox_statements[inbox_depth].first = true;
	inbox_depth++;
}

/* The inbox's columns, by name. */
typedef struct InboxColumns
{
	int			id,
				payload,
				state,
				attempts,
				applied_at,
				result,
				sqlstate,
				error,
				error_path,
				inserted_by;
} InboxColumns;

static void
inbox_columns(TupleDesc desc, InboxColumns *c)
{
	const char *names[10] = {"id", "payload", "state", "attempts", "applied_at", "result", "sqlstate",
	"error", "error_path", "inserted_by"};
	int		   *nums[10] = {&c->id, &c->payload, &c->state, &c->attempts, &c->applied_at, &c->result,
	&c->sqlstate, &c->error, &c->error_path, &c->inserted_by};

	for (int k = 0; k < 10; k++)
	{
		*nums[k] = SPI_fnumber(desc, names[k]);
		if (*nums[k] <= 0)
			elog(ERROR, "tthc: tthc.inbox has no column \"%s\"", names[k]);
	}
}

static const char *
outcome_state(const SyncOutcome *o)
{
	return o->rejected == 0 ? "applied" : o->applied == 0 ? "rejected" : "partial";
}

static Datum
text_or_null(const char *s, bool *isnull)
{
	*isnull = s == NULL;
	return s ? CStringGetTextDatum(s) : (Datum) 0;
}

/* The row with its message's outcome. */
static HeapTuple
inbox_row(TupleDesc desc, const InboxColumns *c, HeapTuple tuple, const SyncOutcome *o)
{
	int			cols[7];
	Datum		values[7];
	bool		nulls[7] = {false, false, false, false, false, false, false};
	bool		isnull;
	Datum		attempts;

	cols[0] = c->state;
	cols[1] = c->attempts;
	cols[2] = c->applied_at;
	cols[3] = c->result;
	cols[4] = c->sqlstate;
	cols[5] = c->error;
	cols[6] = c->error_path;
	values[0] = CStringGetTextDatum(outcome_state(o));
	attempts = heap_getattr(tuple, c->attempts, desc, &isnull);
	values[1] = Int32GetDatum(isnull ? 0 : DatumGetInt32(attempts) + 1);
	nulls[1] = isnull;
	values[2] = TimestampTzGetDatum(GetCurrentTransactionStartTimestamp());
	values[3] = DirectFunctionCall1(jsonb_in, CStringGetDatum(o->doc));
	values[4] = text_or_null(o->sqlstate, &nulls[4]);
	values[5] = text_or_null(o->error, &nulls[5]);
	values[6] = text_or_null(o->error ? path_of(o->error) : NULL, &nulls[6]);
	return heap_modify_tuple_by_cols(tuple, desc, 7, cols, values, nulls);
}

/*
 * Whether an inserted row is a message to apply: its state is 'new' (the
 * default).  A row inserted with its outcome (applied, partial, rejected:
 * a restored dump, a copy of another server's inbox) is a record, kept as
 * it is.
 */
static bool
inbox_row_new(TupleDesc desc, const InboxColumns *c, HeapTuple tuple)
{
	bool		isnull;
	Datum		state = heap_getattr(tuple, c->state, desc, &isnull);

	return isnull || strcmp(TextDatumGetCString(state), "new") == 0;
}

/*
 * Apply a message (SPI connected) as apply_message, with the rights of the
 * role that inserted it (sender) when that role is a writer (a member of
 * tthc_writer, not a superuser); else, or with sender NULL, with the current
 * role's.  So a writer's message is applied with the writer's rights, also
 * when an administrator retries it, and a role named in inserted_by gives
 * no more rights than a writer's.  Refused whole when the role no longer
 * exists.
 */
static void
apply_as(const char *sender, const char *json, size_t len, SyncOutcome *o, MemoryContext cxt)
{
	Oid			role = sender ? get_role_oid(sender, true) : GetUserId();
	Oid			writer = get_role_oid("tthc_writer", true);
	Oid			saved_user;
	int			saved_sec;

	if (!OidIsValid(role))
	{
		char	   *err = psprintf("$: the role \"%s\" that inserted the message no longer exists", sender);

		outcome_of(NULL, 0, "42704", err, o, cxt);
		return;
	}
	if (role == GetUserId() || !OidIsValid(writer) || superuser_arg(role) || !has_privs_of_role(role, writer))
	{
		apply_message(json, len, o, cxt);
		return;
	}
	GetUserIdAndSecContext(&saved_user, &saved_sec);
	SetUserIdAndSecContext(role, saved_sec | SECURITY_LOCAL_USERID_CHANGE);
	PG_TRY();
	{
		apply_message(json, len, o, cxt);
	}
	PG_FINALLY();
	{
		SetUserIdAndSecContext(saved_user, saved_sec);
	}
	PG_END_TRY();
}

/* The row's inserted_by, or NULL. */
static char *
inbox_sender(TupleDesc desc, const InboxColumns *c, HeapTuple tuple)
{
	bool		isnull;
	Datum		d = heap_getattr(tuple, c->inserted_by, desc, &isnull);

	return isnull ? NULL : TextDatumGetCString(d);
}

/*
 * An inserted row as stored: inserted_by is the inserting role, whatever a
 * role other than a superuser gave (a superuser restoring a dump keeps the
 * rows' own).
 */
static HeapTuple
inbox_stamp(TupleDesc desc, const InboxColumns *c, HeapTuple tuple)
{
	int			col = c->inserted_by;
	char	   *sender;
	char	   *me;
	Datum		value;
	bool		isnull = false;

	if (superuser())
		return tuple;
	sender = inbox_sender(desc, c, tuple);
	me = GetUserNameFromId(GetUserId(), false);
	if (sender && strcmp(sender, me) == 0)
		return tuple;
	value = CStringGetTextDatum(me);
	return heap_modify_tuple_by_cols(tuple, desc, 1, &col, &value, &isnull);
}

/* Apply the row's message at once. */
static HeapTuple
inbox_apply_row(TupleDesc desc, const InboxColumns *c, HeapTuple tuple)
{
	MemoryContext cxt = CurrentMemoryContext;
	bool		isnull;
	Datum		payload;
	text	   *t;
	SyncOutcome o;
	int			guclevel;

	payload = heap_getattr(tuple, c->payload, desc, &isnull);
	if (isnull)
		return tuple;			/* refused by NOT NULL */
	t = DatumGetTextPP(payload);
	guclevel = tthc_spi_connect();
	apply_as(inbox_sender(desc, c, tuple), VARDATA_ANY(t), VARSIZE_ANY_EXHDR(t), &o, cxt);
	tthc_spi_finish(guclevel);
	return inbox_row(desc, c, tuple, &o);
}

/* A message of the statement's rows, applied at its end. */
typedef struct InboxMessage
{
	int64		id;
	SyncItem   *items;
	int			n;
	SyncOutcome outcome;		/* of the parse, when items is NULL */
} InboxMessage;

static const char inbox_update[] =
	"UPDATE tthc.inbox AS b SET state = u.state, attempts = b.attempts + 1, applied_at = now(), "
	"result = u.result::jsonb, sqlstate = u.sqlstate, error = u.error, error_path = u.path "
	"FROM unnest($1::bigint[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[]) "
	"AS u(id, state, result, sqlstate, error, path) WHERE b.id = u.id";

/*
 * Store the outcomes of the n messages ms in their rows: one UPDATE, as
 * the inbox's owner (writers may insert messages, not change them).
 */
static void
inbox_store(Relation rel, InboxMessage *ms, int n)
{
	Datum		args[6];
	Datum	   *v[6];
	bool	   *nulls[6];
	Oid			argtypes[6] = {INT8ARRAYOID, TEXTARRAYOID, TEXTARRAYOID, TEXTARRAYOID, TEXTARRAYOID,
	TEXTARRAYOID};
	Oid			elemtypes[6] = {INT8OID, TEXTOID, TEXTOID, TEXTOID, TEXTOID, TEXTOID};
	Oid			saved_user;
	int			saved_sec;
	int			guclevel;

	for (int a = 0; a < 6; a++)
	{
		v[a] = palloc(sizeof(Datum) * n);
		nulls[a] = palloc0(sizeof(bool) * n);
	}
	for (int k = 0; k < n; k++)
	{
		SyncOutcome *o = &ms[k].outcome;

		v[0][k] = Int64GetDatum(ms[k].id);
		v[1][k] = CStringGetTextDatum(outcome_state(o));
		v[2][k] = CStringGetTextDatum(o->doc);
		v[3][k] = text_or_null(o->sqlstate, &nulls[3][k]);
		v[4][k] = text_or_null(o->error, &nulls[4][k]);
		v[5][k] = text_or_null(o->error ? path_of(o->error) : NULL, &nulls[5][k]);
	}
	for (int a = 0; a < 6; a++)
		args[a] = batch_array(v[a], nulls[a], n, elemtypes[a]);

	/*
	 * Each message's row by the primary key, whatever the size of the inbox
	 * when the plan was made (planned on a small inbox, a hash join would
	 * read all of it for every chunk)
	 */
	guclevel = NewGUCNestLevel();
	(void) set_config_option("enable_hashjoin", "off", PGC_USERSET, PGC_S_SESSION, GUC_ACTION_SAVE, true, 0, false);
	(void) set_config_option("enable_mergejoin", "off", PGC_USERSET, PGC_S_SESSION, GUC_ACTION_SAVE, true, 0, false);
	(void) set_config_option("enable_seqscan", "off", PGC_USERSET, PGC_S_SESSION, GUC_ACTION_SAVE, true, 0, false);
	GetUserIdAndSecContext(&saved_user, &saved_sec);
	SetUserIdAndSecContext(rel->rd_rel->relowner, saved_sec | SECURITY_LOCAL_USERID_CHANGE);
	PG_TRY();
	{
		if (run(inbox_update, 6, argtypes, args, NULL, false, 0) != SPI_OK_UPDATE)
			elog(ERROR, "tthc: could not store the outcome of inbox messages");
		if (SPI_processed != (uint64) n)
			elog(ERROR, "tthc: %d inbox messages applied, " UINT64_FORMAT " stored", n, SPI_processed);
	}
	PG_FINALLY();
	{
		SetUserIdAndSecContext(saved_user, saved_sec);
	}
	PG_END_TRY();
	AtEOXact_GUC(true, guclevel);
}

/*
 * Parse a message of the statement's rows into m and take its elements
 * (take_message); a message that does not parse gets its outcome at once.
 */
static void
inbox_take(text *payload, InboxMessage *m, Pending *pending, MemoryContext cxt)
{
	TthcSyncMessage msg;
	char		err[1024];
	TthcSyncError e;

	m->items = NULL;
	m->n = 0;
	memset(&msg, 0, sizeof(msg));
	e = tthc_sync_parse(VARDATA_ANY(payload), VARSIZE_ANY_EXHDR(payload), &msg, err, sizeof(err));
	if (e != TTHC_SYNC_OK)
	{
		outcome_of(NULL, 0, tthc_sync_error_sqlstate(e), err, &m->outcome, cxt);
		return;
	}
	m->n = tthc_sync_count(&msg);
	m->items = palloc0(sizeof(SyncItem) * Max(m->n, 1));
	PG_TRY();
	{
		take_message(&msg, m->items, pending);
	}
	PG_FINALLY();
	{
		tthc_sync_free(&msg);
	}
	PG_END_TRY();
}

/*
 * At the end of a statement: apply its rows left 'new' (all but its
 * first), in their order, a chunk of messages at a time.
 */
static void
inbox_statement_end(TriggerData *td)
{
	Tuplestorestate *ts = td->tg_newtable;
	TupleDesc	desc = RelationGetDescr(td->tg_relation);
	InboxColumns c;
	TupleTableSlot *slot;
	MemoryContext outer = CurrentMemoryContext;
	MemoryContext rows;
	MemoryContext chunk;
	InboxMessage *ms;
	char	   *me;
	Pending		pending = {0};
	int			nms = 0;
	int			elements = 0;
	int			guclevel;
	bool		more;

	if (inbox_depth > 0)
		inbox_depth--;
	if (ts == NULL)
		elog(ERROR, "tthc: the inbox's statement trigger must reference its new rows");
	if (tuplestore_tuple_count(ts) == 0)
		return;
	inbox_columns(desc, &c);
	me = GetUserNameFromId(GetUserId(), false);
	slot = MakeSingleTupleTableSlot(desc, &TTSOpsMinimalTuple);
	guclevel = tthc_spi_connect();
	rows = CurrentMemoryContext;
	chunk = AllocSetContextCreate(rows, "tthc inbox chunk", ALLOCSET_DEFAULT_SIZES);
	MemoryContextSwitchTo(chunk);
	ms = palloc(sizeof(InboxMessage) * INBOX_CHUNK_MESSAGES);

	tuplestore_rescan(ts);
	do
	{
		bool		isnull;
		Datum		state;

		/* a row read back from disk is the slot's until the next: not the chunk's */
		MemoryContextSwitchTo(rows);
		more = tuplestore_gettupleslot(ts, true, false, slot);
		MemoryContextSwitchTo(chunk);
		if (more)
		{
			state = slot_getattr(slot, c.state, &isnull);
			if (!isnull && strcmp(TextDatumGetCString(state), "new") == 0)
			{
				InboxMessage *m = &ms[nms++];

				text	   *payload = DatumGetTextPP(slot_getattr(slot, c.payload, &isnull));
				Datum		sender = slot_getattr(slot, c.inserted_by, &isnull);

				m->id = DatumGetInt64(slot_getattr(slot, c.id, &isnull));
				if (isnull || strcmp(TextDatumGetCString(sender), me) == 0)
				{
					inbox_take(payload, m, &pending, chunk);
					elements += m->n;
				}
				else
				{
					/*
					 * inserted for another role (by a superuser): applied
					 * alone, with that role's rights, after the dossiers
					 * before it
					 */
					pending_flush(&pending);
					m->items = NULL;
					m->n = 0;
					apply_as(TextDatumGetCString(sender), VARDATA_ANY(payload), VARSIZE_ANY_EXHDR(payload),
							 &m->outcome, chunk);
				}
			}
		}
		/* a chunk is full, or the rows are done: write, and store the outcomes */
		if (nms > 0 && (!more || nms == INBOX_CHUNK_MESSAGES || elements >= INBOX_CHUNK_ELEMENTS))
		{
			pending_flush(&pending);
			for (int k = 0; k < nms; k++)
				if (ms[k].items)
					outcome_of(ms[k].items, ms[k].n, NULL, NULL, &ms[k].outcome, chunk);
			inbox_store(td->tg_relation, ms, nms);
			MemoryContextReset(chunk);
			ms = palloc(sizeof(InboxMessage) * INBOX_CHUNK_MESSAGES);
			memset(&pending, 0, sizeof(pending));
			nms = 0;
			elements = 0;
		}
	} while (more);

	ExecDropSingleTupleTableSlot(slot);
	MemoryContextSwitchTo(outer);
	tthc_spi_finish(guclevel);
}

/*
 * tthc.inbox_apply(): the inbox's triggers (see above): BEFORE INSERT and
 * BEFORE UPDATE OF state FOR EACH ROW, BEFORE INSERT FOR EACH STATEMENT,
 * AFTER INSERT FOR EACH STATEMENT REFERENCING NEW TABLE.
 */
Datum
tthc_inbox_apply(PG_FUNCTION_ARGS)
{
	TriggerData *td = (TriggerData *) fcinfo->context;
	TupleDesc	desc;
	InboxColumns c;
	HeapTuple	tuple;

	if (!CALLED_AS_TRIGGER(fcinfo))
		elog(ERROR, "tthc: tthc.inbox_apply() must be called as a trigger");
	if (TRIGGER_FIRED_FOR_STATEMENT(td->tg_event))
	{
		if (!TRIGGER_FIRED_BY_INSERT(td->tg_event))
			elog(ERROR, "tthc: tthc.inbox_apply() is a statement trigger of INSERT only");
		if (TRIGGER_FIRED_BEFORE(td->tg_event))
			inbox_statement_begin();
		else
			inbox_statement_end(td);
		return PointerGetDatum(NULL);
	}
	if (!TRIGGER_FIRED_BEFORE(td->tg_event))
		elog(ERROR, "tthc: tthc.inbox_apply() is a row trigger BEFORE INSERT or UPDATE");
	desc = RelationGetDescr(td->tg_relation);
	inbox_columns(desc, &c);
	if (TRIGGER_FIRED_BY_UPDATE(td->tg_event))
		return PointerGetDatum(inbox_apply_row(desc, &c, td->tg_newtuple));
	tuple = inbox_stamp(desc, &c, td->tg_trigtuple);
	if (!inbox_row_new(desc, &c, tuple))
		return PointerGetDatum(tuple);
	if (inbox_depth > 0 && !inbox_statements[inbox_depth - 1].first)
		return PointerGetDatum(tuple);	/* 'new': applied when the statement ends */
	if (inbox_depth > 0)
		inbox_statements[inbox_depth - 1].first = false;
	return PointerGetDatum(inbox_apply_row(desc, &c, tuple));
}
