// fwalk against an attacker that swaps a directory of the tree for a symlink
// to a directory outside it (renameat2 RENAME_EXCHANGE): fwalk must never
// yield or open anything outside, over hundreds of fresh trees. The swap is
// done two ways: by a thread flipping the two names as fast as it can while
// the walk runs, and deterministically, from fwalk's test hook, at each of
// its check-then-use points. A deliberately naive walker (paths, lstat,
// opendir) runs under the same checks and escapes; OSCPP_RACE_NAIVE=1 puts
// it in fwalk's place, to see these tests fail on it.
#include <dirent.h>
#include <fcntl.h>
#include <gtest/gtest.h>
#include <stdio.h>  // RENAME_EXCHANGE (glibc), renamex_np (macOS)
#include <sys/stat.h>
#include <unistd.h>
#if defined(__linux__)
#include <sys/syscall.h>
#ifndef RENAME_EXCHANGE
#include <linux/fs.h>  // musl's <stdio.h> lacks it
#endif
#endif

#include <atomic>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <functional>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "detail/walk_hooks.hpp"
#include "oscpp/files.hpp"
#include "oscpp/parallel_walk.hpp"
#include "support/support.hpp"

namespace {

using os::detail::walk_point;

constexpr int kTrees = 200;

bool naive_mode() {
  const char* v = std::getenv("OSCPP_RACE_NAIVE");
  return v != nullptr && std::strcmp(v, "1") == 0;
}

// ---------------------------------------------------------------- the trees

// One fresh tree per trial:
//   trial/outside/{SECRET, deeper/SECRET2}   never to be yielded or opened
//   trial/swap -> outside                    exchanged with tree/a/victim
//   trial/tree/{f, a/{g, victim/{inside, sub/inside2}}, b/{c/, h}}
struct trial {
  std::string root, tree, victim, swap, outside;

  explicit trial(const std::string& r)
      : root(r),
        tree(r + "/tree"),
        victim(r + "/tree/a/victim"),
        swap(r + "/swap"),
        outside(r + "/outside") {
    for (const std::string& d :
         {root, outside, outside + "/deeper", tree, tree + "/a", victim,
          victim + "/sub", tree + "/b", tree + "/b/c"})
      EXPECT_EQ(::mkdir(d.c_str(), 0755), 0) << d;
    for (const std::string& f :
         {outside + "/SECRET", outside + "/deeper/SECRET2", tree + "/f",
          tree + "/a/g", victim + "/inside", victim + "/sub/inside2",
          tree + "/b/h"})
      oscpp_test::write_file(f, "x");
    EXPECT_EQ(::symlink(outside.c_str(), swap.c_str()), 0);
  }
  ~trial() {
    std::error_code ec;
    std::filesystem::remove_all(root, ec);
    EXPECT_FALSE(ec) << ec.message();
  }

  // Swaps tree/a/victim and swap: the victim becomes the symlink to
  // outside, or becomes the directory again.
  bool exchange() const {
#if defined(__APPLE__)
    return ::renamex_np(victim.c_str(), swap.c_str(), RENAME_SWAP) == 0;
#else
    // The system call: musl has no renameat2 function.
    return ::syscall(SYS_renameat2, AT_FDCWD, victim.c_str(), AT_FDCWD,
                     swap.c_str(), RENAME_EXCHANGE) == 0;
#endif
  }

  // True if path (a resolved descriptor target) is outside or below it.
  bool is_outside(const std::string& p) const {
    return p == outside || p.rfind(outside + "/", 0) == 0;
  }
};

// Where the trees go: /dev/shm if there is one (making and removing
// thousands of directories is slow on some disks), else TMPDIR.
std::string make_base() {
  struct ::stat st;
  const char* env = std::getenv("TMPDIR");
  std::string parent = ::stat("/dev/shm", &st) == 0 && S_ISDIR(st.st_mode)
                           ? "/dev/shm"
                       : env && *env ? env
                                     : "/tmp";
  std::string tmpl = parent + "/oscpp-race-XXXXXX";
  EXPECT_NE(::mkdtemp(tmpl.data()), nullptr);
  return tmpl;
}

// ---------------------------------------------------------------- checking

// What a walk did that it must not: each yielded or open descriptor, and
// each name listed, that belongs to outside.
struct escapes {
  std::atomic<int> opened{0};   // a descriptor open on outside
  std::atomic<int> yielded{0};  // a step (or its listing) from outside
};

const trial* g_trial = nullptr;
escapes* g_escapes = nullptr;

// Every descriptor this process has open that resolves into outside.
int open_outside(const trial& t) {
  int n = 0;
  DIR* d = ::opendir("/proc/self/fd");
  if (d == nullptr) return 0;
  while (dirent* e = ::readdir(d)) {
    if (e->d_name[0] == '.') continue;
    char target[4096];
    std::string link = std::string("/proc/self/fd/") + e->d_name;
    ssize_t len = ::readlink(link.c_str(), target, sizeof target - 1);
    if (len <= 0) continue;
    if (t.is_outside(std::string(target, static_cast<std::size_t>(len)))) ++n;
  }
  ::closedir(d);
  return n;
}

void check_step(const trial& t, escapes& out, int dirfd,
                const std::vector<std::string>& dirs,
                const std::vector<std::string>& files) {
  for (const std::string& n : files)
    if (n == "SECRET" || n == "SECRET2") ++out.yielded;
  for (const std::string& n : dirs)
    if (n == "deeper") ++out.yielded;
  if (dirfd >= 0) {
    char target[4096];
    std::string link = "/proc/self/fd/" + std::to_string(dirfd);
    ssize_t len = ::readlink(link.c_str(), target, sizeof target - 1);
    if (len > 0 &&
        t.is_outside(std::string(target, static_cast<std::size_t>(len))))
      ++out.yielded;
  }
  if (open_outside(t) > 0) ++out.opened;
}

// ---------------------------------------------------------------- walkers

using step_check =
    std::function<void(int dirfd, const std::vector<std::string>&,
                       const std::vector<std::string>&)>;

void hook_point(walk_point p, int dirfd, const char* name) {
  os::detail::walk_hook_point(p, dirfd, name);
}

// The classic check-then-use walk: lstat each name by path at listing time,
// opendir it by path later. Calls the fwalk hook at the same points.
void naive_visit(const std::string& path, bool topdown,
                 const step_check& check) {
  DIR* d = ::opendir(path.c_str());
  if (d == nullptr) return;
  std::string base = path.substr(path.rfind('/') + 1);
  hook_point(walk_point::opened, AT_FDCWD, base.c_str());
  std::vector<std::string> dirs, files;
  while (dirent* e = ::readdir(d)) {
    std::string name = e->d_name;
    if (name == "." || name == "..") continue;
    hook_point(walk_point::listed, AT_FDCWD, name.c_str());
    struct ::stat st;
    if (::lstat((path + "/" + name).c_str(), &st) == 0 && S_ISDIR(st.st_mode))
      dirs.push_back(name);
    else
      files.push_back(name);
  }
  if (topdown) check(-1, dirs, files);
  for (const std::string& name : dirs) {
    hook_point(walk_point::checked, AT_FDCWD, name.c_str());
    naive_visit(path + "/" + name, topdown, check);
  }
  if (!topdown) check(-1, dirs, files);
  ::closedir(d);
}

// Walks t.tree with fwalk (or the naive walker in naive mode, or
// parallel_fwalk on 2 threads, top down), checking every step; returns the
// number of steps.
int walk_tree(const trial& t, bool topdown, escapes& out, bool naive,
              bool parallel = false) {
  std::atomic<int> steps = 0;
  auto check = [&](int fd, const std::vector<std::string>& dirs,
                   const std::vector<std::string>& files) {
    ++steps;
    check_step(t, out, fd, dirs, files);
  };
  if (naive) {
    naive_visit(t.tree, topdown, check);
  } else if (parallel) {
    os::parallel_fwalk(t.tree,
                       [&](os::walk_dir& d) {
                         std::vector<std::string> dirs, files;
                         for (const os::DirEntry& e : d.dirs)
                           dirs.push_back(e.name);
                         for (const os::DirEntry& e : d.files)
                           files.push_back(e.name);
                         check(d.dirfd, dirs, files);
                       },
                       {.threads = 2});
  } else {
    for (auto& [root, dirs, files, fd] :
         os::fwalk(t.tree, {.topdown = topdown, .onerror = nullptr}))
      check(fd, dirs, files);
  }
  return steps.load();
}

// ---------------------------------------------------------------- the hook

// The deterministic attacker: at the armed point, for the name "victim",
// swap once. At every point, look for descriptors open outside.
std::atomic<walk_point> g_point{walk_point::listed};
std::atomic<bool> g_armed{false};
std::atomic<int> g_fired{0};

void attacker(walk_point p, int, const char* name) {
  if (g_trial == nullptr) return;
  if (g_escapes != nullptr && open_outside(*g_trial) > 0) ++g_escapes->opened;
  if (g_armed && p == g_point && std::strcmp(name, "victim") == 0) {
    g_armed = false;
    if (g_trial->exchange()) ++g_fired;
  }
}

class FwalkRace : public ::testing::Test {
 protected:
  void SetUp() override {
    base_ = make_base();
    previous_ = os::detail::set_walk_hook(&attacker);
  }
  void TearDown() override {
    os::detail::set_walk_hook(previous_);
    g_trial = nullptr;
    g_escapes = nullptr;
    std::error_code ec;
    std::filesystem::remove_all(base_, ec);
  }
  std::string trial_root(int i) const {
    return base_ + "/trial-" + std::to_string(i);
  }

  // Runs trials deterministic-hook trials per point and order with the
  // given walker; returns the escapes (opened + yielded).
  int hooked_escapes(bool naive, int trials_per_case, int* trees,
                     bool parallel = false) {
    int total = 0;
    int n = 0;
    for (walk_point p :
         {walk_point::listed, walk_point::checked, walk_point::opened}) {
      for (bool topdown : {true, false}) {
        // parallel_fwalk is top down only: twice as many trials instead.
        if (parallel) topdown = true;
        for (int i = 0; i < trials_per_case; ++i) {
          trial t(trial_root(n++));
          escapes e;
          g_trial = &t;
          g_escapes = &e;
          g_point = p;
          g_fired = 0;
          g_armed = true;
          int steps = walk_tree(t, topdown, e, naive, parallel);
          g_armed = false;
          g_trial = nullptr;
          g_escapes = nullptr;
          // The hook must have swapped, or the trial proved nothing.
          EXPECT_EQ(g_fired.load(), 1)
              << "point " << static_cast<int>(p) << " topdown " << topdown;
          EXPECT_GE(steps, 3);
          total += e.opened + e.yielded;
        }
      }
    }
    *trees = n;
    return total;
  }

  void threaded(bool parallel);

  std::string base_;
  os::detail::walk_hook previous_ = nullptr;
};

TEST_F(FwalkRace, SwapAtEachCheckThenUsePointNeverEscapes) {
  int trees = 0;
  int n = hooked_escapes(naive_mode(), 34, &trees);
  EXPECT_GE(trees, kTrees);
  EXPECT_EQ(n, 0) << "escapes over " << trees << " trees";
  std::printf("[ hooked   ] %s: %d escapes over %d fresh trees\n",
              naive_mode() ? "naive walker" : "fwalk", n, trees);
}

TEST_F(FwalkRace, ParallelFwalkSwapAtEachCheckThenUsePointNeverEscapes) {
  int trees = 0;
  int n = hooked_escapes(false, 34, &trees, true);
  EXPECT_GE(trees, kTrees);
  EXPECT_EQ(n, 0) << "escapes over " << trees << " trees";
}

TEST_F(FwalkRace, ThreadSwappingDuringTheWalkNeverEscapes) { threaded(false); }

TEST_F(FwalkRace, ThreadSwappingDuringAParallelWalkNeverEscapes) {
  threaded(true);
}

// The threaded attacker against fwalk (or parallel_fwalk).
void FwalkRace::threaded(bool parallel) {
  int escaped = 0, swaps = 0, skipped = 0;
  for (int i = 0; i < kTrees; ++i) {
    trial t(trial_root(i));
    escapes e;
    g_trial = &t;
    g_escapes = &e;
    std::atomic<bool> stop{false};
    std::atomic<int> done{0};
    std::thread swapper([&] {
      while (!stop.load(std::memory_order_relaxed))
        if (t.exchange()) ++done;
    });
    // Let the attacker get going before the walk starts.
    while (done.load() < 2) std::this_thread::yield();
    int steps =
        walk_tree(t, i % 2 == 0, e, naive_mode() && !parallel, parallel);
    stop = true;
    swapper.join();
    g_trial = nullptr;
    g_escapes = nullptr;
    swaps += done;
    // 6 directories when the victim stayed a directory throughout.
    if (steps < 6) ++skipped;
    escaped += e.opened + e.yielded;
  }
  EXPECT_EQ(escaped, 0) << "escapes over " << kTrees << " trees";
  std::printf(
      "[ threaded ] %s: %d escapes over %d fresh trees (%d swaps; the victim "
      "was skipped in %d walks)\n",
      naive_mode() && !parallel ? "naive walker"
      : parallel                ? "parallel_fwalk"
                                : "fwalk",
      escaped, kTrees, swaps, skipped);
}

// The checks can fail: the naive walker escapes under the same hook.
TEST_F(FwalkRace, NaiveWalkerEscapesUnderTheSameHook) {
  int trees = 0;
  int n = hooked_escapes(true, 4, &trees);
  EXPECT_GT(n, 0);
  std::printf("[ naive    ] %d escapes over %d fresh trees\n", n, trees);
}

}  // namespace
