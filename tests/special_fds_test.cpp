// memfd_create, eventfd, timerfd, fpathconf and fdopen: every expectation
// was checked against python3 (3.11), and the timerfd ones against
// python3.13, which added them.
#include <fcntl.h>
#include <stdio_ext.h>
#include <sys/eventfd.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/timerfd.h>
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

namespace {

using oscpp_test::closed_fd;
using oscpp_test::is_cloexec;
using oscpp_test::raw_pipe;

bool is_blocking(int fd) { return (::fcntl(fd, F_GETFL) & O_NONBLOCK) == 0; }

template <class F>
std::string invalid_argument_message(F&& f) {
  try {
    f();
  } catch (const std::invalid_argument& e) {
    return e.what();
  }
  return "(no std::invalid_argument)";
}

// ---------------------------------------------------------------- memfd

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

// ---------------------------------------------------------------- eventfd

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

// ---------------------------------------------------------------- timerfd

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
  EXPECT_OS_ERROR(os::fpathconf(bad, "PC_NAME_MAX"), os::OSError, EBADF);
  EXPECT_RESULT_ERROR(os::nothrow::fpathconf(bad, _PC_NAME_MAX), EBADF);
}

// ---------------------------------------------------------------- fdopen

class Fdopen : public oscpp_test::TempDirTest {
 protected:
  // The file "f" with content, opened with flags.
  os::unique_fd file(int flags, const std::string& content = "hello") {
    oscpp_test::write_file(path("f"), content);
    int fd = ::open(path("f").c_str(), flags | O_CLOEXEC);
    EXPECT_GE(fd, 0);
    return os::unique_fd(fd);
  }
  std::string contents() { return oscpp_test::read_file(path("f")); }
};

TEST_F(Fdopen, ReadsAndTakesTheDescriptor) {
  auto fd = file(O_RDONLY);
  int raw = fd.get();
  os::file_ptr f = os::fdopen(std::move(fd));
  ASSERT_TRUE(f);
  EXPECT_FALSE(fd);  // taken
  EXPECT_EQ(::fileno(f.get()), raw);
  EXPECT_TRUE(is_cloexec(raw));  // fdopen leaves the flag as it was
  char buf[16] = {};
  EXPECT_EQ(std::fread(buf, 1, sizeof buf, f.get()), 5u);
  EXPECT_STREQ(buf, "hello");
  f.reset();  // fclose closes the descriptor
  EXPECT_EQ(::fcntl(raw, F_GETFD), -1);
}

TEST_F(Fdopen, WritesWithPythonsModes) {
  for (const char* mode : {"w", "wb", "wt", "tw", "x", "xb", "w+", "+w"}) {
    auto fd = file(O_RDWR | O_TRUNC, "");
    auto f = os::nothrow::fdopen(std::move(fd), mode);
    ASSERT_TRUE(f) << mode;
    EXPECT_EQ(std::fputs("data", f->get()), 1) << mode;
    f->reset();
    EXPECT_EQ(contents(), "data") << mode;
  }
}

TEST_F(Fdopen, UpdateModesReadAndWrite) {
  auto f = os::fdopen(file(O_RDWR), "r+b");
  char buf[3] = {};
  ASSERT_EQ(std::fread(buf, 1, 2, f.get()), 2u);
  EXPECT_STREQ(buf, "he");
  ASSERT_EQ(std::fseek(f.get(), 0, SEEK_CUR), 0);
  std::fputs("XY", f.get());
  f.reset();
  EXPECT_EQ(contents(), "heXYo");
}

TEST_F(Fdopen, AppendSeeksToTheEndWithoutOAppend) {
  // Python: fdopen(fd, 'a').tell() == 5 and fd keeps its flags.
  auto fd = file(O_RDWR);
  int raw = fd.get();
  auto f = os::fdopen(std::move(fd), "a");
  EXPECT_EQ(std::ftell(f.get()), 5);
  EXPECT_EQ(::fcntl(raw, F_GETFL) & O_APPEND, 0);
  std::fputs("!", f.get());
  f.reset();
  EXPECT_EQ(contents(), "hello!");
  // A pipe cannot seek, and need not: 'a' works on it.
  raw_pipe p;
  auto pf = os::nothrow::fdopen(std::move(p.w), "ab");
  ASSERT_TRUE(pf);
  EXPECT_FALSE(p.w);
}

TEST_F(Fdopen, InvalidModesAreValueErrorAndKeepTheDescriptor) {
  // python3 os.fdopen(fd, mode): ValueError with these messages, fd open.
  const std::pair<const char*, const char*> cases[] = {
      {"",
       "Must have exactly one of create/read/write/append mode and at "
       "most one plus"},
      {"+",
       "Must have exactly one of create/read/write/append mode and at "
       "most one plus"},
      {"b",
       "Must have exactly one of create/read/write/append mode and at "
       "most one plus"},
      {"t",
       "Must have exactly one of create/read/write/append mode and at "
       "most one plus"},
      {"rr", "invalid mode: 'rr'"},
      {"r++", "invalid mode: 'r++'"},
      {"++", "invalid mode: '++'"},
      {"rbb", "invalid mode: 'rbb'"},
      {"q", "invalid mode: 'q'"},
      {"rU", "invalid mode: 'rU'"},
      {"U", "invalid mode: 'U'"},
      {"rB", "invalid mode: 'rB'"},
      {"r ", "invalid mode: 'r '"},
      {"rwq", "invalid mode: 'rwq'"},
      {"rw", "must have exactly one of create/read/write/append mode"},
      {"ra", "must have exactly one of create/read/write/append mode"},
      {"rbt", "can't have text and binary mode at once"},
      {"rwbt", "can't have text and binary mode at once"},
      {"bt", "can't have text and binary mode at once"},
  };
  auto fd = file(O_RDWR);
  int raw = fd.get();
  for (const auto& c : cases) {
    const char* mode = c.first;
    const char* message = c.second;
    EXPECT_EQ(
        invalid_argument_message([&] { os::fdopen(std::move(fd), mode); }),
        message)
        << mode;
    EXPECT_EQ(invalid_argument_message(
                  [&] { (void)os::nothrow::fdopen(std::move(fd), mode); }),
              message)
        << mode;
    EXPECT_EQ(fd.get(), raw) << mode;
  }
  EXPECT_NE(::fcntl(raw, F_GETFD), -1);
}

TEST_F(Fdopen, UnbufferedTextIsValueError) {
  auto fd = file(O_RDWR);
  EXPECT_EQ(invalid_argument_message(
                [&] { os::fdopen(std::move(fd), "r", {.buffering = 0}); }),
            "can't have unbuffered text I/O");
  EXPECT_TRUE(fd);
  // Checked before the descriptor: a bad fd does not change the answer.
  os::unique_fd bad(closed_fd());
  EXPECT_EQ(invalid_argument_message(
                [&] { os::fdopen(std::move(bad), "w", {.buffering = 0}); }),
            "can't have unbuffered text I/O");
  (void)bad.release();
}

TEST_F(Fdopen, ErrorsKeepTheDescriptor) {
  // Python: OSError EBADF for a closed descriptor.
  os::unique_fd bad(closed_fd());
  int bad_raw = bad.get();
  EXPECT_OS_ERROR(os::fdopen(std::move(bad)), os::OSError, EBADF);
  EXPECT_RESULT_ERROR(os::nothrow::fdopen(std::move(bad), "rb"), EBADF);
  EXPECT_EQ(bad.release(), bad_raw);

  // Python: IsADirectoryError [Errno 21] Is a directory: 3 (the fd).
  os::unique_fd dfd(::open(dir().c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  int dir_raw = dfd.get();
  try {
    os::fdopen(std::move(dfd));
    ADD_FAILURE() << "no exception for a directory";
  } catch (const os::OSError& e) {
    EXPECT_EQ(typeid(e), typeid(os::IsADirectoryError));
    EXPECT_EQ(e.code().value(), EISDIR);
    EXPECT_EQ(e.filename(), std::to_string(dir_raw));
  }
  auto r = os::nothrow::fdopen(std::move(dfd), "r");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().value(), EISDIR);
  EXPECT_EQ(dfd.get(), dir_raw);

  // fdopen(3) refuses a mode the access mode cannot serve (Python fails at
  // the first write instead).
  auto ro = file(O_RDONLY);
  int ro_raw = ro.get();
  EXPECT_RESULT_ERROR(os::nothrow::fdopen(std::move(ro), "w"), EINVAL);
  EXPECT_RESULT_ERROR(os::nothrow::fdopen(std::move(ro), "r+"), EINVAL);
  EXPECT_EQ(ro.get(), ro_raw);
}

TEST_F(Fdopen, DefaultBufferingIsFullOnAFile) {
  auto f = os::fdopen(file(O_RDWR | O_TRUNC, ""), "w");
  std::fputs("ab\n", f.get());
  EXPECT_EQ(contents(), "");
  EXPECT_EQ(__flbf(f.get()), 0);
  std::fflush(f.get());
  EXPECT_EQ(contents(), "ab\n");
}

TEST_F(Fdopen, LineBufferingForTextWithBufferingOne) {
  auto f = os::fdopen(file(O_RDWR | O_TRUNC, ""), "w", {.buffering = 1});
  EXPECT_NE(__flbf(f.get()), 0);
  std::fputs("ab\n", f.get());
  EXPECT_EQ(contents(), "ab\n");
  std::fputs("cd", f.get());
  EXPECT_EQ(contents(), "ab\n");
}

TEST_F(Fdopen, BinaryIgnoresLineBuffering) {
  // Python warns and uses the default buffer size.
  auto f = os::fdopen(file(O_RDWR | O_TRUNC, ""), "wb", {.buffering = 1});
  EXPECT_EQ(__flbf(f.get()), 0);
  std::fputs("ab\n", f.get());
  EXPECT_EQ(contents(), "");
}

TEST_F(Fdopen, UnbufferedBinaryWritesThrough) {
  auto f = os::fdopen(file(O_RDWR | O_TRUNC, ""), "wb", {.buffering = 0});
  std::fputs("x", f.get());
  EXPECT_EQ(contents(), "x");
}

TEST_F(Fdopen, BufferingSizeIsHonoured) {
  // (glibc writes through buffers under 128 bytes, so 256 is the example.)
  auto sized = os::fdopen(file(O_RDWR | O_TRUNC, ""), "wb", {.buffering = 256});
  EXPECT_EQ(__fbufsize(sized.get()), 256u);
  std::string a(200, 'a'), b(100, 'b');
  std::fputs(a.c_str(), sized.get());
  EXPECT_EQ(contents(), "");
  std::fputs(b.c_str(), sized.get());
  EXPECT_EQ(contents().size(), 256u);  // one full buffer went out
  sized.reset();
  EXPECT_EQ(contents(), a + b);

  // The default buffer holds the same 300 bytes without writing.
  auto dflt = os::fdopen(file(O_RDWR | O_TRUNC, ""), "wb");
  std::fputs((a + b).c_str(), dflt.get());
  EXPECT_EQ(contents(), "");
}

TEST_F(Fdopen, TextOnATerminalIsLineBufferedBinaryIsNot) {
  int master = ::posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC);
  ASSERT_GE(master, 0);
  os::unique_fd m(master);
  ASSERT_EQ(::grantpt(master), 0);
  ASSERT_EQ(::unlockpt(master), 0);
  auto open_slave = [&] {
    return os::unique_fd(
        ::open(::ptsname(master), O_RDWR | O_NOCTTY | O_CLOEXEC));
  };
  auto text = os::fdopen(open_slave(), "w");
  EXPECT_NE(__flbf(text.get()), 0);
  auto binary = os::fdopen(open_slave(), "wb");
  std::fputs("x", binary.get());  // glibc decides buffering on first use
  EXPECT_EQ(__flbf(binary.get()), 0);
  auto sized = os::fdopen(open_slave(), "w", {.buffering = 64});
  EXPECT_EQ(__flbf(sized.get()), 0);
}

}  // namespace
