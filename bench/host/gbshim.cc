// gbshim.cc — the only C++ in gmbench: registers C benchmarks with Google Benchmark.
// See gbshim.h.  The iteration count is left to Google Benchmark (--benchmark_min_time
// of measured time): fixing it per benchmark would put "iterations:N" into the names,
// and names must not change between runs that are compared.  Compiled as C side (no
// reserved registers): every call into the measuring code goes through the side's
// measurement entry, a C -> Go callback, as real C code must.
#include <benchmark/benchmark.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "gbshim.h"
#include "../side/side.h"
#include "../../core/gm_counter.h"

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

// ---- --progress: one line per benchmark on stderr, Google Benchmark's console to stdout
//
// make bench shows these lines and files stdout (the console rows) in console.txt.  With
// random interleaving a benchmark is complete only when its last repetition has run, so
// most complete near the end: progress and the time left are counted in repetitions
// ("runs"), and a line also comes when none has for a while.  Google Benchmark has no
// per-repetition hook; run_case tells a new repetition from the sizing of the first by
// the iteration count: sizing only ever raises it, later repetitions reuse the last one.
class ProgressReporter : public benchmark::ConsoleReporter {
public:
	ProgressReporter(size_t nbench, long reps)
		: ConsoleReporter(OO_None), nbench_(nbench), runs_total_((long)nbench * reps)
	{
	}

	bool ReportContext(const Context &context) override
	{
		t0_ = last_line_ = Clock::now();
		// the machine description goes with the rows; its warnings also to the terminal
		std::ostringstream ctx;
		SetErrorStream(&ctx);
		bool ok = ConsoleReporter::ReportContext(context);
		SetErrorStream(&GetOutputStream());
		GetOutputStream() << ctx.str();
		GetOutputStream().flush();
		std::istringstream lines(ctx.str());
		for (std::string l; std::getline(lines, l);)
			if (l.find("WARNING") != std::string::npos)
				std::fprintf(stderr, "gmbench: Google Benchmark: %s\n", l.c_str());
		std::fprintf(stderr, "gmbench: %zu benchmarks x %ld repetitions = %ld runs%s\n", nbench_,
			     nbench_ ? runs_total_ / (long)nbench_ : 0L, runs_total_,
			     runs_total_ > (long)nbench_ ? ", interleaved: a benchmark is done when its last "
							   "repetition has run" : "");
		return ok;
	}

	void ReportRuns(const std::vector<Run> &reports) override
	{
		ConsoleReporter::ReportRuns(reports);
		GetOutputStream().flush();	// the rows reach console.txt before the line below
		if (reports.empty() || !done_.insert(reports.front().run_name.str()).second)
			return;		// the aggregates after the repetitions of the same benchmark
		runs_done_ = runs_started_;
		const Run &r = reports.front();	// function_name: the name as registered
		line(count() + " done: " + r.run_name.function_name +
		     (r.error_occurred ? " FAILED: " + r.error_message : ""));
	}

	// run_case calls this first: case c is about to run iters iterations
	void enter(const void *c, long long iters)
	{
		auto it = last_iters_.find(c);
		if (it == last_iters_.end() || iters <= it->second) {	// a new repetition
			runs_done_ = runs_started_++;
			if (Clock::now() - last_line_ >= std::chrono::seconds(10))
				line(count() + " done, " + std::to_string(runs_done_) + " of " +
				     std::to_string(std::max(runs_total_, runs_started_)) + " runs");
		}
		last_iters_[c] = iters;
	}

private:
	using Clock = std::chrono::steady_clock;

	static std::string mmss(double s)
	{
		char b[32];
		long t = (long)(s + 0.5);
		if (t >= 3600)
			std::snprintf(b, sizeof b, "%ld:%02ld:%02ld", t / 3600, t / 60 % 60, t % 60);
		else
			std::snprintf(b, sizeof b, "%ld:%02ld", t / 60, t % 60);
		return b;
	}

	std::string count() const	// "  7 of 39", aligned
	{
		char b[48];
		int w = std::snprintf(nullptr, 0, "%zu", nbench_);
		std::snprintf(b, sizeof b, "%*zu of %zu", w, done_.size(), nbench_);
		return b;
	}

	void line(const std::string &what)
	{
		last_line_ = Clock::now();
		double el = std::chrono::duration<double>(last_line_ - t0_).count();
		long total = std::max(runs_total_, runs_started_);
		std::string left = runs_done_ > 0 ? "about " + mmss(el / runs_done_ * (total - runs_done_)) + " left"
						  : "time left not known yet";
		std::fprintf(stderr, "gmbench: %-60s %s elapsed, %s\n", what.c_str(), mmss(el).c_str(),
			     left.c_str());
	}

	size_t nbench_;
	long runs_total_, runs_started_ = 0, runs_done_ = 0;
	std::set<std::string> done_;
	std::map<const void *, long long> last_iters_;
	Clock::time_point t0_, last_line_;
};

ProgressReporter *progress;	// set while gb_run runs with --progress

void run_case(benchmark::State &st, const Case *c)
{
	if (progress)
		progress->enter(c, (long long)st.max_iterations);
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
	// --progress is ours (gmbench passes it on), the rest is Google Benchmark's
	bool want_progress = false;
	long reps = 1;
	int k = 0;
	for (int i = 0; i < argc; i++) {
		if (i > 0 && !std::strcmp(argv[i], "--progress")) {
			want_progress = true;
			continue;
		}
		if (!std::strncmp(argv[i], "--benchmark_repetitions=", 24))
			reps = std::max(1L, std::atol(argv[i] + 24));
		argv[k++] = argv[i];
	}
	argc = k;
	benchmark::Initialize(&argc, argv);
	if (benchmark::ReportUnrecognizedArguments(argc, argv))
		return -1;
	for (const Case &c : cases()) {
		benchmark::RegisterBenchmark(c.name.c_str(), run_case, &c)
			->UseManualTime()
			->Unit(benchmark::kNanosecond)
			->ComputeStatistics("min", stat_min);
	}
	size_t n;
	if (want_progress) {
		ProgressReporter rep(cases().size(), reps);
		progress = &rep;
		n = benchmark::RunSpecifiedBenchmarks(&rep);
		progress = nullptr;
	} else {
		n = benchmark::RunSpecifiedBenchmarks();
	}
	benchmark::Shutdown();
	return (int)n;
}
