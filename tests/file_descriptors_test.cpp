// File Descriptor Operations: open, close, closerange, dup, dup2, pipe,
// pipe2, blocking, inheritance, lseek, lockf, unique_fd, and EBADF from every
// descriptor function (the metadata calls are tested in
// file_descriptors_meta_test.cpp). Expected results and errors were taken
// from python3 (3.11) doing the same thing.
#include "oscpp/file_descriptors.hpp"

#include <gtest/gtest.h>
#include <sys/ioctl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#if defined(__linux__)
#include <sys/syscall.h>
#endif

#include <cerrno>
#include <functional>
#include <optional>
#include <string>
#include <typeinfo>
#include <vector>

#include "file_descriptors_test_util.hpp"
#include "support/support.hpp"

namespace {

using oscpp_test::is_cloexec;
using namespace fd_test;

class FdTest : public oscpp_test::TempDirTest {};

// The child's exit status: bit i set if argv[i] is an open descriptor.
OSCPP_CHILD_MODE(report_open_fds) {
  int mask = 0;
  for (int i = 0; i < argc; ++i)
    if (is_open(std::stoi(argv[i]))) mask |= 1 << i;
  return mask;
}

// ------------------------------------------------------------------ open

TEST_F(FdTest, OpenCreatesWithModeAndIsCloseOnExec) {
  mode_t mask = ::umask(022);
  os::unique_fd fd = os::open(path("f"), O_WRONLY | O_CREAT, 0640);
  ::umask(mask);
  ASSERT_TRUE(fd);
  EXPECT_TRUE(is_cloexec(fd.get()));
  struct ::stat st;
  ASSERT_EQ(::stat(path("f").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 07777, 0640u);
  // The default mode is 0777, less the umask.
  mask = ::umask(027);
  os::unique_fd g = os::open(path("g"), O_WRONLY | O_CREAT);
  ::umask(mask);
  ASSERT_EQ(::stat(path("g").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 07777, 0750u);
}

TEST_F(FdTest, OpenReadsTheFileAndNothrowFormWorks) {
  oscpp_test::write_file(path("f"), "hello");
  auto r = os::nothrow::open(path("f"), O_RDONLY);
  ASSERT_TRUE(r);
  EXPECT_TRUE(is_cloexec(r->get()));
  char buf[8];
  EXPECT_EQ(::read(r->get(), buf, sizeof buf), 5);
  // O_CLOEXEC given explicitly changes nothing.
  os::unique_fd again = os::open(path("f"), O_RDONLY | O_CLOEXEC);
  EXPECT_TRUE(is_cloexec(again.get()));
}

TEST_F(FdTest, OpenRelativeToDirFd) {
  ASSERT_EQ(::mkdir(path("sub").c_str(), 0755), 0);
  oscpp_test::write_file(path("sub/f"), "x");
  os::unique_fd dir = os::open(path("sub"), O_RDONLY | O_DIRECTORY);
  os::unique_fd fd = os::open("f", O_RDONLY, 0777, {.dir_fd = dir});
  EXPECT_TRUE(is_cloexec(fd.get()));
  os::unique_fd made =
      os::open("new", O_WRONLY | O_CREAT, 0600, {.dir_fd = dir});
  EXPECT_EQ(::access(path("sub/new").c_str(), F_OK), 0);
  // A missing name: the error names the path as given, not dir + path.
  EXPECT_OS_ERROR((void)os::open("nope", O_RDONLY, 0, {.dir_fd = dir}),
                  os::FileNotFoundError, ENOENT, "nope");
  EXPECT_RESULT_ERROR(os::nothrow::open("nope", O_RDONLY, 0, {.dir_fd = dir}),
                      ENOENT, "nope");
  // A bad dir_fd is EBADF, still with the path.
  EXPECT_OS_ERROR((void)os::open("f", O_RDONLY, 0, {.dir_fd = closed_fd()}),
                  os::OSError, EBADF, "f");
}

TEST_F(FdTest, OpenErrorsAreTypedAndNameThePath) {
  std::string missing = path("missing");
  EXPECT_OS_ERROR((void)os::open(missing, O_RDONLY), os::FileNotFoundError,
                  ENOENT, missing);
  EXPECT_RESULT_ERROR(os::nothrow::open(missing, O_RDONLY), ENOENT, missing);

  EXPECT_OS_ERROR((void)os::open(dir(), O_WRONLY), os::IsADirectoryError,
                  EISDIR, dir());
  EXPECT_RESULT_ERROR(os::nothrow::open(dir(), O_RDWR), EISDIR, dir());

  oscpp_test::write_file(path("f"), "");
  EXPECT_OS_ERROR((void)os::open(path("f"), O_WRONLY | O_CREAT | O_EXCL),
                  os::FileExistsError, EEXIST, path("f"));
  EXPECT_OS_ERROR((void)os::open(path("f/x"), O_RDONLY), os::NotADirectoryError,
                  ENOTDIR, path("f/x"));
  EXPECT_OS_ERROR((void)os::open(path("f"), O_RDONLY | O_DIRECTORY),
                  os::NotADirectoryError, ENOTDIR, path("f"));
  // An embedded NUL is Python's ValueError, before any syscall.
  EXPECT_THROW((void)os::open(std::string("a\0b", 3), O_RDONLY),
               std::invalid_argument);
}

TEST_F(FdTest, OpenWithoutPermissionIsPermissionError) {
  std::string secret = path("secret");
  oscpp_test::write_file(secret, "x");
  ASSERT_EQ(::chmod(secret.c_str(), 0600), 0);
  ASSERT_EQ(::chmod(dir().c_str(), 0755), 0);
  int code = oscpp_test::run_unprivileged([&] {
    try {
      (void)os::open(secret, O_RDONLY);
      return 1;
    } catch (const os::OSError& e) {
      if (typeid(e) != typeid(os::PermissionError)) return 2;
      if (e.code().value() != EACCES) return 3;
      if (e.filename() != secret || e.filename2()) return 4;
    }
    auto r = os::nothrow::open(secret, O_RDONLY);
    if (r || r.error().value() != EACCES || r.error().filename() != secret)
      return 5;
    return 0;
  });
  EXPECT_EQ(code, 0);
}

// ------------------------------------------------------------------ close

TEST_F(FdTest, CloseClosesAndReportsEbadf) {
  int fd = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
  ASSERT_GE(fd, 0);
  os::close(fd);
  EXPECT_FALSE(is_open(fd));
  EXPECT_OS_ERROR(os::close(fd), os::OSError, EBADF);
  EXPECT_RESULT_ERROR(os::nothrow::close(fd), EBADF);
  os::unique_fd owned = os::open("/dev/null", O_RDONLY);
  int n = owned.get();
  os::close(std::move(owned));
  EXPECT_FALSE(is_open(n));
  // os.close(fd) on an owned descriptor: closed, and left empty.
  owned = os::open("/dev/null", O_RDONLY);
  n = owned.get();
  os::close(owned);
  EXPECT_FALSE(owned);
  EXPECT_FALSE(is_open(n));
  owned = os::open("/dev/null", O_RDONLY);
  n = owned.get();
  EXPECT_TRUE(os::nothrow::close(owned));
  EXPECT_FALSE(owned);
  EXPECT_FALSE(is_open(n));
}

// ------------------------------------------------------------- closerange

TEST_F(FdTest, CloserangeClosesExactlyTheRange) {
  os::unique_fd src = os::open("/dev/null", O_RDONLY);
  int base = free_fds(5);
  for (int i = 0; i < 5; ++i) ASSERT_EQ(::dup2(src.get(), base + i), base + i);
  os::closerange(base + 1, base + 4);
  EXPECT_TRUE(is_open(base));
  EXPECT_FALSE(is_open(base + 1));
  EXPECT_FALSE(is_open(base + 2));
  EXPECT_FALSE(is_open(base + 3));
  EXPECT_TRUE(is_open(base + 4));
  // Closed descriptors in the range are no error.
  EXPECT_TRUE(os::nothrow::closerange(base + 1, base + 4));
  EXPECT_NO_THROW(os::closerange(base, base + 5));
  for (int i = 0; i < 5; ++i) EXPECT_FALSE(is_open(base + i));
}

TEST_F(FdTest, CloserangeOfAnEmptyRangeClosesNothing) {
  os::unique_fd src = os::open("/dev/null", O_RDONLY);
  int base = free_fds(3);
  for (int i = 0; i < 3; ++i) ASSERT_EQ(::dup2(src.get(), base + i), base + i);
  os::closerange(base + 1, base + 1);
  os::closerange(base + 2, base);
  // fd_high <= 0 is an empty range too (CPython 3.11 closes everything
  // from fd_low up here, which its documentation does not allow).
  os::closerange(base, 0);
  os::closerange(base, -5);
  for (int i = 0; i < 3; ++i) EXPECT_TRUE(is_open(base + i)) << i;
  os::closerange(base, base + 3);
}

TEST_F(FdTest, CloserangeWithNegativeLowStartsAtZero) {
  int code = run_in_child([] {
    if (!is_open(0) || !is_open(1)) return 1;
    os::closerange(-5, 1);
    return !is_open(0) && is_open(1) ? 0 : 2;
  });
  EXPECT_EQ(code, 0);
}

// seccomp and /proc are Linux's.
#if defined(__linux__)
TEST_F(FdTest, CloserangeWorksWithoutCloseRange) {
  // A kernel before 5.9, or a sandbox, refuses close_range: the descriptors
  // are then found in /proc/self/fd.
  int code = run_in_child([] {
    int src = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
    int base = free_fds(5);
    for (int i = 0; i < 5; ++i) ::dup2(src, base + i);
    if (!deny_syscall(SYS_close_range, ENOSYS)) return kNoSeccomp;
    if (::syscall(SYS_close_range, 5000U, 5001U, 0U) != -1 || errno != ENOSYS)
      return 1;
    os::closerange(base + 1, base + 4);
    if (!is_open(base) || !is_open(base + 4)) return 2;
    for (int i = 1; i < 4; ++i)
      if (is_open(base + i)) return 3;
    return 0;
  });
  if (code == kNoSeccomp) GTEST_SKIP() << "seccomp is not available";
  EXPECT_EQ(code, 0);
}

TEST_F(FdTest, CloserangeWorksWithoutCloseRangeOrProc) {
  // No descriptor left to open /proc/self/fd with (RLIMIT_NOFILE 0): every
  // number up to the hard limit is closed in turn.
  int code = run_in_child([] {
    int src = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
    int base = free_fds(5);
    for (int i = 0; i < 5; ++i) ::dup2(src, base + i);
    if (!deny_syscall(SYS_close_range, ENOSYS)) return kNoSeccomp;
    struct ::rlimit rl = {0, static_cast<rlim_t>(base + 10)};
    if (::setrlimit(RLIMIT_NOFILE, &rl) != 0) return 1;
    if (::open("/proc/self/fd", O_RDONLY) != -1 || errno != EMFILE) return 2;
    os::closerange(base + 1, base + 4);
    if (!is_open(base) || !is_open(base + 4)) return 3;
    for (int i = 1; i < 4; ++i)
      if (is_open(base + i)) return 4;
    return 0;
  });
  if (code == kNoSeccomp) GTEST_SKIP() << "seccomp is not available";
  EXPECT_EQ(code, 0);
}
#endif

// ------------------------------------------------------------- dup, dup2

TEST_F(FdTest, DupIsCloseOnExecAndSharesTheOffset) {
  oscpp_test::write_file(path("f"), "0123456789");
  os::unique_fd fd = os::open(path("f"), O_RDONLY);
  ASSERT_EQ(::fcntl(fd.get(), F_SETFD, 0), 0);  // inheritable original
  os::unique_fd copy = os::dup(fd);
  EXPECT_NE(copy.get(), fd.get());
  EXPECT_TRUE(is_cloexec(copy.get()));
  ASSERT_EQ(::lseek(fd.get(), 4, SEEK_SET), 4);
  EXPECT_EQ(::lseek(copy.get(), 0, SEEK_CUR), 4);
  auto r = os::nothrow::dup(fd.get());
  ASSERT_TRUE(r);
  EXPECT_TRUE(is_cloexec(r->get()));
}

TEST_F(FdTest, Dup2IsInheritableByDefault) {
  os::unique_fd fd = os::open("/dev/null", O_RDONLY);
  int target = free_fds(1);
  // Replacing an open close-on-exec descriptor makes it inheritable.
  ASSERT_EQ(::fcntl(fd.get(), F_DUPFD_CLOEXEC, target), target);
  os::unique_fd owned(target);
  EXPECT_EQ(os::dup2(fd, target), target);
  EXPECT_FALSE(is_cloexec(target));
  EXPECT_TRUE(os::get_inheritable(target));
  auto r = os::nothrow::dup2(fd, target);
  ASSERT_TRUE(r);
  EXPECT_EQ(*r, target);
}

TEST_F(FdTest, Dup2NonInheritableIsCloseOnExec) {
  os::unique_fd fd = os::open("/dev/null", O_RDONLY);
  int target = free_fds(1);
  EXPECT_EQ(os::dup2(fd, target, false), target);
  os::unique_fd owned(target);
  EXPECT_TRUE(is_cloexec(target));
  ASSERT_EQ(::fcntl(target, F_SETFD, 0), 0);
  EXPECT_EQ(os::dup2(fd, target, /*inheritable=*/false), target);
  EXPECT_TRUE(is_cloexec(target));
}

TEST_F(FdTest, Dup2OntoItself) {
  // As python3: os.dup2(fd, fd) returns fd and leaves its flags alone;
  // with inheritable=False it is EINVAL (dup3's answer).
  os::unique_fd fd = os::open("/dev/null", O_RDONLY);
  EXPECT_EQ(os::dup2(fd, fd.get()), fd.get());
  EXPECT_TRUE(is_cloexec(fd.get()));
  EXPECT_OS_ERROR((void)os::dup2(fd, fd.get(), false), os::OSError, EINVAL);
  EXPECT_RESULT_ERROR(os::nothrow::dup2(fd, fd.get(), false), EINVAL);
  int gone = closed_fd();
  EXPECT_OS_ERROR((void)os::dup2(gone, gone), os::OSError, EBADF);
}

TEST_F(FdTest, Dup2ToABadTargetIsEbadf) {
  os::unique_fd fd = os::open("/dev/null", O_RDONLY);
  EXPECT_OS_ERROR((void)os::dup2(fd, -1), os::OSError, EBADF);
  EXPECT_OS_ERROR((void)os::dup2(fd, -1, false), os::OSError, EBADF);
  EXPECT_RESULT_ERROR(os::nothrow::dup2(fd, -1), EBADF);
  struct ::rlimit rl;
  ASSERT_EQ(::getrlimit(RLIMIT_NOFILE, &rl), 0);
  int beyond = static_cast<int>(std::min<rlim_t>(rl.rlim_cur, 1 << 30));
  EXPECT_OS_ERROR((void)os::dup2(fd, beyond), os::OSError, EBADF);
}

// pipe2(0) is the second positive control.
#if OSCPP_HAVE_PIPE2
TEST_F(FdTest, InheritanceAcrossExecFollowsPython) {
  os::unique_fd file = os::open("/dev/null", O_RDONLY);
  os::unique_fd dupped = os::dup(file);
  int base = free_fds(2);
  os::unique_fd inheritable(os::dup2(file, base));
  os::unique_fd not_inheritable(os::dup2(file, base + 1, false));
  auto [r, w] = os::pipe();
  auto [r0, w0] = os::pipe2(0);
  std::vector<std::string> args;
  for (const os::unique_fd* fd :
       {&file, &dupped, &inheritable, &not_inheritable, &r, &w, &r0, &w0})
    args.push_back(std::to_string(fd->get()));
  int status = oscpp_test::run_child_mode("report_open_fds", args);
  ASSERT_TRUE(WIFEXITED(status));
  // Only dup2's default and pipe2(0) survive exec.
  EXPECT_EQ(WEXITSTATUS(status), (1 << 2) | (1 << 6) | (1 << 7));
}
#endif

// --------------------------------------------------------------- pipes

TEST_F(FdTest, PipeIsCloseOnExecAndCarriesData) {
  auto [r, w] = os::pipe();
  EXPECT_TRUE(is_cloexec(r.get()));
  EXPECT_TRUE(is_cloexec(w.get()));
  ASSERT_EQ(::write(w.get(), "ab", 2), 2);
  char buf[4];
  EXPECT_EQ(::read(r.get(), buf, sizeof buf), 2);
  auto p = os::nothrow::pipe();
  ASSERT_TRUE(p);
  EXPECT_TRUE(is_cloexec(p->r.get()));
  EXPECT_TRUE(is_cloexec(p->w.get()));
}

TEST_F(FdTest, PipeFailsWithEmfileAndLeavesNothing) {
  int code = run_in_child([] {
    struct ::rlimit rl = {0, 0};
    ::getrlimit(RLIMIT_NOFILE, &rl);
    rl.rlim_cur = 0;
    if (::setrlimit(RLIMIT_NOFILE, &rl) != 0) return 1;
    try {
      (void)os::pipe();
      return 2;
    } catch (const os::OSError& e) {
      if (typeid(e) != typeid(os::OSError) || e.code().value() != EMFILE ||
          e.filename())
        return 3;
    }
#if OSCPP_HAVE_PIPE2
    auto r = os::nothrow::pipe2(0);
#else
    auto r = os::nothrow::pipe();
#endif
    return !r && r.error().value() == EMFILE ? 0 : 4;
  });
  EXPECT_EQ(code, 0);
}

#if OSCPP_HAVE_PIPE2
TEST_F(FdTest, Pipe2TakesFlagsVerbatim) {
  // python3: os.pipe2(0) gives inheritable descriptors.
  auto [r, w] = os::pipe2(0);
  EXPECT_FALSE(is_cloexec(r.get()));
  EXPECT_FALSE(is_cloexec(w.get()));
  EXPECT_TRUE(os::get_blocking(r));
  auto [nr, nw] = os::pipe2(O_NONBLOCK | O_CLOEXEC);
  EXPECT_TRUE(is_cloexec(nr.get()));
  EXPECT_FALSE(os::get_blocking(nr));
  EXPECT_FALSE(os::get_blocking(nw));
  EXPECT_OS_ERROR((void)os::pipe2(0x12345678), os::OSError, EINVAL);
  EXPECT_RESULT_ERROR(os::nothrow::pipe2(0x12345678), EINVAL);
}
#endif

// ------------------------------------------------ blocking, inheritance

TEST_F(FdTest, BlockingRoundTripsAndKeepsOtherFlags) {
  oscpp_test::write_file(path("f"), "");
  os::unique_fd fd = os::open(path("f"), O_WRONLY | O_APPEND);
  EXPECT_TRUE(os::get_blocking(fd));
  os::set_blocking(fd, false);
  EXPECT_FALSE(os::get_blocking(fd));
  int flags = ::fcntl(fd.get(), F_GETFL);
  EXPECT_NE(flags & O_NONBLOCK, 0);
  EXPECT_NE(flags & O_APPEND, 0);
  os::set_blocking(fd, false);
  EXPECT_FALSE(*os::nothrow::get_blocking(fd));
  EXPECT_TRUE(os::nothrow::set_blocking(fd, true));
  EXPECT_TRUE(os::get_blocking(fd));
  flags = ::fcntl(fd.get(), F_GETFL);
  EXPECT_EQ(flags & O_NONBLOCK, 0);
  EXPECT_NE(flags & O_APPEND, 0);
  // The file status flags belong to the open file: a dup sees them.
  auto [r, w] = os::pipe();
  os::unique_fd r2 = os::dup(r);
  os::set_blocking(r, false);
  EXPECT_FALSE(os::get_blocking(r2));
}

// O_PATH is Linux's.
#if defined(__linux__)
TEST_F(FdTest, SetBlockingOnAnOPathDescriptorIsEbadf) {
  // python3: os.get_blocking works on O_PATH, os.set_blocking is EBADF.
  os::unique_fd fd = os::open(dir(), O_PATH);
  EXPECT_TRUE(os::get_blocking(fd));
  EXPECT_OS_ERROR(os::set_blocking(fd, false), os::OSError, EBADF);
}
#endif

TEST_F(FdTest, InheritableRoundTrips) {
  os::unique_fd fd = os::open("/dev/null", O_RDONLY);
  EXPECT_FALSE(os::get_inheritable(fd));
  os::set_inheritable(fd, true);
  EXPECT_TRUE(os::get_inheritable(fd));
  EXPECT_FALSE(is_cloexec(fd.get()));
  os::set_inheritable(fd, true);
  EXPECT_TRUE(*os::nothrow::get_inheritable(fd));
  EXPECT_TRUE(os::nothrow::set_inheritable(fd, false));
  EXPECT_FALSE(os::get_inheritable(fd));
  EXPECT_TRUE(is_cloexec(fd.get()));
  // Descriptor flags are per descriptor: a dup is unaffected.
  os::unique_fd other = os::dup(fd);
  os::set_inheritable(fd, true);
  EXPECT_TRUE(is_cloexec(other.get()));
}

// O_PATH and seccomp are Linux's.
#if defined(__linux__)
TEST_F(FdTest, InheritableWorksOnOPathDescriptors) {
  // ioctl refuses O_PATH descriptors (EBADF); python3 manages, so must we.
  os::unique_fd fd = os::open(dir(), O_PATH);
  EXPECT_FALSE(os::get_inheritable(fd));
  os::set_inheritable(fd, true);
  EXPECT_TRUE(os::get_inheritable(fd));
  os::set_inheritable(fd, false);
  EXPECT_TRUE(is_cloexec(fd.get()));
}

TEST_F(FdTest, FlagsWorkWhereIoctlIsForbidden) {
  int code = run_in_child([] {
    int fds[2];
    if (::pipe2(fds, O_CLOEXEC) != 0) return 1;
    if (!deny_syscall(SYS_ioctl, EACCES)) return kNoSeccomp;
    if (::ioctl(fds[0], FIOCLEX) != -1 || errno != EACCES) return 2;
    os::set_blocking(fds[0], false);
    if ((::fcntl(fds[0], F_GETFL) & O_NONBLOCK) == 0) return 3;
    os::set_blocking(fds[0], true);
    if ((::fcntl(fds[0], F_GETFL) & O_NONBLOCK) != 0) return 4;
    os::set_inheritable(fds[1], true);
    if ((::fcntl(fds[1], F_GETFD) & FD_CLOEXEC) != 0) return 5;
    os::set_inheritable(fds[1], false);
    if ((::fcntl(fds[1], F_GETFD) & FD_CLOEXEC) == 0) return 6;
    auto r = os::nothrow::set_blocking(closed_fd(), true);
    if (r || r.error().value() != EBADF) return 7;
    return 0;
  });
  if (code == kNoSeccomp) GTEST_SKIP() << "seccomp is not available";
  EXPECT_EQ(code, 0);
}
#endif

// ------------------------------------------------------------ lseek, lockf

TEST_F(FdTest, LseekMovesTheOffset) {
  oscpp_test::write_file(path("f"), "0123456789");
  os::unique_fd fd = os::open(path("f"), O_RDONLY);
  EXPECT_EQ(os::lseek(fd, 3, SEEK_SET), 3);
  EXPECT_EQ(os::lseek(fd, 2, SEEK_CUR), 5);
  EXPECT_EQ(os::lseek(fd, -1, SEEK_END), 9);
  EXPECT_EQ(*os::nothrow::lseek(fd, 100, SEEK_SET), 100);
  char c;
  ASSERT_EQ(::lseek(fd.get(), 7, SEEK_SET), 7);
  ASSERT_EQ(::read(fd.get(), &c, 1), 1);
  EXPECT_EQ(os::lseek(fd, 0, SEEK_CUR), 8);
}

TEST_F(FdTest, LseekErrors) {
  // Not auto [r, w]: clang 14 cannot capture bindings in a lambda.
  os::pipe_fds p = os::pipe();
  os::unique_fd &r = p.r, &w = p.w;
  EXPECT_OS_ERROR((void)os::lseek(r, 0, SEEK_SET), os::OSError, ESPIPE);
  EXPECT_RESULT_ERROR(os::nothrow::lseek(w, 0, SEEK_CUR), ESPIPE);
  oscpp_test::write_file(path("f"), "abc");
  os::unique_fd fd = os::open(path("f"), O_RDONLY);
  EXPECT_OS_ERROR((void)os::lseek(fd, -1, SEEK_SET), os::OSError, EINVAL);
  EXPECT_OS_ERROR((void)os::lseek(fd, 0, 99), os::OSError, EINVAL);
  EXPECT_OS_ERROR((void)os::lseek(fd, 10, SEEK_DATA), os::OSError, ENXIO);
}

TEST_F(FdTest, LockfLocksAgainstOtherProcesses) {
  oscpp_test::write_file(path("f"), "");
  os::unique_fd fd = os::open(path("f"), O_RDWR);
  os::lockf(fd, F_LOCK, 0);
  std::string p = path("f");
  auto probe = [&] {
    int mine = ::open(p.c_str(), O_RDWR | O_CLOEXEC);
    // python3: F_TLOCK is BlockingIOError EAGAIN, F_TEST PermissionError.
    try {
      os::lockf(mine, F_TLOCK, 0);
      return 1;
    } catch (const os::OSError& e) {
      if (typeid(e) != typeid(os::BlockingIOError) ||
          e.code().value() != EAGAIN || e.filename())
        return 2;
    }
    try {
      os::lockf(mine, F_TEST, 0);
      return 3;
    } catch (const os::OSError& e) {
      if (typeid(e) != typeid(os::PermissionError) ||
          e.code().value() != EACCES)
        return 4;
    }
    auto r = os::nothrow::lockf(mine, F_TLOCK, 0);
    if (r || r.error().value() != EAGAIN) return 5;
    return 0;
  };
  EXPECT_EQ(run_in_child(probe), 0);
  EXPECT_TRUE(os::nothrow::lockf(fd, F_ULOCK, 0));
  EXPECT_EQ(run_in_child([&] {
              int mine = ::open(p.c_str(), O_RDWR | O_CLOEXEC);
              return os::nothrow::lockf(mine, F_TEST, 0) ? 0 : 1;
            }),
            0);
  EXPECT_OS_ERROR(os::lockf(fd, 99, 0), os::OSError, EINVAL);
}

// ---------------------------------------------------------------- EBADF

TEST_F(FdTest, EveryDescriptorFunctionFailsWithEbadf) {
  // python3 raises OSError(EBADF) with no filename for each of these.
  const int fd = closed_fd();
  EXPECT_OS_ERROR(os::close(fd), os::OSError, EBADF);
  EXPECT_OS_ERROR((void)os::dup(fd), os::OSError, EBADF);
  EXPECT_OS_ERROR((void)os::dup2(fd, free_fds(1)), os::OSError, EBADF);
  EXPECT_OS_ERROR((void)os::dup2(fd, free_fds(1), false), os::OSError, EBADF);
  EXPECT_OS_ERROR(os::fchmod(fd, 0644), os::OSError, EBADF);
  EXPECT_OS_ERROR(os::fchown(fd, -1, -1), os::OSError, EBADF);
#if OSCPP_HAVE_FDATASYNC
  EXPECT_OS_ERROR(os::fdatasync(fd), os::OSError, EBADF);
#endif
  EXPECT_OS_ERROR(os::fsync(fd), os::OSError, EBADF);
  EXPECT_OS_ERROR((void)os::fstat(fd), os::OSError, EBADF);
  EXPECT_OS_ERROR((void)os::fstatvfs(fd), os::OSError, EBADF);
  EXPECT_OS_ERROR(os::ftruncate(fd, 0), os::OSError, EBADF);
  EXPECT_OS_ERROR((void)os::get_blocking(fd), os::OSError, EBADF);
  EXPECT_OS_ERROR(os::set_blocking(fd, true), os::OSError, EBADF);
  EXPECT_OS_ERROR((void)os::get_inheritable(fd), os::OSError, EBADF);
  EXPECT_OS_ERROR(os::set_inheritable(fd, true), os::OSError, EBADF);
  EXPECT_OS_ERROR(os::set_inheritable(fd, false), os::OSError, EBADF);
  EXPECT_OS_ERROR(os::lockf(fd, F_LOCK, 0), os::OSError, EBADF);
  EXPECT_OS_ERROR((void)os::lseek(fd, 0, SEEK_SET), os::OSError, EBADF);
#if OSCPP_HAVE_POSIX_FALLOCATE
  EXPECT_OS_ERROR(os::posix_fallocate(fd, 0, 10), os::OSError, EBADF);
#endif
#if OSCPP_HAVE_POSIX_FADVISE
  EXPECT_OS_ERROR(os::posix_fadvise(fd, 0, 10, POSIX_FADV_NORMAL), os::OSError,
                  EBADF);
#endif

  EXPECT_RESULT_ERROR(os::nothrow::close(fd), EBADF);
  EXPECT_RESULT_ERROR(os::nothrow::dup(fd), EBADF);
  EXPECT_RESULT_ERROR(os::nothrow::dup2(fd, free_fds(1)), EBADF);
  EXPECT_RESULT_ERROR(os::nothrow::fchmod(fd, 0644), EBADF);
  EXPECT_RESULT_ERROR(os::nothrow::fchown(fd, -1, -1), EBADF);
#if OSCPP_HAVE_FDATASYNC
  EXPECT_RESULT_ERROR(os::nothrow::fdatasync(fd), EBADF);
#endif
  EXPECT_RESULT_ERROR(os::nothrow::fsync(fd), EBADF);
  EXPECT_RESULT_ERROR(os::nothrow::fstat(fd), EBADF);
  EXPECT_RESULT_ERROR(os::nothrow::fstatvfs(fd), EBADF);
  EXPECT_RESULT_ERROR(os::nothrow::ftruncate(fd, 0), EBADF);
  EXPECT_RESULT_ERROR(os::nothrow::get_blocking(fd), EBADF);
  EXPECT_RESULT_ERROR(os::nothrow::set_blocking(fd, false), EBADF);
  EXPECT_RESULT_ERROR(os::nothrow::get_inheritable(fd), EBADF);
  EXPECT_RESULT_ERROR(os::nothrow::set_inheritable(fd, false), EBADF);
  EXPECT_RESULT_ERROR(os::nothrow::lockf(fd, F_ULOCK, 0), EBADF);
  EXPECT_RESULT_ERROR(os::nothrow::lseek(fd, 0, SEEK_END), EBADF);
#if OSCPP_HAVE_POSIX_FALLOCATE
  EXPECT_RESULT_ERROR(os::nothrow::posix_fallocate(fd, 0, 10), EBADF);
#endif
#if OSCPP_HAVE_POSIX_FADVISE
  EXPECT_RESULT_ERROR(os::nothrow::posix_fadvise(fd, 0, 10, POSIX_FADV_NORMAL),
                      EBADF);
#endif
  // A negative descriptor too (python3: EBADF, except fsync and fdatasync,
  // whose argument conversion raises ValueError).
  EXPECT_OS_ERROR((void)os::fstat(-1), os::OSError, EBADF);
  EXPECT_OS_ERROR((void)os::dup(-1), os::OSError, EBADF);
  EXPECT_OS_ERROR((void)os::dup2(-1, free_fds(1)), os::OSError, EBADF);
}

// ------------------------------------------------------------- unique_fd

TEST_F(FdTest, UniqueFdCloseClosesAndReleases) {
  os::unique_fd fd = os::open("/dev/null", O_RDONLY);
  int n = fd.get();
  fd.close();
  EXPECT_FALSE(is_open(n));
  EXPECT_EQ(fd.get(), -1);
  EXPECT_FALSE(fd);
  EXPECT_NO_THROW(fd.close());  // nothing held: nothing to do
}

TEST_F(FdTest, UniqueFdCloseReportsErrorsAndStillReleases) {
  os::unique_fd fd = os::open("/dev/null", O_RDONLY);
  ASSERT_EQ(::close(fd.get()), 0);  // closed behind its back
  EXPECT_OS_ERROR(fd.close(), os::OSError, EBADF);
  EXPECT_EQ(fd.get(), -1);
}

TEST_F(FdTest, UniqueFdResetClosesTheOldDescriptor) {
  os::unique_fd fd = os::open("/dev/null", O_RDONLY);
  int first = fd.get();
  int second = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
  fd.reset(second);
  EXPECT_FALSE(is_open(first));
  EXPECT_EQ(fd.get(), second);
  fd.reset(fd.get());  // the same descriptor: kept, not closed
  EXPECT_TRUE(is_open(second));
  EXPECT_EQ(fd.get(), second);
  fd.reset();
  EXPECT_FALSE(is_open(second));
  EXPECT_EQ(fd.get(), -1);
  fd.reset(closed_fd());  // errors are ignored
  EXPECT_EQ(::fcntl(fd.release(), F_GETFD), -1);
}

TEST_F(FdTest, UniqueFdDestructionAndMoveClose) {
  int n;
  {
    os::unique_fd fd = os::open("/dev/null", O_RDONLY);
    n = fd.get();
  }
  EXPECT_FALSE(is_open(n));
  os::unique_fd a = os::open("/dev/null", O_RDONLY);
  os::unique_fd b = os::open("/dev/null", O_RDONLY);
  int old_b = b.get();
  int a_fd = a.get();
  b = std::move(a);
  EXPECT_FALSE(is_open(old_b));
  EXPECT_EQ(b.get(), a_fd);
  EXPECT_EQ(a.get(), -1);  // NOLINT(bugprone-use-after-move)
  int raw = b.release();
  EXPECT_TRUE(is_open(raw));
  ::close(raw);
}

}  // namespace
