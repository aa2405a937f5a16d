// os::environ lookups against ::getenv and std::getenv, in one run.
//
// The headline workload looks up every variable of the process environment
// in turn (what a program reading its configuration does); ::getenv's cost
// grows with the variable's position in the array, os::environ's does not.
// The last lines print the ratios to ::getenv (<= 1.0 is the target):
// os::environ[k] and get() return a std::string, so they include a copy of
// the value that ::getenv's borrowed pointer does not (compare them with
// BM_getenv_to_string); visit() and contains() are the lookup alone.
//
//   cmake -B build-bench -DCMAKE_BUILD_TYPE=Release -DOSCPP_BUILD_BENCH=ON
//   ninja -C build-bench environ_bench && build-bench/bench/environ_bench
#include <benchmark/benchmark.h>
#include <stdlib.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "bench_util.hpp"
#include "oscpp/environ.hpp"

namespace {

// The names of the process environment, in its order.
const std::vector<std::string>& names() {
  static const std::vector<std::string> all = [] {
    std::vector<std::string> out;
    for (char** e = ::environ; *e != nullptr; ++e) {
      std::string entry(*e);
      std::size_t eq = entry.find('=');
      if (eq != std::string::npos && eq > 0) out.push_back(entry.substr(0, eq));
    }
    return out;
  }();
  return all;
}

using oscpp_bench::min_of;

void per_lookup(benchmark::State& state, std::size_t per_iteration) {
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations()) *
                          static_cast<int64_t>(per_iteration));
}

// ---------------------------------------------------------------- every name

void BM_getenv(benchmark::State& state) {
  for (auto _ : state)
    for (const std::string& k : names())
      benchmark::DoNotOptimize(::getenv(k.c_str()));
  per_lookup(state, names().size());
}
BENCHMARK(BM_getenv)->ThreadRange(1, 2)->ComputeStatistics("min", min_of);

void BM_std_getenv(benchmark::State& state) {
  for (auto _ : state)
    for (const std::string& k : names())
      benchmark::DoNotOptimize(std::getenv(k.c_str()));
  per_lookup(state, names().size());
}
BENCHMARK(BM_std_getenv)->ThreadRange(1, 2)->ComputeStatistics("min", min_of);

// What a C++ caller of ::getenv who wants a std::string pays.
void BM_getenv_to_string(benchmark::State& state) {
  for (auto _ : state)
    for (const std::string& k : names()) {
      std::string v(::getenv(k.c_str()));
      benchmark::DoNotOptimize(v);
    }
  per_lookup(state, names().size());
}
BENCHMARK(BM_getenv_to_string)
    ->ThreadRange(1, 2)
    ->ComputeStatistics("min", min_of);

// os::environ[key] as users write it (the proxy, read as a std::string).
void BM_oscpp_environ_subscript(benchmark::State& state) {
  for (auto _ : state)
    for (const std::string& k : names()) {
      std::string v = os::environ[k];
      benchmark::DoNotOptimize(v);
    }
  per_lookup(state, names().size());
}
BENCHMARK(BM_oscpp_environ_subscript)
    ->ThreadRange(1, 2)
    ->ComputeStatistics("min", min_of);

void BM_oscpp_environ_get(benchmark::State& state) {
  for (auto _ : state)
    for (const std::string& k : names()) {
      std::optional<std::string> v = os::environ.get(k);
      benchmark::DoNotOptimize(v);
    }
  per_lookup(state, names().size());
}
BENCHMARK(BM_oscpp_environ_get)
    ->ThreadRange(1, 2)
    ->ComputeStatistics("min", min_of);

// The value without a copy, as ::getenv gives it.
void BM_oscpp_environ_visit(benchmark::State& state) {
  for (auto _ : state)
    for (const std::string& k : names())
      os::environ.visit(
          k, [](std::string_view v) { benchmark::DoNotOptimize(v.data()); });
  per_lookup(state, names().size());
}
BENCHMARK(BM_oscpp_environ_visit)
    ->ThreadRange(1, 2)
    ->ComputeStatistics("min", min_of);

void BM_oscpp_environ_contains(benchmark::State& state) {
  for (auto _ : state)
    for (const std::string& k : names())
      benchmark::DoNotOptimize(os::environ.contains(k));
  per_lookup(state, names().size());
}
BENCHMARK(BM_oscpp_environ_contains)
    ->ThreadRange(1, 2)
    ->ComputeStatistics("min", min_of);

// ---------------------------------------------------------------- one name

void BM_getenv_HOME(benchmark::State& state) {
  for (auto _ : state) benchmark::DoNotOptimize(::getenv("HOME"));
}
BENCHMARK(BM_getenv_HOME)->ComputeStatistics("min", min_of);

void BM_oscpp_environ_HOME(benchmark::State& state) {
  for (auto _ : state) {
    std::string v = os::environ["HOME"];
    benchmark::DoNotOptimize(v);
  }
}
BENCHMARK(BM_oscpp_environ_HOME)->ComputeStatistics("min", min_of);

}  // namespace

int main(int argc, char** argv) {
  // A busy machine's noise is large next to a lookup: by default repeat in
  // random order and compare the fastest repetitions (later flags win).
  oscpp_bench::initialize_repeated(argc, argv, 20);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  std::printf("environment: %zu variables\n", names().size());
  oscpp_bench::ratio_reporter reporter;
  benchmark::RunSpecifiedBenchmarks(&reporter);
  benchmark::Shutdown();

  const auto& ns = reporter.ns();
  auto ratio = [&](const char* ours, const char* theirs) {
    auto a = ns.find(ours), b = ns.find(theirs);
    if (a == ns.end() || b == ns.end() || b->second == 0) return;
    std::printf("%-40s / %-28s = %.2fx\n", ours, theirs, a->second / b->second);
  };
  std::printf(
      "\nratios of CPU time (<= 1.00x: as fast as ::getenv or "
      "faster)\n");
  for (const char* threads : {"/threads:1", "/threads:2"}) {
    std::string g = std::string("BM_getenv") + threads;
    for (const char* ours :
         {"BM_oscpp_environ_subscript", "BM_oscpp_environ_get",
          "BM_oscpp_environ_visit", "BM_oscpp_environ_contains",
          "BM_std_getenv", "BM_getenv_to_string"})
      ratio((std::string(ours) + threads).c_str(), g.c_str());
  }
  ratio("BM_oscpp_environ_HOME", "BM_getenv_HOME");
  return 0;
}
