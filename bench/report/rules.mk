# bench/report/rules.mk — make report: many run folders (boards, cores, revisions) merged
# into one cross-board report.  Included from the top-level Makefile.
GMXREPORT := $(O)/host/bin/gmxreport
$(GMXREPORT): bench/report/gmxreport.c bench/report/gbjson.h bench/compare/stats.c bench/compare/stats.h $(MAKEFILE_LIST)
	@mkdir -p $(@D)
	@$(if $(Q),echo "  HOSTCC  $<")
	$(Q)$(HOSTCC) -std=gnu11 -O2 -g -Wall -Wextra -Werror -o $@ $< bench/compare/stats.c -ljansson -lm

.PHONY: report test-xreport
report: $(GMXREPORT)            ## RUNS="<run folders or extracted LAVA results>..." [BASELINE=board] [OUT=dir]: one cross-board report
	$(Q)scripts/deps.sh gnuplot || echo "report: continuing without plots"
	$(Q)GMXREPORT=$(GMXREPORT) RUNS="$(RUNS)" BASELINE="$(BASELINE)" OUT="$(OUT)" RESULTS="$(or $(RESULTS),results)" \
	  bench/report/xreport.sh

# the cross-board report on fixtures (scripts/test.sh calls it on the host)
test-xreport: $(GMXREPORT)
	$(Q)sh tests/xreport/run.sh $(GMXREPORT)
