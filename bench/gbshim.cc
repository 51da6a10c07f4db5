// gbshim.cc — the only C++ in gmbench: registers C benchmarks with Google Benchmark.
// See gbshim.h.  The iteration count is left to Google Benchmark (--benchmark_min_time
// of measured time): fixing it per benchmark would put "iterations:N" into the names,
// and names must not change between runs that are compared.  Compiled as C side (no
// reserved registers): every call into the measuring code goes through the side's
// measurement entry, a C -> Go callback, as real C code must.
#include <benchmark/benchmark.h>

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "gbshim.h"
#include "side.h"
#include "../core/gm_counter.h"

namespace {

struct Case {
	std::string name;
	size_t index;
	std::string unit;
	long batch;
};

gb_measure_fn measure_fn;
gb_canary_fn canary_fn;
void *hook_ctx;

std::vector<Case> &cases()
{
	static std::vector<Case> v;
	return v;
}

void run_case(benchmark::State &st, const Case *c)
{
	// the canary first: this repetition's machine state, in its counters
	gm_canary cn{};
	if (canary_fn)
		canary_fn(hook_ctx, &cn);
	double total_ticks = 0, total_ns = 0, total_instr = 0;
	bool have_instr = true;
	while (st.KeepRunningBatch(c->batch)) {
		gm_side_result r{};
		measure_fn(hook_ctx, c->index, c->batch, &r);
		if (r.rc != 0) {
			st.SkipWithError(r.err[0] ? r.err : "measurement failed");
			break;
		}
		total_ticks += r.ticks;
		total_ns += r.ns;
		if (std::isnan(r.instructions))
			have_instr = false;
		else
			total_instr += r.instructions;
		// Differencing can come out slightly negative for an op that costs nothing;
		// manual time must not be negative, the counter keeps the signed value.
		st.SetIterationTime(std::max(r.ns, 0.0) * 1e-9);
	}
	st.counters[c->unit] = benchmark::Counter(total_ticks, benchmark::Counter::kAvgIterations);
	if (have_instr)	// only where perf counts retired instructions
		st.counters["instructions"] =
			benchmark::Counter(total_instr, benchmark::Counter::kAvgIterations);
	if (total_ns > 0 && c->unit != "ns")
		st.counters["ticks_per_ns"] = total_ticks / total_ns;
	if (canary_fn) {
		st.counters["canary_add"] = cn.add;
		st.counters["canary_call"] = cn.call;
		st.counters["canary_ssb"] = cn.ssb;
		st.counters["cycles_per_tick"] = cn.cycles_per_tick;
	}
}

double stat_min(const std::vector<double> &v)
{
	return v.empty() ? 0.0 : *std::min_element(v.begin(), v.end());
}

} // namespace

extern "C" void gb_setup(gb_measure_fn measure, gb_canary_fn canary, void *ctx)
{
	measure_fn = measure;
	canary_fn = canary;
	hook_ctx = ctx;
}

extern "C" void gb_add(const char *name, size_t index, const char *unit, long batch)
{
	cases().push_back(Case{name, index, unit, batch < 1 ? 1 : batch});
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
