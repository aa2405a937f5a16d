// File Descriptor Operations, the meta topic: fstat and stat_result,
// fstatvfs, fpathconf, fchmod, fchown, fsync, fdatasync, ftruncate,
// posix_fallocate, posix_fadvise. EBADF for each is tested with the other
// descriptor functions in file_descriptors_test.cpp. Expected results and
// errors were taken from python3 (3.11) doing the same thing.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <limits>
#include <map>
#include <stdexcept>
#include <string>
#include <typeinfo>

#include "file_descriptors_test_util.hpp"
#include "oscpp/file_descriptors.hpp"
#include "support/support.hpp"

#if OSCPP_HAVE_SYS_SYSMACROS_H
#include <sys/sysmacros.h>  // makedev; <sys/types.h> on macOS
#endif

namespace {

using namespace fd_test;
using oscpp_test::closed_fd;
using oscpp_test::invalid_argument_message;
using oscpp_test::raw_pipe;

class FdMetaTest : public oscpp_test::TempDirTest {};

// (nanoseconds, python3's st_mtime for them, as float.hex()), measured with
// os.utime(p, ns=(ns, ns)); os.stat(p).st_mtime.hex(). Python adds
// sec + nsec * 1e-9, which differs from ns * 1e-9 (see -1).
struct time_case {
  std::int64_t ns;
  double python_seconds;
};
constexpr time_case kTimes[] = {
    {0, 0x0.0p+0},
    {1, 0x1.12e0be826d695p-30},
    {999'999'999, 0x1.fffffff768fa1p-1},
    {1'500'000'000'123'456'789, 0x1.65a0bc007e6b7p+30},
    {1'234'567'890'987'654'321, 0x1.26580b4bf35bap+30},
    {-1, -0x1.12e0be0000000p-30},
    {-999'999'999, -0x1.fffffff768fa1p-1},
    {-1'000'000'000, -0x1.0p+0},
    {-1'000'000'001, -0x1.000000044b830p+0},
    {-31'536'000'123'456'789, -0x1.e133801f9add3p+24},
};

struct ::timespec to_timespec(std::int64_t ns) {
  std::int64_t sec = ns / 1'000'000'000, nsec = ns % 1'000'000'000;
  if (nsec < 0) {
    sec -= 1;
    nsec += 1'000'000'000;
  }
  return {static_cast<time_t>(sec), static_cast<long>(nsec)};
}

// ------------------------------------------------------------ stat_result

TEST(StatResult, FromCopiesEveryField) {
  struct ::stat st = {};
  st.st_mode = S_IFREG | 0640;
  st.st_ino = 123456789012;
  st.st_dev = makedev(8, 1);
  st.st_nlink = 3;
  st.st_uid = 1000;
  st.st_gid = 100;
  st.st_size = 1 << 20;
  oscpp_test::atim(st) = {10, 1};
  oscpp_test::mtim(st) = {20, 2};
  oscpp_test::ctim(st) = {-30, 3};
  st.st_blksize = 4096;
  st.st_blocks = 2048;
  st.st_rdev = makedev(1, 3);
  os::stat_result r = os::stat_result::from(st);
  EXPECT_EQ(r.st_mode, S_IFREG | 0640u);
  EXPECT_EQ(r.st_ino, 123456789012u);
  EXPECT_EQ(r.st_dev, makedev(8, 1));
  EXPECT_EQ(r.st_nlink, 3u);
  EXPECT_EQ(r.st_uid, 1000u);
  EXPECT_EQ(r.st_gid, 100u);
  EXPECT_EQ(r.st_size, 1 << 20);
  EXPECT_EQ(r.st_atime_ns, 10'000'000'001);
  EXPECT_EQ(r.st_mtime_ns, 20'000'000'002);
  EXPECT_EQ(r.st_ctime_ns, -29'999'999'997);
  EXPECT_EQ(r.st_blksize, 4096);
  EXPECT_EQ(r.st_blocks, 2048);
  EXPECT_EQ(r.st_rdev, makedev(1, 3));
}

TEST(StatResult, FloatTimesAreComputedAsPython) {
  for (const time_case& c : kTimes) {
    struct ::stat st = {};
    oscpp_test::atim(st) = oscpp_test::mtim(st) = oscpp_test::ctim(st) =
        to_timespec(c.ns);
    os::stat_result r = os::stat_result::from(st);
    EXPECT_EQ(r.st_mtime_ns, c.ns);
    // Exact equality: the same double as Python's, bit for bit.
    EXPECT_EQ(r.mtime(), c.python_seconds) << c.ns;
    EXPECT_EQ(r.atime(), c.python_seconds) << c.ns;
    EXPECT_EQ(r.ctime(), c.python_seconds) << c.ns;
  }
  // -1 ns is not -1e-9: Python adds -1 s and 0.999999999 s.
  os::stat_result r;
  r.st_mtime_ns = -1;
  EXPECT_NE(r.mtime(), -1e-9);
}

TEST(StatResult, NanosecondsBeyondInt64Saturate) {
  // Python's int is unbounded; ours ends in the year 2262.
  struct ::stat st = {};
  oscpp_test::mtim(st) = {std::numeric_limits<time_t>::max() / 2, 0};
  oscpp_test::atim(st) = {std::numeric_limits<time_t>::min() / 2, 0};
  os::stat_result r = os::stat_result::from(st);
  EXPECT_EQ(r.st_mtime_ns, std::numeric_limits<std::int64_t>::max());
  EXPECT_EQ(r.st_atime_ns, std::numeric_limits<std::int64_t>::min());
}

// ------------------------------------------------------------------ fstat

TEST_F(FdMetaTest, FstatMatchesTheKernel) {
  oscpp_test::write_file(path("f"), "hello");
  os::unique_fd fd = os::open(path("f"), O_RDONLY);
  struct ::stat st;
  ASSERT_EQ(::fstat(fd.get(), &st), 0);
  os::stat_result r = os::fstat(fd);
  EXPECT_TRUE(S_ISREG(r.st_mode));
  EXPECT_EQ(r.st_mode, st.st_mode);
  EXPECT_EQ(r.st_ino, st.st_ino);
  EXPECT_EQ(r.st_dev, st.st_dev);
  EXPECT_EQ(r.st_nlink, 1u);
  EXPECT_EQ(r.st_uid, ::geteuid());
  EXPECT_EQ(r.st_size, 5);
  EXPECT_EQ(r.st_blksize, st.st_blksize);
  EXPECT_EQ(r.st_blocks, st.st_blocks);
  EXPECT_EQ(r.st_ctime_ns, oscpp_test::ctim(st).tv_sec * 1'000'000'000LL +
                               oscpp_test::ctim(st).tv_nsec);
  auto n = os::nothrow::fstat(fd.get());
  ASSERT_TRUE(n);
  EXPECT_EQ(n->st_ino, st.st_ino);

  os::unique_fd null = os::open("/dev/null", O_RDONLY);
  EXPECT_TRUE(S_ISCHR(os::fstat(null).st_mode));
  EXPECT_EQ(os::fstat(null).st_rdev, makedev(1, 3));
  auto [r_end, w_end] = os::pipe();
  EXPECT_TRUE(S_ISFIFO(os::fstat(r_end).st_mode));
}

TEST_F(FdMetaTest, FstatTimesEqualPythonsStMtime) {
  // The same nanoseconds set on a real file: os::fstat(fd).mtime() is what
  // python3's os.fstat(fd).st_mtime gives, before and after 1970.
  os::unique_fd fd = os::open(path("f"), O_RDWR | O_CREAT, 0644);
  for (const time_case& c : kTimes) {
    struct ::timespec times[2] = {to_timespec(c.ns), to_timespec(c.ns)};
    ASSERT_EQ(::futimens(fd.get(), times), 0) << c.ns;
    os::stat_result r = os::fstat(fd);
    EXPECT_EQ(r.st_mtime_ns, c.ns);
    EXPECT_EQ(r.st_atime_ns, c.ns);
    EXPECT_EQ(r.mtime(), c.python_seconds) << c.ns;
    EXPECT_EQ(r.atime(), c.python_seconds) << c.ns;
  }
}

TEST_F(FdMetaTest, FstatErrorHasNoFilename) {
  // Only EBADF is possible; the nothrow form says so without a filename.
  auto r = os::nothrow::fstat(closed_fd());
  EXPECT_RESULT_ERROR(r, EBADF);
  EXPECT_OS_ERROR((void)os::fstat(closed_fd()), os::OSError, EBADF);
}

// --------------------------------------------------------------- fstatvfs

TEST_F(FdMetaTest, FstatvfsMatchesStatvfs) {
  os::unique_fd fd = os::open(dir(), O_RDONLY | O_DIRECTORY);
  struct ::statvfs st;
  ASSERT_EQ(::statvfs(dir().c_str(), &st), 0);
  os::statvfs_result r = os::fstatvfs(fd);
  EXPECT_EQ(r.f_bsize, st.f_bsize);
  EXPECT_EQ(r.f_frsize, st.f_frsize);
  EXPECT_EQ(r.f_blocks, st.f_blocks);
  EXPECT_EQ(r.f_files, st.f_files);
  EXPECT_EQ(r.f_flag, st.f_flag);
  EXPECT_EQ(r.f_namemax, st.f_namemax);
  EXPECT_EQ(r.f_fsid, st.f_fsid);
  EXPECT_GT(r.f_namemax, 0u);
  // python3: a pipe has a file system too.
  auto [rd, wr] = os::pipe();
  EXPECT_TRUE(os::nothrow::fstatvfs(rd));
  EXPECT_RESULT_ERROR(os::nothrow::fstatvfs(closed_fd()), EBADF);
}

// --------------------------------------------------------- fchmod, fchown

TEST_F(FdMetaTest, FchmodChangesTheMode) {
  os::unique_fd fd = os::open(path("f"), O_WRONLY | O_CREAT, 0600);
  os::fchmod(fd, 0751);
  EXPECT_EQ(os::fstat(fd).st_mode & 07777, 0751u);
  EXPECT_TRUE(os::nothrow::fchmod(fd, 04700));
  EXPECT_EQ(os::fstat(fd).st_mode & 07777, 04700u);
}

TEST_F(FdMetaTest, FchownChangesOwnerAndMinusOneLeavesIt) {
  os::unique_fd fd = os::open(path("f"), O_WRONLY | O_CREAT, 0600);
  os::fchown(fd, 65534, 65534);
  EXPECT_EQ(os::fstat(fd).st_uid, 65534u);
  EXPECT_EQ(os::fstat(fd).st_gid, 65534u);
  os::fchown(fd, -1, 123);
  EXPECT_EQ(os::fstat(fd).st_uid, 65534u);
  EXPECT_EQ(os::fstat(fd).st_gid, 123u);
  EXPECT_TRUE(os::nothrow::fchown(fd, 0, -1));
  EXPECT_EQ(os::fstat(fd).st_uid, 0u);
  EXPECT_EQ(os::fstat(fd).st_gid, 123u);
  os::fchown(fd, -1, -1);
  EXPECT_EQ(os::fstat(fd).st_uid, 0u);
  EXPECT_EQ(os::fstat(fd).st_gid, 123u);
}

TEST_F(FdMetaTest, FchownAndFchmodUnprivilegedArePermissionErrors) {
  // root's file, opened by root; the child has the descriptor but not the
  // right: python3 raises PermissionError(EPERM) with no filename.
  os::unique_fd fd = os::open(path("f"), O_RDWR | O_CREAT, 0666);
  ASSERT_EQ(::fchmod(fd.get(), 0666), 0);
  int code = oscpp_test::run_unprivileged([&] {
    try {
      os::fchown(fd, 65534, -1);
      return 1;
    } catch (const os::OSError& e) {
      if (typeid(e) != typeid(os::PermissionError)) return 2;
      if (e.code().value() != EPERM || e.filename()) return 3;
    }
    try {
      os::fchmod(fd, 0777);
      return 4;
    } catch (const os::OSError& e) {
      if (typeid(e) != typeid(os::PermissionError)) return 5;
      if (e.code().value() != EPERM || e.filename()) return 6;
    }
    auto r = os::nothrow::fchown(fd, -1, 65534);
    if (r || r.error().value() != EPERM || r.error().filename()) return 7;
    return 0;
  });
  EXPECT_EQ(code, 0);
  EXPECT_EQ(os::fstat(fd).st_uid, 0u);
  EXPECT_EQ(os::fstat(fd).st_mode & 07777, 0666u);
}

// ------------------------------------------------------- fsync, fdatasync

TEST_F(FdMetaTest, FsyncAndFdatasyncFlushFiles) {
  os::unique_fd fd = os::open(path("f"), O_WRONLY | O_CREAT, 0600);
  ASSERT_EQ(::write(fd.get(), "data", 4), 4);
  EXPECT_NO_THROW(os::fsync(fd));
  EXPECT_TRUE(os::nothrow::fsync(fd.get()));
#if OSCPP_HAVE_FDATASYNC
  EXPECT_NO_THROW(os::fdatasync(fd));
  EXPECT_TRUE(os::nothrow::fdatasync(fd.get()));
#endif
  os::unique_fd d = os::open(dir(), O_RDONLY | O_DIRECTORY);
  EXPECT_NO_THROW(os::fsync(d));
  EXPECT_EQ(oscpp_test::read_file(path("f")), "data");
}

TEST_F(FdMetaTest, FsyncOfAPipeIsEinval) {
  // python3: os.fsync(r) on a pipe raises OSError(EINVAL).
  // Not auto [r, w]: clang 14 cannot capture bindings in a lambda.
  os::pipe_fds p = os::pipe();
  os::unique_fd &r = p.r, &w = p.w;
  EXPECT_OS_ERROR(os::fsync(r), os::OSError, EINVAL);
  EXPECT_RESULT_ERROR(os::nothrow::fsync(w), EINVAL);
#if OSCPP_HAVE_FDATASYNC
  EXPECT_OS_ERROR(os::fdatasync(w), os::OSError, EINVAL);
  EXPECT_RESULT_ERROR(os::nothrow::fdatasync(r), EINVAL);
#endif
}

// -------------------------------------------------------------- ftruncate

TEST_F(FdMetaTest, FtruncateShrinksAndExtends) {
  oscpp_test::write_file(path("f"), "abcdef");
  os::unique_fd fd = os::open(path("f"), O_RDWR);
  os::ftruncate(fd, 3);
  EXPECT_EQ(oscpp_test::read_file(path("f")), "abc");
  EXPECT_TRUE(os::nothrow::ftruncate(fd, 5));
  EXPECT_EQ(oscpp_test::read_file(path("f")), std::string("abc\0\0", 5));
  os::ftruncate(fd, 0);
  EXPECT_EQ(os::fstat(fd).st_size, 0);
}

TEST_F(FdMetaTest, FtruncateErrors) {
  // python3: read-only descriptor, negative length and pipe are all EINVAL.
  oscpp_test::write_file(path("f"), "abc");
  os::unique_fd ro = os::open(path("f"), O_RDONLY);
  EXPECT_OS_ERROR(os::ftruncate(ro, 0), os::OSError, EINVAL);
  EXPECT_RESULT_ERROR(os::nothrow::ftruncate(ro, 0), EINVAL);
  os::unique_fd rw = os::open(path("f"), O_RDWR);
  EXPECT_OS_ERROR(os::ftruncate(rw, -1), os::OSError, EINVAL);
  os::pipe_fds p = os::pipe();
  os::unique_fd& w = p.w;
  EXPECT_OS_ERROR(os::ftruncate(w, 0), os::OSError, EINVAL);
  EXPECT_EQ(oscpp_test::read_file(path("f")), "abc");
}

// ------------------------------------------ posix_fallocate, posix_fadvise

#if OSCPP_HAVE_POSIX_FALLOCATE
TEST_F(FdMetaTest, PosixFallocateReservesSpace) {
  os::unique_fd fd = os::open(path("f"), O_RDWR | O_CREAT, 0600);
  os::posix_fallocate(fd, 0, 8192);
  os::stat_result st = os::fstat(fd);
  EXPECT_EQ(st.st_size, 8192);
  EXPECT_GE(st.st_blocks * 512, 8192);
  EXPECT_TRUE(os::nothrow::posix_fallocate(fd, 10000, 100));
  EXPECT_EQ(os::fstat(fd).st_size, 10100);
  os::posix_fallocate(fd, 0, 10);  // never shrinks
  EXPECT_EQ(os::fstat(fd).st_size, 10100);
}

TEST_F(FdMetaTest, PosixFallocateErrors) {
  // python3: the error number comes back from the call (errno is not
  // used): read-only EBADF, pipe ESPIPE, empty or negative range EINVAL.
  oscpp_test::write_file(path("f"), "abc");
  os::unique_fd ro = os::open(path("f"), O_RDONLY);
  EXPECT_OS_ERROR(os::posix_fallocate(ro, 0, 10), os::OSError, EBADF);
  os::pipe_fds p = os::pipe();
  os::unique_fd& w = p.w;
  EXPECT_OS_ERROR(os::posix_fallocate(w, 0, 10), os::OSError, ESPIPE);
  EXPECT_RESULT_ERROR(os::nothrow::posix_fallocate(w, 0, 10), ESPIPE);
  os::unique_fd rw = os::open(path("f"), O_RDWR);
  EXPECT_OS_ERROR(os::posix_fallocate(rw, 0, 0), os::OSError, EINVAL);
  EXPECT_OS_ERROR(os::posix_fallocate(rw, -1, 10), os::OSError, EINVAL);
  EXPECT_RESULT_ERROR(os::nothrow::posix_fallocate(rw, 0, -5), EINVAL);
  EXPECT_EQ(os::fstat(rw).st_size, 3);
}
#endif

#if OSCPP_HAVE_POSIX_FADVISE
TEST_F(FdMetaTest, PosixFadviseAcceptsEveryAdvice) {
  oscpp_test::write_file(path("f"), std::string(10000, 'x'));
  os::unique_fd fd = os::open(path("f"), O_RDONLY);
  for (int advice :
       {POSIX_FADV_NORMAL, POSIX_FADV_SEQUENTIAL, POSIX_FADV_RANDOM,
        POSIX_FADV_NOREUSE, POSIX_FADV_WILLNEED, POSIX_FADV_DONTNEED}) {
    EXPECT_NO_THROW(os::posix_fadvise(fd, 0, 0, advice)) << advice;
    EXPECT_TRUE(os::nothrow::posix_fadvise(fd, 100, 1000, advice)) << advice;
  }
}

TEST_F(FdMetaTest, PosixFadviseErrors) {
  oscpp_test::write_file(path("f"), "abc");
  os::unique_fd fd = os::open(path("f"), O_RDONLY);
  EXPECT_OS_ERROR(os::posix_fadvise(fd, 0, 10, 999), os::OSError, EINVAL);
  EXPECT_RESULT_ERROR(os::nothrow::posix_fadvise(fd, 0, 10, 999), EINVAL);
  os::pipe_fds p = os::pipe();
  os::unique_fd &r = p.r, &w = p.w;
  EXPECT_OS_ERROR(os::posix_fadvise(r, 0, 10, POSIX_FADV_NORMAL), os::OSError,
                  ESPIPE);
  EXPECT_RESULT_ERROR(os::nothrow::posix_fadvise(w, 0, 10, POSIX_FADV_NORMAL),
                      ESPIPE);
}
#endif

// ---------------------------------------------------------------- fpathconf

TEST(Fpathconf, NamesAreExactlyPythons) {
  // python3 -c "import os; print(os.pathconf_names)" on this machine.
  const std::map<std::string, int, std::less<>> python = {
      {"PC_LINK_MAX", 0},
      {"PC_MAX_CANON", 1},
      {"PC_MAX_INPUT", 2},
      {"PC_NAME_MAX", 3},
      {"PC_PATH_MAX", 4},
      {"PC_PIPE_BUF", 5},
      {"PC_CHOWN_RESTRICTED", 6},
      {"PC_NO_TRUNC", 7},
      {"PC_VDISABLE", 8},
      {"PC_SYNC_IO", 9},
      {"PC_ASYNC_IO", 10},
      {"PC_PRIO_IO", 11},
      {"PC_SOCK_MAXBUF", 12},
      {"PC_FILESIZEBITS", 13},
      {"PC_REC_INCR_XFER_SIZE", 14},
      {"PC_REC_MAX_XFER_SIZE", 15},
      {"PC_REC_MIN_XFER_SIZE", 16},
      {"PC_REC_XFER_ALIGN", 17},
      {"PC_ALLOC_SIZE_MIN", 18},
      {"PC_SYMLINK_MAX", 19},
  };
  EXPECT_EQ(os::pathconf_names, python);
}

class FpathconfTest : public oscpp_test::TempDirTest {};

TEST_F(FpathconfTest, ByNameAndByNumber) {
  os::unique_fd dfd(::open(dir().c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  ASSERT_TRUE(dfd);
  EXPECT_EQ(os::fpathconf(dfd, "PC_NAME_MAX"), 255);
  EXPECT_EQ(os::fpathconf(dfd, _PC_NAME_MAX), 255);
  EXPECT_EQ(os::fpathconf(dfd, "PC_PATH_MAX"), 4096);
  auto r = os::nothrow::fpathconf(dfd, _PC_NAME_MAX);
  ASSERT_TRUE(r);
  EXPECT_EQ(*r, 255);
  raw_pipe p;
  EXPECT_EQ(os::fpathconf(p.r, "PC_PIPE_BUF"), 4096);
  // Python: PC_MAX_CANON (1) on a pipe is 255.
  EXPECT_EQ(os::fpathconf(p.w, 1), 255);
}

TEST_F(FpathconfTest, NoLimitIsMinusOneNotAnError) {
  // Python: fpathconf(fd, 'PC_SYMLINK_MAX') == -1, no exception.
  os::unique_fd dfd(::open(dir().c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  EXPECT_EQ(os::fpathconf(dfd, "PC_SYMLINK_MAX"), -1);
  auto r = os::nothrow::fpathconf(dfd, _PC_ASYNC_IO);
  ASSERT_TRUE(r);
  EXPECT_EQ(*r, -1);
}

TEST_F(FpathconfTest, Errors) {
  os::unique_fd dfd(::open(dir().c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  EXPECT_EQ(invalid_argument_message([&] { os::fpathconf(dfd, "BOGUS"); }),
            "unrecognized configuration name");
  EXPECT_EQ(
      invalid_argument_message([&] { os::fpathconf(dfd, "pc_name_max"); }),
      "unrecognized configuration name");
  EXPECT_OS_ERROR(os::fpathconf(dfd, 12345), os::OSError, EINVAL);
  EXPECT_RESULT_ERROR(os::nothrow::fpathconf(dfd, 12345), EINVAL);
  EXPECT_RESULT_ERROR(os::nothrow::fpathconf(dfd, -1), EINVAL);
  int bad = closed_fd();
#if defined(__linux__) && !defined(__GLIBC__)
  // musl's fpathconf answers from a table without looking at the
  // descriptor, so Python there returns the value for a closed one too.
  EXPECT_EQ(os::fpathconf(bad, "PC_NAME_MAX"), ::fpathconf(bad, _PC_NAME_MAX));
  EXPECT_EQ(os::fpathconf(bad, "PC_NAME_MAX"), 255);
#else
  EXPECT_OS_ERROR(os::fpathconf(bad, "PC_NAME_MAX"), os::OSError, EBADF);
  EXPECT_RESULT_ERROR(os::nothrow::fpathconf(bad, _PC_NAME_MAX), EBADF);
#endif
}

}  // namespace
