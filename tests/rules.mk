# tests/rules.mk — make test and its sections.  Included by the top-level Makefile after
# bench/rules.mk.  tests/run.sh schedules the sections (make test); each test-* target
# below is one section or one part of a port's section.

# ---------------------------------------------------------------- test binaries (ARCH)
# the runtime's test: Go-side test code against a hostile C side (compiled normally)
TEST_BIN := $(B)/tests/test_runtime
TEST_OBJ := $(B)/obj/tests/runtime/test_runtime.o $(B)/obj/tests/runtime/hostile.o \
            $(B)/obj/tests/runtime/ports/$(notdir $(PORT))/hostile.o
$(B)/obj/tests/runtime/test_runtime.o: ABI := $(GOSIDE)
$(B)/obj/tests/runtime/hostile.o: EXTRA := $(TEST_C_FLAGS)
$(TEST_BIN): $(TEST_OBJ) $(LIBGM) $(LIBTLS)
	$(call link-exe,$(CC) $(CFLAGS),$(LIBGM) $(LIBTLS_LINK) $(LDLIBS))

# the counter's known-answer tests (C side)
TEST_COUNTER := $(B)/tests/test_counter
$(TEST_COUNTER): $(B)/obj/tests/counter/test_counter.o $(LIBGM) $(LIBTLS)
	$(call link-exe,$(CC) $(CFLAGS),$(LIBGM) $(LIBTLS_LINK) $(LDLIBS) -lm)

# the C peers' switches; where Boost.Context is available for ARCH, the fcontext peer must work
PEERS_TEST_BIN := $(B)/tests/test_cpeers
$(B)/obj/tests/peers/test_cpeers.o: $(PEERS_BOOST)/status
$(B)/obj/tests/peers/test_cpeers.o: EXTRA = $$(grep -q '^ok ' $(PEERS_BOOST)/status && echo -DCPEER_EXPECT_BOOST)
$(PEERS_TEST_BIN): $(B)/obj/tests/peers/test_cpeers.o $(PEERS_OBJ)
	$(call say,LD      $(ARCH) $@) $(CXX) $(ARCH_CFLAGS) -o $@ $^ $(LDLIBS)

# ---------------------------------------------------------------- host test programs
# bench/host/machine.c on made-up machines (tests/machine/run.sh)
TEST_MACHINE := $(O)/host/bin/test_machine
$(TEST_MACHINE): $(O)/host/obj/tests/machine/test_machine.o $(O)/host/obj/bench/host/machine.o
	$(call link-host,)
# make compare MODE=count's one-instruction fixture checker (tests/compare/run-count-e2e.sh)
GMCOMPARE_CHECK_COUNT := $(O)/host/bin/check_count
$(GMCOMPARE_CHECK_COUNT): $(O)/host/obj/tests/compare/check_count.o
	$(call link-host,-ljansson -lm)
# gm's statistics on known answers
GM_TEST_STATS := $(O)/host/bin/test_stats
$(O)/host/obj/tests/compare/test_stats.o: EXTRA := -ffp-contract=off -Ibench/tools/util
$(GM_TEST_STATS): $(O)/host/obj/tests/compare/test_stats.o $(O)/host/obj/bench/tools/util/stats.o
	$(call link-host,-lm)
# the paired compare's estimator and distributions on known answers
GM_TEST_EFFECT := $(O)/host/bin/test_effect
$(O)/host/obj/tests/compare/test_effect.o: EXTRA := -ffp-contract=off -Ibench/tools/util
$(GM_TEST_EFFECT): $(O)/host/obj/tests/compare/test_effect.o $(O)/host/obj/bench/tools/util/effect.o
	$(call link-host,-lm)
# the mutation fuzzer of gm and the LAVA extractor (tests/fuzz; built without sanitizers:
# it runs the sanitizer build's gm too)
GM_FUZZ := $(O)/host/bin/gm-fuzz
$(GM_FUZZ): $(O)/host/obj/tests/fuzz/gm-fuzz.o $(O)/host/obj/tests/fuzz/mutate.o
	$(call link-host,)
$(O)/host/obj/tests/fuzz/gm-fuzz.o: tests/fuzz/targets.h tests/fuzz/mutate.h
$(O)/host/obj/tests/fuzz/mutate.o: tests/fuzz/mutate.h
# a process that holds apt's and dpkg's locks (tests/deps/run.sh)
HOLDLOCK := $(O)/host/bin/holdlock
$(HOLDLOCK): $(O)/host/obj/tests/deps/holdlock.o
	$(call link-host,)

# ---------------------------------------------------------------- targets
.PHONY: test test-arch test-prep test-counter test-san test-san-counter test-compare test-compare-e2e \
        test-compare-count test-report test-xreport test-machine test-deps test-pathlen test-peers \
        test-lava test-board-tools test-scripts test-fuzz fuzz

ifneq ($(ARCH_GIVEN),)
TEST_ARCHES := $(ARCH)
else ifeq ($(HOSTARCH),amd64)
TEST_ARCHES := amd64 arm arm64
else
TEST_ARCHES := $(HOSTARCH)
endif

ifeq ($(REMOTE_HOST),)
test:                           ## run the tests: all three ports on x86-64 (arm/arm64 under QEMU), ARCH=x for one; sections in parallel (GM_TEST_JOBS=n)
	$(Q)O="$(O)" MAKE="$(MAKE)" GM_TEST_HOST=$(if $(ARCH_GIVEN),0,1) tests/run.sh $(TEST_ARCHES)
endif

# What make test's parallel sections share, made once before them: the Debian packages
# of every tested port (deps.sh is not run by two sections at once) and the host tools
# (two makes must never write one file).  tests/run.sh passes TEST_PREP_ARCHES.
TEST_PREP_ARCHES ?= $(TEST_ARCHES)
TEST_PREP_CROSS := $(filter-out $(HOSTARCH),$(TEST_PREP_ARCHES))
test-prep:
	$(Q)scripts/deps.sh cc jansson cmake llvm go boost gnuplot ssh ccache \
	  $(if $(filter $(HOSTARCH),$(TEST_PREP_ARCHES)),valgrind) \
	  $(foreach a,$(TEST_PREP_CROSS),cross-$(a)) $(if $(TEST_PREP_CROSS),qemu)
	$(Q)$(MAKE) --no-print-directory $(GM) $(GM_TEST_STATS) $(GM_TEST_EFFECT) $(TEST_MACHINE) $(HOLDLOCK) $(GMCOMPARE_CHECK_COUNT) $(GM_FUZZ)

# One port's tests; tests/run.sh calls it and counts the lines.
test-arch: deps all
	$(Q)tests/tls/check-relocs.sh $(CROSS_COMPILE)readelf $(B)/lib $(ARCH)
	$(Q)$(EMU_ENV) $(RUN) $(TEST_BIN)
	$(Q)$(if $(filter $(ARCH),$(HOSTARCH)),sh tests/runtime/sigblocked.sh $(TEST_BIN))
	$(if $(filter 1,$(TEST_COUNTER_APART)),@echo "# $(TEST_COUNTER): run apart (make test-counter)",$(Q)$(EMU_ENV) $(RUN) $(TEST_COUNTER))
	$(Q)$(MAKE) --no-print-directory PROBES=1 bench-build >/dev/null
	$(Q)ARCH=$(ARCH) OBJ=$(B)/obj/$(PORT) BIN=$(O)/$(ARCH)-probes/bin/gmbench RUN="$(RUN)" \
	  NM=$(CROSS_COMPILE)nm tests/probes/run.sh
	$(Q)$(MAKE) --no-print-directory test-pathlen
	$(Q)$(MAKE) --no-print-directory test-peers
	$(Q)$(MAKE) --no-print-directory test-compare-count

# The counter's known-answer tests time real code on the host, so tests/run.sh runs
# them apart, alone, once its parallel sections are done (TEST_COUNTER_APART=1 leaves
# them out of test-arch and test-san): a QEMU section on the other core would disturb them.
test-counter: $(TEST_COUNTER)
	$(Q)$(EMU_ENV) $(RUN) $(TEST_COUNTER)

# The host's portable C again under ASan + UBSan (tests/run.sh calls it on the host).
test-san:
	$(Q)O="$(O)" MAKE="$(MAKE)" ARCH=$(HOSTARCH) TEST_COUNTER_APART="$(TEST_COUNTER_APART)" tests/san/run.sh
test-san-counter:
	$(Q)O="$(O)" MAKE="$(MAKE)" ARCH=$(HOSTARCH) tests/san/run.sh counter

# the host tools on fixtures, good and bad (tests/run.sh calls them on the host)
test-compare: $(GM) $(GM_TEST_STATS) $(GM_TEST_EFFECT) $(GM_FUZZ)
	$(Q)$(GM_TEST_STATS)
	$(Q)$(GM_TEST_EFFECT)
	$(Q)sh tests/compare/run.sh $(GM) tests/compare/fixtures
	$(Q)sh tests/compare/run-paired.sh $(GM)
	$(Q)sh tests/compare/run-count.sh $(GM)
	$(Q)bash tests/compare/run-boxes.sh $(GM)
	$(Q)sh tests/pathlen/tools.sh $(GM)
	$(Q)sh tests/fuzz/run.sh $(GM_FUZZ) $(GM) normal

# make test's slice of the fuzzer (fixed seed; tests/san runs it on the sanitizer build)
test-fuzz: $(GM) $(GM_FUZZ)     ## a short fuzz slice of gm and the LAVA extractor (fixed seed, seconds)
	$(Q)sh tests/fuzz/run.sh $(GM_FUZZ) $(GM) normal

# A campaign: N runs (default 10000) or TIME seconds per build, on the normal and the
# ASan+UBSan gm; reports and failing runs' folders in $(O)/fuzz (docs/testing.md).
FUZZ_DIR := $(O)/fuzz
fuzz: $(GM) $(GM_FUZZ)          ## fuzz campaign, normal + ASan/UBSan gm: N=runs (10000) or TIME=seconds per build; reports in build/fuzz
	$(Q)$(MAKE) --no-print-directory O=$(O)/san SAN=1 $(O)/san/host/bin/gm >/dev/null
	$(Q)rm -rf $(FUZZ_DIR) && mkdir -p $(FUZZ_DIR)
	$(Q)rc=0; for b in normal san; do \
	  g=$(GM); [ $$b = san ] && g=$(O)/san/host/bin/gm; \
	  FUZZ_RUNS=$(if $(TIME),,$(or $(N),10000)) FUZZ_TIME=$(TIME) FUZZ_SEED=$(or $(SEED),22) \
	    FUZZ_REPORT=$(FUZZ_DIR)/report-$$b.txt FUZZ_KEEP=$(FUZZ_DIR)/failed-$$b \
	    sh tests/fuzz/run.sh $(GM_FUZZ) $$g $$b | tail -n 40 || rc=1; \
	done; echo "reports: $(FUZZ_DIR)/report-normal.txt $(FUZZ_DIR)/report-san.txt"; exit $$rc
test-report: $(GM)
	$(Q)sh tests/report/run.sh $(GM)
test-xreport: $(GM)
	$(Q)sh tests/xreport/run.sh $(GM)

# the machine's description, state and GOVERNOR= on made-up machines (tests/run.sh calls it on the host).
test-machine: $(TEST_MACHINE) bench-build
	$(Q)sh tests/machine/run.sh $(TEST_MACHINE) $(if $(filter $(ARCH),$(HOSTARCH)),$(BENCH_BIN))

# make compare end to end (tests/run.sh calls it on the host).
test-compare-e2e: bench-build $(GM)
	$(Q)O="$(O)" MAKE="$(MAKE)" GM=$(GM) tests/compare/e2e.sh

# make compare's count kind on a one-instruction fixture, this port (test-arch runs it).
test-compare-count: $(GMCOMPARE_CHECK_COUNT)  ## make compare MODE=count finds exactly a one-instruction fixture's delta (this ARCH)
	$(Q)O="$(O)" MAKE="$(MAKE)" ARCH=$(ARCH) PORT=$(PORT) OBJDUMP=$(CROSS_COMPILE)objdump \
	  CHECK=$(GMCOMPARE_CHECK_COUNT) tests/compare/run-count-e2e.sh

# deps.sh's wait for apt's and dpkg's locks, in a scratch apt root (tests/run.sh calls it).
test-deps: $(HOLDLOCK)          ## deps.sh waits for a held apt/dpkg lock (a scratch apt root: installs nothing)
	$(Q)tests/deps/run.sh $(HOLDLOCK)

test-pathlen: pathlen-deps predict-deps $(GM)  ## tests of make pathlen/predict: stable counts, output shape
	$(Q)$(MAKE) --no-print-directory pathlen-build
	$(Q)$(PL_ENV) MAKE="$(MAKE)" tests/pathlen/run.sh

# gmbench itself only where the port has its transitions (a port being written may not).
PEERS_TEST_BENCH := $(if $(wildcard $(PORT)/cgo.S),$(BENCH_BIN))
test-peers: deps $(GM) $(PEERS_TEST_BIN) $(PEERS_GO_TEST) $(PEERS_TEST_BENCH)  ## the peers' tests
	$(Q)GM=$(GM) RUN="$(RUN)" ARCH=$(ARCH) \
	  PEERS_TEST_BIN=$(PEERS_TEST_BIN) PEERS_GO_TEST=$(PEERS_GO_TEST) PEERS_BOOST=$(PEERS_BOOST) \
	  BENCH_BIN=$(PEERS_TEST_BENCH) sh tests/peers/run.sh

# scripts on stand-ins (tests/run.sh calls it): no early-exit pipes under pipefail, make
# test's own scheduler on a made-up make, the host id on made-up machines, make profile
# on a stand-in perf
test-scripts:
	$(Q)rc=0; for t in tests/shell/pipes.sh tests/hostid/run.sh tests/profile/run.sh tests/runner/run.sh; do \
	  sh $$t || rc=1; done; exit $$rc

# the board-side parser, blocks, extractor and gmbench.sh on fixtures (tests/run.sh calls it)
test-lava:
	$(Q)sh tests/lava/run.sh

# make board's host side without a guest: seconds (tests/run.sh runs it in make test)
test-board-tools: $(GM)
	$(Q)sh tests/board/tools.sh $(GM)

# board kits: make kit for this machine's port, run here as a board runs it (run.sh,
# LAVA's gmbench.sh -k), and gm built for the ARM ports against this machine's gm
.PHONY: test-kit
test-kit: $(GM)
	$(Q)O="$(O)" MAKE="$(MAKE)" bash tests/remote/kit.sh
