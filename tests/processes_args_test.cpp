// Process Management, the argument and environment lists of exec* and
// spawn* (os::arg_list, os::env_list). Expected values were checked against
// python3 (3.11) on this machine.
#include <fcntl.h>
#include <grp.h>
#include <gtest/gtest.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <filesystem>
#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "oscpp/environ.hpp"
#include "oscpp/processes.hpp"
#include "processes_test_util.hpp"
#include "support/support.hpp"

namespace {

using namespace std::string_literals;
using namespace processes_test;  // NOLINT(google-build-using-namespace)

// ---------------------------------------------------------------- arg_list

TEST(ArgList, FromAnyRangeOfStrings) {
  std::vector<std::string> strings = {"a", "b c", ""};
  std::vector<std::string_view> views = {"a", "b c", ""};
  const char* cstrs[] = {"a", "b c", ""};
  std::vector<std::filesystem::path> paths = {"a", "b c", ""};
  for (const os::arg_list& l :
       {os::arg_list(strings), os::arg_list(views), os::arg_list(cstrs),
        os::arg_list(paths), os::arg_list{"a", "b c", ""}}) {
    ASSERT_EQ(l.size(), 3u);
    EXPECT_FALSE(l.empty());
    EXPECT_EQ(l[0], "a");
    EXPECT_EQ(l[1], "b c");
    EXPECT_EQ(l[2], "");
    EXPECT_STREQ(l.data()[0], "a");
    EXPECT_STREQ(l.data()[1], "b c");
    EXPECT_STREQ(l.data()[2], "");
    EXPECT_EQ(l.data()[3], nullptr);
  }
  os::arg_list empty;
  EXPECT_TRUE(empty.empty());
  ASSERT_NE(empty.data(), nullptr);
  EXPECT_EQ(empty.data()[0], nullptr);
}

TEST(ArgList, CopiesAndMovesKeepTheirOwnPointers) {
  os::arg_list a{"x"};
  for (int i = 0; i < 100; ++i) a.push_back("arg" + std::to_string(i));
  os::arg_list copy(a);
  ASSERT_EQ(copy.size(), 101u);
  EXPECT_NE(copy.data()[1], a.data()[1]);
  EXPECT_STREQ(copy.data()[100], "arg99");
  os::arg_list small{"s"};
  os::arg_list moved(std::move(small));
  EXPECT_STREQ(moved.data()[0], "s");
  EXPECT_EQ(moved.data()[1], nullptr);
  os::arg_list assigned;
  assigned = moved;
  assigned.push_back("t");
  EXPECT_STREQ(assigned.data()[0], "s");
  EXPECT_STREQ(assigned.data()[1], "t");
  EXPECT_EQ(assigned.data()[2], nullptr);
  EXPECT_EQ(moved.size(), 1u);
}

TEST(ArgList, EmbeddedNulIsValueError) {
  // Python: os.execv(p, ['a\0b']) ValueError "embedded null byte".
  expect_invalid([] { os::arg_list{"ok", "a\0b"s}; }, "embedded null byte");
  os::arg_list l{"ok"};
  expect_invalid([&] { l.push_back("x\0"s); }, "embedded null byte");
  EXPECT_EQ(l.size(), 1u);
  std::vector<std::string> v = {"a", "b\0c"s};
  expect_invalid([&] { os::arg_list{v}; }, "embedded null byte");
}

// ---------------------------------------------------------------- env_list

TEST(EnvList, FromAnyRangeOfPairsInOrder) {
  std::map<std::string, std::string> m = {{"A", "1"}, {"B", ""}};
  std::vector<std::pair<std::string, std::string>> v = {{"B", "2"},
                                                        {"A", "x=y"}};
  os::env_list from_map(m);
  ASSERT_EQ(from_map.strings().size(), 2u);
  EXPECT_EQ(from_map.strings()[0], "A=1");
  EXPECT_EQ(from_map.strings()[1], "B=");
  os::env_list from_vec(v);
  EXPECT_EQ(from_vec.strings()[0], "B=2");
  EXPECT_EQ(from_vec.strings()[1], "A=x=y");
  EXPECT_STREQ(from_vec.data()[1], "A=x=y");
  EXPECT_EQ(from_vec.data()[2], nullptr);
  os::env_list braced{{"PATH", "/bin"}, {"PATHX", "no"}};
  EXPECT_EQ(braced.find("PATH"), "/bin");
  EXPECT_EQ(braced.find("PAT"), std::nullopt);
  EXPECT_EQ(braced.find("X"), std::nullopt);
  os::env_list from_environ(os::environ.copy());
  EXPECT_EQ(from_environ.strings().size(), os::environ.size());
  os::env_list none;
  EXPECT_EQ(none.data()[0], nullptr);
}

TEST(EnvList, IllegalNamesAndNulsAreValueErrors) {
  // Python: {'A=B': '1'} and {'': '1'} "illegal environment variable
  // name"; a NUL in a key or a value "embedded null byte".
  expect_invalid(
      [] {
        os::env_list{{"A=B", "1"}};
      },
      "illegal environment variable name");
  expect_invalid(
      [] {
        os::env_list{{"", "1"}};
      },
      "illegal environment variable name");
  expect_invalid([] { os::env_list{{"A\0"s, "1"}}; }, "embedded null byte");
  expect_invalid([] { os::env_list{{"A", "\0"s}}; }, "embedded null byte");
  os::env_list l;
  expect_invalid([&] { l.add("K=", "v"); },
                 "illegal environment variable name");
  EXPECT_TRUE(l.strings().empty());
}

TEST(EnvList, LeadingEqualsIsAllowedAsInPython) {
  // CPython looks for '=' from the key's second character on, so
  // execve(p, args, {'=A': '1'}) passes "=A=1" (env(1) prints it).
  os::env_list l;
  l.add("=A", "1");
  ASSERT_EQ(l.strings().size(), 1u);
  EXPECT_EQ(l.strings()[0], "=A=1");
}

TEST(EnvList, RepeatedKeyIsPassedTwice) {
  os::env_list l{{"K", "1"}, {"K", "2"}};
  ASSERT_EQ(l.strings().size(), 2u);
  EXPECT_EQ(l.find("K"), "1");
}

}  // namespace
