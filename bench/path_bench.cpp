// os::path against std::filesystem (and LLVM's sys::path when built with
// it), and os::path::realpath against glibc's realpath(3), in one run
// (issue 9's speed table).
//
// Lexical: every path under /usr (OSCPP_BENCH_USR to use another tree), as
// std::string, one benchmark iteration over all of them:
//   normpath   os::path::normpath(s)       fs::path(s).lexically_normal()
//              llvm::sys::path::remove_dots(SmallString(s), true)
//              on "dir/./x/../name/" forms of each path, so there is work
//   join       os::path::join(dir, name)   fs::path(dir) / name
//              llvm::sys::path::append(SmallString(dir), name)
//   split      os::path::split(s)          fs::path(s): parent_path, filename
//              llvm parent_path + filename (views)
//   splitext   os::path::splitext(s)       fs::path(s): stem, extension
//              llvm stem + extension (views)
//   basename + dirname                     fs::path(s): filename, parent_path
// realpath: a 12-component path through an absolute symlink, and every path
// (through relative and absolute directory symlinks) of a small tree under
// $OSCPP_BENCH_DIR (default /dev/shm/oscpp-bench): os::path::realpath vs
// ::realpath(p, buf) (no malloc).
//
// The last lines print ratios of CPU time (target: <= 0.5x for the lexical
// functions, <= 0.4x for realpath).
//
//   cmake -B build-bench -DCMAKE_BUILD_TYPE=Release -DOSCPP_BUILD_BENCH=ON
//   ninja -C build-bench path_bench && build-bench/bench/path_bench
#include <benchmark/benchmark.h>
#include <fcntl.h>
#include <limits.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "bench_util.hpp"
#include "oscpp/os.hpp"

#ifdef OSCPP_BENCH_LLVM
#include <llvm/ADT/SmallString.h>
#include <llvm/Support/Path.h>
#endif

namespace {

namespace fs = std::filesystem;
namespace P = os::path;

using oscpp_bench::base_dir;
using oscpp_bench::min_of;

struct corpus {
  std::vector<std::string> paths;        // every path under the tree
  std::vector<std::string> messy;        // dir/./x/../name/ forms
  std::vector<std::string> dirs, names;  // split of each path
};

const corpus& usr() {
  static const corpus c = [] {
    corpus c;
    const char* env = std::getenv("OSCPP_BENCH_USR");
    std::string top = env && *env ? env : "/usr";
    for (auto [root, dirs, files] : os::walk(top)) {
      for (auto* list : {&dirs, &files})
        for (const auto& n : *list) c.paths.push_back(root + "/" + n);
    }
    for (const auto& p : c.paths) {
      auto [d, n] = P::split(p);
      c.messy.push_back(d + "/./x/../" + n + "/");
      c.dirs.push_back(std::move(d));
      c.names.push_back(std::move(n));
    }
    return c;
  }();
  return c;
}

void per_path(benchmark::State& state) {
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()) *
                          static_cast<std::int64_t>(usr().paths.size()));
}

// ---------------------------------------------------------------- normpath

void BM_normpath_oscpp(benchmark::State& state) {
  for (auto _ : state)
    for (const auto& s : usr().messy) {
      auto r = P::normpath(s);
      benchmark::DoNotOptimize(r);
    }
  per_path(state);
}
BENCHMARK(BM_normpath_oscpp)->ComputeStatistics("min", min_of);

void BM_normpath_std(benchmark::State& state) {
  for (auto _ : state)
    for (const auto& s : usr().messy) {
      auto r = fs::path(s).lexically_normal();
      benchmark::DoNotOptimize(r);
    }
  per_path(state);
}
BENCHMARK(BM_normpath_std)->ComputeStatistics("min", min_of);

// ---------------------------------------------------------------- join

void BM_join_oscpp(benchmark::State& state) {
  const auto& c = usr();
  for (auto _ : state)
    for (std::size_t i = 0; i < c.dirs.size(); ++i) {
      auto r = P::join(c.dirs[i], c.names[i]);
      benchmark::DoNotOptimize(r);
    }
  per_path(state);
}
BENCHMARK(BM_join_oscpp)->ComputeStatistics("min", min_of);

void BM_join_std(benchmark::State& state) {
  const auto& c = usr();
  for (auto _ : state)
    for (std::size_t i = 0; i < c.dirs.size(); ++i) {
      auto r = fs::path(c.dirs[i]) / c.names[i];
      benchmark::DoNotOptimize(r);
    }
  per_path(state);
}
BENCHMARK(BM_join_std)->ComputeStatistics("min", min_of);

// ---------------------------------------------------------------- split

void BM_split_oscpp(benchmark::State& state) {
  for (auto _ : state)
    for (const auto& s : usr().paths) {
      auto r = P::split(s);
      benchmark::DoNotOptimize(r);
    }
  per_path(state);
}
BENCHMARK(BM_split_oscpp)->ComputeStatistics("min", min_of);

void BM_split_std(benchmark::State& state) {
  for (auto _ : state)
    for (const auto& s : usr().paths) {
      fs::path p(s);
      auto h = p.parent_path();
      auto t = p.filename();
      benchmark::DoNotOptimize(h);
      benchmark::DoNotOptimize(t);
    }
  per_path(state);
}
BENCHMARK(BM_split_std)->ComputeStatistics("min", min_of);

// ---------------------------------------------------------------- splitext

void BM_splitext_oscpp(benchmark::State& state) {
  for (auto _ : state)
    for (const auto& s : usr().paths) {
      auto r = P::splitext(s);
      benchmark::DoNotOptimize(r);
    }
  per_path(state);
}
BENCHMARK(BM_splitext_oscpp)->ComputeStatistics("min", min_of);

void BM_splitext_std(benchmark::State& state) {
  for (auto _ : state)
    for (const auto& s : usr().paths) {
      fs::path p(s);
      auto stem = p.stem();
      auto ext = p.extension();
      benchmark::DoNotOptimize(stem);
      benchmark::DoNotOptimize(ext);
    }
  per_path(state);
}
BENCHMARK(BM_splitext_std)->ComputeStatistics("min", min_of);

// ---------------------------------------------------------------- basename

void BM_basename_dirname_oscpp(benchmark::State& state) {
  for (auto _ : state)
    for (const auto& s : usr().paths) {
      auto b = P::basename(s);
      auto d = P::dirname(s);
      benchmark::DoNotOptimize(b);
      benchmark::DoNotOptimize(d);
    }
  per_path(state);
}
BENCHMARK(BM_basename_dirname_oscpp)->ComputeStatistics("min", min_of);

void BM_basename_dirname_std(benchmark::State& state) {
  for (auto _ : state)
    for (const auto& s : usr().paths) {
      fs::path p(s);
      auto b = p.filename();
      auto d = p.parent_path();
      benchmark::DoNotOptimize(b);
      benchmark::DoNotOptimize(d);
    }
  per_path(state);
}
BENCHMARK(BM_basename_dirname_std)->ComputeStatistics("min", min_of);

#ifdef OSCPP_BENCH_LLVM
namespace lp = llvm::sys::path;

void BM_normpath_llvm(benchmark::State& state) {
  for (auto _ : state)
    for (const auto& s : usr().messy) {
      llvm::SmallString<256> r(s);
      lp::remove_dots(r, true);
      benchmark::DoNotOptimize(r);
    }
  per_path(state);
}
BENCHMARK(BM_normpath_llvm)->ComputeStatistics("min", min_of);

void BM_join_llvm(benchmark::State& state) {
  const auto& c = usr();
  for (auto _ : state)
    for (std::size_t i = 0; i < c.dirs.size(); ++i) {
      llvm::SmallString<256> r(c.dirs[i]);
      lp::append(r, c.names[i]);
      benchmark::DoNotOptimize(r);
    }
  per_path(state);
}
BENCHMARK(BM_join_llvm)->ComputeStatistics("min", min_of);

void BM_split_llvm(benchmark::State& state) {
  for (auto _ : state)
    for (const auto& s : usr().paths) {
      auto h = lp::parent_path(s);
      auto t = lp::filename(s);
      benchmark::DoNotOptimize(h);
      benchmark::DoNotOptimize(t);
    }
  per_path(state);
}
BENCHMARK(BM_split_llvm)->ComputeStatistics("min", min_of);

void BM_splitext_llvm(benchmark::State& state) {
  for (auto _ : state)
    for (const auto& s : usr().paths) {
      auto stem = lp::stem(s);
      auto ext = lp::extension(s);
      benchmark::DoNotOptimize(stem);
      benchmark::DoNotOptimize(ext);
    }
  per_path(state);
}
BENCHMARK(BM_splitext_llvm)->ComputeStatistics("min", min_of);
#endif

// ---------------------------------------------------------------- realpath

struct link_tree {
  std::string deep;                // 12 components, absolute symlink
  std::vector<std::string> paths;  // every path of the tree, via links
};

const link_tree& links() {
  static const link_tree t = [] {
    link_tree t;
    std::string base = base_dir();
    ::mkdir(base.c_str(), 0755);
    std::string top = base + "/path-tree";
    fs::remove_all(top);
    ::mkdir(top.c_str(), 0755);
    // <top>/lnk -> <top>/a/b (absolute); lnk/c/d/e/f/g/h/file
    std::string chain = top + "/a";
    ::mkdir(chain.c_str(), 0755);
    chain += "/b";
    ::mkdir(chain.c_str(), 0755);
    ::symlink(chain.c_str(), (top + "/lnk").c_str());
    for (auto c : {"c", "d", "e", "f", "g", "h"}) {
      chain += std::string("/") + c;
      ::mkdir(chain.c_str(), 0755);
    }
    ::close(::open((chain + "/file").c_str(), O_CREAT | O_WRONLY | O_CLOEXEC,
                   0644));
    t.deep = top + "/lnk/c/d/e/f/g/h/file";
    // <top>/d<i>/f<j> for 20 x 50 files; rel<i> -> d<i>, abs<i> -> <top>/d<i>
    for (int i = 0; i < 20; ++i) {
      std::string d = top + "/d" + std::to_string(i);
      ::mkdir(d.c_str(), 0755);
      std::string rel = "d";  // not "d" + ...: GCC 12's -Wrestrict misfires
      rel += std::to_string(i);
      ::symlink(rel.c_str(), (top + "/rel" + std::to_string(i)).c_str());
      ::symlink(d.c_str(), (top + "/abs" + std::to_string(i)).c_str());
      for (int j = 0; j < 50; ++j) {
        std::string f = "/f";
        f += std::to_string(j);
        ::close(::open((d + f).c_str(), O_CREAT | O_WRONLY | O_CLOEXEC, 0644));
        for (auto via : {"/d", "/rel", "/abs"})
          t.paths.push_back(top + via + std::to_string(i) + f);
      }
    }
    return t;
  }();
  return t;
}

void BM_realpath_deep_oscpp(benchmark::State& state) {
  const auto& p = links().deep;
  for (auto _ : state) {
    auto r = P::realpath(p);
    benchmark::DoNotOptimize(r);
  }
}
BENCHMARK(BM_realpath_deep_oscpp)->ComputeStatistics("min", min_of);

void BM_realpath_deep_glibc(benchmark::State& state) {
  const auto& p = links().deep;
  char buf[PATH_MAX];
  for (auto _ : state) {
    char* r = ::realpath(p.c_str(), buf);
    benchmark::DoNotOptimize(r);
  }
}
BENCHMARK(BM_realpath_deep_glibc)->ComputeStatistics("min", min_of);

void BM_realpath_tree_oscpp(benchmark::State& state) {
  for (auto _ : state)
    for (const auto& p : links().paths) {
      auto r = P::realpath(p);
      benchmark::DoNotOptimize(r);
    }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()) *
                          static_cast<std::int64_t>(links().paths.size()));
}
BENCHMARK(BM_realpath_tree_oscpp)->ComputeStatistics("min", min_of);

void BM_realpath_tree_glibc(benchmark::State& state) {
  char buf[PATH_MAX];
  for (auto _ : state)
    for (const auto& p : links().paths) {
      char* r = ::realpath(p.c_str(), buf);
      benchmark::DoNotOptimize(r);
    }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()) *
                          static_cast<std::int64_t>(links().paths.size()));
}
BENCHMARK(BM_realpath_tree_glibc)->ComputeStatistics("min", min_of);

}  // namespace

int main(int argc, char** argv) {
  oscpp_bench::initialize_repeated(argc, argv, 5);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  std::printf("paths under the lexical tree: %zu; realpath tree: %zu paths\n",
              usr().paths.size(), links().paths.size());
  oscpp_bench::ratio_reporter reporter;
  benchmark::RunSpecifiedBenchmarks(&reporter);
  benchmark::Shutdown();

  const auto& ns = reporter.ns();
  auto ratio = [&](const std::string& ours, const std::string& theirs) {
    auto a = ns.find(ours), b = ns.find(theirs);
    if (a == ns.end() || b == ns.end() || b->second == 0) return;
    std::printf("%-28s / %-28s = %.2fx\n", ours.c_str(), theirs.c_str(),
                a->second / b->second);
  };
  std::printf(
      "\nratios of CPU time (os::path / peer; targets: <= 0.50x "
      "lexical, <= 0.40x realpath)\n");
  for (const char* op :
       {"normpath", "join", "split", "splitext", "basename_dirname"}) {
    std::string ours = std::string("BM_") + op + "_oscpp";
    ratio(ours, std::string("BM_") + op + "_std");
    ratio(ours, std::string("BM_") + op + "_llvm");
  }
  ratio("BM_realpath_deep_oscpp", "BM_realpath_deep_glibc");
  ratio("BM_realpath_tree_oscpp", "BM_realpath_tree_glibc");
  return 0;
}
