// Random numbers: getrandom and urandom, including urandom's /dev/urandom
// fallback where getrandom() is forbidden (a seccomp filter in a child).
#include "oscpp/random.hpp"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstddef>
#include <functional>
#include <set>
#include <stdexcept>
#include <string>
#include <typeinfo>
#include <utility>
#include <vector>

#include "support/support.hpp"

#if defined(__linux__)
#include <sys/syscall.h>
#endif

namespace {

#if defined(__linux__)
using oscpp_test::deny_syscalls;
using oscpp_test::in_child;
#endif

// Random bytes look random: 4 KiB of them take many distinct values.
bool looks_random(const std::string& s) {
  return std::set<char>(s.begin(), s.end()).size() > 200;
}

// ---------------------------------------------------------------- getrandom

#if OSCPP_HAVE_GETRANDOM
TEST(Getrandom, ReturnsSizeBytes) {
  EXPECT_EQ(os::getrandom(0), "");
  EXPECT_EQ(os::getrandom(16).size(), 16u);
  std::string a = os::getrandom(4096);
  ASSERT_EQ(a.size(), 4096u);
  EXPECT_TRUE(looks_random(a));
  EXPECT_NE(os::getrandom(16), os::getrandom(16));
  auto r = os::nothrow::getrandom(32);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->size(), 32u);
}

TEST(Getrandom, FillsASpan) {
  std::string buf(4096, '\0');
  EXPECT_EQ(os::getrandom(std::span<char>(buf)), 4096u);
  EXPECT_TRUE(looks_random(buf));
  auto r = os::nothrow::getrandom(std::span<char>(buf.data(), 10));
  ASSERT_TRUE(r);
  EXPECT_EQ(*r, 10u);
}

TEST(Getrandom, Flags) {
  // The pool is initialised once the system is up: neither blocks.
  EXPECT_EQ(os::getrandom(16, GRND_NONBLOCK).size(), 16u);
  std::string r = os::getrandom(1, GRND_RANDOM | GRND_NONBLOCK);
  EXPECT_LE(r.size(), 1u);
}

TEST(Getrandom, BadFlagsAreEinval) {
  try {
    (void)os::getrandom(16, 999);
    ADD_FAILURE() << "no exception";
  } catch (const os::OSError& e) {
    EXPECT_EQ(typeid(e), typeid(os::OSError));
    EXPECT_EQ(e.code().value(), EINVAL);
    EXPECT_FALSE(e.filename().has_value());
  }
  auto r = os::nothrow::getrandom(16, -1);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().value(), EINVAL);
  std::string buf(8, '\0');
  auto s = os::nothrow::getrandom(std::span<char>(buf), 999);
  ASSERT_FALSE(s);
  EXPECT_EQ(s.error().value(), EINVAL);
}

TEST(Getrandom, NotReadyIsBlockingIOError) {
  // An uninitialised pool cannot be arranged; a filter stands in for it.
  EXPECT_EQ(in_child([] {
              CHILD_CHECK(deny_syscalls({{SYS_getrandom, EAGAIN}}));
              try {
                (void)os::getrandom(16, GRND_NONBLOCK);
                return 99;
              } catch (const os::BlockingIOError& e) {
                CHILD_CHECK(e.code().value() == EAGAIN);
              }
              return 0;
            }),
            0);
}
#endif

// ---------------------------------------------------------------- urandom

TEST(Urandom, ReturnsExactlySizeBytes) {
  for (std::size_t n : {0, 1, 10, 100, 1000})
    EXPECT_EQ(os::urandom(n).size(), n);
  EXPECT_NE(os::urandom(16), os::urandom(16));
  auto r = os::nothrow::urandom(4096);
  ASSERT_TRUE(r);
  EXPECT_TRUE(looks_random(*r));
}

// Python: urandom(-1) is ValueError "negative argument not allowed";
// getrandom(-1) fails before the call. Here both are std::invalid_argument,
// also for a size_t that wrapped from a negative.
TEST(Urandom, NegativeSizeIsInvalidArgument) {
  EXPECT_THROW((void)os::urandom(-1), std::invalid_argument);
  EXPECT_THROW((void)os::urandom(std::size_t(-1)), std::invalid_argument);
  EXPECT_THROW((void)os::nothrow::urandom(-1), std::invalid_argument);
#if OSCPP_HAVE_GETRANDOM
  EXPECT_THROW((void)os::getrandom(-1), std::invalid_argument);
  EXPECT_THROW((void)os::getrandom(std::size_t(-2), GRND_NONBLOCK),
               std::invalid_argument);
#endif
}

TEST(Urandom, LargerThanOneGetrandomCall) {
  // More than one getrandom() call returned before Linux 5.18 (32 MiB - 1):
  // no short result, and the end is filled too.
  std::string big = os::urandom(40 << 20);
  ASSERT_EQ(big.size(), 40u << 20);
  EXPECT_TRUE(looks_random(big.substr(big.size() - 4096)));
}

TEST(Urandom, FillsASpan) {
  std::string buf(4096, '\0');
  os::urandom(std::span<char>(buf));
  EXPECT_TRUE(looks_random(buf));
  EXPECT_TRUE(os::nothrow::urandom(std::span<char>(buf.data(), 0)));
}

// getrandom refused through seccomp: Linux only.
#if defined(__linux__)
TEST(Urandom, FallsBackToDevUrandom) {
  EXPECT_EQ(in_child([] {
              CHILD_CHECK(deny_syscalls({{SYS_getrandom, ENOSYS}}));
              auto g = os::nothrow::getrandom(16);
              CHILD_CHECK(!g && g.error().value() == ENOSYS);
              auto before = oscpp_test::open_fds();
              std::string r = os::urandom(4096);
              CHILD_CHECK(r.size() == 4096 && looks_random(r));
              // The descriptor on /dev/urandom is closed again.
              CHILD_CHECK(oscpp_test::open_fds() == before);
              return 0;
            }),
            0);
  EXPECT_EQ(in_child([] {
              CHILD_CHECK(deny_syscalls({{SYS_getrandom, EPERM}}));
              CHILD_CHECK(os::urandom(64).size() == 64);
              return 0;
            }),
            0);
}

TEST(Urandom, NoSourceIsAnErrorNamingDevUrandom) {
  EXPECT_EQ(in_child([] {
              CHILD_CHECK(deny_syscalls({{SYS_getrandom, ENOSYS},
                                         {SYS_openat, ENOENT},
                                         {SYS_open, ENOENT}}));
              auto r = os::nothrow::urandom(16);
              CHILD_CHECK(!r && r.error().value() == ENOENT);
              CHILD_CHECK(r.error().filename() == "/dev/urandom");
              try {
                (void)os::urandom(16);
                return 99;
              } catch (const os::FileNotFoundError& e) {
                CHILD_CHECK(e.filename() == "/dev/urandom");
              }
              return 0;
            }),
            0);
}

TEST(Urandom, OtherGetrandomErrorsAreReported) {
  EXPECT_EQ(
      in_child([] {
        CHILD_CHECK(deny_syscalls({{SYS_getrandom, EIO}}));
        auto r = os::nothrow::urandom(16);
        CHILD_CHECK(!r && r.error().value() == EIO && !r.error().filename());
        return 0;
      }),
      0);
}
#endif

}  // namespace
