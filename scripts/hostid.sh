#!/bin/sh
# scripts/hostid.sh ARCH [RUN] — the folder name of this machine's results (for make and
# the board rig; scripts call gm_hostid from scripts/lib.sh, which decides).
. "$(dirname "$0")/lib.sh"
gm_hostid "$@"
