#!/bin/bash
# scripts/remote/kit.sh — make kit ARCH=<port>: what a board runs, built here, in one
# checksummed tarball, for boards this machine does not reach over SSH itself: LAVA's
# ssh jobs (lava/, docs/lava.md) fetch it and run it; by hand, copy it and run it.
#
# The kit holds the benchmark binary and its latency-pass twin (the PROBES=1 build), the
# port's tests, gm built for the port (gm report runs on the board: stats.csv, summary),
# and the runner: scripts/bench.sh, the script make bench and make bench HOST= run, with
# its lib.sh and governor.sh.  Its run.sh (scripts/remote/kit-run.sh) is the way in:
#   run.sh check | bench [VAR=value...] | test
# Nothing in it is built on the board.
#
# Environment (make passes it): ARCH, O, MAKE.  Writes
#   O/kit/gmbench-kit-<port>-<rev>.tar.gz  and  <same>.tar.gz.sha256
# whole or not at all (staged, then renamed).
set -euo pipefail
GM_PROG=kit GM_DIE_STATUS=1 GM_ERROR_WORD=1
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../lib.sh"
cd "$here/../.."
: "${ARCH:?}"
MAKE=${MAKE:-make}
O=${O:-build}
rev=$(git describe --always --dirty --abbrev=12 2>/dev/null || echo norev)
name=gmbench-kit-$ARCH-$rev
mkdir -p "$O/kit"
log=$O/kit/$name.build.log

say "building ARCH=$ARCH here (log: $log)"
{ $MAKE --no-print-directory ARCH="$ARCH" O="$O" deps all bench-build board-gm &&
  $MAKE --no-print-directory ARCH="$ARCH" O="$O" PROBES=1 bench-build; } >"$log" 2>&1 ||
	{ tail -n 20 "$log" >&2; die "make ARCH=$ARCH failed (log: $log)"; }

B=$O/$ARCH P=$O/$ARCH-probes
stage=$(mktemp -d "$O/kit/.partial-XXXXXX")
gm_on_exit 'rm -rf "$stage"'
k=$stage/$name
mkdir -p "$k/bin" "$k/lib" "$k/probes/bin" "$k/probes/lib" "$k/tests" "$k/scripts"
# the binaries find their TLS-model shared objects through RUNPATH $ORIGIN/../lib
cp "$B/bin/gmbench" "$B/bin/gm" "$k/bin/"
cp "$B"/lib/*.so "$k/lib/"
cp "$P/bin/gmbench" "$k/probes/bin/"
cp "$P"/lib/*.so "$k/probes/lib/"
cp "$B/tests/test_runtime" "$B/tests/test_counter" "$k/tests/"
cp scripts/bench.sh scripts/lib.sh scripts/governor.sh "$k/scripts/"
cp "$here/kit-run.sh" "$k/run.sh"
chmod 755 "$k/run.sh"
gbench=$(sed -n 's/^version: //p' "$O/gbench/$ARCH/buildinfo.txt" 2>/dev/null || true)
jansson=$(sed -n 's/^version: //p' "$O/jansson/$ARCH/buildinfo.txt" 2>/dev/null || true)
# what the kit is; run.sh reads port= and rev=
cat >"$k/KIT" <<INFO
port=$ARCH
rev=$rev
commit=$(git rev-parse HEAD 2>/dev/null || echo unknown)
built=$(date -u +%Y-%m-%dT%H:%M:%SZ)
built_on=$(hostname 2>/dev/null || echo unknown) ($(uname -m))
compiler=$($($MAKE -s --no-print-directory ARCH="$ARCH" O="$O" print-CC) --version | sed -n 1p)
google_benchmark=$gbench
jansson=$jansson
INFO
(cd "$k" && find . -type f ! -name SHA256SUMS | LC_ALL=C sort | sed 's|^\./||' | xargs sha256sum >SHA256SUMS)
out=$O/kit/$name.tar.gz
tar czf "$stage/kit.tar.gz" -C "$stage" --owner=0 --group=0 --numeric-owner "$name"
sum=$(sha256sum <"$stage/kit.tar.gz" | cut -d' ' -f1)
mv "$stage/kit.tar.gz" "$out"
echo "$sum  $(basename "$out")" >"$out.sha256"
say "$out ($(du -h "$out" | cut -f1), sha256 $sum)"
say "on the board: tar xzf $(basename "$out") && $name/run.sh bench QUICK=1   (run.sh with no arguments says more)"
echo "$out"
