// parallel_walk and parallel_fwalk against walk and fwalk: the same
// directories, entries and errors, with 1, 2 and 4 threads; pruning;
// exceptions, cancellation and the descriptor budget.
#include "oscpp/parallel_walk.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <filesystem>
#include <mutex>
#include <set>
#include <stdexcept>
#if OSCPP_HAVE_STOP_TOKEN
#include <stop_token>
#endif
#include <string>
#include <string_view>
#include <thread>
#include <tuple>
#include <utility>
#include <vector>

#include "detail/walk_hooks.hpp"
#include "oscpp/files.hpp"
#include "oscpp/files_walk.hpp"
#include "support/support.hpp"
#include "walk_test_util.hpp"

namespace {

using walk_test::step;

// What a walk reported: its steps (lists sorted), and its errors as
// (errno, filename), both sorted.
struct report {
  std::vector<step> steps;
  std::vector<std::pair<int, std::string>> errors;
  bool operator==(const report&) const = default;
};

void add_error(report& r, const os::OSError& e) {
  r.errors.emplace_back(e.code().value(), e.filename().value_or(""));
}

void normalise(report& r) {
  std::sort(r.steps.begin(), r.steps.end());
  std::sort(r.errors.begin(), r.errors.end());
}

std::vector<std::string> names(const std::vector<os::DirEntry>& entries) {
  std::vector<std::string> out;
  for (const os::DirEntry& e : entries) out.push_back(e.name);
  return out;
}

// A visitor that records each directory; prune, if set, runs first and
// returns the names to erase from dirs (walk's body erases the same).
using prune_fn = std::function<std::vector<std::string>(const std::string&)>;

report of_walk(const std::string& top, bool followlinks,
               const prune_fn& prune = nullptr) {
  report r;
  for (auto& [root, dirs, files] :
       os::walk(top, {.onerror = [&](const os::OSError& e) { add_error(r, e); },
                     .followlinks = followlinks})) {
    if (prune)
      for (const std::string& n : prune(root)) std::erase(dirs, n);
    r.steps.push_back(walk_test::sorted(root, dirs, files));
  }
  normalise(r);
  return r;
}

report of_fwalk(const std::string& top, bool follow_symlinks) {
  report r;
  for (auto& [root, dirs, files, fd] : os::fwalk(
           top, {.onerror = [&](const os::OSError& e) { add_error(r, e); },
                .follow_symlinks = follow_symlinks}))
    r.steps.push_back(walk_test::sorted(root, dirs, files));
  normalise(r);
  return r;
}

// The visitor's half: records under a lock (the visitor runs on several
// threads at once).
struct recorder {
  std::mutex m;
  report r;
  prune_fn prune;

  void visit(os::walk_dir& d) {
    if (prune) {
      for (const std::string& n : prune(d.dirpath))
        std::erase_if(d.dirs,
                      [&](const os::DirEntry& e) { return e.name == n; });
    }
    std::lock_guard lock(m);
    r.steps.push_back(
        walk_test::sorted(d.dirpath, names(d.dirs), names(d.files)));
  }
  void error(const os::OSError& e) { add_error(r, e); }  // serialised
};

// parallel_walk (followlinks = follow), or parallel_fwalk
// (follow_symlinks = follow).
report of_parallel(bool fwalk, const std::string& top, bool follow,
                   unsigned threads, const prune_fn& prune = nullptr) {
  recorder rec;
  rec.prune = prune;
  os::walk_visitor visit = [&](os::walk_dir& d) { rec.visit(d); };
  auto onerror = [&](const os::OSError& e) { rec.error(e); };
  if (fwalk)
    os::parallel_fwalk(
        top, visit,
        {.threads = threads, .onerror = onerror, .follow_symlinks = follow});
  else
    os::parallel_walk(
        top, visit,
        {.threads = threads, .onerror = onerror, .followlinks = follow});
  normalise(rec.r);
  return rec.r;
}

report of_parallel_walk(const std::string& top, bool followlinks,
                        unsigned threads, const prune_fn& prune = nullptr) {
  return of_parallel(false, top, followlinks, threads, prune);
}

report of_parallel_fwalk(const std::string& top, bool follow_symlinks,
                         unsigned threads) {
  return of_parallel(true, top, follow_symlinks, threads);
}

// The walk's worker threads alive now: the threads of this process named
// "oscpp-walk", from /proc/self/task/*/comm. Threads of others (TSan's
// background thread, for one) do not count.
int walk_thread_count() {
  DIR* d = ::opendir("/proc/self/task");
  if (d == nullptr) return -1;
  int n = 0;
  while (struct dirent* e = ::readdir(d)) {
    if (e->d_name[0] == '.') continue;
    std::string comm = std::string("/proc/self/task/") + e->d_name + "/comm";
    int fd = ::open(comm.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd == -1) continue;  // exited meanwhile
    char name[32];
    ssize_t len = ::read(fd, name, sizeof name);
    ::close(fd);
    if (len > 0 && std::string_view(name, len) == "oscpp-walk\n") ++n;
  }
  ::closedir(d);
  return n;
}

// The workers left once none is (a joined thread may still be listed for
// a moment while the kernel finishes its exit), or after a second.
int settled_walk_thread_count() {
  int now = walk_thread_count();
  for (int i = 0; i < 100 && now != 0; ++i) {
    ::usleep(10000);
    now = walk_thread_count();
  }
  return now;
}

class ParallelWalk : public oscpp_test::TempDirTest {
 protected:
  void SetUp() override {
    TempDirTest::SetUp();
    walk_test::make_tree(dir());
    top = path("TEST1");
  }
  void mkdir(const std::string& rel, mode_t mode = 0755) {
    ASSERT_EQ(::mkdir(path(rel).c_str(), mode), 0) << rel;
  }
  void symlink(const std::string& target, const std::string& rel) {
    ASSERT_EQ(::symlink(target.c_str(), path(rel).c_str()), 0) << rel;
  }
  // Every comparison, for every thread count.
  void expect_same_as_walk(const std::string& t) {
    for (bool follow : {false, true}) {
      report want = of_walk(t, follow);
      report want_f = of_fwalk(t, follow);
      ASSERT_FALSE(want.steps.empty());
      for (unsigned threads : {1u, 2u, 4u}) {
        EXPECT_EQ(of_parallel_walk(t, follow, threads), want)
            << "followlinks=" << follow << " threads=" << threads;
        EXPECT_EQ(of_parallel_fwalk(t, follow, threads), want_f)
            << "follow_symlinks=" << follow << " threads=" << threads;
      }
    }
  }
  std::string top;
};

TEST_F(ParallelWalk, SameAsWalkOnCPythonsTree) {
  expect_same_as_walk(top);
  // The symlink to TEST2 is among dirnames, and followed only with
  // followlinks.
  report r = of_parallel_walk(top, true, 2);
  EXPECT_GE(walk_test::index_of(r.steps, top + "/SUB2/link"), 0);
  r = of_parallel_walk(top, false, 2);
  EXPECT_EQ(walk_test::index_of(r.steps, top + "/SUB2/link"), -1);
}

TEST_F(ParallelWalk, SameAsWalkWithSymlinkLoops) {
  // Loops in directories with no other subdirectory (so that following
  // them is a chain, not a tree growing exponentially): followed, walk goes
  // round until the kernel's symlink limit (ELOOP); fwalk reports each loop
  // once (ELOOP, a directory that is its own ancestor).
  symlink(".", "TEST1/SUB1/SUB11/self");
  symlink(dir() + "/TEST2", "TEST2/again");
  expect_same_as_walk(top);
  report r = of_parallel_walk(top, true, 2);
  EXPECT_FALSE(r.errors.empty());
  for (auto& [errnum, name] : r.errors) EXPECT_EQ(errnum, ELOOP) << name;
}

TEST_F(ParallelWalk, TopIsASymlinkOrMissingOrAFile) {
  symlink(top, "toplink");
  expect_same_as_walk(path("toplink"));
  // A missing top: walk reports it to onerror; fwalk raises.
  report r = of_parallel_walk(path("missing"), false, 2);
  EXPECT_EQ(r, of_walk(path("missing"), false));
  ASSERT_EQ(r.errors.size(), 1u);
  EXPECT_EQ(r.errors[0], std::make_pair(ENOENT, path("missing")));
  EXPECT_THROW(of_parallel_fwalk(path("missing"), false, 2),
               os::FileNotFoundError);
  // A file: nothing, and no error.
  EXPECT_EQ(of_parallel_fwalk(top + "/tmp1", false, 2), report{});
  report f = of_parallel_walk(top + "/tmp1", false, 2);
  EXPECT_EQ(f, of_walk(top + "/tmp1", false));
  ASSERT_EQ(f.errors.size(), 1u);
  EXPECT_EQ(f.errors[0].first, ENOTDIR);
}

// As root every directory is readable: the comparison runs as nobody.
TEST_F(ParallelWalk, SameAsWalkWithUnreadableDirectories) {
  mkdir("TEST1/noread", 0311);    // search, no read
  mkdir("TEST1/nosearch", 0644);  // read, no search
  mkdir("TEST1/none", 0);
  oscpp_test::write_file(path("TEST1/nosearch/f"), "x");
  mkdir("TEST1/nosearch/sub");
  mkdir("TEST1/noread/sub");
  ASSERT_EQ(::chmod(path("TEST1/nosearch").c_str(), 0644), 0);
  ASSERT_EQ(::chmod(dir().c_str(), 0755), 0);
  std::string t = top;
  int rc = oscpp_test::run_unprivileged([&] {
    for (bool follow : {false, true}) {
      report want = of_walk(t, follow);
      report want_f = of_fwalk(t, follow);
      // noread and none cannot be listed; nosearch's entries cannot be
      // opened (and its subdirectory is seen by d_type).
      if (want.errors.size() != 3) return 1;
      for (unsigned threads : {1u, 2u, 4u}) {
        if (of_parallel_walk(t, follow, threads) != want) return 2;
        if (of_parallel_fwalk(t, follow, threads) != want_f) return 3;
      }
    }
    return 0;
  });
  EXPECT_EQ(rc, 0);
}

// Directories removed by the visitor (walk's body removes the same ones)
// after their parent was listed: ENOENT to onerror, naming them.
TEST_F(ParallelWalk, SameAsWalkWithEntriesVanishing) {
  for (const char* d :
       {"TEST1/SUB1/gone", "TEST1/SUB1/gone/below", "TEST1/SUB2/gone2"})
    mkdir(d);
  auto remove = [&](const std::string& root) {
    if (root == top + "/SUB1") {
      ::rmdir((root + "/gone/below").c_str());
      ::rmdir((root + "/gone").c_str());
    }
    if (root == top + "/SUB2") ::rmdir((root + "/gone2").c_str());
    return std::vector<std::string>{};
  };
  report want = of_walk(top, false, remove);
  ASSERT_EQ(want.errors.size(), 2u);
  EXPECT_EQ(want.errors[0], std::make_pair(ENOENT, top + "/SUB1/gone"));
  for (unsigned threads : {1u, 2u, 4u}) {
    for (const char* d :
         {"TEST1/SUB1/gone", "TEST1/SUB1/gone/below", "TEST1/SUB2/gone2"})
      mkdir(d);
    EXPECT_EQ(of_parallel_walk(top, false, threads, remove), want)
        << "threads=" << threads;
  }
}

// Subdirectories replaced once their parent was listed: a file among dirs
// is ENOTDIR to onerror (fwalk raises it), naming the name; a symlink to a
// directory is skipped silently, as fwalk skips it; neither is entered.
TEST_F(ParallelWalk, ParallelFwalkDirectoriesReplacedByAFileOrASymlink) {
  for (unsigned threads : {1u, 2u, 4u}) {
    recorder rec;
    os::walk_visitor visit = [&](os::walk_dir& d) {
      if (d.depth == 0) {
        std::filesystem::remove_all(top + "/SUB1");
        oscpp_test::write_file(top + "/SUB1", "now a file");
        std::filesystem::remove_all(top + "/SUB2");
        ASSERT_EQ(::symlink("..", (top + "/SUB2").c_str()), 0);
      }
      rec.visit(d);
    };
    os::parallel_fwalk(
        top, visit, {.threads = threads, .onerror = [&](const os::OSError& e) {
                       rec.error(e);
                     }});
    normalise(rec.r);
    ASSERT_EQ(rec.r.steps.size(), 1u) << "threads=" << threads;
    EXPECT_EQ(std::get<0>(rec.r.steps[0]), top);
    EXPECT_EQ(rec.r.errors,
              (std::vector<std::pair<int, std::string>>{{ENOTDIR, "SUB1"}}))
        << "threads=" << threads;
    ASSERT_EQ(::unlink((top + "/SUB1").c_str()), 0);
    ASSERT_EQ(::unlink((top + "/SUB2").c_str()), 0);
    mkdir("TEST1/SUB1");
    mkdir("TEST1/SUB2");
  }
}

TEST_F(ParallelWalk, PrunedDirectoriesAreNotEntered) {
  auto prune = [&](const std::string& root) {
    return root == top ? std::vector<std::string>{"SUB1"}
                       : std::vector<std::string>{};
  };
  report want = of_walk(top, false, prune);
  EXPECT_EQ(walk_test::index_of(want.steps, top + "/SUB1"), -1);
  for (unsigned threads : {1u, 2u, 4u})
    EXPECT_EQ(of_parallel_walk(top, false, threads, prune), want);
}

// A directory comes before any directory below it; depth counts levels.
TEST_F(ParallelWalk, ParentsFirstAndDepth) {
  std::mutex m;
  std::vector<std::pair<std::string, std::size_t>> order;
  os::parallel_walk(top,
                    [&](os::walk_dir& d) {
                      std::lock_guard lock(m);
                      order.emplace_back(d.dirpath, d.depth);
                    },
                    {.threads = 4});
  ASSERT_EQ(order.size(), 4u);
  EXPECT_EQ(order[0], std::make_pair(top, std::size_t{0}));
  auto at = [&](const std::string& p) {
    for (std::size_t i = 0; i < order.size(); ++i)
      if (order[i].first == p) return i;
    return order.size();
  };
  EXPECT_LT(at(top + "/SUB1"), at(top + "/SUB1/SUB11"));
  EXPECT_EQ(order[at(top + "/SUB1/SUB11")].second, 2u);
}

// Entries are DirEntry objects with scandir's paths and caches: their
// types answer without a syscall, and dirfd is the directory.
TEST_F(ParallelWalk, EntriesAreDirEntriesWithTheirCache) {
  for (bool fwalk : {false, true}) {
    std::atomic<int> checked = 0;
    os::walk_visitor visit = [&](os::walk_dir& d) {
      if (d.dirpath != top + "/SUB2") return;
      for (auto* list : {&d.dirs, &d.files}) {
        for (const os::DirEntry& e : *list) {
          EXPECT_EQ(e.path, d.dirpath + "/" + e.name);
          // A broken link's stat failed: not cached, as in Python.
          if (e.name.find("broken") == std::string::npos) {
            EXPECT_TRUE(e.type_known()) << e.name;
          }
          EXPECT_TRUE(e.type_known({.follow_symlinks = false})) << e.name;
          EXPECT_EQ(e.inode(), os::lstat(e.path).st_ino);
          EXPECT_EQ(
              e.stat({.follow_symlinks = false}).st_ino,
              os::stat(e.name, {.dir_fd = d.dirfd, .follow_symlinks = false})
                  .st_ino);
          ++checked;
        }
      }
      ASSERT_EQ(names(d.dirs), std::vector<std::string>{"link"});
      EXPECT_TRUE(d.dirs[0].is_symlink());
      EXPECT_EQ(d.dirs[0].stat().st_ino, os::stat(dir() + "/TEST2").st_ino);
    };
    if (fwalk)
      os::parallel_fwalk(top, visit, {.threads = 2});
    else
      os::parallel_walk(top, visit, {.threads = 2});
    EXPECT_EQ(checked, 5) << "fwalk=" << fwalk;
  }
}

// Each worker refills the entries of the directory before: an entry that
// held a symlink's cached stats must not lend them to a plain file after
// it, however the visitor left the lists (kept, cleared, moved away).
TEST_F(ParallelWalk, ReusedEntriesCarryNothingOver) {
  // links/ (three symlinks, their stats cached) and files/ (three plain
  // files, nothing cached), entered in that order by one thread.
  mkdir("reuse");
  mkdir("reuse/links");
  mkdir("reuse/files");
  for (const char* n : {"x", "y", "z"}) {
    symlink(std::string("../files/") + n, std::string("reuse/links/l") + n);
    std::string f = path(std::string("reuse/files/") + n);
    ASSERT_EQ(::close(::open(f.c_str(), O_CREAT | O_WRONLY | O_CLOEXEC, 0600)),
              0);
  }
  for (bool fwalk : {false, true}) {
    for (int leave = 0; leave < 3; ++leave) {
      std::vector<os::DirEntry> stolen;
      int checked = 0;
      os::walk_visitor visit = [&](os::walk_dir& d) {
        // links/ first: one thread enters the first of dirs first.
        if (d.depth == 0)
          std::sort(d.dirs.begin(), d.dirs.end(),
                    [](auto& a, auto& b) { return a.name > b.name; });
        for (const os::DirEntry& e : d.files) {
          struct ::stat lst;
          ASSERT_EQ(::lstat(e.path.c_str(), &lst), 0) << e.path;
          EXPECT_EQ(e.path, d.dirpath + "/" + e.name);
          EXPECT_EQ(e.inode(), lst.st_ino) << e.path;
          EXPECT_EQ(e.is_symlink(), S_ISLNK(lst.st_mode)) << e.path;
          EXPECT_EQ(e.stat({.follow_symlinks = false}).st_ino, lst.st_ino)
              << e.path;
          EXPECT_EQ(e.stat().st_ino, os::stat(e.path).st_ino) << e.path;
          ++checked;
        }
        if (leave == 1) d.files.clear();
        if (leave == 2)
          for (os::DirEntry& e : d.files) stolen.push_back(std::move(e));
      };
      if (fwalk)
        os::parallel_fwalk(path("reuse"), visit, {.threads = 1});
      else
        os::parallel_walk(path("reuse"), visit, {.threads = 1});
      EXPECT_EQ(checked, 6) << "fwalk=" << fwalk << " leave=" << leave;
      // The stolen entries are whole (their strings were not reused).
      for (const os::DirEntry& e : stolen)
        EXPECT_EQ(e.path, path("reuse") + "/" +
                              (e.name[0] == 'l' ? "links/" : "files/") +
                              e.name);
    }
  }
}

// A bigger tree, so that the workers run concurrently (TSan's case).
TEST_F(ParallelWalk, SameAsWalkOnAWideTree) {
  for (int a = 0; a < 8; ++a) {
    std::string da = "TEST1/w" + std::to_string(a);
    mkdir(da);
    for (int b = 0; b < 8; ++b) {
      std::string db = da + "/x" + std::to_string(b);
      mkdir(db);
      for (int f = 0; f < 8; ++f)
        oscpp_test::write_file(path(db + "/f" + std::to_string(f)), "");
    }
  }
  expect_same_as_walk(top);
}

// Idle workers take directories queued by another: a chain 40 deep (one
// worker's, the others idle meanwhile) ending in 24 slow directories is
// visited by every worker.
TEST_F(ParallelWalk, IdleWorkersTakeQueuedDirectories) {
  std::string p = top + "/chain";
  ASSERT_EQ(::mkdir(p.c_str(), 0755), 0);
  for (int i = 0; i < 40; ++i) {
    p += "/c";
    ASSERT_EQ(::mkdir(p.c_str(), 0755), 0);
  }
  for (int i = 0; i < 24; ++i)
    ASSERT_EQ(::mkdir((p + "/slow" + std::to_string(i)).c_str(), 0755), 0);
  for (bool fwalk : {false, true}) {
    std::mutex m;
    std::set<std::thread::id> slow_visitors;
    int slow = 0;
    os::walk_visitor visit = [&](os::walk_dir& d) {
      if (d.dirpath.find("/slow") == std::string::npos) return;
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
      std::lock_guard lock(m);
      slow_visitors.insert(std::this_thread::get_id());
      ++slow;
    };
    if (fwalk)
      os::parallel_fwalk(top, visit, {.threads = 4});
    else
      os::parallel_walk(top, visit, {.threads = 4});
    EXPECT_EQ(slow, 24) << fwalk;
    EXPECT_EQ(slow_visitors.size(), 4u) << fwalk;
  }
}

// The visitor's exception stops the walk and reaches the caller; the
// workers are gone and every descriptor is closed.
// Set by the walk's stop hook: the walk has taken the exception.
std::atomic<bool> g_walk_stopped{false};

void on_walk_point(os::detail::walk_point p, int, const char*) {
  if (p == os::detail::walk_point::stopped) g_walk_stopped = true;
}

TEST_F(ParallelWalk, VisitorExceptionStopsTheWalkCleanly) {
  for (int a = 0; a < 20; ++a) mkdir("TEST1/SUB1/d" + std::to_string(a));
  std::set<int> fds = oscpp_test::open_fds();
  ASSERT_EQ(walk_thread_count(), 0);
  os::detail::walk_hook previous = os::detail::set_walk_hook(&on_walk_point);
  for (bool fwalk : {false, true}) {
    for (unsigned n : {1u, 2u, 4u}) {
      std::atomic<int> visits = 0;
      std::atomic<int> workers = -1;
      g_walk_stopped = false;
      os::walk_visitor visit = [&](os::walk_dir& d) {
        // Top is visited by the calling thread with the others started:
        // the count sees them.
        if (d.depth == 0) workers = walk_thread_count();
        int v = ++visits;
        if (v == 3) throw std::runtime_error("stop here");
        // A visit begun after the third is held until the walk has taken
        // the exception (an exception's unwinding is slow under a
        // sanitizer; without this the other workers could visit every
        // directory before it arrives). Bounded, so that a walk that never
        // stops fails the count instead of hanging.
        for (int i = 0; v > 3 && !g_walk_stopped && i < 10000; ++i)
          std::this_thread::sleep_for(std::chrono::milliseconds(1));
      };
      try {
        if (fwalk)
          os::parallel_fwalk(top, visit, {.threads = n});
        else
          os::parallel_walk(top, visit, {.threads = n});
        ADD_FAILURE() << "no exception";
      } catch (const std::runtime_error& e) {
        EXPECT_STREQ(e.what(), "stop here");
      }
      // Once stopped, no visit starts: besides the three, at most one per
      // other worker was under way.
      EXPECT_LE(visits, 3 + static_cast<int>(n) - 1) << n << " threads";
      EXPECT_TRUE(g_walk_stopped);
      EXPECT_EQ(workers, static_cast<int>(n) - 1);
      EXPECT_EQ(oscpp_test::open_fds(), fds);
      EXPECT_EQ(settled_walk_thread_count(), 0);
    }
  }
  os::detail::set_walk_hook(previous);
}

TEST_F(ParallelWalk, OnerrorExceptionStopsTheWalkCleanly) {
  std::set<int> fds = oscpp_test::open_fds();
  ASSERT_EQ(walk_thread_count(), 0);
  symlink(".", "TEST1/SUB1/self");
  for (bool fwalk : {false, true}) {
    auto onerror = [](const os::OSError& e) { throw e; };
    try {
      if (fwalk)
        os::parallel_fwalk(
            top, [](os::walk_dir&) {},
            {.threads = 2, .onerror = onerror, .follow_symlinks = true});
      else
        os::parallel_walk(
            top, [](os::walk_dir&) {},
            {.threads = 2, .onerror = onerror, .followlinks = true});
      ADD_FAILURE() << "no exception";
    } catch (const os::OSError& e) {
      EXPECT_EQ(e.code().value(), ELOOP);
    }
    EXPECT_EQ(oscpp_test::open_fds(), fds);
    EXPECT_EQ(settled_walk_thread_count(), 0);
  }
}

#if OSCPP_HAVE_STOP_TOKEN
// A stop request ends the walk early without an error (the stop option
// exists only where the C++ library has std::stop_token).
TEST_F(ParallelWalk, StopTokenCancels) {
  for (int a = 0; a < 20; ++a) mkdir("TEST1/SUB1/d" + std::to_string(a));
  std::set<int> fds = oscpp_test::open_fds();
  ASSERT_EQ(walk_thread_count(), 0);
  for (bool fwalk : {false, true}) {
    std::stop_source source;
    std::atomic<int> visits = 0;
    os::walk_visitor visit = [&](os::walk_dir&) {
      if (++visits == 2) source.request_stop();
    };
    if (fwalk)
      os::parallel_fwalk(top, visit,
                         {.threads = 2, .stop = source.get_token()});
    else
      os::parallel_walk(top, visit, {.threads = 2, .stop = source.get_token()});
    EXPECT_GE(visits, 2);
    EXPECT_LT(visits, 10);
    EXPECT_EQ(oscpp_test::open_fds(), fds);
    EXPECT_EQ(settled_walk_thread_count(), 0);
    // Stopped before it starts: nothing is visited.
    visits = 0;
    os::parallel_walk(top, visit, {.stop = source.get_token()});
    EXPECT_EQ(visits, 0);
  }
}
#endif

TEST_F(ParallelWalk, DefaultThreadCountWorks) {
  std::atomic<int> visits = 0;
  os::parallel_walk(top, [&](os::walk_dir&) { ++visits; });
  EXPECT_EQ(visits, 4);
}

// A comb 150 levels deep (each level: the next one and a leaf) under a
// 64-descriptor limit holds more directories waiting than descriptors
// allowed, so parallel_fwalk reopens parents from their ancestors.
TEST_F(ParallelWalk, CombUnderTheDescriptorLimit) {
  std::string p = top + "/comb";
  ASSERT_EQ(::mkdir(p.c_str(), 0755), 0);
  // Names differ per level, so that the listing order (a hash order on
  // some file systems) puts the leaf first at some levels and last at
  // others: where it is last, the level waits with its descriptor.
  for (int i = 0; i < 150; ++i) {
    std::string leaf = p + "/l" + std::to_string(i);
    ASSERT_EQ(::mkdir(leaf.c_str(), 0755), 0);
    ASSERT_EQ(::mkdir((leaf + "/a").c_str(), 0755), 0);
    p += "/n" + std::to_string(i);
    ASSERT_EQ(::mkdir(p.c_str(), 0755), 0);
  }
  report want = of_walk(top, false);
  report want_f = of_fwalk(top, false);
  ASSERT_GT(want.steps.size(), 450u);
  int rc = walk_test::with_fd_limit([&] {
    for (unsigned threads : {1u, 2u, 4u}) {
      std::set<int> fds = oscpp_test::open_fds();
      if (of_parallel_walk(top, false, threads) != want) return 1;
      if (of_parallel_fwalk(top, false, threads) != want_f) return 2;
      if (oscpp_test::open_fds() != fds) return 3;
    }
    return 0;
  });
  EXPECT_EQ(rc, 0);
}

}  // namespace
