/*
 * counters.c
 *		Mergeable dossier counters: arithmetic and text form.
 */
#include "counters.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>


const char *const tthc_counter_names[TTHC_NCOUNTERS] = {
#define TTHC_COUNTER_NAME(name, meaning) #name,
	TTHC_COUNTER_LIST(TTHC_COUNTER_NAME)
#undef TTHC_COUNTER_NAME
};

const char *const tthc_counter_meanings[TTHC_NCOUNTERS] = {
#define TTHC_COUNTER_MEANING(name, meaning) meaning,
	TTHC_COUNTER_LIST(TTHC_COUNTER_MEANING)
#undef TTHC_COUNTER_MEANING
};

void
tthc_counters_zero(TthcCounters *c)
{
	memset(c, 0, sizeof(*c));
}

bool
tthc_counters_add(TthcCounters *a, const TthcCounters *b, int sign)
{
	bool		ok = true;

	for (int i = 0; i < TTHC_NCOUNTERS; i++)
	{
		int64_t		r;

		if (sign >= 0 ? __builtin_add_overflow(a->v[i], b->v[i], &r)
			: __builtin_sub_overflow(a->v[i], b->v[i], &r))
			ok = false;
		a->v[i] = r;
	}
	return ok;
}

bool
tthc_counters_is_zero(const TthcCounters *c)
{
	for (int i = 0; i < TTHC_NCOUNTERS; i++)
		if (c->v[i] != 0)
			return false;
	return true;
}

int
tthc_counter_lookup(const char *name)
{
	for (int i = 0; i < TTHC_NCOUNTERS; i++)
		if (strcmp(tthc_counter_names[i], name) == 0)
			return i;
	return -1;
}

int
tthc_counters_format(const TthcCounters *c, char *buf, int size)
{
	int			len = 0;

	for (int i = 0; i < TTHC_NCOUNTERS; i++)
	{
		int			n = snprintf(buf + (len < size ? len : size),
								 len < size ? (size_t) (size - len) : 0,
								 "%s\"%s\": %lld", i == 0 ? "{" : ", ",
								 tthc_counter_names[i], (long long) c->v[i]);

		len += n;
	}
	if (len < size)
		len += snprintf(buf + len, (size_t) (size - len), "}");
	else
		len += 1;
	return len;
}

static const char *
skip_space(const char *p)
{
	while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
		p++;
	return p;
}

/*
 * A hand-written parser rather than cJSON: counters are exact int64 (sums of
 * microseconds pass 2^53), and a JSON library reads numbers as doubles.
 */
const char *
tthc_counters_parse(const char *text, TthcCounters *c, char *err, int errsize)
{
	const char *p = skip_space(text);
	bool		seen[TTHC_NCOUNTERS] = {false};

	tthc_counters_zero(c);
	if (*p++ != '{')
		goto syntax;
	p = skip_space(p);
	if (*p == '}')
		p++;
	else
	{
		for (;;)
		{
			char		name[64];
			int			n = 0;
			int			id;
			long long	value;
			char	   *end;

			if (*p++ != '"')
				goto syntax;
			while (*p && *p != '"')
			{
				if (n >= (int) sizeof(name) - 1)
					goto syntax;
				name[n++] = *p++;
			}
			name[n] = '\0';
			if (*p++ != '"')
				goto syntax;
			p = skip_space(p);
			if (*p++ != ':')
				goto syntax;
			p = skip_space(p);
			id = tthc_counter_lookup(name);
			if (id < 0)
			{
				snprintf(err, (size_t) errsize, "unknown counter \"%s\"", name);
				return err;
			}
			if (seen[id])
			{
				snprintf(err, (size_t) errsize, "counter \"%s\" appears twice", name);
				return err;
			}
			seen[id] = true;
			if (!(*p == '-' || (*p >= '0' && *p <= '9')))
			{
				snprintf(err, (size_t) errsize, "counter \"%s\" is not a whole number", name);
				return err;
			}
			errno = 0;
			value = strtoll(p, &end, 10);
			if (errno == ERANGE)
			{
				snprintf(err, (size_t) errsize, "counter \"%s\" is out of range", name);
				return err;
			}
			if (*end == '.' || *end == 'e' || *end == 'E')
			{
				snprintf(err, (size_t) errsize, "counter \"%s\" is not a whole number", name);
				return err;
			}
			c->v[id] = (int64_t) value;
			p = skip_space(end);
			if (*p == ',')
			{
				p = skip_space(p + 1);
				continue;
			}
			if (*p++ != '}')
				goto syntax;
			break;
		}
	}
	if (*skip_space(p) != '\0')
		goto syntax;
	return NULL;

syntax:
	snprintf(err, (size_t) errsize,
			 "expected a JSON object of counters, like {\"received\": 3}");
	return err;
}

/*
 * tthc_counters_pack
 *		The packed form of c (counters.h) into buf, at most
 *		TTHC_COUNTERS_PACKED_MAX bytes; returns its length.
 */
int
tthc_counters_pack(const TthcCounters *c, uint8_t *buf)
{
	uint64_t	mask = 0;
	int			len = 8;

	for (int i = 0; i < TTHC_NCOUNTERS; i++)
	{
		/* zigzag: small magnitudes of either sign become small numbers */
		uint64_t	z = ((uint64_t) c->v[i] << 1) ^ (uint64_t) (c->v[i] >> 63);

		if (c->v[i] == 0)
			continue;
		mask |= UINT64_C(1) << i;
		while (z >= 0x80)
		{
			buf[len++] = (uint8_t) (z | 0x80);
			z >>= 7;
		}
		buf[len++] = (uint8_t) z;
	}
	for (int b = 0; b < 8; b++)
		buf[b] = (uint8_t) (mask >> (8 * b));
	return len;
}

/*
 * tthc_counters_unpack
 *		c from len bytes of packed form; false when they are malformed.
 */
bool
tthc_counters_unpack(const uint8_t *buf, size_t len, TthcCounters *c)
{
	uint64_t	mask = 0;
	size_t		pos = 8;

	tthc_counters_zero(c);
	if (len < 8)
		return false;
	for (int b = 0; b < 8; b++)
		mask |= (uint64_t) buf[b] << (8 * b);
	for (int i = 0; i < 64; i++)
	{
		uint64_t	z = 0;
		int			shift = 0;

		if (!(mask & (UINT64_C(1) << i)))
			continue;
		for (;;)
		{
			uint8_t		byte;

			if (pos >= len || shift > 63)
				return false;
			byte = buf[pos++];
			if (shift == 63 && (byte & 0x7e) != 0)
				return false;	/* past 64 bits */
			z |= (uint64_t) (byte & 0x7f) << shift;
			shift += 7;
			if (!(byte & 0x80))
				break;
		}
		if (i < TTHC_NCOUNTERS)
			c->v[i] = (int64_t) ((z >> 1) ^ (~(z & 1) + 1));
	}
	return pos == len;
}
