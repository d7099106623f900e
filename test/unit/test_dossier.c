/*
 * test_dossier.c
 *		Unit tests of dossier validation, classification and counters
 *		(src/core/dossier.c, src/core/counters.c): one case per rule of
 *		SPEC §5, worked out by hand.
 */
#include "tap.h"
#include "fixture.h"
#include "../../src/core/dossier.h"

#include <string.h>

#define NO TTHC_NO_TIME
#define HAS(t) ((t) != TTHC_NO_TIME)

/* Received online Mon 23/11/2026 09:00, due Thu 26/11 09:00, processing. */
static TthcDossierIn
base(void)
{
	TthcDossierIn d;

	memset(&d, 0, sizeof(d));
	d.status = TTHC_ST_PROCESSING;
	d.channel = 2;
	d.submitted = at(2026, 11, 23, 8, 0);
	d.received = at(2026, 11, 23, 9, 0);
	d.due = at(2026, 11, 26, 9, 0);
	d.finished = d.returned = d.ended = d.synced = NO;
	d.supplement_requested = d.supplement_received = NO;
	return d;
}

static TthcDossierClass
classify(const TthcDossierIn *d)
{
	TthcDossierClass cl;
	TthcCalStatus st = tthc_dossier_classify(&cal, d, &cl);

	if (st != TTHC_CAL_OK)
		ok(0, "classification failed with status %d", (int) st);
	return cl;
}

static int64_t
counter(const TthcDossierClass *cl, int64_t t, TthcCounterId id)
{
	TthcCounters c;

	tthc_dossier_counters_at(cl, t, &c);
	return c.v[id];
}

int
main(void)
{
	TthcDossierIn d;
	TthcDossierClass cl;
	int64_t		far = at(2027, 12, 1, 0, 0);

	build_calendar();

	/* never received */
	d = base();
	d.status = TTHC_ST_NEW;
	cl = classify(&d);
	ok(!cl.received && tthc_counters_is_zero(&cl.base), "status 1 (new) is not counted");
	d = base();
	d.status = TTHC_ST_REFUSED;
	d.received = NO;
	d.due = NO;
	d.ended = at(2026, 11, 23, 10, 0);
	cl = classify(&d);
	ok(!cl.received && counter(&cl, far, TTHC_C_received) == 0,
	   "status 3 without a receipt time is not counted");

	/* received, refused after receipt: ended */
	d = base();
	d.status = TTHC_ST_REFUSED;
	d.ended = at(2026, 11, 24, 10, 0);
	cl = classify(&d);
	ok(cl.received && cl.base.v[TTHC_C_ended] == 1 && cl.base.v[TTHC_C_on_time] == 1 &&
	   cl.base.v[TTHC_C_finished] == 0, "refused after receipt: ended on time, not finished");

	/* finished before the due time: early, never late */
	d = base();
	d.status = TTHC_ST_FINISHED;
	d.finished = at(2026, 11, 25, 16, 0);
	cl = classify(&d);
	ok(cl.base.v[TTHC_C_early] == 1 && cl.base.v[TTHC_C_on_time] == 1 &&
	   !tthc_dossier_late_at(&cl, far), "finished before due: early, on time, never late");
	ok(cl.base.v[TTHC_C_work_usecs] == 21 * TTHC_USECS_PER_HOUR,
	   "handling time Mon 09:00 to Wed 16:00 is 6 + 8 + 7 = 21 working hours");
	ok(cl.base.v[TTHC_C_elapsed_usecs] == (2 * 24 + 7) * TTHC_USECS_PER_HOUR,
	   "elapsed time Mon 09:00 to Wed 16:00 is 55 hours");

	/* finished exactly at the due time: on time, not early */
	d = base();
	d.status = TTHC_ST_FINISHED;
	d.finished = d.due;
	cl = classify(&d);
	ok(cl.base.v[TTHC_C_early] == 0 && cl.base.v[TTHC_C_on_time] == 1 &&
	   !tthc_dossier_late_at(&cl, far), "finished at the due time: on time, not early");

	/* finished after the due time: late from the due time on */
	d = base();
	d.status = TTHC_ST_FINISHED;
	d.finished = at(2026, 11, 27, 10, 0);
	cl = classify(&d);
	ok(cl.base.v[TTHC_C_on_time] == 0 && cl.late_from == d.due, "finished late: late from the due time");
	ok(!tthc_dossier_late_at(&cl, d.due), "not late at the due time itself");
	ok(tthc_dossier_late_at(&cl, d.due + 1), "late just after the due time, before it finished");
	ok(tthc_dossier_late_at(&cl, far), "still late after it finished");

	/* open: late with time alone */
	d = base();
	cl = classify(&d);
	ok(!tthc_dossier_late_at(&cl, at(2026, 11, 25, 17, 0)), "open, before due: not late");
	ok(tthc_dossier_late_at(&cl, at(2026, 11, 27, 8, 0)), "open, past due: late, with no row written");
	ok(cl.base.v[TTHC_C_ended] == 0 && cl.base.v[TTHC_C_on_time] == 0, "open: not ended");

	/* 9 wins over 10: finished on time, result returned late */
	d = base();
	d.status = TTHC_ST_RETURNED;
	d.finished = at(2026, 11, 26, 8, 0);
	d.returned = at(2026, 11, 30, 9, 0);
	cl = classify(&d);
	ok(cl.end == d.finished && !tthc_dossier_late_at(&cl, far),
	   "finished (9) wins over returned (10): on time");
	d.finished = NO;
	cl = classify(&d);
	ok(cl.end == d.returned && tthc_dossier_late_at(&cl, far), "returned late, no finish time: late");

	/* withdrawal ends a received dossier; stop after the due time is late */
	d = base();
	d.status = TTHC_ST_WITHDRAWN;
	d.ended = at(2026, 11, 24, 9, 0);
	cl = classify(&d);
	ok(cl.end == d.ended && cl.base.v[TTHC_C_on_time] == 1, "withdrawn after receipt: ended");
	d = base();
	d.status = TTHC_ST_STOPPED;
	d.ended = at(2026, 11, 30, 9, 0);
	cl = classify(&d);
	ok(tthc_dossier_late_at(&cl, far), "stopped after the due time: late");
	d = base();
	d.status = TTHC_ST_PROCESSING;
	d.ended = at(2026, 11, 24, 9, 0);
	cl = classify(&d);
	ok(cl.end == NO, "ended_at does not end a dossier whose status is not 3, 7 or 8");

	/* one supplement answered: the applicant's day does not count */
	d = base();
	d.status = TTHC_ST_FINISHED;
	d.supplement_requests = 1;
	d.supplement_requested = at(2026, 11, 24, 9, 0);
	d.supplement_received = at(2026, 11, 25, 9, 0);
	d.finished = at(2026, 11, 27, 8, 0);
	cl = classify(&d);
	ok(cl.due == at(2026, 11, 27, 9, 0), "due moves by the applicant's 8 working hours: Fri 09:00");
	ok(cl.base.v[TTHC_C_early] == 1 && !tthc_dossier_late_at(&cl, far),
	   "finished Fri 08:00 after one supplement: early");
	ok(cl.base.v[TTHC_C_work_usecs] == 23 * TTHC_USECS_PER_HOUR,
	   "handling time excludes the applicant's time: 31 - 8 = 23 working hours");
	ok(cl.base.v[TTHC_C_supplemented] == 1 && cl.base.v[TTHC_C_supplemented_twice] == 0,
	   "counted as supplemented once");

	/* waiting for the applicant: judged at the request */
	d = base();
	d.status = TTHC_ST_SUPPLEMENT;
	d.supplement_requests = 1;
	d.supplement_requested = at(2026, 11, 25, 9, 0);
	cl = classify(&d);
	ok(!tthc_dossier_late_at(&cl, far), "waiting, requested before due: never late while waiting");
	d.supplement_requested = at(2026, 11, 27, 9, 0);
	cl = classify(&d);
	ok(tthc_dossier_late_at(&cl, far) && cl.late_from == d.due,
	   "waiting, requested after due: late from the due time");

	/* more than one request: late, even when finished early */
	d = base();
	d.status = TTHC_ST_FINISHED;
	d.supplement_requests = 2;
	d.supplement_requested = at(2026, 11, 24, 14, 0);
	d.supplement_received = at(2026, 11, 24, 15, 0);
	d.finished = at(2026, 11, 25, 9, 0);
	cl = classify(&d);
	ok(tthc_dossier_late_at(&cl, far) && cl.base.v[TTHC_C_on_time] == 0 &&
	   cl.base.v[TTHC_C_supplemented_twice] == 1, "two supplement requests: late");
	ok(cl.late_from == d.supplement_requested, "late from the latest request");

	/* no time limit: never late */
	d = base();
	d.due = NO;
	cl = classify(&d);
	ok(!tthc_dossier_late_at(&cl, far) && cl.base.v[TTHC_C_no_time_limit] == 1,
	   "no time limit: never late, counted as such");

	/* flags */
	d = base();
	d.fee_positive = true;
	d.paid_online = 1;
	d.e_result = true;
	d.digitized = true;
	d.synced = at(2026, 11, 23, 9, 5);
	cl = classify(&d);
	ok(cl.base.v[TTHC_C_with_fee] == 1 && cl.base.v[TTHC_C_paid_online] == 1 &&
	   cl.base.v[TTHC_C_paid_on_portal] == 1, "paid on the portal");
	ok(cl.base.v[TTHC_C_online] == 1 && cl.base.v[TTHC_C_online_e_result] == 1 &&
	   cl.base.v[TTHC_C_in_person] == 0, "online with an electronic result");
	ok(cl.base.v[TTHC_C_digitized_e_result] == 1 && cl.base.v[TTHC_C_synced] == 1 &&
	   cl.base.v[TTHC_C_synced_with_fee] == 1, "digitised with e-result, synced with a fee");
	d.paid_online = 2;
	cl = classify(&d);
	ok(cl.base.v[TTHC_C_paid_online] == 1 && cl.base.v[TTHC_C_paid_on_portal] == 0,
	   "paid on a local gateway");
	d.fee_positive = false;
	cl = classify(&d);
	ok(cl.base.v[TTHC_C_with_fee] == 0 && cl.base.v[TTHC_C_paid_online] == 0,
	   "no fee: payment is not counted");
	d.channel = 0;
	cl = classify(&d);
	ok(cl.base.v[TTHC_C_in_person] == 1, "a NULL channel is in person");
	d.channel = 3;
	cl = classify(&d);
	ok(cl.base.v[TTHC_C_postal] == 1, "channel 3 is postal");

	/* late or unsatisfied, each once */
	d = base();
	d.rating = -1;
	cl = classify(&d);
	ok(counter(&cl, at(2026, 11, 24, 9, 0), TTHC_C_late_or_unsatisfied) == 1 &&
	   counter(&cl, at(2026, 11, 24, 9, 0), TTHC_C_late) == 0, "unsatisfied, not late: counted once");
	ok(counter(&cl, far, TTHC_C_late_or_unsatisfied) == 1 && counter(&cl, far, TTHC_C_late) == 1,
	   "unsatisfied and late: still counted once");

	/* validation */
	{
		TthcDossierCheck r;

		d = base();
		ok(tthc_dossier_check(&d).fault == TTHC_DF_OK, "the base dossier is valid");
		d.status = 11;
		r = tthc_dossier_check(&d);
		ok(r.fault == TTHC_DF_BAD_VALUE && strcmp(r.field, "status") == 0, "status 11 is refused");
		d = base();
		d.channel = 4;
		r = tthc_dossier_check(&d);
		ok(r.fault == TTHC_DF_BAD_VALUE && strcmp(r.field, "channel") == 0, "channel 4 is refused");
		d = base();
		d.rating = 2;
		ok(tthc_dossier_check(&d).fault == TTHC_DF_BAD_VALUE, "rating 2 is refused");
		d = base();
		d.finished = at(2026, 11, 23, 8, 0);
		r = tthc_dossier_check(&d);
		ok(r.fault == TTHC_DF_BEFORE && strcmp(r.field, "finished_at") == 0 &&
		   strcmp(r.other, "received_at") == 0, "finished before received is refused");
		d = base();
		d.status = TTHC_ST_FINISHED;
		r = tthc_dossier_check(&d);
		ok(r.fault == TTHC_DF_NEEDS_STATUS && strcmp(r.field, "finished_at") == 0,
		   "status 9 needs finished_at");
		d = base();
		d.supplement_received = at(2026, 11, 24, 9, 0);
		r = tthc_dossier_check(&d);
		ok(r.fault == TTHC_DF_NEEDS && strcmp(r.field, "supplement_requested_at") == 0,
		   "a re-submission needs a request");
		d = base();
		d.supplement_requested = at(2026, 11, 24, 9, 0);
		r = tthc_dossier_check(&d);
		ok(r.fault == TTHC_DF_NEEDS && strcmp(r.field, "supplement_requests") == 0,
		   "a request time needs a request count");
		d = base();
		d.received = NO;
		d.finished = at(2026, 11, 24, 9, 0);
		r = tthc_dossier_check(&d);
		ok(r.fault == TTHC_DF_NEEDS && strcmp(r.field, "received_at") == 0,
		   "finished without a receipt is refused");
		d = base();
		d.due = at(2026, 11, 22, 9, 0);
		r = tthc_dossier_check(&d);
		ok(r.fault == TTHC_DF_BEFORE && strcmp(r.field, "due_at") == 0, "due before receipt is refused");
	}

	/* counters: text form round trip, errors, arithmetic */
	{
		TthcCounters a, b;
		char		buf[2048];
		char		err[128];

		tthc_counters_zero(&a);
		a.v[TTHC_C_received] = 3;
		a.v[TTHC_C_work_usecs] = INT64_C(9007199254740993);	/* past 2^53 */
		a.v[TTHC_C_late] = -2;
		ok(tthc_counters_format(&a, buf, sizeof(buf)) < (int) sizeof(buf), "counters format");
		ok(tthc_counters_parse(buf, &b, err, sizeof(err)) == NULL &&
		   memcmp(&a, &b, sizeof(a)) == 0, "format then parse is the identity, exactly past 2^53");
		ok(tthc_counters_format(&a, buf, 10) > 10 && strlen(buf) == 9, "a short buffer is not overrun");
		ok(tthc_counters_parse("{}", &b, err, sizeof(err)) == NULL && tthc_counters_is_zero(&b),
		   "{} is zero");
		ok(tthc_counters_parse(" { \"late\" : 4 } ", &b, err, sizeof(err)) == NULL &&
		   b.v[TTHC_C_late] == 4 && b.v[TTHC_C_received] == 0, "a subset of counters, with spaces");
		ok(tthc_counters_parse("{\"bogus\": 1}", &b, err, sizeof(err)) != NULL &&
		   strstr(err, "bogus") != NULL, "an unknown counter is named");
		ok(tthc_counters_parse("{\"late\": 1.5}", &b, err, sizeof(err)) != NULL, "fractions are refused");
		ok(tthc_counters_parse("{\"late\": 1, \"late\": 2}", &b, err, sizeof(err)) != NULL,
		   "duplicates are refused");
		ok(tthc_counters_parse("{\"late\": 99999999999999999999}", &b, err, sizeof(err)) != NULL,
		   "out of range is refused");
		ok(tthc_counters_parse("{\"late\": 1", &b, err, sizeof(err)) != NULL &&
		   tthc_counters_parse("[1]", &b, err, sizeof(err)) != NULL &&
		   tthc_counters_parse("{\"late\": 1} x", &b, err, sizeof(err)) != NULL &&
		   tthc_counters_parse("", &b, err, sizeof(err)) != NULL, "malformed text is refused");
		b = a;
		ok(tthc_counters_add(&b, &a, 1) && b.v[TTHC_C_received] == 6, "add");
		ok(tthc_counters_add(&b, &a, -1) && memcmp(&a, &b, sizeof(a)) == 0, "subtract undoes add");
		tthc_counters_zero(&b);
		b.v[TTHC_C_received] = INT64_MAX;
		ok(!tthc_counters_add(&b, &a, 1), "overflow is reported");
	}

	/* counters: the packed form of the SQL type */
	{
		TthcCounters a, b;
		uint8_t		buf[TTHC_COUNTERS_PACKED_MAX + 8];
		int			len;
		bool		all_ok = true;

		tthc_counters_zero(&a);
		len = tthc_counters_pack(&a, buf);
		ok(len == 8 && tthc_counters_unpack(buf, len, &b) && tthc_counters_is_zero(&b),
		   "zero packs into its 8-byte mask");
		a.v[TTHC_C_received] = 1;
		a.v[TTHC_C_late] = -1;
		a.v[TTHC_C_work_usecs] = INT64_C(9007199254740993);
		len = tthc_counters_pack(&a, buf);
		ok(len == 8 + 1 + 1 + 8 && tthc_counters_unpack(buf, len, &b) && memcmp(&a, &b, sizeof(a)) == 0,
		   "a delta packs into 18 bytes and back");
		for (int i = 0; i < TTHC_NCOUNTERS; i++)
			a.v[i] = i % 2 ? INT64_MIN + (i % 3) : INT64_MAX - (i % 3);
		len = tthc_counters_pack(&a, buf);
		ok(len <= TTHC_COUNTERS_PACKED_MAX && tthc_counters_unpack(buf, len, &b) &&
		   memcmp(&a, &b, sizeof(a)) == 0, "every counter at the ends of int64 and back");
		for (int r = 0; r < 2000; r++)
		{
			for (int i = 0; i < TTHC_NCOUNTERS; i++)
				a.v[i] = (r * 7 + i) % 5 == 0 ? 0 : (int64_t) ((uint64_t) r * 2654435761u * (i + 1)) >> (r % 60);
			len = tthc_counters_pack(&a, buf);
			if (!tthc_counters_unpack(buf, len, &b) || memcmp(&a, &b, sizeof(a)) != 0)
				all_ok = false;
			/* every truncation is refused, and so is a byte too many */
			for (int cut = 0; cut < len && r < 50; cut++)
				if (tthc_counters_unpack(buf, cut, &b))
					all_ok = false;
			buf[len] = 0;
			if (tthc_counters_unpack(buf, len + 1, &b))
				all_ok = false;
		}
		ok(all_ok, "2,000 random values round trip; truncations and trailing bytes are refused");
		memset(buf, 0, sizeof(buf));
		buf[7] = 0x80;			/* counter 63: a later version's */
		buf[8] = 0x02;
		ok(tthc_counters_unpack(buf, 9, &b) && tthc_counters_is_zero(&b), "a later version's counter is dropped");
		buf[7] = 0;
		buf[0] = 1;
		memset(buf + 8, 0xff, 9);
		buf[17] = 0x7f;
		ok(!tthc_counters_unpack(buf, 18, &b), "a varint past 64 bits is refused");
	}

	/* properties over random dossiers */
	{
		unsigned	seed = 766;
		int			bad = 0;

		for (int i = 0; i < 20000; i++)
		{
			TthcCounters c1, c2, c3;
			int64_t		t1, t2;

#define RND(n) ((seed = seed * 1103515245u + 12345u), (int) ((seed >> 8) % (unsigned) (n)))
			d = base();
			d.status = 1 + RND(10);
			d.channel = RND(4);
			d.received = at(2026, 1, 5, 0, 0) + (int64_t) RND(300 * 24 * 60) * 60 * TTHC_USECS_PER_SEC;
			d.submitted = d.received - (int64_t) RND(3600) * TTHC_USECS_PER_SEC;
			d.due = RND(10) == 0 ? NO : d.received + (int64_t) RND(30 * 24) * TTHC_USECS_PER_HOUR;
			d.finished = RND(2) ? d.received + (int64_t) RND(40 * 24) * TTHC_USECS_PER_HOUR : NO;
			d.returned = (HAS(d.finished) && RND(2)) ? d.finished + TTHC_USECS_PER_HOUR : NO;
			d.supplement_requests = RND(4) == 0 ? 1 + RND(2) : 0;
			if (d.supplement_requests)
			{
				d.supplement_requested = d.received + (int64_t) RND(5 * 24) * TTHC_USECS_PER_HOUR;
				d.supplement_received = RND(2) ? d.supplement_requested + (int64_t) RND(48) * TTHC_USECS_PER_HOUR : NO;
			}
			d.rating = RND(3) - 1;
			if (d.status == TTHC_ST_FINISHED && !HAS(d.finished))
				d.finished = d.received + TTHC_USECS_PER_HOUR;
			if (d.status == TTHC_ST_RETURNED && !HAS(d.returned))
				d.returned = d.received + 2 * TTHC_USECS_PER_HOUR;
			if (tthc_dossier_check(&d).fault != TTHC_DF_OK)
				continue;
			cl = classify(&d);
			t1 = d.received + (int64_t) RND(60 * 24) * TTHC_USECS_PER_HOUR;
			t2 = t1 + (int64_t) RND(60 * 24) * TTHC_USECS_PER_HOUR;
			tthc_dossier_counters_at(&cl, t1, &c1);
			tthc_dossier_counters_at(&cl, t2, &c2);
			tthc_dossier_counters_at(&cl, far, &c3);
			if (c1.v[TTHC_C_late] > c2.v[TTHC_C_late])
				bad++;		/* lateness never goes away with time */
			if (c2.v[TTHC_C_late] > c2.v[TTHC_C_received] ||
				c2.v[TTHC_C_late_or_unsatisfied] < c2.v[TTHC_C_late])
				bad++;
			if (c3.v[TTHC_C_ended] && c3.v[TTHC_C_on_time] + c3.v[TTHC_C_late] != 1)
				bad++;		/* an ended dossier is on time or late, never both */
			if (c3.v[TTHC_C_early] > c3.v[TTHC_C_on_time] ||
				c3.v[TTHC_C_in_person] + c3.v[TTHC_C_online] + c3.v[TTHC_C_postal] != c3.v[TTHC_C_received])
				bad++;
			if (c3.v[TTHC_C_work_usecs] < 0 || c3.v[TTHC_C_elapsed_usecs] < c3.v[TTHC_C_work_usecs])
				bad++;
			/* the tally entries add up to the counters at any time */
			{
				TthcCounters eb, el, sum;
				int32_t		lday = 0;
				int			n = tthc_dossier_entries(&cl, &eb, &lday, &el);

				tthc_counters_zero(&sum);
				if (n >= 1)
					tthc_counters_add(&sum, &eb, 1);
				if (n == 2 && cl.late_from < t1)
					tthc_counters_add(&sum, &el, 1);
				if (memcmp(&sum, &c1, sizeof(sum)) != 0)
					bad++;
				if (n == 2 && lday != tthc_local_day(cl.late_from))
					bad++;
				if (n == 0 && (cl.received || !tthc_counters_is_zero(&c1)))
					bad++;
			}
		}
		ok(bad == 0, "20000 random dossiers: lateness only grows with time, ended ones are on time "
		   "xor late, channels partition, handling times are sane, tally entries add up (%d bad)", bad);
	}

	free_calendar();
	return tap_done();
}
