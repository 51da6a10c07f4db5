#!/bin/bash
# scripts/pathlen.sh — make pathlen: exact instructions executed per operation of every
# transition x variant of one port, with real Go's column, the C peers (GM_PEERS=1) and,
# on arm, the 2012 seed's own sequences.
#
# Method: the driver (bench/side/pathlen.c) runs each case's batch function run(ctx, n)
# for n = K and n = 2K between two marker calls, REPS times, after a warm-up.  The
# instructions of each region are counted exactly:
#   arm, arm64 (and amd64 on a non-x86 host): QEMU user mode with -singlestep -d
#     nochain,exec, which logs every executed guest instruction; the log is streamed
#     through `gm pathlen qemu` (nothing is stored);
#   amd64 on x86-64: callgrind (Ir), collection switched on and off by client requests in
#     the markers; the signal cases run under qemu-x86_64 instead, because callgrind does
#     not collect a signal handler's instructions in this mode.
# Per operation = (I(2K) - I(K)) / K: the markers and the loop set-up cancel.  The same
# is done for a small cgo program (bench/golang/pathlen) built with Debian's Go.
#
# Environment (make passes it): ARCH PORT TRIPLE QEMU_BIN RUN O B CC CROSS_COMPILE
# HOSTARCH GM PL_DRIVER FILTER RESULTS LABEL PL_K PL_REPS PL_GO PL_GO_REPS
# PL_METHOD(=qemu|callgrind, default: callgrind for amd64 on x86-64, else qemu), PL_PLOTS
# (0: no plots; make compare counts without them).
# Output: RESULTS/<host-id>/pathlen-<stamp>-<rev>[-LABEL]/ {pathlen.json, pathlen.txt,
# pathlen.dat, raw/, plots}, written under .partial-* and renamed when complete;
# RESULTS/latest-pathlen points at it.
set -euo pipefail
GM_PROG=pathlen
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
# the C peers (Boost.Context, _setjmp/_longjmp, swapcontext, the floors) are counted too
export GM_PEERS=1

: "${ARCH:?}" "${PORT:?}" "${B:?}" "${GM:?}" "${PL_DRIVER:?}"
RUN=${RUN:-}
O=${O:-build}
K=${PL_K:-16}
REPS=${PL_REPS:-2}
GOREPS=${PL_GO_REPS:-6}
RESULTS=${RESULTS:-results}
FILTER=${FILTER:-.}
PL_GO=${PL_GO:-1}
CROSS_COMPILE=${CROSS_COMPILE:-}
HOSTARCH=${HOSTARCH:-$(gm_hostarch)}
case $K in ''|*[!0-9]*) die "PL_K must be an even number" ;; esac
if [ $((K % 2)) -ne 0 ] || [ "$K" -lt 2 ]; then die "PL_K must be even and >= 2"; fi
portname=${PORT##*/}
NM=${CROSS_COMPILE}nm
command -v "$NM" >/dev/null 2>&1 || NM=nm

method=${PL_METHOD:-}
if [ -z "$method" ]; then
	if [ "$ARCH" = amd64 ] && [ "$HOSTARCH" = amd64 ]; then method=callgrind; else method=qemu; fi
fi
QEMU=${QEMU_BIN:?}
[ -n "$RUN" ] && QEMU="$QEMU -L /usr/${TRIPLE:?}"
need() { command -v "$1" >/dev/null 2>&1 || { say "$1 not found: $2"; exit 1; }; }
case $method in
callgrind) need valgrind "install Debian's valgrind (make deps does)" ;;
qemu) need "${QEMU_BIN}" "install Debian's qemu-user" ;;
*) die "PL_METHOD=$method: use qemu or callgrind" ;;
esac
qemu_ver=$(${QEMU_BIN} --version 2>/dev/null | sed -n 1p || true)
m_qemu="$qemu_ver, -singlestep -d nochain,exec: every executed guest instruction is traced; gm pathlen counts them between the markers (user space only: the kernel's instructions are not counted)"
m_cg="$(valgrind --version 2>/dev/null || echo valgrind) --tool=callgrind: Ir (instructions executed) of the marking thread between client requests in the markers (user space only)"

hostid=$(gm_hostid "$ARCH" "${RUN:-}")
rev=$(git describe --always --dirty --abbrev=12 2>/dev/null || echo norev)
stamp=$(date -u +%Y%m%dT%H%M%SZ)
name=$(printf 'pathlen-%s-%s%s' "$stamp" "$rev" "${LABEL:+-$LABEL}" | tr -c 'A-Za-z0-9._+-' '-')
dir="$RESULTS/$hostid"
gm_stage "$dir" pathlen-
tmp=$gm_staged
work="$tmp/work"
mkdir -p "$tmp/raw" "$work"
t0=$(date +%s)

# Count the regions of one driver run: regex $1, counter $2 (qemu or callgrind), raw files
# $3.labels/.counts, more driver options after.
count_gm() {
	local re=$1 how=$2 out=$3
	shift 3
	if [ "$how" = qemu ]; then
		PL_MAPS="$work/maps" $QEMU -singlestep -d nochain,exec -D /dev/stdout \
			"$PL_DRIVER" --run "$re" "$@" --k "$K" --reps "$REPS" --out "$out.labels" \
			2>"$work/driver.err" |
			"$GM" pathlen qemu --maps "$work/maps" --nm "$NM" >"$out.counts" 2>>"$work/count.err"
	else
		rm -rf "$work/cg" && mkdir -p "$work/cg"
		valgrind --tool=callgrind --collect-atstart=no --separate-threads=yes --dump-instr=yes \
			--dump-line=no --toggle-collect=gm_thread_entry --dump-after=gm_thread_entry \
			--callgrind-out-file="$work/cg/cg.out" \
			"$PL_DRIVER" --run "$re" "$@" --k "$K" --reps "$REPS" --out "$out.labels" \
			2>"$work/driver.err" >/dev/null
		"$GM" pathlen callgrind --end gm_pl_end --nm "$NM" "$work/cg"/cg.out.* >"$out.counts" 2>>"$work/count.err"
		rm -rf "$work/cg"
	fi
}

fail() {
	say "$*; nothing was kept"
	for f in "$work/driver.err" "$work/count.err"; do [ -s "$f" ] && tail -n 5 "$f" | sed 's/^/  /' >&2; done
	exit 1
}

say "$portname: counting instructions per operation ($method, K=$K, $REPS repetitions)"
gmargs=()
if [ "$method" = callgrind ]; then
	# The signal cases: callgrind leaves a signal handler's instructions out, so they are
	# counted under qemu-x86_64 (exact too); everything else under callgrind.
	lst() { "$PL_DRIVER" --list --run "$FILTER" "$@" 2>/dev/null | awk -F'\t' '$1 == "case"' | grep . >/dev/null; }
	if lst --exclude '^signal/'; then
		count_gm "$FILTER" callgrind "$tmp/raw/gm" --exclude '^signal/' || fail "the callgrind run failed"
		gmargs+=(--gm "$tmp/raw/gm.labels" "$tmp/raw/gm.counts" "$m_cg")
	fi
	if "$PL_DRIVER" --list --run "$FILTER" 2>/dev/null | awk -F'\t' '$1 == "case" && $2 ~ /^signal\//' | grep . >/dev/null; then
		if command -v qemu-x86_64 >/dev/null 2>&1; then
			QEMU=qemu-x86_64 count_gm "$FILTER" qemu "$tmp/raw/gm-signal" --exclude '^(counter|tls|switch|cgocall|callback|thread|peer)/' ||
				fail "the qemu-x86_64 run of the signal cases failed"
			gmargs+=(--gm "$tmp/raw/gm-signal.labels" "$tmp/raw/gm-signal.counts" "$(qemu-x86_64 --version | sed -n 1p), -singlestep -d nochain,exec (signal cases: callgrind does not collect a signal handler's instructions)")
		else
			say "WARNING: qemu-x86_64 (Debian qemu-user) is missing: the signal cases are not counted"
		fi
	fi
	[ ${#gmargs[@]} -gt 0 ] || fail "no case matches FILTER=$FILTER"
	main_method=$m_cg
else
	count_gm "$FILTER" qemu "$tmp/raw/gm" || fail "the QEMU run failed"
	gmargs=(--gm "$tmp/raw/gm.labels" "$tmp/raw/gm.counts" "$m_qemu")
	main_method=$m_qemu
fi
cases="$tmp/raw/gm.labels"
[ -f "$cases" ] || cases="$tmp/raw/gm-signal.labels"
if [ -f "$tmp/raw/gm-signal.labels" ] && [ -f "$tmp/raw/gm.labels" ]; then
	# one case list: every case once, the signal cases from their QEMU run
	{ awk -F'\t' '$1 == "case" && $2 !~ /^signal\//' "$tmp/raw/gm.labels"
	  awk -F'\t' '$1 == "case"' "$tmp/raw/gm-signal.labels"
	  awk -F'\t' '$1 == "unavailable" || $1 == "context"' "$tmp/raw/gm.labels"; } >"$tmp/raw/cases"
	cases="$tmp/raw/cases"
fi

# ---- the Go column
goargs=()
gover=""
if [ "$PL_GO" = 0 ]; then
	goargs=(--go-unavailable "not run (PL_GO=0)")
elif ! command -v go >/dev/null 2>&1; then
	goargs=(--go-unavailable "Go is not installed (Debian: apt-get install golang-go; make deps installs it)")
else
	gover=$(go version 2>/dev/null | awk '{print $3}')
	case $ARCH in amd64) goarch=amd64 ;; arm) goarch=arm ;; arm64) goarch=arm64 ;; esac
	absO=$(cd "$O" && pwd)
	gobin="$absO/go/$ARCH/gopl"
	mkdir -p "$absO/go/cache" "$absO/go/path" "$absO/go/$ARCH"
	say "building the Go program ($gover, GOARCH=$goarch, CC=${CC:-gcc})"
	if ! (cd bench/golang/pathlen && env GOCACHE="$absO/go/cache" GOPATH="$absO/go/path" GOPROXY=off \
		GOFLAGS= GO111MODULE=on GOTOOLCHAIN=local CGO_ENABLED=1 GOOS=linux GOARCH=$goarch GOARM=7 \
		CC="${CC:-gcc}" go build -o "$gobin" .) >"$work/go-build.log" 2>&1; then
		goargs=(--go-unavailable "the cgo build with $gover for GOARCH=$goarch failed: $(tail -n 1 "$work/go-build.log")")
	else
		go_method="$gover, GOMAXPROCS=2 GODEBUG=asyncpreemptoff=1, LockOSThread for the cgo cases;"
		if [ "$method" = callgrind ]; then
			go_method="$go_method $m_cg"
		else
			go_method="$go_method $m_qemu"
		fi
		go_method="$go_method; Go's runtime has background threads (sysmon) whose timing changes the paths a little: the minimum over $GOREPS repetitions is reported"
		goargs=(--go-method "$go_method")
		for c in cgocall callback gocgo gosched; do
			ok=1
			if [ "$method" = callgrind ]; then
				rm -rf "$work/cg" && mkdir -p "$work/cg"
				GOMAXPROCS=2 GODEBUG=asyncpreemptoff=1 valgrind --tool=callgrind --collect-atstart=no \
					--separate-threads=yes --callgrind-out-file="$work/cg/cg.out" \
					"$gobin" "$c" "$K" "$GOREPS" "$tmp/raw/go-$c.labels" >/dev/null 2>"$work/go.err" || ok=0
				[ $ok = 1 ] && { "$GM" pathlen callgrind --end gopl_end --begin-trigger gopl_begin \
					--end-trigger gopl_region "$work/cg"/cg.out.* >"$tmp/raw/go-$c.counts" 2>>"$work/count.err" || ok=0; }
				rm -rf "$work/cg"
			else
				GOMAXPROCS=2 GODEBUG=asyncpreemptoff=1 $QEMU -singlestep -d nochain,exec -D /dev/stdout \
					"$gobin" "$c" "$K" "$GOREPS" "$tmp/raw/go-$c.labels" 2>"$work/go.err" |
					"$GM" pathlen qemu --begin gopl_begin --end gopl_end --tstart "" --tstop "" \
					>"$tmp/raw/go-$c.counts" 2>>"$work/count.err" || ok=0
			fi
			if [ $ok = 1 ]; then
				goargs+=(--go "$tmp/raw/go-$c.labels" "$tmp/raw/go-$c.counts")
			else
				echo "pathlen: WARNING: the Go case $c failed: $(tail -n 1 "$work/go.err" 2>/dev/null)" >&2
			fi
		done
	fi
fi

"$GM" pathlen report --arch "$ARCH" --port "$portname" --k "$K" --reps "$REPS" --method "$main_method" \
	--cases "$cases" "${gmargs[@]}" "${goargs[@]}" \
	--meta git_rev "$rev" --meta date_utc "$stamp" --meta host "$(hostname 2>/dev/null || echo host)" \
	--meta kernel "$(uname -srm)" --meta compiler "$(${CC:-gcc} --version | sed -n 1p)" \
	--meta go "${gover:-none}" --meta filter "$FILTER" \
	--json "$tmp/pathlen.json" --txt "$tmp/pathlen.txt" --dat "$tmp/pathlen.dat" ||
	fail "the report failed"
rm -rf "$work"
if [ "${PL_PLOTS:-1}" != 0 ] && command -v gnuplot >/dev/null 2>&1; then
	scripts/plot/pathlen.sh "$tmp" >/dev/null 2>&1 || say "WARNING: the plots failed (scripts/plot/pathlen.sh $dir/$name)"
fi
gm_commit "$dir" "$name" "$RESULTS" latest-pathlen "$hostid"
sed -n '/^transition/,/^Every case/p' "$dir/$name/pathlen.txt" | sed '$d'
echo "pathlen: $(( $(date +%s) - t0 )) s; results in $dir/$name (pathlen.json, pathlen.txt); $RESULTS/latest-pathlen points there"
