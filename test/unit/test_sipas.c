/*
 * test_sipas.c
 *		Unit tests of the SIPAS counts (src/core/sipas.c): element codes, the
 *		index as the mean of the element shares, worked out by hand, and
 *		merging in any split as counting all at once.
 */
#include "tap.h"
#include "../../src/core/sipas.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static bool
near(double a, double b)
{
	return fabs(a - b) < 1e-9;
}

int
main(void)
{
	TthcSipasCounts c,
				d;

	/* element codes */
	ok(tthc_sipas_element("access", 6) == 0, "access is element 0");
	ok(tthc_sipas_element("feedback", 8) == 4, "feedback is element 4");
	ok(tthc_sipas_element("officialsX", 9) == 2, "a code is read to its length only");
	ok(tthc_sipas_element("Access", 6) == -1, "codes are case-sensitive");
	ok(tthc_sipas_element("acces", 5) == -1, "a prefix is no element");
	ok(tthc_sipas_element("", 0) == -1, "the empty code is no element");

	/* nothing answered */
	tthc_sipas_zero(&c);
	ok(tthc_sipas_index(&c) < 0, "no answers: no index");
	ok(tthc_sipas_elements_answered(&c) == 0, "no answers: no element answered");
	ok(tthc_sipas_valid(&c), "zero counts are valid");

	/*
	 * By hand: access 3 of 4 satisfied (75 %), officials 1 of 2 (50 %); the
	 * index is their mean, 62.5 %, not the pooled 4 of 6 (66.67 %).
	 */
	tthc_sipas_add(&c, 0, true);
	tthc_sipas_add(&c, 0, true);
	tthc_sipas_add(&c, 0, false);
	tthc_sipas_add(&c, 0, true);
	tthc_sipas_add(&c, 2, false);
	tthc_sipas_add(&c, 2, true);
	ok(tthc_sipas_elements_answered(&c) == 2, "two elements answered");
	ok(near(tthc_sipas_index(&c), 62.5), "index is the mean of the element shares: %g", tthc_sipas_index(&c));
	ok(c.answered[0] == 4 && c.satisfied[0] == 3, "access counts 4 answered, 3 satisfied");
	ok(!tthc_sipas_add(&c, 5, true) && !tthc_sipas_add(&c, -1, true), "an element out of range is refused");
	ok(c.answered[0] + c.answered[1] + c.answered[2] + c.answered[3] + c.answered[4] == 6,
	   "a refused answer counts for nothing");

	/* all unsatisfied, all satisfied */
	tthc_sipas_zero(&d);
	for (int e = 0; e < TTHC_SIPAS_ELEMENTS; e++)
		tthc_sipas_add(&d, e, false);
	ok(near(tthc_sipas_index(&d), 0), "all unsatisfied: 0");
	tthc_sipas_zero(&d);
	for (int e = 0; e < TTHC_SIPAS_ELEMENTS; e++)
		tthc_sipas_add(&d, e, true);
	ok(near(tthc_sipas_index(&d), 100), "all satisfied: 100");

	/* validity of stored counts */
	d = c;
	d.satisfied[1] = 1;
	ok(!tthc_sipas_valid(&d), "more satisfied than answered is invalid");
	d = c;
	d.answered[3] = -1;
	d.satisfied[3] = -1;
	ok(!tthc_sipas_valid(&d), "a negative count is invalid");

	/* overflow */
	tthc_sipas_zero(&d);
	d.answered[1] = INT64_MAX;
	ok(!tthc_sipas_add(&d, 1, true) && d.answered[1] == INT64_MAX, "an answer past INT64_MAX is refused");
	tthc_sipas_zero(&c);
	c.answered[1] = 1;
	ok(!tthc_sipas_merge(&c, &d) && c.answered[1] == 1, "a merge past INT64_MAX is refused and changes nothing");

	/* merging any split of random answers equals counting them at once */
	srand(2640);
	{
		int			failures = 0;

		for (int round = 0; round < 500; round++)
		{
			TthcSipasCounts all,
						part[4],
						merged;
			int			n = rand() % 200;

			tthc_sipas_zero(&all);
			for (int p = 0; p < 4; p++)
				tthc_sipas_zero(&part[p]);
			for (int i = 0; i < n; i++)
			{
				int			e = rand() % TTHC_SIPAS_ELEMENTS;
				bool		s = rand() % 3 != 0;

				tthc_sipas_add(&all, e, s);
				tthc_sipas_add(&part[rand() % 4], e, s);
			}
			tthc_sipas_zero(&merged);
			for (int p = 3; p >= 0; p--)
				tthc_sipas_merge(&merged, &part[p]);
			if (memcmp(&merged, &all, sizeof(all)) != 0 ||
				!(near(tthc_sipas_index(&merged), tthc_sipas_index(&all))))
				failures++;
		}
		ok(failures == 0, "500 random splits merge to the counts of one pass (%d differ)", failures);
	}
	return tap_done();
}
