// walk. Expected steps and errors follow CPython 3.11's os.walk (and its
// WalkTests), checked against python3 on Linux.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <climits>
#include <ranges>
#include <stdexcept>
#include <string>
#include <typeinfo>
#include <vector>

#include "oscpp/files.hpp"
#include "support/support.hpp"
#include "walk_test_util.hpp"

namespace {

using walk_test::index_of;
using walk_test::names;
using walk_test::sorted;
using walk_test::step;

static_assert(std::ranges::input_range<os::walk_range>);
static_assert(std::input_iterator<os::walk_range::iterator>);

class Walk : public walk_test::TreeTest {
 protected:
  std::vector<step> all(const std::string& p, os::walk_options opts = {}) {
    std::vector<step> out;
    for (auto& [root, dirs, files] : os::walk(p, std::move(opts)))
      out.push_back(sorted(root, dirs, files));
    return out;
  }

  step sub2_step() const {
    return {sub2,
            {"link"},
            {"broken_link", "broken_link2", "broken_link3", "tmp3"}};
  }
};

TEST_F(Walk, TopDownYieldsEachDirectoryBeforeItsChildren) {
  std::vector<step> steps = all(top);
  ASSERT_EQ(steps.size(), 4u);
  EXPECT_EQ(steps[0], step(top, {"SUB1", "SUB2"}, {"tmp1"}));
  int i1 = index_of(steps, sub1), i11 = index_of(steps, sub11),
      i2 = index_of(steps, sub2);
  ASSERT_GE(i1, 1);
  ASSERT_GE(i2, 1);
  EXPECT_EQ(i11, i1 + 1);
  EXPECT_EQ(steps[i1], step(sub1, {"SUB11"}, {"tmp2"}));
  EXPECT_EQ(steps[i11], step(sub11, {}, {}));
  // link (to a directory) is listed as a directory but not entered.
  EXPECT_EQ(steps[i2], sub2_step());
}

TEST_F(Walk, BottomUpYieldsChildrenFirst) {
  std::vector<step> steps = all(top, {.topdown = false});
  ASSERT_EQ(steps.size(), 4u);
  EXPECT_EQ(steps[3], step(top, {"SUB1", "SUB2"}, {"tmp1"}));
  int i1 = index_of(steps, sub1), i11 = index_of(steps, sub11),
      i2 = index_of(steps, sub2);
  EXPECT_EQ(i1, i11 + 1);
  EXPECT_EQ(steps[i1], step(sub1, {"SUB11"}, {"tmp2"}));
  EXPECT_EQ(steps[i2], sub2_step());
}

TEST_F(Walk, PruningDirnamesInPlaceSkipsThem) {
  std::vector<step> steps;
  for (auto& [root, dirs, files] : os::walk(top)) {
    std::erase(dirs, "SUB1");
    steps.push_back(sorted(root, dirs, files));
  }
  ASSERT_EQ(steps.size(), 2u);
  EXPECT_EQ(steps[0], step(top, {"SUB2"}, {"tmp1"}));
  EXPECT_EQ(steps[1], sub2_step());
}

TEST_F(Walk, DirnamesOrderAndAdditionsAreHonoured) {
  std::vector<std::string> roots;
  for (auto& [root, dirs, files] : os::walk(top)) {
    roots.push_back(root);
    // Python's for loop visits what the list holds when it gets there.
    if (root == top) dirs = {"SUB2", "SUB1/SUB11", "missing"};
  }
  EXPECT_EQ(roots, (names{top, sub2, sub11}));
}

TEST_F(Walk, PruningBottomUpHasNoEffect) {
  std::vector<std::string> roots;
  for (auto& [root, dirs, files] : os::walk(top, {.topdown = false})) {
    roots.push_back(root);
    dirs.clear();
  }
  EXPECT_EQ(roots.size(), 4u);
}

TEST_F(Walk, FollowlinksEntersSymlinkedDirectories) {
  for (bool topdown : {true, false}) {
    std::vector<step> steps =
        all(top, {.topdown = topdown, .followlinks = true});
    int i = index_of(steps, sub2 + "/link");
    ASSERT_GE(i, 0) << "topdown=" << topdown;
    EXPECT_EQ(steps[i], step(sub2 + "/link", {}, {"tmp4"}));
    EXPECT_EQ(steps.size(), 5u);
  }
}

TEST_F(Walk, SymlinkTopIsFollowed) {
  // Python: walk('link') lists the target even without followlinks.
  std::vector<step> steps = all(sub2 + "/link");
  ASSERT_EQ(steps.size(), 1u);
  EXPECT_EQ(steps[0], step(sub2 + "/link", {}, {"tmp4"}));
}

TEST_F(Walk, ErrorsGoToOnerrorWithPythonsTypes) {
  std::vector<std::pair<const std::type_info*, os::OSError>> errors;
  auto onerror = [&](const os::OSError& e) {
    errors.emplace_back(&typeid(e), e);
  };
  EXPECT_TRUE(all(path("missing"), {.onerror = onerror}).empty());
  EXPECT_TRUE(all(top + "/tmp1", {.onerror = onerror}).empty());
  EXPECT_TRUE(all("", {.onerror = onerror}).empty());
  ASSERT_EQ(errors.size(), 3u);
  EXPECT_EQ(*errors[0].first, typeid(os::FileNotFoundError));
  EXPECT_EQ(errors[0].second.code().value(), ENOENT);
  EXPECT_EQ(errors[0].second.filename(), path("missing"));
  EXPECT_EQ(*errors[1].first, typeid(os::NotADirectoryError));
  EXPECT_EQ(errors[1].second.filename(), top + "/tmp1");
  EXPECT_EQ(*errors[2].first, typeid(os::FileNotFoundError));
  EXPECT_EQ(errors[2].second.filename(), "");
  // Without onerror, errors are ignored, as in Python.
  EXPECT_TRUE(all(path("missing")).empty());
}

TEST_F(Walk, DirectoryRemovedAfterItWasListedIsReported) {
  // CPython's test_walk_bad_dir.
  std::vector<os::OSError> errors;
  auto w = os::walk(
      top, {.onerror = [&](const os::OSError& e) { errors.push_back(e); }});
  auto it = w.begin();
  ASSERT_NE(it, w.end());
  ASSERT_EQ(::rename(sub1.c_str(), (sub1 + ".new").c_str()), 0);
  std::vector<std::string> roots;
  for (++it; it != w.end(); ++it) roots.push_back(it->dirpath);
  EXPECT_EQ(roots, names{sub2});
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].code().value(), ENOENT);
  EXPECT_EQ(errors[0].filename(), sub1);
}

TEST_F(Walk, DirectorySwappedForASymlinkIsNotEntered) {
  std::vector<os::OSError> errors;
  std::vector<std::string> roots;
  for (auto& [root, dirs, files] : os::walk(
           top,
           {.onerror = [&](const os::OSError& e) { errors.push_back(e); }})) {
    roots.push_back(root);
    if (root == top) {
      // After the listing: Python's islink check skips it.
      swap_sub1_for_a_symlink();
    }
  }
  EXPECT_EQ(roots, (names{top, sub2}));
  EXPECT_TRUE(errors.empty());
}

TEST_F(Walk, OnerrorMayThrowToStopTheWalk) {
  auto w = os::walk(top, {.onerror = [](const os::OSError& e) {
                      throw std::runtime_error(e.what());
                    }});
  auto it = w.begin();
  it->dirnames.push_back("missing");
  std::vector<std::string> roots;
  try {
    for (++it; it != w.end(); ++it) roots.push_back(it->dirpath);
    ADD_FAILURE() << "onerror's exception was lost";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("missing"), std::string::npos);
  }
  EXPECT_EQ(roots.size(), 3u);
}

TEST_F(Walk, HoldsNoDescriptorBetweenSteps) {
  std::set<int> before = oscpp_test::open_fds();
  for (bool topdown : {true, false}) {
    for ([[maybe_unused]] auto& s : os::walk(top, {.topdown = topdown}))
      EXPECT_EQ(oscpp_test::open_fds(), before);
  }
}

TEST_F(Walk, ManyWalksAtOnce) {
  // CPython's test_walk_many_open_files: 100 walks of depth 30 in step.
  std::string base = path("deep");
  std::string p = base;
  ASSERT_EQ(::mkdir(p.c_str(), 0755), 0);
  for (int i = 0; i < 30; ++i) {
    p += "/d";
    ASSERT_EQ(::mkdir(p.c_str(), 0755), 0);
  }
  std::vector<os::walk_range> walks;
  std::vector<os::walk_range::iterator> its;
  for (int j = 0; j < 100; ++j) walks.push_back(os::walk(base));
  for (auto& w : walks) its.push_back(w.begin());
  std::string expected = base;
  for (int i = 0; i <= 30; ++i) {
    for (auto& it : its) {
      ASSERT_EQ(it->dirpath, expected);
      EXPECT_EQ(it->dirnames, i < 30 ? names{"d"} : names{});
      ++it;
    }
    expected += "/d";
  }
}

TEST_F(Walk, UnreadableDirectoryIsReportedAndSkipped) {
  ASSERT_EQ(::mkdir((sub2 + "/SUB21").c_str(), 0), 0);
  ASSERT_EQ(::chmod(dir().c_str(), 0755), 0);
  std::string t = top;
  std::string sub21 = sub2 + "/SUB21";
  int rc = oscpp_test::run_unprivileged([&] {
    std::vector<os::OSError> errors;
    bool permission_error = false;
    int n = 0;
    for ([[maybe_unused]] auto& s :
         os::walk(t, {.onerror = [&](const os::OSError& e) {
                    permission_error = typeid(e) == typeid(os::PermissionError);
                    errors.push_back(e);
                  }}))
      ++n;
    if (n != 4) return 10 + n;
    if (errors.size() != 1) return 20;
    return permission_error && errors[0].code().value() == EACCES &&
                   errors[0].filename() == sub21
               ? 0
               : 30;
  });
  EXPECT_EQ(rc, 0);
}

TEST_F(Walk, NextReturnsStepsThenNull) {
  auto w = os::walk(sub1);
  os::walk_result* a = w.next();
  ASSERT_NE(a, nullptr);
  EXPECT_EQ(a->dirpath, sub1);
  os::walk_result* b = w.next();
  ASSERT_NE(b, nullptr);
  EXPECT_EQ(b->dirpath, sub11);
  EXPECT_EQ(w.next(), nullptr);
  EXPECT_EQ(w.next(), nullptr);
}

TEST_F(Walk, TrailingSlashIsJoinedAsPython) {
  std::vector<step> steps = all(sub1 + "/");
  ASSERT_EQ(steps.size(), 2u);
  EXPECT_EQ(std::get<0>(steps[0]), sub1 + "/");
  EXPECT_EQ(std::get<0>(steps[1]), sub1 + "/SUB11");
}

}  // namespace
