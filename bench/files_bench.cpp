// walk, fwalk, scandir, listdir, stat and lstat against raw syscall loops and
// std::filesystem, in one run (issue 3's speed table).
//
// Trees (made once and reused; warm cache):
//   synthetic  $OSCPP_BENCH_DIR/tree-200k (default /dev/shm/oscpp-bench):
//              1000 leaf directories under 110 inner ones, 195 files and 2
//              symlinks per leaf, 20 files per inner directory (200,310
//              entries)
//   usr        /usr (set OSCPP_BENCH_USR to walk another real tree)
//   big        $OSCPP_BENCH_DIR/big: one directory of 100k files
// The raw baselines: a recursive openat + getdents64 loop that descends on
// d_type == DT_DIR (raw_count: counts; raw_names: also collects every name
// into per-directory vectors, the output walk yields; raw_like_walk: also
// stats each symlink (and entry of unknown type) to sort it into the
// directories or the files, as Python's walk must), getdents64 on the big
// directory, and the bare stat/lstat syscalls. bench/files_vs_peers.py runs
// this with GNU find and CPython and prints the ratios (CPU time);
// bench/walk_vs_fd_bfs.py runs the parallel walks against fd and bfs (wall
// time).
//
//   cmake -B build-bench -DCMAKE_BUILD_TYPE=Release -DOSCPP_BUILD_BENCH=ON
//   ninja -C build-bench files_bench && build-bench/bench/files_bench
#include <benchmark/benchmark.h>
#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cstddef>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "bench_util.hpp"
#include "oscpp/os.hpp"

namespace {

// ---------------------------------------------------------------- trees

using oscpp_bench::base_dir;

void touch(const std::string& p) {
  int fd = ::open(p.c_str(), O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
  if (fd >= 0) ::close(fd);
}

bool exists(const std::string& p) {
  struct ::stat st;
  return ::lstat(p.c_str(), &st) == 0;
}

const std::string& synthetic_tree() {
  static const std::string tree = [] {
    std::string base = base_dir();
    std::string t = base + "/tree-200k";
    if (exists(t + "/.complete")) return t;
    ::mkdir(base.c_str(), 0755);
    std::filesystem::remove_all(t);
    ::mkdir(t.c_str(), 0755);
    char name[64];
    for (int a = 0; a < 10; ++a) {
      std::string da = t + "/dir-a" + std::to_string(a);
      ::mkdir(da.c_str(), 0755);
      for (int f = 0; f < 20; ++f) touch(da + "/inner-" + std::to_string(f));
      for (int b = 0; b < 10; ++b) {
        std::string db = da + "/dir-b" + std::to_string(b);
        ::mkdir(db.c_str(), 0755);
        for (int f = 0; f < 20; ++f) touch(db + "/inner-" + std::to_string(f));
        for (int c = 0; c < 10; ++c) {
          std::string dc = db + "/leaf-" + std::to_string(c);
          ::mkdir(dc.c_str(), 0755);
          for (int f = 0; f < 195; ++f) {
            std::snprintf(name, sizeof name, "/file-%03d.txt", f);
            touch(dc + name);
          }
          ::symlink("file-000.txt", (dc + "/link-file").c_str());
          ::symlink("..", (dc + "/link-up").c_str());
        }
      }
    }
    touch(t + "/.complete");
    return t;
  }();
  return tree;
}

const std::string& usr_tree() {
  static const std::string tree = [] {
    const char* env = std::getenv("OSCPP_BENCH_USR");
    return std::string(env && *env ? env : "/usr");
  }();
  return tree;
}

const std::string& big_dir() {
  static const std::string dir = [] {
    std::string base = base_dir();
    std::string d = base + "/big";
    if (exists(d + "/.complete")) return d;
    ::mkdir(base.c_str(), 0755);
    std::filesystem::remove_all(d);
    ::mkdir(d.c_str(), 0755);
    char name[64];
    for (int f = 0; f < 100000; ++f) {
      std::snprintf(name, sizeof name, "/entry-%06d", f);
      touch(d + name);
    }
    touch(d + "/.complete");
    return d;
  }();
  return dir;
}

const std::string& tree_of(const benchmark::State& state) {
  return state.range(0) == 0 ? synthetic_tree() : usr_tree();
}

void label(benchmark::State& state, std::size_t entries) {
  state.SetLabel(state.range(0) == 0 ? "synthetic" : "usr");
  state.counters["entries"] = static_cast<double>(entries);
}

// ---------------------------------------------------------------- raw walks

constexpr std::size_t kBuf = 32768;

template <class Visit>
void for_each_dirent(int fd, char* buf, Visit&& visit) {
  for (;;) {
    ssize_t n = ::getdents64(fd, buf, kBuf);
    if (n <= 0) return;
    for (ssize_t off = 0; off < n;) {
      auto* d = reinterpret_cast<struct dirent64*>(buf + off);
      off += d->d_reclen;
      const char* nm = d->d_name;
      if (nm[0] == '.' && (nm[1] == 0 || (nm[1] == '.' && nm[2] == 0)))
        continue;
      visit(d);
    }
  }
}

// Counts entries; descends on DT_DIR through openat on the held parent.
std::size_t raw_count(int parent, const char* name) {
  int fd = ::openat(parent, name, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return 0;
  std::unique_ptr<char[]> buf(new char[kBuf]);
  std::size_t n = 0;
  std::vector<std::string> subdirs;
  for_each_dirent(fd, buf.get(), [&](struct dirent64* d) {
    ++n;
    if (d->d_type == DT_DIR) subdirs.emplace_back(d->d_name);
  });
  buf.reset();
  for (const std::string& s : subdirs) n += raw_count(fd, s.c_str());
  ::close(fd);
  return n;
}

// The same, collecting every name as walk yields them.
std::size_t raw_names(int parent, const char* name, char* buf) {
  int fd = ::openat(parent, name, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return 0;
  std::vector<std::string> dirs, files;
  for_each_dirent(fd, buf, [&](struct dirent64* d) {
    (d->d_type == DT_DIR ? dirs : files).emplace_back(d->d_name);
  });
  std::size_t n = dirs.size() + files.size();
  benchmark::DoNotOptimize(files.data());
  for (const std::string& s : dirs) n += raw_names(fd, s.c_str(), buf);
  ::close(fd);
  return n;
}

// The same, and each symlink or entry of unknown type stat'ed to learn
// whether it is a directory (listed with the directories, not entered), as
// Python's walk must: the like-for-like baseline of walk and fwalk. The
// kind says what else of Python's walks it does:
//   plain     nothing else (each directory opened relative to its parent)
//   by_path   each directory opened by its path, as Python's walk opens it
//             (scandir(path): the kernel resolves every component), and
//             each symlink among the directories lstat'ed by its path (the
//             islink check Python's walk makes before descending)
//   fwalk     each directory fstat'ed once opened (the identity check that
//             makes fwalk race-safe) and rewound after its listing (fwalk
//             hands the descriptor out rewound)
enum class like { plain, by_path, fwalk };

std::size_t raw_like(like kind, int parent, const char* name, std::string& path,
                     char* buf) {
  int fd = kind == like::by_path
               ? ::openat(AT_FDCWD, path.c_str(),
                          O_RDONLY | O_DIRECTORY | O_CLOEXEC | O_NOFOLLOW)
               : ::openat(parent, name, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return 0;
  struct ::stat dst;
  if (kind == like::fwalk && ::fstat(fd, &dst) != 0) {
    ::close(fd);
    return 0;
  }
  std::vector<std::string> dirs, files, links;
  for_each_dirent(fd, buf, [&](struct dirent64* d) {
    bool dir = d->d_type == DT_DIR;
    if (d->d_type == DT_LNK || d->d_type == DT_UNKNOWN) {
      struct ::stat st;
      if (::fstatat(fd, d->d_name, &st, 0) == 0 && S_ISDIR(st.st_mode)) {
        if (d->d_type == DT_LNK ||
            (::fstatat(fd, d->d_name, &st, AT_SYMLINK_NOFOLLOW) == 0 &&
             S_ISLNK(st.st_mode))) {
          links.emplace_back(d->d_name);
          return;
        }
        dir = true;
      }
    }
    (dir ? dirs : files).emplace_back(d->d_name);
  });
  if (kind == like::fwalk) (void)::lseek(fd, 0, SEEK_SET);
  std::size_t n = dirs.size() + files.size() + links.size();
  benchmark::DoNotOptimize(files.data());
  std::size_t len = path.size();
  if (kind == like::by_path) {
    // Opened by path from here on: no descriptor held while descending.
    ::close(fd);
    fd = -1;
    for (const std::string& s : links) {
      path.append("/").append(s);
      struct ::stat st;
      benchmark::DoNotOptimize(::lstat(path.c_str(), &st));
      path.resize(len);
    }
  }
  for (const std::string& s : dirs) {
    path.append("/").append(s);
    n += raw_like(kind, fd, s.c_str(), path, buf);
    path.resize(len);
  }
  if (fd >= 0) ::close(fd);
  return n;
}

void raw_like_bench(benchmark::State& state, like kind) {
  const std::string& t = tree_of(state);
  std::unique_ptr<char[]> buf(new char[kBuf]);
  std::size_t n = 0;
  std::string path;
  for (auto _ : state) {
    path = t;
    n = raw_like(kind, AT_FDCWD, t.c_str(), path, buf.get());
  }
  label(state, n);
}

void BM_walk_raw_like_walk(benchmark::State& state) {
  raw_like_bench(state, like::plain);
}
void BM_walk_raw_like_walk_by_path(benchmark::State& state) {
  raw_like_bench(state, like::by_path);
}
void BM_walk_raw_like_fwalk(benchmark::State& state) {
  raw_like_bench(state, like::fwalk);
}

// The parallel walks: range(1) threads; wall time, and the CPU time of
// every thread.
void parallel_bench(benchmark::State& state, bool fwalk) {
  const std::string& t = tree_of(state);
  std::atomic<std::size_t> n = 0;
  os::walk_visitor count = [&](os::walk_dir& d) {
    n.fetch_add(d.dirs.size() + d.files.size(), std::memory_order_relaxed);
  };
  auto threads = static_cast<unsigned>(state.range(1));
  for (auto _ : state) {
    n = 0;
    if (fwalk)
      os::parallel_fwalk(t, count, {.threads = threads});
    else
      os::parallel_walk(t, count, {.threads = threads});
  }
  label(state, n);
}

void BM_parallel_walk(benchmark::State& state) { parallel_bench(state, false); }
void BM_parallel_fwalk(benchmark::State& state) { parallel_bench(state, true); }

// The machine's own scaling, the floor under any parallel walk's: two whole
// raw loops at once (range(1): 1 as two threads of this process, sharing
// its descriptor table as a parallel walk's workers do; 2 as this process
// and a forked child, sharing nothing). Wall time of both; if the machine
// scaled perfectly it would equal one loop's, and a walk split over two
// threads can at best take half of it.
void BM_walk_raw_names_twice(benchmark::State& state) {
  const std::string& t = tree_of(state);
  std::size_t n = 0;
  bool processes = state.range(1) == 2;
  for (auto _ : state) {
    if (processes) {
      pid_t pid = ::fork();
      if (pid == 0) {
        std::unique_ptr<char[]> buf(new char[kBuf]);
        ::_exit(raw_names(AT_FDCWD, t.c_str(), buf.get()) > 0 ? 0 : 1);
      }
      std::unique_ptr<char[]> buf(new char[kBuf]);
      n = raw_names(AT_FDCWD, t.c_str(), buf.get());
      int status = 0;
      if (pid < 0 || ::waitpid(pid, &status, 0) != pid || status != 0)
        state.SkipWithError("the forked loop failed");
    } else {
      std::size_t other = 0;
      std::thread th([&] {
        std::unique_ptr<char[]> buf(new char[kBuf]);
        other = raw_names(AT_FDCWD, t.c_str(), buf.get());
      });
      std::unique_ptr<char[]> buf(new char[kBuf]);
      n = raw_names(AT_FDCWD, t.c_str(), buf.get());
      th.join();
      if (other != n) state.SkipWithError("the two loops differ");
    }
  }
  label(state, n);
}

void BM_walk_raw_count(benchmark::State& state) {
  const std::string& t = tree_of(state);
  std::size_t n = 0;
  for (auto _ : state) n = raw_count(AT_FDCWD, t.c_str());
  label(state, n);
}

void BM_walk_raw_names(benchmark::State& state) {
  const std::string& t = tree_of(state);
  std::unique_ptr<char[]> buf(new char[kBuf]);
  std::size_t n = 0;
  for (auto _ : state) n = raw_names(AT_FDCWD, t.c_str(), buf.get());
  label(state, n);
}

void BM_walk_oscpp(benchmark::State& state) {
  const std::string& t = tree_of(state);
  std::size_t n = 0;
  for (auto _ : state) {
    n = 0;
    for (auto& [root, dirs, files] : os::walk(t))
      n += dirs.size() + files.size();
  }
  label(state, n);
}

void BM_fwalk_oscpp(benchmark::State& state) {
  const std::string& t = tree_of(state);
  std::size_t n = 0;
  for (auto _ : state) {
    n = 0;
    for (auto& [root, dirs, files, fd] : os::fwalk(t))
      n += dirs.size() + files.size();
  }
  label(state, n);
}

void BM_walk_std_filesystem(benchmark::State& state) {
  const std::string& t = tree_of(state);
  std::size_t n = 0;
  for (auto _ : state) {
    n = 0;
    std::error_code ec;
    for (auto it = std::filesystem::recursive_directory_iterator(
             t, std::filesystem::directory_options::skip_permission_denied, ec);
         it != std::filesystem::recursive_directory_iterator();
         it.increment(ec))
      ++n;
  }
  label(state, n);
}

// ---------------------------------------------------------------- big dir

void BM_listdir_raw(benchmark::State& state) {
  const std::string& d = big_dir();
  std::unique_ptr<char[]> buf(new char[kBuf]);
  std::size_t n = 0;
  for (auto _ : state) {
    int fd = ::open(d.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    std::vector<std::string> names;
    for_each_dirent(fd, buf.get(),
                    [&](struct dirent64* e) { names.emplace_back(e->d_name); });
    ::close(fd);
    n = names.size();
    benchmark::DoNotOptimize(names.data());
  }
  state.counters["entries"] = static_cast<double>(n);
}

void BM_listdir_oscpp(benchmark::State& state) {
  const std::string& d = big_dir();
  std::size_t n = 0;
  for (auto _ : state) {
    std::vector<std::string> names = os::listdir(d);
    n = names.size();
    benchmark::DoNotOptimize(names.data());
  }
  state.counters["entries"] = static_cast<double>(n);
}

void BM_scandir_is_dir_raw(benchmark::State& state) {
  const std::string& d = big_dir();
  std::unique_ptr<char[]> buf(new char[kBuf]);
  std::size_t dirs = 0;
  for (auto _ : state) {
    dirs = 0;
    int fd = ::open(d.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    for_each_dirent(fd, buf.get(),
                    [&](struct dirent64* e) { dirs += e->d_type == DT_DIR; });
    ::close(fd);
  }
  benchmark::DoNotOptimize(dirs);
}

void BM_scandir_is_dir_oscpp(benchmark::State& state) {
  const std::string& d = big_dir();
  std::size_t dirs = 0;
  for (auto _ : state) {
    dirs = 0;
    for (auto& e : os::scandir(d)) dirs += *e.is_dir(std::nothrow);
  }
  benchmark::DoNotOptimize(dirs);
}

void BM_scandir_is_dir_std_filesystem(benchmark::State& state) {
  const std::string& d = big_dir();
  std::size_t dirs = 0;
  for (auto _ : state) {
    dirs = 0;
    for (auto& e : std::filesystem::directory_iterator(d))
      dirs += e.is_directory();
  }
  benchmark::DoNotOptimize(dirs);
}

// ---------------------------------------------------------------- stat

const std::string& existing_file() {
  static const std::string f = synthetic_tree() + "/dir-a0/inner-0";
  return f;
}
const std::string& missing_file() {
  static const std::string f = synthetic_tree() + "/dir-a0/missing";
  return f;
}

void BM_stat_raw(benchmark::State& state) {
  struct ::stat st;
  for (auto _ : state)
    benchmark::DoNotOptimize(::stat(existing_file().c_str(), &st));
}
void BM_stat_oscpp(benchmark::State& state) {
  for (auto _ : state) benchmark::DoNotOptimize(os::stat(existing_file()));
}
void BM_lstat_raw(benchmark::State& state) {
  struct ::stat st;
  for (auto _ : state)
    benchmark::DoNotOptimize(::lstat(existing_file().c_str(), &st));
}
void BM_lstat_oscpp(benchmark::State& state) {
  for (auto _ : state) benchmark::DoNotOptimize(os::lstat(existing_file()));
}
void BM_lstat_missing_raw(benchmark::State& state) {
  struct ::stat st;
  for (auto _ : state)
    benchmark::DoNotOptimize(::lstat(missing_file().c_str(), &st));
}
void BM_lstat_missing_oscpp_nothrow(benchmark::State& state) {
  for (auto _ : state)
    benchmark::DoNotOptimize(os::nothrow::lstat(missing_file()).has_value());
}
void BM_lstat_missing_oscpp_throwing(benchmark::State& state) {
  for (auto _ : state) {
    try {
      benchmark::DoNotOptimize(os::lstat(missing_file()));
    } catch (const os::OSError& e) {
      benchmark::DoNotOptimize(&e);
    }
  }
}

}  // namespace

BENCHMARK(BM_walk_raw_count)->Arg(0)->Arg(1)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_walk_raw_names)->Arg(0)->Arg(1)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_walk_raw_like_walk)->Arg(0)->Arg(1)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_walk_raw_like_walk_by_path)
    ->Arg(0)
    ->Arg(1)
    ->Unit(benchmark::kMillisecond);
BENCHMARK(BM_walk_raw_like_fwalk)
    ->Arg(0)
    ->Arg(1)
    ->Unit(benchmark::kMillisecond);
BENCHMARK(BM_walk_raw_names_twice)
    ->ArgsProduct({{0, 1}, {1, 2}})
    ->UseRealTime()
    ->Unit(benchmark::kMillisecond);
BENCHMARK(BM_walk_oscpp)->Arg(0)->Arg(1)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_parallel_walk)
    ->ArgsProduct({{0, 1}, {1, 2, 4}})
    ->UseRealTime()
    ->MeasureProcessCPUTime()
    ->Unit(benchmark::kMillisecond);
BENCHMARK(BM_parallel_fwalk)
    ->ArgsProduct({{0, 1}, {1, 2, 4}})
    ->UseRealTime()
    ->MeasureProcessCPUTime()
    ->Unit(benchmark::kMillisecond);
BENCHMARK(BM_fwalk_oscpp)->Arg(0)->Arg(1)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_walk_std_filesystem)
    ->Arg(0)
    ->Arg(1)
    ->Unit(benchmark::kMillisecond);
BENCHMARK(BM_listdir_raw)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_listdir_oscpp)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_scandir_is_dir_raw)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_scandir_is_dir_oscpp)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_scandir_is_dir_std_filesystem)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_stat_raw);
BENCHMARK(BM_stat_oscpp);
BENCHMARK(BM_lstat_raw);
BENCHMARK(BM_lstat_oscpp);
BENCHMARK(BM_lstat_missing_raw);
BENCHMARK(BM_lstat_missing_oscpp_nothrow);
BENCHMARK(BM_lstat_missing_oscpp_throwing);

BENCHMARK_MAIN();
