# phsg - personal housing support grants.
#
#   make demo    install what is missing, build, and run the bundled example
#   make test    install what is missing, then every test under
#                -fsanitize=address,undefined
#   make bench   the benchmarks under tools/bench/
#   make valgrind the CLI suite with every phsg command under valgrind's
#                memcheck (slow; not part of make test)
#
# OPT overrides the optimisation level; BUILD the output folder.

CC      ?= cc
OPT     ?= -O2
BUILD   ?= build
SAN     ?=
CSTD    := -std=c11
WARN    := -Wall -Wextra -Werror -Wstrict-prototypes -Wvla -Wwrite-strings \
           -Wshadow -Wformat=2 -Wno-format-truncation
CPPFLAGS += -Iinclude -D_GNU_SOURCE -DPHSG_CONFIG_DIR='"$(CURDIR)/config"' \
           -DPHSG_LEDGER_DIR='"$(CURDIR)/ledger"'
CFLAGS  ?= -g
CFLAGS  += $(CSTD) $(OPT) $(WARN) -MMD -MP
LDLIBS  := -lconfig -lgmp -ljansson -lsqlite3 -lcsv -lpthread

ifneq ($(SAN),)
CFLAGS  += -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all
LDFLAGS += -fsanitize=address,undefined
endif

LIB_SRC := $(wildcard src/lib/*.c)
CLI_SRC := $(wildcard src/cli/*.c) $(wildcard src/web/*.c)
UNIT_SRC := $(wildcard tests/unit/test_*.c)

MIGRATIONS := $(sort $(wildcard ledger/migrations/*.sql))
LIB_OBJ := $(LIB_SRC:%.c=$(BUILD)/obj/%.o) $(BUILD)/obj/gen/migrations.o
CLI_OBJ := $(CLI_SRC:%.c=$(BUILD)/obj/%.o)
UNIT_BIN := $(UNIT_SRC:tests/unit/%.c=$(BUILD)/tests/%)

# phsg serve (src/web/): libmicrohttpd, for the phsg binary only
MHD_CFLAGS := $(shell pkg-config --cflags libmicrohttpd 2>/dev/null)
MHD_LIBS   := $(shell pkg-config --libs libmicrohttpd 2>/dev/null || echo -lmicrohttpd)
$(BUILD)/obj/src/web/%.o: CPPFLAGS += -Isrc/cli $(MHD_CFLAGS)

LIB := $(BUILD)/libphsg.a
BIN := $(BUILD)/phsg

.PHONY: all setup demo test unit cli-tests asan bench killtest headers valgrind clean \
	fuzz fuzz-build fuzz-smoke fuzz-merge

all: $(LIB) $(BIN)

# V=1 shows the full commands
Q := $(if $(V),,@)

# src/banned.h turns unsafe functions into compile errors in phsg's own sources
$(BUILD)/obj/src/%.o: src/%.c src/banned.h Makefile
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  CC      $<")
	$(Q)$(CC) $(CPPFLAGS) -include src/banned.h $(CFLAGS) -c -o $@ $<

$(BUILD)/obj/%.o: %.c Makefile
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  CC      $<")
	$(Q)$(CC) $(CPPFLAGS) $(CFLAGS) -c -o $@ $<

$(BUILD)/gen/migrations.c: ledger/schema.sql $(MIGRATIONS) tools/embed-sql
	@mkdir -p $(dir $@)
	$(Q)tools/embed-sql $@ ledger/schema.sql $(MIGRATIONS)

$(BUILD)/obj/gen/migrations.o: $(BUILD)/gen/migrations.c
	@mkdir -p $(dir $@)
	$(Q)$(CC) $(CPPFLAGS) $(CFLAGS) -c -o $@ $<

$(LIB): $(LIB_OBJ)
	@mkdir -p $(dir $@)
	@rm -f $@
	@$(if $(Q),echo "  AR      $@")
	$(Q)ar rcs $@ $^

$(BIN): $(CLI_OBJ) $(LIB)
	@$(if $(Q),echo "  LINK    $@")
	$(Q)$(CC) $(LDFLAGS) -o $@ $(CLI_OBJ) $(LIB) $(LDLIBS) $(MHD_LIBS)

$(BUILD)/tests/%: $(BUILD)/obj/tests/unit/%.o $(LIB)
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  LINK    $@")
	$(Q)$(CC) $(LDFLAGS) -o $@ $< $(LIB) $(LDLIBS) -lcmocka

unit: $(UNIT_BIN)
	@set -e; for t in $(UNIT_BIN); do echo "== $$t"; $$t; done

cli-tests: $(BIN)
	tests/cli/run $(BIN)

setup:
	@tools/setup

# The sanitizer build lives in its own folder so it never mixes with the
# optimised one.
asan:
	$(MAKE) BUILD=build/asan SAN=1 OPT=-O1 all $(UNIT_SRC:tests/unit/%.c=build/asan/tests/%)

# Each public header compiles on its own, strictly.
headers:
	@for h in include/phsg.h include/phsg/*.h; do \
		printf '#include "%s"\n' "$${h#include/}" | \
		$(CC) -std=c11 -pedantic -Wall -Wextra -Werror -Iinclude -x c -fsyntax-only - || exit 1; \
	done; echo "headers: each public header compiles alone"

test: setup
	$(MAKE) all headers
	$(MAKE) asan
	ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
		$(MAKE) --no-print-directory BUILD=build/asan SAN=1 OPT=-O1 unit cli-tests
	tools/killtest $(BIN) 300 20
	tools/concurrency $(BIN) 4000
	$(MAKE) --no-print-directory fuzz-smoke
	@echo "make test: all suites passed"

# The fault-injection harness at full size: kill -9 at random instants.
killtest: setup all
	tools/killtest $(BIN) 5000 200
	tools/concurrency $(BIN) 20000

# The CLI suite (tests/cli/run) with tools/valgrind-phsg as the binary: every
# phsg command runs under memcheck, which sees the uninitialised reads the
# address sanitizer misses; an error or a definite leak exits 99 and fails the
# test.  Each command's report is kept in build/valgrind/ (PID.cmd, PID.log)
# and the ones with errors are printed at the end.  It takes a long time
# (about a second or two per command), so it is not part of make test.
VALGRIND_LOGS := $(CURDIR)/$(BUILD)/valgrind

valgrind: setup all
	@rm -rf $(VALGRIND_LOGS) && mkdir -p $(VALGRIND_LOGS) && chmod 1777 $(VALGRIND_LOGS)
	@start=$$(date +%s); \
	PHSG_VALGRIND_BIN=$(CURDIR)/$(BIN) PHSG_VALGRIND_LOGS=$(VALGRIND_LOGS) \
		tests/cli/run tools/valgrind-phsg; suite=$$?; \
	tools/valgrind-summary $(VALGRIND_LOGS); memcheck=$$?; \
	echo "make valgrind: $$(( $$(date +%s) - start )) s"; \
	[ $$suite -eq 0 ] && [ $$memcheck -eq 0 ]

demo: setup all
	tools/demo $(BIN)

bench: setup all
	tools/bench/run $(BIN)
	tools/bench/ledger $(BIN) 100000
	tools/bench/scenario $(BIN) 1000000
	tools/bench/serve $(BIN)

# ---- libFuzzer harnesses (SPEC section 12), tests/fuzz/ ----
# clang, with the library built again in its own folder with the same
# sanitizers and libFuzzer's coverage instrumentation (src/banned.h kept).
#   make fuzz         each harness for FUZZ_SECONDS (60) seconds
#   make fuzz-smoke   replay every seed input, then each harness for
#                     FUZZ_SMOKE_SECONDS (5) seconds
#   make fuzz-merge   add what make fuzz found (new coverage only) to the
#                     seed corpora in tests/fuzz/corpus/
FUZZ_CC            ?= clang
FUZZ_BUILD         := build/fuzz
FUZZ_SECONDS       ?= 60
FUZZ_SMOKE_SECONDS ?= 5
FUZZ_NAMES         := money date scheme caseload bacs csv
FUZZ_CFLAGS        := $(CSTD) -g -O1 $(filter-out -Wno-format-truncation,$(WARN)) \
                      -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
FUZZ_LIB_OBJ       := $(LIB_SRC:%.c=$(FUZZ_BUILD)/obj/%.o) $(FUZZ_BUILD)/obj/src/cli/common.o \
                      $(FUZZ_BUILD)/obj/gen/migrations.o
FUZZ_LIB           := $(FUZZ_BUILD)/libphsg-fuzz.a
FUZZ_BIN           := $(FUZZ_NAMES:%=$(FUZZ_BUILD)/fuzz_%)

$(FUZZ_BUILD)/obj/src/%.o: src/%.c src/banned.h Makefile
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  CC      $< (fuzz)")
	$(Q)$(FUZZ_CC) $(CPPFLAGS) -include src/banned.h $(FUZZ_CFLAGS) -fsanitize=fuzzer-no-link \
		-MMD -MP -c -o $@ $<

$(FUZZ_BUILD)/gen/migrations.c: ledger/schema.sql $(MIGRATIONS) tools/embed-sql
	@mkdir -p $(dir $@)
	$(Q)tools/embed-sql $@ ledger/schema.sql $(MIGRATIONS)

$(FUZZ_BUILD)/obj/gen/migrations.o: $(FUZZ_BUILD)/gen/migrations.c
	@mkdir -p $(dir $@)
	$(Q)$(FUZZ_CC) $(CPPFLAGS) $(FUZZ_CFLAGS) -c -o $@ $<

$(FUZZ_LIB): $(FUZZ_LIB_OBJ)
	@rm -f $@
	$(Q)ar rcs $@ $^

$(FUZZ_BUILD)/fuzz_%: tests/fuzz/fuzz_%.c tests/fuzz/fuzz.h $(FUZZ_LIB) Makefile
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  LINK    $@")
	$(Q)$(FUZZ_CC) $(CPPFLAGS) -Isrc/cli -include src/banned.h $(FUZZ_CFLAGS) -fsanitize=fuzzer \
		-MMD -MP -o $@ $< $(FUZZ_LIB) $(LDLIBS)

fuzz-build: $(FUZZ_BIN)

fuzz: setup
	$(MAKE) fuzz-build
	tools/fuzz run $(FUZZ_SECONDS) $(FUZZ_NAMES)

fuzz-smoke: fuzz-build
	tools/fuzz smoke $(FUZZ_SMOKE_SECONDS) $(FUZZ_NAMES)

fuzz-merge: fuzz-build
	@for n in $(FUZZ_NAMES); do \
		[ -d $(FUZZ_BUILD)/corpus/$$n ] || continue; \
		$(FUZZ_BUILD)/fuzz_$$n -merge=1 tests/fuzz/corpus/$$n $(FUZZ_BUILD)/corpus/$$n \
			</dev/null 2>&1 | grep -E '^MERGE-OUTER: [0-9]+ new files' || exit 1; \
	done

clean:
	rm -rf build

-include $(FUZZ_LIB_OBJ:.o=.d) $(FUZZ_BIN:=.d)
-include $(LIB_OBJ:.o=.d) $(CLI_OBJ:.o=.d) $(UNIT_SRC:tests/unit/%.c=$(BUILD)/obj/tests/unit/%.d)
