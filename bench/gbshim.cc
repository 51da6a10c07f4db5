// gbshim.cc — the only C++ in gmbench: registers C benchmarks with Google Benchmark.
// See gbshim.h.  The iteration count is left to Google Benchmark (--benchmark_min_time
// of measured time): fixing it per benchmark would put "iterations:N" into the names,
// and names must not change between runs that are compared.  Compiled as C side (no reserved registers): every call into the
// measuring code goes through gm_crosscall2, the C -> Go entry, as real C code must.
#include <benchmark/benchmark.h>

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "gbshim.h"

extern "C" void gm_crosscall2(void (*fn)(void *), void *arg);

namespace {

struct Case {
	std::string name;
	gb_measure_fn measure;
	void *ctx;
	std::string unit;
	long batch;
};

std::vector<Case> &cases()
{
	static std::vector<Case> v;
	return v;
}

void run_case(benchmark::State &st, const Case *c)
{
	double total_ticks = 0, total_instr = 0;
	bool have_instr = true;
	while (st.KeepRunningBatch(c->batch)) {
		gb_request rq{};
		rq.measure = c->measure;
		rq.ctx = c->ctx;
		rq.n = c->batch;
		gm_crosscall2(gb_dispatch, &rq);
		if (rq.rc != 0) {
			st.SkipWithError(rq.err[0] ? rq.err : "measurement failed");
			break;
		}
		total_ticks += rq.ticks;
		if (std::isnan(rq.instructions))
			have_instr = false;
		else
			total_instr += rq.instructions;
		// Differencing can come out slightly negative for an op that costs nothing;
		// manual time must not be negative, the counter keeps the signed value.
		st.SetIterationTime(std::max(rq.ns, 0.0) * 1e-9);
	}
	st.counters[c->unit] = benchmark::Counter(total_ticks, benchmark::Counter::kAvgIterations);
	if (have_instr)	// only where perf counts retired instructions
		st.counters["instructions"] =
			benchmark::Counter(total_instr, benchmark::Counter::kAvgIterations);
}

double stat_min(const std::vector<double> &v)
{
	return v.empty() ? 0.0 : *std::min_element(v.begin(), v.end());
}

} // namespace

extern "C" void gb_add(const char *name, gb_measure_fn measure, void *ctx, const char *unit,
		       long batch)
{
	cases().push_back(Case{name, measure, ctx, unit, batch < 1 ? 1 : batch});
}

extern "C" void gb_add_context(const char *key, const char *value)
{
	benchmark::AddCustomContext(key, value);
}

extern "C" int gb_run(int argc, char **argv)
{
	benchmark::Initialize(&argc, argv);
	if (benchmark::ReportUnrecognizedArguments(argc, argv))
		return -1;
	for (const Case &c : cases()) {
		benchmark::RegisterBenchmark(c.name.c_str(), run_case, &c)
			->UseManualTime()
			->Unit(benchmark::kNanosecond)
			->ComputeStatistics("min", stat_min);
	}
	size_t n = benchmark::RunSpecifiedBenchmarks();
	benchmark::Shutdown();
	return (int)n;
}
