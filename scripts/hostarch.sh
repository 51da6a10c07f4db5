#!/bin/sh
# scripts/hostarch.sh — the port that runs natively here: amd64, arm or arm64 (for make;
# scripts call gm_hostarch from scripts/lib.sh, which decides).
. "$(dirname "$0")/lib.sh"
gm_hostarch
