# lava/rules.mk — many boards: LAVA jobs, their offline checks, and one real job under
# lava-run (docs/lava.md).  Included from the top-level Makefile; make test's
# section of it, test-lava, is in tests/rules.mk.
LAVA_SMOKE_ARCH := $(if $(ARCH_GIVEN),$(ARCH),arm64)

.PHONY: lava-jobs lava-check lava-smoke
lava-jobs:                      ## BOARDS="qemu-arm64 bcm2711-rpi-4-b dragonboard-845c ssh" REV=<ref> or BASE= NEW= (A/B in one job), KIT= KIT_URL= (board kits): LAVA jobs in $(O)/lava/jobs
	$(Q)test -n "$(BOARDS)" || { echo "lava-jobs: give BOARDS=\"$$(ls lava/jobs/boards | sed 's/\.conf$$//' | tr '\n' ' ')\"" >&2; exit 2; }
	$(Q)REV="$(REV)" BASE="$(BASE)" NEW="$(NEW)" ROUNDS="$(ROUNDS)" FILTER="$(FILTER)" REPS="$(REPS)" QUICK="$(QUICK)" \
	  CPU="$(CPU)" GOVERNOR="$(GOVERNOR)" TARGET="$(TARGET)" TEST_TARGET="$(TEST_TARGET)" \
	  KIT="$(KIT)" KIT_URL="$(KIT_URL)" KIT_SHA256="$(KIT_SHA256)" \
	  lava/host/render-jobs.sh $(O)/lava/jobs $(BOARDS)

lava-check:                     ## every job passes LAVA's schema and lava-run --validate; parser and extractor on fixtures (~30 s)
	$(Q)O="$(O)" lava/host/check.sh

lava-smoke:                     ## ARCH=arm64: a real LAVA job under lava-run on QEMU arm64 (make board-image's kernel and root), results back through the log
	$(Q)O="$(O)" MAKE="$(MAKE)" ARCH=$(LAVA_SMOKE_ARCH) FILTER="$(FILTER)" REPS="$(REPS)" QUICK="$(QUICK)" \
	  TARGET="$(TARGET)" TEST_TARGET="$(TEST_TARGET)" BOARD_IMAGE_DIR="$(BOARD_IMAGE_DIR)" lava/host/smoke.sh

.PHONY: lava-ssh
lava-ssh:                       ## HOST=user@board[:port] SSH_KEY=<key> [KIT=]: one real LAVA ssh job under lava-run (no lab) running a board kit
	$(Q)HOST="$(REMOTE_HOST)" SSH_KEY="$(SSH_KEY)" SSH_OPTS="$(SSH_OPTS)" KIT="$(KIT)" O="$(O)" MAKE="$(MAKE)" \
	  $(if $(filter command line,$(origin FILTER)),FILTER='$(subst ','\'',$(value FILTER))') \
	  QUICK="$(QUICK)" REPS="$(REPS)" CPU="$(CPU)" TARGET="$(TARGET)" lava/host/ssh-job.sh
