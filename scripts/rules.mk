# scripts/rules.mk — the user's targets that scripts/ drives: bench, compare, sensitivity,
# plots, pathlen, predict, profile, peers, report.  Included by the top-level Makefile
# after bench/rules.mk and tests/rules.mk.
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
#   make bench PEERS=1 / make peers   gmbench with the C peers registered (GM_PEERS=1),
#        then real Go (go test -bench) merged into the same bench.json, then the ratio
#        table (peers.txt, peers.json) and chart (peers.png/svg)

RESULTS_DIR = $(or $(RESULTS),results)

# ---------------------------------------------------------------- bench, plots
ifeq ($(REMOTE_HOST),)
bench: deps bench-build         ## run the suites (FILTER=regex QUICK=1 REPS=n LABEL=x CPU=n|all-types GOVERNOR=performance), file results/<host>/<run>/
	$(Q)scripts/deps.sh gnuplot || echo "bench: continuing without plots"
	$(if $(filter 1,$(PROBES)),,$(Q)$(MAKE) --no-print-directory PROBES=1 bench-build)
	$(Q)BIN=$(BENCH_BIN) GM=$(GM) ARCH=$(ARCH) RUN="$(RUN)" FILTER="$(FILTER)" \
	  PROBES_BIN=$(if $(filter 1,$(PROBES)),,$(O)/$(ARCH)-probes/bin/gmbench) \
	  QUICK="$(QUICK)" REPS="$(REPS)" LABEL="$(LABEL)" RESULTS="$(RESULTS_DIR)" \
	  PROBES="$(PROBES)" CPU="$(CPU)" GOVERNOR="$(GOVERNOR)" $(if $(SSBD),GM_SSBD=$(SSBD)) scripts/bench.sh
endif

plots: $(GM)              ## gnuplot plots of RUN=<run folder> (default results/latest) or of a comparison folder
	$(Q)scripts/deps.sh gnuplot
	$(Q)d="$(if $(filter command line,$(origin RUN)),$(RUN),results/latest)"; \
	  if [ -f "$$d/compare.json" ]; then GM=$(GM) scripts/plot/plot.sh compare "$$d"; \
	  else GM=$(GM) scripts/plot/plot.sh run "$$d"; fi

# make bench PEERS=1: what it needs, the C peers registered, the tools for scripts/peers.sh
# (with HOST=, scripts/remote/run.sh builds them for the board's port instead)
ifeq ($(PEERS):$(REMOTE_HOST),1:)
NEEDS += go boost gnuplot
bench: peers-build
export PEERS := 1
export GM_PEERS := 1
export GM
export PEERS_GO_TEST
endif
ifneq ($(filter peers test-peers,$(MAKECMDGOALS)),)
NEEDS += go boost gnuplot
endif
# make compare builds both sides from scratch every time: through ccache (compare.sh)
ifneq ($(filter compare sensitivity,$(MAKECMDGOALS)),)
NEEDS += ccache
endif
peers:                          ## make bench PEERS=1: gmbench and its peers (real Go, Boost.Context, glibc, floors), ratio table
	$(Q)$(MAKE) --no-print-directory bench PEERS=1

# ---------------------------------------------------------------- compare, sensitivity
ifeq ($(REMOTE_HOST),)
compare: deps $(GM)  ## BASE=<ref> NEW=<ref|patch|worktree> (or OLD=<run> NEW=<run>) MODE=timing|count|both: timing paired in one process (PAIRED=0: not), exact instruction counts and (ARM) predicted cycles; BUDGET LAYOUTS PROCS REPS PAIRS ALPHA MIN_EFFECT STATES FILTER QUICK CPU PREDICT
	$(Q)O="$(O)" ARCH=$(ARCH) RUN="$(RUN)" GM=$(GM) MAKE="$(MAKE)" MODE="$(MODE)" PREDICT="$(PREDICT)" \
	  BASE="$(BASE)" NEW="$(NEW)" OLD="$(OLD)" REPS="$(REPS)" ALPHA="$(ALPHA)" MIN_EFFECT="$(MIN_EFFECT)" FILTER="$(FILTER)" \
	  QUICK="$(QUICK)" METRIC="$(METRIC)" LABEL="$(LABEL)" RESULTS="$(RESULTS_DIR)" \
	  CPU="$(CPU)" PAIRED="$(PAIRED)" LAYOUTS="$(LAYOUTS)" STATES="$(STATES)" BUDGET="$(BUDGET)" PROCS="$(PROCS)" PAIRS="$(PAIRS)" \
	  VARIANTS="$(VARIANTS)" $(if $(SSBD),GM_SSBD=$(SSBD)) scripts/compare/compare.sh
endif

sensitivity: deps bench-build $(GM)  ## the comparison measured on itself: null compares, 1- and 2-instruction fixtures, under load; power per row (REPEATS=5 PARTS=...)
	$(Q)O="$(O)" ARCH=$(ARCH) RUN="$(RUN)" MAKE="$(MAKE)" GM=$(GM) RESULTS="$(RESULTS_DIR)" \
	  REPEATS="$(REPEATS)" PARTS="$(PARTS)" CPU="$(CPU)" scripts/sensitivity.sh

# ---------------------------------------------------------------- pathlen, predict, profile
PL_K ?= 16
PL_REPS ?= 2
PL_GO ?= 1
# What the scripts need from make.
PL_ENV = ARCH=$(ARCH) PORT=$(PORT) TRIPLE=$(TRIPLE) QEMU_BIN=$(QEMU_BIN) RUN="$(RUN)" \
  O="$(O)" B="$(B)" CC="$(CC)" CROSS_COMPILE="$(CROSS_COMPILE)" HOSTARCH=$(HOSTARCH) \
  GM=$(GM) PL_DRIVER=$(PL_DRIVER) LIBGM=$(LIBGM) FILTER="$(FILTER)" \
  RESULTS="$(RESULTS_DIR)" LABEL="$(LABEL)"
PL_NEEDS := cc jansson boost $(if $(RUN),$(CROSS_NEED) qemu,valgrind) $(if $(filter 0,$(PL_GO)),,go)

.PHONY: bench plots peers compare sensitivity pathlen predict profile report pathlen-deps predict-deps profile-deps
pathlen-deps:
	$(Q)scripts/deps.sh $(PL_NEEDS)
pathlen: pathlen-deps      ## exact instructions per transition (QEMU/callgrind), Go, peers and (arm) seed columns: results/<host>/pathlen-*
	$(Q)$(MAKE) --no-print-directory pathlen-build
	$(Q)$(PL_ENV) PL_K=$(PL_K) PL_REPS=$(PL_REPS) PL_GO=$(PL_GO) scripts/pathlen.sh

# Without ARCH=, predict the ARM ports (the point: cycles without a board).
PREDICT_ARCHES := $(if $(ARCH_GIVEN),$(ARCH),arm64 arm)
predict-deps:
	$(Q)scripts/deps.sh cc jansson llvm $(foreach a,$(PREDICT_ARCHES),$(if $(filter-out $(HOSTARCH),$(a)),cross-$(a)))
predict: predict-deps      ## llvm-mca static cycle predictions per ARM core (not measurements): results/<host>/predict-*
	$(Q)$(MAKE) --no-print-directory $(GM)
	$(Q)$(PL_ENV) PREDICT_ARCHES="$(PREDICT_ARCHES)" MAKE="$(MAKE)" scripts/predict.sh

profile-deps:
	$(Q)scripts/deps.sh perf $(NEEDS)
profile: profile-deps      ## perf stat/record/report/annotate per suite (FILTER=regex): profiles/<host>/<run>/
	$(Q)$(MAKE) --no-print-directory bench-build
	$(Q)$(PL_ENV) BENCH_BIN=$(BENCH_BIN) PROFILES="$(or $(PROFILES),profiles)" scripts/profile.sh

# ---------------------------------------------------------------- report (many boards)
report: $(GM)            ## RUNS="<run folders or extracted LAVA results>..." [BASELINE=board] [OUT=dir]: one cross-board report
	$(Q)scripts/deps.sh gnuplot || echo "report: continuing without plots"
	$(Q)GM=$(GM) RUNS="$(RUNS)" BASELINE="$(BASELINE)" OUT="$(OUT)" RESULTS="$(RESULTS_DIR)" \
	  scripts/xreport.sh

FEATURES += pathlen compare-count
