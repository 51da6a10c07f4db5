# bench/peers/rules.mk — peers: the real Go runtime, Boost.Context, glibc's switches and
# the floors, measured in the same run as gmbench's transitions (docs/peers.md).
#
# Included at the end of the top-level Makefile (after BENCH_BIN, BENCH_OBJ, GMREPORT,
# NEEDS, ... are set):   -include bench/peers/rules.mk
#
# Targets:
#   make bench PEERS=1   gmbench with the C peers registered (GM_PEERS=1), then real Go
#                        (go test -bench) merged into the same bench.json, then the
#                        ratio table (peers.txt, peers.json) and chart (peers.png/svg)
#   make peers           the same as make bench PEERS=1
#   make test-peers      the peers' tests (ok/not ok lines): the switches switch, the Go
#                        output converter and merge (good and bad input), the ratio table
#                        and chart from a fixture run, the Go peers' own tests
#
# Builds (per ARCH, cross builds as the rest of gmbench):
#   $(B)/obj/bench/peers/cpeers.o        C peers, compiled as C side (no reserved registers)
#   $(B)/obj/bench/peers/fcontext-all.o  the Boost.Context peer with jump_fcontext linked in
#                                        (partial link against libboost_context.a), or a
#                                        stub saying why Boost is unavailable for ARCH
#   $(O)/peers/boost/$(ARCH)/            Boost.Context for ARCH (scripts/peers-boost.sh)
#   $(O)/peers/go/$(ARCH)/gopeers.test   the Go peers as a go test binary (scripts/peers-go.sh)
#   $(O)/host/bin/gmpeers                the host tool: Go output -> bench.json, the table
# Both objects are linked into gmbench (BENCH_OBJ); bench/suite_peer.c is the Go-side suite.

PEERS_OBJDIR := $(B)/obj/bench/peers
PEERS_BOOST := $(O)/peers/boost/$(ARCH)
PEERS_GO_TEST := $(O)/peers/go/$(ARCH)/gopeers.test
PEERS_GO_SRC := $(wildcard bench/peers/go/*.go bench/peers/go/*.c bench/peers/go/*.h) bench/peers/go/go.mod
GMPEERS := $(O)/host/bin/gmpeers
PEERS_TEST_BIN := $(B)/tests/test_cpeers
PEERS_OBJ := $(PEERS_OBJDIR)/cpeers.o $(PEERS_OBJDIR)/fcontext-all.o

# ---------------------------------------------------------------- into gmbench
# BENCH_OBJ is expanded again when the link recipe runs, so appending here links the
# peers in; the extra prerequisite makes the link wait for them.
BENCH_OBJ += $(PEERS_OBJ)
$(BENCH_BIN): $(PEERS_OBJ)

# bench/suite_peer.c (the Go-side suite) is in the Makefile's BENCH_GO_SRC.
$(B)/obj/bench/suite_peer.o: bench/peers/cpeers.h

# ---------------------------------------------------------------- C and C++ peers (C side)
$(PEERS_OBJDIR)/cpeers.o: bench/peers/cpeers.c bench/peers/cpeers.h $(MAKEFILE_LIST)
	@mkdir -p $(@D)
	@$(if $(Q),echo "  CC      $(ARCH) $< (C side)")
	$(Q)$(CC) $(CPPFLAGS) $(CFLAGS) -MMD -MP -c -o $@ $<

# Boost.Context for ARCH.  A plain build decides once; make bench PEERS=1, make peers and
# make test-peers look again (the script is quick once Boost is there, and fetches it for
# a cross ARCH when it is not).  It rewrites status/why.h only when they change (the
# .git-rev pattern), so the peer is rebuilt only when that changes.
PEERS_RECHECK := $(if $(filter 1,$(PEERS))$(filter peers test-peers,$(MAKECMDGOALS)),FORCE)
$(PEERS_BOOST)/status: $(PEERS_RECHECK)
	$(Q)scripts/peers-boost.sh $(ARCH) $(TRIPLE) $(PEERS_BOOST)

# With Boost: fcontext.o partially linked with the members of libboost_context.a it
# needs (jump_fcontext, make_fcontext), so gmbench links one object and no library.
# Without: the stub built with CPEER_NO_BOOST (the reason) from why.h.
$(PEERS_OBJDIR)/fcontext-all.o: bench/peers/fcontext.cc bench/peers/cpeers.h $(PEERS_BOOST)/status $(MAKEFILE_LIST)
	@mkdir -p $(@D)
	@$(if $(Q),echo "  CXX     $(ARCH) $< (C side; $$(cut -d' ' -f1 $(PEERS_BOOST)/status))")
	$(Q)if grep -q '^ok ' $(PEERS_BOOST)/status; then \
	  $(CXX) -std=c++17 -O2 -g -Wall -Wextra -Werror $(ARCH_CFLAGS) -Ibench/peers -I$(PEERS_BOOST)/include \
	    -c -o $(PEERS_OBJDIR)/fcontext.o $< && \
	  $(CXX) -r -nostdlib -o $@ $(PEERS_OBJDIR)/fcontext.o $(PEERS_BOOST)/lib/libboost_context.a; \
	else \
	  $(CXX) -std=c++17 -O2 -g -Wall -Wextra -Werror $(ARCH_CFLAGS) -Ibench/peers -include $(PEERS_BOOST)/why.h \
	    -c -o $@ $<; \
	fi

# make pathlen counts the C peers too (peer/*: scripts/pathlen.sh sets GM_PEERS=1), so
# that a switch's instructions can be set beside Boost.Context's, symbol by symbol.
PL_SUITE_OBJ += $(B)/obj/bench/suite_peer.o $(PEERS_OBJ)
$(PL_DRIVER): $(B)/obj/bench/suite_peer.o $(PEERS_OBJ)

# ---------------------------------------------------------------- real Go
# Always exits 0: where Go cannot be built for ARCH, $(PEERS_GO_TEST).why says why.
$(PEERS_GO_TEST): $(PEERS_GO_SRC) scripts/peers-go.sh
	@$(if $(Q),echo "  GO      $(ARCH) bench/peers/go (go test -c)")
	$(Q)scripts/peers-go.sh $(ARCH) "$(CC)" $@

# ---------------------------------------------------------------- host tool
$(GMPEERS): bench/peers/gmpeers.c bench/report/gbjson.h $(MAKEFILE_LIST)
	@mkdir -p $(@D)
	@$(if $(Q),echo "  HOSTCC  $<")
	$(Q)$(HOSTCC) -std=gnu11 -O2 -g -Wall -Wextra -Werror -o $@ $< -ljansson -lm

# ---------------------------------------------------------------- tests
# Where Boost.Context is available for ARCH, the test requires the fcontext peer to work.
$(PEERS_OBJDIR)/test_cpeers.o: tests/peers/test_cpeers.c bench/peers/cpeers.h $(PEERS_BOOST)/status $(MAKEFILE_LIST)
	@mkdir -p $(@D)
	@$(if $(Q),echo "  CC      $(ARCH) $<")
	$(Q)$(CC) $(CPPFLAGS) $(CFLAGS) $$(grep -q '^ok ' $(PEERS_BOOST)/status && echo -DCPEER_EXPECT_BOOST) \
	  -MMD -MP -c -o $@ $<
$(PEERS_TEST_BIN): $(PEERS_OBJDIR)/test_cpeers.o $(PEERS_OBJ)
	@mkdir -p $(@D)
	@$(if $(Q),echo "  LD      $(ARCH) $@")
	$(Q)$(CXX) $(ARCH_CFLAGS) -o $@ $^ $(LDLIBS)

# gmbench itself only where the port has its transitions (a port being written may not).
PEERS_TEST_BENCH := $(if $(wildcard $(PORT)/cgo.S),$(BENCH_BIN))

.PHONY: peers peers-build test-peers
peers-build: $(PEERS_OBJ) $(PEERS_GO_TEST) $(GMPEERS)

peers:                          ## make bench PEERS=1: gmbench and its peers (real Go, Boost.Context, glibc, floors), ratio table
	$(Q)$(MAKE) --no-print-directory bench PEERS=1

test-peers: deps $(GMPEERS) $(GMREPORT) $(PEERS_TEST_BIN) $(PEERS_GO_TEST) $(PEERS_TEST_BENCH)  ## the peers' tests
	$(Q)GMPEERS=$(GMPEERS) GMREPORT=$(GMREPORT) RUN="$(RUN)" ARCH=$(ARCH) \
	  PEERS_TEST_BIN=$(PEERS_TEST_BIN) PEERS_GO_TEST=$(PEERS_GO_TEST) PEERS_BOOST=$(PEERS_BOOST) \
	  BENCH_BIN=$(PEERS_TEST_BENCH) sh tests/peers/run.sh

# make bench PEERS=1: what it needs, the C peers registered, the tools for scripts/peers.sh
ifeq ($(PEERS),1)
NEEDS += go boost gnuplot
bench: peers-build
export PEERS := 1
export GM_PEERS := 1
export GMPEERS
export PEERS_GO_TEST
endif
ifneq ($(filter peers test-peers,$(MAKECMDGOALS)),)
NEEDS += go boost gnuplot
endif

