# bench/compare/rules.mk - gmcompare (host tool) for the non-recursive Makefile.
#
# Include from the top-level Makefile (run from the repo root), after O,
# HOSTCC and Q are set:
#     include bench/compare/rules.mk
# Uses:    $(O) build root, $(HOSTCC) host C compiler, $(Q) '' or '@'.
# Defines: GMCOMPARE (the binary), GMCOMPARE_TEST_STATS, phony test-compare.
# Needs:   libjansson-dev (Debian) on the build host.
# Only variables/targets prefixed GMCOMPARE_/gmcompare/test-compare and the
# files under $(O)/host/{bin,obj/compare} are touched.

O      ?= build
HOSTCC ?= cc

# Directory of the repo root relative to the including Makefile: '' when
# included as bench/compare/rules.mk, '/abs/path/' when included by an
# absolute path.
GMCOMPARE_TOP := $(patsubst %bench/compare/,%,$(dir $(lastword $(MAKEFILE_LIST))))
GMCOMPARE_SRC := $(GMCOMPARE_TOP)bench/compare
GMCOMPARE_TST := $(GMCOMPARE_TOP)tests/compare
GMCOMPARE_OBJ := $(O)/host/obj/compare

GMCOMPARE            := $(O)/host/bin/gmcompare
GMCOMPARE_TEST_STATS := $(O)/host/bin/test_stats

GMCOMPARE_CFLAGS  := -std=c11 -O2 -Wall -Wextra -Werror -MMD -MP \
                     -I$(GMCOMPARE_SRC) $(GMCOMPARE_EXTRA_CFLAGS)
GMCOMPARE_LDLIBS  := -ljansson -lm

$(GMCOMPARE_OBJ)/stats.o: $(GMCOMPARE_SRC)/stats.c
	@mkdir -p $(@D)
	$(Q)$(HOSTCC) $(GMCOMPARE_CFLAGS) -c -o $@ $<

$(GMCOMPARE_OBJ)/gmcompare.o: $(GMCOMPARE_SRC)/gmcompare.c
	@mkdir -p $(@D)
	$(Q)$(HOSTCC) $(GMCOMPARE_CFLAGS) -c -o $@ $<

$(GMCOMPARE_OBJ)/paired.o: $(GMCOMPARE_SRC)/paired.c
	@mkdir -p $(@D)
	$(Q)$(HOSTCC) $(GMCOMPARE_CFLAGS) -c -o $@ $<

$(GMCOMPARE_OBJ)/util.o: $(GMCOMPARE_SRC)/util.c
	@mkdir -p $(@D)
	$(Q)$(HOSTCC) $(GMCOMPARE_CFLAGS) -c -o $@ $<

$(GMCOMPARE_OBJ)/count.o: $(GMCOMPARE_SRC)/count.c
	@mkdir -p $(@D)
	$(Q)$(HOSTCC) $(GMCOMPARE_CFLAGS) -c -o $@ $<

$(GMCOMPARE_OBJ)/test_stats.o: $(GMCOMPARE_TST)/test_stats.c
	@mkdir -p $(@D)
	$(Q)$(HOSTCC) $(GMCOMPARE_CFLAGS) -c -o $@ $<

$(GMCOMPARE): $(GMCOMPARE_OBJ)/gmcompare.o $(GMCOMPARE_OBJ)/paired.o $(GMCOMPARE_OBJ)/count.o $(GMCOMPARE_OBJ)/util.o $(GMCOMPARE_OBJ)/stats.o
	@mkdir -p $(@D)
	$(Q)$(HOSTCC) -o $@ $^ $(GMCOMPARE_LDLIBS)

$(GMCOMPARE_TEST_STATS): $(GMCOMPARE_OBJ)/test_stats.o $(GMCOMPARE_OBJ)/stats.o
	@mkdir -p $(@D)
	$(Q)$(HOSTCC) -o $@ $^ -lm

.PHONY: gmcompare test-compare
gmcompare: $(GMCOMPARE)

test-compare: $(GMCOMPARE) $(GMCOMPARE_TEST_STATS)
	$(Q)$(GMCOMPARE_TEST_STATS)
	$(Q)sh $(GMCOMPARE_TST)/run.sh $(GMCOMPARE) $(GMCOMPARE_TST)/fixtures
	$(Q)sh $(GMCOMPARE_TST)/run-paired.sh $(GMCOMPARE)
	$(Q)sh $(GMCOMPARE_TST)/run-count.sh $(GMCOMPARE)

-include $(wildcard $(GMCOMPARE_OBJ)/*.d)
