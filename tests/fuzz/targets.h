/*
 * targets.h — what gm-fuzz runs: every gm command and every input format it reads, and
 * the LAVA log extractor.  Each target names a corpus folder (made by tests/fuzz/corpus.sh),
 * the file in it that is mutated, and the command run inside a copy of the folder
 * (@GM@: the gm under test; @EXTRACT@: lava/host/gmbench-extract.sh).  stdin: the mutated
 * file is the command's standard input.
 */
struct target {
	const char *name, *corpus, *input;
	int stdin_input;	/* 2: and the command copies its input's text to its output (mca-input:
				 * an operand "nan" is text, not a number it computed) */
	const char *argv[32];
};

#define GM "@GM@"
static const struct target targets[] = {
	/* gm report: a run folder's bench.json (Google Benchmark JSON) and machine.json */
	{ "report/bench.json", "run", "run/bench.json", 0, { GM, "report", "run" } },
	{ "report/machine.json", "run", "run/machine.json", 0, { GM, "report", "run" } },
	{ "report-samples/bench.json", "gb", "a.json", 0, { GM, "report", "samples", "a.json", "--", "b.json" } },
	{ "report-context-line", "gb", "a.json", 0, { GM, "report", "context-line", "a.json" } },
	{ "report-paired-samples", "pairs", "p1.json", 0,
	  { GM, "report", "paired-samples", "p1.json", "p2.json", "p3.json", "p4.json" } },
	{ "report-compare-csv", "cmp", "compare.json", 0, { GM, "report", "compare-csv", "compare.json" } },
	/* gm xreport: bench.json, context.json, machine.json, board.json of a run folder */
	{ "xreport/bench.json", "xrun", "runs/a/bench.json", 0, { GM, "xreport", "--out", "rep", "runs" } },
	{ "xreport/context.json", "xrun", "runs/a/context.json", 0, { GM, "xreport", "--out", "rep", "runs" } },
	{ "xreport/machine.json", "xrun", "runs/a/machine.json", 0, { GM, "xreport", "--out", "rep", "runs" } },
	{ "xreport/board.json", "xrun", "runs/b/board.json", 0, { GM, "xreport", "--out", "rep", "runs" } },
	/* gm compare: process level (bench.json), paired (gmpair), count (pathlen.json,
	 * compare.json, predict.json, a paths list), header, verdicts (a paired compare.json) */
	{ "compare-process/bench.json", "gb", "b.json", 0, { GM, "compare", "--out", "cmp", "a.json", "b.json" } },
	{ "compare-paired/gmpair", "pairs", "p2.json", 0,
	  { GM, "compare", "paired", "--out", "cmp", "p1.json", "p2.json", "p3.json", "p4.json" } },
#define COUNT { GM, "compare", "count", "--timing", "timing.json", "--predict", "pa.json", "pb.json", "--paths", \
		"paths.tsv", "--out", "cmp", "a1.json", "a2.json", "--", "b1.json", "b2.json" }
	{ "compare-count/pathlen.json", "count", "b1.json", 0, COUNT },
	{ "compare-count/timing", "count", "timing.json", 0, COUNT },
	{ "compare-count/predict.json", "count", "pb.json", 0, COUNT },
	{ "compare-count/paths", "count", "paths.tsv", 0, COUNT },
	{ "compare-count/paired-timing", "count", "ptiming.json", 0,
	  { GM, "compare", "count", "--timing", "ptiming.json", "--out", "cmp", "a1.json", "--", "b1.json" } },
	{ "compare-header/gmpair", "pairs", "p1.json", 0, { GM, "compare", "header", "p1.json", "p2.json", "machine.json" } },
	{ "compare-header/machine.json", "pairs", "machine.json", 0,
	  { GM, "compare", "header", "p1.json", "p2.json", "machine.json" } },
	{ "compare-verdicts", "count", "ptiming.json", 0, { GM, "compare", "verdicts", "ptiming.json" } },
	/* gm pathlen: the trace inputs (QEMU's exec log, callgrind dumps), the driver's labels
	 * and counts, pathlen.json, objdump output */
	{ "pathlen-qemu/trace", "trace", "trace.txt", 1, { GM, "pathlen", "qemu" } },
	{ "pathlen-callgrind/dump", "cg", "cg.out.1", 0, { GM, "pathlen", "callgrind", "--end", "gm_pl_end", "cg.out.1" } },
#define PLREP { GM, "pathlen", "report", "--arch", "amd64", "--port", "amd64", "--k", "16", "--reps", "2", \
		"--method", "made-up", "--cases", "cases.tsv", "--gm", "gm.labels", "gm.counts", "m", "--json", \
		"out.json", "--txt", "out.txt", "--dat", "out.dat" }
	{ "pathlen-report/cases", "plrep", "cases.tsv", 0, PLREP },
	{ "pathlen-report/labels", "plrep", "gm.labels", 0, PLREP },
	{ "pathlen-report/counts", "plrep", "gm.counts", 0, PLREP },
	{ "pathlen-check/pathlen.json", "pl", "a.json", 0, { GM, "pathlen", "check", "a.json" } },
	{ "pathlen-same-counts", "pl", "b.json", 0, { GM, "pathlen", "same-counts", "a.json", "b.json" } },
	{ "pathlen-mca-input/objdump", "objdump", "objdump.txt", 2, { GM, "pathlen", "mca-input" } },
	/* gm predict: llvm-mca records, predict.json */
	{ "predict-report/records", "predrec", "rec.tsv", 0,
	  { GM, "predict", "report", "--json", "p.json", "--txt", "p.txt", "--dat", "p.dat", "rec.tsv" } },
	{ "predict-check/predict.json", "count", "pa.json", 0, { GM, "predict", "check", "pa.json" } },
	/* gm peers: Go's benchmark output into a run; the run's peers table */
	{ "peers-go/go-output", "peers", "go.txt", 0, { GM, "peers", "go", "run", "go.txt" } },
	{ "peers-go/bench.json", "peers", "run/bench.json", 0, { GM, "peers", "go", "run", "go.txt" } },
	{ "peers-table/bench.json", "peerst", "run/bench.json", 0, { GM, "peers", "table", "run" } },
	/* gm icount, gm kind */
	{ "icount/bench.json", "icount", "bench.json", 0, { GM, "icount", "bench.json", "pathlen.json" } },
	{ "icount/pathlen.json", "icount", "pathlen.json", 0, { GM, "icount", "bench.json", "pathlen.json" } },
	{ "kind", "gb", "a.json", 0, { GM, "kind", "a.json" } },
	/* the LAVA log extractor (shell): a job log with checksummed blocks */
	{ "lava-extract/log", "lava", "job.log", 0, { "sh", "@EXTRACT@", "job.log", "dest" } },
};
#undef GM
#define NTARGETS (sizeof targets / sizeof targets[0])
