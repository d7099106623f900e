/*
 * sync.c
 *		Parse the DVCQG sync payloads (DongBoHoSoMC, CapNhatTienDoHoSoMC)
 *		into dossier rows and steps.
 *
 * A document is checked in three passes.  First a lexical scan over the
 * bytes, before cJSON allocates anything, bounds what parsing can cost:
 * the nesting depth and the number of values (so the cJSON tree is at
 * most about 100 bytes a value), and refuses the \u0000 escape, which
 * cJSON would turn into a NUL that silently cuts a string short.  Then
 * cJSON parses the document and the tree is kept in the message.  Last,
 * each element is converted on demand, member by member, into a flat
 * struct; the first fault stops the element with a message that starts
 * with the JSONPath of the member at fault.  Unknown members are ignored
 * (the portal adds fields), but a member we read may not appear twice.
 *
 * The portal's senders write most scalars as strings ("TrangThaiHoSo":
 * "4", "Gia": "50000", "DuocSoHoa": "1"), and "" or null for "not given";
 * both are accepted wherever docs/sync.md says so.
 *
 * Messages quote what the document said, escaped and cut at 48 bytes, and
 * are always valid UTF-8 (bytes that are not are written \xNN), since the
 * glue passes them to ereport.
 */
#include "sync.h"

#include <cjson/cJSON.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "calendar.h"
#include "step.h"

#define HAS(t) ((t) != TTHC_NO_TIME)

/*
 * Room for a path: an element's is at most "$[99999]", a list entry's
 * "$[99999].DanhSachGiayToKetQua[99999]", a member relative to the
 * element at most "DanhSachHoSoBoSung[32767].NgayTiepNhanBoSung".
 */
#define PATH_LEN 160
#define ELEM_PATH_LEN 16		/* "$[2147483647]" */

/* Bytes of a string quoted in a message. */
#define SHOW_BYTES 48

/* Integers a double holds exactly: a fee given as a JSON number. */
#define MAX_EXACT 9007199254740992.0	/* 2^53 */

/* smallint: tthc.dossier.supplement_requests */
#define MAX_SUPPLEMENTS 32767

static const char *const error_names[TTHC_SYNC_NERRORS] = {
	"ok", "syntax", "too_big", "too_deep", "missing", "type", "duplicate",
	"code", "date", "range", "text", "rule", "usage"
};

/*
 * PostgreSQL's codes: invalid_json_text, program_limit_exceeded,
 * statement_too_complex, not_null_violation,
 * sql_json_item_cannot_be_cast_to_target_type,
 * non_unique_keys_in_a_json_object, invalid_parameter_value,
 * invalid_datetime_format, numeric_value_out_of_range,
 * invalid_text_representation, check_violation, internal_error.
 */
static const char *const error_sqlstates[TTHC_SYNC_NERRORS] = {
	"00000", "22032", "54000", "54001", "23502", "2203G", "22037",
	"22023", "22007", "22003", "22P02", "23514", "XX000"
};

/* A category's short name (error_names). */
const char *
tthc_sync_error_name(TthcSyncError e)
{
	return (int) e >= 0 && (int) e < TTHC_SYNC_NERRORS ? error_names[e] : "unknown";
}

/* The SQLSTATE we suggest for a category (error_sqlstates). */
const char *
tthc_sync_error_sqlstate(TthcSyncError e)
{
	return (int) e >= 0 && (int) e < TTHC_SYNC_NERRORS ? error_sqlstates[e] : "XX000";
}

/* Where the message goes. */
typedef struct Conv
{
	char	   *err;
	int			errsize;
} Conv;

/*
 * Write "path[.member]: message" and return the category, so that checks
 * read "return fail(...)".
 */
static TthcSyncError fail(Conv *c, TthcSyncError e, const char *path,
						  const char *member, const char *fmt,...)
			__attribute__((format(printf, 5, 6)));

static TthcSyncError
fail(Conv *c, TthcSyncError e, const char *path, const char *member,
	 const char *fmt,...)
{
	char		msg[384];
	va_list		ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	snprintf(c->err, (size_t) c->errsize, "%s%s%s: %s", path,
			 member ? "." : "", member ? member : "", msg);
	return e;
}

/*
 * The length of the valid UTF-8 sequence at s (at most n bytes), or 0 when
 * there is none: no overlong forms, no surrogates, nothing past U+10FFFF,
 * as PostgreSQL's UTF-8 check.
 */
static size_t
utf8_seq(const unsigned char *s, size_t n)
{
	unsigned char c = s[0];
	unsigned char lo = 0x80,
				hi = 0xBF;
	size_t		len;

	if (c < 0x80)
		return 1;
	if (c >= 0xC2 && c <= 0xDF)
		len = 2;
	else if (c >= 0xE0 && c <= 0xEF)
	{
		len = 3;
		if (c == 0xE0)
			lo = 0xA0;
		else if (c == 0xED)
			hi = 0x9F;
	}
	else if (c >= 0xF0 && c <= 0xF4)
	{
		len = 4;
		if (c == 0xF0)
			lo = 0x90;
		else if (c == 0xF4)
			hi = 0x8F;
	}
	else
		return 0;
	if (n < len || s[1] < lo || s[1] > hi)
		return 0;
	for (size_t i = 2; i < len; i++)
		if (s[i] < 0x80 || s[i] > 0xBF)
			return 0;
	return len;
}

/*
 * s quoted for a message: escaped like JSON, bytes that are not UTF-8 as
 * \xNN, cut after SHOW_BYTES bytes of s with "...".
 */
static const char *
show_string(const char *s, char *buf, size_t size)
{
	const unsigned char *p = (const unsigned char *) s;
	size_t		n = strlen(s);
	size_t		i = 0;
	size_t		o = 0;

	buf[o++] = '"';
	while (i < n && o + 12 < size)
	{
		size_t		k = utf8_seq(p + i, n - i);

		if (i >= SHOW_BYTES)
		{
			memcpy(buf + o, "...", 3);
			o += 3;
			break;
		}
		if (k == 0)
			o += (size_t) snprintf(buf + o, size - o, "\\x%02X", p[i++]);
		else if (p[i] == '"' || p[i] == '\\')
		{
			buf[o++] = '\\';
			buf[o++] = (char) p[i++];
		}
		else if (p[i] < 0x20 || p[i] == 0x7F)
			o += (size_t) snprintf(buf + o, size - o, "\\u%04X", p[i++]);
		else
		{
			memcpy(buf + o, p + i, k);
			o += k;
			i += k;
		}
	}
	buf[o++] = '"';
	buf[o] = '\0';
	return buf;
}

/* A JSON value's type, for "expected ..., got %s". */
static const char *
type_name(const cJSON *v)
{
	if (cJSON_IsNull(v))
		return "null";
	if (cJSON_IsBool(v))
		return v->type & cJSON_True ? "true" : "false";
	if (cJSON_IsNumber(v))
		return "a number";
	if (cJSON_IsString(v))
		return "a string";
	if (cJSON_IsArray(v))
		return "an array";
	if (cJSON_IsObject(v))
		return "an object";
	return "an invalid value";
}

/* A number for a message: integers in full, others in %.15g. */
static const char *
show_number(double v, char *buf, size_t size)
{
	if (isfinite(v) && v == floor(v) && fabs(v) < 1e18)
		snprintf(buf, size, "%.0f", v == 0 ? 0.0 : v);
	else
		snprintf(buf, size, "%.15g", v);
	return buf;
}

/* A scalar as the document gave it: "11" for a string, 11 for a number. */
static const char *
show_value(const cJSON *v, char *buf, size_t size)
{
	if (cJSON_IsString(v) && v->valuestring != NULL)
		return show_string(v->valuestring, buf, size);
	if (cJSON_IsNumber(v))
		return show_number(v->valuedouble, buf, size);
	snprintf(buf, size, "%s", type_name(v));
	return buf;
}

/* Not given: absent, null, or "". */
static bool
absent(const cJSON *v)
{
	return v == NULL || cJSON_IsNull(v) ||
		(cJSON_IsString(v) && (v->valuestring == NULL || v->valuestring[0] == '\0'));
}

/*
 * The member name of obj, or NULL; a member given twice is an error
 * (cJSON keeps both, and a lookup would see only the first).
 */
static TthcSyncError
member(Conv *c, const cJSON *obj, const char *path, const char *name,
	   const cJSON **out)
{
	*out = NULL;
	for (const cJSON *m = obj->child; m != NULL; m = m->next)
		if (m->string != NULL && strcmp(m->string, name) == 0)
		{
			if (*out != NULL)
				return fail(c, TTHC_SYNC_E_DUPLICATE, path, name, "appears twice");
			*out = m;
		}
	return TTHC_SYNC_OK;
}

/* Is the member there (given or not)?  For tthc_sync_kind only. */
static bool
has_member(const cJSON *obj, const char *name)
{
	return cJSON_GetObjectItemCaseSensitive(obj, name) != NULL;
}

/* ---------------------------------------------------------------------
 * Dates
 * ---------------------------------------------------------------------
 */

/* Days of month m of Gregorian year y. */
static int
days_in_month(int y, int m)
{
	static const int dm[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	bool		leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;

	return m == 2 && leap ? 29 : dm[m - 1];
}

/*
 * Parse s[0..len) as yyyyMMddHHmmss.  NULL and *t set when it is a real
 * civil time; else why not, written into why ("" when it is not even the
 * shape).
 */
static const char *
parse_time(const char *s, size_t len, int64_t *t, char *why, size_t whysize)
{
	int			f[14];
	int			y,
				mo,
				d,
				h,
				mi,
				se;

	why[0] = '\0';
	if (len != 14)
		return why;
	for (int i = 0; i < 14; i++)
	{
		if (s[i] < '0' || s[i] > '9')
			return why;
		f[i] = s[i] - '0';
	}
	y = f[0] * 1000 + f[1] * 100 + f[2] * 10 + f[3];
	mo = f[4] * 10 + f[5];
	d = f[6] * 10 + f[7];
	h = f[8] * 10 + f[9];
	mi = f[10] * 10 + f[11];
	se = f[12] * 10 + f[13];
	if (y < TTHC_SYNC_MIN_YEAR || y > TTHC_SYNC_MAX_YEAR)
		snprintf(why, whysize, ": year %d is outside %d-%d", y,
				 TTHC_SYNC_MIN_YEAR, TTHC_SYNC_MAX_YEAR);
	else if (mo < 1 || mo > 12)
		snprintf(why, whysize, ": month %d", mo);
	else if (d < 1 || d > days_in_month(y, mo))
		snprintf(why, whysize, ": no day %d in %04d-%02d", d, y, mo);
	else if (h > 23)
		snprintf(why, whysize, ": hour %d", h);
	else if (mi > 59)
		snprintf(why, whysize, ": minute %d", mi);
	else if (se > 59)
		snprintf(why, whysize, ": second %d", se);
	else
	{
		*t = (int64_t) tthc_day_from_civil(y, mo, d) * TTHC_USECS_PER_DAY +
			((int64_t) (h * 60 + mi) * 60 + se) * TTHC_USECS_PER_SEC;
		return NULL;
	}
	return why;
}

/* parse_time, for callers that need no reason. */
bool
tthc_sync_parse_time(const char *s, size_t len, int64_t *t)
{
	char		why[64];

	return s != NULL && parse_time(s, len, t, why, sizeof(why)) == NULL;
}

/* The last n decimal digits of v (v >= 0), zero-padded, into buf. */
static void
put_digits(char *buf, int v, int n)
{
	for (int i = n - 1; i >= 0; i--)
	{
		buf[i] = (char) ('0' + v % 10);
		v /= 10;
	}
}

/* yyyyMMddHHmmss of a local instant, "" for TTHC_NO_TIME. */
void
tthc_sync_format_time(int64_t t, char *buf)
{
	int64_t		day,
				rest;
	int			y,
				mo,
				d;

	if (!HAS(t))
	{
		buf[0] = '\0';
		return;
	}
	day = t / TTHC_USECS_PER_DAY;
	rest = t % TTHC_USECS_PER_DAY;
	if (rest < 0)
	{
		day--;
		rest += TTHC_USECS_PER_DAY;
	}
	tthc_civil_from_day((int32_t) day, &y, &mo, &d);
	rest /= TTHC_USECS_PER_SEC;
	put_digits(buf, y, 4);
	put_digits(buf + 4, mo, 2);
	put_digits(buf + 6, d, 2);
	put_digits(buf + 8, (int) (rest / 3600), 2);
	put_digits(buf + 10, (int) (rest / 60 % 60), 2);
	put_digits(buf + 12, (int) (rest % 60), 2);
	buf[14] = '\0';
}

/* A date member: absent, null or "" is TTHC_NO_TIME (or missing). */
static TthcSyncError
get_date(Conv *c, const cJSON *obj, const char *path, const char *name,
		 bool required, int64_t *t)
{
	const cJSON *v;
	TthcSyncError e;
	char		why[64];
	char		buf[256];

	*t = TTHC_NO_TIME;
	if ((e = member(c, obj, path, name, &v)) != TTHC_SYNC_OK)
		return e;
	if (absent(v))
		return required ? fail(c, TTHC_SYNC_E_MISSING, path, NULL, "missing %s", name) :
			TTHC_SYNC_OK;
	if (!cJSON_IsString(v))
		return fail(c, TTHC_SYNC_E_TYPE, path, name,
					"expected a date string (yyyyMMddHHmmss), got %s", type_name(v));
	if (parse_time(v->valuestring, strlen(v->valuestring), t, why, sizeof(why)) != NULL)
		return fail(c, TTHC_SYNC_E_DATE, path, name,
					"%s is not a date (yyyyMMddHHmmss)%s",
					show_string(v->valuestring, buf, sizeof(buf)), why);
	return TTHC_SYNC_OK;
}

/* ---------------------------------------------------------------------
 * Codes, flags, texts, fees
 * ---------------------------------------------------------------------
 */

/*
 * A code: a JSON number that is a whole number, or a string of 1-9
 * digits, within [min, max].  Absent: dflt, or missing when required.
 * what completes "... is not %s".
 */
static TthcSyncError
get_code(Conv *c, const cJSON *obj, const char *path, const char *name,
		 bool required, int min, int max, int dflt, const char *what, int *out)
{
	const cJSON *v;
	TthcSyncError e;
	char		buf[256];
	long		n = -1;

	*out = dflt;
	if ((e = member(c, obj, path, name, &v)) != TTHC_SYNC_OK)
		return e;
	if (absent(v))
		return required ? fail(c, TTHC_SYNC_E_MISSING, path, NULL, "missing %s", name) :
			TTHC_SYNC_OK;
	if (cJSON_IsNumber(v))
	{
		double		d = v->valuedouble;

		if (isfinite(d) && d == floor(d) && d >= min && d <= max)
			n = (long) d;
	}
	else if (cJSON_IsString(v))
	{
		const char *s = v->valuestring;
		size_t		len = strlen(s);

		if (len <= 9 && strspn(s, "0123456789") == len)
			n = strtol(s, NULL, 10);
	}
	else
		return fail(c, TTHC_SYNC_E_TYPE, path, name,
					"expected a number or a string, got %s", type_name(v));
	if (n < min || n > max)
		return fail(c, TTHC_SYNC_E_CODE, path, name, "%s is not %s",
					show_value(v, buf, sizeof(buf)), what);
	*out = (int) n;
	return TTHC_SYNC_OK;
}

/*
 * A flag: true/false, 0/1, "0"/"1", "true"/"false" (any case); max 2 also
 * takes 2 and "2" (DuocTaiSuDung: reused, with a replacement result).
 * Absent, null or "": 0.
 */
static TthcSyncError
get_flag(Conv *c, const cJSON *obj, const char *path, const char *name,
		 int max, int *out)
{
	const cJSON *v;
	TthcSyncError e;
	char		buf[256];
	int			n = -1;
	const char *what = max == 2 ? "a flag (0, 1, 2, true, false)" :
		"a flag (0, 1, true, false)";

	*out = 0;
	if ((e = member(c, obj, path, name, &v)) != TTHC_SYNC_OK)
		return e;
	if (absent(v))
		return TTHC_SYNC_OK;
	if (cJSON_IsBool(v))
		n = cJSON_IsTrue(v) ? 1 : 0;
	else if (cJSON_IsNumber(v))
	{
		if (v->valuedouble == 0 || v->valuedouble == 1 ||
			(max == 2 && v->valuedouble == 2))
			n = (int) v->valuedouble;
	}
	else if (cJSON_IsString(v))
	{
		const char *s = v->valuestring;

		if (strcmp(s, "0") == 0 || strcasecmp(s, "false") == 0)
			n = 0;
		else if (strcmp(s, "1") == 0 || strcasecmp(s, "true") == 0)
			n = 1;
		else if (max == 2 && strcmp(s, "2") == 0)
			n = 2;
	}
	else
		return fail(c, TTHC_SYNC_E_TYPE, path, name, "expected %s, got %s",
					what, type_name(v));
	if (n < 0)
		return fail(c, TTHC_SYNC_E_CODE, path, name, "%s is not %s",
					show_value(v, buf, sizeof(buf)), what);
	*out = n;
	return TTHC_SYNC_OK;
}

typedef enum TextKind
{
	TEXT_CODE,					/* MaHoSo: no space, no control character */
	TEXT_ID,					/* MaTTHC: [A-Za-z0-9][A-Za-z0-9._-]* */
	TEXT_NAME					/* a name: no control character, not blank */
} TextKind;

/*
 * A text member copied into buf (size bytes, so at most size - 1 of
 * text).  Absent, null, "" (or blank, for a name): buf is "", or missing
 * when required.
 */
static TthcSyncError
get_text(Conv *c, const cJSON *obj, const char *path, const char *name,
		 bool required, TextKind kind, char *buf, size_t size)
{
	const cJSON *v;
	TthcSyncError e;
	const unsigned char *s;
	size_t		len;
	char		show[256];

	buf[0] = '\0';
	if ((e = member(c, obj, path, name, &v)) != TTHC_SYNC_OK)
		return e;
	if (!absent(v) && !cJSON_IsString(v))
		return fail(c, TTHC_SYNC_E_TYPE, path, name, "expected a string, got %s",
					type_name(v));
	if (!absent(v) && kind == TEXT_NAME &&
		strspn(v->valuestring, " \t\r\n") == strlen(v->valuestring))
		v = NULL;				/* blank */
	if (absent(v))
		return required ? fail(c, TTHC_SYNC_E_MISSING, path, NULL, "missing %s", name) :
			TTHC_SYNC_OK;
	s = (const unsigned char *) v->valuestring;
	len = strlen(v->valuestring);
	if (len >= size)
		return fail(c, TTHC_SYNC_E_TEXT, path, name, "%s is longer than %d bytes",
					show_string(v->valuestring, show, sizeof(show)), (int) size - 1);
	for (size_t i = 0; i < len;)
	{
		size_t		k = utf8_seq(s + i, len - i);

		if (k == 0)
			return fail(c, TTHC_SYNC_E_TEXT, path, name, "%s is not valid UTF-8",
						show_string(v->valuestring, show, sizeof(show)));
		if (s[i] < 0x20 || s[i] == 0x7F || (kind == TEXT_CODE && s[i] == ' '))
			return fail(c, TTHC_SYNC_E_TEXT, path, name,
						"%s contains a %s", show_string(v->valuestring, show, sizeof(show)),
						kind == TEXT_CODE ? "space or a control character" :
						"control character");
		if (kind == TEXT_ID &&
			!((s[i] >= 'A' && s[i] <= 'Z') || (s[i] >= 'a' && s[i] <= 'z') ||
			  (s[i] >= '0' && s[i] <= '9') ||
			  (i > 0 && (s[i] == '.' || s[i] == '_' || s[i] == '-'))))
			return fail(c, TTHC_SYNC_E_TEXT, path, name,
						"%s is not a procedure code (a letter or digit, then letters, digits, '.', '_' or '-')",
						show_string(v->valuestring, show, sizeof(show)));
		i += k;
	}
	memcpy(buf, v->valuestring, len + 1);
	return TTHC_SYNC_OK;
}

/*
 * A fee (Gia) in whole dong: a JSON number that is a whole number, 0 to
 * 2^53, or a string of 1-18 digits.  "50.000" is refused rather than read
 * as 50 or 50000: in Vietnamese writing the dot groups thousands.
 */
static TthcSyncError
get_fee(Conv *c, const cJSON *obj, const char *path, int64_t *out)
{
	const cJSON *v;
	TthcSyncError e;
	char		buf[256];

	*out = 0;
	if ((e = member(c, obj, path, "Gia", &v)) != TTHC_SYNC_OK)
		return e;
	if (absent(v))
		return fail(c, TTHC_SYNC_E_MISSING, path, NULL, "missing Gia");
	if (cJSON_IsNumber(v))
	{
		double		d = v->valuedouble;

		show_number(d, buf, sizeof(buf));
		if (!isfinite(d) || d != floor(d))
			return fail(c, TTHC_SYNC_E_RANGE, path, "Gia",
						"%s is not a whole number of dong", buf);
		if (d < 0)
			return fail(c, TTHC_SYNC_E_RANGE, path, "Gia", "%s is negative", buf);
		if (d > MAX_EXACT)
			return fail(c, TTHC_SYNC_E_RANGE, path, "Gia",
						"%s is too large for a JSON number (at most %.0f; send it as a string)",
						buf, MAX_EXACT);
		*out = (int64_t) d;
		return TTHC_SYNC_OK;
	}
	if (cJSON_IsString(v))
	{
		const char *s = v->valuestring;
		size_t		len = strlen(s);

		show_string(s, buf, sizeof(buf));
		if (s[0] == '-' && len > 1 && strspn(s + 1, "0123456789") == len - 1)
			return fail(c, TTHC_SYNC_E_RANGE, path, "Gia", "%s is negative", buf);
		if (strspn(s, "0123456789") != len)
			return fail(c, TTHC_SYNC_E_RANGE, path, "Gia",
						"%s is not a whole number of dong (digits only)", buf);
		while (len > 1 && s[0] == '0')
		{
			s++;
			len--;
		}
		if (len > 18)
			return fail(c, TTHC_SYNC_E_RANGE, path, "Gia",
						"%s is too large (at most 18 digits)", buf);
		*out = (int64_t) strtoll(s, NULL, 10);
		return TTHC_SYNC_OK;
	}
	return fail(c, TTHC_SYNC_E_TYPE, path, "Gia",
				"expected a number or a string, got %s", type_name(v));
}

/*
 * A list member: absent, null or "" is none (*arr NULL).  Its elements
 * are checked to be objects by list_item.
 */
static TthcSyncError
get_list(Conv *c, const cJSON *obj, const char *path, const char *name,
		 const cJSON **arr)
{
	const cJSON *v;
	TthcSyncError e;
	int			n = 0;

	*arr = NULL;
	if ((e = member(c, obj, path, name, &v)) != TTHC_SYNC_OK)
		return e;
	if (absent(v))
		return TTHC_SYNC_OK;
	if (!cJSON_IsArray(v))
		return fail(c, TTHC_SYNC_E_TYPE, path, name, "expected an array, got %s",
					type_name(v));
	for (const cJSON *x = v->child; x != NULL; x = x->next)
		if (++n > TTHC_SYNC_MAX_ELEMENTS)
			return fail(c, TTHC_SYNC_E_TOO_BIG, path, name, "more than %d elements",
						TTHC_SYNC_MAX_ELEMENTS);
	*arr = v;
	return TTHC_SYNC_OK;
}

/* Element k of a list: its path, and that it is an object. */
static TthcSyncError
list_item(Conv *c, const cJSON *x, const char *path, const char *name, int k,
		  char *xpath, size_t size)
{
	snprintf(xpath, size, "%s.%s[%d]", path, name, k);
	if (!cJSON_IsObject(x))
		return fail(c, TTHC_SYNC_E_TYPE, xpath, NULL, "expected an object, got %s",
					type_name(x));
	return TTHC_SYNC_OK;
}

/* ---------------------------------------------------------------------
 * The document
 * ---------------------------------------------------------------------
 */

/* JSON's white space. */
static bool
is_space(unsigned char ch)
{
	return ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r';
}

/*
 * The lexical scan before cJSON: nesting depth, the number of values (the
 * root, array elements and object members: what cJSON allocates a node
 * for), and no \u0000.  It follows strings and brackets only, so on text
 * that is not JSON it counts something close, and cJSON finds the fault.
 */
static TthcSyncError
prescan(Conv *c, const char *json, size_t len)
{
	bool		pending[TTHC_SYNC_MAX_DEPTH + 1];	/* container not started */
	int			depth = 0;
	long		values = 1;
	bool		in_string = false;

	pending[0] = false;
	for (size_t i = 0; i < len; i++)
	{
		unsigned char ch = (unsigned char) json[i];

		if (in_string)
		{
			if (ch == '\\')
			{
				if (len - i > 5 && json[i + 1] == 'u' && memcmp(json + i + 2, "0000", 4) == 0)
					return fail(c, TTHC_SYNC_E_SYNTAX, "$", NULL,
								"\\u0000 at byte %zu: a NUL is not allowed in a string", i);
				i++;
			}
			else if (ch == '"')
				in_string = false;
			continue;
		}
		if (is_space(ch))
			continue;
		if (depth > 0 && pending[depth] && ch != ']' && ch != '}')
		{
			pending[depth] = false;
			values++;
		}
		switch (ch)
		{
			case '"':
				in_string = true;
				break;
			case '[':
			case '{':
				if (depth == TTHC_SYNC_MAX_DEPTH)
					return fail(c, TTHC_SYNC_E_TOO_DEEP, "$", NULL,
								"nested deeper than %d levels at byte %zu",
								TTHC_SYNC_MAX_DEPTH, i);
				pending[++depth] = true;
				break;
			case ']':
			case '}':
				if (depth > 0)
					depth--;
				break;
			case ',':
				if (depth > 0)
					values++;
				break;
		}
		if (values > TTHC_SYNC_MAX_VALUES)
			return fail(c, TTHC_SYNC_E_TOO_BIG, "$", NULL,
						"more than %d values at byte %zu", TTHC_SYNC_MAX_VALUES, i);
	}
	return TTHC_SYNC_OK;
}

/*
 * Size, then the lexical scan, then cJSON, then the shape of the top
 * level; the elements are left to the conversions.  On error nothing is
 * kept.
 */
TthcSyncError
tthc_sync_parse(const char *json, size_t len, TthcSyncMessage *msg,
				char *err, int errsize)
{
	Conv		conv;
	Conv	   *c = &conv;
	cJSON	   *root;
	const char *end = NULL;
	TthcSyncError e;
	int			n = 0;

	if (msg == NULL || err == NULL || errsize <= 0)
		return TTHC_SYNC_E_USAGE;
	memset(msg, 0, sizeof(*msg));
	c->err = err;
	c->errsize = errsize;
	err[0] = '\0';
	if (json == NULL)
		return fail(c, TTHC_SYNC_E_USAGE, "$", NULL, "no document");
	if (len > TTHC_SYNC_MAX_BYTES)
		return fail(c, TTHC_SYNC_E_TOO_BIG, "$", NULL,
					"the document has %zu bytes, more than %d", len,
					TTHC_SYNC_MAX_BYTES);
	if ((e = prescan(c, json, len)) != TTHC_SYNC_OK)
		return e;

	root = cJSON_ParseWithLengthOpts(json, len, &end, 0);
	if (root == NULL)
	{
		size_t		at = end != NULL && end >= json ? (size_t) (end - json) : 0;

		return fail(c, TTHC_SYNC_E_SYNTAX, "$", NULL, "not valid JSON near byte %zu",
					at < len ? at : len);
	}
	for (const char *q = end; q != NULL && q < json + len; q++)
		if (!is_space((unsigned char) *q))
		{
			cJSON_Delete(root);
			return fail(c, TTHC_SYNC_E_SYNTAX, "$", NULL,
						"unexpected content after the document at byte %zu",
						(size_t) (q - json));
		}

	if (cJSON_IsObject(root))
		n = 1;
	else if (cJSON_IsArray(root))
	{
		for (const cJSON *x = root->child; x != NULL; x = x->next)
			if (++n > TTHC_SYNC_MAX_ELEMENTS)
			{
				cJSON_Delete(root);
				return fail(c, TTHC_SYNC_E_TOO_BIG, "$", NULL,
							"more than %d elements", TTHC_SYNC_MAX_ELEMENTS);
			}
	}
	else
	{
		e = fail(c, TTHC_SYNC_E_TYPE, "$", NULL,
				 "expected an object or an array of objects, got %s",
				 type_name(root));
		cJSON_Delete(root);
		return e;
	}

	if (n > 0)
	{
		msg->items = malloc(sizeof(void *) * (size_t) n);
		if (msg->items == NULL)
		{
			cJSON_Delete(root);
			return fail(c, TTHC_SYNC_E_TOO_BIG, "$", NULL, "out of memory");
		}
		if (cJSON_IsObject(root))
			msg->items[0] = root;
		else
		{
			int			i = 0;

			for (cJSON *x = root->child; x != NULL; x = x->next)
				msg->items[i++] = x;
		}
	}
	msg->root = root;
	msg->count = n;
	msg->is_array = cJSON_IsArray(root);
	return TTHC_SYNC_OK;
}

/* Elements of a parsed message; 0 for an empty or freed one. */
int
tthc_sync_count(const TthcSyncMessage *msg)
{
	return msg != NULL && msg->root != NULL ? msg->count : 0;
}

/* Free the tree and the element index; the message is left empty. */
void
tthc_sync_free(TthcSyncMessage *msg)
{
	if (msg == NULL)
		return;
	cJSON_Delete((cJSON *) msg->root);
	free(msg->items);
	memset(msg, 0, sizeof(*msg));
}

/* Which kind element i looks like, by the members it has. */
TthcSyncKind
tthc_sync_kind(const TthcSyncMessage *msg, int i)
{
	const cJSON *x;

	if (msg == NULL || msg->root == NULL || i < 0 || i >= msg->count)
		return TTHC_SYNC_KIND_UNKNOWN;
	x = msg->items[i];
	if (!cJSON_IsObject(x))
		return TTHC_SYNC_KIND_UNKNOWN;
	if (has_member(x, "TrangThaiHoSo") || has_member(x, "MaTTHC"))
		return TTHC_SYNC_KIND_DOSSIER;
	if (has_member(x, "TrangThai") || has_member(x, "ThoiDiemXuLy"))
		return TTHC_SYNC_KIND_PROGRESS;
	return TTHC_SYNC_KIND_UNKNOWN;
}

/*
 * Element i of the message, with its path ("$" or "$[i]") and the check
 * that it is an object.
 */
static TthcSyncError
element(Conv *c, const TthcSyncMessage *msg, int i, char *err, int errsize,
		char *path, size_t size, const cJSON **x)
{
	*x = NULL;
	if (err == NULL || errsize <= 0)
		return TTHC_SYNC_E_USAGE;
	c->err = err;
	c->errsize = errsize;
	err[0] = '\0';
	if (msg == NULL || msg->root == NULL)
		return fail(c, TTHC_SYNC_E_USAGE, "$", NULL, "no message");
	if (i < 0 || i >= msg->count)
		return fail(c, TTHC_SYNC_E_USAGE, "$", NULL,
					"no element %d (the message has %d)", i, msg->count);
	if (msg->is_array)
		snprintf(path, size, "$[%d]", i);
	else
		snprintf(path, size, "$");
	*x = msg->items[i];
	if (!cJSON_IsObject(*x))
		return fail(c, TTHC_SYNC_E_TYPE, path, NULL, "expected an object, got %s",
					type_name(*x));
	return TTHC_SYNC_OK;
}

/* ---------------------------------------------------------------------
 * Dossiers
 * ---------------------------------------------------------------------
 */

/* The columns tthc_dossier_check names, and which member gave each. */
typedef enum Column
{
	COL_SUBMITTED,
	COL_RECEIVED,
	COL_DUE,
	COL_FINISHED,
	COL_RETURNED,
	COL_ENDED,
	COL_SUPP_REQUESTED,
	COL_SUPP_RECEIVED,
	COL_SUPP_REQUESTS,
	NCOLUMNS
} Column;

static const char *const column_names[NCOLUMNS] = {
	"submitted_at", "received_at", "due_at", "finished_at", "returned_at",
	"ended_at", "supplement_requested_at", "supplement_received_at",
	"supplement_requests"
};

typedef struct Sources
{
	char		member[NCOLUMNS][PATH_LEN];	/* relative to the element */
} Sources;

/* Note which member (relative to the element) gave a column. */
static void
set_source(Sources *src, Column col, const char *fmt,...)
			__attribute__((format(printf, 3, 4)));

static void
set_source(Sources *src, Column col, const char *fmt,...)
{
	va_list		ap;

	va_start(ap, fmt);
	vsnprintf(src->member[col], PATH_LEN, fmt, ap);
	va_end(ap);
}

/* The Column of a name tthc_dossier_check returns, or -1. */
static int
find_column(const char *name)
{
	for (int i = 0; i < NCOLUMNS; i++)
		if (name != NULL && strcmp(column_names[i], name) == 0)
			return i;
	return -1;
}

/* The instant a column holds, for a message. */
static int64_t
column_value(const TthcSyncDossier *d, int col)
{
	switch (col)
	{
		case COL_SUBMITTED:
			return d->submitted;
		case COL_RECEIVED:
			return d->received;
		case COL_DUE:
			return d->due;
		case COL_FINISHED:
			return d->finished;
		case COL_RETURNED:
			return d->returned;
		case COL_ENDED:
			return d->ended;
		case COL_SUPP_REQUESTED:
			return d->supplement_requested;
		case COL_SUPP_RECEIVED:
			return d->supplement_received;
	}
	return TTHC_NO_TIME;
}

/* The member that gives a column when it is missing: its usual one. */
static const char *
column_member(const Sources *src, int col, int status)
{
	static const char *const usual[NCOLUMNS] = {
		"NgayNopHoSo", "NgayTiepNhan", "NgayHenTra", "NgayKetThucXuLy",
		"NgayTra", "NgayTuChoi", "DanhSachHoSoBoSung",
		"DanhSachHoSoBoSung", "DanhSachHoSoBoSung"
	};

	if (col < 0)
		return "?";
	if (src->member[col][0] != '\0')
		return src->member[col];
	if (col == COL_ENDED && status != TTHC_ST_REFUSED)
		return "NgayKetThucXuLy";
	return usual[col];
}

/* The attachments: TaiLieuNop[]. */
static TthcSyncError
dossier_attachments(Conv *c, const cJSON *x, const char *path, TthcSyncDossier *d)
{
	const cJSON *arr;
	TthcSyncError e;
	int			k = 0;

	if ((e = get_list(c, x, path, "TaiLieuNop", &arr)) != TTHC_SYNC_OK || arr == NULL)
		return e;
	for (const cJSON *a = arr->child; a != NULL; a = a->next, k++)
	{
		char		xpath[PATH_LEN];
		int			deleted,
					digitized,
					reused,
					store;

		if ((e = list_item(c, a, path, "TaiLieuNop", k, xpath, sizeof(xpath))) != TTHC_SYNC_OK ||
			(e = get_flag(c, a, xpath, "IsDeleted", 1, &deleted)) != TTHC_SYNC_OK ||
			(e = get_flag(c, a, xpath, "DuocSoHoa", 1, &digitized)) != TTHC_SYNC_OK ||
			(e = get_flag(c, a, xpath, "DuocTaiSuDung", 2, &reused)) != TTHC_SYNC_OK ||
			(e = get_flag(c, a, xpath, "DuocLayTuKhoDMQG", 1, &store)) != TTHC_SYNC_OK)
			return e;
		if (deleted)
			continue;
		d->attachments++;
		d->digitized |= digitized != 0;
		d->reused_data |= reused != 0;
		d->personal_store |= store != 0;
	}
	return TTHC_SYNC_OK;
}

/* The fees: DanhSachLePhi[]. */
static TthcSyncError
dossier_fees(Conv *c, const cJSON *x, const char *path, TthcSyncDossier *d)
{
	const cJSON *arr;
	TthcSyncError e;
	int			k = 0;

	if ((e = get_list(c, x, path, "DanhSachLePhi", &arr)) != TTHC_SYNC_OK || arr == NULL)
		return e;
	for (const cJSON *a = arr->child; a != NULL; a = a->next, k++)
	{
		char		xpath[PATH_LEN];
		int64_t		fee;

		if ((e = list_item(c, a, path, "DanhSachLePhi", k, xpath, sizeof(xpath))) != TTHC_SYNC_OK ||
			(e = get_fee(c, a, xpath, &fee)) != TTHC_SYNC_OK)
			return e;
		if (fee > INT64_MAX - d->fee)
			return fail(c, TTHC_SYNC_E_RANGE, xpath, "Gia",
						"the fees add up to more than %lld dong",
						(long long) INT64_MAX);
		d->fee += fee;
		d->fees++;
	}
	d->fee_given = d->fees > 0;
	return TTHC_SYNC_OK;
}

/*
 * The supplement requests: DanhSachHoSoBoSung[].  The latest request (by
 * NgayBoSung; the later entry among equals) gives supplement_requested
 * and supplement_received; the earliest that has a NgayHenTraTruoc gives
 * the original due date, which *due_before receives.
 */
static TthcSyncError
dossier_supplements(Conv *c, const cJSON *x, const char *path, TthcSyncDossier *d,
					Sources *src, int64_t *due_before)
{
	const cJSON *arr;
	TthcSyncError e;
	int			k = 0;
	int64_t		first_request = TTHC_NO_TIME;

	*due_before = TTHC_NO_TIME;
	if ((e = get_list(c, x, path, "DanhSachHoSoBoSung", &arr)) != TTHC_SYNC_OK ||
		arr == NULL)
		return e;
	for (const cJSON *a = arr->child; a != NULL; a = a->next, k++)
	{
		char		xpath[PATH_LEN];
		char		t1[16],
					t2[16];
		int64_t		requested,
					resubmitted,
					before,
					after;

		if ((e = list_item(c, a, path, "DanhSachHoSoBoSung", k, xpath, sizeof(xpath))) != TTHC_SYNC_OK ||
			(e = get_date(c, a, xpath, "NgayBoSung", true, &requested)) != TTHC_SYNC_OK ||
			(e = get_date(c, a, xpath, "NgayTiepNhanBoSung", false, &resubmitted)) != TTHC_SYNC_OK ||
			(e = get_date(c, a, xpath, "NgayHenTraTruoc", false, &before)) != TTHC_SYNC_OK ||
			(e = get_date(c, a, xpath, "NgayHenTraMoi", false, &after)) != TTHC_SYNC_OK)
			return e;
		if (HAS(resubmitted) && resubmitted < requested)
		{
			tthc_sync_format_time(resubmitted, t1);
			tthc_sync_format_time(requested, t2);
			return fail(c, TTHC_SYNC_E_RULE, xpath, "NgayTiepNhanBoSung",
						"%s is before NgayBoSung %s", t1, t2);
		}
		if (k >= MAX_SUPPLEMENTS)
			return fail(c, TTHC_SYNC_E_RANGE, path, "DanhSachHoSoBoSung",
						"more than %d supplement requests", MAX_SUPPLEMENTS);
		d->supplement_requests++;
		if (!HAS(d->supplement_requested) || requested >= d->supplement_requested)
		{
			d->supplement_requested = requested;
			d->supplement_received = resubmitted;
			set_source(src, COL_SUPP_REQUESTED, "DanhSachHoSoBoSung[%d].NgayBoSung", k);
			set_source(src, COL_SUPP_RECEIVED, "DanhSachHoSoBoSung[%d].NgayTiepNhanBoSung", k);
		}
		if (HAS(before) && (!HAS(*due_before) || requested < first_request))
		{
			*due_before = before;
			first_request = requested;
			set_source(src, COL_DUE, "DanhSachHoSoBoSung[%d].NgayHenTraTruoc", k);
		}
		if (HAS(after) && (!HAS(d->due_latest) || after > d->due_latest))
			d->due_latest = after;
	}
	return TTHC_SYNC_OK;
}

/* The results: DanhSachGiayToKetQua[] entries with a file. */
static TthcSyncError
dossier_results(Conv *c, const cJSON *x, const char *path, TthcSyncDossier *d)
{
	const cJSON *arr;
	TthcSyncError e;
	int			k = 0;

	if ((e = get_list(c, x, path, "DanhSachGiayToKetQua", &arr)) != TTHC_SYNC_OK ||
		arr == NULL)
		return e;
	for (const cJSON *a = arr->child; a != NULL; a = a->next, k++)
	{
		char		xpath[PATH_LEN];
		const cJSON *file;

		if ((e = list_item(c, a, path, "DanhSachGiayToKetQua", k, xpath, sizeof(xpath))) != TTHC_SYNC_OK ||
			(e = member(c, a, xpath, "DuongDanTepTinKetQua", &file)) != TTHC_SYNC_OK)
			return e;
		if (absent(file))
			continue;
		if (!cJSON_IsString(file))
			return fail(c, TTHC_SYNC_E_TYPE, xpath, "DuongDanTepTinKetQua",
						"expected a string, got %s", type_name(file));
		if (strspn(file->valuestring, " \t\r\n") == strlen(file->valuestring))
			continue;
		d->results++;
		d->e_result = true;
	}
	return TTHC_SYNC_OK;
}

/*
 * The row as the dossier trigger checks it (tthc_dossier_check), with the
 * message's members named instead of the columns.
 */
static TthcSyncError
dossier_rules(Conv *c, const char *path, const TthcSyncDossier *d,
			  const Sources *src)
{
	TthcDossierIn in;
	TthcDossierCheck chk;
	int			field,
				other;
	char		t1[16],
				t2[16];
	char		fpath[ELEM_PATH_LEN + PATH_LEN];

	tthc_sync_dossier_in(d, &in);
	chk = tthc_dossier_check(&in);
	if (chk.fault == TTHC_DF_OK)
		return TTHC_SYNC_OK;
	field = find_column(chk.field);
	other = find_column(chk.other);
	switch (chk.fault)
	{
		case TTHC_DF_BEFORE:
			snprintf(fpath, sizeof(fpath), "%s.%s", path,
					 column_member(src, field, d->status));
			tthc_sync_format_time(column_value(d, field), t1);
			tthc_sync_format_time(column_value(d, other), t2);
			return fail(c, TTHC_SYNC_E_RULE, fpath, NULL, "%s is before %s %s",
						t1, column_member(src, other, d->status), t2);
		case TTHC_DF_NEEDS:
			return fail(c, TTHC_SYNC_E_MISSING, path, NULL,
						"missing %s (required with %s)",
						column_member(src, field, d->status),
						column_member(src, other, d->status));
		case TTHC_DF_NEEDS_STATUS:
			return fail(c, TTHC_SYNC_E_MISSING, path, NULL,
						"missing %s (required for status %d)",
						column_member(src, field, d->status), d->status);
		default:
			return fail(c, TTHC_SYNC_E_CODE, path, NULL, "bad %s",
						chk.field ? chk.field : "value");
	}
}

/*
 * Convert one dossier: the members in the order of docs/sync.md, then the
 * due date and the end times by status, then the checks across members.
 */
TthcSyncError
tthc_sync_dossier(const TthcSyncMessage *msg, int i, TthcSyncDossier *d,
				  char *err, int errsize)
{
	Conv		conv;
	Conv	   *c = &conv;
	const cJSON *x;
	char		path[ELEM_PATH_LEN];
	TthcSyncError e;
	Sources		src;
	int			flag;
	int64_t		due_before;

	if (d == NULL)
		return TTHC_SYNC_E_USAGE;
	memset(d, 0, sizeof(*d));
	memset(&src, 0, sizeof(src));
	d->submitted = d->received = d->due = d->finished = d->returned =
		d->ended = d->supplement_requested = d->supplement_received =
		d->due_given = d->due_latest = d->processing_ended =
		d->returned_given = d->refused = TTHC_NO_TIME;
	if ((e = element(c, msg, i, err, errsize, path, sizeof(path), &x)) != TTHC_SYNC_OK)
		return e;

	if ((e = get_text(c, x, path, "MaHoSo", true, TEXT_CODE, d->code, sizeof(d->code))) ||
		(e = get_text(c, x, path, "MaTTHC", true, TEXT_ID, d->procedure_code,
					  sizeof(d->procedure_code))) ||
		(e = get_text(c, x, path, "DonViXuLy", true, TEXT_NAME, d->agency,
					  sizeof(d->agency))) ||
		(e = get_code(c, x, path, "TrangThaiHoSo", true, 1, 10, 0,
					  "a status (1-10)", &d->status)) ||
		(e = get_code(c, x, path, "KenhThucHien", false, 1, 3, 1,
					  "a channel (1 in person, 2 online, 3 postal)", &d->channel)) ||
		(e = get_date(c, x, path, "NgayNopHoSo", false, &d->submitted)) ||
		(e = get_date(c, x, path, "NgayTiepNhan", false, &d->received)) ||
		(e = get_date(c, x, path, "NgayHenTra", false, &d->due_given)) ||
		(e = get_date(c, x, path, "NgayKetThucXuLy", false, &d->processing_ended)) ||
		(e = get_date(c, x, path, "NgayTra", false, &d->returned_given)) ||
		(e = get_date(c, x, path, "NgayTuChoi", false, &d->refused)) ||
		(e = get_code(c, x, path, "DuocThanhToanTrucTuyen", false, 0, 2, 0,
					  "a payment code (0 no, 1 on the portal, 2 on a local gateway)",
					  &d->paid_online)))
		return e;
	if ((e = get_flag(c, x, path, "HoSoCoThanhPhanSoHoa", 1, &flag)))
		return e;
	d->digitized = flag != 0;
	if ((e = get_flag(c, x, path, "TaiKhoanDuocXacThucVoiVNeID", 1, &flag)))
		return e;
	d->population_db = flag != 0;
	if ((e = dossier_attachments(c, x, path, d)) ||
		(e = dossier_fees(c, x, path, d)) ||
		(e = dossier_supplements(c, x, path, d, &src, &due_before)) ||
		(e = dossier_results(c, x, path, d)))
		return e;

	/* the benchmark is the due date before any supplement moved it */
	d->due = HAS(due_before) ? due_before : d->due_given;

	/* end times by status (SPEC §5; docs/sync.md) */
	if (d->status == TTHC_ST_FINISHED || d->status == TTHC_ST_RETURNED)
		d->finished = d->processing_ended;
	if (d->status == TTHC_ST_RETURNED)
		d->returned = d->returned_given;
	if (d->status == TTHC_ST_REFUSED)
	{
		d->ended = HAS(d->refused) ? d->refused : d->processing_ended;
		if (!HAS(d->refused) && HAS(d->processing_ended))
			set_source(&src, COL_ENDED, "NgayKetThucXuLy");
	}
	else if (d->status == TTHC_ST_WITHDRAWN || d->status == TTHC_ST_STOPPED)
	{
		d->ended = HAS(d->processing_ended) ? d->processing_ended : d->refused;
		if (!HAS(d->processing_ended) && HAS(d->refused))
			set_source(&src, COL_ENDED, "NgayTuChoi");
	}
	return dossier_rules(c, path, d, &src);
}

/* The classifier's input from a converted dossier (see sync.h). */
void
tthc_sync_dossier_in(const TthcSyncDossier *d, TthcDossierIn *in)
{
	memset(in, 0, sizeof(*in));
	in->status = d->status;
	in->channel = d->channel;
	in->submitted = d->submitted;
	in->received = d->received;
	in->due = d->due;
	in->finished = d->finished;
	in->returned = d->returned;
	in->ended = d->ended;
	in->synced = TTHC_NO_TIME;
	in->supplement_requests = d->supplement_requests;
	in->supplement_requested = d->supplement_requested;
	in->supplement_received = d->supplement_received;
	in->fee_positive = d->fee > 0;
	in->paid_online = d->paid_online;
	in->e_result = d->e_result;
	in->digitized = d->digitized;
	in->reused_data = d->reused_data;
	in->personal_store = d->personal_store;
	in->population_db = d->population_db;
	in->e_certified_copy = false;
	in->rating = 0;
	in->has_feedback = false;
}

/* ---------------------------------------------------------------------
 * Progress
 * ---------------------------------------------------------------------
 */

/*
 * Convert one progress entry; the step's start defaults to its time, and
 * the deadline and the end may not come before the start.
 */
TthcSyncError
tthc_sync_step(const TthcSyncMessage *msg, int i, TthcSyncStep *s,
			   char *err, int errsize)
{
	Conv		conv;
	Conv	   *c = &conv;
	const cJSON *x;
	char		path[ELEM_PATH_LEN];
	TthcSyncError e;
	int64_t		started;
	TthcStepIn	in;
	TthcStepCheck chk;
	char		t1[16],
				t2[16];

	if (s == NULL)
		return TTHC_SYNC_E_USAGE;
	memset(s, 0, sizeof(*s));
	s->at = s->started = s->deadline = TTHC_NO_TIME;
	if ((e = element(c, msg, i, err, errsize, path, sizeof(path), &x)) != TTHC_SYNC_OK)
		return e;

	if ((e = get_text(c, x, path, "MaHoSo", true, TEXT_CODE, s->dossier_code,
					  sizeof(s->dossier_code))) ||
		(e = get_text(c, x, path, "PhongBanXuLy", false, TEXT_NAME, s->agency,
					  sizeof(s->agency))))
		return e;
	if (s->agency[0] == '\0' &&
		(e = get_text(c, x, path, "DonViXuLy", false, TEXT_NAME, s->agency,
					  sizeof(s->agency))))
		return e;
	if ((e = get_text(c, x, path, "NguoiXuLy", false, TEXT_NAME, s->officer,
					  sizeof(s->officer))) ||
		(e = get_code(c, x, path, "TrangThai", true, 1, 10, 0,
					  "a status (1-10)", &s->status)) ||
		(e = get_date(c, x, path, "ThoiDiemXuLy", true, &s->at)) ||
		(e = get_date(c, x, path, "NgayBatDau", false, &started)) ||
		(e = get_date(c, x, path, "NgayKetThucTheoQuyDinh", false, &s->deadline)))
		return e;
	s->started = HAS(started) ? started : s->at;

	in.seq = 1;
	in.started = s->started;
	in.deadline = s->deadline;
	in.ended = s->at;
	chk = tthc_step_check(&in);
	if (chk.fault == TTHC_SF_OK)
		return TTHC_SYNC_OK;
	tthc_sync_format_time(s->started, t2);
	if (chk.field != NULL && strcmp(chk.field, "deadline_at") == 0)
	{
		tthc_sync_format_time(s->deadline, t1);
		return fail(c, TTHC_SYNC_E_RULE, path, "NgayKetThucTheoQuyDinh",
					"%s is before NgayBatDau %s", t1, t2);
	}
	tthc_sync_format_time(s->at, t1);
	return fail(c, TTHC_SYNC_E_RULE, path, "ThoiDiemXuLy",
				"%s is before NgayBatDau %s", t1, t2);
}
