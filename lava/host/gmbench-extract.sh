#!/bin/sh
# gmbench-extract.sh LOG DEST — take the result files that gmbench printed into a log as
# checksummed base64 blocks (lava/automated/linux/gmbench/gmbench-blocks.sh) out of it,
# check every one, and write them under DEST/<set-id>/<path>.
#
# LOG is a LAVA job log (lava-run's output.yaml, or the log downloaded from a LAVA
# server's job page, where each console line is a "msg" field), a serial console capture,
# or what the script printed over ssh.  Each set of blocks becomes DEST/<set-id>/, whose
# sub-folders are gmbench run folders that make report reads.
#
# All or nothing: a log with no blocks, a set cut off before its end (a truncated log or
# a job that timed out), a missing or repeated-but-different line, a size or checksum
# that does not match, or a set that is already in DEST is an error on stderr with exit
# status 2, and DEST is left as it was.
set -u
GM_PROG=gmbench-extract GM_ERROR_WORD=1
. "$(dirname "$0")/../../scripts/lib.sh"
[ $# -eq 2 ] || { echo "usage: $0 LOG DEST" >&2; exit 2; }
log=$1 dest=$2
[ -r "$log" ] || die "$log: cannot read it"
for c in base64 sha256sum gzip awk; do command -v $c >/dev/null 2>&1 || die "$c is not installed"; done
mkdir -p "$dest" || die "cannot create $dest"
work=$(mktemp -d "$dest/.extract-XXXXXX") || die "cannot write in $dest"
trap 'rm -rf "$work"' EXIT
trap 'exit 130' INT TERM HUP

# 1. awk: the block lines wherever they sit in a line (after a LAVA log's "msg": or a
# timestamp), checked for order and completeness; the base64 of file K of set S goes to
# $work/S/K.b64, and $work/manifest gets "S K PATH ENC BYTES SHA" per complete file.
awk -v work="$work" -v logname="$log" '
function fail(msg) { printf "gmbench-extract: error: %s: %s\n", logname, msg > "/dev/stderr"; bad = 1; exit 2 }
function tok(s,   i) {   # the words of a marker line, cut where a log format closes the line
	i = index(s, "\""); if (i) s = substr(s, 1, i - 1)
	i = index(s, "\047"); if (i) s = substr(s, 1, i - 1)
	sub(/[ \t\r]+$/, "", s)
	return split(s, w, / +/)
}
function ok_id(s) { return s ~ /^[A-Za-z0-9._-]+$/ }
{
	line = $0
	if ((p = index(line, "GMB64 ")) > 0) {
		n = tok(substr(line, p))
		if (n < 4) next                                       # a line cut by other output
		id = w[2]; seq = w[3]; data = w[4]
		sub(/[^A-Za-z0-9+\/=].*$/, "", data)
		split(id, si, "."); s = substr(id, 1, length(id) - length(si[split(id, si, ".")]) - 1); k = si[split(id, si, ".")]
		if (!(s in open) || open[s] != k) next                 # not inside its file: noise or a stray copy
		if (seq !~ /^[0-9]+$/ || seq < 1 || seq > nl[s, k]) fail(sprintf("set %s file %d (%s): line number %s is out of range 1..%d", s, k, path[s, k], seq, nl[s, k]))
		if ((s, k, seq) in got) {
			if (got[s, k, seq] != data) fail(sprintf("set %s file %d (%s): line %d appears twice with different data", s, k, path[s, k], seq))
			next
		}
		got[s, k, seq] = data; have[s, k]++
		next
	}
	if ((p = index(line, "GMBENCH-")) == 0) next
	n = tok(substr(line, p))
	if (w[1] == "GMBENCH-FILES-BEGIN") {
		if (n != 4 || w[2] != "v1" || !ok_id(w[3]) || w[4] !~ /^[0-9]+$/) fail("unreadable GMBENCH-FILES-BEGIN line " NR ": " substr(line, p, 120))
		s = w[3]
		if (s in began) fail("set " s " begins twice (line " NR "): two runs with one set id?")
		began[s] = NR; nfiles[s] = w[4]; sets[++nsets] = s; open[s] = 0
		next
	}
	if (w[1] == "GMBENCH-FILE") {
		if (n != 8 || !ok_id(w[2]) || w[3] !~ /^[0-9]+$/ || w[6] !~ /^[0-9]+$/ || length(w[7]) != 64 || w[7] !~ /^[0-9a-f]+$/ || w[8] !~ /^[0-9]+$/) fail("unreadable GMBENCH-FILE line " NR ": " substr(line, p, 160))
		s = w[2]; k = w[3] + 0
		if (!(s in began)) fail("line " NR ": file " k " of set " s " without its GMBENCH-FILES-BEGIN")
		if (k != lastk[s] + 1) fail(sprintf("set %s: file %d follows file %d (line %d): a file was lost", s, k, lastk[s] + 0, NR))
		if (w[4] ~ /(^\/|\.\.)/) fail("set " s ": unsafe path " w[4])
		if (w[5] != "base64" && w[5] != "gzip+base64") fail("set " s ": unknown encoding " w[5])
		path[s, k] = w[4]; enc[s, k] = w[5]; bytes[s, k] = w[6]; sha[s, k] = w[7]; nl[s, k] = w[8] + 0
		open[s] = k; lastk[s] = k; have[s, k] = 0
		next
	}
	if (w[1] == "GMBENCH-FILE-END") {
		s = w[2]; k = w[3] + 0
		if (!(s in open) || open[s] != k) next
		if (have[s, k] != nl[s, k]) {
			miss = ""; m = 0
			for (q = 1; q <= nl[s, k] && m < 5; q++) if (!((s, k, q) in got)) { miss = miss (m ? ", " : "") q; m++ }
			fail(sprintf("set %s file %d (%s): %d of its %d lines are in the log (missing: %s%s)", s, k, path[s, k], have[s, k], nl[s, k], miss, (nl[s, k] - have[s, k] > 5 ? ", ..." : "")))
		}
		f = work "/" s "." k ".b64"
		for (q = 1; q <= nl[s, k]; q++) print got[s, k, q] > f
		close(f)
		printf "%s %d %s %s %s %s\n", s, k, path[s, k], enc[s, k], bytes[s, k], sha[s, k] > (work "/manifest")
		done[s, k] = 1; open[s] = 0
		next
	}
	if (w[1] == "GMBENCH-FILES-END") {
		s = w[2]
		if (!(s in began)) next
		if (open[s]) fail(sprintf("set %s: file %d (%s) has no GMBENCH-FILE-END before the set ends (line %d)", s, open[s], path[s, open[s]], NR))
		if (lastk[s] != nfiles[s] || w[3] != nfiles[s]) fail(sprintf("set %s announced %d files and holds %d", s, nfiles[s], lastk[s]))
		ended[s] = 1
		next
	}
}
END {
	if (bad) exit 2
	if (nsets == 0) fail("no GMBENCH-FILES-BEGIN: this log holds no gmbench result files (did the job reach the test, or is it the right log?)")
	for (i = 1; i <= nsets; i++) {
		s = sets[i]
		if (!(s in ended)) {
			k = open[s] ? open[s] : lastk[s]
			fail(sprintf("set %s is cut off: it began at line %d with %d file(s) announced and the log ends%s (a truncated log, or a job that stopped or timed out while printing)",
				s, began[s], nfiles[s], (k ? sprintf(" inside or after file %d (%s), %d of %d lines", k, path[s, k], have[s, k], nl[s, k]) : " before the first file")))
		}
	}
	print nsets > (work "/nsets")
}' "$log" || exit 2

# 2. decode and check each file; a set already extracted is not overwritten.
while read -r s k p enc bytes sum; do
	out=$work/sets/$s/$p
	mkdir -p "$(dirname "$out")"
	if [ "$enc" = gzip+base64 ]; then
		base64 -d <"$work/$s.$k.b64" 2>/dev/null | gzip -dc >"$out" 2>/dev/null
	else
		base64 -d <"$work/$s.$k.b64" >"$out" 2>/dev/null
	fi
	[ $? -eq 0 ] || die "$log: set $s file $k ($p): the data does not decode as $enc (a damaged line)"
	got_bytes=$(wc -c <"$out" | tr -d ' ')
	got_sum=$(sha256sum <"$out" | cut -d' ' -f1)
	[ "$got_sum" = "$sum" ] || die "$log: set $s file $k ($p): checksum mismatch: the log says sha256 $sum, the data gives $got_sum ($got_bytes bytes, $bytes expected)"
	[ "$got_bytes" = "$bytes" ] || die "$log: set $s file $k ($p): $got_bytes bytes, the log says $bytes"
done <"$work/manifest"
for d in "$work"/sets/*; do
	s=${d##*/}
	[ ! -e "$dest/$s" ] || die "$dest/$s exists already (extracted before?): remove it or choose another DEST"
done
n=0
for d in "$work"/sets/*; do
	s=${d##*/}
	mv "$d" "$dest/$s" || die "cannot move the set into $dest"
	n=$((n + 1))
	echo "gmbench-extract: $dest/$s: $(find "$dest/$s" -type f | wc -l) file(s), checksums verified"
done
echo "gmbench-extract: $n set(s) from $log"
