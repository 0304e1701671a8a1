# mediatorpool: mpoold (daemon), mpool (client), libmpool (shared code).
# Plain make; pkg-config finds the libraries and deps.sh installs any
# Debian package that is missing.

PREFIX  ?= /usr/local
DESTDIR ?=
BINDIR   = $(PREFIX)/bin
SBINDIR  = $(PREFIX)/sbin
UNITDIR  = $(PREFIX)/lib/systemd/system
DOCDIR   = $(PREFIX)/share/doc/mediatorpool
MANDIR   = $(PREFIX)/share/man

CC      ?= cc
B       := build
PKGS    := libzmq libczmq libprotobuf-c sqlite3 libsodium jansson inih libcurl libmicrohttpd
WARN    := -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wmissing-prototypes
CFLAGS  ?= -O2 -g
ALL_CFLAGS = -std=c11 -D_DEFAULT_SOURCE $(WARN) $(CFLAGS) -I$(B)/proto -Ishared -Idaemon \
             $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
# libunistring (names as people read them) ships no pkg-config file.
LIBS     = $(shell pkg-config --libs $(PKGS) 2>/dev/null) -lunistring -lm
TESTLIBS = $(shell pkg-config --libs cmocka 2>/dev/null)

SHARED_SRC := $(sort $(wildcard shared/*/*.c))
DAEMON_SRC := $(sort $(wildcard daemon/*/*.c))
CLIENT_SRC := $(sort $(wildcard client/*.c))
UNIT_SRC   := $(sort $(wildcard tests/unit/test_*.c))
TOOL_SRC   := $(sort $(wildcard tests/tools/*.c))

PROTO_C := $(B)/proto/mpool.pb-c.c
PROTO_H := $(B)/proto/mpool.pb-c.h
LIB     := $(B)/libmpool.a
SHARED_OBJ := $(SHARED_SRC:%.c=$(B)/%.o) $(B)/proto/mpool.pb-c.o
DAEMON_OBJ := $(DAEMON_SRC:%.c=$(B)/%.o)
CLIENT_OBJ := $(CLIENT_SRC:%.c=$(B)/%.o)
UNIT_BIN   := $(UNIT_SRC:tests/unit/%.c=$(B)/tests/%)
# Test tools: helper programs the scenario scripts run (a crafted peer).
TOOL_BIN   := $(TOOL_SRC:tests/tools/%.c=$(B)/tools/%)
# client/mpool.c holds main(); the rest of the client is linked into the
# load benchmark, which speaks to nodes as mpool does.
CLIENT_LIBOBJ := $(filter-out $(B)/client/mpool.o,$(CLIENT_OBJ))
# daemon/node/main.c holds main(); the rest of the daemon is linked into tests.
DAEMON_LIBOBJ := $(filter-out $(B)/daemon/node/main.o,$(DAEMON_OBJ))
DAEMON_LIB := $(B)/libmpoold.a

DEPS_STAMP := $(B)/.deps-ok

.PHONY: all docs check check-sanitized check-fuzz-corpus fuzz demo bench stress install clean deps \
        unit tools e2e format lint

all: $(B)/mpoold $(B)/mpool

deps: $(DEPS_STAMP)
$(DEPS_STAMP): deps.sh
	@./deps.sh
	@mkdir -p $(B) && touch $@

$(PROTO_C) $(PROTO_H): proto/mpool.proto | $(DEPS_STAMP)
	@mkdir -p $(B)/proto
	protoc-c --proto_path=proto --c_out=$(B)/proto proto/mpool.proto

$(B)/%.o: %.c $(PROTO_H) | $(DEPS_STAMP)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -MMD -MP -c $< -o $@

$(B)/proto/mpool.pb-c.o: $(PROTO_C)
	$(CC) $(ALL_CFLAGS) -Wno-missing-prototypes -c $< -o $@

$(LIB): $(SHARED_OBJ)
	ar rcs $@ $^

$(DAEMON_LIB): $(DAEMON_LIBOBJ)
	ar rcs $@ $^

$(B)/mpoold: $(DAEMON_OBJ) $(LIB)
	$(CC) $(ALL_CFLAGS) -o $@ $^ $(LIBS)

$(B)/mpool: $(CLIENT_OBJ) $(LIB)
	$(CC) $(ALL_CFLAGS) -o $@ $^ $(LIBS)

$(B)/tests/%: tests/unit/%.c $(DAEMON_LIB) $(LIB) | $(DEPS_STAMP)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -o $@ $^ $(LIBS) $(TESTLIBS)

unit: $(UNIT_BIN)

# rawclient speaks to a node as mpool does, so it links mpool's connection.
$(B)/tools/rawclient: tests/tools/rawclient.c $(CLIENT_LIBOBJ) $(LIB) | $(DEPS_STAMP)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -Iclient -o $@ $^ $(LIBS)

$(B)/tools/%: tests/tools/%.c $(LIB) | $(DEPS_STAMP)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -o $@ $^ $(LIBS)

tools: $(TOOL_BIN)

SAN_FLAGS := -O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer \
             -fno-sanitize-recover=undefined

check: all $(UNIT_BIN) $(TOOL_BIN)
	@./deps.sh check
	@tests/run.sh $(B) $(UNIT_BIN)
	@$(MAKE) -s --no-print-directory check-fuzz-corpus
	@$(MAKE) -s --no-print-directory check-sanitized

# The same unit and end-to-end tests with AddressSanitizer, UBSan and
# LeakSanitizer: any report fails the run, daemons' included.
check-sanitized:
	@$(MAKE) -s --no-print-directory B=$(B)/san CFLAGS="$(SAN_FLAGS)" all unit tools
	@echo "== the same tests under AddressSanitizer, UndefinedBehaviorSanitizer and LeakSanitizer"
	@ASAN_OPTIONS=detect_leaks=1:abort_on_error=0 UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
	    SKIP="test_style test_docs test_install test_systemd test_demo" \
	    tests/run.sh $(B)/san $(patsubst $(B)/%,$(B)/san/%,$(UNIT_BIN))

# Fuzzing (libFuzzer, clang): each target is one tests/fuzz/fuzz_*.c.
# `make fuzz` runs each for FUZZ_SECONDS on a copy of its corpus; `make
# check` replays the corpus in tests/fuzz/corpus with the normal build.
FUZZ_SECONDS ?= 60
FUZZ_NAMES   := fuzz_envelope fuzz_bodies fuzz_instance fuzz_config fuzz_namefold
FUZZ_CC      := clang
FUZZ_CFLAGS   = -std=c11 -D_DEFAULT_SOURCE $(WARN) -g -O1 -fno-omit-frame-pointer \
                -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined \
                -I$(B)/proto -Ishared -Idaemon $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
FUZZ_OBJ     := $(SHARED_SRC:%.c=$(B)/fuzz/obj/%.o) $(B)/fuzz/obj/proto/mpool.pb-c.o
FUZZ_BIN     := $(FUZZ_NAMES:%=$(B)/fuzz/%)
REPLAY_BIN   := $(FUZZ_NAMES:%=$(B)/fuzz-replay/%)

$(B)/fuzz/obj/%.o: %.c $(PROTO_H) | $(DEPS_STAMP)
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -MMD -MP -c $< -o $@

$(B)/fuzz/obj/proto/mpool.pb-c.o: $(PROTO_C)
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -Wno-missing-prototypes -c $< -o $@

$(B)/fuzz/fuzz_%: tests/fuzz/fuzz_%.c $(FUZZ_OBJ)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -o $@ $^ $(LIBS)

fuzz: $(PROTO_H)
	@./deps.sh fuzz
	@$(MAKE) -s --no-print-directory $(FUZZ_BIN)
	@tests/fuzz/run.sh $(B)/fuzz $(FUZZ_SECONDS) $(FUZZ_BIN)

$(B)/fuzz-replay/fuzz_%: tests/fuzz/fuzz_%.c tests/fuzz/replay.c $(LIB) | $(DEPS_STAMP)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -o $@ $^ $(LIBS)

check-fuzz-corpus: $(REPLAY_BIN)
	@echo "== the fuzz corpus in tests/fuzz/corpus, replayed"
	@for bin in $(REPLAY_BIN); do \
	    name=$$(basename $$bin); \
	    $$bin tests/fuzz/corpus/$$name || { echo "not ok - $$name: exited $$?"; exit 1; }; \
	done

# docs/protocol.md section 9 is printed from the journey table.
docs: $(B)/tools/journey_doc
	@awk -v table="$$($(B)/tools/journey_doc)" \
	    '/^<!-- generated: /{print; getline; print; print table; skip=1; next} \
	     /^<!-- end of the generated table -->/{skip=0} !skip' docs/protocol.md >docs/protocol.md.new
	@mv docs/protocol.md.new docs/protocol.md

demo: all
	@tests/demo.sh $(B)

BENCH_BIN := $(B)/bench/gen_instance $(B)/bench/shortlist_bench $(B)/bench/mcf_file \
             $(B)/bench/load $(B)/bench/floor

$(B)/bench/load: bench/load.c $(CLIENT_LIBOBJ) $(LIB) | $(DEPS_STAMP)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -Iclient -o $@ $^ $(LIBS)

$(B)/bench/%: bench/%.c $(LIB) | $(DEPS_STAMP)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -o $@ $^ $(LIBS)

bench: all $(BENCH_BIN)
	@./deps.sh bench
	@bench/run.sh $(B)

# The long form of the crash test: more nodes killed, more cases posted.
STRESS_KILLS ?= 200
STRESS_SEED  ?= 1
stress: all $(TOOL_BIN)
	@./deps.sh
	@KILLS=$(STRESS_KILLS) SEED=$(STRESS_SEED) BUILD=$(B) tests/stress.sh

install: all
	install -d $(DESTDIR)$(SBINDIR) $(DESTDIR)$(BINDIR) $(DESTDIR)$(UNITDIR) $(DESTDIR)$(DOCDIR)
	install -m 0755 $(B)/mpoold $(DESTDIR)$(SBINDIR)/mpoold
	install -m 0755 $(B)/mpool $(DESTDIR)$(BINDIR)/mpool
	sed -e 's|@SBINDIR@|$(SBINDIR)|g' -e 's|@DOCDIR@|$(DOCDIR)|g' systemd/mpoold.service > $(DESTDIR)$(UNITDIR)/mpoold.service
	chmod 0644 $(DESTDIR)$(UNITDIR)/mpoold.service
	@# The unit reads users.ini through this group; a package makes it when installed.
	if [ -z "$(DESTDIR)" ] && ! getent group mpoold >/dev/null; then groupadd --system mpoold; fi
	install -m 0644 README.md docs/*.md $(DESTDIR)$(DOCDIR)/
	install -d $(DESTDIR)$(MANDIR)/man1 $(DESTDIR)$(MANDIR)/man5 $(DESTDIR)$(MANDIR)/man8
	install -m 0644 docs/man/mpool.1 $(DESTDIR)$(MANDIR)/man1/
	install -m 0644 docs/man/mpoold.conf.5 $(DESTDIR)$(MANDIR)/man5/
	install -m 0644 docs/man/mpoold.8 $(DESTDIR)$(MANDIR)/man8/

format:
	clang-format -i shared/*/*.[ch] daemon/*/*.[ch] client/*.[ch] tests/unit/*.c tests/fuzz/*.c tests/tools/*.c bench/*.c

lint:
	cppcheck --quiet --error-exitcode=1 --enable=warning,performance,portability \
	    --suppress=missingIncludeSystem --inline-suppr -I shared -I daemon \
	    shared daemon client tests/tools

clean:
	rm -rf $(B)

-include $(shell find $(B) -name '*.d' 2>/dev/null)
