# phsg - personal housing support grants.
#
#   make          build build/phsg, build/libphsg.a, build/libphsg.so, build/phsg.pc
#   make demo     install what is missing, build, and run the bundled example
#   make test     install what is missing (tools/setup), then make check
#   make check    every test, with the packages already there (installs none):
#                 the unit and end-to-end suites under -fsanitize=address,undefined,
#                 on SQLite and on PostgreSQL (a throwaway cluster, tools/pgtest),
#                 the kill -9 harness, the concurrency check, the fuzz smoke run,
#                 the man pages, progress under a terminal, make install/uninstall
#   make install  phsg, libphsg.so and .a, the headers, phsg.pc, the man pages
#                 and the schemes (PREFIX, DESTDIR, SYSCONFDIR, ...; see below)
#   make uninstall  remove what make install put there
#   make bench    the benchmarks under tools/bench/
#   make pg-unit  the PostgreSQL backend's unit test, with the sanitizers,
#                 against a throwaway cluster (tools/pgtest)
#   make valgrind the CLI suite with every phsg command under valgrind's
#                 memcheck (slow; not part of make test)
#
# OPT overrides the optimisation level; BUILD the output folder; CFLAGS,
# CPPFLAGS and LDFLAGS from the environment are added (dpkg-buildflags).
# Warnings are errors only in a developer build: DEV=1 (or WERROR=1), which
# make check, make test and .ci/run use; a plain `make` with a newer compiler
# that warns about something new still builds.

CC      ?= cc
OPT     ?= -O2
BUILD   ?= build
SAN     ?=
DEV     ?=
WERROR  ?= $(DEV)
PKG_CONFIG ?= pkg-config
CSTD    := -std=c11
WARN    := -Wall -Wextra -Wstrict-prototypes -Wvla -Wwrite-strings \
           -Wshadow -Wformat=2 -Wno-format-truncation
ifneq ($(WERROR),)
WARN    += -Werror
endif

# ---- where make install puts things (GNU names, upper case) ----
PREFIX      ?= /usr/local
EXEC_PREFIX ?= $(PREFIX)
BINDIR      ?= $(EXEC_PREFIX)/bin
LIBDIR      ?= $(EXEC_PREFIX)/lib
INCLUDEDIR  ?= $(PREFIX)/include
DATAROOTDIR ?= $(PREFIX)/share
MANDIR      ?= $(DATAROOTDIR)/man
SYSCONFDIR  ?= $(PREFIX)/etc
PKGCONFIGDIR ?= $(LIBDIR)/pkgconfig
DESTDIR     ?=
INSTALL     ?= install

VERSION   := $(shell sed -n 's/^\#define PHSG_VERSION "\(.*\)"/\1/p' include/phsg/version.h)
# The shared library's ABI version: bump it with any change that breaks
# programs linked against an earlier libphsg.so.$(SOVERSION).
SOVERSION := 0
SONAME    := libphsg.so.$(SOVERSION)

# ---- the libraries phsg links, found with pkg-config ----
# MODULE:NAME - the pkg-config module where it has a .pc file, else -lNAME
# (Debian ships no .pc for libcsv).  phsg.pc lists the first kind in
# Requires.private and the second in Libs.private.
DEPS := libconfig:config gmp:gmp jansson:jansson sqlite3:sqlite3 libcsv:csv
pc_has = $(shell $(PKG_CONFIG) --exists $(1) 2>/dev/null && echo yes)
DEP_PC  := $(strip $(foreach d,$(DEPS),$(if $(call pc_has,$(firstword $(subst :, ,$(d)))),$(firstword $(subst :, ,$(d))))))
DEP_RAW := $(foreach d,$(DEPS),$(if $(call pc_has,$(firstword $(subst :, ,$(d)))),,-l$(lastword $(subst :, ,$(d)))))
DEP_CFLAGS := $(if $(DEP_PC),$(shell $(PKG_CONFIG) --cflags $(DEP_PC)))
DEP_LIBS   := $(if $(DEP_PC),$(shell $(PKG_CONFIG) --libs $(DEP_PC))) $(DEP_RAW) -lpthread -ldl
# libpq and libmicrohttpd are loaded when first needed (dlopen: see the top
# of src/lib/ledger_pg.c): their headers are needed to build, not to link,
# but for tests that call libpq themselves
PQ_CFLAGS  := $(shell $(PKG_CONFIG) --cflags libpq 2>/dev/null)
PQ_LIBS    := $(shell $(PKG_CONFIG) --libs libpq 2>/dev/null || echo -lpq)

# the binary in the build tree reads the tree's config/ and ledger/
TREE_PATHS := -DPHSG_CONFIG_DIR='"$(CURDIR)/config"' -DPHSG_LEDGER_DIR='"$(CURDIR)/ledger"'
BASE_CPPFLAGS := -Iinclude -D_GNU_SOURCE $(DEP_CFLAGS) $(PQ_CFLAGS)
CPPFLAGS += $(BASE_CPPFLAGS) $(TREE_PATHS)
CFLAGS  ?= -g
CFLAGS  += $(CSTD) $(OPT) $(WARN) -MMD -MP
LDLIBS  := $(DEP_LIBS)

ifneq ($(SAN),)
CFLAGS  += -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all
LDFLAGS += -fsanitize=address,undefined
endif

LIB_SRC := $(wildcard src/lib/*.c)
CLI_SRC := $(wildcard src/cli/*.c) $(wildcard src/web/*.c)
UNIT_SRC := $(wildcard tests/unit/test_*.c)

MIGRATIONS := $(sort $(wildcard ledger/migrations/*.sql))
# the PostgreSQL ledger's schema starts at version 5 (ledger/postgresql/)
PG_SCHEMA_VERSION := 5
PG_MIGRATIONS := $(sort $(wildcard ledger/postgresql/migrations/*.sql))
LIB_OBJ := $(LIB_SRC:%.c=$(BUILD)/obj/%.o) $(BUILD)/obj/gen/migrations.o \
           $(BUILD)/obj/gen/pg_migrations.o
PIC_OBJ := $(LIB_SRC:%.c=$(BUILD)/pic/%.o) $(BUILD)/pic/gen/migrations.o \
           $(BUILD)/pic/gen/pg_migrations.o
CLI_OBJ := $(CLI_SRC:%.c=$(BUILD)/obj/%.o)
UNIT_BIN := $(UNIT_SRC:tests/unit/%.c=$(BUILD)/tests/%)

# phsg serve (src/web/): libmicrohttpd's header; serve.c loads the library
# itself when it starts (dlopen), so no other command pays for it
MHD_CFLAGS := $(shell pkg-config --cflags libmicrohttpd 2>/dev/null)
$(BUILD)/obj/src/web/%.o: CPPFLAGS += -Isrc/cli $(MHD_CFLAGS)

LIB := $(BUILD)/libphsg.a
SOLIB := $(BUILD)/libphsg.so.$(VERSION)
BIN := $(BUILD)/phsg
PC  := $(BUILD)/phsg.pc
# the binary make install installs: main.c built again with the installed paths
INST_BIN := $(BUILD)/installed/phsg
INST_MAIN := $(BUILD)/installed/main.o
INST_PATHS := $(BUILD)/installed/paths.h

HEADERS := include/phsg.h $(wildcard include/phsg/*.h)
SYS_HEADERS := $(wildcard include/phsg/sys/*.h)
SCHEMES := $(wildcard config/*.cfg)
MANPAGES := man/phsg.1 man/phsg-scheme.5

.PHONY: all setup demo test check unit cli-tests asan bench bench-tools killtest headers valgrind clean \
	fuzz fuzz-build fuzz-smoke fuzz-merge install uninstall installed man-check \
	progress-check install-check pg-unit cli-tests-both suites FORCE

all: $(LIB) $(SOLIB) $(BIN) $(PC)

# V=1 shows the full commands
Q := $(if $(V),,@)

# Every object is rebuilt when the compiler or its flags change (a DEV=1
# build after a plain one, or CFLAGS given on the command line).
FLAGS_STAMP := $(BUILD)/flags
$(FLAGS_STAMP): FORCE
	$(shell mkdir -p $(dir $@))$(file >$@.new,$(CC) $(CPPFLAGS) $(CFLAGS) $(LDFLAGS) $(LDLIBS))
	@if cmp -s $@.new $@; then rm -f $@.new; else mv -f $@.new $@; fi

# src/banned.h turns unsafe functions into compile errors in phsg's own sources
$(BUILD)/obj/src/%.o: src/%.c src/banned.h Makefile $(FLAGS_STAMP)
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  CC      $<")
	$(Q)$(CC) $(CPPFLAGS) -include src/banned.h $(CFLAGS) -c -o $@ $<

# the shared library's objects: position-independent, in their own folder
$(BUILD)/pic/src/%.o: src/%.c src/banned.h Makefile $(FLAGS_STAMP)
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  CC      $< (PIC)")
	$(Q)$(CC) $(CPPFLAGS) -include src/banned.h $(CFLAGS) -fPIC -c -o $@ $<

$(BUILD)/obj/%.o: %.c Makefile $(FLAGS_STAMP)
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  CC      $<")
	$(Q)$(CC) $(CPPFLAGS) $(CFLAGS) -c -o $@ $<

$(BUILD)/gen/migrations.c: ledger/schema.sql $(MIGRATIONS) tools/embed-sql
	@mkdir -p $(dir $@)
	$(Q)tools/embed-sql $@ ledger/schema.sql $(MIGRATIONS)

$(BUILD)/obj/gen/migrations.o: $(BUILD)/gen/migrations.c $(FLAGS_STAMP)
	@mkdir -p $(dir $@)
	$(Q)$(CC) $(CPPFLAGS) $(CFLAGS) -c -o $@ $<

$(BUILD)/pic/gen/migrations.o: $(BUILD)/gen/migrations.c $(FLAGS_STAMP)
	@mkdir -p $(dir $@)
	$(Q)$(CC) $(CPPFLAGS) $(CFLAGS) -fPIC -c -o $@ $<

$(BUILD)/gen/pg_migrations.c: ledger/postgresql/schema.sql $(PG_MIGRATIONS) tools/embed-sql
	@mkdir -p $(dir $@)
	$(Q)tools/embed-sql -n phsg_pg_ -b $(PG_SCHEMA_VERSION) $@ ledger/postgresql/schema.sql $(PG_MIGRATIONS)

$(BUILD)/obj/gen/pg_migrations.o: $(BUILD)/gen/pg_migrations.c $(FLAGS_STAMP)
	@mkdir -p $(dir $@)
	$(Q)$(CC) $(CPPFLAGS) $(CFLAGS) -c -o $@ $<

$(BUILD)/pic/gen/pg_migrations.o: $(BUILD)/gen/pg_migrations.c $(FLAGS_STAMP)
	@mkdir -p $(dir $@)
	$(Q)$(CC) $(CPPFLAGS) $(CFLAGS) -fPIC -c -o $@ $<

$(LIB): $(LIB_OBJ)
	@mkdir -p $(dir $@)
	@rm -f $@
	@$(if $(Q),echo "  AR      $@")
	$(Q)ar rcs $@ $^

# libphsg.so.VERSION, soname libphsg.so.SOVERSION, and the two links to it
$(SOLIB): $(PIC_OBJ)
	@$(if $(Q),echo "  LINK    $@")
	$(Q)$(CC) -shared -Wl,-soname,$(SONAME) -Wl,--no-undefined $(LDFLAGS) -o $@ \
		$(PIC_OBJ) $(LDLIBS)
	$(Q)ln -sf $(notdir $@) $(BUILD)/$(SONAME)
	$(Q)ln -sf $(SONAME) $(BUILD)/libphsg.so

$(BIN): $(CLI_OBJ) $(LIB)
	@$(if $(Q),echo "  LINK    $@")
	$(Q)$(CC) $(LDFLAGS) -o $@ $(CLI_OBJ) $(LIB) $(LDLIBS)

# The installed binary reads $(SYSCONFDIR)/phsg, never the tree's config/.
# paths.h changes (and main.o is rebuilt) only when SYSCONFDIR does.
$(INST_PATHS): FORCE
	@mkdir -p $(dir $@)
	@printf '#define PHSG_INSTALLED 1\n#define PHSG_CONFIG_DIR "%s"\n' '$(SYSCONFDIR)/phsg' > $@.new
	@if cmp -s $@.new $@; then rm -f $@.new; else mv -f $@.new $@; fi

$(INST_MAIN): src/cli/main.c src/banned.h Makefile $(INST_PATHS) $(FLAGS_STAMP)
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  CC      $< (installed paths)")
	$(Q)$(CC) $(BASE_CPPFLAGS) $(filter-out $(BASE_CPPFLAGS) $(TREE_PATHS),$(CPPFLAGS)) \
		-include $(INST_PATHS) -include src/banned.h $(CFLAGS) -c -o $@ $<

# linked with libphsg.a: the installed tool needs no rpath or ldconfig
$(INST_BIN): $(filter-out %/main.o,$(CLI_OBJ)) $(INST_MAIN) $(LIB)
	@$(if $(Q),echo "  LINK    $@")
	$(Q)$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

installed: $(INST_BIN)

$(PC): Makefile include/phsg/version.h $(FLAGS_STAMP) FORCE
	@mkdir -p $(dir $@)
	@{ echo 'prefix=$(PREFIX)'; \
	  echo 'exec_prefix=$(if $(filter $(PREFIX),$(EXEC_PREFIX)),$${prefix},$(EXEC_PREFIX))'; \
	  echo 'libdir=$(patsubst $(EXEC_PREFIX)/%,$${exec_prefix}/%,$(LIBDIR))'; \
	  echo 'includedir=$(patsubst $(PREFIX)/%,$${prefix}/%,$(INCLUDEDIR))'; \
	  echo; \
	  echo 'Name: phsg'; \
	  echo 'Description: personal housing support grants: quotes, awards, payment runs, scenarios'; \
	  echo 'Version: $(VERSION)'; \
	  echo 'Requires.private: $(DEP_PC)'; \
	  echo 'Libs: -L$${libdir} -lphsg'; \
	  echo 'Libs.private: $(strip $(DEP_RAW) -lpthread -ldl)'; \
	  echo 'Cflags: -I$${includedir}'; } > $@.new
	@if cmp -s $@.new $@; then rm -f $@.new; else mv -f $@.new $@; fi

# ---- make install / make uninstall ----
# Schemes are configuration a council edits: make install does not overwrite
# one that differs from the shipped file (it writes the shipped one beside
# it as NAME.cfg.new), and make uninstall removes only unedited ones.
install: all $(INST_BIN) $(PC)
	$(INSTALL) -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(LIBDIR) $(DESTDIR)$(PKGCONFIGDIR) \
		$(DESTDIR)$(INCLUDEDIR)/phsg $(DESTDIR)$(MANDIR)/man1 $(DESTDIR)$(MANDIR)/man5 \
		$(DESTDIR)$(SYSCONFDIR)/phsg
	$(INSTALL) -m 755 $(INST_BIN) $(DESTDIR)$(BINDIR)/phsg
	$(INSTALL) -m 644 $(LIB) $(DESTDIR)$(LIBDIR)/libphsg.a
	$(INSTALL) -m 755 $(SOLIB) $(DESTDIR)$(LIBDIR)/libphsg.so.$(VERSION)
	ln -sf libphsg.so.$(VERSION) $(DESTDIR)$(LIBDIR)/$(SONAME)
	ln -sf $(SONAME) $(DESTDIR)$(LIBDIR)/libphsg.so
	$(INSTALL) -m 644 $(PC) $(DESTDIR)$(PKGCONFIGDIR)/phsg.pc
	$(INSTALL) -m 644 include/phsg.h $(DESTDIR)$(INCLUDEDIR)/phsg.h
	$(INSTALL) -m 644 $(filter-out include/phsg.h,$(HEADERS)) $(DESTDIR)$(INCLUDEDIR)/phsg/
ifneq ($(SYS_HEADERS),)
	$(INSTALL) -d $(DESTDIR)$(INCLUDEDIR)/phsg/sys
	$(INSTALL) -m 644 $(SYS_HEADERS) $(DESTDIR)$(INCLUDEDIR)/phsg/sys/
endif
	@# the pages name the schemes' folder as installed
	sed 's#/etc/phsg#$(SYSCONFDIR)/phsg#g' man/phsg.1 > $(DESTDIR)$(MANDIR)/man1/phsg.1
	sed 's#/etc/phsg#$(SYSCONFDIR)/phsg#g' man/phsg-scheme.5 > $(DESTDIR)$(MANDIR)/man5/phsg-scheme.5
	chmod 644 $(DESTDIR)$(MANDIR)/man1/phsg.1 $(DESTDIR)$(MANDIR)/man5/phsg-scheme.5
	@for f in $(SCHEMES); do \
		t=$(DESTDIR)$(SYSCONFDIR)/phsg/$${f#config/}; \
		if [ -e "$$t" ] && ! cmp -s "$$f" "$$t"; then \
			echo "  kept $$t (edited); the shipped one is $$t.new"; \
			$(INSTALL) -m 644 "$$f" "$$t.new" || exit 1; \
		else \
			echo "$(INSTALL) -m 644 $$f $$t"; \
			$(INSTALL) -m 644 "$$f" "$$t" || exit 1; \
		fi; \
	done

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/phsg
	rm -f $(DESTDIR)$(LIBDIR)/libphsg.a $(DESTDIR)$(LIBDIR)/libphsg.so \
		$(DESTDIR)$(LIBDIR)/$(SONAME) $(DESTDIR)$(LIBDIR)/libphsg.so.$(VERSION)
	rm -f $(DESTDIR)$(PKGCONFIGDIR)/phsg.pc
	rm -f $(DESTDIR)$(INCLUDEDIR)/phsg.h
	rm -rf $(DESTDIR)$(INCLUDEDIR)/phsg
	rm -f $(DESTDIR)$(MANDIR)/man1/phsg.1 $(DESTDIR)$(MANDIR)/man5/phsg-scheme.5
	@for f in $(SCHEMES); do \
		t=$(DESTDIR)$(SYSCONFDIR)/phsg/$${f#config/}; \
		rm -f "$$t.new"; \
		if [ -e "$$t" ] && ! cmp -s "$$f" "$$t"; then \
			echo "  kept $$t (edited)"; \
		else \
			rm -f "$$t"; \
		fi; \
	done
	-rmdir $(DESTDIR)$(SYSCONFDIR)/phsg 2>/dev/null

$(BUILD)/tests/%: $(BUILD)/obj/tests/unit/%.o $(LIB)
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  LINK    $@")
	$(Q)$(CC) $(LDFLAGS) -o $@ $< $(LIB) $(LDLIBS) $(shell $(PKG_CONFIG) --libs cmocka 2>/dev/null || echo -lcmocka)

# this one talks to the server with libpq itself
$(BUILD)/tests/test_ledger_pg: LDLIBS += $(PQ_LIBS)

unit: $(UNIT_BIN)
	@set -e; for t in $(UNIT_BIN); do echo "== $$t"; $$t; done

# The PostgreSQL backend's unit test, with the sanitizers, against a
# throwaway cluster (tools/pgtest); without one it skips.
pg-unit: setup
	$(MAKE) --no-print-directory BUILD=build/asan SAN=1 OPT=-O1 build/asan/tests/test_ledger_pg
	ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
		tools/pgtest run build/asan/tests/test_ledger_pg

cli-tests: $(BIN)
	tests/cli/run $(BIN)

# The CLI suite on both ledger backends (SPEC section 14), inside tools/pgtest:
# each command's output, status and error recorded (tools/transcript-phsg) and
# the two runs compared byte for byte.
TRANSCRIPTS := $(BUILD)/transcripts
cli-tests-both: $(BIN)
	@rm -rf $(TRANSCRIPTS)
	PHSG_TRANSCRIPT=$(TRANSCRIPTS)/sqlite tests/cli/run $(BIN)
	PHSG_TEST_BACKEND=postgresql PHSG_TRANSCRIPT=$(TRANSCRIPTS)/postgresql tests/cli/run $(BIN)
	tools/compare-transcripts $(TRANSCRIPTS)/sqlite $(TRANSCRIPTS)/postgresql

# Every suite against SQLite and PostgreSQL.  It runs inside tools/pgtest
# (make check starts it there: a throwaway cluster of its own, stopped at the
# end even when a suite fails).
SAN_ENV := ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 \
	UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
suites:
	@[ -n "$$PHSG_PGTEST" ] || { echo "make suites runs inside tools/pgtest run (make check)"; exit 2; }
	$(SAN_ENV) $(MAKE) --no-print-directory BUILD=build/asan SAN=1 OPT=-O1 unit cli-tests-both
	tools/killtest $(BIN) 300 20
	PHSG_TEST_BACKEND=postgresql tools/killtest $(BIN) 100 200
	tools/concurrency $(BIN) 4000
	PHSG_TEST_BACKEND=postgresql tools/concurrency $(BIN) 4000
	tools/concurrency-mixed $(BIN) 300 20
	PHSG_TEST_BACKEND=postgresql tools/concurrency-mixed $(BIN) 1000 60

setup:
	@tools/setup

# The sanitizer build lives in its own folder so it never mixes with the
# optimised one.
asan:
	$(MAKE) BUILD=build/asan SAN=1 OPT=-O1 build/asan/libphsg.a build/asan/phsg \
		$(UNIT_SRC:tests/unit/%.c=build/asan/tests/%)

# Each public header compiles on its own, strictly.
headers:
	@for h in include/phsg.h include/phsg/*.h $(SYS_HEADERS); do \
		printf '#include "%s"\n' "$${h#include/}" | \
		$(CC) -std=c11 -pedantic -Wall -Wextra -Werror -Iinclude $(DEP_CFLAGS) -x c -fsyntax-only - || exit 1; \
	done; echo "headers: each public header compiles alone"
	@tools/header-docs $(HEADERS) $(SYS_HEADERS) && \
		echo "headers: every public declaration has a /** */ comment"

# The man pages: both render, groff has nothing to say, and every command of
# `phsg help` and every setting the scheme loader accepts is documented.
man-check: $(BIN)
	tests/man-check $(BIN)

# Progress on stderr under a pseudo-terminal, never into a pipe or a file.
progress-check: $(BIN)
	tests/progress-check $(BIN)

# make install into a temporary root, the installed tool and library used
# from elsewhere, then make uninstall leaving nothing.
install-check:
	tests/install-check

# Every test, with what the system already has (tools/setup installs nothing
# here).  Warnings are errors (DEV=1).
check:
	$(MAKE) DEV=1 all headers bench-tools
	$(MAKE) DEV=1 asan
	tools/pgtest run $(MAKE) --no-print-directory DEV=1 suites
	$(MAKE) --no-print-directory DEV=1 fuzz-smoke
	$(MAKE) --no-print-directory DEV=1 man-check progress-check
	$(MAKE) --no-print-directory DEV=1 install-check
	@echo "make check: all suites passed"

# The README's second command: what is missing installed first, then check.
test: setup
	$(MAKE) --no-print-directory check
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

# SIZE: the numbers of awards tools/bench/ledger pays (make bench SIZE=1000000);
# BACKENDS: sqlite, postgresql or both (the default)
SIZE ?= 10000 100000
BACKENDS ?= sqlite postgresql
bench: setup all bench-tools
	tools/bench/run $(BIN)
	for n in $(SIZE); do PHSG_BENCH_BACKENDS="$(BACKENDS)" PHSG_JSON_LIMIT=$(BUILD)/bench/json-limit \
		tools/bench/ledger $(BIN) $$n || exit 1; done
	tools/bench/scenario $(BIN) 1000000
	tools/bench/serve $(BIN)

# the references the benchmarks measure phsg against, where they are C:
# json-limit, jansson alone decoding every stored award event
bench-tools: $(BUILD)/bench/json-limit
$(BUILD)/bench/json-limit: tools/bench/json-limit.c
	@mkdir -p $(@D)
	@echo "  CC      $<"
	$(Q)$(CC) $(CPPFLAGS) $(CFLAGS) $(LDFLAGS) $< -o $@ $(LDLIBS)

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
                      $(FUZZ_BUILD)/obj/gen/migrations.o $(FUZZ_BUILD)/obj/gen/pg_migrations.o
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

$(FUZZ_BUILD)/gen/pg_migrations.c: ledger/postgresql/schema.sql $(PG_MIGRATIONS) tools/embed-sql
	@mkdir -p $(dir $@)
	$(Q)tools/embed-sql -n phsg_pg_ -b $(PG_SCHEMA_VERSION) $@ ledger/postgresql/schema.sql $(PG_MIGRATIONS)

$(FUZZ_BUILD)/obj/gen/pg_migrations.o: $(FUZZ_BUILD)/gen/pg_migrations.c
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
-include $(LIB_OBJ:.o=.d) $(PIC_OBJ:.o=.d) $(INST_MAIN:.o=.d) $(CLI_OBJ:.o=.d) $(UNIT_SRC:tests/unit/%.c=$(BUILD)/obj/tests/unit/%.d)
