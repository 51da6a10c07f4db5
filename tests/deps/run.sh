#!/bin/bash
# tests/deps/run.sh HOLDLOCK — scripts/deps.sh waits for apt's and dpkg's locks (make
# test-deps; make test runs it on the host).  Everything happens in a scratch apt root:
# APT_CONFIG points apt-config and apt-get (and through apt-config, deps.sh's dpkg-query
# and lock checks) at a temporary folder, with no package lists and dpkg replaced by
# /bin/false, so nothing is installed and no real lock is touched.  HOLDLOCK holds a lock
# as apt/dpkg do (fcntl).  Behaviour only: who waited, what was said, what apt reached.
GM_TEST_PREFIX="deps/"
. "$(dirname "$0")/../lib.sh"
set -u
HOLDLOCK=${1:?usage: tests/deps/run.sh HOLDLOCK}
if [ "$(id -u)" != 0 ]; then
	# through sudo apt would run as root: not even in a scratch root without root here
	echo "unavailable - deps/lock-wait: needs root (the scratch apt-get runs as root)"; exit 0
fi
command -v apt-get >/dev/null && command -v apt-config >/dev/null ||
	{ echo "unavailable - deps/lock-wait: no apt-get here"; exit 0; }

tmp=$(mktemp -d "${TMPDIR:-/tmp}/gm-deps-test.XXXXXX")
holders=""
trap 'for p in $holders; do kill "$p" 2>/dev/null; done; rm -rf "$tmp"' EXIT
mkdir -p "$tmp/dpkg" "$tmp/state" "$tmp/lists/partial" "$tmp/cache" "$tmp/archives/partial" \
	"$tmp/etc/apt.conf.d" "$tmp/etc/sources.list.d" "$tmp/etc/preferences.d" "$tmp/log"
: >"$tmp/dpkg/status"
: >"$tmp/etc/sources.list"
cat >"$tmp/apt.conf" <<CONF
Dir::State::status "$tmp/dpkg/status";
Dir::State "$tmp/state/";
Dir::State::lists "$tmp/lists/";
Dir::Cache "$tmp/cache/";
Dir::Cache::archives "$tmp/archives/";
Dir::Etc::main "/dev/null";
Dir::Etc::parts "$tmp/etc/apt.conf.d/";
Dir::Etc::sourcelist "$tmp/etc/sources.list";
Dir::Etc::sourceparts "$tmp/etc/sources.list.d/";
Dir::Etc::preferences "$tmp/etc/preferences";
Dir::Etc::preferencesparts "$tmp/etc/preferences.d/";
Dir::Log "$tmp/log/";
Dir::Bin::dpkg "/bin/false";
CONF
export APT_CONFIG="$tmp/apt.conf"
# refuse to go on unless every path apt and deps.sh use is inside the scratch root
eval "$(apt-config shell S Dir::State::status/f L Dir::State::lists/d A Dir::Cache::archives/d D Dir::Bin::dpkg/f)"
case "$S|$L|$A|$D" in
"$tmp/dpkg/status|$tmp/lists/|$tmp/archives/|/bin/false") ;;
*) bad "scratch: apt-config does not follow APT_CONFIG ($S $L $A $D): not running deps.sh"; exit 0 ;;
esac

# hold FILE SECONDS: start a holder and return once it holds the lock ($hpid)
hold() {
	"$HOLDLOCK" "$1" "$2" >"$tmp/holder.out" 2>&1 &
	hpid=$!
	holders="$holders $hpid"
	for _ in $(seq 100); do grep -q held "$tmp/holder.out" && return 0; sleep 0.05; done
	return 1
}
deps() { GM_APT_WAIT=$1 scripts/deps.sh jansson >"$tmp/out" 2>&1; }

# 1. the dpkg frontend lock is busy for 2 s: deps.sh says so, waits, then apt gets past
#    the lock (in the scratch root it then finds no package lists: "Unable to locate")
if hold "$tmp/dpkg/lock-frontend" 2; then
	deps 60; rc=$?
	if ! grep -q "waiting up to [0-9]* s for $tmp/dpkg/lock-frontend, held by process $hpid (holdlock)" "$tmp/out"; then
		bad "wait-dpkg: no line saying what deps.sh waits for: $(head -n 3 "$tmp/out" | tr '\n' ' ')"
	elif ! grep -q "lock is free after" "$tmp/out" || grep -q "gave up" "$tmp/out"; then
		bad "wait-dpkg: deps.sh did not wait the lock out: $(tr '\n' ' ' <"$tmp/out")"
	elif grep -Eq 'Could not get lock|Unable to acquire' "$tmp/out" || ! grep -q 'Unable to locate package libjansson-dev' "$tmp/out"; then
		bad "wait-dpkg: apt-get did not get past the lock: $(tr '\n' ' ' <"$tmp/out")"
	elif [ "$rc" = 0 ]; then
		bad "wait-dpkg: deps.sh succeeded with no package to install"
	else
		ok "wait-dpkg: said \"$(grep -m1 'waiting up to' "$tmp/out" | sed "s|$tmp|<scratch>|g")\", waited, then apt-get ran (and found no package in the scratch root)"
	fi
	wait "$hpid"
else
	bad "wait-dpkg: the holder could not take the scratch lock"
fi

# 2. apt-get update's lists lock, which apt's own DPkg::Lock::Timeout does not cover
if hold "$tmp/lists/lock" 2; then
	deps 60; rc=$?
	if grep -q "waiting up to [0-9]* s for $tmp/lists/lock, held by process $hpid" "$tmp/out" &&
	   ! grep -Eq 'Could not get lock|Unable to lock' "$tmp/out" &&
	   grep -q 'Unable to locate package libjansson-dev' "$tmp/out"; then
		ok "wait-lists: waited for apt-get update's lists lock, then apt-get ran"
	else
		bad "wait-lists: $(tr '\n' ' ' <"$tmp/out")"
	fi
	wait "$hpid"
else
	bad "wait-lists: the holder could not take the scratch lock"
fi

# 3. the wait runs out: a clear error naming the holder, non-zero, apt-get never got as far
if hold "$tmp/dpkg/lock" 0; then
	deps 1; rc=$?
	if [ "$rc" = 0 ]; then
		bad "give-up: deps.sh succeeded while the lock was held"
	elif ! grep -q "gave up after [0-9]* s: $tmp/dpkg/lock, held by process $hpid (holdlock)" "$tmp/out" ||
	     ! grep -q 'GM_APT_WAIT' "$tmp/out"; then
		bad "give-up: no clear error: $(tr '\n' ' ' <"$tmp/out")"
	elif grep -q 'Unable to locate' "$tmp/out"; then
		bad "give-up: apt-get ran although the lock was held"
	elif ! kill -0 "$hpid" 2>/dev/null; then
		bad "give-up: the holder was gone before deps.sh gave up"
	else
		ok "give-up: exit $rc with \"$(grep -m1 'gave up' "$tmp/out" | sed "s|$tmp|<scratch>|g")\""
	fi
	kill "$hpid" 2>/dev/null; wait "$hpid" 2>/dev/null
else
	bad "give-up: the holder could not take the scratch lock"
fi

# 4. a bad limit is refused
if GM_APT_WAIT=soon scripts/deps.sh jansson >"$tmp/out" 2>&1; then bad "bad-limit: GM_APT_WAIT=soon accepted"
elif grep -q 'GM_APT_WAIT must be a number' "$tmp/out"; then ok "bad-limit: GM_APT_WAIT=soon refused"
else bad "bad-limit: $(tr '\n' ' ' <"$tmp/out")"; fi
