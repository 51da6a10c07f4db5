#!/bin/sh
# scripts/peers-go.sh ARCH CC OUT — build the real-Go peers (bench/golang/peers) as a
# `go test` binary for ARCH with Debian's Go toolchain (golang-go), natively or as a
# cross build (GOARCH=arm GOARM=7 / GOARCH=arm64, cgo with the cross C compiler CC).
#
# Offline by construction: GOPROXY=off, no module downloads (the package has no
# dependencies), GOENV=off, GOCACHE and GOPATH inside the build folder.
# Writes OUT (the test binary) and OUT.toolchain (go version, GOARCH, CC), or, when it
# cannot be built, OUT.why (one line: why) and no OUT; exits 0 either way, so that
# the Go rows of the table say why instead of the whole run failing.
set -u
GM_PROG=peers
. "$(dirname "$0")/lib.sh"
[ $# -eq 3 ] || { echo "usage: $0 ARCH CC OUT" >&2; exit 2; }
ARCH=$1 CCX=$2 OUT=$3
src=$(cd "$(dirname "$0")/../bench/golang/peers" && pwd)
mkdir -p "$(dirname "$OUT")"
OUT=$(cd "$(dirname "$OUT")" && pwd)/$(basename "$OUT")
top=$(dirname "$(dirname "$OUT")")     # $(O)/peers/go
rm -f "$OUT.why"
fail() {
	echo "$1" > "$OUT.why"
	rm -f "$OUT" "$OUT.toolchain"
	say "real Go peers for $ARCH unavailable: $1"
	exit 0
}
command -v go >/dev/null 2>&1 || fail "the Go toolchain is not installed (apt-get install golang-go)"
case $ARCH in
amd64) goarch=amd64 goarm= ;;
arm) goarch=arm goarm=7 ;;
arm64) goarch=arm64 goarm= ;;
*) fail "no GOARCH known for ARCH=$ARCH" ;;
esac
command -v "${CCX%% *}" >/dev/null 2>&1 || fail "the C compiler for cgo ($CCX) is not installed"
export GOPROXY=off GOFLAGS='' GOENV=off GO111MODULE=on GOTOOLCHAIN=local GOWORK=off \
	GOCACHE="$top/cache" GOPATH="$top/path" GOOS=linux GOARCH=$goarch CGO_ENABLED=1 CC="$CCX"
[ -n "$goarm" ] && export GOARM=$goarm
gover=$(go version 2>/dev/null | sed 's/^go version //')
log=$OUT.log
if ! (cd "$src" && go test -c -o "$OUT.tmp" .) > "$log" 2>&1; then
	fail "go test -c failed for GOARCH=$goarch${goarm:+ GOARM=$goarm} CC=$CCX: $(grep -v '^ *$' "$log" | tail -n 1)"
fi
mv "$OUT.tmp" "$OUT"
echo "$gover (Debian golang-go), GOARCH=$goarch${goarm:+ GOARM=$goarm}, cgo CC=$CCX" > "$OUT.toolchain"
