#!/bin/sh
# scripts/json-nan-to-null.sh FILE — Google Benchmark writes a CV of 0/0 (a benchmark whose
# every repetition measured 0, like counter/empty) as a bare NaN, which JSON does not
# have: turn NaN/Infinity tokens into null, in place, so JSON libraries read the file.
set -eu
sed -i -E 's/: *-?(nan|NaN|inf|Infinity)([,}]|$)/: null\2/g' "$1"
