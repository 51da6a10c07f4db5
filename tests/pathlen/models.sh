#!/bin/bash
# tests/pathlen/models.sh PREDICT.txt — the models make predict names are the ones llvm-mca
# ran (tests/pathlen/run.sh calls it after its make predict run).
#  1. every core line of PREDICT.txt ("arm64: Cortex-A76 (...): the Neoverse-N1 model stands
#     in (-mcpu=neoverse-n1, llvm-mca 19.1.7)") is checked against the real llvm-mca: run
#     with that -mcpu on a one-instruction input, its resource names must be the named
#     model's (LLVM names units after the model: A57UnitB, CortexA55UnitALU, N1UnitB), and
#     the version must be the one llvm-mca reports;
#  2. gm predict model on llvm-mca outputs of known, unknown and no models;
#  3. make predict with a fake llvm-mca that runs the Cortex-A57 model for every -mcpu:
#     no core may then be said to have its own model, except Cortex-A57's own -mcpu.
# Environment: GM, MCA (the llvm-mca make predict used), ARCH... as tests/pathlen/run.sh.
# Prints ok / not ok lines.
set -u
txt=${1:?usage: tests/pathlen/models.sh PREDICT.txt}
: "${GM:?}" "${MCA:?}"
ok() { echo "ok - $*"; }
notok() { echo "not ok - $*"; }
tmp=$(mktemp -d "${TMPDIR:-/tmp}/gm-models-test.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

# the units llvm-mca lists for -mcpu=$2 of triple $1, one per line (read here, not by gm)
units() {
	case $1 in aarch64*) echo 'add x0, x0, x1' ;; *) echo 'add r0, r0, r1' ;; esac >"$tmp/in.s"
	"$MCA" -mtriple="$1" -mcpu="$2" -iterations=1 "$tmp/in.s" 2>/dev/null |
		awk '/^Resources:/ { on = 1; next } on && /^\[/ { print $3; next } on { exit }'
}

# 1. every printed model against the real llvm-mca
ver=$("$MCA" --version | sed -n 's/.*LLVM version \([0-9][0-9.]*\).*/\1/p' | head -n1)
n=0
while IFS= read -r line; do
	arch=${line%%:*}; arch=${arch// /}
	core=$(echo "$line" | sed 's/^ *[a-z0-9]*: \(.*\) (.*/\1/; s/ (.*//')
	mcpu=$(echo "$line" | sed -n 's/.*(-mcpu=\([a-z0-9-]*\), llvm-mca \([0-9.]*\)).*/\1/p')
	lver=$(echo "$line" | sed -n 's/.*(-mcpu=[a-z0-9-]*, llvm-mca \([0-9.]*\)).*/\1/p')
	if echo "$line" | grep -q ': its own model, '; then
		model=$(echo "$line" | sed 's/.*: its own model, \([^ ]*\) (-mcpu=.*/\1/'); own=1
	else
		model=$(echo "$line" | sed -n 's/.*: the \(.*\) model stands in (-mcpu=.*/\1/p'); own=0
	fi
	case $line in *": no model of llvm-mca "*" fits: not predicted"*) continue ;; esac
	[ -n "$mcpu" ] && [ -n "$model" ] || { notok "models: a core line names a model and its -mcpu: $line"; continue; }
	n=$((n + 1))
	case $arch in arm64) triple=aarch64-linux-gnu ;; arm) triple=armv7-linux-gnueabihf ;; *) continue ;; esac
	# "Cortex-A57" -> A57, "Neoverse-N1" -> N1: the unit prefix LLVM gives that model
	tok=${model#Cortex-}; tok=${tok#Neoverse-}
	first=$(units "$triple" "$mcpu" | head -n1)
	if [[ "$first" =~ ^(Cortex)?${tok}Unit ]]; then
		ok "models: $arch $core: '$model' is what llvm-mca $ver runs for -mcpu=$mcpu (units ${first})"
	else
		notok "models: $arch $core: printed '$model' but llvm-mca $ver's -mcpu=$mcpu lists units '${first:-none}'"
	fi
	if [ "$own" = 1 ] && [ "$model" != "$core" ]; then
		notok "models: $arch $core: 'its own model' printed for another core's model ($model)"
	fi
	[ "$lver" = "$ver" ] || notok "models: $arch $core: the line names llvm-mca $lver, llvm-mca says $ver"
done < <(grep -E '^  (arm64|arm): ' "$txt")
if [ "$n" -gt 0 ]; then ok "models: $n core lines checked against llvm-mca"; else notok "models: predict.txt has core lines"; fi

# 2. gm predict model reads the model from the units
printf 'Resources:\n[0]   - A57UnitB\n[1.0] - A57UnitI\n\n' >"$tmp/a57"
printf 'Resources:\n[0]   - CortexA55UnitALU\n' >"$tmp/a55"
printf 'Resources:\n[0]   - FooBarPort0\n' >"$tmp/odd"
printf 'Iterations: 1\n' >"$tmp/none"
[ "$("$GM" predict model "$tmp/a57" | cut -f1,2)" = "Cortex-A57	cortex-a57" ] &&
	ok "models: gm predict model: A57Unit* is the Cortex-A57 model" || notok "models: gm predict model: A57Unit*"
[ "$("$GM" predict model "$tmp/a55" | cut -f1)" = "Cortex-A55" ] &&
	ok "models: gm predict model: CortexA55Unit* is the Cortex-A55 model" || notok "models: gm predict model: CortexA55Unit*"
"$GM" predict model "$tmp/odd" | grep -q '^an unnamed model (units FooBarPort0' &&
	ok "models: gm predict model: units of no known pattern are not given a core's name" || notok "models: unknown units"
[ "$("$GM" predict model "$tmp/none")" = "none	-	-" ] &&
	ok "models: gm predict model: no resources, no model" || notok "models: no resources"
if "$GM" predict model /nonexistent >/dev/null 2>&1; then notok "models: a missing file fails"; else ok "models: a missing file fails"; fi
# it reads its input to the end: predict.sh pipes llvm-mca's output into it under pipefail,
# where a reader that stops at the end of the section kills the writer with SIGPIPE (the
# output here is longer than a pipe holds, so the writer is still writing)
if bash -c 'set -o pipefail; { cat "$1"; for i in $(seq 20000); do echo "Resource pressure by instruction: filler line $i"; done; } |
	"$2" predict model | cut -f1 >/dev/null' _ "$tmp/a57" "$GM"; then
	ok "models: gm predict model reads to the end of a long llvm-mca output (no SIGPIPE for the writer under pipefail)"
else notok "models: gm predict model stops reading early: its writer dies of SIGPIPE under pipefail (predict.sh then exits silently)"; fi

# 3. a fake llvm-mca that runs the A57 model whatever -mcpu says
cat >"$tmp/llvm-mca" <<'EOF'
#!/bin/sh
case "$*" in *--version*) echo "  LLVM version 99.1.0"; exit 0 ;; esac
printf 'Iterations: 1\nTotal Cycles: 7\nIPC: 1.00\nBlock RThroughput: 2.0\n\nResources:\n[0]   - A57UnitB\n[1.0] - A57UnitI\n\n'
EOF
chmod +x "$tmp/llvm-mca"
parch=${PARCH:-arm64}
if LLVM_MCA="$tmp/llvm-mca" RESULTS="$tmp/r" PREDICT_ARCHES=$parch PREDICT_PLOTS=0 LABEL= \
	scripts/predict.sh >"$tmp/fake.log" 2>&1; then
	f=$(readlink -f "$tmp/r/latest-predict")/predict.txt
	if grep -E "^  $parch: " "$f" | grep -v -e '(-mcpu=cortex-a57, llvm-mca 99.1.0)' -e ': no model of llvm-mca 99.1.0 fits' | grep -q .; then
		notok "models: fake llvm-mca (A57 for every -mcpu): a core line names another -mcpu: $(grep -E "^  $parch: " "$f" | head -n3 | tr '\n' ' ')"
	else
		ok "models: fake llvm-mca (A57 for every -mcpu): every $parch core runs -mcpu=cortex-a57 or none, llvm-mca 99.1.0"
	fi
	if grep -E "^  $parch: " "$f" | grep -v '^  [a-z0-9]*: Cortex-A57' | grep -q 'its own model'; then
		notok "models: fake llvm-mca: a core other than Cortex-A57 is said to have its own model"
	else
		ok "models: fake llvm-mca: no core is said to have its own model (none has one)"
	fi
	grep -q '^  arm64: Cortex-A76 .*the Cortex-A57 model stands in' "$f" || [ "$parch" != arm64 ] &&
		ok "models: fake llvm-mca: Cortex-A76 reads 'the Cortex-A57 model stands in'" ||
		notok "models: fake llvm-mca: Cortex-A76's line: $(grep 'Cortex-A76' "$f")"
else
	notok "models: make predict with a fake llvm-mca completes: $(tail -n 3 "$tmp/fake.log" | tr '\n' ' ')"
fi
