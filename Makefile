# gmbench — one non-recursive GNU make entry point.  `make help` lists the targets.
#
#   ARCH=amd64|arm|arm64   target port (default: the host's)
#   CROSS_COMPILE=prefix   cross toolchain prefix (default: the Debian triplet when ARCH
#                          is not the host's)
#   O=dir                  build folder (default: build); each ARCH builds in $(O)/$(ARCH)
#   V=1                    show the commands

SHELL := /bin/sh
.SUFFIXES:
.DEFAULT_GOAL := all

HOSTARCH := $(shell scripts/hostarch.sh)
ARCH_GIVEN := $(filter command line environment,$(origin ARCH))
ARCH ?= $(HOSTARCH)
O ?= build
V ?= 0
ifeq ($(V),1)
Q :=
else
Q := @
endif

# extra flags for the test's hostile C side (tests/hostile.c) only; a port may set them
TEST_C_FLAGS :=
ifeq ($(ARCH),amd64)
PORT := amd64
TRIPLE := x86_64-linux-gnu
QEMU_BIN := qemu-x86_64
GOSIDE_FLAGS := -ffixed-r14 -mno-red-zone -fno-omit-frame-pointer
TLS_GD_FLAGS := -mtls-dialect=gnu
TLS_DESC_FLAGS := -mtls-dialect=gnu2
ARCH_CFLAGS :=
CROSS_NEED := cross-amd64
else ifeq ($(ARCH),arm)
PORT := arm/arm32
TRIPLE := arm-linux-gnueabihf
QEMU_BIN := qemu-arm
GOSIDE_FLAGS := -ffixed-r10 -ffixed-r9 -fomit-frame-pointer
TLS_GD_FLAGS := -mtls-dialect=gnu
TLS_DESC_FLAGS := -mtls-dialect=gnu2
# the library at Debian's armhf FPU (VFPv3-D16: boards without NEON run it); the
# test's hostile C side with NEON, for its :128-hinted loads (TEST_C_FLAGS)
ARCH_CFLAGS := -march=armv7-a+fp -mfpu=vfpv3-d16 -mfloat-abi=hard
TEST_C_FLAGS := -mfpu=neon-vfpv3
CROSS_NEED := cross-arm
else ifeq ($(ARCH),arm64)
PORT := arm/arm64
TRIPLE := aarch64-linux-gnu
QEMU_BIN := qemu-aarch64
GOSIDE_FLAGS := -ffixed-x28 -fno-omit-frame-pointer
TLS_GD_FLAGS := -mtls-dialect=trad
TLS_DESC_FLAGS := -mtls-dialect=desc
ARCH_CFLAGS :=
CROSS_NEED := cross-arm64
else
$(error ARCH=$(ARCH): use amd64, arm or arm64)
endif

ifeq ($(ARCH),$(HOSTARCH))
CROSS_COMPILE ?=
RUN :=
NEEDS := cc jansson cmake
else
CROSS_COMPILE ?= $(TRIPLE)-
RUN := $(QEMU_BIN) -L /usr/$(TRIPLE)
EMU_ENV := GM_EMULATOR=$(QEMU_BIN)
NEEDS := cc jansson cmake $(CROSS_NEED) qemu
endif
ifeq ($(origin CC),default)
CC := $(CROSS_COMPILE)gcc
endif
CXX := $(CROSS_COMPILE)g++
AR := $(CROSS_COMPILE)ar
HOSTCC ?= cc

B := $(O)/$(ARCH)$(if $(filter 1,$(PROBES)),-probes)
# SAN=1: AddressSanitizer + UndefinedBehaviorSanitizer build (make test runs one on the host)
ifeq ($(SAN),1)
SAN_FLAGS := -fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer
HOSTCC := $(HOSTCC) $(SAN_FLAGS)
endif
CPPFLAGS := -Icore -I$(PORT)
# -ffile-prefix-map: the same source gives the same binary wherever it is built (make
# compare builds both sides in different worktrees; only real changes should differ)
CFLAGS := -std=gnu11 -O2 -g -Wall -Wextra -Werror $(ARCH_CFLAGS) -ffile-prefix-map=$(CURDIR)=.
GOSIDE := -DGM_GOSIDE $(GOSIDE_FLAGS)
LDLIBS := -lpthread $(SAN_FLAGS)
CFLAGS += $(SAN_FLAGS)
# PROBES=1: a counter read at every edge of every transition (core/probe.h), in its own
# build folder; without it the transitions contain no probe code at all.
ifeq ($(PROBES),1)
CPPFLAGS += -DGM_PROBES=1
endif

# ---------------------------------------------------------------- the library
CORE_SRC := core/proc.c core/cgocall.c core/thread.c core/signal.c core/tls.c \
            core/variants.c core/layout.c core/counter.c core/probe.c core/extram.c
PORT_ASM := $(PORT)/switch.S $(PORT)/cgo.S $(PORT)/thread.S $(PORT)/tls.S $(PORT)/signal.S
PORT_C := $(PORT)/variants.c
LIB_OBJ := $(CORE_SRC:%.c=$(B)/obj/%.o) $(PORT_ASM:%.S=$(B)/obj/%.o) $(PORT_C:%.c=$(B)/obj/%.o)
LIBGM := $(B)/lib/libgm.a
LIBTLS := $(B)/lib/libgmtls-ie.so $(B)/lib/libgmtls-gd.so $(B)/lib/libgmtls-desc.so
LIBTLS_LINK := -lgmtls-ie -lgmtls-gd -lgmtls-desc
TLS_SO_OBJ := $(B)/obj/core/tls_so_ie.pic.o $(B)/obj/core/tls_so_gd.pic.o $(B)/obj/core/tls_so_desc.pic.o
# The executable exports gm_tls so libgmtls.so's IE/GD/descriptor sequences reach it.
EXE_LDFLAGS := -Wl,--export-dynamic-symbol=gm_tls -Wl,-rpath,'$$ORIGIN/../lib' -L$(B)/lib

# Go-side C: g (and m) registers reserved.
$(B)/obj/core/%.o: core/%.c $(MAKEFILE_LIST)
	@mkdir -p $(@D)
	@$(if $(Q),echo "  CC      $(ARCH) $<")
	$(Q)$(CC) $(CPPFLAGS) $(CFLAGS) $(GOSIDE) -MMD -MP -c -o $@ $<

$(B)/obj/$(PORT)/%.o: $(PORT)/%.c $(MAKEFILE_LIST)
	@mkdir -p $(@D)
	@$(if $(Q),echo "  CC      $(ARCH) $<")
	$(Q)$(CC) $(CPPFLAGS) $(CFLAGS) $(GOSIDE) -MMD -MP -c -o $@ $<

$(B)/obj/%.o: %.S $(MAKEFILE_LIST)
	@mkdir -p $(@D)
	@$(if $(Q),echo "  AS      $(ARCH) $<")
	$(Q)$(CC) $(CPPFLAGS) $(ARCH_CFLAGS) -g -ffile-prefix-map=$(CURDIR)=. -MMD -MP -c -o $@ $<

$(LIBGM): $(LIB_OBJ)
	@mkdir -p $(@D)
	@$(if $(Q),echo "  AR      $(ARCH) $@")
	$(Q)rm -f $@ && $(AR) rcs $@ $^

# Shared-object TLS variants: compiled as ordinary position-independent C.
$(B)/obj/core/tls_so_ie.pic.o: core/tls_so_ie.c $(MAKEFILE_LIST)
	@mkdir -p $(@D)
	$(Q)$(CC) $(CPPFLAGS) $(CFLAGS) -fPIC -MMD -MP -c -o $@ $<
$(B)/obj/core/tls_so_gd.pic.o: core/tls_so_gd.c $(MAKEFILE_LIST)
	@mkdir -p $(@D)
	$(Q)$(CC) $(CPPFLAGS) $(CFLAGS) -fPIC $(TLS_GD_FLAGS) -MMD -MP -c -o $@ $<
$(B)/obj/core/tls_so_desc.pic.o: core/tls_so_desc.c $(MAKEFILE_LIST)
	@mkdir -p $(@D)
	$(Q)$(CC) $(CPPFLAGS) $(CFLAGS) -fPIC $(TLS_DESC_FLAGS) -MMD -MP -c -o $@ $<
# One shared object per model: in one object the linker would relax the GD and descriptor
# sequences to the IE one it already has (scripts/check-tls-relocs.sh caught exactly that).
$(B)/lib/libgmtls-%.so: $(B)/obj/core/tls_so_%.pic.o
	@mkdir -p $(@D)
	@$(if $(Q),echo "  LD      $(ARCH) $@")
	$(Q)$(CC) -shared -o $@ $<

# ---------------------------------------------------------------- tests
TEST_BIN := $(B)/tests/test_runtime
TEST_OBJ := $(B)/obj/tests/test_runtime.o $(B)/obj/tests/hostile.o \
            $(B)/obj/tests/ports/$(notdir $(PORT))/hostile.o

$(B)/obj/tests/test_runtime.o: tests/test_runtime.c $(MAKEFILE_LIST)
	@mkdir -p $(@D)
	@$(if $(Q),echo "  CC      $(ARCH) $<")
	$(Q)$(CC) $(CPPFLAGS) $(CFLAGS) $(GOSIDE) -MMD -MP -c -o $@ $<
# the hostile C side: compiled normally
$(B)/obj/tests/hostile.o: tests/hostile.c $(MAKEFILE_LIST)
	@mkdir -p $(@D)
	@$(if $(Q),echo "  CC      $(ARCH) $< (C side)")
	$(Q)$(CC) $(CPPFLAGS) $(CFLAGS) $(TEST_C_FLAGS) -MMD -MP -c -o $@ $<

TEST_COUNTER := $(B)/tests/test_counter
$(B)/obj/tests/test_counter.o: tests/test_counter.c $(MAKEFILE_LIST)
	@mkdir -p $(@D)
	@$(if $(Q),echo "  CC      $(ARCH) $<")
	$(Q)$(CC) $(CPPFLAGS) $(CFLAGS) -MMD -MP -c -o $@ $<
$(TEST_COUNTER): $(B)/obj/tests/test_counter.o $(LIBGM) $(LIBTLS)
	@mkdir -p $(@D)
	@$(if $(Q),echo "  LD      $(ARCH) $@")
	$(Q)$(CC) $(CFLAGS) $(EXE_LDFLAGS) -o $@ $< $(LIBGM) $(LIBTLS_LINK) $(LDLIBS) -lm

$(TEST_BIN): $(TEST_OBJ) $(LIBGM) $(LIBTLS)
	@mkdir -p $(@D)
	@$(if $(Q),echo "  LD      $(ARCH) $@")
	$(Q)$(CC) $(CFLAGS) $(EXE_LDFLAGS) -o $@ $(TEST_OBJ) $(LIBGM) $(LIBTLS_LINK) $(LDLIBS)

# ---------------------------------------------------------------- benchmarks
# Google Benchmark: Debian's source package built in release mode, once per ARCH.
GBENCH_PREFIX := $(O)/gbench/$(ARCH)
GBENCH_LIB := $(GBENCH_PREFIX)/lib/libbenchmark.a
GBENCH_LIBS = -lbenchmark $(if $(shell grep -s 'libpfm: yes' $(GBENCH_PREFIX)/buildinfo.txt),-lpfm)
GIT_REV := $(shell git describe --always --dirty --abbrev=12 2>/dev/null || echo unknown)
BENCH_BIN := $(B)/bin/gmbench
# A "side" (bench/side.h) is everything that is measured: the library, the suites and
# their C side.  gmbench = a side + the Google Benchmark host (main.c, machine.c, gbshim).
BENCH_GO_SRC := bench/side.c bench/suite_counter.c bench/suite_tls.c bench/suite_switch.c \
                bench/suite_cgocall.c bench/suite_callback.c bench/suite_thread.c bench/suite_signal.c \
                bench/suite_peer.c
SIDE_OBJ := $(BENCH_GO_SRC:%.c=$(B)/obj/%.o) $(B)/obj/bench/cside.o
HOST_OBJ := $(B)/obj/bench/main.o $(B)/obj/bench/machine.o
BENCH_OBJ := $(SIDE_OBJ) $(HOST_OBJ) $(B)/obj/bench/gbshim.o

$(GBENCH_LIB):
	$(Q)CROSS_COMPILE="$(CROSS_COMPILE)" scripts/build-gbench.sh $(ARCH) $(GBENCH_PREFIX)

$(B)/obj/bench/side.o: GIT_DEFS = -DGM_GIT_REV='"$(GIT_REV)"' -DGM_CFLAGS='"$(filter-out -ffile-prefix-map=%,$(CFLAGS))"'
$(B)/obj/bench/side.o: $(B)/.git-rev
$(B)/.git-rev: FORCE
	@mkdir -p $(@D)
	@echo '$(GIT_REV)' | cmp -s - $@ || echo '$(GIT_REV)' > $@
FORCE:

# Go-side benchmark code
$(BENCH_GO_SRC:%.c=$(B)/obj/%.o): $(B)/obj/bench/%.o: bench/%.c $(MAKEFILE_LIST)
	@mkdir -p $(@D)
	@$(if $(Q),echo "  CC      $(ARCH) $<")
	$(Q)$(CC) $(CPPFLAGS) $(CFLAGS) $(GOSIDE) $(GIT_DEFS) -MMD -MP -c -o $@ $<
# C side: the suites' C functions, the host
$(B)/obj/bench/cside.o $(HOST_OBJ): $(B)/obj/bench/%.o: bench/%.c $(MAKEFILE_LIST)
	@mkdir -p $(@D)
	@$(if $(Q),echo "  CC      $(ARCH) $< (C side)")
	$(Q)$(CC) $(CPPFLAGS) $(CFLAGS) -MMD -MP -c -o $@ $<
$(B)/obj/bench/gbshim.o: bench/gbshim.cc $(MAKEFILE_LIST) | $(GBENCH_LIB)
	@mkdir -p $(@D)
	@$(if $(Q),echo "  CXX     $(ARCH) $< (C side)")
	$(Q)$(CXX) -std=c++17 -O2 -g -Wall -Wextra -Werror $(ARCH_CFLAGS) -ffile-prefix-map=$(CURDIR)=. -I$(GBENCH_PREFIX)/include -MMD -MP -c -o $@ $<

$(BENCH_BIN): $(BENCH_OBJ) $(LIBGM) $(LIBTLS) $(GBENCH_LIB)
	@mkdir -p $(@D)
	@$(if $(Q),echo "  LD      $(ARCH) $@")
	$(Q)$(CXX) $(ARCH_CFLAGS) $(EXE_LDFLAGS) -L$(GBENCH_PREFIX)/lib -o $@ $(BENCH_OBJ) $(LIBGM) \
		$(LIBTLS_LINK) $(GBENCH_LIBS) $(LDLIBS)

# Host tools (run where the results are read: the build machine, or the board itself).
GMREPORT := $(O)/host/bin/gmreport
$(GMREPORT): bench/report/gmreport.c bench/report/gbjson.h bench/compare/stats.c bench/compare/stats.h $(MAKEFILE_LIST)
	@mkdir -p $(@D)
	@$(if $(Q),echo "  HOSTCC  $<")
	$(Q)$(HOSTCC) -std=gnu11 -O2 -g -Wall -Wextra -Werror -o $@ $< bench/compare/stats.c -ljansson -lm

# bench/machine.c on made-up machines (tests/machine/run.sh)
TEST_MACHINE := $(O)/host/bin/test_machine
$(TEST_MACHINE): tests/machine/test_machine.c bench/machine.c bench/machine.h $(MAKEFILE_LIST)
	@mkdir -p $(@D)
	@$(if $(Q),echo "  HOSTCC  $<")
	$(Q)$(HOSTCC) -std=gnu11 -O2 -g -Wall -Wextra -Werror -o $@ tests/machine/test_machine.c bench/machine.c

-include bench/compare/rules.mk

# ---------------------------------------------------------------- targets
.PHONY: sensitivity all help test test-arch test-counter test-deps test-prep test-san test-san-counter test-compare-e2e test-compare-count test-report test-machine deps clean lib bench bench-build compare plots

all: lib $(TEST_BIN) $(TEST_COUNTER)           ## build the library and tests for ARCH

lib: $(LIBGM) $(LIBTLS)         ## build libgm.a and the TLS-model shared objects for ARCH

deps:                           ## install what building and testing ARCH needs (Debian packages)
	$(Q)scripts/deps.sh $(NEEDS)

ifneq ($(ARCH_GIVEN),)
TEST_ARCHES := $(ARCH)
else ifeq ($(HOSTARCH),amd64)
TEST_ARCHES := amd64 arm arm64
else
TEST_ARCHES := $(HOSTARCH)
endif

test:                           ## run the tests: all three ports on x86-64 (arm/arm64 under QEMU), ARCH=x for one; sections in parallel (GM_TEST_JOBS=n)
	$(Q)O="$(O)" MAKE="$(MAKE)" GM_TEST_HOST=$(if $(ARCH_GIVEN),0,1) scripts/test.sh $(TEST_ARCHES)

# The host's portable C again under ASan + UBSan (scripts/test.sh calls it on the host).
test-san:
	$(Q)O="$(O)" MAKE="$(MAKE)" ARCH=$(HOSTARCH) TEST_COUNTER_APART="$(TEST_COUNTER_APART)" scripts/test-san.sh

# The counter's known-answer tests time real code on the host, so scripts/test.sh runs
# them apart, alone, once its parallel sections are done (TEST_COUNTER_APART=1 leaves
# them out of test-arch and test-san): a QEMU section on the other core would disturb them.
test-counter: $(TEST_COUNTER)
	$(Q)$(EMU_ENV) $(RUN) $(TEST_COUNTER)
test-san-counter:
	$(Q)O="$(O)" MAKE="$(MAKE)" ARCH=$(HOSTARCH) scripts/test-san.sh counter

# the run report tool on fixtures, good and bad (scripts/test.sh calls it on the host).
test-report: $(GMREPORT)
	$(Q)sh tests/report/run.sh $(GMREPORT)

# the machine's description, state and GOVERNOR= on made-up machines (scripts/test.sh calls it on the host).
test-machine: $(TEST_MACHINE) bench-build
	$(Q)sh tests/machine/run.sh $(TEST_MACHINE) $(if $(filter $(ARCH),$(HOSTARCH)),$(BENCH_BIN))

# make compare end to end (scripts/test.sh calls it on the host).
test-compare-e2e: bench-build $(GMCOMPARE)
	$(Q)O="$(O)" MAKE="$(MAKE)" scripts/test-compare-e2e.sh

# make compare's count kind on a one-instruction fixture, this port (test-arch runs it).
GMCOMPARE_CHECK_COUNT := $(O)/host/bin/check_count
$(GMCOMPARE_CHECK_COUNT): tests/compare/check_count.c $(MAKEFILE_LIST)
	@mkdir -p $(@D)
	@$(if $(Q),echo "  HOSTCC  $<")
	$(Q)$(HOSTCC) -std=gnu11 -O2 -g -Wall -Wextra -Werror -o $@ $< -ljansson -lm
test-compare-count: $(GMCOMPARE_CHECK_COUNT)  ## make compare MODE=count finds exactly a one-instruction fixture's delta (this ARCH)
	$(Q)O="$(O)" MAKE="$(MAKE)" ARCH=$(ARCH) PORT=$(PORT) OBJDUMP=$(CROSS_COMPILE)objdump \
	  CHECK=$(GMCOMPARE_CHECK_COUNT) tests/compare/run-count-e2e.sh

# deps.sh's wait for apt's and dpkg's locks, in a scratch apt root (scripts/test.sh calls it).
HOLDLOCK := $(O)/host/bin/holdlock
$(HOLDLOCK): tests/deps/holdlock.c
	@mkdir -p $(@D)
	@$(if $(Q),echo "  HOSTCC  $<")
	$(Q)$(HOSTCC) -std=gnu11 -O2 -Wall -Wextra -Werror -o $@ $<
test-deps: $(HOLDLOCK)          ## deps.sh waits for a held apt/dpkg lock (a scratch apt root: installs nothing)
	$(Q)tests/deps/run.sh $(HOLDLOCK)

# What make test's parallel sections share, made once before them: the Debian packages
# of every tested port (deps.sh is not run by two sections at once) and the host tools
# (two makes must never write one file).  scripts/test.sh passes TEST_PREP_ARCHES.
TEST_PREP_ARCHES ?= $(TEST_ARCHES)
TEST_PREP_CROSS := $(filter-out $(HOSTARCH),$(TEST_PREP_ARCHES))
test-prep:
	$(Q)scripts/deps.sh cc jansson cmake llvm go boost gnuplot \
	  $(if $(filter $(HOSTARCH),$(TEST_PREP_ARCHES)),valgrind) \
	  $(foreach a,$(TEST_PREP_CROSS),cross-$(a)) $(if $(TEST_PREP_CROSS),qemu)
	$(Q)$(MAKE) --no-print-directory $(GMREPORT) $(GMCOMPARE) $(GMCOMPARE_TEST_STATS) $(GMPATHLEN) \
	  $(GMPEERS) $(TEST_MACHINE) $(HOLDLOCK) $(GMCOMPARE_CHECK_COUNT) $(GMICOUNT) $(GMXREPORT)

# One port's tests; scripts/test.sh calls it and counts the lines.
test-arch: deps all
	$(Q)scripts/check-tls-relocs.sh $(CROSS_COMPILE)readelf $(B)/lib $(ARCH)
	$(Q)$(EMU_ENV) $(RUN) $(TEST_BIN)
	$(Q)$(if $(filter $(ARCH),$(HOSTARCH)),sh tests/sigblocked.sh $(TEST_BIN))
	$(if $(filter 1,$(TEST_COUNTER_APART)),@echo "# $(TEST_COUNTER): run apart (make test-counter)",$(Q)$(EMU_ENV) $(RUN) $(TEST_COUNTER))
	$(Q)$(MAKE) --no-print-directory PROBES=1 bench-build >/dev/null
	$(Q)ARCH=$(ARCH) OBJ=$(B)/obj/$(PORT) BIN=$(O)/$(ARCH)-probes/bin/gmbench RUN="$(RUN)" \
	  NM=$(CROSS_COMPILE)nm scripts/test-probes.sh
	$(Q)$(MAKE) --no-print-directory test-pathlen
	$(Q)$(MAKE) --no-print-directory test-peers
	$(Q)$(MAKE) --no-print-directory test-compare-count

bench: deps bench-build         ## run the suites (FILTER=regex QUICK=1 REPS=n LABEL=x CPU=n|all-types GOVERNOR=performance), file results/<host>/<run>/
	$(Q)scripts/deps.sh gnuplot || echo "bench: continuing without plots"
	$(if $(filter 1,$(PROBES)),,$(Q)$(MAKE) --no-print-directory PROBES=1 bench-build)
	$(Q)BIN=$(BENCH_BIN) GMREPORT=$(GMREPORT) ARCH=$(ARCH) RUN="$(RUN)" FILTER="$(FILTER)" \
	  PROBES_BIN=$(if $(filter 1,$(PROBES)),,$(O)/$(ARCH)-probes/bin/gmbench) \
	  QUICK="$(QUICK)" REPS="$(REPS)" LABEL="$(LABEL)" RESULTS="$(or $(RESULTS),results)" \
	  PROBES="$(PROBES)" CPU="$(CPU)" GOVERNOR="$(GOVERNOR)" $(if $(SSBD),GM_SSBD=$(SSBD)) scripts/bench.sh

bench-build: $(BENCH_BIN) $(GMREPORT)  ## build the benchmark binary and the report tool

compare: deps $(GMCOMPARE) $(GMREPORT) $(O)/host/bin/gmpathlen  ## BASE=<ref> NEW=<ref|patch|worktree> (or OLD=<run> NEW=<run>) MODE=timing|count|both: timing paired in one process (PAIRED=0: not), exact instruction counts and (ARM) predicted cycles; LAYOUTS PROCS REPS PAIRS ALPHA MIN_EFFECT FILTER QUICK CPU PREDICT
	$(Q)O="$(O)" ARCH=$(ARCH) RUN="$(RUN)" GMCOMPARE=$(GMCOMPARE) GMREPORT=$(GMREPORT) MAKE="$(MAKE)" \
	  GMPATHLEN=$(O)/host/bin/gmpathlen MODE="$(MODE)" PREDICT="$(PREDICT)" \
	  BASE="$(BASE)" NEW="$(NEW)" OLD="$(OLD)" REPS="$(REPS)" ALPHA="$(ALPHA)" MIN_EFFECT="$(MIN_EFFECT)" FILTER="$(FILTER)" \
	  QUICK="$(QUICK)" METRIC="$(METRIC)" LABEL="$(LABEL)" RESULTS="$(or $(RESULTS),results)" \
	  CPU="$(CPU)" PAIRED="$(PAIRED)" LAYOUTS="$(LAYOUTS)" PROCS="$(PROCS)" PAIRS="$(PAIRS)" \
	  VARIANTS="$(VARIANTS)" $(if $(SSBD),GM_SSBD=$(SSBD)) scripts/compare.sh

sensitivity: deps bench-build $(GMCOMPARE)  ## the comparison measured on itself: null compares, a 2-instruction fixture, under load (REPEATS=5 PARTS=...)
	$(Q)O="$(O)" ARCH=$(ARCH) RUN="$(RUN)" MAKE="$(MAKE)" RESULTS="$(or $(RESULTS),results)" \
	  REPEATS="$(REPEATS)" PARTS="$(PARTS)" CPU="$(CPU)" scripts/sensitivity.sh

plots: $(GMREPORT)              ## gnuplot plots of RUN=<run folder> (default results/latest) or of a comparison folder
	$(Q)scripts/deps.sh gnuplot
	$(Q)d="$(if $(filter command line,$(origin RUN)),$(RUN),results/latest)"; \
	  if [ -f "$$d/compare.json" ]; then GMREPORT=$(GMREPORT) scripts/plot.sh compare "$$d"; \
	  else GMREPORT=$(GMREPORT) scripts/plot.sh run "$$d"; fi

clean:                          ## remove the build folder
	rm -rf $(O)

help:                           ## this list
	@echo "gmbench — make [target] [ARCH=amd64|arm|arm64] [O=build] [V=1]"
	@echo
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | sed -e 's/^[^:]*://' -e 's/:.*## /\t/' | \
	  awk -F'\t' '{ printf "  %-12s %s\n", $$1, $$2 }'
-include profiles/rules.mk
-include bench/peers/rules.mk
-include bench/pair/rules.mk
-include scripts/board/rules.mk
-include lava/rules.mk
-include bench/report/rules.mk
# Last, so that no rule above has the dependency files in its $(MAKEFILE_LIST): a .d
# written by one compile would otherwise make every rule read after it out of date
# (make test rebuilt the pathlen and peers tools in every section).
-include $(shell find $(B)/obj -name '*.d' 2>/dev/null)
-include bench/tools/rules.mk
