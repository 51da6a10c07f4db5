# bench/rules.mk — everything built from bench/: the measured side, the hosts that run it,
# the peers and the host tools.  Included by the top-level Makefile after core/rules.mk.
#
#   bench/side/   the measured side: Go side, but gcc_* files are plain C (C ABI)
#   bench/host/   the C hosts: gmbench (Google Benchmark), gmpair (two sides, paired)
#   bench/golang/ real Go programs: the Go peers, Go's own path lengths
#   bench/tools/  the host tool gm (run where the results are read)
#
#   $(BENCH_BIN)  gmbench: a side + the Google Benchmark host
#   $(PL_DRIVER)  gmpathlen-driver: the side's batch functions between region markers
#   make pair-side PAIR_LAYOUTS="1 2 3"  this tree as a side of a paired comparison:
#                 $(B)/side/side-L<k>.o, one relocatable object per layout (the
#                 transitions assembled with -DGM_LAYOUT=k, the rest shared)
#   make pair-driver                     the host that holds two sides (bench/host/pair.c)
#   make pair-link PAIR_OUT= PAIR_K= PAIR_A= PAIR_B= PAIR_DRIVER= PAIR_SLOTS=
#                 one gmpair binary, PAIR_SLOTS copies of each side placed from seed K
#                 (scripts/compare/pair-link.sh)

# ---------------------------------------------------------------- per-folder flags
$(B)/obj/bench/side/%.o: ABI := $(GOSIDE)
$(B)/obj/bench/side/gcc_%.o: ABI :=
$(B)/obj/bench/side/side.o: EXTRA = -DGM_GIT_REV='"$(GIT_REV)"' -DGM_CFLAGS='"$(filter-out $(PREFIX_MAP),$(CFLAGS))"'
$(B)/obj/bench/side/side.o: $(B)/.git-rev
$(B)/.git-rev: FORCE
	@mkdir -p $(@D)
	@echo '$(GIT_REV)' | cmp -s - $@ || echo '$(GIT_REV)' > $@

# ---------------------------------------------------------------- the measured side
# side.c + the suites + their C side (gcc_side.c) + the C peers; pathlen.c and its
# markers are the path-length driver's own.
SIDE_ONLY_PL := bench/side/pathlen.c bench/side/gcc_marks.c
SIDE_SRC := $(filter-out $(SIDE_ONLY_PL),$(sort $(wildcard bench/side/*.c)))
SIDE_OBJ := $(SIDE_SRC:%.c=$(B)/obj/%.o)
SUITE_OBJ := $(filter $(B)/obj/bench/side/suite_%.o,$(SIDE_OBJ))

# ---- the C peers' Boost.Context switch (docs/peers.md).  A plain build decides once
# whether Boost.Context is there for ARCH; make bench PEERS=1, make peers and make
# test-peers look again (the script is quick once Boost is there, and fetches it for a
# cross ARCH when it is not).  It rewrites status/why.h only when they change, so the
# peer is rebuilt only when that changes.
PEERS_BOOST := $(O)/peers/boost/$(ARCH)
PEERS_RECHECK := $(if $(filter 1,$(PEERS))$(filter peers test-peers,$(MAKECMDGOALS)),FORCE)
$(PEERS_BOOST)/status: $(PEERS_RECHECK)
	$(Q)scripts/peers-boost.sh $(ARCH) $(TRIPLE) $(PEERS_BOOST)
# With Boost: gcc_fcontext.o partially linked with the members of libboost_context.a it
# needs (jump_fcontext, make_fcontext), so gmbench links one object and no library.
# Without: the stub built with CPEER_NO_BOOST (the reason) from why.h.
FCONTEXT_OBJ := $(B)/obj/bench/side/gcc_fcontext-all.o
$(FCONTEXT_OBJ): bench/side/gcc_fcontext.cc bench/side/peers.h $(PEERS_BOOST)/status $(MAKEFILE_LIST)
	$(call say,CXX     $(ARCH) $< (C side; $$(cut -d' ' -f1 $(PEERS_BOOST)/status))) \
	if grep -q '^ok ' $(PEERS_BOOST)/status; then \
	  $(CXX) $(CXXFLAGS) -I$(PEERS_BOOST)/include -c -o $(@D)/gcc_fcontext.o $< && \
	  $(CXX) -r -nostdlib -o $@ $(@D)/gcc_fcontext.o $(PEERS_BOOST)/lib/libboost_context.a; \
	else \
	  $(CXX) $(CXXFLAGS) -include $(PEERS_BOOST)/why.h -c -o $@ $<; \
	fi
SIDE_OBJ += $(FCONTEXT_OBJ)
PEERS_OBJ := $(B)/obj/bench/side/gcc_peers.o $(FCONTEXT_OBJ)

# ---------------------------------------------------------------- gmbench
# Google Benchmark: Debian's source package built in release mode, once per ARCH.
GBENCH_PREFIX := $(O)/gbench/$(ARCH)
GBENCH_LIB := $(GBENCH_PREFIX)/lib/libbenchmark.a
GBENCH_LIBS = -lbenchmark $(if $(shell grep -s 'libpfm: yes' $(GBENCH_PREFIX)/buildinfo.txt),-lpfm)
$(GBENCH_LIB):
	$(Q)CROSS_COMPILE="$(CROSS_COMPILE)" scripts/build-gbench.sh $(ARCH) $(GBENCH_PREFIX)

BENCH_BIN := $(B)/bin/gmbench
HOST_OBJ := $(B)/obj/bench/host/main.o $(B)/obj/bench/host/machine.o $(B)/obj/bench/host/gbshim.o
$(B)/obj/bench/host/gbshim.o: EXTRA := -I$(GBENCH_PREFIX)/include
$(B)/obj/bench/host/gbshim.o: | $(GBENCH_LIB)
$(BENCH_BIN): $(SIDE_OBJ) $(HOST_OBJ) $(LIBGM) $(LIBTLS) $(GBENCH_LIB)
	$(call link-exe,$(CXX),$(LIBGM) $(LIBTLS_LINK) -L$(GBENCH_PREFIX)/lib $(GBENCH_LIBS) $(LDLIBS))

# ---------------------------------------------------------------- the path-length driver
# the suites but the thread suite (the driver has its own thread-start case), and the
# C peers (make pathlen counts them too, symbol by symbol)
PL_DRIVER := $(B)/bin/gmpathlen-driver
PL_OBJ := $(SIDE_ONLY_PL:%.c=$(B)/obj/%.o) $(filter-out %/suite_thread.o,$(SUITE_OBJ)) \
          $(B)/obj/bench/side/gcc_side.o $(PEERS_OBJ)
$(PL_DRIVER): $(PL_OBJ) $(LIBGM) $(LIBTLS)
	$(call link-exe,$(CXX) $(CFLAGS),$(LIBGM) $(LIBTLS_LINK) $(LDLIBS))

# ---------------------------------------------------------------- paired sides
PAIR_LAYOUTS ?= 1
$(B)/side/base.o: $(CORE_OBJ) $(SIDE_OBJ)
	$(call say,LD -r   $(ARCH) $@) $(LD) -r -o $@ $^

.PHONY: pair-side pair-driver pair-link
pair-side: $(B)/side/base.o $(TLS_SO_OBJ)
	$(Q)for k in $(PAIR_LAYOUTS); do \
	  mkdir -p $(B)/side/L$$k || exit 1; \
	  for s in $(PORT_ASM); do \
	    $(CCACHE_PREFIX) $(CC) $(CPPFLAGS) $(ARCH_CFLAGS) -DGM_LAYOUT=$$k $(PREFIX_MAP) -c \
	      -o $(B)/side/L$$k/$$(basename $$s .S).o $$s || exit 1; \
	  done; \
	  $(LD) -r -o $(B)/side/side-L$$k.o $(B)/side/base.o $(B)/side/L$$k/*.o || exit 1; \
	done
	@echo "pair-side: $(B)/side/side-L{$(PAIR_LAYOUTS)}.o"

PAIR_DRIVER_OBJ := $(B)/obj/bench/host/pair.o $(B)/obj/bench/host/machine.o
pair-driver: $(PAIR_DRIVER_OBJ)

# scripts/compare/pair-link.sh with this ARCH's tools: PAIR_OUT PAIR_K PAIR_A PAIR_B PAIR_DRIVER PAIR_SLOTS
pair-link:
	$(Q)CC="$(CC)" CXX="$(CXX)" CROSS_COMPILE="$(CROSS_COMPILE)" ARCH_CFLAGS="$(ARCH_CFLAGS)" \
	  scripts/compare/pair-link.sh "$(PAIR_OUT)" "$(PAIR_K)" "$(PAIR_A)" "$(PAIR_B)" "$(PAIR_DRIVER)" "$(PAIR_SLOTS)"

# ---------------------------------------------------------------- real Go: the Go peers
# Always exits 0: where Go cannot be built for ARCH, $(PEERS_GO_TEST).why says why.
PEERS_GO_TEST := $(O)/peers/go/$(ARCH)/gopeers.test
PEERS_GO_SRC := $(wildcard bench/golang/peers/*.go bench/golang/peers/*.c bench/golang/peers/*.h) bench/golang/peers/go.mod
$(PEERS_GO_TEST): $(PEERS_GO_SRC) scripts/peers-go.sh
	@$(if $(Q),echo "  GO      $(ARCH) bench/golang/peers (go test -c)")
	$(Q)scripts/peers-go.sh $(ARCH) "$(CC)" $@

# ---------------------------------------------------------------- the host tool gm
# perf style: bench/tools/gm.c's command table, one cmd-<command>.c per command, util/
# shared.  Each command's --help text is its page docs/tools/<command>.md made into a C
# string (help-<command>.h under $(O)/host/gen/tools): the whole page is the help, the
# first fenced block of the page is the synopsis printed after a usage error.
GM := $(O)/host/bin/gm
GM_GEN := $(O)/host/gen/tools
GM_SRC := $(sort $(wildcard bench/tools/*.c bench/tools/util/*.c))
GM_OBJ := $(GM_SRC:%.c=$(O)/host/obj/%.o)
GM_HELP := $(patsubst docs/tools/%.md,$(GM_GEN)/help-%.h,$(wildcard docs/tools/*.md))
# -ffp-contract=off: no fused multiply-add on hosts that have it, so a statistic is the
# same bits on an ARM board as on the x86-64 host that checked it
$(O)/host/obj/bench/tools/%.o: EXTRA := -ffp-contract=off -I$(GM_GEN)
$(GM_OBJ): | $(GM_HELP)
$(GM_GEN)/help-%.h: docs/tools/%.md bench/rules.mk
	$(call say,GEN     $@) awk -v n=$* 'BEGIN { print "static const char gm_help_" n "[] =" } \
	  /^```/ { fence = !fence; if (fence) nf++; next } \
	  { gsub(/\\/, "\\\\"); gsub(/"/, "\\\""); print "\t\"" $$0 "\\n\""; if (fence && nf == 1) u[++nu] = $$0 } \
	  END { print "\t\"\";"; print "static const char gm_usage_" n "[] ="; \
	        for (i = 1; i <= nu; i++) print "\t\"" u[i] "\\n\""; print "\t\"\";" }' $< >$@.tmp && mv $@.tmp $@
$(GM): $(GM_OBJ)
	$(call link-host,-ljansson -lm)

# gm built for ARCH, to run on a board (make kit; LAVA's ssh jobs run the kit's gm report
# there, so nothing is built on the board): the same sources and flags as the host's gm,
# with a static jansson made here from Debian's source (scripts/build-jansson.sh), so the
# board needs no libjansson.
BOARD_GM := $(B)/bin/gm
JANSSON_PREFIX := $(O)/jansson/$(ARCH)
$(JANSSON_PREFIX)/.stamp:
	$(Q)CROSS_COMPILE="$(CROSS_COMPILE)" scripts/build-jansson.sh $(ARCH) $(JANSSON_PREFIX)
$(B)/obj/gm/%.o: %.c $(MAKEFILE_LIST) | $(JANSSON_PREFIX)/.stamp $(GM_HELP)
	$(call say,CC      $(ARCH) $< (gm for the board)) $(CCACHE_PREFIX) $(CC) $(HOST_CFLAGS) $(ARCH_CFLAGS) \
	  -ffp-contract=off -I$(GM_GEN) -I$(JANSSON_PREFIX)/include -MMD -MP -c -o $@ $<
$(BOARD_GM): $(GM_SRC:%.c=$(B)/obj/gm/%.o)
	$(call link-exe,$(CC),$(JANSSON_PREFIX)/lib/libjansson.a -lm)

.PHONY: board-gm
board-gm: $(BOARD_GM)           ## gm built for ARCH, for a board kit (static jansson from Debian's source)

.PHONY: bench-build pathlen-build peers-build
bench-build: $(BENCH_BIN) $(GM)  ## build the benchmark binary and the report tool
pathlen-build: lib $(PL_DRIVER) $(GM)
peers-build: $(PEERS_OBJ) $(PEERS_GO_TEST) $(GM)

FEATURES += bench-build pathlen-build pair-side pair-driver pair-link
