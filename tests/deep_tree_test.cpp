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
#include <set>
#include <string>
#include <vector>

#include "oscpp/files.hpp"
#include "support/support.hpp"

namespace {

constexpr int kDepth = 5000;
constexpr rlim_t kFdLimit = 64;

// base/d/d/.../d, kDepth levels below base, made through descriptors since
// the paths are too long for mkdir.
void make_deep(const std::string& base) {
  ASSERT_EQ(::mkdir(base.c_str(), 0755), 0);
  int fd = ::open(base.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  ASSERT_GE(fd, 0);
  for (int i = 0; i < kDepth; ++i) {
    ASSERT_EQ(::mkdirat(fd, "d", 0755), 0);
    int child = ::openat(fd, "d", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    ::close(fd);
    ASSERT_GE(child, 0);
    fd = child;
  }
  ::close(fd);
}

// Removes what make_deep made (the fixture's cleanup cannot: the paths are
// too long), holding two descriptors at most.
void remove_deep(const std::string& base) {
  int fd = ::open(base.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return;
  int depth = 0;
  for (int child;
       (child = ::openat(fd, "d",
                         O_RDONLY | O_DIRECTORY | O_CLOEXEC | O_NOFOLLOW)) >= 0;
       ++depth) {
    ::close(fd);
    fd = child;
  }
  for (; depth > 0; --depth) {
    int parent = ::openat(fd, "..", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    ::close(fd);
    ASSERT_GE(parent, 0);
    ASSERT_EQ(::unlinkat(parent, "d", AT_REMOVEDIR), 0);
    fd = parent;
  }
  ::close(fd);
  ASSERT_EQ(::rmdir(base.c_str()), 0);
}

// Runs fn in a child limited to 64 descriptors; its return value is the
// child's exit code (0: passed; 100: it threw), 128+signal if it crashed.
int with_fd_limit(const std::function<int()>& fn) {
  pid_t pid = ::fork();
  if (pid == 0) {
    struct rlimit rl = {kFdLimit, kFdLimit};
    if (::setrlimit(RLIMIT_NOFILE, &rl) != 0) ::_exit(125);
    int rc = 100;
    try {
      rc = fn();
    } catch (const std::exception& e) {
      std::fprintf(stderr, "child: %s\n", e.what());
    }
    ::_exit(rc);
  }
  if (pid < 0) return -1;
  int status = 0;
  while (::waitpid(pid, &status, 0) == -1 && errno == EINTR) {
  }
  if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
  return WEXITSTATUS(status);
}

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

}  // namespace
