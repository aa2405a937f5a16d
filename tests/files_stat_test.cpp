// Files and Directories: stat, lstat, listdir and utime. Expected values and
// errors were checked against python3's os on Linux.
#include <dirent.h>
#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdint>
#include <filesystem>
#include <limits>
#include <stdexcept>
#include <string>
#include <vector>

#include "detail/getdents.hpp"
#include "files_test_util.hpp"
#include "oscpp/files.hpp"
#include "support/support.hpp"

namespace {

using files_test::kBadFd;
using files_test::raises_in_child;
using oscpp_test::write_file;
using names = std::vector<std::string>;

class Files : public oscpp_test::TempDirTest {
 protected:
  os::unique_fd open_dir(const std::string& p) {
    return os::unique_fd(::open(p.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  }
  void open_up() { ASSERT_EQ(::chmod(dir().c_str(), 0755), 0); }
};

names sorted(names v) {
  std::sort(v.begin(), v.end());
  return v;
}

// ---------------------------------------------------------------- stat

TEST_F(Files, StatDescribesTheFile) {
  write_file(path("f"), "hello");
  ASSERT_EQ(::chmod(path("f").c_str(), 0640), 0);
  struct ::stat raw;
  ASSERT_EQ(::stat(path("f").c_str(), &raw), 0);
  os::stat_result st = os::stat(path("f"));
  EXPECT_TRUE(S_ISREG(st.st_mode));
  EXPECT_EQ(st.st_mode & 07777, 0640u);
  EXPECT_EQ(st.st_size, 5);
  EXPECT_EQ(st.st_nlink, 1u);
  EXPECT_EQ(st.st_uid, ::getuid());
  EXPECT_EQ(st.st_ino, raw.st_ino);
  EXPECT_EQ(st.st_dev, raw.st_dev);
  EXPECT_EQ(st.st_mtime_ns,
            raw.st_mtim.tv_sec * 1000000000LL + raw.st_mtim.tv_nsec);
  EXPECT_TRUE(S_ISDIR(os::stat(dir()).st_mode));
}

TEST_F(Files, StatFollowsSymlinksUnlessAsked) {
  write_file(path("f"), "hello");
  ASSERT_EQ(::symlink("f", path("l").c_str()), 0);
  EXPECT_TRUE(S_ISREG(os::stat(path("l")).st_mode));
  EXPECT_EQ(os::stat(path("l")).st_ino, os::stat(path("f")).st_ino);
  os::stat_result ls = os::stat(path("l"), {.follow_symlinks = false});
  EXPECT_TRUE(S_ISLNK(ls.st_mode));
  EXPECT_EQ(ls.st_size, 1);  // the length of "f"
  EXPECT_TRUE(S_ISLNK(os::lstat(path("l")).st_mode));
  EXPECT_TRUE(S_ISREG(os::lstat(path("f")).st_mode));
}

TEST_F(Files, StatDirFdAndFd) {
  write_file(path("f"), "abc");
  ASSERT_EQ(::symlink("f", path("l").c_str()), 0);
  os::unique_fd d = open_dir(dir());
  EXPECT_EQ(os::stat("f", {.dir_fd = d}).st_size, 3);
  EXPECT_TRUE(
      S_ISLNK(os::stat("l", {.dir_fd = d, .follow_symlinks = false}).st_mode));
  EXPECT_TRUE(S_ISLNK(os::lstat("l", {.dir_fd = d}).st_mode));

  os::unique_fd fd(::open(path("f").c_str(), O_RDONLY | O_CLOEXEC));
  ASSERT_TRUE(fd);
  os::stat_result by_fd = os::stat(fd);
  EXPECT_EQ(by_fd.st_ino, os::stat(path("f")).st_ino);
  EXPECT_EQ(by_fd.st_size, 3);
  auto r = os::nothrow::stat(fd.get());
  ASSERT_TRUE(r);
  EXPECT_EQ(r->st_ino, by_fd.st_ino);
}

TEST_F(Files, StatErrors) {
  EXPECT_OS_ERROR(os::stat(path("m")), os::FileNotFoundError, ENOENT,
                  path("m"));
  EXPECT_RESULT_ERROR(os::nothrow::stat(path("m")), ENOENT, path("m"));
  EXPECT_RESULT_ERROR(os::nothrow::lstat(path("m")), ENOENT, path("m"));
  // Python: os.stat('') -> FileNotFoundError with filename ''.
  EXPECT_OS_ERROR(os::stat(""), os::FileNotFoundError, ENOENT, "");
  EXPECT_OS_ERROR(os::lstat(""), os::FileNotFoundError, ENOENT, "");
  ASSERT_EQ(::symlink("nowhere", path("dangling").c_str()), 0);
  EXPECT_OS_ERROR(os::stat(path("dangling")), os::FileNotFoundError, ENOENT,
                  path("dangling"));
  EXPECT_TRUE(S_ISLNK(os::lstat(path("dangling")).st_mode));
  write_file(path("f"), "x");
  EXPECT_OS_ERROR(os::stat(path("f/x")), os::NotADirectoryError, ENOTDIR,
                  path("f/x"));
  EXPECT_OS_ERROR(os::stat("f", {.dir_fd = kBadFd}), os::OSError, EBADF, "f");
  EXPECT_OS_ERROR(os::lstat("f", {.dir_fd = kBadFd}), os::OSError, EBADF, "f");
  // Python's filename is the descriptor itself.
  EXPECT_OS_ERROR(os::stat(kBadFd), os::OSError, EBADF, std::to_string(kBadFd));
  EXPECT_RESULT_ERROR(os::nothrow::stat(kBadFd), EBADF, std::to_string(kBadFd));
  os::mkdir(path("closed"), 0700);
  write_file(path("closed/f"), "x");
  open_up();
  std::string p = path("closed/f");
  EXPECT_EQ(raises_in_child<os::PermissionError>([&] { (void)os::stat(p); },
                                                 EACCES, p),
            0);
}

// ---------------------------------------------------------------- listdir

TEST_F(Files, ListdirNamesWithoutDots) {
  EXPECT_EQ(os::listdir(dir()), names{});
  write_file(path("a"), "");
  write_file(path(".hidden"), "");
  write_file(path("\xff\xfe"), "");
  os::mkdir(path("sub"));
  ASSERT_EQ(::symlink("nowhere", path("link").c_str()), 0);
  EXPECT_EQ(sorted(os::listdir(dir())),
            (names{".hidden", "a", "link", "sub", "\xff\xfe"}));
  auto r = os::nothrow::listdir(dir() + "/");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->size(), 5u);
}

TEST_F(Files, ListdirReadsLargeDirectories) {
  names expected;
  for (int i = 0; i < 3000; ++i) {
    std::string n = "entry-with-a-rather-long-name-" + std::to_string(i);
    write_file(path(n), "");
    expected.push_back(n);
  }
  EXPECT_EQ(sorted(os::listdir(dir())), sorted(expected));
}

TEST_F(Files, ListdirDefaultsToTheCurrentDirectory) {
  write_file(path("here"), "");
  os::unique_fd cwd(::open(".", O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  ASSERT_TRUE(cwd);
  ASSERT_EQ(::chdir(dir().c_str()), 0);
  names got = os::listdir();
  ASSERT_EQ(::fchdir(cwd.get()), 0);
  EXPECT_EQ(got, names{"here"});
}

TEST_F(Files, ListdirFdLeavesTheCallersDescriptorUsable) {
  write_file(path("a"), "");
  write_file(path("b"), "");
  os::unique_fd d = open_dir(dir());
  ASSERT_TRUE(d);
  EXPECT_EQ(sorted(os::listdir(d)), (names{"a", "b"}));
  // Rewound afterwards, so it works twice; the descriptor stays open.
  EXPECT_EQ(sorted(os::listdir(d.get())), (names{"a", "b"}));
  EXPECT_EQ(::lseek(d.get(), 0, SEEK_CUR), 0);
  EXPECT_NE(::fcntl(d.get(), F_GETFD), -1);
  auto r = os::nothrow::listdir(d.get());
  ASSERT_TRUE(r);
  EXPECT_EQ(r->size(), 2u);
}

TEST_F(Files, ListdirOfARemovedDirectoryIsEmptyAsPython) {
  // getdents64 fails with ENOENT there; readdir, so Python, sees the end.
  ASSERT_EQ(::mkdir(path("gone").c_str(), 0755), 0);
  os::unique_fd d = open_dir(path("gone"));
  ASSERT_TRUE(d);
  ASSERT_EQ(::rmdir(path("gone").c_str()), 0);
  EXPECT_EQ(os::listdir(d), names{});
  std::string cwd = std::filesystem::current_path().string();
  ASSERT_EQ(::fchdir(d.get()), 0);
  auto in_removed_cwd = os::nothrow::listdir();
  EXPECT_EQ(::chdir(cwd.c_str()), 0);
  ASSERT_TRUE(in_removed_cwd) << in_removed_cwd.error().code().message();
  EXPECT_EQ(*in_removed_cwd, names{});
}

TEST_F(Files, ListdirFdStartsAtTheCurrentOffsetAsPython) {
  for (int i = 0; i < 200; ++i)
    write_file(path("file_with_long_name_" + std::to_string(i)), "");
  os::unique_fd d = open_dir(dir());
  ASSERT_TRUE(d);
  // Consume some entries directly, as python3 does with ctypes: its
  // listdir(fd) then returns only the rest, and rewinds.
  alignas(8) char buf[512];
  ASSERT_GT(os::detail::getdents64(d.get(), buf, sizeof buf), 0);
  std::size_t rest = os::listdir(d).size();
  EXPECT_LT(rest, 200u);
  EXPECT_GT(rest, 0u);
  EXPECT_EQ(os::listdir(d).size(), 200u);
}

TEST_F(Files, ListdirErrors) {
  EXPECT_OS_ERROR(os::listdir(path("m")), os::FileNotFoundError, ENOENT,
                  path("m"));
  EXPECT_RESULT_ERROR(os::nothrow::listdir(path("m")), ENOENT, path("m"));
  EXPECT_OS_ERROR(os::listdir(""), os::FileNotFoundError, ENOENT, "");
  write_file(path("f"), "content");
  EXPECT_OS_ERROR(os::listdir(path("f")), os::NotADirectoryError, ENOTDIR,
                  path("f"));
  // Python: NotADirectoryError with the descriptor as filename; the file's
  // offset is left alone.
  os::unique_fd f(::open(path("f").c_str(), O_RDONLY | O_CLOEXEC));
  ASSERT_TRUE(f);
  ASSERT_EQ(::lseek(f.get(), 3, SEEK_SET), 3);
  EXPECT_OS_ERROR(os::listdir(f), os::NotADirectoryError, ENOTDIR,
                  std::to_string(f.get()));
  EXPECT_EQ(::lseek(f.get(), 0, SEEK_CUR), 3);
  // A bad descriptor fails in dup, which Python reports without filename.
  EXPECT_OS_ERROR(os::listdir(kBadFd), os::OSError, EBADF);
  EXPECT_RESULT_ERROR(os::nothrow::listdir(kBadFd), EBADF);
  os::mkdir(path("closed"), 0700);
  open_up();
  std::string p = path("closed");
  EXPECT_EQ(raises_in_child<os::PermissionError>([&] { (void)os::listdir(p); },
                                                 EACCES, p),
            0);
}

// ---------------------------------------------------------------- utime

class Utime : public Files {
 protected:
  void SetUp() override {
    Files::SetUp();
    write_file(path("f"), "x");
  }
  std::int64_t atime_ns() { return os::stat(path("f")).st_atime_ns; }
  std::int64_t mtime_ns() { return os::stat(path("f")).st_mtime_ns; }
  // Python: os.utime(f, (t, t)); os.stat(f).st_atime_ns
  std::int64_t set_float(double t) {
    os::utime(path("f"), {.times = std::pair{t, t}});
    return atime_ns();
  }
};

TEST_F(Utime, FloatTimes) {
  os::utime(path("f"), {.times = std::pair{1.5, 2.25}});
  EXPECT_EQ(atime_ns(), 1500000000);
  EXPECT_EQ(mtime_ns(), 2250000000);
}

TEST_F(Utime, FloatsRoundDownAsPython) {
  // Each value from python3 on this file system.
  EXPECT_EQ(set_float(1.0000000005), 1000000000);
  EXPECT_EQ(set_float(1.0000000015), 1000000001);
  EXPECT_EQ(set_float(-1.0000000005), -1000000001);
  EXPECT_EQ(set_float(-0.5), -500000000);
  EXPECT_EQ(set_float(-1.5), -1500000000);
  EXPECT_EQ(set_float(-1e-10), -1);
  EXPECT_EQ(set_float(1e-10), 0);
  EXPECT_EQ(set_float(0.9999999999), 999999999);
  EXPECT_EQ(set_float(0.99999999999), 999999999);
  EXPECT_EQ(set_float(1e-9), 1);
  EXPECT_EQ(set_float(-1e-9), -1);
  EXPECT_EQ(set_float(2.5e-9), 2);
  EXPECT_EQ(set_float(-0.0), 0);
  EXPECT_EQ(set_float(1234567890.123456789), 1234567890123456716);
  EXPECT_EQ(set_float(-1234567890.987654321), -1234567890987654210);
}

TEST_F(Utime, NanosecondPairs) {
  os::utime(path("f"), {.ns = std::pair<std::int64_t, std::int64_t>{
                            -1, 1000000000000000005}});
  EXPECT_EQ(atime_ns(), -1);
  EXPECT_EQ(mtime_ns(), 1000000000000000005);
  os::utime(path("f"), {.ns = std::pair<std::int64_t, std::int64_t>{
                            -1000000001, -1000000000}});
  EXPECT_EQ(atime_ns(), -1000000001);
  EXPECT_EQ(mtime_ns(), -1000000000);
}

TEST_F(Utime, NeitherMeansNow) {
  os::utime(path("f"), {.ns = std::pair<std::int64_t, std::int64_t>{0, 0}});
  // File times come from the coarse clock, which never runs ahead of it.
  struct ::timespec before;
  ASSERT_EQ(::clock_gettime(CLOCK_REALTIME_COARSE, &before), 0);
  std::int64_t before_ns = before.tv_sec * 1000000000LL + before.tv_nsec;
  os::utime(path("f"));
  EXPECT_GE(atime_ns(), before_ns);
  EXPECT_GE(mtime_ns(), before_ns);
  os::utime(path("f"), {.ns = std::pair<std::int64_t, std::int64_t>{0, 0}});
  ASSERT_TRUE(os::nothrow::utime(path("f")));
  EXPECT_GE(mtime_ns(), before_ns);
}

TEST_F(Utime, NoFollowDirFdAndFd) {
  ASSERT_EQ(::symlink("f", path("l").c_str()), 0);
  os::utime(path("f"), {.ns = std::pair<std::int64_t, std::int64_t>{7, 7}});
  os::utime(path("l"), {.ns = std::pair<std::int64_t, std::int64_t>{5, 6},
                        .follow_symlinks = false});
  EXPECT_EQ(os::lstat(path("l")).st_mtime_ns, 6);
  EXPECT_EQ(mtime_ns(), 7);

  os::unique_fd d = open_dir(dir());
  os::utime("f", {.times = std::pair{3.0, 4.0}, .dir_fd = d});
  EXPECT_EQ(mtime_ns(), 4000000000);

  os::unique_fd fd(::open(path("f").c_str(), O_RDONLY | O_CLOEXEC));
  ASSERT_TRUE(fd);
  os::utime(fd, {.ns = std::pair<std::int64_t, std::int64_t>{8, 9}});
  EXPECT_EQ(atime_ns(), 8);
  EXPECT_EQ(mtime_ns(), 9);
  ASSERT_TRUE(os::nothrow::utime(fd.get(), {.times = std::pair{10.0, 11.0}}));
  EXPECT_EQ(mtime_ns(), 11000000000);
}

template <class E>
void expect_message(auto&& f, const char* message) {
  try {
    f();
    ADD_FAILURE() << "no exception, expected: " << message;
  } catch (const E& e) {
    EXPECT_EQ(typeid(e), typeid(E));
    EXPECT_STREQ(e.what(), message);
  }
}

TEST_F(Utime, BadArgumentsAsPython) {
  const std::string f = path("f");
  using ns = std::pair<std::int64_t, std::int64_t>;
  expect_message<std::invalid_argument>(
      [&] {
        os::utime(f, {.times = std::pair{1.0, 2.0}, .ns = ns{1, 2}});
      },
      "utime: you may specify either 'times' or 'ns' but not both");
  expect_message<std::invalid_argument>(
      [&] {
        (void)os::nothrow::utime(
            f, {.times = std::pair{1.0, 2.0}, .ns = ns{1, 2}});
      },
      "utime: you may specify either 'times' or 'ns' but not both");
  const double nan = std::numeric_limits<double>::quiet_NaN();
  const double inf = std::numeric_limits<double>::infinity();
  expect_message<std::invalid_argument>(
      [&] {
        os::utime(f, {.times = std::pair{nan, 1.0}});
      },
      "Invalid value NaN (not a number)");
  for (double big : {1e300, inf, -inf, 9.223372036854775807e18, -9.3e18}) {
    expect_message<std::overflow_error>(
        [&] {
          os::utime(f, {.times = std::pair{1.0, big}});
        },
        "timestamp out of range for platform time_t");
  }
  // Python checks the times first, then dir_fd, then follow_symlinks.
  expect_message<std::invalid_argument>(
      [&] {
        os::utime(kBadFd, {.times = std::pair{nan, 1.0}, .dir_fd = 3});
      },
      "Invalid value NaN (not a number)");
  expect_message<std::invalid_argument>(
      [&] { os::utime(kBadFd, {.dir_fd = 3, .follow_symlinks = false}); },
      "utime: can't specify dir_fd without matching path");
  expect_message<std::invalid_argument>(
      [&] { os::utime(kBadFd, {.follow_symlinks = false}); },
      "utime: cannot use fd and follow_symlinks together");
}

TEST_F(Utime, ErrorsCarryNoFilename) {
  // Python's utime never attaches the path to its errors.
  EXPECT_OS_ERROR(os::utime(path("m")), os::FileNotFoundError, ENOENT);
  EXPECT_OS_ERROR(os::utime(path("m"), {.times = std::pair{1.0, 2.0}}),
                  os::FileNotFoundError, ENOENT);
  EXPECT_RESULT_ERROR(os::nothrow::utime(path("m")), ENOENT);
  EXPECT_OS_ERROR(os::utime(""), os::FileNotFoundError, ENOENT);
  EXPECT_OS_ERROR(os::utime("f", {.dir_fd = kBadFd}), os::OSError, EBADF);
  EXPECT_OS_ERROR(os::utime(kBadFd), os::OSError, EBADF);
  EXPECT_RESULT_ERROR(os::nothrow::utime(kBadFd), EBADF);
  ASSERT_EQ(::chmod(path("f").c_str(), 0644), 0);
  open_up();
  std::string p = path("f");
  // Not the owner: "now" needs write access (EACCES), explicit times need
  // ownership (EPERM).
  EXPECT_EQ(raises_in_child<os::PermissionError>([&] { os::utime(p); }, EACCES),
            0);
  EXPECT_EQ(raises_in_child<os::PermissionError>(
                [&] {
                  os::utime(p, {.times = std::pair{1.0, 2.0}});
                },
                EPERM),
            0);
}

}  // namespace
