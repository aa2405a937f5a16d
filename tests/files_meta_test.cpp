// Files and Directories, the meta topic: stat, lstat, access, chmod, chown,
// lchown, utime, truncate, statvfs, pathconf, sync and the supports_* sets.
// Expected values and errors were checked against python3's os on Linux.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cerrno>
#include <cmath>
#include <cstdint>
#include <limits>
#include <optional>
#include <set>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <typeinfo>

#include "files_test_util.hpp"
#include "oscpp/files.hpp"
#include "support/support.hpp"

namespace {

using files_test::kBadFd;
using files_test::lstat_of;
using files_test::mode_of;
using files_test::raises_in_child;
using oscpp_test::run_unprivileged;
using oscpp_test::write_file;

constexpr uid_t kNobody = 65534;
constexpr uid_t kKeepUid = static_cast<uid_t>(-1);
constexpr gid_t kKeepGid = static_cast<gid_t>(-1);

class Meta : public files_test::DirTest {};

// ---------------------------------------------------------------- stat

TEST_F(Meta, StatDescribesTheFile) {
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
  EXPECT_EQ(st.st_mtime_ns, oscpp_test::mtim(raw).tv_sec * 1000000000LL +
                                oscpp_test::mtim(raw).tv_nsec);
  EXPECT_TRUE(S_ISDIR(os::stat(dir()).st_mode));
}

TEST_F(Meta, StatFollowsSymlinksUnlessAsked) {
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

TEST_F(Meta, StatDirFdAndFd) {
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

TEST_F(Meta, StatErrors) {
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

// ---------------------------------------------------------------- utime

class Utime : public Meta {
 protected:
  void SetUp() override {
    Meta::SetUp();
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
  struct ::timespec before;
#if defined(__linux__)
  // File times come from the coarse clock, which never runs ahead of it.
  ASSERT_EQ(::clock_gettime(CLOCK_REALTIME_COARSE, &before), 0);
#else
  ASSERT_EQ(::clock_gettime(CLOCK_REALTIME, &before), 0);
#endif
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

// ---------------------------------------------------------------- access

TEST_F(Meta, AccessReportsWhatIsAllowed) {
  write_file(path("f"), "x");
  ASSERT_EQ(::chmod(path("f").c_str(), 0644), 0);
  EXPECT_TRUE(os::access(path("f"), F_OK));
  EXPECT_TRUE(os::access(path("f"), R_OK | W_OK));
  // Even root needs an execute bit somewhere.
  EXPECT_FALSE(os::access(path("f"), X_OK));
  EXPECT_TRUE(os::access(dir(), X_OK));
  EXPECT_FALSE(os::access(path("missing"), F_OK));
}

TEST_F(Meta, AccessFollowSymlinksAndDirFd) {
  ASSERT_EQ(::symlink("nowhere", path("dangling").c_str()), 0);
  EXPECT_FALSE(os::access(path("dangling"), F_OK));
  EXPECT_TRUE(os::access(path("dangling"), F_OK, {.follow_symlinks = false}));
  write_file(path("f"), "x");
  os::unique_fd d = open_dir();
  ASSERT_TRUE(d);
  EXPECT_TRUE(os::access("f", R_OK, {.dir_fd = d}));
  EXPECT_FALSE(os::access("missing", F_OK, {.dir_fd = d}));
}

TEST_F(Meta, AccessEffectiveIdsUsesTheEffectiveUser) {
  write_file(path("secret"), "x");
  ASSERT_EQ(::chmod(path("secret").c_str(), 0600), 0);
  open_up();
  std::string p = path("secret");
  // Real uid 65534, effective uid 0: only effective_ids sees root's rights.
  pid_t pid = ::fork();
  if (pid == 0) {
    if (::setreuid(65534, 0) != 0) ::_exit(125);
    bool real = os::access(p, R_OK);
    bool effective = os::access(p, R_OK, {.effective_ids = true});
    ::_exit(!real && effective ? 0 : 1);
  }
  ASSERT_GT(pid, 0);
  int status = 0;
  ASSERT_EQ(::waitpid(pid, &status, 0), pid);
  EXPECT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 0);
}

TEST_F(Meta, AccessErrorsAreFalseNotExceptions) {
  write_file(path("f"), "x");
  ASSERT_EQ(::chmod(path("f").c_str(), 0600), 0);
  open_up();
  // As Python: a bad dir_fd, a bad mode, an empty path are all False.
  EXPECT_FALSE(os::access("f", F_OK, {.dir_fd = kBadFd}));
  EXPECT_FALSE(os::access(path("f"), 999));
  EXPECT_FALSE(os::access("", F_OK));
  std::string p = path("f");
  EXPECT_EQ(run_unprivileged([&] {
              return !os::access(p, R_OK) && os::access(p, F_OK) ? 0 : 1;
            }),
            0);
  EXPECT_THROW((void)os::access(p + std::string(1, '\0'), F_OK),
               std::invalid_argument);
}

// ---------------------------------------------------------------- chmod

TEST_F(Meta, ChmodPathFdAndDirFd) {
  write_file(path("f"), "x");
  os::chmod(path("f"), 0600);
  EXPECT_EQ(mode_of(path("f")), 0600u);
  os::chmod(path("f"), 04751);
  EXPECT_EQ(mode_of(path("f")), 04751u);

  os::unique_fd d = open_dir();
  os::chmod("f", 0640, {.dir_fd = d});
  EXPECT_EQ(mode_of(path("f")), 0640u);

  os::unique_fd fd(::open(path("f").c_str(), O_RDONLY | O_CLOEXEC));
  ASSERT_TRUE(fd);
  os::chmod(fd, 0604);
  EXPECT_EQ(mode_of(path("f")), 0604u);
  ASSERT_TRUE(os::nothrow::chmod(fd.get(), 0400));
  EXPECT_EQ(mode_of(path("f")), 0400u);
}

TEST_F(Meta, ChmodNoFollowOnAFileWorks) {
  write_file(path("f"), "x");
  os::chmod(path("f"), 0611, {.follow_symlinks = false});
  EXPECT_EQ(mode_of(path("f")), 0611u);
}

TEST_F(Meta, ChmodNoFollowOnASymlinkIsNotImplemented) {
  write_file(path("f"), "x");
  ASSERT_EQ(::chmod(path("f").c_str(), 0644), 0);
  ASSERT_EQ(::symlink("f", path("link").c_str()), 0);
  // Python: NotImplementedError("chmod: follow_symlinks unavailable on this
  // platform"); ValueError if dir_fd was given as well.
  try {
    os::chmod(path("link"), 0600, {.follow_symlinks = false});
    ADD_FAILURE() << "no exception";
  } catch (const std::logic_error& e) {
    EXPECT_EQ(typeid(e), typeid(std::logic_error));
    EXPECT_STREQ(e.what(),
                 "chmod: follow_symlinks unavailable on this platform");
  }
  os::unique_fd d = open_dir();
  try {
    os::chmod("link", 0600, {.dir_fd = d, .follow_symlinks = false});
    ADD_FAILURE() << "no exception";
  } catch (const std::invalid_argument& e) {
    EXPECT_STREQ(e.what(),
                 "chmod: cannot use dir_fd and follow_symlinks together");
  }
  auto r = os::nothrow::chmod(path("link"), 0600, {.follow_symlinks = false});
  EXPECT_RESULT_ERROR(r, EOPNOTSUPP, path("link"));
  EXPECT_EQ(mode_of(path("f")), 0644u);
}

TEST_F(Meta, ChmodErrors) {
  EXPECT_OS_ERROR(os::chmod(path("missing"), 0600), os::FileNotFoundError,
                  ENOENT, path("missing"));
  EXPECT_RESULT_ERROR(os::nothrow::chmod(path("missing"), 0600), ENOENT,
                      path("missing"));
  // Other errors than EOPNOTSUPP stay OSErrors with follow_symlinks=false.
  EXPECT_OS_ERROR(
      os::chmod("missing", 0600, {.dir_fd = kBadFd, .follow_symlinks = false}),
      os::OSError, EBADF, "missing");
  EXPECT_OS_ERROR(os::chmod("f", 0600, {.dir_fd = kBadFd}), os::OSError, EBADF,
                  "f");
  // Python's filename is the descriptor itself.
  EXPECT_OS_ERROR(os::chmod(kBadFd, 0600), os::OSError, EBADF,
                  std::to_string(kBadFd));
  EXPECT_RESULT_ERROR(os::nothrow::chmod(kBadFd, 0600), EBADF,
                      std::to_string(kBadFd));
}

TEST_F(Meta, ChmodOfRootsFileIsPermissionErrorForOthers) {
  write_file(path("f"), "x");
  ASSERT_EQ(::chmod(path("f").c_str(), 0644), 0);
  open_up();
  std::string p = path("f");
  EXPECT_EQ(raises_in_child<os::PermissionError>([&] { os::chmod(p, 0777); },
                                                 EPERM, p),
            0);
  EXPECT_EQ(mode_of(p), 0644u);
}

// ---------------------------------------------------------------- chown

TEST_F(Meta, ChownChangesOwnerAndGroup) {
  write_file(path("f"), "x");
  os::chown(path("f"), kNobody, kNobody);
  EXPECT_EQ(lstat_of(path("f")).st_uid, kNobody);
  EXPECT_EQ(lstat_of(path("f")).st_gid, kNobody);
  // -1 leaves the id unchanged.
  os::chown(path("f"), 0, kKeepGid);
  EXPECT_EQ(lstat_of(path("f")).st_uid, 0u);
  EXPECT_EQ(lstat_of(path("f")).st_gid, kNobody);
  os::chown(path("f"), kKeepUid, 0);
  EXPECT_EQ(lstat_of(path("f")).st_uid, 0u);
  EXPECT_EQ(lstat_of(path("f")).st_gid, 0u);
}

TEST_F(Meta, ChownFdDirFdAndSymlinks) {
  write_file(path("f"), "x");
  ASSERT_EQ(::symlink("f", path("l").c_str()), 0);
  int fd = ::open(path("f").c_str(), O_RDONLY | O_CLOEXEC);
  ASSERT_GE(fd, 0);
  os::chown(fd, kNobody, kKeepGid);
  ::close(fd);
  EXPECT_EQ(lstat_of(path("f")).st_uid, kNobody);
  // follow_symlinks=false changes the link, not its target.
  os::unique_fd d = open_dir();
  ASSERT_TRUE(d);
  os::chown("l", 1, 2, {.dir_fd = d, .follow_symlinks = false});
  EXPECT_EQ(lstat_of(path("l")).st_uid, 1u);
  EXPECT_EQ(lstat_of(path("l")).st_gid, 2u);
  EXPECT_EQ(lstat_of(path("f")).st_uid, kNobody);
  EXPECT_TRUE(os::nothrow::chown("l", 3, 3, {.dir_fd = d}).has_value());
  EXPECT_EQ(lstat_of(path("f")).st_uid, 3u);
  EXPECT_EQ(lstat_of(path("l")).st_uid, 1u);
}

TEST_F(Meta, ChownErrors) {
  EXPECT_OS_ERROR(os::chown(path("missing"), kKeepUid, kKeepGid),
                  os::FileNotFoundError, ENOENT, path("missing"));
  EXPECT_OS_ERROR(os::chown(kBadFd, 0, 0), os::OSError, EBADF,
                  std::to_string(kBadFd));
  EXPECT_RESULT_ERROR(os::nothrow::chown(kBadFd, 0, 0), EBADF,
                      std::to_string(kBadFd));
  EXPECT_RESULT_ERROR(os::nothrow::chown("f", 0, 0, {.dir_fd = kBadFd}), EBADF,
                      "f");
  write_file(path("f"), "x");
  ASSERT_EQ(::chmod(dir().c_str(), 0755), 0);
  std::string p = path("f");
  // Giving root's file away is not allowed to anyone else.
  EXPECT_EQ(raises_in_child<os::PermissionError>(
                [&] { os::chown(p, kNobody, kKeepGid); }, EPERM, p),
            0);
}

TEST_F(Meta, LchownChangesTheLinkItself) {
  write_file(path("f"), "x");
  ASSERT_EQ(::symlink("f", path("l").c_str()), 0);
  os::lchown(path("l"), kNobody, kNobody);
  EXPECT_EQ(lstat_of(path("l")).st_uid, kNobody);
  EXPECT_EQ(lstat_of(path("f")).st_uid, 0u);
  EXPECT_TRUE(os::nothrow::lchown(path("l"), kKeepUid, 7).has_value());
  EXPECT_EQ(lstat_of(path("l")).st_uid, kNobody);
  EXPECT_EQ(lstat_of(path("l")).st_gid, 7u);
}

TEST_F(Meta, LchownErrors) {
  EXPECT_OS_ERROR(os::lchown(path("missing"), 0, 0), os::FileNotFoundError,
                  ENOENT, path("missing"));
  EXPECT_RESULT_ERROR(os::nothrow::lchown(path("missing"), 0, 0), ENOENT,
                      path("missing"));
  write_file(path("f"), "x");
  ASSERT_EQ(::chmod(dir().c_str(), 0755), 0);
  std::string p = path("f");
  EXPECT_EQ(raises_in_child<os::PermissionError>(
                [&] { os::lchown(p, kNobody, kNobody); }, EPERM, p),
            0);
}

// ---------------------------------------------------------------- pathconf

TEST_F(Meta, PathconfByNameAndNumber) {
  long expected = ::pathconf(dir().c_str(), _PC_NAME_MAX);
  ASSERT_GT(expected, 0);
  EXPECT_EQ(os::pathconf(dir(), "PC_NAME_MAX"), expected);
  EXPECT_EQ(os::pathconf(dir(), _PC_NAME_MAX), expected);
  EXPECT_EQ(*os::nothrow::pathconf(dir(), _PC_NAME_MAX), expected);
  os::unique_fd d = open_dir();
  ASSERT_TRUE(d);
  EXPECT_EQ(os::pathconf(d, "PC_NAME_MAX"), expected);
  EXPECT_EQ(*os::nothrow::pathconf(d.get(), _PC_NAME_MAX), expected);
  // No limit is -1, not an error.
  long no_limit = ::pathconf(dir().c_str(), _PC_SYMLINK_MAX);
  EXPECT_EQ(os::pathconf(dir(), "PC_SYMLINK_MAX"), no_limit);
}

TEST_F(Meta, PathconfErrors) {
#if defined(__linux__) && !defined(__GLIBC__)
  // musl's pathconf answers from a table without looking at the file, so
  // Python there returns the value for a missing path or a closed fd too.
  const long name_max = ::pathconf("/", _PC_NAME_MAX);
  EXPECT_EQ(name_max, 255);
  EXPECT_EQ(os::pathconf(path("missing"), "PC_NAME_MAX"), name_max);
  EXPECT_EQ(os::pathconf(kBadFd, "PC_NAME_MAX"), name_max);
  EXPECT_EQ(*os::nothrow::pathconf(kBadFd, _PC_NAME_MAX), name_max);
  EXPECT_EQ(*os::nothrow::pathconf(path("missing"), "PC_NAME_MAX"), name_max);
#else
  EXPECT_OS_ERROR(os::pathconf(path("missing"), "PC_NAME_MAX"),
                  os::FileNotFoundError, ENOENT, path("missing"));
  EXPECT_OS_ERROR(os::pathconf(kBadFd, "PC_NAME_MAX"), os::OSError, EBADF,
                  std::to_string(kBadFd));
  EXPECT_RESULT_ERROR(os::nothrow::pathconf(kBadFd, _PC_NAME_MAX), EBADF,
                      std::to_string(kBadFd));
  EXPECT_RESULT_ERROR(os::nothrow::pathconf(path("missing"), "PC_NAME_MAX"),
                      ENOENT, path("missing"));
#endif
  // EINVAL (here a bad name) carries no filename, as in Python.
  EXPECT_OS_ERROR(os::pathconf(dir(), 9999), os::OSError, EINVAL);
  EXPECT_RESULT_ERROR(os::nothrow::pathconf(dir(), 9999), EINVAL);
  EXPECT_THROW(os::pathconf(dir(), "NO_SUCH_NAME"), std::invalid_argument);
  EXPECT_THROW(os::pathconf(0, "NO_SUCH_NAME"), std::invalid_argument);
  // The nothrow forms by name: an unknown name is EINVAL, nothing throws.
  EXPECT_RESULT_ERROR(os::nothrow::pathconf(dir(), "NO_SUCH_NAME"), EINVAL);
  EXPECT_RESULT_ERROR(os::nothrow::pathconf(0, "NO_SUCH_NAME"), EINVAL);
  EXPECT_EQ(os::nothrow::pathconf(dir(), "PC_NAME_MAX").value(),
            ::pathconf(dir().c_str(), _PC_NAME_MAX));
}

// ---------------------------------------------------------------- statvfs

TEST_F(Meta, StatvfsReportsTheFilesystem) {
  struct ::statvfs expected {};
  ASSERT_EQ(::statvfs(dir().c_str(), &expected), 0);
  os::statvfs_result r = os::statvfs(dir());
  EXPECT_EQ(r.f_bsize, expected.f_bsize);
  EXPECT_EQ(r.f_frsize, expected.f_frsize);
  EXPECT_EQ(r.f_blocks, expected.f_blocks);
  EXPECT_EQ(r.f_files, expected.f_files);
  EXPECT_EQ(r.f_flag, expected.f_flag);
  EXPECT_EQ(r.f_namemax, expected.f_namemax);
  EXPECT_EQ(r.f_fsid, expected.f_fsid);
  os::unique_fd d = open_dir();
  ASSERT_TRUE(d);
  auto by_fd = os::nothrow::statvfs(d);
  ASSERT_TRUE(by_fd.has_value());
  EXPECT_EQ(by_fd->f_bsize, expected.f_bsize);
  EXPECT_EQ(by_fd->f_fsid, expected.f_fsid);
  EXPECT_EQ(by_fd->f_namemax, expected.f_namemax);
}

TEST_F(Meta, StatvfsErrors) {
  EXPECT_OS_ERROR(os::statvfs(path("missing")), os::FileNotFoundError, ENOENT,
                  path("missing"));
  EXPECT_OS_ERROR(os::statvfs(kBadFd), os::OSError, EBADF,
                  std::to_string(kBadFd));
  EXPECT_RESULT_ERROR(os::nothrow::statvfs(path("missing")), ENOENT,
                      path("missing"));
}

// ---------------------------------------------------------------- sync

TEST_F(Meta, SyncCannotFail) {
  static_assert(noexcept(os::sync()));
  static_assert(std::is_void_v<decltype(os::sync())>);
  os::sync();
}

// ---------------------------------------------------------------- truncate

TEST_F(Meta, TruncateByPathAndFd) {
  write_file(path("f"), "hello world");
  os::truncate(path("f"), 5);
  EXPECT_EQ(oscpp_test::read_file(path("f")), "hello");
  os::truncate(path("f"), 8);
  EXPECT_EQ(oscpp_test::read_file(path("f")), std::string("hello\0\0\0", 8));
  int fd = ::open(path("f").c_str(), O_RDWR | O_CLOEXEC);
  ASSERT_GE(fd, 0);
  os::truncate(fd, 2);
  EXPECT_TRUE(os::nothrow::truncate(fd, 1).has_value());
  ::close(fd);
  EXPECT_EQ(oscpp_test::read_file(path("f")), "h");
}

TEST_F(Meta, TruncateErrors) {
  write_file(path("f"), "x");
  EXPECT_OS_ERROR(os::truncate(path("missing"), 0), os::FileNotFoundError,
                  ENOENT, path("missing"));
  EXPECT_OS_ERROR(os::truncate(path("f"), -1), os::OSError, EINVAL, path("f"));
  EXPECT_OS_ERROR(os::truncate(dir(), 0), os::IsADirectoryError, EISDIR, dir());
  // The fd form is ftruncate: no filename, as in Python.
  EXPECT_OS_ERROR(os::truncate(kBadFd, 0), os::OSError, EBADF);
  EXPECT_RESULT_ERROR(os::nothrow::truncate(kBadFd, 0), EBADF);
  ASSERT_EQ(::chmod(dir().c_str(), 0755), 0);
  ASSERT_EQ(::chmod(path("f").c_str(), 0644), 0);
  std::string p = path("f");
  EXPECT_EQ(raises_in_child<os::PermissionError>([&] { os::truncate(p, 0); },
                                                 EACCES, p),
            0);
}

// ---------------------------------------------------------------- supports_*

TEST(Supports, SetsAreLinuxPythons) {
  using set = std::set<std::string, std::less<>>;
  // python3: sorted(f.__name__ for f in os.supports_dir_fd) etc.
  EXPECT_EQ(os::supports_dir_fd,
            (set{"access", "chmod", "chown", "link", "mkdir", "mkfifo", "mknod",
                 "open", "readlink", "rename", "rmdir", "stat", "symlink",
                 "unlink", "utime"}));
  EXPECT_EQ(os::supports_fd,
            (set{"chdir", "chmod", "chown", "execve", "listdir", "pathconf",
                 "scandir", "stat", "statvfs", "truncate", "utime"}));
  EXPECT_EQ(os::supports_follow_symlinks,
            (set{"access", "chown", "link", "stat", "utime"}));
  EXPECT_EQ(os::supports_effective_ids, (set{"access"}));
  // Python lists unlink but not remove, stat but not lstat.
  EXPECT_FALSE(os::supports_dir_fd.contains(std::string_view("remove")));
  EXPECT_FALSE(os::supports_dir_fd.contains(std::string_view("lstat")));
}

}  // namespace
