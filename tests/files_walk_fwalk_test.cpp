// fwalk. Expected steps and errors follow CPython 3.11's os.fwalk (and its
// FwalkTests), checked against python3 on Linux; the differences the
// header documents are tested as such.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <map>
#include <ranges>
#include <set>
#include <stdexcept>
#include <string>
#include <typeinfo>
#include <vector>

#include "files_test_util.hpp"
#include "oscpp/files.hpp"
#include "support/support.hpp"
#include "walk_test_util.hpp"

namespace {

using walk_test::names;
using walk_test::sorted;
using walk_test::step;

static_assert(std::ranges::input_range<os::fwalk_range>);

class Fwalk : public walk_test::TreeTest {
 protected:
  std::vector<step> all(const std::string& p, os::fwalk_options opts = {}) {
    std::vector<step> out;
    for (auto& [root, dirs, files, fd] : os::fwalk(p, std::move(opts)))
      out.push_back(sorted(root, dirs, files));
    return out;
  }

  using listing =
      std::map<std::string,
               std::pair<std::set<std::string>, std::set<std::string>>>;
  static void add(listing& l, const std::string& root,
                  const std::vector<std::string>& dirs,
                  const std::vector<std::string>& files) {
    l[root] = {{dirs.begin(), dirs.end()}, {files.begin(), files.end()}};
  }

  // An error recorded by onerror, with its dynamic type.
  struct recorded {
    const std::type_info* type;
    int errnum;
    std::optional<std::string> filename;
  };
  std::function<void(const os::OSError&)> recorder(std::vector<recorded>& out) {
    return [&out](const os::OSError& e) {
      out.push_back({&typeid(e), e.code().value(), e.filename()});
    };
  }
};

// CPython's test_compare_to_walk, with and without dir_fd.
TEST_F(Fwalk, SameStepsAsWalk) {
  os::unique_fd base(::open(dir().c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  ASSERT_TRUE(base);
  for (bool topdown : {true, false}) {
    for (bool follow : {true, false}) {
      listing expected, got, got_relative;
      for (auto& [root, dirs, files] :
           os::walk(top, {.topdown = topdown, .followlinks = follow}))
        add(expected, root, dirs, files);
      for (auto& [root, dirs, files, fd] :
           os::fwalk(top, {.topdown = topdown, .follow_symlinks = follow}))
        add(got, root, dirs, files);
      for (auto& [root, dirs, files, fd] : os::fwalk(
               "TEST1",
               {.topdown = topdown, .follow_symlinks = follow, .dir_fd = base}))
        add(got_relative, dir() + "/" + root, dirs, files);
      EXPECT_EQ(got, expected) << topdown << follow;
      EXPECT_EQ(got_relative, expected) << topdown << follow;
      EXPECT_EQ(expected.size(), follow ? 5u : 4u);
    }
  }
}

TEST_F(Fwalk, YieldsAnOpenRewoundCloexecDescriptorPerDirectory) {
  std::set<int> before = oscpp_test::open_fds();
  for (bool topdown : {true, false}) {
    for (bool follow : {true, false}) {
      for (auto& [root, dirs, files, fd] :
           os::fwalk(top, {.topdown = topdown, .follow_symlinks = follow})) {
        EXPECT_TRUE(oscpp_test::is_cloexec(fd));
        EXPECT_EQ(os::stat(fd).st_ino, os::stat(root).st_ino);
        std::vector<std::string> listed = os::listdir(fd);
        std::set<std::string> want(dirs.begin(), dirs.end());
        want.insert(files.begin(), files.end());
        EXPECT_EQ(std::set<std::string>(listed.begin(), listed.end()), want);
      }
    }
  }
  EXPECT_EQ(oscpp_test::open_fds(), before);
}

TEST_F(Fwalk, ManyWalksLeakNothing) {
  // CPython's test_fd_leak.
  std::set<int> before = oscpp_test::open_fds();
  for (int i = 0; i < 256; ++i)
    for ([[maybe_unused]] auto& s : os::fwalk(dir())) {
    }
  EXPECT_EQ(oscpp_test::open_fds(), before);
  // Abandoned half-way: the held descriptors are closed with the range.
  {
    auto w = os::fwalk(dir());
    auto it = w.begin();
    ++it;
    ++it;
  }
  EXPECT_EQ(oscpp_test::open_fds(), before);
}

TEST_F(Fwalk, TopDownOrderAndPruning) {
  std::vector<step> steps;
  for (auto& [root, dirs, files, fd] : os::fwalk(top)) {
    std::erase(dirs, "SUB1");
    steps.push_back(sorted(root, dirs, files));
  }
  ASSERT_EQ(steps.size(), 2u);
  EXPECT_EQ(steps[0], step(top, {"SUB2"}, {"tmp1"}));
  EXPECT_EQ(steps[1],
            step(sub2, {"link"},
                 {"broken_link", "broken_link2", "broken_link3", "tmp3"}));
}

TEST_F(Fwalk, BottomUpYieldsChildrenFirst) {
  std::vector<std::string> roots;
  for (auto& [root, dirs, files, fd] : os::fwalk(top, {.topdown = false}))
    roots.push_back(root);
  ASSERT_EQ(roots.size(), 4u);
  EXPECT_EQ(roots.back(), top);
  auto at = [&](const std::string& p) {
    return std::find(roots.begin(), roots.end(), p) - roots.begin();
  };
  EXPECT_LT(at(sub1 + "/SUB11"), at(sub1));
}

TEST_F(Fwalk, TopErrorsRaise) {
  ASSERT_EQ(::symlink("nowhere", path("dangling").c_str()), 0);
  for (bool follow : {false, true}) {
    EXPECT_OS_ERROR(
        os::fwalk(path("missing"), {.follow_symlinks = follow}).begin(),
        os::FileNotFoundError, ENOENT, path("missing"));
    // Python opens top even when it is a symlink: a dangling one raises.
    EXPECT_OS_ERROR(
        os::fwalk(path("dangling"), {.follow_symlinks = follow}).begin(),
        os::FileNotFoundError, ENOENT, path("dangling"));
    EXPECT_OS_ERROR(os::fwalk("", {.follow_symlinks = follow}).begin(),
                    os::FileNotFoundError, ENOENT, "");
  }
  EXPECT_OS_ERROR(os::fwalk("TEST1", {.dir_fd = files_test::kBadFd}).begin(),
                  os::OSError, EBADF, "TEST1");
  // A file: nothing without follow_symlinks; with it, Python's scandir of
  // the descriptor fails (Python names the descriptor, oscpp the path).
  EXPECT_TRUE(all(top + "/tmp1").empty());
  EXPECT_OS_ERROR(os::fwalk(top + "/tmp1", {.follow_symlinks = true}).begin(),
                  os::NotADirectoryError, ENOTDIR, top + "/tmp1");
}

TEST_F(Fwalk, SymlinkTopIsFollowedOnlyWithFollowSymlinks) {
  std::string link = sub2 + "/link";
  EXPECT_TRUE(all(link).empty());
  std::vector<step> steps = all(link, {.follow_symlinks = true});
  ASSERT_EQ(steps.size(), 1u);
  EXPECT_EQ(steps[0], step(link, {}, {"tmp4"}));
}

TEST_F(Fwalk, UnreadableDirectoryGoesToOnerrorNamedRelatively) {
  ASSERT_EQ(::mkdir((sub2 + "/SUB21").c_str(), 0), 0);
  ASSERT_EQ(::chmod(dir().c_str(), 0755), 0);
  std::string t = top;
  int rc = oscpp_test::run_unprivileged([&] {
    std::vector<recorded> errors;
    int n = 0;
    for ([[maybe_unused]] auto& s : os::fwalk(t, {.onerror = recorder(errors)}))
      ++n;
    if (n != 4) return 10 + n;
    if (errors.size() != 1) return 20;
    // Python's fwalk opens relative to the parent: the bare name.
    return *errors[0].type == typeid(os::PermissionError) &&
                   errors[0].errnum == EACCES && errors[0].filename == "SUB21"
               ? 0
               : 30;
  });
  EXPECT_EQ(rc, 0);
}

TEST_F(Fwalk, DirectorySwappedForASymlinkIsSkippedSilently) {
  std::vector<recorded> errors;
  std::vector<std::string> roots;
  for (auto& [root, dirs, files, fd] :
       os::fwalk(top, {.onerror = recorder(errors)})) {
    roots.push_back(root);
    if (root == top) {
      // After the listing, before the descent: Python's inode check skips
      // it; O_NOFOLLOW refuses it besides.
      swap_sub1_for_a_symlink();
    }
  }
  EXPECT_EQ(roots, (names{top, sub2}));
  EXPECT_TRUE(errors.empty());
}

// Python (3.11 and 3.13): a name of dirnames that is a file (or a FIFO, on
// which 3.11 hangs) when the walk descends into it raises
// NotADirectoryError out of the walk, which ends there; onerror is not
// called (Python names the descriptor, oscpp the name).
TEST_F(Fwalk, DirectoryReplacedByAFileRaisesNotADirectory) {
  std::vector<recorded> errors;
  auto walk = os::fwalk(top, {.onerror = recorder(errors)});
  auto it = walk.begin();
  ASSERT_EQ(it->dirpath, top);
  ASSERT_EQ(::rename(sub1.c_str(), path("elsewhere").c_str()), 0);
  oscpp_test::write_file(sub1, "");
  try {
    ++it;
    ADD_FAILURE() << "no exception";
  } catch (const os::NotADirectoryError& e) {
    EXPECT_EQ(e.code().value(), ENOTDIR);
    EXPECT_EQ(e.filename(), "SUB1");
  }
  EXPECT_TRUE(errors.empty());
  EXPECT_EQ(walk.next(), nullptr);  // the walk has ended
}

TEST_F(Fwalk, FifoInDirnamesRaisesWithoutBlocking) {
  ASSERT_EQ(::mkfifo(path("TEST1/pipe").c_str(), 0600), 0);
  std::vector<recorded> errors;
  auto walk = os::fwalk(top, {.onerror = recorder(errors)});
  auto it = walk.begin();
  auto& [root, dirs, files, fd] = *it;
  ASSERT_EQ(root, top);
  ASSERT_EQ(std::count(files.begin(), files.end(), "pipe"), 1);
  dirs = {"pipe"};
  try {
    ++it;
    ADD_FAILURE() << "no exception";
  } catch (const os::NotADirectoryError& e) {
    EXPECT_EQ(e.filename(), "pipe");
  }
  EXPECT_TRUE(errors.empty());
  EXPECT_EQ(walk.next(), nullptr);
}

TEST_F(Fwalk, AncestorReachedThroughASymlinkIsALoop) {
  ASSERT_EQ(::symlink("..", (sub1 + "/up").c_str()), 0);
  std::vector<recorded> errors;
  std::vector<std::string> roots;
  for (auto& [root, dirs, files, fd] :
       os::fwalk(top, {.onerror = recorder(errors), .follow_symlinks = true}))
    roots.push_back(root);
  // TEST1, SUB1, SUB11, SUB2, SUB2/link: "up" is TEST1 again.
  EXPECT_EQ(roots.size(), 5u);
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].errnum, ELOOP);
  EXPECT_EQ(errors[0].filename, "up");
  // Without follow_symlinks the link is a directory name never entered.
  errors.clear();
  EXPECT_EQ(all(top, {.onerror = recorder(errors)}).size(), 4u);
  EXPECT_TRUE(errors.empty());
}

TEST_F(Fwalk, OnerrorMayThrowToStopTheWalk) {
  auto w = os::fwalk(top, {.onerror = [](const os::OSError& e) {
                       throw std::runtime_error(e.what());
                     }});
  auto it = w.begin();
  it->dirnames = {"missing"};
  EXPECT_THROW(++it, std::runtime_error);
}

}  // namespace
