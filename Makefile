# gmbench — one non-recursive GNU make entry point.  `make help` lists the targets.
#
#   ARCH=amd64|arm|arm64   target port (default: the host's)
#   CROSS_COMPILE=prefix   cross toolchain prefix (default: the Debian triplet when ARCH
#                          is not the host's)
#   O=dir                  build folder (default: build); each ARCH builds in $(O)/$(ARCH)
#   V=1                    show the commands
#
# This file holds the configuration and the compile rules; each folder's own rules are in
# its rules.mk (the build follows the tree: sources are found per folder, flags are set per
# folder), included at the end in a fixed order.

SHELL := /bin/sh
.SUFFIXES:
.DEFAULT_GOAL := all

HOSTARCH := $(shell scripts/hostarch.sh)
# make bench|test|compare HOST=user@host[:port]: run on that board (scripts/remote/)
REMOTE_HOST := $(if $(filter command line,$(origin HOST)),$(HOST))
ARCH_GIVEN := $(filter command line environment,$(origin ARCH))
ARCH ?= $(HOSTARCH)
O ?= build
V ?= 0
ifeq ($(V),1)
Q :=
else
Q := @
endif

# ---------------------------------------------------------------- the port
# extra flags for the test's hostile C side (tests/runtime/hostile.c) only; a port may set them
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
LD := $(CROSS_COMPILE)ld
HOSTCC ?= cc

B := $(O)/$(ARCH)$(if $(filter 1,$(PROBES)),-probes)
# CCACHE=1: compiles go through ccache when it is installed (make compare sets it for the
# two sides' builds, which it makes from scratch in fresh worktrees every time).  One cache
# in CCACHE_DIR (default $(O)/ccache); paths under the tree are hashed relative to it
# (CCACHE_BASEDIR, CCACHE_NOHASHDIR), so two worktrees of one source share entries:
# -ffile-prefix-map already makes their objects byte-identical.
CCACHE_PREFIX :=
ifeq ($(CCACHE),1)
ifneq ($(shell command -v ccache 2>/dev/null),)
CCACHE_PREFIX := ccache
export CCACHE_DIR := $(or $(CCACHE_DIR),$(abspath $(O))/ccache)
export CCACHE_BASEDIR := $(CURDIR)
export CCACHE_NOHASHDIR := 1
endif
endif
# SAN=1: AddressSanitizer + UndefinedBehaviorSanitizer build (make test runs one on the host)
ifeq ($(SAN),1)
SAN_FLAGS := -fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer
# the host tools also check float-to-int casts (not part of GCC's -fsanitize=undefined)
HOSTCC := $(HOSTCC) $(SAN_FLAGS) -fsanitize=float-cast-overflow
endif

# ---------------------------------------------------------------- flags
CPPFLAGS := -Icore -I$(PORT)
# -ffile-prefix-map: the same source gives the same binary wherever it is built (make
# compare builds both sides in different worktrees; only real changes should differ)
PREFIX_MAP := -ffile-prefix-map=$(CURDIR)=.
CFLAGS := -std=gnu11 -O2 -g -Wall -Wextra -Werror $(ARCH_CFLAGS) $(PREFIX_MAP) $(SAN_FLAGS)
CXXFLAGS := -std=c++17 -O2 -g -Wall -Wextra -Werror $(ARCH_CFLAGS) $(PREFIX_MAP)
ASFLAGS := $(ARCH_CFLAGS) -g $(PREFIX_MAP)
GOSIDE := -DGM_GOSIDE $(GOSIDE_FLAGS)
LDLIBS := -lpthread $(SAN_FLAGS)
HOST_CFLAGS := -std=gnu11 -O2 -g -Wall -Wextra -Werror
# PROBES=1: a counter read at every edge of every transition (core/probe.h), in its own
# build folder; without it the transitions contain no probe code at all.
ifeq ($(PROBES),1)
CPPFLAGS += -DGM_PROBES=1
endif

# ABI: which side of the Go/C boundary a file is on, set per folder by the rules files
# ($(GOSIDE): g (and m) registers reserved, as Go code; empty: plain C, as the C a Go
# program calls).  The bench/side folder and core are Go side; a gcc_ prefix marks the
# C files among them (the Go runtime's habit).  EXTRA: a folder's or a file's own flags.
ABI :=
EXTRA :=

# ---------------------------------------------------------------- compile rules
# say TAG: make the target's folder and, unless V=1, print one short line
ifeq ($(V),1)
say = mkdir -p $(@D) &&
else
say = @mkdir -p $(@D) && echo "  $(1)" &&
endif

$(B)/obj/%.o: %.c $(MAKEFILE_LIST)
	$(call say,CC      $(ARCH) $<$(if $(ABI),, (C side))) $(CCACHE_PREFIX) $(CC) $(CPPFLAGS) $(CFLAGS) $(ABI) $(EXTRA) -MMD -MP -c -o $@ $<

$(B)/obj/%.o: %.S $(MAKEFILE_LIST)
	$(call say,AS      $(ARCH) $<) $(CCACHE_PREFIX) $(CC) $(CPPFLAGS) $(ASFLAGS) $(EXTRA) -MMD -MP -c -o $@ $<

$(B)/obj/%.o: %.cc $(MAKEFILE_LIST)
	$(call say,CXX     $(ARCH) $< (C side)) $(CCACHE_PREFIX) $(CXX) $(CXXFLAGS) $(EXTRA) -MMD -MP -c -o $@ $<

# position-independent C (the TLS-model shared objects)
$(B)/obj/%.pic.o: %.c $(MAKEFILE_LIST)
	$(call say,CC      $(ARCH) $< (PIC)) $(CCACHE_PREFIX) $(CC) $(CPPFLAGS) $(CFLAGS) -fPIC $(EXTRA) -MMD -MP -c -o $@ $<

# host tools and their tests: built for the machine that reads the results
$(O)/host/obj/%.o: %.c $(MAKEFILE_LIST)
	$(call say,HOSTCC  $<) $(CCACHE_PREFIX) $(HOSTCC) $(HOST_CFLAGS) $(EXTRA) -MMD -MP -c -o $@ $<

# link-exe: a target executable from its prerequisites' objects and libraries
link-exe = $(call say,LD      $(ARCH) $@) $(1) $(ARCH_CFLAGS) $(EXE_LDFLAGS) -o $@ $(filter %.o,$^) $(2)
# link-host: a host executable
link-host = $(call say,HOSTLD  $@) $(HOSTCC) -o $@ $(filter %.o,$^) $(1)

GIT_REV := $(shell git describe --always --dirty --abbrev=12 2>/dev/null || echo unknown)
FORCE:
.PHONY: FORCE

# ---------------------------------------------------------------- the folders' rules
include core/rules.mk
include bench/rules.mk
include tests/rules.mk
include scripts/rules.mk
include scripts/board/rules.mk
include scripts/remote/rules.mk
include lava/rules.mk

# ---------------------------------------------------------------- targets of the whole tree
.PHONY: all lib deps clean help features

all: lib $(TEST_BIN) $(TEST_COUNTER)           ## build the library and tests for ARCH

lib: $(LIBGM) $(LIBTLS)         ## build libgm.a and the TLS-model shared objects for ARCH

deps:                           ## install what building and testing ARCH needs (Debian packages)
	$(Q)scripts/deps.sh $(NEEDS)

clean:                          ## remove the build folder
	rm -rf $(O)

help:                           ## this list
	@echo "gmbench — make [target] [ARCH=amd64|arm|arm64] [O=build] [V=1]"
	@echo
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | sed -e 's/^[^:]*://' -e 's/:.*## /\t/' | \
	  awk -F'\t' '{ printf "  %-12s %s\n", $$1, $$2 }'

# What this tree can do, for make compare on another revision (scripts/compare/): one word
# per capability.  A revision without this target predates it (scripts/compare/ then
# looks at the files such a revision had).
features:
	@echo $(FEATURES)

# make -s print-VAR: a variable's value, for scripts that must name what make builds
# (scripts/remote/run.sh: the port's object folder, the Go peers' test binary)
print-%:
	@echo '$($*)'

# Last, so that no rule above has the dependency files in its $(MAKEFILE_LIST): a .d
# written by one compile would otherwise make every rule read after it out of date.
-include $(shell find $(B)/obj $(O)/host/obj -name '*.d' 2>/dev/null)
