# tthc: PGXS build.  `make && make install`, then CREATE EXTENSION tthc.
# The two commands a person runs (demo and tests) are scripts/demo.sh and
# scripts/test.sh, reached as `make demo` and `make test`.

EXTENSION   = tthc
EXTVERSION  = $(shell sed -n "s/^default_version *= *'\(.*\)'/\1/p" tthc.control)

MODULE_big  = tthc
CORE_OBJS   = src/core/lunar.o src/core/calendar.o src/core/counters.o src/core/dossier.o src/core/tally.o src/core/feedback.o src/core/step.o src/core/indexset.o src/core/metrics.o src/core/sync.o src/core/sipas.o
OBJS        = src/tthc.o src/calendar.o src/counters_type.o src/dossier.o src/procedure.o src/tally.o src/feedback.o src/indexset.o src/scores.o src/step.o src/publish.o src/sync.o src/security.o src/sipas.o src/partition.o $(CORE_OBJS)
SHLIB_LINK  = -lcjson -lm

# The install script is one file per part in src/sql/, joined at build time.
# src/upgrade/ keeps the install scripts of earlier versions, unchanged, and
# the upgrade scripts between versions (test/upgrade checks them).
DATA_built  = $(EXTENSION)--$(EXTVERSION).sql
DATA        = $(sort $(wildcard src/upgrade/$(EXTENSION)--*.sql))
SQL_PARTS   = $(sort $(wildcard src/sql/*.sql))

REGRESS      = setup calendar catalogue dossier feedback scores publish sync security yearly
ISOLATION      = calendar_cache catalogue_cache tally_concurrency inbox_concurrency
ISOLATION_OPTS = --inputdir=test/isolation --outputdir=test/isolation

PG_CPPFLAGS = -I$(srcdir)/src
PG_CFLAGS   = -Wall -Wextra -Werror -Wno-unused-parameter -Wno-sign-compare \
              -Wno-missing-field-initializers -Wno-cast-function-type

EXTRA_CLEAN = test/isolation/results test/isolation/regression.* test/unit/*.bin

PG_CONFIG ?= pg_config
PGXS := $(shell $(PG_CONFIG) --pgxs)
include $(PGXS)

# PGXS does not track headers: every object depends on all of ours.
$(OBJS): src/tthc.h $(wildcard src/core/*.h)

# ... and the shipped index set, loaded (and checked) by CREATE EXTENSION.
$(EXTENSION)--$(EXTVERSION).sql: $(SQL_PARTS) src/sql/index_766.json
	cat $(SQL_PARTS) > $@
	{ echo 'SELECT tthc.load_index_set($$tthc_index$$'; cat src/sql/index_766.json; \
	  echo '$$tthc_index$$);'; echo 'UPDATE tthc.index_set SET shipped = true;'; } >> $@

# C unit tests of the pure core, under AddressSanitizer and UBSan.
UNIT_TESTS  = test/unit/test_lunar test/unit/test_calendar test/unit/test_dossier test/unit/test_feedback test/unit/test_step test/unit/test_tally test/unit/test_indexset test/unit/test_metrics test/unit/test_sync test/unit/test_sipas
UNIT_CFLAGS = -std=c99 -D_GNU_SOURCE -Wall -Wextra -Werror -O1 -g \
              -fsanitize=address,undefined -fno-omit-frame-pointer
CORE_SRCS   = src/core/lunar.c src/core/calendar.c src/core/counters.c src/core/dossier.c src/core/tally.c src/core/feedback.c src/core/step.c src/core/indexset.c src/core/metrics.c src/core/sync.c src/core/sipas.c

test/unit/%.bin: test/unit/%.c $(CORE_SRCS) src/core/*.h test/unit/tap.h test/unit/fixture.h
	$(CC) $(UNIT_CFLAGS) -I$(srcdir)/src -o $@ $< $(CORE_SRCS) -lcjson -lm

unit: $(addsuffix .bin,$(UNIT_TESTS))
	@for t in $^; do ASAN_OPTIONS=detect_leaks=1 ./$$t || exit 1; done

# libFuzzer over the sync payload parser (clang, ASan, UBSan); FUZZ_SECONDS=3600 for a long run.
FUZZ_SECONDS ?= 20
fuzz:
	bash test/fuzz/run.sh $(FUZZ_SECONDS)

demo:
	bash scripts/demo.sh

test:
	bash scripts/test.sh

bench:
	bash scripts/bench.sh

.PHONY: unit fuzz demo test bench
