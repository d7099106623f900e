/*
 * fuzz_sync.c
 *		libFuzzer target of the DVCQG sync payload parser (src/core/sync.c).
 *
 * Each input is parsed as a message; every element is then converted both
 * as a dossier and as a progress step, so that both paths see every shape.
 * Beyond what AddressSanitizer and UBSan catch (overruns, leaks, undefined
 * behaviour), the target aborts when a result breaks the parser's
 * promises: an error without a category or a message starting with "$",
 * a message that is not valid UTF-8 (the glue hands it to ereport), or a
 * converted element with a value outside its column's range.
 *
 * Built and run by test/fuzz/run.sh; see docs/sync.md.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/sync.h"

/* The same check as the parser's: is s valid UTF-8 throughout? */
static int
valid_utf8(const char *s)
{
	const unsigned char *p = (const unsigned char *) s;

	while (*p)
	{
		int			len;
		unsigned char lo = 0x80,
					hi = 0xBF;

		if (*p < 0x80)
		{
			p++;
			continue;
		}
		if (*p >= 0xC2 && *p <= 0xDF)
			len = 2;
		else if (*p >= 0xE0 && *p <= 0xEF)
		{
			len = 3;
			lo = *p == 0xE0 ? 0xA0 : 0x80;
			hi = *p == 0xED ? 0x9F : 0xBF;
		}
		else if (*p >= 0xF0 && *p <= 0xF4)
		{
			len = 4;
			lo = *p == 0xF0 ? 0x90 : 0x80;
			hi = *p == 0xF4 ? 0x8F : 0xBF;
		}
		else
			return 0;
		if (p[1] < lo || p[1] > hi)
			return 0;
		for (int i = 2; i < len; i++)
			if (p[i] < 0x80 || p[i] > 0xBF)
				return 0;
		p += len;
	}
	return 1;
}

static void
broken(const char *what, const char *detail)
{
	fprintf(stderr, "fuzz_sync: %s: %s\n", what, detail);
	abort();
}

/* An error's promises. */
static void
check_error(TthcSyncError e, const char *err)
{
	if (e <= TTHC_SYNC_OK || e >= TTHC_SYNC_NERRORS || e == TTHC_SYNC_E_USAGE)
		broken("bad category", err);
	if (err[0] != '$')
		broken("message without a path", err);
	if (!valid_utf8(err))
		broken("message not UTF-8", err);
}

static int
in_range(int64_t t)
{
	/* 1900-01-01 00:00 to 2199-12-31 23:59:59, local microseconds */
	return t == TTHC_NO_TIME ||
		(t >= -INT64_C(3155673600000000) && t <= INT64_C(6311433599000000));
}

static void
check_dossier(const TthcSyncDossier *d)
{
	TthcDossierIn in;

	if (d->code[0] == '\0' || d->procedure_code[0] == '\0' || d->agency[0] == '\0' ||
		strlen(d->code) > TTHC_SYNC_CODE_LEN || !valid_utf8(d->code) ||
		!valid_utf8(d->agency))
		broken("dossier text", d->code);
	if (d->status < 1 || d->status > 10 || d->channel < 1 || d->channel > 3 ||
		d->paid_online < 0 || d->paid_online > 2 || d->fee < 0 ||
		d->supplement_requests < 0 || d->supplement_requests > 32767 ||
		(!d->fee_given && d->fee != 0))
		broken("dossier value out of range", d->code);
	if (!in_range(d->submitted) || !in_range(d->received) || !in_range(d->due) ||
		!in_range(d->finished) || !in_range(d->returned) || !in_range(d->ended) ||
		!in_range(d->supplement_requested) || !in_range(d->supplement_received))
		broken("dossier time out of range", d->code);
	tthc_sync_dossier_in(d, &in);
	if (tthc_dossier_check(&in).fault != TTHC_DF_OK)
		broken("converted dossier fails tthc_dossier_check", d->code);
}

static void
check_step(const TthcSyncStep *s)
{
	if (s->dossier_code[0] == '\0' || !valid_utf8(s->agency) || !valid_utf8(s->officer))
		broken("step text", s->dossier_code);
	if (s->status < 1 || s->status > 10 || s->at == TTHC_NO_TIME ||
		s->started == TTHC_NO_TIME || s->started > s->at ||
		(s->deadline != TTHC_NO_TIME && s->deadline < s->started) ||
		!in_range(s->at) || !in_range(s->started) || !in_range(s->deadline))
		broken("step value out of range", s->dossier_code);
}

int			LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	TthcSyncMessage msg;
	TthcSyncError e;
	char		err[512];

	e = tthc_sync_parse((const char *) data, size, &msg, err, sizeof(err));
	if (e != TTHC_SYNC_OK)
	{
		check_error(e, err);
		if (tthc_sync_count(&msg) != 0)
			broken("refused message has elements", err);
		return 0;
	}
	for (int i = 0; i < tthc_sync_count(&msg); i++)
	{
		TthcSyncDossier d;
		TthcSyncStep s;

		(void) tthc_sync_kind(&msg, i);
		e = tthc_sync_dossier(&msg, i, &d, err, sizeof(err));
		if (e != TTHC_SYNC_OK)
			check_error(e, err);
		else
			check_dossier(&d);
		e = tthc_sync_step(&msg, i, &s, err, sizeof(err));
		if (e != TTHC_SYNC_OK)
			check_error(e, err);
		else
			check_step(&s);
	}
	tthc_sync_free(&msg);
	return 0;
}
