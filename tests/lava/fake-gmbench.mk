# A stand-in for gmbench's Makefile (tests/lava/run.sh): the targets gmbench.sh calls,
# doing nothing but writing what the real ones write, so that the board-side script's
# orchestration (checkouts, builds, interleaved rounds, parsing, blocks, upload) is tested
# in seconds.  VALUE (in the file `value`, one per commit) tells the revisions apart.
F ?= fixtures
.PHONY: deps bench-build bench test
deps:
	@echo "deps: nothing to install"
bench-build:
	@echo "built $$(cat value)$(if $(PROBES), (PROBES=$(PROBES)))"
test:
	@echo "== fake: building and testing"
	@echo "  ok - fake tls/read_tp/le: value $$(cat value)"
	@echo "  not ok - fake cgocall/asmcgocall/mask: misaligned 3"
	@echo "1 passed, 1 failed"
# CPU=all-types: one run folder per core type, labelled <LABEL>-<core>-cpu<N>, as bench.sh does
LABELS := $(if $(filter all-types,$(CPU)),$(LABEL)-Cortex-A53-cpu0 $(LABEL)-Cortex-A72-cpu4,$(LABEL))
bench:
	@test -n "$(RESULTS)" && test -n "$(LABEL)"
	@echo "$(LABEL) FILTER=$(FILTER) REPS=$(REPS) QUICK=$(QUICK)" >>"$(ORDER_LOG)"
	@for l in $(LABELS); do d="$(RESULTS)/fakehost/20260101T000000Z-$$(git rev-parse --short=12 HEAD)-$$l"; mkdir -p "$$d" && \
	  v=$$(cat value) && \
	  printf 'benchmark,suite,transition,variant,unit,n,median,ci_lo,ci_hi,ci_exact,median_ns,ci_lo_ns,ci_hi_ns\ntls/read_tp/le,tls,read_tp,le,ticks,3,%s,1,2,0,%s,1,2\n' $$v $$v >"$$d/stats.csv" && \
	  echo '{"context": {}, "benchmarks": []}' >"$$d/bench.json" && echo '{"gm_port": "fake"}' >"$$d/context.json" && \
	  echo '{"warnings": []}' >"$$d/machine.json" && echo "summary $$v" >"$$d/summary.txt" && \
	  head -c 200000 /dev/zero >"$$d/edges.csv" && ln -sfn "fakehost/$$(basename "$$d")" "$(RESULTS)/latest" || exit 1; done
