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
// ::realpath(p, buf) (no malloc); and (Linux) what each of os::path's
// system calls costs over the tree's paths, with the ratios those costs
// allow.
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
#if __has_include(<linux/openat2.h>)
#include <linux/openat2.h>
#include <sys/syscall.h>
#define OSCPP_BENCH_OPENAT2 1
#endif

#include <cstdint>
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
  std::string deep;                 // 12 components, absolute symlink
  std::vector<std::string> paths;   // every path of the tree, via links
  std::vector<std::string> plain;   // the paths of paths without a link
  std::vector<std::string> linked;  // the others (through a symlink)
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
        t.plain.push_back(top + "/d" + std::to_string(i) + f);
        for (auto via : {"/rel", "/abs"})
          t.linked.push_back(top + via + std::to_string(i) + f);
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

// realpath over every path of a list: os::path's, or glibc's.
template <auto Paths>
void realpath_oscpp(benchmark::State& state) {
  const auto& paths = links().*Paths;
  for (auto _ : state)
    for (const auto& p : paths) {
      auto r = P::realpath(p);
      benchmark::DoNotOptimize(r);
    }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()) *
                          static_cast<std::int64_t>(paths.size()));
}
template <auto Paths>
void realpath_glibc(benchmark::State& state) {
  const auto& paths = links().*Paths;
  char buf[PATH_MAX];
  for (auto _ : state)
    for (const auto& p : paths) {
      char* r = ::realpath(p.c_str(), buf);
      benchmark::DoNotOptimize(r);
    }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()) *
                          static_cast<std::int64_t>(paths.size()));
}
// Every path of the tree (two in three through a symlink).
BENCHMARK(realpath_oscpp<&link_tree::paths>)
    ->Name("BM_realpath_tree_oscpp")
    ->ComputeStatistics("min", min_of);
BENCHMARK(realpath_glibc<&link_tree::paths>)
    ->Name("BM_realpath_tree_glibc")
    ->ComputeStatistics("min", min_of);
// The same with realpath's first step pinned to the kernel's resolution
// (no RESOLVE_NO_SYMLINKS probe; the default probes first).
void BM_realpath_tree_oscpp_kernel_first(benchmark::State& state) {
  P::detail::set_realpath_first(P::detail::realpath_first::kernel);
  realpath_oscpp<&link_tree::paths>(state);
  P::detail::set_realpath_first(P::detail::realpath_first::probe);
}
BENCHMARK(BM_realpath_tree_oscpp_kernel_first)
    ->ComputeStatistics("min", min_of);
// The third of them without a symlink.
BENCHMARK(realpath_oscpp<&link_tree::plain>)
    ->Name("BM_realpath_plain_oscpp")
    ->ComputeStatistics("min", min_of);
BENCHMARK(realpath_glibc<&link_tree::plain>)
    ->Name("BM_realpath_plain_glibc")
    ->ComputeStatistics("min", min_of);

// What os::path::realpath's steps cost over the tree's paths, each alone
// (Linux with openat2): why the tree's ratio is what it is.
#if OSCPP_BENCH_OPENAT2
long open_o_path(const char* p, std::uint64_t resolve) {
  struct ::open_how how {};
  how.flags = O_PATH | O_CLOEXEC;
  how.resolve = resolve;
  return ::syscall(SYS_openat2, AT_FDCWD, p, &how, sizeof how);
}

// The bare price of entering the kernel.
void BM_realpath_step_getpid(benchmark::State& state) {
  for (auto _ : state) benchmark::DoNotOptimize(::syscall(SYS_getpid));
}
BENCHMARK(BM_realpath_step_getpid)->ComputeStatistics("min", min_of);

// readlink of the whole path (EINVAL, or the last link's text): glibc's
// unit of work, which it pays once per component, on each prefix.
void BM_realpath_step_readlink(benchmark::State& state) {
  const auto& paths = links().paths;
  char buf[PATH_MAX];
  for (auto _ : state)
    for (const auto& p : paths)
      benchmark::DoNotOptimize(::readlink(p.c_str(), buf, sizeof buf));
}
BENCHMARK(BM_realpath_step_readlink)->ComputeStatistics("min", min_of);

// readlink("/proc/self/fd/N") of a held O_PATH descriptor of a tree file.
void BM_realpath_step_procfs(benchmark::State& state) {
  long fd = open_o_path(links().plain.front().c_str(), 0);
  std::string proc = "/proc/self/fd/" + std::to_string(fd);
  char buf[PATH_MAX];
  for (auto _ : state)
    benchmark::DoNotOptimize(::readlink(proc.c_str(), buf, sizeof buf));
  ::close(static_cast<int>(fd));
}
BENCHMARK(BM_realpath_step_procfs)->ComputeStatistics("min", min_of);

// The first step: openat2(O_PATH, RESOLVE_NO_SYMLINKS), and close when it
// opened (a link-free path: the whole of realpath's syscalls) or not
// (ELOOP: a symlink on the way).
template <auto Paths>
void step_probe(benchmark::State& state) {
  const auto& paths = links().*Paths;
  for (auto _ : state)
    for (const auto& p : paths) {
      long fd = open_o_path(p.c_str(), RESOLVE_NO_SYMLINKS);
      if (fd >= 0) ::close(static_cast<int>(fd));
      benchmark::DoNotOptimize(fd);
    }
}
BENCHMARK(step_probe<&link_tree::plain>)
    ->Name("BM_realpath_step_probe_plain")
    ->ComputeStatistics("min", min_of);
BENCHMARK(step_probe<&link_tree::linked>)
    ->Name("BM_realpath_step_probe_linked")
    ->ComputeStatistics("min", min_of);

// The second step: openat2(O_PATH, RESOLVE_NO_MAGICLINKS), readlink of
// /proc/self/fd/N, close.
template <auto Paths>
void step_kernel(benchmark::State& state) {
  const auto& paths = links().*Paths;
  char buf[PATH_MAX];
  for (auto _ : state)
    for (const auto& p : paths) {
      long fd = open_o_path(p.c_str(), RESOLVE_NO_MAGICLINKS);
      std::string proc = "/proc/self/fd/" + std::to_string(fd);
      benchmark::DoNotOptimize(::readlink(proc.c_str(), buf, sizeof buf));
      ::close(static_cast<int>(fd));
    }
}
BENCHMARK(step_kernel<&link_tree::linked>)
    ->Name("BM_realpath_step_kernel_linked")
    ->ComputeStatistics("min", min_of);
BENCHMARK(step_kernel<&link_tree::paths>)
    ->Name("BM_realpath_step_kernel_all")
    ->ComputeStatistics("min", min_of);
#endif

// Per path (ns of CPU time): each step's cost, and what the tree would
// cost as a ratio to glibc if realpath were only the kernel's steps, three
// ways.
void realpath_steps(const std::map<std::string, double>& ns) {
  auto per = [&](const char* name, std::size_t n) {
    auto i = ns.find(name);
    return i == ns.end() ? -1.0 : i->second / static_cast<double>(n);
  };
  const auto& t = links();
  double glibc = per("BM_realpath_tree_glibc", t.paths.size());
  double getpid = per("BM_realpath_step_getpid", 1);
  double readlink = per("BM_realpath_step_readlink", t.paths.size());
  double procfs = per("BM_realpath_step_procfs", 1);
  double probe_plain = per("BM_realpath_step_probe_plain", t.plain.size());
  double probe_linked = per("BM_realpath_step_probe_linked", t.linked.size());
  double kernel_linked = per("BM_realpath_step_kernel_linked", t.linked.size());
  double kernel_all = per("BM_realpath_step_kernel_all", t.paths.size());
  if (glibc <= 0 || getpid < 0 || readlink < 0 || procfs < 0 ||
      probe_plain < 0 || probe_linked < 0 || kernel_linked < 0 ||
      kernel_all < 0)
    return;
  std::printf(
      "\nrealpath over the tree, ns per path: glibc %.0f; getpid %.0f, "
      "readlink(path) %.0f, readlink(/proc/self/fd/N) %.0f;\n"
      "  openat2(NO_SYMLINKS)+close on a link-free path %.0f, failing "
      "(ELOOP) on a linked one %.0f;\n"
      "  openat2+readlink(/proc)+close on a linked path %.0f, on any path "
      "%.0f\n",
      glibc, getpid, readlink, procfs, probe_plain, probe_linked, kernel_linked,
      kernel_all);
  double n = static_cast<double>(t.paths.size());
  double plain = static_cast<double>(t.plain.size()) / n;
  double linked = static_cast<double>(t.linked.size()) / n;
  std::printf(
      "tree / glibc from the steps: probe first (as realpath) %.2fx; "
      "never probe %.2fx; link-free paths known beforehand (floor) %.2fx\n",
      (plain * probe_plain + linked * (probe_linked + kernel_linked)) / glibc,
      kernel_all / glibc,
      (plain * probe_plain + linked * kernel_linked) / glibc);
}

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
  ratio("BM_realpath_tree_oscpp_kernel_first", "BM_realpath_tree_glibc");
  ratio("BM_realpath_plain_oscpp", "BM_realpath_plain_glibc");
  realpath_steps(ns);
  return 0;
}
