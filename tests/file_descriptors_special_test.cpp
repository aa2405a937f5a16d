// File Descriptor Operations, the special topic: memfd_create, eventfd,
// timerfd. Every expectation was checked against python3 (3.11), and the
// timerfd ones against python3.13, which added them.
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <cerrno>
#include <cmath>
#include <cstdio>
#include <limits>
#include <map>
#include <stdexcept>
#include <string>
#include <typeinfo>

#include "oscpp/file_descriptors.hpp"
#include "support/support.hpp"

#if OSCPP_HAVE_EVENTFD
#include <sys/eventfd.h>
#endif
#if OSCPP_HAVE_TIMERFD
#include <sys/timerfd.h>
#endif

namespace {

// Every call of this file is Linux's (memfd_create, eventfd, timerfd).
#if OSCPP_HAVE_MEMFD_CREATE || OSCPP_HAVE_EVENTFD || OSCPP_HAVE_TIMERFD
using oscpp_test::closed_fd;
using oscpp_test::invalid_argument_message;
using oscpp_test::is_cloexec;
using oscpp_test::raw_pipe;

bool is_blocking(int fd) { return (::fcntl(fd, F_GETFL) & O_NONBLOCK) == 0; }
#endif

// ---------------------------------------------------------------- memfd

#if OSCPP_HAVE_MEMFD_CREATE
TEST(MemfdCreate, DefaultIsCloseOnExecAndNamed) {
  auto fd = os::memfd_create("abc");
  EXPECT_TRUE(is_cloexec(fd.get()));
  EXPECT_EQ(
      std::filesystem::read_symlink("/proc/self/fd/" + std::to_string(fd.get()))
          .string(),
      "/memfd:abc (deleted)");
  ASSERT_EQ(::write(fd.get(), "xyz", 3), 3);
  char buf[4] = {};
  ASSERT_EQ(::pread(fd.get(), buf, 3, 0), 3);
  EXPECT_STREQ(buf, "xyz");
}

TEST(MemfdCreate, FlagsAreTakenVerbatim) {
  // Python: memfd_create('abc', 0) is inheritable.
  auto fd = os::memfd_create("abc", 0);
  EXPECT_FALSE(is_cloexec(fd.get()));
  auto sealing = os::nothrow::memfd_create(std::string("s"),
                                           MFD_CLOEXEC | MFD_ALLOW_SEALING);
  ASSERT_TRUE(sealing);
  EXPECT_TRUE(is_cloexec(sealing->get()));
  EXPECT_EQ(::fcntl(sealing->get(), F_ADD_SEALS, F_SEAL_WRITE), 0);
  // Names are bytes: "" and a slash are fine, 249 bytes is the limit.
  EXPECT_TRUE(os::nothrow::memfd_create(""));
  EXPECT_TRUE(os::nothrow::memfd_create("a/b"));
  EXPECT_TRUE(os::nothrow::memfd_create(std::string(249, 'x')));
}

TEST(MemfdCreate, Errors) {
  EXPECT_OS_ERROR(os::memfd_create("abc", 0x12345678), os::OSError, EINVAL);
  EXPECT_RESULT_ERROR(os::nothrow::memfd_create("abc", 0x12345678), EINVAL);
  EXPECT_RESULT_ERROR(os::nothrow::memfd_create(std::string(250, 'x')), EINVAL);
  EXPECT_EQ(invalid_argument_message(
                [] { os::memfd_create(std::string("a\0b", 3)); }),
            "embedded null byte");
}
#endif

// ---------------------------------------------------------------- eventfd

#if OSCPP_HAVE_EVENTFD
TEST(Eventfd, DefaultIsCloseOnExecAndBlocking) {
  auto fd = os::eventfd(5);
  EXPECT_TRUE(is_cloexec(fd.get()));
  EXPECT_TRUE(is_blocking(fd.get()));
  EXPECT_EQ(os::eventfd_read(fd), 5u);
  // Python: eventfd(0, 0) is inheritable.
  auto inheritable = os::eventfd(0, 0);
  EXPECT_FALSE(is_cloexec(inheritable.get()));
}

TEST(Eventfd, ReadWriteAndSemaphore) {
  auto fd = os::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
  EXPECT_FALSE(is_blocking(fd.get()));
  os::eventfd_write(fd, 3);
  EXPECT_TRUE(os::nothrow::eventfd_write(fd, 4));
  auto r = os::nothrow::eventfd_read(fd);
  ASSERT_TRUE(r);
  EXPECT_EQ(*r, 7u);
  // The largest value a counter can hold is 2**64 - 2.
  os::eventfd_write(fd, std::numeric_limits<std::uint64_t>::max() - 1);
  EXPECT_EQ(os::eventfd_read(fd),
            std::numeric_limits<std::uint64_t>::max() - 1);

  auto sem = os::eventfd(3, EFD_SEMAPHORE | EFD_NONBLOCK | EFD_CLOEXEC);
  EXPECT_EQ(os::eventfd_read(sem), 1u);
  EXPECT_EQ(os::eventfd_read(sem), 1u);
  EXPECT_EQ(os::eventfd_read(sem), 1u);
  EXPECT_OS_ERROR(os::eventfd_read(sem), os::BlockingIOError, EAGAIN);
}

TEST(Eventfd, Errors) {
  EXPECT_OS_ERROR(os::eventfd(0, 0x12345), os::OSError, EINVAL);
  EXPECT_RESULT_ERROR(os::nothrow::eventfd(0, 0x12345), EINVAL);

  auto fd = os::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
  // Python: BlockingIOError [Errno 11] on an empty non-blocking eventfd.
  EXPECT_OS_ERROR(os::eventfd_read(fd), os::BlockingIOError, EAGAIN);
  EXPECT_RESULT_ERROR(os::nothrow::eventfd_read(fd), EAGAIN);
  // 2**64 - 1 is never a valid increment: EINVAL.
  EXPECT_OS_ERROR(
      os::eventfd_write(fd, std::numeric_limits<std::uint64_t>::max()),
      os::OSError, EINVAL);
  // A write that would overflow the counter would block.
  os::eventfd_write(fd, std::numeric_limits<std::uint64_t>::max() - 1);
  EXPECT_OS_ERROR(os::eventfd_write(fd, 1), os::BlockingIOError, EAGAIN);
  EXPECT_RESULT_ERROR(os::nothrow::eventfd_write(fd, 1), EAGAIN);

  int bad = closed_fd();
  EXPECT_OS_ERROR(os::eventfd_read(bad), os::OSError, EBADF);
  EXPECT_RESULT_ERROR(os::nothrow::eventfd_read(bad), EBADF);
  EXPECT_OS_ERROR(os::eventfd_write(bad, 1), os::OSError, EBADF);
  EXPECT_RESULT_ERROR(os::nothrow::eventfd_write(bad, 1), EBADF);
}

TEST(Eventfd, ShortReadFromANonEventfdIsEinval) {
  // Python reports OSError with glibc's stale errno (0 here); we report
  // EINVAL, what an eventfd says to a read of the wrong size.
  raw_pipe p;
  ASSERT_EQ(::write(p.w.get(), "123", 3), 3);
  EXPECT_OS_ERROR(os::eventfd_read(p.r), os::OSError, EINVAL);
}
#endif

// ---------------------------------------------------------------- timerfd

#if OSCPP_HAVE_TIMERFD
TEST(Timerfd, CreateIsAlwaysCloseOnExec) {
  // Python 3.13: timerfd_create(CLOCK_MONOTONIC) is not inheritable, even
  // with flags=0 (it adds TFD_CLOEXEC).
  auto fd = os::timerfd_create(CLOCK_MONOTONIC);
  EXPECT_TRUE(is_cloexec(fd.get()));
  EXPECT_TRUE(is_blocking(fd.get()));
  auto nb = os::nothrow::timerfd_create(CLOCK_REALTIME, TFD_NONBLOCK);
  ASSERT_TRUE(nb);
  EXPECT_TRUE(is_cloexec(nb->get()));
  EXPECT_FALSE(is_blocking(nb->get()));
  auto boot = os::timerfd_create(CLOCK_BOOTTIME, TFD_CLOEXEC);
  EXPECT_TRUE(is_cloexec(boot.get()));
}

TEST(Timerfd, CreateErrors) {
  EXPECT_OS_ERROR(os::timerfd_create(12345), os::OSError, EINVAL);
  EXPECT_RESULT_ERROR(os::nothrow::timerfd_create(12345), EINVAL);
  EXPECT_RESULT_ERROR(os::nothrow::timerfd_create(-1), EINVAL);
  EXPECT_RESULT_ERROR(os::nothrow::timerfd_create(CLOCK_PROCESS_CPUTIME_ID),
                      EINVAL);
  EXPECT_OS_ERROR(os::timerfd_create(CLOCK_MONOTONIC, 12345), os::OSError,
                  EINVAL);
}

TEST(Timerfd, SetAndGetInSeconds) {
  auto fd = os::timerfd_create(CLOCK_MONOTONIC);
  auto [initial0, interval0] = os::timerfd_gettime(fd);
  EXPECT_EQ(initial0, 0.0);
  EXPECT_EQ(interval0, 0.0);
  auto old = os::timerfd_settime(fd, {.initial = 1000, .interval = 0.25});
  EXPECT_EQ(old.initial, 0.0);
  EXPECT_EQ(old.interval, 0.0);
  auto now = os::timerfd_gettime(fd);
  EXPECT_GT(now.initial, 990.0);
  EXPECT_LE(now.initial, 1000.0);
  EXPECT_EQ(now.interval, 0.25);
  auto prev = os::nothrow::timerfd_settime(fd);  // disarms
  ASSERT_TRUE(prev);
  EXPECT_EQ(prev->interval, 0.25);
  EXPECT_EQ(os::timerfd_gettime(fd).initial, 0.0);
}

// The interval Python 3.13 stores for a float interval, and gives back.
struct seconds_case {
  double in;
  std::int64_t ns;
  double out;
};

TEST(Timerfd, FloatConversionMatchesPython) {
  auto fd = os::timerfd_create(CLOCK_MONOTONIC);
  // Rounding is towards minus infinity; the float given back is
  // tv_sec + tv_nsec * 1e-9 (so 0.3 comes back as 0.30000000000000004).
  const seconds_case cases[] = {
      {0.25, 250000000, 0.25},
      {0.1, 100000000, 0.1},
      {1.0000000009, 1000000000, 1.0},
      {1e-10, 0, 0.0},
      {0.3, 300000000, 0.30000000000000004},
      {2.675, 2675000000, 2.675},
      {1.1, 1100000000, 1.1},
  };
  for (const auto& c : cases) {
    os::timerfd_settime(fd, {.initial = 1000, .interval = c.in});
    EXPECT_EQ(os::timerfd_gettime_ns(fd).interval, c.ns) << c.in;
    EXPECT_EQ(os::timerfd_gettime(fd).interval, c.out) << c.in;
  }
  const std::pair<std::int64_t, double> back[] = {
      {3, 3.0000000000000004e-09},   {1, 1e-09},
      {999999999, 0.999999999},      {1000000001, 1.000000001},
      {123456789012, 123.456789012},
  };
  for (auto [ns, seconds] : back) {
    os::timerfd_settime_ns(fd, {.initial = 1000000000000, .interval = ns});
    EXPECT_EQ(os::timerfd_gettime(fd).interval, seconds) << ns;
  }
}

TEST(Timerfd, SetAndGetInNanoseconds) {
  auto fd = os::timerfd_create(CLOCK_MONOTONIC);
  auto old =
      os::timerfd_settime_ns(fd, {.initial = 10000000000, .interval = 3});
  EXPECT_EQ(old.initial, 0);
  EXPECT_EQ(old.interval, 0);
  auto [initial, interval] = os::timerfd_gettime_ns(fd);
  EXPECT_GT(initial, 9000000000);
  EXPECT_LE(initial, 10000000000);
  EXPECT_EQ(interval, 3);
  auto r = os::nothrow::timerfd_gettime_ns(fd);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->interval, 3);
  auto prev = os::nothrow::timerfd_settime_ns(fd, {});
  ASSERT_TRUE(prev);
  EXPECT_EQ(prev->interval, 3);
}

TEST(Timerfd, AbsoluteTimeAndExpiry) {
  auto fd = os::timerfd_create(CLOCK_MONOTONIC);
  struct ::timespec now {};
  ASSERT_EQ(::clock_gettime(CLOCK_MONOTONIC, &now), 0);
  std::int64_t now_ns = now.tv_sec * 1000000000LL + now.tv_nsec;
  os::timerfd_settime_ns(
      fd, {.flags = TFD_TIMER_ABSTIME, .initial = now_ns + 1000000000000});
  auto left = os::timerfd_gettime_ns(fd).initial;
  EXPECT_GT(left, 990000000000);
  EXPECT_LE(left, 1000000000000);
  // An absolute time in the past expires at once: read() sees one expiry.
  os::timerfd_settime_ns(fd, {.flags = TFD_TIMER_ABSTIME, .initial = 1});
  std::uint64_t expirations = 0;
  ASSERT_EQ(::read(fd.get(), &expirations, sizeof expirations), 8);
  EXPECT_EQ(expirations, 1u);
}

TEST(Timerfd, NegativeTimesAreEinvalFromTheKernel) {
  // Python 3.13: OSError EINVAL, not ValueError; -1e-10 s floors to -1 ns.
  auto fd = os::timerfd_create(CLOCK_MONOTONIC);
  EXPECT_OS_ERROR(os::timerfd_settime(fd, {.initial = -1}), os::OSError,
                  EINVAL);
  EXPECT_RESULT_ERROR(os::nothrow::timerfd_settime(fd, {.interval = -1}),
                      EINVAL);
  EXPECT_RESULT_ERROR(os::nothrow::timerfd_settime(fd, {.initial = -1e-10}),
                      EINVAL);
  EXPECT_OS_ERROR(os::timerfd_settime_ns(fd, {.initial = -1}), os::OSError,
                  EINVAL);
  EXPECT_RESULT_ERROR(os::nothrow::timerfd_settime_ns(fd, {.interval = -1}),
                      EINVAL);
  EXPECT_RESULT_ERROR(
      os::nothrow::timerfd_settime_ns(
          fd, {.initial = std::numeric_limits<std::int64_t>::min()}),
      EINVAL);
  EXPECT_RESULT_ERROR(os::nothrow::timerfd_settime(fd, {.flags = 12345}),
                      EINVAL);
  EXPECT_RESULT_ERROR(os::nothrow::timerfd_settime_ns(fd, {.flags = -1}),
                      EINVAL);
}

TEST(Timerfd, UnrepresentableSecondsAreOverflowError) {
  // Python 3.13: OverflowError "timestamp out of range for platform time_t"
  // for NaN, infinities and anything at or beyond 2**63 ns; also from the
  // nothrow form, before the syscall (even on a bad descriptor).
  auto fd = os::timerfd_create(CLOCK_MONOTONIC);
  const double bad[] = {std::nan(""),
                        std::numeric_limits<double>::infinity(),
                        -std::numeric_limits<double>::infinity(),
                        1e300,
                        -1e300,
                        9.3e9,
                        -9.3e9,
                        9223372036.854776};
  for (double v : bad) {
    EXPECT_THROW(os::timerfd_settime(fd, {.initial = v}), std::overflow_error)
        << v;
    EXPECT_THROW((void)os::nothrow::timerfd_settime(fd, {.interval = v}),
                 std::overflow_error)
        << v;
    EXPECT_THROW(
        (void)os::nothrow::timerfd_settime(closed_fd(), {.interval = v}),
        std::overflow_error)
        << v;
  }
  try {
    os::timerfd_settime(fd, {.initial = std::nan("")});
  } catch (const std::overflow_error& e) {
    EXPECT_STREQ(e.what(), "timestamp out of range for platform time_t");
  }
  // Just below 2**63 ns is accepted (the kernel clamps it).
  EXPECT_TRUE(os::nothrow::timerfd_settime(
      fd, {.initial = 1000, .interval = 9223372036.8}));
}

TEST(Timerfd, DescriptorErrors) {
  int bad = closed_fd();
  EXPECT_OS_ERROR(os::timerfd_gettime(bad), os::OSError, EBADF);
  EXPECT_RESULT_ERROR(os::nothrow::timerfd_gettime(bad), EBADF);
  EXPECT_OS_ERROR(os::timerfd_gettime_ns(bad), os::OSError, EBADF);
  EXPECT_RESULT_ERROR(os::nothrow::timerfd_gettime_ns(bad), EBADF);
  EXPECT_OS_ERROR(os::timerfd_settime(bad), os::OSError, EBADF);
  EXPECT_RESULT_ERROR(os::nothrow::timerfd_settime(bad), EBADF);
  EXPECT_OS_ERROR(os::timerfd_settime_ns(bad), os::OSError, EBADF);
  EXPECT_RESULT_ERROR(os::nothrow::timerfd_settime_ns(bad), EBADF);
  // Not a timerfd: EINVAL.
  raw_pipe p;
  EXPECT_OS_ERROR(os::timerfd_gettime(p.r), os::OSError, EINVAL);
  EXPECT_RESULT_ERROR(os::nothrow::timerfd_settime_ns(p.r), EINVAL);
}
#endif

}  // namespace
