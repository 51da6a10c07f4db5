#!/bin/bash
# tests/run.sh ARCH... — make test: `make test-arch` for each port, then (unless
# GM_TEST_HOST=0) the host tools, the apt lock wait, make compare end to end and an
# ASan+UBSan build.  Each section keeps its log in $O/<section>.test.log.
#
# The sections run in parallel, up to GM_TEST_JOBS at a time (default: nproc), after one
# serial step that makes what they share (packages, host tools).  Each section's lines
# are printed as one block when it finishes, so the output never interleaves; then a
# summary per section, and one closing line "N passed, N failed".  A port that cannot be
# built or run counts as failed (never skipped silently).  A failing section's log is kept
# in $O/test-logs/failed/<section>.log until a later run of that section passes (the next
# run overwrites $O/<section>.test.log), and its `not ok` lines are repeated in the summary.
set -u
GM_PROG=test
# shellcheck source=../scripts/lib.sh
. "$(dirname "$0")/../scripts/lib.sh"
O=${O:-build}
MAKE=${MAKE:-make}
hostarch=$(gm_hostarch)
jobs=${GM_TEST_JOBS:-$(nproc 2>/dev/null || echo 1)}
case $jobs in ''|*[!0-9]*|0) die "GM_TEST_JOBS must be a positive number" ;; esac
# A section that hangs must not eat a CI run: each gets GM_TEST_SECTION_LIMIT seconds
# (default 1800), then it is stopped and counted as failed with the end of its log; and
# while sections run, a line every GM_TEST_HEARTBEAT seconds (default 120) says which.
limit=${GM_TEST_SECTION_LIMIT:-1800}
beat=${GM_TEST_HEARTBEAT:-120}
case $limit$beat in ''|*[!0-9]*) die "GM_TEST_SECTION_LIMIT and GM_TEST_HEARTBEAT are seconds" ;; esac
# tests/pathlen/run.sh: which ports this run tests (it predicts arm64 from amd64 only
# when no arm64 section does it, and so never builds another section's folder)
export GM_TEST_ARCHES="$*"
failed_dir="$O/test-logs/failed"
mkdir -p "$O" "$failed_dir"
rev=$(git describe --always --dirty --abbrev=12 2>/dev/null || echo norev)
# an interrupted make test stops its sections too
trap 'trap - INT TERM; say "interrupted"; kill $(jobs -p) 2>/dev/null; exit 130' INT TERM
total_pass=0 total_fail=0 total_unavail=0
summary=""
t0=$(date +%s)

dur() { local s=$1; if [ "$s" -ge 60 ]; then printf '%dm%02ds' $((s / 60)) $((s % 60)); else printf '%ds' "$s"; fi; }

# report NAME TITLE RC SECONDS ARGS: print a finished section's block and count it
report() {
	local name=$1 title=$2 rc=$3 secs=$4 args=$5 log="$O/$1.test.log" p f u
	echo "== $title ($(dur "$secs"))"
	grep -E '^(ok|not ok|unavailable) - ' "$log" 2>/dev/null | sed 's/^/  /'
	p=$(grep -c '^ok - ' "$log" 2>/dev/null); p=${p:-0}
	f=$(grep -c '^not ok - ' "$log" 2>/dev/null); f=${f:-0}
	u=$(grep -c '^unavailable - ' "$log" 2>/dev/null); u=${u:-0}
	if [ "$rc" -eq 124 ] || [ "$rc" -eq 137 ]; then
		echo "  not ok - $name: stopped after $(dur "$secs"): over its limit of $(dur "$limit") (GM_TEST_SECTION_LIMIT); last lines of $log:"
		tail -n 15 "$log" 2>/dev/null | sed 's/^/    /'
		f=$((f + 1))
	elif [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
		echo "  not ok - $name: 'make $args' failed (exit $rc); last lines of $log:"
		tail -n 15 "$log" 2>/dev/null | sed 's/^/    /'
		f=$((f + 1))
	elif [ "$p" -eq 0 ] && [ "$f" -eq 0 ] && [ "$u" -eq 0 ]; then
		# a section that ran no test has not passed
		echo "  not ok - $name: 'make $args' ran no test"
		f=1
	fi
	summary="$summary
  $name: $p passed, $f failed, $u unavailable ($(dur "$secs"))"
	keep_log "$name" "$title" "$rc" "$secs" "$args" "$f"
	total_pass=$((total_pass + p)) total_fail=$((total_fail + f)) total_unavail=$((total_unavail + u))
}

# keep_log NAME TITLE RC SECONDS ARGS FAILED: a failed section's log is copied where the
# next run does not overwrite it, and its `not ok` lines go into the summary; a section
# that passes clears what an earlier failure kept
keep_log() {
	local kept="$failed_dir/$1.log"
	if [ "$6" -eq 0 ]; then
		rm -f "$kept"
		return
	fi
	{
		echo "# make test section $1 ($2): 'make $5' exit $3 after $(dur "$4"), $(date -u +%Y-%m-%dT%H:%M:%SZ), git $rev"
		cat "$O/$1.test.log" 2>/dev/null
	} >"$kept.tmp" && mv "$kept.tmp" "$kept"
	summary="$summary
$(grep '^not ok - ' "$O/$1.test.log" 2>/dev/null | head -n 20 | sed 's/^/    /')
    log kept in $kept (until this section passes again)"
}

# ---- the sections: name, title, the section it must wait for, make arguments
# ("*": after every other section, so alone)
names=() titles=() afters=() argss=()
section() { names+=("$1"); titles+=("$2"); afters+=("$3"); shift 3; argss+=("$*"); }
# The counter's known-answer tests time real code on the host: with other sections they
# would share the machine with a QEMU section, so they run apart, alone, at the end.
apart=""
if [ "${GM_TEST_HOST:-1}" = 1 ] && [[ " $* " == *" $hostarch "* ]]; then apart=TEST_COUNTER_APART=1; fi
# Started in this order as slots free up: the host port first, then make compare end to
# end, the longest host section, which must wait for it (it builds and runs the host
# port's gmbench: building it too would race), then the other ports.
arch_section() {
	section "$1" "$1: building and testing$( [ "$1" != "$hostarch" ] && echo ' (under QEMU user mode)')" "" \
		ARCH="$1" test-arch $([ "$1" = "$hostarch" ] && echo $apart)
}
for arch in "$@"; do [ "$arch" = "$hostarch" ] && arch_section "$arch"; done
if [ "${GM_TEST_HOST:-1}" = 1 ]; then
	section compare-e2e "make compare end to end" "$hostarch" test-compare-e2e
fi
for arch in "$@"; do [ "$arch" != "$hostarch" ] && arch_section "$arch"; done
if [ "${GM_TEST_HOST:-1}" = 1 ]; then
	# two minutes and one more, one after the other: started before the short sections,
	# which then fill the end.  The remote section's end-to-end run builds and runs the
	# host port's gmbench: after that section; make kit builds the host port's two builds
	# as the remote section does: after it
	section remote "HOST= over SSH: a throwaway sshd on 127.0.0.1, failure cases, make bench HOST= end to end" "$hostarch" test-remote-ssh
	section kit "board kits: make kit, its run.sh here as on a board, LAVA's gmbench.sh -k, gm for the ARM ports" "remote" test-kit
fi
if [ "${GM_TEST_HOST:-1}" = 1 ]; then
	section sanitizers "$hostarch and host tools again under ASan + UBSan" "" test-san $apart
	section host "host tools: gm compare statistics, gm pathlen's modes, bad inputs" "" test-compare
	section report "the run report tool" "" test-report
	# it also runs the host port's gmbench pinned: after make compare end to end, which
	# waits for the host port: both make bench-build, and when the host port's section
	# fails before its last step builds gmbench, two makes would write one file (seen:
	# both compiling gbshim.o at once)
	section machine "the machine's description and state, GOVERNOR= (made-up machines)" "compare-e2e" test-machine
	section xreport "the cross-board report (make report) on made-up runs" "" test-xreport
	section lava "LAVA: board-side parser, log blocks, extractor, gmbench.sh on a stand-in tree" "" test-lava
	section board-tools "make board's host side (no guest: make test-board boots one)" "" test-board-tools
	section scripts "scripts on stand-ins: the host id on made-up machines, make profile, make test's scheduler" "" test-scripts
	section deps "deps.sh waits for apt's and dpkg's locks (scratch apt root)" "" test-deps
	if [ -n "$apart" ]; then
		section counter "$hostarch counter known-answer tests (timed), alone once the rest is done, then under ASan + UBSan" "*" \
			-k ARCH="$hostarch" test-counter test-san-counter
	fi
fi
n=${#names[@]}

# ---- what the sections share, made once: two makes must never write one file
echo "== preparing: Debian packages for $* and the host tools (one step, before the sections)"
ps=$(date +%s)
if $MAKE --no-print-directory O="$O" TEST_PREP_ARCHES="$*" test-prep >"$O/prep.test.log" 2>&1; then
	echo "  done ($(dur $(($(date +%s) - ps))))"
	rm -f "$failed_dir/prep.log"
else
	cp "$O/prep.test.log" "$failed_dir/prep.log"
	echo "  not ok - prep: 'make test-prep' failed; last lines of $O/prep.test.log:"
	tail -n 15 "$O/prep.test.log" | sed 's/^/    /'
	echo "  (running the sections one at a time: each says what it misses)"
	total_fail=$((total_fail + 1)) jobs=1
fi
# One ccache under O for every compile the sections make (each port's build, the probes
# and sanitizer builds, make compare's two sides in fresh worktrees and fresh O folders):
# a source compiled once is a cache hit for the next build of it (the Makefile's CCACHE=1;
# -ffile-prefix-map and CCACHE_BASEDIR make other worktrees' objects the same)
if command -v ccache >/dev/null 2>&1; then
	export CCACHE=1 CCACHE_DIR=${CCACHE_DIR:-$(cd "$O" && pwd)/ccache}
fi
[ "$jobs" -gt "$n" ] && jobs=$n
echo "== $n sections, up to $jobs at a time (nproc $(nproc 2>/dev/null || echo '?'); GM_TEST_JOBS=n sets it); logs in $O/<section>.test.log"

# ---- run: start what is ready while there is room, report each section as it ends
state=() started=() pids=()       # state: wait | run | done
for ((i = 0; i < n; i++)); do state[i]=wait; done
running=0 left=$n last_beat=$(date +%s)
while [ "$left" -gt 0 ]; do
	for ((i = 0; i < n && running < jobs; i++)); do
		[ "${state[i]}" = wait ] || continue
		a=${afters[i]}
		if [ -n "$a" ]; then
			ready=1
			for ((j = 0; j < n; j++)); do
				[ "$j" != "$i" ] && { [ "$a" = "*" ] || [ "${names[j]}" = "$a" ]; } &&
					[ "${state[j]}" != done ] && ready=0
			done
			[ "$ready" = 1 ] || continue
		fi
		rm -f "$O/${names[i]}.test.rc"
		# shellcheck disable=SC2086 # the make arguments are words
		( timeout -k 20 "$limit" $MAKE --no-print-directory O="$O" ${argss[i]} >"$O/${names[i]}.test.log" 2>&1
		  echo $? >"$O/${names[i]}.test.rc.tmp" && mv "$O/${names[i]}.test.rc.tmp" "$O/${names[i]}.test.rc" ) &
		pids[i]=$! started[i]=$(date +%s) state[i]=run running=$((running + 1))
	done
	sleep 1
	now=$(date +%s)
	if [ "$beat" -gt 0 ] && [ $((now - last_beat)) -ge "$beat" ]; then
		line=""
		for ((i = 0; i < n; i++)); do
			[ "${state[i]}" = run ] && line="$line ${names[i]} ($(dur $((now - started[i]))))"
		done
		echo "   ... $(dur $((now - t0))) in; running:$line; $left of $n sections left"
		last_beat=$now
	fi
	for ((i = 0; i < n; i++)); do
		[ "${state[i]}" = run ] && [ -f "$O/${names[i]}.test.rc" ] || continue
		wait "${pids[i]}" 2>/dev/null
		report "${names[i]}" "${titles[i]}" "$(cat "$O/${names[i]}.test.rc")" \
			$(($(date +%s) - started[i])) "${argss[i]}"
		rm -f "$O/${names[i]}.test.rc"
		state[i]=done running=$((running - 1)) left=$((left - 1))
	done
done
# a failure kept from an earlier run of a section this run did not run
for f in "$failed_dir"/*.log; do
	[ -f "$f" ] || continue
	k=$(basename "$f" .log) ran=0
	[ "$k" = prep ] && continue
	for ((i = 0; i < n; i++)); do [ "${names[i]}" = "$k" ] && ran=1; done
	[ "$ran" = 1 ] || summary="$summary
  (kept from an earlier run: $f, $(head -n 1 "$f" | sed 's/^# //'))"
done
echo "== summary (make test took $(dur $(($(date +%s) - t0))))$summary"
echo "$total_pass passed, $total_fail failed"
[ "$total_fail" -eq 0 ]
