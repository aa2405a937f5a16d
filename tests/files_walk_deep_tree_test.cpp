// walk and fwalk on a tree 5000 directories deep (its paths far longer than
// PATH_MAX) under a 64-descriptor limit: each finishes or stops with a
// clean OSError; never a crash, a hang, a leaked descriptor or a silent
// partial result.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <climits>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <functional>
#include <mutex>
#include <set>
#include <string>
#include <vector>

#include "oscpp/files.hpp"
#include "oscpp/parallel_walk.hpp"
#include "support/support.hpp"
#include "walk_test_util.hpp"

namespace {

using walk_test::kDepth;
using walk_test::make_deep;
using walk_test::remove_deep;
using walk_test::with_fd_limit;

// One tree for the whole suite: making and removing 5000 directories is
// slow on some disks, so it goes to /dev/shm when there is one.
class DeepTree : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    const char* env = std::getenv("TMPDIR");
    struct ::stat st;
    std::string parent = ::stat("/dev/shm", &st) == 0 && S_ISDIR(st.st_mode)
                             ? "/dev/shm"
                         : env && *env ? env
                                       : "/tmp";
    std::string tmpl = parent + "/oscpp-deep-XXXXXX";
    ASSERT_NE(::mkdtemp(tmpl.data()), nullptr);
    root_ = new std::string(tmpl);
    make_deep(*root_ + "/deep");
  }
  static void TearDownTestSuite() {
    if (root_ == nullptr) return;
    remove_deep(*root_ + "/deep");
    ::rmdir(root_->c_str());
    delete root_;
    root_ = nullptr;
  }
  void SetUp() override {
    ASSERT_NE(root_, nullptr);
    base = *root_ + "/deep";
  }
  std::string path(const std::string& name) const {
    return *root_ + "/" + name;
  }
  // The path of the directory k levels below base.
  std::string at_depth(int k) const {
    std::string p = base;
    for (int i = 0; i < k; ++i) p += "/d";
    return p;
  }
  static std::string* root_;
  std::string base;
};
std::string* DeepTree::root_ = nullptr;

// Python's walk opens each directory by path: the first path of PATH_MAX
// bytes or more fails with ENAMETOOLONG, which goes to onerror.
TEST_F(DeepTree, WalkStopsAtPathMaxWithOneCleanError) {
  int reachable = 0;  // directories whose path is shorter than PATH_MAX
  while (at_depth(reachable).size() < PATH_MAX) ++reachable;
  std::string first_too_long = at_depth(reachable);
  for (bool topdown : {true, false}) {
    int rc = with_fd_limit([&] {
      std::set<int> before = oscpp_test::open_fds();
      std::vector<os::OSError> errors;
      int steps = 0;
      for (auto& [root, dirs, files] : os::walk(
               base, {.topdown = topdown, .onerror = [&](const os::OSError& e) {
                        errors.push_back(e);
                      }})) {
        int k = topdown ? steps : reachable - 1 - steps;
        if (root != at_depth(k)) return 1;
        if (dirs != std::vector<std::string>{"d"} || !files.empty()) return 2;
        ++steps;
      }
      if (steps != reachable) return 3;
      if (errors.size() != 1) return 4;
      if (errors[0].code().value() != ENAMETOOLONG) return 5;
      if (errors[0].filename() != first_too_long) return 6;
      if (oscpp_test::open_fds() != before) return 7;
      // An onerror that raises stops the walk with that OSError.
      try {
        for ([[maybe_unused]] auto& s :
             os::walk(base, {.topdown = topdown,
                            .onerror = [](const os::OSError& e) { throw e; }}))
          ;
        return 8;
      } catch (const os::OSError& e) {
        if (e.code().value() != ENAMETOOLONG) return 9;
      }
      return oscpp_test::open_fds() == before ? 0 : 10;
    });
    EXPECT_EQ(rc, 0) << "topdown=" << topdown;
  }
}

// fwalk holds a descriptor per level; past the limit it closes the oldest
// ancestors and reopens them through ".." (checking st_dev/st_ino) on the
// way back, so it finishes.
TEST_F(DeepTree, FwalkFinishesUnderTheDescriptorLimit) {
  for (bool topdown : {true, false}) {
    int rc = with_fd_limit([&] {
      std::set<int> before = oscpp_test::open_fds();
      std::vector<os::OSError> errors;
      int steps = 0;
      for (auto& [root, dirs, files, fd] : os::fwalk(
               base, {.topdown = topdown, .onerror = [&](const os::OSError& e) {
                        errors.push_back(e);
                      }})) {
        int k = topdown ? steps : kDepth - steps;
        if (root.size() != base.size() + 2 * static_cast<std::size_t>(k))
          return 1;
        if (dirs.size() != (k < kDepth ? 1u : 0u) || !files.empty()) return 2;
        // The yielded descriptor is this directory (checked without a
        // descriptor to spare: the walk may be using all of them).
        auto below = os::nothrow::stat("d", {.dir_fd = fd});
        if (below.has_value() != (k < kDepth)) return 3;
        ++steps;
      }
      if (!errors.empty()) return 10 + errors[0].code().value();
      if (steps != kDepth + 1) return 4;
      return oscpp_test::open_fds() == before ? 0 : 5;
    });
    EXPECT_EQ(rc, 0) << "topdown=" << topdown;
  }
}

// A directory moved while its descriptor was released cannot be reopened
// safely: the walk of its ancestors ends with an error for onerror.
TEST_F(DeepTree, FwalkReportsAnAncestorMovedWhileReleased) {
  std::string moved = path("moved");
  int rc = with_fd_limit([&] {
    std::set<int> before = oscpp_test::open_fds();
    std::vector<os::OSError> errors;
    int steps = 0;
    for ([[maybe_unused]] auto& s : os::fwalk(
             base,
             {.onerror = [&](const os::OSError& e) { errors.push_back(e); }})) {
      // Deep enough that level 2's descriptor was released: move level 3
      // (with everything below) out from under it.
      if (++steps == 200 && ::rename(at_depth(3).c_str(), moved.c_str()) != 0)
        return 1;
    }
    if (steps != kDepth + 1) return 2;
    if (errors.size() != 1) return 3;
    if (errors[0].code().value() != ENOENT) return 4;
    if (errors[0].filename() != at_depth(2)) return 5;
    return oscpp_test::open_fds() == before ? 0 : 6;
  });
  EXPECT_EQ(rc, 0);
  // Put it back for the cleanup.
  ASSERT_EQ(::rename(moved.c_str(), at_depth(3).c_str()), 0);
}

// The parallel walks at depth 5000 under the limit, on 1, 2 and 4 threads:
// parallel_walk stops where walk does (ENAMETOOLONG, the same directories);
// parallel_fwalk visits all 5001 directories, as fwalk does.
TEST_F(DeepTree, ParallelWalksUnderTheDescriptorLimit) {
  int reachable = 0;
  while (at_depth(reachable).size() < PATH_MAX) ++reachable;
  for (unsigned threads : {1u, 2u, 4u}) {
    int rc = with_fd_limit([&] {
      std::set<int> before = oscpp_test::open_fds();
      std::mutex m;
      std::vector<os::OSError> errors;
      std::set<std::size_t> depths;
      bool wrong = false;
      auto onerror = [&](const os::OSError& e) { errors.push_back(e); };
      os::walk_visitor visit = [&](os::walk_dir& d) {
        std::lock_guard lock(m);
        depths.insert(d.depth);
        if (d.dirpath != at_depth(static_cast<int>(d.depth))) wrong = true;
        if (d.dirs.size() != (d.depth < kDepth ? 1u : 0u)) wrong = true;
      };
      os::parallel_walk(base, visit, {.threads = threads, .onerror = onerror});
      if (wrong) return 1;
      if (depths.size() != static_cast<std::size_t>(reachable) ||
          *depths.rbegin() != static_cast<std::size_t>(reachable - 1))
        return 2;
      if (errors.size() != 1 || errors[0].code().value() != ENAMETOOLONG ||
          errors[0].filename() != at_depth(reachable))
        return 3;
      depths.clear();
      errors.clear();
      os::parallel_fwalk(base, visit, {.threads = threads, .onerror = onerror});
      if (wrong) return 4;
      if (!errors.empty()) return 10 + errors[0].code().value();
      if (depths.size() != kDepth + 1) return 5;
      return oscpp_test::open_fds() == before ? 0 : 6;
    });
    EXPECT_EQ(rc, 0) << "threads=" << threads;
  }
}

}  // namespace
