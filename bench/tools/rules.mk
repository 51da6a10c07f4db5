# bench/tools/rules.mk — the host tool gm (perf style: bench/tools/gm.c's command table,
# one cmd-<command>.c per command, util/ shared), included by the top-level Makefile.
# Uses O, HOSTCC (SAN=1 adds the sanitizers to it) and Q from the Makefile.
#
#   $(GM)                      $(O)/host/bin/gm
#   $(GM_TEST_STATS)           $(O)/host/bin/test_stats: tests/compare/test_stats.c on util/stats.c
#   make gm                    builds $(GM)
#
# Each command's --help text is its page docs/tools/<command>.md made into a C string
# (help-<command>.h under $(O)/host/gen/tools): the whole page is the help, the first
# fenced block of the page is the synopsis printed after a usage error.

GM := $(O)/host/bin/gm
GM_TEST_STATS := $(O)/host/bin/test_stats
GM_OBJDIR := $(O)/host/obj/tools
GM_GEN := $(O)/host/gen/tools
GM_SRC := $(wildcard bench/tools/*.c bench/tools/util/*.c)
GM_OBJ := $(GM_SRC:bench/tools/%.c=$(GM_OBJDIR)/%.o)
GM_DOCS := $(wildcard docs/tools/*.md)
GM_HELP := $(GM_DOCS:docs/tools/%.md=$(GM_GEN)/help-%.h)
# -ffp-contract=off: no fused multiply-add on hosts that have it, so a statistic is the
# same bits on an ARM board as on the x86-64 host that checked it
GM_CFLAGS := -std=gnu11 -O2 -g -Wall -Wextra -Werror -ffp-contract=off -MMD -MP
GM_LDLIBS := -ljansson -lm

$(GM_GEN)/help-%.h: docs/tools/%.md bench/tools/rules.mk
	@mkdir -p $(@D)
	$(Q)awk -v n=$* 'BEGIN { print "static const char gm_help_" n "[] =" } \
	  /^```/ { fence = !fence; if (fence) nf++; next } \
	  { gsub(/\\/, "\\\\"); gsub(/"/, "\\\""); print "\t\"" $$0 "\\n\""; if (fence && nf == 1) u[++nu] = $$0 } \
	  END { print "\t\"\";"; print "static const char gm_usage_" n "[] ="; \
	        for (i = 1; i <= nu; i++) print "\t\"" u[i] "\\n\""; print "\t\"\";" }' $< >$@.tmp && mv $@.tmp $@

$(GM_OBJDIR)/%.o: bench/tools/%.c $(GM_HELP) bench/tools/rules.mk
	@mkdir -p $(@D)
	@$(if $(Q),echo "  HOSTCC  $<")
	$(Q)$(HOSTCC) $(GM_CFLAGS) -I$(GM_GEN) -c -o $@ $<

$(GM): $(GM_OBJ)
	@mkdir -p $(@D)
	@$(if $(Q),echo "  LD      $@")
	$(Q)$(HOSTCC) -o $@ $(GM_OBJ) $(GM_LDLIBS)

$(GM_OBJDIR)/test_stats.o: tests/compare/test_stats.c bench/tools/rules.mk
	@mkdir -p $(@D)
	$(Q)$(HOSTCC) $(GM_CFLAGS) -Ibench/tools/util -c -o $@ $<

$(GM_TEST_STATS): $(GM_OBJDIR)/test_stats.o $(GM_OBJDIR)/util/stats.o
	@mkdir -p $(@D)
	$(Q)$(HOSTCC) -o $@ $(GM_OBJDIR)/test_stats.o $(GM_OBJDIR)/util/stats.o -lm

.PHONY: gm
gm: $(GM)

-include $(wildcard $(GM_OBJDIR)/*.d $(GM_OBJDIR)/util/*.d)
