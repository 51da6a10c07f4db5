# scripts/remote/rules.mk — make bench|test|compare HOST=user@host[:port] [SSH_OPTS=...]:
# built here, run on the board over SSH (scripts/remote/run.sh, docs/remote.md).  With
# HOST= set, scripts/rules.mk and tests/rules.mk leave these three targets to this file.
# Only HOST= on make's command line counts (some shells export HOST as the hostname).
#
#   make remote-probe HOST=...   the board's port and what decided it
#   make test-remote-ssh         the runner's failure cases against a throwaway sshd
#                                (tests/remote/, part of make test)

REMOTE_ENV = HOST="$(REMOTE_HOST)" SSH_OPTS="$(SSH_OPTS)" REMOTE_DIR="$(REMOTE_DIR)" MAKE="$(MAKE)" O="$(O)" \
  $(if $(ARCH_GIVEN),ARCH=$(ARCH),ARCH=) FILTER='$(subst ','\'',$(value FILTER))' QUICK="$(QUICK)" \
  REPS="$(REPS)" LABEL="$(LABEL)" RESULTS="$(RESULTS_DIR)" CPU="$(CPU)" GOVERNOR="$(GOVERNOR)" \
  PEERS="$(PEERS)" MODE="$(MODE)"

.PHONY: remote-probe test-remote-ssh
ifneq ($(REMOTE_HOST),)
bench test compare:
	$(Q)$(REMOTE_ENV) scripts/remote/run.sh $@
endif
remote-probe:                   ## HOST=user@host[:port] [SSH_OPTS=]: the board's port (make bench|test|compare HOST= run there)
	$(Q)$(REMOTE_ENV) scripts/remote/run.sh probe

test-remote-ssh: $(GM)          ## HOST= plumbing against a throwaway sshd on 127.0.0.1 (bad key, host key, drops, arch, space)
	$(Q)O="$(O)" MAKE="$(MAKE)" bash tests/remote/run.sh

# the board in a box as the board: Debian's arm64 kernel under qemu-system (TCG), its
# sshd on 127.0.0.1 (user-mode networking), a key made per run (scripts/remote/box.sh)
.PHONY: test-remote
test-remote: board-deps $(GM)   ## ARCH=arm64|arm: boot the board in a box with sshd, run make test and make bench QUICK=1 HOST= against it
	$(Q)scripts/deps.sh ssh
	$(Q)ARCH=$(ARCH) O="$(O)" MAKE="$(MAKE)" BOARD_RELEASE=$(BOARD_RELEASE) RESULTS="$(RESULTS)" \
	  $(if $(filter command line,$(origin FILTER)),FILTER='$(subst ','\'',$(value FILTER))') scripts/remote/box.sh

# a board kit: what a board runs, built here, one checksummed tarball (LAVA's ssh jobs
# fetch it; scripts/remote/kit.sh, docs/remote.md#a-board-kit)
.PHONY: kit
kit:                            ## ARCH=amd64|arm|arm64: a board kit in $(O)/kit (binaries, gm, the runner; nothing built on the board)
	$(Q)ARCH=$(ARCH) O="$(O)" MAKE="$(MAKE)" scripts/remote/kit.sh
