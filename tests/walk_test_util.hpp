// The tree of CPython's WalkTests, shared by the walk and fwalk tests.
#pragma once

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <string>
#include <tuple>
#include <vector>

#include "support/support.hpp"

namespace walk_test {

//   TEST1/                a file kid and two directory kids
//     tmp1
//     SUB1/               a file kid and a directory kid
//       tmp2
//       SUB11/            no kids
//     SUB2/               a file kid and a dirsymlink kid
//       tmp3
//       link -> TEST2     (absolute)
//       broken_link -> broken
//       broken_link2 -> tmp3/broken
//       broken_link3 -> SUB21/tmp5
//   TEST2/
//     tmp4
inline void make_tree(const std::string& base) {
  for (const char* d :
       {"/TEST1", "/TEST1/SUB1", "/TEST1/SUB1/SUB11", "/TEST1/SUB2", "/TEST2"})
    ASSERT_EQ(::mkdir((base + d).c_str(), 0755), 0) << d;
  for (const char* f :
       {"/TEST1/tmp1", "/TEST1/SUB1/tmp2", "/TEST1/SUB2/tmp3", "/TEST2/tmp4"})
    oscpp_test::write_file(base + f, std::string("I'm ") + f);
  ASSERT_EQ(
      ::symlink((base + "/TEST2").c_str(), (base + "/TEST1/SUB2/link").c_str()),
      0);
  ASSERT_EQ(::symlink("broken", (base + "/TEST1/SUB2/broken_link").c_str()), 0);
  ASSERT_EQ(
      ::symlink("tmp3/broken", (base + "/TEST1/SUB2/broken_link2").c_str()), 0);
  ASSERT_EQ(
      ::symlink("SUB21/tmp5", (base + "/TEST1/SUB2/broken_link3").c_str()), 0);
}

// A step with its lists sorted, for comparisons.
using step =
    std::tuple<std::string, std::vector<std::string>, std::vector<std::string>>;

inline step sorted(std::string dirpath, std::vector<std::string> dirs,
                   std::vector<std::string> files) {
  std::sort(dirs.begin(), dirs.end());
  std::sort(files.begin(), files.end());
  return {std::move(dirpath), std::move(dirs), std::move(files)};
}

using names = std::vector<std::string>;

// The index of dirpath in steps, or -1.
inline int index_of(const std::vector<step>& steps, const std::string& p) {
  for (std::size_t i = 0; i < steps.size(); ++i)
    if (std::get<0>(steps[i]) == p) return static_cast<int>(i);
  return -1;
}

}  // namespace walk_test
