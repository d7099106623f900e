/*
 * sipas.c
 *		Counting survey answers into the SIPAS satisfaction indices (sipas.h).
 */
#include "sipas.h"

#include <string.h>

const char *const tthc_sipas_element_codes[TTHC_SIPAS_ELEMENTS] = {
	"access", "procedure", "officials", "result", "feedback"
};

int
tthc_sipas_element(const char *code, size_t len)
{
	for (int i = 0; i < TTHC_SIPAS_ELEMENTS; i++)
	{
		const char *name = tthc_sipas_element_codes[i];

		if (strlen(name) == len && memcmp(name, code, len) == 0)
			return i;
	}
	return -1;
}

void
tthc_sipas_zero(TthcSipasCounts *c)
{
	memset(c, 0, sizeof(*c));
}

bool
tthc_sipas_add(TthcSipasCounts *c, int element, bool satisfied)
{
	if (element < 0 || element >= TTHC_SIPAS_ELEMENTS || c->answered[element] == INT64_MAX)
		return false;
	c->answered[element]++;
	if (satisfied)
		c->satisfied[element]++;
	return true;
}

bool
tthc_sipas_merge(TthcSipasCounts *c, const TthcSipasCounts *other)
{
	for (int i = 0; i < TTHC_SIPAS_ELEMENTS; i++)
		if (other->answered[i] > INT64_MAX - c->answered[i])
			return false;
	for (int i = 0; i < TTHC_SIPAS_ELEMENTS; i++)
	{
		c->answered[i] += other->answered[i];
		c->satisfied[i] += other->satisfied[i];
	}
	return true;
}

bool
tthc_sipas_valid(const TthcSipasCounts *c)
{
	for (int i = 0; i < TTHC_SIPAS_ELEMENTS; i++)
		if (c->satisfied[i] < 0 || c->answered[i] < c->satisfied[i])
			return false;
	return true;
}

int
tthc_sipas_elements_answered(const TthcSipasCounts *c)
{
	int			n = 0;

	for (int i = 0; i < TTHC_SIPAS_ELEMENTS; i++)
		if (c->answered[i] > 0)
			n++;
	return n;
}

double
tthc_sipas_index(const TthcSipasCounts *c)
{
	double		sum = 0;
	int			n = 0;

	for (int i = 0; i < TTHC_SIPAS_ELEMENTS; i++)
	{
		if (c->answered[i] == 0)
			continue;
		sum += 100.0 * (double) c->satisfied[i] / (double) c->answered[i];
		n++;
	}
	return n == 0 ? -1.0 : sum / n;
}
