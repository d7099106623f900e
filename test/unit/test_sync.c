/*
 * test_sync.c
 *		Unit tests of the DVCQG sync payload parser (src/core/sync.c): every
 *		message of the corpus (test/fuzz/corpus) converts, with the values of
 *		many of them checked by hand; every malformed message of
 *		test/fuzz/bad gives the exact category and message its .expected
 *		file holds; the limits (size, depth, values, elements); a batch
 *		with one bad element converts the others; every truncation of
 *		valid messages is refused; a few thousand random byte flips neither
 *		crash nor leak (run under AddressSanitizer and UBSan).
 *
 * Run from the repository root: the corpus is found relative to it.
 */
#include "tap.h"
#include "../../src/core/sync.h"

#include <dirent.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define CORPUS "test/fuzz/corpus"
#define BAD "test/fuzz/bad"

static char err[512];

static int
cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *) a, *(char *const *) b);
}

/* The names in dir ending in suffix, sorted; *n of them. */
static char **
list_dir(const char *dir, const char *suffix, int *n)
{
	DIR		   *d = opendir(dir);
	struct dirent *e;
	char	  **names = NULL;
	int			cap = 0;

	*n = 0;
	if (d == NULL)
		return NULL;
	while ((e = readdir(d)) != NULL)
	{
		size_t		len = strlen(e->d_name);
		size_t		slen = strlen(suffix);

		if (len <= slen || strcmp(e->d_name + len - slen, suffix) != 0)
			continue;
		if (*n == cap)
		{
			cap = cap ? cap * 2 : 64;
			names = realloc(names, sizeof(char *) * (size_t) cap);
		}
		names[(*n)++] = strdup(e->d_name);
	}
	closedir(d);
	qsort(names, (size_t) *n, sizeof(char *), cmp_names);
	return names;
}

static void
free_names(char **names, int n)
{
	for (int i = 0; i < n; i++)
		free(names[i]);
	free(names);
}

static bool
is_progress(const char *name)
{
	return strncmp(name, "progress-", 9) == 0;
}

/*
 * Convert every element of msg as a dossier or a step; the first error
 * (category and message in err), or TTHC_SYNC_OK.  ok_count gets the
 * elements that converted.
 */
static TthcSyncError
convert_all(const TthcSyncMessage *msg, bool progress, int *ok_count)
{
	TthcSyncError first = TTHC_SYNC_OK;
	char		e2[512];

	*ok_count = 0;
	for (int i = 0; i < tthc_sync_count(msg); i++)
	{
		TthcSyncDossier d;
		TthcSyncStep s;
		TthcSyncError e;

		e = progress ? tthc_sync_step(msg, i, &s, e2, sizeof(e2)) :
			tthc_sync_dossier(msg, i, &d, e2, sizeof(e2));
		if (e == TTHC_SYNC_OK)
			(*ok_count)++;
		else if (first == TTHC_SYNC_OK)
		{
			first = e;
			memcpy(err, e2, sizeof(err));
		}
	}
	return first;
}

/* A time as the message writes it, "" for none. */
static const char *
ts(int64_t t, char *buf)
{
	tthc_sync_format_time(t, buf);
	return buf;
}

/* ---------------------------------------------------------------------
 * The corpus
 * ---------------------------------------------------------------------
 */

static void
test_corpus(void)
{
	int			n;
	char	  **names = list_dir(CORPUS, ".json", &n);
	int			ndossier = 0,
				nprogress = 0;

	ok(n >= 30, "the corpus has %d valid messages (at least 30)", n);
	for (int i = 0; i < n; i++)
	{
		char		path[512];
		size_t		len;
		char	   *doc;
		TthcSyncMessage msg;
		TthcSyncError e;
		int			good = 0;
		bool		kinds = true;
		bool		progress = is_progress(names[i]);

		snprintf(path, sizeof(path), "%s/%s", CORPUS, names[i]);
		doc = read_file(path, &len);
		e = doc ? tthc_sync_parse(doc, len, &msg, err, sizeof(err)) : TTHC_SYNC_E_USAGE;
		if (e == TTHC_SYNC_OK)
		{
			e = convert_all(&msg, progress, &good);
			for (int k = 0; k < tthc_sync_count(&msg); k++)
				if (tthc_sync_kind(&msg, k) !=
					(progress ? TTHC_SYNC_KIND_PROGRESS : TTHC_SYNC_KIND_DOSSIER))
					kinds = false;
		}
		ok(e == TTHC_SYNC_OK && kinds, "corpus %s: %d element(s) convert, kind %s",
		   names[i], good, progress ? "progress" : "dossier");
		if (e != TTHC_SYNC_OK)
			printf("#   %s %s\n", tthc_sync_error_name(e), err);
		if (progress)
			nprogress++;
		else
			ndossier++;
		tthc_sync_free(&msg);
		free(doc);
	}
	ok(nprogress >= 5 && ndossier >= 25, "corpus: %d dossier and %d progress messages",
	   ndossier, nprogress);
	free_names(names, n);
}

/* Parse a corpus file into msg; false (with a diagnostic) when it fails. */
static bool
load(const char *dir, const char *name, TthcSyncMessage *msg, char **doc)
{
	char		path[512];
	size_t		len;

	snprintf(path, sizeof(path), "%s/%s.json", dir, name);
	*doc = read_file(path, &len);
	if (*doc == NULL)
	{
		printf("# cannot read %s\n", path);
		memset(msg, 0, sizeof(*msg));
		return false;
	}
	if (tthc_sync_parse(*doc, len, msg, err, sizeof(err)) != TTHC_SYNC_OK)
	{
		printf("# %s: %s\n", path, err);
		return false;
	}
	return true;
}

/*
 * A dossier's values, written by hand from the message: times as
 * yyyyMMddHHmmss ("" for none), flags as a string of seven characters
 * "fpderspv": fee_given, paid_online (0-2), digitized, e_result,
 * reused_data, personal_store, population_db, each 0 or 1.
 */
typedef struct DossierCase
{
	const char *file;
	int			elem;
	const char *code;
	const char *procedure;
	const char *agency;
	int			status;
	int			channel;
	const char *submitted;
	const char *received;
	const char *due;
	const char *finished;
	const char *returned;
	const char *ended;
	int			supplements;
	const char *supp_requested;
	const char *supp_received;
	long long	fee;
	const char *flags;			/* fee_given paid digitized e_result reused
								 * store population */
	int			attachments;
} DossierCase;

#define P1612 "1.001612.000.00.00.H26"
#define U17 "000.00.17.H26"

static const DossierCase dossier_cases[] = {
	{"dossier-01-new-online", 0, "000.00.17.H26-250303-0001", P1612, U17, 1, 2,
	 "20250303080512", "", "", "", "", "", 0, "", "", 0, "0000000", 0},
	{"dossier-03-refused", 0, "000.00.17.H26-250304-0003", P1612, U17, 3, 2,
	 "20250304142000", "", "", "", "", "20250305100000", 0, "", "", 0, "0000000", 0},
	{"dossier-04-processing-postal", 0, "000.00.17.H26-250305-0004", P1612, U17, 4, 3,
	 "20250305083000", "20250305090000", "20250310170000", "", "", "", 0, "", "", 0,
	 "0010000", 2},
	{"dossier-05-supplement-waiting", 0, "000.00.17.H26-250306-0005", P1612, U17, 5, 2,
	 "20250306080000", "20250306083000", "20250311170000", "", "", "", 1,
	 "20250307100000", "", 0, "0000000", 0},
	{"dossier-06-fee-requested", 0, "000.00.17.H26-250307-0006", P1612, U17, 6, 2,
	 "20250307080000", "20250307081500", "20250312170000", "", "", "", 0, "", "",
	 150000, "1000000", 0},
	{"dossier-07-withdrawn", 0, "000.00.17.H26-250310-0007", P1612, U17, 7, 2,
	 "20250310080000", "20250310090000", "20250313170000", "", "", "20250311153000",
	 0, "", "", 0, "0000000", 0},
	{"dossier-08-stopped", 0, "000.00.17.H26-250311-0008", P1612, U17, 8, 1,
	 "20250311080000", "20250311080000", "20250314170000", "", "", "20250312110000",
	 0, "", "", 0, "0000000", 0},
	{"dossier-09-finished", 0, "000.00.17.H26-250312-0009", P1612, U17, 9, 2,
	 "20250312075500", "20250312080000", "20250317170000", "20250314160000", "", "",
	 0, "", "", 0, "0010000", 1},
	{"dossier-10-returned-e-result", 0, "000.00.17.H26-250313-0010", P1612, U17, 10, 2,
	 "20250313080000", "20250313083000", "20250318170000", "20250317100000",
	 "20250317143000", "", 0, "", "", 0, "0001000", 0},
	{"dossier-11-paid-on-portal", 0, "000.00.17.H26-250314-0011", P1612, U17, 10, 2,
	 "20250314080000", "20250314090000", "20250319170000", "20250318090000",
	 "20250318100000", "", 0, "", "", 125000, "1100000", 0},
	{"dossier-12-paid-local-gateway", 0, "000.00.17.H26-250317-0012", P1612, U17, 9, 2,
	 "20250317080000", "20250317080500", "20250320170000", "20250319110000", "", "",
	 0, "", "", 200000, "1200000", 0},
	/* the due date is the one before the first supplement request */
	{"dossier-13-two-supplements", 0, "000.00.17.H26-250318-0013", P1612, U17, 4, 2,
	 "20250318080000", "20250318090000", "20250321170000", "", "", "", 2,
	 "20250326140000", "20250327080000", 0, "0000000", 0},
	{"dossier-14-supplement-resubmitted", 0, "000.00.17.H26-250319-0014", P1612, U17, 4, 2,
	 "20250319080000", "20250319081000", "20250324170000", "", "", "", 1,
	 "20250320090000", "20250321150000", 0, "0000000", 0},
	{"dossier-15-reuse-personal-store", 0, "000.00.17.H26-250320-0015", P1612, U17, 2, 2,
	 "20250320080000", "20250320080000", "20250325170000", "", "", "", 0, "", "", 0,
	 "0000111", 2},
	/* the deleted attachment's flags do not count */
	{"dossier-16-deleted-attachment", 0, "000.00.17.H26-250321-0016", P1612, U17, 2, 2,
	 "20250321080000", "20250321083000", "20250326170000", "", "", "", 0, "", "", 0,
	 "0000000", 1},
	{"dossier-17-json-booleans", 0, "000.00.17.H26-250324-0017", P1612, U17, 4, 2,
	 "20250324080000", "20250324090000", "20250327170000", "", "", "", 0, "", "", 0,
	 "0010101", 1},
	{"dossier-18-nulls-and-empty", 0, "000.00.17.H26-250325-0018", P1612, U17, 2, 1,
	 "", "20250325100000", "", "", "", "", 0, "", "", 0, "0000000", 0},
	{"dossier-20-batch-of-three", 1, "000.00.17.H26-250327-0021", P1612, U17, 9, 1,
	 "", "20250327100000", "20250328170000", "20250328163000", "", "", 0, "", "", 0,
	 "0000000", 0},
	{"dossier-22-zero-fee", 0, "000.00.17.H26-250328-0023", P1612, U17, 2, 2,
	 "20250328080000", "20250328080000", "20250402170000", "", "", "", 0, "", "", 0,
	 "1000000", 0},
	{"dossier-23-returned-without-finish", 0, "000.00.17.H26-250331-0024", P1612, U17, 10, 1,
	 "20250331080000", "20250331080000", "20250403170000", "", "20250402090000", "",
	 0, "", "", 0, "0000000", 0},
	{"dossier-24-refused-by-end-time", 0, "000.00.17.H26-250401-0025", P1612, U17, 3, 2,
	 "20250401080000", "", "", "", "", "20250401160000", 0, "", "", 0, "0000000", 0},
	{"dossier-25-agency-name", 0, "H26.22-HKD-2025-04-02-000000000000000025", "2.002175",
	 "UBND phường Ba Đình - Bộ phận Một cửa", 4, 2, "20250402080000", "20250402080000",
	 "20250407170000", "", "", "", 0, "", "", 0, "0000000", 0},
	{"dossier-26-leap-day", 0, "000.00.17.H26-240229-0026", P1612, U17, 9, 2,
	 "20240229235959", "20240301000000", "20241231235959", "20241231235959", "", "",
	 0, "", "", 0, "0000000", 0},
	{"dossier-27-result-without-file", 0, "000.00.17.H26-250403-0027", P1612, U17, 10, 2,
	 "20250403080000", "20250403080000", "20250408170000", "20250407100000",
	 "20250407110000", "", 0, "", "", 0, "0000000", 0},
	{"dossier-28-codes-as-numbers", 0, "000.00.17.H26-250404-0028", P1612, U17, 4, 2,
	 "20250404080000", "20250404080000", "20250409170000", "", "", "", 0, "", "", 0,
	 "0000000", 0},
	{"dossier-29-bom-crlf", 0, "000.00.17.H26-250407-0029", P1612, U17, 2, 2,
	 "20250407080000", "20250407080000", "20250410170000", "", "", "", 0, "", "", 0,
	 "0000000", 0},
	{"dossier-31-digitized-flag", 0, "000.00.17.H26-250408-0031", P1612, U17, 4, 2,
	 "20250408080000", "20250408080000", "20250411170000", "", "", "", 0, "", "", 0,
	 "0010000", 0},
	{"dossier-32-withdrawn-before-receipt", 0, "000.00.17.H26-250409-0032", P1612, U17, 7, 2,
	 "20250409080000", "", "", "", "", "20250409100000", 0, "", "", 0, "0000000", 0},
	{"dossier-33-minimal", 0, "X-1", "1.000001", "H26", 1, 1,
	 "", "", "", "", "", "", 0, "", "", 0, "0000000", 0},
};

/* Compare one field, noting a mismatch. */
#define CHECK_STR(name, got, want) \
	do { if (strcmp((got), (want)) != 0) { \
		printf("#   %s: got \"%s\", want \"%s\"\n", (name), (got), (want)); good = false; } } while (0)
#define CHECK_INT(name, got, want) \
	do { if ((long long) (got) != (long long) (want)) { \
		printf("#   %s: got %lld, want %lld\n", (name), (long long) (got), (long long) (want)); \
		good = false; } } while (0)

static void
test_dossier_values(void)
{
	for (size_t k = 0; k < sizeof(dossier_cases) / sizeof(dossier_cases[0]); k++)
	{
		const DossierCase *c = &dossier_cases[k];
		TthcSyncMessage msg;
		TthcSyncDossier d;
		char	   *doc = NULL;
		bool		good = load(CORPUS, c->file, &msg, &doc);
		char		b[16];

		if (good && tthc_sync_dossier(&msg, c->elem, &d, err, sizeof(err)) != TTHC_SYNC_OK)
		{
			printf("#   %s\n", err);
			good = false;
		}
		if (good)
		{
			CHECK_STR("code", d.code, c->code);
			CHECK_STR("procedure_code", d.procedure_code, c->procedure);
			CHECK_STR("agency", d.agency, c->agency);
			CHECK_INT("status", d.status, c->status);
			CHECK_INT("channel", d.channel, c->channel);
			CHECK_STR("submitted", ts(d.submitted, b), c->submitted);
			CHECK_STR("received", ts(d.received, b), c->received);
			CHECK_STR("due", ts(d.due, b), c->due);
			CHECK_STR("finished", ts(d.finished, b), c->finished);
			CHECK_STR("returned", ts(d.returned, b), c->returned);
			CHECK_STR("ended", ts(d.ended, b), c->ended);
			CHECK_INT("supplement_requests", d.supplement_requests, c->supplements);
			CHECK_STR("supplement_requested", ts(d.supplement_requested, b), c->supp_requested);
			CHECK_STR("supplement_received", ts(d.supplement_received, b), c->supp_received);
			CHECK_INT("fee", d.fee, c->fee);
			CHECK_INT("fee_given", d.fee_given, c->flags[0] - '0');
			CHECK_INT("paid_online", d.paid_online, c->flags[1] - '0');
			CHECK_INT("digitized", d.digitized, c->flags[2] - '0');
			CHECK_INT("e_result", d.e_result, c->flags[3] - '0');
			CHECK_INT("reused_data", d.reused_data, c->flags[4] - '0');
			CHECK_INT("personal_store", d.personal_store, c->flags[5] - '0');
			CHECK_INT("population_db", d.population_db, c->flags[6] - '0');
			CHECK_INT("attachments", d.attachments, c->attachments);
		}
		ok(good, "values of %s[%d] (status %d)", c->file, c->elem, c->status);
		tthc_sync_free(&msg);
		free(doc);
	}
}

/* The fields of dossier-13 that only the struct keeps. */
static void
test_dossier_extras(void)
{
	TthcSyncMessage msg;
	TthcSyncDossier d;
	TthcDossierIn in;
	char	   *doc = NULL;
	char		b[16];
	bool		good = load(CORPUS, "dossier-13-two-supplements", &msg, &doc) &&
		tthc_sync_dossier(&msg, 0, &d, err, sizeof(err)) == TTHC_SYNC_OK;

	ok(good && strcmp(ts(d.due_given, b), "20250328170000") == 0 &&
	   strcmp(ts(d.due_latest, b), "20250328170000") == 0 &&
	   strcmp(ts(d.due, b), "20250321170000") == 0,
	   "dossier-13: due is the first NgayHenTraTruoc, NgayHenTra and the latest NgayHenTraMoi are kept");
	tthc_sync_free(&msg);
	free(doc);

	good = load(CORPUS, "dossier-11-paid-on-portal", &msg, &doc) &&
		tthc_sync_dossier(&msg, 0, &d, err, sizeof(err)) == TTHC_SYNC_OK;
	if (good)
		tthc_sync_dossier_in(&d, &in);
	ok(good && in.status == 10 && in.channel == 2 && in.fee_positive &&
	   in.paid_online == 1 && in.finished == d.finished && in.returned == d.returned &&
	   in.synced == TTHC_NO_TIME && in.rating == 0 && !in.e_certified_copy &&
	   tthc_dossier_check(&in).fault == TTHC_DF_OK,
	   "tthc_sync_dossier_in: the classifier's fields");
	ok(good && d.fees == 2 && d.results == 0 &&
	   strcmp(ts(d.processing_ended, b), "20250318090000") == 0 &&
	   strcmp(ts(d.returned_given, b), "20250318100000") == 0 && d.refused == TTHC_NO_TIME,
	   "dossier-11: the message's own dates and counts");
	tthc_sync_free(&msg);
	free(doc);

	good = load(CORPUS, "dossier-01-new-online", &msg, &doc) &&
		tthc_sync_dossier(&msg, 0, &d, err, sizeof(err)) == TTHC_SYNC_OK;
	ok(good && d.submitted == INT64_C(794304312000000),
	   "20250303080512 is local microsecond 794304312000000 since 2000-01-01");
	tthc_sync_free(&msg);
	free(doc);
}

typedef struct StepCase
{
	const char *file;
	int			elem;
	const char *code;
	const char *agency;
	const char *officer;
	int			status;
	const char *at;
	const char *started;
	const char *deadline;
} StepCase;

#define C10 "000.00.17.H26-250313-0010"

static const StepCase step_cases[] = {
	{"progress-01-single", 0, C10, U17, "Lê Văn Cường", 4, "20250313150000",
	 "20250313083000", "20250314170000"},
	{"progress-02-inter-agency", 2, C10, "000.09.20.H26", "Phạm Minh Đức", 4,
	 "20250317090000", "20250314160000", "20250317170000"},
	{"progress-02-inter-agency", 3, C10, U17, "Lê Văn Cường", 9,
	 "20250317100000", "20250317090000", "20250318170000"},
	{"progress-03-no-start-agency-fallback", 0, C10, U17, "Trần Văn Em", 10,
	 "20250317143000", "20250317143000", ""},
	{"progress-04-late-step", 0, "000.00.17.H26-250312-0009", "000.09.20.H26",
	 "Lê Văn Cường", 4, "20250318100000", "20250313080000", "20250317170000"},
	{"progress-05-strings-and-nulls", 0, C10, "", "", 2, "20250313090000",
	 "20250313090000", ""},
	{"progress-06-department-name", 0, C10, "Bộ phận Tiếp nhận và Trả kết quả",
	 "Lê Văn Cường", 4, "20250314090000", "20250313083000", ""},
};

static void
test_step_values(void)
{
	for (size_t k = 0; k < sizeof(step_cases) / sizeof(step_cases[0]); k++)
	{
		const StepCase *c = &step_cases[k];
		TthcSyncMessage msg;
		TthcSyncStep s;
		char	   *doc = NULL;
		bool		good = load(CORPUS, c->file, &msg, &doc);
		char		b[16];

		if (good && tthc_sync_step(&msg, c->elem, &s, err, sizeof(err)) != TTHC_SYNC_OK)
		{
			printf("#   %s\n", err);
			good = false;
		}
		if (good)
		{
			CHECK_STR("dossier_code", s.dossier_code, c->code);
			CHECK_STR("agency", s.agency, c->agency);
			CHECK_STR("officer", s.officer, c->officer);
			CHECK_INT("status", s.status, c->status);
			CHECK_STR("at", ts(s.at, b), c->at);
			CHECK_STR("started", ts(s.started, b), c->started);
			CHECK_STR("deadline", ts(s.deadline, b), c->deadline);
		}
		ok(good, "values of %s[%d]", c->file, c->elem);
		tthc_sync_free(&msg);
		free(doc);
	}
}

/* dossier-30: every status, channel and payment code once at least. */
static void
test_batch_coverage(void)
{
	TthcSyncMessage msg;
	char	   *doc = NULL;
	bool		good = load(CORPUS, "dossier-30-batch-all-statuses", &msg, &doc);
	int			statuses = 0,
				channels = 0,
				payments = 0;
	long long	fee = 0;

	for (int i = 0; good && i < tthc_sync_count(&msg); i++)
	{
		TthcSyncDossier d;

		if (tthc_sync_dossier(&msg, i, &d, err, sizeof(err)) != TTHC_SYNC_OK)
		{
			printf("#   %s\n", err);
			good = false;
			break;
		}
		statuses |= 1 << d.status;
		channels |= 1 << d.channel;
		payments |= 1 << d.paid_online;
		fee += d.fee;
	}
	/* fees 10000 (k + 1) for k = 0, 4, ..., 24: 10000 (1+5+9+13+17+21+25) */
	ok(good && tthc_sync_count(&msg) == 25 && statuses == 0x7FE && channels == 0xE &&
	   payments == 0x7 && fee == 910000,
	   "dossier-30: 25 dossiers, statuses 1-10, channels 1-3, payments 0-2, fees 910000");
	tthc_sync_free(&msg);
	free(doc);
}

/* ---------------------------------------------------------------------
 * Malformed messages
 * ---------------------------------------------------------------------
 */

static void
test_bad(void)
{
	int			n;
	char	  **names = list_dir(BAD, ".json", &n);

	ok(n >= 100, "test/fuzz/bad has %d malformed messages (at least 100)", n);
	for (int i = 0; i < n; i++)
	{
		char		path[512];
		char		expected[1024];
		char	   *doc,
				   *exp;
		size_t		len,
					elen;
		TthcSyncMessage msg;
		TthcSyncError e;
		int			good;
		char		got[1024];

		snprintf(path, sizeof(path), "%s/%s", BAD, names[i]);
		doc = read_file(path, &len);
		snprintf(path + strlen(path) - 5, 16, ".expected");
		exp = read_file(path, &elen);
		if (doc == NULL || exp == NULL)
		{
			ok(false, "bad %s: file and .expected readable", names[i]);
			free(doc);
			free(exp);
			continue;
		}
		while (elen > 0 && (exp[elen - 1] == '\n' || exp[elen - 1] == '\r'))
			exp[--elen] = '\0';
		snprintf(expected, sizeof(expected), "%s", exp);
		e = tthc_sync_parse(doc, len, &msg, err, sizeof(err));
		if (e == TTHC_SYNC_OK)
			e = convert_all(&msg, is_progress(names[i]), &good);
		if (e == TTHC_SYNC_OK)
			snprintf(got, sizeof(got), "accepted");
		else
			snprintf(got, sizeof(got), "%s %s", tthc_sync_error_name(e), err);
		ok(strcmp(got, expected) == 0, "bad %s: %s", names[i], expected);
		if (strcmp(got, expected) != 0)
			printf("#   got      %s\n", got);
		tthc_sync_free(&msg);
		free(doc);
		free(exp);
	}
	free_names(names, n);
}

/* A batch with one bad element converts the others. */
static void
test_batch_isolation(void)
{
	TthcSyncMessage msg;
	char	   *doc = NULL;
	bool		good = load(BAD, "dossier-batch-bad-second", &msg, &doc);
	TthcSyncDossier d0,
				d1,
				d2;
	TthcSyncError e0 = TTHC_SYNC_E_USAGE,
				e1 = TTHC_SYNC_OK,
				e2 = TTHC_SYNC_E_USAGE;
	char		err1[512] = "";

	if (good)
	{
		e0 = tthc_sync_dossier(&msg, 0, &d0, err, sizeof(err));
		e1 = tthc_sync_dossier(&msg, 1, &d1, err1, sizeof(err1));
		e2 = tthc_sync_dossier(&msg, 2, &d2, err, sizeof(err));
	}
	ok(good && tthc_sync_count(&msg) == 3 && e0 == TTHC_SYNC_OK && e2 == TTHC_SYNC_OK &&
	   e1 == TTHC_SYNC_E_CODE && d0.status == 4 && d2.status == 4 &&
	   strcmp(d2.code, "000.00.17.H26-250303-0007") == 0 &&
	   strcmp(err1, "$[1].TrangThaiHoSo: 11 is not a status (1-10)") == 0,
	   "a batch of three with a bad second element: the first and third convert");
	ok(good && tthc_sync_dossier(&msg, 3, &d0, err, sizeof(err)) == TTHC_SYNC_E_USAGE &&
	   strcmp(err, "$: no element 3 (the message has 3)") == 0 &&
	   tthc_sync_dossier(&msg, -1, &d0, err, sizeof(err)) == TTHC_SYNC_E_USAGE,
	   "an index outside the message is the caller's fault");
	tthc_sync_free(&msg);
	tthc_sync_free(&msg);
	ok(tthc_sync_count(&msg) == 0 &&
	   tthc_sync_dossier(&msg, 0, &d0, err, sizeof(err)) == TTHC_SYNC_E_USAGE &&
	   tthc_sync_kind(&msg, 0) == TTHC_SYNC_KIND_UNKNOWN,
	   "a freed message is empty, and freeing it twice is harmless");
	free(doc);
}

/* ---------------------------------------------------------------------
 * Limits
 * ---------------------------------------------------------------------
 */

/* Parse buf and expect category e with message msg. */
static void
expect(const char *buf, size_t len, TthcSyncError e, const char *want, const char *what)
{
	TthcSyncMessage msg;
	TthcSyncError got = tthc_sync_parse(buf, len, &msg, err, sizeof(err));
	int			good;

	if (got == TTHC_SYNC_OK)
		got = convert_all(&msg, false, &good);
	ok(got == e && strcmp(err, want) == 0, "%s: %s %s", what, tthc_sync_error_name(e), want);
	if (got != e || strcmp(err, want) != 0)
		printf("#   got %s %s\n", tthc_sync_error_name(got), got ? err : "");
	tthc_sync_free(&msg);
}

static void
test_limits(void)
{
	size_t		big = (size_t) TTHC_SYNC_MAX_BYTES + 1;
	char	   *buf = malloc(big);
	size_t		len;
	const char *head = "{\"MaHoSo\":\"A\",\"MaTTHC\":\"1.1\",\"DonViXuLy\":\"H26\","
		"\"TrangThaiHoSo\":\"2\",\"NgayTiepNhan\":\"20250303090000\",";

	/* 16 MiB + 1 of spaces: refused before anything is read */
	memset(buf, ' ', big);
	expect(buf, big, TTHC_SYNC_E_TOO_BIG,
		   "$: the document has 16777217 bytes, more than 16777216", "16 MiB + 1 byte");
	/* exactly 16 MiB is read: spaces only, so not JSON (cJSON names the last byte) */
	expect(buf, big - 1, TTHC_SYNC_E_SYNTAX, "$: not valid JSON near byte 16777215",
		   "16 MiB of spaces");

	/* [0,0,...] of 1,000,000 zeros is 1,000,001 values: the last comma is one too many */
	len = 0;
	buf[len++] = '[';
	for (int i = 0; i < 1000000; i++)
	{
		buf[len++] = '0';
		buf[len++] = ',';
	}
	buf[len - 1] = ']';
	expect(buf, len, TTHC_SYNC_E_TOO_BIG, "$: more than 1000000 values at byte 1999998",
		   "an array of 1,000,000 numbers (1,000,001 values)");

	/* 100,001 elements at the top, 100,000 accepted (and converted one by one) */
	len = 0;
	buf[len++] = '[';
	for (int i = 0; i < 100001; i++)
	{
		memcpy(buf + len, "{},", 3);
		len += 3;
	}
	buf[len - 1] = ']';
	expect(buf, len, TTHC_SYNC_E_TOO_BIG, "$: more than 100000 elements",
		   "100,001 dossiers");
	buf[len - 4] = ']';
	expect(buf, len - 3, TTHC_SYNC_E_MISSING, "$[0]: missing MaHoSo", "100,000 dossiers");

	/* 100,001 attachments */
	len = (size_t) snprintf(buf, big, "%s\"TaiLieuNop\":[", head);
	for (int i = 0; i < 100001; i++)
	{
		memcpy(buf + len, "{},", 3);
		len += 3;
	}
	memcpy(buf + len - 1, "]}", 2);
	len++;
	expect(buf, len, TTHC_SYNC_E_TOO_BIG, "$.TaiLieuNop: more than 100000 elements",
		   "100,001 attachments");

	/* 32,768 supplement requests overflow the smallint column */
	len = (size_t) snprintf(buf, big, "%s\"DanhSachHoSoBoSung\":[", head);
	for (int i = 0; i < 32768; i++)
	{
		const char *s = "{\"NgayBoSung\":\"20250304100000\"},";

		memcpy(buf + len, s, strlen(s));
		len += strlen(s);
	}
	memcpy(buf + len - 1, "]}", 2);
	len++;
	expect(buf, len, TTHC_SYNC_E_RANGE,
		   "$.DanhSachHoSoBoSung: more than 32767 supplement requests",
		   "32,768 supplement requests");

	/* 64 levels are fine, 65 are not */
	len = 0;
	for (int i = 0; i < 64; i++)
		buf[len++] = '[';
	for (int i = 0; i < 64; i++)
		buf[len++] = ']';
	expect(buf, len, TTHC_SYNC_E_TYPE, "$[0]: expected an object, got an array",
		   "64 nested arrays parse");
	len = 0;
	for (int i = 0; i < 100000; i++)
		buf[len++] = '{';
	expect(buf, len, TTHC_SYNC_E_TOO_DEEP, "$: nested deeper than 64 levels at byte 64",
		   "100,000 open braces");
	free(buf);

	/* brackets and escapes inside strings do not count */
	{
		const char *s = "[{\"MaHoSo\":\"[[[[\\\"\\\\\",\"x\":\"\\\\u0000\"}]";

		expect(s, strlen(s), TTHC_SYNC_E_MISSING, "$[0]: missing MaTTHC",
			   "brackets, an escaped quote and an escaped \\u0000 inside strings");
	}
}

/* ---------------------------------------------------------------------
 * Truncations and byte flips
 * ---------------------------------------------------------------------
 */

/*
 * Every proper prefix of a corpus message (without its trailing white
 * space), in a buffer of exactly its size, is refused with a message that
 * starts with "$"; converting nothing leaks nothing.
 */
static void
truncations(const char *name)
{
	TthcSyncMessage msg;
	char		path[512];
	size_t		len;
	char	   *doc;
	size_t		bad = 0;

	snprintf(path, sizeof(path), "%s/%s.json", CORPUS, name);
	doc = read_file(path, &len);
	if (doc == NULL)
	{
		ok(false, "truncations of %s: readable", name);
		return;
	}
	while (len > 0 && (doc[len - 1] == '\n' || doc[len - 1] == '\r' || doc[len - 1] == ' '))
		len--;
	for (size_t n = 0; n < len; n++)
	{
		char	   *buf = malloc(n > 0 ? n : 1);
		TthcSyncError e;

		memcpy(buf, doc, n);
		e = tthc_sync_parse(buf, n, &msg, err, sizeof(err));
		if (e == TTHC_SYNC_OK || err[0] != '$')
		{
			if (bad++ == 0)
				printf("# prefix of %zu bytes: %s\n", n, e ? err : "accepted");
		}
		tthc_sync_free(&msg);
		free(buf);
	}
	ok(bad == 0, "truncations of %s: all %zu refused", name, len);
	free(doc);
}

/* xorshift64*: the same flips on every run. */
static uint64_t rng_state = 0x9E3779B97F4A7C15ULL;

static uint64_t
rng(void)
{
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return rng_state * 0x2545F4914F6CDD1DULL;
}

/* The invariants of a converted element. */
static bool
sane_dossier(const TthcSyncDossier *d)
{
	return d->code[0] != '\0' && d->procedure_code[0] != '\0' && d->agency[0] != '\0' &&
		d->status >= 1 && d->status <= 10 && d->channel >= 1 && d->channel <= 3 &&
		d->paid_online >= 0 && d->paid_online <= 2 && d->fee >= 0 &&
		d->supplement_requests >= 0 && (d->fee_given || d->fee == 0) &&
		(d->supplement_requests > 0) == (d->supplement_requested != TTHC_NO_TIME);
}

static bool
sane_step(const TthcSyncStep *s)
{
	return s->dossier_code[0] != '\0' && s->status >= 1 && s->status <= 10 &&
		s->at != TTHC_NO_TIME && s->started != TTHC_NO_TIME && s->started <= s->at &&
		(s->deadline == TTHC_NO_TIME || s->deadline >= s->started);
}

static void
byte_flips(int rounds)
{
	int			n;
	char	  **names = list_dir(CORPUS, ".json", &n);
	int			insane = 0,
				accepted = 0,
				refused = 0;

	for (int r = 0; r < rounds && n > 0; r++)
	{
		char		path[512];
		size_t		len;
		char	   *doc;
		TthcSyncMessage msg;
		int			flips = 1 + (int) (rng() % 4);

		snprintf(path, sizeof(path), "%s/%s", CORPUS, names[r % n]);
		doc = read_file(path, &len);
		if (doc == NULL || len == 0)
		{
			free(doc);
			continue;
		}
		for (int f = 0; f < flips; f++)
		{
			size_t		at = (size_t) (rng() % len);
			static const char interesting[] = "\"{}[],:\\0019 -.eE";

			switch (rng() % 3)
			{
				case 0:
					doc[at] ^= (char) (1 << (rng() % 8));
					break;
				case 1:
					doc[at] = interesting[rng() % (sizeof(interesting) - 1)];
					break;
				default:
					doc[at] = (char) (rng() & 0xFF);
					break;
			}
		}
		if (tthc_sync_parse(doc, len, &msg, err, sizeof(err)) != TTHC_SYNC_OK)
		{
			refused++;
			if (err[0] != '$')
				insane++;
		}
		else
		{
			accepted++;
			for (int i = 0; i < tthc_sync_count(&msg); i++)
			{
				TthcSyncDossier d;
				TthcSyncStep s;

				if (tthc_sync_dossier(&msg, i, &d, err, sizeof(err)) == TTHC_SYNC_OK ?
					!sane_dossier(&d) : err[0] != '$')
					insane++;
				if (tthc_sync_step(&msg, i, &s, err, sizeof(err)) == TTHC_SYNC_OK ?
					!sane_step(&s) : err[0] != '$')
					insane++;
			}
		}
		tthc_sync_free(&msg);
		free(doc);
	}
	ok(insane == 0, "%d random byte flips: %d parsed, %d refused, no crash, every result sane",
	   rounds, accepted, refused);
	free_names(names, n);
}

/* ---------------------------------------------------------------------
 * Small parts
 * ---------------------------------------------------------------------
 */

static void
test_times(void)
{
	int64_t		t;
	char		b[16];
	bool		round = true;

	ok(tthc_sync_parse_time("19000101000000", 14, &t) &&
	   t == -INT64_C(3155673600000000) &&
	   tthc_sync_parse_time("21991231235959", 14, &t) && t == INT64_C(6311433599000000),
	   "the first and last instants: 1900-01-01 and 2199-12-31 23:59:59");
	ok(!tthc_sync_parse_time("20250303090000", 13, &t) &&
	   !tthc_sync_parse_time(NULL, 14, &t) &&
	   !tthc_sync_parse_time("20240230000000", 14, &t) &&
	   tthc_sync_parse_time("20240229000000", 14, &t),
	   "tthc_sync_parse_time: length, NULL, 30 Feb refused, 29 Feb 2024 taken");
	for (int i = 0; i < 2000; i++)
	{
		int64_t		u = (int64_t) (rng() % (uint64_t) (INT64_C(6311433599000000) +
													 INT64_C(3155673600000000)))
			- INT64_C(3155673600000000);
		int64_t		back;

		u -= u % TTHC_USECS_PER_SEC;
		if (u < -INT64_C(3155673600000000))
			u += TTHC_USECS_PER_SEC;
		tthc_sync_format_time(u, b);
		if (!tthc_sync_parse_time(b, strlen(b), &back) || back != u)
		{
			if (round)
				printf("# %lld -> %s -> %lld\n", (long long) u, b, (long long) back);
			round = false;
		}
	}
	ok(round, "2000 random instants of 1900-2199 format and parse back");
	tthc_sync_format_time(TTHC_NO_TIME, b);
	ok(b[0] == '\0', "no time formats as \"\"");
}

static void
test_errors(void)
{
	TthcSyncMessage msg;

	ok(strcmp(tthc_sync_error_name(TTHC_SYNC_E_DATE), "date") == 0 &&
	   strcmp(tthc_sync_error_sqlstate(TTHC_SYNC_E_DATE), "22007") == 0 &&
	   strcmp(tthc_sync_error_sqlstate(TTHC_SYNC_E_SYNTAX), "22032") == 0 &&
	   strcmp(tthc_sync_error_sqlstate(TTHC_SYNC_E_TOO_BIG), "54000") == 0 &&
	   strcmp(tthc_sync_error_name((TthcSyncError) 99), "unknown") == 0,
	   "category names and SQLSTATEs");
	ok(tthc_sync_parse(NULL, 0, &msg, err, sizeof(err)) == TTHC_SYNC_E_USAGE &&
	   strcmp(err, "$: no document") == 0 &&
	   tthc_sync_parse("{}", 2, &msg, NULL, 0) == TTHC_SYNC_E_USAGE &&
	   tthc_sync_parse("{}", 2, &msg, err, 0) == TTHC_SYNC_E_USAGE,
	   "no document, no room for the message: usage errors");
	ok(tthc_sync_parse("{\"MaHoSo\":\"A\"}", 14, &msg, err, 8) == TTHC_SYNC_OK &&
	   tthc_sync_dossier(&msg, 0, &(TthcSyncDossier) {0}, err, 8) == TTHC_SYNC_E_MISSING &&
	   strcmp(err, "$: miss") == 0,
	   "a short error buffer gets the message cut, NUL-terminated");
	tthc_sync_free(&msg);
}

int
main(void)
{
	test_corpus();
	test_dossier_values();
	test_dossier_extras();
	test_step_values();
	test_batch_coverage();
	test_bad();
	test_batch_isolation();
	test_limits();
	truncations("dossier-10-returned-e-result");
	truncations("dossier-20-batch-of-three");
	truncations("dossier-13-two-supplements");
	truncations("progress-02-inter-agency");
	truncations("dossier-29-bom-crlf");
	byte_flips(5000);
	test_times();
	test_errors();
	return tap_done();
}
