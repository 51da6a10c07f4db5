#!/bin/sh
# tests/fuzz/corpus.sh GM DIR — the fuzzer's corpus: one folder per group of targets
# (tests/fuzz/targets.h), each holding valid inputs, taken from the tests' fixtures or
# written here by gm itself (compare.json, pathlen.json, predict.json are gm's own output,
# so their parsers are fuzzed on what gm really writes).  Made-up figures, nothing measured.
set -eu
G=$1 C=$2
top=$(cd "$(dirname "$0")/../.." && pwd)
rm -rf "$C"
mkdir -p "$C"
cd "$C"

# gm report: a run folder with machine.json; two Google Benchmark files
mkdir -p run/run gb
cp "$top/tests/report/fixtures/bench.json" "$top/tests/report/fixtures/machine.json" run/run/
cp "$top/tests/compare/fixtures/small_old.json" gb/a.json
cp "$top/tests/compare/fixtures/small_new.json" gb/b.json

# four gmpair processes (two layouts x two processes), three cases of 12 pairs
mkdir pairs
for L in 1 2; do for P in 1 2; do
	awk -v L=$L -v P=$P 'BEGIN {
		printf "{\"gmpair\": 1, \"layout\": %d, \"seed\": %d, \"counter\": \"tsc\", \"unit\": \"ticks\",\n", L, L * 10 + P
		printf "\"machine\": {\"cpu_measured\": 1, \"core_measured\": \"test\", \"warnings\": []},\n\"canary\": ["
		for (r = 0; r < 2; r++) printf "%s{\"rep\": %d, \"a\": [50.2, 26.6, 2.4], \"b\": [50.2, 26.6, 2.4]}", (r ? "," : ""), r
		printf "],\n\"cases\": [\n"
		split("x/slower x/same x/floor", names, " ")
		for (c = 1; c <= 3; c++) {
			printf "%s {\"name\": \"%s\", \"unit\": \"ticks\", \"batch\": 1000, \"pairs\": [", (c > 1 ? ",\n" : ""), names[c]
			for (i = 0; i < 12; i++) {
				w = 1 + ((i * 7 + L * 3 + P) % 5 - 2) * 0.002
				if (c == 1) { a = 20 * w; b = a * 1.1 } else if (c == 2) { a = 30 * w; b = 30 * w } else { a = (i % 3 - 1) * 0.001; b = 0 }
				printf "%s[%g,%g,%g,%g,%d,%d]", (i ? "," : ""), a, b, a / 2, b / 2, i % 2, int(i / 4)
			}
			printf "]}"
		}
		printf "\n]\n}\n"
	}' >pairs/p$L$P.json
done; done
mv pairs/p11.json pairs/p1.json; mv pairs/p12.json pairs/p2.json; mv pairs/p21.json pairs/p3.json; mv pairs/p22.json pairs/p4.json
cp run/run/machine.json pairs/machine.json

# gm compare's own compare.json and compare.txt
mkdir cmp
"$G" compare --out cmp/o gb/a.json gb/b.json >/dev/null 2>&1
mv cmp/o/compare.json cmp/o/compare.txt cmp/ && rm -rf cmp/o

# gm xreport: two made-up runs, one with board.json
mkdir xrun
sh "$top/tests/xreport/mkrun.sh" xrun/runs/a host=pi port=arm64 unit=cycles counter=perf core=Cortex-A72 \
	gov=ondemand throttled=5 scale=2 nsper=0.667 >/dev/null
sh "$top/tests/xreport/mkrun.sh" xrun/runs/b host=q port=arm64 unit=ticks counter=cntvct model=linux,dummy-virt \
	lavaemu=yes scale=0.5 nsper=16 >/dev/null

# gm pathlen report's inputs (K = 16, two repetitions) and its pathlen.json
mkdir plrep pl
printf 'case\tcounter/empty/batch\tcounter\tempty\tbatch\t-\tcaller\t1\ncase\tswitch/gosave+gogo/nosave\tswitch\tgosave+gogo\tnosave\t-\tcaller\t2\nunavailable\ttls/read_tp/rdfsbase\tCPU lacks FSGSBASE\ncontext\tgoos\tlinux\n' >plrep/cases.tsv
: >plrep/gm.labels; : >plrep/gm.counts
for rep in 0 1; do for c in counter/empty/batch switch/gosave+gogo/nosave; do for k in 16 32; do
	printf 'region\t%s\t%d\n' $c $k >>plrep/gm.labels
	if [ $c = counter/empty/batch ]; then m=100; else m=$((100 + k * 18)); fi
	printf 'R %d %d 3\nS m 100 main\nS m %d gm_gosave\nS o 3 other\n' $((rep * 4)) $m $((m - 100)) >>plrep/gm.counts
done; done; done
(cd plrep && "$G" pathlen report --arch amd64 --port amd64 --k 16 --reps 2 --method made-up --cases cases.tsv \
	--gm gm.labels gm.counts m --json ../pl/a.json --txt ../pl/a.txt) 2>/dev/null
cp pl/a.json pl/b.json; rm -f pl/a.txt

# gm compare count: two pathlen.json per side, paired and process timings, predictions, paths
mkdir count
sed 's/"gm_gosave": 18/"gm_gosave": 19/; s/"instructions_per_op": 18/"instructions_per_op": 19/' pl/a.json >count/b1.json
cp pl/a.json count/a1.json; cp pl/a.json count/a2.json; cp count/b1.json count/b2.json
cp cmp/compare.json count/timing.json
"$G" compare paired --out count/po pairs/p1.json pairs/p2.json pairs/p3.json pairs/p4.json >/dev/null 2>&1 || true
mv count/po/compare.json count/ptiming.json 2>/dev/null || cp cmp/compare.json count/ptiming.json; rm -rf count/po
mkdir predrec
printf 'R\tamd64\tamd64\tznver2\tx86_64\tgm_gosave\t6\t10\t3.0\t2.0\t\tmade up\nR\tamd64\tamd64\tskylake\tx86_64\tgm_gosave\t6\t9\t\t\tlock xadd (no model)\tmade up\n' >predrec/rec.tsv
(cd predrec && "$G" predict report --json ../count/pa.json --txt pa.txt rec.tsv && rm -f pa.txt) 2>/dev/null
sed 's/\t6\t10\t3.0/\t7\t11\t3.5/' predrec/rec.tsv >predrec/rec2.tsv
(cd predrec && "$G" predict report --json ../count/pb.json --txt pb.txt rec2.tsv && rm -f pb.txt rec2.tsv) 2>/dev/null
printf 'changed\tamd64\tgm_gosave\nsame\tamd64\tgm_gogo\n' >count/paths.tsv

# the trace inputs: QEMU's exec log, callgrind dumps (a region between two client requests)
mkdir trace cg objdump
{
	echo "Trace 0: 0x7f0000 [00000000/0000000000401000/00000000/ff000000] main"
	for r in 0 1; do
		echo "Trace 0: 0x7f0000 [00000000/0000000000401100/00000000/ff000000] gm_pl_begin"
		for i in 1 2 3; do echo "Trace 0: 0x7f0000 [00000000/00000000004012${i}0/00000000/ff000000] gm_gosave"; done
		echo "Trace 1: 0x7f0000 [00000000/0000000000401300/00000000/ff000000] gm_thread_entry"
		echo "Trace 0: 0x7f0000 [00000000/0000000000401400/00000000/ff000000] gm_pl_end"
		echo "Trace 0: 0x7f0000 [00000000/0000000000401000/00000000/ff000000] main"
	done
} >trace/trace.txt
for part in 1 2; do
	trig=$([ $part = 1 ] && echo gm_pl_begin || echo gm_pl_region)
	printf '# callgrind format\nversion: 1\ncreator: callgrind-3.19.0\npid: 7\ncmd: pathlen\npart: %d\n\ndesc: Trigger: Client Request: %s\n\npositions: line\nevents: Ir\n\nob=(1) /bin/pathlen\nfl=(1) x.c\nfn=(1) main\n0 10\ncfn=(2) gm_gosave\ncalls=1 0\n0 6\nfn=(2) gm_gosave\n0 6\nfn=(3) gm_pl_end\n0 2\n\ntotals: 18\n' $part $trig >cg/cg.out.$part
done
printf '\n/x.o:\tfile format elf64-x86-64\n\nDisassembly of section .text:\n\n0000000000000000 <gm_gosave>:\n       0:\tmovq\t(%%rsp), %%rax\n       4:\tmovq\t%%rax, 8(%%rdi)\n       8:\tleaq\t8(%%rsp), %%rax\n       c:\tmovq\t%%rax, (%%rdi)\n      10:\tretq\n' >objdump/objdump.txt

# gm peers: Go's output and a run; a run with peers merged for the table
mkdir peers peerst
cp -r "$top/tests/peers/fixtures/run" peers/run
cp "$top/tests/peers/fixtures/go-amd64.txt" peers/go.txt
cp -r peers/run peerst/run
"$G" peers go peerst/run peers/go.txt >/dev/null 2>&1

# gm icount: a bench.json and a pathlen.json of the same batch functions
mkdir icount
{
	printf '{"context": {"gm_counter": "perf", "gm_port": "arm64", "gm_counter_desc": "made up", "gm_instructions": "made up"},\n "benchmarks": [\n'
	for r in 0 1 2; do for b in "tls/read_tp/le 5.02" "cgocall/asmcgocall/static 42.1"; do set -- $b
		printf '  {"name": "%s/manual_time", "run_name": "%s/manual_time", "run_type": "iteration", "repetition_index": %d, "cycles": %s, "instructions": %s},\n' $1 $1 $r $2 $2
	done; done
	printf '  {"name": "tls/read_tp/le/manual_time_median", "run_name": "tls/read_tp/le/manual_time", "run_type": "aggregate", "aggregate_name": "median", "cycles": 5.02}\n ]}\n'
} >icount/bench.json
cat >icount/pathlen.json <<'J'
{"kind": "gmbench-pathlen", "port": "arm64", "cases": [
 {"source": "gmbench", "name": "tls/read_tp/le", "suite": "tls", "instructions_per_op": 5, "exact": true, "symbols": {"gm_tlsloop_le": 5}},
 {"source": "gmbench", "name": "cgocall/asmcgocall/static", "suite": "cgocall", "instructions_per_op": 42, "exact": true, "symbols": {}},
 {"source": "go", "name": "cgocall", "suite": "go", "instructions_per_op": 432, "exact": false, "symbols": {}}
]}
J

# the LAVA extractor: a real job log excerpt with checksummed blocks; DEST exists already
mkdir -p lava/dest
cp "$top/tests/lava/fixtures/lava-smoke-excerpt.log" lava/job.log
