# profiles/rules.mk — path lengths, static predictions and perf profiles.
# Included from the top-level Makefile; uses its variables (ARCH, O, B, CC, CROSS_COMPILE,
# RUN, QEMU_BIN, TRIPLE, PORT, GOSIDE, CPPFLAGS, CFLAGS, LIBGM, LIBTLS, LIBTLS_LINK,
# EXE_LDFLAGS, LDLIBS, BENCH_BIN, Q, HOSTARCH, HOSTCC, GIT_REV).
#
#   make pathlen [ARCH=...] [PL_K=16] [PL_REPS=2] [FILTER=regex] [PL_GO=0]
#        exact instructions per operation of every transition x variant (QEMU exec trace
#        for arm/arm64, callgrind for amd64), with real Go's column, the C peers, and on
#        arm the 2012 seed's own sequences (docs/seed.md)
#        -> results/<host-id>/pathlen-<stamp>-<rev>/ (results/latest-pathlen)
#   make predict [ARCH=arm|arm64]     llvm-mca static cycle predictions (not measurements)
#        -> results/<host-id>/predict-<stamp>-<rev>/ (results/latest-predict)
#   make profile [FILTER=regex]       perf stat / record / report / annotate per suite
#        -> profiles/<host-id>/<stamp>-<rev>/ with INDEX.txt (profiles/latest)
#   make test-pathlen                 stability and output-shape tests of the above

PL_K ?= 16
PL_REPS ?= 2
PL_GO ?= 1
PL_DRIVER := $(B)/bin/gmpathlen-driver
GMPATHLEN := $(O)/host/bin/gmpathlen
PL_SUITE_OBJ := $(addprefix $(B)/obj/bench/,suite_counter.o suite_tls.o suite_switch.o \
                suite_cgocall.o suite_callback.o suite_signal.o cside.o)
PL_OBJ := $(B)/obj/bench/pathlen/driver.o $(B)/obj/bench/pathlen/marks.o

# Go side: the driver (runs the suites' batch functions on a goroutine)
$(B)/obj/bench/pathlen/driver.o: bench/pathlen/driver.c $(MAKEFILE_LIST)
	@mkdir -p $(@D)
	@$(if $(Q),echo "  CC      $(ARCH) $<")
	$(Q)$(CC) $(CPPFLAGS) $(CFLAGS) $(GOSIDE) -MMD -MP -c -o $@ $<
# C side: the region markers (callgrind client requests on x86-64)
$(B)/obj/bench/pathlen/marks.o: bench/pathlen/marks.c $(MAKEFILE_LIST)
	@mkdir -p $(@D)
	@$(if $(Q),echo "  CC      $(ARCH) $< (C side)")
	$(Q)$(CC) $(CPPFLAGS) $(CFLAGS) -MMD -MP -c -o $@ $<

$(PL_DRIVER): $(PL_OBJ) $(PL_SUITE_OBJ) $(LIBGM) $(LIBTLS)
	@mkdir -p $(@D)
	@$(if $(Q),echo "  LD      $(ARCH) $@")
	$(Q)$(CXX) $(CFLAGS) $(EXE_LDFLAGS) -o $@ $(PL_OBJ) $(PL_SUITE_OBJ) $(LIBGM) $(LIBTLS_LINK) $(LDLIBS)

# Host tool: trace/callgrind counting, the report, llvm-mca input, checks.
$(GMPATHLEN): bench/pathlen/gmpathlen.c $(MAKEFILE_LIST)
	@mkdir -p $(@D)
	@$(if $(Q),echo "  HOSTCC  $<")
	$(Q)$(HOSTCC) -std=gnu11 -O2 -g -Wall -Wextra -Werror -o $@ $< -ljansson -lm

# What the scripts need from make.
PL_ENV = ARCH=$(ARCH) PORT=$(PORT) TRIPLE=$(TRIPLE) QEMU_BIN=$(QEMU_BIN) RUN="$(RUN)" \
  O="$(O)" B="$(B)" CC="$(CC)" CROSS_COMPILE="$(CROSS_COMPILE)" HOSTARCH=$(HOSTARCH) \
  GMPATHLEN=$(GMPATHLEN) PL_DRIVER=$(PL_DRIVER) LIBGM=$(LIBGM) FILTER="$(FILTER)" \
  RESULTS="$(or $(RESULTS),results)" LABEL="$(LABEL)"

PL_NEEDS := cc jansson boost $(if $(RUN),$(CROSS_NEED) qemu,valgrind) $(if $(filter 0,$(PL_GO)),,go)

.PHONY: pathlen pathlen-build predict profile test-pathlen pathlen-deps predict-deps profile-deps

pathlen-deps:
	$(Q)scripts/deps.sh $(PL_NEEDS)
pathlen-build: lib $(PL_DRIVER) $(GMPATHLEN)

pathlen: pathlen-deps      ## exact instructions per transition (QEMU/callgrind), Go, peers and (arm) seed columns: results/<host>/pathlen-*
	$(Q)$(MAKE) --no-print-directory pathlen-build
	$(Q)$(PL_ENV) PL_K=$(PL_K) PL_REPS=$(PL_REPS) PL_GO=$(PL_GO) scripts/pathlen.sh

# Without ARCH=, predict the ARM ports (the point: cycles without a board).
PREDICT_ARCHES := $(if $(ARCH_GIVEN),$(ARCH),arm64 arm)
predict-deps:
	$(Q)scripts/deps.sh cc jansson llvm $(foreach a,$(PREDICT_ARCHES),$(if $(filter-out $(HOSTARCH),$(a)),cross-$(a)))
predict: predict-deps      ## llvm-mca static cycle predictions per ARM core (not measurements): results/<host>/predict-*
	$(Q)$(MAKE) --no-print-directory $(GMPATHLEN)
	$(Q)$(PL_ENV) PREDICT_ARCHES="$(PREDICT_ARCHES)" MAKE="$(MAKE)" scripts/predict.sh

profile-deps:
	$(Q)scripts/deps.sh perf $(NEEDS)
profile: profile-deps      ## perf stat/record/report/annotate per suite (FILTER=regex): profiles/<host>/<run>/
	$(Q)$(MAKE) --no-print-directory bench-build
	$(Q)$(PL_ENV) BENCH_BIN=$(BENCH_BIN) PROFILES="$(or $(PROFILES),profiles)" scripts/profile.sh

test-pathlen: pathlen-deps predict-deps  ## tests of make pathlen/predict: stable counts, output shape
	$(Q)$(MAKE) --no-print-directory pathlen-build
	$(Q)$(PL_ENV) MAKE="$(MAKE)" tests/pathlen/run.sh
