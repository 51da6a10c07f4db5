# scripts/remote/ssh.sh — what the remote runner's scripts share (sourced after
# scripts/lib.sh by scripts/remote/run.sh and exec.sh; POSIX sh).
#
# The connection comes from the environment, which run.sh exports for exec.sh:
#   GM_REMOTE_TARGET  user@host        GM_REMOTE_PORT  22 unless HOST= named one
#   GM_REMOTE_OPTS    SSH_OPTS (words: -i KEY, -o ..., given before ours, so they win)
#   GM_REMOTE_CTL     the control socket of the run's one connection (ssh -M)
#   GM_REMOTE_DIR     the run's folder on the board (relative to the login's home)
#   GM_REMOTE_BOOT    the board's boot id when the run began (rm_lost tells a reboot)
#   GM_REMOTE_REBOOT_WAIT  seconds rm_lost waits for a silent board to answer (default 90)
#
#   rm_parse HOST          set GM_REMOTE_TARGET and GM_REMOTE_PORT from user@host[:port]
#   rm_ssh ARGS...         ssh to the board (BatchMode: never a password prompt)
#   rm_fail ERRFILE WHAT   die with the one clear message for ssh's failure in ERRFILE
#   rm_alive               is the connection still up
#   rm_bootid [fresh]      the board's boot id (fresh: on a new connection, not the run's)
#   rm_lost WHILE          die: the connection was lost while WHILE, and what became of
#                          the board (rebooted, still up, or silent)
#   rm_quote WORDS...      the words quoted for the board's shell
#   rm_path LOCALPATH      where a local file lives in the run's folder on the board
#   rm_libs PROG           the NEEDED libraries of PROG: "own PATH" for those found in its
#                          RUNPATH here (this checkout's, copied with it), "sys NAME" else
#   rm_put FILE...         copy local files there (space checked first, sha256 compared)
#   rm_get RDIR LDIR       copy a folder's files back into LDIR (sha256 compared; a file
#                          appears in LDIR only once it has arrived whole; the board's
#                          checksums are added to LDIR/remote.sha256)

rm_parse() {
	case $1 in
	*@*) ;;
	*) die "HOST=$1: use user@host or user@host:port" ;;
	esac
	GM_REMOTE_TARGET=$1 GM_REMOTE_PORT=22
	case $1 in
	*:*:*) die "HOST=$1: one host, one optional :port (IPv6 addresses: give the port with SSH_OPTS='-p N' and a name from ~/.ssh/config)" ;;
	*:*) GM_REMOTE_TARGET=${1%:*} GM_REMOTE_PORT=${1##*:} ;;
	esac
	case $GM_REMOTE_PORT in ''|*[!0-9]*) die "HOST=$1: the port must be a number" ;; esac
	export GM_REMOTE_TARGET GM_REMOTE_PORT
}

rm_ssh() {
	# shellcheck disable=SC2086 # SSH_OPTS are words
	ssh -p "$GM_REMOTE_PORT" ${GM_REMOTE_OPTS:-} -o BatchMode=yes -o StrictHostKeyChecking=accept-new \
		-o ConnectTimeout=15 -o ServerAliveInterval=5 -o ServerAliveCountMax=3 \
		-o ControlPath="$GM_REMOTE_CTL" -o LogLevel=ERROR "$GM_REMOTE_TARGET" "$@"
}

rm_alive() { rm_ssh -O check >/dev/null 2>&1 && rm_ssh true </dev/null >/dev/null 2>&1; }

# The kernel makes a new random boot id at every boot: a changed one means the board
# rebooted (the run's processes and its /tmp are gone with it).
rm_bootid() { # [fresh]
	if [ "${1:-}" = fresh ]; then
		(GM_REMOTE_CTL=none; rm_ssh -o ConnectTimeout=5 cat /proc/sys/kernel/random/boot_id </dev/null 2>/dev/null)
	else
		rm_ssh cat /proc/sys/kernel/random/boot_id </dev/null 2>/dev/null
	fi
}

rm_lost() { # WHILE
	if [ -z "${GM_REMOTE_BOOT:-}" ]; then
		die "the connection to $GM_REMOTE_TARGET was lost while $1; nothing was kept"
	fi
	wait_s=${GM_REMOTE_REBOOT_WAIT:-90} t0=$(date +%s) now=""
	say "the connection to $GM_REMOTE_TARGET was lost while $1: asking the board whether it rebooted (up to ${wait_s} s)"
	while :; do
		now=$(rm_bootid fresh) && [ -n "$now" ] && break
		now=""
		[ $(( $(date +%s) - t0 )) -lt "$wait_s" ] || break
		sleep 3
	done
	if [ -z "$now" ]; then
		die "the connection to $GM_REMOTE_TARGET was lost while $1, and the board has not answered for $(( $(date +%s) - t0 )) s since (powered off, hung, rebooting slowly, or the network is down); nothing was kept"
	elif [ "$now" != "$GM_REMOTE_BOOT" ]; then
		die "the board $GM_REMOTE_TARGET rebooted while $1 (its boot id changed; it answered again $(( $(date +%s) - t0 )) s later): nothing was kept; look at its kernel log (journalctl -k -b -1) for why, then rerun"
	fi
	die "the connection to $GM_REMOTE_TARGET was lost while $1 (the board is up and did not reboot: the network or its sshd dropped the connection); nothing was kept"
}

rm_hostpart() { h=${GM_REMOTE_TARGET#*@}; [ "$GM_REMOTE_PORT" = 22 ] && echo "$h" || echo "[$h]:$GM_REMOTE_PORT"; }

rm_fail() { # ERRFILE WHAT
	where="$GM_REMOTE_TARGET port $GM_REMOTE_PORT"
	line=$(grep -v '^\s*$' "$1" 2>/dev/null | grep -v '^@@@\|^Warning: Permanently' | tail -n 1)
	if grep -q 'REMOTE HOST IDENTIFICATION HAS CHANGED' "$1" 2>/dev/null; then
		die "the host key of $where changed since it was recorded: if the board was reinstalled, forget the old key with: ssh-keygen -R '$(rm_hostpart)' (then rerun); otherwise someone else answers at that address"
	elif grep -q 'Host key verification failed' "$1" 2>/dev/null; then
		die "host key verification failed for $where ($line): check known_hosts and SSH_OPTS"
	elif grep -q 'Permission denied' "$1" 2>/dev/null; then
		die "$where refused the key ($line): name yours with SSH_OPTS='-i ~/.ssh/KEY', or install it there with: ssh-copy-id -p $GM_REMOTE_PORT $GM_REMOTE_TARGET"
	elif grep -qi 'Connection refused\|No route to host\|Could not resolve\|timed out\|Network is unreachable\|Connection closed by\|Connection reset' "$1" 2>/dev/null; then
		die "cannot reach $where: $line"
	fi
	die "$2 failed on $where: ${line:-ssh said nothing}"
}

rm_quote() {
	for w; do printf "'%s' " "$(printf '%s' "$w" | sed "s/'/'\\\\''/g")"; done
}

# Every local path is kept under abs/ in the run's folder, so the same program or
# output folder has one place on the board whatever the current folder is here.
rm_path() {
	case $1 in
	/*) p=$1 ;;
	*) p=$PWD/$1 ;;
	esac
	echo "$GM_REMOTE_DIR/abs$p"
}

# the free space (KiB) in the run's folder on the board
rm_free() { rm_ssh "df -Pk $(rm_quote "$GM_REMOTE_DIR") | awk 'NR == 2 { print \$4 }'" </dev/null; }

rm_libs() { # PROG
	pdir=$(cd "$(dirname "$1")" && pwd)
	# GNU readelf reads every ELF target
	rpath=$(readelf -d "$1" 2>/dev/null | sed -n 's/.*(RUNPATH).*\[\(.*\)\]/\1/p; s/.*(RPATH).*\[\(.*\)\]/\1/p' |
		sed "s|\\\$ORIGIN|$pdir|g; s|\\\${ORIGIN}|$pdir|g" | tr ':' ' ')
	readelf -d "$1" 2>/dev/null | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p' | while read -r l; do
		for d in $rpath; do
			if [ -f "$d/$l" ]; then echo "own $(cd "$d" && pwd)/$l"; continue 2; fi
		done
		echo "sys $l"
	done
}

rm_put() { # FILE...
	need=$(du -skL "$@" | awk '{ s += $1 } END { print s + 16384 }')
	free=$(rm_free) || { rm_alive || rm_lost "checking the free space"; die "df failed on the board"; }
	case $free in ''|*[!0-9]*) die "cannot read the board's free space (df -Pk said '$free')" ;; esac
	[ "$free" -ge "$need" ] || die "no space on the board: $GM_REMOTE_DIR has $((free / 1024)) MiB free, the run needs $((need / 1024)) MiB (copying $(du -shcL "$@" | tail -n 1 | cut -f1) and room for results); free some, or set REMOTE_DIR= to a bigger file system"
	sums=$(for f; do sum=$(sha256sum <"$f" | cut -d' ' -f1); echo "$sum  $(rm_path "$f")"; done)
	err=$(mktemp)
	# from /, so that abs/<path> on the board is the file's absolute path here;
	# dereferenced: a program is copied, not a link to it
	if ! (for f; do case $f in /*) a=$f ;; *) a=$PWD/$f ;; esac; shift; set -- "$@" "${a#/}"; done
	      tar -C / -chf - "$@") 2>"$err" |
		rm_ssh "mkdir -p $(rm_quote "$GM_REMOTE_DIR/abs") && tar -xf - -C $(rm_quote "$GM_REMOTE_DIR/abs") && sha256sum -c >/dev/null <<'GM_SUMS'
$sums
GM_SUMS" 2>>"$err"; then
		rm_alive || { rm -f "$err"; rm_lost "copying $*"; }
		rm_fail "$err" "copying $*"
	fi
	rm -f "$err"
}

rm_get() { # RDIR LDIR
	in="$2/.remote-in.$$"
	rm -rf "$in"
	mkdir -p "$in" || die "cannot create $in"
	err=$(mktemp)
	# one stream: the files and, last, their checksums taken on the board
	if ! rm_ssh "cd $(rm_quote "$1") && find . -type f ! -name .gm-sums -exec sha256sum {} + >.gm-sums && tar -cf - ." \
		</dev/null 2>"$err" | tar -xf - -C "$in" 2>>"$err"; then
		rm -rf "$in"
		rm_alive || { rm -f "$err"; rm_lost "copying the results back"; }
		rm_fail "$err" "copying $1 back"
	fi
	rm -f "$err"
	(cd "$in" && [ -f .gm-sums ] && sha256sum -c --quiet .gm-sums >/dev/null 2>&1) ||
		{ rm -rf "$in"; die "the files copied back from $1 do not match their checksums on the board; nothing was kept"; }
	# the record: each file's checksum as the board computed it
	cat "$in/.gm-sums" >>"$2/remote.sha256" || die "cannot write $2/remote.sha256"
	# whole files only, each renamed into place
	(cd "$in" && find . -type f ! -name .gm-sums) | while IFS= read -r f; do
		mkdir -p "$2/$(dirname "$f")" && mv -f "$in/$f" "$2/$f" || exit 1
	done || die "cannot move the copied files into $2"
	rm -rf "$in"
}
