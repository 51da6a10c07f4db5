#!/bin/sh
# gmbench-blocks.sh SET-ID BASEDIR PATH... — print files into the log as checksummed
# base64 blocks, so they come back from a lab that keeps only the log (LAVA 2023.01 has
# no file upload).  lava/host/gmbench-extract.sh takes them out of the log and checks them.
#
#   GMBENCH-FILES-BEGIN v1 SET NFILES
#   GMBENCH-FILE SET K PATH ENCODING BYTES SHA256 NLINES     for each file K = 1..NFILES
#   GMB64 SET.K SEQ DATA                                      NLINES lines, SEQ = 1..NLINES
#   GMBENCH-FILE-END SET K
#   GMBENCH-FILES-END SET NFILES
#
# PATH is relative to BASEDIR (no spaces).  ENCODING is gzip+base64 when gzip is here,
# else base64; BYTES and SHA256 are those of the file itself.  Every data line carries
# its file and sequence number, so a kernel message that lands between two lines (a
# serial console) is skipped, and a lost or damaged line is found, not glued in.
set -u
. "$(dirname "$0")/../../lib/gm-sh-lib"
[ $# -ge 3 ] || { echo "usage: $0 SET-ID BASEDIR PATH..." >&2; exit 2; }
set_id=$1 base=$2
shift 2
case $set_id in *[!A-Za-z0-9._-]*|'') gm_die "set id '$set_id': use [A-Za-z0-9._-]" ;; esac
command -v base64 >/dev/null 2>&1 || gm_die "base64 is not installed (coreutils or busybox): the result files cannot be printed into the log"
if command -v sha256sum >/dev/null 2>&1; then
	sha() { sha256sum <"$1" | cut -d' ' -f1; }
elif command -v openssl >/dev/null 2>&1; then
	sha() { openssl dgst -sha256 <"$1" | sed 's/^.*= *//'; }
else
	gm_die "neither sha256sum nor openssl is installed: the blocks could not be checked"
fi
for p; do
	case $p in *' '*|/*|*..*) gm_die "path '$p': relative, without spaces or '..'" ;; esac
	[ -f "$base/$p" ] || gm_die "$base/$p: no such file"
done
tmp=$(mktemp) || exit 1
trap 'rm -f "$tmp"; restore_printk' EXIT
# Kernel messages on a serial console would split data lines: quiet them while printing.
printk_saved=""
if [ -w /proc/sys/kernel/printk ]; then
	printk_saved=$(cut -f1 /proc/sys/kernel/printk)
	echo 1 >/proc/sys/kernel/printk 2>/dev/null || printk_saved=""
fi
restore_printk() { [ -z "$printk_saved" ] || echo "$printk_saved" >/proc/sys/kernel/printk 2>/dev/null; printk_saved=""; }

echo "GMBENCH-FILES-BEGIN v1 $set_id $#"
k=0
for p; do
	k=$((k + 1))
	f=$base/$p
	if command -v gzip >/dev/null 2>&1; then
		enc=gzip+base64
		gzip -9 -n -c <"$f" | base64 >"$tmp"
	else
		enc=base64
		base64 <"$f" >"$tmp"
	fi
	bytes=$(wc -c <"$f" | tr -d ' ')
	n=$(wc -l <"$tmp" | tr -d ' ')
	echo "GMBENCH-FILE $set_id $k $p $enc $bytes $(sha "$f") $n"
	awk -v id="$set_id.$k" '{ print "GMB64 " id " " NR " " $0 }' "$tmp"
	echo "GMBENCH-FILE-END $set_id $k"
done
echo "GMBENCH-FILES-END $set_id $#"
