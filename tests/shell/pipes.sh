#!/bin/sh
# tests/shell/pipes.sh — under `set -o pipefail`, a reader that stops early (head,
# grep -q, grep -m) leaves its writer to die of SIGPIPE whenever the writer is still
# writing; the pipeline then fails at random, more often on a loaded machine, and a
# `set -e` script exits with no message (make predict did: `llvm-mca --version | grep -m1`).
# This lists every such pipe in the scripts that set pipefail (and in what they source:
# scripts/compare/'s stages, scripts/lib.sh, scripts/remote/ssh.sh). A line that must keep one says why: "# pipe-ok: ...".
# ok / not ok lines.
cd "$(dirname "$0")/../.." || exit 1
fails=0
# PATTERN: a pipe into head, or into grep with -q / -m / --quiet / --max-count
pat='(^|[^|])\|[[:space:]]*(head([[:space:]]|$|\))|grep[[:space:]]+(-[A-Za-z]*[qm]|--quiet|--max-count))'
scan() { # FILE...: the early-exit pipes of those that set pipefail
	for f; do
		# a script that sets it (a line beginning with set -o pipefail / set -euo pipefail)
		# and the libraries those source (their functions run under the caller's pipefail)
		case $f in scripts/compare/*|scripts/lib.sh|scripts/remote/ssh.sh) ;; *) grep -Eq '^[[:space:]]*set[[:space:]]+-[a-zA-Z]*o[[:space:]]+pipefail' "$f" || continue ;; esac
		grep -nE "$pat" "$f" | grep -v '# pipe-ok:' | sed "s|^|$f:|"
	done
}
found=$(scan $(git ls-files '*.sh' 'scripts/*' | sort -u | while read -r f; do [ -f "$f" ] && head -c 2 "$f" | grep '#' >/dev/null && echo "$f"; done))
if [ -z "$found" ]; then
	echo "ok - shell: no pipe into an early-exit reader (head, grep -q, grep -m) in a pipefail script"
else
	printf '%s\n' "$found" | sed 's/^/# /'
	echo "not ok - shell: $(printf '%s\n' "$found" | wc -l) pipe(s) into an early-exit reader under pipefail (listed above): use sed -n 1p, grep >/dev/null, or awk"
	fails=$((fails + 1))
fi
# the check finds what it is for
t=$(mktemp -d "${TMPDIR:-/tmp}/gm-pipes.XXXXXX")
printf '#!/bin/bash\nset -euo pipefail\nv=$(llvm-mca --version | grep -m1 -i version)\nx | head -n1\ny | grep -q z\nw | sed -n 1p\n' >"$t/bad.sh"
printf '#!/bin/sh\n# not set -o pipefail here\nv=$(llvm-mca --version | grep -m1 -i version)\nbash -c "set -o pipefail; x | head -n1"\n' >"$t/nopipefail.sh"
n=$(scan "$t/bad.sh" "$t/nopipefail.sh" | wc -l)
if [ "$n" = 3 ]; then echo "ok - shell: the check finds grep -m1, head -n1 and grep -q under pipefail (3 of 3), not sed -n 1p nor a script without pipefail"
else echo "not ok - shell: the check found $n early-exit pipes in its example, not 3"; fails=$((fails + 1)); fi
rm -rf "$t"
[ "$fails" = 0 ]
