// What the benchmarks share: the fastest-repetition statistic, a reporter
// that keeps each benchmark's CPU time for the ratio lines, the default
// repetition flags, and the directory the synthetic trees live in.
#pragma once

#include <benchmark/benchmark.h>
#include <sys/stat.h>

#include <cstdlib>
#include <map>
#include <string>
#include <vector>

namespace oscpp_bench {

// The fastest repetition: the least disturbed by the other processes.
inline double min_of(const std::vector<double>& v) {
  double m = v.empty() ? 0 : v[0];
  for (double x : v) m = x < m ? x : m;
  return m;
}

// Collects each benchmark's CPU time (the other processes of a busy machine
// inflate wall time) while the console reporter prints; with repetitions,
// the fastest one.
class ratio_reporter : public benchmark::ConsoleReporter {
 public:
  void ReportRuns(const std::vector<Run>& runs) override {
    ConsoleReporter::ReportRuns(runs);
    for (const Run& run : runs) {
      if (run.run_type == Run::RT_Aggregate && run.aggregate_name == "min")
        min_[run.run_name.str()] = run.GetAdjustedCPUTime();
      else if (run.run_type == Run::RT_Iteration && run.iterations > 0)
        single_[run.run_name.str()] = run.GetAdjustedCPUTime();
    }
  }
  const std::map<std::string, double>& ns() const {
    return min_.empty() ? single_ : min_;
  }

 private:
  std::map<std::string, double> min_, single_;
};

// benchmark::Initialize with `repetitions` repetitions in random order,
// 0.1 s each, aggregates only (the command line's own flags come later and
// win).
inline void initialize_repeated(int& argc, char**& argv, int repetitions) {
  static std::vector<std::string> flags;
  static std::vector<char*> args;
  flags = {"--benchmark_repetitions=" + std::to_string(repetitions),
           "--benchmark_enable_random_interleaving=true",
           "--benchmark_min_time=0.1",
           "--benchmark_report_aggregates_only=true"};
  args.assign(argv, argv + argc);
  for (std::size_t i = 0; i < flags.size(); ++i)
    args.insert(args.begin() + 1 + static_cast<long>(i), flags[i].data());
  argc = static_cast<int>(args.size());
  argv = args.data();
  benchmark::Initialize(&argc, argv);
}

// Where the benchmarks build their trees: $OSCPP_BENCH_DIR, else
// /dev/shm/oscpp-bench (tmpfs), else /tmp/oscpp-bench.
inline std::string base_dir() {
  const char* env = std::getenv("OSCPP_BENCH_DIR");
  if (env && *env) return env;
  struct ::stat st;
  if (::stat("/dev/shm", &st) == 0 && S_ISDIR(st.st_mode))
    return "/dev/shm/oscpp-bench";
  return "/tmp/oscpp-bench";
}

}  // namespace oscpp_bench
