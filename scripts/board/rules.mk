# scripts/board/rules.mk — the board in a box: Debian ARM kernels under qemu-system
# running the README's own commands natively (scripts/board/, docs/board.md).
# Included from the top-level Makefile.
#
#   make board ARCH=arm64|arm [KERNEL=arm64|armmp] [JOB=test|bench|both] [ICOUNT=1]
#   make board-image ARCH=arm64|arm [KERNEL=...]   the kernel, initrd and root image only
#   make test-board                                 the rig's own test (boot, build, tests,
#                                                   perf vs pathlen under -icount)
#   make board-deps                                 the host's Debian packages for it
#   (make test-board-tools, in tests/rules.mk: the host side without a guest)

BOARD_RELEASE ?= bookworm
BOARD_ENV = ARCH=$(ARCH) O="$(O)" RESULTS="$(or $(RESULTS),results)" BOARD_RELEASE=$(BOARD_RELEASE) \
  KERNEL="$(KERNEL)" JOB="$(JOB)" ICOUNT="$(ICOUNT)" TIMEOUT="$(TIMEOUT)" SMP="$(SMP)" MEM="$(MEM)" \
  FILTER='$(subst ','\'',$(value FILTER))' GM=$(GM) MAKE="$(MAKE)"

.PHONY: board board-image board-deps test-board
board-deps:                     ## the host packages for make board (qemu-system-arm, mmdebstrap, ...)
	$(Q)scripts/deps.sh board cc jansson

board: board-deps $(GM)   ## ARCH=arm64|arm [KERNEL=arm64|armmp] [JOB=test|bench|both] [ICOUNT=1]: Debian ARM kernel under qemu-system
	$(Q)$(BOARD_ENV) scripts/board/run.sh

board-image: board-deps         ## ARCH=arm64|arm [KERNEL=]: build (or show) the cached kernel, initrd, root image
	$(Q)case "$(ARCH):$(or $(KERNEL),default)" in \
	  arm64:arm64|arm64:default) set -- arm64 ;; arm:armmp|arm:default) set -- armhf ;; arm:arm64) set -- arm64 armhf ;; \
	  *) echo "board-image: ARCH=$(ARCH) KERNEL=$(KERNEL): use ARCH=arm64, or ARCH=arm with KERNEL=armmp|arm64" >&2; exit 2 ;; \
	esac; \
	for a; do BOARD_RELEASE=$(BOARD_RELEASE) scripts/board/image.sh $$a $(O)/board/$(BOARD_RELEASE)/$$a || exit 1; done

test-board: board-deps $(GM)  ## the rig's test: arm64 guest builds and runs the tests; perf vs pathlen under -icount
	$(Q)O="$(O)" MAKE="$(MAKE)" GM=$(GM) RESULTS="$(or $(RESULTS),$(O)/board/test-results)" \
	  BOARD_RELEASE=$(BOARD_RELEASE) sh tests/board/run.sh
