#!/bin/sh
# scripts/governor.sh — set a CPU's cpufreq governor for a run, and put the old one back.
#
#   governor.sh set GOVERNOR CPU SAVEFILE   save CPU's governor into SAVEFILE (appends
#                                          "cpu old"), then set GOVERNOR
#   governor.sh restore SAVEFILE           write every saved governor back, remove SAVEFILE
#
# make bench / make compare call it for GOVERNOR=... and restore on every exit path (their
# EXIT/INT/TERM/HUP traps).  sysfs is $GM_SYSFS (default /sys), so the tests can use a
# made-up tree.  Needs the right to write scaling_governor (root).  Exit 2 with a message
# when the governor cannot be set; nothing is changed then.
set -eu
SYS=${GM_SYSFS:-/sys}

GM_PROG=governor
. "$(dirname "$0")/lib.sh"

case ${1:-} in
set)
	gov=${2:?} cpu=${3:?} save=${4:?}
	d="$SYS/devices/system/cpu/cpu$cpu/cpufreq"
	[ -r "$d/scaling_governor" ] ||
		die "CPU $cpu has no cpufreq (no $d/scaling_governor): its clock cannot be set here; run without GOVERNOR="
	avail=$(cat "$d/scaling_available_governors" 2>/dev/null || true)
	case " $avail " in
	*" $gov "*) ;;
	*) [ -z "$avail" ] || die "CPU $cpu has no governor '$gov' (available: $avail)" ;;
	esac
	old=$(cat "$d/scaling_governor")
	[ -w "$d/scaling_governor" ] ||
		die "setting the governor needs root (cannot write $d/scaling_governor): ${GM_GOVERNOR_ROOT_HINT:-sudo make ... GOVERNOR=$gov}, or run without GOVERNOR="
	echo "$cpu $old" >>"$save"
	if ! printf '%s\n' "$gov" >"$d/scaling_governor" 2>/dev/null; then
		die "writing '$gov' to $d/scaling_governor failed"
	fi
	echo "governor: CPU $cpu: $old -> $gov for this run (restored when it ends)" >&2
	;;
restore)
	save=${2:?}
	[ -f "$save" ] || exit 0
	# newest first, so a CPU set twice ends with its first saved value
	tac "$save" | while read -r cpu old; do
		d="$SYS/devices/system/cpu/cpu$cpu/cpufreq"
		if printf '%s\n' "$old" >"$d/scaling_governor" 2>/dev/null; then
			echo "governor: CPU $cpu: back to $old" >&2
		else
			echo "governor: WARNING: could not put CPU $cpu back to '$old'" >&2
		fi
	done
	rm -f "$save"
	;;
*)
	echo "usage: governor.sh set GOVERNOR CPU SAVEFILE | restore SAVEFILE" >&2
	exit 2
	;;
esac
